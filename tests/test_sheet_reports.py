"""A whole report pasted into one spreadsheet: its text rows are paragraphs, its tables grids between them."""

from __future__ import annotations

import openpyxl
import pytest
from conftest import DATA

import govreport
from govreport.body import focused
from govreport.document import Paragraph, Table
from govreport.readers import read_document


def _pasted_into_a_sheet(page: str, path, merged: bool) -> None:
    """The page's paragraphs one a row, its tables' rows as rows, as a user pastes a page into Excel."""
    document = focused(read_document((DATA / page).read_bytes(), page))
    book = openpyxl.Workbook()
    sheet = book.active
    row = 1
    for block in document.blocks:
        if isinstance(block, Paragraph) and block.text.strip():
            sheet.cell(row, 1, block.text)
            row += 1
        elif isinstance(block, Table):
            for cells in block.rows:
                for cell in cells:
                    sheet.cell(row + cell.row, 1 + cell.col, int(cell.text) if cell.text.isdigit() else cell.text)
                    if merged and (cell.rowspan > 1 or cell.colspan > 1):
                        sheet.merge_cells(start_row=row + cell.row, start_column=1 + cell.col,
                                          end_row=row + cell.row + cell.rowspan - 1, end_column=cell.col + cell.colspan)
            row += len(block.rows)
    book.save(path)


@pytest.mark.parametrize("merged", [True, False])
@pytest.mark.parametrize("page", ["fj_pingtan_2021.html", "js_shuyang_fgj_2023.html"])
def test_a_report_pasted_into_one_sheet_reads_like_the_page(page, merged, tmp_path):
    path = tmp_path / "report.xlsx"
    _pasted_into_a_sheet(page, path, merged)
    sheet = govreport.flatten(govreport.read(path))
    expected = govreport.flatten(govreport.read(DATA / page))
    assert {k: sheet[k] for k in expected if k.startswith(("t2.", "t3.", "t4."))} == \
        {k: v for k, v in expected.items() if k.startswith(("t2.", "t3.", "t4."))}
    for part in ("overview", "problems", "other_matters"):
        assert sheet[f"text.{part}"] == expected[f"text.{part}"]
