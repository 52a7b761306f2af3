"""Batch conversion: many real reports in, one table out; bad files, resume, cross-report checks, Dask."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import attrs
import openpyxl
import pytest
from conftest import DATA

import govreport
from govreport import schema
from govreport.cli import main

SEEDS = sorted(DATA.glob("seed-*.txt"))


@pytest.fixture
def folder(tmp_path):
    """A folder of real reports in several formats, with a sub-folder and two files that are no reports."""
    root = tmp_path / "reports"
    (root / "html").mkdir(parents=True)
    for path in SEEDS:
        shutil.copy(path, root)
    for name in ("sh_gov_office_2019_fragment.html", "fj_pingtan_2021.html"):
        shutil.copy(DATA / name, root / "html")
    shutil.copy(DATA / "fj_pingtan_2024.lo.docx", root)
    shutil.copy(DATA / "js_huaian_city_2024.pdf", root)
    (root / "notes.txt").write_text("会议纪要\n今天讨论了三件事。\n", encoding="utf-8")
    (root / "html" / "broken.pdf").write_bytes(b"%PDF-1.4 not really")
    (root / "readme.json").write_text("{}", encoding="utf-8")  # no reader for it: not picked up
    return root


def test_read_many_yields_one_result_per_file_in_order(folder):
    serial = list(govreport.read_many([folder], jobs=1))
    parallel = list(govreport.read_many([folder], jobs=2))
    assert [r.path for r in serial] == [r.path for r in parallel]
    assert len(serial) == 11
    assert [r.report for r in serial] == [r.report for r in parallel]
    failed = {r.path.rsplit("/", 1)[-1]: r.error_type for r in serial if not r.ok}
    assert failed == {"broken.pdf": "UnreadableFileError", "notes.txt": "NotAReportError"}


def test_a_link_loop_ends_and_a_linked_folder_is_searched_once(folder, tmp_path):
    (folder / "html" / "back").symlink_to(folder, target_is_directory=True)  # a loop
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    shutil.copy(DATA / "js_huaian_hongze_2024.pdf", elsewhere)
    (folder / "linked").symlink_to(elsewhere, target_is_directory=True)
    (folder / "gone.pdf").symlink_to(tmp_path / "missing.pdf")  # a broken link named like a report
    results = list(govreport.read_many([folder], jobs=1))
    names = [r.path.rsplit("/", 1)[-1] for r in results]
    assert len(names) == len(set(names)) == 13
    assert "js_huaian_hongze_2024.pdf" in names
    assert next(r for r in results if r.path.endswith("gone.pdf")).error_type == "UnreadableFileError"


def _discover_as_nobody(root) -> tuple[list[str], list[list[str | None]]]:
    """Search in a forked process that gave up root's power to read any folder (root ignores permissions)."""
    import os

    from govreport.batch import discover

    reading, writing = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - runs in the child
        try:
            os.close(reading)
            if os.geteuid() == 0:
                os.setgid(65534)
                os.setuid(65534)
            found = discover([root])
            payload = [[str(f) for f in found.files], [[r.path, r.error_type, r.error] for r in found.unreadable]]
            os.write(writing, json.dumps(payload).encode())
        finally:
            os._exit(0)
    os.close(writing)
    with os.fdopen(reading, "rb") as pipe:
        data = pipe.read()
    os.waitpid(child, 0)
    files, unreadable = json.loads(data)
    return files, unreadable


def test_a_folder_that_cannot_be_searched_is_a_failure_row_and_the_rest_is_read():
    import os
    import tempfile

    root = Path(tempfile.mkdtemp(prefix="govreport-")) / "reports"  # outside pytest's root-only folder
    try:
        os.chmod(root.parent, 0o755)
        (root / "locked").mkdir(parents=True)
        shutil.copy(SEEDS[0], root)
        shutil.copy(SEEDS[1], root / "locked")
        os.chmod(root / "locked", 0)
        files, unreadable = _discover_as_nobody(root)
        assert [f.rsplit("/", 1)[-1] for f in files] == [SEEDS[0].name]
        assert len(unreadable) == 1
        path, kind, message = unreadable[0]
        assert path.endswith("locked") and kind == "UnreadableFolderError" and "cannot be searched" in message
    finally:
        os.chmod(root / "locked", 0o755)
        shutil.rmtree(root.parent)


@pytest.mark.parametrize("suffix", [".xlsx", ".csv", ".jsonl", ".parquet"])
def test_convert_writes_reports_findings_and_failures(folder, tmp_path, suffix):
    output = tmp_path / "out" / f"all{suffix}"
    with pytest.raises(govreport.WriterError, match="does not exist"):  # a mistyped folder is not created
        govreport.convert([folder], output, jobs=2)
    output.parent.mkdir()
    summary = govreport.convert([folder], output, jobs=2)
    assert (summary.files, summary.read, summary.failed) == (11, 9, 2)
    tables = govreport.export.load_tables(output)
    assert len(tables.reports) == 9 and len(tables.failures) == 2
    by_file = {str(r["file"]).rsplit("/", 1)[-1]: r for r in tables.reports}
    assert int(by_file["js_huaian_city_2024.pdf"]["t3.new_received.total"]) == 3119
    assert str(by_file["seed-000-suide-xinfang-2023.txt"]["meta.agency"]) == "绥德县信访局"
    assert any(f["rule"] == "T3-TXT" and str(f["file"]).endswith("seed-002-dawukou-office-2023.txt")
               for f in tables.findings)
    assert not [p for p in output.parent.iterdir() if p.name.startswith(".")]  # no temporary files left


def _erroneous_report(path):
    """A real report with one cell changed so that its sums break, written by govreport's own writer."""
    report = govreport.read(DATA / "seed-001-xiangxiang-xinfang-2023.txt")
    cell = report.table3.cells["granted.total"]
    cells = {**report.table3.cells, "granted.total": attrs.evolve(cell, value=cell.value + 1, raw=str(cell.value + 1))}
    govreport.write(attrs.evolve(report, table3=attrs.evolve(report.table3, cells=cells)), path)


def test_the_workbook_is_an_audit_workbook(folder, tmp_path):
    _erroneous_report(folder / "erroneous.xlsx")
    output = tmp_path / "all.xlsx"
    govreport.convert([folder], output, jobs=1)
    book = openpyxl.load_workbook(output)
    assert book.sheetnames == ["概览", "问题清单", "数据", "无法读取"]

    overview = book["概览"]
    rows = list(overview.iter_rows(values_only=True))
    assert rows[0] == ("文件", "单位", "年度", "表二版本", "表三版本", "状态", "错误数", "警告数", "首个错误")
    statuses = [r[5] for r in rows[1:]]
    assert set(statuses) <= {"无法读取", "有错误", "需核实", "通过"} and statuses.count("无法读取") == 2
    order = ["无法读取", "有错误", "需核实", "通过"]
    assert statuses == sorted(statuses, key=order.index)  # what needs attention first
    erroneous = [r for r in rows[1:] if r[5] == "有错误"]
    assert erroneous and all(r[6] > 0 and r[8] for r in erroneous)  # the first error, in words
    assert overview.freeze_panes == "A2" and overview.auto_filter.ref.startswith("A1:")
    assert overview.page_setup.orientation == "landscape" and overview.page_setup.fitToWidth == 1
    assert overview.print_title_rows == "$1:$1"
    assert 10 < overview.column_dimensions["A"].width <= 60

    issues = list(book["问题清单"].iter_rows(values_only=True))
    severities = [r[3] for r in issues[1:]]
    assert severities == sorted(severities, key=["错误", "警告", "提示"].index)  # errors first
    assert any("表三 · " in (r[6] or "") for r in issues[1:])
    sheet = book["问题清单"]
    long_row = next(n for n, r in enumerate(issues[1:], start=2) if len(str(r[5])) > 60)
    assert sheet.row_dimensions[long_row].height > 15  # a wrapped message gets the height of its lines
    # Formats are worked out once and copied to each cell that has the same: every cell keeps its own.
    message, file_cell, header = sheet.cell(long_row, 6), sheet.cell(long_row, 1), sheet.cell(1, 6)
    assert message.alignment.wrap_text and message.alignment.vertical == "top"
    assert not file_cell.alignment.wrap_text and file_cell.alignment.vertical == "top"
    assert header.font.bold and header.fill.fgColor.rgb.endswith("DDEBF7") and not message.font.bold
    statuses = {c.value: c.fill.fgColor.rgb for c in overview["F"][1:]}
    assert statuses["有错误"].endswith("F8CBAD") and statuses.get("通过", "00000000") in (None, "00000000")
    assert sheet.column_dimensions["H"].hidden  # the flat keys, for programs

    data = book["数据"]
    assert data.row_dimensions[3].hidden and data.freeze_panes == "C4"
    keys = [c.value for c in data[3]]
    assert keys == ["file", "format", *schema.all_flat_keys(), "errors", "warnings"]
    column = keys.index("t3.total_processed.commercial") + 1
    assert (data.cell(1, column).value, data.cell(2, column).value) == ("表三 （七）总计", "商业企业")
    city = next(r for r in range(4, data.max_row + 1) if str(data.cell(r, 1).value).endswith("city_2024.pdf"))
    assert data.cell(city, keys.index("t3.new_received.total") + 1).value == 3119  # a number, not text
    # The changed cell of the erroneous report is named by a T3 error: red in 数据.
    bad = next(r for r in range(4, data.max_row + 1) if str(data.cell(r, 1).value).endswith("erroneous.xlsx"))
    assert data.cell(bad, keys.index("t3.granted.total") + 1).fill.fgColor.rgb.endswith("F8CBAD")
    assert data.cell(bad, keys.index("meta.agency") + 1).fill.fgColor.rgb in (None, "00000000")

    failures = list(book["无法读取"].iter_rows(values_only=True))
    assert failures[0] == ("文件", "错误类型", "原因") and len(failures) == 3


def test_an_audit_workbook_resumes_and_keeps_text_that_looks_like_a_formula(folder, tmp_path):
    (folder / "=SUM(A1).txt").write_bytes((DATA / "seed-001-xiangxiang-xinfang-2023.txt").read_bytes())
    output = tmp_path / "all.xlsx"
    first = govreport.convert([folder], output, jobs=1)
    book = openpyxl.load_workbook(output)
    cell = next(c for c in book["概览"]["A"] if str(c.value).endswith("=SUM(A1).txt"))
    assert cell.data_type == "s"
    second = govreport.convert([folder], output, jobs=1, resume=True)
    assert second.skipped == first.read and second.read == 0
    again = govreport.export.load_tables(output)
    assert len(again.reports) == first.read and len(again.failures) == first.failed


def test_resume_reads_only_new_files(folder, tmp_path):
    output = tmp_path / "all.jsonl"
    first = govreport.convert([folder], output, jobs=1)
    assert first.skipped == 0
    shutil.copy(DATA / "fj_pingtan_2022.html", folder / "html")
    second = govreport.convert([folder], output, jobs=1, resume=True)
    assert second.skipped == 9 and second.read == 1 and second.failed == 2  # failures are tried again
    records = [json.loads(line) for line in output.read_text(encoding="utf-8").splitlines()]
    assert sum(r["ok"] for r in records) == 10 and sum(not r["ok"] for r in records) == 2


def test_a_failed_write_leaves_the_previous_output(folder, tmp_path):
    output = tmp_path / "all.csv"
    govreport.convert([DATA / "seed-001-xiangxiang-xinfang-2023.txt"], output, jobs=1)
    before = output.read_bytes()
    (tmp_path / "all.findings.csv").unlink()
    (tmp_path / "all.findings.csv").mkdir()  # the next write of this file must fail ...
    with pytest.raises(govreport.WriterError, match="is a folder"):  # ... and is refused before any reading
        govreport.convert([folder], output, jobs=1)
    assert output.read_bytes() == before
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".part")]


def test_cross_report_checks(tmp_path):
    text = (DATA / "seed-002-dawukou-office-2023.txt").read_text(encoding="utf-8")
    next_year = text.replace("2023年", "2024年").replace(
        "二、上年结转政府信息公开申请数量 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |",
        "二、上年结转政府信息公开申请数量 | 2 | 0 | 0 | 0 | 0 | 0 | 2 |").replace(
        "行政规范性文件 | 1 | 0 | 3 |", "行政规范性文件 | 2 | 1 | 9 |")
    (tmp_path / "2023.txt").write_text(text, encoding="utf-8")
    (tmp_path / "2024.txt").write_text(next_year, encoding="utf-8")
    results = list(govreport.read_many([tmp_path], jobs=1))
    assert [r.report.meta.year for r in results] == [2023, 2024]
    found = govreport.cross_check(results)
    rules = sorted((path.rsplit("/", 1)[-1], f.rule, f.keys[0]) for path, f in found)
    # The 2024 text is the 2023 one with its year changed: every section repeats last year's.
    narrative = [("2024.txt", "NARR-SIM", k) for k in ("text.other_matters", "text.overview", "text.problems")]
    assert rules == [*narrative, ("2024.txt", "T2-XY", "t2.normative_documents.in_force"),
                     ("2024.txt", "T3-XY", "t3.carried_over.natural_person"),
                     ("2024.txt", "T3-XY", "t3.carried_over.total")]
    assert all(f.severity == "warning" for _, f in found)


@pytest.mark.parametrize("suffix", [".xlsx", ".csv", ".jsonl", ".parquet"])
def test_a_resumed_batch_checks_new_reports_against_old_ones_once(tmp_path, suffix):
    if suffix == ".parquet":
        pytest.importorskip("pyarrow")
    text = (DATA / "seed-002-dawukou-office-2023.txt").read_text(encoding="utf-8")
    next_year = text.replace("2023年", "2024年").replace(
        "二、上年结转政府信息公开申请数量 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |",
        "二、上年结转政府信息公开申请数量 | 2 | 0 | 0 | 0 | 0 | 0 | 2 |")
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "2023.txt").write_text(text, encoding="utf-8")
    output = tmp_path / f"all{suffix}"
    govreport.convert([folder], output, jobs=1)
    (folder / "2024.txt").write_text(next_year, encoding="utf-8")
    # The 2024 report is new; the 2023 one comes from the output: the checks across years still pair them.
    summary = govreport.convert([folder], output, jobs=1, resume=True)
    assert (summary.read, summary.skipped) == (1, 1)
    tables = govreport.export.load_tables(output)
    cross = sorted((str(f["file"]).rsplit("/", 1)[-1], f["rule"]) for f in tables.findings
                   if f["rule"] in ("T3-XY", "NARR-SIM"))
    assert cross == [("2024.txt", "NARR-SIM")] * 3 + [("2024.txt", "T3-XY")] * 2
    # Made once more, nothing doubles: the earlier run's checks across reports are made again, not kept.
    govreport.convert([folder], output, jobs=1, resume=True)
    again = govreport.export.load_tables(output)
    assert sorted((str(f["file"]).rsplit("/", 1)[-1], f["rule"]) for f in again.findings
                  if f["rule"] in ("T3-XY", "NARR-SIM")) == cross
    row = next(r for r in again.reports if str(r["file"]).endswith("2024.txt"))
    assert int(row["warnings"]) == sum(1 for f in again.findings if str(f["file"]).endswith("2024.txt")
                                       and f["severity"] == "warning")


def test_cross_checks_hold_on_consecutive_real_reports():
    names = ["fj_pingtan_2019.html", "fj_pingtan_2020.html", "fj_pingtan_2021.html", "fj_pingtan_2022.html"]
    results = list(govreport.read_many([DATA / n for n in names], jobs=1))
    assert govreport.cross_check(results) == []


def test_to_dataframe():
    pytest.importorskip("pandas")
    frame = govreport.to_dataframe(govreport.read_many(SEEDS, jobs=1))
    assert len(frame) == 5
    assert frame["meta.agency"].iloc[0] == "绥德县信访局"
    assert frame["t3.new_received.total"].tolist() == [0, 0, 0, 0, 0]


def test_convert_command(folder, tmp_path, capsys):
    output = tmp_path / "all.xlsx"
    assert main(["convert", str(folder), "-o", str(output), "--jobs", "2", "--no-progress"]) == 1
    out = capsys.readouterr().out
    assert "11 file(s): 9 read, 2 failed" in out and output.exists()
    assert main(["convert", str(DATA / "seed-001-xiangxiang-xinfang-2023.txt"), "-o", str(output)]) == 0
    assert main(["convert", str(folder), "-o", str(tmp_path / "all.txt")]) == 2


def test_dask_local_cluster_of_two_workers(folder, tmp_path):
    pytest.importorskip("dask.distributed")
    from dask.distributed import Client, LocalCluster

    import govreport.distributed

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        assert len(client.scheduler_info()["workers"]) == 2
        summary = govreport.distributed.convert([folder], tmp_path / "dask.xlsx", client=client)
    local = govreport.convert([folder], tmp_path / "local.xlsx", jobs=1)
    assert (summary.read, summary.failed) == (local.read, local.failed) == (9, 2)
    dask_rows = govreport.export.load_tables(tmp_path / "dask.xlsx").reports
    local_rows = govreport.export.load_tables(tmp_path / "local.xlsx").reports
    assert dask_rows == local_rows


def test_a_parent_is_checked_against_its_children(tmp_path):
    city, county = DATA / "js_huaian_city_2024.layout.txt", DATA / "js_huaian_hongze_2024.pdf"
    results = list(govreport.read_many([city, county], jobs=1))
    parent, child = (r.report.meta.agency for r in results)
    found = govreport.cross_check(results, {parent: [child]})
    sums = [f for _, f in found if f.rule == "HIER-SUM"]
    assert any(f.keys == ("t3.new_received.total",) and "95" in f.message for f in sums)  # 3119 ≠ 95

    mapping = tmp_path / "hierarchy.csv"
    mapping.write_text(f"parent,child\n{parent},{child}\n{parent},淮安市某某局\n", encoding="utf-8")
    found = govreport.cross_check(results, govreport.crosscheck.load_hierarchy(mapping))
    assert [f.message for _, f in found if f.rule == "HIER-MISSING"] == [
        f"{parent}2024年：批次中没有下级单位 淮安市某某局 的报告，汇总核对不完整。"]
    # With a child missing, the children's sum falling short of the parent's is expected.
    assert not any(f.rule == "HIER-SUM" and f.keys == ("t3.new_received.total",) for _, f in found)

    output = tmp_path / "out.jsonl"
    assert main(["convert", str(city), str(county), "-o", str(output), "--hierarchy", str(mapping),
                 "--no-progress", "--jobs", "1"]) == 0
    assert "HIER-MISSING" in output.read_text(encoding="utf-8")


def test_a_folder_converted_into_a_file_inside_it_does_not_read_that_file(tmp_path):
    # The second run finds the first run's CSV files in the folder: they are its own output, no reports.
    shutil.copy(DATA / "seed-000-suide-xinfang-2023.txt", tmp_path)
    output = tmp_path / "reports.csv"
    first = govreport.convert([tmp_path], output, jobs=1)
    second = govreport.convert([tmp_path], output, jobs=1)
    assert (first.read, first.failed) == (second.read, second.failed) == (1, 0)


def test_pictures_are_read_when_named_but_not_found_in_folders(tmp_path):
    # A saved page's folder holds its logo; a scan named on its own is read (by OCR, or refused without it).
    from PIL import Image

    (tmp_path / "report.txt").write_bytes((DATA / "seed-000-suide-xinfang-2023.txt").read_bytes())
    Image.new("L", (120, 40), 255).save(tmp_path / "logo.png")
    from govreport.batch import discover

    assert [Path(f).name for f in discover([tmp_path]).files] == ["report.txt"]
    assert [Path(f).name for f in discover([tmp_path / "logo.png"]).files] == ["logo.png"]
