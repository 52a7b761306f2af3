"""The text reader on real reports in every encoding and shape, and the errors of bad input."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import DATA, same

import govreport

SEED = "seed-001-xiangxiang-xinfang-2023.txt"


def flat_of(name: str) -> dict:
    return govreport.flatten(govreport.read(DATA / name))


@pytest.mark.parametrize("encoding", ["gb18030", "gbk", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be"])
def test_encodings_read_the_same(encoding, tmp_path):
    text = (DATA / SEED).read_text(encoding="utf-8")
    if encoding == "gbk":
        text = text.replace("\u00a0", " ")  # GBK has no no-break space; the cell is blank either way
    path = tmp_path / f"report-{encoding}.txt"
    path.write_bytes(text.encode(encoding))
    assert govreport.flatten(govreport.read(path)) == flat_of(SEED)


def test_markdown_headings_and_pipe_tables(tmp_path):
    text = (DATA / "seed-002-dawukou-office-2023.txt").read_text(encoding="utf-8")
    text = re.sub(r"^([一二三四五六]、)", r"## \1", text, flags=re.M)
    text = text.replace("第二十条第(一)项 | |||", "| 第二十条第(一)项 | | | |\n|---|---|---|---|")
    path = tmp_path / "report.md"
    path.write_text(text, encoding="utf-8")
    assert govreport.flatten(govreport.read(path)) == flat_of("seed-002-dawukou-office-2023.txt")


def test_windows_line_endings(tmp_path):
    text = (DATA / "seed-000-suide-xinfang-2023.txt").read_text(encoding="utf-8")
    path = tmp_path / "crlf.txt"
    path.write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
    assert govreport.flatten(govreport.read(path)) == flat_of("seed-000-suide-xinfang-2023.txt")


def test_provenance_points_at_the_line(tmp_path):
    report = govreport.read(DATA / "seed-000-suide-xinfang-2023.txt")
    cell = report.cell("t3.new_received.natural_person")
    lines = (DATA / "seed-000-suide-xinfang-2023.txt").read_text(encoding="utf-8").split("\n")
    assert cell.source.line is not None and lines[cell.source.line - 1].strip() == cell.raw
    pipe = govreport.read(DATA / "seed-002-dawukou-office-2023.txt").cell("t2.normative_documents.in_force")
    assert pipe.raw == "3" and pipe.source.row is not None and pipe.source.column == 3


def test_raw_text_is_kept_for_blank_cells():
    report = govreport.read(DATA / SEED)
    fee = report.cell("t2.admin_fees.amount")
    assert fee.value is None and fee.kind == "blank" and fee.raw == ""
    three = govreport.read(DATA / "seed-003-licheng-xinfang-2019.txt").cell("t3.granted.total")
    assert three.raw == "0"  # printed "    0": the padding is not part of what the report says


def test_metadata():
    report = govreport.read(DATA / "seed-000-suide-xinfang-2023.txt")
    assert report.meta.agency == "绥德县信访局"
    assert report.meta.year == 2023
    assert report.meta.published is not None and report.meta.published.isoformat() == "2024-01-29"
    assert report.meta.table2_edition == "2019" and report.meta.table3_edition == "2019"
    assert report.source.format == "txt"
    lijizhen = govreport.read(DATA / "seed-004-lijizhen-2023.txt")
    assert lijizhen.meta.title == "灌南县李集镇人民政府2023年政府信息公开工作年度报告"


def test_sign_off_and_page_furniture_are_not_section_text():
    report = govreport.read(DATA / "seed-003-licheng-xinfang-2019.txt")
    assert report.sections.other_matters == "无。"
    assert "扫一扫" not in (report.sections.other_matters or "")
    xiangxiang = govreport.read(DATA / SEED)
    assert "2024年1月9日" not in (xiangxiang.sections.other_matters or "")


# --- bad input -------------------------------------------------------------------------------------

def test_missing_file_names_the_file(tmp_path):
    missing = tmp_path / "nope.txt"
    with pytest.raises(govreport.UnreadableFileError, match=r"nope\.txt"):
        govreport.read(missing)


def test_folder_is_not_a_file(tmp_path):
    with pytest.raises(govreport.UnreadableFileError, match="folder"):
        govreport.read(tmp_path)


def test_empty_file(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    with pytest.raises(govreport.UnreadableFileError, match="empty"):
        govreport.read(path)


def test_text_that_is_no_report(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("会议纪要\n今天讨论了三件事。\n", encoding="utf-8")
    with pytest.raises(govreport.NotAReportError, match=r"notes\.txt"):
        govreport.read(path)


def test_binary_garbage_is_unsupported(tmp_path):
    path = tmp_path / "image.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    with pytest.raises(govreport.GovReportError, match=r"image\.txt"):
        govreport.read(path)


def test_every_error_is_a_govreport_error():
    for cls in (govreport.UnreadableFileError, govreport.UnsupportedFormatError, govreport.NotAReportError,
                govreport.MissingDependencyError, govreport.WriterError):
        assert issubclass(cls, govreport.GovReportError)


def test_unknown_reader_name(tmp_path):
    with pytest.raises(govreport.UnsupportedFormatError, match="no reader named"):
        govreport.read(DATA / SEED, format="pptx")


def test_tables_flattened_with_spaces(tmp_path):
    """The same report with its ``|`` separators replaced by runs of spaces (CMS and text dumps)."""
    text = (DATA / "seed-002-dawukou-office-2023.txt").read_text(encoding="utf-8")
    path = tmp_path / "spaces.txt"
    path.write_text(text.replace(" | ", "    ").replace("|", ""), encoding="utf-8")
    assert govreport.flatten(govreport.read(path)) == flat_of("seed-002-dawukou-office-2023.txt")


def test_label_and_numbers_on_one_line(tmp_path):
    text = (DATA / "seed-002-dawukou-office-2023.txt").read_text(encoding="utf-8")
    path = tmp_path / "single.txt"
    path.write_text(text.replace(" | ", " ").replace("|", ""), encoding="utf-8")
    report = govreport.read(path)
    assert report.value("t2.normative_documents.in_force") == 3
    assert report.value("t3.new_received.total") == 0 and report.table3.edition == "2021"


def _markdown_keeping_html_tables(page: str) -> str:
    """A report page as markdown converters write one with merged cells: its text as lines, each table kept
    as HTML (pandoc's gfm), wrapped in a ``<div>`` as pandoc keeps a page's containers."""
    from lxml import etree, html

    root = html.fromstring(page)
    lines = ['<div class="article">', ""]
    for element in root.iter("p", "table", "h1", "h2", "h3"):
        if element.tag == "table":
            lines += [etree.tostring(element, encoding="unicode", with_tail=False), ""]
        elif not any(parent.tag == "table" for parent in element.iterancestors()):
            text = element.text_content().strip()
            lines += [f"**{text}**" if element.tag.startswith("h") else text, ""] if text else []
    return "\n".join([*lines, "</div>"])


@pytest.mark.parametrize("suffix", [".md", ".txt"])
def test_markdown_with_its_tables_kept_as_html_reads_like_the_page(suffix, tmp_path):
    page = DATA / "fj_pingtan_2021.html"
    path = tmp_path / f"report{suffix}"
    path.write_text(_markdown_keeping_html_tables(page.read_text(encoding="utf-8")), encoding="utf-8")
    report = govreport.read(path)
    assert report.source.format == "txt"  # it starts like an HTML fragment; its markdown says otherwise
    expected = govreport.read(page)
    for key, value in govreport.flatten(expected).items():
        if key.startswith(("t2.", "t3.", "t4.")):
            assert govreport.flatten(report)[key] == value, key


def test_an_html_fragment_stays_html():
    from govreport.readers import is_markdown

    fragment = (DATA / "sh_gov_office_2019_fragment.html").read_text(encoding="utf-8")
    assert not is_markdown(fragment)
    assert is_markdown('<div class="title">\n\n**报告**\n\n| 规章 | 0 |\n|---|---|\n</div>')


def test_a_table_drawn_with_box_characters_reads_like_the_page():
    # w3m -dump draws the page's tables with box characters; cells that wrap fill several lines of a row.
    drawn = govreport.read(DATA / "extracted" / "fj_pingtan_2024.html.w3m.txt")
    page = govreport.read(DATA / "fj_pingtan_2024.html")
    cells = {k: v for k, v in govreport.flatten(page).items() if k.startswith(("t2.", "t3.", "t4."))}
    assert {k: govreport.flatten(drawn)[k] for k in cells} == cells


def test_an_ascii_grid_reads_like_the_same_grid_in_box_characters(tmp_path):
    # pandoc's grid tables, tabulate and psql draw with + - | instead.
    text = (DATA / "extracted" / "fj_pingtan_2024.html.w3m.txt").read_text(encoding="utf-8")
    ascii_grid = re.sub("[├┤┼┬┴┌┐└┘]", "+", text.replace("─", "-").replace("│", "|"))
    path = tmp_path / "grid.txt"
    path.write_text(ascii_grid, encoding="utf-8")
    drawn = govreport.flatten(govreport.read(DATA / "extracted" / "fj_pingtan_2024.html.w3m.txt"))
    assert {k: v for k, v in govreport.flatten(govreport.read(path)).items() if k.startswith("t")} == \
        {k: v for k, v in drawn.items() if k.startswith("t")}


@pytest.mark.parametrize(("name", "read_there"), [
    ("js_huaian_city_2024", {"t2.licensing.decisions": 447228, "t2.penalty.decisions": 3985758,
                             "t2.coercion.decisions": 88283, "t2.regulations.issued": 1}),
    ("js_huaian_hongze_2024", {"t2.penalty.decisions": 2776, "t2.coercion.decisions": 84,
                               "t2.normative_documents.in_force": 8}),
])
def test_pdfminer_text_reads_labels_and_values_printed_apart(name, read_there, tmp_path):
    # pdfminer (and markitdown, which uses it for PDFs) prints a block's row labels, then its values —
    # sometimes after the next block's caption, and a block of two rows column by column. Cells that
    # row-by-row and column-by-column readings fill differently stay blank and are named.
    from pdfminer.high_level import extract_text

    path = tmp_path / f"{name}.pdfminer.txt"
    path.write_text(extract_text(str(DATA / f"{name}.pdf")), encoding="utf-8")
    report = govreport.read(path)
    truth = json.loads((DATA / f"{name}.truth.json").read_text(encoding="utf-8"))["values"]
    named = {k for f in govreport.validate(report) for k in f.keys}
    for key, value in read_there.items():
        assert report.value(key) == value
    for key, value in truth.items():
        if key.startswith("t2."):
            got = report.value(key)
            assert (got is None and key in named) or Decimal(str(got)) == Decimal(str(value)), key


@pytest.mark.parametrize(("name", "joiner"), [("fj_pingtan_2024.html", ""), ("js_shuyang_fgj_2023.html", " ")])
def test_a_page_on_one_line_ends_its_last_section_where_the_furniture_or_the_sign_off_begins(name, joiner):
    # A page's text nodes joined with nothing (BeautifulSoup's get_text(strip=True)) glue the last section
    # to 附件下载扫一扫在手机上查看…; joined with spaces, the agency's sign-off and the page's scripts follow
    # the last sentence on the same line.
    import lxml.html

    page = govreport.read(DATA / name)
    root = lxml.html.document_fromstring((DATA / name).read_bytes().decode("utf-8"))
    text = joiner.join(" ".join(t.split()) for t in root.itertext() if t.strip())
    assert "\n" not in text
    one_line = govreport.read_bytes(text.encode("utf-8"), "page.txt")
    assert page.sections.other_matters and one_line.sections.other_matters
    assert "".join(one_line.sections.other_matters.split()) == "".join(page.sections.other_matters.split())


def test_section_headings_whose_numeral_ocr_read_as_a_dash_still_open_their_sections():
    # Tesseract's text of a 150-dpi scan: 一、总体情况 and 二、主动公开政府信息情况 come out as `-、…`.
    path = DATA / "extracted" / "fj_pingtan_2020.lo.scan150.tesseract-psm6.txt"
    assert "\n-、总体情况\n" in path.read_text(encoding="utf-8")
    flat = govreport.flatten(govreport.read(path))
    assert flat["text.overview"].startswith("2020 年，我区以习近平新时代中国特色社会主义思想为指导")
    assert "主动公开" not in flat["text.overview"][-200:]  # it ends where the next heading begins


@pytest.mark.parametrize("joiner", ["\n", "\f"])
def test_a_browsers_print_header_and_footer_in_a_text_dump_stay_out_of_tables_and_sections(joiner):
    # A page Chromium printed to PDF with its header and footer (print time, the page's title, its address,
    # "2/5") and the PDF's text as pypdfium2 gives it: those lines fall between table rows and sections.
    import pypdfium2

    pdf = pypdfium2.PdfDocument((DATA / "chrome" / "fj_pingtan_htp_2023.chromehf.pdf").read_bytes())
    text = joiner.join(page.get_textpage().get_text_range() for page in pdf)
    assert text.count("file:///") >= 3
    report = govreport.read_bytes(text.encode("utf-8"), "printed.txt")
    truth = json.loads((DATA / "chrome" / "fj_pingtan_htp_2023.chromehf.pdf.truth.json").read_text(encoding="utf-8"))
    flat = govreport.flatten(report)
    wrong = {k: (v, flat.get(k)) for k, v in truth["values"].items() if k.startswith("t") and not same(v, flat.get(k))}
    assert not wrong
    assert "file:" not in flat["text.other_matters"] and "PM" not in flat["text.problems"]


@pytest.mark.parametrize(("name", "codec"), [("fj_pingtan_2024.html", "utf-8"), (SEED, "utf-8"), (SEED, "gb18030")])
def test_mojibake_a_crawler_made_by_decoding_as_latin1_reads_like_the_original(name, codec, tmp_path):
    # requests takes a page without a declared charset for ISO-8859-1; saved again as UTF-8, every byte of
    # the Chinese text became a Latin letter (å¹´ for 年). Nothing is lost, and the bytes are put back.
    original = (DATA / name).read_bytes().decode("utf-8-sig")
    mangled = tmp_path / f"mangled{Path(name).suffix}"
    mangled.write_bytes(original.encode(codec).decode("latin-1").encode("utf-8"))
    assert "年" not in mangled.read_text(encoding="utf-8")
    report = govreport.read(mangled)
    assert govreport.flatten(report) == govreport.flatten(govreport.read(DATA / name))
    assert any(f.rule == "PARSE-ENCODING" and codec.upper() in f.message for f in govreport.validate(report))
