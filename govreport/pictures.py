"""Tables pasted into a document as pictures: a screenshot of a spreadsheet, a scanned table in a Word file.

Many reports are typed in Word with a table pasted in as an image. With the ``ocr`` extra, a picture
shown large enough to hold a table is read like a scanned page (:func:`govreport.ocr.read_image`); when it
holds a ruled table, its tables and the lines of text around them take the picture's place among the
document's blocks. A picture without a ruled table (a photo, a seal, a chart) is left out, as before.
"""

from __future__ import annotations

import io

from . import ocr
from .document import Block

#: Points across and down an A4 page: a picture's shown size is weighed against them.
PAGE_POINTS = (595.0, 842.0)


def picture_blocks(data: bytes, width_pt: float, height_pt: float) -> list[Block]:
    """The tables (and the text lines about them) of a picture file's bytes shown at ``width_pt`` ×
    ``height_pt``; nothing when OCR is not installed, the picture is small, cannot be decoded (a
    Windows metafile) or holds no ruled table."""
    if not (ocr.available() and ocr.may_hold_a_table(width_pt, height_pt, PAGE_POINTS)):
        return []
    grey = _grey(data)
    if grey is None:
        return []
    from .readers.pdf import page_blocks, recognised_page

    chars, tables = ocr.read_image(grey, (0.0, 0.0, width_pt, height_pt), None, tables_only=True)
    if not tables:
        return []
    return page_blocks([(recognised_page(chars, tables, None), 0)])


def _grey(data: bytes) -> object | None:
    import numpy as np
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as picture:
            return np.asarray(picture.convert("L"))
    except (OSError, ValueError, Image.DecompressionBombError):
        return None
