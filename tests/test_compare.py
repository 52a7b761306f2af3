"""Two reports side by side, on real corpus reports; figures checked by hand against their truth files."""

from __future__ import annotations

from decimal import Decimal

import openpyxl
import pytest
from conftest import DATA
from docx import Document

import govreport
from govreport.cli import main
from govreport.writers.comparison import write_comparison

Y2019, Y2021, Y2022 = (DATA / f"fj_pingtan_{y}.html" for y in (2019, 2021, 2022))


@pytest.fixture(scope="module")
def same_edition():
    return govreport.compare(Y2021, Y2022)


def test_cell_changes_of_two_years_of_one_edition(same_edition):
    changed = {c.key: (c.old, c.new) for c in same_edition.changed_cells}
    # From the two truth files: 48 cells differ, among them these.
    assert len(changed) == 48
    assert changed["t3.new_received.total"] == (70, 74)
    assert changed["t2.normative_documents.in_force"] == (665, 698)
    assert changed["t2.admin_fees.amount"] == (Decimal("24252.311082"), Decimal("9116.36"))
    assert same_edition.cell("t3.new_received.total").change == 4
    assert same_edition.cell("t2.licensing.decisions").change == 10690 - 2293
    assert all(c.presence == "both" for c in same_edition.cells)


def test_carry_over_holds_between_the_two_years(same_edition):
    # 2022's 上年结转 1 is 2021's 结转下年度 1; 现行有效 698 = 665 + 88 − 55.
    assert same_edition.carry_over == ()


def test_section_repetition_is_measured_on_five_character_runs(same_edition):
    # 六: “2021年，无收取信息处理费情况。” → “2022年，无收取信息处理费情况。”: without punctuation 15
    # characters, 11 runs of five; the 4 runs holding the year's last digit are new: 7/11 repeat.
    six = next(s for s in same_edition.sections if s.key == "text.other_matters")
    assert six.repeated == pytest.approx(7 / 11)
    assert [(k, t) for k, t in six.diff if k != "same"] == [("deleted", "1"), ("inserted", "2")]
    overview = next(s for s in same_edition.sections if s.key == "text.overview")
    assert overview.repeated is not None and overview.repeated < 0.5


def test_editions_that_differ_show_the_cells_of_one_edition_only():
    comparison = govreport.compare(Y2019, Y2021)
    presence = {c.key: c.presence for c in comparison.cells}
    assert presence["t2.centralized_procurement.items"] == "old only"  # 2019 table 2
    assert presence["t2.normative_documents.issued"] == "new only"  # 2021 table 2
    assert presence["t3.other_total.total"] == "old only" and presence["t3.other.fee_unpaid.total"] == "new only"
    review = comparison.cell("t4.review.total")
    assert (review.old, review.new, review.change) == (0, 3, 3)


def test_a_comparison_is_written_as_a_workbook_a_page_and_a_document(same_edition, tmp_path):
    book = openpyxl.load_workbook(write_comparison(same_edition, tmp_path / "diff.xlsx"), rich_text=True)
    assert book.sheetnames == ["表格对比", "文字对比", "问题"]
    rows = {r[4]: r for r in book["表格对比"].iter_rows(min_row=5, values_only=True)}
    assert rows["t3.new_received.total"][1:4] == (70, 74, "+4")
    page = write_comparison(same_edition, tmp_path / "diff.html").read_text(encoding="utf-8")
    assert "<del>1</del><ins>2</ins>" in page and "64%" in page
    document = Document(str(write_comparison(same_edition, tmp_path / "diff.docx")))
    assert any("64%" in p.text for p in document.paragraphs)
    with pytest.raises(govreport.WriterError):
        write_comparison(same_edition, tmp_path / "diff.pdf")


def test_the_compare_command(tmp_path, capsys):
    assert main(["compare", str(Y2021), str(Y2022)]) == 0
    out = capsys.readouterr().out
    assert "48 of" in out and "64%" in out
    assert main(["compare", str(Y2021), str(Y2022), "-o", str(tmp_path / "d.html")]) == 0
    assert main(["compare", str(Y2021), str(tmp_path / "missing.html")]) == 2
