"""The arithmetic rules of the format (勾稽关系) and soft checks, as findings.

Rule ids follow FORMAT.md §5: ``T3-BAL``, ``T3-SUM``, ``T3-ROW``, ``T3-NN``, ``T4-SUM``, ``T4-NN``,
``T2-NN``, ``T2-UNIT``, ``T3-TXT`` (the overview's figures against table 3 and 4), ``S6-T3``. A rule
over a blank cell is not an arithmetic error: it yields a warning naming the blank cells (one per rule,
listing them all), and an error only if the printed numbers alone already break the rule. Reports are
checked as printed; nothing is corrected.

>>> import govreport
>>> from govreport.samples import sample
>>> report = govreport.read(sample("dawukou-office-2023.txt"))
>>> [f.rule for f in govreport.validate(report)]
['T3-TXT']
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal

import attrs

from .model import Cell, Finding, Report, Value
from .rules import FEE_IN_YUAN_THRESHOLD, RULES
from .schema import (
    T2_COLUMNS,
    T3_APPLICANT_COLUMNS,
    T3_COLUMN_KEYS,
    T3_RESULT_ROWS,
    T3_ROW_KEYS,
    T4_COLUMNS,
    T4_GROUPS,
    TABLE_NAMES,
    label_of,
)
from .textchecks import text_findings


def validate(report: Report) -> list[Finding]:
    """Every finding for a report: the reader's notes first, then the rules of the format.

    A sum that cannot be checked because cells are blank is not reported sum by sum: the blank-cell
    warnings of one rule are one finding that lists the blank cells (and names every cell involved).
    """
    findings = list(report.reading_findings)
    checks = [*_table3_rules(report), *_table4_rules(report)]
    findings += [c for c in checks if isinstance(c, Finding)]
    findings += _grouped([c for c in checks if isinstance(c, _Unchecked)])
    findings += _table2_rules(report)
    findings += _marks_for_numbers(report)
    findings += text_findings(report)
    return findings


def _labels(keys: Iterable[str]) -> str:
    return "、".join(label_of(k) for k in keys)


@attrs.frozen(eq=False, repr=False)
class _Unchecked:
    """A sum that blank cells keep from being checked."""

    rule: str
    blank: tuple[str, ...]
    keys: tuple[str, ...]
    holds_as_zero: bool




def _rule_words(rule: str) -> str:
    """What a sum rule says, for the grouped blank-cell warnings: ``表三 每行总计等于各类申请人之和``."""
    table = TABLE_NAMES[int(rule[1])]
    statement = RULES[rule].statement
    return f"{table} 每行{statement}" if rule == "T3-ROW" else f"{table} {statement}"

_LISTED_BLANKS = 6


def _grouped(unchecked: Sequence[_Unchecked]) -> list[Finding]:
    """One warning per rule and outcome (the rule would hold or fail with blanks as 0)."""
    groups: dict[tuple[str, bool], list[_Unchecked]] = {}
    for item in unchecked:
        groups.setdefault((item.rule, item.holds_as_zero), []).append(item)
    out = []
    for (rule, holds), items in groups.items():
        blank = list(dict.fromkeys(k for i in items for k in i.blank))
        keys = tuple(dict.fromkeys(k for i in items for k in i.keys))
        listed = _labels(blank[:_LISTED_BLANKS]) + (f" 等 {len(blank)} 个单元格" if len(blank) > _LISTED_BLANKS else "")
        outcome = "按0计算时成立" if holds else "按0计算时不成立"
        count = f"{len(items)} 处" if len(items) > 1 else ""
        out.append(Finding(rule, "warning", f"“{_rule_words(rule)}”有{count}无法核对（{outcome}），"
                                            f"因以下单元格为空白：{listed}。", keys))
    return out


def _sum_rule(report: Report, rule: str, total_key: str, part_keys: Sequence[str], what: str,
              extra_left: Sequence[str] = ()) -> list[Finding | _Unchecked]:
    """Check ``Σ(total_key, extra_left) == Σ part_keys``; blank cells leave it unchecked, not broken."""
    left_keys = [total_key, *extra_left]
    keys = [*left_keys, *part_keys]
    cells = {k: report.cell(k) for k in keys}
    absent = [k for k, c in cells.items() if c is None]
    if len(absent) == len(keys):
        return []
    blank = [k for k, c in cells.items() if c is not None and c.value is None]
    left = sum((_num(report.value(k)) for k in left_keys), Decimal(0))
    right = sum((_num(report.value(k)) for k in part_keys), Decimal(0))
    if blank or absent:
        return [_Unchecked(rule, tuple(blank + absent), tuple(keys), left == right)]
    if left != right:
        return [Finding(rule, "error", f"{what}不成立：{_fmt(left)} ≠ {_fmt(right)}。", keys)]
    return []


def _num(value: Value) -> Decimal:
    return Decimal(0) if value is None else Decimal(value)


def _fmt(value: Decimal) -> str:
    return str(int(value)) if value == value.to_integral_value() else str(value)


def _table3_rules(report: Report) -> list[Finding | _Unchecked]:
    table = report.table3
    if table is None or table.edition is None:
        return []
    findings: list[Finding | _Unchecked] = []
    results = T3_RESULT_ROWS[table.edition]
    t3 = TABLE_NAMES[3]
    for col in T3_COLUMN_KEYS:
        column = label_of(f"t3.new_received.{col}").split(" / ")[1]
        findings += _sum_rule(
            report, "T3-BAL", f"t3.new_received.{col}",
            [f"t3.total_processed.{col}", f"t3.carried_forward.{col}"],
            f"{t3}“{column}”列 {RULES['T3-BAL'].statement}，", extra_left=[f"t3.carried_over.{col}"])
        findings += _sum_rule(
            report, "T3-SUM", f"t3.total_processed.{col}", [f"t3.{r}.{col}" for r in results],
            f"{t3}“{column}”列 {RULES['T3-SUM'].statement}，")
    for row in T3_ROW_KEYS[table.edition]:
        findings += _sum_rule(
            report, "T3-ROW", f"t3.{row}.total", [f"t3.{row}.{c}" for c in T3_APPLICANT_COLUMNS],
            f"{t3}“{label_of(f't3.{row}.total').split(' / ')[0][3:]}”行 {RULES['T3-ROW'].statement}，")
    findings += _non_negative(report, "T3-NN", "t3", table.cells)
    return findings


def _table4_rules(report: Report) -> list[Finding | _Unchecked]:
    table = report.table4
    if table is None:
        return []
    findings: list[Finding | _Unchecked] = []
    parts = [c.key for c in T4_COLUMNS if c.key != "total"]
    for group, label in T4_GROUPS:
        findings += _sum_rule(report, "T4-SUM", f"t4.{group}.total", [f"t4.{group}.{p}" for p in parts],
                              f"{TABLE_NAMES[4]}“{label}”{RULES['T4-SUM'].statement}，")
    findings += _non_negative(report, "T4-NN", "t4", table.cells)
    return findings


def _table2_rules(report: Report) -> list[Finding]:
    table = report.table2
    if table is None:
        return []
    findings: list[Finding] = []
    signed = {k for k in table.cells if k.endswith(".change")}
    findings += _non_negative(report, "T2-NN", "t2", {k: c for k, c in table.cells.items() if k not in signed})
    if table.edition is not None:
        types = {key: column.type for key, column in T2_COLUMNS[table.edition].items()}
        findings += _whole_counts("t2", table.cells, types)
    fee = table.cells.get("admin_fees.amount")
    if table.edition == "2021" and fee is not None and fee.value is not None and fee.value >= FEE_IN_YUAN_THRESHOLD:
        label = label_of("t2.admin_fees.amount", "2021").split("（")[0]
        findings.append(Finding(
            "T2-UNIT", "warning", f"{label}为 {fee.value} 万元，数额异常，可能误填为“元”。",
            ["t2.admin_fees.amount"]))
    return findings


def _marks_for_numbers(report: Report) -> list[Finding]:
    """Cells holding “/”, “—” or “无” where the form asks for a number: one finding per table."""
    out = []
    for table in (report.table2, report.table3, report.table4):
        if table is None:
            continue
        marked = [f"t{table.number}.{k}" for k, c in table.cells.items() if c.kind in ("dash", "slash", "none_word")]
        if marked:
            shown = _labels(marked[:3]) + (f" 等 {len(marked)} 个单元格" if len(marked) > 3 else "")
            out.append(Finding("CELL-MARK", "warning", f"{shown} 填的是“/”“—”或“无”，表格要求填数字（没有则填0）；"
                                                        "核对时按0计算。", marked))
    return out


def _whole_counts(prefix: str, cells: Mapping[str, Cell], columns: Mapping[str, str]) -> list[Finding]:
    out = []
    for key, cell in cells.items():
        value = cell.value
        if columns.get(key.rsplit(".", 1)[1]) == "int" and isinstance(value, Decimal) \
                and value != value.to_integral_value():
            out.append(Finding("T2-INT", "error", f"{label_of(f'{prefix}.{key}')} 是件数，应为整数，报告填的是"
                                                  f"“{cell.raw.strip()}”。", [f"{prefix}.{key}"]))
    return out


def _non_negative(report: Report, rule: str, prefix: str, cells: Mapping[str, Cell]) -> list[Finding]:
    out = []
    for key, cell in cells.items():
        if cell.value is not None and cell.value < 0:
            out.append(Finding(rule, "error", f"{label_of(f'{prefix}.{key}')} 为负数（{cell.raw.strip()}）。",
                               [f"{prefix}.{key}"]))
    return out
