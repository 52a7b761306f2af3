"""Excel workbooks: those govreport writes, and the blank template once an agency has filled it in.

Each sheet becomes a table grid (merged ranges kept as spans) whose cell text is the number as the cell's
number format prints it; the assembler recognises tables 2–4 by their labels as in any other format. The
报告 sheet, when present, states the metadata and the text of each part outright.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

from ..document import Block, Document, Paragraph, build_table
from ..errors import UnreadableFileError
from ..numfmt import render
from ..settings import options
from ..workbook import DATA_SHEET, EMPTY_PART, INFO_ROWS, INFO_SHEET
from . import BUILTIN_EXTENSIONS, check_package, sniff_kind

_INFO_KEYS = {key for key, _ in INFO_ROWS}


class XlsxReader:
    name = "xlsx"
    extensions = BUILTIN_EXTENSIONS["xlsx"]

    def sniff(self, head: bytes) -> int:
        return 90 if sniff_kind(head) == "xlsx" else 0

    def read(self, data: bytes, path: str | None = None) -> Document:
        try:
            check_package(zipfile.ZipFile(io.BytesIO(data)), path)
            from openpyxl import load_workbook  # here: importing openpyxl costs a third of a second

            book = load_workbook(io.BytesIO(data), data_only=True)
        except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
            raise UnreadableFileError(f"the Excel workbook cannot be opened ({exc})", path) from exc
        fields: dict[str, str] = {}
        blocks: list[Block] = []
        for sheet in book.worksheets:
            if sheet.max_row * sheet.max_column > options().limits.max_sheet_cells:
                raise UnreadableFileError(
                    f"the sheet {sheet.title!r} addresses {sheet.max_row} × {sheet.max_column} cells, past the "
                    f"limit of {options().limits.max_sheet_cells}", path)
            if sheet.title == DATA_SHEET:
                continue  # a copy of the grids in long form, for people; the grids are what counts
            if sheet.title == INFO_SHEET and _is_info(sheet):
                fields.update(_info_fields(sheet))
                continue
            grid = _sheet_grid(sheet)
            if grid.rows:
                blocks.append(Paragraph(sheet.title))
                blocks.append(grid)
        title = fields.get("meta.title")
        return Document.of(blocks, self.name, path, title, fields)


def _is_info(sheet: Worksheet) -> bool:
    return any(row[0] in _INFO_KEYS for row in sheet.iter_rows(min_row=2, max_col=1, values_only=True))


def _info_fields(sheet: Worksheet) -> dict[str, str]:
    fields: dict[str, str] = {}
    for row in sheet.iter_rows(min_row=2, max_col=4, values_only=True):
        key, _, value, note = (*row, None, None, None, None)[:4]
        if key not in _INFO_KEYS:
            continue
        if value is None or value == "":
            if note == EMPTY_PART:
                fields[str(key)] = ""
            continue
        if isinstance(value, dt.datetime):
            value = value.date().isoformat()
        elif isinstance(value, dt.date):
            value = value.isoformat()
        elif isinstance(value, float) and value.is_integer():
            value = int(value)
        fields[str(key)] = str(value)
    return fields


def cell_text(value: object, number_format: str | None) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, (int, float)):
        return render(value, number_format)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _sheet_grid(sheet: Worksheet):
    """The used part of a sheet as a table grid, merged ranges as spans."""
    spans: dict[tuple[int, int], tuple[int, int]] = {}
    covered: set[tuple[int, int]] = set()
    for merged in sheet.merged_cells.ranges:
        spans[(merged.min_row, merged.min_col)] = (merged.max_row - merged.min_row + 1,
                                                  merged.max_col - merged.min_col + 1)
        for r in range(merged.min_row, merged.max_row + 1):
            for c in range(merged.min_col, merged.max_col + 1):
                if (r, c) != (merged.min_row, merged.min_col):
                    covered.add((r, c))
    rows = []
    # Rows of empty cells count: a table whose value row is entirely blank still has that row.
    for r, row in enumerate(sheet.iter_rows(), start=1):
        cells = []
        for cell in row:
            position = (r, cell.column or 0)
            if position in covered:
                continue
            rowspan, colspan = spans.get(position, (1, 1))
            cells.append((cell_text(cell.value, cell.number_format), rowspan, colspan))
        rows.append(cells)
    return build_table(rows)


READER = XlsxReader()
