"""Tables from any text: the decoder reads each cell, or leaves it blank and names it — never a wrong number.

Real inputs: tests/data/extracted holds corpus reports as other tools extracted them (BeautifulSoup with and
without separators, markitdown, pdfplumber, pypdfium2, pdftotext, LibreOffice's text export, pandoc's
markdown and reStructuredText, and the text of pages Chromium printed to PDF) and crawler one-line page
text, each with its hand-checked truth. Generated inputs: hypothesis reports rendered through
every shape of tests/shapes.py.
"""

from __future__ import annotations

import json
from decimal import Decimal

import attrs
import pytest
from conftest import DATA, same
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shapes import render
from strategies import reports

import govreport
from govreport import Cell, Report, Table
from govreport.assign import Piece, choose, readings
from govreport.decoding.reorder import restore_order
from govreport.schema import (
    T2_LAYOUT,
    T3_APPLICANT_COLUMNS,
    T3_COLUMN_KEYS,
    T3_RESULT_ROWS,
    T3_ROW_KEYS,
    T4_GROUPS,
    SumRule,
    t2_row_label,
    t3_sum_rules,
)
from govreport.textcells import cut_line

EXTRACTED = DATA / "extracted"

#: Cells each extraction must read at least (the rest blank and named by a finding). The pdftotext dumps
#: of LibreOffice PDFs interleave columns and labels: only what the sums confirm is read.
MINIMUM = {
    "fj_pingtan_2020.lopdf.pdftotext.txt": 0.93,
    "fj_pingtan_htp_2023.page.txt": 0.99,
    "js_huaian_city_2024.pdf.pdfminer.txt": 0.98,  # 0.95 before table 2's pooled labels (0.4.x)
    "fj_pingtan_2020.lo.pdf.pymupdf-sort.txt": 0.96,
    "fj_pingtan_2020.lo.pdf.pymupdf2-sort.txt": 0.96,
    "fj_pingtan_2020.lo.pdf.pypdf-layout.txt": 0.96,
    "js_huaian_hongze_2024.pdf.pdfminer.txt": 0.98,
    # Table 2's values a line above their labels, with no positions: those rows stay blank.
    "fj_pingtan_2019.lo.pdf.pdfplumber.txt": 0.96,
    # Table 3's labels cut over lines and its values printed in runs far from them: mostly blank, named.
    "fj_pingtan_2021.lo.pdf.pdftotext.txt": 0.28,
    # Table 3's columns boxed apart, a column of it printed after table 4's caption: table 4 stays blank.
    "js_shuyang_fgj_2023.lo.pdf.pdfminer.txt": 0.62,
    "fj_pingtan_shs_2025.page.txt": 0.98,
    "fj_pingtan_2021.bs4-glued.txt": 0.98,
    "fj_pingtan_gaj_2022.page.txt": 0.99,
    "sh_gov_office_2019_fragment.bs4-glued.txt": 0.98,
    "fj_pingtan_2020.lopdf.pdfplumber.txt": 0.95,
    "fj_pingtan_jjp_2019.page.txt": 0.98,
    "fj_pingtan_nyn_2025.html.lxml.txt": 0.95,
    "fj_pingtan_jjp_2019.html.lxml.txt": 0.98,
    "fj_pingtan_2020.lo.pdf.pdfplumber-words.txt": 0.93,
    "fj_pingtan_gwh_2025.u.pdf.pymupdf-blocks.txt": 0.99,
    "fj_pingtan_2024.lo.pdf.pdfplumber-tables.txt": 0.98,
    "sh_gov_office_2019_fragment.html.innertext.txt": 0.96,
    # OCR text: rows the OCR garbled (`人 " " " " 人`, table 4's rules read as `|`) stay blank.
    "js_huaian_city_2024.pdf.tesseract-psm3.txt": 0.87,
    # Tesseract's text of 200-dpi scans: its tables are mostly noise, and its digits too (`4728` for 447228).
    "js_huaian_city_2024.scanner200.tesseract-psm3.txt": 0.01,
    "fj_pingtan_2024.lo.scanner200.tesseract-psm3.txt": 0.0,
    "fj_pingtan_2020.lo.scan150.tesseract-psm6.txt": 0.0,
    # catdoc's text of a Word file: table 3's caption and first rows garbled, table 4 lost.
    "fj_pingtan_2020.doc.catdoc.txt": 0.85,
    # pdfminer's boxes of a browser's print: table 3's columns come as pieces in an order no sum pins down.
    "fj_pingtan_2021.chrome-pdf.pdfminer.txt": 0.23,
}

#: Texts whose own digits are misread (OCR by another tool): a wrong number there is the text's, and it
#: must be named by a finding like a blank.
MISREAD_DIGITS = {"js_huaian_city_2024.scanner200.tesseract-psm3.txt",
                  "fj_pingtan_2024.lo.scanner200.tesseract-psm3.txt", "fj_pingtan_2020.lo.scan150.tesseract-psm6.txt"}


def _flagged(key: str, findings: list[govreport.Finding]) -> bool:
    return any(key == k or key.startswith(k + ".") for f in findings for k in f.keys)


def _check(report: Report, expected: dict[str, object], misread_digits: bool = False) -> tuple[int, list[str]]:
    """Cells read right, and every problem: a wrong value (one the text itself misread and a finding
    names, where ``misread_digits``, excepted), or a blank no finding names."""
    flat = govreport.flatten(report)
    findings = govreport.validate(report)
    right, problems = 0, []
    for key, value in expected.items():
        got = flat.get(key)
        if same(value, got):
            right += 1
        elif got is not None and value is not None and not (misread_digits and _flagged(key, findings)):
            problems.append(f"{key}: wrong value {got!r}, printed {value!r}")
        elif not _flagged(key, findings):
            problems.append(f"{key}: {got!r} for {value!r} and no finding names it")
    return right, problems


@pytest.mark.parametrize("truth_path", sorted(EXTRACTED.glob("*.truth.json")), ids=lambda p: p.name[:-11])
def test_extracted_text_reads_or_flags_every_cell(truth_path):
    truth = json.loads(truth_path.read_text(encoding="utf-8"))
    report = govreport.read(EXTRACTED / truth["document"])
    cells = {k: v for k, v in truth["values"].items() if k.startswith(("t2.", "t3.", "t4."))}
    right, problems = _check(report, cells, truth["document"] in MISREAD_DIGITS)
    assert not problems, "\n".join(problems)
    assert right / len(cells) >= MINIMUM.get(truth["document"], 1.0)


@pytest.mark.parametrize("shape", ["repeated", "grid", "spelled"])
@pytest.mark.parametrize("name", ["fj_pingtan_2019.html", "fj_pingtan_2020.html", "fj_pingtan_2024.html",
                                  "sh_gov_office_2019_fragment.html"])
def test_merged_cells_repeated_and_grid_tables_with_wrapped_cells_read_in_full(name, shape):
    # docling and pandas write a merged cell's text in every column it spans (本年增/减 | 本年增/减 over
    # 0 | 0); pandoc's grid tables wrap each cell to its column, numbers too (*8 / 9*), in italics; some
    # PDF text gives each character of a label a line of its own.
    report = govreport.read(DATA / name)
    read = govreport.read_bytes(render(report, shape).encode("utf-8"), "shape.txt")
    expected = {k: v for k, v in govreport.flatten(report).items() if k.startswith(("t2.", "t3.", "t4."))}
    if shape == "spelled":  # as much as from one cell a line (which leaves one table 4 with blanks in doubt)
        one_a_line = govreport.read_bytes(render(report, "lines").encode("utf-8"), "shape.txt")
        expected = {k: one_a_line.value(k) for k in expected}
    assert {k: read.value(k) for k in expected} == expected


def test_text_of_browser_printed_pdfs_labels_a_character_a_line_units_and_wrapped_titles():
    # pypdfium2's text of a page Chromium printed: past a point every character of a label has a line of
    # its own (`8.属` / `于` / `行` …); the rows around them read only when those lines are one label.
    report = govreport.read(EXTRACTED / "fj_pingtan_2022.chrome-pdf.pypdfium2.txt")
    assert report.value("t3.denied.admin_query.total") == 0
    assert report.value("t3.unable.not_held.natural_person") == 37
    # `政府集中采购 3` over `147230元`: the unit says which value is the amount.
    jjp = govreport.read(EXTRACTED / "fj_pingtan_jjp_2019.chrome-pdf.pypdfium2.txt")
    assert (jjp.value("t2.centralized_procurement.items"), jjp.value("t2.centralized_procurement.amount")) \
        == (3, Decimal("147230"))
    # A wrapped line of the first paragraph names another report (…关于编制公布2021年政府信息公开工作年度报告
    # 有关事项): no title, the page's own title stands.
    assert govreport.read(EXTRACTED / "fj_pingtan_2021.chrome-pdf.pdftotext-raw.txt").meta.agency == "平潭综合实验区"


def test_an_empty_cell_under_an_unnamed_header_cell_is_the_lost_span_not_the_rows_first_value():
    # A pipe table that kept a span's empty column: the header says where it is, and the values stay under
    # their columns (before, the row's first empty cell was dropped instead and 3223 read as 上一年项目数量).
    text = ("二、主动公开政府信息情况\n| 第二十条第（五）项 | | | | |\n|---|---|---|---|---|\n"
            "| 信息内容 | 上一年项目数量 | 本年增/减 | | 处理决定数量 |\n| 行政许可 | | + 3223 | | — |\n"
            "三、收到和处理政府信息公开申请情况\n")
    report = govreport.read_bytes(text.encode("utf-8"), "lost-span.md")
    assert [report.value(f"t2.licensing.{c}") for c in ("prev_year_items", "change", "decisions")] \
        == [None, 3223, None]


def test_table_leftovers_after_a_heading_are_no_part_of_its_text():
    # pdftotext prints table 4's last header cell and values where they stood: after the heading of 五.
    report = govreport.read(EXTRACTED / "fj_pingtan_2021.lo.pdf.pdftotext.txt")
    assert (report.sections.problems or "").startswith("（一）存在的主要问题:政策解读形式")
    # A part that is a single word stays: it is the part's text, not a leftover.
    text = "一、总体情况\n本年度无变化。\n六、其他需要报告的事项\n无\n"
    assert govreport.read_bytes(text.encode(), "x.txt").sections.other_matters == "无"


def test_headings_and_page_numbers_that_sorted_text_sets_beside_other_text():
    # PyMuPDF's sorted text joins what stands side by side: a heading after table 4's last row and the
    # paragraph it opens on the next line; a page's foot `- 4 -` before a row of table 3.
    report = govreport.read(EXTRACTED / "fj_pingtan_2020.lo.pdf.pymupdf2-sort.txt")
    assert (report.sections.problems or "").startswith("（一）存在的主要问题:")
    assert report.value("t4.litigation_after_review.total") == 0
    city = govreport.read(EXTRACTED / "js_huaian_city_2024.pdf.pymupdf2-sort.txt")
    assert city.value("t3.unable.needs_creation.total") == 11
    assert city.value("t3.unable.not_held.total") == 769


def test_values_printed_on_a_line_of_their_own_go_back_into_their_row_by_position():
    # pdftotext -layout of a LibreOffice PDF: a vertically centred cell prints its value a line above its
    # row (`                       442` over `行政许可   396     278`); the gap in the row takes it.
    report = govreport.read(EXTRACTED / "fj_pingtan_2020.lo.pdf.pdftotext-layout.txt")
    assert [report.value(f"t2.licensing.{c}") for c in ("prev_year_items", "change", "decisions")] == [396, 442, 278]
    assert [report.value(f"t2.normative_documents.{c}") for c in ("newly_made", "newly_published",
                                                                  "total_published")] == [77, 77, 166]
    # pdftotext counts positions in characters: `7` over `其他对外管理服务事项   10      105` goes between
    # them, although counting CJK characters two wide would put it on 10. The rows' alignment says which.
    assert report.value("t2.other_services.change") == 7
    # Where the rows do not say, and the two counts put a stray value in different gaps, it is not
    # placed: the row stays blank and a finding names it.
    sorted_text = govreport.read(EXTRACTED / "fj_pingtan_2020.lo.pdf.pymupdf-sort.txt")
    assert sorted_text.value("t2.other_services.change") is None
    assert any("t2.other_services.change" in f.keys for f in govreport.validate(sorted_text))


def test_a_glued_row_the_overview_states_is_read_as_stated_and_named():
    # Crawler text: `行政规范性文件97253` is 9/7/253, 9/72/53, 97/2/53 … as far as the table goes; the
    # overview says 制发行政规范性文件9件 … 废止文件7件, which leaves one reading. A finding names the cells.
    path = EXTRACTED / "fj_pingtan_gwh_2025.page.txt"
    report = govreport.read(path)
    keys = [f"t2.normative_documents.{c}" for c in ("issued", "repealed", "in_force")]
    assert [report.value(k) for k in keys] == [9, 7, 253]
    told = [f for f in govreport.validate(report) if f.rule == "PARSE-STATED"]
    assert len(told) == 1 and set(told[0].keys) == set(keys) and "97、2、53" in told[0].message
    # Where the overview states counts no reading of the row has, it says nothing about the row: the
    # cells stay blank and named, as in a report without such a sentence.
    text = path.read_text(encoding="utf-8")
    edited = text.replace("制发行政规范性文件9件", "制发行政规范性文件8件").replace("废止文件7件", "废止文件6件") \
        .replace("现行有效行政规范性文件共253件", "现行有效行政规范性文件共250件")
    assert edited != text
    other = govreport.read_bytes(edited.encode("utf-8"), "edited.page.txt")
    assert [other.value(k) for k in keys] == [None, None, None]
    findings = govreport.validate(other)
    assert all(any(k in f.keys for f in findings if f.rule == "PARSE-ROW") for k in keys)
    assert not any(f.rule == "PARSE-STATED" for f in findings)


def test_a_table_laid_out_under_a_rule_of_dashes_is_read_by_its_columns():
    # pandoc's markdown of a page whose table 3 leaves most cells blank (`&nbsp;`): the dash rule gives
    # the columns, counted in display columns (a CJK character takes two), so each value finds its cell.
    report = govreport.read(EXTRACTED / "sh_gov_office_2019_fragment.html.pandoc-markdown.md")
    assert report.value("t3.new_received.natural_person") == 821
    assert report.value("t3.new_received.commercial") == 35 and report.value("t3.new_received.research") is None
    assert report.value("t3.total_processed.total") == 805


def test_columns_a_header_does_not_name_are_blank_and_named():
    # pandoc's multiline table breaks a header cell with a backslash (`本年新\` / `制作数量`); with the
    # header's words garbled instead, the values under it have no column to go to: blank, and named.
    path = EXTRACTED / "fj_pingtan_2019.lo.docx.pandoc-markdown.md"
    assert govreport.read(path).value("t2.regulations.newly_made") == 0
    text = path.read_text(encoding="utf-8")
    edited = text.replace("本年新\\            本年新\\", "甲乙丙\\            甲乙丙\\", 1)
    assert edited != text
    report = govreport.read_bytes(edited.encode("utf-8"), "edited.md")
    assert report.value("t2.regulations.newly_made") is None and report.value("t2.regulations.total_published") == 0
    named = {k for f in govreport.validate(report) if f.rule == "PARSE-COLUMN" for k in f.keys}
    assert {"t2.regulations.newly_made", "t2.regulations.newly_published"} <= named


def test_two_cells_printed_without_a_space_are_cut_where_the_row_adds_up():
    # pypdf's layout of narrow columns: `（七）总计  20  0  0  0  0  121` — 其他 1 and 总计 21.
    report = govreport.read(EXTRACTED / "fj_pingtan_2020.lo.pdf.pypdf-layout.txt")
    assert report.value("t3.total_processed.other") == 1 and report.value("t3.total_processed.total") == 21


def test_a_number_with_a_stray_space_in_a_laid_out_row_is_joined_where_the_row_adds_up():
    # inscriptis lays a page's table out with runs of spaces; a cell whose text the page split prints
    # `2 0` for 20: `一、本年新收…  2 0   0   0   0   0  1  2 1`.
    report = govreport.read(EXTRACTED / "fj_pingtan_2020.inscriptis.txt")
    assert report.value("t3.new_received.natural_person") == 20 and report.value("t3.new_received.total") == 21


@pytest.mark.parametrize("name", ["fj_pingtan_2021.bs4-tab.txt", "fj_pingtan_2022.bs4-pipe.txt"])
def test_a_page_text_joined_with_a_separator_reads_as_its_text_nodes(name):
    # BeautifulSoup's get_text("\t") / get_text("|"): the page's text nodes, one separator between each.
    report = govreport.read(EXTRACTED / name)
    assert report.sections.overview and report.value("t3.new_received.total") is not None


def test_python_docx_rows_read_with_merged_cells_repeated_and_empty_cells_kept():
    # `"\t".join(c.text for c in row.cells)`: a merged cell once per column it spans (`行政许可  2293  2293
    # 2293` for one cell; `64 0 0 0 2 0 4 70` where 商业企业 spans two columns), an empty cell between two tabs.
    report = govreport.read(EXTRACTED / "fj_pingtan_2021.lo.pydocx-tsv.txt")
    assert report.value("t2.licensing.decisions") == 2293
    assert [report.value(f"t3.new_received.{c}") for c in ("natural_person", "commercial", "research",
                                                             "social_org", "legal_service", "other",
                                                             "total")] == [64, 0, 0, 2, 0, 4, 70]
    empty_cells = govreport.read(EXTRACTED / "js_shuyang_fgj_2023.lo.pydocx-tsv.txt")
    assert empty_cells.value("t3.granted.natural_person") == 26 and empty_cells.value("t3.granted.commercial") is None


def test_glued_digits_with_one_consistent_reading_are_cut():
    # "规章000行政规范性文件417…": every cell of a crawler's one-line page, each row glued to its label.
    report = govreport.read(EXTRACTED / "fj_pingtan_gaj_2022.page.txt")
    assert [report.value(f"t2.normative_documents.{c}") for c in ("issued", "repealed", "in_force")] == [4, 1, 7]
    assert report.value("t3.other.no_correction.natural_person") == 1


def test_two_readings_leave_the_cells_blank_and_list_both():
    # 行政规范性文件15621, with the overview's sentence that states 15 and 6 taken out.
    text = (EXTRACTED / "fj_pingtan_hzs_2024.page.txt").read_text(encoding="utf-8")
    without = text.replace("我局废止规范性文件6件，制定规范性文件15件", "我局开展规范性文件清理")
    assert without != text
    report = govreport.read_bytes(without.encode("utf-8"), "hzs_2024.page.txt")
    assert report.value("t2.normative_documents.issued") is None
    finding = next(f for f in govreport.validate(report) if "t2.normative_documents.issued" in f.keys)
    assert "15" in finding.message and "156" in finding.message


def test_a_source_that_breaks_its_own_sum_is_read_as_printed():
    # 行政审批局 2024 prints 行政复议 维持 1 and 总计 0 (T4-SUM): read as printed, and the rule says so.
    report = govreport.read(EXTRACTED / "fj_pingtan_hzs_2024.page.txt")
    assert report.value("t4.review.maintained") == 1 and report.value("t4.review.total") == 0
    assert any(f.rule == "T4-SUM" and f.severity == "error" for f in govreport.validate(report))


def test_a_table_cut_into_small_grids_is_read_from_its_lines_where_the_sums_favour_them():
    # markitdown lays a PDF page out by its words' positions: table 3 becomes a run of small pipe tables,
    # two columns to a cell (`| 3001 53 | 0 0 |`), with row labels on lines between them. The grids give
    # a few rows; the same region read as lines of text gives every row, and every sum holds.
    markdown = govreport.read(EXTRACTED / "js_huaian_city_2024.pdf.markitdown.md")
    pdf = govreport.read(DATA / "js_huaian_city_2024.pdf")
    for table in ("table2", "table3", "table4"):
        assert getattr(markdown, table).cells == getattr(pdf, table).cells
    # A source that breaks its own sums (新收 总计 0 over 自然人 1) is still read whole from its lines.
    nyn = govreport.read(EXTRACTED / "fj_pingtan_nyn_2025.chrome-pdf.markitdown.md")
    assert [nyn.value(f"t3.new_received.{c}") for c in T3_COLUMN_KEYS] == [1, 0, 0, 0, 0, 0, 0]


def test_lines_of_prose_set_as_a_table_stay_in_their_section():
    # markitdown took lines of the overview for a table (`| 2024 | 年，淮安市洪泽区人民政府坚持以… |`).
    report = govreport.read(EXTRACTED / "js_huaian_hongze_2024.pdf.markitdown.md")
    assert report.sections.overview is not None
    assert report.sections.overview.startswith("2024 年，淮安市洪泽区人民政府坚持以习近平新时代中国特")


def test_values_printed_above_their_labels_are_read_in_template_order():
    # Most rows' values stand a line above their label; a row whose values are only the next line's does
    # not veto the one order of the values under which every sum holds.
    report = govreport.read(EXTRACTED / "js_huaian_hongze_2024.pdf.markitdown.md")
    assert [report.value(f"t3.unable.unclear_after_correction.{c}") for c in T3_COLUMN_KEYS] == [0] * 7
    assert [report.value(f"t3.not_processed.petition_complaint.{c}") for c in T3_COLUMN_KEYS] \
        == [1, 0, 0, 0, 0, 0, 1]


def test_labels_then_their_values_column_by_column_are_read_by_the_row_totals():
    # pdfminer prints 3.其他, （七）总计 and 四、结转下年度继续办理, then their 21 values column by column;
    # only that order makes each row's total the sum of its cells. The header's 总计, printed earlier
    # with stray values after it, is no longer taken for the row.
    report = govreport.read(EXTRACTED / "fj_pingtan_2021.chrome-pdf.pdfminer.txt")
    assert [report.value(f"t3.total_processed.{c}") for c in T3_COLUMN_KEYS] == [63, 0, 0, 2, 0, 4, 69]
    assert [report.value(f"t3.carried_forward.{c}") for c in T3_COLUMN_KEYS] == [1, 0, 0, 0, 0, 0, 1]


def test_a_label_with_its_own_value_before_more_values_leaves_the_waiting_labels_in_doubt():
    # 行政许可, 行政处罚, 行政强制, then 2293 and, after the next block's caption, 1282 and 42: 2293 is
    # 行政强制's as printed, or 行政许可's in order. Neither reading is taken; all three are named.
    report = govreport.read(EXTRACTED / "fj_pingtan_2021.chrome-pdf.pdfminer.txt")
    keys = ["t2.licensing.decisions", "t2.penalty.decisions", "t2.coercion.decisions"]
    assert [report.value(k) for k in keys] == [None, None, None]
    named = {k for f in govreport.validate(report) if f.rule == "PARSE-ORDER" for k in f.keys}
    assert set(keys) <= named


def test_a_table_whose_caption_and_header_came_through_garbled_is_read_from_its_rows():
    # catdoc garbles pieces of some Word files: table 3's caption, header and first row label are
    # mojibake (`Õl‹_` / `_3u请数量 0 0 …`), but the rows after them are whole, in table 3's section.
    report = govreport.read(EXTRACTED / "fj_pingtan_2020.doc.catdoc.txt")
    assert [report.value(f"t3.granted.{c}") for c in T3_COLUMN_KEYS] == [6, 0, 0, 0, 0, 1, 7]


def test_a_block_of_cells_printed_apart_is_moved_back_by_the_sums():
    # pdftotext prints 社会公益组织 and 法律服务机构 of the first row under their tall header, before the
    # row's label; the template order with that block moved back is the one order every sum accepts.
    report = govreport.read(EXTRACTED / "fj_pingtan_2024.lopdf.pdftotext.txt")
    assert [report.value(f"t3.new_received.{c}") for c in T3_COLUMN_KEYS] == [217, 1, 0, 0, 0, 0, 218]
    finding = next(f for f in govreport.validate(report) if f.rule == "PARSE-ORDER")
    assert "t3.new_received.social_org" in finding.keys


def test_table_3_printed_column_by_column_is_read_by_columns():
    # pdfminer prints each page's row labels, then column after column of values (总计 before 其他).
    report = govreport.read(EXTRACTED / "js_huaian_hongze_2024.pdf.pdfminer.txt")
    assert [report.value(f"t3.new_received.{c}") for c in T3_COLUMN_KEYS] == [95, 0, 0, 0, 0, 0, 95]
    assert [report.value(f"t3.unable.not_held.{c}") for c in T3_COLUMN_KEYS] == [31, 0, 0, 0, 0, 0, 31]
    assert any(f.rule == "PARSE-ORDER" and "逐列" in f.message for f in govreport.validate(report))


def test_blocks_of_rows_printed_column_by_column_are_read_by_the_row_sums():
    # pdftotext prints 不予公开 1–8 with 无法提供 1 as one text box per column (0 0 1 0 0 1 1 0 31, then
    # the next column), the rows before it row by row: each transposed block adds up row by row only
    # when read as such, and the table's column sums pick the one reading.
    report = govreport.read(EXTRACTED / "js_huaian_hongze_2024.pdftotext.txt")
    truth = json.loads((EXTRACTED / "js_huaian_hongze_2024.pdftotext.txt.truth.json").read_text(encoding="utf-8"))
    assert all(same(v, report.value(k)) for k, v in truth["values"].items() if k.startswith("t3."))
    assert any(f.rule == "PARSE-ORDER" and "分块" in f.message for f in govreport.validate(report))


def test_no_break_spaces_of_empty_cells_place_glued_values_and_a_source_slip_does_not_block_the_sums():
    # BeautifulSoup's get_text() of a page whose empty cells hold &nbsp;: 予以公开25812  11  is 258, 12, -,
    # -, 1, 1, - (its 总计 left blank, so the column of totals breaks T3-SUM whatever the reading); the
    # other columns' sums settle the glued runs, and 5  278  19      ends table 4 with five empty cells.
    report = govreport.read(EXTRACTED / "sh_gov_office_2019_fragment.bs4-glued.txt")
    assert [report.value(f"t3.granted.{c}") for c in T3_COLUMN_KEYS] == [258, 12, None, None, 1, 1, None]
    assert [report.value(f"t3.not_processed.petition_complaint.{c}") for c in T3_COLUMN_KEYS][:2] == [148, 1]
    assert [report.value(f"t4.review.{c}") for c in ("maintained", "pending", "total")] == [5, 2, 7]
    assert [report.value(f"t4.litigation_direct.{c}") for c in ("maintained", "pending", "total")] == [8, 1, 9]


def test_a_row_label_cut_after_its_groups_spanning_cell_is_still_the_row():
    # pdfplumber: 不予公开 2.其他法律行政法 / 0 0 0 0 0 0 0 / 规禁止公开 — the group cell's text, then the
    # row's label cut where it wrapped, its values on the next line.
    report = govreport.read(EXTRACTED / "fj_pingtan_2020.lopdf.pdfplumber.txt")
    assert [report.value(f"t3.denied.law_prohibited.{c}") for c in T3_COLUMN_KEYS] == [0] * 7


def test_a_pipe_row_ending_in_spaces_after_its_last_pipe_ends_with_an_empty_cell():
    # html2text writes rows without outer pipes: "（一）予以公开| 258| 12|  |  | 1| 1|    " has seven cells.
    report = govreport.read(EXTRACTED / "sh_gov_office_2019_fragment.html2text.md")
    assert [report.value(f"t3.granted.{c}") for c in T3_COLUMN_KEYS] == [258, 12, None, None, 1, 1, None]
    assert report.value("t4.litigation_direct.total") == 9


def test_a_piece_of_the_rows_label_set_apart_on_its_line_is_not_a_value():
    # pypdf's layout text: （二）部分公开（区分处理的，只计这一情     形，不   9   0   0   0  0   0   9
    report = govreport.read(EXTRACTED / "js_huaian_hongze_2024.pdf.pypdf-layout.txt")
    assert [report.value(f"t3.partially_granted.{c}") for c in T3_COLUMN_KEYS] == [9, 0, 0, 0, 0, 0, 9]


def test_a_label_broken_around_an_empty_line_gives_its_row_once_with_its_values():
    # pdfplumber's layout text: 5.要求行政机关确 / (empty cells) / 认或重新出具已获  0 0 0 0 0 0 0 / 取信息
    report = govreport.read(EXTRACTED / "fj_pingtan_2020.lo.pdf.plumber-layout.txt")
    assert [report.value(f"t3.not_processed.confirm_or_reissue.{c}") for c in T3_COLUMN_KEYS] == [0] * 7


def test_markdown_escapes_are_the_characters_they_escape():
    # mammoth writes 1\.属于国家秘密 and 24252\.311082 (its escape of a list marker and of a full stop).
    report = govreport.read(EXTRACTED / "fj_pingtan_2021.lo.docx.mammoth.md")
    assert [report.value(f"t3.denied.enforcement_file.{c}") for c in T3_COLUMN_KEYS] == [6, 0, 0, 0, 0, 0, 6]
    assert str(report.value("t2.admin_fees.amount")) == "24252.311082"


def test_a_unit_printed_apart_from_its_amount_belongs_to_it():
    report = govreport.read(EXTRACTED / "fj_pingtan_2020.lopdf.pypdfium2.txt")  # 政府集中采购 395 73802895.90 元
    assert report.value("t2.centralized_procurement.items") == 395
    assert str(report.value("t2.centralized_procurement.amount")) == "73802895.90"


def test_a_label_wrapped_around_its_values_keeps_them():
    # pdftotext -layout: （二）部分公开（区分处理 / 的，只计这一情形，不计其他  6 0 0 0 0 0 6 / 情形）
    report = govreport.read(EXTRACTED / "fj_pingtan_2020.lo.pdf.pdftotext-layout.txt")
    assert [report.value(f"t3.partially_granted.{c}") for c in T3_COLUMN_KEYS] == [6, 0, 0, 0, 0, 0, 6]


def test_table_4_with_its_last_group_printed_first_is_put_back():
    report = govreport.read(EXTRACTED / "js_huaian_city_2024.pdftotext.txt")
    truth = json.loads((EXTRACTED / "js_huaian_city_2024.pdftotext.txt.truth.json").read_text(encoding="utf-8"))
    assert all(same(v, report.value(k)) for k, v in truth["values"].items() if k.startswith("t4."))


def test_a_misspelt_heading_inside_one_line_page_text_still_ends_the_table():
    # 四、政府信息公开行政法复议、行政诉讼情况 (sic) follows 结转下年度继续办理0000000 with no separator.
    report = govreport.read(EXTRACTED / "fj_pingtan_shs_2025.page.txt")
    assert [report.value(f"t3.carried_forward.{c}") for c in T3_COLUMN_KEYS] == [0] * 7
    assert not any(f.rule == "PARSE-SECTION" for f in govreport.validate(report))


def test_restore_order_refuses_two_equally_good_orders():
    rules = [SumRule((("", "t"),), (("", "a"), ("", "b")))]
    order = [("", "a"), ("", "b"), ("", "t")]
    assert restore_order(["3", "1", "2"], order, rules, max_span=3) == (1, 2, 0)  # 1 + 2 = 3
    assert restore_order(["1", "1", "2"], order, rules, max_span=3) == (0, 1, 2)  # fits as printed
    assert restore_order(["9", "1", "2"], order, rules, max_span=3) is None  # no order fits
    assert restore_order(["2", "2", "4", "0"], [*order, ("", "x")], rules, max_span=4) == (0, 1, 2, 3)


def test_a_block_printed_apart_moves_back_whole_where_the_sums_allow_several_orders():
    # pdftotext of a LibreOffice PDF prints table 4's last four cells (under their header, higher up the
    # page) before the rest: `2 4 0 19`, labels, `2 1 3 1 7 0 0 0 0 0 13`. Any group of five moved
    # anywhere keeps every total, so the sums alone allow several orders; only one moves a whole run.
    texts = [str(n) for n in (2, 4, 0, 19, 2, 1, 3, 1, 7, 0, 0, 0, 0, 0, 13)]
    order = [("", f"{g}.{c}") for g, _ in T4_GROUPS for c in ("maintained", "corrected", "other", "pending",
                                                                "total")]
    rules = [SumRule((("", f"{g}.total"),), tuple(("", f"{g}.{c}") for c in ("maintained", "corrected",
                                                                              "other", "pending")))
             for g, _ in T4_GROUPS]
    assert restore_order(texts, order, rules, max_span=15) is None
    runs = [0] * 4 + [1] * 11
    permutation = restore_order(texts, order, rules, max_span=15, runs=runs)
    assert permutation is not None
    assert [int(texts[n]) for n in permutation] == [2, 1, 3, 1, 7, 0, 0, 0, 0, 0, 13, 2, 4, 0, 19]
    report = govreport.read(EXTRACTED / "fj_pingtan_2024.lopdf.pdftotext.txt")
    assert [report.value(f"t4.litigation_after_review.{c}") for c in ("maintained", "total")] == [13, 19]
    assert any(f.rule == "PARSE-ORDER" and "t4.review.total" in f.keys for f in govreport.validate(report))


# --- The assignment step ---------------------------------------------------------------------------

def test_readings_cut_runs_and_drop_layout_empties():
    assert readings([Piece("000", splittable=True)], 3) == [("0", "0", "0")]
    assert readings([Piece("64"), Piece("", optional=True), Piece("0")], 2) == [("64", "0")]
    assert readings([Piece("-18538", splittable=True)], 2) == [("-1", "8538"), ("-18", "538"), ("-185", "38"),
                                                               ("-1853", "8")]


def test_search_is_bounded():
    assert readings([Piece("1" * 60, splittable=True)], 30) is None
    report = govreport.read_bytes(("三、收到和处理政府信息公开申请情况\n申请人情况\n自然人\n"
                                   "一、本年新收政府信息公开申请数量" + "12" * 200 + "\n").encode(), "long.txt")
    assert report.value("t3.new_received.total") is None
    assert any("t3.new_received.total" in f.keys for f in govreport.validate(report))


def test_sums_across_rows_settle_a_row_its_own_sum_cannot():
    # Row r reads 11|0|11 or 1|10|11 by itself; the column total says which.
    rules = (SumRule((("r", "total"),), (("r", "a"), ("r", "b"))),
             SumRule((("sum", "a"),), (("r", "a"),)))
    choice = choose({"r": readings([Piece("11011", splittable=True)], 3), "sum": [("11", "0", "11")]},
                    ("a", "b", "total"), rules)
    assert [choice.texts[("r", c)] for c in ("a", "b", "total")] == ["11", "0", "11"]


def test_cut_line_keeps_prose_numbers_in_their_text():
    assert [c.text for c in cut_line("全年共发布信息179条，依申请公开12件")] == ["全年共发布信息179条，依申请公开12件"]
    assert [c.text for c in cut_line("（七）总计2000002四、结转下年度继续办理0000000")] == [
        "（七）总计", "2000002", "四、结转下年度继续办理", "0000000"]


# --- Any table through any shape --------------------------------------------------------------------

def _plain(table: Table | None) -> Table | None:
    """The table as a crawler prints it: every cell a bare number (its value, 0 for blanks and dashes)."""
    if table is None:
        return None
    cells = {}
    for key, cell in table.cells.items():
        value = cell.value if cell.value is not None else 0
        if isinstance(value, Decimal):
            value = int(value)
        cells[key] = Cell(abs(value), str(abs(value)), "number")
    return Table(table.number, table.edition, cells)


@st.composite
def consistent_reports(draw) -> Report:
    """Reports whose tables 3 and 4 keep every sum of the format, as real reports mostly do."""
    report = draw(reports())
    edition = report.table3.edition
    small = st.integers(0, 40) | st.just(0)
    values: dict[str, int] = {}
    for column in T3_APPLICANT_COLUMNS:
        parts = {r: draw(small) for r in T3_RESULT_ROWS[edition]}
        values.update({f"{r}.{column}": v for r, v in parts.items()})
        processed = sum(parts.values())
        forward = draw(small)
        over = draw(st.integers(0, processed + forward))
        values.update({f"total_processed.{column}": processed, f"carried_forward.{column}": forward,
                       f"carried_over.{column}": over, f"new_received.{column}": processed + forward - over})
    for row in T3_ROW_KEYS[edition]:
        values[f"{row}.total"] = sum(values[f"{row}.{c}"] for c in T3_APPLICANT_COLUMNS)
    t3 = Table(3, edition, {k: Cell(v, str(v), "number") for k, v in values.items()})
    t4: dict[str, Cell] = {}
    for group, _ in T4_GROUPS:
        parts4 = [draw(small) for _ in range(4)]
        for column, v in zip(("maintained", "corrected", "other", "pending", "total"), [*parts4, sum(parts4)],
                             strict=True):
            t4[f"{group}.{column}"] = Cell(v, str(v), "number")
    return Report(report.meta, report.sections, report.table2, t3, Table(4, None, t4), ())


def _assert_decoded(original: Report, text: str) -> None:
    read = govreport.read_bytes(text.encode("utf-8"), "shape.txt")
    findings = govreport.validate(read)
    for table in (original.table2, original.table3, original.table4):
        prefix = f"t{table.number}"
        for key, cell in table.cells.items():
            flat_key = f"{prefix}.{key}"
            got = read.value(flat_key)
            if got is None:
                assert cell.value is None or _flagged(flat_key, findings), f"{flat_key} blank, not flagged"
            else:
                assert cell.value is not None and Decimal(got) == Decimal(cell.value), (
                    f"{flat_key}: read {got!r}, printed {cell.raw!r}")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(report=reports(),
       shape=st.sampled_from(["lines", "pipes", "spaced", "laid_out", "piped", "tabbed", "boxed", "ruled",
                              "repeated", "grid", "spelled"]))
def test_any_table_in_any_separated_shape_decodes_or_flags(report, shape):
    _assert_decoded(report, render(report, shape))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(report=consistent_reports(),
       shape=st.sampled_from(["lines", "pipes", "spaced", "glued", "blocks", "columns", "transposed",
                              "laid_out", "stacked"]))
def test_consistent_tables_in_any_shape_decode_or_flag(report, shape):
    # Cells printed apart from their row ("blocks", "stacked") are told from the next row's only by the
    # sums, so those shapes are tried on tables that keep them.
    plain = Report(report.meta, report.sections, _plain(report.table2), report.table3, report.table4, ())
    _assert_decoded(plain, render(plain, shape))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(report=reports(), shape=st.sampled_from(["glued", "transposed", "columns", "blocks", "stacked", "boxes"]))
def test_tables_that_break_their_sums_never_decode_to_a_wrong_number(report, shape):
    # Random tables break their sums everywhere: a wrong cut of a glued run, a wrong block or column order
    # may add up by chance in one row, and the sums across rows must not let it stand.
    plain = Report(report.meta, report.sections, _plain(report.table2), _plain(report.table3),
                   _plain(report.table4), ())
    _assert_decoded(plain, render(plain, shape))


_STATING = {"2021": ("制发{}件", "废止{}件", "现行有效{}件"), "2019": ("新制作{}件", "新公开{}件", "累计公开{}件")}


def _stating_overview(report: Report) -> Report:
    """The report with an overview sentence that states table 2's first block, as many overviews do."""
    table2 = report.table2
    assert table2 is not None and table2.edition is not None
    sub = T2_LAYOUT[table2.edition][0]
    sentences = ["，".join(f"{'本年' if n == 0 else ''}{t2_row_label(row, table2.edition) if n == 0 else ''}"
                          + _STATING[table2.edition][n].format(table2.cells[f"{row}.{c}"].raw)
                          for n, c in enumerate(sub.columns)) + "。" for row in sub.rows]
    sections = attrs.evolve(report.sections, overview="".join(sentences) + (report.sections.overview or ""))
    return Report(report.meta, sections, table2, report.table3, report.table4, ())


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(report=consistent_reports())
def test_glued_counts_the_overview_states_are_read_as_stated(report):
    # Crawler text glues 规章 and 行政规范性文件's three counts into one run of digits; the overview's
    # sentence (本年制发规章3件，废止0件，现行有效12件。) leaves one way to cut it.
    stating = _stating_overview(Report(report.meta, report.sections, _plain(report.table2), report.table3,
                                       report.table4, ()))
    _assert_decoded(stating, render(stating, "glued"))
    read = govreport.read_bytes(render(stating, "glued").encode("utf-8"), "shape.txt")
    first = T2_LAYOUT[stating.table2.edition][0]
    for row in first.rows:
        for column in first.columns:
            assert read.value(f"t2.{row}.{column}") == stating.table2.cells[f"{row}.{column}"].value


def test_sum_rules_cover_every_cell_of_table_3():
    for edition in ("2019", "2021"):
        keys = {k for rule in t3_sum_rules(edition) for k in rule.keys}
        assert keys == {(r, c) for r in T3_ROW_KEYS[edition] for c in T3_COLUMN_KEYS}


def test_grid_rows_whose_labels_a_recogniser_garbled_are_named_by_their_place():
    # A scan at 120 dpi reads 一、本年新收政府信息公开申请数量 as 本年业政府信息公开中请数, （一）予以公开 as
    # 以公开, 四、结转下年度继续办理 as 四、结转维理 and 3.其他 as 3亿: each stands where the one row the table
    # lacks stands, and shares most of its characters (or its numeral) with that row's label.
    html = (DATA / "fj_pingtan_2024.html").read_text(encoding="utf-8")
    original = govreport.read(DATA / "fj_pingtan_2024.html")
    garbled = html.replace("一、本年新收政府信息公开申请数量", "本年业政府信息公开中请数").replace(
        "（一）予以公开", "以公开").replace("四、结转下年度继续办理", "四、结转维理").replace("3.其他", "3亿")
    assert garbled.count("结转维理") == 1 and garbled.count("3亿") == 1
    report = govreport.read_bytes(garbled.encode("utf-8"), "garbled.html")
    for row in ("new_received", "granted", "other.other", "carried_forward"):
        assert [report.value(f"t3.{row}.{c}") for c in T3_COLUMN_KEYS] == \
               [original.value(f"t3.{row}.{c}") for c in T3_COLUMN_KEYS]
    assert not any(f.rule in ("PARSE-EXTRA", "PARSE-ROW") for f in govreport.validate(report))
    # A label cut down to its numeral (`3`) is a number in the label column, left of every column the
    # header names: it opens its row too.
    numeral = govreport.read_bytes(html.replace("3.其他", "3").encode("utf-8"), "numeral.html")
    assert [numeral.value(f"t3.other.other.{c}") for c in T3_COLUMN_KEYS] == \
           [original.value(f"t3.other.other.{c}") for c in T3_COLUMN_KEYS]
    # A label that shares little with the row its place leaves open is no reading of it: the grid leaves
    # the row blank. The table read as lines in the template's order fills it, every sum holding (（七）
    # 总计 less the other rows is that row whatever its label), and that reading is taken, with a finding
    # that the labels are out of place.
    other = html.replace("（一）予以公开", "其中：网上申请")
    report = govreport.read_bytes(other.encode("utf-8"), "other.html")
    assert report.table3.cells == original.table3.cells
    assert any(f.rule == "PARSE-ORDER" and "标签" in f.message for f in govreport.validate(report))
    # A row that breaks its sums (自然人 72 against 总计 71) is still the template's row in its place, read
    # as printed; the broken sums name its cells.
    broken = other.replace(">71<", ">72<", 1)
    assert broken != other
    report = govreport.read_bytes(broken.encode("utf-8"), "broken.html")
    assert (report.value("t3.granted.natural_person"), report.value("t3.granted.total")) == (72, 71)
    findings = govreport.validate(report)
    assert any(f.rule == "T3-ROW" and "t3.granted.natural_person" in f.keys for f in findings)


def test_a_table2_row_on_several_lines_is_read_where_no_other_row_can_take_its_values(tmp_path):
    # pdftotext -raw: `行政许可 396` / `442` / `278` / `其他对外管理服务事项 10` / `7` / `105`. The lines
    # between the labels could be the end of the row above or the start of the row below; with every
    # row of the block holding exactly a number for each cell, they can only be the row above's.
    raw = EXTRACTED / "fj_pingtan_2020.lo.pdf.pdftotext-raw.txt"
    flat = govreport.flatten(govreport.read(raw))
    assert [flat[f"t2.licensing.{c}"] for c in ("prev_year_items", "change", "decisions")] == [396, 442, 278]
    assert [flat[f"t2.other_services.{c}"] for c in ("prev_year_items", "change", "decisions")] == [10, 7, 105]
    # Without the last row's last line, that row is short of a number: `442` / `278` might be its first
    # two, printed before its label, and neither row is read; a finding names both.
    text = raw.read_text(encoding="utf-8")
    short = tmp_path / "short.txt"
    short.write_text(text.replace("其他对外管理服务事项 10\n7\n105\n", "其他对外管理服务事项 10\n7\n", 1),
                     encoding="utf-8")
    assert short.read_text(encoding="utf-8") != text
    report = govreport.read(short)
    flat, findings = govreport.flatten(report), govreport.validate(report)
    for row in ("licensing", "other_services"):
        for column in ("prev_year_items", "change", "decisions"):
            assert flat[f"t2.{row}.{column}"] is None and _flagged(f"t2.{row}.{column}", findings)
