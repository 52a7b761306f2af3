"""What a reader or writer plug-in needs, in one place.

A reader turns bytes into a :class:`Document` (paragraphs and table grids in reading order); the assembler
and the decoder make the report of it. A writer turns a :class:`~govreport.Report` into a file. Register
either here, or from another package through the entry-point groups ``govreport.readers`` and
``govreport.writers``; a plug-in that fails to load is skipped and the others are used::

    from govreport.plugins import Document, Paragraph, register_reader

    class NotesReader:
        name = "notes"
        extensions = ("notes",)

        def sniff(self, head: bytes) -> int:      # 0–100: how sure the file is this format
            return 90 if head.startswith(b"NOTES") else 0

        def read(self, data: bytes, path: str | None = None) -> Document:
            lines = data.decode("utf-8").splitlines()[1:]
            return Document(tuple(Paragraph(line) for line in lines if line.strip()), "notes", path)

    register_reader(NotesReader())

>>> from govreport.plugins import available_readers, available_writers
>>> {"txt", "pdf"} <= {r.name for r in available_readers()}
True
>>> {"xlsx", "docx"} <= {w.name for w in available_writers()}
True
"""

from __future__ import annotations

from .document import Block, Document, Link, Paragraph, Table, TableCell
from .errors import GovReportError, NotAReportError, UnreadableFileError, UnsupportedFormatError, WriterError
from .readers import Reader, available_readers, register_reader, unregister_reader
from .writers import Writer, available_writers, register_writer, unregister_writer

__all__ = [
    "Block",
    "Document",
    "GovReportError",
    "Link",
    "NotAReportError",
    "Paragraph",
    "Reader",
    "Table",
    "TableCell",
    "UnreadableFileError",
    "UnsupportedFormatError",
    "Writer",
    "WriterError",
    "available_readers",
    "available_writers",
    "register_reader",
    "register_writer",
    "unregister_reader",
    "unregister_writer",
]
