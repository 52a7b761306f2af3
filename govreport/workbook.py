"""The layout of govreport's Excel workbook, shared by its writer and its reader."""

from __future__ import annotations

from .schema import SECTIONS

INFO_SHEET = "报告"
DATA_SHEET = "数据"
TABLE_SHEETS = {2: "表二", 3: "表三", 4: "表四"}
#: Written beside a part that is present but has no text (Excel cannot store an empty string).
EMPTY_PART = "本部分为空"

#: Rows of the 报告 sheet: the key the reader reads back, and the label a person reads.
INFO_ROWS: tuple[tuple[str, str], ...] = (
    ("meta.title", "标题"),
    ("meta.agency", "机关名称"),
    ("meta.year", "报告年度"),
    ("meta.published", "发布日期"),
    ("meta.table2_edition", "表二版本"),
    ("meta.table3_edition", "表三版本"),
    ("text.preamble", "前言"),
    *((f"text.{s.key}", s.heading) for s in SECTIONS),
)
