"""Place the numbers of tables 2, 3 and 4 by their row and column labels.

Every reader's table ends up here as a stream of :class:`Token` s in reading order: the cells of a grid
row by row, or the lines of a text dump where a table was flattened to one cell per line. The parsers
walk the stream, recognise captions, header labels and row labels (tolerating cut, split and mistyped
labels), and give each row label the value cells that follow it. Values are matched to the columns the
header names; where the count of values and columns disagrees and the grid cannot settle it, the cells
stay empty and a finding says why — a wrong number is worse than none.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from functools import lru_cache
from typing import cast

import attrs

from .assign import Choice, Piece, Reading, choose, readings
from .model import Cell, Finding, Source, Table
from .normalize import ParsedNumber, clean_text, normalize_label, parse_number
from .schema import (
    T2_CAPTION_PREFIX,
    T2_COLUMNS,
    T2_HEADER_LABEL,
    T2_LAYOUT,
    T2_ROWS,
    T3_CAPTION,
    T3_COLUMN_KEYS,
    T3_COLUMNS,
    T3_GROUPS,
    T3_ROW_KEYS,
    T3_ROWS,
    T4_COLUMNS,
    T4_GROUPS,
    T4_KEYS,
    T4_SUM_RULES,
    Column,
    Edition,
    label_of,
    t2_keys,
    t3_sum_rules,
)
from .settings import DECODER


@attrs.define(slots=True)
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

    @classmethod
    def of(cls, text: str, where: tuple[int | None, int | None, int | None, int | None, int | None], row: int,
           col: int | None = None, colspan: int = 1, exact: bool = False, glued: bool = False) -> Token:
        return cls(text, normalize_label(text), parse_number(text), where, row, col, colspan, exact, glued)

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


_MARKER_RE = re.compile(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d{1,2}\.)")


def _body(norm: str) -> str:
    """A label without its item marker (``（三）``, ``1.``, ``四、``)."""
    return _MARKER_RE.sub("", norm, count=1)


def _matches_column(norm: str, column: Column) -> bool:
    return norm == normalize_label(column.label) or norm in (normalize_label(a) for a in column.aliases)


def _prefix_of(norm: str, label: str) -> bool:
    """``本年增/`` is a cut ``本年增/减``: a printed label that is a long enough start of the official one."""
    return len(norm) >= 2 and normalize_label(label).startswith(norm)


# --- Labels glued together ---------------------------------------------------------------------

def _dictionary(table: int) -> tuple[str, ...]:
    """Every printed label of a table, normalised, longest first: the words glued label runs are cut into."""
    words: set[str] = set()
    if table == 2:
        words |= {f"第二十条第（{n}）项" for n in "一二三四五六七八九十"} | {T2_HEADER_LABEL}
        words |= {c.label for e in T2_COLUMNS.values() for c in e.values()}
        words |= {r.label for r in T2_ROWS.values()} | {"规范性文件"}
    elif table == 3:
        words |= {T3_CAPTION, "申请人情况", "法人或其他组织", "法人或者其他组织"}
        words |= {c.label for c in T3_COLUMNS} | {label for label, _ in T3_GROUPS.values()}
        words |= {r.label for r in T3_ROWS.values()}
    normalized = {normalize_label(w) for w in words}
    return tuple(sorted(normalized, key=len, reverse=True))


_DICTIONARIES = {n: _dictionary(n) for n in (2, 3)}


@lru_cache(maxsize=2048)
def _segment(norm: str, table: int) -> tuple[str, ...]:
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


def _expand_glued_labels(tokens: Sequence[Token], table: int, classify) -> list[Token]:
    """Text tokens that hold several labels glued together become one token per label.

    A run is cut when it is made of the table's labels alone, or when it is unrecognised as a whole and
    holds at least two of them.
    """
    out: list[Token] = []
    for token in tokens:
        if token.exact or token.is_value or len(token.norm) < 6:
            out.append(token)
            continue
        parts = _segment(token.norm, table)
        known = sum(1 for p in parts if classify(p)[0] != "unknown")
        whole_unknown = classify(token.norm)[0] == "unknown"
        if len(parts) < 2 or not (known == len(parts) or (whole_unknown and known >= 2)):
            out.append(token)
            continue
        out += [Token.of(p, token.where, token.row, token.col, token.colspan, token.exact) for p in parts]
    return out


# --- Findings helper -----------------------------------------------------------------------------

def _finding(rule: str, message: str, keys: Iterable[str] = ()) -> Finding:
    return Finding(rule, "warning", message, tuple(keys))


def _cell_from(token: Token, column: Column, findings: list[Finding], flat_key: str) -> Cell:
    """Turn a value token into a typed cell for ``column``; doubtful text becomes an empty cell.

    ``raw`` is the printed text without the padding around it (spaces, ``&nbsp;``), which no reader of the
    report sees and no format keeps alike.
    """
    parsed = token.number
    raw = clean_text(token.text)
    value = parsed.value
    if parsed.kind == "invalid":
        findings.append(_finding(
            "PARSE-CELL", f"{label_of(flat_key)}：无法识别的内容“{raw}”，按空白处理"
                          f"（{token.source.describe()}）。", [flat_key]))
        return Cell(None, raw, "invalid", None, token.source)
    unit = parsed.unit
    if value is not None:
        if column.type in ("int", "signed_int"):
            if isinstance(value, Decimal):
                if value != value.to_integral_value():
                    findings.append(_finding(
                        "PARSE-CELL", f"{label_of(flat_key)}：“{raw}”不是整数，按空白处理。",
                        [flat_key]))
                    return Cell(None, raw, "invalid", unit, token.source)
                value = int(value)
            if unit in ("元", "万元"):
                findings.append(_finding(
                    "PARSE-CELL", f"{label_of(flat_key)}：计数栏中出现金额单位“{unit}”，按空白处理。", [flat_key]))
                return Cell(None, raw, "invalid", unit, token.source)
        else:
            value = Decimal(value)
            if column.unit == "万元" and unit == "元":
                findings.append(_finding(
                    "T2-UNIT", f"{label_of(flat_key)}：单元格写作“{raw}”（元），"
                               f"已按表头单位换算为万元。", [flat_key]))
                value = value / Decimal(10000)
    return Cell(value, raw, parsed.kind, unit, token.source)


def _fit_values(values: list[Token], width: int) -> list[Token] | None:
    """Drop empty cells left by merged columns until the row has ``width`` values; None if it cannot."""
    values = list(values)
    while len(values) > width and values[-1].number.kind == "blank":
        values.pop()
    while len(values) > width and values[0].number.kind == "blank":
        values.pop(0)
    return values if len(values) == width else None


def _place_by_grid(values: list[Token], header: Sequence[tuple[str, Token]]) -> dict[str, Token] | None:
    """Match value cells to header cells by the grid columns they cover (exact geometry only)."""
    if not values or not header or not all(v.exact and v.col is not None for v in values):
        return None
    placed: dict[str, Token] = {}
    for key, head in header:
        if head.col is None or not head.exact:
            return None
        span = range(head.col, head.col + head.colspan)
        inside = [v for v in values if v.col in span]
        if len(inside) > 1:
            return None
        if inside:
            placed[key] = inside[0]
    return placed or None


# --- Table 3 -------------------------------------------------------------------------------------

_T3_GROUP_KEYWORDS = {k: kws for k, (_, kws) in T3_GROUPS.items()}
_T3_HEADER_WORDS = ("勾稽关系", "申请人情况")
_T3_GROUP_HEADERS = ("法人或其他组织", "法人或者其他组织")


@lru_cache(maxsize=4096)
def _t3_classify(norm: str, group: str | None, header_done: bool) -> tuple[str, str | None]:
    """Classify a table-3 label: ("header"|"column"|"group"|"row"|"unknown", key)."""
    if not norm:
        return "unknown", None
    if any(w in norm for w in _T3_HEADER_WORDS) or norm in _T3_GROUP_HEADERS:
        return "header", None
    if not header_done or not _MARKER_RE.match(norm):
        for column in T3_COLUMNS:
            if _matches_column(norm, column) and not (header_done and column.key in ("total", "other")):
                return "column", column.key
        if not header_done:
            cut = [c.key for c in T3_COLUMNS if len(norm) >= 3 and _prefix_of(norm, c.label)]
            if len(cut) == 1:  # a header wrapped or cut short: 科研机 / 构
                return "column", cut[0]
    body = _body(norm)
    if len(norm) > 60:
        return "unknown", None
    for key, keywords in _T3_GROUP_KEYWORDS.items():
        if any(kw in body for kw in keywords) and len(body) <= len(T3_GROUPS[key][0]) + 4:
            return "group", key
    candidates = [
        row for row in T3_ROWS.values()
        if (row.keywords and any(kw in norm for kw in row.keywords))
        or (row.pattern and re.match(row.pattern, norm))
    ]
    candidates = [r for r in candidates if len(norm) <= len(normalize_label(r.label)) + 12]
    if not candidates and len(norm) >= 6:
        # A label cut where its line wrapped ("5.要求行政机关确认或重新出") is the start of the official one.
        candidates = [r for r in T3_ROWS.values() if r.key != "other_total"
                      and _T3_ROW_NORMS[r.key].startswith(norm)]
    if row_key := _pick_row(candidates, group):
        if row_key == "other.other" and group != "other":
            return "unknown", None
        return "row", row_key
    return "unknown", None


def _pick_row(candidates: list, group: str | None) -> str | None:
    if not candidates:
        return None
    in_group = [r for r in candidates if r.group == group]
    return (in_group or candidates)[0].key


@attrs.define
class _RowValues:
    key: str
    label: Token
    values: list[Token] = attrs.field(factory=list)


def _stray_value(token: Token, current: _RowValues | None) -> bool:
    """Unrecognised text in a data cell of the current grid row: a value that could not be read.

    Only a grid says which cell a text stands in; in a flattened table it may be a page number or a note.
    """
    return (current is not None and token.col is not None and token.row == current.label.row
            and token.col > (current.label.col or 0))


def _foreign_row(token: Token, current: _RowValues | None) -> bool:
    """An unknown label opening a new grid row: a row the template does not have (行政确认, 其中：…).

    Its values must not go to the row above. Only a grid says where a row starts; in a flattened table
    an unknown line may be the rest of a wrapped label.
    """
    return (current is not None and token.col is not None and current.label.col is not None
            and token.row != current.label.row and token.col <= current.label.col
            and len(token.norm) >= 2 and not token.number.is_value_like)


def _extra_row(table: str, token: Token) -> Finding:
    return _finding("PARSE-EXTRA", f"{table} 有一行“{token.text.strip()}”不属于官方格式，未读取"
                                   f"（{token.source.describe()}）。")


def _merge_split_label(tokens: Sequence[Token], i: int, classify) -> tuple[Token, int]:
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
        if nxt.is_value and nxt.number.kind != "invalid" or taken == 2:
            break
        taken += 1
        # In a grid, a label broken over two rows stays in one column (a page break inside 无法提供).
        if nxt.col is not None and nxt.row != token.row and nxt.col != token.col:
            break
        joined = joined.joined(nxt)
        if classify(joined.norm)[0] != "unknown":
            return joined, j
    return token, i


def parse_table3(tokens: Sequence[Token], year: int | None = None) -> tuple[Table, list[Finding]]:
    """Read table 3 from its tokens. The edition follows from the shape of （六）其他处理."""
    tokens = _expand_glued_labels(tokens, 3, lambda n: _t3_classify(n, None, False))
    findings: list[Finding] = []
    header: list[tuple[str, Token]] = []
    rows: list[_RowValues] = []
    current: _RowValues | None = None
    group: str | None = None
    header_done = False
    # A header repeated where the table continues on a new page: its 总计 and 其他 are columns again.
    repeating = False
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.is_value:
            if current is None and header_done and not repeating and not token.exact \
                    and token.number.kind != "blank":
                # Values standing apart from any label (a row's values on a line of their own).
                current = _RowValues("", token)
                rows.append(current)
            if current is not None and not repeating:
                current.values.append(token)
            i += 1
            continue

        def classify(norm: str, _group: str | None = group,
                     _done: bool = header_done and not repeating) -> tuple[str, str | None]:
            return _t3_classify(norm, _group, _done)

        kind, key = classify(token.norm)
        if kind == "unknown":
            token, i = _merge_split_label(tokens, i, classify)
            kind, key = classify(token.norm)
        i += 1
        if kind in ("column", "header") and header_done:
            repeating, current = True, None
        if kind == "column" and key is not None:
            if not any(k == key for k, _ in header):
                header.append((key, token))
        elif kind == "group" and key is not None:
            group = key
            header_done, repeating = True, False
            # In the 2019 shape （六）其他处理 is a row of its own; it is one when values follow it.
            current = _RowValues("other_total", token) if key == "other" else None
            if current is not None:
                rows.append(current)
        elif kind == "row" and key is not None:
            header_done, repeating = True, False
            group = T3_ROWS[key].group or _T3_ROW_GROUP.get(key)
            current = _RowValues(key, token)
            rows.append(current)
        elif kind == "unknown" and _stray_value(token, current):
            current.values.append(token)  # type: ignore[union-attr]
        elif kind == "unknown" and _foreign_row(token, current):
            findings.append(_extra_row("表三", token))
            current = None
        # Other unknown text (page numbers, notes, stray words) is passed over.

    labelled = {r.key for r in rows if r.key}
    strays = [r for r in rows if not r.key]
    rows = [r for r in rows if r.key and (r.values or r.key != "other_total")]
    with_values = {r.key for r in rows if r.values}
    rows = _first_of_each(
        [r for r in rows if r.values or r.key not in with_values], "表三",
        lambda key: [f"t3.{key}.{c}" for c in T3_COLUMN_KEYS], lambda key: T3_ROWS[key].label, findings)
    seen = {r.key for r in rows}
    edition = _t3_edition(seen | labelled, year)
    columns = _t3_columns(header)
    cells: dict[str, Cell] = {}
    for row in rows:
        if row.label.exact:
            # The template fixes the seven columns: a row of seven values fits them even when a garbled
            # header named fewer.
            _place_row("t3", row, columns, header, cells, findings, lambda c: _T3_COLUMN_BY_KEY[c],
                       fallback=T3_COLUMN_KEYS)
    text_rows = [r for r in rows if not r.label.exact]
    if text_rows:
        rules = t3_sum_rules(edition) if edition else ()
        notes: list[Finding] = []
        text_rows = _settle_value_lines(text_rows, strays, len(T3_COLUMN_KEYS), rules)
        _place_text_rows("t3", text_rows, T3_COLUMN_KEYS, rules, cells, notes, lambda c: _T3_COLUMN_BY_KEY[c])
        if edition and _undecided(cells, T3_ROW_KEYS[edition]):
            notes = _fill_in_template_order(tokens, edition, cells, notes)
        findings += notes
    if edition:
        expected = T3_ROW_KEYS[edition]
        missing = [k for k in expected if k not in seen and f"{k}.total" not in cells]
        if missing and seen:
            findings.append(_finding(
                "PARSE-ROW", "表三 缺少以下行，无法读取：" + "、".join(T3_ROWS[k].label for k in missing),
                [f"t3.{k}.{c}" for k in missing for c in T3_COLUMN_KEYS]))
        if "other_total" in seen and any(k.startswith("other.") for k in seen):
            findings.append(_finding(
                "PARSE-ROW", "表三 同时出现“（六）其他处理”单行与其分项，按2021年版读取。",
                [f"t3.other_total.{c}" for c in T3_COLUMN_KEYS]))
        cells = {k: v for k, v in cells.items() if k.rsplit(".", 1)[0] in expected}
    return Table(3, edition, cells), findings


def _full_line(tokens: list[Token], width: int) -> bool:
    numbers = [t for t in tokens if t.number.kind != "blank"]
    return len(numbers) == width and not any(t.glued for t in numbers)


def _settle_value_lines(rows: list[_RowValues], strays: list[_RowValues], width: int, rules) -> list[_RowValues]:
    """Give lines that hold only a row's worth of values to the label above or below them.

    PDF text sets a row's values on the middle line of its cell: where a label wraps, the values stand
    on a line of their own, before or after the label's line, and the label's own line has none. Each
    such line may belong to the nearest label above or below that has no values of its own; every
    assignment is tried and kept when all of the table's sums hold on it. A row gets its values when all
    kept assignments give it the same ones. ``strays`` are values found under no label at all.
    """
    own: list[list[Token]] = []
    floating: list[tuple[int, list[Token]]] = []  # (index of the label above, the line's tokens)
    for n, row in enumerate(rows):
        by_line: dict[int, list[Token]] = {}
        for v in row.values:
            by_line.setdefault(v.row, []).append(v)
        own.append(by_line.pop(row.label.row, []))
        floating += [(n, line) for line in by_line.values() if _full_line(line, width)]
    for stray in strays:
        above = sum(1 for r in rows if r.label.row < stray.label.row) - 1
        by_line = {}
        for v in stray.values:
            by_line.setdefault(v.row, []).append(v)
        floating += [(above, line) for line in by_line.values() if _full_line(line, width)]
    if not floating or len(floating) > DECODER.max_joints:
        return rows
    needy = {n for n, values in enumerate(own) if not any(v.number.kind != "blank" for v in values)}
    options = [[o for o in (n, n + 1) if o in needy and 0 <= o < len(rows)] for n, _ in floating]
    worlds: list[dict[int, list[Token]]] = []
    for owners in itertools.product(*[[*o, None] for o in options]):
        taken = [o for o in owners if o is not None]
        if len(taken) != len(set(taken)):
            continue
        world = {o: floating[i][1] for i, o in enumerate(owners) if o is not None}
        if _world_holds(rows, own, world, width, rules):
            worlds.append(world)
        if len(worlds) > DECODER.max_readings:
            return rows
    if not worlds:
        return rows
    moved = {id(t) for _, line in floating for t in line}
    out: list[_RowValues] = []
    for n, row in enumerate(rows):
        given = {tuple(clean_text(t.text) for t in w[n]) if n in w else None for w in worlds}
        if len(given) > 1:
            values: list[Token] = []  # the sums allow more than one line here: left blank, with a finding
        elif n in worlds[0]:
            values = worlds[0][n]
        else:
            values = [v for v in row.values if id(v) not in moved]
        out.append(_RowValues(row.key, row.label, list(values)))
    return out


def _world_holds(rows: list[_RowValues], own: list[list[Token]], world: dict[int, list[Token]], width: int,
                 rules) -> bool:
    """True when every row has a full line of values and every sum of the table holds."""
    reading: dict[tuple[str, str], str] = {}
    for n, row in enumerate(rows):
        values = world.get(n) or own[n]
        numbers = [clean_text(v.text) for v in values if v.number.kind != "blank"]
        if len(numbers) != width:
            return False
        reading.update({(row.key, c): t for c, t in zip(T3_COLUMN_KEYS, numbers, strict=True)})
    applicable = [r for r in rules if all(k in reading for k in r.keys)]
    return bool(applicable) and _all_hold(reading, applicable)


def _undecided(cells: dict[str, Cell], rows: Sequence[str]) -> bool:
    return any(cells.get(f"{r}.{c}") is None or cells[f"{r}.{c}"].kind == "invalid"
               for r in rows for c in T3_COLUMN_KEYS)


def _fill_in_template_order(tokens: Sequence[Token], edition: Edition, cells: dict[str, Cell],
                            notes: list[Finding]) -> list[Finding]:
    """Read table 3's values in the official order of its rows and columns, when its labels are out of
    place (a text dump that lost where labels stood) but its values are not.

    Accepted only when the table holds exactly one value per cell, every sum of the table holds on that
    reading, and it agrees with every cell already read by its label. Returns the notes still valid.
    """
    values = [t for t in tokens if t.is_value and t.number.kind not in ("blank", "invalid")]
    rows = T3_ROW_KEYS[edition]
    if len(values) != len(rows) * len(T3_COLUMN_KEYS) or any(v.glued for v in values):
        return notes
    order = [(r, c) for r in rows for c in T3_COLUMN_KEYS]
    reading = dict(zip(order, (clean_text(v.text) for v in values), strict=True))
    choice = choose({r: [tuple(reading[(r, c)] for c in T3_COLUMN_KEYS)] for r in rows}, T3_COLUMN_KEYS,
                    t3_sum_rules(edition))
    if choice.unverified or not _all_hold(reading, t3_sum_rules(edition)):
        return notes
    fresh: dict[str, Cell] = {}
    for (row, column), token in zip(order, values, strict=True):
        cell = _cell_from(token, _T3_COLUMN_BY_KEY[column], [], f"t3.{row}.{column}")
        old = cells.get(f"{row}.{column}")
        if old is not None and old.kind != "invalid" and old.value != cell.value:
            return notes
        fresh[f"{row}.{column}"] = cell
    cells.update(fresh)
    kept = [n for n in notes if not n.keys or not all(k.partition(".")[2] in fresh for k in n.keys)]
    kept.append(_finding(
        "PARSE-ORDER", "表三 的行标签在文字中位置错乱；数值按官方表格的行、列顺序读取，表内各项合计均成立。"))
    return kept


def _all_hold(reading: dict[tuple[str, str], str], rules) -> bool:
    numbers = {k: parse_number(v).value for k, v in reading.items()}
    for rule in rules:
        left = sum(Decimal(numbers[k] or 0) for k in rule.left)
        right = sum(Decimal(numbers[k] or 0) for k in rule.right)
        if left != right:
            return False
    return True


def _t3_edition(seen: set[str], year: int | None) -> Edition | None:
    """Table 3's edition from its rows: the 2021 edition splits （六）其他处理 into three."""
    if any(k.startswith("other.") for k in seen):
        return "2021"
    if "other_total" in seen:
        return "2019"
    if seen:
        return "2021" if (year or 2021) >= 2021 else "2019"
    return None


def _first_of_each(rows: list[_RowValues], table: str, keys_of, label_of_row, findings: list[Finding]
                   ) -> list[_RowValues]:
    """Each row once: a row printed twice keeps its first values, with a finding if the second differs."""
    out: list[_RowValues] = []
    seen: set[str] = set()
    for row in rows:
        if row.key in seen:
            if any(v.number.kind != "blank" for v in row.values):
                findings.append(_finding(
                    "PARSE-ROW", f"{table} {label_of_row(row.key)} 出现两次，只采用第一次出现的数值"
                                 f"（{row.label.source.describe()}）。", keys_of(row.key)))
            continue
        seen.add(row.key)
        out.append(row)
    return out


def _row_readings(row: _RowValues, width: int, accept=None) -> tuple[list[Reading] | None, bool]:
    """The ways a text row's values fill ``width`` cells (None: too many to weigh), and whether they
    had to be gathered from other lines than the label's.

    Layout text may set a value a line above or below its label, beside another row's values: the values
    on the label's own line are tried first. Empty cells before a row's first value or after its last
    are first taken for what spans or line breaks left, then for blank cells.
    """
    same = [v for v in row.values if v.row == row.label.row]
    attempts = [row.values]
    if any(v.number.kind != "blank" for v in same) and len(same) != len(row.values):
        attempts.insert(0, same)
    for n, values in enumerate(attempts):
        scattered = n == 1
        pieces = [v.piece(joins_next=_may_continue(v, nxt)) for v, nxt in zip(values, [*values[1:], None])]
        for check in ((accept, None) if accept is not None else (None,)):
            found = readings(_trimmed(pieces), width, join=False, accept=check)
            if found is None or found:
                return found, scattered
            if any(p.optional for p in pieces[:1] + pieces[-1:]):
                found = readings(pieces, width, join=False, accept=check)
                if found:
                    return found, scattered
        # Digits of one number broken over two lines: a reading only the row's sums can confirm.
        found = readings(_trimmed(pieces), width, accept=accept)
        if found:
            return found, True
    return [], False


def _accepting(row: str, columns: Sequence[str], rules) -> Callable[[Reading], bool] | None:
    """A test of a row's first cells against the sums that lie within the row (None when there are none).

    Readings grow one cell at a time and each prefix was tested before, so only the sums completed by
    the newest cell are checked.
    """
    index = {c: n for n, c in enumerate(columns)}
    completed: dict[int, list[tuple[list[int], list[int]]]] = {}
    for rule in rules:
        if all(k[0] == row for k in rule.keys):
            last = max(index[k[1]] for k in rule.keys)
            completed.setdefault(last, []).append(([index[k[1]] for k in rule.left],
                                                   [index[k[1]] for k in rule.right]))
    if not completed:
        return None

    def accept(prefix: Reading) -> bool:
        for left, right in completed.get(len(prefix) - 1, ()):
            if sum(_sum_value(prefix[n]) for n in left) != sum(_sum_value(prefix[n]) for n in right):
                return False
        return True

    return accept


@lru_cache(maxsize=4096)
def _sum_value(text: str) -> Decimal:
    value = parse_number(text).value
    return Decimal(value) if value is not None else Decimal(0)


def _trimmed(pieces: list[Piece]) -> list[Piece]:
    start, end = 0, len(pieces)
    while start < end and pieces[start].optional:
        start += 1
    while end > start and pieces[end - 1].optional:
        end -= 1
    return pieces[start:end]


def _may_continue(token: Token, nxt: Token | None) -> bool:
    """Two lines of digits, each a line of its own, may be one number broken in two."""
    return (nxt is not None and token.col is None and nxt.col is None and nxt.row == token.row + 1
            and token.number.kind == "number" and nxt.number.kind == "number")


def _place_text_rows(prefix: str, rows: Sequence[_RowValues], columns: Sequence[str], rules,
                     cells: dict[str, Cell], findings: list[Finding], column_of) -> None:
    """Place the values of rows read from text, letting the table's sums choose where the text is unclear.

    A row whose values had to be gathered from lines around its label is kept only where its sums
    confirm it: without them, which line's values belong to which row is a guess.
    """
    candidates: dict[str, list[Reading]] = {}
    placed: list[_RowValues] = []
    scattered: set[str] = set()
    for row in rows:
        found, gathered = _row_readings(row, len(columns), _accepting(row.key, columns, rules))
        if not found:
            count = sum(1 for v in row.values if v.number.kind != "blank")
            why = (f"的数字串可拆分的方式过多（{len(row.values)} 个数值，{len(columns)} 栏）" if found is None
                   else f"一行有 {count} 个数值，表格有 {len(columns)} 栏")
            _unplaced(prefix, row, columns, cells, findings, why)
            continue
        if gathered:
            scattered.add(row.key)
        candidates[row.key] = found
        placed.append(row)
    choice = choose(candidates, columns, rules)
    checked = {k[0] for rule in rules for k in rule.keys}
    for row in placed:
        if row.key in scattered and (row.key in choice.unverified or row.key not in checked):
            _unplaced(prefix, row, columns, cells, findings,
                      "的数值分散在上下不同的行，无法由表内合计确认归属")
            continue
        _cells_of_choice(prefix, row, columns, choice, cells, findings, column_of)


def _cells_of_choice(prefix: str, row: _RowValues, columns: Sequence[str], choice: Choice,
                     cells: dict[str, Cell], findings: list[Finding], column_of) -> None:
    undecided: list[str] = []
    origins = _origins(row.values, {c: choice.texts[(row.key, c)] for c in columns})
    for c in columns:
        flat_key = f"{prefix}.{_cell_key(row.key, c)}"
        text = choice.texts[(row.key, c)]
        if text is None:
            cells[_cell_key(row.key, c)] = Cell(None, "", "invalid", None, row.label.source)
            options = choice.alternatives[(row.key, c)][: DECODER.listed_alternatives]
            undecided.append(f"{label_of(flat_key).split(' / ')[-1]}（{'或'.join(options)}）")
            continue
        origin = origins.get(c, row.label)
        token = origin if clean_text(origin.text) == text else Token.of(text, origin.where, row.label.row)
        cells[_cell_key(row.key, c)] = _cell_from(token, column_of(c), findings, flat_key)
    if undecided:
        findings.append(_finding(
            "PARSE-ROW", f"{_table_name(prefix)} “{row.label.text.strip()}”的数值无法唯一确定"
                         f"（文字中数字相连或缺少分隔，表内合计也无法判定），以下单元格按空白处理："
                         + "；".join(undecided) + f"（{row.label.source.describe()}）。",
            [f"{prefix}.{_cell_key(row.key, c)}" for c in columns if choice.texts[(row.key, c)] is None]))


def _origins(values: Sequence[Token], texts: dict[str, str | None]) -> dict[str, Token]:
    """The value token each decided cell's text came from, for provenance (cut runs share a token)."""
    out: dict[str, Token] = {}
    pending = [v for v in values if v.number.kind != "blank"]
    offset = 0
    for column, text in texts.items():
        if not text or not pending:
            continue
        out[column] = pending[0]
        rest = len(text)
        while pending and rest > 0:
            available = len(clean_text(pending[0].text)) - offset
            if rest < available:
                offset += rest
                break
            rest -= available
            pending.pop(0)
            offset = 0
    return out


def _cell_key(row: str, column: str) -> str:
    """A cell's key within its table; table 4 is one row without a name."""
    return f"{row}.{column}" if row else column


_T3_COLUMN_BY_KEY = {c.key: c for c in T3_COLUMNS}
_T3_ROW_NORMS = {r.key: normalize_label(r.label) for r in T3_ROWS.values()}
#: Rows directly under 三、本年度办理结果 belong to the results group; 一、二、四 to none.
_T3_ROW_GROUP = {"granted": "results", "partially_granted": "results", "total_processed": "results"}


def _t3_columns(header: list[tuple[str, Token]]) -> list[str]:
    """The data columns, in the template's order, that the header names (all seven if it names none)."""
    named = {k for k, _ in header}
    if len(named) < 2:
        return list(T3_COLUMN_KEYS)
    return [k for k in T3_COLUMN_KEYS if k in named]


def _place_row(prefix: str, row: _RowValues, columns: Sequence[str], header: Sequence[tuple[str, Token]],
               cells: dict[str, Cell], findings: list[Finding], column_of,
               fallback: Sequence[str] = ()) -> None:
    """Give a row's value cells to its columns, or leave them empty with a finding."""
    label_cols = {t.col for _, t in header if t.exact and t.col is not None}
    values = row.values
    if not row.label.exact and values:
        # Layout text may set a value a line above or below its label, beside another row's values:
        # with values on the label's own line, those are the row, unless too few to trust any.
        same = [v for v in values if v.row == row.label.row]
        others = [v for v in values if v.row != row.label.row and v.number.kind != "blank"]
        if same and others:
            fits = _fit_values(same, len(columns)) is not None or (
                fallback and _fit_values(same, len(fallback)) is not None)
            if not fits:
                _unplaced(prefix, row, columns, cells, findings,
                          f"的数值分散在不同的行（同一行 {len(same)} 个，其他行 {len(others)} 个）")
                return
        if same:
            values = same
    if label_cols and all(v.exact and v.col is not None for v in values):
        first_data_col = min(label_cols)
        values = [v for v in values if v.col is not None and v.col + v.colspan > first_data_col]
    fitted = _fit_values(values, len(columns))
    placed: dict[str, Token] | None
    if fitted is None and fallback and len(fallback) != len(columns):
        fitted = _fit_values(values, len(fallback))
        if fitted is not None:
            columns = fallback
    if fitted is not None:
        placed = dict(zip(columns, fitted, strict=True))
    else:
        placed = _place_by_grid(values, [(k, t) for k, t in header if k in columns])
    if placed is None:
        _unplaced(prefix, row, columns, cells, findings, f"一行有 {len(values)} 个数值，表头有 {len(columns)} 栏")
        return
    for c in columns:
        flat_key = f"{prefix}.{row.key}.{c}"
        token = placed.get(c)
        if token is None:
            cells[f"{row.key}.{c}"] = Cell(None, "", "blank", None, row.label.source)
            continue
        cells[f"{row.key}.{c}"] = _cell_from(token, column_of(c), findings, flat_key)


def _unplaced(prefix: str, row: _RowValues, columns: Sequence[str], cells: dict[str, Cell],
              findings: list[Finding], why: str) -> None:
    """Leave a row's cells empty and say why: a wrong number is worse than none."""
    findings.append(_finding(
        "PARSE-ROW", f"{_table_name(prefix)} “{row.label.text.strip()}”{why}，无法确定对应关系，该行按空白处理"
                     f"（{row.label.source.describe()}）。", [f"{prefix}.{_cell_key(row.key, c)}" for c in columns]))
    for c in columns:
        cells[_cell_key(row.key, c)] = Cell(None, "", "invalid", None, row.label.source)


def _table_name(prefix: str) -> str:
    return {"t2": "表二", "t3": "表三", "t4": "表四"}[prefix]


# --- Table 2 -------------------------------------------------------------------------------------

_CAPTION_RE = re.compile(r"第二十条第?（?([一二三四五六七八九十]+)）?项?")


@lru_cache(maxsize=2048)
def _t2_column(norm: str) -> tuple[Edition, str] | None:
    """Recognise a table-2 column header, exactly, by a distinctive word, or as a cut-off label."""
    for edition in ("2021", "2019"):
        for column in T2_COLUMNS[edition].values():
            if _matches_column(norm, column):
                return edition, column.key
    for edition in ("2021", "2019"):
        for column in T2_COLUMNS[edition].values():  # type: ignore[index]
            if any(normalize_label(a) in norm for a in column.aliases) and len(norm) <= len(column.label) + 8:
                return edition, column.key  # type: ignore[return-value]
    for edition in ("2021", "2019"):
        for column in T2_COLUMNS[edition].values():  # type: ignore[index]
            if _prefix_of(norm, column.label):
                return edition, column.key  # type: ignore[return-value]
    return None


@lru_cache(maxsize=4096)
def _t2_classify(norm: str) -> tuple[str, object]:
    if not norm:
        return "unknown", None
    if norm.startswith(T2_CAPTION_PREFIX):
        m = _CAPTION_RE.search(norm)
        return "caption", (m.group(1) if m else None)
    if norm == T2_HEADER_LABEL:
        return "header", None
    column = _t2_column(norm)
    if column is not None:
        return "column", column
    body = _body(norm)
    for row in T2_ROWS.values():
        if any(kw in body for kw in row.keywords) and len(body) <= len(row.label) + 6:
            if row.key == "regulations" and "规范性文件" in body:
                continue
            return "row", row.key
    if len(body) >= 4:  # a label cut where its line wrapped: 行政规范性文 / 件
        cut = [r.key for r in T2_ROWS.values() if normalize_label(r.label).startswith(body)]
        if len(cut) == 1:
            return "row", cut[0]
    return "unknown", None


def parse_table2(tokens: Sequence[Token], year: int | None = None) -> tuple[Table, list[Finding]]:
    """Read table 2: sub-table captions, the header of each, and its rows."""
    tokens = _expand_glued_labels(tokens, 2, _t2_classify)
    findings: list[Finding] = []
    votes = {"2019": 0, "2021": 0}
    header: list[tuple[str, Token]] = []
    header_editions: list[Edition | None] = []
    in_header = False
    rows: list[tuple[_RowValues, list[tuple[str, Token]], list[Edition | None]]] = []
    current: _RowValues | None = None
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.is_value:
            if current is not None:
                current.values.append(token)
            elif in_header and token.number.kind == "blank" and token.col is not None:
                header.append(("", token))
                header_editions.append(None)
            i += 1
            continue
        kind, key = _t2_classify(token.norm)
        if kind == "unknown":
            token, i = _merge_split_label(tokens, i, _t2_classify)
            kind, key = _t2_classify(token.norm)
        i += 1
        if kind == "caption":
            if key == "九":
                votes["2019"] += 1
            current, header, header_editions, in_header = None, [], [], False
        elif kind == "header":
            current, header, header_editions, in_header = None, [], [], True
        elif kind == "column":
            column_edition, column_key = cast(tuple[Edition, str], key)
            if current is not None and current.values:
                current, header, header_editions = None, [], []
            in_header = True
            header.append((column_key, token))
            header_editions.append(column_edition)
            votes[column_edition] += 1
        elif kind == "unknown" and _stray_value(token, current):
            current.values.append(token)  # type: ignore[union-attr]
        elif kind == "unknown" and _foreign_row(token, current):
            findings.append(_extra_row("表二", token))
            current = None
        elif kind == "row":
            if key in ("other_services", "centralized_procurement"):
                votes["2019"] += 1
            in_header = False
            current = _RowValues(str(key), token)
            rows.append((current, list(header), list(header_editions)))

    edition: Edition
    if votes["2019"] != votes["2021"]:
        edition = "2019" if votes["2019"] > votes["2021"] else "2021"
    else:
        edition = "2021" if (year or 2021) >= 2021 else "2019"

    cells: dict[str, Cell] = {}
    seen: set[str] = set()
    for row, row_header, row_editions in rows:
        if row.key in seen:
            continue
        seen.add(row.key)
        # Trailing empty header cells are what is left of merged cells, not columns.
        while row_header and not row_header[-1][0]:
            row_header.pop()
            row_editions.pop()
        sub = next((s for s in T2_LAYOUT[edition] if row.key in s.rows), None)
        if sub is None:
            findings.append(_finding(
                "PARSE-ROW", f"表二 “{row.label.text.strip()}”不属于{edition}年版格式，未读取。"))
            continue
        # The edition fixes each block's columns; a header read from text may have lost or glued some of
        # its labels, so it decides only the order, and only when it names every official column.
        named = [k for k, _ in row_header if k in sub.columns]
        columns = named if sorted(named) == sorted(sub.columns) and len(named) == len(set(named)) \
            else list(sub.columns)
        unlabelled = [k for k, _ in row_header if not k]
        # A grid's unnamed header cell is a column the template does not have; in text it is what a
        # lost span left, and the row's empty cells absorb it.
        if row.label.exact and row_header and unlabelled and named == list(sub.columns[: len(named)]):
            columns = [k for k, _ in row_header]  # a column the template does not have, left unread
        mixed = [k for k, e in zip(columns, row_editions, strict=False) if k and e and e != edition
                 and k not in sub.columns]
        if mixed:
            findings.append(_finding(
                "PARSE-COLUMN", f"表二 {T2_ROWS[row.key].label} 的表头混用了两个版本的栏目，"
                                f"按{edition}年版读取。", [f"t2.{row.key}.{c}" for c in sub.columns]))
        row_cells: dict[str, Cell] = {}
        named_columns = [c or f"_unlabelled{n}" for n, c in enumerate(columns)]
        column_of = lambda c, _e=edition: T2_COLUMNS[_e].get(c) or _ANY_COLUMN  # noqa: E731
        if row.label.exact:
            _place_row("t2", row, named_columns, [(k, t) for k, t in row_header if k], row_cells, findings,
                       column_of)
        else:
            _place_text_rows("t2", [row], named_columns, (), row_cells, findings, column_of)
        for key, cell in row_cells.items():
            column_key = key.rsplit(".", 1)[1]
            if column_key.startswith("_unlabelled"):
                if cell.value is not None:
                    findings.append(_finding(
                        "PARSE-COLUMN", f"表二 {T2_ROWS[row.key].label} 有一个没有表头的数值“{cell.raw.strip()}”，"
                                        "未读取。"))
                continue
            if column_key in sub.columns:
                cells[key] = cell
    expected = t2_keys(edition)
    missing = [k for k in expected if k not in cells]
    if missing and cells:
        findings.append(_finding(
            "PARSE-ROW", "表二 以下栏目未找到：" + "、".join(label_of(f"t2.{k}", edition) for k in missing),
            [f"t2.{k}" for k in missing]))
    return Table(2, edition if cells else None, cells), findings


_ANY_COLUMN = Column("_", "_", (), "decimal")


# --- Table 4 -------------------------------------------------------------------------------------

def parse_table4(tokens: Sequence[Token]) -> tuple[Table, list[Finding]]:
    """Read table 4: fifteen values in the fixed order of the template.

    From a grid, the data row of fifteen cells; from text, every value in reading order (one row of 15,
    three of 5 or 15 lines alike), glued digit runs cut where the groups' totals allow only one cut.
    """
    if any(t.exact for t in tokens):
        return _table4_from_grid(tokens)
    findings: list[Finding] = []
    cells: dict[str, Cell] = {}
    values = [t for t in tokens if t.is_value and t.number.kind != "invalid"]
    # Empty cells before the first value are the header's, not the table's.
    first = next((n for n, t in enumerate(values) if t.number.kind != "blank"), None)
    if first is None:
        return Table(4, None, cells), findings
    values = values[first:]
    label = _RowValues("", values[0], values)
    _place_text_rows("t4", [label], T4_KEYS, T4_SUM_RULES, cells, findings, _T4_COLUMN_OF.__getitem__)
    if all(c.value is None for c in cells.values()) and not any(c.kind == "blank" for c in cells.values()):
        return Table(4, None, {}), findings
    return Table(4, None, cells), findings


_T4_COLUMN_OF = {f"{g}.{c.key}": c for g, _ in T4_GROUPS for c in T4_COLUMNS}


def _table4_from_grid(tokens: Sequence[Token]) -> tuple[Table, list[Finding]]:
    findings: list[Finding] = []
    by_row: dict[int, list[Token]] = {}
    for token in tokens:
        if token.is_value and token.number.kind != "invalid":
            by_row.setdefault(token.row, []).append(token)
    width = len(T4_KEYS)
    chosen: list[Token] | None = None
    for row_values in by_row.values():
        fitted = _fit_values(row_values, width)
        if fitted is not None and any(v.number.kind != "blank" for v in fitted):
            chosen = fitted
            break
    if chosen is None:
        # A table whose only data row is entirely blank still says "blank" for every cell.
        chosen = next((f for r in by_row.values() if (f := _fit_values(r, width)) is not None), None)
    cells: dict[str, Cell] = {}
    if chosen is None:
        if tokens:
            counts = ", ".join(str(len(v)) for v in by_row.values()) or "0"
            findings.append(_finding(
                "PARSE-ROW", f"表四 未找到一行 15 个数值（各行数值个数：{counts}），表四按空白处理。",
                [f"t4.{k}" for k in T4_KEYS]))
        return Table(4, None, cells), findings
    for key, token in zip(T4_KEYS, chosen, strict=True):
        cells[key] = _cell_from(token, _T4_COLUMN_OF[key], findings, f"t4.{key}")
    return Table(4, None, cells), findings


# --- Table recognition ---------------------------------------------------------------------------

SIGNATURES: dict[int, tuple[str, ...]] = {
    2: ("第二十条", "信息内容", "规章", "规范性文件", "行政许可", "行政处罚", "行政强制", "事业性收费", "本年制发",
        "新制作", "处理决定"),
    3: ("勾稽关系", "申请人情况", "自然人", "本年新收", "上年结转", "予以公开", "不予公开", "无法提供", "不予处理",
        "结转下年"),
    4: ("结果维持", "结果纠正", "尚未审结", "复议后起诉", "未经复议", "其他结果"),
}


def table_kind(texts: Iterable[str]) -> int | None:
    """Which statistical table (2, 3, 4) a grid holds, judged by the labels in it; None for others."""
    joined = "".join(normalize_label(t) for t in texts)
    scores = {n: sum(1 for w in words if w in joined) for n, words in SIGNATURES.items()}
    best = max(scores, key=lambda n: scores[n])
    return best if scores[best] >= 2 else None


def signature_of(norm: str) -> int | None:
    """The table a single short label belongs to, for finding where a flattened table starts."""
    if len(norm) > 40:
        return None
    for number, words in SIGNATURES.items():
        if any(w in norm for w in words):
            return number
    if norm in ("行政复议", "行政诉讼"):
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
        return _t3_classify(norm, group, not in_header)
    if table == 2:
        kind, key = _t2_classify(norm)
        return kind, (key[1] if isinstance(key, tuple) else key)  # type: ignore[return-value]
    for column in T4_COLUMNS:
        if _matches_column(norm, column):
            return "column", column.key
    for group_key, label in T4_GROUPS:
        if norm == normalize_label(label):
            return "group", group_key
    return "unknown", None
