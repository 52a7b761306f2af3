"""Where the report is in what a reader found: the body among a page's furniture, and its title.

Readers hand over everything and the hints they own; knowing what a report looks like is the assembler's.
Two hints are used here:

- the nesting of a web page (:attr:`Document.containers`): a portal page wraps the report in menus,
  breadcrumbs, metadata tables and footers, and the report is the smallest element that holds every one of
  its section headings;
- the lines of a PDF paragraph (:attr:`Paragraph.breaks`): a heading set in the body's own type runs into
  the paragraph around it, and is cut out at its line.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import attrs

from . import layout
from .decoding import signature_of
from .document import Block, Document, Paragraph, TableCell
from .document import Table as GridTable
from .lazyre import lazy_compile
from .normalize import normalize_label
from .running import running_texts


def focused(document: Document) -> Document:
    """The document with its headings on paragraphs of their own, cut to the report's body when the
    reader gave the nesting, and titled from what lies before the body or the container's titles."""
    document = _without_running_text(document)
    if not document.containers:
        blocks = _headings_cut_out(_text_taken_out_of_grids(document.blocks))
        return attrs.evolve(document, blocks=blocks) if blocks is not document.blocks else document
    start, end = _body_span(document.blocks, document.containers)
    before = [b.text for b in document.blocks[:start] if isinstance(b, Paragraph) and layout.is_title(b.text)]
    candidates = [*reversed(before), *([document.title] if document.title else []), *document.title_candidates]
    title = next((c for c in candidates if layout.is_title(c)), None)
    return attrs.evolve(document, blocks=_headings_cut_out(document.blocks[start:end]), title=title,
                        containers=(), title_candidates=())


def _without_running_text(document: Document) -> Document:
    """The document without the headers and footers a printer repeated on each page (:func:`running_texts`),
    which a text dump keeps among the lines: between a table's rows they would join the row above. The
    first, where it is the report's title, stays; a paragraph loses such lines from among its own."""
    lines = [line for b in document.blocks if isinstance(b, Paragraph) for line in b.text.split("\n")]
    running = running_texts(lines)
    if not running:
        return document
    kept: list[Block] = []
    kept_at: list[int] = []  # each block's place among the kept ones (the next one's, if dropped)
    dropped: set[int] = set()
    seen: set[str] = set()
    for n, block in enumerate(document.blocks):
        kept_at.append(len(kept))
        if isinstance(block, Paragraph) and block.text in running:
            first = block.text not in seen
            seen.add(block.text)
            if not (first and layout.is_title(block.text)):
                dropped.add(n)
                continue
        elif isinstance(block, Paragraph) and "\n" in block.text:
            own = [line for line in block.text.split("\n") if line not in running]
            if len(own) <= block.text.count("\n"):
                block = attrs.evolve(block, text="\n".join(own), breaks=())
        kept.append(block)
    containers = tuple(c for n, c in enumerate(document.containers) if n not in dropped)
    pictures = tuple(attrs.evolve(p, index=kept_at[p.index] if p.index < len(kept_at) else len(kept))
                     for p in document.pictures)
    return attrs.evolve(document, blocks=tuple(kept), containers=containers, pictures=pictures)


def _body_span(blocks: Sequence[Block], containers: Sequence[tuple[int, ...]]) -> tuple[int, int]:
    """The blocks of the smallest element that holds every section heading (all blocks if unsure)."""
    heads = [n for n, b in enumerate(blocks)
             if isinstance(b, Paragraph) and layout.section_of_heading(b.text) is not None]
    if len(heads) < 2 or len(containers) != len(blocks):
        return 0, len(blocks)
    common = containers[heads[0]]
    for n in heads[1:]:
        chain = containers[n]
        shared = 0
        while shared < min(len(common), len(chain)) and common[shared] == chain[shared]:
            shared += 1
        common = common[:shared]
    if not common:
        return 0, len(blocks)
    inside = [n for n, chain in enumerate(containers) if chain[:len(common)] == common]
    return (inside[0], inside[-1] + 1) if inside else (0, len(blocks))


def _text_taken_out_of_grids(blocks: tuple[Block, ...]) -> tuple[Block, ...]:
    """Grids that hold the report's own text as rows of one cell — a section heading, or running text with
    a full stop (a whole report pasted into one spreadsheet, or typed into a one-column table) — cut into
    paragraphs and the grids between them."""
    out: list[Block] = []
    changed = False
    for block in blocks:
        pieces = _cut_at_text_rows(block) if isinstance(block, GridTable) else [block]
        changed = changed or pieces[0] is not block
        out += pieces
    return tuple(out) if changed else blocks


def _text_row(row: tuple[TableCell, ...]) -> str | None:
    """The text of a row that is surely a paragraph of the report, not a row of a table: a section heading
    or running text with a full stop, alone in its row."""
    text = _lone_text(row)
    return text if text is not None and (layout.section_of_heading(text) is not None or "。" in text) else None


def _lone_text(row: tuple[TableCell, ...]) -> str | None:
    filled = [c for c in row if c.text.strip()]
    return filled[0].text.strip() if len(filled) == 1 else None


def _text_rows(grid: GridTable) -> list[str | None]:
    """Each row's text where the row is a paragraph: the sure ones, and the lone texts next to them that
    are no table's label (a sub-heading, a sentence without a full stop), spreading from row to row."""
    texts = [_text_row(row) for row in grid.rows]
    changed = True
    while changed:
        changed = False
        for n, row in enumerate(grid.rows):
            lone = _lone_text(row) if texts[n] is None else None
            beside = (n > 0 and texts[n - 1] is not None) or (n + 1 < len(texts) and texts[n + 1] is not None)
            if lone is not None and beside and signature_of(normalize_label(lone)) is None:
                texts[n], changed = lone, True
    return texts


def _cut_at_text_rows(grid: GridTable) -> list[Block]:
    """The grid itself where no row is the report's text; else its text rows as paragraphs and the rows
    between them as grids of their own (spans cut at the pieces' edges)."""
    texts = _text_rows(grid)
    if all(t is None for t in texts):
        return [grid]
    out: list[Block] = []
    start = 0

    def close(end: int) -> None:
        if end > start:
            rows = tuple(tuple(attrs.evolve(c, row=c.row - start, rowspan=min(c.rowspan, end - c.row))
                               for c in row) for row in grid.rows[start:end])
            out.append(attrs.evolve(grid, rows=rows))

    for n, (row, text) in enumerate(zip(grid.rows, texts, strict=True)):
        if text is not None and row:
            close(n)
            out.append(Paragraph(text, line=row[0].line, page=row[0].page or grid.page))
            start = n + 1
    close(len(grid.rows))
    return out


def _headings_cut_out(blocks: tuple[Block, ...]) -> tuple[Block, ...]:
    """Paragraphs whose source lines include a section heading, cut before and after that line;
    paragraphs that open with a section heading in its known wording, cut after it; and paragraphs that
    end with one set apart by spaces (beside a table's last row), cut before it."""
    if not any(isinstance(b, Paragraph) and (b.breaks or _opening_heading(b.text) or _closing_heading(b.text))
               for b in blocks):
        return blocks
    out: list[Block] = []
    for block in blocks:
        if isinstance(block, Paragraph) and block.breaks:
            out += _cut_at_headings(block)
        elif isinstance(block, Paragraph) and (end := _opening_heading(block.text)):
            # A heading that a text tool ran into the paragraph after it (pymupdf4llm, pdfminer).
            out += [Paragraph(block.text[:end], block.line, block.page),
                    Paragraph(block.text[end:].strip(), block.line, block.page)]
        elif isinstance(block, Paragraph) and (start := _closing_heading(block.text)):
            # A heading set beside the last row of a table by a tool that sorts text by position.
            out += [Paragraph(block.text[:start].rstrip(), block.line, block.page),
                    Paragraph(block.text[start:].strip(), block.line, block.page)]
        else:
            out.append(block)
    return tuple(out)


def _opening_heading(text: str) -> int:
    """Where a section heading that opens the text ends, if a space follows it and more text after;
    0 otherwise. Only a heading in one of its known wordings counts: a sentence may start with a numeral."""
    if text.lstrip(" #*_\u3000")[:1] not in _NUMERALS:
        return 0  # the quick answer for almost every paragraph
    head = text[:_HEADING_ROOM].split(maxsplit=1)
    if len(head) == 2 and layout.is_named_heading(head[0]):
        return text.index(head[0]) + len(head[0])
    if not _NUMBERED_RE.match(text) or layout.section_of_heading(text) is not None:
        return 0  # not numbered as a heading is, or a heading in a wording of its own as a whole
    # No space after it (PyMuPDF's sorted text runs a heading into the line beside it): the longest
    # opening that is a heading in a known wording.
    ends = [end for end in range(3, min(len(text), _HEADING_ROOM)) if layout.is_named_heading(text[:end])]
    return ends[-1] if ends and text[ends[-1]:].strip() else 0


def _closing_heading(text: str) -> int:
    """Where a section heading in a known wording that ends the text begins, if two spaces or more set it
    apart from text before it; 0 otherwise."""
    tail = text[-_HEADING_ROOM:]
    found = _SPACED_HEADING_RE.search(tail)
    if found is None or not layout.is_named_heading(found.group(1)):
        return 0
    return len(text) - len(tail) + found.start(1)


_SPACED_HEADING_RE = lazy_compile(r"\S\s{2,}([一二三四五六][、.．]\S+)\s*$")
_NUMBERED_RE = lazy_compile(r"[\s#*_\u3000]*[一二三四五六][、.．]")


_NUMERALS = frozenset("一二三四五六")
#: How far into a paragraph a heading that opens it may reach.
_HEADING_ROOM = 48


def _cut_at_headings(paragraph: Paragraph) -> list[Paragraph]:
    edges = [0, *paragraph.breaks, len(paragraph.text)]
    lines = [(a, b) for a, b in itertools.pairwise(edges) if b > a]
    cuts: set[int] = set()
    for start, end in lines:
        if layout.section_of_heading(paragraph.text[start:end]) is not None:
            cuts |= {start, end}
    cuts -= {0, len(paragraph.text)}
    if not cuts:
        return [paragraph]
    points = [0, *sorted(cuts), len(paragraph.text)]
    return [Paragraph(paragraph.text[a:b], paragraph.line, paragraph.page) for a, b in itertools.pairwise(points)
            if paragraph.text[a:b].strip()]
