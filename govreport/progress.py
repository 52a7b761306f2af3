"""Progress of reads that take seconds (OCR page by page, a LibreOffice conversion), for whoever shows it.

Readers call :func:`advance`; a front end that wants to show progress wraps the read in :func:`listen`.
Nothing is shown, and nothing costs, when nobody listens.

>>> seen = []
>>> with listen(lambda what, done, total: seen.append((what, done, total))):
...     advance("OCR", 1, 3)
>>> seen
[('OCR', 1, 3)]
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

Listener = Callable[[str, int, int], None]

_LISTENER: ContextVar[Listener | None] = ContextVar("govreport_progress", default=None)


@contextmanager
def listen(listener: Listener) -> Iterator[None]:
    """Send the progress of reads inside the block to ``listener(what, done, total)``."""
    token = _LISTENER.set(listener)
    try:
        yield
    finally:
        _LISTENER.reset(token)


def advance(what: str, done: int, total: int) -> None:
    """Say that ``done`` of ``total`` steps of ``what`` are finished."""
    listener = _LISTENER.get()
    if listener is not None:
        listener(what, done, total)
