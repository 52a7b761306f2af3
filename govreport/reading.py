"""``read()``: from a file or a URL to a :class:`~govreport.model.Report`."""

from __future__ import annotations

import base64
import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import attrs

from . import layout
from .assemble import assemble
from .attachments import attachments, resolve
from .document import Document, Paragraph
from .errors import GovReportError, NotAReportError, UnreadableFileError
from .model import Finding, Metadata, Report, SourceInfo
from .readers import read_document
from .settings import ReadOptions, size_words, using
from .settings import options as options_in_force
from .urls import is_url

if TYPE_CHECKING:
    from .web import Fetcher

#: Bytes of a file or URL, and the name to read them under.
_Opener = Callable[[str], tuple[bytes, str]]


def read(path: str | os.PathLike[str], *, format: str | None = None,
         cache: str | os.PathLike[str] | None = None, options: ReadOptions | None = None) -> Report:
    """Read a report from a file or an http(s) URL; the reader is chosen by the content.

    >>> import govreport
    >>> from govreport.samples import sample
    >>> report = govreport.read(sample())
    >>> report.meta.agency, report.meta.year, report.meta.table3_edition
    ('湘乡市信访局', 2023, '2021')

    ``format`` forces a reader by name (``"txt"``, ``"html"`` …). A page that holds no report but links to
    one (附件: a PDF, DOC or DOCX), or a saved page with its ``NAME_files/`` folder, gives the attachment's
    report, with the page's title, date and agency where the attachment lacks them and both named in
    ``report.source``. URLs are fetched politely (see :mod:`govreport.web`); with ``cache`` a folder keeps
    what was fetched, so that reading again fetches nothing. ``options``
    (:class:`~govreport.settings.ReadOptions`) changes the limits and tuning constants for this read. Raises a
    :class:`~govreport.errors.GovReportError` naming the file or URL when it cannot be read or is no report.
    """
    name = os.fspath(path)
    with using(options) as chosen:
        if is_url(name):
            from .web import Fetcher  # here: a run that reads files never needs the web's modules

            with Fetcher(cache, chosen.web) as fetcher:
                return read_with(name, fetcher, format=format)
        return _read_source(*_open_file(name), format, _opener(None))


def read_with(url: str, fetcher: Fetcher, *, format: str | None = None, options: ReadOptions | None = None) -> Report:
    """Read a report from a URL with a :class:`~govreport.web.Fetcher` the caller keeps (its connections,
    cache and per-host limits are shared by many reads)."""
    with using(options):
        return _read_source(*_fetch(fetcher, url), format, _opener(fetcher))


def read_bytes(data: bytes, name: str | None = None, *, format: str | None = None,
               options: ReadOptions | None = None) -> Report:
    """Read a report from bytes already in memory; ``name`` is used in messages and to break ties."""
    if not data:
        raise UnreadableFileError("the file is empty", name)
    with using(options):
        return assemble(read_document(data, name, format))


def _open_file(name: str) -> tuple[bytes, str]:
    try:
        status = os.stat(name)
        if not stat.S_ISREG(status.st_mode):
            kind = "a folder" if stat.S_ISDIR(status.st_mode) else "not a regular file (a device, a pipe …)"
            raise UnreadableFileError(f"is {kind}, not a file to read", name)
        if status.st_size > options_in_force().limits.max_input_bytes:
            raise UnreadableFileError(f"is {size_words(status.st_size)}, past the limit of "
                                      f"{size_words(options_in_force().limits.max_input_bytes)}", name)
        return Path(name).read_bytes(), name
    except FileNotFoundError as exc:
        raise UnreadableFileError("no such file", name) from exc
    except IsADirectoryError as exc:
        raise UnreadableFileError("is a folder, not a file", name) from exc
    except OSError as exc:
        raise UnreadableFileError(f"cannot open the file ({exc.strerror or exc})", name) from exc


def _fetch(fetcher: Fetcher, url: str) -> tuple[bytes, str]:
    fetched = fetcher.fetch(url)
    return fetched.text_as_utf8(), fetched.final_url


def _opener(fetcher: Fetcher | None) -> _Opener:
    """How a page's attachments are opened: local paths from disk, URLs with the page's fetcher (or a new
    one for a saved page that links to the web)."""
    def open_target(target: str) -> tuple[bytes, str]:
        if not is_url(target):
            return _open_file(target)
        if fetcher is not None:
            return _fetch(fetcher, target)
        from .web import Fetcher

        with Fetcher(settings=options_in_force().web) as own:
            return _fetch(own, target)
    return open_target


def _read_source(data: bytes, name: str, format: str | None, open_target: _Opener) -> Report:
    if not data:
        raise UnreadableFileError("the file is empty", name)
    document = read_document(data, name, format)
    try:
        report: Report | None = assemble(document)
    except NotAReportError as exc:
        report, refusal = None, exc
    else:
        refusal = NotAReportError("the page holds no report", name)
    if report is not None and not _is_empty(report):
        return _with_pictures_read(report, document, open_target)
    targets = attachments(document)[: options_in_force().web.max_attachments]
    tried: list[str] = []
    for target in targets:
        try:
            attached = read_bytes(*open_target(target))
        except GovReportError as exc:
            tried.append(f"{target}: {exc.detail}")
            continue
        if not _is_empty(attached):
            return _with_page(attached, document, report, target)
        tried.append(f"{target}: holds no report")
    if report is not None:
        return report
    if tried:
        raise NotAReportError(f"{refusal.detail}; its attachments hold none either ({'; '.join(tried)})", name)
    raise refusal


def _with_pictures_read(report: Report, document: Document, open_target: _Opener) -> Report:
    """The report, or, when its page shows tables as pictures (its text lacks a table and it has pictures),
    the report read again with the tables OCR finds in them standing where the pictures stood."""
    if not document.pictures or None not in (report.table2, report.table3, report.table4):
        return report
    from . import ocr

    if not ocr.available():
        note = Finding("PARSE-OCR", "warning",
                       f"页面上有 {len(document.pictures)} 张图片，缺少的表格可能在图片中；未安装 OCR 组件"
                       "（pip install govreport[ocr]），图片未读取。")
        return attrs.evolve(report, reading_findings=(*report.reading_findings, note))
    from .pictures import POINTS_PER_PIXEL, picture_blocks

    blocks, containers = list(document.blocks), list(document.containers)
    added = 0
    for picture in document.pictures[: options_in_force().scan.max_page_pictures]:
        data = _picture_bytes(document.path or "", picture.src, open_target)
        if data is None:
            continue
        shown = (picture.width * POINTS_PER_PIXEL, picture.height * POINTS_PER_PIXEL) \
            if picture.width and picture.height else (None, None)
        found = picture_blocks(data, *shown)
        at = picture.index + added
        blocks[at:at] = found
        if containers:
            containers[at:at] = [containers[max(0, at - 1)]] * len(found)  # the nesting of what stands before
        added += len(found)
    if not added:
        return report
    try:
        again = assemble(attrs.evolve(document, blocks=tuple(blocks), containers=tuple(containers)))
    except NotAReportError:
        return report
    return again if _cell_count(again) > _cell_count(report) else report


def _picture_bytes(base: str, src: str, open_target: _Opener) -> bytes | None:
    """A picture's bytes: inline (``data:`` URI), or the file or URL it points to; None when it cannot
    be had (the page's text is read all the same)."""
    if src.startswith("data:"):
        header, _, payload = src.partition(",")
        try:
            return base64.b64decode(payload, validate=False) if header.endswith(";base64") else None
        except ValueError:
            return None
    target = resolve(base, src)
    if target is None:
        return None
    try:
        return open_target(target)[0]
    except GovReportError:
        return None


def _cell_count(report: Report) -> int:
    return sum(len(t.cells) for t in (report.table2, report.table3, report.table4) if t is not None)


def _is_empty(report: Report) -> bool:
    """A report with no table cell and no section text: a page that is only a link or a notice."""
    has_cells = any(t is not None and t.cells for t in (report.table2, report.table3, report.table4))
    return not has_cells and not any(attrs.astuple(report.sections))


def _with_page(report: Report, page: Document, page_report: Report | None, target: str) -> Report:
    """The attachment's report with the page's metadata where it has none, and both in its source."""
    meta = page_report.meta if page_report is not None else _page_metadata(page)
    own = report.meta
    merged = attrs.evolve(own, agency=own.agency or meta.agency, year=own.year or meta.year,
                          title=own.title or meta.title, published=own.published or meta.published)
    source = SourceInfo(target, report.source.format, page=page.path)
    return attrs.evolve(report, meta=merged, source=source)


def _page_metadata(page: Document) -> Metadata:
    """What a page that is no report says about the report it links to: its title, and a date line."""
    title = page.title
    agency, year = layout.title_parts(title) if title else (None, None)
    texts = [b.text for b in page.blocks if isinstance(b, Paragraph)]
    published = next((d for t in texts if (d := layout.published_date(t)) is not None), None)
    return Metadata(agency=agency, year=year, title=title, published=published)
