"""Readers turn a file's bytes into a :class:`~govreport.document.Document`.

A reader is any object with a ``name``, the file ``extensions`` it usually handles, a ``sniff(head)``
method that scores (0–100) how sure it is that the first bytes of a file are its format, and a
``read(data, path)`` method. The registry picks the reader by content, using the extension only to break
ties, so a ``.html`` that is really a DOCX still reads.

Third-party packages add readers through the entry-point group ``govreport.readers``; the entry point
names a reader object or a class to instantiate::

    [project.entry-points."govreport.readers"]
    odt = "mypackage.odt:OdtReader"
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Protocol, runtime_checkable
from urllib.parse import urlsplit

from ..document import Document
from ..errors import GovReportError, UnreadableFileError, UnsupportedFormatError
from ..lazyre import lazy_compile
from ..registry import Registry
from ..settings import options, size_words

ENTRY_POINT_GROUP = "govreport.readers"


@runtime_checkable
class Reader(Protocol):
    """What the registry needs of a reader."""

    name: str

    @property
    def extensions(self) -> tuple[str, ...]:
        """File suffixes (without the dot) the reader usually handles; they break ties between readers."""

    def sniff(self, head: bytes) -> int:
        """How sure (0–100) the reader is that a file starting with ``head`` is its format."""

    def read(self, data: bytes, path: str | None = None) -> Document:
        """Read a whole file. Raise a :class:`~govreport.errors.GovReportError` on bad input."""


REGISTRY: Registry[Reader] = Registry("reader (needs name, extensions, sniff, read)", Reader, ENTRY_POINT_GROUP)

#: How many leading bytes ``sniff`` is shown.
HEAD_SIZE = 8192


def register_reader(reader: Reader, *, replace: bool = False) -> Reader:
    """Add a reader to the registry (``replace=True`` to override one of the same name)."""
    return REGISTRY.register(reader, replace=replace)


def unregister_reader(name: str) -> None:
    REGISTRY.unregister(name)


def available_readers() -> tuple[Reader, ...]:
    """All registered readers, built-in ones first, then those of installed plug-ins."""
    return REGISTRY.available()


@lru_cache(maxsize=16)
def sniff_kind(head: bytes) -> str:
    """A coarse name for what the first bytes of a file are: pdf, docx, xlsx, zip, ole, html, text, binary."""
    if head.startswith(b"%PDF") or b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(head)
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"
    if head.startswith((b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf")):
        return "html" if _looks_like_html(_decode_head(head)) else "text"
    if b"\x00" in head[:4096]:
        return "binary"
    if _looks_like_html(head.decode("latin-1").lower()):
        return "html"
    return "text"


def _decode_head(head: bytes) -> str:
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if head.startswith(bom):
            return head[len(bom):].decode(codec, errors="ignore").lower()
    return ""


def _looks_like_html(text: str) -> bool:
    start = text.lstrip()[:2048]
    markers = ("<!doctype html", "<html", "<head", "<body", "<meta", "<table", "<div", "<p>", "<p ", "<span")
    if not (start.startswith("<") and any(m in start for m in markers)):
        return False
    return not is_markdown(text)


def is_markdown(text: str) -> bool:
    """Whether text that holds HTML is markdown with blocks of HTML in it (pandoc's gfm keeps ``<div>`` blocks
    and tables with merged cells as HTML), not a page or a fragment of one: markdown outside the tags, and
    none of a page's own elements.

    >>> is_markdown('<div class="title">\\n\\n**报告**\\n\\n</div>'), is_markdown("<p>**报告**</p><body>")
    (True, False)
    """
    head = text[:2048].lower()
    return not any(m in head for m in _PAGE_MARKERS) and _MARKDOWN_RE.search(text) is not None


_PAGE_MARKERS = ("<!doctype html", "<html", "<head", "<body")
#: Markdown outside tags: a pipe table's rule line, a heading, bold text, a link or an image.
_MARKDOWN_RE = lazy_compile(r"^\|?[ \t]*:?-{3,}:?[ \t]*\||^#{1,6}[ \t]+\S|\*\*[^*<>\n]+\*\*|\]\([^()\s<>]+\)",
                          re.MULTILINE)


def check_package(package: zipfile.ZipFile, path: str | None) -> None:
    """Refuse a ZIP package (DOCX, XLSX) that would unpack to far more than any report (a zip bomb)."""
    members = package.infolist()
    unpacked = sum(m.file_size for m in members)
    packed = max(1, sum(m.compress_size for m in members))
    # Small packages may compress well (XML); only a large one that grows enormously is a bomb.
    ratio = unpacked / packed
    limits = options().limits
    if unpacked > limits.max_unpacked_bytes or (unpacked > 10 * 1024 * 1024 and ratio > limits.max_pack_ratio):
        raise UnreadableFileError(
            f"the package would unpack to {size_words(unpacked)} ({ratio:.0f} times its size), "
            f"past the limits of {size_words(limits.max_unpacked_bytes)} and {limits.max_pack_ratio}×", path)


def _zip_kind(head: bytes) -> str:
    # The first member's name is in the local header; Office files list [Content_Types].xml or word/ early.
    if b"word/" in head:
        return "docx"
    if b"xl/" in head:
        return "xlsx"
    if _ODT_MIMETYPE in head[:200]:
        return "odt"
    return "zip"


#: The first member of an OpenDocument text file, stored uncompressed so that its type shows in its head.
_ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"


def zip_kind_of(data: bytes) -> str:
    """Look inside a ZIP container for Word or Excel parts."""
    try:
        names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    except zipfile.BadZipFile:
        return "zip"
    if any(n.startswith("word/") for n in names):
        return "docx"
    if any(n.startswith("xl/") for n in names):
        return "xlsx"
    if "content.xml" in names and _ODT_MIMETYPE in data[:200]:
        return "odt"
    return "zip"


_KIND_NAMES = {"pdf": "PDF", "docx": "Word (DOCX)", "xlsx": "Excel (XLSX)", "odt": "OpenDocument text (ODT)",
               "ole": "Word 97–2003 (DOC) or Excel 97–2003", "html": "HTML", "text": "plain text",
               "zip": "ZIP archive", "binary": "binary"}


def choose_reader(data: bytes, path: str | None = None, format: str | None = None) -> Reader:
    """The reader for a file: by name when ``format`` is given, else the best sniff score."""
    return candidate_readers(data, path, format)[0]


def candidate_readers(data: bytes, path: str | None = None, format: str | None = None) -> list[Reader]:
    """The readers that claim a file, most sure first (the file's suffix breaks ties)."""
    available = available_readers()
    if format is not None:
        named = [r for r in available if r.name == format or format in r.extensions]
        if not named:
            raise UnsupportedFormatError(
                f"no reader named {format!r}; available: {', '.join(r.name for r in available)}", path)
        return named[:1]
    head = data[:HEAD_SIZE]
    # A URL's query and fragment are no part of its file name (…/report.pdf?id=3).
    suffix = Path(urlsplit(path).path if "://" in path else path).suffix.lower().lstrip(".") if path else ""
    claims = [(score, reader) for reader in available if (score := _sniff(reader, head)) > 0]
    scored = [(score, suffix in reader.extensions, reader) for score, reader in claims]
    if not scored:
        kind = sniff_kind(head)
        if kind == "zip":
            kind = zip_kind_of(data)
        raise UnsupportedFormatError(
            f"this is a {_KIND_NAMES.get(kind, kind)} file and no installed reader handles it "
            f"(readers: {', '.join(r.name for r in available) or 'none'})", path)
    scored.sort(key=lambda s: (s[0], s[1]), reverse=True)
    return [reader for _, _, reader in scored]


def _sniff(reader: Reader, head: bytes) -> int:
    try:
        return reader.sniff(head)
    except Exception:  # a plug-in's bug must not keep the other readers from the file
        return 0


class Declined(Exception):
    """Raised by a reader that, having looked past the first bytes, finds the file is not of its kind after
    all (a markdown file that starts like an HTML fragment): the next candidate reader is tried."""


def read_document(data: bytes, path: str | None = None, format: str | None = None) -> Document:
    """Read bytes into a document with the best reader that can.

    A reader that refuses the file on purpose (a :class:`GovReportError`) decides. A reader that fails
    unexpectedly (a bug, or its library choking on malformed input) gives way to the next candidate; if
    none succeeds, the error says what each attempt gave.
    """
    attempts: list[str] = []
    for reader in candidate_readers(data, path, format):
        try:
            return reader.read(data, path)
        except Declined as declined:
            attempts.append(f"{reader.name}: declined ({declined})")
        except GovReportError:
            raise
        except Exception as exc:
            attempts.append(f"{reader.name}: {type(exc).__name__}: {exc}")
    raise UnreadableFileError(
        "no reader could read this file, which may be damaged (" + "; ".join(attempts) + ")", path)


#: The file suffixes of the built-in readers, by reader name (kept here so that a reader's module need not
#: be imported to know them).
BUILTIN_EXTENSIONS: dict[str, tuple[str, ...]] = {
    "txt": ("txt", "text", "md", "markdown"), "html": ("html", "htm", "xhtml", "shtml", "mht"),
    "docx": ("docx", "docm"), "doc": ("doc", "dot", "wps", "rtf", "odt"), "xlsx": ("xlsx", "xlsm"), "pdf": ("pdf",),
    "csv": ("csv", "tsv"), "image": ("png", "jpg", "jpeg", "tif", "tiff", "bmp", "webp"),
}


#: The first bytes of the picture files the ``image`` reader reads (PNG, JPEG, TIFF both ways, BMP, and the
#: RIFF container of WebP; the reader looks further at the last two).
PICTURE_PREFIXES = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*", b"BM", b"RIFF")


class _Deferred:
    """A built-in reader whose module (and the library it loads) is imported only when a file of its kind
    comes: a batch of text reports never pays for PDFium."""

    def __init__(self, module: str, kinds: tuple[str, ...], prefixes: tuple[bytes, ...] = (),
                 name: str | None = None, in_folders: bool = True) -> None:
        self.module, self.name, self.kinds, self.prefixes = module, name or module, kinds, prefixes
        self.extensions = BUILTIN_EXTENSIONS[self.name]
        self.in_folders = in_folders

    def _reader(self) -> Reader:
        from importlib import import_module

        reader: Reader = import_module(f"{__name__}.{self.module}").READER
        return reader

    def sniff(self, head: bytes) -> int:
        claimed = head.startswith(self.prefixes) if self.prefixes else False
        return self._reader().sniff(head) if claimed or sniff_kind(head) in self.kinds else 0

    def read(self, data: bytes, path: str | None = None) -> Document:
        return self._reader().read(data, path)


def _register_builtin(names: Iterable[str]) -> None:
    from importlib import import_module

    for name in names:
        module = import_module(f"{__name__}.{name}")
        register_reader(module.READER)


_register_builtin(["text"])
# The module of each built-in reader is its name; the kinds of file (sniff_kind) it may claim.
for _reader in (_Deferred("html", ("html",)), _Deferred("docx", ("docx", "zip")),
                _Deferred("doc", ("ole", "odt"), (b"{\\rtf",)), _Deferred("xlsx", ("xlsx",)),
                _Deferred("pdf", ("pdf",)), _Deferred("delimited", ("text",), name="csv"),
                # A folder of saved pages holds their logos and banners: pictures are read when named.
                _Deferred("image", (), PICTURE_PREFIXES, in_folders=False)):
    register_reader(_reader)
