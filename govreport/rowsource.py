"""What the batch writers read rows from: one row a report, a finding or a failure, as a dict of column
names to values, held in memory (:class:`~govreport.export.BatchTables`) or on disk
(:class:`~govreport.spool.Spool`)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol

Row = dict[str, Any]


class RowSource(Protocol):
    """Where the writers take a batch's rows from: :class:`BatchTables` in memory, or the
    :class:`~govreport.spool.Spool` a conversion keeps on disk."""

    def report_rows(self, *, by_status: bool = False) -> Iterable[Row]:
        """Report rows as read, or errors first, then warnings, then the rest (each by file)."""

    def finding_rows(self, *, errors_first: bool = False) -> Iterable[Row]:
        """Finding rows as made, or the errors first (each by file)."""

    def findings_of(self, file: str) -> list[Row]:
        """The finding rows of one file, as made."""

    def failure_rows(self) -> Iterable[Row]:
        """The failure rows, by file."""

    def report_of(self, file: str) -> Row | None:
        """The report row of one file."""
