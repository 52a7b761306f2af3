"""Merged cells of a ruled grid: elementary cells joined wherever the border between them is missing.

Both the text-PDF reader (borders from vector lines) and the scan reader (borders found in the image) build
their grids this way; only how a border is seen differs.

>>> roots, spans = merge_cells(2, 2, lambda r, c: r == 0, lambda r, c: False)
>>> sorted(spans.values())
[(0, 0, 0, 1), (1, 0, 1, 0), (1, 1, 1, 1)]
"""

from __future__ import annotations

from collections.abc import Callable

#: (top row, left column, bottom row, right column) of a merged cell, inclusive.
Span = tuple[int, int, int, int]


def merge_cells(rows: int, cols: int, open_right: Callable[[int, int], bool],
                open_below: Callable[[int, int], bool]) -> tuple[list[int], dict[int, Span]]:
    """Join each elementary cell (r, c) with its right neighbour where ``open_right(r, c)`` and with the
    cell below where ``open_below(r, c)``. Returns the merged cell (its root) of each elementary cell, by
    index ``r * cols + c``, and each merged cell's span."""
    parent = list(range(rows * cols))

    def find(n: int) -> int:
        while parent[n] != n:
            parent[n] = parent[parent[n]]
            n = parent[n]
        return n

    for r in range(rows):
        for c in range(cols):
            if c + 1 < cols and open_right(r, c):
                parent[find(r * cols + c + 1)] = find(r * cols + c)
            if r + 1 < rows and open_below(r, c):
                parent[find((r + 1) * cols + c)] = find(r * cols + c)
    roots = [find(n) for n in range(rows * cols)]
    spans: dict[int, Span] = {}
    for n, root in enumerate(roots):
        r, c = divmod(n, cols)
        top, left, bottom, right = spans.get(root, (r, c, r, c))
        spans[root] = (min(top, r), min(left, c), max(bottom, r), max(right, c))
    return roots, spans
