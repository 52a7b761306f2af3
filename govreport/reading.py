"""``read()``: from a file to a :class:`~govreport.model.Report`."""

from __future__ import annotations

import os
from pathlib import Path

from .assemble import assemble
from .errors import UnreadableFileError
from .model import Report
from .readers import read_document


def read(path: str | os.PathLike[str], *, format: str | None = None) -> Report:
    """Read a report from a file; the reader is chosen by the file's content.

    >>> import govreport
    >>> report = govreport.read("tests/data/seed-001-xiangxiang-xinfang-2023.txt")
    >>> report.meta.agency, report.meta.year, report.meta.table3_edition
    ('湘乡市信访局', 2023, '2021')

    ``format`` forces a reader by name (``"txt"``, ``"html"`` …). Raises a
    :class:`~govreport.errors.GovReportError` naming the file when it cannot be read or is no report.
    """
    name = os.fspath(path)
    try:
        data = Path(name).read_bytes()
    except FileNotFoundError as exc:
        raise UnreadableFileError("no such file", name) from exc
    except IsADirectoryError as exc:
        raise UnreadableFileError("is a folder, not a file", name) from exc
    except OSError as exc:
        raise UnreadableFileError(f"cannot open the file ({exc.strerror or exc})", name) from exc
    return read_bytes(data, name, format=format)


def read_bytes(data: bytes, name: str | None = None, *, format: str | None = None) -> Report:
    """Read a report from bytes already in memory; ``name`` is used in messages and to break ties."""
    if not data:
        raise UnreadableFileError("the file is empty", name)
    return assemble(read_document(data, name, format))
