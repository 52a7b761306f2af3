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
from ..pictures import PAGE_POINTS
from ..settings import options
from . import BUILTIN_EXTENSIONS, PICTURE_PREFIXES


class ImageReader:
    name = "image"
    extensions = BUILTIN_EXTENSIONS["image"]
    #: Pictures are read when named, not found in folders: a folder of saved pages holds their logos.
    in_folders = False

    def sniff(self, head: bytes) -> int:
        if not head.startswith(PICTURE_PREFIXES):
            return 0
        if head.startswith(b"RIFF"):
            return 90 if head[8:12] == b"WEBP" else 0
        if head.startswith(b"BM"):
            return 90 if head[6:10] == bytes(4) else 0  # a bitmap's reserved bytes, always zero
        return 90

    def read(self, data: bytes, path: str | None = None) -> Document:
        from .pdf import page_blocks, recognised_pages

        if not ocr.available():
            raise MissingDependencyError(
                "this is a picture of a report and has no text to read; install the OCR extra with "
                "`pip install govreport[ocr]` to read it offline", path)
        frames = _frames(data, path)
        read = []
        progress.advance("OCR", 0, len(frames))
        for number, (grey, dpi) in enumerate(frames, 1):
            height, width = grey.shape
            points_wide = width / dpi * 72 if dpi else PAGE_POINTS[0]
            box = (0.0, 0.0, points_wide, points_wide * height / width)
            read.append((number, ocr.read_image(grey, box, number)))
            progress.advance("OCR", number, len(frames))
        return Document.of(page_blocks(recognised_pages(read)), self.name, path)


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
