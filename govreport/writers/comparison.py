"""A :class:`~govreport.comparison.Comparison` as a workbook, a web page or a Word document.

All three hold the same parts: a header naming both reports, every table cell with its old and new value
and the change (cells of one edition only marked as such), each section's share of repeated text with its
diff (inserted passages underlined in green, deleted ones struck through in red), the carry-over checks
and the findings of both reports.
"""

from __future__ import annotations

import html
import io
import os
from collections.abc import Callable
from pathlib import Path

from ..atomic import atomic_output
from ..comparison import CellChange, Comparison
from ..errors import WriterError
from ..model import Finding, Report, Value

_PRESENCE = {"both": "", "old only": "仅旧报告的版本有此栏", "new only": "仅新报告的版本有此栏"}
_SEVERITY = {"error": "错误", "warning": "警告", "info": "提示"}


def write_comparison(comparison: Comparison, output: str | os.PathLike[str]) -> Path:
    """Write ``comparison`` to ``output`` (.xlsx, .html or .docx), atomically; returns the path."""
    path = Path(output)
    encode: Callable[[Comparison], bytes] | None = {".xlsx": _xlsx, ".html": _html, ".htm": _html,
                                                     ".docx": _docx}.get(path.suffix.lower())
    if encode is None:
        raise WriterError("a comparison is written as .xlsx, .html or .docx", str(output))
    payload = encode(comparison)
    with atomic_output(path) as stream:
        stream.write(payload)
    return path


def _name(report: Report) -> str:
    meta = report.meta
    return f"{meta.agency or '（未知单位）'} {meta.year or '（未知年度）'}年（{report.source.path or '-'}）"


def _show(value: Value) -> str:
    return "" if value is None else str(value)


def _change(cell: CellChange) -> str:
    change = cell.change
    if cell.presence != "both":
        return _PRESENCE[cell.presence]
    if change is None:
        return "" if cell.old == cell.new else "有变化"
    return "" if change == 0 else (f"+{change}" if change > 0 else str(change))


def _findings(comparison: Comparison) -> list[tuple[str, Finding]]:
    return ([("新旧对照", f) for f in comparison.carry_over] + [("旧报告", f) for f in comparison.old_findings]
            + [("新报告", f) for f in comparison.new_findings])


# --- Excel -----------------------------------------------------------------------------------------

def _xlsx(comparison: Comparison) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell.rich_text import CellRichText, TextBlock
    from openpyxl.cell.text import InlineFont
    from openpyxl.styles import Alignment, Color, Font, PatternFill
    from openpyxl.worksheet.properties import PageSetupProperties

    book = Workbook()
    cells = book.worksheets[0]
    cells.title = "表格对比"
    cells.append(["旧报告", _name(comparison.old)])
    cells.append(["新报告", _name(comparison.new)])
    cells.append([])
    cells.append(["栏目", "旧", "新", "变化", "字段"])
    changed = PatternFill("solid", fgColor="FFF2CC")
    for cell in comparison.cells:
        cells.append([cell.label, _number(cell.old), _number(cell.new), _change(cell), cell.key])
        if cell.changed:
            for target in cells[cells.max_row][:4]:
                target.fill = changed
    for row in (1, 2, 4):
        cells.cell(row, 1).font = Font(bold=True)
    cells.freeze_panes = "B5"
    for column, width in zip("ABCDE", (60, 14, 14, 22, 44), strict=True):
        cells.column_dimensions[column].width = width

    texts = book.create_sheet("文字对比")
    texts.append(["部分", "新报告中与旧报告相同的文字", "修改标记（绿色下划线为新增，红色删除线为删去）"])
    inserted = InlineFont(color=Color("00B050"), u="single")
    deleted = InlineFont(color=Color("FF0000"), strike=True)
    for section in comparison.sections:
        rich = CellRichText([TextBlock(inserted if kind == "inserted" else deleted, text) if kind != "same" else text
                             for kind, text in section.diff])
        share = "" if section.repeated is None else f"{section.repeated:.0%}"
        texts.append([section.name, share, rich if section.diff else ""])
        texts.cell(texts.max_row, 3).alignment = Alignment(wrap_text=True, vertical="top")
    texts.column_dimensions["A"].width, texts.column_dimensions["B"].width = 30, 16
    texts.column_dimensions["C"].width = 110

    problems = book.create_sheet("问题")
    problems.append(["来源", "严重程度", "规则", "说明", "涉及字段"])
    for origin, finding in _findings(comparison):
        problems.append([origin, _SEVERITY.get(finding.severity, finding.severity), finding.rule, finding.message,
                         ", ".join(finding.keys)])
    for column, width in zip("ABCDE", (10, 10, 14, 100, 40), strict=True):
        problems.column_dimensions[column].width = width
    for sheet in book.worksheets:
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
        sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
        sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _number(value: Value) -> object:
    from ..audit import safe_value

    return safe_value(value)


# --- HTML ------------------------------------------------------------------------------------------

_STYLE = """body{font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:2em;color:#222}
table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #bbb;padding:3px 8px;text-align:left}
td.n{text-align:right}tr.changed td{background:#fff2cc}ins{color:#00803c;text-decoration:underline}
del{color:#c00000;text-decoration:line-through}p.diff{line-height:1.8;white-space:pre-wrap}.share{color:#555}"""


def _html(comparison: Comparison) -> bytes:
    e = html.escape
    parts = [f"<!DOCTYPE html><html lang='zh-CN'><head><meta charset='utf-8'><title>报告对比</title>"
             f"<style>{_STYLE}</style></head><body><h1>政府信息公开工作年度报告对比</h1>",
             f"<p>旧报告：{e(_name(comparison.old))}<br>新报告：{e(_name(comparison.new))}</p>",
             "<h2>表格</h2><table><tr><th>栏目</th><th>旧</th><th>新</th><th>变化</th></tr>"]
    for cell in comparison.cells:
        row_class = " class='changed'" if cell.changed else ""
        parts.append(f"<tr{row_class}><td>{e(cell.label)}</td><td class='n'>{e(_show(cell.old))}</td>"
                     f"<td class='n'>{e(_show(cell.new))}</td><td>{e(_change(cell))}</td></tr>")
    parts.append("</table><h2>文字</h2>")
    for section in comparison.sections:
        share = "" if section.repeated is None else f"新报告中 {section.repeated:.0%} 的文字与旧报告相同"
        marked = "".join(e(text) if kind == "same" else f"<{kind[:3]}>{e(text)}</{kind[:3]}>"
                         for kind, text in section.diff)
        parts.append(f"<h3>{e(section.name)}</h3><p class='share'>{share}</p><p class='diff'>{marked}</p>")
    parts.append("<h2>问题</h2><table><tr><th>来源</th><th>严重程度</th><th>规则</th><th>说明</th></tr>")
    for origin, finding in _findings(comparison):
        parts.append(f"<tr><td>{origin}</td><td>{_SEVERITY.get(finding.severity, finding.severity)}</td>"
                     f"<td>{e(finding.rule)}</td><td>{e(finding.message)}</td></tr>")
    parts.append("</table></body></html>\n")
    return "".join(parts).encode("utf-8")


# --- Word ------------------------------------------------------------------------------------------

def _docx(comparison: Comparison) -> bytes:
    from docx import Document
    from docx.enum.text import WD_COLOR_INDEX
    from docx.shared import RGBColor

    document = Document()
    document.add_heading("政府信息公开工作年度报告对比", level=1)
    document.add_paragraph(f"旧报告：{_name(comparison.old)}")
    document.add_paragraph(f"新报告：{_name(comparison.new)}")
    document.add_heading("表格（有变化的栏目）", level=2)
    changed = comparison.changed_cells
    table = document.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    for cell, title in zip(table.rows[0].cells, ("栏目", "旧", "新", "变化"), strict=True):
        cell.text = title
    for change in changed:
        row = table.add_row().cells
        for cell, text in zip(row, (change.label, _show(change.old), _show(change.new), _change(change)),
                              strict=True):
            cell.text = text
    if not changed:
        document.add_paragraph("两份报告的表格完全相同。")
    document.add_heading("文字", level=2)
    for section in comparison.sections:
        document.add_heading(section.name, level=3)
        if section.repeated is not None:
            document.add_paragraph(f"新报告中 {section.repeated:.0%} 的文字与旧报告相同。")
        paragraph = document.add_paragraph()
        for kind, text in section.diff:
            run = paragraph.add_run(text)
            if kind == "inserted":
                run.font.underline = True
                run.font.color.rgb = RGBColor(0x00, 0x80, 0x3C)
            elif kind == "deleted":
                run.font.strike = True
                run.font.color.rgb = RGBColor(0xC0, 0x00, 0x00)
                run.font.highlight_color = WD_COLOR_INDEX.GRAY_25
    document.add_heading("问题", level=2)
    for origin, finding in _findings(comparison):
        document.add_paragraph(f"［{origin}·{_SEVERITY.get(finding.severity, finding.severity)}·{finding.rule}］"
                               f"{finding.message}", style="List Bullet")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
