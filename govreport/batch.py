"""Many reports at once: find the files, read them in parallel, check reports against each other.

>>> import govreport
>>> results = list(govreport.read_many(["tests/data/seed-000-suide-xinfang-2023.txt", "missing.txt"], jobs=1))
>>> [(r.ok, r.error_type) for r in results]
[(True, None), (False, 'UnreadableFileError')]
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor, as_completed
from pathlib import Path

import attrs

from .errors import GovReportError
from .model import Finding, Report
from .readers import available_readers
from .reading import read, read_with
from .settings import WEB, WebSettings
from .validate import validate
from .web import Fetcher, is_url


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


def find_files(paths: Iterable[str | os.PathLike[str]]) -> list[Path | str]:
    """The files to read: files as given, and in folders (recursively) every file a reader handles. URLs
    are kept as they are (strings)."""
    suffixes = {f".{e}" for reader in available_readers() for e in reader.extensions}
    found: dict[str, Path | str] = {}
    for name in paths:
        if is_url(os.fspath(name)):
            found.setdefault(os.fspath(name), os.fspath(name))
            continue
        path = Path(name)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and child.suffix.lower() in suffixes and not child.name.startswith((".", "~$")):
                    found.setdefault(str(child), child)
        else:
            found.setdefault(str(path), path)
    return list(found.values())


def read_one(path: str | os.PathLike[str], fetcher: Fetcher | None = None) -> Result:
    """Read and check one file or URL; never raises for a bad one. URLs are fetched with ``fetcher``."""
    name = os.fspath(path)
    try:
        report = read_with(name, fetcher) if fetcher is not None and is_url(name) else read(name)
        return Result(name, report, tuple(validate(report)))
    except GovReportError as exc:
        return Result(name, error=exc.detail, error_type=type(exc).__name__)
    except Exception as exc:  # a bug of ours must not stop a batch of thousands
        return Result(name, error=f"internal error, please report it: {type(exc).__name__}: {exc}",
                      error_type="InternalError")


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def read_many(paths: Iterable[str | os.PathLike[str]], *, jobs: int | None = None,
              chunksize: int | None = None, cache: str | os.PathLike[str] | None = None,
              web: WebSettings = WEB) -> Iterator[Result]:
    """Read many files (folders are searched recursively) and URLs, yielding one :class:`Result` each: the files in
    order, then the URLs as they finish.

    ``jobs`` processes read files in parallel (default: every core; 1 reads in this process). URLs are fetched
    by threads of this process sharing one :class:`~govreport.web.Fetcher`, so that its per-host limit holds for
    the whole batch; ``cache`` is its folder, ``web`` its timeouts and limits. A file or URL that cannot be read
    yields a result with its error; the batch goes on.
    """
    found = find_files(paths)
    urls = [f for f in found if isinstance(f, str)]
    yield from _read_files([f for f in found if isinstance(f, Path)], jobs, chunksize)
    if urls:
        yield from _read_urls(urls, cache, web)


def _read_urls(urls: list[str], cache: str | os.PathLike[str] | None, web: WebSettings) -> Iterator[Result]:
    # More threads than the per-host limit lets pages of different hosts proceed side by side.
    with Fetcher(cache, web) as fetcher, ThreadPoolExecutor(max_workers=web.threads) as pool:
        futures = [pool.submit(read_one, url, fetcher) for url in urls]
        for future in as_completed(futures):
            yield future.result()


def _read_files(files: list[Path], jobs: int | None, chunksize: int | None) -> Iterator[Result]:
    jobs = default_jobs() if jobs is None else max(1, jobs)
    if jobs == 1 or len(files) <= 1:
        yield from (read_one(f) for f in files)
        return
    # Chunks big enough that sending work to the processes costs less than the work, small enough to
    # keep every process busy to the end.
    chunksize = chunksize or max(1, min(32, len(files) // (jobs * 8)))
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        yield from pool.map(read_one, files, chunksize=chunksize)


# Kept here too: the cross-report checks were first part of this module.
