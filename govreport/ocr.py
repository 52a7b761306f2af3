"""OCR for image-only PDF pages (图片版), offline, with the optional ``ocr`` extra.

RapidOCR's ONNX models ship inside its wheel, so nothing is downloaded at run time. A page is rendered with
pypdfium2, recognised text boxes become characters placed evenly across each box (Chinese text is set in
full-width cells), and the table borders are found in the page image itself: long dark runs of pixels,
horizontal and vertical. Characters and borders then go through the same table building as a text PDF.
"""

from __future__ import annotations

import importlib.util
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pypdfium2 as pdfium

    from .readers.pdf import Char, Line

#: Rendering scale: 2 is 144 dpi, enough for 五号 table text.
SCALE = 2.0
#: A border is a dark run at least this share of the page width (or height) long.
MIN_LINE_SHARE = 0.04


def available() -> bool:
    """Whether the OCR extra (``pip install govreport[ocr]``) is installed."""
    try:
        return importlib.util.find_spec("rapidocr_onnxruntime") is not None
    except (ImportError, ValueError):  # a module set to None in sys.modules is not installed either
        return False


@lru_cache(maxsize=1)
def _engine() -> Any:
    from rapidocr_onnxruntime import RapidOCR

    return RapidOCR()


def page_content(page: pdfium.PdfPage) -> tuple[list[Char], list[Line], list[Line]]:
    """Characters and ruling lines of a page image, in PDF coordinates (points, origin bottom left)."""
    import numpy as np

    from .readers.pdf import Char

    height_pt = page.get_height()
    image = page.render(scale=SCALE, grayscale=True).to_numpy()
    if image.ndim == 3:
        image = image[:, :, 0]
    result, _ = _engine()(np.ascontiguousarray(image))
    chars: list[Char] = []
    for box, text, _score in result or []:
        text = str(text).replace(" ", "")
        if not text:
            continue
        xs = [p[0] / SCALE for p in box]
        ys = [height_pt - p[1] / SCALE for p in box]
        left, right, bottom, top = min(xs), max(xs), min(ys), max(ys)
        step = (right - left) / len(text)
        for n, ch in enumerate(text):
            chars.append(Char.at(ch, left + n * step, bottom, left + (n + 1) * step, top))
    horizontal, vertical = _borders(image < 128, height_pt)
    return chars, horizontal, vertical


def _borders(dark: Any, height_pt: float) -> tuple[list[Line], list[Line]]:
    from .readers.pdf import Line

    rows, cols = dark.shape
    horizontal = [Line(height_pt - y / SCALE, a / SCALE, b / SCALE)
                  for y, a, b in _runs(dark, int(cols * MIN_LINE_SHARE))]
    vertical = [Line(x / SCALE, height_pt - b / SCALE, height_pt - a / SCALE)
                for x, a, b in _runs(dark.T, int(rows * MIN_LINE_SHARE))]
    return horizontal, vertical


def _runs(dark: Any, minimum: int) -> list[tuple[int, int, int]]:
    """(row, start, end) of every run of dark pixels at least ``minimum`` long, row by row."""
    import numpy as np

    out = []
    padded = np.zeros((dark.shape[0], dark.shape[1] + 2), dtype=np.int8)
    padded[:, 1:-1] = dark
    edges = np.diff(padded, axis=1)
    for row in np.flatnonzero(dark.sum(axis=1) >= minimum):
        starts = np.flatnonzero(edges[row] == 1)
        ends = np.flatnonzero(edges[row] == -1)
        for start, end in zip(starts, ends, strict=True):
            if end - start >= minimum:
                out.append((int(row), int(start), int(end)))
    return out
