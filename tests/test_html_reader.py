"""The HTML reader on real portal pages: encodings, body finding, grids."""

from __future__ import annotations

import json
import re

import pytest
from conftest import DATA, needs_ocr

import govreport
from govreport import plugins
from govreport.body import focused
from govreport.readers import read_document
from govreport.readers.html import READER as HTML
from govreport.schema import SECTIONS

PAGES = sorted(p.name for p in DATA.glob("*.html"))


def flat_of(name: str) -> dict:
    return govreport.flatten(govreport.read(DATA / name))


@pytest.mark.parametrize("charset", ["gbk", "gb2312", "gb18030"])
def test_declared_chinese_charsets(charset, tmp_path):
    text = (DATA / "js_shuyang_fgj_2023.html").read_text(encoding="utf-8")
    text = re.sub(r"charset=[\"']?utf-8", f"charset={charset}", text, flags=re.I)
    assert f"charset={charset}" in text
    path = tmp_path / "page.html"
    path.write_bytes(text.encode("gb18030"))
    assert govreport.flatten(govreport.read(path)) == flat_of("js_shuyang_fgj_2023.html")


def test_undeclared_gb18030_fragment_is_detected(tmp_path):
    text = (DATA / "sh_gov_office_2019_fragment.html").read_text(encoding="utf-8")
    assert "charset" not in text.lower()
    path = tmp_path / "fragment.htm"
    path.write_bytes(text.encode("gb18030"))
    assert govreport.flatten(govreport.read(path)) == flat_of("sh_gov_office_2019_fragment.html")


def test_body_is_found_among_navigation_and_metadata():
    # The reader hands over the whole page with its nesting; the assembler keeps the report's body.
    document = read_document((DATA / "js_shuyang_fgj_2023.html").read_bytes(), "page.html")
    assert len(document.containers) == len(document.blocks)
    assert sum(not isinstance(b, plugins.Paragraph) for b in document.blocks) > 3  # its metadata table too
    body = focused(document)
    texts = [b.text for b in body.blocks if isinstance(b, plugins.Paragraph)]
    assert not any("索引号" in t for t in texts)
    tables = [b for b in body.blocks if not isinstance(b, plugins.Paragraph)]
    assert len(tables) == 3  # the metadata table lies outside the report body
    assert body.title == "沭阳县发展和改革局2023年政府信息公开年度报告"
    assert govreport.read(DATA / "js_shuyang_fgj_2023.html").meta.title == body.title


def test_spans_expand_into_a_true_grid():
    document = read_document((DATA / "fj_pingtan_2021.html").read_bytes(), "page.html")
    t3 = next(b for b in document.blocks if not isinstance(b, plugins.Paragraph) and len(b.rows) > 20)
    grid = t3.grid()
    assert len(grid) == 28 and len({len(r) for r in grid}) == 1
    caption = grid[0][0]
    assert caption is grid[2][2] and caption.rowspan == 3 and caption.colspan == 3


def test_numbers_split_across_spans_are_whole():
    report = govreport.read(DATA / "fj_pingtan_2020.html")
    assert report.value("t3.new_received.natural_person") == 20
    assert report.value("t3.new_received.total") == 21


def test_source_error_is_reported_not_corrected():
    findings = govreport.validate(govreport.read(DATA / "fj_pingtan_2020.html"))
    errors = [f for f in findings if f.severity == "error"]
    assert {f.rule for f in errors} == {"T3-SUM"}
    assert any("20 ≠ 26" in f.message for f in errors)


def test_blank_total_column_gives_warnings_not_errors():
    report = govreport.read(DATA / "sh_gov_office_2019_fragment.html")
    assert report.value("t3.granted.total") is None
    assert report.cell("t3.granted.total").kind == "blank"
    findings = govreport.validate(report)
    assert findings and all(f.severity == "warning" for f in findings)
    assert any(f.rule == "T3-SUM" and "t3.total_processed.total" in f.keys for f in findings)


def test_amount_with_unit_in_the_cell():
    report = govreport.read(DATA / "sh_gov_office_2019_fragment.html")
    cell = report.cell("t2.centralized_procurement.amount")
    assert str(cell.value) == "251000" and cell.unit == "元" and cell.raw.strip() == "251000元"


@pytest.mark.parametrize("name", PAGES)
def test_html_pages_are_sniffed_by_content(name, tmp_path):
    odd = tmp_path / (name + ".txt")
    odd.write_bytes((DATA / name).read_bytes())
    report = govreport.read(odd)
    assert report.source.format == "html"
    assert govreport.flatten(report) == flat_of(name)


@pytest.mark.parametrize("page", [b"<html><body><p>Hello</p></body></html>", b"<html></html>", b"<!-- -->"])
def test_html_without_report_content(page):
    with pytest.raises(govreport.NotAReportError, match=r"hello\.html"):
        govreport.read_bytes(page, "hello.html")
    assert HTML.sniff(b"<html><body>") > 0


def test_a_utf8_page_that_declares_gb2312_reads_as_utf8():
    # Sites converted to UTF-8 often keep their old <meta charset=gb2312>.
    page = (DATA / "fj_pingtan_2024.html").read_text(encoding="utf-8")
    declared = re.sub(r"charset=[\"']?[\w-]+", "charset=gb2312", page, count=1)
    assert "charset=gb2312" in declared
    report = govreport.read_bytes(declared.encode("utf-8"), "declared-gb2312.html")
    assert report.meta.agency == govreport.read(DATA / "fj_pingtan_2024.html").meta.agency


@pytest.mark.parametrize("name", ["fj_pingtan_2021.html", "sh_gov_office_2019_fragment.html"])
@pytest.mark.parametrize("note", ["（本列数据的勾稽关系为", "（本列数据的钩稽关系为"])
def test_a_table_set_one_row_a_table_reads_like_the_table(name, note, tmp_path):
    # Some portals set each row of a table as a table of its own. No single row tells table 3 by its
    # labels (least of all where the note above it is spelt 钩稽); the run of them does.
    page = (DATA / name).read_text(encoding="utf-8")

    def one_row_a_table(table: re.Match[str]) -> str:
        rows = re.findall(r"<tr\b.*?</tr>", table.group(0), flags=re.S | re.I)
        return "".join(f"<table>{row}</table>" for row in rows)

    split = re.sub(r"<table\b.*?</table>", one_row_a_table, page.replace("（本列数据的勾稽关系为", note),
                   flags=re.S | re.I)
    path = tmp_path / "rows.html"
    path.write_text(split, encoding="utf-8")
    expected = {k: v for k, v in govreport.flatten(govreport.read(DATA / name)).items() if k.startswith("t")}
    assert {k: v for k, v in govreport.flatten(govreport.read(path)).items() if k.startswith("t")} == expected


@pytest.mark.parametrize(("printed", "misread"), [("自然人", "白然人"), ("科研机构", "科研机")])
def test_a_table3_header_a_character_off_keeps_its_column(printed, misread):
    # OCR misreads a character of a header (白然人); the one column it is a character off is still it.
    html = (DATA / "fj_pingtan_2024.html").read_text(encoding="utf-8")
    truth = json.loads((DATA / "fj_pingtan_2024.truth.json").read_text(encoding="utf-8"))["values"]
    report = govreport.read_bytes(html.replace(printed, misread).encode("utf-8"), "page.html")
    for key in ("t3.granted.natural_person", "t3.new_received.research", "t3.new_received.total"):
        assert report.value(key) == truth[key]


REPORT_PAGE = DATA / "fj_pingtan_2024.html"


def _table_pictures(pdf_path, dpi: int) -> list[bytes]:
    """Each table of a PDF cut out of its rendered page as a PNG (a screenshot of the table), in order."""
    import io

    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    pictures = []
    pdf = pdfium.PdfDocument(pdf_path)
    for page in pdf:
        ruled = sorted((o.get_bounds() for o in page.get_objects() if o.type == pdfium_c.FPDF_PAGEOBJ_PATH),
                       key=lambda box: -box[3])
        tables: list[tuple[float, float, float, float]] = []
        for left, bottom, right, top in ruled:  # rules closer than 15 pt belong to one table
            if tables and tables[-1][1] - top < 15:
                a, b, c, d = tables[-1]
                tables[-1] = (min(a, left), min(b, bottom), max(c, right), max(d, top))
            else:
                tables.append((left, bottom, right, top))
        image = page.render(scale=dpi / 72).to_pil().convert("RGB")
        scale, height = dpi / 72, page.get_height()
        for left, bottom, right, top in tables:
            if right - left > 200 and top - bottom > 40:
                out = io.BytesIO()
                image.crop((int((left - 4) * scale), int((height - top - 4) * scale), int((right + 4) * scale),
                            int((height - bottom + 4) * scale))).save(out, "PNG")
                pictures.append(out.getvalue())
    return pictures


@needs_ocr
def test_a_page_showing_its_tables_as_pictures_reads_them(tmp_path):
    # Portals often show a report's tables as screenshots: the page's text has no table, its pictures do.
    # The screenshots here are the report's own tables cut from its PDF at a screen's 110 dpi; one is
    # inline (a data: URI), the rest files beside the page.
    import base64
    import html

    page = govreport.read(DATA / "fj_pingtan_2024.html")
    pictures = _table_pictures(DATA / "fj_pingtan_2024.lo.pdf", 110)
    assert len(pictures) == 5  # table 2, table 3 over three pages, table 4
    sources = []
    for n, data in enumerate(pictures):
        if n == 0:
            sources.append("data:image/png;base64," + base64.b64encode(data).decode())
        else:
            (tmp_path / f"t{n}.png").write_bytes(data)
            sources.append(f"t{n}.png")
    shown = {2: sources[:1], 3: sources[1:4], 4: sources[4:]}
    parts = [f"<h1>{html.escape(page.meta.title or '')}</h1>"]
    for section in SECTIONS:
        parts.append(f"<h2>{section.heading}</h2>")
        parts += [f"<p>{html.escape(line)}</p>" for line in (getattr(page.sections, section.key) or "").split("\n")]
        parts += [f'<p><img src="{src}"></p>' for src in shown.get(section.number, [])]
    path = tmp_path / "page.html"
    path.write_text("<html><body>" + "\n".join(parts) + "</body></html>", encoding="utf-8")
    report = govreport.read(path)
    expected = {k: v for k, v in govreport.flatten(page).items() if k.startswith(("t2.", "t3.", "t4."))}
    assert {k: report.value(k) for k in expected} == expected


def test_without_ocr_a_page_showing_tables_as_pictures_says_how_to_read_them(tmp_path, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "rapidocr_onnxruntime", None)
    page = REPORT_PAGE.read_text(encoding="utf-8")
    start = page.rindex("<table", 0, page.index("结果维持"))
    end = page.index("</table>", start) + len("</table>")
    (tmp_path / "t4.png").write_bytes(_table_pictures(DATA / "fj_pingtan_2024.lo.pdf", 110)[-1])
    (tmp_path / "page.html").write_text(page[:start] + '<img src="t4.png">' + page[end:], encoding="utf-8")
    report = govreport.read(tmp_path / "page.html")
    assert report.table4 is None and report.table3 is not None
    assert any(f.rule == "PARSE-OCR" and "govreport[ocr]" in f.message for f in report.reading_findings)


#: The 规章 row's label cell and its first value cell, as the page has them.
_RULES_CELLS = re.compile(r'<td[^>]*><p[^>]*>规章</p></td><td[^>]*><p[^>]*>0</p></td>')


@pytest.mark.parametrize(("label", "read"), [("规章  0", 0), ("规章", None)])
def test_a_label_cell_spanning_the_first_column_gives_its_number_or_names_the_cell(label, read):
    # A rule between a row's label and its first value lost (not drawn, or not found in a scan): the label
    # cell spans that column. A number at the end of its words is that column's; without one, the column's
    # cell is named, not taken for blank.
    page = (DATA / "fj_pingtan_2024.html").read_text(encoding="utf-8")
    edited, count = _RULES_CELLS.subn(f'<td colspan="2"><p>{label}</p></td>', page)
    assert count == 1
    report = govreport.read_bytes(edited.encode("utf-8"), "edited.html")
    flat = govreport.flatten(report)
    assert (flat["t2.regulations.repealed"], flat["t2.regulations.in_force"]) == (0, 0)
    assert flat["t2.regulations.issued"] == read
    named = {k for f in govreport.validate(report) for k in f.keys}
    assert (read is None) == ("t2.regulations.issued" in named)


def test_two_numbers_on_two_lines_of_one_cell_are_no_number():
    # A row boundary lost between 行政处罚 and 行政强制: one cell holds 1100 and 65 on two lines. Joined they
    # would read 110065; the cell is left blank and named instead.
    page = (DATA / "fj_pingtan_2024.html").read_text(encoding="utf-8")
    edited = page.replace('<p style="text-indent: 0em;">1100</p>', '<p style="text-indent: 0em;">1100<br>65</p>')
    assert edited != page
    report = govreport.read_bytes(edited.encode("utf-8"), "edited.html")
    assert govreport.flatten(report)["t2.penalty.decisions"] is None
    assert any("t2.penalty.decisions" in f.keys for f in govreport.validate(report))


@pytest.mark.parametrize(("depth", "stray_tags"), [(300, 0), (2200, 0), (2200, 300)])
def test_a_page_nested_deeper_than_the_parser_goes_is_refused_not_cut(depth, stray_tags, tmp_path):
    # A real report page wrapped in `depth` divs: at 300 (deeper than libxml2's default of 256) huge_tree
    # keeps everything; past ~2,000 the parser would drop the report, and the reader says so instead, also
    # when hundreds of stray end tags before it fill the parser's log.
    page = (DATA / "js_shuyang_fgj_2023.html").read_text(encoding="utf-8")
    body_at = page.lower().index("<body")
    body_end = page.index(">", body_at) + 1
    close_at = page.lower().rindex("</body>")
    wrapped = (page[:body_end] + "</span>" * stray_tags + "<div>" * depth + page[body_end:close_at]
               + "</div>" * depth + page[close_at:])
    path = tmp_path / "deep.html"
    path.write_text(wrapped, encoding="utf-8")
    if depth < 2000:
        assert flat_of_path(path) == flat_of("js_shuyang_fgj_2023.html")
    else:
        with pytest.raises(govreport.UnreadableFileError, match="nested deeper") as caught:
            govreport.read(path)
        assert caught.value.path == str(path)


def flat_of_path(path) -> dict:
    return govreport.flatten(govreport.read(path))
