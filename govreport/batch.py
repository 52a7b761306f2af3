"""Many reports at once: find the files, read them in parallel, check reports against each other.

>>> import govreport
>>> results = list(govreport.read_many(["tests/data/seed-000-suide-xinfang-2023.txt", "missing.txt"], jobs=1))
>>> [(r.ok, r.error_type) for r in results]
[(True, None), (False, 'UnreadableFileError')]
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import attrs

from .errors import GovReportError
from .model import Finding, Report
from .readers import available_readers
from .reading import read, read_with
from .settings import LIMITS, WEB, Limits, WebSettings
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
                # Not only regular files: a pipe or a device named like a report gets its failure row.
                if not child.is_dir() and child.suffix.lower() in suffixes and not child.name.startswith((".", "~$")):
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
    except MemoryError:
        return Result(name, error="reading needed more memory than the limit allows", error_type="MemoryLimitError")
    except Exception as exc:  # a bug of ours must not stop a batch of thousands
        return Result(name, error=f"internal error, please report it: {type(exc).__name__}: {exc}",
                      error_type="InternalError")


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def read_many(paths: Iterable[str | os.PathLike[str]], *, jobs: int | None = None,
              cache: str | os.PathLike[str] | None = None, web: WebSettings = WEB,
              limits: Limits = LIMITS) -> Iterator[Result]:
    """Read many files (folders are searched recursively) and URLs, yielding one :class:`Result` each: the
    files, then the URLs, each in the order given.

    ``jobs`` processes read files in parallel (default: every core), each file bounded in time and memory by
    ``limits`` (:class:`~govreport.settings.Limits`); a file that passes a bound or crashes its process is a
    failure and the batch goes on (:mod:`govreport.isolation`). ``jobs=1`` reads in this process, unbounded,
    for debugging. URLs are fetched by threads of this process sharing one
    :class:`~govreport.web.Fetcher`, so that its per-host limit holds for the whole batch; ``cache`` is its
    folder, ``web`` its timeouts and limits. A file or URL that cannot be read yields a result with its error.
    """
    found = find_files(paths)
    urls = [f for f in found if isinstance(f, str)]
    yield from _read_files([f for f in found if isinstance(f, Path)], jobs, limits)
    if urls:
        yield from _read_urls(urls, cache, web)


def _read_urls(urls: list[str], cache: str | os.PathLike[str] | None, web: WebSettings) -> Iterator[Result]:
    # More threads than the per-host limit lets pages of different hosts proceed side by side.
    with Fetcher(cache, web) as fetcher, ThreadPoolExecutor(max_workers=web.threads) as pool:
        futures = [pool.submit(read_one, url, fetcher) for url in urls]
        for future in futures:  # in the order given: the same list gives the same output
            yield future.result()


def _read_files(files: list[Path], jobs: int | None, limits: Limits) -> Iterator[Result]:
    jobs = default_jobs() if jobs is None else max(1, jobs)
    if jobs == 1 or len(files) <= 1:
        yield from (read_one(f) for f in files)
        return
    from .isolation import read_isolated  # imported here: it imports this module

    yield from read_isolated(files, jobs, limits)


# Kept here too: the cross-report checks were first part of this module.
