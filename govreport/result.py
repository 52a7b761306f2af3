"""One file read and checked, whatever happens: a :class:`Result` holds the report and its findings, or the
error that stopped the reading. What a batch is made of, in this process or in a worker.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import attrs

from .errors import GovReportError
from .fieldrepr import FieldRepr
from .model import Finding, Report
from .reading import read, read_with
from .settings import ReadOptions
from .urls import is_url
from .validate import validate

if TYPE_CHECKING:
    from .web import Fetcher


@attrs.frozen(repr=False)
class Result(FieldRepr):
    """What reading one file gave: a report and its findings, or the error that stopped it."""

    path: str
    report: Report | None = None
    findings: tuple[Finding, ...] = ()
    error: str | None = None
    error_type: str | None = None

    @property
    def ok(self) -> bool:
        return self.report is not None



def read_one(path: str | os.PathLike[str], fetcher: Fetcher | None = None,
             options: ReadOptions | None = None) -> Result:
    """Read and check one file or URL; never raises for a bad one. URLs are fetched with ``fetcher``."""
    name = os.fspath(path)
    try:
        if fetcher is not None and is_url(name):
            report = read_with(name, fetcher, options=options)
        else:
            report = read(name, options=options)
        return Result(name, report, tuple(validate(report)))
    except GovReportError as exc:
        return Result(name, error=exc.detail, error_type=type(exc).__name__)
    except MemoryError:
        return Result(name, error="reading needed more memory than the limit allows", error_type="MemoryLimitError")
    except Exception as exc:  # a bug of ours must not stop a batch of thousands
        return Result(name, error=f"internal error, please report it: {type(exc).__name__}: {exc}",
                      error_type="InternalError")
