"""The rules of the format, on real reports and on real reports with one printed number changed."""

from __future__ import annotations

import pytest
from conftest import DATA

import govreport


def findings_of(name: str) -> list[govreport.Finding]:
    return govreport.validate(govreport.read(DATA / name))


def read_edited(name: str, old: str, new: str, count: int = 1) -> govreport.Report:
    """A real report with one passage of its text replaced, read as any file would be."""
    text = (DATA / name).read_text(encoding="utf-8")
    assert text.count(old) >= count, f"{old!r} not in {name}"
    return govreport.read_bytes(text.replace(old, new, count).encode("utf-8"), name)


@pytest.mark.parametrize("name", [
    "seed-001-xiangxiang-xinfang-2023.txt",
    "seed-003-licheng-xinfang-2019.txt",
    "seed-004-lijizhen-2023.txt",
])
def test_consistent_reports_have_no_error(name):
    assert [f for f in findings_of(name) if f.severity == "error"] == []


def test_narrative_disagreeing_with_table_is_reported():
    findings = findings_of("seed-002-dawukou-office-2023.txt")
    narrative = [f for f in findings if f.rule == "T3-TXT"]
    assert len(narrative) == 1
    finding = narrative[0]
    assert finding.severity == "warning"
    assert "11" in finding.message and "t3.new_received.total" in finding.keys


def test_changed_total_breaks_balance_and_sum():
    # seed-002 row 一、本年新收: seven zeros; make its 总计 say 5.
    name = "seed-002-dawukou-office-2023.txt"
    report = read_edited(name, "一、本年新收政府信息公开申请数量 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |",
                         "一、本年新收政府信息公开申请数量 | 0 | 0 | 0 | 0 | 0 | 0 | 5 |")
    assert report.value("t3.new_received.total") == 5
    errors = {f.rule: f for f in govreport.validate(report) if f.severity == "error"}
    assert set(errors) == {"T3-BAL", "T3-ROW"}
    assert "t3.new_received.total" in errors["T3-BAL"].keys
    assert "表三" in errors["T3-ROW"].message and "总计" in errors["T3-ROW"].message


def test_results_not_adding_up_is_an_error():
    name = "seed-002-dawukou-office-2023.txt"
    report = read_edited(name, "(一)予以公开 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |",
                         "(一)予以公开 | 2 | 0 | 0 | 0 | 0 | 0 | 2 |")
    rules = {(f.rule, f.severity) for f in govreport.validate(report)}
    assert ("T3-SUM", "error") in rules
    sums = [f for f in govreport.validate(report) if f.rule == "T3-SUM" and f.severity == "error"]
    assert {k for f in sums for k in f.keys} >= {"t3.granted.natural_person", "t3.total_processed.natural_person"}


def test_table4_total_and_negative_values():
    name = "seed-002-dawukou-office-2023.txt"
    row = "| ".join(["0 "] * 15)
    assert row in (DATA / name).read_text(encoding="utf-8")
    report = read_edited(name, row, "| ".join(["-1 ", *["0 "] * 14]))
    rules = {(f.rule, f.severity) for f in govreport.validate(report)}
    assert ("T4-NN", "error") in rules
    assert ("T4-SUM", "error") in rules


def test_blank_cell_is_a_warning_not_an_arithmetic_error():
    # seed-001 prints its 行政事业性收费 amount blank; make a table-3 cell blank too.
    name = "seed-002-dawukou-office-2023.txt"
    report = read_edited(name, "四、结转下年度继续办理 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |",
                         "四、结转下年度继续办理 |  | 0 | 0 | 0 | 0 | 0 | 0 |")
    cell = report.cell("t3.carried_forward.natural_person")
    assert cell is not None and cell.value is None and cell.kind == "blank"
    findings = [f for f in govreport.validate(report) if "t3.carried_forward.natural_person" in f.keys]
    assert findings and all(f.severity == "warning" for f in findings)
    assert any("空白" in f.message for f in findings)


def test_unreadable_cell_is_none_with_a_finding():
    name = "seed-002-dawukou-office-2023.txt"
    report = read_edited(name, "行政规范性文件 | 1 | 0 | 3 |", "行政规范性文件 | 1 | 0 | 三件 |")
    assert report.value("t2.normative_documents.in_force") is None
    assert report.cell("t2.normative_documents.in_force").raw == "三件"
    assert any(f.rule == "PARSE-CELL" and "t2.normative_documents.in_force" in f.keys
               for f in govreport.validate(report))


def test_row_with_too_many_values_is_left_blank():
    name = "seed-002-dawukou-office-2023.txt"
    report = read_edited(name, "2.重复申请 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |",
                         "2.重复申请 | 0 | 0 | 1 | 0 | 0 | 0 | 0 | 4 |")
    assert report.value("t3.not_processed.duplicate.total") is None
    assert any(f.rule == "PARSE-ROW" and "t3.not_processed.duplicate.total" in f.keys
               for f in govreport.validate(report))


def test_rows_the_template_does_not_have_are_left_out():
    """A province adds 行政确认 to table 2 and a 其中 line to table 3: their numbers go nowhere else."""
    name = "seed-002-dawukou-office-2023.txt"
    text = (DATA / name).read_text(encoding="utf-8")
    text = text.replace("行政许可 | 0 | ||", "行政许可 | 5 | ||\n行政确认 | 3 | ||").replace(
        "(七)总计 | 0", "其中：网上申请 | 9 | 0 | 0 | 0 | 0 | 0 | 9 |\n(七)总计 | 0")
    report = govreport.read_bytes(text.encode("utf-8"), name)
    assert report.value("t2.licensing.decisions") == 5
    assert report.value("t3.other.other.total") == 0 and report.value("t3.total_processed.total") == 0
    extra = [f for f in govreport.validate(report) if f.rule == "PARSE-EXTRA"]
    assert len(extra) == 2 and "行政确认" in extra[0].message and "table 1" in extra[0].message
