"""Table 3 (依申请公开): the walk over its tokens and the placing of its 25 × 7 cells."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import attrs

from ..assign import sum_value
from ..model import Cell, Finding, Table
from ..normalize import clean_text
from ..schema import (
    T3_COLUMN_KEYS,
    T3_COLUMNS,
    T3_GROUPS,
    T3_ROW_KEYS,
    T3_ROWS,
    Edition,
    t3_sum_rules,
)
from ..settings import options
from .columns import fill_column_major
from .gridrows import place_row
from .labels import t3_classify
from .pooled import pooled_rows
from .reorder import in_broken_sums, restore_order
from .rows import (
    RowValues,
    cell_from,
    cell_key,
    confirm_by_sums,
    extra_row,
    finding,
    first_of_each,
    foreign_row,
    stray_value,
)
from .textrows import place_text_rows, settle_value_lines
from .tokens import Token, expand_glued_labels, walk_labels
from .transposed import restore_blocks, rows_add_up
from .unnamed import name_by_place

T3_COLUMN_BY_KEY = {c.key: c for c in T3_COLUMNS}


T3_ROW_GROUP = {"granted": "results", "partially_granted": "results", "total_processed": "results"}


def parse_table3(tokens: Sequence[Token], year: int | None = None) -> tuple[Table, list[Finding]]:
    """Read table 3 from its tokens. The edition follows from the shape of （六）其他处理."""
    walk = _Table3Walk(expand_glued_labels(tokens, 3, lambda n: t3_classify(n, None, False)))
    walk.run()
    return _place(walk, year)


@attrs.define(eq=False, repr=False)
class _Table3Walk:
    """One pass over table 3's tokens: the header's columns, and each row label with its values."""

    tokens: list[Token]
    findings: list[Finding] = attrs.field(factory=list)
    header: list[tuple[str, Token]] = attrs.field(factory=list)
    rows: list[RowValues] = attrs.field(factory=list)
    current: RowValues | None = None
    group: str | None = None
    header_done: bool = False
    #: A header repeated where the table continues on a new page: its 总计 and 其他 are columns again.
    repeating: bool = False
    #: Grid rows under a label no official one matches, each with the number of rows walked before it,
    #: and whether it cut a row short (its label stood where the next row's would).
    unnamed: list[tuple[int, RowValues, bool]] = attrs.field(factory=list)

    def run(self) -> None:
        walk_labels(self.tokens, self._classify, self._value, self._label)

    def _classify(self, norm: str) -> tuple[str, str | None]:
        return t3_classify(norm, self.group, self.header_done and not self.repeating)

    def _value(self, token: Token) -> None:
        if self._numeral_label(token):
            self._open_unnamed(token, cut_short=False)
            return
        if self.current is None and self.header_done and not self.repeating and not token.exact \
                and token.number.kind != "blank":
            # Values standing apart from any label (a row's values on a line of their own).
            self._open("", token)
        if self.current is not None and not self.repeating:
            self.current.values.append(token)

    def _open(self, key: str, token: Token) -> None:
        self.current = RowValues(key, token)
        self.rows.append(self.current)

    def _label(self, token: Token, kind: str, key: str | None) -> None:
        if kind in ("column", "header") and self.header_done:
            self.repeating, self.current = True, None
        if kind == "column" and key is not None:
            if not any(k == key for k, _ in self.header):
                self.header.append((key, token))
        elif kind == "group" and key is not None:
            self.group = key
            self.header_done, self.repeating, self.current = True, False, None
            # In the 2019 shape （六）其他处理 is a row of its own; it is one when values follow it.
            if key == "other":
                self._open("other_total", token)
        elif kind == "row" and key is not None:
            self.header_done, self.repeating = True, False
            self.group = T3_ROWS[key].group or T3_ROW_GROUP.get(key)
            self._open(key, token)
        elif kind == "unknown":
            self._unknown(token)

    def _unknown(self, token: Token) -> None:
        """Text that is no label of the table: a value that could not be read, or a row the template lacks
        (in a grid, kept apart until its place may name it). Other unknown text (page numbers, notes,
        stray words) is passed over."""
        if stray_value(token, self.current):
            self.current.values.append(token)  # type: ignore[union-attr]
        elif foreign_row(token, self.current) and token.exact:
            self._open_unnamed(token, cut_short=True)
        elif foreign_row(token, self.current):
            self.findings.append(extra_row("表三", token))
            self.current = None
        elif self._opens_unnamed(token):
            self._open_unnamed(token, cut_short=False)

    def _numeral_label(self, token: Token) -> bool:
        """Whether a grid cell holding a small number is a row's label cut down to its numeral by a
        recogniser (``3`` for 3.其他): it opens a grid row, left of the columns the header names."""
        if not (token.exact and token.col is not None and len(token.norm) == 1 and token.norm.isdigit()):
            return False  # the common case, every value of a table, settled before the header is looked at
        columns = [t.col for _, t in self.header if t.exact and t.col is not None]
        return bool(columns) and token.col < min(columns) \
            and (self.current is None or token.row != self.current.label.row)

    def _opens_unnamed(self, token: Token) -> bool:
        """Whether an unknown grid label starts a row: none is open, or the one open is itself unnamed and
        stands on an earlier grid row. (The header's own unknown cells open rows too, but rows without a
        number are never named.)"""
        if not (token.exact and len(token.norm) >= 2):
            return False
        return self.current is None or (self.current.key == "" and token.row != self.current.label.row)

    def _open_unnamed(self, token: Token, cut_short: bool) -> None:
        """A grid row under an unknown label: its values are kept apart until its place may name it."""
        self.current = RowValues("", token)
        self.unnamed.append((len(self.rows), self.current, cut_short))


def _place(walk: _Table3Walk, year: int | None) -> tuple[Table, list[Finding]]:
    """The cells of the rows the walk found: grid rows by their columns, text rows by their sums."""
    findings = walk.findings
    labelled = {r.key for r in walk.rows if r.key}
    walked = _named_by_place(walk, t3_edition(labelled, year))
    labelled = {r.key for r in walked if r.key}
    _values_printed_apart([r for r in walked if r.key != "other_total" or r.values])
    rows = _rows_to_place(walked, findings)
    seen = {r.key for r in rows}
    edition = t3_edition(seen | labelled, year)
    columns = t3_columns(walk.header)
    cells: dict[str, Cell] = {}
    for row in (r for r in rows if r.label.exact):
        # The template fixes the seven columns: a row of seven values fits them even when a garbled
        # header named fewer.
        place_row("t3", row, columns, walk.header, cells, findings, T3_COLUMN_BY_KEY.__getitem__,
                  fallback=T3_COLUMN_KEYS)
    text_rows = [r for r in rows if not r.label.exact]
    if text_rows:
        text_rows, strays = _text_rows_and_strays(text_rows, walked, edition)
        findings += _place_text(walk.tokens, text_rows, strays, edition, cells)
    findings = confirm_by_sums("t3", cells, findings, t3_sum_rules(edition) if edition else ())
    if edition:
        findings += _missing_rows(seen, edition, cells)
        cells = {k: v for k, v in cells.items() if k.rsplit(".", 1)[0] in T3_ROW_KEYS[edition]}
    return Table(3, edition, cells), findings


def _named_by_place(walk: _Table3Walk, edition: Edition | None) -> list[RowValues]:
    """The walked rows with the unnamed grid rows their place names; a row with values that stays
    unnamed, or one that cut another short, is one the template does not have (行政确认, 其中：…), and
    is named by a finding."""
    unnamed = [(at, row) for at, row, _ in walk.unnamed if _has_number(row)]
    rows, left = name_by_place(walk.rows, unnamed, T3_ROW_KEYS[edition or "2021"], lambda k: T3_ROWS[k].label)
    still = {id(r) for r in left}
    walk.findings += [extra_row("表三", row.label) for _, row, cut_short in walk.unnamed
                      if id(row) in still or (cut_short and not _has_number(row))]
    return rows


def _text_rows_and_strays(text_rows: list[RowValues], walked: list[RowValues], edition: Edition | None
                          ) -> tuple[list[RowValues], list[RowValues]]:
    """The text rows to place, and the values under no row's label. A row the edition does not have
    (（六）其他处理 over its own sub-rows) holds values under a group's label that belong to a row next to
    it: they are strays too."""
    strays = [r for r in walked if not r.key]
    if edition is None:
        return text_rows, strays
    foreign = [r for r in text_rows if r.key not in T3_ROW_KEYS[edition] and _has_number(r)]
    moved = {id(r) for r in foreign}
    return [r for r in text_rows if id(r) not in moved], strays + foreign


def _rows_to_place(rows: list[RowValues], findings: list[Finding]) -> list[RowValues]:
    """Each labelled row once; （六）其他处理 as a row only where values follow it (the 2019 shape)."""
    rows = _sound_rows_first([r for r in rows if r.key and (r.values or r.key != "other_total")])
    with_values = {r.key for r in rows if _has_number(r)}
    return first_of_each(
        [r for r in rows if _has_number(r) or r.key not in with_values], "表三",
        lambda key: [f"t3.{key}.{c}" for c in T3_COLUMN_KEYS], lambda key: T3_ROWS[key].label, findings)


def _sound_rows_first(rows: list[RowValues]) -> list[RowValues]:
    """The rows, where a label came twice with values, the one whose total is the sum of its cells put in
    place of the first — when only one of them is (a header's 总计 read as the row （七）总计)."""
    out = list(rows)
    printed: dict[str, list[int]] = {}
    for n, row in enumerate(out):
        if _has_number(row):
            printed.setdefault(row.key, []).append(n)
    for places in printed.values():
        if len(places) < 2:
            continue
        sound = [n for n in places if _row_total_holds([v for v in out[n].values if v.number.kind != "blank"])]
        if len(sound) == 1 and sound[0] != places[0]:
            out[places[0]], out[sound[0]] = out[sound[0]], out[places[0]]
    return out


def _has_number(row: RowValues) -> bool:
    """Whether a row has more than empty cells: a label broken over two lines gives its row twice, and
    only one of the two holds the values."""
    return any(v.number.kind != "blank" for v in row.values)


def _place_text(tokens: list[Token], rows: list[RowValues], strays: list[RowValues], edition: Edition | None,
                cells: dict[str, Cell]) -> list[Finding]:
    rules = t3_sum_rules(edition) if edition else ()
    notes: list[Finding] = []
    rows = settle_value_lines(rows, strays, T3_COLUMN_KEYS, rules)
    place_text_rows("t3", rows, T3_COLUMN_KEYS, rules, cells, notes, T3_COLUMN_BY_KEY.__getitem__)
    if edition and undecided(cells, T3_ROW_KEYS[edition]):
        notes = fill_in_template_order(tokens, edition, cells, notes, _read_on_label_line(rows))
    if edition and undecided(cells, T3_ROW_KEYS[edition]):
        notes = fill_column_major(tokens, edition, cells, notes) or notes
    return notes


def _values_printed_apart(rows: list[RowValues]) -> None:
    """Give a run of labels the run of values printed after the last of them (:mod:`.pooled`), row by
    row or column by column — the one order under which every row's total is the sum of its cells."""
    width = len(T3_COLUMN_KEYS)
    if not any(len(row.values) > width for row in rows):
        return  # no row holds the values of others
    for pool in pooled_rows(rows, (), lambda key: width if key in T3_ROWS else None, lambda key: 3):
        holding = {tuple(tuple(clean_text(v.text) for v in row) for row in reading): reading
                   for reading in pool.readings if all(_row_total_holds(row) for row in reading)}
        if len(holding) == 1:
            for row, values in zip(pool.rows, next(iter(holding.values())), strict=True):
                row.values = list(values)


def _row_total_holds(values: Sequence[Token]) -> bool:
    """Whether a row's values are its seven cells, the last the sum of the others."""
    return len(values) == len(T3_COLUMN_KEYS) \
        and rows_add_up([sum_value(clean_text(v.text)) for v in values], len(T3_COLUMN_KEYS))


def _missing_rows(seen: set[str], edition: Edition, cells: dict[str, Cell]) -> list[Finding]:
    out = []
    missing = [k for k in T3_ROW_KEYS[edition] if k not in seen and f"{k}.total" not in cells]
    if missing and seen:
        # With rows missing, the shape of （六）其他处理 that chose the edition may be the text's doing (a
        # split row whose label lost its place): the rows only the other edition has are in doubt too.
        other: Edition = "2021" if edition == "2019" else "2019"
        only_other = [k for k in T3_ROW_KEYS[other] if k not in T3_ROW_KEYS[edition]]
        labels = "、".join(T3_ROWS[k].label for k in missing)
        also = "、".join(T3_ROWS[k].label for k in only_other)
        out.append(finding(
            "PARSE-ROW", f"表三 缺少以下行，无法读取：{labels}"
                         f"（按{edition}年版读取；若为{other}年版，其{also}亦未读取）",
            [f"t3.{k}.{c}" for k in [*missing, *only_other] for c in T3_COLUMN_KEYS]))
    if "other_total" in seen and any(k.startswith("other.") for k in seen):
        out.append(finding(
            "PARSE-ROW", f"表三 同时出现“{T3_GROUPS['other'][0]}”单行与其分项，按2021年版读取。",
            [f"t3.other_total.{c}" for c in T3_COLUMN_KEYS]))
    return out


def t3_edition(seen: set[str], year: int | None) -> Edition | None:
    """Table 3's edition from its rows: the 2021 edition splits （六）其他处理 into three."""
    if any(k.startswith("other.") for k in seen):
        return "2021"
    if "other_total" in seen:
        return "2019"
    if seen:
        return "2021" if (year or 2021) >= 2021 else "2019"
    return None


def t3_columns(header: list[tuple[str, Token]]) -> list[str]:
    """The data columns, in the template's order, that the header names (all seven if it names none)."""
    named = {k for k, _ in header}
    if len(named) < 2:
        return list(T3_COLUMN_KEYS)
    return [k for k in T3_COLUMN_KEYS if k in named]


def undecided(cells: dict[str, Cell], rows: Sequence[str]) -> bool:
    return any(cells.get(f"{r}.{c}") is None or cells[f"{r}.{c}"].kind == "invalid"
               for r in rows for c in T3_COLUMN_KEYS)


def _read_on_label_line(rows: Sequence[RowValues]) -> set[str]:
    """The cells of rows whose values all stand on their label's own line."""
    return {cell_key(row.key, c) for row in rows
            if row.values and all(v.row == row.label.row for v in row.values if v.number.kind != "blank")
            for c in T3_COLUMN_KEYS}


def fill_in_template_order(tokens: Sequence[Token], edition: Edition, cells: dict[str, Cell],
                           notes: list[Finding], firm: set[str] | None = None) -> list[Finding]:
    """Read table 3's values in the official order of its rows and columns, when its labels are out of
    place (a text dump that lost where labels stood) but its values are not.

    Accepted only when the table holds exactly one value per cell, every sum of the table holds on that
    reading (or it breaks no more than ``DecoderSettings.broken_sums_in_order``, none over a value printed
    apart from its row: the authors' slips), and it agrees with every cell already read by its label — of
    those in ``firm`` (all when it is None): a row's values printed on the lines around its label may be
    the next row's, printed above that row's label (PDF text tools set a tall row's values at its
    middle). Returns the notes still valid.
    """
    order = [(r, c) for r in T3_ROW_KEYS[edition] for c in T3_COLUMN_KEYS]
    reading = _template_reading(tokens, order, edition)
    if reading is None:
        return notes
    values, permutation, transposed = reading
    fresh = _agreeing_cells(order, values, cells, firm)
    if fresh is None:
        return notes
    cells.update(fresh)
    kept = [n for n in notes if not n.keys or not all(k.partition(".")[2] in fresh for k in n.keys)]
    moved = [] if transposed else [f"t3.{r}.{c}" for n, (r, c) in enumerate(order) if permutation[n] != n]
    kept.append(finding("PARSE-ORDER", _order_note(moved, transposed), moved))
    return kept


def _template_reading(tokens: Sequence[Token], order: list[tuple[str, str]], edition: Edition
                      ) -> tuple[list[Token], tuple[int, ...], bool] | None:
    """The values in template order (with the order taken and whether blocks were turned), or None."""
    values = [t for t in tokens if t.is_value and t.number.kind not in ("blank", "invalid")]
    if len(values) != len(order) or any(v.glued for v in values):
        return None
    permutation, transposed = _template_permutation([clean_text(v.text) for v in values], edition)
    if permutation is None:
        return None
    values = [values[i] for i in permutation]
    if not _slips_clear_of_strays(order, values, edition):
        return None
    return values, permutation, transposed


def _slips_clear_of_strays(order: list[tuple[str, str]], values: list[Token], edition: Edition) -> bool:
    """Whether every sum the reading breaks stays clear of values printed on a line apart from the rest of
    their row. Where such a value goes in its row is the reading's guess, and a sum broken over it says
    the guess is wrong; a sum broken over values printed together is the source's own slip."""
    broken = in_broken_sums([clean_text(v.text) for v in values], order, t3_sum_rules(edition))
    width = len(T3_COLUMN_KEYS)
    for start in range(0, len(values), width):
        lines = Counter(v.row for v in values[start:start + width])
        line, count = lines.most_common(1)[0]
        if count * 2 < width:
            continue  # one value a line (a dump of one cell per line): no line is the row's own
        if any(p in broken for p in range(start, start + width) if values[p].row != line):
            return False
    return True


def _order_note(moved: list[str], transposed: bool) -> str:
    if transposed:
        return ("表三 的数值在文字中分块排列，部分行按列给出；已按官方表格的行、列顺序读取，"
                "每行合计与表内各项合计决定了分块方式。")
    return ("表三 的行标签在文字中位置错乱；数值按官方表格的行、列顺序读取，表内各项合计均成立。"
            + (f"其中 {len(moved)} 个数值在文字中的位置与表格不符，已按合计关系调回，请核对。" if moved else ""))


def _template_permutation(texts: list[str], edition: Edition) -> tuple[tuple[int, ...] | None, bool]:
    """The order of the values in template order: as printed up to one moved block, or else with blocks
    of rows printed column by column (True)."""
    rules = t3_sum_rules(edition)
    order = [(r, c) for r in T3_ROW_KEYS[edition] for c in T3_COLUMN_KEYS]
    decoder = options().decoder
    permutation = restore_order(texts, order, rules, decoder.moved_block_span, decoder.broken_sums_in_order)
    if permutation is not None:
        return permutation, False
    permutation = restore_blocks(texts, T3_ROW_KEYS[edition], T3_COLUMN_KEYS, rules,
                                 options().decoder.max_block_readings, options().decoder.broken_sums_in_order)
    return permutation, permutation is not None


def _agreeing_cells(order: list[tuple[str, str]], values: list[Token], cells: dict[str, Cell],
                    firm: set[str] | None) -> dict[str, Cell] | None:
    """The cells of a reading in template order, or None where it contradicts a firm cell read by its
    label."""
    fresh: dict[str, Cell] = {}
    for (row, column), token in zip(order, values, strict=True):
        cell = cell_from(token, T3_COLUMN_BY_KEY[column], [], f"t3.{row}.{column}")
        old = cells.get(f"{row}.{column}")
        if old is not None and old.kind != "invalid" and old.value != cell.value \
                and (firm is None or f"{row}.{column}" in firm):
            return None
        fresh[f"{row}.{column}"] = cell
    return fresh
