"""Label normalisation and number parsing (FORMAT.md §11).

Both work on the text exactly as printed; callers keep the original for provenance.

>>> normalize_label("（三）不予公开 ")
'（三）不予公开'
>>> normalize_label("第二十条第(一)项")
'第二十条第（一）项'
>>> parse_number("1,234").value
1234
>>> parse_number("251000元").unit
'元'
"""

from __future__ import annotations

import unicodedata
from decimal import Decimal, InvalidOperation
from functools import cache, lru_cache
from typing import Literal

import attrs

from .fieldrepr import FieldRepr
from .lazyre import lazy_compile

#: Every character that real reports use as white space, including ideographic and no-break spaces.
_SPACE_RE = lazy_compile(r"[\s\u00a0\u3000\u200b\u200c\u200d\ufeff]+")
_QUOTES = str.maketrans("", "", "“”‘’\"'「」『』〝〞")
_BRACKETS = str.maketrans({"(": "（", ")": "）", "[": "【", "]": "】"})
# An item marker "1、" or "1．" is written "1." once NFKC has run.
_ITEM_MARKER_RE = lazy_compile(r"^(\d{1,2})[、，,．]")


def squash_space(text: str) -> str:
    """Remove every kind of white space, line breaks included."""
    return _SPACE_RE.sub("", text)


@lru_cache(maxsize=8192)
def normalize_label(text: str) -> str:
    """Canonical form of a table label or heading, for matching only.

    NFKC (full-width letters and digits to half-width), all white space and line breaks removed,
    quotes dropped, brackets full-width, item markers ``1、``/``1．`` written ``1.``.
    """
    text = unicodedata.normalize("NFKC", text)
    text = squash_space(text).translate(_QUOTES).translate(_BRACKETS)
    return _ITEM_MARKER_RE.sub(r"\1.", text)


# The two non-characters are taken out by replace: in the class they would make Python compile it as a
# table of the whole Unicode range (~0.6 ms at every start).
_CONTROL_RE = lazy_compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def xml_safe(text: str) -> str:
    """Text without the control characters XML (and so DOCX and XLSX) cannot hold; none of them prints.

    >>> xml_safe("表\x07三\ufffe 12")
    '表三 12'
    """
    return _CONTROL_RE.sub("", text).replace("\ufffe", "").replace("\uffff", "")


def clean_text(text: str) -> str:
    """Trim a paragraph: outer white space (ideographic too) off, inner runs kept."""
    return text.strip(" \t\r\n\u00a0\u3000\ufeff\u200b")


CellKind = Literal["number", "blank", "dash", "slash", "none_word", "invalid"]

_DASHES = frozenset("-—–－─━‐‑‒―_~～")
_NUMBER_RE = lazy_compile(
    r"^(?P<sign>[+\-]|增加|减少|增|减)?"
    r"(?P<int>\d{1,3}(?:,\d{3})+|\d+)"
    r"(?:\.(?P<frac>\d+))?"
    r"(?P<unit>万元|元|件|个|项|条|次|人次|人|家|份)?$"
)


@attrs.frozen(repr=False)
class ParsedNumber(FieldRepr):
    """What a table cell's text says: a value, or why it has none."""

    value: int | Decimal | None
    kind: CellKind
    unit: str | None = None

    @property
    def is_value_like(self) -> bool:
        """True for anything a data cell may hold (numbers, blanks, dashes, 无)."""
        return self.kind != "invalid"


#: Digits a number may have: more than any glued row of a table (7 cells) could hold, less than what
#: Python's int() and spreadsheet programs accept.
MAX_DIGITS = 300


_DIGITS_ON_TWO_LINES_RE = lazy_compile(r"\d[ \t]*\n\s*\d")


@lru_cache(maxsize=8192)
def parse_number(raw: str) -> ParsedNumber:
    """Parse the text of a data cell.

    ``""`` and white space are blank; dashes and ``/`` carry no value; ``无`` is 0; ``12``, ``1,234``,
    ``１２`` are ints; ``7730.28`` is a Decimal; ``+1036``, ``-3``, ``增加2``, ``减少1`` are signed;
    a unit written in the cell (``251000元``, ``0件``) is returned in ``unit``. Anything else is
    ``invalid`` and has no value.
    """
    if _DIGITS_ON_TWO_LINES_RE.search(raw):
        # Two lines of digits in one cell: two values whose rule between them was lost (a row boundary
        # not drawn or not found), or one number wrapped; nothing says which, so it is no reading.
        return ParsedNumber(None, "invalid")
    text = squash_space(unicodedata.normalize("NFKC", raw))
    if not text:
        return ParsedNumber(None, "blank")
    if all(ch in _DASHES for ch in text):
        return ParsedNumber(None, "dash")
    if text in ("/", "\\", "//"):
        return ParsedNumber(None, "slash")
    if text in ("无", "没有", "暂无"):
        return ParsedNumber(0, "none_word")
    match = _NUMBER_RE.match(text)
    if match is None:
        return ParsedNumber(None, "invalid")
    digits = match["int"].replace(",", "")
    if len(digits) > MAX_DIGITS:
        return ParsedNumber(None, "invalid")  # no count or amount is that long; int() would refuse it
    sign = match["sign"] or ""
    negative = sign in ("-", "减少", "减")
    frac = match["frac"]
    value: int | Decimal
    if frac is None:
        value = -int(digits) if negative else int(digits)
    else:
        try:
            value = Decimal(f"{'-' if negative else ''}{digits}.{frac}")
        except InvalidOperation:  # pragma: no cover - the regex admits only digits
            return ParsedNumber(None, "invalid")
    return ParsedNumber(value, "number", match["unit"])


def render_number(value: int | Decimal, *, signed: bool = False) -> str:
    """The plain text of a value as a report prints it (``+3`` for signed changes)."""
    text = str(value)
    if signed and value > 0:
        return "+" + text
    return text


CN_NUMERALS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}


def display_width(text: str) -> int:
    """Columns a text takes in a spreadsheet or a terminal: CJK and full-width characters count double.

    >>> display_width("表三 total 12")
    13
    """
    if text.isascii():  # numbers and keys: most cells of a workbook
        return len(text)
    # A report's text repeats a few thousand characters: each is looked up once (a batch's workbook
    # measures millions of them, and a lookup per character was a sixth of writing it).
    return len(text) + sum(map(_is_wide, text))


@cache
def _is_wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in "WF"
