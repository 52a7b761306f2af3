"""Place a text row's values where the text alone does not fix them (see :mod:`govreport.assign`).

Each row's printed values become pieces (digit runs that may be cut, empty cells that may be residue), the
readings of every row are weighed against the table's sums, and lines of values that stand apart from any
label are given to the label above or below them where the sums agree.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator, Mapping, Sequence

import attrs

from ..assign import Choice, Piece, Reading, choose, corroborated, known_values, readings, readings_hold, sum_value
from ..model import Cell, Finding
from ..normalize import clean_text, parse_number
from ..schema import (
    MONEY_UNITS,
    label_of,
    unit_fits,
)
from ..settings import options
from ..stated import StatedFigure
from .rows import RowValues, cell_from, cell_key, finding, table_name, unplaced
from .tokens import Token


def _row_readings(row: RowValues, width: int, accept=None) -> tuple[list[Reading] | None, bool, bool]:
    """The ways a text row's values fill ``width`` cells (None: too many to weigh), whether they had to be
    gathered from other lines than the label's, and whether the row's own sums chose among the readings
    the text allows.

    Layout text may set a value a line above or below its label, beside another row's values: the values
    on the label's own line are tried first. Empty cells before a row's first value or after its last
    are first taken for what spans or line breaks left, then for blank cells.
    """
    numbers = [v for v in row.values if v.number.kind != "blank"]
    if len(numbers) == width and all(_plain(v) for v in numbers) \
            and sum(v.row == row.label.row for v in numbers) in (0, width):
        # The common row: one value per cell, all on the label's line or all on lines of their own; the
        # empty cells around them can only be nothing.
        return [tuple(clean_text(v.text) for v in numbers)], False, False
    same = [v for v in row.values if v.row == row.label.row]
    attempts = [row.values]
    if any(v.number.kind != "blank" for v in same) and len(same) != len(row.values):
        attempts.insert(0, same)
    for n, values in enumerate(attempts):
        attempt = _readings_of_values(values, width, accept)
        if attempt is not None:
            found, joined, narrowed = attempt
            # Values from other lines than the label's are in doubt unless no other row can have them.
            return found, (n == 1 and not row.pinned) or joined, narrowed
    return [], False, False


def _readings_of_values(values: list[Token], width: int, accept) -> tuple[list[Reading] | None, bool, bool] | None:
    """The readings of one set of a row's values: (readings, whether a number broken over two lines was
    joined, whether the row's sums chose), or None when they do not fill the row."""
    following: list[Token | None] = [*values[1:], None][: len(values)]
    pieces = [v.piece(joins_next=_may_continue(v, nxt)) for v, nxt in zip(values, following, strict=True)]
    result = _readings_of_pieces(pieces, width, accept)
    if result is not None:
        return result[0], False, result[1]
    # Digits of one number broken over two lines: a reading only the row's sums can confirm.
    found = readings(_trimmed(pieces), width, accept=accept)
    if found:
        return found, True, True
    if accept is not None and sum(v.number.kind != "blank" for v in values) < width:
        # Cells are missing, and a tool may have lost the space between two of them (pypdf's layout
        # with narrow columns prints `1` and `21` as `121`): any run of digits may be two cells, but only
        # in a reading that the row's own sums choose.
        found = readings(_trimmed([_splittable(p) for p in pieces]), width, join=False, accept=accept)
        if found:
            return found, False, True
    return _without_repeats(pieces, width, accept)


def _without_repeats(pieces: list[Piece], width: int, accept) -> tuple[list[Reading], bool, bool] | None:
    """Readings of a row with more values than cells where a value repeats the one before it: a merged
    cell that the tool printed once per column it spans (python-docx's ``row.cells``). Each repeat may be
    a cell or nothing; the row's own sums choose, and in a table without sums only a row of one repeated
    value (`2293  2293  2293` for one cell) is read."""
    values = [p for p in pieces if p.text]
    if len(values) <= width or (accept is None and len({p.text for p in values}) > 1):
        return None
    # Where the sums can weigh them, the surplus values at either end may as well be another row's or
    # table's (pdfminer prints a column of the table before this one after its caption): those readings
    # are weighed too, and where they differ from the repeats' the cells stay in doubt.
    surplus = len(values) - width if accept is not None else 0
    if surplus > options().decoder.max_surplus_values:
        return None
    ends = {id(p) for p in values[:surplus] + values[len(values) - surplus:]}
    marked = [attrs.evolve(p, optional=True) if (n and p.text and p.text == pieces[n - 1].text) or id(p) in ends
              else p for n, p in enumerate(pieces)]
    found = readings(marked, width, join=False, accept=accept)
    if not found:
        return None
    return list(dict.fromkeys(found)), False, accept is not None


def _splittable(piece: Piece) -> Piece:
    digits = piece.text.isdigit() and len(piece.text) > 1
    return attrs.evolve(piece, splittable=True) if digits and not piece.splittable else piece


def _readings_of_pieces(pieces: list[Piece], width: int, accept) -> tuple[list[Reading] | None, bool] | None:
    """The first of the pieces' variants that fills the row — with the row's sums checked, then without
    them — and whether the sums chose among more readings; None when no variant fills it."""
    if accept is not None:
        for variant in _piece_variants(pieces):
            found = readings(variant, width, join=False, accept=accept)
            if found is None or found:
                return found, found is not None and readings(variant, width, len(found), join=False) is None
    unchecked = [found for variant in _piece_variants(pieces)
                 if (found := readings(variant, width, join=False)) is None or found]
    if not unchecked:
        return None
    if accept is None or not pieces[0].optional or None in unchecked:
        return unchecked[0], False
    # No reading keeps the row's sums (the source slipped), and the row starts with an empty piece: the
    # gap between the label and the values as often as an empty cell. Every way of taking it stands, and
    # where the readings differ the cell stays in doubt.
    return list(dict.fromkeys(r for found in unchecked for r in found or ())), False


def _accepting_by_row(columns: Sequence[str], rules) -> dict[str, Callable[[Reading], bool]]:
    """For each row with sums of its own, a test of its first cells against them.

    Readings grow one cell at a time and each prefix was tested before, so only the sums completed by
    the newest cell are checked.
    """
    index = {c: n for n, c in enumerate(columns)}
    completed: dict[str, dict[int, list[tuple[list[int], list[int]]]]] = {}
    for rule in rules:
        rows = {k[0] for k in rule.keys}
        if len(rows) == 1 and all(k[1] in index for k in rule.keys):
            last = max(index[k[1]] for k in rule.keys)
            completed.setdefault(rows.pop(), {}).setdefault(last, []).append(
                ([index[k[1]] for k in rule.left], [index[k[1]] for k in rule.right]))
    return {row: _accept(sums) for row, sums in completed.items()}


def _accept(completed: dict[int, list[tuple[list[int], list[int]]]]) -> Callable[[Reading], bool]:
    def accept(prefix: Reading) -> bool:
        for left, right in completed.get(len(prefix) - 1, ()):
            if sum(sum_value(prefix[n]) or 0 for n in left) != sum(sum_value(prefix[n]) or 0 for n in right):
                return False
        return True

    return accept


def _plain(token: Token) -> bool:
    """A value that fills exactly one cell: a number neither glued nor a run of zeros."""
    if token.glued or token.number.kind == "blank":
        return False
    text = clean_text(token.text)
    return not (text[:1] == "0" and len(text) > 1)


def _piece_variants(pieces: list[Piece]) -> Iterator[list[Piece]]:
    """The row's pieces as tried in turn: every empty cell a cell (a page's no-break spaces, one per
    empty cell), then without the empty cells at either end (what spans or line breaks left), then with
    each empty cell a cell or nothing."""
    if any(p.optional for p in pieces):
        yield [attrs.evolve(p, optional=False) if p.optional else p for p in pieces]
    yield _trimmed(pieces)
    if any(p.optional for p in pieces[:1] + pieces[-1:]):
        yield pieces


def _trimmed(pieces: list[Piece]) -> list[Piece]:
    start, end = 0, len(pieces)
    while start < end and pieces[start].optional:
        start += 1
    while end > start and pieces[end - 1].optional:
        end -= 1
    return pieces[start:end]


def _may_continue(token: Token, nxt: Token | None) -> bool:
    """Two lines of digits, each a line of its own, may be one number broken in two; so may two numbers one
    space apart in a line whose cells stand further apart."""
    if nxt is None or token.number.kind != "number" or nxt.number.kind != "number":
        return False
    if token.may_join:
        return nxt.row == token.row
    return token.col is None and nxt.col is None and nxt.row == token.row + 1


def place_text_rows(prefix: str, rows: Sequence[RowValues], columns: Sequence[str], rules,
                    cells: dict[str, Cell], findings: list[Finding], column_of,
                    stated: Mapping[str, StatedFigure] | None = None) -> None:
    """Place the values of rows read from text, letting the table's sums choose where the text is unclear.

    A row whose values had to be gathered from lines around its label is kept only where its sums
    confirm it: without them, which line's values belong to which row is a guess. ``stated`` holds
    figures the report's own words give for cells (by ``row.column``): among a row's readings, they
    choose the ones that agree with them, and a finding names every cell they decided.
    """
    candidates = _Candidates(_accepting_by_row(columns, rules))
    for row in rows:
        if not candidates.add(row, len(columns)):
            unplaced(prefix, row, columns, cells, findings, _why_unread(row, len(columns), candidates))
    told = _told_by_text(candidates.readings, columns, stated or {})
    placed, scattered, narrowed = candidates.placed, candidates.scattered, candidates.narrowed
    choice = choose(candidates.readings, columns, rules)
    checked = {k[0] for rule in rules for k in rule.keys}
    # A row's own total is a weak witness: where the sums across rows break, a wrong cut of a glued run
    # may add up by chance. A reading the row's sums chose stands where the sums across rows side with it.
    spanning = any(len({k[0] for k in rule.keys}) > 1 for rule in rules)
    values = known_values(choice.texts) if spanning and narrowed else {}
    for row in placed:
        if row.key in scattered and (row.key in choice.unverified or row.key not in checked) \
                and not _units_place(row.key, columns, choice, column_of):
            unplaced(prefix, row, columns, cells, findings,
                      "的数值分散在上下不同的行，无法由表内合计确认归属")
            continue
        if spanning and row.key in narrowed and not corroborated(row.key, values, rules):
            unplaced(prefix, row, columns, cells, findings,
                     "的数字串有多种拆分，本行合计虽能成立，但表内跨行的合计多处不成立，拆分无法确认")
            continue
        _cells_of_choice(prefix, row, columns, choice, cells, findings, column_of)
        if row.key in told:
            _name_told_cells(prefix, row, columns, told[row.key], cells, findings)


def _units_place(row_key: str, columns: Sequence[str], choice: Choice, column_of) -> bool:
    """Whether the units printed with a row's values vouch for its one reading, as its sums would: every
    unit fits its column, and an amount in 元 stands in the row's column of amounts (``政府集中采购 3`` /
    ``147230元``)."""
    pinned = False
    for column in columns:
        text = choice.texts.get((row_key, column))
        if text is None:
            return False
        unit = parse_number(text).unit
        if not unit_fits(unit, column_of(column)):
            return False
        pinned = pinned or unit in MONEY_UNITS
    return pinned


@attrs.frozen(eq=False, repr=False)
class _Told:
    """What stated figures did to a row's readings: the readings before, and the figures that chose."""

    before: list[Reading]
    figures: list[StatedFigure]


def _told_by_text(readings_by_row: dict[str, list[Reading]], columns: Sequence[str],
                  stated: Mapping[str, StatedFigure]) -> dict[str, _Told]:
    """Narrow each row's readings to those agreeing with the figures the text states for its cells.

    A figure that no reading agrees with is about something else (or the table differs from the text)
    and is passed over; the readings the text of the row allows are never widened.
    """
    told: dict[str, _Told] = {}
    for row_key, found in readings_by_row.items():
        kept: list[Reading] = found
        used: list[StatedFigure] = []
        for n, column in enumerate(columns):
            figure = stated.get(f"{row_key}.{column}")
            if figure is None or len({r[n] for r in kept}) < 2:
                continue
            agreeing = [r for r in kept if _same_count(r[n], figure.value)]
            if agreeing:
                kept, used = agreeing, [*used, figure]
        if used:
            readings_by_row[row_key] = kept
            told[row_key] = _Told(found, used)
    return told


def _same_count(text: str | None, stated: str) -> bool:
    return text is not None and text.isdigit() and int(text) == int(stated)


def _name_told_cells(prefix: str, row: RowValues, columns: Sequence[str], told: _Told,
                     cells: dict[str, Cell], findings: list[Finding]) -> None:
    """A finding naming the cells whose value only the stated figures decided."""
    decided = [n for n, c in enumerate(columns)
               if len({r[n] for r in told.before}) > 1 and cells[cell_key(row.key, c)].value is not None]
    if not decided:
        return
    listed = options().decoder.listed_alternatives
    others = "；".join("、".join(r[n] or "空" for n in range(len(columns))) for r in told.before[:listed])
    others += "；……" if len(told.before) > listed else ""
    quotes = "；".join(f"“{f.quote}”" for f in told.figures)
    findings.append(finding(
        "PARSE-STATED", f"{table_name(prefix)} “{row.label.text.strip()}”的数字相连，文字可有多种拆分（{others}），"
                        f"按正文所述（{quotes}）读取，请核对（{row.label.source.describe()}）。",
        [f"{prefix}.{cell_key(row.key, columns[n])}" for n in decided]))


def _why_unread(row: RowValues, width: int, candidates: _Candidates) -> str:
    if row.key in candidates.too_many:
        return f"的数字串可拆分的方式过多（{len(row.values)} 个数值，{width} 栏）"
    count = sum(1 for v in row.values if v.number.kind != "blank")
    return f"一行有 {count} 个数值，表格有 {width} 栏"


@attrs.define(eq=False, repr=False)
class _Candidates:
    """The readings of the rows that have any, and what the text said of each row's values."""

    #: Each row's test of a reading by its own sums.
    accepting: dict[str, Callable[[Reading], bool]]
    readings: dict[str, list[Reading]] = attrs.field(factory=dict)
    placed: list[RowValues] = attrs.field(factory=list)
    #: Rows whose values had to be gathered from lines around their label (and might be another row's).
    scattered: set[str] = attrs.field(factory=set)
    #: Rows with more than one reading, or whose own sums chose one.
    narrowed: set[str] = attrs.field(factory=set)
    too_many: set[str] = attrs.field(factory=set)

    def add(self, row: RowValues, width: int) -> bool:
        """Take a row's readings; False when it has none (or too many to weigh)."""
        found, gathered, by_own_sums = _row_readings(row, width, self.accepting.get(row.key))
        if not found:
            if found is None:
                self.too_many.add(row.key)
            return False
        if gathered:
            self.scattered.add(row.key)
        if by_own_sums or len(found) > 1:
            self.narrowed.add(row.key)
        self.readings[row.key] = found
        self.placed.append(row)
        return True


def _cells_of_choice(prefix: str, row: RowValues, columns: Sequence[str], choice: Choice,
                     cells: dict[str, Cell], findings: list[Finding], column_of) -> None:
    undecided: list[str] = []
    misplaced = False
    origins = _origins(row.values, {c: choice.texts[(row.key, c)] for c in columns})
    for c in columns:
        flat_key = f"{prefix}.{cell_key(row.key, c)}"
        text = choice.texts[(row.key, c)]
        if text is None:
            cells[cell_key(row.key, c)] = Cell(None, "", "invalid", None, row.label.source)
            listed = choice.alternatives[(row.key, c)][: options().decoder.listed_alternatives]
            undecided.append(f"{label_of(flat_key).split(' / ')[-1]}（{'或'.join(listed)}）")
            continue
        origin = origins.get(c, row.label)
        token = origin if clean_text(origin.text) == text else Token.of(text, origin.where, row.label.row)
        cell = cells[cell_key(row.key, c)] = cell_from(token, column_of(c), findings, flat_key)
        misplaced = misplaced or (cell.kind == "invalid" and bool(cell.raw))
    if misplaced:
        _doubt_blanks_beside_invalid(prefix, row, columns, cells, findings)
    if undecided:
        findings.append(finding(
            "PARSE-ROW", f"{table_name(prefix)} “{row.label.text.strip()}”的数值无法唯一确定"
                         f"（文字中数字相连或缺少分隔，表内合计也无法判定），以下单元格按空白处理："
                         + "；".join(undecided) + f"（{row.label.source.describe()}）。",
            [f"{prefix}.{cell_key(row.key, c)}" for c in columns if choice.texts[(row.key, c)] is None]))


def _doubt_blanks_beside_invalid(prefix: str, row: RowValues, columns: Sequence[str], cells: dict[str, Cell],
                                 findings: list[Finding]) -> None:
    """Called where a value cannot stand in its column (an amount in yuan in a count column): the row's
    values may have gone to the wrong cells, so the cells left blank beside it are in doubt too."""
    keys = [cell_key(row.key, c) for c in columns]
    blank = [f"{prefix}.{k}" for k in keys if cells[k].value is None and not cells[k].raw]
    if blank:
        findings.append(finding(
            "PARSE-ROW", f"{table_name(prefix)} “{row.label.text.strip()}”有不能放入所在栏目的数值，本行的数值"
                         f"可能错位，空白的单元格未必为空（{row.label.source.describe()}）。", blank))


def _origins(values: Sequence[Token], texts: dict[str, str | None]) -> dict[str, Token]:
    """The value token each decided cell's text came from, for provenance (cut runs share a token)."""
    out: dict[str, Token] = {}
    pending = [v for v in values if v.number.kind != "blank"]
    filled = [(c, t) for c, t in texts.items() if t]
    if len(filled) == len(pending) and all(clean_text(v.text) == t
                                           for v, (_, t) in zip(pending, filled, strict=True)):
        return {c: v for v, (c, _) in zip(pending, filled, strict=True)}  # one token a cell, as printed
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


def _full_line(tokens: list[Token], width: int) -> bool:
    numbers = [t for t in tokens if t.number.kind != "blank"]
    return len(numbers) == width and not any(t.glued for t in numbers)


def _by_line(values: list[Token]) -> dict[int, list[Token]]:
    lines: dict[int, list[Token]] = {}
    for value in values:
        lines.setdefault(value.row, []).append(value)
    return lines


#: A world gives some value lines to rows: row index → the line's tokens.
_World = dict[int, list[Token]]


def settle_value_lines(rows: list[RowValues], strays: list[RowValues], columns: Sequence[str],
                       rules) -> list[RowValues]:
    """Give lines that hold only a row's worth of values to the label above or below them.

    PDF text sets a row's values on the middle line of its cell: where a label wraps, the values stand
    on a line of their own, before or after the label's line, and the label's own line has none. Each
    such line may belong to the nearest label above or below that has no values of its own; every
    assignment is tried and kept when all of the table's sums hold on it. A row gets its values when all
    kept assignments give it the same ones. ``strays`` are values found under no label at all.
    """
    width = len(columns)
    floating = sorted(_floating_lines(rows, strays, width), key=lambda item: (item[0], item[1][0].row))
    if not floating or len(floating) > options().decoder.max_joints:
        return rows
    moved = {id(t) for _, line in floating for t in line}
    own = [_own_values(row, moved, width) for row in rows]
    needy = {n for n, values in enumerate(own) if not any(v.number.kind != "blank" for v in values)}
    worlds = _fewest_broken_worlds(rows, own, _worlds(floating, needy, len(rows)), columns, rules)
    if not worlds or len(worlds) > options().decoder.max_readings:
        return rows
    return [RowValues(row.key, row.label, _values_in(worlds, n, row, moved)) for n, row in enumerate(rows)]


def _own_values(row: RowValues, moved: set[int], width: int) -> list[Token]:
    """The values a row keeps whatever becomes of the floating lines: a full row on its label's line, else
    all of its values that float nowhere (one a line, in a dump of one cell a line)."""
    on_label_line = _by_line(row.values).get(row.label.row, [])
    if _full_line(on_label_line, width):
        return on_label_line
    return [v for v in row.values if id(v) not in moved]


def _floating_lines(rows: list[RowValues], strays: list[RowValues], width: int) -> list[tuple[int, list[Token]]]:
    """Full lines of values away from their label's line, each with the index of the label above it."""
    out: list[tuple[int, list[Token]]] = []
    for n, row in enumerate(rows):
        lines = _by_line(row.values)
        lines.pop(row.label.row, None)
        out += [(n, line) for line in lines.values() if _full_line(line, width)]
        out += [(n, chunk) for chunk in _stacked_rows(lines, width, 2)]
    for stray in strays:
        above = sum(1 for r in rows if r.label.row < stray.label.row) - 1
        lines = _by_line(stray.values)
        out += [(above, line) for line in lines.values() if _full_line(line, width)]
        out += [(above, chunk) for chunk in _stacked_rows(lines, width, 1)]
    return out


def _stacked_rows(lines: dict[int, list[Token]], width: int, least: int) -> list[list[Token]]:
    """At least ``least`` rows' worth of values printed one a line after a label: a PDF's text blocks in
    the order of their tops put the next row's values, centred beside its taller label, before that
    label. Each row's worth floats."""
    numbers = [v for line in lines.values() for v in line if v.number.kind != "blank"]
    if len(numbers) < least * width or len(numbers) % width or len({v.row for v in numbers}) != len(numbers) \
            or any(v.glued for v in numbers):
        return []
    return [numbers[i:i + width] for i in range(0, len(numbers), width)]


def _worlds(floating: list[tuple[int, list[Token]]], needy: set[int], count: int) -> Iterator[_World]:
    """Every way to give each floating line (in the text's order) to the needy label above or below it, or
    to none."""
    owners_of = [[o for o in (n, n + 1) if o in needy and 0 <= o < count] for n, _ in floating]
    for owners in itertools.product(*[[*o, None] for o in owners_of]):
        taken = [o for o in owners if o is not None]
        # Lines keep the order of the rows they go to: a later line never goes to an earlier row.
        if all(a < b for a, b in itertools.pairwise(taken)):
            yield {o: floating[i][1] for i, o in enumerate(owners) if o is not None}


def _values_in(worlds: list[_World], n: int, row: RowValues, moved: set[int]) -> list[Token]:
    """A row's values when every kept world agrees on them; none (a finding follows) when they differ."""
    given = {tuple(clean_text(t.text) for t in w[n]) if n in w else None for w in worlds}
    if len(given) > 1:
        return []
    if n in worlds[0]:
        return list(worlds[0][n])
    return [v for v in row.values if id(v) not in moved]


def _fewest_broken_worlds(rows: list[RowValues], own: list[list[Token]], worlds: Iterator[_World],
                         columns: Sequence[str], rules) -> list[_World]:
    """The worlds in which every row has a full row of values and the fewest of the table's sums break —
    none, or no more than a report's few slips of its own (``DecoderSettings.broken_sums_in_order``)."""
    kept: list[_World] = []
    fewest = options().decoder.broken_sums_in_order
    for world in worlds:
        broken = _broken_in_world(rows, own, world, columns, rules)
        if broken is None or broken > fewest:
            continue
        if broken < fewest:
            kept, fewest = [], broken
        kept.append(world)
    return kept


def _broken_in_world(rows: list[RowValues], own: list[list[Token]], world: _World, columns: Sequence[str],
                     rules) -> int | None:
    """How many of the table's sums break when the world's lines go to its rows; None when a row is not
    full or no sum can be checked."""
    reading: dict[tuple[str, str], str] = {}
    for n, row in enumerate(rows):
        numbers = [clean_text(v.text) for v in (world.get(n) or own[n]) if v.number.kind != "blank"]
        if len(numbers) != len(columns):
            return None
        reading.update({(row.key, c): t for c, t in zip(columns, numbers, strict=True)})
    applicable = [r for r in rules if all(k in reading for k in r.keys)]
    if not applicable:
        return None
    return sum(1 for r in applicable if not readings_hold(reading, [r]))


