"""Figures a report's overview states for table 2's first block (制发行政规范性文件9件，现行有效253件).

Many overviews restate the counts of 规章 and 行政规范性文件 in a sentence. Two parts of govreport use what
they say: the table decoder, where a row's digits run together in the text (``行政规范性文件97253``) and
only such a sentence tells 9 / 7 / 253 from 9 / 72 / 53, and the T2-TXT check, which compares the sentence
with the table.

A sentence is read clause by clause (``，`` and ``：`` part clauses, ``。`` and ``；`` end a sentence). A
clause that names one row and one column's verb and holds one count in 件 states that cell; a clause that
names only the row or only the verb takes the other from the clause before it in the same sentence
(``制定规范性文件15件，废止6件``). A clause naming two rows, or two columns, or starting with 其中 (a
part of the figure before) states nothing, nor does one that names neither (``其他文件162件``), and
each ends what the clauses before it carried. A cell stated with two different counts is left out.

>>> figures = table2_figures("2025年，制发行政规范性文件9件，按程序确认废止文件7件，现行有效行政规范性文件共253件。")
>>> [(key, figure.value) for key, figure in figures.items() if key != "normative_documents.newly_made"]
[('normative_documents.issued', '9'), ('normative_documents.repealed', '7'), ('normative_documents.in_force', '253')]
>>> figures["normative_documents.newly_made"].value  # 制发 is also the 2019 edition's 本年新制作
'9'
"""

from __future__ import annotations

import attrs

from .fieldrepr import FieldRepr
from .lazyre import lazy_compile
from .schema import T2_STATED_COLUMNS, T2_STATED_COUNT, T2_STATED_ROWS

_SENTENCE = lazy_compile(r"[。；;！!？?\n]")
_CLAUSE = lazy_compile(r"[，,：:]")
_COUNT = lazy_compile(T2_STATED_COUNT)
_ROWS = tuple((key, lazy_compile(pattern)) for key, pattern in T2_STATED_ROWS.items())
_ANY_ROW = lazy_compile("|".join(T2_STATED_ROWS.values()))
_COLUMNS = tuple((lazy_compile(pattern), keys) for pattern, keys in T2_STATED_COLUMNS)


@attrs.frozen(repr=False)
class StatedFigure(FieldRepr):
    """A count the text states for a table-2 cell, with the clause that states it."""

    #: The cell's key in table 2 (``normative_documents.issued``); a verb of both editions gives one key
    #: per edition (``normative_documents.newly_made`` as well).
    key: str
    value: str
    quote: str


def table2_figures(text: str | None) -> dict[str, StatedFigure]:
    """The table-2 cells the text states a count for, each with the one count it states."""
    found: dict[str, list[StatedFigure]] = {}
    for sentence in _SENTENCE.split(text or ""):
        if "件" not in sentence or not _ANY_ROW.search(sentence):
            continue  # most sentences: no count of documents (a quick test, the clauses cost more)
        for figure in _sentence_figures(sentence):
            found.setdefault(figure.key, []).append(figure)
    return {key: figures[0] for key, figures in found.items() if len({f.value for f in figures}) == 1}


def _sentence_figures(sentence: str) -> list[StatedFigure]:
    out: list[StatedFigure] = []
    row: str | None = None
    columns: tuple[str, ...] | None = None
    for clause in _CLAUSE.split(sentence):
        rows = {key for key, pattern in _ROWS if pattern.search(clause)}
        verbs = {keys for pattern, keys in _COLUMNS if pattern.search(clause)}
        if len(rows) > 1 or len(verbs) > 1 or clause.lstrip().startswith("其中"):
            row = columns = None  # what follows may be about either: nothing is carried over
            continue
        counts = _COUNT.findall(clause)
        if not rows and not verbs:
            if counts:
                row = columns = None  # a count of something else (其他文件162件): the list moved on
            continue
        row = next(iter(rows)) if rows else row
        columns = next(iter(verbs)) if verbs else columns
        if row is None or columns is None or len(counts) != 1:
            continue
        out += [StatedFigure(f"{row}.{column}", counts[0], clause.strip()) for column in columns]
    return out
