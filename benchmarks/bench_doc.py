"""Legacy Word files in a batch: the cost of each file after the first, against reading them one by one.

    python benchmarks/bench_doc.py [--files N] [--repeat R]

N copies of the test corpus's DOC (each made unique by the file it is in, not its bytes; the batch converts
what it reads) are read three ways, alternating, R times, in one run so that the machine's load cancels:
one file alone (``govreport.read``: one LibreOffice run, its start-up included), the N files one by one
(N runs), and the N files as a batch (``read_many``, jobs=1: the batch converts them ahead in one run).
Printed: medians in seconds, the batch's cost per file after the first ((batch - one) / (N - 1), goal
≤ 150 ms), and the ratio one-by-one / batch.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from pathlib import Path

import govreport

SOURCE = Path(__file__).resolve().parent.parent / "tests" / "data" / "fj_pingtan_2024.lo.doc"


def timed(action) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=12)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for n in range(args.files):
            path = Path(tmp) / f"report{n:03}.doc"
            shutil.copy(SOURCE, path)
            paths.append(path)
        one, apart, batch = [], [], []
        for _ in range(args.repeat):
            one.append(timed(lambda: govreport.read(paths[0])))
            apart.append(timed(lambda: [govreport.read(p) for p in paths]))
            batch.append(timed(lambda: [r.report for r in govreport.read_many(paths, jobs=1)]))
        one_s, apart_s, batch_s = (statistics.median(x) for x in (one, apart, batch))
        print(f"{args.files} DOC files, medians of {args.repeat}")
        print(f"one file alone     {one_s:6.2f} s")
        print(f"one by one         {apart_s:6.2f} s  ({apart_s / args.files * 1000:5.0f} ms a file)")
        print(f"as a batch         {batch_s:6.2f} s  "
              f"({(batch_s - one_s) / (args.files - 1) * 1000:5.0f} ms a file after the first; goal ≤ 150)")
        print(f"ratio one by one / batch: {apart_s / batch_s:.1f}")


if __name__ == "__main__":
    main()
