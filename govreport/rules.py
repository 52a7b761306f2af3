"""Every check govreport runs, in one table: its id, the worst severity it reports, what it checks and
the keys it can name. Findings carry these ids; the README lists this table.

>>> RULES["T3-BAL"].severity, RULES["NARR-SIM"].scope
('error', 'batch')
"""

from __future__ import annotations

from typing import Literal

import attrs

from .fieldrepr import FieldRepr

Scope = Literal["report", "batch", "reading"]


@attrs.frozen(repr=False)
class Rule(FieldRepr):
    """One check: ``severity`` is the worst it reports (blank cells turn an error into a warning)."""

    id: str
    severity: Literal["error", "warning", "info"]
    checks: str
    keys: str
    scope: Scope = "report"
    #: For the sums: the equation in the form's own words, as findings quote it.
    statement: str = ""


#: T2-UNIT: 行政事业性收费 is reported in 万元; an amount this large (a thousand 亿元) was written in 元.
FEE_IN_YUAN_THRESHOLD = 10_000_000

_RULES: tuple[Rule, ...] = (
    Rule("T3-BAL", "error",
         "表三 each column: 第一项 + 第二项 = 第三项 + 第四项 (新收 + 上年结转 = 办理结果总计 + 结转下年度)",
         "t3.new_received.*, t3.carried_over.*, t3.total_processed.*, t3.carried_forward.*",
         statement="第一项加第二项之和等于第三项加第四项之和"),
    Rule("T3-SUM", "error", "表三 each column: （七）总计 = （一）至（六）之和",
         "t3.total_processed.* and the result rows", statement="（七）总计等于（一）至（六）之和"),
    Rule("T3-ROW", "error", "表三 each row: 总计 = 各类申请人之和", "t3.<row>.*", statement="总计等于各类申请人之和"),
    Rule("T3-NN", "error", "表三 cells are not negative", "t3.*"),
    Rule("T4-SUM", "error", "表四 each group: 总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结", "t4.<group>.*",
         statement="总计等于结果维持、结果纠正、其他结果、尚未审结之和"),
    Rule("T4-NN", "error", "表四 cells are not negative", "t4.*"),
    Rule("T2-NN", "error", "表二 counts and amounts are not negative (本年增/减 may be)", "t2.*"),
    Rule("T2-INT", "error", "表二 counts are whole numbers (a reader leaves a fraction blank with a PARSE-CELL)",
         "t2.* count cells"),
    Rule("T2-UNIT", "warning", "表二 行政事业性收费 in 万元: a figure of 10⁷ or more was probably written in 元",
         "t2.admin_fees.amount"),
    Rule("CELL-MARK", "warning", "a cell holds “/”, “—” or “无” where the form asks for a number (0 if none)",
         "the cells concerned"),
    Rule("T2-TXT", "warning", "counts of 规章 / 规范性文件 the overview states (制发 X 件, 废止 Y 件, 现行有效 Z 件) "
         "against 表二", "t2.regulations.*, t2.normative_documents.*"),
    Rule("T3-TXT", "warning", "figures the overview states (收到申请 X 件, 予以公开 Y 件, 结转 Z 件) against 表三",
         "t3.new_received.total, t3.granted.total, t3.carried_forward.total"),
    Rule("T4-TXT", "warning", "行政复议 / 行政诉讼 counts stated in the text against 表四's totals",
         "t4.review.total, t4.litigation_direct.total, t4.litigation_after_review.total"),
    Rule("T3-DONE", "warning", "the text says every application was settled (均已办结) while 结转下年度 is not 0",
         "t3.carried_forward.total"),
    Rule("S5-EMPTY", "warning", "五、存在的主要问题及改进情况 is missing, empty, “无” or only a few words",
         "text.problems"),
    Rule("META-YEAR", "warning", "the year in the title or the statistics period differs from the year reported on",
         "meta.year"),
    Rule("S6-FEE", "warning", "section 6: amount collected ≤ amount of the 收费通知; no notices ⇒ no amounts",
         "fee.notices_count, fee.notices_amount, fee.collected_amount"),
    Rule("S6-T3", "warning", "表三 逾期未按收费通知缴费 > 0 ⇒ section 6 reports 收费通知 issued",
         "t3.other.fee_unpaid.total, fee.notices_count"),
    Rule("T3-XY", "warning", "上年结转 of year N = 结转下年度 of year N−1, each column, same agency",
         "t3.carried_over.*", "batch"),
    Rule("T2-XY", "warning", "现行有效件数 of year N = that of N−1 + 本年制发 − 本年废止 (2021 format)",
         "t2.regulations.*, t2.normative_documents.*", "batch"),
    Rule("NARR-SIM", "warning", "a section repeats more than half of the same agency's text of the year before",
         "text.overview, text.problems, text.other_matters", "batch"),
    Rule("HIER-SUM", "warning", "a parent's 表三/表四 totals against the sum of its children's (given a mapping)",
         "t3.*.total, t4.*.total", "batch"),
    Rule("HIER-MISSING", "warning", "children of a parent that the batch has no report of for that year", "", "batch"),
    Rule("PARSE-*", "warning", "what reading could not settle: a row, a column, a cell, a section, a table, an order",
         "the cells left blank", "reading"),
)

RULES: dict[str, Rule] = {r.id: r for r in _RULES}
