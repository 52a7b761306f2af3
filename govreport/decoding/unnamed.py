"""Grid rows whose label could not be read, named by where they stand.

A recogniser reading a scan at a low resolution garbles some labels past what a near-miss match accepts
(``二、上编政府信息公开中请`` for 二、上年结转政府信息公开申请数量, ``四、结转维理``, ``以公开`` for a label
whose first characters touched the border). A grid still says where each such row stands, and the
template fixes the order of the rows: an unknown row between two rows that were read, in the place of
exactly the rows the template has there and the table lacks, is those rows — provided that its label
shares most of its characters, in order, with the official label of the row it is taken for. The sums
then check the values as for any row.

>>> from govreport.decoding.rows import RowValues
>>> from govreport.decoding.tokens import Token
>>> def row(key, text): return RowValues(key, Token.of(text, (None, None, None, None, None), 0))
>>> labels = {"a": "一、本年新收", "b": "二、上年结转", "c": "三、总计"}
>>> rows, left = name_by_place([row("a", "一、本年新收"), row("c", "三、总计")], [(1, row("", "二、上编"))],
...                            ["a", "b", "c"], labels.__getitem__)
>>> [r.key for r in rows], left
(['a', 'b', 'c'], [])
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Sequence

from ..lazyre import lazy_compile
from ..normalize import normalize_label
from ..settings import options
from .rows import RowValues


def name_by_place(rows: list[RowValues], unnamed: Sequence[tuple[int, RowValues]], order: Sequence[str],
                  label_of: Callable[[str], str]) -> tuple[list[RowValues], list[RowValues]]:
    """``rows`` with the ``unnamed`` rows (each with the number of ``rows`` walked before it) that their
    place names put in, and the unnamed rows left over.

    The rows between the nearest named rows before and after an unnamed run, that the template has
    there and no row was read for, name the run when they are as many as its rows and each label
    matches its row's."""
    seen = {r.key for r in rows if r.key}
    named: dict[int, list[RowValues]] = {}
    left: list[RowValues] = []
    for at, run in _runs(unnamed):
        open_keys = [k for k in _between(rows, at, order) if k not in seen]
        if len(open_keys) == len(run) and all(_resembles(r.label.norm, label_of(k)) for r, k in
                                              zip(run, open_keys, strict=True)):
            for r, key in zip(run, open_keys, strict=True):
                r.key = key
            named[at] = run
            seen.update(open_keys)
        else:
            left += run
    out: list[RowValues] = []
    for n in range(len(rows) + 1):
        out += named.get(n, [])
        if n < len(rows):
            out.append(rows[n])
    return out, left


def _between(rows: list[RowValues], at: int, order: Sequence[str]) -> Sequence[str]:
    """The template's rows between the nearest named rows before and after place ``at``."""
    place = {key: n for n, key in enumerate(order)}
    before = [place[r.key] for r in rows[:at] if r.key in place]
    after = [place[r.key] for r in rows[at:] if r.key in place]
    low, high = (before[-1] if before else -1), (after[0] if after else len(order))
    return order[low + 1:high] if low < high else ()


def _runs(unnamed: Sequence[tuple[int, RowValues]]) -> list[tuple[int, list[RowValues]]]:
    """Unnamed rows grouped by the place they stand in (several may stand between the same two rows)."""
    runs: dict[int, list[RowValues]] = {}
    for at, row in unnamed:
        runs.setdefault(at, []).append(row)
    return list(runs.items())


def _resembles(text: str, label: str) -> bool:
    """Whether ``text`` starts with ``label``'s numeral (``3亿`` for 3.其他), or most of its characters (and
    at least two) stand, in order, in ``label``."""
    official = normalize_label(label)
    numerals = [_NUMERAL_RE.match(t) for t in (text, official)]
    if all(numerals) and len({m.group(1) for m in numerals if m}) == 1:
        return True
    matcher = difflib.SequenceMatcher(None, text, official, autojunk=False)
    common = sum(block.size for block in matcher.get_matching_blocks())
    return common >= 2 and common >= options().decoder.placed_label_share * len(text)


#: The numeral a row's label starts with (1. to 8. within a group, （一） to （七）, 一、 to 四、), and
#: nothing more of a number after it.
_NUMERAL_RE = lazy_compile(r"[（(]?([1-9一二三四五六七八九])(?![0-9])")
