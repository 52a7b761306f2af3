"""The exceptions govreport raises. Every one names the file it is about."""

from __future__ import annotations

from os import PathLike


class GovReportError(Exception):
    """Base class of every error govreport raises on purpose.

    ``path`` is the file concerned (or ``None`` for in-memory input); ``str(err)`` names it.
    """

    def __init__(self, message: str, path: str | PathLike[str] | None = None) -> None:
        self.path = None if path is None else str(path)
        self.detail = message
        super().__init__(f"{self.path}: {message}" if self.path else message)


class UnreadableFileError(GovReportError):
    """The file cannot be opened or decoded (missing, permission denied, corrupt, wrong encoding)."""


class UnsupportedFormatError(GovReportError):
    """No registered reader handles this kind of file."""


class NotAReportError(GovReportError):
    """The file was read, but it holds nothing that looks like an annual disclosure report."""


class MissingDependencyError(GovReportError):
    """A reader needs a program or an optional extra that is not installed (LibreOffice, OCR)."""


class WriterError(GovReportError):
    """A report could not be written in the requested format."""
