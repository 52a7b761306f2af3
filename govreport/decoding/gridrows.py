"""Place a grid row's values by the grid columns they stand in (HTML, DOCX, text-layer PDF)."""

from __future__ import annotations

from collections.abc import Sequence

from ..lazyre import lazy_compile
from ..model import Cell, Finding
from ..schema import label_of
from .rows import RowValues, cell_from, finding, table_name, unplaced
from .tokens import Token

#: A number after the words of a label cell, a space or more apart.
_TRAILING_NUMBER_RE = lazy_compile(r"[^\d\s.,]\s+(\d[\d,]*(?:\.\d+)?)\s*$")


def fit_values(values: list[Token], width: int) -> list[Token] | None:
    """Drop empty cells left by merged columns until the row has ``width`` values; None if it cannot."""
    values = list(values)
    while len(values) > width and values[-1].number.kind == "blank":
        values.pop()
    while len(values) > width and values[0].number.kind == "blank":
        values.pop(0)
    return values if len(values) == width else None


def place_by_grid(values: list[Token], header: Sequence[tuple[str, Token]]) -> dict[str, Token] | None:
    """Match value cells to header cells by the grid columns they cover (exact geometry only)."""
    if not values or not header or not all(v.exact and v.col is not None for v in values):
        return None
    placed: dict[str, Token] = {}
    for key, head in header:
        if head.col is None or not head.exact:
            return None
        span = range(head.col, head.col + head.colspan)
        inside = [v for v in values if v.col in span]
        if len(inside) > 1:
            return None
        if inside:
            placed[key] = inside[0]
    return placed or None


def _data_values(values: list[Token], header: Sequence[tuple[str, Token]]) -> list[Token]:
    """The row's cells under the header's data columns, where the grid says which those are."""
    label_cols = {t.col for _, t in header if t.exact and t.col is not None}
    if label_cols and all(v.exact and v.col is not None for v in values):
        first_data_col = min(label_cols)
        return [v for v in values if v.col is not None and v.col + v.colspan > first_data_col]
    return values


def _placed(values: list[Token], columns: Sequence[str], header: Sequence[tuple[str, Token]],
            fallback: Sequence[str]) -> tuple[Sequence[str], dict[str, Token] | None]:
    """The columns and the value each takes: by count (the template's columns if the header's do not fit),
    else by where the header's cells stand."""
    fitted = fit_values(values, len(columns))
    if fitted is None and fallback and len(fallback) != len(columns):
        fitted = fit_values(values, len(fallback))
        if fitted is not None:
            columns = fallback
    if fitted is not None:
        return columns, dict(zip(columns, fitted, strict=True))
    return columns, place_by_grid(values, [(k, t) for k, t in header if k in columns])


def _under_label(label: Token, header: Sequence[tuple[str, Token]]) -> list[tuple[str, Token]]:
    """The header's columns the row's label cell spans (a rule between them not drawn, or not found in a
    scan): their cells are no cells of the row's own, and blank says nothing of them."""
    if not label.exact or label.col is None or label.colspan == 1:
        return []
    spanned = range(label.col, label.col + label.colspan)
    return [(key, head) for key, head in header if head.exact and head.col in spanned]


def _with_value_in_label(row: RowValues, covered: list[tuple[str, Token]]) -> list[Token]:
    """The number at the end of a label cell that spans the header's first data column (``规章  0`` over
    本年制发件数), as that column's value; none otherwise."""
    label = row.label
    found = _TRAILING_NUMBER_RE.search(label.text) if len(covered) == 1 else None
    if found is None or (row.values and row.values[0].col == covered[0][1].col):
        return []
    return [Token.of(found.group(1), label.where, label.row, covered[0][1].col, 1, exact=True)]


def place_row(prefix: str, row: RowValues, columns: Sequence[str], header: Sequence[tuple[str, Token]],
               cells: dict[str, Cell], findings: list[Finding], column_of,
               fallback: Sequence[str] = ()) -> None:
    """Give a grid row's value cells to its columns, or leave them empty with a finding.

    The header's columns say where the values start only in the header's own grid: a table continued on
    the next page (a scan, a page not joined) is a grid of its own.
    """
    header = [(k, t) for k, t in header if t.where[2] == row.label.where[2]]
    covered = _under_label(row.label, header)
    values = _with_value_in_label(row, covered) + _data_values(row.values, header) if covered \
        else _data_values(row.values, header)
    columns, placed = _placed(values, columns, header, fallback)
    if placed is None:
        unplaced(prefix, row, columns, cells, findings, f"一行有 {len(values)} 个数值，表头有 {len(columns)} 栏")
        return
    named = {k for k, _ in header} - {k for k, _ in covered}
    unnamed: list[str] = []
    for c in columns:
        flat_key = f"{prefix}.{row.key}.{c}"
        token = placed.get(c)
        if token is None:
            cells[f"{row.key}.{c}"] = Cell(None, "", "blank", None, row.label.source)
            if c not in named:
                unnamed.append(flat_key)  # no header cell says where this column stands
            continue
        cells[f"{row.key}.{c}"] = cell_from(token, column_of(c), findings, flat_key)
    if unnamed:
        findings.append(finding(
            "PARSE-COLUMN", f"{table_name(prefix)} “{row.label.text.strip()}”：表头中未能识别以下栏目，"
                            f"其数值无法对应，按空白处理：" + "、".join(label_of(k).split(" / ")[-1] for k in unnamed)
                            + f"（{row.label.source.describe()}）。", unnamed))
