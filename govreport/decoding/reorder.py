"""A table's values in an order a text extractor disturbed, put back where the sums allow one way only.

Extractors that group a page into text blocks (pdftotext without ``-layout``, some PDF-to-text
converters) keep a table's values in reading order except for a block of cells that they took for a
block of its own — a column under a tall header, the last cells of a row — and print it early or late.
Moving one block of values back is a small, countable family of reorderings; the format's sums then
say which of them, if any, is the table. A reordering is accepted only when it is the one distinct
reading under which every rule holds.

>>> from govreport.schema import SumRule
>>> rule = SumRule(((("", "total"),)), (("", "a"), ("", "b")))
>>> order = [("", "a"), ("", "b"), ("", "total")]
>>> restore_order(["5", "2", "3"], order, [rule], max_span=3)
(1, 2, 0)
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from decimal import Decimal

from ..assign import sum_value
from ..schema import CellKey, SumRule


def restore_order(texts: Sequence[str], order: Sequence[CellKey], rules: Sequence[SumRule],
                  max_span: int, max_broken: int = 0, runs: Sequence[int] | None = None
                  ) -> tuple[int, ...] | None:
    """The order (indices into ``texts``) that puts the values into the cells of ``order`` so that the
    fewest rules break, with at most one block of values moved by at most ``max_span`` places in all.

    ``runs`` numbers the run each value was printed in (values with no other text between them share
    one). Where it is given, the block moved is one whole run: an extractor moves a text block as a
    whole, so an order that cuts one is no reading of the page.

    Published tables are not always right: up to ``max_broken`` rules may stay broken in the order
    returned (the validator reports them), provided no other order breaks as few — but not a rule over a
    moved value: the sums are what vouch for a move, and a move they do not confirm is a guess. A move is
    weighed only when it mends a sum the printed order breaks, so the identity is returned when the
    values fit best as they are (rows that add up alike trading places fit no worse, and are no reason to
    leave the printed order); None when no order is good enough or when two moves that give different
    cells are equally good.
    """
    numbers = [sum_value(t) for t in texts]
    if len(texts) != len(order) or any(n is None for n in numbers):
        return None
    sums = _Sums(order, rules, [n if n is not None else Decimal(0) for n in numbers])
    identity = tuple(range(len(texts)))
    best, found = len(sums.failing), {tuple(texts): identity}
    for broken, permutation in _mending_moves(sums, len(texts), max_span, max_broken, runs):
        if broken > best:
            continue
        if broken < best:
            best, found = broken, {}
        found.setdefault(tuple(texts[i] for i in permutation), permutation)
    if best > max_broken or len(found) != 1:
        return None
    permutation = next(iter(found.values()))
    return permutation if best == 0 or moves_confirmed(texts, permutation, order, rules) else None


def _mending_moves(sums: _Sums, count: int, max_span: int, max_broken: int, runs: Sequence[int] | None
                   ) -> Iterator[tuple[int, tuple[int, ...]]]:
    """Each move of one block (a whole run, where ``runs`` is given) that mends a sum the values as printed
    break, with the number of sums still broken after it. A move that only breaks as many (rows that add
    up alike, traded places) is no reason to leave the printed order."""
    printed = len(sums.failing)
    for start, end, moves in _block_moves(count, max_span) if printed else ():
        if sums.out_of_reach(start, end) > min(printed, max_broken):
            continue
        for middle in moves:
            if runs is not None and not _moves_a_run(runs, start, middle[0], end):
                continue
            broken = sums.broken_after(start, middle)
            if broken < printed:
                yield broken, (*range(start), *middle, *range(end, count))


def moves_confirmed(texts: Sequence[str], permutation: Sequence[int], order: Sequence[CellKey],
                    rules: Sequence[SumRule]) -> bool:
    """Whether every rule that ``texts`` read in ``permutation`` breaks stays clear of the values the
    permutation moved (a rule broken over unmoved values is the source's own; one over moved values
    says the move is wrong, or unproven)."""
    broken = in_broken_sums([texts[i] for i in permutation], order, rules)
    return not any(p in broken for p, source in enumerate(permutation) if texts[source] != texts[p])


def in_broken_sums(texts: Sequence[str], order: Sequence[CellKey], rules: Sequence[SumRule]) -> set[int]:
    """The places (indices into ``texts``) that some broken rule holds."""
    numbers = [sum_value(t) for t in texts]
    sums = _Sums(order, rules, [n if n is not None else Decimal(0) for n in numbers])
    return {p for p, terms in enumerate(sums.terms_at) if any(r in sums.failing for r, _ in terms)}


def broken_sums(texts: Sequence[str], order: Sequence[CellKey], rules: Sequence[SumRule]) -> int | None:
    """How many rules break with ``texts`` in the cells of ``order`` (None: a text is no number)."""
    numbers = [sum_value(t) for t in texts]
    if any(n is None for n in numbers):
        return None
    return len(_Sums(order, rules, [n if n is not None else Decimal(0) for n in numbers]).failing)


class _Sums:
    """The rules over the values as placed in template order, kept so that a move is checked by what it
    changes: each rule as Σ left − Σ right, and each place's share in it."""

    def __init__(self, order: Sequence[CellKey], rules: Sequence[SumRule], values: list[Decimal]) -> None:
        index = {key: n for n, key in enumerate(order)}
        self.values = values
        self.terms_at: list[list[tuple[int, int]]] = [[] for _ in order]
        self.differences: list[Decimal] = []
        for r, rule in enumerate(rules):
            difference = Decimal(0)
            for sign, side in ((1, rule.left), (-1, rule.right)):
                for at in (index[k] for k in side if k in index):
                    self.terms_at[at].append((r, sign))
                    difference += sign * values[at]
            self.differences.append(difference)
        self.failing = {r for r, d in enumerate(self.differences) if d}
        # Failing rules at each place, as bits: a move must reach all but a few of them.
        self._failing_at = [sum(1 << r for r, _ in terms if r in self.failing) for terms in self.terms_at]
        self._all_failing = sum(1 << r for r in self.failing)

    def out_of_reach(self, start: int, end: int) -> int:
        """How many failing rules have no cell among the places ``start`` to ``end``."""
        reached = 0
        for p in range(start, end):
            reached |= self._failing_at[p]
        return (self._all_failing & ~reached).bit_count()

    def broken_after(self, start: int, middle: tuple[int, ...]) -> int:
        """How many rules break once the places from ``start`` on take their values from ``middle``."""
        changed: dict[int, Decimal] = {}
        for p, source in enumerate(middle, start):
            change = self.values[source] - self.values[p]
            if change:
                for r, sign in self.terms_at[p]:
                    changed[r] = changed.get(r, Decimal(0)) + sign * change
        now_failing = sum(1 for r, change in changed.items() if self.differences[r] + change)
        return len(self.failing - changed.keys()) + now_failing


def _moves_a_run(runs: Sequence[int], start: int, cut: int, end: int) -> bool:
    """Whether the block ``start:cut`` or the block ``cut:end`` is one whole run of ``runs``."""
    def whole(first: int, stop: int) -> bool:
        return (runs[first] == runs[stop - 1] and (first == 0 or runs[first - 1] != runs[first])
                and (stop == len(runs) or runs[stop] != runs[stop - 1]))
    return whole(start, cut) or whole(cut, end)


def _block_moves(n: int, max_span: int) -> Iterator[tuple[int, int, list[tuple[int, ...]]]]:
    """Every order of ``range(n)`` with one block swapped with the block after it, the two together at
    most ``max_span`` long, grouped by the places they change: (first, after the last, the new orders
    of those places)."""
    for start in range(n):
        for end in range(start + 2, min(n, start + max_span) + 1):
            yield start, end, [(*range(start + cut, end), *range(start, start + cut)) for cut in range(1, end - start)]
