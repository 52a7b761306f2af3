"""Many reports at once: find the files, read them in parallel, check reports against each other.

>>> import govreport
>>> results = list(govreport.read_many(["tests/data/seed-000-suide-xinfang-2023.txt", "missing.txt"], jobs=1))
>>> [(r.ok, r.error_type) for r in results]
[(True, None), (False, 'UnreadableFileError')]
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import attrs

from .errors import GovReportError
from .model import Finding, Report
from .normalize import squash_space
from .readers import available_readers
from .reading import read
from .schema import T3_COLUMN_KEYS, label_of
from .validate import validate


@attrs.frozen
class Result:
    """What reading one file gave: a report and its findings, or the error that stopped it."""

    path: str
    report: Report | None = None
    findings: tuple[Finding, ...] = ()
    error: str | None = None
    error_type: str | None = None

    @property
    def ok(self) -> bool:
        return self.report is not None


def find_files(paths: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """The files to read: files as given, and in folders (recursively) every file a reader handles."""
    suffixes = {f".{e}" for reader in available_readers() for e in reader.extensions}
    found: dict[str, Path] = {}
    for name in paths:
        path = Path(name)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and child.suffix.lower() in suffixes and not child.name.startswith((".", "~$")):
                    found.setdefault(str(child), child)
        else:
            found.setdefault(str(path), path)
    return list(found.values())


def read_one(path: str | os.PathLike[str]) -> Result:
    """Read and check one file; never raises for a bad file."""
    name = os.fspath(path)
    try:
        report = read(name)
        return Result(name, report, tuple(validate(report)))
    except GovReportError as exc:
        return Result(name, error=exc.detail, error_type=type(exc).__name__)
    except Exception as exc:  # a bug of ours must not stop a batch of thousands
        return Result(name, error=f"internal error, please report it: {type(exc).__name__}: {exc}",
                      error_type="InternalError")


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def read_many(paths: Iterable[str | os.PathLike[str]], *, jobs: int | None = None,
              chunksize: int | None = None) -> Iterator[Result]:
    """Read many files (folders are searched recursively), yielding one :class:`Result` per file in order.

    ``jobs`` processes read in parallel (default: every core; 1 reads in this process). A file that cannot
    be read yields a result with its error; the batch goes on.
    """
    files = find_files(paths)
    jobs = default_jobs() if jobs is None else max(1, jobs)
    if jobs == 1 or len(files) <= 1:
        yield from (read_one(f) for f in files)
        return
    # Chunks big enough that sending work to the processes costs less than the work, small enough to
    # keep every process busy to the end.
    chunksize = chunksize or max(1, min(32, len(files) // (jobs * 8)))
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        yield from pool.map(read_one, files, chunksize=chunksize)


def cross_check(results: Sequence[Result]) -> list[tuple[str, Finding]]:
    """Findings across reports of the same agency in consecutive years (FORMAT.md §5), as warnings.

    ``T3-XY``: 上年结转 of year N equals 结转下年度 of year N−1, column by column. ``T2-XY``: 现行有效件数 of
    year N equals that of N−1 plus 本年制发 minus 本年废止 (2021 edition). Returns (file of year N, finding).
    """
    by_agency: dict[str, dict[int, Result]] = defaultdict(dict)
    for result in results:
        report = result.report
        if report is not None and report.meta.agency and report.meta.year:
            by_agency[squash_space(report.meta.agency)].setdefault(report.meta.year, result)
    out: list[tuple[str, Finding]] = []
    for agency, years in by_agency.items():
        for year, result in sorted(years.items()):
            before = years.get(year - 1)
            if before is None:
                continue
            this, last = result.report, before.report
            assert this is not None and last is not None
            for column in T3_COLUMN_KEYS:
                now, then = this.value(f"t3.carried_over.{column}"), last.value(f"t3.carried_forward.{column}")
                if now is not None and then is not None and now != then:
                    out.append((result.path, Finding(
                        "T3-XY", "warning",
                        f"{agency}{year}年{label_of('t3.carried_over.' + column)} 为 {now}，"
                        f"而{year - 1}年报告（{Path(before.path).name}）结转下年度为 {then}。",
                        (f"t3.carried_over.{column}",))))
            if this.meta.table2_edition == last.meta.table2_edition == "2021":
                for row in ("regulations", "normative_documents"):
                    values = [this.value(f"t2.{row}.in_force"), last.value(f"t2.{row}.in_force"),
                              this.value(f"t2.{row}.issued"), this.value(f"t2.{row}.repealed")]
                    if any(v is None for v in values):
                        continue
                    now, then, issued, repealed = values
                    if now != then + issued - repealed:  # type: ignore[operator]
                        out.append((result.path, Finding(
                            "T2-XY", "warning",
                            f"{agency}{year}年{label_of(f't2.{row}.in_force', '2021')} 为 {now}，"
                            f"而上年 {then} + 本年制发 {issued} − 本年废止 {repealed} = "
                            f"{then + issued - repealed}（{year - 1}年报告：{Path(before.path).name}）。",  # type: ignore[operator]
                            (f"t2.{row}.in_force", f"t2.{row}.issued", f"t2.{row}.repealed"))))
    return out
