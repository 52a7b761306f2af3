"""Two reports side by side: every table cell with its change, the carry-over checks between them, each
section's repetition and a marked-up diff, and the findings of both.

It works on any two readable reports, in different formats and editions: a cell that exists in one
edition only is shown as such. Meant for a unit's report against its previous year, but nothing requires
that the two are consecutive.

>>> import govreport
>>> from govreport.samples import sample
>>> result = govreport.compare(sample("pingtan-2021.md"), sample("pingtan-2022.md"))
>>> change = result.cell("t3.new_received.total")
>>> change.old, change.new, change.change
(70, 74, Decimal('4'))
"""

from __future__ import annotations

import os
from decimal import Decimal
from typing import Literal

import attrs

from .crosscheck import Facts, year_on_year
from .fieldrepr import FieldRepr
from .flatten import flatten
from .model import Finding, Report, Value
from .reading import read
from .schema import FEE_KEYS, FLAT_TEXT_KEYS, SECTION_HEADINGS, all_flat_keys, label_parts
from .similarity import DiffKind, repeated_share, text_diff
from .validate import validate

Presence = Literal["both", "old only", "new only"]


@attrs.frozen(repr=False)
class CellChange(FieldRepr):
    """One cell of either report: its values in the old and the new report."""

    key: str
    old: Value
    new: Value
    #: Whether the cell exists in both reports' editions, or in one only (2019 and 2021 tables differ).
    presence: Presence = "both"

    @property
    def label(self) -> str:
        table, row, column = label_parts(self.key)
        return " · ".join(p for p in (table, row, column) if p)

    @property
    def change(self) -> Decimal | None:
        """new − old, when both are numbers."""
        if self.old is None or self.new is None:
            return None
        return Decimal(self.new) - Decimal(self.old)

    @property
    def changed(self) -> bool:
        return self.presence != "both" or self.old != self.new


@attrs.frozen(repr=False)
class SectionChange(FieldRepr):
    """One section of both reports: how much of the new text the old one had, and the diff."""

    key: str
    name: str
    old: str | None
    new: str | None
    #: Share of the new text already in the old one (0–1), None when either is missing.
    repeated: float | None
    diff: tuple[tuple[DiffKind, str], ...]


@attrs.frozen(repr=False)
class Comparison(FieldRepr):
    """The result of :func:`compare`."""

    old: Report
    new: Report
    cells: tuple[CellChange, ...]
    sections: tuple[SectionChange, ...]
    #: Checks between the two (T3-XY, T2-XY, NARR-SIM), as if the new report followed the old one.
    carry_over: tuple[Finding, ...]
    old_findings: tuple[Finding, ...]
    new_findings: tuple[Finding, ...]

    def cell(self, key: str) -> CellChange:
        return next(c for c in self.cells if c.key == key)

    @property
    def changed_cells(self) -> tuple[CellChange, ...]:
        return tuple(c for c in self.cells if c.changed)


def compare(old: Report | str | os.PathLike[str], new: Report | str | os.PathLike[str]) -> Comparison:
    """Compare two reports (or the files or URLs they are read from)."""
    old_report = old if isinstance(old, Report) else read(old)
    new_report = new if isinstance(new, Report) else read(new)
    return Comparison(old_report, new_report, _cells(old_report, new_report), _sections(old_report, new_report),
                      tuple(_carry_over(old_report, new_report)), tuple(validate(old_report)),
                      tuple(validate(new_report)))


def _cells(old: Report, new: Report) -> tuple[CellChange, ...]:
    old_flat, new_flat = flatten(old), flatten(new)
    out = []
    for key in all_flat_keys():
        if not key.startswith(("t2.", "t3.", "t4.", *FEE_KEYS)):
            continue
        in_old, in_new = key in old_flat, key in new_flat
        if not (in_old or in_new):
            continue
        presence: Presence = "both" if in_old and in_new else ("old only" if in_old else "new only")
        out.append(CellChange(key, old_flat.get(key), new_flat.get(key), presence))  # type: ignore[arg-type]
    return tuple(out)


def _sections(old: Report, new: Report) -> tuple[SectionChange, ...]:
    out = []
    for section, key in FLAT_TEXT_KEYS.items():
        before, after = old.sections.get(section), new.sections.get(section)
        out.append(SectionChange(key, SECTION_HEADINGS[section], before, after, repeated_share(before, after),
                                 tuple(text_diff(before, after))))
    return tuple(out)


def _carry_over(old: Report, new: Report) -> list[Finding]:
    # The two are compared as one unit's consecutive years, whatever their names and years say.
    last = Facts.of(_Read(old, old.source.path or "old"), anonymous=True)
    this = Facts.of(_Read(new, new.source.path or "new"), anonymous=True)
    if last is None or this is None:
        return []
    return year_on_year(new.meta.agency or "", this, last)


@attrs.frozen(repr=False)
class _Read(FieldRepr):
    report: Report
    path: str
