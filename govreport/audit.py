"""The audit workbook: a batch as the 政务公开 office that checks it wants to read it.

Four sheets, in Chinese, each ready to filter, read on screen and print:

- 概览: one row per file — agency, year, editions, status (通过 / 需核实 / 有错误 / 无法读取), counts of
  errors and warnings and the first error in words; the files that need attention first.
- 问题清单: every finding, errors first, with the cells it names in the form's words
  (``表三 · 商业企业 · （七）总计``) and, in a hidden last column, their flat keys for programs.
- 数据: one row per report under two header rows (table and row; column) and a hidden third row of flat
  keys; numbers as numbers; cells a finding names filled (red for errors, yellow for warnings).
- 无法读取: the files that could not be read, and why.

The workbook reads back (:func:`load_audit`) into the same rows, so that ``convert --resume`` works on it.
"""

from __future__ import annotations

import io
import math
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties

from .normalize import display_width
from .schema import all_flat_keys, label_parts

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

    from .export import BatchTables, Row

SHEETS = ("概览", "问题清单", "数据", "无法读取")
STATUS_ORDER = ("无法读取", "有错误", "需核实", "通过")
SEVERITY_NAMES = {"error": "错误", "warning": "警告", "info": "提示"}
OVERVIEW_COLUMNS = ("文件", "单位", "年度", "表二版本", "表三版本", "状态", "错误数", "警告数", "首个错误")
FINDING_COLUMNS = ("文件", "单位", "年度", "严重程度", "规则", "说明", "涉及单元格", "涉及字段")
FAILURE_COLUMNS = ("文件", "错误类型", "原因")
DATA_KEYS: tuple[str, ...] = ("file", "format", *all_flat_keys(), "errors", "warnings")
_DATA_NAMES = {"file": "文件", "format": "格式", "errors": "错误数", "warnings": "警告数"}
#: Data rows start below the two header rows and the hidden row of flat keys.
DATA_FIRST_ROW = 4

_BOLD = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_FILLS = {"error": PatternFill("solid", fgColor="F8CBAD"), "warning": PatternFill("solid", fgColor="FFF2CC")}
_STATUS_FILLS = {"无法读取": _FILLS["error"], "有错误": _FILLS["error"], "需核实": _FILLS["warning"]}
_WRAP = Alignment(wrap_text=True, vertical="top")
_TOP = Alignment(vertical="top")
_MAX_WIDTH = 60
#: Cells named in words per finding; the flat keys column beside lists them all.
_LISTED_CELLS = 6
#: A wrapped row grows by this many points a line, up to this many lines (Excel's limit is 409 points).
_LINE_POINTS = 15
_MAX_LINES = 25


def audit_workbook(tables: BatchTables) -> bytes:
    """The four sheets of a batch, as the bytes of an .xlsx file."""
    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    by_file = {str(r["file"]): r for r in tables.reports}
    findings = sorted(tables.findings, key=lambda f: (f.get("severity") != "error", str(f["file"])))
    _overview(book.create_sheet(SHEETS[0]), tables, findings)
    _findings(book.create_sheet(SHEETS[1]), findings, by_file)
    _data(book.create_sheet(SHEETS[2]), tables.reports, findings)
    _failures(book.create_sheet(SHEETS[3]), tables.failures)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def status(row: Row | None, failed: bool = False) -> str:
    """通过 / 需核实 / 有错误 / 无法读取 for a report row (or a failure)."""
    if failed or row is None:
        return "无法读取"
    if row.get("errors"):
        return "有错误"
    return "需核实" if row.get("warnings") else "通过"


def _overview(sheet: Worksheet, tables: BatchTables, findings: Sequence[Row]) -> None:
    first_error: dict[str, str] = {}
    for f in findings:
        if f.get("severity") == "error":
            first_error.setdefault(str(f["file"]), str(f["message"]))
    rows = [[r["file"], r.get("meta.agency"), r.get("meta.year"), r.get("meta.table2_edition"),
             r.get("meta.table3_edition"), status(r), r.get("errors") or 0, r.get("warnings") or 0,
             first_error.get(str(r["file"]))] for r in tables.reports]
    rows += [[f["file"], None, None, None, None, "无法读取", None, None, f.get("error")] for f in tables.failures]
    rows.sort(key=lambda r: (STATUS_ORDER.index(r[5]), str(r[0])))
    _table(sheet, [list(OVERVIEW_COLUMNS)], rows)
    for n, row in enumerate(rows, start=2):
        fill = _STATUS_FILLS.get(row[5])
        if fill is not None:
            sheet.cell(n, 6).fill = fill


def _findings(sheet: Worksheet, findings: Sequence[Row], by_file: dict[str, Row]) -> None:
    rows = []
    for f in findings:
        report = by_file.get(str(f["file"]), {})
        keys = [k for k in str(f.get("keys") or "").split(", ") if k]
        rows.append([f["file"], report.get("meta.agency"), report.get("meta.year"),
                     SEVERITY_NAMES.get(str(f.get("severity")), f.get("severity")), f.get("rule"), f.get("message"),
                     _cells_in_words(keys), ", ".join(keys)])
    _table(sheet, [list(FINDING_COLUMNS)], rows, wrap={6, 7})
    # The flat keys are for programs (and for reading the sheet back): hidden, so that the sheet reads and
    # prints as the office's list of problems.
    sheet.column_dimensions[get_column_letter(len(FINDING_COLUMNS))].hidden = True


def _cells_in_words(keys: Sequence[str]) -> str:
    named = "；".join(cell_words(k) for k in keys[:_LISTED_CELLS])
    return named + (f" 等 {len(keys)} 个单元格" if len(keys) > _LISTED_CELLS else "")


def cell_words(flat_key: str) -> str:
    """A cell as the form names it: ``表三 · 商业企业 · （七）总计``."""
    table, row, column = label_parts(flat_key)
    return " · ".join(p for p in (table, column, row) if p)


def _data(sheet: Worksheet, reports: Sequence[Row], findings: Sequence[Row]) -> None:
    parts = [label_parts(k) if k not in _DATA_NAMES else ("", "", _DATA_NAMES[k]) for k in DATA_KEYS]
    headers = [[f"{t} {r}".strip() for t, r, _ in parts], [c for _, _, c in parts], list(DATA_KEYS)]
    rows = [[r.get(k) for k in DATA_KEYS] for r in reports]
    # Two hundred columns are not fitted to one page's width: they print across pages, with the header
    # rows and the file names repeated.
    _table(sheet, headers, rows, freeze=f"C{DATA_FIRST_ROW}", filter_row=2, fit_width=False)
    sheet.print_title_cols = "A:B"
    sheet.row_dimensions[3].hidden = True  # the flat keys: for programs, and for reading the sheet back
    column_of = {k: n for n, k in enumerate(DATA_KEYS, start=1)}
    row_of = {str(r["file"]): n for n, r in enumerate(reports, start=DATA_FIRST_ROW)}
    for f in reversed(findings):  # errors last, so that an error's red wins over a warning's yellow
        fill = _FILLS.get(str(f.get("severity")))
        n = row_of.get(str(f["file"]))
        if fill is None or n is None:
            continue
        for key in str(f.get("keys") or "").split(", "):
            if key in column_of:
                sheet.cell(n, column_of[key]).fill = fill


def _failures(sheet: Worksheet, failures: Sequence[Row]) -> None:
    rows = [[f["file"], f.get("error_type"), f.get("error")] for f in failures]
    _table(sheet, [list(FAILURE_COLUMNS)], rows, wrap={3})


def _table(sheet: Worksheet, headers: list[list[Any]], rows: Iterable[list[Any]], *,
           wrap: frozenset[int] | set[int] = frozenset(), freeze: str | None = None,
           filter_row: int | None = None, fit_width: bool = True) -> None:
    """Header rows, data rows, then what makes the sheet usable: widths, a frozen header, a filter, print set-up."""
    for row in (*headers, *rows):
        _append(sheet, row)
    for header_row in range(1, min(len(headers), 2) + 1):
        for cell in sheet[header_row]:
            cell.font, cell.fill, cell.alignment = _BOLD, _HEADER_FILL, Alignment(wrap_text=True, vertical="center")
    _fit_widths(sheet, len(headers))
    if wrap:
        _wrap(sheet, len(headers) + 1, wrap)
    last = get_column_letter(max(1, sheet.max_column))
    sheet.freeze_panes = freeze or f"A{len(headers) + 1}"
    top = filter_row or len(headers)
    sheet.auto_filter.ref = f"A{top}:{last}{max(sheet.max_row, top)}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    if fit_width:
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0
        sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.print_title_rows = f"1:{min(len(headers), 2)}"


def safe_value(value: Any) -> Any:
    """A value as a cell may hold it: numbers as numbers, text never a formula nor control characters."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() and abs(value) < 10**15 else float(value)
    if isinstance(value, int) and abs(value) >= 10**15:
        return str(value)  # Excel keeps 15 digits: a longer number is text, not a rounded number
    if isinstance(value, str):
        return "".join(ch for ch in value if ch in "\t\n\r" or ord(ch) >= 32)
    return value


def _append(sheet: Worksheet, values: Iterable[Any]) -> None:
    sheet.append([safe_value(v) for v in values])
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str) and cell.value.startswith("="):
            cell.data_type = "s"  # text that starts with = stays text, never a live formula


def _fit_widths(sheet: Worksheet, header_rows: int) -> None:
    """Column widths that fit the header and the first rows' text (CJK characters count double)."""
    widths: dict[int, float] = {}
    for row in sheet.iter_rows(min_row=1, max_row=min(sheet.max_row, header_rows + 200)):
        for cell in row:
            if cell.value is None:
                continue
            longest = max(display_width(line) for line in str(cell.value).split("\n"))
            widths[cell.column] = max(widths.get(cell.column, 0), longest)
    for column, width in widths.items():
        sheet.column_dimensions[get_column_letter(column)].width = min(_MAX_WIDTH, max(6, width + 2))


def _wrap(sheet: Worksheet, first_row: int, columns: Iterable[int]) -> None:
    """Wrap long text in ``columns``, with row heights set for it: not every spreadsheet program grows a
    row by itself, and a row too low prints its lines over the next one."""
    widths = {c: sheet.column_dimensions[get_column_letter(c)].width or 10 for c in columns}
    for row in sheet.iter_rows(min_row=first_row):
        lines = 1
        for cell in row:
            cell.alignment = _WRAP if cell.column in widths else _TOP
            if cell.column in widths and cell.value is not None:
                width = max(1.0, widths[cell.column] - 1)
                lines = max(lines, sum(math.ceil(max(1, display_width(part)) / width)
                                       for part in str(cell.value).split("\n")))
        if lines > 1:
            sheet.row_dimensions[row[0].row or 0].height = min(_MAX_LINES, lines) * _LINE_POINTS


def load_audit(book: Any) -> tuple[list[Row], list[Row], list[Row]]:
    """The reports, findings and failures rows of an audit workbook (for ``--resume``)."""
    severities = {v: k for k, v in SEVERITY_NAMES.items()}
    data = list(book[SHEETS[2]].iter_rows(min_row=3, values_only=True))
    keys = [str(k) for k in data[0]] if data else []
    reports = [dict(zip(keys, row, strict=False)) for row in data[1:] if any(v is not None for v in row)]
    findings = [{"file": r[0], "rule": r[4], "severity": severities.get(r[3], r[3]), "message": r[5],
                 "keys": r[7] or ""} for r in book[SHEETS[1]].iter_rows(min_row=2, values_only=True) if r[0]]
    failures = [{"file": r[0], "error_type": r[1], "error": r[2]}
                for r in book[SHEETS[3]].iter_rows(min_row=2, values_only=True) if r[0]]
    return reports, findings, failures
