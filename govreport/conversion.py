"""``govreport convert``: a folder of reports to one spreadsheet.

>>> import govreport
>>> summary = govreport.convert(["tests/data/seed-001-xiangxiang-xinfang-2023.txt"],
...                             getfixture("tmp_path") / "reports.xlsx", jobs=1)
>>> summary.read, summary.failed
(1, 0)
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path

import attrs

from .batch import Discovery, Result, discover, read_many
from .crosscheck import CROSS_RULES, Facts, hierarchy_agencies, hierarchy_checks, year_on_year_checks
from .errors import GovReportError
from .export import check_output, previous_rows, printable_name, rows_of, rows_of_findings, write_tables
from .model import Finding
from .readers import available_readers
from .settings import LIMITS, WEB, Limits, WebSettings
from .spool import Spool


@attrs.frozen
class Summary:
    """What a conversion did."""

    files: int
    read: int
    failed: int
    skipped: int
    errors: int
    warnings: int
    outputs: tuple[Path, ...]

    def describe(self) -> str:
        parts = [f"{self.files} file(s): {self.read} read, {self.failed} failed"]
        if self.skipped:
            parts.append(f"{self.skipped} already converted")
        parts.append(f"{self.errors} error finding(s), {self.warnings} warning(s)")
        return "; ".join(parts) + "\nwrote " + ", ".join(str(p) for p in self.outputs)


def convert(paths: Iterable[str | os.PathLike[str]], output: str | os.PathLike[str], *, jobs: int | None = None,
            resume: bool = False, progress: bool = False, cache: str | os.PathLike[str] | None = None,
            web: WebSettings = WEB, on_result: Callable[[Result], None] | None = None,
            hierarchy: Mapping[str, Sequence[str]] | None = None, limits: Limits = LIMITS,
            reader: Callable[[list[Path | str], int | None], Iterator[Result]] | None = None) -> Summary:
    """Read every report under ``paths`` and write them to ``output`` (.xlsx, .csv, .jsonl or .parquet).

    ``paths`` may hold http(s) URLs beside files and folders; ``cache`` is the folder that keeps what was
    fetched (a rerun fetches nothing), ``web`` the timeouts and limits of fetching, ``limits`` the bounds on
    each file (:class:`~govreport.settings.Limits`). ``on_result`` is called with each file's result as it
    comes; ``hierarchy`` (parent agency → children) adds the parent checks. Files and URLs that fail are listed
    in the failures table; the batch never stops. With ``resume=True`` files that the existing output already
    holds are not read again (failed ones are retried). ``reader`` lets another executor (Dask,
    :mod:`govreport.distributed`) do the reading.
    """
    check_output(output)
    found = _files(paths)
    files = list(found.files)

    def local(files: list[Path | str], jobs: int | None) -> Iterator[Result]:
        return read_many(files, jobs=jobs, cache=cache, web=web, limits=limits)

    # The rows wait on disk, not in memory, until the output is written (:mod:`govreport.spool`).
    with Spool() as spool:
        done = _resume(spool, output) if resume else set()
        todo: list[Path | str] = [f for f in files if printable_name(f) not in done]
        tally = _Tally()
        results = itertools.chain(_with_progress((reader or local)(todo, jobs), len(todo), progress),
                                  found.unreadable)
        for result in results:
            if on_result is not None:
                on_result(result)
            tally.add(result, spool)
        tally.warnings += _add_cross_checks(spool, hierarchy)
        outputs = write_tables(spool, output)
    return Summary(len(files) + len(found.unreadable), tally.read, tally.failed, len(files) - len(todo),
                   tally.errors, tally.warnings, tuple(outputs))


def _resume(spool: Spool, output: str | os.PathLike[str]) -> set[str]:
    """Take the reports of an earlier run's output into the spool; returns their files (not read again).

    Its failures are dropped (those files are tried again), and so are its findings across reports: they
    are made again over the old and the new reports together.
    """
    for kind, row in previous_rows(output):
        if kind == "report":
            spool.add_report(row)
            if (facts := Facts.of_row(row)) is not None:
                spool.add_facts(facts)
        elif kind == "finding" and row.get("rule") not in CROSS_RULES:
            spool.add_findings(str(row["file"]), [row])
    spool.recount()
    return spool.converted()


def _files(paths: Iterable[str | os.PathLike[str]]) -> Discovery:
    paths = list(paths)
    found = discover(paths)
    if not found.files and not found.unreadable:
        raise GovReportError("no report files found (readers handle: "
                             f"{', '.join(sorted({e for r in available_readers() for e in r.extensions}))})",
                             ", ".join(os.fspath(p) for p in paths) or None)
    return found


@attrs.define
class _Tally:
    """Counts of a run."""

    read: int = 0
    failed: int = 0
    errors: int = 0
    warnings: int = 0

    def add(self, result: Result, spool: Spool) -> None:
        """Count a result and put its rows, and the facts the checks across reports need, into the spool."""
        self.read, self.failed = self.read + result.ok, self.failed + (not result.ok)
        errors = sum(1 for f in result.findings if f.severity == "error")
        self.errors += errors
        self.warnings += len(result.findings) - errors
        report, findings, failure = rows_of(result)
        if report is not None:
            spool.add_report(report)
            spool.add_findings(str(report["file"]), findings)
        if failure is not None:
            spool.add_failure(failure)
        if (fact := Facts.of(result)) is not None:
            spool.add_facts(attrs.evolve(fact, path=printable_name(fact.path)))


def _add_cross_checks(spool: Spool, hierarchy: Mapping[str, Sequence[str]] | None) -> int:
    """Add the findings across reports, one agency at a time; returns how many."""
    found: list[tuple[str, Finding]] = []
    for group in spool.facts_by_agency():
        found += year_on_year_checks(group)
    if hierarchy:
        found += hierarchy_checks(spool.facts_of(hierarchy_agencies(hierarchy)), hierarchy)
    for path, finding in found:
        spool.add_findings(path, rows_of_findings(path, [finding]))
        spool.count_warnings(path, 1)
    return len(found)


def _with_progress(results: Iterator[Result], total: int, show: bool) -> Iterator[Result]:
    if not show:
        yield from results
        return
    from tqdm import tqdm

    with tqdm(total=total, unit="file", desc="reading", dynamic_ncols=True) as bar:
        for result in results:
            bar.update(1)
            yield result
