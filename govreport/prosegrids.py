"""Running text that a converter set as a table, read back as lines of text.

markitdown lays a PDF page out by the positions of its words, and a line of prose whose words stand
apart (a number in a Latin font, a gap left by justification) becomes a row of a Markdown table::

    | 2024 | 年，淮安市洪泽区人民政府坚持以习近平新时代中国特 |     |
    | ---- | ------------------------ | --- |

Such a table has none of the statistical tables' shape: its rows are sentences. Read as a grid, the
paragraph would be lost to its section, and words of it (其中结果维持) would pass for a table's labels.
Only tables a text reader cut from pipes qualify; a grid with real geometry is a table the author made.

>>> from govreport.document import Table, TableCell
>>> text = "年，我市坚持以习近平新时代中国特色社会主义思想为指导"
>>> row = (TableCell("2024", 0, 0, line=3), TableCell(text, 0, 1, line=3))
>>> [p.text for p in prose_as_paragraphs((Table((row,), exact_geometry=False),))]
['2024 年，我市坚持以习近平新时代中国特色社会主义思想为指导']
"""

from __future__ import annotations

from collections.abc import Sequence

from .document import Block, Paragraph, Table, TableCell
from .lazyre import lazy_compile
from .settings import options

_CJK_RE = lazy_compile(r"[\u4e00-\u9fff]")
_SENTENCE_MARK_RE = lazy_compile(r"[，。；]")
_NUMBER_RE = lazy_compile(r"\d[\d.,]*$")
#: A row with this many cells of figures is a row of a table of figures.
_FIGURES_IN_A_DATA_ROW = 3


def prose_as_paragraphs(blocks: Sequence[Block]) -> tuple[Block, ...]:
    """``blocks`` with every text table whose rows are running text replaced by its rows as lines."""
    if not any(isinstance(b, Table) and not b.exact_geometry for b in blocks):
        return tuple(blocks)
    out: list[Block] = []
    for block in blocks:
        if isinstance(block, Table) and not block.exact_geometry and _is_prose(block):
            out += [Paragraph(text, line=row[0].line, page=row[0].page or block.page)
                    for row, text in zip(block.rows, map(_row_text, block.rows), strict=True) if text]
        else:
            out.append(block)
    return tuple(out)


def _is_prose(table: Table) -> bool:
    """Whether most of a table's rows are sentences and none is a row of figures (a statistical table's
    header may repeat its long caption, 本列数据的勾稽关系为…, in every row it spans)."""
    if any(sum(1 for c in row if _NUMBER_RE.match(c.text.strip())) >= _FIGURES_IN_A_DATA_ROW for row in table.rows):
        return False
    rows = [text for text in map(_row_text, table.rows) if text]
    settings = options().layout
    prose = sum(1 for text in rows if len(_CJK_RE.findall(text)) >= settings.prose_row_min_cjk
                and _SENTENCE_MARK_RE.search(text))
    return bool(rows) and prose >= len(rows) * settings.prose_table_share


def _row_text(row: Sequence[TableCell]) -> str:
    return " ".join(c.text.strip() for c in row if c.text.strip())
