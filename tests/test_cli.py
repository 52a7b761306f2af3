"""The command line, run as a user runs it."""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import DATA

from govreport.cli import main


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "govreport", *args], capture_output=True, text=True,
                          encoding="utf-8")


def test_read_prints_a_summary():
    done = run("read", str(DATA / "seed-001-xiangxiang-xinfang-2023.txt"))
    assert done.returncode == 0, done.stderr
    assert "湘乡市信访局" in done.stdout and "2023" in done.stdout


def test_read_json_is_the_whole_report(capsys):
    assert main(["read", str(DATA / "seed-003-licheng-xinfang-2019.txt"), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["meta"]["agency"] == "泉州市鲤城区人民政府信访局"
    assert data["table3"]["edition"] == "2019"
    assert data["table3"]["cells"]["other_total.total"]["value"] == 0


def test_validate_exit_status(tmp_path, capsys):
    good = str(DATA / "seed-001-xiangxiang-xinfang-2023.txt")
    assert main(["validate", good]) == 0
    text = (DATA / "seed-002-dawukou-office-2023.txt").read_text(encoding="utf-8")
    bad = tmp_path / "bad.txt"
    bad.write_text(text.replace("(七)总计 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |", "(七)总计 | 3 | 0 | 0 | 0 | 0 | 0 | 3 |"),
                   encoding="utf-8")
    assert main(["validate", good, str(bad)]) == 1
    out = capsys.readouterr().out
    assert "T3-SUM" in out and "T3-BAL" in out


def test_validate_reports_unreadable_files(tmp_path, capsys):
    assert main(["validate", str(tmp_path / "missing.txt")]) == 2
    assert "missing.txt" in capsys.readouterr().out


def test_read_error_goes_to_stderr(tmp_path):
    done = run("read", str(tmp_path / "missing.txt"))
    assert done.returncode == 2 and "missing.txt" in done.stderr and "Traceback" not in done.stderr
