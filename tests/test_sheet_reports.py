"""A whole report pasted into one spreadsheet (and saved as a workbook or as CSV): its text rows are
paragraphs, its tables grids between them."""

from __future__ import annotations

import csv

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


def _saved_as_delimited(workbook, path, delimiter: str) -> None:
    """The sheet saved as Excel saves it as CSV (or tab-separated text): values only, line breaks quoted."""
    sheet = openpyxl.load_workbook(workbook).active
    with open(path, "w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        for row in sheet.iter_rows(values_only=True):
            writer.writerow(["" if v is None else v for v in row])


@pytest.mark.parametrize(("suffix", "delimiter"), [(".csv", ","), (".tsv", "\t")])
def test_a_report_saved_as_csv_reads_like_the_page(suffix, delimiter, tmp_path):
    page = "fj_pingtan_2021.html"
    _pasted_into_a_sheet(page, tmp_path / "report.xlsx", False)
    path = tmp_path / f"report{suffix}"
    _saved_as_delimited(tmp_path / "report.xlsx", path, delimiter)
    report = govreport.read(path)
    assert report.source.format == "csv"
    sheet = govreport.flatten(report)
    expected = govreport.flatten(govreport.read(DATA / page))
    assert {k: sheet[k] for k in expected if k.startswith(("t2.", "t3.", "t4."))} == \
        {k: v for k, v in expected.items() if k.startswith(("t2.", "t3.", "t4."))}
    assert sheet["text.problems"] == expected["text.problems"]
    # The same bytes named .txt are read as text, as before: the suffix decides between the two readers.
    renamed = tmp_path / "report.txt"
    renamed.write_bytes(path.read_bytes())
    assert govreport.read(renamed).source.format == "txt"


def test_broken_delimited_text_is_a_clear_error(tmp_path):
    path = tmp_path / "broken.csv"
    path.write_bytes(b"a,b\n\"x\x00y\",1\n")
    with pytest.raises(govreport.GovReportError) as raised:
        govreport.read(path)
    assert "broken.csv" in str(raised.value)


@pytest.mark.parametrize("page", ["fj_pingtan_2019.html", "fj_pingtan_2024.html"])
def test_a_pages_tables_exported_by_pandas_read_as_csv_and_workbook(page, tmp_path):
    # pandas.read_html repeats a merged cell's text in every column and row it covers and heads each table
    # with a row numbering its columns (0 1 2 … 14); to_csv of the tables one under the other leaves a
    # blank line between them, to_excel gives each a sheet.
    import io

    import pandas as pd

    tables = [t for t in pd.read_html(io.StringIO((DATA / page).read_text(encoding="utf-8"))) if t.size >= 4]
    with open(tmp_path / "tables.csv", "w", encoding="utf-8", newline="") as out:
        for table in tables:
            table.to_csv(out, index=False)
            out.write("\n")
    with pd.ExcelWriter(tmp_path / "tables.xlsx") as book:
        for n, table in enumerate(tables):
            table.to_excel(book, sheet_name=f"table{n + 1}", index=False)
    expected = {k: v for k, v in govreport.flatten(govreport.read(DATA / page)).items()
                if k.startswith(("t2.", "t3.", "t4."))}
    for name in ("tables.csv", "tables.xlsx"):
        report = govreport.read(tmp_path / name)
        assert {k: report.value(k) for k in expected} == expected, name
