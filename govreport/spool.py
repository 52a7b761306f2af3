"""The rows of a batch kept on disk while it runs, so that its memory does not grow with the batch.

A batch of a hundred thousand reports makes a few hundred thousand rows (one a report, one a finding, one a
failure) and the facts the cross-report checks compare. They go into a temporary SQLite database beside
nothing the user owns (the system's temporary folder), are read back in the orders the outputs want —
reports as read, findings errors first, the overview by status — and the database is removed when the
batch is written.

>>> with Spool() as spool:
...     spool.add_report({"file": "a.txt", "errors": 1, "warnings": 0})
...     spool.add_findings("a.txt", [{"file": "a.txt", "rule": "T3-SUM", "severity": "error"}])
...     [r["file"] for r in spool.report_rows()], spool.count("findings")
(['a.txt'], 1)
"""

from __future__ import annotations

import contextlib
import os
import pickle
import sqlite3
import tempfile
from collections.abc import Iterable, Iterator
from types import TracebackType
from typing import Any

from .crosscheck import Facts
from .rowsource import Row

_SCHEMA = """
CREATE TABLE files (seq INTEGER PRIMARY KEY, name BLOB UNIQUE, printable TEXT, todo INTEGER DEFAULT 1);
CREATE TABLE reports (seq INTEGER PRIMARY KEY, file TEXT UNIQUE, errors INTEGER, warnings INTEGER, row BLOB);
CREATE TABLE findings (seq INTEGER PRIMARY KEY, file TEXT, is_error INTEGER, row BLOB);
CREATE INDEX findings_by_file ON findings (file);
CREATE TABLE failures (seq INTEGER PRIMARY KEY, file TEXT, row BLOB);
CREATE TABLE facts (seq INTEGER PRIMARY KEY, agency TEXT, year INTEGER, facts BLOB);
CREATE INDEX facts_by_agency ON facts (agency, year);
CREATE INDEX reports_by_status ON reports (errors = 0, warnings = 0, file);
CREATE INDEX findings_errors_first ON findings (is_error DESC, file);
CREATE INDEX failures_by_file ON failures (file);
"""
# The indexes give each order the outputs read in without a sort: a sort of a hundred thousand rows would
# hold them in memory.

#: Rows fetched from the database at a time.
_BATCH = 500


class Spool:
    """Reports, findings, failures and cross-check facts of one batch, on disk until written."""

    def __init__(self) -> None:
        handle, self.path = tempfile.mkstemp(prefix="govreport-batch-", suffix=".sqlite")
        os.close(handle)
        self._db = sqlite3.connect(self.path)
        # Nothing here outlives the run: no journal to keep, no waiting for the disk.
        self._db.execute("PRAGMA journal_mode = OFF")
        self._db.execute("PRAGMA synchronous = OFF")
        self._db.executescript(_SCHEMA)

    def __enter__(self) -> Spool:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        self._db.close()
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.path)

    # --- adding ------------------------------------------------------------------------------------

    def add_report(self, row: Row) -> None:
        """A report's row; a second row for the same file replaces the first (a file read again)."""
        self._db.execute("DELETE FROM reports WHERE file = ?", (str(row["file"]),))
        self._db.execute("INSERT INTO reports (file, errors, warnings, row) VALUES (?, ?, ?, ?)",
                         (str(row["file"]), row.get("errors") or 0, row.get("warnings") or 0, _pack(row)))

    def add_findings(self, file: str, rows: Iterable[Row]) -> None:
        self._db.executemany("INSERT INTO findings (file, is_error, row) VALUES (?, ?, ?)",
                             [(file, row.get("severity") == "error", _pack(row)) for row in rows])

    def add_file(self, name: str, printable: str) -> None:
        """A file (or URL) to read, under the name its rows will carry; a name found again is kept once.
        Names are kept as bytes: a file name need not be text."""
        self._db.execute("INSERT OR IGNORE INTO files (name, printable) VALUES (?, ?)", (os.fsencode(name), printable))

    def skip_converted(self) -> int:
        """Mark the files that already have a report row (taken from an earlier run) as not to be read;
        returns how many."""
        return self._db.execute("UPDATE files SET todo = 0 WHERE printable IN (SELECT file FROM reports)").rowcount

    def add_failure(self, row: Row) -> None:
        self._db.execute("INSERT INTO failures (file, row) VALUES (?, ?)", (str(row["file"]), _pack(row)))

    def add_facts(self, facts: Facts) -> None:
        self._db.execute("INSERT INTO facts (agency, year, facts) VALUES (?, ?, ?)",
                         (facts.agency, facts.year, _pack(facts)))

    def recount(self) -> None:
        """Set every report's counts of errors and warnings from the findings held (after findings of an
        earlier run were dropped to be made again)."""
        for file in [f for (f,) in self._db.execute("SELECT file FROM reports")]:
            row = self.report_of(file) or {}
            errors, total = self._db.execute(
                "SELECT COALESCE(SUM(is_error), 0), COUNT(*) FROM findings WHERE file = ?", (file,)).fetchone()
            if (row.get("errors") or 0, row.get("warnings") or 0) != (errors, total - errors):
                row.update(errors=errors, warnings=total - errors)
                self._db.execute("UPDATE reports SET errors = ?, warnings = ?, row = ? WHERE file = ?",
                                 (errors, total - errors, _pack(row), file))

    def count_warnings(self, file: str, more: int) -> None:
        """Add ``more`` warnings to a report's count (the cross-report checks come after its row)."""
        found = self.report_of(file)
        if found is not None:
            found["warnings"] = (found.get("warnings") or 0) + more
            self._db.execute("UPDATE reports SET warnings = ?, row = ? WHERE file = ?",
                             (found["warnings"], _pack(found), file))

    # --- reading -----------------------------------------------------------------------------------

    def count(self, table: str) -> int:
        if table not in ("files", "reports", "findings", "failures", "facts"):
            raise ValueError(table)
        return int(self._db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])

    def report_rows(self, *, by_status: bool = False) -> Iterator[Row]:
        """Report rows as they were read, or those with errors first, then warnings, then the rest."""
        order = "errors = 0, warnings = 0, file" if by_status else "seq"
        yield from self._rows(f"SELECT row FROM reports ORDER BY {order}")

    def finding_rows(self, *, errors_first: bool = False) -> Iterator[Row]:
        order = "is_error DESC, file, seq" if errors_first else "seq"
        yield from self._rows(f"SELECT row FROM findings ORDER BY {order}")

    def files_to_read(self) -> Iterator[str]:
        """The files not marked as converted, in the order found; a page at a time, each page its own
        query, so that rows may be added while the files are read."""
        last = 0
        while page := self._db.execute("SELECT seq, name FROM files WHERE todo AND seq > ? ORDER BY seq LIMIT ?",
                                       (last, _BATCH)).fetchall():
            last = page[-1][0]
            yield from (os.fsdecode(name) for _, name in page)

    def count_to_read(self) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM files WHERE todo").fetchone()[0])

    def findings_of(self, file: str) -> list[Row]:
        return [_unpack(r[0]) for r in self._db.execute("SELECT row FROM findings WHERE file = ? ORDER BY seq",
                                                         (file,))]

    def failure_rows(self) -> Iterator[Row]:
        yield from self._rows("SELECT row FROM failures ORDER BY file, seq")

    def report_of(self, file: str) -> Row | None:
        found = self._db.execute("SELECT row FROM reports WHERE file = ?", (file,)).fetchone()
        return _unpack(found[0]) if found else None

    def facts_by_agency(self) -> Iterator[list[Facts]]:
        """The facts of each agency's reports together, one agency at a time."""
        group: list[Facts] = []
        agency: str | None = None
        for name, packed in self._db.execute("SELECT agency, facts FROM facts ORDER BY agency, year, seq"):
            if group and name != agency:
                yield group
                group = []
            agency = name
            group.append(_unpack(packed))
        if group:
            yield group

    def facts_of(self, agencies: Iterable[str]) -> list[Facts]:
        wanted = sorted(set(agencies))
        out: list[Facts] = []
        for start in range(0, len(wanted), _BATCH):
            chunk = wanted[start:start + _BATCH]
            marks = ", ".join("?" * len(chunk))
            out += [_unpack(r[0]) for r in self._db.execute(
                f"SELECT facts FROM facts WHERE agency IN ({marks}) ORDER BY seq", chunk)]
        return out

    def _rows(self, query: str) -> Iterator[Row]:
        cursor = self._db.execute(query)
        while batch := cursor.fetchmany(_BATCH):
            for (packed,) in batch:
                yield _unpack(packed)


def _pack(value: object) -> bytes:
    return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


def _unpack(data: bytes) -> Any:
    # Only what this process wrote a moment ago is ever read back.
    return pickle.loads(data)
