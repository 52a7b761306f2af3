"""A batch as three tables (reports, findings, failures) in one spreadsheet or data file.

``reports`` has one row per report read: the file, its format, every flat key of fields.csv (both editions;
blank where a report's edition has no such cell) and its counts of findings. ``findings`` lists every
finding with the file it is about; ``failures`` every file that could not be read and why.

Outputs by extension: ``.xlsx`` (the audit workbook of :mod:`govreport.audit`: 概览, 问题清单, 数据,
无法读取), ``.csv`` (``NAME.csv``, ``NAME.findings.csv``, ``NAME.failures.csv``, UTF-8 with BOM so that
Excel shows Chinese), ``.jsonl`` (one line per file) and ``.parquet`` (three files, with the ``parquet``
extra). Every file is written atomically.
"""

from __future__ import annotations

import contextlib
import csv
import io
import itertools
import json
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any, BinaryIO

import attrs
from openpyxl import load_workbook

from .atomic import atomic_output
from .audit import SHEETS, audit_rows, audit_workbook
from .errors import MissingDependencyError, WriterError
from .fieldrepr import FieldRepr
from .flatten import flatten
from .model import Finding
from .result import Result
from .rowsource import Row, RowSource
from .schema import all_flat_keys

REPORT_COLUMNS: tuple[str, ...] = ("file", "format", *all_flat_keys(), "errors", "warnings")
FINDING_COLUMNS: tuple[str, ...] = ("file", "rule", "severity", "message", "keys")
FAILURE_COLUMNS: tuple[str, ...] = ("file", "error_type", "error")
SUFFIXES = (".xlsx", ".csv", ".jsonl", ".parquet")

def rows_of(result: Result) -> tuple[Row | None, list[Row], Row | None]:
    """A result as rows: its report row, its finding rows, or its failure row."""
    name = printable_name(result.path)
    if result.report is None:
        return None, [], {"file": name, "error_type": result.error_type, "error": result.error}
    errors = sum(1 for f in result.findings if f.severity == "error")
    row: Row = {"file": name, "format": result.report.source.format}
    row.update(flatten(result.report))
    row.update(errors=errors, warnings=len(result.findings) - errors)
    return row, rows_of_findings(name, result.findings), None


def rows_of_findings(path: str, findings: Iterable[Finding]) -> list[Row]:
    return [{"file": path, "rule": f.rule, "severity": f.severity, "message": f.message, "keys": ", ".join(f.keys)}
            for f in findings]


@attrs.define(repr=False)
class BatchTables(FieldRepr):
    """The rows of the three tables, in memory (a :class:`RowSource`)."""

    reports: list[Row] = attrs.field(factory=list)
    findings: list[Row] = attrs.field(factory=list)
    failures: list[Row] = attrs.field(factory=list)

    def add(self, result: Result) -> None:
        report, findings, failure = rows_of(result)
        if failure is not None:
            self.failures.append(failure)
        if report is not None:
            self.reports.append(report)
        self.findings += findings

    def add_findings(self, path: str, findings: Iterable[Finding]) -> None:
        self.findings += rows_of_findings(path, findings)

    def converted(self) -> set[str]:
        return {str(row["file"]) for row in self.reports}

    def without(self, files: set[str]) -> BatchTables:
        """These tables less every row about ``files`` (to be read again)."""
        return BatchTables([r for r in self.reports if str(r["file"]) not in files],
                           [r for r in self.findings if str(r["file"]) not in files],
                           [r for r in self.failures if str(r["file"]) not in files])

    def extend(self, other: BatchTables) -> None:
        self.reports += other.reports
        self.findings += other.findings
        self.failures += other.failures

    def report_rows(self, *, by_status: bool = False) -> list[Row]:
        if not by_status:
            return self.reports
        return sorted(self.reports, key=lambda r: (not r.get("errors"), not r.get("warnings"), str(r["file"])))

    def finding_rows(self, *, errors_first: bool = False) -> list[Row]:
        if not errors_first:
            return self.findings
        return sorted(self.findings, key=lambda f: (f.get("severity") != "error", str(f["file"])))

    def findings_of(self, file: str) -> list[Row]:
        return [f for f in self.findings if str(f["file"]) == file]

    def failure_rows(self) -> list[Row]:
        return sorted(self.failures, key=lambda f: str(f["file"]))

    def report_of(self, file: str) -> Row | None:
        return next((r for r in self.reports if str(r["file"]) == file), None)


def printable_name(path: str) -> str:
    """A file name any output can hold: bytes that are not UTF-8 (names unzipped from a GBK archive on
    Linux) shown as ``\\xNN`` instead of breaking the export."""
    try:
        path.encode("utf-8")
        return path
    except UnicodeEncodeError:
        return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def output_files(output: str | os.PathLike[str]) -> list[Path]:
    """The files an output name stands for (three for .csv and .parquet)."""
    path = Path(output)
    if path.suffix in (".csv", ".parquet"):
        return [path, path.with_suffix(f".findings{path.suffix}"), path.with_suffix(f".failures{path.suffix}")]
    return [path]


def check_output(output: str | os.PathLike[str]) -> None:
    """Refuse an output that cannot be written, before anything is read: a wrong suffix, a missing or
    read-only folder, a folder in the way."""
    path = Path(output)
    if path.suffix.lower() not in SUFFIXES:
        raise WriterError(f"a batch output must end with one of {', '.join(SUFFIXES)}", str(output))
    if path.suffix.lower() == ".parquet":
        _pyarrow(str(output))
    folder = path.parent
    if not folder.is_dir():
        raise WriterError(f"the folder {folder} does not exist", str(output))
    for target in output_files(path):
        if target.is_dir():
            raise WriterError("is a folder; give a file name", str(target))
        if (target.exists() and not os.access(target, os.W_OK)) or not os.access(folder, os.W_OK):
            raise WriterError("cannot be written (no permission)", str(target))


def write_tables(tables: RowSource, output: str | os.PathLike[str]) -> list[Path]:
    """Write the three tables to ``output``, row by row; returns the files written.

    Each file is written to a temporary name beside its target and renamed into place only when all of
    them are complete, so an interrupted run leaves the previous output as it was.
    """
    path = Path(output)
    check_output(path)
    suffix = path.suffix.lower()
    targets = output_files(path)
    with contextlib.ExitStack() as files:
        streams = [files.enter_context(atomic_output(target)) for target in targets]
        if suffix == ".xlsx":
            audit_workbook(tables, streams[0])
        elif suffix == ".jsonl":
            _jsonl(tables, streams[0])
        else:
            write = _csv if suffix == ".csv" else _parquet
            sources = (lambda: tables.report_rows(), lambda: tables.finding_rows(), lambda: tables.failure_rows())
            for stream, rows, columns in zip(streams, sources, (REPORT_COLUMNS, FINDING_COLUMNS, FAILURE_COLUMNS),
                                             strict=True):
                write(stream, rows, columns)
    return targets


def load_tables(output: str | os.PathLike[str]) -> BatchTables | None:
    """The tables of an earlier run, in memory; None when there is no earlier output."""
    if not Path(output).exists():
        return None
    tables = BatchTables()
    lists = {"report": tables.reports, "finding": tables.findings, "failure": tables.failures}
    for kind, row in previous_rows(output):
        lists[kind].append(row)
    return tables


def previous_rows(output: str | os.PathLike[str]) -> Iterator[tuple[str, Row]]:
    """The rows of an earlier run's output, one at a time, as ("report" | "finding" | "failure", row)."""
    path = Path(output)
    if not path.exists():
        return
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        yield from _xlsx_rows(path)
    elif suffix == ".jsonl":
        yield from _jsonl_rows(path)
    else:
        read = _read_csv if suffix == ".csv" else _read_parquet
        for kind, target in zip(("report", "finding", "failure"), output_files(path), strict=True):
            yield from ((kind, row) for row in read(target))


def _xlsx_rows(path: Path) -> Iterator[tuple[str, Row]]:
    book = load_workbook(path, read_only=True)
    try:
        if SHEETS[2] in book.sheetnames:
            yield from audit_rows(book)
            return
        for kind, name in (("report", "reports"), ("finding", "findings"), ("failure", "failures")):
            if name in book.sheetnames:
                yield from ((kind, row) for row in _sheet_rows(book[name]))
    finally:
        book.close()


def _jsonl_rows(path: Path) -> Iterator[tuple[str, Row]]:
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if not line.strip():
                continue
            record = json.loads(line)
            if record.get("ok"):
                yield "report", {"file": record["file"], "format": record.get("format"), **record["flat"],
                                 **record.get("counts", {})}
                yield from (("finding", {"file": record["file"], **f}) for f in record.get("findings", []))
            else:
                yield "failure", {k: record.get(k) for k in FAILURE_COLUMNS}


# --- formats ---------------------------------------------------------------------------------------

def _sheet_rows(sheet: Any) -> Iterator[Row]:
    rows = sheet.iter_rows(values_only=True)
    header = next(rows, None)
    if not header:
        return
    yield from (dict(zip(header, row, strict=False)) for row in rows if any(v is not None for v in row))


def _text_stream(stream: BinaryIO, encoding: str) -> io.TextIOWrapper:
    return io.TextIOWrapper(stream, encoding=encoding, newline="", write_through=False)


def _csv(stream: BinaryIO, rows: Callable[[], Iterable[Row]], columns: Sequence[str]) -> None:
    text = _text_stream(stream, "utf-8-sig")
    writer = csv.DictWriter(text, fieldnames=list(columns), extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in rows():
        writer.writerow({c: _csv_safe(row.get(c)) for c in columns})
    text.flush()
    text.detach()  # the stream is the atomic output's to close


#: What a spreadsheet program opening a CSV takes for the start of a formula.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _csv_safe(value: Any) -> Any:
    """A value for a CSV cell: text that a spreadsheet would run as a formula gets a leading apostrophe."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def _read_csv(path: Path) -> Iterator[Row]:
    if not path.exists():
        return
    with path.open(encoding="utf-8-sig", newline="") as handle:
        yield from ({k: _csv_value(v) for k, v in row.items()} for row in csv.DictReader(handle))


def _csv_value(text: str) -> str | None:
    if text == "":
        return None
    return text[1:] if text.startswith("'") and text[1:].startswith(_FORMULA_STARTS) else text


def _json_value(value: Any) -> Any:
    return str(value) if isinstance(value, Decimal) else value


def _jsonl(tables: RowSource, stream: BinaryIO) -> None:
    text = _text_stream(stream, "utf-8")
    flat_keys = [k for k in REPORT_COLUMNS if k not in ("file", "format", "errors", "warnings")]
    for row in tables.report_rows():
        findings = [{k: f[k] for k in FINDING_COLUMNS if k != "file"} for f in tables.findings_of(str(row["file"]))]
        line = {"file": row["file"], "ok": True, "format": row.get("format"),
                "flat": {k: _json_value(row.get(k)) for k in flat_keys},
                "counts": {"errors": row.get("errors"), "warnings": row.get("warnings")}, "findings": findings}
        text.write(json.dumps(line, ensure_ascii=False) + "\n")
    for row in tables.failure_rows():
        text.write(json.dumps({"ok": False, **{k: row.get(k) for k in FAILURE_COLUMNS}}, ensure_ascii=False) + "\n")
    text.flush()
    text.detach()


def _pyarrow(path: str) -> Any:
    try:
        import pyarrow.parquet as pq
    except ImportError as exc:
        raise MissingDependencyError(
            'writing Parquet needs pyarrow: pip install "govreport[parquet]"', path) from exc
    return pq


#: Rows written to Parquet at a time (one row group each): memory stays that of one group (reports carry
#: their section texts, so a group of 500 is some tens of megabytes on its way through Arrow).
PARQUET_GROUP_ROWS = 500


def _parquet(stream: BinaryIO, rows: Callable[[], Iterable[Row]], columns: Sequence[str]) -> None:
    """Two passes over the rows: the first finds each column's type, the second writes them group by group."""
    import pyarrow as pa

    pq = _pyarrow("parquet")
    kinds: dict[str, set[type]] = {c: set() for c in columns}
    for row in rows():
        for c in columns:
            value = plain_number(row.get(c))
            if value is not None:
                kinds[c].add(_kind(value))
    types = {c: _parquet_type(kinds[c]) for c in columns}
    schema = pa.schema([(c, t) for c, t in types.items()])
    with pq.ParquetWriter(stream, schema) as writer:
        source = iter(rows())
        while group := list(itertools.islice(source, PARQUET_GROUP_ROWS)):
            data = {c: [_typed(plain_number(r.get(c)), types[c]) for r in group] for c in columns}
            writer.write_table(pa.table(data, schema=schema))


def _kind(value: Any) -> type:
    """int, float or str: an integer beyond 64 bits is text (Parquet has no wider integer)."""
    if isinstance(value, bool):
        return str
    if isinstance(value, int):
        return int if -(2**63) <= value < 2**63 else str
    return float if isinstance(value, float) else str


def _parquet_type(kinds: set[type]) -> Any:
    import pyarrow as pa

    if kinds <= {int}:
        return pa.int64()
    if kinds <= {int, float}:
        return pa.float64()
    return pa.string()


def _typed(value: Any, kind: Any) -> Any:
    import pyarrow as pa

    if value is None:
        return None
    if kind == pa.string():
        return str(value)
    return float(value) if kind == pa.float64() else value


def _read_parquet(path: Path) -> Iterator[Row]:
    if not path.exists():
        return
    pq = _pyarrow(str(path))
    for batch in pq.ParquetFile(path).iter_batches(batch_size=PARQUET_GROUP_ROWS):
        yield from batch.to_pylist()


def plain_number(value: Any) -> Any:
    """A value as columnar tools take it: amounts (Decimal) as floats, everything else as it is."""
    return float(value) if isinstance(value, Decimal) else value
