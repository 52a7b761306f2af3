"""Pictures of a report (PNG, JPEG, TIFF, BMP, WebP): a scan kept as image files, a photo of a printout, a
screenshot of a table. Read through OCR (:mod:`govreport.ocr`, the ``ocr`` extra) exactly like a scanned
PDF page; every frame of a multi-page TIFF is a page.

A picture has no page size, only pixels: its resolution is the one it states when that is plausible for a
scan, else the picture is taken to be as wide as an A4 page, which holds for a scanned page and keeps a
screenshot's text at a size the recogniser reads.
"""

from __future__ import annotations

import io
from typing import Any

from .. import ocr, progress
from ..document import Document
from ..errors import MissingDependencyError, UnreadableFileError
from ..running import without_running_lines
from ..settings import options
from . import BUILTIN_EXTENSIONS

#: The first bytes of each kind of picture file.
SIGNATURES = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")
#: Points across an A4 page, the width a picture that states no resolution is taken to have.
A4_POINTS = 595.0


class ImageReader:
    name = "image"
    extensions = BUILTIN_EXTENSIONS["image"]
    #: Pictures are read when named, not found in folders: a folder of saved pages holds their logos.
    in_folders = False

    def sniff(self, head: bytes) -> int:
        is_webp = head[:4] == b"RIFF" and head[8:12] == b"WEBP"
        is_bmp = head[:2] == b"BM" and head[6:10] == bytes(4)  # reserved, always zero
        return 90 if head.startswith(SIGNATURES) or is_webp or is_bmp else 0

    def read(self, data: bytes, path: str | None = None) -> Document:
        from .pdf import page_blocks, recognised_page

        if not ocr.available():
            raise MissingDependencyError(
                "this is a picture of a report and has no text to read; install the OCR extra with "
                "`pip install govreport[ocr]` to read it offline", path)
        frames = _frames(data, path)
        read = []
        progress.advance("OCR", 0, len(frames))
        for number, (grey, dpi) in enumerate(frames, 1):
            height, width = grey.shape
            points_wide = width / dpi * 72 if dpi else A4_POINTS
            read.append(ocr.read_image(grey, (0.0, 0.0, points_wide, points_wide * height / width), number))
            progress.advance("OCR", number, len(frames))
        texts = without_running_lines([chars for chars, _ in read])
        pages: list[tuple[list[object], int]] = [
            (recognised_page(chars, tables, number), number)
            for number, (chars, (_, tables)) in enumerate(zip(texts, read, strict=True), 1)]
        return Document.of(page_blocks(pages), self.name, path)


def _frames(data: bytes, path: str | None) -> list[tuple[Any, float | None]]:
    """Each page of the picture file as a grey array, with the resolution it states if that is plausible."""
    import numpy as np
    from PIL import Image, UnidentifiedImageError

    limits = options().limits
    try:
        picture = Image.open(io.BytesIO(data))
        frames = []
        for index in range(getattr(picture, "n_frames", 1)):
            if index >= limits.max_pages:
                raise UnreadableFileError(f"the picture has more than {limits.max_pages} pages", path)
            picture.seek(index)
            frames.append((np.asarray(picture.convert("L")), _stated_dpi(picture)))
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
        raise UnreadableFileError(f"the picture cannot be decoded ({exc})", path) from exc
    return frames


def _stated_dpi(picture: Any) -> float | None:
    """The resolution a picture states, if it is one a scanner would use (screenshots state 72 or 96, or
    nothing, and are taken as a page's width instead)."""
    dpi = picture.info.get("dpi")
    try:
        value = float(dpi[0]) if dpi else 0.0
    except (TypeError, ValueError, IndexError):
        return None
    scan = options().scan
    return value if scan.min_stated_dpi <= value <= scan.max_stated_dpi else None


READER = ImageReader()
