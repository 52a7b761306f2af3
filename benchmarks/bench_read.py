"""Time ``govreport.read`` per file and per format.

    python benchmarks/bench_read.py [FILES OR FOLDERS...] [--repeat N]

Defaults to the documents in tests/data. Prints the median time per file (after one warm-up read,
so imports and caches are not counted) and the mean per format.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections import defaultdict
from pathlib import Path

import govreport

HERE = Path(__file__).resolve().parent
SUFFIXES = {".txt", ".md", ".html", ".htm", ".docx", ".doc", ".pdf"}


def documents(paths: list[str]) -> list[Path]:
    found: list[Path] = []
    for name in paths or [str(HERE.parent / "tests" / "data")]:
        path = Path(name)
        found += sorted(p for p in path.iterdir() if p.suffix in SUFFIXES) if path.is_dir() else [path]
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*")
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    per_format: dict[str, list[float]] = defaultdict(list)
    for path in documents(args.paths):
        repeat = 3 if path.suffix == ".doc" else args.repeat
        govreport.read(path)
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            govreport.read(path)
            times.append(time.perf_counter() - started)
        median = statistics.median(times) * 1000
        per_format[path.suffix.lstrip(".")].append(median)
        print(f"{path.name:48} {path.stat().st_size / 1024:7.0f} KB  {median:8.2f} ms")
    print()
    for fmt, times in sorted(per_format.items()):
        print(f"{fmt:5} {len(times):3} files  mean {statistics.mean(times):8.2f} ms  max {max(times):8.2f} ms")


if __name__ == "__main__":
    main()
