"""How many digits a scanned number's width holds, by the widths of the table's own numbers.

The recogniser reads a row of cells set side by side in one strip (:mod:`govreport.ocr`), and on a
blurred low-resolution scan it now and then drops a digit there (``1362`` read as ``122``, ``1288`` as
``128``) with full confidence. A table's digits are set in one font, so the width of a number's line
grows with its digits by one step: fitted over the table's numbers (most read right), the line of a
number read with clearly fewer digits than its width holds is read again.

>>> model = DigitWidths.fit([("0", 17), ("5", 16), ("1", 12), ("12", 24), ("30", 25), ("447", 34),
...                          ("3119", 45)])
>>> model.short(("122", 43)), model.short(("1362", 43)), model.short(("1", 12))
(True, False, False)
>>> model.short(("1", 21)), model.short(("11", 21)), model.short(("110", 32))
(True, False, False)
"""

from __future__ import annotations

import statistics
from collections.abc import Collection

import attrs

from .fieldrepr import FieldRepr
from .settings import options


@attrs.frozen(repr=False)
class DigitWidths(FieldRepr):
    """Width of a number's line in pixels: ``base`` and ``step`` for each digit, less ``one_edge`` for a
    1 at either end (digits advance alike, but a 1's ink is narrow: a lone 1's line is narrower than
    other lone digits' by two such edges, ``11``'s by as much, ``110``'s by one)."""

    step: float
    base: float
    one_edge: float

    @classmethod
    def fit(cls, readings: Collection[tuple[str, int]]) -> DigitWidths | None:
        """The widths fitted to (text, width) pairs of numbers: a line through the median width of each
        count of digits, weighted by how many numbers have it, and a 1's edge from lone 1s beside other
        lone digits; None without two counts of digits to fit it to."""
        widths: dict[int, list[int]] = {}
        for text, width in readings:
            if text.isdigit():
                widths.setdefault(len(text), []).append(width)
        if len(widths) < 2:
            return None
        points = [(n, statistics.median(w), len(w)) for n, w in widths.items()]
        total = sum(k for _, _, k in points)
        mean_n = sum(n * k for n, _, k in points) / total
        mean_w = sum(w * k for _, w, k in points) / total
        spread = sum(k * (n - mean_n) ** 2 for n, _, k in points)
        step = sum(k * (n - mean_n) * (w - mean_w) for n, w, k in points) / spread
        if step <= 0:
            return None
        return cls(step, mean_w - step * mean_n, _one_edge(readings))

    def expected(self, text: str) -> float:
        """The width of a line that reads ``text``."""
        ones_at_ends = (text[:1] == "1") + (text[-1:] == "1")
        return self.base + self.step * len(text) - self.one_edge * ones_at_ends

    def short(self, reading: tuple[str, int]) -> bool:
        """Whether a number's line is wider than its text by clearly more than a digit's share."""
        text, width = reading
        return text.isdigit() and (width - self.expected(text)) / self.step > options().scan.digit_count_slack


def _one_edge(readings: Collection[tuple[str, int]]) -> float:
    """How much narrower a line is for a 1 at one of its ends: half what a lone 1's line lacks of other
    lone digits' (0 where the table has no lone 1 or no other lone digit)."""
    ones = [w for text, w in readings if text == "1"]
    others = [w for text, w in readings if len(text) == 1 and text.isdigit() and text != "1"]
    if not ones or not others:
        return 0.0
    return max(0.0, (statistics.median(others) - statistics.median(ones)) / 2)
