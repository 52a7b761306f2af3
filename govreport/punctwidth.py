"""Half- or full-width punctuation in a recognised line, told by the room each mark takes on the image.

The recogniser was trained mostly on text set with full-width marks, so it reads the ``:`` or ``(`` a
writer typed between Chinese characters as ``：`` or ``（`` — and a section quoted from a scan then differs
from the same section in the file it was scanned from. The glyph tells which it is: a full-width mark
takes a whole em, so from the ink of the glyph before it to the ink of the glyph after it there is about
an em or more; a half-width mark leaves half that. Only marks beside a Chinese character are weighed
(in Latin text a space may stand beside a colon). Word's punctuation compression squeezes full-width
marks to nearly half, so the bar for half-width is set below what it leaves; a mark whose room is between
the two bars, or cannot be measured (at the end of a line, touching its neighbour), stays as recognised.
Straight double quotes among Chinese text are set to the curly ones their place calls for
(:func:`pair_quotes`).
"""

from __future__ import annotations

from collections.abc import Sequence
from statistics import median
from typing import Any

from .settings import options

#: Full-width marks and the half-width marks they are mistaken for (and the other way round).
HALF_OF = {"：": ":", "；": ";", "，": ",", "（": "(", "）": ")", "！": "!", "？": "?"}
FULL_OF = {half: full for full, half in HALF_OF.items()}


def _is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def settle_widths(chars: Sequence[str], centres: Sequence[float], line: Any) -> list[str]:
    """``chars`` with each ambiguous mark set to the width its glyph has on ``line`` (a BGR or grey image).

    ``centres`` are the characters' x positions on the image, as the recogniser placed them. Where the
    line holds too few Chinese characters to give the em, nothing is changed.
    """
    out = list(chars)
    marks = [i for i, ch in enumerate(chars) if (ch in HALF_OF or ch in FULL_OF)
             and any(_is_han(chars[j]) for j in (i - 1, i + 1) if 0 <= j < len(chars))]
    if not marks:
        return out
    em = _em(chars, centres)
    if em is None:
        return out
    ink = _ink_columns(line)
    settings = options().scan
    for i in marks:
        room = _room(ink, centres[i], [*centres[max(0, i - 1):i], *centres[i + 1:i + 2]], em)
        if room is None:
            continue
        if room <= settings.half_width_max_em:
            out[i] = HALF_OF.get(out[i], out[i])
        elif room >= settings.full_width_min_em:
            out[i] = FULL_OF.get(out[i], out[i])
    return out


def pair_quotes(text: str) -> str:
    """A recognised line with the straight double quotes among Chinese text made the curly ones of their
    place: the recogniser reads a closing ” as ``"`` (“三区"). A ``"`` closes the “ the line opened before
    it, and opens one where a Chinese character follows it and none is open; others stay.

    >>> pair_quotes('谱写“一岛两窗三区"新篇章')
    '谱写“一岛两窗三区”新篇章'
    """
    if '"' not in text:
        return text
    out = list(text)
    open_quote = False
    for i, ch in enumerate(text):
        if ch == "“":
            open_quote = True
        elif ch == "”":
            open_quote = False
        elif ch == '"':
            beside_han = any(_is_han(text[j]) for j in (i - 1, i + 1) if 0 <= j < len(text))
            if open_quote and beside_han:
                out[i], open_quote = "”", False
            elif not open_quote and i + 1 < len(text) and _is_han(text[i + 1]):
                out[i], open_quote = "“", True
    return "".join(out)


def _em(chars: Sequence[str], centres: Sequence[float]) -> float | None:
    """The line's character pitch: the median distance between neighbouring Chinese characters."""
    steps = [centres[i + 1] - centres[i] for i in range(len(chars) - 1)
             if _is_han(chars[i]) and _is_han(chars[i + 1])]
    if len(steps) < options().scan.min_pitch_pairs:
        return None
    em = median(steps)
    return em if em > 0 else None


def _ink_columns(line: Any) -> list[bool]:
    """Which columns of the line hold its own ink. The cut-out line may carry slivers of the lines above
    and below it, or an underline: ink lying wholly in the top or bottom sixth, or spread wider than a
    few characters, is not the line's."""
    import cv2
    import numpy as np

    gray = line if line.ndim == 2 else cv2.cvtColor(line, cv2.COLOR_BGR2GRAY)
    threshold, _ = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    dark = (gray < min(threshold, options().scan.max_ink_level)).astype(np.uint8)
    height = dark.shape[0]
    # A rule under or over the line, which glyphs may touch: rows inked over most of the width (a broken
    # or dotted rule too), and whatever runs level for twice the line's height, longer than any stroke of
    # a glyph (the grey rows a blurred rule spreads to).
    rule = cv2.morphologyEx(dark, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (2 * height, 1)))
    dark[dark.mean(axis=1) > 0.6] = 0
    dark[rule > 0] = 0
    count, labels, stats, _ = cv2.connectedComponentsWithStats(dark, connectivity=8)
    edge = height / 6
    keep = np.zeros(count, dtype=bool)
    for n in range(1, count):
        _x, y, w, h, _area = stats[n]
        keep[n] = y < height - edge and y + h > edge and w < 3 * height
    return [bool(v) for v in np.any(keep[labels], axis=0)]


def _room(ink: list[bool], centre: float, neighbours: Sequence[float], em: float) -> float | None:
    """From the ink before a mark to the ink after it, in ems; None when the mark's own ink is not where
    the recogniser put it, or there is no ink on one side."""
    width = len(ink)
    reach = int(0.35 * em)
    at = round(centre)
    near = [x for x in range(max(0, at - reach), min(width, at + reach + 1)) if ink[x]]
    if not near:
        return None
    x = min(near, key=lambda c: abs(c - at))
    start, end = x, x
    while start > 0 and ink[start - 1]:
        start -= 1
    while end < width - 1 and ink[end + 1]:
        end += 1
    if end - start + 1 > 0.6 * em:  # touching its neighbour: a glyph's width cannot be told
        return None
    if any(abs((start + end) / 2 - other) < abs((start + end) / 2 - centre) for other in neighbours):
        return None  # the ink nearest is part of a neighbour (a radical standing apart), not the mark
    before = start - 1
    while before >= 0 and not ink[before]:
        before -= 1
    after = end + 1
    while after < width and not ink[after]:
        after += 1
    if before < 0 or after >= width:
        return None
    return (after - before - 1) / em
