"""Cold start: a fresh process running ``govreport read`` on a text report, against a bare ``python -c pass``.

    python benchmarks/bench_startup.py [--rounds N]

The two commands alternate, round after round, so that the machine's load falls on both alike; the ratio
of their medians is what the goal (≤ 3×) is about. Also prints ``import govreport`` alone.

The package is byte-compiled first, as ``pip install`` does: a checkout run with ``PYTHONDONTWRITEBYTECODE``
(or from a read-only folder) compiles every module at every start, which is not what users run.
"""

from __future__ import annotations

import argparse
import compileall
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPORT = Path(__file__).resolve().parent.parent / "tests" / "data" / "seed-001-xiangxiang-xinfang-2023.txt"
COMMANDS = {
    "python -c pass": [sys.executable, "-c", "pass"],
    "import govreport": [sys.executable, "-c", "import govreport"],
    "govreport read report.txt": [sys.executable, "-m", "govreport", "read", str(REPORT)],
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    import govreport

    compileall.compile_dir(str(Path(govreport.__file__).parent), quiet=1)
    times: dict[str, list[float]] = {name: [] for name in COMMANDS}
    for _ in range(args.rounds):
        for name, command in COMMANDS.items():
            start = time.perf_counter()
            subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
            times[name].append(time.perf_counter() - start)
    base = statistics.median(times["python -c pass"])
    print(f"load average {os.getloadavg()[0]:.2f}, {args.rounds} rounds")
    for name, values in times.items():
        median = statistics.median(values)
        print(f"{name:28} {median * 1000:7.0f} ms   {median / base:4.1f}× python -c pass")


if __name__ == "__main__":
    main()
