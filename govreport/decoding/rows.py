"""A row label with the values that follow it, and the cells and findings made from them."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from decimal import Decimal

import attrs

from ..model import Cell, Finding
from ..normalize import clean_text, normalize_label
from ..schema import (
    MONEY_UNITS,
    T2_ROWS,
    T3_ROWS,
    Column,
    label_of,
)
from ..settings import options
from .tokens import Token


@attrs.define(eq=False, repr=False)
class RowValues:
    key: str
    label: Token
    values: list[Token] = attrs.field(factory=list)
    #: How many of ``values`` the text printed before the label (a tall cell's value centred above it):
    #: where they go among the rest is not fixed by the text.
    printed_before: int = 0
    #: The values it took from lines after its label's can be no other row's: it has exactly a number for
    #: each cell, and so have the rows next to it in its block. Without sums, only then are they kept.
    pinned: bool = False


def finding(rule: str, message: str, keys: Iterable[str] = ()) -> Finding:
    return Finding(rule, "warning", message, tuple(keys))


def cell_from(token: Token, column: Column, findings: list[Finding], flat_key: str) -> Cell:
    """Turn a value token into a typed cell for ``column``; doubtful text becomes an empty cell.

    ``raw`` is the printed text without the padding around it (spaces, ``&nbsp;``), which no reader of the
    report sees and no format keeps alike.
    """
    parsed = token.number
    raw = clean_text(token.text)
    value = parsed.value
    if token.confidence is not None and token.confidence < options().scan.min_confidence and parsed.kind != "blank":
        # Kept for now: confirm_by_sums keeps it only where the table's sums vouch for it.
        findings.append(finding(
            DOUBT_RULE, f"{label_of(flat_key)}：图像识别为“{raw}”，但把握不足（{token.confidence:.2f}），"
                        f"且表内合计无法证实，按空白处理（{token.source.describe()}）。", [flat_key]))
    if parsed.kind == "blank" and token.confidence is not None and token.confidence < options().scan.min_confidence:
        findings.append(finding(
            "PARSE-CELL", f"{label_of(flat_key)}：图像中此格有字迹，但未能识别，按空白处理"
                          f"（{token.source.describe()}）。", [flat_key]))
        return Cell(None, raw, "invalid", None, token.source)
    if parsed.kind == "invalid":
        findings.append(finding(
            "PARSE-CELL", f"{label_of(flat_key)}：无法识别的内容“{raw}”，按空白处理"
                          f"（{token.source.describe()}）。", [flat_key]))
        return Cell(None, raw, "invalid", None, token.source)
    unit = parsed.unit
    if value is not None:
        if column.type in ("int", "signed_int"):
            if isinstance(value, Decimal):
                if value != value.to_integral_value():
                    findings.append(finding(
                        "PARSE-CELL", f"{label_of(flat_key)}：“{raw}”不是整数，按空白处理。",
                        [flat_key]))
                    return Cell(None, raw, "invalid", unit, token.source)
                value = int(value)
            if unit in MONEY_UNITS:
                findings.append(finding(
                    "PARSE-CELL", f"{label_of(flat_key)}：计数栏中出现金额单位“{unit}”，按空白处理。", [flat_key]))
                return Cell(None, raw, "invalid", unit, token.source)
        else:
            value = Decimal(value)
            if column.unit == "万元" and unit == "元":
                findings.append(finding(
                    "T2-UNIT", f"{label_of(flat_key)}：单元格写作“{raw}”（元），"
                               f"已按表头单位换算为万元。", [flat_key]))
                value = value / Decimal(10000)
    return Cell(value, raw, parsed.kind, unit, token.source)


def unplaced(prefix: str, row: RowValues, columns: Sequence[str], cells: dict[str, Cell],
              findings: list[Finding], why: str) -> None:
    """Leave a row's cells empty and say why: a wrong number is worse than none."""
    findings.append(finding(
        "PARSE-ROW", f"{table_name(prefix)} “{row.label.text.strip()}”{why}，无法确定对应关系，该行按空白处理"
                     f"（{row.label.source.describe()}）。", [f"{prefix}.{cell_key(row.key, c)}" for c in columns]))
    for c in columns:
        cells[cell_key(row.key, c)] = Cell(None, "", "invalid", None, row.label.source)


def cell_key(row: str, column: str) -> str:
    """A cell's key within its table; table 4 is one row without a name."""
    return f"{row}.{column}" if row else column


def table_name(prefix: str) -> str:
    return {"t2": "表二", "t3": "表三", "t4": "表四"}[prefix]


def stray_value(token: Token, current: RowValues | None) -> bool:
    """Unrecognised text in a data cell of the current grid row: a value that could not be read.

    Only a grid says which cell a text stands in; in a flattened table it may be a page number or a note.
    """
    return (current is not None and token.col is not None and token.row == current.label.row
            and token.col > (current.label.col or 0)
            and (token.exact or not _rest_of_label(token, current, shortest=3)))


def foreign_row(token: Token, current: RowValues | None) -> bool:
    """An unknown label opening a new grid row: a row the template does not have (行政确认, 其中：…).

    Its values must not go to the row above. Only a grid says where a row starts; in a flattened table
    an unknown line may be the rest of a wrapped label.
    """
    return (current is not None and token.col is not None and current.label.col is not None
            and token.row != current.label.row and token.col <= current.label.col
            and len(token.norm) >= 2 and not token.number.is_value_like
            and not _rest_of_label(token, current))


def _rest_of_label(token: Token, current: RowValues, shortest: int = 4) -> bool:
    """Text that is a piece of the current row's own official label, wrapped onto the next line of a
    laid-out table (``的，只计这一情形，不计其他`` under ``（二）部分公开（区分处理``), or set apart from the
    rest of it on its line (``只计这一情     形，不   9``)."""
    row = T3_ROWS.get(current.key) or T2_ROWS.get(current.key)
    return row is not None and len(token.norm) >= shortest and token.norm in normalize_label(row.label)


def extra_row(table: str, token: Token) -> Finding:
    return finding("PARSE-EXTRA", f"{table} 有一行“{token.text.strip()}”不属于官方格式，未读取"
                                   f"（{token.source.describe()}）。")


def first_of_each(rows: list[RowValues], table: str, keys_of, label_of_row, findings: list[Finding]
                   ) -> list[RowValues]:
    """Each row once: a row printed twice keeps its first values, with a finding if the second differs."""
    out: list[RowValues] = []
    seen: set[str] = set()
    for row in rows:
        if row.key in seen:
            if any(v.number.kind != "blank" for v in row.values):
                findings.append(finding(
                    "PARSE-ROW", f"{table} {label_of_row(row.key)} 出现两次，只采用第一次出现的数值"
                                 f"（{row.label.source.describe()}）。", keys_of(row.key)))
            continue
        seen.add(row.key)
        out.append(row)
    return out


#: The rule id of a value a recogniser read with doubt.
DOUBT_RULE = "PARSE-OCR"


def confirm_by_sums(prefix: str, cells: dict[str, Cell], findings: list[Finding], rules) -> list[Finding]:
    """Keep each value read with doubt only where the table's sums vouch for it.

    Every sum whose cells all have a value is checked with the doubtful values as read. While some sum
    breaks, the doubtful cells that break the most sums are set aside (a misread digit breaks its row's
    total and its column's total together). A doubtful cell left standing is kept when a sum it takes part
    in holds; the others are blank and their findings stay. Returns the findings, those of kept cells
    dropped.
    """
    doubtful = {_doubt_of(f) for f in findings if _doubt_of(f).startswith(prefix + ".")}
    doubtful = {k.partition(".")[2] for k in doubtful}
    if not doubtful:
        return findings
    checks = [([cell_key(r, c) for r, c in rule.keys], len(rule.left)) for rule in rules]
    checks = [(keys, split) for keys, split in checks
              if any(k in doubtful for k in keys) and _doubt_could_explain(keys, split, cells, doubtful)]
    set_aside = _set_aside(checks, cells, doubtful)
    kept = {k for k in doubtful - set_aside
            if any(k in keys and _holds(keys, split, cells, set_aside) for keys, split in checks)}
    for key in doubtful - kept:
        cell = cells.get(key)
        if cell is not None:
            cells[key] = Cell(None, cell.raw, "invalid", None, cell.source)
    return [f for f in findings if _doubt_of(f).partition(".")[2] not in kept]


def _doubt_of(finding: Finding) -> str:
    """The cell a finding of doubtful recognition names (its flat key), or "" for any other finding."""
    return finding.keys[0] if finding.rule == DOUBT_RULE and finding.keys else ""


def _set_aside(checks: list[tuple[list[str], int]], cells: dict[str, Cell], doubtful: set[str]) -> set[str]:
    """While some sum breaks, the doubtful cells that break the most sums are set aside."""
    set_aside: set[str] = set()
    while True:
        broken = [keys for keys, split in checks if _holds(keys, split, cells, set_aside) is False]
        counts = {k: sum(k in keys for keys in broken) for k in doubtful - set_aside}
        worst = max(counts.values(), default=0)
        if worst == 0:
            return set_aside
        set_aside |= {k for k, n in counts.items() if n == worst}


def _doubt_could_explain(keys: list[str], split: int, cells: dict[str, Cell], doubtful: set[str]) -> bool:
    """Whether some counts in the doubtful cells could make the sum hold; a sum its certain cells break
    whatever the doubtful ones say (a source that errs) tells nothing about them."""
    certain = [Decimal(0), Decimal(0)]
    has_doubt = [False, False]
    for n, key in enumerate(keys):
        side = 0 if n < split else 1
        cell = cells.get(key)
        if key in doubtful:
            has_doubt[side] = True
        elif cell is not None and cell.value is not None:
            certain[side] += Decimal(cell.value)
    if has_doubt[0] and has_doubt[1]:
        return True
    if has_doubt[1]:
        return certain[0] >= certain[1]
    return not has_doubt[0] or certain[1] >= certain[0]


def _holds(keys: list[str], split: int, cells: dict[str, Cell], unknown: set[str]) -> bool | None:
    """Whether a sum holds; None when one of its cells has no value (blank, dash and / count as 0)."""
    numbers = []
    for key in keys:
        cell = cells.get(key)
        if key in unknown or cell is None or (cell.value is None and cell.kind not in ("blank", "dash", "slash")):
            return None
        numbers.append(Decimal(cell.value) if cell.value is not None else Decimal(0))
    return sum(numbers[:split]) == sum(numbers[split:])


def numbers_the_columns(values: Sequence[Token]) -> bool:
    """Whether a row of values only numbers its columns (``0 1 2 3`` or ``1 2 3 4``: the header a tool
    such as pandas writes above a table it exports), which no row of the official tables can be."""
    numbers = [v.number.value for v in values]
    counts = [n for n in numbers if isinstance(n, int)]
    return len(numbers) >= 3 and len(counts) == len(numbers) and counts[0] in (0, 1) \
        and all(b == a + 1 for a, b in itertools.pairwise(counts))
