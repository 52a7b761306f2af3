"""The writers against the official template, the workbook layout, atomic writes and the CLI commands."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest
from conftest import DATA

import govreport
from govreport import plugins
from govreport.cli import main
from govreport.normalize import normalize_label
from govreport.readers.docx import READER as DOCX_READER

SEED = DATA / "seed-001-xiangxiang-xinfang-2023.txt"


def docx_tables(data: bytes) -> list:
    return [b for b in DOCX_READER.read(data).blocks if not isinstance(b, plugins.Paragraph)]


def shape(table) -> tuple:
    """Grid size, merged regions and label texts of a table (value cells left out)."""
    merged = sorted((c.row, c.col, c.rowspan, c.colspan) for row in table.rows for c in row
                    if c.rowspan > 1 or c.colspan > 1)
    labels = sorted((c.row, c.col, normalize_label(c.text)) for row in table.rows for c in row
                    if normalize_label(c.text) and not govreport.normalize.parse_number(c.text).is_value_like)
    return len(table.rows), table.width, merged, labels


def test_docx_tables_match_the_official_template(tmp_path):
    report = govreport.read(SEED)  # a 2021-edition report
    written = govreport.write(report, tmp_path / "report.docx").read_bytes()
    ours = docx_tables(written)
    official = docx_tables((DATA / "official-template-2021.docx").read_bytes())
    assert len(ours) == len(official) == 3
    for mine, theirs in zip(ours, official, strict=True):
        assert shape(mine) == shape(theirs)


def test_docx_layout_follows_government_document_conventions(tmp_path):
    import docx
    document = docx.Document(str(govreport.write(govreport.read(SEED), tmp_path / "r.docx")))
    section = document.sections[0]
    # Word stores lengths in twentieths of a point: compare in whole millimetres.
    assert [round(x.mm) for x in (section.page_width, section.page_height)] == [210, 297]
    assert [round(x.mm) for x in (section.top_margin, section.bottom_margin, section.left_margin,
                                  section.right_margin)] == [37, 35, 28, 26]
    title = document.paragraphs[0]
    assert title.text == "湘乡市信访局2023年政府信息公开工作年度报告"
    fonts = title.style.element.rPr.rFonts
    assert fonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia") == "方正小标宋简体"
    headings = [p for p in document.paragraphs if p.text == "一、总体情况"]
    assert headings and headings[0].style.name == "报告一级标题"
    assert "PAGE" in document.sections[0].footer._element.xml


def test_workbook_layout(tmp_path):
    report = govreport.read(DATA / "sh_gov_office_2019_fragment.html")  # 2019 edition, blanks, 251000元
    book = openpyxl.load_workbook(govreport.write(report, tmp_path / "r.xlsx"))
    assert book.sheetnames == ["报告", "表二", "表三", "表四", "数据"]
    t3 = book["表三"]
    assert t3.max_row == 26 and t3.max_column == 10
    assert "A1:C3" in {str(r) for r in t3.merged_cells.ranges}
    assert t3.freeze_panes == "D4"
    assert t3["A6"].value == "三、本年度办理结果"
    assert t3["D4"].value == 821 and t3["F4"].value is None  # a number, and a blank cell left blank
    t2 = book["表二"]
    amount = next(c for row in t2.iter_rows() for c in row if c.value == 251000)
    assert amount.number_format == '0"元"'
    data = {row[0]: row for row in book["数据"].iter_rows(min_row=2, values_only=True)}
    assert data["t3.new_received.total"][2] == 859
    assert data["t2.centralized_procurement.amount"][3] == "251000元"
    info = {row[0]: row[2] for row in book["报告"].iter_rows(min_row=2, values_only=True)}
    assert info["meta.agency"] == "上海市人民政府办公厅" and info["meta.year"] == 2019


def test_write_is_atomic(tmp_path):
    report = govreport.read(SEED)
    target = tmp_path / "report.xlsx"
    target.write_bytes(b"previous")
    broken = govreport.Report(report.meta, govreport.Sections(overview="\ud800"), report.table2)
    with pytest.raises(govreport.WriterError, match=r"report\.xlsx"):
        govreport.write(broken, target)
    assert target.read_bytes() == b"previous"
    assert [p.name for p in tmp_path.iterdir()] == ["report.xlsx"]


def test_unknown_output_format(tmp_path):
    with pytest.raises(govreport.WriterError, match="odt"):
        govreport.write(govreport.read(SEED), tmp_path / "report.odt")


def test_template_and_fill(tmp_path, capsys):
    blank = tmp_path / "blank.xlsx"
    assert main(["template", "--edition", "2021", "--table3-edition", "2019", "-o", str(blank)]) == 0
    report = govreport.read(blank)
    assert report.meta.table2_edition == "2021" and report.meta.table3_edition == "2019"
    assert report.value("t3.other_total.total") is None and report.table3.cells["other_total.total"].kind == "blank"
    # An agency fills two cells of table 3 in Excel, then makes the Word report.
    book = openpyxl.load_workbook(blank)
    t3 = book["表三"]
    t3["D4"], t3["J4"] = 5, 5
    book["报告"]["C3"] = "某某县人民政府"
    book["报告"]["C4"] = 2024
    book.save(blank)
    out = tmp_path / "report.docx"
    assert main(["fill", str(blank), "-o", str(out)]) == 0
    filled = govreport.read(out)
    assert filled.value("t3.new_received.natural_person") == 5 and filled.value("t3.new_received.total") == 5
    assert filled.meta.agency == "某某县人民政府" and filled.meta.year == 2024
    assert "wrote" in capsys.readouterr().out


def test_write_command(tmp_path):
    out = tmp_path / "r.docx"
    assert main(["write", str(SEED), "-o", str(out)]) == 0
    assert zipfile.is_zipfile(io.BytesIO(out.read_bytes()))
    assert main(["write", str(tmp_path / "missing.txt"), "-o", str(out)]) == 2
