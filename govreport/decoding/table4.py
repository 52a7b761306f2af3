"""Table 4 (行政复议、行政诉讼): fifteen values in the template's fixed order."""

from __future__ import annotations

from collections.abc import Sequence

from ..assign import readings_hold
from ..model import Cell, Finding, Table
from ..normalize import clean_text
from ..schema import (
    T4_COLUMNS,
    T4_GROUPS,
    T4_KEYS,
    T4_SUM_RULES,
)
from .gridrows import fit_values
from .reorder import restore_order
from .rows import RowValues, cell_from, confirm_by_sums, finding, numbers_the_columns
from .textrows import place_text_rows
from .tokens import Token, value_runs


def parse_table4(tokens: Sequence[Token]) -> tuple[Table, list[Finding]]:
    """Read table 4: fifteen values in the fixed order of the template.

    From a grid, the data row of fifteen cells; from text, every value in reading order (one row of 15,
    three of 5 or 15 lines alike), glued digit runs cut where the groups' totals allow only one cut.
    """
    if any(t.exact for t in tokens):
        return table4_from_grid(tokens)
    findings: list[Finding] = []
    cells: dict[str, Cell] = {}
    values = [t for t in tokens if t.is_value and t.number.kind != "invalid"]
    # Empty cells before the first value are the header's, not the table's.
    first = next((n for n, t in enumerate(values) if t.number.kind != "blank"), None)
    if first is None:
        return Table(4, None, cells), findings
    values = values[first:]
    # The table's one row has no label; the first value's line stands for it (the values on it are tried
    # first). But where every value has a line of its own, there is no such line: 15 lines of one value
    # are as plain a row as one line of 15.
    printed = [t for t in values if t.number.kind != "blank"]
    one_a_line = len({t.row for t in printed}) == len(printed) > 1
    label = RowValues("", Token.of("", values[0].where, row=_NO_LINE) if one_a_line else values[0], values)
    place_text_rows("t4", [label], T4_KEYS, T4_SUM_RULES, cells, findings, T4_COLUMN_OF.__getitem__)
    if all(c.value is None for c in cells.values()):
        cells, findings = _in_restored_order(values, value_runs(tokens), cells, findings)
    if all(c.value is None for c in cells.values()) and not any(c.kind == "blank" for c in cells.values()):
        return Table(4, None, {}), findings
    return Table(4, None, cells), findings


def _in_restored_order(values: list[Token], runs: dict[int, int], cells: dict[str, Cell],
                       findings: list[Finding]) -> tuple[dict[str, Cell], list[Finding]]:
    """Fifteen printed values that fit the groups' totals only with one block of them moved back (a text
    extractor printed the cells under a tall header apart from the rest).

    Moving any block is tried first; where the sums allow several such orders (moving one group's five
    values anywhere keeps every total), only a block printed apart from the rest, between labels, may
    move."""
    printed = [t for t in values if t.number.kind != "blank"]
    if len(printed) != len(T4_KEYS) or any(t.glued for t in printed):
        return cells, findings
    order = [("", k) for k in T4_KEYS]
    texts = [clean_text(t.text) for t in printed]
    permutation = restore_order(texts, order, T4_SUM_RULES, len(T4_KEYS))
    if permutation is None:
        permutation = restore_order(texts, order, T4_SUM_RULES, len(T4_KEYS),
                                    runs=[runs[id(t)] for t in printed])
    if permutation is None or permutation == tuple(range(len(T4_KEYS))):
        return cells, findings
    restored: dict[str, Cell] = {}
    notes: list[Finding] = []
    for key, n in zip(T4_KEYS, permutation, strict=True):
        restored[key] = cell_from(printed[n], T4_COLUMN_OF[key], notes, f"t4.{key}")
    moved = [f"t4.{k}" for n, k in enumerate(T4_KEYS) if permutation[n] != n]
    notes.append(finding(
        "PARSE-ORDER", f"表四 有 {len(moved)} 个数值在文字中的位置与表格不符，已按各组合计关系调回，请核对。", moved))
    return restored, notes


_NO_LINE = -1
T4_COLUMN_OF = {f"{g}.{c.key}": c for g, _ in T4_GROUPS for c in T4_COLUMNS}


def _by_the_sums(candidates: list[list[Token]]) -> list[Token] | None:
    """The row of fifteen values that is the table's: the first, unless the groups' totals hold in one
    row only; a row that numbers the columns (``0 1 2 … 14``, the header a tool such as pandas writes above
    a table) is never it."""
    candidates = [c for c in candidates if not numbers_the_columns(c)]
    if len(candidates) > 1:
        holding = [c for c in candidates
                   if readings_hold({("", k): t.text for k, t in zip(T4_KEYS, c, strict=True)}, T4_SUM_RULES)]
        if len(holding) == 1:
            return holding[0]
    return candidates[0] if candidates else None


def table4_from_grid(tokens: Sequence[Token]) -> tuple[Table, list[Finding]]:
    findings: list[Finding] = []
    by_row: dict[int, list[Token]] = {}
    for token in tokens:
        if token.is_value and token.number.kind != "invalid":
            by_row.setdefault(token.row, []).append(token)
    width = len(T4_KEYS)
    candidates = [f for r in by_row.values() if (f := fit_values(r, width)) is not None
                  and any(v.number.kind != "blank" for v in f)]
    chosen = _by_the_sums(candidates)
    if chosen is None:
        # A table whose only data row is entirely blank still says "blank" for every cell.
        chosen = next((f for r in by_row.values() if (f := fit_values(r, width)) is not None), None)
    cells: dict[str, Cell] = {}
    if chosen is None:
        if tokens:
            counts = ", ".join(str(len(v)) for v in by_row.values()) or "0"
            findings.append(finding(
                "PARSE-ROW", f"表四 未找到一行 15 个数值（各行数值个数：{counts}），表四按空白处理。",
                [f"t4.{k}" for k in T4_KEYS]))
        return Table(4, None, cells), findings
    for key, token in zip(T4_KEYS, chosen, strict=True):
        cells[key] = cell_from(token, T4_COLUMN_OF[key], findings, f"t4.{key}")
    findings = confirm_by_sums("t4", cells, findings, T4_SUM_RULES)
    return Table(4, None, cells), findings
