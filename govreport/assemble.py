"""Turn the intermediate document of any reader into a :class:`~govreport.model.Report`.

The one place that knows how a report is laid out: it finds the title and the six section headings,
drops page furniture and sign-offs, finds tables 2–4 (as grids, or flattened into lines of text) and
hands their cells to :mod:`govreport.decoding`.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Callable, Sequence

import attrs

from . import layout
from .body import focused
from .decoding import Token, parse_table2, parse_table3, parse_table4, signature_of, table_kind
from .decoding.strays import with_strays_placed
from .document import Block, Document, Paragraph, TableCell
from .document import Table as GridTable
from .errors import NotAReportError
from .lazyre import lazy_compile
from .model import Finding, Metadata, Report, Sections, SourceInfo, Table
from .normalize import clean_text, normalize_label, parse_number, squash_space
from .prosegrids import prose_as_paragraphs
from .schema import SECTIONS, T4_COLUMNS, T4_GROUPS, T4_LITIGATION_HEADER, TABLE_OF_SECTION, TABLE_STARTS
from .settings import options
from .stated import table2_figures
from .textcells import cut_line, first_cell, is_number


@attrs.frozen(eq=False, repr=False)
class _Heading:
    section: int
    index: int


def assemble(document: Document) -> Report:
    """Build a report from a reader's document. Raises :class:`NotAReportError` when nothing fits.

    Four steps: the document's structure (headings, grids, where each section lies), its tables, its
    metadata and its section texts; what the document states outright (govreport's own workbook) wins.
    """
    document = focused(document)
    layout_ = _Structure.of(document)
    findings: list[Finding] = list(document.notes) + layout_.missing_sections()
    title, title_end, agency, year = _title(layout_.blocks, layout_.first_heading, document.title)
    tables, linear_starts, notes = _tables(layout_, year)
    findings += notes
    texts, preamble = _texts(layout_, linear_starts, title_end, title, agency)
    meta = _metadata(layout_, title, agency, year, preamble, texts, tables)
    if not layout_.headings and not document.fields and not any(
            c.value is not None for t in tables.values() if t is not None for c in t.cells.values()):
        # Table labels quoted in some other document (a manual, a notice) with no section and no value.
        raise NotAReportError("no section headings and no value in any table; this does not look like a "
                              "政府信息公开工作年度报告", document.path)
    return Report(meta, Sections(preamble=preamble, **texts), tables[2], tables[3], tables[4], tuple(findings),
                  SourceInfo(document.path, document.format))


@attrs.frozen(eq=False, repr=False)
class _Structure:
    """Where things are in a document: its blocks, section headings, table grids and section spans."""

    document: Document
    blocks: tuple[Block, ...]
    headings: list[_Heading]
    grids: dict[int, int | None]
    spans: dict[int, tuple[int, int]]
    #: Table number → a grid that only the section it stands in names (its labels too garbled to tell).
    section_grids: dict[int, int]

    @classmethod
    def of(cls, document: Document) -> _Structure:
        blocks = _broken_headings_joined(_letter_columns_joined(prose_as_paragraphs(_unglued(document.blocks))))
        headings = _find_headings(blocks)
        grids = _grid_kinds(blocks)
        if not headings and not any(grids.values()) and len(_flattened_tables(blocks)) < 2:
            raise NotAReportError(
                f"no section headings ({SECTIONS[0].heading} …) and no statistical tables found; "
                "this does not look like a 政府信息公开工作年度报告", document.path)
        spans: dict[int, tuple[int, int]] = {}
        for n, heading in enumerate(headings):
            end = headings[n + 1].index if n + 1 < len(headings) else len(blocks)
            spans[heading.section] = (heading.index + 1, end)
        return cls(document, tuple(blocks), headings, grids, spans, _placed_by_section(blocks, grids, spans))

    @property
    def first_heading(self) -> int:
        return self.headings[0].index if self.headings else len(self.blocks)

    @property
    def stated_text(self) -> bool:
        return any(k.startswith("text.") for k in self.document.fields)

    def missing_sections(self) -> list[Finding]:
        if self.stated_text:
            return []
        found = {h.section for h in self.headings}
        return [Finding("PARSE-SECTION", "warning", f"未找到“{s.heading}”部分。")
                for s in SECTIONS if s.number not in found]


def _tables(structure: _Structure, year: int | None
            ) -> tuple[dict[int, Table | None], dict[int, int], list[Finding]]:
    """Tables 2–4: grids recognised by their labels, else lines of text in the table's region; where both
    hold the table's numbers, the reading the sums favour (:mod:`govreport.decoding.judge`)."""
    blocks = structure.blocks
    ordinals = {index: n for n, index in enumerate(sorted(structure.grids))}  # the n-th table of the document
    overview = structure.spans.get(1)
    stated = table2_figures(_join(_paragraphs(blocks, *overview))) if overview else {}
    parsers = {2: lambda t: parse_table2(t, year, stated), 3: lambda t: parse_table3(t, year), 4: parse_table4}
    linear_starts: dict[int, int] = {}
    tables: dict[int, Table | None] = {}
    findings: list[Finding] = []
    for number in (2, 3, 4):
        first, *others = _table_readings(structure, number, ordinals)
        tokens, start = first()
        table, notes = parsers[number](tokens) if tokens else (None, [])
        if others and (table is None or not table.cells or any(n.keys for n in notes)):
            # The first reading leaves cells out or in doubt: another may read them, the sums judge. (A
            # note that names no cell — a label the template lacks — leaves nothing for another to read.)
            from .decoding.judge import Verdict  # only here: its class costs every start a millisecond

            best = Verdict.of(number, table, notes)
            for reading in others:
                tokens, where = reading()
                if not tokens:
                    continue
                candidate, candidate_notes = parsers[number](tokens)
                verdict = Verdict.of(number, candidate, candidate_notes)
                if verdict.beats(best):
                    table, notes, start, best = candidate, candidate_notes, where, verdict
        findings += notes
        if start is not None:
            linear_starts[number] = start
        if table is None or not table.cells:
            name = "表" + "二三四"[number - 2]
            findings.append(Finding("PARSE-TABLE", "warning", f"未找到{name}，或{name}中没有可读取的数值。",
                                    (f"t{number}",)))
        tables[number] = _or_none(table)
    return tables, linear_starts, findings


_Reading = Callable[[], tuple[list[Token], int | None]]


def _table_readings(structure: _Structure, number: int, ordinals: dict[int, int]) -> list[_Reading]:
    """One table's readings to choose from, each giving its tokens and where its lines of text start
    (None for grids) when called: its grids, then its lines of text (grids among them read as lines)."""
    blocks = structure.blocks
    grid_indices = [i for i, kind in structure.grids.items() if kind == number]
    grid_tokens = _grid_tokens(blocks, grid_indices, ordinals) if grid_indices else []

    def region() -> tuple[list[Token], int | None]:
        start, end = _linear_region(blocks, number, structure.spans, structure.headings)
        return (_region_tokens(blocks, start, end) if start is not None else []), start

    def lines() -> tuple[list[Token], int | None]:
        tokens, start = region()
        return (tokens, start) if _holds_numbers(tokens) else ([], None)

    def alone() -> tuple[list[Token], int | None]:
        tokens, start = region()
        if not grid_tokens and not _holds_numbers(tokens) and number in structure.section_grids:
            # No text of the table in its section, only a grid none of whose labels could be read.
            return _grid_tokens(blocks, [structure.section_grids[number]], ordinals), None
        if start is not None and (not grid_tokens or _holds_numbers(tokens)):
            return tokens, start
        return grid_tokens, None  # grids of dashes and slashes only

    if grid_tokens and _holds_numbers(grid_tokens):
        return [lambda: (grid_tokens, None), lines]
    return [alone]


def _texts(structure: _Structure, linear_starts: dict[int, int], title_end: int, title: str | None,
           agency: str | None) -> tuple[dict[str, str | None], str | None]:
    """The six sections' texts and the preamble; a workbook's stated texts instead, when it has them."""
    stated = structure.document.fields
    if structure.stated_text:
        return {s.key: stated.get(f"text.{s.key}") for s in SECTIONS}, stated.get("text.preamble")
    blocks = structure.blocks
    texts = _section_texts(blocks, structure.headings, structure.spans, linear_starts, agency)
    preamble = _join(p for p in _paragraphs(blocks, title_end, structure.first_heading)
                     if not _is_title_fragment(p.text, title)) or None
    return texts, preamble


def _metadata(structure: _Structure, title: str | None, agency: str | None, year: int | None,
              preamble: str | None, texts: dict[str, str | None], tables: dict[int, Table | None]) -> Metadata:
    """Title, agency, year and date: what the document states, else what its title, sign-off and text say."""
    stated, blocks, headings = structure.document.fields, structure.blocks, structure.headings
    title = stated.get("meta.title", title)
    if "meta.agency" in stated:
        agency = stated["meta.agency"]
    elif agency is None and title is not None:
        agency = layout.title_parts(title)[0]
    if agency is None and not stated:
        agency = _signed_agency(blocks, headings) or layout.agency_from_text(preamble, texts.get("overview"))
    if stated.get("meta.year", "").isdigit():
        year = int(stated["meta.year"])
    elif "meta.year" not in stated and year is None and title is not None:
        year = layout.title_parts(title)[1]
    published = _published(blocks, structure.first_heading)
    if "meta.published" in stated:
        published = layout.parse_date(stated["meta.published"])
    elif published is None:
        published = _signed_date(blocks, headings)
    if not stated:
        year = year or layout.year_from_text(preamble or "") or (published.year - 1 if published else None)
    table2, table3 = tables[2], tables[3]
    return Metadata(agency=agency, year=year, title=title, published=published,
                    table2_edition=table2.edition if table2 else None,
                    table3_edition=table3.edition if table3 else None)


def _unglued(blocks: Sequence[Block]) -> tuple[Block, ...]:
    """Blocks with every paragraph that glues a page into one line cut at its headings and tables."""
    longest = options().decoder.glued_paragraph
    if all(not isinstance(b, Paragraph) or len(b.text) <= longest for b in blocks):
        return tuple(blocks)
    out: list[Block] = []
    for block in blocks:
        if isinstance(block, Paragraph) and len(block.text) > longest:
            out += [attrs.evolve(block, text=part) for part in layout.split_glued(block.text)]
        else:
            out.append(block)
    return tuple(out)


def _broken_headings_joined(blocks: tuple[Block, ...]) -> tuple[Block, ...]:
    """A section heading broken over two lines (``五、存在的主要问题及`` / ``整改措施``) made one again."""
    out: list[Block] = []
    skip = False
    for block, following in itertools.zip_longest(blocks, blocks[1:]):
        if skip:
            skip = False
            continue
        if isinstance(block, Paragraph) and isinstance(following, Paragraph) \
                and _broken_heading(block.text.strip(), following.text.strip()):
            out.append(attrs.evolve(block, text=block.text.strip() + following.text.strip()))
            skip = True
            continue
        out.append(block)
    return tuple(out)


def _broken_heading(first: str, second: str) -> bool:
    """Two lines that only together make a numbered section heading, or its known wording."""
    if not first or first[0] not in "一二三四五六" or len(first) > 24 or len(second) > 12 \
            or not re.match(r"^[一二三四五六][、.．]", first):
        return False
    joined = first + second
    if layout.section_of_heading(joined) is None:
        return False
    return layout.section_of_heading(first) is None or (
        layout.is_named_heading(joined) and not layout.is_named_heading(first))


def _grid_kinds(blocks: Sequence[object]) -> dict[int, int | None]:
    """Which statistical table each grid holds.

    A grid too small to tell by its own labels (the last rows of table 3 carried onto the next page, a
    sub-table of table 2 that a converter set apart) continues the table just before it, when nothing
    stands between them but empty lines, page numbers and lines of that table's own labels (its captions).
    """
    kinds: dict[int, int | None] = {}
    previous: int | None = None
    for i, block in enumerate(blocks):
        if isinstance(block, GridTable):
            kind = table_kind(c.text for row in block.rows for c in row)
            if kind is None and previous is not None and kinds.get(previous) is not None \
                    and block.width > 1:
                kind = kinds[previous]
            kinds[i] = kind
            previous = i
        elif isinstance(block, Paragraph) and previous is not None and block.text.strip() \
                and not layout.is_page_number(block.text):
            kind = kinds.get(previous) if previous is not None else None
            if kind is None or signature_of(normalize_label(block.text)) != kind:
                previous = None
    return _runs_judged_together(blocks, kinds)


def _placed_by_section(blocks: Sequence[object], kinds: dict[int, int | None], spans: dict[int, tuple[int, int]]
                       ) -> dict[int, int]:
    """Grids whose labels are too garbled to tell (a converter that broke the header's columns apart),
    each as the table of the section it stands in: the section's first grid, when it holds numbers and
    no grid is known to hold that table."""
    placed: dict[int, int] = {}
    for section, table in TABLE_OF_SECTION.items():
        if section not in spans or table in kinds.values():
            continue
        start, end = spans[section]
        first = next((i for i in sorted(kinds) if start <= i < end), None)
        if first is not None and kinds[first] is None and _grid_has_numbers(blocks[first]):
            placed[table] = first
    return placed


def _grid_has_numbers(grid: object) -> bool:
    return isinstance(grid, GridTable) and any(is_number(c.text) for row in grid.rows for c in row)


def _runs_judged_together(blocks: Sequence[object], kinds: dict[int, int | None]) -> dict[int, int | None]:
    """Grids that none could tell alone, judged by the labels of the whole run of grids they stand in
    (nothing but empty lines between them): a page that sets each row of a table as a table of its own."""
    run: list[int] = []
    for i in [*sorted(kinds), len(blocks)]:
        if run and (i == len(blocks) or not _only_blank_between(blocks, run[-1], i)):
            unknown = [n for n in run if kinds[n] is None]
            if len(unknown) > 1:
                grids = [blocks[n] for n in unknown]
                kind = table_kind(c.text for g in grids if isinstance(g, GridTable) for row in g.rows for c in row)
                kinds.update({n: kind for n in unknown})
            run = []
        if i < len(blocks):
            run.append(i)
    return kinds


def _only_blank_between(blocks: Sequence[object], a: int, b: int) -> bool:
    return all(isinstance(x, Paragraph) and (not x.text.strip() or layout.is_page_number(x.text))
               for x in blocks[a + 1:b])


def _or_none(table: Table | None) -> Table | None:
    return table if table is not None and table.cells else None


def _find_headings(blocks: Sequence[object]) -> list[_Heading]:
    headings: list[_Heading] = []
    last = 0
    for i, block in enumerate(blocks):
        if isinstance(block, Paragraph):
            number = layout.section_of_heading(block.text)
            if number is not None and number > last:
                headings.append(_Heading(number, i))
                last = number
    return headings


def _title(blocks: Sequence[object], limit: int, container_title: str | None
           ) -> tuple[str | None, int, str | None, int | None]:
    """The report title (joined when broken over two lines), where it ends, the agency and the year.

    The title nearest before the first heading wins: pages list other reports' titles in their navigation.
    """
    previous: Paragraph | None = None
    found: tuple[str, int, str | None, int | None] | None = None
    for i, block in enumerate(blocks[:limit]):
        if not isinstance(block, Paragraph) or not block.text.strip():
            continue
        text = layout.without_field_label(clean_text(block.text))
        if previous is not None and _broken_title(clean_text(previous.text), text):
            title = clean_text(previous.text) + text
            agency, year = layout.title_parts(title)
            found = (title, i + 1, agency, year)
        elif layout.is_title(text) and not _wrapped_sentence(previous, text):
            agency, year = layout.title_parts(text)
            if agency:
                found = (text, i + 1, agency, year)
        previous = block
    if found is not None:
        return found
    if container_title and layout.is_title(container_title):
        agency, year = layout.title_parts(container_title)
        return clean_text(container_title), 0, agency, year
    return None, 0, None, None


def _wrapped_sentence(previous: Paragraph | None, text: str) -> bool:
    """Whether a line that names a report is a line of a paragraph wrapped at the page's width (``…《福`` /
    ``建省人民政府办公厅关于编制公布2021年政府信息公开工作年度报告有关事项``): the line before it runs
    as long and stops mid-sentence, and the line itself does not end as a title does."""
    if previous is None or layout.ends_as_title(text):
        return False
    before, settings = squash_space(previous.text), options().layout
    return len(before) >= settings.wrapped_line_min and not layout.ends_sentence(before) \
        and len(before) >= len(squash_space(text)) * settings.wrapped_line_share


def _broken_title(first: str, second: str) -> bool:
    """Two short lines that only together make a title (broken after the agency or after the year)."""
    if layout.is_title_tail(second) and layout.is_title_head(first):
        return True
    if len(first) > 40 or len(second) > 40 or layout.is_title(first) or layout.is_title(second):
        return False
    return layout.is_title(first + second)


def _published(blocks: Sequence[object], limit: int) -> dt.date | None:
    for block in blocks[:limit]:
        if isinstance(block, Paragraph) and layout.is_furniture(block.text):
            date = layout.published_date(block.text)
            if date is not None:
                return date
    return None


def _signed_date(blocks: Sequence[object], headings: list[_Heading]) -> dt.date | None:
    """The date of the sign-off that closes the last section, if the report is signed."""
    if not headings:
        return None
    for block in blocks[headings[-1].index + 1:]:
        if isinstance(block, Paragraph) and layout.is_date_line(block.text):
            return layout.parse_date(block.text)
    return None


def _signed_agency(blocks: Sequence[object], headings: list[_Heading]) -> str | None:
    """The name that signs the report off: a short organisation line just above the closing date."""
    if not headings:
        return None
    previous: Paragraph | None = None
    for block in blocks[headings[-1].index + 1:]:
        if not isinstance(block, Paragraph) or not block.text.strip():
            continue
        if layout.is_date_line(block.text) and previous is not None and layout.is_sign_off(previous.text, None):
            return squash_space(previous.text)
        previous = block
    return None


def _is_title_fragment(text: str, title: str | None) -> bool:
    squashed = squash_space(text)
    return bool(title) and bool(squashed) and squashed in squash_space(title or "")


def _paragraphs(blocks: Sequence[object], start: int, end: int) -> list[Paragraph]:
    """The running-text paragraphs of a span, without furniture and empty lines."""
    return [b for b in blocks[start:end]
            if isinstance(b, Paragraph) and b.text.strip() and not layout.is_furniture(b.text)]


def _join(paragraphs: object) -> str:
    return "\n".join(clean_text(p.text) for p in paragraphs)  # type: ignore[attr-defined]


def _linear_region(blocks: Sequence[object], number: int, spans: dict[int, tuple[int, int]],
                   headings: list[_Heading]) -> tuple[int | None, int]:
    """Where a table flattened into text lines starts and ends.

    It starts at the table's first typical label, looked for from its section heading on (or from the
    top when the heading is missing), and ends at the next heading or the start of another table.
    """
    begin = spans[number][0] if number in spans else 0
    start = None
    for i in range(begin, len(blocks)):
        block = blocks[i]
        if any(TABLE_STARTS[number].matches(norm) for norm in _opening_cells(block)):
            start = i
            break
        if isinstance(block, Paragraph) and number in spans and i >= spans[number][1]:
            break
    if start is None and number in spans:
        start = _first_row_of(blocks, number, *spans[number])
    if start is None:
        return None, 0
    stops = {h.index for h in headings if h.index > start}
    end = len(blocks)
    for i in range(start + 1, len(blocks)):
        block = blocks[i]
        if i in stops:
            end = i
            break
        if isinstance(block, Paragraph):
            norm = _first_cell(block)
            if any(TABLE_STARTS[k].matches(norm) for k in (2, 3, 4) if k != number) and signature_of(norm) != number:
                end = i
                break
    return start, end


def _first_row_of(blocks: Sequence[object], number: int, begin: int, end: int) -> int | None:
    """The first line in a table's section whose first or second cell is one of its row labels (the second:
    a row under a group's label): where the table's text starts when its caption and header came through
    garbled (catdoc's text of some Word files)."""
    for i in range(begin, end):
        block = blocks[i]
        if isinstance(block, Paragraph) and any(
                signature_of(normalize_label(c.text)) == number for c in cut_line(block.text)[:2]):
            return i
    return None


def _opening_cells(block: object) -> list[str]:
    """The normalised first cells a table's text could open with: a line's, or each row's of a grid (a
    converter that cut a table into small grids may have put its caption in one)."""
    if isinstance(block, Paragraph):
        return [_first_cell(block)]
    if isinstance(block, GridTable):
        return [normalize_label(next(c.text for c in row if c.text.strip())) for row in block.rows
                if any(c.text.strip() for c in row)]
    return []


def _region_tokens(blocks: Sequence[Block], start: int, end: int) -> list[Token]:
    """The tokens of a table flattened into lines of text.

    Empty lines between two lines of the source come back as empty tokens: in a dump of one cell per line,
    an empty line may be a blank cell (the decoder treats it as possibly one, possibly a separator).
    """
    tokens: list[Token] = []
    previous: int | None = None
    region = with_strays_placed(_grids_as_lines(blocks[start:end]))
    spacing = _line_spacing(region)
    for i, block in enumerate(region, start):
        if not isinstance(block, Paragraph):
            continue
        if layout.is_page_number(block.text):
            previous = block.line
            continue
        if previous is not None and block.line is not None and block.line - previous > spacing:
            where = (previous + 1, block.page, None, None, None)
            tokens += [Token.of("", where, row=-1) for _ in range(min(block.line - previous - spacing, 8))]
        tokens += _line_tokens(block, i)
        previous = block.last_line or block.line
    return tokens


def _letter_columns_joined(blocks: tuple[Block, ...]) -> tuple[Block, ...]:
    """The blocks with every run of lines of one character each (a label a tool printed a character a
    line: ``8.属`` / ``于`` / ``行`` / ``政`` …) made one line."""
    out: list[Block] = []
    n = 0
    while n < len(blocks):
        end = n
        while end < len(blocks) and _one_letter_line(blocks[end]) and _next_line(blocks, end, n):
            end += 1
        if end - n < options().layout.letter_column_min:
            out.append(blocks[n])
            n += 1
            continue
        run = [b for b in blocks[n:end] if isinstance(b, Paragraph)]
        head = out[-1] if out else None
        if isinstance(head, Paragraph) and _label_head(head) and head.line is not None and head.line + 1 == run[0].line:
            out.pop()  # the label's first characters, on the line before (``8.属``)
            run.insert(0, head)
        out.append(attrs.evolve(run[0], text="".join(p.text.strip() for p in run), last_line=run[-1].line))
        n = end
    return tuple(out)


def _one_letter_line(block: Block) -> bool:
    """A line of one character that is no value (a digit, 无, a dash or a slash stand for a cell)."""
    if not isinstance(block, Paragraph):
        return False
    text = block.text.strip()
    return len(text) == 1 and not parse_number(text).is_value_like


def _next_line(blocks: Sequence[Block], n: int, first: int) -> bool:
    """Whether block ``n`` stands on the line right after block ``n - 1`` (always for the run's first)."""
    if n == first:
        return True
    a, b = blocks[n - 1], blocks[n]
    return isinstance(a, Paragraph) and isinstance(b, Paragraph) and a.line is not None and b.line == a.line + 1


def _label_head(block: Paragraph) -> bool:
    text = block.text.strip()
    return 0 < len(text) <= 4 and not is_number(text)


def _grids_as_lines(blocks: Sequence[Block]) -> list[Block]:
    """The blocks with each grid inside a table's text read as lines of text, its cells two spaces apart:
    a line that took a few stray pipes for cell borders (OCR reads a table's rules as ``|``) is one
    row of the table around it, not a table of its own."""
    if not any(isinstance(b, GridTable) for b in blocks):
        return list(blocks)
    out: list[Block] = []
    for block in blocks:
        if not isinstance(block, GridTable):
            out.append(block)
            continue
        for row in block.rows:
            if row:
                text = "  ".join(c.text.replace("\n", " ") for c in row)
                out.append(Paragraph(text, line=row[0].line, page=row[0].page or block.page))
    return out


def _line_spacing(blocks: Sequence[Block]) -> int:
    """How many lines apart consecutive paragraphs stand where nothing is left out: 2 in a dump that puts
    an empty line after every line or every block of lines (pdftotext), where only a further empty line
    can be a blank cell. A dump of one cell per line has an empty line only where a cell is empty."""
    lines = [b.line for b in blocks if isinstance(b, Paragraph) and b.line is not None]
    gaps = [b - a for a, b in itertools.pairwise(lines)]
    share = options().decoder.separating_blank_share
    return 2 if gaps and sum(1 for g in gaps if g == 2) >= len(gaps) * share else 1


def _line_tokens(paragraph: Paragraph, index: int) -> list[Token]:
    """The cells of a line of a table flattened into text (see :mod:`govreport.textcells`).

    One cell per line stays one token; cells set apart by gaps or glued to their labels become one token
    each, all in the same row.
    """
    where = (paragraph.line, paragraph.page, None, None, None)
    text = layout.blank_page_numbers(paragraph.text)
    cells = cut_line(text)
    if len(cells) == 1:
        return [Token.of(text, where, row=index)]
    return [Token.of(c.text, where, row=index, col=None if c.gap else c.col, glued=c.glued, may_join=c.joins_next)
            for c in cells]


def _flattened_tables(blocks: Sequence[object]) -> set[int]:
    """The statistical tables whose typical first label opens a line of text: a dump of the tables alone
    (pdfplumber's ``extract_tables`` written out row by row) has no headings but is a report's tables."""
    found: set[int] = set()
    for block in blocks:
        if isinstance(block, Paragraph):
            norm = _first_cell(block)
            found |= {n for n in (2, 3, 4) if n not in found and TABLE_STARTS[n].matches(norm)}
    return found


def _first_cell(paragraph: Paragraph) -> str:
    """The normalised first cell of a line (the whole line when it is one cell)."""
    return normalize_label(first_cell(paragraph.text))


def _holds_numbers(tokens: Sequence[Token]) -> bool:
    return any(t.is_value and t.number.kind == "number" for t in tokens)


def _grid_tokens(blocks: Sequence[object], indices: list[int], ordinals: dict[int, int]) -> list[Token]:
    tokens: list[Token] = []
    for table_number, index in enumerate(indices):
        grid = blocks[index]
        assert isinstance(grid, GridTable)
        for row in grid.rows:
            for cell in row if grid.exact_geometry else _decimals_rejoined(row):
                where = (cell.line, cell.page or grid.page, ordinals[index], cell.row, cell.col)
                texts = [cell.text] if grid.exact_geometry else _label_and_values(cell.text)
                for text in texts:
                    token = Token.of(text, where, row=table_number * 100_000 + cell.row,
                                     col=cell.col, colspan=cell.colspan, exact=grid.exact_geometry)
                    token.confidence = cell.confidence
                    tokens.append(token)
    return tokens


def _decimals_rejoined(row: Sequence[TableCell]) -> Sequence[TableCell]:
    """A text grid's row with a number that the tool cut at its decimal point (pymupdf4llm's
    `73802895. | 90元`) whole again in its first cell."""
    if not any(c.text.endswith(".") for c in row):
        return row
    out: list[TableCell] = []
    for cell in row:
        if out and _CUT_AT_POINT_RE.match(out[-1].text) and cell.text[:1].isdigit():
            out[-1] = attrs.evolve(out[-1], text=out[-1].text + cell.text)
        else:
            out.append(cell)
    return out


_CUT_AT_POINT_RE = lazy_compile(r"^[-+]?\d[\d,]*\.$")
_VALUE_LINE_RE = lazy_compile(r"^[-+]?\d[\d,，.]*(?:元|万元)?$")


def _label_and_values(text: str) -> list[str]:
    """A text grid's cell that holds a row's label and, on lines of its own after it, the row's values
    (pymupdf4llm's `行政许可<br>4529`, where the tool took two cells for one): the label and each value."""
    if "\n" not in text:
        return [text]
    lines = text.split("\n")
    cut = len(lines)
    while cut > 1 and _VALUE_LINE_RE.match(lines[cut - 1].strip()):
        cut -= 1
    return [text] if cut == len(lines) else ["\n".join(lines[:cut]), *(line.strip() for line in lines[cut:])]


def _section_texts(blocks: Sequence[object], headings: list[_Heading], spans: dict[int, tuple[int, int]],
                   linear_starts: dict[int, int], agency: str | None) -> dict[str, str | None]:
    texts: dict[str, str | None] = {}
    last = headings[-1].section if headings else None
    for section in SECTIONS:
        if section.number not in spans:
            texts[section.key] = None
            continue
        start, end = spans[section.number]
        for table_start in linear_starts.values():
            if start <= table_start < end:
                end = table_start
        paragraphs = _paragraphs(blocks, start, end)
        if section.number == last:
            paragraphs = _until_sign_off(blocks, start, end, agency)
        paragraphs = _without_leading_debris(paragraphs)
        texts[section.key] = _join(paragraphs) if paragraphs else ""
    return texts


def _without_leading_debris(paragraphs: list[Paragraph]) -> list[Paragraph]:
    """A part's paragraphs less the leftovers of the table before it that a text tool set after the part's
    heading (pdfminer and pdftotext print table 4's header and last values where they stood on the
    page): bare counts, single characters, a header label of table 4. They go only where running
    text follows them, so a part that is only `无` stays as it is."""
    n = 0
    while n < len(paragraphs) and _is_table_debris(paragraphs[n].text):
        n += 1
    return paragraphs[n:] if 0 < n < len(paragraphs) else paragraphs


def _is_table_debris(text: str) -> bool:
    squashed = squash_space(text)
    if len(squashed) <= 1:  # a header set one character a line (`结` `果` `纠` `正`), or nothing
        return not squashed or squashed not in "。；！？无"
    # Counts of a few digits; not four, which opens many a part as its year (`2023` / `年，我局…`).
    return (squashed.isdigit() and len(squashed) <= 3) or squashed in _TABLE4_LABELS


_TABLE4_LABELS = frozenset([label for _, label in T4_GROUPS] + [c.label for c in T4_COLUMNS] + [T4_LITIGATION_HEADER])


def _signs_off(text: str, agency: str | None, *, first: bool) -> bool:
    """A sign-off line; as the part's first line only the agency's own name or a date counts."""
    if not layout.is_sign_off(text, agency):
        return False
    if not first:
        return True
    squashed = squash_space(text)
    return layout.is_date_line(squashed) or (bool(agency) and squashed == agency)


def _until_sign_off(blocks: Sequence[object], start: int, end: int, agency: str | None) -> list[Paragraph]:
    """The last section's paragraphs, up to the sign-off or the page furniture that follows the report."""
    out: list[Paragraph] = []
    for block in blocks[start:end]:
        if not isinstance(block, Paragraph):
            if out:
                break
            continue
        if not block.text.strip():
            continue
        if layout.ends_body(block.text) or _signs_off(block.text, agency, first=not out):
            break
        if layout.is_furniture(block.text):
            continue
        cut = layout.body_end_within(block.text)
        if cut is not None:
            out.append(attrs.evolve(block, text=block.text[:cut], breaks=()))
            break
        out.append(block)
    return out
