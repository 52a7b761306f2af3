"""Batch throughput: reports per second per format at jobs=1 and jobs=2, and peak memory.

    python benchmarks/bench_batch.py [--copies N]

The test corpus (tests/data, without the LibreOffice-converted .doc) is copied N times into a temporary
folder, so that a few hundred files are read, and converted to a workbook with ``govreport.convert``.
Peak memory is the largest resident set of this process and of the worker processes.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import tempfile
import time
from collections import Counter
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        counts = corpus(args.copies, root / "in")
        print(f"{sum(counts.values())} files: " + ", ".join(f"{n} {fmt}" for fmt, n in sorted(counts.items())))
        for fmt in sorted(counts):
            paths = sorted((root / "in").rglob(f"*.{fmt}"))
            line = [f"{fmt:5}"]
            for jobs in (1, 2):
                started = time.perf_counter()
                results = list(govreport.read_many(paths, jobs=jobs))
                elapsed = time.perf_counter() - started
                assert all(r.ok for r in results) or fmt == "docx"  # the blank official template is a docx
                line.append(f"jobs={jobs}: {len(paths) / elapsed:7.1f} reports/s")
            print("  ".join(line))
        for jobs in (1, 2):
            started = time.perf_counter()
            summary = govreport.convert([root / "in"], root / f"all-{jobs}.xlsx", jobs=jobs)
            elapsed = time.perf_counter() - started
            print(f"convert all, jobs={jobs}: {summary.files / elapsed:6.1f} reports/s ({elapsed:.1f} s)")
        print(f"peak memory: {peak_mb():.0f} MB")


if __name__ == "__main__":
    main()
