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


def _broken_sums(tmp_path):
    text = (DATA / "seed-002-dawukou-office-2023.txt").read_text(encoding="utf-8")
    bad = tmp_path / "bad.txt"
    bad.write_text(text.replace("(七)总计 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |", "(七)总计 | 3 | 0 | 0 | 0 | 0 | 0 | 3 |"),
                   encoding="utf-8")
    return bad


def test_validate_puts_errors_first_and_can_show_only_them(tmp_path, capsys):
    bad = str(_broken_sums(tmp_path))
    assert main(["validate", bad]) == 1
    severities = [line.split()[0] for line in capsys.readouterr().out.splitlines()[1:]]
    assert severities == sorted(severities, key=lambda s: s != "error") and "warning" in severities
    assert main(["validate", bad, "--errors-only", "--format", "json"]) == 1
    findings = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert findings and {f["severity"] for f in findings} == {"error"} and all(f["file"] == bad for f in findings)


def test_convert_prints_each_failure_and_error_as_it_happens_and_a_summary(tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "good.txt").write_bytes((DATA / "seed-001-xiangxiang-xinfang-2023.txt").read_bytes())
    _broken_sums(tmp_path).rename(folder / "erroneous.txt")
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4 not a real one")
    output = tmp_path / "out.xlsx"
    done = run("convert", str(folder), "-o", str(output), "--jobs", "1")  # not a terminal: no bar, still lines
    assert done.returncode == 1, done.stderr
    lines = done.stdout.splitlines()
    assert any(line.startswith(str(folder / "broken.pdf") + ": cannot read:") for line in lines)
    assert any(line.startswith(str(folder / "erroneous.txt") + ": ") and "error(s)" in line for line in lines)
    assert not any("good.txt" in line for line in lines)
    assert "3 file(s): 2 read, 1 failed" in done.stdout and output.exists()

    assert run("convert", str(folder / "good.txt"), "-o", str(output)).returncode == 0
    unusable = run("convert", str(folder), "-o", str(tmp_path / "out.docx"))
    assert unusable.returncode == 2 and "out.docx" in unusable.stderr
    assert run("convert", "-o", str(output)).returncode == 2  # nothing to convert


def test_every_command_is_listed_and_each_has_its_own_help():
    # Only the command asked for has its arguments set up: the full list must still be there for the help,
    # for an unknown command, and for each command's own --help.
    commands = ["read", "validate", "write", "template", "fill", "compare", "convert"]
    overview = run("--help")
    assert overview.returncode == 0 and all(name in overview.stdout for name in commands)
    unknown = run("bogus")
    assert unknown.returncode == 2 and all(f"'{name}'" in unknown.stderr for name in commands)
    for name in commands:
        own = run(name, "--help")
        assert own.returncode == 0 and own.stdout.startswith(f"usage: govreport {name}"), own.stderr
    missing = run("write", str(DATA / "seed-001-xiangxiang-xinfang-2023.txt"))
    assert missing.returncode == 2 and "-o/--output" in missing.stderr
