"""The report as an Excel workbook laid out like the official tables (openpyxl).

Sheets: 报告 (metadata and the text of every part), 表二, 表三 and 表四 (the official grids of the editions
the report uses, with their merges and labels), and 数据 (one row per cell: key, label, value, printed text).
Numbers are stored as numbers; what the report printed around them (``元``, ``+``, thousands separators,
decimals) goes into the number format, so the workbook reads back to the same report.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from collections.abc import Sequence
from typing import BinaryIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from ..grids import Grid, grid_for
from ..model import Cell, Report, Table
from ..normalize import display_width, xml_safe
from ..numfmt import format_for
from ..schema import SECTIONS, Edition, label_of
from ..workbook import DATA_SHEET, EMPTY_PART, INFO_ROWS, INFO_SHEET, TABLE_SHEETS

_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", fgColor="F2F2F2")
_FONT = Font(name="宋体", size=11)
_BOLD = Font(name="宋体", size=11, bold=True)
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
_LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
_LINE_POINTS = 15
_COLUMN_WIDTHS = {2: [22, 16, 16, 16, 16], 3: [14, 16, 34] + [11] * 7, 4: [10] * 15}


def _text(value: str) -> str:
    return xml_safe(value)


def cell_value(cell: Cell | None) -> tuple[object, str]:
    """What to store for a report cell, and its number format."""
    if cell is None:
        return None, "General"
    if cell.value is not None and cell.kind == "number":
        return cell.value, format_for(cell.raw) if cell.raw.strip() else "General"
    if cell.raw.strip():
        return _text(cell.raw.strip()), "@"  # 无, —, /, or text that is no number: kept as printed
    return None, "General"


class XlsxWriter:
    name = "xlsx"
    extensions: tuple[str, ...] = ("xlsx",)

    def write(self, report: Report, stream: BinaryIO) -> None:
        book = Workbook()
        info = book.worksheets[0]
        info.title = INFO_SHEET
        _write_info(info, report)
        editions: dict[int, Edition | None] = {
            2: _edition(report.table2, report.meta.table2_edition),
            3: _edition(report.table3, report.meta.table3_edition),
            4: None,
        }
        for number, name in TABLE_SHEETS.items():
            _write_grid(book.create_sheet(name), grid_for(number, editions[number]), report.table(number))
        _write_data(book.create_sheet(DATA_SHEET), report, editions)
        # Saved in memory first: openpyxl leaves its ZIP open on the stream when saving fails halfway.
        buffer = io.BytesIO()
        book.save(buffer)
        stream.write(buffer.getvalue())


def _edition(table: Table | None, stated: Edition | None) -> Edition:
    return (table.edition if table is not None and table.edition else stated) or "2021"


def _write_info(sheet: Worksheet, report: Report) -> None:
    meta = report.meta
    values: dict[str, object] = {
        "meta.title": meta.title, "meta.agency": meta.agency, "meta.year": meta.year,
        "meta.published": meta.published, "meta.table2_edition": meta.table2_edition,
        "meta.table3_edition": meta.table3_edition,
    }
    for key in ("preamble", *(s.key for s in SECTIONS)):
        values[f"text.{key}"] = report.sections.get(key)
    sheet.append(["字段", "项目", "内容", "说明"])
    for key, label in INFO_ROWS:
        value = values[key]
        if isinstance(value, str):
            value = _text(value)
        sheet.append([key, label, value, EMPTY_PART if value == "" else None])
        if isinstance(value, dt.date):
            sheet.cell(sheet.max_row, 3).number_format = "yyyy-mm-dd"
    for row in sheet.iter_rows():
        for cell in row:
            cell.font = _FONT
            cell.alignment = Alignment(vertical="top", wrap_text=True)
            cell.border = _BORDER
    for cell in sheet[1]:
        cell.font, cell.fill = _BOLD, _HEADER_FILL
    sheet.column_dimensions["A"].width = 22
    sheet.column_dimensions["B"].width = 34
    sheet.column_dimensions["C"].width = 100
    sheet.column_dimensions["D"].width = 14
    sheet.freeze_panes = "A2"


def _write_grid(sheet: Worksheet, grid: Grid, table: Table | None) -> None:
    for cell in grid.cells:
        target = sheet.cell(cell.row + 1, cell.col + 1)
        if cell.key is None:
            target.value = cell.text
            target.font = _BOLD if cell.role == "caption" else _FONT
            target.alignment = _LEFT if cell.role == "row" else _CENTER
            if cell.role in ("header", "caption"):
                target.fill = _HEADER_FILL
        else:
            value, number_format = cell_value(table.cells.get(cell.key) if table is not None else None)
            target.value = value  # type: ignore[assignment]  # a number, a string or None
            target.number_format = number_format
            target.font = _FONT
            target.alignment = _CENTER
        for r in range(cell.row, cell.row + cell.rowspan):
            for c in range(cell.col, cell.col + cell.colspan):
                sheet.cell(r + 1, c + 1).border = _BORDER
        if cell.rowspan > 1 or cell.colspan > 1:
            sheet.merge_cells(start_row=cell.row + 1, start_column=cell.col + 1,
                              end_row=cell.row + cell.rowspan, end_column=cell.col + cell.colspan)
    widths = _COLUMN_WIDTHS[grid.number][: grid.width]
    for n, width in enumerate(widths):
        sheet.column_dimensions[get_column_letter(n + 1)].width = width
    _fit_rows(sheet, grid, widths)
    if grid.number == 3:
        sheet.freeze_panes = "D4"
    elif grid.number == 4:
        sheet.freeze_panes = "A4"
    _print_setup(sheet, grid)


def _fit_rows(sheet: Worksheet, grid: Grid, widths: Sequence[float]) -> None:
    """Row heights that show every wrapped label whole (（六）'s long labels take three lines): spreadsheet
    programs do not all grow rows by themselves, and a row too low prints its text over the next."""
    heights: dict[int, float] = {}
    for cell in grid.cells:
        if cell.key is not None or not cell.text:
            continue
        width = sum(widths[cell.col: cell.col + cell.colspan]) - 1
        lines = math.ceil(display_width(cell.text) / max(1.0, width))
        for row in range(cell.row, cell.row + cell.rowspan):
            heights[row] = max(heights.get(row, 0), lines * _LINE_POINTS / cell.rowspan)
    for row, height in heights.items():
        if height > _LINE_POINTS:
            sheet.row_dimensions[row + 1].height = min(409, height)


def _print_setup(sheet: Worksheet, grid: Grid) -> None:
    """Each official table on A4 across the page width, landscape for the wide tables 3 and 4, with its
    header rows repeated on every page it runs over."""
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "portrait" if grid.number == 2 else "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.print_options.horizontalCentered = True
    if grid.number in (3, 4):
        sheet.print_title_rows = "1:3"


def _write_data(sheet: Worksheet, report: Report, editions: dict[int, Edition | None]) -> None:
    sheet.append(["key", "label", "value", "raw", "kind", "unit"])
    for number in (2, 3, 4):
        table = report.table(number)
        grid = grid_for(number, editions[number])
        for grid_cell in grid.value_cells():
            key = f"t{number}.{grid_cell.key}"
            cell = table.cells.get(grid_cell.key or "") if table is not None else None
            value, number_format = cell_value(cell)
            sheet.append([key, label_of(key, editions[number]),
                          value if cell is not None and cell.value is not None else None,
                          _text(cell.raw) if cell else None, cell.kind if cell else None,
                          cell.unit if cell else None])
            sheet.cell(sheet.max_row, 3).number_format = number_format
    sheet.column_dimensions["A"].width = 44
    sheet.column_dimensions["B"].width = 60
    sheet.freeze_panes = "A2"


WRITER = XlsxWriter()
