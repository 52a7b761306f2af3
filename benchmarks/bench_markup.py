"""HTML and DOCX: ``govreport.read`` against the bare parse of the same bytes, side by side.

    python benchmarks/bench_markup.py [FILES OR FOLDERS...] [--repeat N] [--rounds R]

For an HTML page the floor is lxml's parse of its bytes (``lxml.html.document_fromstring``); for a DOCX
file it is opening the archive and parsing ``word/document.xml`` with ``lxml.etree``. Each round times
both on every file in turn (median of ``--repeat`` reads each), so the machine's load falls on both
alike. Prints the median of the rounds per file and the ratio govreport / floor; the goals are 2.0 for
both formats. Defaults to the HTML and DOCX files in tests/data.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

from lxml import etree
from lxml import html as lxml_html

import govreport

HERE = Path(__file__).resolve().parent


def _html_floor(data: bytes) -> object:
    return lxml_html.document_fromstring(data)


def _docx_floor(data: bytes) -> object:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return etree.fromstring(archive.read("word/document.xml"))


FLOORS: dict[str, Callable[[bytes], object]] = {".html": _html_floor, ".htm": _html_floor, ".docx": _docx_floor}


def documents(paths: list[str]) -> list[Path]:
    found: list[Path] = []
    for name in paths or [str(HERE.parent / "tests" / "data")]:
        path = Path(name)
        found += sorted(p for p in path.iterdir() if p.suffix in FLOORS) if path.is_dir() else [path]
    return found


def _median_ms(action: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*")
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    files = documents(args.paths)
    samples: dict[Path, list[tuple[float, float]]] = {p: [] for p in files}
    for _ in range(args.rounds):
        for path in files:
            data = path.read_bytes()
            govreport.read_bytes(data, path.name)  # warm-up: imports and caches are not counted
            ours = _median_ms(lambda d=data, n=path.name: govreport.read_bytes(d, n), args.repeat)
            floor = _median_ms(lambda d=data, s=path.suffix: FLOORS[s](d), args.repeat)
            samples[path].append((ours, floor))
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"load average {load:.2f}, {args.rounds} rounds of {args.repeat} reads")
    print(f"{'file':40} {'KB':>5} {'govreport':>10} {'floor':>8} {'ratio':>6}")
    ratios: dict[str, list[float]] = {}
    for path, pairs in samples.items():
        ours = statistics.median(p[0] for p in pairs)
        floor = statistics.median(p[1] for p in pairs)
        ratio = statistics.median(p[0] / p[1] for p in pairs)
        kind = "docx" if path.suffix == ".docx" else "html"
        ratios.setdefault(kind, []).append(ratio)
        size = path.stat().st_size // 1024
        print(f"{path.name[:40]:40} {size:5d} {ours:8.2f}ms {floor:6.2f}ms {ratio:6.2f}")
    for kind, values in ratios.items():
        print(f"{kind}: median ratio {statistics.median(values):.2f}, max {max(values):.2f} (goal 2.0)")


if __name__ == "__main__":
    main()
