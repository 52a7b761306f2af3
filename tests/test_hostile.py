"""Hostile and broken inputs, generated here: each ends with a Report or a GovReportError naming the file,
and a batch over all of them and good reports writes every good row and one failure row per bad file."""

from __future__ import annotations

import io
import json
import os
import shutil
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest
from conftest import DATA
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import govreport
from govreport import plugins
from govreport.cli import main
from govreport.document import Document, Paragraph
from govreport.settings import Limits, ReadOptions

GOOD = ["seed-001-xiangxiang-xinfang-2023.txt", "fj_pingtan_2021.html", "fj_pingtan_2024.lo.docx"]
DOCX_TYPES = ('<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
              '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
              'officedocument.wordprocessingml.document.main+xml"/></Types>')
FORM = b"/Type /XObject /Subtype /Form /BBox [0 0 9 9] /Resources "
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _docx(body: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", DOCX_TYPES)
        package.writestr("word/document.xml",
                         b"<w:document " + W.encode() + b"><w:body>" + body + b"</w:body></w:document>")
    return buffer.getvalue()


def _pdf(objects: list[bytes]) -> bytes:
    out, offsets = b"%PDF-1.4\n", []
    for n, obj in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{n} 0 obj\n".encode() + obj + b"\nendobj\n"
    start = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{start}\n%%EOF\n".encode()
    return out


def _stream(content: bytes, extra: bytes = b"") -> bytes:
    return b"<< " + extra + b" /Length %d >>\nstream\n" % len(content) + content + b"\nendstream"


def hostile_files(folder: Path) -> list[Path]:
    """Files that once stopped a batch, hung it or ate its memory; each is written into ``folder``."""
    files: dict[str, bytes] = {
        # 300 MB of spaces packed into a few hundred KB.
        "bomb.docx": _docx(b" " * 300_000_000),
        "huge-span.html": ("<html><body><table><tr><td rowspan=1000 colspan=1000>一、本年新收政府信息公开申请数量</td>"
                           "<td>1</td></tr></table></body></html>").encode(),
        "grid-span.docx": _docx(b"<w:tbl><w:tr><w:tc><w:tcPr><w:gridSpan w:val=\"2000000000\"/></w:tcPr>"
                                b"<w:p><w:r><w:t>1</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"),
        "cyclic-forms.pdf": _pdf([
            b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Resources << /XObject << /A 5 0 R >> >> "
            b"/Contents 4 0 R >>", _stream(b"/A Do"),
            _stream(b"/B Do", FORM + b"<< /XObject << /B 6 0 R >> >>"),
            _stream(b"/A Do", FORM + b"<< /XObject << /A 5 0 R >> >>")]),
        "million-pages.pdf": _pdf([
            b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1000000 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>"]),
        "spaces.txt": b" " * 1_000_000,
        "too-long.txt": "一、总体情况\n".encode() * 2_000_000,
        "digits.txt": ("三、收到和处理政府信息公开申请情况\n申请人情况\n一、本年新收政府信息公开申请数量"
                       + "9" * 5000 + "\n").encode(),
        # A title whose agency would be a live formula in a spreadsheet.
        "formula.txt": (DATA / GOOD[0]).read_bytes().replace(
            "湘乡市信访局2023年".encode(), "=cmd|' /C calc'!A0 2023年".encode(), 1),
        "garbage.pdf": b"%PDF-1.7\n" + os.urandom(2048),
        "README.md": (Path(__file__).parent.parent / "README.md").read_bytes(),
        "empty.docx": b"",
    }
    paths = []
    for name, data in files.items():
        path = folder / name
        path.write_bytes(data)
        paths.append(path)
    book = openpyxl.Workbook()
    book.active["XFD1048576"] = "一、总体情况"
    book.save(folder / "far-cell.xlsx")
    paths.append(folder / "far-cell.xlsx")
    if sys.platform != "win32":
        os.mkfifo(folder / "pipe.txt")
        paths.append(folder / "pipe.txt")
        # A name that is no UTF-8 (a GBK archive unzipped on Linux), holding a good report.
        odd = os.fsdecode(bytes(folder) + b"/\xb1\xa8\xb8\xe6.txt")
        shutil.copy(DATA / GOOD[0], odd)
        paths.append(Path(odd))
    return paths


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> list[Path]:
    return hostile_files(tmp_path_factory.mktemp("hostile"))


def test_each_hostile_file_gives_a_report_or_an_error_naming_it(hostile):
    for path in hostile:
        try:
            report = govreport.read(path)
        except govreport.GovReportError as exc:
            assert str(path) in str(exc) or os.fsencode(path).decode("utf-8", "replace") in str(exc), exc
        else:
            assert isinstance(report, govreport.Report), path


def test_a_batch_over_hostile_and_good_files_keeps_every_good_row(hostile, tmp_path):
    good = [DATA / name for name in GOOD]
    output = tmp_path / "out.jsonl"
    code = main(["convert", *map(str, hostile), *map(str, good), "-o", str(output), "--jobs", "2"])
    assert code == 1
    records = [json.loads(line) for line in output.read_text(encoding="utf-8").splitlines()]
    assert len(records) == len(hostile) + len(good)  # one row for every file
    read = {Path(r["file"]).name for r in records if r["ok"]}
    assert set(GOOD) <= read
    failed = {Path(r["file"]).name: r["error_type"] for r in records if not r["ok"]}
    for name in ("bomb.docx", "too-long.txt", "far-cell.xlsx", "million-pages.pdf", "spaces.txt", "README.md",
                 "empty.docx", "pipe.txt", "garbage.pdf"):
        assert name in failed, name


def test_text_that_looks_like_a_formula_stays_text_in_every_output(hostile, tmp_path):
    formula = next(p for p in hostile if p.name == "formula.txt")
    for suffix in (".csv", ".xlsx"):
        output = tmp_path / f"out{suffix}"
        govreport.convert([formula], output, jobs=1)
        if suffix == ".csv":
            text = output.read_text(encoding="utf-8-sig")
            assert "'=cmd" in text and ",=cmd" not in text
        else:
            book = openpyxl.load_workbook(output)
            cells = [c for row in book["数据"].iter_rows() for c in row if isinstance(c.value, str)]
            assert any(c.value.startswith("=cmd") and c.data_type == "s" for c in cells)
        assert govreport.export.load_tables(output).reports[0]["file"] == str(formula)


class _Crashing:
    """A reader plug-in whose library dies on its files, as a native library does on a malformed input."""

    name = "crashing"
    extensions = ("crash",)

    def sniff(self, head: bytes) -> int:
        return 100 if head.startswith(b"CRASH") else 0

    def read(self, data: bytes, path: str | None = None) -> Document:
        if data.startswith(b"CRASH-HANG"):
            while True:  # a loop inside a reader that never ends
                pass
        os.abort()
        return Document.of([Paragraph("")], self.name, path)


@pytest.mark.skipif(sys.platform == "win32", reason="fork and rlimits: POSIX")
def test_a_worker_that_dies_or_hangs_costs_only_its_file(tmp_path):
    plugins.register_reader(_Crashing())
    try:
        (tmp_path / "a.crash").write_bytes(b"CRASH")
        (tmp_path / "b.crash").write_bytes(b"CRASH-HANG")
        for name in GOOD:
            shutil.copy(DATA / name, tmp_path)
        quick = ReadOptions(limits=Limits(seconds_per_file=2))
        results = list(govreport.read_many([tmp_path], jobs=2, options=quick))
    finally:
        plugins.unregister_reader("crashing")
    by_name = {Path(r.path).name: r for r in results}
    assert len(results) == 5 and all(by_name[n].ok for n in GOOD)
    assert by_name["a.crash"].error_type == "WorkerDiedError"
    assert by_name["b.crash"].error_type == "TimeLimitError"


@pytest.mark.parametrize("jobs", [1, 2])
def test_the_options_given_hold_in_every_reading_process(tmp_path, jobs):
    texts = [name for name in GOOD if name.endswith((".txt", ".html"))]  # what max_text_bytes bounds
    for name in texts:
        shutil.copy(DATA / name, tmp_path)
    tight = ReadOptions(limits=Limits(max_text_bytes=1000))
    results = list(govreport.read_many([tmp_path], jobs=jobs, options=tight))
    assert len(results) == len(texts) == 2
    assert all(r.error_type == "UnreadableFileError" and "limit: 1000 bytes" in str(r.error) for r in results)
    # The defaults are back once the batch is over.
    assert all(r.ok for r in govreport.read_many([tmp_path], jobs=jobs))


SUFFIXES = [".txt", ".md", ".html", ".docx", ".doc", ".xlsx", ".pdf", ".wps", ""]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=4096) | st.sampled_from([b"%PDF-1.4\n", b"PK\x03\x04", b"<html>", b"\xef\xbb\xbf"])
       .flatmap(lambda head: st.binary(max_size=2048).map(lambda tail: head + tail)),
       suffix=st.sampled_from(SUFFIXES))
def test_any_bytes_under_any_name_give_a_report_or_an_error_naming_the_file(data, suffix):
    name = f"input{suffix}"
    try:
        report = govreport.read_bytes(data, name)
    except govreport.GovReportError as exc:
        assert name in str(exc)
    else:
        assert isinstance(report, govreport.Report)


def test_workers_end_when_the_batch_is_killed(tmp_path):
    # A batch killed from outside (kill -9) must not leave its workers waiting on their queue for ever.
    import signal
    import subprocess
    import sys
    import time

    for n in range(4):
        shutil.copy(DATA / "seed-000-suide-xinfang-2023.txt", tmp_path / f"{n}.txt")
    script = (
        "import multiprocessing, sys, time, govreport\n"
        "results = govreport.read_many([sys.argv[1]], jobs=2)\n"
        "next(results)\n"
        "print(' '.join(str(p.pid) for p in multiprocessing.active_children()), flush=True)\n"
        "time.sleep(60)\n")
    parent = subprocess.Popen([sys.executable, "-c", script, str(tmp_path)], stdout=subprocess.PIPE, text=True)
    try:
        workers = [int(p) for p in parent.stdout.readline().split()]  # type: ignore[union-attr]
        assert workers
    finally:
        parent.send_signal(signal.SIGKILL)
        parent.wait()

    def alive(pid: int) -> bool:
        try:
            with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
                return stat.read().split(") ")[1][0] != "Z"  # a zombie has ended
        except FileNotFoundError:
            return False

    deadline = time.monotonic() + 10
    while any(alive(p) for p in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [p for p in workers if alive(p)]
