"""Give a table's printed values to its cells when the text alone does not fix where each one goes.

Text that other tools extracted from a report loses what a grid knew: separators between cells
(``规章000`` is three numbers), empty cells that a lost column span left behind, and which of a row's
values belongs to which column. This module enumerates every way the printed values of a row can fill
its cells — splitting glued digit runs into numbers, dropping empty cells that may be layout residue —
and lets the format's own arithmetic (:data:`govreport.schema.T3_SUM_RULES` and friends) choose among
them. **A cell gets a value only when every reading that fits the text and the arithmetic agrees on
it.** When the arithmetic rejects every reading (a source that breaks its own sums), the readings that
fit the text alone decide, so a report is read as printed, never repaired.

>>> readings([Piece("1000001", splittable=True)], 7)
[('1', '0', '0', '0', '0', '0', '1')]
>>> len(readings([Piece("693665", splittable=True)], 3))
10
>>> rules = (SumRule((("r", "total"),), (("r", "a"), ("r", "b"))),)
>>> choice = choose({"r": readings([Piece("2113", splittable=True)], 3)}, ("a", "b", "total"), rules)
>>> [choice.texts[("r", c)] for c in ("a", "b", "total")]
[None, None, None]
>>> choice = choose({"r": readings([Piece("1910", splittable=True)], 3)}, ("a", "b", "total"), rules)
>>> [choice.texts[("r", c)] for c in ("a", "b", "total")]
['1', '9', '10']
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from decimal import Decimal
from functools import lru_cache

import attrs

from .fieldrepr import FieldRepr
from .lazyre import lazy_compile
from .normalize import parse_number
from .schema import CellKey, SumRule
from .settings import options

Reading = tuple[str, ...]

_DIGITS_RE = lazy_compile(r"^[-+]?\d+$")


@attrs.frozen(repr=False)
class Piece(FieldRepr):
    """One printed item in the value area of a row.

    ``splittable``: a run of digits that may be several numbers printed without a separator.
    ``optional``: an empty cell that may be a blank cell or only what a lost column span left; or a value
    that may be a cell or only a merged cell's text repeated (python-docx prints a merged cell once per
    column it spans).
    ``joins_next``: the next piece may hold the rest of this number's digits.
    """

    text: str
    splittable: bool = False
    optional: bool = False
    #: The next piece may continue this number: the source put one number's digits on two lines
    #: (a Word page whose digits sit in two runs, each its own text node).
    joins_next: bool = False


@attrs.frozen(repr=False)
class Choice(FieldRepr):
    """The outcome for a table: each cell's text (None where the readings disagree) and the doubts."""

    #: (row, column) → printed text of the chosen value ("" for a blank cell), None when undecided.
    texts: dict[CellKey, str | None]
    #: (row, column) → the distinct texts the surviving readings give, for each undecided cell.
    alternatives: dict[CellKey, tuple[str, ...]]
    #: Rows whose readings the arithmetic could not confirm (every reading broke a rule, or none was
    #: checkable): read as the text alone says.
    unverified: frozenset[str] = frozenset()


def _span(piece: Piece, max_digits: int) -> tuple[int, int]:
    """How few and how many cells a piece can fill (a cell holds at most ``max_digits`` digits)."""
    if piece.optional:
        return 0, 1
    if piece.splittable and _DIGITS_RE.match(piece.text):
        digits = len(piece.text.lstrip("+-"))
        return -(-digits // max_digits), digits
    return 1, 1


def readings(pieces: Sequence[Piece], width: int, limit: int | None = None, *,
             join: bool = True, accept: Callable[[Reading], bool] | None = None) -> list[Reading] | None:
    """Every way ``pieces`` can fill ``width`` cells, in order; None when there are more than ``limit``.

    Pieces that may continue each other (``joins_next``) are joined only when the pieces as printed
    cannot fill the row, and only with ``join``. ``accept`` may reject a reading from its first cells on
    (a sum already broken), which keeps the search small.

    >>> readings([Piece("64"), Piece("", optional=True), Piece("0")], 2)
    [('64', '0')]
    >>> readings([Piece("3"), Piece("4")], 3)
    []
    >>> readings([Piece("2", joins_next=True), Piece("1"), Piece("0")], 2)
    [('21', '0')]
    """
    limit = options().decoder.max_readings if limit is None else limit
    found = _readings(pieces, width, limit, accept)
    if found != [] or not join or not any(p.joins_next for p in pieces):
        return found
    out: list[Reading] = []
    for variant in _joined_variants(pieces):
        more = _readings(variant, width, limit, accept)
        if more is None:
            return None
        out += more
        if len(out) > limit:
            return None
    return list(dict.fromkeys(out))


def _joined_variants(pieces: Sequence[Piece]) -> Iterator[list[Piece]]:
    """The piece lists made by joining some of the pieces that may continue one another."""
    joints = [i for i, p in enumerate(pieces[:-1]) if p.joins_next and _DIGITS_RE.match(p.text)
              and _DIGITS_RE.match(pieces[i + 1].text) and not pieces[i + 1].optional]
    if len(joints) > options().decoder.max_joints:
        return
    for n in range(1, len(joints) + 1):
        for chosen in itertools.combinations(joints, n):
            out: list[Piece] = []
            for i, piece in enumerate(pieces):
                if i - 1 in chosen:
                    merged = out[-1].text + piece.text
                    if merged[0] == "0":
                        break
                    out[-1] = Piece(merged, joins_next=piece.joins_next)
                else:
                    out.append(piece)
            else:
                yield out


def _readings(pieces: Sequence[Piece], width: int, limit: int,
              accept: Callable[[Reading], bool] | None = None) -> list[Reading] | None:
    """Walk the cuts number by number, so that ``accept`` can stop a reading as soon as its first cells
    break a sum; give up (None) past ``limit`` readings or ``DecoderSettings.max_steps`` steps."""
    decoder = options().decoder
    max_digits = decoder.max_cell_digits  # read once: the cuts below run thousands of times
    spans = [_span(p, max_digits) for p in pieces]
    lows = [*list(itertools.accumulate(s[0] for s in reversed(spans)))[::-1], 0]
    highs = [*list(itertools.accumulate(s[1] for s in reversed(spans)))[::-1], 0]
    out: list[Reading] = []
    budget = [decoder.max_steps]

    def emit(i: int, left: int, prefix: Reading) -> bool:
        budget[0] -= 1
        if budget[0] < 0:
            return False
        if accept is not None and prefix and not accept(prefix):
            return True
        return walk(i, left, prefix)

    def inside(i: int, rest: str, sign: str, left: int, prefix: Reading) -> bool:
        """The digits ``rest`` left of splittable piece ``i``, cut one number at a time."""
        after_low, after_high = lows[i + 1], highs[i + 1]
        longest = 1 if rest[0] == "0" else min(len(rest), max_digits)
        for size in range(1, longest + 1):
            tail = rest[size:]
            cell = sign + rest[:size]
            if not tail:
                if not after_low <= left - 1 <= after_high:
                    continue
                if not emit(i + 1, left - 1, (*prefix, cell)):
                    return False
            elif left - 1 - after_low >= 1 and len(tail) + after_high >= left - 1:
                budget[0] -= 1
                if budget[0] < 0:
                    return False
                if accept is not None and not accept((*prefix, cell)):
                    continue
                if not inside(i, tail, "", left - 1, (*prefix, cell)):
                    return False
        return True

    def walk(i: int, left: int, prefix: Reading) -> bool:
        if not lows[i] <= left <= highs[i]:
            return True
        if i == len(pieces):
            out.append(prefix)
            return len(out) <= limit
        piece = pieces[i]
        if piece.optional:
            return walk(i + 1, left, prefix) and (left == 0 or emit(i + 1, left - 1, (*prefix, piece.text)))
        if spans[i][1] > 1 or (piece.splittable and piece.text[:1] == "0" and len(piece.text) > 1):
            sign = piece.text[0] if piece.text[:1] in "+-" else ""
            return inside(i, piece.text[len(sign):], sign, left, prefix)
        return emit(i + 1, left - 1, (*prefix, piece.text))

    return out if walk(0, width, ()) else None


@lru_cache(maxsize=8192)
def sum_value(text: str) -> Decimal | None:
    """A cell's number for the sums: a blank, a dash or ``/`` counts as 0 (as the validator reckons);
    None for text that is no number."""
    parsed = parse_number(text)
    if parsed.kind in ("blank", "dash", "slash"):
        return Decimal(0)
    return None if parsed.value is None else Decimal(parsed.value)


def readings_hold(reading: Mapping[CellKey, str], rules: Sequence[SumRule]) -> bool:
    """Whether every rule holds on cells given as printed text (a rule over a non-number fails)."""
    values = {k: sum_value(t) for k, t in reading.items()}
    return all(sum_holds(rule, values) is True for rule in rules)


def corroborated(row: str, values: Mapping[CellKey, Decimal | None], rules: Sequence[SumRule]) -> bool:
    """Whether the sums across rows side with a row's reading: more of those that hold its cells and can be
    checked (every cell has a number, see :func:`known_values`) hold than break."""
    outcomes = [sum_holds(rule, values) for rule in rules
                if len({k[0] for k in rule.keys}) > 1 and any(k[0] == row for k in rule.keys)]
    return sum(1 for o in outcomes if o is True) > sum(1 for o in outcomes if o is False)


def known_values(texts: Mapping[CellKey, str | None]) -> dict[CellKey, Decimal | None]:
    """The numbers of the cells a choice decided (undecided cells left out: sums over them are unknown)."""
    return {k: sum_value(t) for k, t in texts.items() if t is not None}


def sum_holds(rule: SumRule, values: Mapping[CellKey, Decimal | None]) -> bool | None:
    """True/False when every cell of the rule has a number, None when it cannot be checked."""
    numbers: list[Decimal] = []
    for key in rule.keys:
        number = values.get(key)
        if number is None:
            return None
        numbers.append(number)
    split = len(rule.left)
    return sum(numbers[:split], Decimal(0)) == sum(numbers[split:], Decimal(0))


def _breaks_as_printed(row: str, columns: Sequence[str], reading: Reading, rules: Sequence[SumRule]) -> bool:
    """Whether a reading breaks one of its row's sums over cells that all have a number printed."""
    values = {(row, c): None if not t else sum_value(t) for c, t in zip(columns, reading, strict=True)}
    return any(sum_holds(rule, values) is False for rule in rules)


def _as_values(row: str, columns: Sequence[str], reading: Reading) -> dict[CellKey, Decimal | None]:
    return {(row, c): sum_value(t) for c, t in zip(columns, reading, strict=True)}


def choose(rows: Mapping[str, list[Reading]], columns: Sequence[str], rules: Sequence[SumRule]) -> Choice:
    """Decide each cell of a table from every row's candidate readings and the table's sum rules.

    Rules within one row filter that row's readings; rules across rows filter combinations of the rows
    still in doubt (up to ``DecoderSettings.max_combinations``). A rule is applied only where all its cells
    have numbers.
    """
    rows = {r: list(dict.fromkeys(c)) for r, c in rows.items() if c}
    unverified: set[str] = set()
    distrusted: set[CellKey] = set()
    local_rules = _rules_by_row(rules)
    for row, candidates in rows.items():
        local = local_rules.get(row)
        if not local:
            continue
        rows[row], ok = _by_own_sums(row, candidates, columns, local)
        if not ok:
            unverified.add(row)
            distrusted |= _broken_cells(row, columns, rows[row], local)
    # A row that the text leaves open and whose own sums every reading breaks with numbers printed in
    # each of their cells is not settled by the sums across rows: in a table that slips, some cut would fit
    # them by chance. (A row whose total was left blank is another matter: its sums are only unchecked.)
    open_rows = {r: rows[r] for r in unverified
                 if len(rows[r]) > 1 and all(_breaks_as_printed(r, columns, c, local_rules[r]) for c in rows[r])}
    settled = _settle_across_rows({r: c for r, c in rows.items() if r not in open_rows}, columns, rules)
    rows = {r: open_rows.get(r) or settled[r] for r in rows}
    texts: dict[CellKey, str | None] = {}
    alternatives: dict[CellKey, tuple[str, ...]] = {}
    for row, candidates in rows.items():
        for n, column in enumerate(columns):
            seen = tuple(dict.fromkeys(c[n] for c in candidates))
            key = (row, column)
            texts[key] = seen[0] if len(seen) == 1 and key not in distrusted else None
            if texts[key] is None:
                alternatives[key] = seen
    return Choice(texts, alternatives, frozenset(unverified))


def _rules_by_row(rules: Sequence[SumRule]) -> dict[str, list[SumRule]]:
    """The rules that stay within one row, by row."""
    local: dict[str, list[SumRule]] = {}
    for rule in rules:
        owners = {k[0] for k in rule.keys}
        if len(owners) == 1:
            local.setdefault(owners.pop(), []).append(rule)
    return local


def _by_own_sums(row: str, candidates: list[Reading], columns: Sequence[str], local: Sequence[SumRule]
                 ) -> tuple[list[Reading], bool]:
    """A row's readings that its own sums allow, and whether any does (else all of them, unverified).

    A reading that keeps its sums beats one that leaves them unchecked; but one that escapes a broken sum
    only by leaving a cell blank is no better than one that breaks it as printed: with no reading that
    keeps them, neither is preferred.
    """
    outcomes = [[sum_holds(rule, _as_values(row, columns, c)) for rule in local] for c in candidates]
    if not any(all(o is True for o in held) for held in outcomes) and any(False in held for held in outcomes):
        return candidates, False
    kept = [c for c, held in zip(candidates, outcomes, strict=True) if False not in held]
    return (kept, True) if kept else (candidates, False)


def _broken_cells(row: str, columns: Sequence[str], candidates: list[Reading],
                  rules: Sequence[SumRule]) -> set[CellKey]:
    """The cells of the sums every reading breaks, when each reading breaks more than one of them.

    One broken sum is what a source that errs looks like, and is read as printed; several at once say
    more likely that the text put the values out of order.
    """
    broken: set[CellKey] = set()
    for reading in candidates:
        values = _as_values(row, columns, reading)
        failed = [rule for rule in rules if sum_holds(rule, values) is False]
        if len(failed) < 2:
            return set()
        broken |= {k for rule in failed for k in rule.keys}
    return broken


def _settle_across_rows(rows: dict[str, list[Reading]], columns: Sequence[str],
                        rules: Sequence[SumRule]) -> dict[str, list[Reading]]:
    """Filter the combinations of doubtful rows by the rules that span rows."""
    doubtful = [r for r, c in rows.items() if len(c) > 1]
    if not doubtful or math.prod(len(rows[r]) for r in doubtful) > options().decoder.max_combinations:
        return rows
    spanning = [r for r in rules if len({k[0] for k in r.keys}) > 1 and any(k[0] in doubtful for k in r.keys)]
    if not spanning:
        return rows
    fixed: dict[CellKey, Decimal | None] = {}
    for row, candidates in rows.items():
        if len(candidates) == 1:
            fixed.update(_as_values(row, columns, candidates[0]))
    survivors = _fewest_broken(fixed, doubtful, [rows[r] for r in doubtful], columns, spanning)
    if not survivors:
        return rows
    out = dict(rows)
    for n, row in enumerate(doubtful):
        out[row] = list(dict.fromkeys(combo[n] for combo in survivors))
    return out


def _fewest_broken(fixed: dict[CellKey, Decimal | None], doubtful: list[str], choices: list[list[Reading]],
                   columns: Sequence[str], spanning: Sequence[SumRule]) -> list[tuple[Reading, ...]]:
    """The combinations of the doubtful rows' readings that break the fewest sums across rows.

    A sum that no combination keeps is the source's own slip (a total left blank, a miscount), not a sign
    of a wrong reading: the combinations that break the fewest survive, as long as that is no more than a
    report's few slips (none survive otherwise).
    """
    survivors: list[tuple[Reading, ...]] = []
    fewest = options().decoder.broken_sums_in_order
    for combo in itertools.product(*choices):
        broken = _broken_in_combination(fixed, doubtful, combo, columns, spanning, fewest)
        if broken < fewest:
            survivors, fewest = [], broken
        if broken == fewest:
            survivors.append(combo)
    return survivors


def _broken_in_combination(fixed: dict[CellKey, Decimal | None], doubtful: list[str], combo: tuple[Reading, ...],
                           columns: Sequence[str], rules: Sequence[SumRule], enough: int) -> int:
    """How many of ``rules`` the combination breaks, counted up to one more than ``enough``."""
    values = dict(fixed)
    for row, reading in zip(doubtful, combo, strict=True):
        values.update(_as_values(row, columns, reading))
    broken = 0
    for rule in rules:
        if sum_holds(rule, values) is False:
            broken += 1
            if broken > enough:
                break
    return broken
