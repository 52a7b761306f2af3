"""Word 97–2003 (``.doc``), WPS, RTF and OpenDocument text (``.odt``) files: converted to DOCX by
LibreOffice, then read as DOCX."""

from __future__ import annotations

import attrs

from .. import libreoffice
from ..document import Document
from . import BUILTIN_EXTENSIONS, HEAD_SIZE, sniff_kind
from .docx import READER as DOCX_READER


class DocReader:
    """Reads legacy Word documents through a headless LibreOffice."""

    name = "doc"
    extensions = BUILTIN_EXTENSIONS["doc"]

    def sniff(self, head: bytes) -> int:
        if head.startswith(b"{\\rtf"):
            return 80
        return 80 if sniff_kind(head) in ("ole", "odt") else 0

    #: What LibreOffice converts the files to.
    target = "docx:MS Word 2007 XML"

    def read(self, data: bytes, path: str | None = None) -> Document:
        converted = libreoffice.convert(data, self.suffix_of(data), self.target, path=path)
        return attrs.evolve(DOCX_READER.read(converted, path), format=self.name)

    @staticmethod
    def suffix_of(data: bytes) -> str:
        """The suffix LibreOffice should see, by the file's content (a `.doc` may hold RTF)."""
        return "rtf" if data.startswith(b"{\\rtf") else "odt" if sniff_kind(data[:HEAD_SIZE]) == "odt" else "doc"


READER = DocReader()
