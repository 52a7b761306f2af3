"""The official format as data: sections, tables, rows, columns, labels and flat keys.

Everything that names a label of 国办公开办函〔2021〕30号 or 〔2019〕60号 lives here, so that readers,
the assembler, validators and writers agree on one vocabulary. Keys follow ``spec/fields.csv``:
``t3.<row>.<column>``, ``t2.<row>.<column>``, ``t4.<group>.<column>``.

>>> T3.row("denied.state_secret").label
'1.属于国家秘密'
>>> flat_keys("2021", "2019")[:4]
('meta.agency', 'meta.year', 'meta.table2_edition', 'meta.table3_edition')
"""

from __future__ import annotations

import csv
import io
from functools import cache
from importlib import resources
from typing import Literal

import attrs

from .fieldrepr import FieldRepr

Edition = Literal["2019", "2021"]
EDITIONS: tuple[Edition, ...] = ("2019", "2021")
ValueType = Literal["int", "decimal", "signed_int"]


@attrs.frozen(repr=False)
class Section(FieldRepr):
    """One of the six numbered parts of a report."""

    number: int
    key: str
    heading: str
    #: Heading wordings (without the numeral) accepted even when the numeral is missing.
    names: tuple[str, ...]
    #: Regular expression over the normalised heading (numeral removed) accepted when a numeral is present.
    loose: str


SECTIONS: tuple[Section, ...] = (
    Section(1, "overview", "一、总体情况", ("总体情况", "概述", "总体概述", "基本情况", "工作概述"),
            r"^.{0,8}(总体|概述|概况|基本情况).{0,8}$"),
    Section(2, "active_disclosure", "二、主动公开政府信息情况",
            ("主动公开政府信息情况", "主动公开政府信息的情况"), r"^.{0,4}主动公开.{0,12}情况$"),
    Section(3, "applications", "三、收到和处理政府信息公开申请情况",
            ("收到和处理政府信息公开申请情况", "收到和处理政府信息公开申请的情况", "依申请公开政府信息情况"),
            r"^.{0,12}申请.{0,10}情况$"),
    Section(4, "review_litigation", "四、政府信息公开行政复议、行政诉讼情况",
            ("政府信息公开行政复议、行政诉讼情况", "政府信息公开行政复议和行政诉讼情况"),
            r"^.{0,20}复议.{0,12}诉讼.{0,6}情况$"),
    Section(5, "problems", "五、存在的主要问题及改进情况",
            ("存在的主要问题及改进情况", "存在的主要问题及整改措施", "政府信息公开工作存在的主要问题及改进情况",
             "存在问题及改进情况", "存在的问题及改进情况", "存在的主要问题及改进措施", "存在的问题及改进措施"),
            r"^.{0,12}(存在|主要问题).{0,16}$"),
    Section(6, "other_matters", "六、其他需要报告的事项",
            ("其他需要报告的事项", "其他需要报告事项", "需要说明的其他事项", "需要说明的其他事项与附表"),
            r"^其他.{0,6}(事项|情况)$"),
)

#: Section keys in the order of the report; ``preamble`` is the unnumbered text before 一.
SECTION_KEYS: tuple[str, ...] = ("preamble", *tuple(s.key for s in SECTIONS))
#: The sections whose text ``flatten`` exports, under the names of fields.csv.
FLAT_TEXT_KEYS: dict[str, str] = {
    "overview": "text.overview",
    "problems": "text.problems",
    "other_matters": "text.other_matters",
}


@attrs.frozen(repr=False)
class Column(FieldRepr):
    """A data column: its key, the official header, accepted variants and the value type."""

    key: str
    label: str
    aliases: tuple[str, ...] = ()
    type: ValueType = "int"
    #: The unit the official header states (万元 for the 2021 fee amount), if any.
    unit: str | None = None


#: Units that mark a printed value as an amount of money (the rest, 件 项 条 个 …, mark a count).
MONEY_UNITS = ("元", "万元")


def unit_fits(unit: str | None, column: Column) -> bool:
    """Whether a value printed with ``unit`` may stand in ``column``: an amount in 元 only in a column of
    amounts, a count in 件 only in a column of counts; a bare number anywhere."""
    return unit is None or (unit in MONEY_UNITS) == (column.type == "decimal")


@attrs.frozen(repr=False)
class Row(FieldRepr):
    """A data row of table 2 or 3."""

    key: str
    label: str
    #: Words that identify the row although its label is cut, split or mistyped (FORMAT.md §11.5).
    keywords: tuple[str, ...] = ()
    #: Table 3 only: the merged group header above the row (denied, unable, not_processed, other).
    group: str | None = None
    #: Regular expression for labels too short for keywords (``3.其他``).
    pattern: str | None = None


# --- Table 2 -------------------------------------------------------------------------------------

@attrs.frozen(repr=False)
class SubTable(FieldRepr):
    """A captioned block of table 2 (第二十条第（一）项 …)."""

    key: str
    numeral: str
    rows: tuple[str, ...]
    columns: tuple[str, ...]

    @property
    def caption(self) -> str:
        return f"第二十条第（{self.numeral}）项"


T2_ROWS: dict[str, Row] = {r.key: r for r in (
    Row("regulations", "规章", ("规章",)),
    Row("normative_documents", "行政规范性文件", ("规范性文件",)),
    Row("licensing", "行政许可", ("行政许可",)),
    Row("other_services", "其他对外管理服务事项", ("对外管理服务",)),
    Row("penalty", "行政处罚", ("行政处罚",)),
    Row("coercion", "行政强制", ("行政强制",)),
    Row("admin_fees", "行政事业性收费", ("事业性收费",)),
    Row("centralized_procurement", "政府集中采购", ("集中采购",)),
)}

T2_COLUMNS: dict[Edition, dict[str, Column]] = {
    "2021": {c.key: c for c in (
        Column("issued", "本年制发件数", ("本年制发",)),
        Column("repealed", "本年废止件数", ("本年废止",)),
        Column("in_force", "现行有效件数", ("现行有效",)),
        Column("decisions", "本年处理决定数量", ("本年处理决定",)),
        Column("amount", "本年收费金额（单位：万元）", ("本年收费金额", "收费金额"), "decimal", "万元"),
    )},
    "2019": {c.key: c for c in (
        Column("newly_made", "本年新制作数量", ("新制作",)),
        Column("newly_published", "本年新公开数量", ("新公开",)),
        Column("total_published", "对外公开总数量", ("公开总数",)),
        Column("prev_year_items", "上一年项目数量", ("上一年项目", "上年项目")),
        Column("change", "本年增/减", ("本年增减", "增/减", "增减"), "signed_int"),
        Column("decisions", "处理决定数量", ("处理决定",)),
        Column("items", "采购项目数量", ("采购项目",)),
        Column("amount", "采购总金额", ("采购总金额", "采购金额"), "decimal"),
    )},
}

T2_LAYOUT: dict[Edition, tuple[SubTable, ...]] = {
    "2021": (
        SubTable("art20_1", "一", ("regulations", "normative_documents"), ("issued", "repealed", "in_force")),
        SubTable("art20_5", "五", ("licensing",), ("decisions",)),
        SubTable("art20_6", "六", ("penalty", "coercion"), ("decisions",)),
        SubTable("art20_8", "八", ("admin_fees",), ("amount",)),
    ),
    "2019": (
        SubTable("art20_1", "一", ("regulations", "normative_documents"),
                 ("newly_made", "newly_published", "total_published")),
        SubTable("art20_5", "五", ("licensing", "other_services"), ("prev_year_items", "change", "decisions")),
        SubTable("art20_6", "六", ("penalty", "coercion"), ("prev_year_items", "change", "decisions")),
        SubTable("art20_8", "八", ("admin_fees",), ("prev_year_items", "change")),
        SubTable("art20_9", "九", ("centralized_procurement",), ("items", "amount")),
    ),
}

T2_ROW_LABELS: dict[Edition, dict[str, str]] = {
    "2021": {"normative_documents": "行政规范性文件"},
    "2019": {"normative_documents": "规范性文件"},
}


def t2_row_label(row: str, edition: Edition) -> str:
    """The official label of a table-2 row in an edition (规范性文件 became 行政规范性文件 in 2021)."""
    return T2_ROW_LABELS[edition].get(row, T2_ROWS[row].label)


def t2_subtable_of(row: str, edition: Edition) -> SubTable:
    return next(s for s in T2_LAYOUT[edition] if row in s.rows)


def t2_keys(edition: Edition) -> tuple[str, ...]:
    """Table-2 cell keys (``row.column``) of an edition, in the order of the official grid."""
    return tuple(f"{r}.{c}" for s in T2_LAYOUT[edition] for r in s.rows for c in s.columns)


def t2_column(edition: Edition, key: str) -> Column:
    return T2_COLUMNS[edition][key]


T2_CAPTION_PREFIX = "第二十条"
T2_HEADER_LABEL = "信息内容"


# --- Table 3 -------------------------------------------------------------------------------------

T3_COLUMNS: tuple[Column, ...] = (
    Column("natural_person", "自然人"),
    Column("commercial", "商业企业", ("企业",)),
    Column("research", "科研机构", ("科研",)),
    Column("social_org", "社会公益组织", ("公益组织", "社会组织")),
    Column("legal_service", "法律服务机构", ("法律服务",)),
    Column("other", "其他", ("其他组织",)),
    Column("total", "总计", ("合计",)),
)
T3_COLUMN_KEYS = tuple(c.key for c in T3_COLUMNS)
T3_APPLICANT_COLUMNS = T3_COLUMN_KEYS[:-1]
T3_LEGAL_PERSON_COLUMNS = T3_COLUMN_KEYS[1:6]
T3_CAPTION = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
T3_APPLICANT_HEADER = "申请人情况"
T3_LEGAL_PERSON_HEADER = "法人或其他组织"
#: The legal-person header as reports print it (the template's wording first).
T3_LEGAL_PERSON_HEADERS = (T3_LEGAL_PERSON_HEADER, "法人或者其他组织")

#: Group headers of table 3: key → (label, keywords).
T3_GROUPS: dict[str, tuple[str, tuple[str, ...]]] = {
    "results": ("三、本年度办理结果", ("办理结果",)),
    "denied": ("（三）不予公开", ("不予公开",)),
    "unable": ("（四）无法提供", ("无法提供",)),
    "not_processed": ("（五）不予处理", ("不予处理",)),
    "other": ("（六）其他处理", ("其他处理",)),
}

_T3_ROW_LIST: tuple[Row, ...] = (
    Row("new_received", "一、本年新收政府信息公开申请数量", ("本年新收",)),
    Row("carried_over", "二、上年结转政府信息公开申请数量", ("上年结转",)),
    Row("granted", "（一）予以公开", ("予以公开",)),
    Row("partially_granted", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", ("部分公开",)),
    Row("denied.state_secret", "1.属于国家秘密", ("国家秘密", "国家秘"), "denied"),
    Row("denied.law_prohibited", "2.其他法律行政法规禁止公开", ("禁止公开", "行政止公开", "法规禁止"), "denied"),
    Row("denied.safety_stability", "3.危及“三安全一稳定”", ("三安全", "一稳定"), "denied"),
    Row("denied.third_party_rights", "4.保护第三方合法权益", ("第三方",), "denied"),
    Row("denied.internal_affairs", "5.属于三类内部事务信息", ("内部事务", "三类内部"), "denied"),
    Row("denied.process_info", "6.属于四类过程性信息", ("过程性",), "denied"),
    Row("denied.enforcement_file", "7.属于行政执法案卷", ("执法案卷", "行政执法案"), "denied"),
    Row("denied.admin_query", "8.属于行政查询事项", ("查询事项", "行政查询"), "denied"),
    Row("unable.not_held", "1.本机关不掌握相关政府信息", ("不掌握",), "unable"),
    Row("unable.needs_creation", "2.没有现成信息需要另行制作", ("另行制作", "现成信息"), "unable"),
    Row("unable.unclear_after_correction", "3.补正后申请内容仍不明确", ("仍不明确", "补正后"), "unable"),
    Row("not_processed.petition_complaint", "1.信访举报投诉类申请", ("信访", "举报投诉"), "not_processed"),
    Row("not_processed.duplicate", "2.重复申请", ("重复申请",), "not_processed"),
    Row("not_processed.publication", "3.要求提供公开出版物", ("出版物",), "not_processed"),
    Row("not_processed.excessive_repeat", "4.无正当理由大量反复申请", ("大量反复",), "not_processed"),
    Row("not_processed.confirm_or_reissue", "5.要求行政机关确认或重新出具已获取信息",
        ("确认或重新出具", "重新出具"), "not_processed"),
    Row("other_total", "（六）其他处理", ("其他处理",)),
    Row("other.no_correction", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        ("不补正",), "other"),
    Row("other.fee_unpaid", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        ("收费通知", "缴纳费用", "不缴费"), "other"),
    Row("other.other", "3.其他", (), "other", pattern=r"^(3\.)?其他(情形)?$"),
    Row("total_processed", "（七）总计", (), pattern=r"^(（七）)?(总计|合计)$"),
    Row("carried_forward", "四、结转下年度继续办理", ("结转下年",)),
)
T3_ROWS: dict[str, Row] = {r.key: r for r in _T3_ROW_LIST}

_T3_2021 = tuple(r.key for r in _T3_ROW_LIST if r.key != "other_total")
_T3_2019 = tuple(r.key for r in _T3_ROW_LIST if r.group != "other")
T3_ROW_KEYS: dict[Edition, tuple[str, ...]] = {"2021": _T3_2021, "2019": _T3_2019}
#: Rows that （七）总计 adds up, per edition (T3-SUM).
T3_RESULT_ROWS: dict[Edition, tuple[str, ...]] = {
    e: tuple(k for k in keys if k not in ("new_received", "carried_over", "total_processed", "carried_forward"))
    for e, keys in T3_ROW_KEYS.items()
}


def t3_keys(edition: Edition) -> tuple[str, ...]:
    return tuple(f"{r}.{c}" for r in T3_ROW_KEYS[edition] for c in T3_COLUMN_KEYS)


class _T3Accessor:
    """Small helper so that ``T3.row(key)`` reads well in code and doctests."""

    rows = T3_ROWS
    columns = T3_COLUMNS

    @staticmethod
    def row(key: str) -> Row:
        return T3_ROWS[key]

    @staticmethod
    def column(key: str) -> Column:
        return next(c for c in T3_COLUMNS if c.key == key)


T3 = _T3Accessor()


# --- Table 4 -------------------------------------------------------------------------------------

T4_GROUPS: tuple[tuple[str, str], ...] = (
    ("review", "行政复议"),
    ("litigation_direct", "未经复议直接起诉"),
    ("litigation_after_review", "复议后起诉"),
)
T4_LITIGATION_HEADER = "行政诉讼"
T4_COLUMNS: tuple[Column, ...] = (
    Column("maintained", "结果维持"),
    Column("corrected", "结果纠正"),
    Column("other", "其他结果"),
    Column("pending", "尚未审结", ("尚未审核", "尚未审理")),
    Column("total", "总计", ("合计",)),
)
T4_KEYS: tuple[str, ...] = tuple(f"{g}.{c.key}" for g, _ in T4_GROUPS for c in T4_COLUMNS)


# --- Arithmetic (勾稽关系, FORMAT.md §5) ----------------------------------------------------------

CellKey = tuple[str, str]


@attrs.frozen(repr=False)
class SumRule(FieldRepr):
    """``Σ left == Σ right`` over cells given as (row, column): one of the format's 勾稽关系.

    ``rule`` is the id a broken instance is reported under (``T3-ROW`` …).
    """

    left: tuple[CellKey, ...]
    right: tuple[CellKey, ...]
    rule: str = ""

    @property
    def keys(self) -> tuple[CellKey, ...]:
        return self.left + self.right


@cache
def t3_sum_rules(edition: Edition) -> tuple[SumRule, ...]:
    """Table 3's rules in an edition: each row's total (T3-ROW), （七）总计 (T3-SUM), the balance (T3-BAL)."""
    rows = T3_ROW_KEYS[edition]
    out = [SumRule(((r, "total"),), tuple((r, c) for c in T3_APPLICANT_COLUMNS), "T3-ROW") for r in rows]
    for c in T3_COLUMN_KEYS:
        out.append(SumRule((("total_processed", c),), tuple((r, c) for r in T3_RESULT_ROWS[edition]), "T3-SUM"))
        out.append(SumRule((("new_received", c), ("carried_over", c)),
                           (("total_processed", c), ("carried_forward", c)), "T3-BAL"))
    return tuple(out)


#: Table 4 read as one unnamed row of fifteen cells ``group.column``: each group's total (T4-SUM).
T4_SUM_RULES: tuple[SumRule, ...] = tuple(
    SumRule((("", f"{g}.total"),), tuple(("", f"{g}.{c.key}") for c in T4_COLUMNS if c.key != "total"), "T4-SUM")
    for g, _ in T4_GROUPS)


# --- Flat keys -----------------------------------------------------------------------------------

# --- Telling the tables apart ---------------------------------------------------------------------

#: Words of each statistical table's labels: a grid or a run of text holding two of one table's words is
#: that table.
#: The statistical table each section holds (section number → table number).
TABLE_OF_SECTION: dict[int, int] = {2: 2, 3: 3, 4: 4}

TABLE_SIGNATURES: dict[int, tuple[str, ...]] = {
    2: (T2_CAPTION_PREFIX, T2_HEADER_LABEL, "规章", "规范性文件", "行政许可", "行政处罚", "行政强制", "事业性收费",
        "本年制发", "新制作", "处理决定"),
    3: ("勾稽关系", T3_APPLICANT_HEADER, "自然人", "本年新收", "上年结转", "予以公开", "不予公开", "无法提供",
        "不予处理", "结转下年",
        # The rows' own words, for the part of the table a page break carried off without its header.
        "国家秘密", "三安全一稳定", "第三方合法权益", "内部事务", "过程性信息", "行政执法案卷", "行政查询事项",
        "不掌握", "另行制作", "信访举报", "重复申请", "公开出版物", "大量反复", "重新出具", "其他处理"),
    4: ("结果维持", "结果纠正", "尚未审结", "复议后起诉", "未经复议", "其他结果"),
}


@attrs.frozen(repr=False)
class TableStart(FieldRepr):
    """The first line of a table flattened into lines of text (its caption or first header cell): a line
    that begins with one of ``prefixes``, is one of ``exact`` or holds one of ``contains`` (normalised)."""

    prefixes: tuple[str, ...] = ()
    exact: tuple[str, ...] = ()
    contains: tuple[str, ...] = ()

    def matches(self, norm: str) -> bool:
        if norm.startswith(self.prefixes) or norm in self.exact:
            return True
        # A loop, not any() over a generator: this runs on every line of every table region.
        for word in self.contains:  # noqa: SIM110
            if word in norm:
                return True
        return False


TABLE_STARTS: dict[int, TableStart] = {
    2: TableStart(prefixes=(T2_CAPTION_PREFIX,), exact=(T2_HEADER_LABEL,)),
    3: TableStart(exact=(T3_APPLICANT_HEADER,), contains=("勾稽关系", "本年新收")),
    4: TableStart(prefixes=(T4_GROUPS[0][1], T4_LITIGATION_HEADER), contains=("结果维持", "未经复议")),
}

#: Where a table starts inside a whole page glued into one line (crawler text): the caption of table 2's
#: first row, table 3's caption or header, table 4's first group before its columns (a regular expression).
GLUED_TABLE_START = (rf"{T2_CAPTION_PREFIX}第[（(]一[）)]项|（本列数据的勾稽关系|{T3_APPLICANT_HEADER}"
                     rf"|{T4_GROUPS[0][1]}(?=\s*(?:{T4_LITIGATION_HEADER}|{T4_COLUMNS[0].label}))")

#: The statistical tables as the format names them.
TABLE_NAMES: dict[int, str] = {2: "表二", 3: "表三", 4: "表四"}

#: The words a total row or column is printed with.
TOTAL_WORDS: frozenset[str] = frozenset({"总计", "合计"})

# --- Figures stated in the text ----------------------------------------------------------------

_CLAUSE = r"[^。；;！!？?\n]"
#: How a report's text states the tables' figures (checked by T3-TXT and T4-TXT): (what, a pattern with one
#: number group, the flat keys whose values may match).
T3_STATED: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("收到政府信息公开申请",
     rf"(?:收到|受理|新收|接收|共收到|办理)(?:了)?{_CLAUSE}{{0,14}}?申请(?:事项)?{_CLAUSE}{{0,4}}?(\d+)\s*件",
     ("t3.new_received.total",)),
    ("予以公开", r"(?<!不)予以公开(?:的)?\s*(\d+)\s*件", ("t3.granted.total",)),
    ("结转下年度办理", r"结转(?:至|到)?下(?:一)?年度?(?:继续)?(?:办理)?\s*(\d+)\s*件", ("t3.carried_forward.total",)),
)
T4_STATED: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("行政复议", r"(?<!复议后)行政复议(?:案件)?(?:共|共计)?\s*(\d+)\s*(?:件|起)", ("t4.review.total",)),
    ("行政诉讼", r"行政诉讼(?:案件)?(?:共|共计)?\s*(\d+)\s*(?:件|起)",
     ("t4.litigation_direct.total", "t4.litigation_after_review.total")),
)

#: How an overview states table 2's first block (制发行政规范性文件9件，废止7件，现行有效253件): the words
#: naming each row (a pattern; 规章制度 and 部门规范性文件 are other things) and, for each column, the verbs
#: that name it with the column keys they mean in the 2021 and 2019 editions. Read by :mod:`govreport.stated`.
T2_STATED_ROWS: dict[str, str] = {
    "regulations": r"(?<!法规)规章(?!制度)",
    "normative_documents": r"(?<!部门)(?<!部门行政)规范性文件(?!类|库|目录|清理|备案|审核|合法性)",
}
T2_STATED_COLUMNS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (r"制发|制定|印发|出台|新制作", ("issued", "newly_made")),
    (r"废止|宣布失效|确认失效", ("repealed",)),
    (r"现行有效", ("in_force",)),
    (r"新公开|主动公开", ("newly_published",)),
    (r"累计公开|公开总数|对外公开总", ("total_published",)),
)
#: A count stated in a clause: digits and the measure word of documents.
T2_STATED_COUNT = r"(?<![\d.])(\d+)\s*件"

#: Each section's official heading by its key.
SECTION_HEADINGS: dict[str, str] = {s.key: s.heading for s in SECTIONS}


META_KEYS: tuple[str, ...] = ("meta.agency", "meta.year", "meta.table2_edition", "meta.table3_edition")


#: The fee figures section 6 states (FORMAT.md §7), as attributes of :class:`~govreport.model.Fees`.
FEE_KEYS: tuple[str, ...] = ("fee.notices_count", "fee.notices_amount", "fee.collected_amount")


def _key_order() -> dict[str, int]:
    """fields.csv order: 2021 keys of table 2 first, then those only 2019 has; tables 3 and 4 by row."""
    keys: list[str] = [*META_KEYS, *FLAT_TEXT_KEYS.values()]
    keys += [f"t2.{k}" for k in t2_keys("2021")]
    keys += [f"t2.{k}" for k in t2_keys("2019") if f"t2.{k}" not in keys]
    keys += [f"t3.{r.key}.{c}" for r in _T3_ROW_LIST for c in T3_COLUMN_KEYS]
    keys += [f"t4.{k}" for k in T4_KEYS]
    keys += FEE_KEYS
    return {k: n for n, k in enumerate(keys)}


_KEY_ORDER = _key_order()


def flat_keys(table2_edition: Edition | None, table3_edition: Edition | None) -> tuple[str, ...]:
    """Every flat key (fields.csv) a report of these table editions has, in fields.csv order."""
    keys: list[str] = [*META_KEYS, *FLAT_TEXT_KEYS.values()]
    if table2_edition:
        keys += [f"t2.{k}" for k in t2_keys(table2_edition)]
    if table3_edition:
        keys += [f"t3.{k}" for k in t3_keys(table3_edition)]
    keys += [f"t4.{k}" for k in T4_KEYS]
    if table3_edition == "2021":  # fee reporting came with the 2021 format (its T3 row 逾期未按收费通知…)
        keys += FEE_KEYS
    return tuple(sorted(keys, key=_KEY_ORDER.__getitem__))


def all_flat_keys() -> tuple[str, ...]:
    """The union of the flat keys of both editions, in fields.csv order: the columns of a batch table."""
    return tuple(_KEY_ORDER)


def label_of(flat_key: str, edition: Edition | None = None) -> str:
    """A human label for a flat key, in Chinese: ``表三 （一）予以公开 / 总计``."""
    table, _, rest = flat_key.partition(".")
    if table == "t3":
        row, _, col = rest.rpartition(".")
        return f"{TABLE_NAMES[3]} {T3_ROWS[row].label} / {T3.column(col).label}"
    if table == "t4":
        group, _, col = rest.partition(".")
        glabel = dict(T4_GROUPS)[group]
        clabel = next(c.label for c in T4_COLUMNS if c.key == col)
        return f"{TABLE_NAMES[4]} {glabel} / {clabel}"
    if table == "t2":
        row, _, col = rest.partition(".")
        editions: tuple[Edition, ...] = (edition,) if edition else ("2021", "2019")
        for ed in editions:
            if col in T2_COLUMNS[ed] and any(row in s.rows and col in s.columns for s in T2_LAYOUT[ed]):
                return f"{TABLE_NAMES[2]} {t2_row_label(row, ed)} / {T2_COLUMNS[ed][col].label}"
        return f"{TABLE_NAMES[2]} {row} / {col}"
    return flat_key


#: Chinese names of the flat keys that are no table cell.
FIELD_NAMES: dict[str, str] = {
    "meta.agency": "单位", "meta.year": "年度", "meta.table2_edition": "表二版本", "meta.table3_edition": "表三版本",
    "text.overview": "一、总体情况", "text.problems": "五、存在的主要问题及改进情况",
    "text.other_matters": "六、其他需要报告的事项",
    "fee.notices_count": "收费通知件数", "fee.notices_amount": "收费通知金额（元）",
    "fee.collected_amount": "实际收取金额（元）",
}


def label_parts(flat_key: str) -> tuple[str, str, str]:
    """A flat key as the form names it: (table, row, column), ``("表三", "（三）不予公开 1.属于国家秘密",
    "商业企业")``; for keys that are no cell, ``("", "", name)``.

    >>> label_parts("t3.total_processed.commercial")
    ('表三', '（七）总计', '商业企业')
    >>> label_parts("t4.litigation_direct.total")
    ('表四', '行政诉讼 未经复议直接起诉', '总计')
    """
    if not flat_key.startswith(("t2.", "t3.", "t4.")):
        return "", "", FIELD_NAMES.get(flat_key, flat_key)
    table, _, rest = label_of(flat_key).partition(" ")
    row, _, column = rest.rpartition(" / ")
    if flat_key.startswith("t3."):
        group = T3_ROWS[flat_key[3:].rpartition(".")[0]].group
        if group:
            row = f"{T3_GROUPS[group][0]} {row}"
    elif flat_key.startswith("t4.") and not flat_key.startswith("t4.review."):
        row = f"{T4_LITIGATION_HEADER} {row}"
    return table, row, column


@attrs.frozen(repr=False)
class Field(FieldRepr):
    """One flat key of ``fields.csv``: what it is, where it sits in the form, in which editions, its type."""

    key: str
    table: str
    row_label: str
    column_label: str
    editions: tuple[str, ...]
    type: str


def fields() -> tuple[Field, ...]:
    """The flat keys as ``fields.csv`` (shipped in the package as ``govreport/data/fields.csv``) lists them.

    >>> [f.key for f in fields()][:2]
    ['meta.agency', 'meta.year']
    >>> next(f for f in fields() if f.key == "t3.granted.total").editions
    ('2019', '2021')
    """
    text = resources.files("govreport").joinpath("data/fields.csv").read_text(encoding="utf-8")
    return tuple(Field(r["key"], r["table"], r["row_label"], r["column_label"], tuple(r["editions"].split()),
                       r["type"]) for r in csv.DictReader(io.StringIO(text)))
