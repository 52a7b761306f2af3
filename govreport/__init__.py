"""govreport: read, check and convert 政府信息公开工作年度报告.

Read a report from any supported file, check its arithmetic, and flatten it to the keys of
``spec/fields.csv``::

    import govreport

    report = govreport.read("report.txt")          # txt/md; more formats as readers are registered
    print(report.meta.agency, report.meta.year)
    print(report.table3.value("new_received.total"))

    for finding in govreport.validate(report):      # 勾稽关系 and soft checks
        print(finding.severity, finding.rule, finding.message, finding.keys)

    row = govreport.flatten(report)                 # {"meta.agency": ..., "t3.granted.total": ..., ...}

    govreport.write(report, "report.xlsx")          # the official tables in Excel; .docx for Word

    govreport.convert(["reports/"], "all.xlsx")     # a folder of reports to one spreadsheet, in parallel

    diff = govreport.compare("2022.pdf", "2023.pdf")  # two years side by side: cells, texts, findings

Every error govreport raises is a :class:`GovReportError` that names the file. Reading under other limits
or tuning: :class:`ReadOptions` (:mod:`govreport.settings`). Writing a reader or writer for another format:
:mod:`govreport.plugins`. The format itself — labels, flat keys, rules: :mod:`govreport.schema`.
"""

from __future__ import annotations

import warnings
from importlib import import_module
from typing import TYPE_CHECKING, Any

from ._version import __version__
from .errors import (
    GovReportError,
    MissingDependencyError,
    NotAReportError,
    UnreadableFileError,
    UnsupportedFormatError,
    WriterError,
)
from .flatten import flatten
from .model import Cell, Finding, Metadata, Report, Sections, SourceInfo, Table
from .reading import read, read_bytes
from .settings import ReadOptions
from .validate import validate

if TYPE_CHECKING:
    from .batch import read_many
    from .comparison import Comparison, compare
    from .conversion import Summary, convert
    from .crosscheck import cross_check
    from .dataframe import to_dataframe
    from .result import Result
    from .writers import write

#: Names imported on first use: their modules bring openpyxl, python-docx, process pools — a script that
#: reads one text report should not wait for them.
_LAZY = {
    "Result": ".result", "read_many": ".batch", "Comparison": ".comparison", "compare": ".comparison",
    "Summary": ".conversion", "convert": ".conversion", "cross_check": ".crosscheck",
    "to_dataframe": ".dataframe", "write": ".writers",
}

#: Names that moved to the module for their audience: still found here, with a warning that says where.
_MOVED = {
    **dict.fromkeys(["Document", "Paragraph", "TableCell", "Reader", "Writer", "available_readers",
                     "available_writers", "register_reader", "register_writer", "unregister_reader"],
                    "govreport.plugins"),
    "Source": "govreport.model",
    "all_flat_keys": "govreport.schema",
    "flat_keys": "govreport.schema",
}


def __getattr__(name: str) -> Any:
    if name in _MOVED:
        warnings.warn(f"govreport.{name} moved to {_MOVED[name]}.{name}", DeprecationWarning, stacklevel=2)
        return getattr(import_module(_MOVED[name]), name)
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'govreport' has no attribute {name!r}")
    value = getattr(import_module(module, __name__), name)
    globals()[name] = value
    return value



__all__ = [
    "Cell",
    "Comparison",
    "Finding",
    "GovReportError",
    "Metadata",
    "MissingDependencyError",
    "NotAReportError",
    "ReadOptions",
    "Report",
    "Result",
    "Sections",
    "SourceInfo",
    "Summary",
    "Table",
    "UnreadableFileError",
    "UnsupportedFormatError",
    "WriterError",
    "__version__",
    "compare",
    "convert",
    "cross_check",
    "flatten",
    "read",
    "read_bytes",
    "read_many",
    "to_dataframe",
    "validate",
    "write",
]
