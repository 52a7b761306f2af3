"""A table whose rows an extractor printed in blocks, some row by row and some column by column.

Where a PDF table's cells sit in text boxes that span several rows (one box per column of a group of
rows), pdftotext and similar tools print that group column by column: the first column of its rows, then
the second, and so on, while the rows around it come row by row. The values still arrive in the table's
own order of rows, only each such block is transposed. Which rows form a block is not printed anywhere,
but each row's total must be the sum of its parts, and that is checked block by block: the readings
where every transposed block adds up row by row are few, and the table's column sums choose among them.

>>> from govreport.schema import SumRule
>>> rows = ["a", "b"]
>>> rule_a = SumRule(((("a", "t"),)), (("a", "x"), ("a", "y")))
>>> rule_b = SumRule(((("b", "t"),)), (("b", "x"), ("b", "y")))
>>> # a: 1 2 3, b: 4 5 9 printed column by column
>>> restore_blocks(["1", "4", "2", "5", "3", "9"], rows, ["x", "y", "t"], [rule_a, rule_b], 10, 0)
(0, 2, 4, 1, 3, 5)
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from ..assign import sum_value
from ..schema import SumRule
from .reorder import broken_sums, moves_confirmed


def restore_blocks(texts: Sequence[str], rows: Sequence[str], columns: Sequence[str], rules: Sequence[SumRule],
                   max_readings: int, max_broken: int) -> tuple[int, ...] | None:
    """The order (indices into ``texts``, row by row) that reads ``texts`` as consecutive blocks of rows,
    each printed row by row or column by column, so that the fewest ``rules`` break.

    The last of ``columns`` is each row's total. A block of two or more rows is read column by column
    only where every one of its rows then adds up. None when more than ``max_readings`` distinct
    readings fit, when the best breaks more than ``max_broken`` rules, or when two different readings
    are equally good. A broken rule may be the source's own slip, but not one over a value that a turned
    block moved: there the sums were to vouch for the turn.
    """
    width = len(columns)
    numbers = [sum_value(t) for t in texts]
    if len(texts) != len(rows) * width or any(n is None for n in numbers):
        return None
    found = _readings(texts, numbers, len(rows), width, max_readings)
    if found is None:
        return None
    order_keys = [(r, c) for r in rows for c in columns]
    scored: dict[int, list[tuple[int, ...]]] = {}
    for reading, permutation in found.items():
        broken = broken_sums(reading, order_keys, rules)
        if broken is not None and broken <= max_broken:
            scored.setdefault(broken, []).append(permutation)
    if not scored:
        return None
    fewest = min(scored)
    best = scored[fewest]
    if len(best) != 1 or (fewest and not moves_confirmed(texts, best[0], order_keys, rules)):
        return None
    return best[0]


def _readings(texts: Sequence[str], numbers: Sequence[Decimal | None], count: int, width: int,
              max_readings: int) -> dict[tuple[str, ...], tuple[int, ...]] | None:
    """Every distinct reading of the rows as blocks (reading → its order), built block by block from the
    top: the readings of the first ``n`` rows are kept for each ``n``. None past ``max_readings``."""
    prefixes: list[dict[tuple[str, ...], tuple[int, ...]]] = [{} for _ in range(count + 1)]
    prefixes[0][()] = ()
    for start in range(count):
        for size in range(1, count - start + 1) if prefixes[start] else ():
            order = _block_order(start, size, width)
            if size > 1 and not rows_add_up([numbers[i] for i in order], width):
                continue
            block = tuple(texts[i] for i in order)
            following = prefixes[start + size]
            for prefix, permutation in prefixes[start].items():
                following.setdefault(prefix + block, permutation + order)
            if len(following) > max_readings:
                return None
    return prefixes[-1]


def _block_order(start: int, size: int, width: int) -> tuple[int, ...]:
    """Indices of the values of rows ``start`` to ``start + size`` in row order, when the text printed
    them column by column (for one row, column by column is row by row)."""
    first = start * width
    return tuple(first + column * size + row for row in range(size) for column in range(width))


def rows_add_up(numbers: Sequence[Decimal | None], width: int) -> bool:
    """Whether every row of ``width`` numbers (its last the total) is the sum of its other cells."""
    for at in range(0, len(numbers), width):
        row = numbers[at:at + width]
        if any(n is None for n in row) or sum(n for n in row[:-1] if n is not None) != row[-1]:
            return False
    return True
