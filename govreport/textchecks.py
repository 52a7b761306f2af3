"""Checks of what a report's text says: against its tables, against its own year, and of section 5 and 6.

Each finding has a rule id of :data:`govreport.rules.RULES`. The text is taken as printed; a check only
speaks when the text states the figure it compares (a report that says nothing is not contradicted).

>>> import govreport
>>> from govreport.samples import sample
>>> report = govreport.read(sample())
>>> [f.rule for f in text_findings(report)]
[]
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal

from . import layout
from .lazyre import lazy_compile
from .model import Finding, Report, Value
from .normalize import squash_space
from .schema import SECTION_HEADINGS, T3_STATED, T4_STATED, label_of
from .stated import table2_figures

_ALL_SETTLED = lazy_compile(r"(?:所有|全部)(?:的)?(?:政府信息公开)?申请(?:均|都|全部)?(?:已|已经)?"
                          r"(?:按时|依法)?(?:办结|答复)|(?:均|全部|都)(?:已|已经)?(?:在法定期限内|按时|依法)?(?:办结|答复完毕)")
_TITLE_YEAR = lazy_compile(r"((?:19|20)\d{2})\s*年度?")
_PROBLEMS = SECTION_HEADINGS["problems"]
_OTHER = SECTION_HEADINGS["other_matters"][2:]
#: Section 5 shorter than this (characters, without spaces) says nothing about problems.
_MIN_PROBLEMS = 20


def text_findings(report: Report) -> list[Finding]:
    """Every finding of this module's checks."""
    findings = _stated_figures(report)
    findings += _settled_yet_carried(report)
    findings += _section5(report)
    findings += _year_stated(report)
    findings += _fees(report)
    return findings


def _stated_figures(report: Report) -> list[Finding]:
    out = _table2_stated(report)
    overview = squash_space(report.sections.overview or "")
    if overview and report.table3 is not None:
        out += _against(report, "T3-TXT", SECTION_HEADINGS["overview"][2:], overview, T3_STATED)
    litigation = squash_space((report.sections.review_litigation or "") + "。" + (report.sections.overview or ""))
    if report.table4 is not None:
        out += _against(report, "T4-TXT", "正文", litigation, T4_STATED)
    return out


def _table2_stated(report: Report) -> list[Finding]:
    """Counts of 规章 and 规范性文件 the overview states (制发…9件) that table 2 does not hold."""
    if report.table2 is None:
        return []
    out = []
    for key, figure in table2_figures(report.sections.overview).items():
        value = report.value(f"t2.{key}")
        if value is None or _number(value) == int(figure.value):
            continue
        out.append(Finding("T2-TXT", "warning", f"“{SECTION_HEADINGS['overview'][2:]}”称“{figure.quote}”，"
                                                f"而{label_of(f't2.{key}')} 为 {value}。", [f"t2.{key}"]))
    return out


def _against(report: Report, rule: str, where: str, text: str,
             stated: Sequence[tuple[str, str, tuple[str, ...]]]) -> list[Finding]:
    """Figures the text states that no cell of ``keys`` (nor their sum) holds."""
    out = []
    for what, pattern, keys in stated:
        m = re.search(pattern, text)
        values = [report.value(k) for k in keys]
        if not m or all(v is None for v in values):
            continue
        figure = int(m.group(1))
        candidates = {*(v for v in values if v is not None), sum(_number(v) for v in values)}
        if keys[0] == "t3.new_received.total":  # some count last year's carried-over applications in
            candidates.add(_number(values[0]) + _number(report.value("t3.carried_over.total")))
        if figure in candidates:
            continue
        table = " + ".join(f"{label_of(k)} {_show(v)}" for k, v in zip(keys, values, strict=True))
        out.append(Finding(rule, "warning", f"“{where}”称{what} {figure} 件（“{m.group(0)[:40]}”），而{table}。",
                           list(keys)))
    return out


def _settled_yet_carried(report: Report) -> list[Finding]:
    carried = report.value("t3.carried_forward.total")
    if not carried:
        return []
    text = squash_space(" ".join(t for t in (report.sections.overview, report.sections.applications) if t))
    m = _ALL_SETTLED.search(text)
    if not m:
        return []
    return [Finding("T3-DONE", "warning", f"正文称“{m.group(0)}”，而{label_of('t3.carried_forward.total')} 为 "
                                           f"{carried}。", ["t3.carried_forward.total"])]


def _section5(report: Report) -> list[Finding]:
    text = report.sections.problems
    if text is None:
        return [Finding("S5-EMPTY", "warning", f"未找到“{_PROBLEMS}”部分。", ["text.problems"])]
    body = squash_space(text).strip("。.；;：:")
    if not body or body in ("无", "暂无", "没有"):
        return [Finding("S5-EMPTY", "warning", f"“{_PROBLEMS}”为空或只写“{body or '（空）'}”。",
                        ["text.problems"])]
    if len(body) < _MIN_PROBLEMS:
        return [Finding("S5-EMPTY", "warning", f"“{_PROBLEMS}”只有 {len(body)} 个字：“{body}”。",
                        ["text.problems"])]
    return []


def _year_stated(report: Report) -> list[Finding]:
    year = report.meta.year
    if year is None:
        return []
    out = []
    title = squash_space(report.meta.title or "")
    m = _TITLE_YEAR.search(title)
    if m and int(m.group(1)) != year:
        out.append(Finding("META-YEAR", "warning",
                           f"标题写的是 {m.group(1)} 年（“{title[:40]}”），而报告年度为 {year}。", ["meta.year"]))
    period = layout.year_from_text(report.sections.preamble or "")
    if period is not None and period != year:
        out.append(Finding("META-YEAR", "warning", f"统计期限写的是 {period} 年，而报告年度为 {year}。", ["meta.year"]))
    return out


def _fees(report: Report) -> list[Finding]:
    if report.meta.table3_edition != "2021":
        return []
    fees = report.fees
    out = []
    if fees.collected_amount is not None and fees.notices_amount is not None \
            and fees.collected_amount > fees.notices_amount:
        out.append(Finding("S6-FEE", "warning",
                           f"“{_OTHER}”称实际收取 {fees.collected_amount} 元，"
                           f"多于收费通知总金额 {fees.notices_amount} 元。",
                           ["fee.collected_amount", "fee.notices_amount"]))
    if fees.notices_count == 0 and any(a for a in (fees.notices_amount, fees.collected_amount)):
        out.append(Finding("S6-FEE", "warning", f"“{_OTHER}”称未发出收费通知，却报有收费金额。",
                           ["fee.notices_count", "fee.notices_amount", "fee.collected_amount"]))
    unpaid = report.value("t3.other.fee_unpaid.total")
    # Fees collected mean notices went out, whether or not the text counts them.
    if unpaid and (fees.notices_count == 0 or (fees.notices_count is None and not fees.collected_amount)):
        said = "称未发出收费通知" if fees.notices_count == 0 else "未说明发出的收费通知"
        out.append(Finding("S6-T3", "warning", f"{label_of('t3.other.fee_unpaid.total')} 为 {unpaid}，"
                                                f"而“{_OTHER}”{said}。",
                           ["t3.other.fee_unpaid.total", "fee.notices_count"]))
    return out


def _number(value: Value) -> Decimal:
    return Decimal(0) if value is None else Decimal(value)


def _show(value: Value) -> str:
    return "空白" if value is None else str(value)
