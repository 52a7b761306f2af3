"""Batch throughput: reports per second per format at jobs=1 and jobs=2, and peak memory.

    python benchmarks/bench_batch.py [--copies N] [--rounds R]

The test corpus (tests/data, without the LibreOffice-converted .doc) is copied N times into a temporary
folder, so that a few hundred files are read, and converted to a workbook with ``govreport.convert``.
jobs=1 and jobs=2 take turns, round by round, and the medians and the median of their ratios are printed
(the goal for the mixed folder: 1.7).
Peak memory is the largest resident set of this process and of the worker processes.
"""

from __future__ import annotations

import argparse
import functools
import os
import resource
import shutil
import statistics
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import govreport

HERE = Path(__file__).resolve().parent
FORMATS = {".txt", ".html", ".docx", ".pdf"}


def corpus(copies: int, root: Path) -> Counter[str]:
    counts: Counter[str] = Counter()
    sources = [p for p in sorted((HERE.parent / "tests" / "data").iterdir()) if p.suffix in FORMATS]
    for n in range(copies):
        folder = root / f"copy{n:03}"
        folder.mkdir(parents=True)
        for path in sources:
            shutil.copy(path, folder / path.name)
            counts[path.suffix.lstrip(".")] += 1
    return counts


def peak_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


def _rate(task: Callable[[int], int], jobs: int) -> float:
    """Reports a second: the files a task read with ``jobs`` processes over its time."""
    started = time.perf_counter()
    files = task(jobs)
    return files / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=15)
    parser.add_argument("--rounds", type=int, default=3,
                        help="jobs=1 and jobs=2 alternate this many times; medians are printed")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        counts = corpus(args.copies, root / "in")
        print(f"load average {os.getloadavg()[0]:.2f}, {args.rounds} rounds")
        print(f"{sum(counts.values())} files: " + ", ".join(f"{n} {fmt}" for fmt, n in sorted(counts.items())))

        def read_all(paths: list[Path], jobs: int) -> int:
            results = list(govreport.read_many(paths, jobs=jobs))
            assert all(r.ok for r in results) or paths[0].suffix == ".docx"  # the blank template is a docx
            return len(results)

        def convert_all(jobs: int) -> int:
            return govreport.convert([root / "in"], root / f"all-{jobs}.xlsx", jobs=jobs).files

        tasks: dict[str, Callable[[int], int]] = {
            fmt: functools.partial(read_all, sorted((root / "in").rglob(f"*.{fmt}"))) for fmt in sorted(counts)}
        tasks["convert all to one workbook"] = convert_all
        for name, task in tasks.items():
            # The two alternate round by round, so that the machine's load falls on both alike.
            pairs = [(_rate(task, 1), _rate(task, 2)) for _ in range(args.rounds)]
            one, two = statistics.median(p[0] for p in pairs), statistics.median(p[1] for p in pairs)
            ratio = statistics.median(p[1] / p[0] for p in pairs)
            print(f"{name:28} jobs=1: {one:7.1f} reports/s  jobs=2: {two:7.1f} reports/s  ratio {ratio:4.2f}")
        print(f"peak memory: {peak_mb():.0f} MB")


if __name__ == "__main__":
    main()
