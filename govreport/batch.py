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


@attrs.frozen
class Discovery:
    """What a search of the paths found: the files and URLs to read (as text: a batch of a hundred thousand
    keeps its list small), and the folders it could not list (each a failed :class:`Result`, so that a
    batch says what it could not see)."""

    files: tuple[str, ...]
    unreadable: tuple[Result, ...] = ()


def discover(paths: Iterable[str | os.PathLike[str]]) -> Discovery:
    """The files to read: files as given, and in folders (recursively, following links to folders once
    each, so a link loop ends) every file a reader handles; hidden files and folders and Office lock files
    are passed over. URLs are kept as they are."""
    suffixes = {f".{e}" for reader in available_readers() for e in reader.extensions}
    walk = _Walk(suffixes)
    for name in paths:
        text = os.fspath(name)
        if is_url(text):
            walk.found.setdefault(text, None)
        elif os.path.isdir(text):
            walk.visit(text)
        else:
            walk.found.setdefault(os.path.normpath(text), None)
    return Discovery(tuple(walk.found), tuple(walk.unreadable))


def find_files(paths: Iterable[str | os.PathLike[str]]) -> list[Path | str]:
    """The files (as paths) and URLs (as text) :func:`discover` finds."""
    return [f if is_url(f) else Path(f) for f in discover(paths).files]


@attrs.define
class _Walk:
    suffixes: set[str]
    #: The files found, in order (a dict: each once).
    found: dict[str, None] = attrs.field(factory=dict)
    unreadable: list[Result] = attrs.field(factory=list)
    seen: set[tuple[int, int]] = attrs.field(factory=set)

    def visit(self, folder: str) -> None:
        try:
            status = os.stat(folder)
            if (status.st_dev, status.st_ino) in self.seen:
                return  # a link back to a folder already searched
            self.seen.add((status.st_dev, status.st_ino))
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda e: e.name)
        except OSError as exc:
            self.unreadable.append(Result(folder, error=f"{folder}: the folder cannot be searched "
                                                        f"({exc.strerror or exc})",
                                          error_type="UnreadableFolderError"))
            return
        for entry in entries:
            if entry.name.startswith((".", "~$")):
                continue
            if _is_folder(entry):
                self.visit(entry.path)
            elif os.path.splitext(entry.name)[1].lower() in self.suffixes:
                # Not only regular files: a pipe, a device or a broken link named like a report gets its
                # failure row.
                self.found.setdefault(entry.path, None)


def _is_folder(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


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
    folder, ``web`` its timeouts and limits. A file or URL that cannot be read yields a result with its error,
    and so does a folder that cannot be searched (after the rest).
    """
    found = discover(paths)
    urls = [f for f in found.files if is_url(f)]
    yield from _read_files([f for f in found.files if not is_url(f)], jobs, limits)
    if urls:
        yield from _read_urls(urls, cache, web)
    yield from found.unreadable


def _read_urls(urls: list[str], cache: str | os.PathLike[str] | None, web: WebSettings) -> Iterator[Result]:
    # More threads than the per-host limit lets pages of different hosts proceed side by side.
    with Fetcher(cache, web) as fetcher, ThreadPoolExecutor(max_workers=web.threads) as pool:
        futures = [pool.submit(read_one, url, fetcher) for url in urls]
        for future in futures:  # in the order given: the same list gives the same output
            yield future.result()


def _read_files(files: list[str], jobs: int | None, limits: Limits) -> Iterator[Result]:
    jobs = default_jobs() if jobs is None else max(1, jobs)
    if jobs == 1 or len(files) <= 1:
        yield from (read_one(f) for f in files)
        return
    from .isolation import read_isolated  # imported here: it imports this module

    yield from read_isolated(files, jobs, limits)


# Kept here too: the cross-report checks were first part of this module.
