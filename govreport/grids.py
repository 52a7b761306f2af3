"""The official table grids (FORMAT.md §2, §3.3, §4, §6.1): which cell holds which label or value.

Writers lay tables out from these; the labels come from :mod:`govreport.schema`.

>>> grid = table3_grid("2021")
>>> grid.height, grid.width
(28, 10)
>>> next(c for c in grid.cells if c.key == "granted.total").col
9
"""

from __future__ import annotations

import attrs

from .fieldrepr import FieldRepr
from .schema import (
    T2_COLUMNS,
    T2_HEADER_LABEL,
    T2_LAYOUT,
    T3_APPLICANT_HEADER,
    T3_CAPTION,
    T3_COLUMNS,
    T3_GROUPS,
    T3_LEGAL_PERSON_HEADER,
    T3_ROW_KEYS,
    T3_ROWS,
    T4_COLUMNS,
    T4_GROUPS,
    T4_LITIGATION_HEADER,
    Edition,
    t2_row_label,
)


@attrs.frozen(repr=False)
class GridCell(FieldRepr):
    """A cell of an official grid: a label (``text``) or the value of a table key (``key``)."""

    row: int
    col: int
    rowspan: int = 1
    colspan: int = 1
    text: str = ""
    key: str | None = None
    #: "caption", "header", "row" (row labels) or "value".
    role: str = "header"


@attrs.frozen(repr=False)
class Grid(FieldRepr):
    number: int
    edition: Edition | None
    height: int
    width: int
    cells: tuple[GridCell, ...]

    def value_cells(self) -> tuple[GridCell, ...]:
        return tuple(c for c in self.cells if c.key is not None)


def table2_grid(edition: Edition) -> Grid:
    """Table 2: four (2021) or five (2019) captioned blocks."""
    cells: list[GridCell] = []
    width = 4 if edition == "2021" else 5
    row = 0
    for sub in T2_LAYOUT[edition]:
        cells.append(GridCell(row, 0, 1, width, sub.caption, role="caption"))
        row += 1
        spans = _t2_spans(edition, sub.key, len(sub.columns), width)
        cells.append(GridCell(row, 0, text=T2_HEADER_LABEL))
        for (col, span), column in zip(spans, sub.columns, strict=True):
            cells.append(GridCell(row, col, 1, span, T2_COLUMNS[edition][column].label))
        row += 1
        for row_key in sub.rows:
            cells.append(GridCell(row, 0, text=t2_row_label(row_key, edition), role="row"))
            for (col, span), column in zip(spans, sub.columns, strict=True):
                cells.append(GridCell(row, col, 1, span, key=f"{row_key}.{column}", role="value"))
            row += 1
    return Grid(2, edition, row, width, tuple(cells))


def _t2_spans(edition: Edition, sub: str, columns: int, width: int) -> list[tuple[int, int]]:
    """Where each value column of a block sits: (first grid column, span)."""
    if edition == "2021":
        return [(1, 1), (2, 1), (3, 1)] if columns == 3 else [(1, width - 1)]
    if columns == 3:
        return [(1, 1), (2, 2), (4, 1)]
    return [(1, 2), (3, 2)]


def table3_grid(edition: Edition) -> Grid:
    """Table 3: 28 rows (2021) or 26 rows (2019) by 10 columns."""
    rows = T3_ROW_KEYS[edition]
    height = 3 + len(rows)
    cells: list[GridCell] = [
        GridCell(0, 0, 3, 3, T3_CAPTION, role="caption"),
        GridCell(0, 3, 1, 7, T3_APPLICANT_HEADER),
        GridCell(1, 3, 2, 1, T3_COLUMNS[0].label),
        GridCell(1, 4, 1, 5, T3_LEGAL_PERSON_HEADER),
        GridCell(1, 9, 2, 1, T3_COLUMNS[6].label),
        *(GridCell(2, 4 + n, text=c.label) for n, c in enumerate(T3_COLUMNS[1:6])),
    ]
    results = [k for k in rows if k not in ("new_received", "carried_over", "carried_forward")]
    first_result = 3 + rows.index(results[0])
    cells.append(GridCell(first_result, 0, len(results), 1, T3_GROUPS["results"][0], role="row"))
    groups_done: set[str] = set()
    for n, key in enumerate(rows):
        r = 3 + n
        row = T3_ROWS[key]
        if key in ("new_received", "carried_over", "carried_forward"):
            cells.append(GridCell(r, 0, 1, 3, row.label, role="row"))
        elif row.group is None:  # （一）（二）, 2019's （六）其他处理 and （七）总计 span the two label columns
            cells.append(GridCell(r, 1, 1, 2, row.label, role="row"))
        else:
            if row.group not in groups_done:
                groups_done.add(row.group)
                size = sum(1 for k in rows if T3_ROWS[k].group == row.group)
                cells.append(GridCell(r, 1, size, 1, T3_GROUPS[row.group][0], role="row"))
            cells.append(GridCell(r, 2, text=row.label, role="row"))
        for c, column in enumerate(T3_COLUMNS):
            cells.append(GridCell(r, 3 + c, key=f"{key}.{column.key}", role="value"))
    return Grid(3, edition, height, 10, tuple(cells))


def table4_grid() -> Grid:
    """Table 4: three header rows and one row of fifteen values."""
    cells: list[GridCell] = [
        GridCell(0, 0, 1, 5, T4_GROUPS[0][1]),
        GridCell(0, 5, 1, 10, T4_LITIGATION_HEADER),
        *(GridCell(1, n, 2, 1, c.label) for n, c in enumerate(T4_COLUMNS)),
        GridCell(1, 5, 1, 5, T4_GROUPS[1][1]),
        GridCell(1, 10, 1, 5, T4_GROUPS[2][1]),
        *(GridCell(2, 5 + n, text=c.label) for n, c in enumerate(T4_COLUMNS * 2)),
    ]
    for g, (group, _) in enumerate(T4_GROUPS):
        for n, column in enumerate(T4_COLUMNS):
            cells.append(GridCell(3, g * 5 + n, key=f"{group}.{column.key}", role="value"))
    return Grid(4, None, 4, 15, tuple(cells))


def grid_for(number: int, edition: Edition | None) -> Grid:
    if number == 2:
        return table2_grid(edition or "2021")
    if number == 3:
        return table3_grid(edition or "2021")
    return table4_grid()
