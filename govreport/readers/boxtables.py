"""Tables drawn in text with rules: box-drawing characters (``w3m -dump``, ``lynx``, terminal tools) or ASCII
grids (``+----+----+`` of pandoc's grid tables, tabulate, psql).

Rule lines (``├────┼────┤``) separate rows; on the lines between them, vertical bars separate cells. A cell
whose text wraps fills several lines of one row, and each line has the row's bars in the same places, so
the lines of a row are joined cell by cell (``社会`` / ``公益`` / ``组织`` is 社会公益组织). A cell that spans
rows shows its text on a rule line, between the rules of the cells beside it (``│（三）不予公开├────┤``):
that text stands as a row of its own, where a row label's words are all the decoder needs.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..document import Table as GridTable
from ..document import TableCell
from ..lazyre import lazy_compile
from ..normalize import display_width

_VERTICAL = "│┃║"
_JUNCTIONS = "├┤┼┬┴┌┐└┘┏┓┗┛┣┫┳┻╋┝┥┯┷┿╔╗╚╝╠╣╦╩╬╒╕╘╛╞╡╤╧╪╓╖╙╜╟╢╥╨╫"
_HORIZONTAL = "─━═┄┅┈┉╌╍"
#: What cuts a line of a box-drawn table into cells.
_CELL_EDGE_RE = lazy_compile(f"[{_VERTICAL}{_JUNCTIONS}]")
#: A piece of a line that is all rule.
_RULE_RE = lazy_compile(f"^[{_HORIZONTAL}{_JUNCTIONS}\\s]*[{_HORIZONTAL}][{_HORIZONTAL}{_JUNCTIONS}\\s]*$")
#: An ASCII grid's rule line: ``+----+=====+`` (with ``:`` for alignment in pandoc's grid tables).
_ASCII_RULE_RE = lazy_compile(r"^\s*\+(?:[-=:]+\+)+\s*$")


def starts_box_table(line: str) -> bool:
    """Whether a line opens or belongs to a drawn table: it starts with a box-drawing character, or is an
    ASCII grid's rule line."""
    return _BOX_START_RE.match(line) is not None


_BOX_START_RE = lazy_compile(f"\\s*(?:[{_VERTICAL}{_JUNCTIONS}]|\\+(?:[-=:]+\\+)+\\s*$)")


def read_box_table(lines: list[str], i: int, first_line: int) -> tuple[GridTable | None, int]:
    """The drawn table starting at line ``i``, and the index of the first line after it."""
    rows = _RowCollector()
    ascii_grid = _ASCII_RULE_RE.match(lines[i]) is not None
    while i < len(lines) and _in_table(lines[i], ascii_grid):
        rows.take(lines[i].strip(), first_line + i + 1, ascii_grid)
        i += 1
    rows.flush()
    cells = [tuple(TableCell(text, r, c, line=at) for c, (text, at) in enumerate(row))
             for r, row in enumerate(r for r in rows.rows if any(text for text, _ in r))]
    return (GridTable(tuple(cells), exact_geometry=False) if cells else None), i


class _RowCollector:
    """The rows of a drawn table, line by line: each row's cells with the line it starts on."""

    def __init__(self) -> None:
        self.rows: list[list[tuple[str, int]]] = []
        self.pending: list[list[str]] = []
        self.pending_line = 0
        #: Where the last rule line of an ASCII grid put its column edges (display columns).
        self.edges: list[int] = []

    def take(self, line: str, number: int, ascii_grid: bool) -> None:
        if ascii_grid and _ASCII_RULE_RE.match(line):
            self.flush()
            self.edges = _display_positions(line, "+")
            return
        pieces = _pieces(line, ascii_grid)
        if ascii_grid and len(pieces) + 1 > len(self.edges) > 1:
            pieces = _cut_at_edges(line, self.edges) or pieces
        if any(_RULE_RE.match(p) for p in pieces):
            self.flush()
            # Text on a rule line is a cell spanning the rows the rule separates.
            if any(p.strip() and not _RULE_RE.match(p) for p in pieces):
                self.rows.append([("" if _RULE_RE.match(p) else p.strip(), number) for p in pieces])
            return
        if self.pending and len(self.pending[0]) != len(pieces):
            self.flush()  # another set of bars: another row
        if not self.pending:
            self.pending_line = number
        self.pending.append(pieces)

    def flush(self) -> None:
        if self.pending:
            self.rows.append([(joined_lines(column), self.pending_line) for column in zip(*self.pending, strict=True)])
            self.pending = []


def _in_table(line: str, ascii_grid: bool) -> bool:
    stripped = line.lstrip()
    return starts_box_table(line) or (ascii_grid and stripped.startswith("|"))


def _pieces(line: str, ascii_grid: bool) -> list[str]:
    """The cells of a line between its outer edges."""
    pieces = (line.split("|") if ascii_grid else _CELL_EDGE_RE.split(line))
    if pieces and not pieces[0].strip():
        pieces = pieces[1:]
    if pieces and not pieces[-1].strip():
        pieces = pieces[:-1]
    return pieces


def _display_positions(line: str, mark: str) -> list[int]:
    """The display columns (a CJK character takes two) at which ``mark`` stands in a line."""
    positions: list[int] = []
    column = 0
    for char in line:
        if char == mark:
            positions.append(column)
        column += display_width(char)
    return positions


def _cut_at_edges(line: str, edges: list[int]) -> list[str] | None:
    """A grid line's cells cut at the rule's column edges, when a bar stands at each of them: a ``|``
    inside a cell's text (more bars than edges) is then the cell's, not a border. None when the line's bars
    do not meet the edges (a converter that misjudged the width of CJK text)."""
    bars = _display_positions(line, "|")
    if not set(edges) <= set(bars):
        return None
    pieces: list[str] = []
    column = 0
    current: list[str] = []
    for char in line:
        if column in edges and char == "|":
            pieces.append("".join(current))
            current = []
        else:
            current.append(char)
        column += display_width(char)
    return pieces[1:]


def joined_lines(parts: Sequence[str]) -> str:
    r"""A wrapped cell's lines as one text: CJK runs on without a space, Latin words get one. A backslash
    that ends a line is markdown's line break (``本年新\`` / ``制作数量``), a bar that starts one
    reStructuredText's."""
    out = ""
    for part in (p.strip() for p in parts):
        part = part[:-1].rstrip() if part.endswith("\\") else part
        if part == "|" or part.startswith("| "):
            part = part[1:].strip()  # reStructuredText's line block: a line break kept inside the cell
        if not part:
            continue
        out += _line_joint(out, part) + part
    # Emphasis wrapped with the cell (pandoc sets a bold or italic cell as ``*2`` / ``3*``) is markup.
    if "*" in out and out.count("*") % 2 == 0:
        out = out.replace("*", "").strip()
    return out


def _line_joint(before: str, after: str) -> str:
    """What stands between two lines of one cell: nothing for CJK, or for a number that the column's
    width broke (``1,2`` / ``34``), a space between Latin words."""
    if not before or not before[-1].isascii() or not after[0].isascii():
        return ""
    return "" if _NUMBER_HEAD_RE.search(before) and _NUMBER_TAIL_RE.match(after) else " "


#: The end of a line that is the start of a number (a sign, or digits with their separators) …
_NUMBER_HEAD_RE = lazy_compile(r"(?:^|[^\w.,+\-])\**(?:[+\-−]|[+\-−]?\d[\d.,]*)$")
#: … and the start of a line that goes on with it.
_NUMBER_TAIL_RE = lazy_compile(r"^\d[\d.,]*\**(?:$|[^\w.,])")
