"""Delimited text (``.csv``, ``.tsv``): a report kept in a spreadsheet and saved as CSV, or tables exported
by a tool (tabula, camelot) one row a line.

The rows become one grid, each field a cell. A report saved whole from a sheet holds its text in rows of one
field (a section heading, a paragraph); the assembler takes those out of the grid as paragraphs
(:mod:`govreport.body`), as it does for a workbook, and finds tables 2–4 among the rows between them.

The delimiter is the one the lines agree on (a comma, a tab or a semicolon, outside quoted fields); quoted
fields may hold line breaks (``"商业\\n企业"``), which label matching ignores.
"""

from __future__ import annotations

import csv
import io

from ..document import Document, build_table
from ..errors import UnreadableFileError
from ..settings import options, size_words
from . import BUILTIN_EXTENSIONS, sniff_kind
from .text import decode

_DELIMITERS = (",", "\t", ";")
#: Lines of the head looked at to tell delimited text from prose.
_SNIFF_LINES = 20


class DelimitedReader:
    name = "csv"
    extensions = BUILTIN_EXTENSIONS["csv"]

    def sniff(self, head: bytes) -> int:
        # As sure as the text reader, so that the file's suffix decides between them; only text whose
        # lines mostly carry a delimiter is claimed at all.
        if sniff_kind(head) != "text":
            return 0
        lines = [line for line in head.decode("utf-8", errors="ignore").splitlines()[:_SNIFF_LINES] if line.strip()]
        return 20 if lines and _delimiter(lines) is not None else 0

    def read(self, data: bytes, path: str | None = None) -> Document:
        if len(data) > options().limits.max_text_bytes:
            raise UnreadableFileError(f"a text of {size_words(len(data))} is no report (limit: "
                                      f"{size_words(options().limits.max_text_bytes)})", path)
        text, notes = decode(data, path)
        lines = [line for line in text.splitlines()[:_SNIFF_LINES * 5] if line.strip()]
        delimiter = _delimiter(lines) or ","
        try:
            rows = list(csv.reader(io.StringIO(text.replace("\r\n", "\n")), delimiter=delimiter))
        except csv.Error as exc:  # a field past csv's size limit, a NUL byte
            raise UnreadableFileError(f"the delimited text cannot be parsed ({exc})", path) from exc
        cells = [[(field.strip(), 1, 1) for field in row] for row in rows]
        if sum(len(row) for row in cells) > options().limits.max_sheet_cells:
            raise UnreadableFileError(f"the text has more than {options().limits.max_sheet_cells} fields", path)
        blocks = [build_table(part) for part in _apart(cells)]
        return Document.of(blocks, self.name, path, notes=notes)


def _apart(cells: list[list[tuple[str, int, int]]]) -> list[list[list[tuple[str, int, int]]]]:
    """The rows as the tables a blank row sets apart: tools write the tables of a page one under the
    other with an empty line between them (pandas' ``to_csv`` of ``read_html``'s tables), and each is a
    grid of its own width."""
    parts: list[list[list[tuple[str, int, int]]]] = [[]]
    for row in cells:
        if any(text for text, _, _ in row):
            parts[-1].append(row)
        elif parts[-1]:
            parts.append([])
    return [part for part in parts if part]


def _delimiter(lines: list[str]) -> str | None:
    """The delimiter that most of the lines hold outside quotes (a line of one field holds none)."""
    best, best_count = None, 0
    for candidate in _DELIMITERS:
        count = sum(1 for line in lines if candidate in _unquoted(line))
        if count > best_count:
            best, best_count = candidate, count
    return best if best_count * 2 >= len(lines) and best_count >= 2 else None


def _unquoted(line: str) -> str:
    """The line without its quoted parts (a field may hold a comma)."""
    return "".join(part for n, part in enumerate(line.split('"')) if n % 2 == 0)


READER = DelimitedReader()
