"""PDF: the corpus PDFs (tests/test_corpus.py), image-only scans through OCR, our own DOCX as PDF, bad files."""

from __future__ import annotations

import ctypes
import difflib
import io
import json
import sys

import attrs
import pypdfium2 as pdfium
import pytest
from conftest import DATA, needs_libreoffice, needs_ocr, same
from PIL import Image, ImageFilter

import govreport
from govreport import libreoffice, ocr
from govreport.settings import using


def image_only(path, scale: float = 2.0) -> bytes:
    """A scan of a PDF: every page rendered to a picture, the pictures saved as a PDF (no text layer)."""
    pdf = pdfium.PdfDocument(path.read_bytes())
    images = [pdf[n].render(scale=scale).to_pil().convert("RGB") for n in range(len(pdf))]
    out = io.BytesIO()
    images[0].save(out, "PDF", save_all=True, append_images=images[1:], resolution=72 * scale)
    return out.getvalue()


def scanned(path, dpi: int, angle: float = 0.0, blur: float = 0.0, quality: int | None = None,
            pages: list[int] | None = None) -> bytes:
    """A scanner's copy of a PDF (or of some of its ``pages``): pages as grey pictures at ``dpi``, turned by
    ``angle`` degrees, blurred, JPEG-compressed, with no text layer."""
    pdf = pdfium.PdfDocument(path.read_bytes())
    images = []
    for n in range(len(pdf)) if pages is None else pages:
        image = pdf[n].render(scale=dpi / 72).to_pil().convert("L")
        if angle:
            image = image.rotate(angle, resample=Image.BICUBIC, fillcolor=255)
        if blur:
            image = image.filter(ImageFilter.GaussianBlur(blur))
        if quality:
            buffer = io.BytesIO()
            image.save(buffer, "JPEG", quality=quality)
            image = Image.open(buffer)
        images.append(image)
    out = io.BytesIO()
    images[0].save(out, "PDF", save_all=True, append_images=images[1:], resolution=dpi)
    return out.getvalue()


def assert_cells_read(report, values: dict, minimum: float, *, misread_if_named: bool = False) -> None:
    """Every table cell of ``values`` (flat keys) is right or named by a finding, and at least ``minimum`` of
    them are right."""
    right, problems = _cells_read_or_flagged(report, {"values": values}, misread_if_named=misread_if_named)
    assert not problems, "\n".join(problems)
    cells = [k for k in values if k.startswith(("t2.", "t3.", "t4."))]
    assert right >= minimum * len(cells), f"{right} of {len(cells)} cells read"


def _cells_read_or_flagged(report, truth, *, misread_if_named: bool = False) -> tuple[int, list[str]]:
    """Cells read right, and the problems: a blank no finding names, a wrong value (or, with
    ``misread_if_named``, a wrong value no finding names: a misread digit the table's sums expose)."""
    flat = govreport.flatten(report)
    findings = govreport.validate(report)
    right, problems = 0, []
    for key, value in truth["values"].items():
        if not key.startswith(("t2.", "t3.", "t4.")):
            continue
        got = flat.get(key)
        named = any(key == k or key.startswith(k + ".") for f in findings for k in f.keys)
        if same(value, got):
            right += 1
        elif got is not None and value is not None and not (misread_if_named and named):
            problems.append(f"{key}: read {got!r}, printed {value!r}")
        elif not named:
            problems.append(f"{key}: blank and no finding names it")
    return right, problems


@needs_ocr
@pytest.mark.parametrize(("name", "dpi", "angle", "minimum"), [
    ("js_huaian_hongze_2024.pdf", 130, 0.0, 0.99),  # a resolution none of the corpus scans has
    ("fj_pingtan_2024.lo.pdf", 220, 0.7, 0.9),  # turned, blurred and compressed like an office scan
])
def test_scans_read_every_cell_or_flag_it(name, dpi, angle, minimum):
    truth_path = DATA / (name + ".truth.json")
    if not truth_path.exists():
        truth_path = DATA / (name.removesuffix(".pdf") + ".truth.json")
    truth = json.loads(truth_path.read_text(encoding="utf-8"))
    scan = scanned(DATA / name, dpi, angle, blur=0.5 if angle else 0.0, quality=70 if angle else None)
    report = govreport.read_bytes(scan, "scan.pdf")
    assert_cells_read(report, truth["values"], minimum)
    assert report.meta.year == truth["values"]["meta.year"]


@needs_ocr
def test_a_scanned_table_a_page_break_cut_open_keeps_its_rows():
    # A browser draws no rule where a page break cuts a table: the scan of its pages has rows below the
    # last full-width rule (under a label that spans them) and a row above the first one. Before, every
    # row under 三、本年度办理结果 and the rows around the breaks were lost.
    truth = json.loads((DATA / "chrome" / "js_shuyang_fgj_2023.chrome.pdf.truth.json").read_text(encoding="utf-8"))
    report = govreport.read_bytes(scanned(DATA / "chrome" / "js_shuyang_fgj_2023.chrome.pdf", 150, pages=[3, 4, 5]),
                                  "scan.pdf")
    for key in ("new_received", "granted", "denied.state_secret", "denied.admin_query",
                "not_processed.duplicate"):
        for column in ("natural_person", "total"):
            assert report.value(f"t3.{key}.{column}") == truth["values"][f"t3.{key}.{column}"], (key, column)


@needs_ocr
def test_a_blurred_scan_at_a_low_resolution_reads_most_cells_and_flags_the_rest():
    # 125 dpi, blurred and JPEG-compressed: a thin stroke is mostly grey edge, which a clean cut of each
    # line (ink only) drops; below 140 dpi the lines are cut with the edges kept.
    truth = json.loads((DATA / "js_huaian_city_2024.truth.json").read_text(encoding="utf-8"))
    scan = scanned(DATA / "js_huaian_city_2024.pdf", 125, 0.4, blur=0.6, quality=60)
    report = govreport.read_bytes(scan, "scan.pdf")
    assert_cells_read(report, truth["values"], MINIMUM_LOW_RESOLUTION, misread_if_named=True)


@needs_ocr
def test_a_number_a_strip_read_short_of_its_width_is_read_again_alone():
    # At 100 dpi the strip of 予以公开's cells gave 122 for 总计 1362 (sure of it; the row's sum flagged it).
    # The table's numbers say how wide a digit is: a line four digits wide read as three is read again on
    # its own, which reads 1362.
    report = govreport.read_bytes(scanned(DATA / "js_huaian_city_2024.pdf", 100, pages=[3]), "scan.pdf")
    assert (report.value("t3.granted.natural_person"), report.value("t3.granted.total")) == (1288, 1362)


#: Cells the blurred 125-dpi scan must read: 1.0 since coarse scans are sharpened, 0.965 when the glyphs'
#: edges were first kept, 0.915 before.
MINIMUM_LOW_RESOLUTION = 0.99


@needs_ocr
@pytest.mark.parametrize(("name", "page", "printed", "misread"), [
    # A colon and a bracket typed half-width between Chinese characters; other marks full-width.
    ("fj_pingtan_2020.lo.pdf", 10, ["存在的主要问题:基层", "改进措施：一是"], ["问题：基层"]),
    # Lines underlined from end to end: the glyphs touching the rule are measured without it.
    ("fj_pingtan_2020.lo.pdf", 1, ["2602条(其中", "271条，其他"], ["条（其中", "271条,"]),
    # Word squeezed these full-width commas to little more than half an em: they stay full-width.
    ("js_huaian_hongze_2024.pdf", 0, ["2024年，淮安市", "8条，公开"], ["年,淮安", "条,公开"]),
])
def test_scanned_punctuation_keeps_the_width_it_is_printed_at(name, page, printed, misread):
    scan = pdfium.PdfDocument(scanned(DATA / name, 150, 0.3, blur=0.4, quality=70, pages=[page]))
    chars, _tables = ocr.read_page(scan[0], 1)
    text = "".join(c.text for c in chars).replace(" ", "")
    for piece in printed:
        assert piece in text
    for piece in misread:
        assert piece not in text


@needs_ocr
@pytest.mark.parametrize("page", [
    pdfium.PdfDocument(scanned(DATA / "js_huaian_hongze_2024.pdf", 150, pages=[0]))[0],  # text
    pdfium.PdfDocument((DATA / "scans" / "pingtan2021-p3.scan120.pdf").read_bytes())[0],  # two tables
])
def test_running_text_is_looked_for_only_where_the_page_has_ink(page):
    # The detector is given the page's inked bands, not its blank margins or its tables, and finds the
    # same lines as on the whole page.
    engine = ocr._engine()
    detector, given = engine.text_det, []

    def detect(image):
        given.append(image.shape[0] * image.shape[1])
        return detector(image)

    whole = attrs.evolve(govreport.ReadOptions(), scan=attrs.evolve(
        govreport.ReadOptions().scan, detect_margin_inches=100.0, detect_band_gap_inches=100.0))
    engine.text_det = detect
    try:
        banded, _ = ocr.read_page(page, 1)
        in_bands = sum(given)
        given.clear()
        with using(whole):
            entire, _ = ocr.read_page(page, 1)
    finally:
        engine.text_det = detector
    assert in_bands < 0.75 * sum(given)
    # The lines come in another order (the reader sorts them by place); their characters are the same.
    text, text_entire = ("".join(sorted(c.text for c in chars)) for chars in (banded, entire))
    assert len(text) > 15 and difflib.SequenceMatcher(None, text, text_entire).ratio() > 0.99


@needs_ocr
@pytest.mark.parametrize("name", ["shuyang-p5.scanner180.pdf", "pingtan2021-p5.scan120.pdf"])
def test_a_heading_close_under_a_scanned_table_stays_text(name):
    # The heading's strokes, joined, look like a short rule just under the table's bottom one; the table
    # ends at its last rule across its whole width, and the heading is read as the page's text.
    page = pdfium.PdfDocument((DATA / "scans" / name).read_bytes())[0]
    chars, tables = ocr.read_page(page, 5)
    text = "".join(c.text for c in chars).replace(" ", "")
    assert "五、存在的主要问题及" in text
    last = tables[-1][1]
    assert not any("存在的主要问题" in cell.text for row in last.rows for cell in row)


@needs_ocr
def test_two_scanned_tables_with_a_heading_between_them_stay_two():
    # At 120 dpi the heading's strokes touch table 2's bottom rule and table 3's top one: one region of
    # lines, but both tables' outer borders stop along the heading.
    page = pdfium.PdfDocument((DATA / "scans" / "pingtan2021-p3.scan120.pdf").read_bytes())[0]
    chars, tables = ocr.read_page(page, 3)
    assert "三、收到和处理政府信息公开申请情况" in "".join(c.text for c in chars).replace(" ", "")
    assert len(tables) == 2
    fees = [[cell.text for cell in row] for row in tables[0][1].rows][-1]
    assert fees == ["行政事业性收费", "24252.311082"]


@needs_ocr
def test_two_header_labels_run_together_in_one_scanned_cell_keep_their_column():
    # This Word table's header is irregular (自然人 stands over a blank cell), and at 120 dpi the border
    # between 自然人 and 法人或其他组织 is not found: one cell reads 自然人法人或其他组织. Its labels, each
    # in the cell's place, still name the first column, whose values are then read.
    report = govreport.read(DATA / "scans" / "pingtan2021-p3.scan120.pdf")
    assert report.value("t3.new_received.natural_person") == 64
    assert report.value("t3.new_received.total") == 70


@needs_ocr
@pytest.mark.parametrize(("stored", "shown"), [(90, 90), (-90, 270)])
def test_a_scan_stored_sideways_and_shown_upright_is_read_as_shown(stored, shown):
    # A landscape scan turned upright in a PDF viewer: the picture stays sideways, the page gets /Rotate.
    truth = json.loads((DATA / "js_huaian_hongze_2024.truth.json").read_text(encoding="utf-8"))["values"]
    page = pdfium.PdfDocument((DATA / "js_huaian_hongze_2024.pdf").read_bytes())[3]
    picture = page.render(scale=150 / 72).to_pil().convert("L").rotate(stored, expand=True)
    buffer = io.BytesIO()
    picture.save(buffer, "PDF", resolution=150)
    pdf = pdfium.PdfDocument(buffer.getvalue())
    pdf[0].set_rotation(shown)
    out = io.BytesIO()
    pdf.save(out)
    report = govreport.read_bytes(out.getvalue(), "turned.pdf")
    for key in ("t4.review.total", "t4.litigation_after_review.total", "t3.total_processed.total"):
        assert report.value(key) == truth[key]


@pytest.mark.parametrize("name", sorted(p.name for p in (DATA / "chrome").glob("*.pdf")))
def test_pages_a_browser_printed_to_pdf_read_whole(name):
    # A browser leaves out the border of the rows either side of a page break (one row of 3 lines with it),
    # the last border of a table wider than the page, repeats no header, and may print its own running
    # header and footer on every page (tests/data/chrome/README.md).
    truth = json.loads((DATA / "chrome" / (name + ".truth.json")).read_text(encoding="utf-8"))
    report = govreport.read(DATA / "chrome" / name)
    assert_cells_read(report, truth["values"], 1.0)
    for section, text in truth["sections"].items():  # the browser's running header and footer left out
        read = (getattr(report.sections, section.removeprefix("text.")) or "").replace(" ", "")
        assert read.startswith(text["starts"].replace(" ", "")) and read.endswith(text["ends"].replace(" ", ""))


@needs_ocr
def test_sheets_scanned_upside_down_or_sideways_are_read_turned():
    # Pages 3 and 4 (table 3 across the break, table 4): one fed sideways, one upside down, nothing in the
    # PDF saying so.
    truth = json.loads((DATA / "js_huaian_hongze_2024.truth.json").read_text(encoding="utf-8"))["values"]
    pdf = pdfium.PdfDocument((DATA / "js_huaian_hongze_2024.pdf").read_bytes())
    pictures = [pdf[n].render(scale=150 / 72).to_pil().convert("L").rotate(turn, expand=True)
                for n, turn in ((2, 90), (3, 180))]
    out = io.BytesIO()
    pictures[0].save(out, "PDF", save_all=True, append_images=pictures[1:], resolution=150)
    report = govreport.read_bytes(out.getvalue(), "turned.pdf")
    cells = [k for k in truth if k.startswith(("t3.", "t4."))]
    assert_cells_read(report, {k: truth[k] for k in cells}, 0.99)


def test_image_only_pdf_without_ocr_says_how_to_enable_it(monkeypatch):
    monkeypatch.setitem(sys.modules, "rapidocr_onnxruntime", None)
    scan = image_only(DATA / "fj_pingtan_2024.lo.pdf", scale=0.5)
    with pytest.raises(govreport.MissingDependencyError, match=r"govreport\[ocr\]"):
        govreport.read_bytes(scan, "scan.pdf")


def without_unicode_map(path, pages: list[int] | None = None) -> bytes:
    """A PDF whose fonts map no characters to Unicode (its ``/ToUnicode`` entries renamed, the offsets
    kept): printed and shown as before, but its text copies out as control codes (乱码)."""
    source = pdfium.PdfDocument(path.read_bytes().replace(b"/ToUnicode", b"/Tounicode"))
    out = pdfium.PdfDocument.new()
    out.import_pages(source, pages)
    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue()


@needs_ocr
def test_a_pdf_whose_text_layer_cannot_be_decoded_is_read_from_its_pages_images():
    # Fonts embedded without a map to Unicode: pdfium gives control codes for LibreOffice's subsets and
    # characters of unrelated scripts for WPS's; such a page is read as a scan, and a finding says so.
    garbled = without_unicode_map(DATA / "fj_pingtan_2024.lo.pdf", [0, 1, 2, 3])
    text = pdfium.PdfDocument(garbled)[1].get_textpage().get_text_range()
    assert "收到" not in text and len(text) > 100
    report = govreport.read_bytes(garbled, "garbled.pdf")
    truth = json.loads((DATA / "fj_pingtan_2024.lo.pdf.truth.json").read_text(encoding="utf-8"))["values"]
    assert_cells_read(report, {k: v for k, v in truth.items() if k.startswith(("t3.", "t4."))}, 1.0)
    assert any(f.rule == "PARSE-OCR" and "无法解码" in f.message for f in govreport.validate(report))


def test_a_pdf_whose_text_layer_cannot_be_decoded_without_ocr_says_how_to_read_it(monkeypatch):
    monkeypatch.setitem(sys.modules, "rapidocr_onnxruntime", None)
    with pytest.raises(govreport.MissingDependencyError, match=r"cannot be decoded.*govreport\[ocr\]"):
        govreport.read_bytes(without_unicode_map(DATA / "js_huaian_city_2024.pdf"), "garbled.pdf")


@needs_ocr
def test_a_searchable_scan_reads_its_text_layer_into_the_grid_of_its_picture():
    # A scan with its recognised text laid over it invisibly (双层 PDF), turned 0.8°: the rules are in the
    # picture only. They are found there and the layer's characters, turned level, set into its cells.
    path = DATA / "searchable" / "fj_pingtan_2024.lo.searchable.pdf"
    pdf = pdfium.PdfDocument(path.read_bytes())
    assert "本年新收" in pdf[0].get_textpage().get_text_range()
    report = govreport.read(path)
    truth = json.loads((DATA / "fj_pingtan_2024.lo.pdf.truth.json").read_text(encoding="utf-8"))["values"]
    assert_cells_read(report, {k: v for k, v in truth.items() if k.startswith(("t2.", "t3.", "t4."))}, 1.0)


def mixed(path, scan_pages: list[int], dpi: int = 150) -> bytes:
    """A text PDF with some pages swapped for their scans, each scan stamped with a page number in real
    text (as scanning software does): a report typed, printed, signed and partly scanned back in."""
    text = pdfium.PdfDocument(path.read_bytes())
    scans = pdfium.PdfDocument(scanned(path, dpi, pages=scan_pages))
    out = pdfium.PdfDocument.new()
    for n in range(len(text)):
        if n in scan_pages:
            out.import_pages(scans, [scan_pages.index(n)])
            page = out[n]
            stamp = pdfium.raw.FPDFPageObj_NewTextObj(out.raw, b"Helvetica", 9.0)
            words = f"- {n + 1} -\0".encode("utf-16-le")
            pdfium.raw.FPDFText_SetText(stamp, ctypes.cast(words, ctypes.POINTER(ctypes.c_ushort)))
            pdfium.raw.FPDFPageObj_Transform(stamp, 1, 0, 0, 1, page.get_width() / 2, 20)
            pdfium.raw.FPDFPage_InsertObject(page.raw, stamp)
            pdfium.raw.FPDFPage_GenerateContent(page.raw)
        else:
            out.import_pages(text, [n])
    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue()


@needs_ocr
def test_a_text_pdf_with_scanned_pages_reads_both():
    truth = json.loads((DATA / "js_huaian_hongze_2024.truth.json").read_text(encoding="utf-8"))
    data = mixed(DATA / "js_huaian_hongze_2024.pdf", [2, 3])
    assert len(pdfium.PdfDocument(data)[2].get_textpage().get_text_range()) < 10  # only the stamp
    report = govreport.read_bytes(data, "mixed.pdf")
    assert_cells_read(report, truth["values"], 0.99)
    for section, start in truth["sections"].items():
        text = getattr(report.sections, section.removeprefix("text.")) or ""
        assert text.startswith(start["starts"].replace(" ", "")), section


def pasted(path, page_no: int, below: str, dpi: int = 150) -> bytes:
    """A text PDF whose page ``page_no`` has everything under the line holding ``below`` replaced by its
    picture (JPEG, ``dpi``): a table pasted into the document as a screenshot."""
    pdf = pdfium.PdfDocument(path.read_bytes())
    page = pdf[page_no]
    textpage = page.get_textpage()
    cut = textpage.get_charbox(textpage.get_text_range().index(below))[1] - 4
    width, height = page.get_width(), page.get_height()
    bitmap = page.render(scale=dpi / 72).to_pil().convert("L")
    crop = bitmap.crop((0, int((height - cut) * dpi / 72), bitmap.width, bitmap.height))
    for obj in list(page.get_objects(max_depth=1)):
        _left, bottom, _right, top = obj.get_bounds()
        if (bottom + top) / 2 < cut:
            page.remove_obj(obj)
    jpeg = io.BytesIO()
    crop.save(jpeg, "JPEG", quality=85)
    jpeg.seek(0)
    image = pdfium.PdfImage.new(pdf)
    image.load_jpeg(jpeg, inline=False, autoclose=False)
    image.set_matrix(pdfium.PdfMatrix().scale(width, cut))
    page.insert_obj(image)
    page.gen_content()
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


@needs_ocr
def test_a_table_pasted_as_a_picture_into_a_text_page_is_read():
    truth = json.loads((DATA / "js_huaian_hongze_2024.truth.json").read_text(encoding="utf-8"))
    # Table 3 starts under its heading on page 3 as a picture and goes on as text on page 4.
    data = pasted(DATA / "js_huaian_hongze_2024.pdf", 2, "三、收到和处理")
    report = govreport.read_bytes(data, "pasted.pdf")
    assert_cells_read(report, truth["values"], 0.99)
    assert report.value("t3.granted.natural_person") == truth["values"]["t3.granted.natural_person"]


def test_scanned_pages_of_a_text_pdf_without_ocr_are_named(monkeypatch):
    monkeypatch.setitem(sys.modules, "rapidocr_onnxruntime", None)
    data = mixed(DATA / "js_huaian_hongze_2024.pdf", [2, 3], dpi=60)
    report = govreport.read_bytes(data, "mixed.pdf")
    notes = [f for f in govreport.validate(report) if f.rule == "PARSE-OCR"]
    assert notes and "3、4" in notes[0].message
    assert report.value("t2.regulations.issued") is not None  # table 2 is on a text page


def test_damaged_pdf(tmp_path):
    path = tmp_path / "broken.pdf"
    path.write_bytes((DATA / "js_huaian_city_2024.pdf").read_bytes()[:2000])
    with pytest.raises(govreport.GovReportError, match=r"broken\.pdf"):
        govreport.read(path)


def test_tables_continued_over_pages_are_joined():
    report = govreport.read(DATA / "js_huaian_city_2024.pdf")
    # Table 3 breaks inside （四）无法提供; its rows on both pages are read.
    assert report.value("t3.unable.not_held.total") is not None
    assert report.value("t3.carried_forward.total") == 103
    # Table 2 breaks after the caption of （六）; the rows on the next page belong to it.
    assert report.value("t2.penalty.decisions") == 3985758


@needs_libreoffice
@pytest.mark.parametrize("name", ["seed-001-xiangxiang-xinfang-2023.txt", "sh_gov_office_2019_fragment.html"])
def test_written_docx_as_pdf_reads_back_with_the_same_tables(name, tmp_path):
    report = govreport.read(DATA / name)
    docx = govreport.write(report, tmp_path / "report.docx").read_bytes()
    pdf = libreoffice.convert(docx, "docx", "pdf")
    again = govreport.read_bytes(pdf, "report.pdf")
    for number in (2, 3, 4):
        assert again.table(number) == report.table(number), f"table {number}"
    assert again.meta.agency == report.meta.agency and again.meta.year == report.meta.year


def borderless_html(name: str) -> bytes:
    """A real report's text with its ``|`` tables as HTML tables without borders."""
    import html

    out, rows = [], []
    for line in (DATA / name).read_text(encoding="utf-8").split("\n"):
        if "|" in line:
            cells = [c.strip() for c in line.strip().rstrip("|").split("|")]
            rows.append("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in cells) + "</tr>")
            continue
        if rows:
            out.append('<table border="0" cellspacing="0">' + "".join(rows) + "</table>")
            rows = []
        if line.strip():
            out.append(f"<p>{html.escape(line)}</p>")
    return ('<html><head><meta charset="utf-8"></head><body>' + "".join(out) + "</body></html>").encode()


@needs_libreoffice
def test_tables_without_borders_give_no_wrong_number():
    name = "seed-002-dawukou-office-2023.txt"
    pdf = libreoffice.convert(borderless_html(name), "html", "pdf")
    report = govreport.read_bytes(pdf, "borderless.pdf")
    expected = govreport.flatten(govreport.read(DATA / name))
    got = govreport.flatten(report)
    tables = [k for k in expected if k.startswith(("t2.", "t3.", "t4."))]
    wrong = [k for k in tables if got.get(k) is not None and got[k] != expected[k]]
    assert wrong == []
    assert all(got[k] == expected[k] for k in tables if k.startswith("t2."))  # table 2 is read whole
    blanks = [k for k in tables if got.get(k) is None and expected[k] is not None]
    findings = govreport.validate(report)
    assert not blanks or any(f.rule == "PARSE-ROW" for f in findings)


@needs_ocr
def test_a_scanned_table_cut_off_by_the_page_edge_keeps_its_last_column():
    # The 2020 report's table 3 is wider than its page: shifted 8 px right on the scanner, its 总计 column
    # loses its outer border to the page edge; its rules still run on to the edge and close the column.
    source = pdfium.PdfDocument((DATA / "fj_pingtan_2020.lo.pdf").read_bytes())
    number = next(n for n in range(len(source)) if "申请人情况" in source[n].get_textpage().get_text_range())
    image = source[number].render(scale=200 / 72).to_pil().convert("L")
    shifted = Image.new("L", image.size, 255)
    shifted.paste(image, (8, 0))
    out = io.BytesIO()
    shifted.save(out, "PDF", resolution=200)
    _, tables = ocr.read_page(pdfium.PdfDocument(out.getvalue())[0], 1)
    widest = max((table for _, table in tables), key=lambda t: t.width)
    assert widest.width == 10
    row = next(r for r in widest.rows if r and r[0].text.startswith("一、本年新收"))
    assert [c.text for c in row][-2:] == ["1", "21"]
