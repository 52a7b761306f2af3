"""PDF reading speed: govreport.read against extracting the text alone with pypdfium2 and pdfplumber.

    python benchmarks/bench_pdf.py [PDF...] [--repeat N]

Prints, per file, the median time of each and the ratio govreport.read / pypdfium2 text. The goal is a
ratio of at most 1.5: reading a report should cost little more than extracting its text once.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium

import govreport

HERE = Path(__file__).resolve().parent


def pypdfium2_text(path: Path) -> str:
    pdf = pdfium.PdfDocument(path.read_bytes())
    try:
        return "".join(pdf[n].get_textpage().get_text_range() for n in range(len(pdf)))
    finally:
        pdf.close()


def pdfplumber_text(path: Path) -> str:
    with pdfplumber.open(path) as pdf:
        return "".join(page.extract_text() or "" for page in pdf.pages)


def median_ms(action: Callable[[], object], repeat: int) -> float:
    action()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*")
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    paths = [Path(p) for p in args.paths] or sorted((HERE.parent / "tests" / "data").glob("*.pdf"))
    print(f"{'file':32} {'pages':>5} {'govreport':>10} {'pypdfium2':>10} {'ratio':>6} {'pdfplumber':>11}")
    ratios = []
    for path in paths:
        pages = len(pdfium.PdfDocument(path.read_bytes()))
        ours = median_ms(lambda p=path: govreport.read(p), args.repeat)
        text = median_ms(lambda p=path: pypdfium2_text(p), args.repeat)
        plumber = median_ms(lambda p=path: pdfplumber_text(p), max(3, args.repeat // 5))
        ratios.append(ours / text)
        print(f"{path.name:32} {pages:5} {ours:8.1f}ms {text:8.1f}ms {ours / text:6.2f} {plumber:9.1f}ms")
    print(f"median ratio {statistics.median(ratios):.2f}")


if __name__ == "__main__":
    main()
