"""Writers turn a :class:`~govreport.model.Report` into a file: the official Excel and Word layouts.

A writer has a ``name``, the ``extensions`` it writes and ``write(report, stream)``. :func:`write` picks one
by the file's extension (or ``format=``) and writes atomically: the file appears complete or not at all.
Third-party writers register through the entry-point group ``govreport.writers``.

>>> import govreport
>>> from govreport.samples import sample
>>> report = govreport.read(sample())
>>> path = govreport.write(report, getfixture("tmp_path") / "report.xlsx")
>>> govreport.read(path) == report
True
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import BinaryIO, Protocol, runtime_checkable

from ..atomic import atomic_output
from ..errors import GovReportError, WriterError
from ..model import Report
from ..registry import Registry

ENTRY_POINT_GROUP = "govreport.writers"


@runtime_checkable
class Writer(Protocol):
    name: str
    extensions: tuple[str, ...]

    def write(self, report: Report, stream: BinaryIO) -> None:
        """Write the whole report to a binary stream."""


REGISTRY: Registry[Writer] = Registry("writer (needs name, extensions, write)", Writer, ENTRY_POINT_GROUP)


def register_writer(writer: Writer, *, replace: bool = False) -> Writer:
    """Add a writer to the registry (``replace=True`` to override one of the same name)."""
    return REGISTRY.register(writer, replace=replace)


def unregister_writer(name: str) -> None:
    """Remove a writer by its name (a built-in one too: a plug-in may stand in for it)."""
    REGISTRY.unregister(name)


def available_writers() -> tuple[Writer, ...]:
    """All registered writers, built-in ones first, then those of installed plug-ins."""
    return REGISTRY.available()


def writer_for(path: str | os.PathLike[str] | None, format: str | None = None) -> Writer:
    wanted = (format or Path(os.fspath(path or "")).suffix.lstrip(".")).lower()
    for writer in available_writers():
        if wanted == writer.name or wanted in writer.extensions:
            return writer
    names = ", ".join(f".{e}" for w in available_writers() for e in w.extensions)
    raise WriterError(f"no writer for {wanted or 'files without an extension'!r} (available: {names})",
                      None if path is None else os.fspath(path))


def write(report: Report, path: str | os.PathLike[str], *, format: str | None = None) -> Path:
    """Write a report to ``path`` (``.xlsx`` or ``.docx``, or as ``format`` says); returns the path.

    The file is written to a temporary name beside the target and renamed into place, so an interrupted
    write never leaves half a file.
    """
    target = Path(os.fspath(path))
    writer = writer_for(target, format)
    try:
        with atomic_output(target) as stream:
            writer.write(report, stream)
    except GovReportError:
        raise
    except Exception as exc:
        raise WriterError(f"could not write the {writer.name} file ({type(exc).__name__}: {exc})", target) from exc
    return target


def _register_builtin() -> None:
    from .docx import WRITER as DOCX_WRITER
    from .xlsx import WRITER as XLSX_WRITER

    register_writer(XLSX_WRITER)
    register_writer(DOCX_WRITER)


_register_builtin()
