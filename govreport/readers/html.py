"""HTML: report pages saved from government portals, fragments, Word exports.

The page is parsed with lxml and walked once in document order. Block elements and ``<br>`` end a
paragraph; inline elements (``<span>``, ``<font>``, Word's ``<o:p>``) only add their text, so a label or a
number split across spans ("2"+"0") is whole again. Tables become grids with rowspan/colspan expanded;
a table that holds other tables is page layout, and its cells are read as running text.

Portals wrap the report in navigation, metadata tables and footers. The body is taken to be the smallest
element that holds the report's section headings; a title printed outside it (the page's ``<h1>``, or
``<title>``) is passed on as the document title.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from lxml import etree

from ..document import Block, Document, Link, Paragraph, Picture, build_table
from ..document import Table as GridTable
from ..errors import NotAReportError, UnreadableFileError
from ..lazyre import lazy_compile
from ..mojibake import unmangled
from ..normalize import squash_space
from ..settings import options, size_words
from . import BUILTIN_EXTENSIONS, Declined, is_markdown, sniff_kind

_SKIP = frozenset({
    "script", "style", "noscript", "iframe", "select", "option", "button", "input", "textarea", "svg",
    "template", "object", "embed", "head", "title", "meta", "link", "map", "canvas", "audio", "video",
})
_BLOCK = frozenset({
    "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd", "blockquote", "pre",
    "section", "article", "header", "footer", "nav", "aside", "main", "center", "address", "form",
    "fieldset", "figure", "figcaption", "hr", "caption", "body", "html", "ucapcontent", "tr", "td", "th",
    "table", "tbody", "thead", "tfoot",
})
_SPACE_RE = lazy_compile(r"[ \t\r\n\f]+")
_CHARSET_RE = lazy_compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
_XML_DECL_RE = lazy_compile(rb"^\s*<\?xml[^>]*\?>")
_TITLE_SPLIT_RE = lazy_compile(r"\s*(?:[_|｜]|\s-\s|-(?=[^\d]))\s*")

#: Charsets whose declared name understates what pages really use.
_SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030"}


def decode_html(data: bytes) -> str:
    """Bytes to text: BOM, then valid UTF-8, then a ``<meta charset>`` declaration, then detection."""
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if data.startswith(bom):
            return data[len(bom):].decode(codec, errors="replace")
    # Non-ASCII text that is valid UTF-8 is UTF-8 whatever the page declares: pages converted to UTF-8
    # keep their old <meta charset=gb2312>, and GBK text is almost never valid UTF-8 by chance.
    if not data.isascii():
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            pass
    declared = _CHARSET_RE.search(data[:4096])
    if declared:
        name = declared.group(1).decode("ascii").lower()
        name = _SUPERSETS.get(name, name)
        try:
            return data.decode(name, errors="replace")
        except LookupError:
            pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        from charset_normalizer import from_bytes  # only for pages that are not UTF-8

        match = from_bytes(data, cp_isolation=["utf_8", "gb18030", "big5", "utf_16_le", "utf_16_be"]).best()
        return str(match) if match is not None else data.decode("gb18030", errors="replace")


_INLINE, _SKIPPED, _BLOCKY, _BREAK, _TABLE = range(5)
_KIND = {**{t: _SKIPPED for t in _SKIP}, **{t: _BLOCKY for t in _BLOCK}, "br": _BREAK, "table": _TABLE}


class _Builder:
    """Collects paragraphs and tables while the tree is walked, remembering the element of each."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.owners: list[etree._Element] = []
        self.parts: list[str] = []
        self.pictures: list[Picture] = []

    def flush(self, owner: etree._Element) -> None:
        if not self.parts:
            return
        text = _SPACE_RE.sub(" ", "".join(self.parts)).strip(" ")
        self.parts = []
        if text.strip(" \u00a0\u3000"):
            self.blocks.append(Paragraph(text))
            self.owners.append(owner)

    def table(self, table: GridTable, owner: etree._Element) -> None:
        self.flush(owner)
        self.blocks.append(table)
        self.owners.append(owner)

    def picture(self, image: etree._Element, owner: etree._Element) -> None:
        src = (image.get("src") or "").strip()
        if src:
            self.flush(owner)
            self.pictures.append(Picture(src, len(self.blocks), _pixels(image, "width"), _pixels(image, "height")))


def _walk(root: etree._Element) -> _Builder:
    """One pass over the tree in document order (a flat loop: pages are thousands of spans deep in Word)."""
    out = _Builder()
    blocks: list[etree._Element] = [root]
    layout_tables: set[etree._Element] = set()
    walker = etree.iterwalk(root, events=("start", "end"))
    for event, element in walker:
        tag = element.tag
        kind = _KIND.get(tag, _INLINE) if isinstance(tag, str) else _SKIPPED
        if event == "start":
            if kind == _SKIPPED:
                walker.skip_subtree()
                continue
            if kind == _TABLE:
                if _has_nested_table(element):
                    layout_tables.add(element)  # page layout: read its cells as running text
                    kind = _BLOCKY
                else:
                    out.table(_grid(element), element)
                    walker.skip_subtree()
                    continue
            if kind == _BLOCKY:
                out.flush(blocks[-1])
                blocks.append(element)
            elif kind == _BREAK:
                out.flush(blocks[-1])
            elif tag == "img":
                out.picture(element, blocks[-1])
            if element.text:
                out.parts.append(element.text)
        else:
            if kind == _BLOCKY or (kind == _TABLE and element in layout_tables):
                out.flush(blocks[-1])
                if blocks[-1] is element:
                    blocks.pop()
            if element.tail and element is not root:
                out.parts.append(element.tail)
    out.flush(blocks[-1])
    return out


def _has_nested_table(table: etree._Element) -> bool:
    return any(True for _ in table.iterdescendants("table"))


def _rows_of(table: etree._Element) -> Iterator[etree._Element]:
    for child in table:
        tag = child.tag
        if tag == "tr":
            yield child
        elif tag in ("tbody", "thead", "tfoot"):
            yield from (row for row in child if row.tag == "tr")


def _span(cell: etree._Element, name: str) -> int:
    value = cell.get(name)
    if value is None:
        return 1
    try:
        return max(1, min(int(value.strip() or 1), 1000))
    except ValueError:
        return 1


_CELL_BREAKS = etree.XPath("count(.//p|.//br|.//div|.//li)")


def cell_text(cell: etree._Element) -> str:
    """A cell's text; paragraphs and line breaks inside it become newlines."""
    if len(cell) == 0:  # text alone (most cells of a plain table): no tree to walk
        return _SPACE_RE.sub(" ", cell.text or "").strip(" ")
    if float(_CELL_BREAKS(cell)) <= 1:  # type: ignore[arg-type]  # count() is a number
        text = etree.tostring(cell, method="text", encoding="unicode", with_tail=False)
        return _SPACE_RE.sub(" ", text).strip(" ")
    inner = _walk(cell)
    return "\n".join(b.text for b in inner.blocks if isinstance(b, Paragraph))


def _grid(table: etree._Element) -> GridTable:
    rows = []
    for row in _rows_of(table):
        rows.append([(cell_text(cell), _span(cell, "rowspan"), _span(cell, "colspan"))
                     for cell in row if cell.tag in ("td", "th")])
    return build_table(rows)


def _title_candidates(root: etree._Element) -> list[str]:
    title = root.findtext(".//title") or ""
    return [part for part in _TITLE_SPLIT_RE.split(title.strip()) if part]


def _containers(root: etree._Element, owners: list[etree._Element]) -> list[tuple[int, ...]]:
    """For each block, the elements that hold it, outermost first, numbered in document order."""
    numbers = {element: n for n, element in enumerate(root.iter())}
    out = []
    for owner in owners:
        chain = [numbers.get(a, -1) for a in reversed(list(owner.iterancestors()))]
        out.append((*chain, numbers.get(owner, -1)))
    return out


def _nesting_cut(parser: etree.HTMLParser) -> bool:
    """Whether libxml2 stopped nesting elements (about 2,000 deep, even with huge_tree): it drops what lies
    deeper and says so only in its log. The log keeps only its first hundred entries, but the parser stops
    at that error, so it is the last one too."""
    log = parser.error_log
    return any(entry is not None and "Excessive depth" in entry.message for entry in (*log, log.last_error))


def _links(root: etree._Element) -> list[Link]:
    """Every link of the page with a target, in document order."""
    links = []
    for anchor in root.iter("a"):
        href = (anchor.get("href") or "").strip()
        if href and not href.startswith(("#", "javascript:", "mailto:")):
            links.append(Link(squash_space("".join(str(t) for t in anchor.itertext())), href))
    return links


def markup_blocks(markup: str) -> list[Block]:
    """The paragraphs and tables of HTML that stands inside another kind of text: a table that a markdown
    converter kept as HTML because it has merged cells.

    >>> [type(b).__name__ for b in markup_blocks("<table><tr><td>规章</td><td>0</td></tr></table>")]
    ['Table']
    """
    parser = etree.HTMLParser(remove_comments=True, remove_pis=True, huge_tree=True)
    root = etree.fromstring(markup, parser=parser)
    if root is None:
        return []
    body = root.find("body")
    return _walk(body if body is not None else root).blocks


class HtmlReader:
    """Reads ``.html``/``.htm`` pages and fragments."""

    name = "html"
    extensions = BUILTIN_EXTENSIONS["html"]

    def sniff(self, head: bytes) -> int:
        return 60 if sniff_kind(head) == "html" else 0

    def read(self, data: bytes, path: str | None = None) -> Document:
        if len(data) > options().limits.max_text_bytes:
            raise UnreadableFileError(f"a page of {size_words(len(data))} is no report (limit: "
                                      f"{size_words(options().limits.max_text_bytes)})", path)
        text, notes = unmangled(decode_html(data), [])
        if is_markdown(text) and not _named_html(path):
            raise Declined("its head looked like HTML, but the whole of it is markdown")
        # huge_tree: libxml2 otherwise cuts a page nested deeper than 256 levels without a word.
        parser = etree.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True, huge_tree=True)
        payload = _XML_DECL_RE.sub(b"", text.encode("utf-8"))
        root = etree.fromstring(payload, parser=parser)
        if root is None:
            raise NotAReportError("the HTML holds no readable content", path)
        if _nesting_cut(parser):
            raise UnreadableFileError("the HTML is nested deeper than the parser goes (about 2,000 elements); it "
                                      "would drop what lies deeper, so the page is not read", path)
        body = root.find("body")
        builder = _walk(body if body is not None else root)
        # The nesting goes with the blocks: the assembler finds the report's body among the page's menus.
        return Document.of(builder.blocks, self.name, path, links=_links(root), notes=notes,
                           containers=_containers(root, builder.owners), title_candidates=_title_candidates(root),
                           pictures=builder.pictures)


def _pixels(image: etree._Element, name: str) -> int | None:
    """A picture's width or height as the page sets it, in CSS pixels (attribute or inline style)."""
    value = image.get(name) or ""
    if not value:
        found = re.search(rf"(?:^|;)\s*{name}\s*:\s*([\d.]+)\s*px", image.get("style") or "")
        value = found.group(1) if found else ""
    try:
        return round(float(value.removesuffix("px"))) or None
    except ValueError:
        return None


def _named_html(path: str | None) -> bool:
    """Whether the file's own name says HTML: then it is read as HTML whatever it looks like."""
    return path is not None and path.lower().rsplit(".", 1)[-1] in BUILTIN_EXTENSIONS["html"]


READER = HtmlReader()
