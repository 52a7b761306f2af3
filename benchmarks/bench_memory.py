"""Peak memory of ``govreport.convert`` as the batch grows: it should stay flat.

    python benchmarks/bench_memory.py [--sizes 1000 20000] [--suffixes .xlsx .csv .jsonl .parquet]

Each size runs in a fresh process that converts that many reports and prints its peak resident memory
(``ru_maxrss``). The reports are the test data's real text reports read once and handed to ``convert``
again and again under new names (each its own agency and year, so the checks across reports have work),
through ``convert``'s ``reader`` hook: what is measured is the batch — its rows, checks and outputs —
not the reading, which runs file by file in worker processes anyway. Prints the peak of each size and
the ratio of the largest to the smallest.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE.parent / "tests" / "data"

_CHILD = """
import itertools, json, resource, sys
import attrs
import govreport
from govreport.result import Result

size, output, data, folder = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
import pathlib
for n in range(size):  # the files the batch is given; the reader hook hands over the reports
    (pathlib.Path(folder) / f"{n:06d}.txt").touch()
seeds = [govreport.read(p) for p in sorted(pathlib.Path(data).glob("seed-*.txt"))]
results = []
for report in seeds:
    results.append((report, tuple(govreport.validate(report))))

def reader(files, jobs):
    for n, (path, (report, findings)) in enumerate(zip(files, itertools.cycle(results))):
        meta = attrs.evolve(report.meta, agency=f"单位{n // 3}", year=2021 + n % 3)
        yield Result(str(path), attrs.evolve(report, meta=meta), findings)

summary = govreport.convert([folder], output, reader=reader)
print(json.dumps({"size": size, "read": summary.read,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def measure(size: int, suffix: str) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder:
        output = str(Path(folder) / f"batch{suffix}")
        reports = Path(folder) / "reports"
        reports.mkdir()
        done = subprocess.run([sys.executable, "-c", _CHILD, str(size), output, str(DATA), str(reports)],
                              capture_output=True, text=True, check=True)
        return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 20000])
    parser.add_argument("--suffixes", nargs="+", default=[".xlsx", ".csv", ".jsonl", ".parquet"])
    args = parser.parse_args()
    for suffix in args.suffixes:
        peaks = []
        for size in args.sizes:
            result = measure(size, suffix)
            peaks.append(result["peak_mb"])
            print(f"{suffix:9} {size:7d} reports  peak {result['peak_mb']:7.1f} MB")
        print(f"{suffix:9} largest / smallest: {peaks[-1] / peaks[0]:.2f}")


if __name__ == "__main__":
    main()
