"""A report as one flat dict, keyed exactly as ``spec/fields.csv``.

>>> import govreport
>>> from govreport.samples import sample
>>> flat = govreport.flatten(govreport.read(sample("suide-xinfang-2023.txt")))
>>> flat["meta.agency"], flat["t3.new_received.total"]
('绥德县信访局', 0)
"""

from __future__ import annotations

from decimal import Decimal

from .model import Report
from .schema import FLAT_TEXT_KEYS, flat_keys

FlatValue = str | int | Decimal | None


def flatten(report: Report) -> dict[str, FlatValue]:
    """Every key of the report's table editions, in fields.csv order; blank cells are None.

    Only the keys of the editions the report uses are present: a 2019 table 3 has
    ``t3.other_total.*``, a 2021 one ``t3.other.*``.
    """
    meta = report.meta
    fees = report.fees
    out: dict[str, FlatValue] = {}
    for key in flat_keys(meta.table2_edition, meta.table3_edition):
        if key == "meta.agency":
            out[key] = meta.agency
        elif key == "meta.year":
            out[key] = meta.year
        elif key == "meta.table2_edition":
            out[key] = meta.table2_edition
        elif key == "meta.table3_edition":
            out[key] = meta.table3_edition
        elif key.startswith("fee."):
            out[key] = getattr(fees, key[4:])
        elif key.startswith("text."):
            section = next(s for s, k in FLAT_TEXT_KEYS.items() if k == key)
            out[key] = report.sections.get(section)
        else:
            out[key] = report.value(key)
    return out
