"""Row labels printed apart from their values: a run of labels, and later the run of all their values.

Extractors that gather a PDF page's text into boxes (pdfminer, and markitdown, which uses it) print the
row labels of a block of table 2 one after another and its values after them — sometimes only after the
captions and headers of the next blocks::

    规章
    行政规范性文件
    本年制发件数 本年废止件数 现行有效件数
    1
    8
    0
    26
    11
    66

Where the values that no row took are exactly as many as the cells of the labels left waiting before
them, they are those rows' values. Their order is the table's, either row by row or, where a box held a
column, column by column: where the two orders put different values in a cell, it is left blank and
named; where they agree, the cell is read.

>>> from govreport.decoding.rows import RowValues
>>> from govreport.decoding.tokens import Token
>>> def tok(text, line): return Token.of(text, (line, None, None, None, None), line)
>>> rows = [RowValues("a", tok("甲", 1)), RowValues("b", tok("乙", 2))]
>>> loose = [(2, tok(t, n)) for n, t in enumerate(["1", "0", "5", "0"], start=3)]
>>> [pool] = pooled_rows(rows, loose, lambda key: 2, lambda key: "block")
>>> [[[v.text for v in row] for row in reading] for reading in pool.readings]
[[['1', '0'], ['5', '0']], [['1', '5'], ['0', '0']]]
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import product

import attrs

from .rows import RowValues
from .tokens import Token

#: For each row of a pool, the tokens one reading gives it.
Reading = tuple[tuple[Token, ...], ...]

#: The cell a reading leaves without a value.
_NOTHING = Token.of("", (None, None, None, None, None), -1)


@attrs.frozen(eq=False, repr=False)
class Pool:
    """Rows whose values were printed together after their labels, and the orders that may fill them."""

    rows: tuple[RowValues, ...]
    readings: tuple[Reading, ...]

    def disputed(self, n: int) -> dict[int, list[str]]:
        """For the pool's ``n``-th row, the cells (by position) the readings fill differently, each with
        the values they give it."""
        out: dict[int, list[str]] = {}
        for position in range(len(self.readings[0][n])):
            texts = list(dict.fromkeys(r[n][position].text.strip() or "空" for r in self.readings))
            if len(texts) > 1:
                out[position] = texts
        return out


def pooled_rows(rows: Sequence[RowValues], loose: Sequence[tuple[int, Token]], width_of: Callable[[str], int | None],
                block_of: Callable[[str], object]) -> list[Pool]:
    """The runs of ``rows`` that wait for values printed after them.

    ``loose`` holds the values no row took, each with the number of rows read before it; ``width_of``
    gives a row's number of cells (None: not a row of the table) and ``block_of`` the block it is in.
    """
    taken = {id(v) for row in rows for v in row.values}
    after: dict[int, list[Token]] = {}
    for position, token in loose:
        if id(token) not in taken and token.number.kind not in ("blank", "invalid") and position > 0:
            after.setdefault(position - 1, []).append(token)
    pools: list[Pool] = []
    start = 0
    while start < len(rows):
        end = start
        while end < len(rows) - 1 and not rows[end].values and not after.get(end):
            end += 1
        if end > start:
            pool = _pool(rows[start:end + 1], after.get(end, []), width_of, block_of)
            if pool is not None:
                pools.append(pool)
        start = end + 1
    return pools


def _pool(rows: Sequence[RowValues], later: list[Token], width_of: Callable[[str], int | None],
          block_of: Callable[[str], object]) -> Pool | None:
    last = rows[-1]
    own = list(last.values)
    widths = [width_of(row.key) for row in rows]
    if None in widths or len({row.key for row in rows}) < len(rows):
        return None
    counts = [w for w in widths if w is not None]
    if any(v.number.kind in ("blank", "invalid") for v in own):
        return None
    if own and later:
        # The last label's own values and more after a later header: either that row's, the labels before
        # it left empty and the later values some other row's printed out of line, or all of them the
        # waiting rows' in order. Nothing in the text tells which; every cell the two put apart is doubt.
        if len(own) != counts[-1] or len(own) + len(later) != sum(counts):
            return None
        printed = (*((_NOTHING,) * w for w in counts[:-1]), tuple(own))
        readings = _readings(own + later, [block_of(r.key) for r in rows], counts)
        return Pool(tuple(rows), (*readings, printed))
    # The last label's own values fill its own row: the labels before it are rows left empty.
    values = own or later
    if len(own) == counts[-1] or len(values) != sum(counts):
        return None
    return Pool(tuple(rows), tuple(_readings(values, [block_of(r.key) for r in rows], counts)))


def _readings(values: list[Token], blocks: list[object], widths: list[int]) -> list[Reading]:
    """Every reading: each block of two or more rows of two or more cells row by row or column by column."""
    runs: list[tuple[int, int]] = []  # (first row, rows) of each block
    for n, block in enumerate(blocks):
        if runs and blocks[runs[-1][0]] == block:
            runs[-1] = (runs[-1][0], runs[-1][1] + 1)
        else:
            runs.append((n, 1))
    turnable = [run for run in runs if run[1] > 1 and widths[run[0]] > 1]
    readings: list[Reading] = []
    for turned in product((False, True), repeat=len(turnable)):
        by_row: list[tuple[Token, ...]] = []
        offset = 0
        for first, count in runs:
            width = widths[first]
            chunk = values[offset:offset + width * count]
            offset += width * count
            column_wise = (first, count) in turnable and turned[turnable.index((first, count))]
            for r in range(count):
                picks = [chunk[c * count + r] for c in range(width)] if column_wise \
                    else chunk[r * width:(r + 1) * width]
                by_row.append(tuple(picks))
        readings.append(tuple(by_row))
    return readings
