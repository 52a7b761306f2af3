"""Tables pasted into a document as pictures: a screenshot of a spreadsheet, a scanned table in a Word file,
a portal page that shows its tables as screenshots.

Many reports are typed in Word with a table pasted in as an image, and many portals show a report's
tables as pictures of them. With the ``ocr`` extra, a picture
shown large enough to hold a table is read like a scanned page (:func:`govreport.ocr.read_image`); when it
holds a ruled table, its tables and the lines of text around them take the picture's place among the
document's blocks. A picture without a ruled table (a photo, a seal, a chart) is left out, as before.
"""

from __future__ import annotations

import io
from typing import Any

from . import ocr
from .document import Block
from .settings import options

#: Points across and down an A4 page: a picture's shown size is weighed against them.
PAGE_POINTS = (595.0, 842.0)


#: Points a CSS pixel is shown at (96 pixels to the inch): a web page's picture is weighed at that size.
POINTS_PER_PIXEL = 0.75


def picture_blocks(data: bytes, width_pt: float | None = None, height_pt: float | None = None) -> list[Block]:
    """The tables (and the text lines about them) of a picture file's bytes shown at ``width_pt`` ×
    ``height_pt`` (by default, its pixels as a web page shows them); nothing when OCR is not installed,
    the picture is small, cannot be decoded (a Windows metafile) or holds no ruled table."""
    if not ocr.available() or (width_pt is not None and height_pt is not None
                               and not ocr.may_hold_a_table(width_pt, height_pt, PAGE_POINTS)):
        return []
    grey = _grey(data)
    if grey is None:
        return []
    if width_pt is None or height_pt is None:
        scale = _points_per_pixel(grey)
        height_pt, width_pt = (n * scale for n in grey.shape[:2])  # type: ignore[attr-defined]
        if not ocr.may_hold_a_table(width_pt, height_pt, PAGE_POINTS):
            return []
    from .readers.pdf import page_blocks, recognised_page

    chars, tables = ocr.read_image(grey, (0.0, 0.0, width_pt, height_pt), None, tables_only=True)
    if not tables:
        return []
    return page_blocks([(recognised_page(chars, tables, None), 0)])


def _points_per_pixel(grey: Any) -> float:
    """The size a picture of unknown resolution (a screenshot on a web page) is taken at, from its text:
    most of a table's glyphs stand a whole character high, and that height is ``picture_glyph_points``. A
    picture with too little text to tell is taken as a web page shows it (96 pixels to the inch)."""
    import cv2
    import numpy as np

    scan = options().scan
    _, ink = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    _, _, stats, _ = cv2.connectedComponentsWithStats(ink)
    heights, widths = stats[1:, cv2.CC_STAT_HEIGHT], stats[1:, cv2.CC_STAT_WIDTH]
    glyphs = heights[(heights >= _MIN_GLYPH_PX) & (heights <= _MAX_GLYPH_PX) & (widths <= _MAX_GLYPH_PX)]
    if glyphs.size < scan.picture_min_glyphs:
        return POINTS_PER_PIXEL
    return float(scan.picture_glyph_points / np.percentile(glyphs, 75))


#: Ink blobs this high (pixels) may be glyphs; smaller are specks, larger are lines and pictures.
_MIN_GLYPH_PX = 4
_MAX_GLYPH_PX = 120


def _grey(data: bytes) -> object | None:
    import numpy as np
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as picture:
            return np.asarray(picture.convert("L"))
    except (OSError, ValueError, Image.DecompressionBombError):
        return None
