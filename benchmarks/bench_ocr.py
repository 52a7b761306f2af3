"""Seconds per page of reading scanned (image-only) PDFs through OCR.

    python benchmarks/bench_ocr.py [PDF ...] [--repeat N] [--against CHECKOUT]

With no files it makes scans of the text PDFs in tests/data (150 dpi clean; 200 dpi grey, turned 0.5°,
JPEG) and reads those. Prints seconds per page for each file and overall, with the machine's load, so
that numbers from different runs can be weighed.

With ``--against`` another checkout of govreport (a worktree of an older commit, say) reads the same
files side by side: each checkout in a process of its own, models loaded once, taking turns file by file
(who goes first alternates), so that the machine's load falls on both alike. Prints both and their ratio.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pypdfium2 as pdfium

import govreport

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from test_pdf_reader import scanned  # the tests folder is no package: found on the path

HERE = Path(__file__).resolve().parent


def scan(path: Path, dpi: int, angle: float = 0.0) -> bytes:
    """A picture-only copy of a PDF at ``dpi``, turned by ``angle`` degrees, JPEG-compressed: the tests'
    scanner (tests/test_pdf_reader.py), so that the benchmark measures the pages the tests read."""
    return scanned(path, dpi, angle, quality=70)


def inputs(paths: list[str]) -> list[tuple[str, bytes]]:
    if paths:
        return [(Path(p).name, Path(p).read_bytes()) for p in paths]
    out = []
    for pdf in sorted((HERE.parent / "tests" / "data").glob("*.pdf")):
        out.append((f"{pdf.stem} @150", scan(pdf, 150)))
        out.append((f"{pdf.stem} @200 0.5°", scan(pdf, 200, 0.5)))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--against", metavar="CHECKOUT", help="another checkout to read the same files beside")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        return serve()
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores; python {sys.version.split()[0]}")
    if args.against:
        return side_by_side(inputs(args.paths), Path(args.against), args.repeat)
    govreport.read_bytes(inputs([])[0][1], "warm-up.pdf")  # load the models once
    per_page: list[float] = []
    for name, data in inputs(args.paths):
        pages = len(pdfium.PdfDocument(data))
        times = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            govreport.read_bytes(data, name)
            times.append(time.perf_counter() - start)
        seconds = statistics.median(times) / pages
        per_page.append(seconds)
        print(f"{name:40s} {pages:3d} pages  {seconds:6.2f} s/page")
    print(f"{'all':40s}      median {statistics.median(per_page):6.2f} s/page  max {max(per_page):6.2f}")


def serve() -> None:
    """Worker: read each PDF path given on stdin and answer with the seconds it took."""
    print("ready", flush=True)
    for line in sys.stdin:
        data = Path(line.strip()).read_bytes()
        start = time.perf_counter()
        govreport.read_bytes(data, "scan.pdf")
        print(time.perf_counter() - start, flush=True)


def side_by_side(files: list[tuple[str, bytes]], other: Path, repeat: int) -> None:
    here = Path(__file__).resolve().parent.parent
    checkouts = {"this": here, "against": other.resolve()}
    workers = {
        label: subprocess.Popen([sys.executable, __file__, "--worker"], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(root)})
        for label, root in checkouts.items()}
    with tempfile.TemporaryDirectory() as folder:
        try:
            for worker in workers.values():
                assert worker.stdin and worker.stdout and worker.stdout.readline().strip() == "ready"
                # Each worker loads its models on a first read, before any is timed.
                worker.stdin.write(f"{_saved(folder, 0, files[0][1])}\n")
                worker.stdin.flush()
                worker.stdout.readline()
            totals = dict.fromkeys(workers, 0.0)
            for n, (name, data) in enumerate(files):
                path, pages = _saved(folder, n, data), len(pdfium.PdfDocument(data))
                spent = dict.fromkeys(workers, 0.0)
                for turn in range(repeat):
                    for label in sorted(workers, reverse=(n + turn) % 2 == 1):
                        worker = workers[label]
                        assert worker.stdin and worker.stdout
                        worker.stdin.write(f"{path}\n")
                        worker.stdin.flush()
                        spent[label] += float(worker.stdout.readline())
                for label in workers:
                    totals[label] += spent[label] / repeat / pages
                print(f"{name:40s} {pages:3d} pages  this {spent['this'] / repeat / pages:6.2f}  "
                      f"against {spent['against'] / repeat / pages:6.2f} s/page  "
                      f"ratio {spent['this'] / spent['against']:5.3f}")
        finally:
            for worker in workers.values():
                worker.kill()
    count = len(files)
    print(f"{'all':40s} mean  this {totals['this'] / count:6.2f}  against {totals['against'] / count:6.2f} s/page  "
          f"ratio {totals['this'] / totals['against']:5.3f}  (load average now {os.getloadavg()[0]:.2f})")


def _saved(folder: str, n: int, data: bytes) -> str:
    path = Path(folder) / f"{n}.pdf"
    if not path.exists():
        path.write_bytes(data)
    return str(path)


if __name__ == "__main__":
    main()
