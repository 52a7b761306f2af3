"""What a printed label of tables 2, 3 and 4 is: a caption, a header, a column, a group or a row.

Labels arrive cut (``本年增/``), split over lines (``（四）无`` + ``法提供``), mistyped (``其他法律行政止公开``) or
glued into one run (``信息内容本年制发件数本年废止件数…``); every wording the schema accepts is matched here.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from functools import lru_cache

from ..lazyre import lazy_compile
from ..normalize import normalize_label
from ..schema import (
    T2_CAPTION_PREFIX,
    T2_COLUMNS,
    T2_HEADER_LABEL,
    T2_ROW_LABELS,
    T2_ROWS,
    T3_APPLICANT_HEADER,
    T3_CAPTION,
    T3_COLUMNS,
    T3_GROUPS,
    T3_LEGAL_PERSON_HEADERS,
    T3_ROWS,
    T4_COLUMNS,
    T4_GROUPS,
    T4_LITIGATION_HEADER,
    TABLE_SIGNATURES,
    Column,
    Edition,
)
from ..settings import options

MARKER_RE = lazy_compile(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d{1,2}\.)")


def body_of(norm: str) -> str:
    """A label without its item marker (``（三）``, ``1.``, ``四、``)."""
    return MARKER_RE.sub("", norm, count=1)


def matches_column(norm: str, column: Column) -> bool:
    return norm == normalize_label(column.label) or norm in (normalize_label(a) for a in column.aliases)


def is_cut_label(norm: str, label: str) -> bool:
    """``本年增/`` is a cut ``本年增/减``: a printed label that is a long enough start of the official one."""
    return len(norm) >= 2 and normalize_label(label).startswith(norm)


_T3_GROUP_KEYWORDS = {k: kws for k, (_, kws) in T3_GROUPS.items()}


_T3_HEADER_WORDS = ("勾稽关系", T3_APPLICANT_HEADER)
#: 2019's 规范性文件, which holds 规章's keyword but is not that row.
_T2_2019_DOCUMENTS = T2_ROW_LABELS["2019"]["normative_documents"]


@lru_cache(maxsize=4096)
def t3_classify(norm: str, group: str | None, header_done: bool) -> tuple[str, str | None]:
    """Classify a table-3 label: ("header"|"column"|"group"|"row"|"unknown", key)."""
    if not norm:
        return "unknown", None
    if any(w in norm for w in _T3_HEADER_WORDS) or norm in T3_LEGAL_PERSON_HEADERS:
        return "header", None
    if not header_done or not MARKER_RE.match(norm):
        column = _t3_column(norm, header_done)
        if column is not None:
            return "column", column
    if len(norm) > 60:
        return "unknown", None
    body = body_of(norm)
    for key, keywords in _T3_GROUP_KEYWORDS.items():
        if any(kw in body for kw in keywords) and len(body) <= len(T3_GROUPS[key][0]) + 4:
            return "group", key
    row_key = _pick_row(_t3_row_candidates(norm), group)
    if row_key is None:
        return _t3_near_miss(norm)
    if row_key == "other.other" and group != "other":
        return "unknown", None
    return "row", row_key


def _t3_near_miss(norm: str) -> tuple[str, str | None]:
    """A label one or two characters off an official one (``（三）不公开``, ``5.要水行政机关…``): what OCR and
    careless typing make of it. Taken only when one official label is clearly the nearest."""
    if not 5 <= len(norm) <= 50:
        return "unknown", None
    scored = [(0.0, "", ""), (0.0, "", "")]
    near = options().decoder.near_miss_ratio
    for label, kind, key in _T3_OFFICIAL:
        if abs(len(label) - len(norm)) > len(label) * 0.3:
            continue  # too long or too short to be this label with a character or two off
        matcher = difflib.SequenceMatcher(None, norm, label)
        if matcher.real_quick_ratio() >= near and matcher.quick_ratio() >= near:
            scored.append((matcher.ratio(), kind, key))
    scored.sort(reverse=True)
    best, second = scored[0], scored[1]
    if best[0] >= options().decoder.near_miss_ratio and best[0] - second[0] >= options().decoder.near_miss_margin:
        return best[1], best[2]
    return "unknown", None


def _t3_column(norm: str, header_done: bool) -> str | None:
    """A column header of table 3; below the header, 总计 and 其他 are rows, not columns."""
    for column in T3_COLUMNS:
        if matches_column(norm, column) and not (header_done and column.key in ("total", "other")):
            return column.key
    if not header_done:
        cut = [c.key for c in T3_COLUMNS if len(norm) >= 3 and is_cut_label(norm, c.label)]
        if len(cut) == 1:  # a header wrapped or cut short: 科研机 / 构
            return cut[0]
        near = [c.key for c in T3_COLUMNS if len(norm) >= 3 and _one_character_off(norm, normalize_label(c.label))]
        if len(near) == 1:  # a character misread by OCR: 白然人, 商业企北
            return near[0]
    return None


def _one_character_off(text: str, label: str) -> bool:
    """Whether ``text`` is ``label`` with one character replaced, dropped or added.

    >>> _one_character_off("白然人", "自然人"), _one_character_off("科机构", "科研机构")
    (True, True)
    >>> _one_character_off("自然", "自然人")
    True
    >>> _one_character_off("法人", "自然人"), _one_character_off("自然人", "自然人")
    (False, False)
    """
    if text == label or abs(len(text) - len(label)) > 1:
        return False
    short, long = sorted((text, label), key=len)
    start = next((n for n, (a, b) in enumerate(zip(short, long, strict=False)) if a != b), len(short))
    if len(short) == len(long):
        return short[start + 1:] == long[start + 1:]
    return short[start:] == long[start + 1:]


def _t3_row_candidates(norm: str) -> list:
    candidates = [
        row for row in T3_ROWS.values()
        if (row.keywords and any(kw in norm for kw in row.keywords))
        or (row.pattern and re.match(row.pattern, norm))
    ]
    candidates = [r for r in candidates if len(norm) <= len(normalize_label(r.label)) + 12]
    if not candidates and len(norm) >= 6:
        # A label cut where its line wrapped ("5.要求行政机关确认或重新出") is the start of the official one,
        # possibly after what a cell spanning the group's rows left on the same line (不予公开 2.其他法律行政法).
        marker = _ITEM_MARKER_RE.search(norm)
        start = norm[marker.start():] if marker and len(norm) - marker.start() >= 6 else norm
        candidates = [r for r in T3_ROWS.values() if r.key != "other_total"
                      and _T3_ROW_NORMS[r.key].startswith(start)]
    return candidates


#: The numeral of a row within its group: 1. to 8.
_ITEM_MARKER_RE = lazy_compile(r"[1-8][.．、]")


def _pick_row(candidates: list, group: str | None) -> str | None:
    if not candidates:
        return None
    in_group = [r for r in candidates if r.group == group]
    return (in_group or candidates)[0].key


_T3_ROW_NORMS = {r.key: normalize_label(r.label) for r in T3_ROWS.values()}
#: Official row and group labels of table 3, for labels that miss them by a character or two.
_T3_OFFICIAL: tuple[tuple[str, str, str], ...] = (
    *((norm, "row", key) for key, norm in _T3_ROW_NORMS.items() if key != "other_total"),
    *((normalize_label(label), "group", key) for key, (label, _) in T3_GROUPS.items()),
)



_CAPTION_RE = lazy_compile(r"第二十条第?（?([一二三四五六七八九十]+)）?项?")


@lru_cache(maxsize=2048)
def t2_column(norm: str) -> tuple[Edition, str] | None:
    """Recognise a table-2 column header, exactly, by a distinctive word, or as a cut-off label."""
    for edition in ("2021", "2019"):
        for column in T2_COLUMNS[edition].values():
            if matches_column(norm, column):
                return edition, column.key
    for edition in ("2021", "2019"):
        for column in T2_COLUMNS[edition].values():  # type: ignore[index]
            if any(normalize_label(a) in norm for a in column.aliases) and len(norm) <= len(column.label) + 8:
                return edition, column.key  # type: ignore[return-value]
    for edition in ("2021", "2019"):
        for column in T2_COLUMNS[edition].values():  # type: ignore[index]
            if is_cut_label(norm, column.label):
                return edition, column.key  # type: ignore[return-value]
    return None


def t2_edition_signal(norm: str, edition: Edition, key: str) -> bool:
    """Whether a column header recognised as ``edition``'s ``key`` tells the editions apart. A column both
    editions have, one label inside the other (处理决定数量 in 本年处理决定数量), is a sign only as the
    longer label in full: its tail alone is also the longer label cut where it wrapped, or misread at
    its start (体年处理决定数量)."""
    other = "2019" if edition == "2021" else "2021"
    twin = T2_COLUMNS[other].get(key)  # type: ignore[index]
    if twin is None:
        return True
    mine, theirs = normalize_label(T2_COLUMNS[edition][key].label), normalize_label(twin.label)
    if mine not in theirs and theirs not in mine:
        return True
    return norm == max(mine, theirs, key=len)


@lru_cache(maxsize=2048)
def is_garbled_label(norm: str, table: int) -> bool:
    """A label of a table that holds words no label of it holds, nor a piece of one (a label cut where it
    wrapped), yet looks like one of its labels: ``体年制发件数`` for 本年制发件数, ``行政强凤`` for 行政强制,
    the ``体年`` of ``体年处理决定数量``."""
    unknown = any(sum("\u4e00" <= ch <= "\u9fff" for ch in piece) >= 2
                  and not any(piece in label for label in _DICTIONARIES[table])
                  for piece in segment(norm, table))
    # A misread label still looks like one; a page's running title or the agency's name does not.
    least = options().decoder.garbled_label_likeness
    return unknown and any(difflib.SequenceMatcher(None, norm, label).ratio() >= least
                           for label in _DICTIONARIES[table])


@lru_cache(maxsize=4096)
def t2_classify(norm: str) -> tuple[str, object]:
    if not norm:
        return "unknown", None
    if norm.startswith(T2_CAPTION_PREFIX):
        m = _CAPTION_RE.search(norm)
        return "caption", (m.group(1) if m else None)
    if norm == T2_HEADER_LABEL:
        return "header", None
    column = t2_column(norm)
    if column is not None:
        return "column", column
    body = body_of(norm)
    for row in T2_ROWS.values():
        if any(kw in body for kw in row.keywords) and len(body) <= len(row.label) + 6:
            if row.key == "regulations" and _T2_2019_DOCUMENTS in body:
                continue
            return "row", row.key
    if len(body) >= 4:  # a label cut where its line wrapped: 行政规范性文 / 件
        cut = [r.key for r in T2_ROWS.values() if normalize_label(r.label).startswith(body)]
        if len(cut) == 1:
            return "row", cut[0]
    return "unknown", None


def _dictionary(table: int) -> tuple[str, ...]:
    """Every printed label of a table, normalised, longest first: the words glued label runs are cut into."""
    words: set[str] = set()
    if table == 2:
        words |= {f"第二十条第（{n}）项" for n in "一二三四五六七八九十"} | {T2_HEADER_LABEL}
        words |= {c.label for e in T2_COLUMNS.values() for c in e.values()}
        words |= {r.label for r in T2_ROWS.values()} | {_T2_2019_DOCUMENTS}
    elif table == 3:
        words |= {T3_CAPTION, T3_APPLICANT_HEADER, *T3_LEGAL_PERSON_HEADERS}
        words |= {c.label for c in T3_COLUMNS} | {label for label, _ in T3_GROUPS.values()}
        words |= {r.label for r in T3_ROWS.values()}
    normalized = {normalize_label(w) for w in words}
    return tuple(sorted(normalized, key=len, reverse=True))


_DICTIONARIES = {n: _dictionary(n) for n in (2, 3)}


@lru_cache(maxsize=2048)
def segment(norm: str, table: int) -> tuple[str, ...]:
    """A run of labels printed without separators, cut into the table's labels (unknown text kept whole)."""
    words = _DICTIONARIES[table]
    out: list[str] = []
    unknown = ""
    i = 0
    while i < len(norm):
        word = next((w for w in words if norm.startswith(w, i)), None)
        if word is None:
            unknown += norm[i]
            i += 1
            continue
        if unknown:
            out.append(unknown)
            unknown = ""
        out.append(word)
        i += len(word)
    if unknown:
        out.append(unknown)
    return tuple(out)


def table_kind(texts: Iterable[str]) -> int | None:
    """Which statistical table (2, 3, 4) a grid holds, judged by the labels in it; None for others."""
    joined = "".join(normalize_label(t) for t in texts)
    scores = {n: sum(1 for w in words if w in joined) for n, words in TABLE_SIGNATURES.items()}
    best = max(scores, key=lambda n: scores[n])
    return best if scores[best] >= 2 else None


def signature_of(norm: str) -> int | None:
    """The table a single short label belongs to, for finding where a flattened table starts."""
    if len(norm) > 40:
        return None
    for number, words in TABLE_SIGNATURES.items():
        if any(w in norm for w in words):
            return number
    if norm in (T4_GROUPS[0][1], T4_LITIGATION_HEADER):
        return 4
    return None


def classify_label(table: int, text: str, group: str | None = None, *, in_header: bool = False
                   ) -> tuple[str, str | None]:
    """What a printed label of table 2, 3 or 4 is: ``("row", key)``, ``("column", key)``, … or unknown.

    >>> classify_label(3, "2．其他法律行政止公开")
    ('row', 'denied.law_prohibited')
    >>> classify_label(2, "本年增/")
    ('column', 'change')

    ``group`` is the table-3 group the label stands under (``"other"`` for ``3.其他``); ``in_header``
    says the label is in the header rows, where ``其他`` and ``总计`` are columns rather than rows.
    """
    norm = normalize_label(text)
    if table == 3:
        return t3_classify(norm, group, not in_header)
    if table == 2:
        kind, key = t2_classify(norm)
        return kind, (key[1] if isinstance(key, tuple) else key)  # type: ignore[return-value]
    for column in T4_COLUMNS:
        if matches_column(norm, column):
            return "column", column.key
    for group_key, label in T4_GROUPS:
        if norm == normalize_label(label):
            return "group", group_key
    return "unknown", None
