"""Table 2 (主动公开): captions, the header of each block, and its rows."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import cast

import attrs

from ..model import Cell, Finding, Table
from ..normalize import clean_text
from ..schema import (
    T2_COLUMNS,
    T2_LAYOUT,
    T2_ROWS,
    Column,
    Edition,
    SubTable,
    label_of,
    t2_keys,
    unit_fits,
)
from ..settings import options
from ..stated import StatedFigure
from .gridrows import place_row
from .labels import is_garbled_label, t2_classify, t2_edition_signal
from .pooled import pooled_rows
from .rows import RowValues, confirm_by_sums, extra_row, finding, foreign_row, stray_value
from .textrows import place_text_rows
from .tokens import Token, expand_glued_labels, walk_labels


def parse_table2(tokens: Sequence[Token], year: int | None = None,
                 stated: Mapping[str, StatedFigure] | None = None) -> tuple[Table, list[Finding]]:
    """Read table 2: sub-table captions, the header of each, and its rows.

    ``stated`` holds the figures the report's overview gives for cells (see :mod:`govreport.stated`):
    where a row's digits run together, they choose among the ways the text can be read.
    """
    walk = _Table2Walk(expand_glued_labels(tokens, 2, t2_classify))
    walk.run()
    edition = walk.edition(year)
    disputed = _values_printed_apart(walk, edition)
    _pin_values_no_other_row_can_take(walk, edition, disputed)
    cells: dict[str, Cell] = {}
    seen: set[str] = set()
    for row, header, editions in walk.rows:
        if row.key not in seen:
            seen.add(row.key)
            cells.update(_row_cells(row, header, editions, edition, walk.findings, stated,
                                    disputed.get(id(row), {})))
    findings = walk.findings
    missing = [k for k in t2_keys(edition) if k not in cells]
    if missing and cells:
        findings.append(finding(
            "PARSE-ROW", "表二 以下栏目未找到：" + "、".join(label_of(f"t2.{k}", edition) for k in missing),
            [f"t2.{k}" for k in missing]))
    findings = confirm_by_sums("t2", cells, findings, ())  # table 2 has no sums: doubt stays doubt
    if len(walk.garbled) >= options().decoder.garbled_labels:
        findings.append(_garbled_note(walk.garbled, cells))
    return Table(2, edition if cells else None, cells), findings


_Header = list[tuple[str, Token]]


def _garbled_note(garbled: list[Token], cells: Mapping[str, Cell]) -> Finding:
    """Table 2's numbers, named as unchecked, where its labels came through misread: a text that garbles
    words (another tool's OCR) garbles digits as well, and no sum of table 2 would catch one."""
    read = [f"t2.{k}" for k, c in cells.items() if c.value is not None]
    shown = "、".join(f"“{t.text.strip()}”" for t in garbled[:3])
    return finding("PARSE-UNSURE", f"表二 有 {len(garbled)} 处标签无法辨认（如 {shown}），文字可能由识别软件生成；"
                                   "表二 没有合计可以校验其数字，所读数值请对照原件核对。", read)


def _pin_values_no_other_row_can_take(walk: _Table2Walk, edition: Edition, pooled: Mapping[int, object]) -> None:
    """Mark the rows whose values, printed on the lines after their label's, can be no other row's.

    Text in the page's order (``pdftotext -raw``, pypdfium2) may put a row's last values on lines of
    their own: ``行政许可 396`` / ``442`` / ``278`` / ``其他对外管理服务事项 10 7 105``. Lines between two
    labels could be the end of the row above or, printed before its label, the start of the row below;
    table 2 has no sums to tell. The count can: a row that has exactly a number for each of its cells,
    between rows of its block that have exactly theirs (or none), holds its own and nobody else's. A row
    short of numbers (its blank cells' places a guess), a neighbour with too few or too many (values
    that wandered), values printed before a label (their order open) and rows read from a run of values
    (:mod:`.pooled`, with their own doubts) leave the doubt where it was.
    """
    block = {row: n for n, sub in enumerate(T2_LAYOUT[edition]) for row in sub.rows}
    widths = {row: len(sub.columns) for sub in T2_LAYOUT[edition] for row in sub.rows}
    rows = [row for row, _, _ in walk.rows]

    def full(row: RowValues) -> bool:
        return sum(v.number.kind != "blank" for v in row.values) == widths.get(row.key, -1)

    for n, row in enumerate(rows):
        if row.printed_before or id(row) in pooled or not full(row):
            continue
        neighbours = rows[max(0, n - 1):n] + rows[n + 1:n + 2]
        row.pinned = all(block.get(other.key) != block[row.key] or full(other) for other in neighbours)


def _values_printed_apart(walk: _Table2Walk, edition: Edition) -> dict[int, dict[int, list[str]]]:
    """Give rows printed as a run of labels the run of values after them (:mod:`.pooled`); for each such
    row (by ``id``), the cells the text leaves in doubt."""
    block = {row: n for n, sub in enumerate(T2_LAYOUT[edition]) for row in sub.rows}
    widths = {row: len(sub.columns) for sub in T2_LAYOUT[edition] for row in sub.rows}
    disputed: dict[int, dict[int, list[str]]] = {}
    for pool in pooled_rows([row for row, _, _ in walk.rows], walk.loose, widths.get, block.get):
        for n, (row, values) in enumerate(zip(pool.rows, pool.readings[0], strict=True)):
            row.values = list(values)
            disputed[id(row)] = pool.disputed(n)
    return disputed


@attrs.define(eq=False, repr=False)
class _Table2Walk:
    """One pass over table 2's tokens: each row with the header of its block, and the edition's votes."""

    tokens: list[Token]
    findings: list[Finding] = attrs.field(factory=list)
    votes: dict[str, int] = attrs.field(factory=lambda: {"2019": 0, "2021": 0})
    header: _Header = attrs.field(factory=list)
    header_editions: list[Edition | None] = attrs.field(factory=list)
    in_header: bool = False
    rows: list[tuple[RowValues, _Header, list[Edition | None]]] = attrs.field(factory=list)
    current: RowValues | None = None
    #: Values after a block's header and before any row label: pdftotext prints a one-row block's value
    #: before its label (本年收费金额 7545 行政事业性收费). They are the next row's if it has none.
    early: list[Token] = attrs.field(factory=list)
    #: The early values of the row being read.
    before: list[Token] = attrs.field(factory=list)
    #: Every value read outside a row, with the number of rows read before it.
    loose: list[tuple[int, Token]] = attrs.field(factory=list)
    #: Labels that are neither the template's nor a piece of one: misread words (OCR text).
    garbled: list[Token] = attrs.field(factory=list)

    def run(self) -> None:
        walk_labels(self.tokens, t2_classify, self._value, self._label)
        self._close()

    def edition(self, year: int | None) -> Edition:
        if self.votes["2019"] != self.votes["2021"]:
            return "2019" if self.votes["2019"] > self.votes["2021"] else "2021"
        return "2021" if (year or 2021) >= 2021 else "2019"

    def _value(self, token: Token) -> None:
        if self.current is not None:
            self.current.values.append(token)
            return
        self.loose.append((len(self.rows), token))
        if self.in_header and token.number.kind == "blank" and token.col is not None:
            self.header.append(("", token))
            self.header_editions.append(None)
        elif self.in_header and not token.exact and token.number.kind != "blank":
            self.early.append(token)

    def _new_block(self, in_header: bool) -> None:
        self.current, self.header, self.header_editions, self.in_header = None, [], [], in_header
        self.early = []

    def _close(self) -> None:
        """The row just read takes the values printed before its label when it has none after it."""
        if self.current is None:
            return
        if self.before:
            # Values on both sides of the label: a cell printed out of line (a tall cell's value centred
            # above its label). Together they are the row; if they are too many, the row stays in doubt.
            values = self.current.values
            if any(t.number.kind != "blank" for t in values):
                self.current.values = self.before + values
                self.current.printed_before = len(self.before)
            else:
                self.current.values = self.before
        self.before = []

    def _label(self, token: Token, kind: str, key: object) -> None:
        if is_garbled_label(token.norm, 2):
            self.garbled.append(token)
        if kind in ("caption", "header", "column", "row"):
            self._close()
        if kind == "caption":
            self.votes["2019"] += key == "九"
            self._new_block(False)
        elif kind == "header":
            self._new_block(True)
        elif kind == "column":
            column_edition, column_key = cast(tuple[Edition, str], key)
            if self.current is not None and self.current.values:
                self._new_block(True)
            self.in_header = True
            self.header.append((column_key, token))
            self.header_editions.append(column_edition)
            self.votes[column_edition] += t2_edition_signal(token.norm, column_edition, column_key)
        elif kind == "unknown" and stray_value(token, self.current):
            self.current.values.append(token)  # type: ignore[union-attr]
        elif kind == "unknown" and foreign_row(token, self.current):
            self.findings.append(extra_row("表二", token))
            self.current = None
        elif kind == "row":
            self.votes["2019"] += key in ("other_services", "centralized_procurement")
            self.in_header = False
            self.current = RowValues(str(key), token)
            self.before, self.early = self.early, []
            self.rows.append((self.current, list(self.header), list(self.header_editions)))


def _row_columns(row: RowValues, header: _Header, editions: list[Edition | None], edition: Edition,
                 sub: SubTable, findings: list[Finding]) -> list[str]:
    """The columns a row's values go to, in the order its header gives them."""
    # The edition fixes each block's columns; a header read from text may have lost or glued some of
    # its labels, so it decides only the order, and only when it names every official column.
    named = [k for k, _ in header if k in sub.columns]
    columns = named if sorted(named) == sorted(sub.columns) and len(named) == len(set(named)) \
        else list(sub.columns)
    unlabelled = [k for k, _ in header if not k]
    # A grid's unnamed header cell is a column the template does not have; in text it is what a
    # lost span left, and the row's empty cells absorb it.
    if row.label.exact and header and unlabelled and named == list(sub.columns[: len(named)]):
        columns = [k for k, _ in header]
    if _mixes_editions(columns, editions, edition, sub):
        findings.append(finding(
            "PARSE-COLUMN", f"表二 {T2_ROWS[row.key].label} 的表头混用了两个版本的栏目，"
                            f"按{edition}年版读取。", [f"t2.{row.key}.{c}" for c in sub.columns]))
    return [c or f"_unlabelled{n}" for n, c in enumerate(columns)]


def _mixes_editions(columns: list[str], editions: list[Edition | None], edition: Edition, sub: SubTable) -> bool:
    return any(k and e and e != edition and k not in sub.columns
               for k, e in zip(columns, editions, strict=False))


def _row_cells(row: RowValues, header: _Header, editions: list[Edition | None], edition: Edition,
               findings: list[Finding], stated: Mapping[str, StatedFigure] | None,
               disputed: Mapping[int, list[str]]) -> dict[str, Cell]:
    """One row's cells of the edition's block, or none with a finding; ``disputed`` cells (by position)
    are left blank and named with the values the text allows."""
    _tidy_header(row, header, editions)
    sub = next((s for s in T2_LAYOUT[edition] if row.key in s.rows), None)
    if sub is None:
        findings.append(finding("PARSE-ROW", f"表二 “{row.label.text.strip()}”不属于{edition}年版格式，未读取。"))
        return {}
    columns = _row_columns(row, header, editions, edition, sub, findings)
    _values_in_column_order(row, header, columns, edition)

    def column_of(key: str) -> Column:
        return T2_COLUMNS[edition].get(key) or ANY_COLUMN

    row_cells: dict[str, Cell] = {}
    if row.label.exact:
        place_row("t2", row, columns, [(k, t) for k, t in header if k], row_cells, findings, column_of)
    else:
        place_text_rows("t2", [row], columns, (), row_cells, findings, column_of, stated)
    out = {k: c for k, c in row_cells.items() if k.rsplit(".", 1)[1] in sub.columns}
    if disputed:
        _leave_disputed(row, [columns[n] for n in disputed], list(disputed.values()), out, findings)
    _name_unlabelled_values(row, row_cells, out, findings)
    return out


def _tidy_header(row: RowValues, header: _Header, editions: list[Edition | None]) -> None:
    # Trailing empty header cells are what is left of merged cells, not columns.
    while header and not header[-1][0]:
        header.pop()
        editions.pop()
    _collapse_repeated_spans(row, header, editions)


def _values_in_column_order(row: RowValues, header: _Header, columns: Sequence[str], edition: Edition) -> None:
    if row.printed_before:
        _order_by_units(row, [T2_COLUMNS[edition].get(c) for c in columns])
    elif not row.label.exact:
        _keep_named_columns(row, header, columns)


def _name_unlabelled_values(row: RowValues, row_cells: dict[str, Cell], out: dict[str, Cell],
                            findings: list[Finding]) -> None:
    for key, cell in row_cells.items():
        if key.rsplit(".", 1)[1].startswith("_unlabelled") and cell.value is not None:
            # The value belongs to one of the row's cells its grid left empty: those are in doubt.
            empty = [f"t2.{k}" for k, c in out.items() if c.value is None]
            message = f"表二 {T2_ROWS[row.key].label} 有一个没有表头的数值“{cell.raw.strip()}”，未读取。"
            findings.append(finding("PARSE-COLUMN", message, empty))


def _collapse_repeated_spans(row: RowValues, header: _Header, editions: list[Edition | None]) -> None:
    """A merged cell that a tool wrote once per column it spans (docling's and pandas' tables): two
    neighbouring header cells with the same label, over two neighbouring values that are the same too,
    are one column and one value. Values that differ stay as printed (and the row's count decides)."""
    n = len(header) - 1
    while n > 0:
        (key, head), (before_key, before) = header[n], header[n - 1]
        if key and key == before_key and _side_by_side(before, head):
            at = {v.col: v for v in row.values if _in_one_grid(head, v)}
            left, right = at.get(before.col), at.get(head.col)
            if left is not None and right is not None and clean_text(left.text) == clean_text(right.text):
                row.values.remove(right)
                del header[n], editions[n]
        n -= 1


def _order_by_units(row: RowValues, columns: Sequence[Column | None]) -> None:
    """Values printed on both sides of their label, put in the one order their units allow: an amount in
    元 goes to the amount column, whichever side of the label it stood (``147230元`` / 政府集中采购 / ``3``).
    Where the units decide nothing, the printed order stands."""
    before, after = row.values[: row.printed_before], row.values[row.printed_before:]
    fitting = [order for order in (before + after, after + before) if _units_fit(order, columns)]
    if len(fitting) == 1:
        row.values = fitting[0]


def _keep_named_columns(row: RowValues, header: _Header, columns: Sequence[str]) -> None:
    """A row of a text grid with a cell under each cell of its block's header (and no more): its values
    are the ones under the named columns, by position. An empty cell under an unnamed header cell is what
    a lost span left (``| 上一年项目数量 | 本年增/减 | | 处理决定数量 |``), wherever it stands; without the
    header, an empty cell at the row's start might as well be taken for it, and the values shift."""
    if not row.values or not header:
        return
    named = {t.col: key for key, t in header if t.col is not None and _in_one_grid(t, row.label)}
    under = {v.col: v for v in row.values if v.col is not None and _in_one_grid(v, row.label)}
    if len(named) != len(header) or len(under) != len(row.values) or set(named) != set(under):
        return
    if any(not key and under[col].number.kind != "blank" for col, key in named.items()):
        return
    if [named[col] for col in sorted(named) if named[col]] == list(columns):
        row.values = [under[col] for col in sorted(named) if named[col]]


def _units_fit(values: Sequence[Token], columns: Sequence[Column | None]) -> bool:
    """Whether each value's unit fits the column it would stand in."""
    printed = [v for v in values if v.number.kind != "blank"]
    return len(printed) == len(columns) and all(
        column is None or unit_fits(value.number.unit, column) for value, column in zip(printed, columns, strict=True))


def _side_by_side(a: Token, b: Token) -> bool:
    """Whether ``b`` is the grid cell just right of ``a``."""
    return _in_one_grid(a, b) and a.col is not None and b.col == a.col + 1


def _in_one_grid(a: Token, b: Token) -> bool:
    """Whether two tokens are cells of one grid (not words of a line of text)."""
    return a.where[2] is not None and a.where[2] == b.where[2] and a.col is not None and b.col is not None


def _leave_disputed(row: RowValues, columns: list[str], alternatives: list[list[str]], cells: dict[str, Cell],
                    findings: list[Finding]) -> None:
    keys = [f"{row.key}.{c}" for c in columns]
    for key in keys:
        cells[key] = Cell(None, "", "invalid", None, row.label.source)
    listed = "；".join(f"{label_of('t2.' + k).split(' / ')[-1]}（{'或'.join(a)}）"
                      for k, a in zip(keys, alternatives, strict=True))
    findings.append(finding(
        "PARSE-ORDER", f"表二 “{row.label.text.strip()}”的数值与标签分开列出，可对应的方式不止一种"
                       f"（按行、按列或按印出位置），以下单元格按空白处理：{listed}（{row.label.source.describe()}）。",
        [f"t2.{k}" for k in keys]))


ANY_COLUMN = Column("_", "_", (), "decimal")
