"""The intermediate document every reader produces: paragraphs and table grids in reading order.

Readers know file formats and nothing of the report format; the assembler knows the report format and
nothing of files. This module is the contract between them.

A table is stored as rows of *origin* cells: a merged cell appears once, in the row and column where it
starts, with its ``rowspan``/``colspan``. :meth:`Table.grid` expands it into a full rectangle.

>>> t = Table(rows=((TableCell("a", 0, 0, colspan=2),), (TableCell("b", 1, 0), TableCell("c", 1, 1))))
>>> [[c.text for c in row] for row in t.grid()]
[['a', 'a'], ['b', 'c']]
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import NamedTuple

import attrs

from .fieldrepr import FieldRepr
from .model import Finding
from .settings import options


@attrs.frozen(repr=False)
class Paragraph(FieldRepr):
    """A paragraph of running text. ``line`` (1-based) or ``page`` locate it in the source.

    ``breaks`` are the offsets in ``text`` where a line of the source ended inside the paragraph (a PDF's
    lines joined into one paragraph): the assembler cuts a paragraph there when one of its lines is a
    section heading the typography did not set apart.
    """

    text: str
    line: int | None = None
    page: int | None = None
    breaks: tuple[int, ...] = ()
    #: The line of the source it ends on, when it joins lines that stood apart (a label printed a
    #: character a line); None when that is ``line``.
    last_line: int | None = None


@attrs.frozen(repr=False)
class TableCell(FieldRepr):
    """A cell of a table grid, at its top-left grid position."""

    text: str
    row: int
    col: int
    rowspan: int = 1
    colspan: int = 1
    line: int | None = None
    page: int | None = None
    #: How sure a recogniser was of the text (0–1), for cells read from an image; None for text.
    confidence: float | None = None


@attrs.frozen(repr=False)
class Table(FieldRepr):
    """A table grid.

    ``exact_geometry`` is True when grid columns are real (HTML/DOCX spans, PDF ruling lines) and False
    when the reader only knows the order of cells in a row (a text dump with ``|`` or tabs).
    """

    rows: tuple[tuple[TableCell, ...], ...]
    exact_geometry: bool = True
    page: int | None = None

    @property
    def width(self) -> int:
        return max((c.col + c.colspan for row in self.rows for c in row), default=0)

    def grid(self) -> list[list[TableCell | None]]:
        """The table as a rectangle, each merged cell repeated over every position it covers."""
        height = max((c.row + c.rowspan for row in self.rows for c in row), default=0)
        out: list[list[TableCell | None]] = [[None] * self.width for _ in range(height)]
        for row in self.rows:
            for cell in row:
                for r in range(cell.row, cell.row + cell.rowspan):
                    for c in range(cell.col, cell.col + cell.colspan):
                        out[r][c] = cell
        return out

    def text(self) -> str:
        return "\n".join(" | ".join(c.text for c in row) for row in self.rows)


Block = Paragraph | Table


class Char(NamedTuple):
    """A character and its box in PDF points (origin bottom left), as a PDF page's text layer or the OCR of
    its image gives it; centre and height precomputed, since a page has thousands of characters and each is
    looked at several times."""

    text: str
    left: float
    bottom: float
    right: float
    top: float
    cx: float
    cy: float
    height: float

    @classmethod
    def at(cls, text: str, left: float, bottom: float, right: float, top: float) -> Char:
        return cls(text, left, bottom, right, top, (left + right) / 2, (bottom + top) / 2, top - bottom)


@attrs.frozen(repr=False)
class Link(FieldRepr):
    """A hyperlink of a page: what it says and where it points, as written (``href``)."""

    text: str
    href: str


@attrs.frozen(repr=False)
class Picture(FieldRepr):
    """A picture a page shows among its blocks (HTML ``<img>``): where it points (``src``, as written),
    the index of the block it stands before, and the size the page gives it in CSS pixels, if any."""

    src: str
    index: int
    width: int | None = None
    height: int | None = None


@attrs.frozen(repr=False)
class Document(FieldRepr):
    """What a reader found in a file.

    ``title`` is a title the container states apart from the body (an HTML ``<title>``, DOCX core
    properties); ``format`` names the reader (``txt``, ``html`` …).

    ``__hash__`` is None: ``fields`` is a dict.
    """

    blocks: tuple[Block, ...]
    format: str
    path: str | None = None
    title: str | None = None
    #: What a structured source states outright, by flat key (``meta.agency``, ``text.overview`` …);
    #: the assembler takes these as given instead of finding them in the blocks.
    fields: Mapping[str, str] = attrs.field(factory=dict)
    #: The page's links (HTML): where the report is when the page only points to an attachment.
    links: tuple[Link, ...] = ()
    #: What the reader could only do with a loss (bytes replaced in a bad encoding), as findings.
    notes: tuple[Finding, ...] = ()
    #: For each block, the elements that hold it, outermost first, as numbers the reader gave them (the
    #: nesting of an HTML page); empty when the source has no nesting. The assembler keeps the smallest
    #: element that holds every section heading: the report among a portal's menus and footers.
    containers: tuple[tuple[int, ...], ...] = ()
    #: Titles the container offers besides its body (the parts of an HTML ``<title>``), best first.
    title_candidates: tuple[str, ...] = ()
    #: The pictures among the blocks (HTML): a page may show its tables as pictures of them.
    pictures: tuple[Picture, ...] = ()

    @classmethod
    def of(cls, blocks: Sequence[Block], format: str, path: str | None = None,
           title: str | None = None, fields: Mapping[str, str] | None = None,
           links: Sequence[Link] = (), notes: Sequence[Finding] = (),
           containers: Sequence[tuple[int, ...]] = (), title_candidates: Sequence[str] = (),
           pictures: Sequence[Picture] = ()) -> Document:
        return cls(tuple(blocks), format, path, title, dict(fields or {}), tuple(links), tuple(notes),
                   tuple(containers), tuple(title_candidates), tuple(pictures))


def build_table(cell_rows: Sequence[Sequence[tuple[str, int, int]]], *, exact_geometry: bool = True,
                page: int | None = None, line_of_row: Sequence[int | None] | None = None) -> Table:
    """Build a grid from rows of ``(text, rowspan, colspan)`` as HTML and DOCX tables give them.

    Cells covered by a rowspan from above are skipped over, as a browser lays out a table.
    """
    occupied: set[tuple[int, int]] = set()
    rows: list[tuple[TableCell, ...]] = []
    max_span = options().limits.max_span
    for r, cells in enumerate(cell_rows):
        out: list[TableCell] = []
        col = 0
        for text, rowspan, colspan in cells:
            while (r, col) in occupied:
                col += 1
            # A span past any real table (rowspan=1000) would make a grid of millions of cells: cut it.
            rowspan = min(max(1, rowspan), max_span)
            colspan = min(max(1, colspan), max_span)
            line = line_of_row[r] if line_of_row else None
            out.append(TableCell(text, r, col, rowspan, colspan, line=line, page=page))
            for dr in range(rowspan):
                for dc in range(colspan):
                    occupied.add((r + dr, col + dc))
            col += colspan
        rows.append(tuple(out))
    return Table(tuple(rows), exact_geometry, page)
