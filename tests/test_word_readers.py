"""DOCX and DOC: LibreOffice editions of every corpus page, the official template filled in, bad files."""

from __future__ import annotations

import io
import os
import shutil
import zipfile
from pathlib import Path

import docx
import pytest
from conftest import DATA, needs_libreoffice, needs_ocr

import govreport
from govreport import libreoffice
from govreport.schema import T3_COLUMN_KEYS, T3_ROW_KEYS

PAGES = sorted(p.name for p in DATA.glob("*.html"))


@needs_libreoffice
@pytest.mark.parametrize("target", ["docx:MS Word 2007 XML", "doc:MS Word 97"])
@pytest.mark.parametrize("name", PAGES)
def test_libreoffice_editions_read_like_the_page(name, target):
    html = (DATA / name).read_bytes()
    converted = libreoffice.convert(html, "html", target)
    suffix = target.split(":")[0]
    report = govreport.read_bytes(converted, f"{name}.{suffix}")
    assert report.source.format == suffix
    assert govreport.flatten(report) == govreport.flatten(govreport.read(DATA / name))


@needs_libreoffice
def test_an_opendocument_text_reads_like_the_page():
    # ODT (LibreOffice's and WPS's own format) goes the way of DOC: LibreOffice makes it a DOCX.
    page = DATA / "fj_pingtan_2024.html"
    odt = libreoffice.convert(page.read_bytes(), "html", "odt")
    assert odt[:2] == b"PK" and b"opendocument.text" in odt[:200]
    report = govreport.read_bytes(odt, "report.odt")
    assert report.source.format == "doc"
    assert govreport.flatten(report) == govreport.flatten(govreport.read(page))
    # Named otherwise, it is still told from a ZIP archive by its first member.
    assert govreport.flatten(govreport.read_bytes(odt, "download.bin")) == govreport.flatten(report)


def fill_template(values: dict[str, int]) -> bytes:
    """The official blank template filled in the way an agency fills it, with python-docx."""
    document = docx.Document(str(DATA / "official-template-2021.docx"))
    for paragraph in document.paragraphs:
        if paragraph.text == "政府信息公开工作年度报告格式模板":
            paragraph.runs[0].text = "某某县人民政府办公室2024年政府信息公开工作年度报告"
            for run in paragraph.runs[1:]:
                run.text = ""
        elif paragraph.text == "（文字描述）":
            paragraph.runs[0].text = "本机关依法做好政府信息公开工作。"
            for run in paragraph.runs[1:]:
                run.text = ""
    t2, t3, t4 = document.tables
    t2.rows[3].cells[1].text = str(values["t2"])
    rows = {key: 3 + n for n, key in enumerate(T3_ROW_KEYS["2021"])}
    for key, value in values.items():
        if key.startswith("t3."):
            row, _, col = key[3:].rpartition(".")
            # row.cells repeats merged cells: the three label columns come first, then seven values.
            t3.rows[rows[row]].cells[3 + T3_COLUMN_KEYS.index(col)].text = str(value)
    for n in range(15):
        t4.rows[3].cells[n].text = str(values.get(f"t4.{n}", 0))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_filled_official_template():
    values = {"t2": 7, "t3.new_received.natural_person": 5, "t3.new_received.total": 5,
              "t3.granted.natural_person": 4, "t3.granted.total": 4,
              "t3.other.other.natural_person": 1, "t3.other.other.total": 1,
              "t3.total_processed.natural_person": 5, "t3.total_processed.total": 5,
              "t4.0": 2, "t4.4": 2}
    report = govreport.read_bytes(fill_template(values), "filled.docx")
    assert report.meta.agency == "某某县人民政府办公室" and report.meta.year == 2024
    assert report.meta.table2_edition == "2021" and report.meta.table3_edition == "2021"
    assert report.value("t2.normative_documents.issued") == 7
    for key, value in values.items():
        if key.startswith("t3."):
            assert report.value(key) == value, key
    assert report.value("t4.review.maintained") == 2 and report.value("t4.review.total") == 2
    # Cells the agency left empty are blank, not zero.
    assert report.value("t3.carried_over.natural_person") is None
    assert report.cell("t3.carried_over.natural_person").kind == "blank"
    assert report.sections.overview == "本机关依法做好政府信息公开工作。"
    assert not [f for f in govreport.validate(report) if f.severity == "error"]


def test_docx_named_html_is_read_as_docx(tmp_path):
    odd = tmp_path / "report.html"
    shutil.copy(DATA / "fj_pingtan_2021.lo.docx", odd)
    report = govreport.read(odd)
    assert report.source.format == "docx"
    assert report.value("t3.new_received.total") == 70


def test_damaged_docx(tmp_path):
    data = (DATA / "fj_pingtan_2021.lo.docx").read_bytes()
    path = tmp_path / "broken.docx"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(govreport.UnreadableFileError, match=r"broken\.docx"):
        govreport.read(path)


def test_zip_without_a_word_document(tmp_path):
    path = tmp_path / "archive.docx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("readme.txt", "nothing here")
    with pytest.raises(govreport.UnsupportedFormatError, match=r"archive\.docx"):
        govreport.read(path)


def test_doc_without_libreoffice_says_what_to_install(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(govreport.MissingDependencyError, match="LibreOffice"):
        govreport.read(DATA / "fj_pingtan_2024.lo.doc")


@needs_libreoffice
def test_damaged_doc(tmp_path):
    data = (DATA / "fj_pingtan_2024.lo.doc").read_bytes()
    path = tmp_path / "broken.doc"
    path.write_bytes(data[:4096])
    with pytest.raises(govreport.GovReportError, match=r"broken\.doc"):
        govreport.read(path)


def test_automatic_numbering_is_rendered(tmp_path):
    """Section numbers made by a Word list (一、二、…) are part of the text the headings are found by."""
    from docx.oxml.ns import qn

    document = docx.Document()
    numbering = document.part.numbering_part.element
    abstract = numbering.find(qn("w:abstractNum"))
    level = abstract.find(qn("w:lvl"))
    level.find(qn("w:numFmt")).set(qn("w:val"), "chineseCounting")
    level.find(qn("w:lvlText")).set(qn("w:val"), "%1、")
    num_id = numbering.find(qn("w:num")).get(qn("w:numId"))

    def numbered(text: str) -> None:
        paragraph = document.add_paragraph(text)
        num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
        num_pr.get_or_add_ilvl().val = 0
        num_pr.get_or_add_numId().val = int(num_id)

    document.add_paragraph("某某县财政局2023年政府信息公开工作年度报告")
    source = govreport.read(DATA / "seed-002-dawukou-office-2023.txt")
    for section in ("总体情况", "主动公开政府信息情况", "收到和处理政府信息公开申请情况",
                    "政府信息公开行政复议、行政诉讼情况", "存在的主要问题及改进情况", "其他需要报告的事项"):
        numbered(section)
        document.add_paragraph("本机关依法推进政府信息公开工作。")
    path = tmp_path / "numbered.docx"
    document.save(str(path))
    report = govreport.read(path)
    assert report.sections.overview == "本机关依法推进政府信息公开工作。"
    assert report.sections.other_matters == "本机关依法推进政府信息公开工作。"
    assert not [f for f in report.reading_findings if f.rule == "PARSE-SECTION"]
    assert source.meta.year == report.meta.year == 2023


@needs_libreoffice
def test_libreoffice_profiles_are_private_and_those_of_killed_runs_are_removed(monkeypatch):
    import subprocess
    import sys
    import tempfile
    from pathlib import Path

    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()  # a process that has ended: its profile was left behind by a kill
    stale = Path(tempfile.gettempdir()) / f"govreport-libreoffice-{gone.pid}-left"
    (stale / "user").mkdir(parents=True, exist_ok=True)
    monkeypatch.setattr(libreoffice, "_profile", None)  # as in a new process
    converted = libreoffice.convert((DATA / "sh_gov_office_2019_fragment.html").read_bytes(), "html",
                                    "docx:MS Word 2007 XML")
    assert converted[:2] == b"PK"
    assert not stale.exists()
    profile = libreoffice._profile
    assert profile is not None and profile.name != f"govreport-libreoffice-{os.getuid()}-{os.getpid()}"
    assert profile.stat().st_mode & 0o077 == 0  # only its owner can enter it


def _table_pictures(pdf_name: str, pages: list[int], dpi: int = 150) -> list:
    """The ruled tables of some pages of a PDF, each cut out of the page's picture: what pasting a table
    into Word as a screenshot gives."""
    import numpy as np
    import pypdfium2 as pdfium

    from govreport.scanpage import prepare

    pdf = pdfium.PdfDocument((DATA / pdf_name).read_bytes())
    out = []
    for n in pages:
        image = pdf[n].render(scale=dpi / 72).to_pil().convert("L")
        for table in prepare(np.asarray(image), pdf[n].get_width()).tables:
            x0, y0, x1, y1 = (v * dpi / 180 for v in table.box)  # prepare works at 180 dpi
            out.append(image.crop((int(x0) - 6, int(y0) - 6, int(x1) + 6, int(y1) + 6)))
    return out


@needs_ocr
def test_tables_pasted_into_word_as_pictures_are_read(tmp_path):
    import json

    from docx.shared import Pt

    # Table 2's end, table 3 in two pictures (it crossed a page) and table 4, each pasted as a PNG.
    _tail, first, second, table4 = _table_pictures("js_huaian_hongze_2024.pdf", [2, 3])
    document = docx.Document()
    document.add_paragraph("三、收到和处理政府信息公开申请情况")
    for picture in (first, second, None, table4):
        if picture is None:
            document.add_paragraph("四、政府信息公开行政复议、行政诉讼情况")
            continue
        png = io.BytesIO()
        picture.save(png, "PNG")
        png.seek(0)
        document.add_picture(png, width=Pt(picture.size[0] * 72 / 150))
    document.add_paragraph("五、存在的主要问题及改进情况")
    path = tmp_path / "pasted.docx"
    document.save(str(path))
    truth = json.loads((DATA / "js_huaian_hongze_2024.truth.json").read_text(encoding="utf-8"))["values"]
    report = govreport.read(path)
    cells = [k for k in truth if k.startswith(("t3.", "t4."))]
    flat = govreport.flatten(report)
    assert sum(flat.get(k) == truth[k] for k in cells) >= 0.99 * len(cells)


@needs_libreoffice
def test_a_batch_converts_its_word_files_in_one_libreoffice_run(tmp_path, monkeypatch):
    from govreport import libreoffice

    data = (DATA / "fj_pingtan_2024.lo.doc").read_bytes()
    rtf = libreoffice.convert(data, "doc", "rtf")
    for name, content in (("a.doc", data), ("b.rtf", rtf), ("broken.doc", data[:4096])):
        (tmp_path / name).write_bytes(content)
    expected = govreport.read(DATA / "fj_pingtan_2024.lo.docx").value("t3.total_processed.total")
    results = {Path(r.path).name: r for r in govreport.read_many([tmp_path], jobs=2)}
    assert results["a.doc"].report.value("t3.total_processed.total") == expected
    assert results["b.rtf"].report.value("t3.total_processed.total") == expected
    assert results["broken.doc"].error_type == "UnreadableFileError"
    # Converted ahead, in one run: reading them then needs no LibreOffice of its own.
    with libreoffice.converted_ahead():
        assert libreoffice.convert_ahead([(data, "doc"), (rtf, "rtf"), (data[:4096], "doc")],
                                         "docx:MS Word 2007 XML") == 2
        monkeypatch.setenv("PATH", str(tmp_path))
        assert govreport.read_bytes(rtf, "b.rtf").value("t3.total_processed.total") == expected
        with pytest.raises(govreport.MissingDependencyError):
            govreport.read_bytes(data[:4096], "broken.doc")


@pytest.mark.parametrize("name", ["js_shuyang_fgj_2023.lo.docx", "fj_pingtan_2019.lo.docx"])
def test_a_report_inside_a_one_cell_frame_table_reads_like_the_report(name):
    # Some documents hold the whole report in a one-cell table (a frame, or a web page's layout kept by the
    # converter): a table that holds tables is layout, and its cell is read as the body.
    from docx.oxml.ns import qn

    document = docx.Document(str(DATA / name))
    body = document.element.body
    children = [c for c in body.iterchildren() if c.tag != qn("w:sectPr")]
    frame = document.add_table(rows=1, cols=1).cell(0, 0)._tc
    for child in children:
        body.remove(child)
        frame.append(child)
    out = io.BytesIO()
    document.save(out)
    framed = govreport.flatten(govreport.read_bytes(out.getvalue(), "framed.docx"))
    plain = govreport.flatten(govreport.read(DATA / name))
    tables = {k: v for k, v in plain.items() if k.startswith(("t2.", "t3.", "t4."))}
    assert {k: framed.get(k) for k in tables} == tables
    assert framed["text.overview"] == plain["text.overview"]
