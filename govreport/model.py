"""The typed report: metadata, section texts, tables 2–4 as cells with provenance, and findings.

>>> cell = Cell(3, "3")
>>> cell.value, cell.is_blank
(3, False)
>>> Cell.blank("&nbsp;").is_blank
True
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from typing import Literal

import attrs

from .fees import Fees, fees_stated
from .fieldrepr import FieldRepr
from .normalize import CellKind
from .schema import Edition

Value = int | Decimal | None
Severity = Literal["error", "warning"]


def _cells(cells: Mapping[str, Cell]) -> dict[str, Cell]:
    return dict(cells)


def _strings(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(items)


def _findings(items: Iterable[Finding]) -> tuple[Finding, ...]:
    return tuple(items)


@attrs.frozen(repr=False)
class Source(FieldRepr):
    """Where a piece of a report was read: a text line, a page, a table and its grid position.

    Rows and columns count from 0 within the reader's table grid; lines and pages from 1.
    """

    line: int | None = None
    page: int | None = None
    table: int | None = None
    row: int | None = None
    column: int | None = None

    def describe(self) -> str:
        parts = []
        if self.page is not None:
            parts.append(f"page {self.page}")
        if self.line is not None:
            parts.append(f"line {self.line}")
        if self.table is not None:
            parts.append(f"table {self.table + 1}")
        if self.row is not None and self.column is not None:
            parts.append(f"row {self.row + 1}, column {self.column + 1}")
        return ", ".join(parts) or "unknown position"


@attrs.frozen(repr=False)
class Cell(FieldRepr):
    """One table cell: the parsed value, the text it was parsed from, and where it was found.

    ``value`` is an ``int`` for counts (signed for 本年增/减), a ``Decimal`` for amounts, or ``None``
    when the source leaves the cell blank, prints a dash, ``/`` or something unreadable (``kind`` says
    which). ``raw`` keeps the printed text, so ``""``, ``"0"``, ``"/"`` and ``"无"`` stay distinct.
    Provenance does not take part in equality: the same report read from two files is equal.
    """

    value: Value
    raw: str = ""
    kind: CellKind = "number"
    unit: str | None = None
    source: Source | None = attrs.field(default=None, eq=False, repr=False)

    @classmethod
    def blank(cls, raw: str = "", source: Source | None = None) -> Cell:
        return cls(None, raw, "blank", None, source)

    @property
    def is_blank(self) -> bool:
        """True when the source has no value here (blank, dash, slash or unreadable)."""
        return self.value is None


@attrs.frozen(repr=False)
class Table(FieldRepr):
    """A statistical table of the report: its number (2, 3, 4), edition and cells by key.

    Keys are relative to the table (``granted.total``); ``table["granted.total"]`` gives the
    :class:`Cell`, ``table.value("granted.total")`` its value. A key the report does not print at all
    is absent (``key in table`` is False).
    """

    number: int
    edition: Edition | None
    cells: Mapping[str, Cell] = attrs.field(factory=dict, converter=_cells)

    def __getitem__(self, key: str) -> Cell:
        return self.cells[key]

    def __contains__(self, key: object) -> bool:
        return key in self.cells

    def __iter__(self) -> Iterator[str]:
        return iter(self.cells)

    def __len__(self) -> int:
        return len(self.cells)

    def value(self, key: str) -> Value:
        cell = self.cells.get(key)
        return None if cell is None else cell.value

    __hash__ = None  # type: ignore[assignment]  # cells is a dict


@attrs.frozen(repr=False)
class Metadata(FieldRepr):
    """What the report says about itself.

    ``year`` is the year reported on (a report published in January 2024 reports on 2023).
    """

    agency: str | None = None
    year: int | None = None
    title: str | None = None
    published: dt.date | None = None
    table2_edition: Edition | None = None
    table3_edition: Edition | None = None


@attrs.frozen(repr=False)
class Sections(FieldRepr):
    """The text of each part, without its heading; ``None`` when the part was not found."""

    preamble: str | None = None
    overview: str | None = None
    active_disclosure: str | None = None
    applications: str | None = None
    review_litigation: str | None = None
    problems: str | None = None
    other_matters: str | None = None

    def get(self, key: str) -> str | None:
        return getattr(self, key)


@attrs.frozen(repr=False)
class Finding(FieldRepr):
    """A problem found in a report.

    ``rule`` is a stable id (``T3-BAL``, ``T3-TXT``, ``PARSE-ROW`` …), ``severity`` is ``"error"`` for
    arithmetic the format requires and ``"warning"`` for soft checks and reading doubts, ``message`` is
    written for a 政务公开 officer, and ``keys`` are the flat keys of the cells involved.
    """

    rule: str
    severity: Severity
    message: str
    keys: tuple[str, ...] = attrs.field(default=(), converter=_strings)


@attrs.frozen(repr=False)
class SourceInfo(FieldRepr):
    """The file a report was read from, and by which reader."""

    path: str | None = None
    format: str | None = None
    #: The page that linked to the file, when the report was found as an attachment (附件).
    page: str | None = None


@attrs.frozen(repr=False)
class Report(FieldRepr):
    """A 政府信息公开工作年度报告 as data.

    >>> import govreport
    >>> from govreport.samples import sample
    >>> report = govreport.read(sample())
    >>> report.meta.agency, report.meta.year
    ('湘乡市信访局', 2023)
    >>> report.table3.value("new_received.total")
    0

    Equality compares what the report says (metadata, texts, cell values and printed text), not where it
    was read from nor the reading notes, so ``read(write(report)) == report`` holds across formats.
    """

    meta: Metadata = attrs.field(factory=Metadata)
    sections: Sections = attrs.field(factory=Sections)
    table2: Table | None = None
    table3: Table | None = None
    table4: Table | None = None
    #: Notes of the reader and assembler (cells it could not place, tables it did not find).
    reading_findings: tuple[Finding, ...] = attrs.field(default=(), converter=_findings, eq=False,
                                                        repr=False)
    source: SourceInfo = attrs.field(factory=SourceInfo, eq=False)

    def table(self, number: int) -> Table | None:
        return {2: self.table2, 3: self.table3, 4: self.table4}[number]

    @property
    def fees(self) -> Fees:
        """The fee figures that section 6 (其他需要报告的事项) states in its text."""

        return fees_stated(self.sections.other_matters)

    def value(self, flat_key: str) -> Value:
        """The value of a cell by its flat key (``t3.granted.total``); None if blank or absent."""
        prefix, _, key = flat_key.partition(".")
        table = {"t2": self.table2, "t3": self.table3, "t4": self.table4}.get(prefix)
        return None if table is None else table.value(key)

    def cell(self, flat_key: str) -> Cell | None:
        prefix, _, key = flat_key.partition(".")
        table = {"t2": self.table2, "t3": self.table3, "t4": self.table4}.get(prefix)
        return None if table is None else table.cells.get(key)
