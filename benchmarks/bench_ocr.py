"""Seconds per page of reading scanned (image-only) PDFs through OCR.

    python benchmarks/bench_ocr.py [PDF ...] [--repeat N]

With no files it makes scans of the text PDFs in tests/data (150 dpi clean; 200 dpi grey, turned 0.5°,
JPEG) and reads those. Prints seconds per page for each file and overall, with the machine's load, so
that numbers from different runs can be weighed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
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
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores; python {sys.version.split()[0]}")
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


if __name__ == "__main__":
    main()
