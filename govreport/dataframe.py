"""Reports as a pandas DataFrame (the ``dataframe`` extra)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .errors import MissingDependencyError
from .export import REPORT_COLUMNS, BatchTables, plain_number
from .model import Report
from .result import Result


def to_dataframe(items: Iterable[Report | Result]) -> Any:
    """One row per report, the flat keys of fields.csv as columns (plus ``file``, ``format`` and counts).

    >>> import govreport
    >>> from govreport.samples import sample, sample_names
    >>> frame = govreport.to_dataframe(govreport.read_many([sample(n) for n in sample_names()], jobs=1))
    >>> len(frame), frame.loc[0, "meta.agency"]
    (5, '大武口区人民政府办公室')
    """
    try:
        import pandas as pd
    except ImportError as exc:
        raise MissingDependencyError('to_dataframe needs pandas: pip install "govreport[dataframe]"') from exc
    tables = BatchTables()
    for item in items:
        if isinstance(item, Report):
            item = Result(item.source.path or "", item)
        if item.ok:
            tables.add(item)
    rows = [{c: plain_number(row.get(c)) for c in REPORT_COLUMNS} for row in tables.reports]
    return pd.DataFrame(rows, columns=list(REPORT_COLUMNS))
