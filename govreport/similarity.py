"""How much of one year's text repeats another's, and what changed between them.

Offices that assess these reports deduct marks when a section repeats more than half of last year's. The
measure here is the share of this year's text (in runs of five characters, spaces and punctuation
ignored) that last year's text already had: 1.0 for a copy, 0.0 for new text. It is quick on long
texts and does not care where a passage moved.

>>> round(repeated_share("今年我局主动公开信息120条。", "今年我局主动公开信息135条，新增专栏两个。"), 2)
0.44
>>> [(kind, text) for kind, text in text_diff("主动公开120条。", "主动公开135条。") if kind != "same"]
[('deleted', '20'), ('inserted', '35')]
"""

from __future__ import annotations

import difflib
import re
from typing import Literal

from .lazyre import lazy_compile

_SHINGLE = 5
_IGNORED = lazy_compile(r"[\s\u3000，。、；：！？“”‘’（）《》,.;:!?\"'()\[\]【】—-]+")

DiffKind = Literal["same", "inserted", "deleted"]


def repeated_share(old: str | None, new: str | None) -> float | None:
    """The share of ``new`` that ``old`` already said (None when either text is missing or too short)."""
    old_runs, new_runs = _shingles(old), _shingles(new)
    if not old_runs or not new_runs:
        return None
    return len(new_runs & old_runs) / len(new_runs)


def _shingles(text: str | None) -> set[str]:
    plain = _IGNORED.sub("", text or "")
    return {plain[i: i + _SHINGLE] for i in range(len(plain) - _SHINGLE + 1)}


#: Texts longer than this are compared sentence by sentence first (a character diff of two long texts is
#: slow and no easier to read).
_CHARACTER_DIFF_LIMIT = 4000


def text_diff(old: str | None, new: str | None) -> list[tuple[DiffKind, str]]:
    """``new`` against ``old`` as passages kept, inserted and deleted, in reading order."""
    old, new = old or "", new or ""
    if len(old) + len(new) > _CHARACTER_DIFF_LIMIT:
        return _diff(_sentences(old), _sentences(new))
    return _diff(list(old), list(new))


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[。；！？\n])", text) if s]


def _diff(old: list[str], new: list[str]) -> list[tuple[DiffKind, str]]:
    out: list[tuple[DiffKind, str]] = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            _add(out, "same", "".join(old[i1:i2]))
            continue
        if i2 > i1:
            _add(out, "deleted", "".join(old[i1:i2]))
        if j2 > j1:
            _add(out, "inserted", "".join(new[j1:j2]))
    return out


def _add(out: list[tuple[DiffKind, str]], kind: DiffKind, text: str) -> None:
    if out and out[-1][0] == kind:
        out[-1] = (kind, out[-1][1] + text)
    else:
        out.append((kind, text))
