"""Many reports at once: find the files, read them in parallel, check reports against each other.

>>> import govreport
>>> from govreport.samples import sample
>>> results = list(govreport.read_many([sample("suide-xinfang-2023.txt"), "missing.txt"], jobs=1))
>>> [(r.ok, r.error_type) for r in results]
[(True, None), (False, 'UnreadableFileError')]
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import attrs

from .fieldrepr import FieldRepr
from .readers import available_readers
from .result import Result, read_one
from .settings import ReadOptions
from .settings import options as options_in_force
from .urls import is_url
from .web import Fetcher


@attrs.frozen(repr=False)
class Discovery(FieldRepr):
    """What a search of the paths found: the files and URLs to read (as text: a batch of a hundred thousand
    keeps its list small), and the folders it could not list (each a failed :class:`Result`, so that a
    batch says what it could not see)."""

    files: tuple[str, ...]
    unreadable: tuple[Result, ...] = ()


def discover(paths: Iterable[str | os.PathLike[str]]) -> Discovery:
    """The files to read: files as given, and in folders (recursively, following links to folders once
    each, so a link loop ends) every file a reader handles; hidden files and folders and Office lock files
    are passed over. URLs are kept as they are."""
    found: dict[str, None] = {}
    unreadable = search(paths, lambda name: found.setdefault(name, None))
    return Discovery(tuple(found), tuple(unreadable))


def search(paths: Iterable[str | os.PathLike[str]], found: Callable[[str], object]) -> list[Result]:
    """:func:`discover`, handing each file or URL to ``found`` as it is found (it may be found twice:
    ``found`` keeps the first) rather than holding the list; returns the folders that could not be
    searched."""
    # A reader may keep its files out of folder searches (pictures: a saved page's logos are no reports).
    suffixes = {f".{e}" for reader in available_readers() if getattr(reader, "in_folders", True)
                for e in reader.extensions}
    walk = _Walk(suffixes, found)
    for name in paths:
        text = os.fspath(name)
        if is_url(text):
            found(text)
        elif os.path.isdir(text):
            walk.visit(text)
        else:
            found(os.path.normpath(text))
    return walk.unreadable


def find_files(paths: Iterable[str | os.PathLike[str]]) -> list[Path | str]:
    """The files (as paths) and URLs (as text) :func:`discover` finds."""
    return [f if is_url(f) else Path(f) for f in discover(paths).files]


@attrs.define(repr=False)
class _Walk(FieldRepr):
    suffixes: set[str]
    #: Called with each file found, in order.
    found: Callable[[str], object]
    unreadable: list[Result] = attrs.field(factory=list)
    seen: set[tuple[int, int]] = attrs.field(factory=set)

    def visit(self, folder: str) -> None:
        try:
            status = os.stat(folder)
            if (status.st_dev, status.st_ino) in self.seen:
                return  # a link back to a folder already searched
            self.seen.add((status.st_dev, status.st_ino))
            entries = self._listing(folder)
        except OSError as exc:
            self.unreadable.append(Result(folder, error=f"{folder}: the folder cannot be searched "
                                                        f"({exc.strerror or exc})",
                                          error_type="UnreadableFolderError"))
            return
        for name, is_folder in entries:
            if is_folder:
                self.visit(os.path.join(folder, name))
            else:
                self.found(os.path.join(folder, name))

    def _listing(self, folder: str) -> list[tuple[str, bool]]:
        """The names in a folder worth a look, sorted, each with whether it is a folder. Only names are
        kept, not the listing's entries: a folder may hold a hundred thousand files."""
        kept: list[tuple[str, bool]] = []
        with os.scandir(folder) as listing:
            for entry in listing:
                if entry.name.startswith((".", "~$")):
                    continue
                if _is_folder(entry):
                    kept.append((entry.name, True))
                elif os.path.splitext(entry.name)[1].lower() in self.suffixes:
                    # Not only regular files: a pipe, a device or a broken link named like a report gets
                    # its failure row.
                    kept.append((entry.name, False))
        kept.sort()
        return kept


def _is_folder(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def read_many(paths: Iterable[str | os.PathLike[str]], *, jobs: int | None = None,
              cache: str | os.PathLike[str] | None = None, options: ReadOptions | None = None) -> Iterator[Result]:
    """Read many files (folders are searched recursively) and URLs, yielding one :class:`Result` each: the
    files, then the URLs, each in the order given.

    ``jobs`` processes read files in parallel (default: every core), each file bounded in time and memory by
    the ``limits`` of ``options`` (:class:`~govreport.settings.ReadOptions`, which also holds every other
    limit and tuning constant of reading); a file that passes a bound or crashes its process is a failure
    and the batch goes on (:mod:`govreport.isolation`). ``jobs=1`` reads in this process, unbounded, for
    debugging. URLs are fetched by threads of this process sharing one :class:`~govreport.web.Fetcher`, so
    that its per-host limit holds for the whole batch; ``cache`` is its folder, ``options.web`` its timeouts
    and limits. A file or URL that cannot be read yields a result with its error, and so does a folder that
    cannot be searched (after the rest).
    """
    found = discover(paths)
    yield from read_found(found.files, jobs=jobs, cache=cache, options=options)
    yield from found.unreadable


def read_found(files: Iterable[str], *, jobs: int | None = None, cache: str | os.PathLike[str] | None = None,
               options: ReadOptions | None = None) -> Iterator[Result]:
    """Like :func:`read_many` for what :func:`discover` found, taken as it comes (a batch of a hundred
    thousand need not hold its list of names): the files, then the URLs, searched no more."""
    urls: list[str] = []

    def local_files() -> Iterator[str]:
        for name in files:
            if is_url(name):
                urls.append(name)
            else:
                yield name

    chosen = options or options_in_force()
    yield from _read_files(local_files(), jobs, chosen)
    if urls:
        yield from _read_urls(urls, cache, chosen)


def _read_urls(urls: list[str], cache: str | os.PathLike[str] | None, options: ReadOptions) -> Iterator[Result]:
    # More threads than the per-host limit lets pages of different hosts proceed side by side. The threads
    # are handed the options: they do not share this thread's context.
    web = options.web
    with Fetcher(cache, web) as fetcher, ThreadPoolExecutor(max_workers=web.threads) as pool:
        futures = [pool.submit(read_one, url, fetcher, options) for url in urls]
        for future in futures:  # in the order given: the same list gives the same output
            yield future.result()


def _read_files(files: Iterable[str], jobs: int | None, options: ReadOptions) -> Iterator[Result]:
    jobs = default_jobs() if jobs is None else max(1, jobs)
    queued = iter(files)
    first = list(itertools.islice(queued, 2))
    if len(first) <= 1:
        yield from (read_one(f, options=options) for f in first)
        return
    from . import libreoffice

    with libreoffice.converted_ahead():
        ahead = _legacy_converted_ahead(itertools.chain(first, queued), options.limits.legacy_files_ahead)
        if jobs == 1:
            yield from (read_one(f, options=options) for f in ahead)
            return
        from .isolation import read_isolated  # imported here: it imports this module

        yield from read_isolated(ahead, jobs, options)


def _legacy_converted_ahead(files: Iterator[str], window: int) -> Iterator[str]:
    """The files as they come, the legacy Word files among each ``window`` of them (DOC, WPS, RTF, ODT)
    converted to DOCX first in one LibreOffice run: a second to start it, then tens of milliseconds a file,
    where a run per file takes the second every time."""
    from . import libreoffice
    from .readers import HEAD_SIZE
    from .readers.doc import READER as DOC_READER

    legacy = {f".{e}" for e in DOC_READER.extensions}
    while chunk := list(itertools.islice(files, window)):
        sources = []
        for name in chunk:
            if os.path.splitext(name)[1].lower() in legacy:
                data = _bytes_of(name)
                if data is not None and DOC_READER.sniff(data[:HEAD_SIZE]):
                    sources.append((data, DOC_READER.suffix_of(data)))
        if len(sources) > 1:
            libreoffice.convert_ahead(sources, DOC_READER.target)
        yield from chunk


def _bytes_of(name: str) -> bytes | None:
    try:
        return Path(name).read_bytes()
    except OSError:
        return None  # the file's own read reports why


# Kept here too: the cross-report checks were first part of this module.
