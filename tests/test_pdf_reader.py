"""PDF: the corpus PDFs (tests/test_corpus.py), image-only scans through OCR, our own DOCX as PDF, bad files."""

from __future__ import annotations

import io
import json
import sys

import pypdfium2 as pdfium
import pytest
from conftest import DATA, compare_with_truth, needs_libreoffice

import govreport
from govreport import libreoffice, ocr


def image_only(path, scale: float = 2.0) -> bytes:
    """A scan of a PDF: every page rendered to a picture, the pictures saved as a PDF (no text layer)."""
    pdf = pdfium.PdfDocument(path.read_bytes())
    images = [pdf[n].render(scale=scale).to_pil().convert("RGB") for n in range(len(pdf))]
    out = io.BytesIO()
    images[0].save(out, "PDF", save_all=True, append_images=images[1:], resolution=72 * scale)
    return out.getvalue()


@pytest.mark.skipif(not ocr.available(), reason="the ocr extra is not installed")
def test_image_only_pdf_is_read_through_ocr():
    truth = json.loads((DATA / "js_huaian_hongze_2024.truth.json").read_text(encoding="utf-8"))
    report = govreport.read_bytes(image_only(DATA / "js_huaian_hongze_2024.pdf"), "scan.pdf")
    wrong = compare_with_truth(govreport.flatten(report), truth)
    cells = [w for w in wrong if w.split(":")[0] in truth["values"]]
    assert len(cells) <= len(truth["values"]) * 0.15, "\n".join(cells)
    assert report.meta.agency and "洪泽" in report.meta.agency and report.meta.year == 2024
    # What OCR could not place is reported, not guessed.
    assert any(f.rule.startswith("PARSE") or f.severity == "error" for f in govreport.validate(report)) or not cells


def test_image_only_pdf_without_ocr_says_how_to_enable_it(monkeypatch):
    monkeypatch.setitem(sys.modules, "rapidocr_onnxruntime", None)
    scan = image_only(DATA / "fj_pingtan_2024.lo.pdf", scale=0.5)
    with pytest.raises(govreport.MissingDependencyError, match=r"govreport\[ocr\]"):
        govreport.read_bytes(scan, "scan.pdf")


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
