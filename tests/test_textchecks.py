"""The checks of what a report's text states, each triggered by an edit of a real report and cleared on the
original; and the fee figures of section 6."""

from __future__ import annotations

import re
from decimal import Decimal

import attrs
import pytest
from conftest import DATA

import govreport
from govreport.fees import fees_stated
from govreport.model import Fees
from govreport.rules import RULES

XIANGXIANG = DATA / "seed-001-xiangxiang-xinfang-2023.txt"
HUAIAN = DATA / "js_huaian_city_2024.layout.txt"  # 结转下年度 103; 逾期未按收费通知缴费 6; 收取处理费 3940 元


def _rules(text: str, name: str = "edited.txt") -> dict[str, list[govreport.Finding]]:
    found: dict[str, list[govreport.Finding]] = {}
    for finding in govreport.validate(govreport.read_bytes(text.encode("utf-8"), name)):
        found.setdefault(finding.rule, []).append(finding)
    return found


def _text(path) -> str:
    return path.read_text(encoding="utf-8")


def test_every_rule_a_finding_can_carry_is_in_the_rules_table():
    assert {"T3-BAL", "T3-SUM", "T3-ROW", "T4-SUM", "S5-EMPTY", "S6-FEE", "S6-T3", "NARR-SIM", "HIER-SUM"} <= set(RULES)
    assert all(r.checks and r.severity in ("error", "warning", "info") for r in RULES.values())


def test_a_count_of_normative_documents_the_overview_states_is_checked_against_table_2():
    # 2022: 集中公开现行有效行政规范性文件698件，动态更新本年度制发的规范性文件88件 — as in table 2.
    original = (DATA / "fj_pingtan_2022.html").read_text(encoding="utf-8")
    assert "T2-TXT" not in _rules(original, "original.html")
    edited = original.replace("制发的规范性文件88件", "制发的规范性文件87件")
    assert edited != original
    found = _rules(edited, "edited.html")["T2-TXT"]
    assert [f.keys for f in found] == [("t2.normative_documents.issued",)]
    assert "87件" in found[0].message and "88" in found[0].message


def test_an_empty_section_5_is_named():
    original = _text(XIANGXIANG)
    assert "S5-EMPTY" not in _rules(original)
    body = re.search(r"五、存在的主要问题及改进情况\n(.*?)\n\s*六、", original, re.S).group(1)
    edited = original.replace(body, "\n　　无。\n")
    assert [f.keys for f in _rules(edited)["S5-EMPTY"]] == [("text.problems",)]


def test_a_title_of_another_year_is_named():
    original = _text(XIANGXIANG)
    assert "META-YEAR" not in _rules(original)
    title = "湘乡市信访局2023年政府信息公开工作年度报告"
    edited = original.replace(title, title.replace("2023", "2022"), 1)
    edited = edited.replace("统计期限自2023年1月1日", "统计期限自2022年1月1日")
    report = govreport.read_bytes(edited.encode("utf-8"), "edited.txt")
    assert report.meta.year == 2022  # the title says 2022 ...
    found = _rules(edited)
    assert "META-YEAR" not in found  # ... and so does the period: consistent
    edited = edited.replace("统计期限自2022年1月1日", "统计期限自2023年1月1日")
    assert "统计期限写的是 2023 年" in _rules(edited)["META-YEAR"][0].message


def test_all_settled_while_applications_are_carried_forward_is_named():
    original = _text(HUAIAN)
    assert "T3-DONE" not in _rules(original)
    edited = original.replace("一、总体情况\n", "一、总体情况\n   全年所有申请均已按时办结。\n", 1)
    finding = _rules(edited)["T3-DONE"][0]
    assert finding.keys == ("t3.carried_forward.total",) and "103" in finding.message


def test_table_4_totals_stated_in_the_text_are_checked():
    original = _text(XIANGXIANG)
    assert "T4-TXT" not in _rules(original)
    heading = "五、存在的主要问题及改进情况"
    edited = original.replace(heading, "本年度发生政府信息公开行政复议3件。\n" + heading, 1)
    assert _rules(edited)["T4-TXT"][0].keys == ("t4.review.total",)


def test_section_6_fees_against_each_other_and_table_3():
    original = _text(HUAIAN)
    report = govreport.read(HUAIAN)
    assert report.fees == Fees(None, None, Decimal(3940))
    assert govreport.flatten(report)["fee.collected_amount"] == Decimal(3940)
    assert not {"S6-FEE", "S6-T3"} & set(_rules(original))  # fees were collected: notices went out

    stated = "全年收取政府信息公开信息处理费 3940 元。"
    assert stated in original.replace("\n办法》，", "办法》，")
    six = re.search(r"六、其他需要报告的事项\n(.*)", original, re.S).group(1)
    more = original.replace(six, "      本年度共发出收费通知2件，总金额100元，实际收取信息处理费300元。\n")
    assert _rules(more)["S6-FEE"][0].keys == ("fee.collected_amount", "fee.notices_amount")
    none = original.replace(six, "      本年度未发出收费通知，未收取信息处理费。\n")
    assert _rules(none)["S6-T3"][0].keys == ("t3.other.fee_unpaid.total", "fee.notices_count")


@pytest.mark.parametrize(("text", "fees"), [
    ("本年度共发出收费通知3件，总金额2,230元，实际收取信息处理费2230元。", Fees(3, Decimal(2230), Decimal(2230))),
    ("2022年，无收取信息处理费情况。", Fees(None, None, Decimal(0))),
    ("本单位未发出收费通知书。", Fees(0, None, None)),
    ("共收取信息处理费0.3万元。", Fees(None, None, Decimal(3000))),
    ("无其他需要报告的事项。", Fees()),
])
def test_fee_figures_are_read_from_what_section_6_says(text, fees):
    assert fees_stated(text) == fees


def test_cells_marked_instead_of_numbered_and_fractional_counts_are_named():
    original = _text(XIANGXIANG)
    assert not {"CELL-MARK", "T2-INT"} & set(_rules(original))
    edited = original.replace("\t规章\n\t0\n\t0\n", "\t规章\n\t/\n\t2.5\n", 1)
    found = _rules(edited)
    assert found["CELL-MARK"][0].keys == ("t2.regulations.issued",)
    # Read from text, a fraction in a count column is left blank by the reader, which names it ...
    assert any(f.keys == ("t2.regulations.repealed",) and "不是整数" in f.message for f in found["PARSE-CELL"])
    # ... and a report built in code with one is an error of the format.
    report = govreport.read(XIANGXIANG)
    cells = {**report.table2.cells, "regulations.repealed": govreport.Cell(Decimal("2.5"), "2.5")}
    built = attrs.evolve(report, table2=attrs.evolve(report.table2, cells=cells))
    assert [f.keys for f in govreport.validate(built) if f.rule == "T2-INT"] == [("t2.regulations.repealed",)]
