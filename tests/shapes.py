"""Render a report as the text that extraction tools make of it, one shape at a time.

Each shape linearises the official grids the way a family of tools does: one cell per line
(BeautifulSoup's ``get_text("\\n")``, LibreOffice's text export), cells of a row printed apart from it
(pdftotext), rows' values before their labels (text in the order of its blocks' tops), a table column by
column (pdfminer) or in blocks of rows some of which run column by column (pdftotext), each grid row as a
Markdown pipe row (markitdown, with spans lost), cells set apart by runs of spaces (``pdftotext -layout``),
the whole page glued into one line (a crawler's ``get_text()``), drawn with box characters
(``w3m -dump``), or laid out under a rule of dashes (pandoc's simple tables). The decoder must read every
shape back to the same cells, or leave a cell blank and name it in a finding.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from govreport import Report, Table
from govreport.grids import Grid, GridCell, grid_for
from govreport.normalize import parse_number
from govreport.readers.columntables import display_width
from govreport.schema import SECTIONS


def _rows(grid: Grid) -> list[list[GridCell]]:
    rows: dict[int, list[GridCell]] = {}
    for cell in grid.cells:
        rows.setdefault(cell.row, []).append(cell)
    return [sorted(cells, key=lambda c: c.col) for _, cells in sorted(rows.items())]


def _text(cell: GridCell, table: Table) -> str:
    if cell.key is None:
        return cell.text
    value = table.cells.get(cell.key)
    return value.raw if value is not None else ""


def _grid_rows(report: Report, *, positioned: bool = False, repeated: bool = False
               ) -> list[tuple[int, list[list[str]]]]:
    """Each table's grid rows as texts: the cells a row has, or (``positioned``) one text per column of
    the grid, a merged cell's text in its first column and the columns it covers left empty, or
    (``repeated``) in every column and row it covers."""
    out = []
    for number, table in ((2, report.table2), (3, report.table3), (4, report.table4)):
        if table is None:
            continue
        layout = grid_for(number, table.edition)
        rows = _rows(layout)
        width = max(c.col + c.colspan for c in layout.cells)
        if repeated:
            full = [[""] * width for _ in range(layout.height)]
            for cell in layout.cells:
                for r in range(cell.row, cell.row + cell.rowspan):
                    for c in range(cell.col, cell.col + cell.colspan):
                        full[r][c] = _text(cell, table)
            out.append((number, full))
        elif positioned:
            full = [[""] * width for _ in rows]
            for n, row in enumerate(rows):
                for cell in row:
                    full[n][cell.col] = _text(cell, table)
            out.append((number, full))
        else:
            out.append((number, [[_text(c, table) for c in row] for row in rows]))
    return out


def lines(rows: list[list[str]]) -> list[str]:
    """One cell per line; an empty cell is an empty line."""
    return [cell for row in rows for cell in row]


def pipes(rows: list[list[str]]) -> list[str]:
    """Each grid row as a Markdown pipe row, spans dropped."""
    return ["| " + " | ".join(row) + " |" for row in rows]


def spaced(rows: list[list[str]]) -> list[str]:
    """Each grid row on one line, cells four spaces apart; an empty cell leaves no trace."""
    return ["    ".join(cell for cell in row if cell) for row in rows]


def glued(rows: list[list[str]]) -> list[str]:
    """Every cell of the table run together on one line."""
    return ["".join(cell for row in rows for cell in row)]


def piped(rows: list[list[str]]) -> list[str]:
    """Every cell of the table on one line, each set apart by a pipe (BeautifulSoup's get_text("|"))."""
    return ["|".join(cell for row in rows for cell in row)]


def tabbed(rows: list[list[str]]) -> list[str]:
    """Every cell of the table on one line, each set apart by a tab (BeautifulSoup's get_text("\\t"))."""
    return ["\t".join(cell for row in rows for cell in row)]


def blocks(rows: list[list[str]]) -> list[str]:
    """One cell per line, with two cells of the first row of numbers printed before that row's label, as
    pdftotext does with the cells under a tall header that it takes for a text block of their own."""
    out = lines(rows)
    for row in rows:
        numbers = [n for n, cell in enumerate(row) if cell.strip().lstrip("-").isdigit()]
        if len(numbers) >= 5:
            start = len(lines(rows[: rows.index(row)]))
            moved = [row[n] for n in numbers[3:5]]
            kept = [cell for n, cell in enumerate(row) if n not in numbers[3:5]]
            out[start: start + len(row)] = moved + kept
            break
    return out


def _numeric(cell: str) -> bool:
    return cell.strip().lstrip("-").isdigit()


def _labels_then_values(rows: list[list[str]]) -> tuple[list[str], list[list[str]]]:
    """The header cells and every row label (as pdfminer and pdftotext print them, first), and each data
    row's values."""
    header = [cell for row in rows if not any(map(_numeric, row)) for cell in row]
    data = [row for row in rows if any(map(_numeric, row))]
    labels = [cell for row in data for cell in row if cell and not _numeric(cell)]
    return header + labels, [[cell for cell in row if _numeric(cell)] for row in data]


def _by_columns(block: list[list[str]]) -> list[str]:
    width = max(map(len, block), default=0)
    return [row[j] for j in range(width) for row in block if j < len(row)]


def columns(rows: list[list[str]]) -> list[str]:
    """The header, then every row label, then the values column by column (pdfminer's text boxes)."""
    out, values = _labels_then_values(rows)
    return out + _by_columns(values)


def boxes(rows: list[list[str]]) -> list[str]:
    """Block by block (a new block at each 第二十条 caption): the block's caption and header, its row
    labels, then its values column by column — pdfminer's text boxes, one per column of a block."""
    blocks: list[list[list[str]]] = []
    for row in rows:
        if not blocks or (row and row[0].startswith("第二十条")):
            blocks.append([])
        blocks[-1].append(row)
    out: list[str] = []
    for block in blocks:
        head, values = _labels_then_values(block)
        out += head + _by_columns(values)
    return out


def transposed(rows: list[list[str]]) -> list[str]:
    """The header, the row labels, then the values row by row except for blocks of rows printed column
    by column (pdftotext, where one text box spans a column of several rows)."""
    out, values = _labels_then_values(rows)
    at, sizes = 0, (1, 3, 1, 5, 2)
    for n in range(len(values)):
        block = values[at:at + sizes[n % len(sizes)]]
        if not block:
            break
        out += _by_columns(block)
        at += len(block)
    return out


def laid_out(rows: list[list[str]]) -> list[str]:
    """Each grid row on one line with every cell at its column's place (pdftotext -layout), and in every
    other row of numbers one value on a line of its own just above, at its column's place (a cell its
    word processor centred vertically)."""
    widths = [max((len(row[j]) for row in rows if j < len(row)), default=0) + 6
              for j in range(max(map(len, rows), default=0))]
    starts = [sum(widths[:j]) for j in range(len(widths))]
    out: list[str] = []
    moved = 0
    for row in rows:
        numbers = [j for j, cell in enumerate(row) if _numeric(cell)]
        stray = numbers[1] if len(numbers) >= 3 and moved % 2 == 0 else None
        moved += len(numbers) >= 3
        if stray is not None:
            out.append(" " * starts[stray] + row[stray])
        out.append("".join(("" if j == stray else cell).ljust(widths[j]) for j, cell in enumerate(row)).rstrip())
        out.append("")
    return out


def stacked(rows: list[list[str]]) -> list[str]:
    """One cell per line, and in every third row of values the values printed before the row's labels,
    right after the values of the row above (PDF text in the order of its blocks' tops, where a tall label
    centres its row's values above the label's first line)."""
    out: list[str] = []
    full = 0
    for row in rows:
        numbers = [n for n, cell in enumerate(row) if _numeric(cell)]
        if len(numbers) >= 5 and full % 3 == 2 and all(c.strip() for c in row):
            out += [row[n] for n in numbers] + [cell for n, cell in enumerate(row) if n not in numbers]
        else:
            out += row
        full += len(numbers) >= 5
    return out


def boxed(rows: list[list[str]]) -> list[str]:
    """Each grid row between rules of box-drawing characters, its cells between bars and padded, a long
    label wrapped over two lines of its row (``w3m -dump``, lynx). A row has the cells it has in the grid
    (a cell that spans columns is one), so rows differ in their number of bars, as in the tools' output."""
    width = max(map(len, rows), default=0)
    sizes = [max(len(row[j]) for row in rows if j < len(row)) + 2 for j in range(width)]

    def rule(left: str, middle: str, right: str) -> str:
        return left + middle.join("─" * size for size in sizes) + right

    out = [rule("┌", "┬", "┐")]
    for n, row in enumerate(rows):
        halves = [(cell[: len(cell) // 2], cell[len(cell) // 2:]) if len(cell) > 8 and not _numeric(cell)
                  else (cell, "") for cell in row]
        for part in (0, 1) if any(h[1] for h in halves) else (0,):
            out.append("│" + "│".join(h[part].ljust(size) for h, size in zip(halves, sizes, strict=False)) + "│")
        out.append(rule("└", "┴", "┘") if n == len(rows) - 1 else rule("├", "┼", "┤"))
    return out


def ruled(rows: list[list[str]]) -> list[str]:
    """pandoc's simple table without a header (its ``plain`` and ``markdown`` output): a rule of dash runs
    gives the columns, counted in display columns (a CJK character takes two); every row on one line, its
    cells padded to their column, blank cells left as spaces."""
    width = max(map(len, rows), default=0)
    sizes = [max((display_width(row[j]) for row in rows if j < len(row)), default=1) + 2 for j in range(width)]
    rule = "  " + " ".join("-" * size for size in sizes)
    out = [rule]
    for row in rows:
        padded = [cell + " " * (size - display_width(cell)) for cell, size in zip(row, sizes, strict=False)]
        out.append(("  " + " ".join(padded)).rstrip())
    return [*out, rule]


def spelled(rows: list[list[str]]) -> list[str]:
    """One cell per line, every label a character a line after its first, which keeps a leading ``2.``
    with it (pypdfium2 on some browser-printed PDFs: ``8.属`` / ``于`` / ``行`` …)."""
    out: list[str] = []
    for cell in lines(rows):
        if len(cell) < 2 or parse_number(cell).is_value_like:
            out.append(cell)
            continue
        head = re.match(r"\d+[.．、]?.", cell)
        first = head.group() if head else cell[0]
        out += [first, *cell[len(first):]]
    return out


def repeated(rows: list[list[str]]) -> list[str]:
    """Markdown pipe rows of the full rectangle, a merged cell's text repeated in every column and row it
    covers (docling's and pandas' tables)."""
    return pipes(rows)


def grid(rows: list[list[str]]) -> list[str]:
    """pandoc's grid table (its reStructuredText output): ``+---+`` rules between rows, cells between bars
    padded to their column in display columns, a cell's text wrapped over lines to the column's width
    (numbers too), and every non-empty cell set in italics (``*…*`` around its wrapped text)."""
    width = max(map(len, rows), default=0)
    sizes = [4 if any(j < len(r) and _numeric(r[j]) for r in rows) else 6 for j in range(width)]
    rule = "+" + "+".join("-" * size for size in sizes) + "+"
    out = [rule]
    for row in rows:
        wrapped = [_wrap(f"*{cell}*" if cell else "", size - 2) for cell, size in zip(row, sizes, strict=False)]
        wrapped += [[] for _ in range(width - len(row))]
        for n in range(max(map(len, wrapped), default=1) or 1):
            parts = [w[n] if n < len(w) else "" for w in wrapped]
            out.append("|" + "|".join(" " + p + " " * (size - 1 - display_width(p))
                                      for p, size in zip(parts, sizes, strict=True)) + "|")
        out.append(rule)
    return out


def _wrap(text: str, columns: int) -> list[str]:
    lines: list[str] = []
    current = ""
    for char in text:
        if display_width(current + char) > columns:
            lines.append(current)
            current = ""
        current += char
    return [*lines, current] if current else lines


SHAPES: dict[str, Callable[[list[list[str]]], list[str]]] = {
    "lines": lines, "pipes": pipes, "spaced": spaced, "glued": glued, "blocks": blocks, "columns": columns,
    "transposed": transposed, "laid_out": laid_out, "piped": piped, "tabbed": tabbed, "boxed": boxed,
    "stacked": stacked, "ruled": ruled, "boxes": boxes, "repeated": repeated, "grid": grid,
    "spelled": spelled,
}


def _shape_for(shape: str, table: int) -> str:
    # A block of cells printed apart is put back by the sums, and only table 3's sums pin every cell (each
    # cell is in a row rule and a column rule). In table 4, “0 7 | 0 0 7” with the last two cells moved
    # reads as a group that adds up — the text itself is ambiguous — so table 4 keeps its order there.
    if shape == "boxes":  # table 2's blocks as boxes; tables 3 and 4 as their own shapes above
        return {2: "boxes", 3: "columns", 4: "lines"}[table]
    return "lines" if shape in ("blocks", "columns", "transposed", "stacked") and table != 3 else shape


def render(report: Report, shape: str) -> str:
    """The report as text in one shape: title, the six parts, the three tables after their headings."""
    tables = dict(_grid_rows(report, positioned=shape in ("ruled", "grid"), repeated=shape == "repeated"))
    out = [report.meta.title or ""]
    texts = {s.number: getattr(report.sections, s.key) or "" for s in SECTIONS}
    for section in SECTIONS:
        out.append(section.heading)
        if texts[section.number]:
            out += texts[section.number].split("\n")
        if section.number in tables:
            out += SHAPES[_shape_for(shape, section.number)](tables[section.number])
    if shape == "glued":
        return "".join(out) + "\n"
    return "\n".join(out) + "\n"
