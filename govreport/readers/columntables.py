"""Tables whose columns a rule of dashes gives: pandoc's simple and multiline tables (its ``plain`` and
``markdown`` output), docutils' simple tables (``=====  =====``) and tools that print tables the same way.

::

      ---------------------------------- ------------ --------
      一、本年新收政府信息公开申请数量             821        859
      二、上年结转政府信息公开申请数量              18         18
      ---------------------------------- ------------ --------

Each run of dashes is a column; a character belongs to the column its position falls in, counted in the
columns a terminal gives it (a CJK character takes two, as the writer counted). Cells left blank stay
empty cells in their column, which is what lines of text cannot tell. Rows are lines; where the table
parts its rows by blank lines (a multiline table), the lines between two blanks are one row, joined
cell by cell. A header of one or more lines right above the rule is the table's first row.
"""

from __future__ import annotations

import itertools
import unicodedata

from ..document import Table as GridTable
from ..document import TableCell
from ..lazyre import lazy_compile
from .boxtables import joined_lines

#: A rule of two or more runs of dashes (or ``=``) parted by spaces: the columns of the lines around it.
_RULE_RE = lazy_compile(r"^\s*[-=]{2,}(?:\s+[-=]{2,})+\s*$")
#: A rule of one run: the top and bottom of a multiline table whose header stands between them.
_LINE_RE = lazy_compile(r"^\s*-{3,}\s*$")
_RUN_RE = lazy_compile(r"[-=]+")
#: Header lines a multiline table may have between its top line and its rule.
_MAX_HEADER_LINES = 6


def starts_column_table(lines: list[str], i: int) -> bool:
    """Whether a table of this kind starts at line ``i``: its rule, its header above the rule, or the top
    line of a multiline table with a header."""
    return _rule_at(lines, i) is not None


def _rule_at(lines: list[str], i: int) -> int | None:
    """The index of the rule of a table starting at ``i``, or None."""
    line = lines[i]
    if "--" in line or "==" in line:
        if _RULE_RE.match(line):
            return i
        if _LINE_RE.match(line):
            for j in range(i + 1, min(i + 2 + _MAX_HEADER_LINES, len(lines))):
                if _RULE_RE.match(lines[j]):
                    return j
                if not lines[j].strip() and j > i + 1:
                    return None
            return None
    nxt = lines[i + 1] if i + 1 < len(lines) else ""
    if line.strip() and not line.lstrip().startswith(":::") and ("--" in nxt or "==" in nxt) \
            and _RULE_RE.match(nxt):
        return i + 1  # a header line (not the fence of a pandoc div) right above the rule
    return None


def table_ranges(lines: list[str]) -> list[tuple[int, int]]:
    """The ``(first, after_last)`` line ranges of the tables of this kind in ``lines``."""
    out = []
    i = 0
    while i < len(lines):
        rule = _rule_at(lines, i)
        if rule is None:
            i += 1
            continue
        _, end = _body(lines, rule + 1)
        out.append((i, end))
        i = max(end, i + 1)
    return out


def display_width(text: str) -> int:
    """How many columns a terminal gives the text (a CJK character two)."""
    return len(text) if text.isascii() else sum(_width(char) for char in text)


def read_column_table(lines: list[str], i: int, first_line: int) -> tuple[GridTable | None, int]:
    """The table starting at line ``i``, and the index of the first line after it."""
    rule = _rule_at(lines, i)
    assert rule is not None, "read_column_table is called where starts_column_table said yes"
    columns = [(m.start(), m.end()) for m in _RUN_RE.finditer(_expanded(lines[rule]))]
    header = [n for n in range(i, rule) if lines[n].strip() and not _LINE_RE.match(lines[n])]
    body, end = _body(lines, rule + 1)
    cut = {n: _cells(lines[n], columns) for n in [*header, *body]}
    groups = ([header] if header else []) + _row_groups(body, cut)
    rows = []
    for group in groups:
        texts = [joined_lines([cut[n][k] for n in group]) for k in range(len(columns))]
        if any(texts):
            rows.append((texts, first_line + group[0] + 1))
    grid = tuple(tuple(TableCell(text, r, c, line=at) for c, text in enumerate(texts))
                 for r, (texts, at) in enumerate(rows))
    return (GridTable(grid, exact_geometry=True) if grid else None), end


def _body(lines: list[str], start: int) -> tuple[list[int], int]:
    """The body lines after the rule and the index after the table: it ends at a closing rule, or at a
    blank line that no further row of the table follows."""
    body: list[int] = []
    n = start
    while n < len(lines):
        line = lines[n]
        if _RULE_RE.match(line) or _LINE_RE.match(line):
            return body, n + 1
        if not line.strip():
            # A blank line parts the rows of a multiline table, which has a closing rule; without one
            # ahead before the next blank line, the table has ended.
            if not _closing_rule_ahead(lines, n + 1):
                return body, n
        else:
            body.append(n)
        n += 1
    return body, n


def _closing_rule_ahead(lines: list[str], start: int) -> bool:
    for n in range(start, len(lines)):
        if _RULE_RE.match(lines[n]) or _LINE_RE.match(lines[n]):
            return True
        if not lines[n].strip() and (n + 1 >= len(lines) or not lines[n + 1].strip()):
            return False  # two blank lines: the table is over
    return False


def _row_groups(body: list[int], cut: dict[int, list[str]]) -> list[list[int]]:
    """Rows as groups of line indexes: lines parted by blank lines are one row each group; otherwise each
    line is a row, unless a cell's markup is still open at its end (a span's attributes wrapped onto the
    next line: ``[0]{style="font-family:…`` / ``…font-size:12pt;"}``)."""
    if not body:
        return []
    parted = any(b - a > 1 for a, b in itertools.pairwise(body))
    groups: list[list[int]] = [[body[0]]]
    for previous, n in itertools.pairwise(body):
        if (n - previous > 1) if parted else not _open_markup(groups[-1], cut):
            groups.append([n])
        else:
            groups[-1].append(n)
    return groups


def _open_markup(group: list[int], cut: dict[int, list[str]]) -> bool:
    """Whether the row's lines so far leave a span or its attributes open (counted over the whole line:
    a long attribute may run past its column)."""
    text = "".join("".join(cut[n]) for n in group)
    return text.count("{") > text.count("}") or text.count("[") > text.count("]")


def _width(char: str) -> int:
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def _expanded(line: str) -> str:
    """The line with every wide character followed by a filler, so that string positions are columns."""
    if line.isascii():
        return line
    return "".join(char + "\0" if _width(char) == 2 else char for char in line)


def _cells(line: str, columns: list[tuple[int, int]]) -> list[str]:
    """The line cut at the columns' starts: text in the gap after a column is that column's."""
    wide = _expanded(line)
    starts = [start for start, _ in columns[1:]]
    bounds = [0, *starts, max(len(wide), columns[-1][1])]
    return [wide[a:b].replace("\0", "").strip() for a, b in itertools.pairwise(bounds)]
