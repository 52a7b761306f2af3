"""Reading a batch's files in worker processes, each file bounded in time and memory.

One hostile or broken file must not cost a batch of ten thousand: a worker reads each file under a time
bound (an alarm for Python code, a CPU-time limit that the kernel enforces for code stuck in a C library)
and a memory bound (an address-space limit). A file past a bound, or one that crashes its worker (a
library aborting on a malformed PDF), becomes a failure row; the pool is replaced and the batch goes on.

When a worker dies, the files it may have held are read again one at a time, each in a fresh worker, so
that only the file that kills its worker is recorded as a failure. Their results come after the others.
"""

from __future__ import annotations

import collections
import ctypes
import os
import signal
import sys
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from types import FrameType

from .libreoffice import AHEAD_VARIABLE
from .result import Result, read_one
from .settings import DEFAULT_OPTIONS, Limits, ReadOptions

try:
    import resource
except ImportError:  # Windows: no per-process limits; the pool still survives a crashed worker
    resource = None  # type: ignore[assignment]


class _TimeLimit(BaseException):
    """Raised by the alarm; not an Exception, so that no ``except Exception`` on the way swallows it."""


def read_isolated(files: Iterable[str | Path], jobs: int, options: ReadOptions = DEFAULT_OPTIONS) -> Iterator[Result]:
    """One :class:`Result` per file, in order (files read again after a worker died come last).

    A few files per worker are in flight at a time, not the whole batch: what waits in the pool's queues
    stays small however many files there are. A worker that dies breaks its pool: the files the pool held
    are read again alone at the end, the files not yet given to it go on in a new pool.
    """
    suspects: list[str | Path] = []
    queued = iter(files)
    broken = True
    while broken:
        broken = False
        with _pool(jobs, options.limits) as pool:
            pending: collections.deque[tuple[str | Path, Future[Result]]] = collections.deque()
            while True:
                while not broken and len(pending) < jobs * _IN_FLIGHT_PER_WORKER \
                        and (path := next(queued, None)) is not None:
                    pending.append((path, pool.submit(_bounded_read, path, options)))
                if not pending:
                    break
                path, future = pending.popleft()
                try:
                    yield future.result()
                except BrokenProcessPool:
                    suspects.append(path)
                    broken = True
    for path in suspects:
        yield _alone(path, options)


#: Files submitted ahead per worker: enough to keep every worker busy while results are taken in order.
_IN_FLIGHT_PER_WORKER = 4


def _alone(path: str | Path, options: ReadOptions) -> Result:
    limits = options.limits
    with _pool(1, limits) as pool:
        try:
            return pool.submit(_bounded_read, path, options).result()
        except BrokenProcessPool:
            bounds = []
            if limits.seconds_per_file is not None:
                bounds.append(f"{limits.seconds_per_file:.0f} s of CPU time")
            if limits.memory_per_file is not None:
                bounds.append(f"{limits.memory_per_file / 1024 ** 3:.1f} GB of memory")
            why = f", or went past the limit of {' or '.join(bounds)}" if bounds else ""
            return Result(os.fspath(path), error=f"the reading process was stopped: it crashed{why}",
                          error_type="WorkerDiedError")


def _pool(jobs: int, limits: Limits) -> ProcessPoolExecutor:
    # The folder of conversions made ahead is handed over, not inherited: a fork server started earlier
    # would hand its workers the environment of its own start.
    return ProcessPoolExecutor(max_workers=jobs, initializer=_start_worker,
                               initargs=(limits.memory_per_file, os.getpid(), os.environ.get(AHEAD_VARIABLE)))


def _start_worker(memory: int | None, parent: int, converted_ahead: str | None) -> None:
    """Bound the worker's memory, end it with the process that started it, and let it find what the batch
    converted ahead."""
    if resource is not None and memory is not None:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    if converted_ahead is None:
        os.environ.pop(AHEAD_VARIABLE, None)
    else:
        os.environ[AHEAD_VARIABLE] = converted_ahead
    _die_with_parent(parent)


def _die_with_parent(parent: int) -> None:
    """On Linux, ask the kernel to kill this worker when its parent dies: a batch killed from outside
    (kill -9, an out-of-memory killer) must not leave workers waiting forever on a queue that the other
    workers keep open. Elsewhere the workers end when they next look for work."""
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent died before the request was made
        os._exit(1)


_PR_SET_PDEATHSIG = 1


def _bounded_read(path: str | Path, options: ReadOptions) -> Result:
    """Read one file in a worker under the time bound: an alarm stops Python code at the bound; the CPU
    limit, set a little later, stops the worker if a C library ignores the alarm."""
    seconds = options.limits.seconds_per_file
    if seconds is None or resource is None:
        return read_one(path, options=options)
    used = resource.getrusage(resource.RUSAGE_SELF)
    spent = int(used.ru_utime + used.ru_stime)
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    resource.setrlimit(resource.RLIMIT_CPU, (spent + int(seconds * 1.5) + 1, hard))
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        return read_one(path, options=options)
    except _TimeLimit:
        return Result(os.fspath(path), error=f"reading took longer than the limit of {seconds:.0f} s",
                      error_type="TimeLimitError")
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        resource.setrlimit(resource.RLIMIT_CPU, (hard, hard))


def _on_alarm(signum: int, frame: FrameType | None) -> None:
    raise _TimeLimit
