"""Values a laid-out text printed on a line of their own, put back into their row by their position.

Layout-keeping extractors (pdftotext ``-layout``, pdfplumber's and PyMuPDF's sorted text) set each piece
of text where it stood on the page. A cell whose text sits higher or lower than the rest of its row — a
table of a word processor centres cells vertically, a label wrapped over two lines makes its row taller —
comes out as a line of bare values just above or below the row::

                           442
    行政许可         396                 278

The line holds no label, and the columns say where it goes: ``442`` stands in the gap between ``396``
and ``278``. Such a line is merged into the row it touches when exactly one of its neighbours has a free
place at every one of its values' positions; otherwise it is left as it is, for the decoder to weigh.
Tools count positions in characters (pdftotext) or in columns where a CJK character is two wide (sorted
PyMuPDF text); the table's own rows say which — in the right count their values line up — and where
they do not say, both counts must agree.

>>> from govreport.document import Paragraph
>>> lines = [Paragraph("                         442", line=1),
...          Paragraph("行政许可       396                 278", line=2)]
>>> [p.text.split() for p in with_strays_placed(lines)]
[['行政许可', '396', '442', '278']]
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import attrs

from ..document import Block, Paragraph
from ..lazyre import lazy_compile
from ..normalize import display_width, parse_number
from ..settings import options

#: Text set apart by at least two spaces: the cells of a laid-out line.
_CELL_RE = lazy_compile(r"\S+(?: \S+)*")
#: A line laid out by position starts indented or holds a gap of two spaces or more.
_LAID_OUT_RE = lazy_compile(r"^ {2,}\S|\S {2,}\S")


@attrs.frozen(eq=False, repr=False)
class _Cell:
    """A cell of a laid-out line, where it stands: in characters, and in columns (CJK characters are two
    wide). Tools differ in which of the two they lay text out by."""

    text: str
    start: int
    end: int
    wide_start: int
    wide_end: int


def with_strays_placed(blocks: Sequence[Block]) -> list[Block]:
    """``blocks`` with every line of bare values that belongs to exactly one neighbouring row merged
    into that row (its values inserted where their positions put them)."""
    out = list(blocks)
    # The common text has no row laid out by position, or no line of values beside one: nothing to
    # measure.
    if not any(isinstance(b, Paragraph) and _ROW_LIKE_RE.search(b.text) for b in out) \
            or not any(_may_stray(out, n) for n in range(len(out))):
        return out
    counts = _counts(out)
    n = 0
    while n < len(out):
        merged = _place(out, n, counts) if _may_stray(out, n) else None
        if merged is None:
            n += 1
            continue
        row, text = merged
        out[row] = attrs.evolve(out[row], text=text)  # type: ignore[arg-type]
        del out[n]
        n = max(0, min(n, row) - 1)  # the row changed: a stray line next to it may fit now, or no longer
    return out


def _may_stray(blocks: Sequence[Block], n: int) -> bool:
    """Whether the line at ``n`` looks like a stray line (laid out, values only) beside a line that may be a
    row (a value at its end and something before it): a quick look, before positions are measured."""
    stray = blocks[n]
    if not isinstance(stray, Paragraph) or not _VALUES_ONLY_RE.match(stray.text):
        return False
    return any(isinstance(b, Paragraph) and _ROW_LIKE_RE.search(b.text)
               for b in (blocks[n - 1] if n else None, blocks[n + 1] if n + 1 < len(blocks) else None))


#: A laid-out line of values only: indented or gapped (two spaces or more), numbers and money units.
_VALUE = r"[-+]?\d[\d,.]*(?: ?万?元)?"
_VALUES_ONLY_RE = lazy_compile(rf"^(?=.*(?:^ {{2}}| {{2}}\S)) *{_VALUE}(?: +{_VALUE})*\s*$")
#: A line that holds something and ends in a value after a gap: a row, with a label or with more values.
_ROW_LIKE_RE = lazy_compile(rf"\S {{2,}}{_VALUE}\s*$")


#: A way of counting a cell's position: (start, end) in characters, or in columns.
_Count = Callable[[_Cell], tuple[int, int]]


def _by_characters(cell: _Cell) -> tuple[int, int]:
    return cell.start, cell.end


def _by_columns(cell: _Cell) -> tuple[int, int]:
    return cell.wide_start, cell.wide_end


def _counts(blocks: Sequence[Block]) -> tuple[_Count, ...]:
    """The ways of counting positions to place values by: the one under which the values of the region's
    rows line up clearly better (fewer distinct positions), or else both."""
    starts: dict[int, set[int]] = {0: set(), 1: set()}
    for block in blocks:
        if not isinstance(block, Paragraph) or not _LAID_OUT_RE.search(block.text):
            continue
        cells = _cells(block.text)
        values = [c for c in cells[1:] if _is_value(c.text)]
        if len(values) >= 2:
            starts[0].update(c.start for c in values)
            starts[1].update(c.wide_start for c in values)
    chars, columns = len(starts[0]), len(starts[1])
    share = options().decoder.aligned_share
    if chars and chars <= share * columns:
        return (_by_characters,)
    if columns and columns <= share * chars:
        return (_by_columns,)
    return _by_characters, _by_columns


def _place(blocks: list[Block], n: int, counts: tuple[_Count, ...]) -> tuple[int, str] | None:
    """Where the stray line at ``n`` goes: (index of its row, the row's text with it), or None."""
    stray = blocks[n]
    if not isinstance(stray, Paragraph) or stray.line is None or not _LAID_OUT_RE.search(stray.text):
        return None
    values = _cells(stray.text)
    if not values or not all(_is_value(c.text) for c in values):
        return None
    fits: list[tuple[int, int, str]] = []
    reach = options().decoder.stray_reach
    for m in (n - 1, n + 1):
        row = blocks[m] if 0 <= m < len(blocks) else None
        if not isinstance(row, Paragraph) or row.line is None or abs(row.line - stray.line) > reach:
            continue
        text = _inserted(row.text, values, counts)
        if text is not None:
            fits.append((abs(row.line - stray.line), m, text))
    fits.sort()
    if not fits or (len(fits) == 2 and fits[0][0] == fits[1][0]):
        return None  # no row takes it, or two rows at the same distance do
    return fits[0][1], fits[0][2]


def _inserted(line: str, values: list[_Cell], counts: tuple[_Count, ...]) -> str | None:
    """``line`` (a row: its labels — a group's and its own — then values, or values alone, as table 4's)
    with ``values`` set into its free places; None when it is no such row, when a value falls on one of
    its own, or when the ways of counting positions put the values in different places."""
    cells = _cells(line)
    labels = next((n for n, c in enumerate(cells) if _is_value(c.text)), len(cells))
    own = cells[labels:]
    if not own or not all(_is_value(c.text) for c in own) or (not labels and len(own) < 2):
        return None  # not labels followed by values only, nor a row of values
    label = cells[labels - 1] if labels else None
    placed = [_merged(own, values, count(label)[1] if label else -1, count) for count in counts]
    if placed[0] is None or any(p != placed[0] for p in placed):
        return None
    return (line[:label.end] if label else "") + "".join("    " + c.text for c in placed[0])


def _merged(own: list[_Cell], values: list[_Cell], label_end: int, span: _Count) -> list[_Cell] | None:
    """The row's values and the stray ones in the order of their positions; None on a collision."""
    for value in values:
        start, end = span(value)
        # One character of slack: tools round positions to whole characters.
        if start <= label_end or any(start <= span(c)[1] and span(c)[0] <= end for c in own):
            return None
    return sorted([*own, *values], key=lambda c: sum(span(c)))


def _cells(line: str) -> list[_Cell]:
    out: list[_Cell] = []
    wide, at = 0, 0  # columns counted so far, up to character ``at``
    for m in _CELL_RE.finditer(line):
        wide += display_width(line[at:m.start()])
        end = wide + display_width(m.group())
        out.append(_Cell(m.group(), m.start(), m.end(), wide, end))
        wide, at = end, m.end()
    return out


def _is_value(text: str) -> bool:
    number = parse_number(text)
    return number.is_value_like and number.kind not in ("blank", "invalid")
