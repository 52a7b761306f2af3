"""Pictures of a report (TIFF, PNG, JPEG) read through OCR like scanned PDF pages."""

from __future__ import annotations

import io
import json
import sys

import pypdfium2 as pdfium
import pytest
from conftest import DATA, needs_ocr
from test_pdf_reader import assert_cells_read

import govreport
from govreport import ocr


def pictures(name: str, pages: list[int], dpi: int) -> list:
    pdf = pdfium.PdfDocument((DATA / name).read_bytes())
    return [pdf[n].render(scale=dpi / 72).to_pil().convert("L") for n in pages]


def truth_of(name: str) -> dict:
    return json.loads((DATA / name.replace(".pdf", ".truth.json")).read_text(encoding="utf-8"))["values"]


@needs_ocr
def test_a_multi_page_tiff_scan_reads_its_tables():
    # Pages 3 and 4 of the report: table 3 across the page break, and table 4. TIFF states 200 dpi.
    images = pictures("js_huaian_hongze_2024.pdf", [2, 3], 200)
    out = io.BytesIO()
    images[0].save(out, "TIFF", save_all=True, append_images=images[1:], dpi=(200, 200), compression="tiff_lzw")
    report = govreport.read_bytes(out.getvalue(), "scan.tiff")
    assert report.source.format == "image"
    truth = {k: v for k, v in truth_of("js_huaian_hongze_2024.pdf").items() if k.startswith(("t3.", "t4."))}
    assert_cells_read(report, truth, 0.99)


@needs_ocr
def test_a_screenshot_without_a_resolution_is_taken_as_wide_as_a_page():
    # A PNG states no resolution: taken as an A4 page's width, its table still reads.
    image = pictures("js_huaian_hongze_2024.pdf", [3], 130)[0]
    out = io.BytesIO()
    image.save(out, "PNG")
    report = govreport.read_bytes(out.getvalue(), "table.png")
    truth = truth_of("js_huaian_hongze_2024.pdf")
    for key in ("t4.review.total", "t4.litigation_after_review.total", "t3.carried_forward.total"):
        assert report.value(key) == truth[key]


def test_a_broken_picture_is_named(tmp_path):
    path = tmp_path / "page.png"
    out = io.BytesIO()
    pictures("js_huaian_hongze_2024.pdf", [0], 30)[0].save(out, "PNG")
    path.write_bytes(out.getvalue()[:200])
    expected = govreport.UnreadableFileError if ocr.available() else govreport.MissingDependencyError
    with pytest.raises(expected, match=r"page\.png"):
        govreport.read(path)


def test_a_picture_without_ocr_says_how_to_enable_it(monkeypatch):
    monkeypatch.setitem(sys.modules, "rapidocr_onnxruntime", None)
    out = io.BytesIO()
    pictures("js_huaian_hongze_2024.pdf", [0], 30)[0].save(out, "JPEG")
    with pytest.raises(govreport.MissingDependencyError, match=r"govreport\[ocr\]"):
        govreport.read_bytes(out.getvalue(), "page.jpg")
