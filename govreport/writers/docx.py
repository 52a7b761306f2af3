"""The report as a Word document in the layout of government documents (python-docx).

GB/T 9704 conventions (FORMAT.md §9): A4 with 37/35/28/26 mm margins, the title in 方正小标宋简体 二号
centred, body text in 仿宋_GB2312 三号 with a two-character indent and fixed 28 pt lines, 一、 headings in
黑体, （一） sub-headings in 楷体_GB2312, tables in 宋体 五号 with the official merges and labels, page
numbers "— 1 —" in the footer, and the agency and date signing off. East Asian font names are declared
on every style, so Word and WPS pick the Chinese fonts rather than their Latin fallbacks.
"""

from __future__ import annotations

from typing import Any, BinaryIO

import docx
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.styles.style import ParagraphStyle

from ..grids import Grid, GridCell, grid_for
from ..lazyre import lazy_compile
from ..model import Cell, Report, Table
from ..normalize import render_number, xml_safe
from ..schema import SECTIONS, Edition

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"
SUBHEADING_FONT = "楷体_GB2312"
TABLE_FONT = "宋体"
LATIN_FONT = "Times New Roman"

_SUBHEADING_RE = lazy_compile(r"^（[一二三四五六七八九十]+）")
#: Column widths in mm over the 156 mm type area: wide label columns, narrow value columns.
_WIDTHS: dict[int, dict[str | None, list[float]]] = {
    2: {"2021": [54, 34, 34, 34], "2019": [44, 28, 28, 28, 28]},
    3: {None: [14, 22, 40, *[11.4] * 7]},
    4: {None: [10.4] * 15},
}
#: Header rows repeated at the top of each page a table runs onto.
_HEADER_ROWS = {2: 0, 3: 3, 4: 3}
_TABLE_OF_SECTION = {"active_disclosure": 2, "applications": 3, "review_litigation": 4}


def _set_fonts(element: object, east_asian: str, latin: str = LATIN_FONT) -> None:
    """Declare Latin and East Asian fonts on a style's or run's ``w:rPr``."""
    r_pr = element.get_or_add_rPr()  # type: ignore[attr-defined]
    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        r_pr.insert(0, fonts)
    for attribute in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attribute), latin)
    fonts.set(qn("w:eastAsia"), east_asian)


def _style(document: docx.document.Document, name: str, font: str, size: float, *, bold: bool = False,
           indent: bool = True, align: int | None = None, exact: float | None = 28) -> ParagraphStyle:
    styles = document.styles
    style = styles[name] if name in [s.name for s in styles] else styles.add_style(name, 1)
    style.base_style = styles["Normal"]
    style.font.size = Pt(size)
    style.font.bold = bold
    _set_fonts(style.element, font)
    fmt = style.paragraph_format
    fmt.first_line_indent = Pt(size * 2) if indent else Pt(0)
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    if exact:
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(exact)
    else:
        fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    if align is not None:
        fmt.alignment = align
    return style


class DocxWriter:
    name = "docx"
    extensions: tuple[str, ...] = ("docx",)

    def write(self, report: Report, stream: BinaryIO) -> None:
        document = docx.Document()
        _page_setup(document)
        normal = document.styles["Normal"]
        normal.font.size = Pt(16)
        _set_fonts(normal.element, BODY_FONT)
        normal.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        styles = {
            "title": _style(document, "报告标题", TITLE_FONT, 22, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER,
                            exact=None),
            "body": _style(document, "报告正文", BODY_FONT, 16),
            "heading": _style(document, "报告一级标题", HEADING_FONT, 16),
            "subheading": _style(document, "报告二级标题", SUBHEADING_FONT, 16, bold=True),
            "table": _style(document, "报告表格", TABLE_FONT, 10.5, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER,
                            exact=None),
            "sign": _style(document, "报告落款", BODY_FONT, 16, indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT),
        }
        meta = report.meta
        title = meta.title or f"{meta.agency or ''}{f'{meta.year}年' if meta.year else ''}政府信息公开工作年度报告"
        title = xml_safe(title)
        document.add_paragraph(title, styles["title"])
        document.add_paragraph("", styles["body"])
        document.core_properties.title = title
        _lines(document, report.sections.preamble, styles)
        editions: dict[int, Edition | None] = {
            2: _edition(report.table2, meta.table2_edition), 3: _edition(report.table3, meta.table3_edition), 4: None}
        for section in SECTIONS:
            document.add_paragraph(section.heading, styles["heading"])
            _lines(document, report.sections.get(section.key), styles)
            number = _TABLE_OF_SECTION.get(section.key)
            if number is not None:
                _table(document, grid_for(number, editions[number]), report.table(number), styles["table"])
        if meta.agency or meta.published:
            document.add_paragraph("", styles["body"])
            if meta.agency:
                document.add_paragraph(xml_safe(meta.agency), styles["sign"])
            if meta.published:
                date = meta.published
                document.add_paragraph(f"{date.year}年{date.month}月{date.day}日", styles["sign"])
        document.save(stream)


def _edition(table: Table | None, stated: Edition | None) -> Edition:
    return (table.edition if table is not None and table.edition else stated) or "2021"


def _page_setup(document: docx.document.Document) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _page_number(footer)


def _page_number(paragraph: object) -> None:
    """``— 1 —``: an em dash, the PAGE field, an em dash, in 宋体 四号."""
    for text in ("— ", None, " —"):
        run = paragraph.add_run(text or "")  # type: ignore[attr-defined]
        run.font.size = Pt(14)
        _set_fonts(run._r, TABLE_FONT)
        if text is None:
            field = OxmlElement("w:fldSimple")
            field.set(qn("w:instr"), "PAGE")
            inner = OxmlElement("w:r")
            value = OxmlElement("w:t")
            value.text = "1"
            inner.append(value)
            field.append(inner)
            run._r.addnext(field)


def _lines(document: docx.document.Document, text: str | None, styles: dict[str, ParagraphStyle]) -> None:
    for line in xml_safe(text or "").split("\n"):
        if line.strip():
            style = styles["subheading"] if _SUBHEADING_RE.match(line) and len(line) <= 40 else styles["body"]
            document.add_paragraph(line, style)


def value_text(cell: Cell | None) -> str:
    """What a value cell prints: the report's own text, or the value written plainly."""
    if cell is None:
        return ""
    if cell.raw or cell.value is None:
        return cell.raw
    return render_number(cell.value, signed=False)


def _table(document: docx.document.Document, grid: Grid, table: Table | None, style: ParagraphStyle) -> None:
    """Write a grid as ``w:tbl`` XML: one ``w:tc`` per merged region, ``gridSpan`` and ``vMerge`` set.

    Built directly rather than with python-docx's ``merge()``, which costs a second per report.
    """
    widths = _WIDTHS[grid.number].get(grid.edition) or _WIDTHS[grid.number][None]
    tbl = _element("w:tbl")
    tbl_pr = _element("w:tblPr")
    tbl_pr.append(_element("w:tblStyle", val=document.styles["Table Grid"].style_id))
    tbl_pr.append(_element("w:tblW", w=str(_twips(sum(widths))), type="dxa"))
    tbl_pr.append(_element("w:jc", val="center"))
    tbl_pr.append(_element("w:tblLayout", type="fixed"))
    tbl.append(tbl_pr)
    tbl_grid = _element("w:tblGrid")
    for width in widths:
        tbl_grid.append(_element("w:gridCol", w=str(_twips(width))))
    tbl.append(tbl_grid)
    covering: dict[tuple[int, int], GridCell] = {}
    for cell in grid.cells:
        for r in range(cell.row, cell.row + cell.rowspan):
            for c in range(cell.col, cell.col + cell.colspan):
                covering[(r, c)] = cell
    for r in range(grid.height):
        tr = _element("w:tr")
        if r < _HEADER_ROWS[grid.number]:
            tr_pr = _element("w:trPr")
            tr_pr.append(_element("w:tblHeader"))
            tr.append(tr_pr)
        for c in range(grid.width):
            cell = covering[(r, c)]
            if cell.col != c:
                continue
            tc = _element("w:tc")
            tc_pr = _element("w:tcPr")
            span_width = sum(widths[cell.col: cell.col + cell.colspan])
            tc_pr.append(_element("w:tcW", w=str(_twips(span_width)), type="dxa"))
            if cell.colspan > 1:
                tc_pr.append(_element("w:gridSpan", val=str(cell.colspan)))
            if cell.rowspan > 1:
                tc_pr.append(_element("w:vMerge", val="restart") if cell.row == r else _element("w:vMerge"))
            tc_pr.append(_element("w:vAlign", val="center"))
            tc.append(tc_pr)
            text = ""
            if cell.row == r:
                text = cell.text if cell.key is None else value_text(
                    table.cells.get(cell.key) if table else None)
            tc.append(_cell_paragraph(text, style.style_id, left=cell.role == "row"))
            tr.append(tc)
        tbl.append(tr)
    body = document.element.body
    body.insert(len(body) - 1 if body[-1].tag == qn("w:sectPr") else len(body), tbl)
    document.add_paragraph("", document.styles["Normal"])


def _twips(mm: float) -> int:
    return round(mm / 25.4 * 1440)


def _element(tag: str, **attributes: str) -> Any:
    element = OxmlElement(tag)
    for name, value in attributes.items():
        element.set(qn(f"w:{name}"), value)
    return element


def _cell_paragraph(text: str, style_id: str, *, left: bool) -> Any:
    p = _element("w:p")
    p_pr = _element("w:pPr")
    p_pr.append(_element("w:pStyle", val=style_id))
    if left:
        p_pr.append(_element("w:jc", val="left"))
    p.append(p_pr)
    text = xml_safe(text)
    lines = text.split("\n")
    if text:
        run = _element("w:r")
        for n, line in enumerate(lines):
            if n:
                run.append(_element("w:br"))
            t = _element("w:t")
            t.text = line
            t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            run.append(t)
        p.append(run)
    return p


WRITER = DocxWriter()
