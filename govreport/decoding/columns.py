"""Table 3 printed column by column: what pdfminer (and pdftotext without ``-layout``) make of a page.

Extractors that group a page into text boxes print a table's row labels first, then its first column's
values from top to bottom, then the second column's, and so on — one such run per page the table covers.
Each run says which rows it holds (its labels, in the template's order) and holds exactly that many rows
times seven values. Read column by column, the runs together fill the table; the result is kept only
when it fills every row once and the table's sums hold (up to the few a report breaks itself).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from decimal import Decimal

import attrs

from ..assign import readings_hold, sum_value
from ..model import Cell, Finding
from ..normalize import clean_text
from ..schema import T3_COLUMN_KEYS, T3_COLUMNS, T3_ROW_KEYS, T3_ROWS, TOTAL_WORDS, Edition, t3_sum_rules
from .labels import t3_classify
from .reorder import broken_sums
from .rows import cell_from, finding
from .tokens import Token, walk_labels


@attrs.define(eq=False, repr=False)
class _Runs:
    """Row labels and the values after them, cut into runs of (rows, values)."""

    edition: Edition
    runs: list[tuple[list[str], list[Token]]] = attrs.field(factory=list)
    labels: list[str] = attrs.field(factory=list)
    values: list[Token] = attrs.field(factory=list)
    group: str | None = None

    def classify(self, norm: str) -> tuple[str, str | None]:
        return t3_classify(norm, self.group, True)

    def value(self, token: Token) -> None:
        if self.labels and token.number.kind not in ("blank", "invalid"):
            self.values.append(token)

    def label(self, token: Token, kind: str, key: str | None) -> None:
        if kind == "group" and key == "other" and self.edition == "2019":
            kind, key = "row", "other_total"  # （六）其他处理 is a row of its own in 2019
        if kind == "group" or (key == "other_total" and self.edition == "2021"):
            self.group = key if kind == "group" else "other"  # （六）其他处理 heads its rows in 2021
        # A column-by-column dump prints the header's 总计 between the row labels and the values: there it
        # is the column, not the row （七）总计.
        elif kind == "row" and key is not None and token.norm not in TOTAL_WORDS:
            if self.values:
                self.close()
            self.group = T3_ROWS[key].group or self.group
            if not self.labels or self.labels[-1] != key:  # a label broken over two lines is one row
                self.labels.append(key)

    def close(self) -> None:
        if self.labels and self.values:
            self.runs.append((self.labels, self.values))
        self.labels, self.values = [], []


def fill_column_major(tokens: Sequence[Token], edition: Edition, cells: dict[str, Cell],
                      notes: list[Finding]) -> list[Finding] | None:
    """Table 3's cells read run by run, column by column; None when the text is not in that shape."""
    runs = _runs(tokens, edition)
    expected = [(r, c) for r in T3_ROW_KEYS[edition] for c in T3_COLUMN_KEYS]
    if runs is None or sorted((r, c) for rows, _ in runs for r in rows for c in T3_COLUMN_KEYS) != sorted(expected):
        return None
    chosen = _settle_columns(runs, expected, edition)
    if chosen is None:
        return None
    by_cell, texts = chosen
    for (row, column), token in by_cell.items():
        cells[f"{row}.{column}"] = cell_from(token, _COLUMN[column], [], f"t3.{row}.{column}")
    kept = [n for n in notes if not n.keys or not all(k.startswith("t3.") for k in n.keys)]
    holds = readings_hold(dict(zip(expected, texts, strict=True)), t3_sum_rules(edition))
    kept.append(finding("PARSE-ORDER", "表三 在文字中逐列排列（先列出各行标签，再按列给出数值），已按列读取"
                                       + ("，表内各项合计均成立。" if holds else "；有合计不成立，请核对。"),
                        [] if holds else ["t3"]))
    return kept


def _runs(tokens: Sequence[Token], edition: Edition) -> list[tuple[list[str], list[Token]]] | None:
    """The runs of row labels and their values, when every run holds seven values for each of its rows."""
    collected = _Runs(edition)
    walk_labels(tokens, collected.classify, collected.value, collected.label)
    collected.close()
    width = len(T3_COLUMN_KEYS)
    for rows, run in collected.runs:
        if len(rows) < 2 or len(run) != len(rows) * width or any(t.glued for t in run):
            return None
    return collected.runs or None


def _settle_columns(runs: list[tuple[list[str], list[Token]]], expected: list[tuple[str, str]],
                    edition: Edition) -> tuple[dict[tuple[str, str], Token], list[str]] | None:
    """The reading of the runs, each in its own order of columns (an extractor may print a column early:
    总计 before 其他), that breaks the fewest sums and, among those, moves the fewest columns from where
    they were printed: the sums cannot tell two applicant columns apart, the printed order can. None when
    no reading is good enough or two equally good ones differ."""
    per_run = [_column_orders(rows, run) for rows, run in runs]
    if any(not orders for orders in per_run) or math.prod(len(o) for o in per_run) > _MAX_COMBINATIONS:
        return None
    found: dict[tuple[str, ...], tuple[dict[tuple[str, str], Token], list[str]]] = {}
    best = (_MAX_BROKEN, len(runs) * len(T3_COLUMN_KEYS))
    rules = t3_sum_rules(edition)
    combinations = sorted(itertools.product(*per_run), key=_moved)
    for combination in combinations:
        moved = _moved(combination)
        if best[0] == 0 and moved > best[1]:
            break  # nothing later can break fewer sums, and it moves more columns
        by_cell: dict[tuple[str, str], Token] = {}
        for (rows, run), order in zip(runs, combination, strict=True):
            for n, row in enumerate(rows):
                for c, column in zip(order, T3_COLUMN_KEYS, strict=True):
                    by_cell[(row, column)] = run[c * len(rows) + n]
        texts = [clean_text(by_cell[k].text) for k in expected]
        broken = broken_sums(texts, expected, rules)
        if broken is None:
            continue
        if (broken, moved) > best:
            continue
        if (broken, moved) < best:
            best, found = (broken, moved), {}
        found.setdefault(tuple(texts), (by_cell, texts))
    return next(iter(found.values())) if len(found) == 1 else None


def _moved(combination: Sequence[tuple[int, ...]]) -> int:
    return sum(1 for order in combination for n, c in enumerate(order) if n != c)


#: Orders of columns tried together across a table's runs.
_MAX_COMBINATIONS = 2000
#: Sums a reading may leave broken (a report's own slips), as for a table read in template order.
_MAX_BROKEN = 2


def _column_orders(rows: list[str], run: list[Token]) -> list[tuple[int, ...]]:
    """The printed column order and the orders with one block of columns moved, under which each row's
    总计 is the sum of its applicants (distinct readings only)."""
    width = len(T3_COLUMN_KEYS)
    orders = [tuple(range(width))]
    for start in range(width):
        for cut in range(start + 1, width):
            for end in range(cut + 1, width + 1):
                orders.append((*range(start), *range(cut, end), *range(start, cut), *range(end, width)))
    kept: dict[tuple[str, ...], tuple[int, ...]] = {}
    for order in orders:
        texts = tuple(clean_text(run[c * len(rows) + n].text) for n in range(len(rows)) for c in order)
        if all(_row_adds_up(texts[n * width:(n + 1) * width]) for n in range(len(rows))):
            kept.setdefault(texts, order)
    return list(kept.values())


def _row_adds_up(texts: Sequence[str]) -> bool:
    numbers = [sum_value(t) for t in texts]
    if any(v is None for v in numbers):
        return False
    return sum((v for v in numbers[:-1] if v is not None), Decimal(0)) == numbers[-1]


_COLUMN = {c.key: c for c in T3_COLUMNS}
