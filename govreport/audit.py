"""The audit workbook: a batch as the 政务公开 office that checks it wants to read it.

Four sheets, in Chinese, each ready to filter, read on screen and print:

- 概览: one row per file — agency, year, editions, status (通过 / 需核实 / 有错误 / 无法读取), counts of
  errors and warnings and the first error in words; the files that need attention first.
- 问题清单: every finding, errors first, with the cells it names in the form's words
  (``表三 · 商业企业 · （七）总计``) and, in a hidden last column, their flat keys for programs.
- 数据: one row per report under two header rows (table and row; column) and a hidden third row of flat
  keys; numbers as numbers; cells a finding names filled (red for errors, yellow for warnings).
- 无法读取: the files that could not be read, and why.

The workbook reads back (:func:`audit_rows`) into the same rows, so that ``convert --resume`` works on it.
"""

from __future__ import annotations

import copy
import itertools
import math
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any, BinaryIO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties

from .normalize import display_width, xml_safe
from .schema import all_flat_keys, label_parts

if TYPE_CHECKING:
    from openpyxl.cell.cell import Cell

    from .rowsource import Row, RowSource

#: A write-only worksheet: its layout attributes (column_dimensions, page_setup …) are made at run time,
#: which openpyxl's type stubs do not know.
Worksheet = Any

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


def audit_workbook(tables: RowSource, stream: BinaryIO) -> None:
    """The four sheets of a batch, written row by row to ``stream`` as an .xlsx file (a write-only workbook:
    memory stays that of a row, whatever the size of the batch)."""
    book = Workbook(write_only=True)
    sheets = [book.create_sheet(name) for name in SHEETS]
    _overview(sheets[0], tables)
    _findings(sheets[1], tables)
    _data(sheets[2], tables)
    _failures(sheets[3], tables)
    book.save(stream)


def status(row: Row | None, failed: bool = False) -> str:
    """通过 / 需核实 / 有错误 / 无法读取 for a report row (or a failure)."""
    if failed or row is None:
        return "无法读取"
    if row.get("errors"):
        return "有错误"
    return "需核实" if row.get("warnings") else "通过"


def _overview(sheet: Worksheet, tables: RowSource) -> None:
    def rows() -> Iterator[list[Any]]:
        for f in tables.failure_rows():
            yield [f["file"], None, None, None, None, "无法读取", None, None, f.get("error")]
        for r in tables.report_rows(by_status=True):
            first_error = next((str(f["message"]) for f in tables.findings_of(str(r["file"]))
                                if f.get("severity") == "error"), None) if r.get("errors") else None
            yield [r["file"], r.get("meta.agency"), r.get("meta.year"), r.get("meta.table2_edition"),
                   r.get("meta.table3_edition"), status(r), r.get("errors") or 0, r.get("warnings") or 0, first_error]

    _table(sheet, [list(OVERVIEW_COLUMNS)], rows, fills=lambda row: {6: _STATUS_FILLS.get(row[5])})


def _findings(sheet: Worksheet, tables: RowSource) -> None:
    def rows() -> Iterator[list[Any]]:
        report: Row | None = None
        for f in tables.finding_rows(errors_first=True):
            if report is None or str(report.get("file")) != str(f["file"]):
                report = tables.report_of(str(f["file"])) or {"file": f["file"]}
            keys = [k for k in str(f.get("keys") or "").split(", ") if k]
            yield [f["file"], report.get("meta.agency"), report.get("meta.year"),
                   SEVERITY_NAMES.get(str(f.get("severity")), f.get("severity")), f.get("rule"), f.get("message"),
                   _cells_in_words(keys), ", ".join(keys)]

    # The flat keys are for programs (and for reading the sheet back): hidden, so that the sheet reads and
    # prints as the office's list of problems.
    _table(sheet, [list(FINDING_COLUMNS)], rows, wrap={6, 7}, hidden_columns={len(FINDING_COLUMNS)})


def _cells_in_words(keys: Sequence[str]) -> str:
    named = "；".join(cell_words(k) for k in keys[:_LISTED_CELLS])
    return named + (f" 等 {len(keys)} 个单元格" if len(keys) > _LISTED_CELLS else "")


def cell_words(flat_key: str) -> str:
    """A cell as the form names it: ``表三 · 商业企业 · （七）总计``."""
    table, row, column = label_parts(flat_key)
    return " · ".join(p for p in (table, column, row) if p)


def _data(sheet: Worksheet, tables: RowSource) -> None:
    parts = [label_parts(k) if k not in _DATA_NAMES else ("", "", _DATA_NAMES[k]) for k in DATA_KEYS]
    headers = [[f"{t} {r}".strip() for t, r, _ in parts], [c for _, _, c in parts], list(DATA_KEYS)]
    column_of = {k: n for n, k in enumerate(DATA_KEYS, start=1)}

    def fills(row: list[Any]) -> dict[int, PatternFill | None]:
        # Cells a finding names are filled; an error's red wins over a warning's yellow.
        out: dict[int, PatternFill | None] = {}
        for f in tables.findings_of(str(row[0])):
            fill = _FILLS.get(str(f.get("severity")))
            for key in str(f.get("keys") or "").split(", "):
                if fill is not None and key in column_of and out.get(column_of[key]) is not _FILLS["error"]:
                    out[column_of[key]] = fill
        return out

    # Two hundred columns are not fitted to one page's width: they print across pages, with the header
    # rows and the file names repeated. The flat keys row is for programs, and for reading the sheet back.
    _table(sheet, headers, lambda: ([r.get(k) for k in DATA_KEYS] for r in tables.report_rows()),
           freeze=f"C{DATA_FIRST_ROW}", filter_row=2, fit_width=False, fills=fills, hidden_rows={3})
    sheet.print_title_cols = "A:B"


def _failures(sheet: Worksheet, tables: RowSource) -> None:
    _table(sheet, [list(FAILURE_COLUMNS)],
           lambda: ([f["file"], f.get("error_type"), f.get("error")] for f in tables.failure_rows()), wrap={3})


def _table(sheet: Worksheet, headers: list[list[Any]], rows: Callable[[], Iterable[list[Any]]], *,
           wrap: frozenset[int] | set[int] = frozenset(), freeze: str | None = None,
           filter_row: int | None = None, fit_width: bool = True,
           fills: Callable[[list[Any]], dict[int, PatternFill | None]] | None = None,
           hidden_rows: frozenset[int] | set[int] = frozenset(),
           hidden_columns: frozenset[int] | set[int] = frozenset()) -> None:
    """Header rows, then data rows as they come, with what makes the sheet usable: widths fitted to the
    header and the first rows, a frozen header, a filter, wrapped text with row heights, print set-up.

    A write-only sheet takes its layout before its rows, so ``rows`` is called twice: once for the widths
    (the first rows only), once to write.
    """
    widths = _fitted_widths(headers, itertools.islice(rows(), _WIDTH_SAMPLE))
    for column, width in widths.items():
        dimension = sheet.column_dimensions[get_column_letter(column)]
        dimension.width = width
        dimension.hidden = column in hidden_columns
    width = max(len(headers[0]), 1)
    sheet.freeze_panes = freeze or f"A{len(headers) + 1}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = "9"  # A4
    if fit_width:
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0
        sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.print_title_rows = f"1:{min(len(headers), 2)}"
    styles = _Styles()
    for n, header in enumerate(headers, start=1):
        style = n <= 2
        sheet.row_dimensions[n].hidden = n in hidden_rows
        sheet.append([_cell(sheet, styles, v, _BOLD if style else None, _HEADER_FILL if style else None,
                            _HEADER_ALIGN if style else None) for v in header])
    count = len(headers)
    for values in rows():
        count += 1
        row_fills = fills(values) if fills is not None else {}
        lines = _lines(values, wrap, widths)
        if lines > 1:
            sheet.row_dimensions[count].height = min(_MAX_LINES, lines) * _LINE_POINTS
        sheet.append([_cell(sheet, styles, v, None, row_fills.get(c), (_WRAP if c in wrap else _TOP) if wrap else None)
                      for c, v in enumerate(values, start=1)])
        if lines > 1:
            del sheet.row_dimensions[count]  # written with its row: keeping it would grow with the sheet
    top = filter_row or len(headers)
    sheet.auto_filter.ref = f"A{top}:{get_column_letter(width)}{max(count, top)}"


#: Rows (after the header) whose text the column widths are fitted to.
_WIDTH_SAMPLE = 200
_HEADER_ALIGN = Alignment(wrap_text=True, vertical="center")


class _Styles:
    """The cell formats of one sheet, each combination of font, fill and alignment worked out once.

    openpyxl finds a format's number in the workbook by hashing it, field by field, each time a cell is
    given one: for the tens of thousands of filled and wrapped cells of a large batch that was a sixth of
    writing the workbook. The numbers found for a combination are copied to the next cell that has it (as
    openpyxl copies a cell's format itself: its ``_style``, an array of those numbers).
    """

    def __init__(self) -> None:
        self._numbers: dict[tuple[int, int, int], Any] = {}

    def apply(self, cell: Cell, font: Font | None, fill: PatternFill | None, alignment: Alignment | None) -> None:
        key = (id(font), id(fill), id(alignment))
        numbers = self._numbers.get(key)
        if numbers is not None:
            cell._style = copy.copy(numbers)  # type: ignore[attr-defined]  # openpyxl's own, not in its stubs
            return
        if font is not None:
            cell.font = font
        if fill is not None:
            cell.fill = fill
        if alignment is not None:
            cell.alignment = alignment
        self._numbers[key] = copy.copy(cell._style)  # type: ignore[attr-defined]


def _cell(sheet: Worksheet, styles: _Styles, value: Any, font: Font | None, fill: PatternFill | None,
          alignment: Alignment | None) -> Cell | Any:
    value = safe_value(value)
    if font is None and fill is None and alignment is None and not (isinstance(value, str) and value[:1] == "="):
        return value  # a plain value: no cell object to make (a sheet of a hundred thousand rows)
    cell = WriteOnlyCell(sheet, value)
    if isinstance(cell.value, str) and cell.value.startswith("="):
        cell.data_type = "s"  # text that starts with = stays text, never a live formula
    if font is not None or fill is not None or alignment is not None:
        styles.apply(cell, font, fill, alignment)
    return cell


def _fitted_widths(headers: list[list[Any]], rows: Iterable[list[Any]]) -> dict[int, float]:
    """Column widths that fit the header and the first rows' text (CJK characters count double)."""
    widths: dict[int, float] = {}
    for values in itertools.chain(headers, rows):
        for column, value in enumerate(values, start=1):
            if value is None:
                continue
            longest = max(display_width(line) for line in str(safe_value(value)).split("\n"))
            widths[column] = max(widths.get(column, 0), longest)
    return {c: min(_MAX_WIDTH, max(6, w + 2)) for c, w in widths.items()}


def _lines(values: list[Any], wrap: Iterable[int], widths: dict[int, float]) -> int:
    """Lines the tallest wrapped cell of a row takes: not every spreadsheet program grows a row by itself,
    and a row too low prints its lines over the next one."""
    lines = 1
    for column in wrap:
        value = values[column - 1] if column <= len(values) else None
        if value is None:
            continue
        width = max(1.0, widths.get(column, 10) - 1)
        lines = max(lines, sum(math.ceil(max(1, display_width(part)) / width) for part in str(value).split("\n")))
    return lines


def safe_value(value: Any) -> Any:
    """A value as a cell may hold it: numbers as numbers, text never a formula nor control characters."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() and abs(value) < 10**15 else float(value)
    if isinstance(value, int) and abs(value) >= 10**15:
        return str(value)  # Excel keeps 15 digits: a longer number is text, not a rounded number
    if isinstance(value, str):
        return xml_safe(value)
    return value


def audit_rows(book: Any) -> Iterator[tuple[str, Row]]:
    """The reports, findings and failures rows of an audit workbook, one at a time (for ``--resume``)."""
    severities = {v: k for k, v in SEVERITY_NAMES.items()}
    data = book[SHEETS[2]].iter_rows(min_row=3, values_only=True)
    first = next(data, None)
    keys = [str(k) for k in first] if first else []
    for row in data:
        if any(v is not None for v in row):
            yield "report", dict(zip(keys, row, strict=False))
    for r in book[SHEETS[1]].iter_rows(min_row=2, values_only=True):
        if r[0]:
            yield "finding", {"file": r[0], "rule": r[4], "severity": severities.get(r[3], r[3]), "message": r[5],
                              "keys": r[7] or ""}
    for r in book[SHEETS[3]].iter_rows(min_row=2, values_only=True):
        if r[0]:
            yield "failure", {"file": r[0], "error_type": r[1], "error": r[2]}
