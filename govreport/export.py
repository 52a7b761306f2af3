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

import csv
import io
import json
import os
from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
from openpyxl import load_workbook

from .atomic import atomic_output
from .audit import SHEETS, audit_workbook, load_audit
from .batch import Result
from .errors import MissingDependencyError, WriterError
from .flatten import flatten
from .model import Finding
from .schema import all_flat_keys

REPORT_COLUMNS: tuple[str, ...] = ("file", "format", *all_flat_keys(), "errors", "warnings")
FINDING_COLUMNS: tuple[str, ...] = ("file", "rule", "severity", "message", "keys")
FAILURE_COLUMNS: tuple[str, ...] = ("file", "error_type", "error")
SUFFIXES = (".xlsx", ".csv", ".jsonl", ".parquet")

Row = dict[str, Any]


@attrs.define
class BatchTables:
    """The rows of the three tables."""

    reports: list[Row] = attrs.field(factory=list)
    findings: list[Row] = attrs.field(factory=list)
    failures: list[Row] = attrs.field(factory=list)

    def add(self, result: Result) -> None:
        name = printable_name(result.path)
        if result.report is None:
            self.failures.append({"file": name, "error_type": result.error_type, "error": result.error})
            return
        errors = sum(1 for f in result.findings if f.severity == "error")
        row: Row = {"file": name, "format": result.report.source.format}
        row.update(flatten(result.report))
        row.update(errors=errors, warnings=len(result.findings) - errors)
        self.reports.append(row)
        self.add_findings(name, result.findings)

    def add_findings(self, path: str, findings: Iterable[Finding]) -> None:
        for f in findings:
            self.findings.append({"file": path, "rule": f.rule, "severity": f.severity, "message": f.message,
                                  "keys": ", ".join(f.keys)})

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


def write_tables(tables: BatchTables, output: str | os.PathLike[str]) -> list[Path]:
    """Write the three tables to ``output``; returns the files written."""
    path = Path(output)
    check_output(path)
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        payloads = [_xlsx(tables)]
    elif suffix == ".jsonl":
        payloads = [_jsonl(tables)]
    else:
        encode = _csv if suffix == ".csv" else _parquet
        payloads = [encode(rows, columns) for rows, columns in zip(
            (tables.reports, tables.findings, tables.failures), (REPORT_COLUMNS, FINDING_COLUMNS, FAILURE_COLUMNS),
            strict=True)]
    # Everything is encoded before any file is touched; each file is then replaced atomically.
    targets = output_files(path)
    for payload, target in zip(payloads, targets, strict=True):
        with atomic_output(target) as stream:
            stream.write(payload)
    return targets


def load_tables(output: str | os.PathLike[str]) -> BatchTables | None:
    """The tables of an earlier run (for ``--resume``); None when there is no earlier output."""
    path = Path(output)
    if not path.exists():
        return None
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        book = load_workbook(path, read_only=True)
        try:
            if SHEETS[2] in book.sheetnames:
                return BatchTables(*load_audit(book))
            sheets = [_sheet_rows(book[name]) if name in book.sheetnames else []
                      for name in ("reports", "findings", "failures")]
            return BatchTables(*sheets)
        finally:
            book.close()
    if suffix == ".jsonl":
        tables = BatchTables()
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                record = json.loads(line)
                if record.get("ok"):
                    tables.reports.append({"file": record["file"], "format": record.get("format"),
                                           **record["flat"], **record.get("counts", {})})
                    tables.findings += [{"file": record["file"], **f} for f in record.get("findings", [])]
                else:
                    tables.failures.append({k: record.get(k) for k in FAILURE_COLUMNS})
        return tables
    files = output_files(path)
    if suffix == ".csv":
        return BatchTables(*(_read_csv(f) for f in files))
    pq = _pyarrow(str(path))
    return BatchTables(*(pq.read_table(f).to_pylist() if f.exists() else [] for f in files))


# --- formats ---------------------------------------------------------------------------------------

def _cell_value(value: Any) -> Any:
    return float(value) if isinstance(value, Decimal) and value != value.to_integral_value() else (
        int(value) if isinstance(value, Decimal) else value)


def _xlsx(tables: BatchTables) -> bytes:
    return audit_workbook(tables)


def _sheet_rows(sheet: Any) -> list[Row]:
    rows = sheet.iter_rows(values_only=True)
    header = next(rows, None)
    if not header:
        return []
    return [dict(zip(header, row, strict=False)) for row in rows if any(v is not None for v in row)]


def _csv(rows: Sequence[Row], columns: Sequence[str]) -> bytes:
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=list(columns), extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({c: _csv_safe(row.get(c)) for c in columns})
    return text.getvalue().encode("utf-8-sig")


#: What a spreadsheet program opening a CSV takes for the start of a formula.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _csv_safe(value: Any) -> Any:
    """A value for a CSV cell: text that a spreadsheet would run as a formula gets a leading apostrophe."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def _read_csv(path: Path) -> list[Row]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return [{k: _csv_value(v) for k, v in row.items()} for row in csv.DictReader(handle)]


def _csv_value(text: str) -> str | None:
    if text == "":
        return None
    return text[1:] if text.startswith("'") and text[1:].startswith(_FORMULA_STARTS) else text


def _json_value(value: Any) -> Any:
    return str(value) if isinstance(value, Decimal) else value


def _jsonl(tables: BatchTables) -> bytes:
    findings: dict[str, list[Row]] = {}
    for f in tables.findings:
        findings.setdefault(str(f["file"]), []).append({k: f[k] for k in FINDING_COLUMNS if k != "file"})
    lines = []
    for row in tables.reports:
        flat = {k: _json_value(row.get(k)) for k in REPORT_COLUMNS if k not in ("file", "format", "errors",
                                                                                   "warnings")}
        lines.append({"file": row["file"], "ok": True, "format": row.get("format"), "flat": flat,
                      "counts": {"errors": row.get("errors"), "warnings": row.get("warnings")},
                      "findings": findings.get(str(row["file"]), [])})
    lines += [{"ok": False, **{k: row.get(k) for k in FAILURE_COLUMNS}} for row in tables.failures]
    return "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines).encode("utf-8")


def _pyarrow(path: str) -> Any:
    try:
        import pyarrow.parquet as pq
    except ImportError as exc:
        raise MissingDependencyError(
            'writing Parquet needs pyarrow: pip install "govreport[parquet]"', path) from exc
    return pq


def _parquet(rows: Sequence[Row], columns: Sequence[str]) -> bytes:
    import pyarrow as pa

    pq = _pyarrow("parquet")
    data = {c: _column([plain_number(row.get(c)) for row in rows]) for c in columns}
    table = pa.table({c: pa.array(v, type=_parquet_type(v)) for c, v in data.items()})
    buffer = io.BytesIO()
    pq.write_table(table, buffer)
    return buffer.getvalue()


def _column(values: list[Any]) -> list[Any]:
    """A column Parquet can type: one integer beyond 64 bits makes the whole column text."""
    if any(isinstance(v, int) and not -(2**63) <= v < 2**63 for v in values):
        return [None if v is None else str(v) for v in values]
    return values


def plain_number(value: Any) -> Any:
    """A value as columnar tools take it: amounts (Decimal) as floats, everything else as it is."""
    return float(value) if isinstance(value, Decimal) else value


def _parquet_type(values: list[Any]) -> Any:
    import pyarrow as pa

    kinds = {type(v) for v in values if v is not None}
    if kinds <= {int}:
        return pa.int64()
    if kinds <= {int, float}:
        return pa.float64()
    return pa.string() if kinds <= {str} else None
