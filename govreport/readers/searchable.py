"""Searchable scans (双层 PDF): a scanned page with the text that OCR software laid over it, invisible.

Scanners and PDF tools (Acrobat's "recognise text", ABBYY, WPS) keep the scan as the page and add its
text as an invisible layer, so that the PDF can be searched and copied. Its text reads like any PDF's; its
tables do not: their rules are in the picture only, and without them the characters of a table are a
spread of words with nothing to say which cell holds which. So the rules are found in the picture the
way a scan's are (:mod:`govreport.scanpage`), turned into ruling lines, and the text-PDF reader builds
the grid from them and the layer's characters as from a PDF's own vector lines.

The picture and the layer share the page: a point of one is the same point of the other, but for the
scan's skew, which :func:`~govreport.scanpage.prepare` undoes in the picture; the characters are turned
by the same angle, so that rules and text stay together.
"""

from __future__ import annotations

import math
from typing import Any

from ..document import Char
from ..settings import options

Rule = tuple[float, float, float]


def rules_from_picture(image: Any, chars: list[Char], page_size: tuple[float, float]
                       ) -> tuple[list[Char], list[Rule], list[Rule]]:
    """The page's characters, turned level with the scan, and the rules of the tables in its picture as
    horizontal and vertical lines (``at``, ``start``, ``end`` in points, origin bottom left): none where
    the picture holds no ruled table."""
    import cv2

    from ..scanpage import prepare

    width, height = page_size
    # The layer's slant is the scan's: turned level first, the picture's rules are long and straight
    # enough to be found even where the page has too few of them to measure the skew by.
    slant = text_skew(chars)
    if slant:
        rows, columns = image.shape
        matrix = cv2.getRotationMatrix2D((columns / 2, rows / 2), -slant, 1.0)
        image = cv2.warpAffine(image, matrix, (columns, rows), flags=cv2.INTER_LINEAR, borderValue=255)
        chars = _straightened(chars, slant, page_size)
    prepared = prepare(image, width)
    if not prepared.tables:
        return chars, [], []
    scale = prepared.scale
    horizontal: list[Rule] = []
    vertical: list[Rule] = []
    for table in prepared.tables:
        for cell in table.cells:
            left, top, right, bottom = (v / scale for v in cell.box)
            horizontal += [(height - top, left, right), (height - bottom, left, right)]
            vertical += [(left, height - bottom, height - top), (right, height - bottom, height - top)]
    return _straightened(chars, prepared.skew, page_size), horizontal, vertical


def text_skew(chars: list[Char]) -> float:
    """The slant of a text layer, in degrees (0.0 where it is level or cannot be told)."""
    slopes = sorted(_run_slopes(chars))
    if len(slopes) < options().scan.level_min_runs:
        return 0.0
    skew = math.degrees(math.atan(slopes[len(slopes) // 2]))
    return skew if abs(skew) >= options().scan.min_skew_degrees else 0.0


def _run_slopes(chars: list[Char]) -> list[float]:
    """The slope (rise over run) from the first to the last character of each long run of characters the
    layer gives side by side, each close after the one before."""
    least = options().scan.level_min_run_pt
    out: list[float] = []
    start = 0
    for n in range(1, len(chars) + 1):
        if n < len(chars):
            before, after = chars[n - 1], chars[n]
            gap = after.left - before.right
            if -before.height / 2 < gap < before.height and abs(after.cy - before.cy) < before.height / 2:
                continue
        first, last = chars[start], chars[n - 1]
        if last.cx - first.cx >= least:
            out.append((last.cy - first.cy) / (last.cx - first.cx))
        start = n
    return out


def _straightened(chars: list[Char], skew: float, page_size: tuple[float, float]) -> list[Char]:
    """The characters turned about the page's centre as the picture was turned to undo the scan's skew."""
    if not skew:
        return chars
    width, height = page_size
    cx, cy = width / 2, height / 2
    # The picture (y down) was turned by -skew; in the page's y-up points that is +skew.
    angle = math.radians(-skew)
    cos, sin = math.cos(angle), math.sin(angle)
    out = []
    for c in chars:
        dx, dy = c.cx - cx, c.cy - cy
        x, y = cx + dx * cos - dy * sin, cy + dx * sin + dy * cos
        shift_x, shift_y = x - c.cx, y - c.cy
        out.append(Char.at(c.text, c.left + shift_x, c.bottom + shift_y, c.right + shift_x, c.top + shift_y))
    return out
