"""Where a page's report really is: its attachments (附件).

Portals often publish the report as a PDF, DOC or DOCX linked from a page whose body is one line; a page
saved from a browser keeps its attachments in a ``NAME_files/`` folder beside it. This module lists those
documents, most report-like first; :mod:`govreport.reading` reads them when the page itself holds no
report, and the page lends the report the metadata the attachment lacks.

>>> from govreport.document import Document, Link
>>> page = Document.of([], "html", "https://www.example.gov.cn/xxgk/2024/page.html", links=[
...     Link("附件：2023年图片.jpg", "pic.jpg"), Link("附件1：统计表.xlsx", "files/t.xlsx"),
...     Link("2023年政府信息公开工作年度报告", "../files/report.pdf")])
>>> attachments(page)
['https://www.example.gov.cn/xxgk/files/report.pdf', 'https://www.example.gov.cn/xxgk/2024/files/t.xlsx']
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from .document import Document, Link
from .urls import is_url

#: Files a report is published as.
DOCUMENT_SUFFIXES = (".pdf", ".doc", ".docx", ".wps", ".rtf", ".xlsx", ".xls")
#: Words of a link or file name that say it is the report itself.
_REPORT_WORDS = ("年度报告", "年报", "政府信息公开")


def attachments(document: Document) -> list[str]:
    """The documents a page links to or keeps beside it (URLs or paths), the most report-like first."""
    base = document.path or ""
    found: dict[str, int] = {}
    for order, link in enumerate(document.links):
        if _is_document(link):
            target = resolve(base, link.href)
            if target is not None:
                found.setdefault(target, _rank(link.text + " " + unquote(link.href), order))
    if base and not is_url(base):
        folder = Path(base).with_name(Path(base).stem + "_files")
        if folder.is_dir():
            for order, child in enumerate(sorted(folder.iterdir()), start=len(found)):
                if child.is_file() and child.suffix.lower() in DOCUMENT_SUFFIXES:
                    found.setdefault(str(child), _rank(child.name, order))
    return sorted(found, key=found.__getitem__)


def _is_document(link: Link) -> bool:
    path = urlsplit(link.href).path.lower()
    return path.endswith(DOCUMENT_SUFFIXES) or link.text.lower().endswith(DOCUMENT_SUFFIXES)


def _rank(words: str, order: int) -> int:
    """Links that name the report come first, then the page's order."""
    return order - (10_000 if any(w in words for w in _REPORT_WORDS) else 0)


def resolve(base: str, href: str) -> str | None:
    """A link's target as a URL, or as a local path for a saved page."""
    if is_url(href):
        return href
    if is_url(base):
        return urljoin(base, href)
    if urlsplit(href).scheme:
        return None  # ftp:, file: and the like are not followed
    relative = unquote(urlsplit(href).path)
    return str(Path(base).parent / relative) if relative else None
