"""The unit the table decoder walks: one cell, or one line of a table flattened into text."""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from ..assign import Piece
from ..lazyre import lazy_compile
from ..model import Source
from ..normalize import ParsedNumber, clean_text, normalize_label, parse_number
from .labels import segment


@attrs.define(slots=True, eq=False, repr=False)
class Token:
    """One cell (or one line of a flattened table) with its normalised text and parsed number."""

    text: str
    norm: str
    number: ParsedNumber
    #: (line, page, table, row, column) of the source; a :class:`Source` is built only for cells kept.
    where: tuple[int | None, int | None, int | None, int | None, int | None]
    #: Index of the grid row (or text line) the token came from, to group values by row.
    row: int
    col: int | None = None
    colspan: int = 1
    #: True when ``col`` is a real grid column (HTML/DOCX/PDF), not just a position in a text row.
    exact: bool = False
    #: True when the text touched a label with no separator: a digit run that may be several numbers.
    glued: bool = False
    #: How sure a recogniser was of the text, for cells read from a scan (None: printed text).
    confidence: float | None = None
    #: A number one space from the next in a laid-out line: the two may be one number.
    may_join: bool = False

    @classmethod
    def of(cls, text: str, where: tuple[int | None, int | None, int | None, int | None, int | None], row: int,
           col: int | None = None, colspan: int = 1, exact: bool = False, glued: bool = False,
           may_join: bool = False) -> Token:
        return cls(text, normalize_label(text), parse_number(text), where, row, col, colspan, exact, glued,
                   may_join=may_join)

    def piece(self, joins_next: bool = False) -> Piece:
        """This value as the assignment step sees it."""
        text = clean_text(self.text)
        digits = text.lstrip("+-").isdigit() and len(text.lstrip("+-")) > 1
        return Piece(text, splittable=digits and (self.glued or text[0] == "0"),
                     optional=self.number.kind == "blank", joins_next=joins_next)

    @property
    def source(self) -> Source:
        return Source(*self.where)

    @property
    def is_value(self) -> bool:
        return self.number.is_value_like

    def joined(self, other: Token) -> Token:
        return Token.of(self.text + other.text, self.where, self.row, self.col, self.colspan, self.exact)


def expand_glued_labels(tokens: Sequence[Token], table: int, classify) -> list[Token]:
    """Text tokens that hold several labels glued together become one token per label.

    A run is cut when it is made of the table's labels alone, or when it holds at least two of them and
    is unrecognised as a whole or made mostly of them.
    """
    out: list[Token] = []
    for token in tokens:
        if token.is_value or len(token.norm) < 6:
            out.append(token)
            continue
        whole = classify(token.norm)[0]
        if token.exact and whole != "unknown":
            out.append(token)
            continue
        parts = segment(token.norm, table)
        kinds = [classify(p)[0] for p in parts]
        known = [p for p, kind in zip(parts, kinds, strict=True) if kind != "unknown"]
        if token.exact and not (len(parts) >= 2 and len(known) == len(parts)):
            # A grid cell is one label unless it is nothing but labels and none as a whole: two header
            # cells a scan's missing border ran together (自然人法人或其他组织). Each keeps the cell's place.
            out.append(token)
            continue
        # A caption is a prefix of the text it heads, so a caption glued to its header still counts
        # as unrecognised as a whole when most of it is other labels. A row label cut short after what
        # a spanning cell left (不予公开 2.其他法律行政法) is a row as a whole and none in its parts.
        mostly_known = 2 * sum(map(len, known)) > len(token.norm) and not (whole == "row" and "row" not in kinds)
        whole_unknown = whole == "unknown" or mostly_known
        if len(parts) < 2 or not (len(known) == len(parts) or (whole_unknown and len(known) >= 2)):
            out.append(token)
            continue
        out += [Token.of(p, token.where, token.row, token.col, token.colspan, token.exact) for p in parts]
    return out


def merge_split_label(tokens: Sequence[Token], i: int, classify) -> tuple[Token, int]:
    """Join an unrecognised label with the next one or two non-value tokens when that makes a label.

    PDF and text dumps break labels: ``（四）无`` + ``法提供``, ``商业`` + ``企业``.
    """
    token = tokens[i]
    joined = token
    taken = 0
    for j in range(i + 1, min(i + 6, len(tokens))):
        nxt = tokens[j]
        if nxt.number.kind == "blank" and nxt.col is None:
            continue  # an empty line between the two halves of a label
        if (nxt.is_value and nxt.number.kind != "invalid") or taken == 2:
            break
        taken += 1
        # In a grid, a label broken over two rows stays in one column (a page break inside 无法提供);
        # a grid cell that is a label by itself is no one's second half.
        if nxt.col is not None and nxt.exact and (
                (nxt.row != token.row and nxt.col != token.col) or classify(nxt.norm)[0] in ("row", "group")):
            break
        joined = joined.joined(nxt)
        if classify(joined.norm)[0] != "unknown":
            return joined, j
    return token, i


def walk_labels(tokens: Sequence[Token], classify, on_value, on_label) -> None:
    """Walk a table's tokens: values go to ``on_value``; labels, joined with their second half where
    they were split, go to ``on_label`` with what ``classify`` makes of them."""
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.is_value:
            on_value(token)
            i += 1
            continue
        kind, key = classify(token.norm)
        if kind == "unknown":
            token, i = merge_split_label(tokens, i, classify)
            kind, key = classify(token.norm)
        elif kind in ("row", "group"):
            token, i = _with_label_tail(tokens, i, classify, (kind, key))
        i += 1
        on_label(token, kind, key)


def _with_label_tail(tokens: Sequence[Token], i: int, classify, label: tuple[str, object]) -> tuple[Token, int]:
    """A row label with the rest of its words, where a text table cut them into the next cell
    (``（六）其他 | 处理 | 4 | …``): a piece of text in the same row, no label by itself, with which the label
    still names the same row. Otherwise the piece would stand in the row's first value cell."""
    token = tokens[i]
    while i + 1 < len(tokens):
        nxt = tokens[i + 1]
        if token.exact or nxt.row != token.row or nxt.number.kind != "invalid" or _HAS_DIGIT_RE.search(nxt.text) \
                or classify(nxt.norm)[0] != "unknown":
            break
        joined = token.joined(nxt)
        if classify(joined.norm) != label:
            break
        token, i = joined, i + 1
    return token, i


_HAS_DIGIT_RE = lazy_compile(r"\d")


def value_runs(tokens: Sequence[Token]) -> dict[int, int]:
    """For each value token (by identity), the run of values it was printed in: a run ends where text
    that is no value stands between two values."""
    runs: dict[int, int] = {}
    run = 0
    for token in tokens:
        if token.is_value:
            runs[id(token)] = run
        elif token.norm:
            run += 1
    return runs
