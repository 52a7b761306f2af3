"""``govreport convert``: a folder of reports to one spreadsheet.

>>> import govreport
>>> from govreport.samples import sample
>>> summary = govreport.convert([sample()],
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

from .batch import read_found, search
from .crosscheck import CROSS_RULES, Facts, hierarchy_agencies, hierarchy_checks, year_on_year_checks
from .errors import GovReportError
from .export import (
    check_output,
    output_files,
    previous_rows,
    printable_name,
    rows_of,
    rows_of_findings,
    write_tables,
)
from .fieldrepr import FieldRepr
from .model import Finding
from .readers import available_readers
from .result import Result
from .settings import ReadOptions
from .spool import Spool


@attrs.frozen(repr=False)
class Summary(FieldRepr):
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
            options: ReadOptions | None = None, on_result: Callable[[Result], None] | None = None,
            hierarchy: Mapping[str, Sequence[str]] | None = None,
            reader: Callable[[Iterable[str], int | None], Iterator[Result]] | None = None) -> Summary:
    """Read every report under ``paths`` and write them to ``output`` (.xlsx, .csv, .jsonl or .parquet).

    ``paths`` may hold http(s) URLs beside files and folders; ``cache`` is the folder that keeps what was
    fetched (a rerun fetches nothing); ``options`` (:class:`~govreport.settings.ReadOptions`) the bounds on
    each file, the timeouts and limits of fetching and the tuning of reading. ``on_result`` is called with
    each file's result as it comes; ``hierarchy`` (parent agency → children) adds the parent checks. Files
    and URLs that fail are listed in the failures table; the batch never stops. With ``resume=True`` files
    that the existing output already holds are not read again (failed ones are retried). ``reader`` lets
    another executor (Dask, :mod:`govreport.distributed`) do the reading: it is given the names to read as
    they come, and the ``jobs`` asked for.
    """
    check_output(output)

    def local(files: Iterable[str], jobs: int | None) -> Iterator[Result]:
        return read_found(files, jobs=jobs, cache=cache, options=options)

    # A folder converted into a file inside it holds the previous run's output: that is no report.
    own = {os.path.abspath(p) for p in output_files(output)}

    def found(name: str) -> None:
        if os.path.abspath(name) not in own:
            spool.add_file(name, printable_name(name))

    # The names to read and the rows wait on disk, not in memory, until the output is written
    # (:mod:`govreport.spool`).
    with Spool() as spool:
        unreadable = search(paths, found)
        files = spool.count("files")
        if not files and not unreadable:
            raise GovReportError("no report files found (readers handle: "
                                 f"{', '.join(sorted({e for r in available_readers() for e in r.extensions}))})",
                                 ", ".join(os.fspath(p) for p in paths) or None)
        skipped = _resume(spool, output) if resume else 0
        tally = _Tally()
        results = itertools.chain(
            _with_progress((reader or local)(spool.files_to_read(), jobs), spool.count_to_read(), progress),
            unreadable)
        for result in results:
            if on_result is not None:
                on_result(result)
            tally.add(result, spool)
        tally.warnings += _add_cross_checks(spool, hierarchy)
        outputs = write_tables(spool, output)
    return Summary(files + len(unreadable), tally.read, tally.failed, skipped, tally.errors, tally.warnings,
                   tuple(outputs))


def _resume(spool: Spool, output: str | os.PathLike[str]) -> int:
    """Take the reports of an earlier run's output into the spool; returns how many of the files found
    they hold (these are not read again).

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
    return spool.skip_converted()


@attrs.define(repr=False)
class _Tally(FieldRepr):
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
    count = 0
    for group in spool.facts_by_agency():
        count += _add_found(spool, year_on_year_checks(group))
    if hierarchy:
        count += _add_found(spool, hierarchy_checks(spool.facts_of(hierarchy_agencies(hierarchy)), hierarchy))
    return count


def _add_found(spool: Spool, found: Iterable[tuple[str, Finding]]) -> int:
    count = 0
    for path, finding in found:
        spool.add_findings(path, rows_of_findings(path, [finding]))
        spool.count_warnings(path, 1)
        count += 1
    return count


def _with_progress(results: Iterator[Result], total: int, show: bool) -> Iterator[Result]:
    if not show:
        yield from results
        return
    from tqdm import tqdm

    with tqdm(total=total, unit="file", desc="reading", dynamic_ncols=True) as bar:
        for result in results:
            bar.update(1)
            yield result
