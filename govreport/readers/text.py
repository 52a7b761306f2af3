"""Plain text and markdown: web pages saved as text, copied reports, CMS dumps.

Tables reach text files in three shapes, and the reader keeps what each one tells:

- rows of ``|``-separated cells (markdown or CMS export): a table grid, one row per line;
- cells on lines of their own that start with a tab, rows separated by empty lines (a browser's
  copy of an HTML table): a table grid;
- one cell per line with nothing to mark rows: plain paragraphs, which the assembler reads as a
  flattened table by their labels.

Lines holding only no-break or ideographic spaces are kept as empty paragraphs: in a flattened table
they are the blank cells.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import attrs

from ..document import Block, Document, Paragraph, TableCell
from ..document import Table as GridTable
from ..errors import UnreadableFileError
from ..lazyre import lazy_compile
from ..model import Finding
from ..mojibake import unmangled
from ..normalize import xml_safe
from ..settings import options, size_words
from . import BUILTIN_EXTENSIONS, sniff_kind
from .boxtables import read_box_table, starts_box_table
from .columntables import display_width, read_column_table, starts_column_table, table_ranges

#: Encodings Chinese reports come in; restricting detection to them makes it fast and reliable.
CANDIDATE_ENCODINGS = ["utf_8", "gb18030", "utf_16_le", "utf_16_be", "utf_32", "big5"]

_MD_SEPARATOR_RE = lazy_compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
_MD_HEADING_RE = lazy_compile(r"^\s*#{1,6}\s+")
#: A whole line set in bold or italics (markdown's ``**…**``, ``*…*``, ``__…__``; reStructuredText's ``*…*``).
_BOLD_RE = lazy_compile(r"^\s*(\*{1,3}|_{1,3})\s*(\S.*?)\s*\1\s*$")
#: A backslash before ASCII punctuation: markdown's escape of a character that would be markup.
_MD_ESCAPE_RE = lazy_compile(r"\\([!-/:-@\[-`{-~])")
#: A pipe that separates cells (an escaped one, ``\|``, is a character of the cell).
_CELL_SEPARATOR_RE = lazy_compile(r"(?<!\\)\|")
_SOFT_BLANKS = "\u00a0\u3000"
#: A span never takes in a cell's border: its text and attributes hold no bare ``|``. (A grid table's cell
#: lines, joined, may part its ``]`` and ``{`` by a space.)
_MD_SPAN_RE = lazy_compile(r"\[([^\[\]|]*)\] ?\{[^{}|]*\}")
#: Spans nest no deeper than this in what converters write (a styled span inside another).
_MD_SPAN_DEPTH = 8
#: A line of markup around blocks, with no text of the report: a fence of pandoc's divs
#: (``::: {.TRS_Editor}`` … ``:::``), a reStructuredText directive or comment (``.. container:: box``) and
#: its options (``:name: file``).
_MD_FENCE_RE = lazy_compile(r"^\s*(?::::|\.\.(?:\s+[\w-]+::|\s*$)|:[A-Za-z][\w-]*:(?:\s|$))")


#: A text with at most this share of bytes that fit no encoding is read with them replaced (U+FFFD) and a
#: finding, not refused: one stray byte must not cost a whole report.
MAX_BAD_SHARE = 0.01


def decode(data: bytes, path: str | None = None) -> tuple[str, list[Finding]]:
    """Decode a text file: UTF-8 (with or without BOM) directly, anything else by detection; a few bad
    bytes are replaced and reported; text decoded wrongly once before (乱码) is put right and reported."""
    text, notes = _decoded(data, path)
    return unmangled(text, notes)


def _decoded(data: bytes, path: str | None) -> tuple[str, list[Finding]]:
    if data.startswith(b"\xef\xbb\xbf"):
        return _tolerant(data[3:], "utf-8")
    if not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-8"), []
        except UnicodeDecodeError:
            pass
    from charset_normalizer import from_bytes  # only for text that is not UTF-8

    match = from_bytes(data, cp_isolation=CANDIDATE_ENCODINGS).best()
    if match is not None:
        return str(match), []
    text, notes = min((_tolerant(data, codec) for codec in ("utf-8", "gb18030")),
                      key=lambda decoded: decoded[0].count("\ufffd"))
    if text.count("\ufffd") > MAX_BAD_SHARE * max(1, len(text)):
        raise UnreadableFileError("cannot tell the text encoding (tried UTF-8, GB18030, UTF-16, Big5)", path)
    return text, notes


def _tolerant(data: bytes, codec: str) -> tuple[str, list[Finding]]:
    text = data.decode(codec, errors="replace")
    bad = text.count("\ufffd")
    if not bad:
        return text, []
    return text, [Finding("PARSE-ENCODING", "warning",
                          f"文件中有 {bad} 处字节不符合 {codec.upper()} 编码，已显示为“\ufffd”；涉及的文字可能有误。")]


class TextReader:
    """Reads ``.txt`` and ``.md`` files."""

    name = "txt"
    extensions = BUILTIN_EXTENSIONS["txt"]

    def sniff(self, head: bytes) -> int:
        kind = sniff_kind(head)
        if kind == "text":
            return 20
        if kind == "html":
            return 5  # markdown that starts like HTML, when the HTML reader declines it
        if kind == "binary" and _maybe_utf16(head):
            return 10
        return 0

    def read(self, data: bytes, path: str | None = None) -> Document:
        if len(data) > options().limits.max_text_bytes:
            raise UnreadableFileError(f"a text of {size_words(len(data))} is no report (limit: "
                                      f"{size_words(options().limits.max_text_bytes)})", path)
        text, notes = decode(data, path)
        return Document.of(parse_text(text), self.name, path, notes=notes)


def _maybe_utf16(head: bytes) -> bool:
    """UTF-16 without a byte-order mark: text with a zero byte in every other position for ASCII."""
    return len(head) >= 4 and (head[1::2].count(0) > len(head) // 8 or head[0::2].count(0) > len(head) // 8)


def _is_empty(line: str) -> bool:
    """A separator line: nothing, or only ordinary spaces and tabs."""
    return not line.strip(" \t\r\f\v")


def _is_pipe_row(line: str) -> bool:
    """A row of ``|``-separated cells: ``| a | b |`` or ``a | b | c`` — cells, not paragraphs between pipes."""
    if "|" not in line or (line.count("|") < 2 and not line.lstrip().startswith("|")):
        return False
    longest = options().layout.longest_cell
    return len(line) <= longest or all(len(piece) <= longest for piece in line.split("|"))


def _is_two_cells(line: str) -> bool:
    """Two short cells around one ``|`` (``行政许可| 2293``): markdown without outer pipes, as html2text
    writes two-column rows — a row only beside other rows, since a title or a breadcrumb may hold a ``|``."""
    if line.count("|") != 1:
        return False
    left, right = (part.strip() for part in line.split("|"))
    return 0 < len(left) <= _SHORT_CELL and 0 < len(right) <= _SHORT_CELL


def _starts_rows(lines: list[str], i: int) -> bool:
    """Whether line ``i`` is a table row: a pipe row, or two cells next to another row."""
    line = lines[i]
    if "|" not in line:
        return False
    if _is_pipe_row(line):
        # An empty row is a table's row only as the header of a markdown table (pandoc writes one).
        header = i + 1 < len(lines) and _MD_SEPARATOR_RE.match(lines[i + 1]) is not None
        return header or not _is_empty(line.replace("|", ""))
    if not _is_two_cells(line):
        return False
    neighbours = [lines[j] for j in (i - 1, i + 1) if 0 <= j < len(lines)]
    return any(_is_pipe_row(n) or _is_two_cells(n) or _MD_SEPARATOR_RE.match(n) for n in neighbours)


#: Characters of a cell short enough that two of them around one ``|`` are a table row, not prose.
_SHORT_CELL = 60


def _split_pipe_row(line: str) -> list[str]:
    """The cells of a pipe row. Outer pipes are dropped; but a row written without a leading pipe whose
    last pipe is followed by spaces (html2text) ends with an empty cell, not an outer pipe."""
    stripped = line.strip()
    cells = _CELL_SEPARATOR_RE.split(stripped)
    if stripped.startswith("|"):
        cells = cells[1:]
    if stripped.endswith("|") and (stripped.startswith("|") or line.rstrip("\r\n").endswith("|")):
        cells = cells[:-1]
    # A line break inside a cell (pymupdf4llm's `行政许可<br>4529`) parts what the cell holds.
    return [_plain(_BREAK_RE.sub("\n", c) if "<" in c else c).strip() for c in cells]


def _keep_breaks(tag: re.Match[str]) -> str:
    """Tags go, but a line break stays for the cell it may stand in."""
    return tag.group() if _BREAK_RE.fullmatch(tag.group()) else ""


_BREAK_RE = lazy_compile(r"<br\s*/?>", re.IGNORECASE)


# Inline HTML that markdown converters pass through (<u>, <span style=…>, <br>): markup, not text.
_INLINE_TAG_RE = lazy_compile(r"</?(?:u|b|i|em|strong|span|font|sup|sub|br|p|div|a|ins|del|s|strike)\b[^<>]*>",
                            re.IGNORECASE)


def _plain(line: str) -> str:
    if "<" in line:
        line = _INLINE_TAG_RE.sub("", line)
    if "\\" in line:
        line = _MD_ESCAPE_RE.sub(r"\1", line)  # markdown's escapes (mammoth, pandoc): 1\.属于 is 1.属于
    if not line.lstrip(" ").startswith(("#", "*", "_")):
        return line
    line = _MD_HEADING_RE.sub("", line)
    m = _BOLD_RE.match(line)
    return m.group(2) if m else line


def _lines(text: str, separator: str | None) -> list[str]:
    """The text's lines; in a page's text taken with a separator between its nodes (BeautifulSoup's
    ``get_text("|")`` or ``get_text("\\t")``), its text nodes, as if the separator were a newline (the
    empty ones, empty cells, included)."""
    lines = text.split("\n")
    return [piece for line in lines for piece in line.split(separator)] if separator else lines


def _node_separator(text: str) -> str | None:
    """The separator a page's text nodes were joined with, if any: a tab or a pipe standing between two
    pieces of text many times over, and either a line cut into many pieces by it (the page on one line) or
    many lines that start or end with it (the page's own line breaks kept between nodes). Tabs that only
    indent lines (LibreOffice's text export), the rows of a tab-separated table and the pipes of markdown
    tables (with their ``|---|`` row) are not that."""
    enough = options().layout.joined_nodes
    sample = text[:_NODE_SAMPLE]
    for separator, between in _NODE_SEPARATORS:
        if sample.count(separator) < enough or len(between.findall(sample)) < enough:
            continue
        lines = sample.split("\n")
        if separator == "|" and any("---" in line and _MD_SEPARATOR_RE.match(line) for line in lines):
            continue
        if max(line.count(separator) for line in lines) >= enough or \
                sum(1 for line in lines if line.startswith(separator) or line.endswith(separator)) >= enough // 2:
            return separator
    return None


_NODE_SEPARATORS = (("\t", lazy_compile(r"[^\s]\t[^\s]")), ("|", lazy_compile(r"[^\s|]\|[^\s|]")))
#: How much of a text the separators are counted in.
_NODE_SAMPLE = 200_000


def parse_text(text: str) -> list[Block]:
    """Split decoded text into paragraphs and table grids."""
    # A form feed is a page break in text dumps (pdftotext); other control characters print nothing.
    text = xml_safe(text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n").replace("\v", "\n"))
    separator = _node_separator(text)
    blocks: list[Block] = []
    first_line = 0
    for piece, is_table in _html_tables(text):
        if is_table:
            from .html import markup_blocks  # lxml only for text that holds an HTML table

            blocks += markup_blocks(piece)
        else:
            # A tag may run over lines (pandoc wraps long attributes, inside a table's row too); its line
            # breaks are the tag's, not the text's.
            plain = _INLINE_TAG_RE.sub(_keep_breaks, piece) if "<" in piece else piece
            if "]{" in plain or "] {" in plain:
                plain = _spans_removed(plain)
            _parse_lines(_lines(plain, separator), first_line, blocks)
        first_line += piece.count("\n")
    return blocks


def without_spans(text: str) -> str:
    """Text without pandoc's spans with attributes (``[一、总体情况]{style="…"}``), nested ones too; a
    span that holds only the backslash of a hard line break leaves nothing. (Tables laid out by position
    keep their columns with :func:`_spans_blanked` instead.)"""
    for _ in range(_MD_SPAN_DEPTH):
        if "]{" not in text and "] {" not in text:
            break
        text = _MD_SPAN_RE.sub(_span_text, text)
    return text


def _span_text(match: re.Match[str]) -> str:
    return "" if match.group(1).strip() == "\\" else match.group(1)


def _spans_removed(text: str) -> str:
    """Spans taken out of the text; on the lines of a table laid out by position, without moving what
    follows them."""
    lines = text.split("\n")
    out: list[str] = []
    done = 0
    for start, end in table_ranges(lines):
        if start > done:
            out += without_spans("\n".join(lines[done:start])).split("\n")
        out += _spans_blanked(lines[start:end])
        done = end
    if done < len(lines):
        out += without_spans("\n".join(lines[done:])).split("\n")
    return "\n".join(out)


def _spans_blanked(lines: list[str]) -> list[str]:
    """The lines of a table laid out by position with pandoc's spans taken out and what they held left
    where it stood: the brackets and the attributes become spaces (as wide as what they replace).

    A span's attributes may run over lines, several opening on one line and closing on the next in the
    order they opened (``[结果维持]{style="…`` … ``[结果纠正]{style="…`` / ``…"}`` … ``…"}``): on the line
    they open, the next span's ``[`` ends them; on the next, everything up to the last of their braces is
    attributes."""
    out: list[str] = []
    unclosed = 0
    for line in lines:
        if unclosed == 0 and "[" not in line:
            out.append(line)
            continue
        chars = list(line)
        in_attributes = unclosed > 0
        for n, char in enumerate(line):
            if in_attributes:
                if char == "}":
                    unclosed -= 1
                    in_attributes = unclosed > 0
                elif char == "[":
                    in_attributes = False
                chars[n] = " " * display_width(char)
            elif char == "{" and line[:n].rstrip().endswith("]"):
                unclosed += 1
                in_attributes = True
                chars[n] = " "
            elif char in "[]":
                chars[n] = " "
        out.append("".join(chars))
    return out


def _html_tables(text: str) -> Iterator[tuple[str, bool]]:
    """The text cut around the HTML tables in it (markdown converters keep a table with merged cells as
    HTML), each piece with whether it is such a table; nested tables stay inside their outer one."""
    if "<table" not in text and "<TABLE" not in text:
        yield text, False
        return
    depth = start = done = 0
    for tag in _TABLE_TAG_RE.finditer(text):
        if tag.group(1):
            depth -= 1
            if depth == 0:
                yield text[done:start], False
                yield text[start:tag.end()], True
                done = tag.end()
            depth = max(depth, 0)
        else:
            if depth == 0:
                start = tag.start()
            depth += 1
    yield text[done:], False


_TABLE_TAG_RE = lazy_compile(r"<(/?)table\b[^<>]*>", re.IGNORECASE)


def _spans_stripped(table: GridTable) -> GridTable:
    """A drawn table whose cells' spans wrapped over the cell's lines, where the text as a whole could not
    lose them: pandoc's grid tables of a styled page."""
    if not any("]{" in cell.text or "] {" in cell.text for row in table.rows for cell in row):
        return table
    rows = tuple(tuple(attrs.evolve(cell, text=without_spans(cell.text)) for cell in row) for row in table.rows)
    return attrs.evolve(table, rows=rows)


def _parse_lines(lines: list[str], first_line: int, blocks: list[Block]) -> None:
    """Paragraphs and grids of a run of lines; ``first_line`` is how many lines of the file came before."""
    i = 0
    while i < len(lines):
        line = lines[i]
        if starts_box_table(line):
            table, i = read_box_table(lines, i, first_line)
            if table is not None:
                blocks.append(_spans_stripped(table))
        elif starts_column_table(lines, i):
            table, i = read_column_table(lines, i, first_line)
            if table is not None:
                blocks.append(_spans_stripped(table))
        elif _starts_rows(lines, i):
            i = _read_pipe_table(lines, i, blocks, first_line)
        elif line.startswith("\t"):
            i = _read_tab_table(lines, i, blocks, first_line)
        else:
            if not _is_empty(line) and not _MD_FENCE_RE.match(line):
                blocks.append(Paragraph(_plain(line), line=first_line + i + 1))
            i += 1


def _read_pipe_table(lines: list[str], i: int, blocks: list[Block], first_line: int) -> int:
    rows: list[tuple[TableCell, ...]] = []
    while i < len(lines):
        if not (_is_pipe_row(lines[i]) or _is_two_cells(lines[i])):
            wrapped = _wrapped_last_cell(lines, i, rows)
            if wrapped is None:
                break
            value, i = wrapped
            last = rows[-1]
            rows[-1] = (*last[:-1], attrs.evolve(last[-1], text=value))
            continue
        texts = _split_pipe_row(lines[i])
        if not _MD_SEPARATOR_RE.match(lines[i]) and any(texts):
            r = len(rows)
            rows.append(tuple(TableCell(text, r, c, line=first_line + i + 1) for c, text in enumerate(texts)))
        i += 1
    if rows:
        blocks.append(GridTable(tuple(rows), exact_geometry=False))
    return i


def _wrapped_last_cell(lines: list[str], i: int, rows: list[tuple[TableCell, ...]]) -> tuple[str, int] | None:
    """A row whose last cell is empty, then (after empty lines) a bare value on a line of its own, then
    another row: the value is that cell's, which a converter broke onto lines of its own (html2text, for a
    cell holding a line break). The value and the index of the next row; None otherwise."""
    if not rows or rows[-1][-1].text:
        return None
    j = i
    while j < len(lines) and _is_empty(lines[j]):
        j += 1
    if j >= len(lines) or not _BARE_VALUE_RE.match(lines[j]):
        return None
    k = j + 1
    while k < len(lines) and _is_empty(lines[k]):
        k += 1
    if k >= len(lines) or not _is_pipe_row(lines[k]):
        return None
    return lines[j].strip(), k


_BARE_VALUE_RE = lazy_compile(r"^\s*[-+]?\d[\d,.]*\s*$")


def _read_tab_table(lines: list[str], i: int, blocks: list[Block], first_line: int) -> int:
    """Cells on tab-indented lines; an empty line ends a row, a line without a tab ends the table."""
    rows: list[tuple[TableCell, ...]] = []
    current: list[TableCell] = []
    while i < len(lines):
        line = lines[i]
        if line.startswith("\t"):
            current.append(TableCell(line[1:].strip(" \t"), len(rows), len(current), line=first_line + i + 1))
        elif _is_empty(line):
            if current:
                rows.append(tuple(current))
                current = []
        else:
            break
        i += 1
    if current:
        rows.append(tuple(current))
    if rows:
        blocks.append(GridTable(tuple(rows), exact_geometry=False))
    return i


READER = TextReader()
