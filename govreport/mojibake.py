"""Text that was decoded with the wrong codec once already, before govreport saw it (乱码), put right.

A crawler that takes a page without a declared charset for ISO-8859-1 or Windows-1252 (the HTTP default
that ``requests`` applies) and saves what it decoded as UTF-8 turns every byte of the Chinese text into a
Latin letter or sign: ``å¹´`` for 年, ``Ä¿`` for GBK's 目. Nothing of the report is lost — each
character stands for one byte of the original — so the bytes are recovered and decoded as what they were.

Taken only when the text has almost no Chinese, a good share of such letters, and the bytes they stand for
are valid UTF-8 or GB18030 that reads as Chinese: a report in Chinese with a few accented names is left
alone.

>>> repaired("å¹´åº¦æŠ¥å‘Š " * 3)
('年度报告 年度报告 年度报告 ', 'utf-8')
>>> repaired("Café au lait") is None
True
"""

from __future__ import annotations

from functools import cache

from .lazyre import lazy_compile
from .model import Finding

#: The share of a text's non-ASCII characters that must be Latin-1 or Windows-1252 letters and signs for
#: it to be taken for mojibake, and the share of the repaired text's non-ASCII characters that must be
#: Chinese for the repair to stand.
_LATIN_SHARE = 0.9
_CHINESE_SHARE = 0.6
#: Mojibake is a text in Chinese; a handful of accented letters is not worth looking at.
_LEAST_LATIN = 20
#: Characters of a text's head looked at to tell mojibake (a page's head may be all markup).
_HEAD = 20000
#: Characters every report has many of, and mojibake none.
_COMMON_WORDS = "年的政府信息公开"
_NON_ASCII_RE = lazy_compile(r"([^\x00-\x7f]+)")


def unmangled(text: str, notes: list[Finding]) -> tuple[str, list[Finding]]:
    """The text, put right where it is mojibake, and ``notes`` with a finding saying so."""
    fixed = repaired(text)
    if fixed is None:
        return text, notes
    sample = _NON_ASCII_RE.search(text)
    shown = sample.group(0)[:9] if sample else ""
    return fixed[0], [*notes, Finding(
        "PARSE-ENCODING", "warning",
        f"文字曾被按 Latin-1 误解码（乱码，如“{shown}”），已按 {fixed[1].upper()} 还原；请核对原件。")]


def repaired(text: str) -> tuple[str, str] | None:
    """The text and the codec its bytes were in, where ``text`` is those bytes decoded as Latin-1 or
    Windows-1252; None when it is not such text."""
    # The head of the text tells: mojibake runs through all of it, and a report is mostly Chinese.
    head = text[:_HEAD]
    if any(ch in head for ch in _COMMON_WORDS):
        return None  # Chinese as it should be: the quick answer for nearly every text
    foreign = "".join(_NON_ASCII_RE.findall(head))[:_HEAD // 10]
    if len(foreign) < _LEAST_LATIN or sum(_is_chinese(ch) for ch in foreign) > 0.01 * len(foreign):
        return None
    if sum(_as_byte(ch) is not None for ch in foreign) < _LATIN_SHARE * len(foreign):
        return None
    for codec, decode in (("utf-8", _utf8_runs), ("gb18030", _gb18030)):
        decoded = decode(text)
        if decoded is None:
            continue
        wide = [ch for ch in decoded if ord(ch) > 0x7F]
        if wide and sum(_is_chinese(ch) for ch in wide) >= _CHINESE_SHARE * len(wide):
            return decoded, codec
    return None


def _utf8_runs(text: str) -> str | None:
    """Each run of non-ASCII characters decoded as the UTF-8 bytes it stands for; a run that is no UTF-8
    (a real no-break space among the mojibake) kept as it is. None when most of the text is kept."""
    out: list[str] = []
    kept = 0
    for run in _NON_ASCII_RE.split(text):
        data = bytes(b for b in map(_as_byte, run) if b is not None) if run and ord(run[0]) > 0x7F else None
        try:
            out.append(data.decode("utf-8") if data is not None else run)
        except UnicodeDecodeError:
            out.append(run)
            kept += len(run)
    return "".join(out) if kept * 10 < len(text) else None


def _gb18030(text: str) -> str | None:
    """The text as the GB18030 bytes it stands for (a double-byte character may end in an ASCII byte, so
    it is decoded whole)."""
    try:
        return bytes(b for b in map(_as_byte, text) if b is not None).decode("gb18030")
    except UnicodeDecodeError:
        return None


def _is_chinese(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3000" <= ch <= "\u303f" or "\uff00" <= ch <= "\uffef"


def _as_byte(ch: str) -> int | None:
    """The byte a character stands for in Latin-1 or Windows-1252, or None."""
    code = ord(ch)
    if code < 0x100:
        return code
    return _cp1252().get(ch)


@cache
def _cp1252() -> dict[str, int]:
    """Windows-1252's signs in 0x80–0x9F, where Latin-1 has control codes (built when first needed: most
    runs never meet mojibake)."""
    return {bytes([b]).decode("cp1252"): b for b in range(0x80, 0xA0) if b not in (0x81, 0x8D, 0x8F, 0x90, 0x9D)}
