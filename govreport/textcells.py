"""Cut a line of table text into cells: at gaps, and where labels and numbers were glued together.

Extraction tools linearise a table in their own ways: one cell per line, cells set apart by runs of
spaces, or — in a crawler's page text — every cell of a row glued to the next
(``规章000行政规范性文件417``). This module turns any such line into cells, each marked with whether it
was glued to its neighbours, so that :mod:`govreport.assign` knows which digit runs may hold several
numbers. Prose numbers (``2022年``, ``179条``, ``第3项``) are left inside their text: only a number that
stands between labels is a cell.

>>> [c.text for c in cut_line("规章000行政规范性文件417")]
['规章', '000', '行政规范性文件', '417']
>>> [(c.text, c.glued) for c in cut_line("00000002.其他法律行政法规禁止公开")]
[('0000000', True), ('2.其他法律行政法规禁止公开', False)]
>>> [c.text for c in cut_line("2022年，上网发布179条信息")]
['2022年，上网发布179条信息']
>>> [c.text for c in cut_line("规章    1    0    11")]
['规章', '1', '0', '11']
>>> [c.text for c in cut_line("政府集中采购 395 73802895.90 元")]
['政府集中采购', '395', '73802895.90元']
"""

from __future__ import annotations

from functools import lru_cache

import attrs

from .lazyre import lazy_compile
from .normalize import parse_number

#: A run of two or more spaces or a tab parts the cells of a line laid out by position.
GAP_RE = lazy_compile(r"[ \t\u3000\u00a0]{2,}|\t")
_NUMBER_TAIL_RE = lazy_compile(
    r"^(?P<label>.*?[^\d\s,.+\-])\s+(?P<numbers>[-+]?\d[\d,]*(?:\.\d+)?(?:\s+[-+]?\d[\d,]*(?:\.\d+)?)*)"
    r"(?:\s*(?P<unit>万元|元))?$")
# A number inside a cell: digits, a decimal part, a money unit printed with it. An item marker
# ("2." before a label) is not part of it: the lookahead leaves a digit followed by a marker stop out.
_NUMBER_RE = lazy_compile(r"(?:(?<=[\d\u4e00-\u9fff])[-+])?\d+(?:\.\d+)?(?:万元|元)?")
_MARKER_RE = lazy_compile(r"\d[.．、，,](?=[\u4e00-\u9fff“\"‘(（])")
# Where a label run holds the next item's marker: "（三）不予公开1.属于国家秘密", "…结果（一）予以公开".
_ITEM_SPLIT_RE = lazy_compile(
    r"(?<=[\u4e00-\u9fff）”\"])(?<!第)(?=（[一二三四五六七八九十]）|[一二三四五六七八九十]、|\d[.．、](?=[\u4e00-\u9fff]))")
#: Characters after a number that make it part of a sentence, not a table cell.
_PROSE_AFTER = frozenset("年月日号个件项次条人名家余多亿%％倍场期批户份篇万")
#: Characters before a number that make it part of a sentence (第3项, 共12, 约5).
_PROSE_BEFORE = frozenset("第共约近达超逾较比增减降升")


@attrs.frozen(eq=False, repr=False)
class TextCell:
    """A cell of a text line; ``glued`` when it touched other text with no separator."""

    text: str
    col: int
    glued: bool = False
    #: An empty cell that only a no-break space stands for.
    gap: bool = False
    #: A number set only one space from the next number in a line whose cells stand further apart: the
    #: two may be one number with a stray space in it (``2 0`` for 20, where the page split a cell's text).
    joins_next: bool = False


def split_cells(text: str) -> list[str]:
    """Cells of a line by its separators only: gaps, or a label followed by space-separated numbers.

    A line with neither stays one cell (a label broken by a stray space is one cell).
    """
    stripped = text.strip(" \t\u3000")
    if not stripped:
        return [text]
    parts = [p for p in GAP_RE.split(stripped) if p]
    words = stripped.split()
    if not words:
        return [text]
    if len(parts) == 1 and not all(is_number(w) for w in words):
        m = _NUMBER_TAIL_RE.match(parts[0])
        if not m or is_number(m["label"]):
            return [parts[0]]
    if len(words) > 1 and words[-1] in _UNITS and is_number(words[-2]):
        words[-2:] = [words[-2] + words[-1]]  # 73802895.90 元: the unit printed apart is the amount's
    return words


_UNITS = frozenset({"元", "万元"})
_PLAIN_NUMBER_RE = lazy_compile(r"[-+]?\d[\d,]*(?:\.\d+)?")


def is_number(text: str) -> bool:
    """Whether a piece of text is one plain number (``-18``, ``1,234``, ``73802895.90``)."""
    return _PLAIN_NUMBER_RE.fullmatch(text.strip()) is not None


def _glued_parts(cell: str) -> list[tuple[str, bool]]:
    """A cell cut at the numbers that stand between labels: ``[(text, is_number), ...]``."""
    if not any(ch.isdigit() for ch in cell):
        return [(cell, False)]
    if parse_number(cell).kind == "number":  # 1,234 · 减少1 · 12件 · 251000元: one printed number
        return [(cell, True)]
    parts: list[tuple[str, bool]] = []
    last = 0
    for m in _NUMBER_RE.finditer(cell):
        start, end = m.span()
        number = m.group()
        # "00000002.其他": the digit before the marker stop opens the next label.
        after = cell[end: end + 2]
        if after[:1] in (".", "．", "、") and not after[1:].isdigit() and "." not in number:
            if not _MARKER_RE.match(cell, end - 1):
                continue  # "2." alone: an item marker whose label follows on the next line
            end -= 1
            number = number[:-1]
        if not number or not _stands_alone(cell, start, end):
            continue
        if start > last:
            parts.append((cell[last:start], False))
        parts.append((number, True))
        last = end
    if last < len(cell):
        parts.append((cell[last:], False))
    return [(piece, False) if not is_number else (text, True)
            for text, is_number in _merge_text(parts)
            for piece in (_ITEM_SPLIT_RE.split(text) if not is_number else [text]) if piece]


def _stands_alone(cell: str, start: int, end: int) -> bool:
    before = cell[start - 1] if start > 0 else ""
    after = cell[end] if end < len(cell) else ""
    if before in _PROSE_BEFORE or after in _PROSE_AFTER:
        return False
    # A number inside Latin text or a code (ICP备09032658号, IPV6) is not a cell.
    return not (before.isascii() and before.isalpha()) and not (after.isascii() and after.isalpha())


def _merge_text(parts: list[tuple[str, bool]]) -> list[tuple[str, bool]]:
    out: list[tuple[str, bool]] = []
    for text, is_number in parts:
        if out and not is_number and not out[-1][1]:
            out[-1] = (out[-1][0] + text, False)
        else:
            out.append((text, is_number))
    return out


_SPACED_NUMBER_RE = lazy_compile(r"(^\s*|[\u4e00-\u9fff）] +)(\d{1,2}) +([.．、]) *(?=[\u4e00-\u9fff])")


@lru_cache(maxsize=4096)
def cut_line(text: str) -> tuple[TextCell, ...]:
    """The cells of one line of table text, in order, numbers glued to labels cut out.

    A no-break or ideographic space is what an empty HTML cell (``&nbsp;``) leaves in page text, so in a
    line that holds them each one also yields an empty cell marked ``gap`` (a blank cell, or padding:
    the decoder decides).
    """
    cells: list[TextCell] = []
    # A label's list number spaced out by the extractor (`2 . 其他法律行政`, `不予公 5 . 属于三类内`:
    # pdfplumber on a PDF whose characters are set apart) is the label's, not a value before it.
    text = _SPACED_NUMBER_RE.sub(r"\1\2\3", text)
    # No-break spaces after the last value are the empty cells that end the row; spaces before the
    # first are indentation.
    leading_cut = text.lstrip(" \t\u3000\u00a0")
    stripped = leading_cut.rstrip(" \t")
    if "\t" in stripped:
        # Tabs after the last value end the row's empty cells too (a browser's innerText of a table).
        return tuple(_renumbered(_tab_cells(leading_cut.rstrip(" "))))
    if _HTML_SPACE_RE.search(stripped):
        for n, chunk in enumerate(_SPACE_RUN_RE.split(stripped)):
            if n % 2:
                blanks = min(sum(1 for ch in chunk if ch in "\u00a0\u3000"), _MAX_GAP_CELLS)
                cells += [TextCell("", len(cells) + k, gap=True) for k in range(blanks)]
            elif chunk:
                cells += _cells_of(chunk, len(cells))
        if any(c.glued for c in cells):
            # Cells glued elsewhere on the line are glued here too: a no-break space marks an empty
            # cell, not the edges of the numbers around it.
            cells = [attrs.evolve(c, glued=True) if is_number(c.text) else c for c in cells]
        return tuple(_renumbered(cells))
    for raw in split_cells(text):
        cells += _cells_of(raw, len(cells))
    if GAP_RE.search(stripped):
        cells = _single_spaced(stripped, cells)
    return tuple(cells)


_SPACED_DIGITS_RE = lazy_compile(r"^ *\d+(?: \d+)+ *$")


def _tab_cells(text: str) -> list[TextCell]:
    """The cells of a tab-separated line: every tab ends a cell, so two tabs in a row hold an empty one
    (python-docx's ``row.cells`` or a spreadsheet saved as text; the decoder still weighs whether an empty
    cell is a blank cell or padding)."""
    cells: list[TextCell] = []
    for piece in text.split("\t"):
        if not piece.strip(" \u3000\u00a0"):
            cells.append(TextCell("", len(cells), gap=True))
            continue
        if _SPACED_DIGITS_RE.match(piece):
            # Between two tabs stands one cell: `2 0` is a number whose text a page split in two.
            piece = piece.replace(" ", "")
        for raw in split_cells(piece):
            cells += _cells_of(raw, len(cells))
    return cells


def _single_spaced(text: str, cells: list[TextCell]) -> list[TextCell]:
    """``cells`` with each number that stands one space from the next number marked ``joins_next``."""
    words = list(_WORD_RE.finditer(text))
    if [w.group() for w in words] != [c.text for c in cells]:
        return cells  # cells cut out of glued text: no one-to-one match with the words
    return [attrs.evolve(c, joins_next=True)
            if n + 1 < len(words) and words[n + 1].start() - words[n].end() == 1 and text[words[n].end()] == " "
            and is_number(c.text) and is_number(cells[n + 1].text) else c
            for n, c in enumerate(cells)]


_WORD_RE = lazy_compile(r"\S+")


_HTML_SPACE_RE = lazy_compile(r"\S[\u00a0\u3000]")
_SPACE_RUN_RE = lazy_compile(r"([ \t\u00a0\u3000]+)")
#: Empty cells one run of no-break spaces may stand for: a table row is at most this wide.
_MAX_GAP_CELLS = 8


def _cells_of(raw: str, start: int) -> list[TextCell]:
    parts = _glued_parts(raw)
    glued = len(parts) > 1
    return [TextCell(part, start + n, glued and is_number) for n, (part, is_number) in enumerate(parts)]


def _renumbered(cells: list[TextCell]) -> list[TextCell]:
    return [attrs.evolve(c, col=n) for n, c in enumerate(cells)]


def first_cell(text: str) -> str:
    """The first cell of a line by its separators (the whole line when it has none)."""
    stripped = text.strip(" \t\u3000")
    return GAP_RE.split(stripped, maxsplit=1)[0] if stripped else ""
