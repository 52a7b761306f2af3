"""PDF with a text layer: characters and ruling lines from pypdfium2, tables rebuilt from the lines.

Per page, the reader takes every character with its box and every ruling line (stroked segments and
hairline-thin filled rectangles; large filled rectangles are cell shading). Lines that touch form a table;
their positions give an elementary grid, and a border missing between two elementary cells merges them, so
merged cells come out as one cell with its spans, as in HTML or DOCX. Characters inside a table go to their
cell; the rest become text lines, then paragraphs (a new paragraph where a line is indented or the previous
one stops short). Page numbers are dropped. Pages that are pictures of text (a scan, or a scanned page in a
text document), and pages whose text layer cannot be decoded, go to OCR (:mod:`govreport.ocr`) when the
``ocr`` extra is installed; a scan with a text layer over it takes its rules from the picture
(:mod:`.searchable`).

pdfplumber reads the same things but takes 25× longer on the corpus (benchmarks/bench_pdf.py); pypdfium2 is
what pdfplumber itself renders with.
"""

from __future__ import annotations

import ctypes
import itertools
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Sequence

import attrs
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from .. import ocr, progress
from ..document import Block, Char, Document, Paragraph, TableCell
from ..document import Table as GridTable
from ..errors import MissingDependencyError, UnreadableFileError
from ..fieldrepr import FieldRepr
from ..gridmerge import merge_cells
from ..lazyre import lazy_compile
from ..model import Finding
from ..running import without_running_lines
from ..settings import options
from ..textcells import is_number
from . import BUILTIN_EXTENSIONS, searchable, sniff_kind

#: Ruling lines closer than this (points) are the same line; gaps shorter than this are bridged.
TOLERANCE = 2.0
#: The row beyond a table's missing rule is looked for this far (points) from it, or three rows' height.
OPEN_ROW_MAX_PT = 100.0
#: Rules that run on this far (points) past a table's outermost vertical line end at a border not drawn.
OPEN_SIDE_MIN = 8.0
_PAGE_NUMBER_RE = lazy_compile(r"^[-—–－\s]*\d{1,3}[-—–－\s]*$|^第\s*\d+\s*页(\s*共\s*\d+\s*页)?$")
_ASCII_WORD = lazy_compile(r"[A-Za-z0-9]")




@attrs.define(slots=True, repr=False)
class Line(FieldRepr):
    """A horizontal (``y``, ``start``..``end`` along x) or vertical (``x`` fixed) ruling line."""

    at: float
    start: float
    end: float


class TextLine:
    """A line of text outside tables, its extent measured once."""

    __slots__ = ("height", "left", "page", "right", "text", "top")

    def __init__(self, chars: list[Char], page: int | None) -> None:
        self.text = _join_chars(chars)
        self.left = chars[0].left
        self.right = chars[-1].right
        self.top = max(c[4] for c in chars)
        self.height = max(c[7] for c in chars)
        self.page = page


class PdfReader:
    name = "pdf"
    extensions = BUILTIN_EXTENSIONS["pdf"]

    def sniff(self, head: bytes) -> int:
        return 90 if sniff_kind(head) == "pdf" else 0

    def read(self, data: bytes, path: str | None = None) -> Document:
        try:
            pdf = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as exc:
            raise UnreadableFileError(f"the PDF cannot be opened ({exc})", path) from exc
        try:
            if len(pdf) > (most := options().limits.max_pages):
                raise UnreadableFileError(f"the PDF has {len(pdf)} pages, past the limit of {most}", path)
            pages: list[tuple[list[object], int]] = []
            scanned: list[int] = []
            every = [pdf[n] for n in range(len(pdf))]
            texts = without_running_lines([_chars(page) for page in every])
            undecodable = [n for n, chars in enumerate(texts) if not _decodable(chars)]
            textless = not any(t for n, t in enumerate(texts) if n not in undecodable)
            for n, (page, chars) in enumerate(zip(every, texts, strict=True)):
                if n in undecodable or _looks_scanned(page, chars, textless):
                    scanned.append(n)
                    pages.append(([], n + 1))
                else:
                    pages.append(_read_page(page, chars, n + 1))
            notes = _ocr_pages(pdf, scanned, pages, path, undecodable)
        finally:
            pdf.close()
        return Document.of(page_blocks(pages), self.name, path, notes=notes)


def page_blocks(pages: list[tuple[list[object], int]]) -> list[Block]:
    """The blocks of a document's pages (their tables and text lines, with page numbers), a table's row
    cut by a page break joined again."""
    _join_split_rows(pages)
    return _paragraphs([item for page, _ in pages for item in page])


def recognised_pages(read: list[tuple[int, ocr.Reading]]) -> list[tuple[list[object], int]]:
    """The pages OCR read (their numbers and readings), as the reader's pages, running lines left out."""
    texts = without_running_lines([chars for _, (chars, _) in read])
    return [(recognised_page(chars, tables, number), number)
            for chars, (number, (_, tables)) in zip(texts, read, strict=True)]


def recognised_page(chars: list[Char], tables: list[tuple[float, GridTable]], number: int | None) -> list[object]:
    """The tables and text lines OCR found on a page (or in a picture), top to bottom."""
    items: list[tuple[float, object]] = list(tables)
    items += [(line.top, line) for line in _text_lines(chars, number) if not _PAGE_NUMBER_RE.match(line.text)]
    items.sort(key=lambda item: -item[0])
    return [item for _, item in items]


def _looks_scanned(page: pdfium.PdfPage, chars: list[Char], textless: bool) -> bool:
    """A page that is a picture of text: in a PDF with no text layer at all, any page with something drawn
    (scans, text turned into outlines); else a page with hardly any text and an image over much of it (a
    blank page with a rule or a logo in a text document is no scan).

    A scanned report often carries a line of real text (a stamped page number, a header the scanning
    software added) or is a text document with some pages scanned in; such pages are read by OCR too.
    """
    settings = options().scan
    if textless:
        return pdfium_c.FPDFPage_CountObjects(page.raw) > 0
    if len(chars) > settings.scanned_page_max_chars:
        return False
    boxes = []
    for obj in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,)):
        try:
            boxes.append(obj.get_bounds())
        except pdfium.PdfiumError:
            continue
    return _covered_by_pictures(boxes, page)


def _covered_by_pictures(boxes: Iterable[Box], page: pdfium.PdfPage) -> bool:
    """Whether pictures cover most of the page (``ScanSettings.scanned_page_image_share``), as a scan."""
    area = page.get_width() * page.get_height()
    covered = sum(max(0.0, right - left) * max(0.0, top - bottom) for left, bottom, right, top in boxes)
    return area > 0 and covered >= area * options().scan.scanned_page_image_share


def _ocr_pages(pdf: pdfium.PdfDocument, scanned: list[int], pages: list[tuple[list[object], int]],
               path: str | None, undecodable: list[int]) -> list[Finding]:
    """OCR the ``scanned`` pages (pictures of text, or text whose layer cannot be decoded) into ``pages``
    when the ``ocr`` extra is installed.

    Without it, a PDF that is nothing but such pages is an error that says how to get the extra; a PDF
    with some pages of text keeps them, and a finding names the pages left unread.
    """
    if not scanned:
        return []
    garbled = "、".join(str(n + 1) for n in undecodable)
    if not ocr.available():
        if not any(blocks for blocks, _ in pages):
            problem = ("its text layer cannot be decoded (fonts without a map to Unicode: copied text is garbage)"
                       if undecodable else "this PDF is image-only (a scan, 图片版) and has no text to read")
            raise MissingDependencyError(
                f"{problem}; install the OCR extra with `pip install govreport[ocr]` to read it offline", path)
        numbers = "、".join(str(n + 1) for n in scanned)
        return [Finding("PARSE-OCR", "warning",
                        f"第 {numbers} 页是图片（扫描件）或文字层无法解码；"
                        "未安装 OCR 组件（pip install govreport[ocr]），这些页未读取。")]
    progress.advance("OCR", 0, len(scanned))
    read = []
    for done, n in enumerate(scanned, 1):
        read.append((n + 1, ocr.read_page(pdf[n], n + 1)))
        progress.advance("OCR", done, len(scanned))
    for n, page in zip(scanned, recognised_pages(read), strict=True):
        pages[n] = page
    if not undecodable:
        return []
    return [Finding("PARSE-OCR", "warning",
                    f"第 {garbled} 页的文字层无法解码（字体没有到 Unicode 的映射，复制出来是乱码），"
                    "已按页面图像识别文字；识别的数值请对照原件核对。")]


def _in_report_script(ch: str) -> bool:
    """Whether a character is of the script a report is written in: Chinese, ASCII, and the punctuation,
    full-width forms, circled and Roman numerals and marks they are set with."""
    return bisect_right(_REPORT_SCRIPT_BOUNDS, ord(ch)) % 2 == 1


_REPORT_SCRIPT = (
    (0x20, 0x7E), (0xA0, 0xFF), (0x2000, 0x206F), (0x2150, 0x218F), (0x2460, 0x24FF), (0x2500, 0x27BF),
    (0x3000, 0x303F), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0xFE30, 0xFE4F), (0xFF00, 0xFFEF),
)
#: The ranges as one sorted list of edges: a code point inside a range has an odd number of edges below it.
_REPORT_SCRIPT_BOUNDS = [edge for low, high in _REPORT_SCRIPT for edge in (low, high + 1)]


def _decodable(chars: list[Char]) -> bool:
    """Whether a page's text layer reads as text: most of its characters in the report's script. (A page
    with hardly any text is left to the scan test.)"""
    if len(chars) < options().scan.scanned_page_max_chars:
        return True
    sample = chars[::max(1, len(chars) // 200)]  # a font that maps nothing garbles the page all over
    counts = Counter(c[0] for c in sample)
    share = sum(n for ch, n in counts.items() if _in_report_script(ch)) / len(sample)
    return share >= options().scan.decodable_text_share


def _read_page(page: pdfium.PdfPage, chars: list[Char], number: int) -> tuple[list[object], int]:
    paths, images = _page_objects(page.raw)
    horizontal, vertical = _rulings(paths)
    if not horizontal and not vertical and images and ocr.available():
        ruled = _ruled_by_its_picture(page, images, chars)
        if ruled is not None:
            chars, horizontal, vertical = ruled
            images = []
    pictured: list[tuple[float, GridTable]] = []
    for box, image in _pictures(page, images, chars):
        more_chars, tables = ocr.read_image(image, box, number, tables_only=True)
        chars = chars + more_chars
        pictured += tables
    return _layout(chars, horizontal, vertical, number, pictured), number


Box = tuple[float, float, float, float]


def _ruled_by_its_picture(page: pdfium.PdfPage, images: list[object], chars: list[Char]
                          ) -> tuple[list[Char], list[Line], list[Line]] | None:
    """A searchable scan's characters (turned level with the scan) and the rules of its tables, found in
    its picture (:mod:`.searchable`), no rules where the picture has no table; None for a page that is no
    scan."""
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    boxes = [(left.value, bottom.value, right.value, top.value) for raw in images
             if pdfium_c.FPDFPageObj_GetBounds(raw, left, bottom, right, top)]
    if not _covered_by_pictures(boxes, page):
        return None
    straight, horizontal, vertical = searchable.rules_from_picture(ocr.page_image(page), chars, page.get_size())
    return (straight, _merge_lines([Line(*line) for line in horizontal]),
            _merge_lines([Line(*line) for line in vertical]))


def _pictures(page: pdfium.PdfPage, images: list[object], chars: list[Char]) -> Iterable[tuple[Box, object]]:
    """Pictures on a page of text that may be tables pasted as images (a screenshot of a spreadsheet, a
    scanned table): large, with no text of the layer over them. Only with the ``ocr`` extra."""
    if not images or not ocr.available():
        return
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    for raw in images:
        if not pdfium_c.FPDFPageObj_GetBounds(raw, left, bottom, right, top):
            continue
        box = (left.value, bottom.value, right.value, top.value)
        if _may_hold_a_table(box, page, chars):
            image = ocr.picture(pdfium.PdfObject(raw, page=page, pdf=page.pdf))
            if image is not None:
                yield box, image


def _may_hold_a_table(box: Box, page: pdfium.PdfPage, chars: list[Char]) -> bool:
    left, bottom, right, top = box
    if not ocr.may_hold_a_table(right - left, top - bottom, page.get_size()):
        return False
    over = sum(1 for c in chars if left <= c.cx <= right and bottom <= c.cy <= top)
    return over <= options().scan.scanned_page_max_chars


def _layout(chars: list[Char], horizontal: list[Line], vertical: list[Line], number: int,
            pictured: Sequence[tuple[float, GridTable]] = ()) -> list[object]:
    """A page's tables and text lines, in reading order (top to bottom); ``pictured`` are tables read
    from pictures on the page, with their tops."""
    items: list[tuple[float, object]] = list(pictured)
    remaining = chars
    for region_h, region_v in _regions(horizontal, vertical):
        table, inside = _table(region_h, region_v + _open_sides(region_h, region_v), remaining, number)
        if table is None:
            continue
        remaining = [c for c in remaining if id(c) not in inside]
        top = max(h.at for h in region_h)
        if table.width == 1:  # a framed paragraph, not a table
            for row in table.rows:
                for cell in row:
                    for text in cell.text.split("\n"):
                        items.append((top, Paragraph(text, page=number)))
                    top -= 0.001
            continue
        items.append((top, table))
    for line in _text_lines(remaining, number):
        if not _PAGE_NUMBER_RE.match(line.text):
            items.append((line.top, line))
    items.sort(key=lambda item: -item[0])
    return [item for _, item in items]


# --- characters ------------------------------------------------------------------------------------

def _chars(page: pdfium.PdfPage) -> list[Char]:
    textpage = page.get_textpage()
    try:
        count = textpage.count_chars()
        if count <= 0:
            return []
        text = textpage.get_text_range(0, count)
        raw = textpage.raw
        # Loose boxes span the font's ascent and advance width: punctuation and digits line up with
        # the characters around them, where their ink boxes would not.
        # For vertically set text pdfium's loose boxes are far too large; there the ink box is used.
        box = pdfium_c.FS_RECTF()
        box_ref = ctypes.byref(box)
        loose_box = pdfium_c.FPDFText_GetLooseCharBox
        left, right, bottom, top = (ctypes.c_double() for _ in range(4))
        new = tuple.__new__
        out: list[Char] = []
        for i, ch in enumerate(text[:count]):
            if ch.isspace() or ch == "\ufffe":
                continue
            if not loose_box(raw, i, box_ref):
                continue
            x0, y0, x1, y1 = box.left, box.bottom, box.right, box.top
            if x1 <= x0 or y1 <= y0:
                continue
            if x1 - x0 > 60 or y1 - y0 > 60:
                if not pdfium_c.FPDFText_GetCharBox(raw, i, left, right, bottom, top):
                    continue
                x0, y0, x1, y1 = left.value, bottom.value, right.value, top.value
            out.append(new(Char, (ch, x0, y0, x1, y1, (x0 + x1) / 2, (y0 + y1) / 2, y1 - y0)))
        return out
    finally:
        textpage.close()


def _join_chars(chars: Sequence[Char]) -> str:
    """Characters of one line, with a space only where Latin letters or digits stand apart."""
    if len(chars) == 1:
        return chars[0].text
    out = [chars[0].text]
    for previous, char in itertools.pairwise(chars):
        gap = char.left - previous.right
        width = max(previous.right - previous.left, 1.0)
        if gap > width * 1.2:
            out.append("  ")  # a column gap: cells of a table drawn without borders
        elif gap > width * 0.6 and _ASCII_WORD.match(previous.text) and _ASCII_WORD.match(char.text):
            out.append(" ")
        out.append(char.text)
    return "".join(out)


def _line_groups(chars: Iterable[Char]) -> list[list[Char]]:
    """Characters grouped into lines by their vertical centre, each line read left to right."""
    lines: list[list[Char]] = []
    ref_cy = ref_height = 0.0
    for char in sorted(chars, key=_reading_order):
        if lines and abs(char[6] - ref_cy) <= (ref_height if ref_height > char[7] else char[7]) * 0.5:
            lines[-1].append(char)
            continue
        lines.append([char])
        ref_cy, ref_height = char[6], char[7]
    for line in lines:
        line.sort(key=_left)
    return lines


def _text_lines(chars: Iterable[Char], page: int | None) -> list[TextLine]:
    return [TextLine(line, page) for line in _line_groups(chars)]


def _reading_order(char: Char) -> tuple[float, float]:
    return (-char[6], char[1])


def _left(char: Char) -> float:
    return char[1]


# --- ruling lines and tables -----------------------------------------------------------------------

def _page_objects(container: object, in_form: bool = False, parent: tuple[float, ...] = (1, 0, 0, 1, 0, 0)
                  ) -> tuple[list[tuple[object, tuple[float, ...]]], list[object]]:
    """Every path object of a page or form XObject, with the transform of the forms it sits in, and the
    page's own image objects (raw handles).

    Raw pdfium calls: wrapping each of a page's hundreds of objects in Python objects costs more than
    reading the page's text. This loop visits every object of the page, text included, so it is kept lean.
    """
    count = pdfium_c.FPDFFormObj_CountObjects(container) if in_form else pdfium_c.FPDFPage_CountObjects(container)
    get = pdfium_c.FPDFFormObj_GetObject if in_form else pdfium_c.FPDFPage_GetObject
    kind_of, path, form = pdfium_c.FPDFPageObj_GetType, pdfium_c.FPDF_PAGEOBJ_PATH, pdfium_c.FPDF_PAGEOBJ_FORM
    image = pdfium_c.FPDF_PAGEOBJ_IMAGE
    paths: list[tuple[object, tuple[float, ...]]] = []
    images: list[object] = []
    for i in range(count):
        obj = get(container, i)
        kind = kind_of(obj)
        if kind == path:
            paths.append((obj, parent))
        elif kind == form:
            paths += _page_objects(obj, True, _compose(_matrix(obj), parent))[0]
        elif kind == image and not in_form:
            images.append(obj)
    return paths, images


def _matrix(obj: object) -> tuple[float, ...]:
    m = pdfium_c.FS_MATRIX()
    pdfium_c.FPDFPageObj_GetMatrix(obj, m)
    return (m.a, m.b, m.c, m.d, m.e, m.f)


def _compose(inner: tuple[float, ...], outer: tuple[float, ...]) -> tuple[float, ...]:
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _apply(matrix: tuple[float, ...], x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = matrix
    return a * x + c * y + e, b * x + d * y + f


def _rulings(paths: list[tuple[object, tuple[float, ...]]]) -> tuple[list[Line], list[Line]]:
    horizontal: list[Line] = []
    vertical: list[Line] = []
    x, y = ctypes.c_float(), ctypes.c_float()
    x_ref, y_ref = ctypes.byref(x), ctypes.byref(y)
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    for obj, parent in paths:
        pdfium_c.FPDFPath_GetDrawMode(obj, fill, stroke)
        # A filled hairline rectangle is a border, a larger one shading; a stroked path of two points is
        # one straight line (how Word and LibreOffice draw cell borders). The bounds tell both, in one call
        # instead of three for each point of the path.
        filled_only = fill.value and not stroke.value
        if filled_only or (stroke.value and pdfium_c.FPDFPath_CountSegments(obj) == 2):
            pdfium_c.FPDFPageObj_GetBounds(obj, left, bottom, right, top)
            (x0, y0), (x1, y1) = _apply(parent, left.value, bottom.value), _apply(parent, right.value, top.value)
            x0, x1, y0, y1 = min(x0, x1), max(x0, x1), min(y0, y1), max(y0, y1)
            # A stroke's bounds reach half its width past the line's ends.
            half = 0.0 if filled_only else min(x1 - x0, y1 - y0) / 2
            if y1 - y0 < 3 and x1 - x0 - 2 * half > (3 if filled_only else TOLERANCE):
                horizontal.append(Line((y0 + y1) / 2, x0 + half, x1 - half))
            elif x1 - x0 < 3 and y1 - y0 - 2 * half > (3 if filled_only else TOLERANCE):
                vertical.append(Line((x0 + x1) / 2, y0 + half, y1 - half))
            continue
        if not stroke.value:
            continue
        a, b, c, d, e, f = _compose(_matrix(obj), parent)
        previous: tuple[float, float] | None = None
        start: tuple[float, float] | None = None
        for i in range(pdfium_c.FPDFPath_CountSegments(obj)):
            segment = pdfium_c.FPDFPath_GetPathSegment(obj, i)
            pdfium_c.FPDFPathSegment_GetPoint(segment, x_ref, y_ref)
            point = (a * x.value + c * y.value + e, b * x.value + d * y.value + f)
            if pdfium_c.FPDFPathSegment_GetType(segment) == pdfium_c.FPDF_SEGMENT_MOVETO or previous is None:
                start = point
            else:
                _edge(previous, point, horizontal, vertical)
            if pdfium_c.FPDFPathSegment_GetClose(segment) and start is not None:
                _edge(point, start, horizontal, vertical)  # a closed rectangle's last side
            previous = point
    return _merge_lines(horizontal), _merge_lines(vertical)


def _edge(p: tuple[float, float], q: tuple[float, float], horizontal: list[Line], vertical: list[Line]) -> None:
    (x0, y0), (x1, y1) = p, q
    if abs(y1 - y0) < 1 and abs(x1 - x0) > TOLERANCE:
        horizontal.append(Line(y0, min(x0, x1), max(x0, x1)))
    elif abs(x1 - x0) < 1 and abs(y1 - y0) > TOLERANCE:
        vertical.append(Line(x0, min(y0, y1), max(y0, y1)))


def _merge_lines(lines: list[Line]) -> list[Line]:
    """Join collinear pieces of a line (a border drawn cell by cell) into one."""
    groups: list[list[Line]] = []
    for line in sorted(lines, key=lambda ln: ln.at):
        if groups and line.at - groups[-1][0].at <= TOLERANCE:
            groups[-1].append(line)
        else:
            groups.append([line])
    out: list[Line] = []
    for group in groups:
        at = sum(ln.at for ln in group) / len(group)
        merged: list[Line] = []
        for line in sorted(group, key=lambda ln: ln.start):
            if merged and line.start <= merged[-1].end + TOLERANCE:
                merged[-1].end = max(merged[-1].end, line.end)
            else:
                merged.append(Line(at, line.start, line.end))
        out += merged
    return out


def _regions(horizontal: list[Line], vertical: list[Line]) -> list[tuple[list[Line], list[Line]]]:
    """Groups of ruling lines that touch each other: one group per table."""
    if not horizontal or not vertical:
        return []
    count = len(horizontal)
    parent = list(range(count + len(vertical)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, a in enumerate(horizontal):
        low, high, at = a.start - TOLERANCE, a.end + TOLERANCE, a.at
        for j, b in enumerate(vertical):
            if low <= b.at <= high and b.start - TOLERANCE <= at <= b.end + TOLERANCE:
                parent[find(i)] = find(count + j)
    groups: dict[int, tuple[list[Line], list[Line]]] = {}
    for i, line in enumerate(horizontal):
        groups.setdefault(find(i), ([], []))[0].append(line)
    for j, line in enumerate(vertical):
        groups.setdefault(find(count + j), ([], []))[1].append(line)
    return [(h, v) for h, v in groups.values() if len(h) >= 2 and len(v) >= 2]


def _open_sides(horizontal: list[Line], vertical: list[Line]) -> list[Line]:
    """The outer borders a table's rules imply but that are not drawn: a table styled with open sides, or
    one wider than the page whose last border the printer cut off. Where at least two rules run on past
    the outermost vertical line by more than a narrow column, to the same place, that place is a border."""
    sides = []
    left, right = min(v.at for v in vertical), max(v.at for v in vertical)
    for ends, beyond in (([h.end for h in horizontal], lambda x: x > right + OPEN_SIDE_MIN),
                         ([h.start for h in horizontal], lambda x: x < left - OPEN_SIDE_MIN)):
        past = [x for x in ends if beyond(x)]
        if len(past) >= 2 and max(past) - min(past) <= 2 * TOLERANCE:
            at = sum(past) / len(past)
            reaching = [h.at for h, x in zip(horizontal, ends, strict=True) if abs(x - at) <= 2 * TOLERANCE]
            sides.append(Line(at, min(reaching), max(reaching)))
    return sides


def _cluster(values: Iterable[float]) -> list[float]:
    out: list[float] = []
    for value in sorted(values):
        if not out or value - out[-1] > TOLERANCE:
            out.append(value)
    return out


def _covered(lines: list[Line], start: float, end: float) -> bool:
    """Whether the borders at one position run over most of ``start``..``end``."""
    length = 0.0
    for line in lines:
        length += max(0.0, min(end, line.end) - max(start, line.start))
    return length >= (end - start) * 0.5


def _at(lines: list[Line], positions: list[float]) -> list[list[Line]]:
    """The lines at each of ``positions``."""
    return [[ln for ln in lines if abs(ln.at - at) <= TOLERANCE] for at in positions]


def _table(horizontal: list[Line], vertical: list[Line], chars: list[Char], page: int
           ) -> tuple[GridTable | None, set[int]]:
    ys = _cluster(h.at for h in horizontal)[::-1]  # top to bottom
    xs = _cluster(v.at for v in vertical)
    if len(ys) < 2 or len(xs) < 2:
        return None, set()
    rows, cols = len(ys) - 1, len(xs) - 1
    borders_x, borders_y = _at(vertical, xs), _at(horizontal, ys)
    roots, spans = merge_cells(
        rows, cols,
        lambda r, c: not _covered(borders_x[c + 1], ys[r + 1], ys[r]),
        lambda r, c: not _covered(borders_y[r + 1], xs[c], xs[c + 1]))
    # Characters to cells, by their centre.
    descending = [-y for y in ys]
    texts: dict[int, list[Char]] = {}
    inside: set[int] = set()
    for char in chars:
        c = bisect_right(xs, char.cx) - 1
        r = bisect_right(descending, -char.cy) - 1
        if 0 <= r < rows and 0 <= c < cols:
            texts.setdefault(roots[r * cols + c], []).append(char)
            inside.add(id(char))
    outside = [c for c in chars if id(c) not in inside]
    opened, used = _open_row(outside, xs, ys[0], 1, ys[0] - ys[1], page)
    closed, more = _open_row(outside, xs, ys[-1], -1, ys[-2] - ys[-1], page)
    inside.update(id(c) for c in [*used, *more])
    shift = 1 if opened else 0
    cells: dict[int, list[TableCell]] = {0: opened} if opened else {}
    if closed:
        cells[rows + shift] = [attrs.evolve(cell, row=rows + shift) for cell in closed]
    for root, (top, left, bottom, right) in spans.items():
        text = "\n".join(_join_chars(line) for line in _line_groups(texts.get(root, [])))
        cells.setdefault(top + shift, []).append(
            TableCell(text, top + shift, left, bottom - top + 1, right - left + 1, page=page))
    table_rows = tuple(tuple(sorted(cells.get(r, []), key=lambda cell: cell.col))
                       for r in range(rows + shift + (1 if closed else 0)))
    return GridTable(table_rows, exact_geometry=True, page=page), inside


def _open_row(chars: list[Char], xs: list[float], edge: float, outward: int, row_height: float, page: int
              ) -> tuple[list[TableCell], list[Char]]:
    """The row just outside a table's top (``outward`` 1) or bottom rule (``outward`` -1) when the rule
    between them is missing: a browser printing a table that breaks across pages leaves out the border of
    the row on either side of the break.

    The lines next to the rule are taken, outward, the first within the height of the table's row on that
    side (``row_height``: its padding) and each next within a line's height of the last, while they stay
    inside the table's columns (no character across a column's border); they are a row when they
    hold at least two numbers. The row's cells (row 0) and its characters; empty when there is no row.
    """
    taken = _lines_outside(chars, xs, edge, outward, row_height)
    by_column: dict[int, list[Char]] = {}
    for char in taken:
        by_column.setdefault(bisect_right(xs, char.cx) - 1, []).append(char)
    texts = {col: "\n".join(_join_chars(line) for line in _line_groups(group)) for col, group in by_column.items()}
    if sum(1 for text in texts.values() if is_number(text)) < 2:
        return [], []
    return _row_cells(texts, len(xs) - 1, page), taken


def _lines_outside(chars: list[Char], xs: list[float], edge: float, outward: int, row_height: float
                   ) -> list[Char]:
    """The characters of the lines beyond a table's rule that could be a row of it (see :func:`_open_row`)."""
    inner = xs[1:-1]
    reach_most = max(3 * row_height, OPEN_ROW_MAX_PT)  # a row of several lines, but not the page
    beyond = [c for c in chars if 0 < (c.cy - edge) * outward < reach_most and xs[0] < c.cx < xs[-1]]
    taken: list[Char] = []
    reach, room = edge, row_height
    for line in sorted(_line_groups(beyond), key=lambda line: (line[0].cy - edge) * outward):
        height = max(c.height for c in line)
        near_side = min(c.bottom for c in line) if outward > 0 else max(c.top for c in line)
        if (near_side - reach) * outward > max(height * 1.5, room):
            break
        room = 0.0  # the first line may sit a row's padding away from the rule; the next ones follow it
        if any(c.left < x - TOLERANCE and x + TOLERANCE < c.right for c in line for x in inner):
            break
        taken += line
        reach = max(c.top for c in line) if outward > 0 else min(c.bottom for c in line)
    return taken


def _row_cells(texts: dict[int, str], width: int, page: int) -> list[TableCell]:
    """A row's cells from the text in each column; a label that runs over the borders of the columns
    before the first number (the row's merged label cell, whose border the row above does not show) is
    one cell across them."""
    first_number = min((col for col, text in texts.items() if is_number(text)), default=width)
    label_columns = sorted(col for col in texts if col < first_number)
    cells = []
    if len(label_columns) > 1:
        start = label_columns[0]
        label = "".join(texts[col] for col in label_columns)
        cells.append(TableCell(label, 0, start, 1, first_number - start, page=page))
        covered = set(range(start, first_number))
    else:
        covered = set()
    cells += [TableCell(texts.get(col, ""), 0, col, 1, 1, page=page) for col in range(width) if col not in covered]
    return sorted(cells, key=lambda cell: cell.col)


def _join_split_rows(pages: list[tuple[list[object], int]]) -> None:
    """Put back together a table row that a page break cut in two.

    Word and LibreOffice let a row break across pages: its last line or two ("量", "制作数量") open the
    table on the next page as a row of fragments. Such a row (no number in it, at most two short pieces)
    is joined to the last row on the previous page, column by column.
    """
    for (previous, _), (current, _) in itertools.pairwise(pages):
        if not previous or not current or not isinstance(previous[-1], GridTable) \
                or not isinstance(current[0], GridTable):
            continue
        before, after = previous[-1], current[0]
        pieces = _row_fragments(before, after)
        if pieces is None:
            continue
        joined = []
        for cell in before.rows[-1]:
            extra = [p.text for p in pieces if cell.col <= p.col < cell.col + cell.colspan]
            joined.append(attrs.evolve(cell, text="\n".join([cell.text, *extra]).strip("\n")) if extra else cell)
        previous[-1] = attrs.evolve(before, rows=(*before.rows[:-1], tuple(joined)))
        rest = tuple(tuple(attrs.evolve(c, row=c.row - 1) for c in row) for row in after.rows[1:])
        current[0] = attrs.evolve(after, rows=rest)


def _row_fragments(before: GridTable, after: GridTable) -> list[TableCell] | None:
    """The pieces of the first row of ``after`` when it is the end of the last row of ``before``: no number,
    at most two short pieces, the same columns; None otherwise."""
    if not before.rows or not after.rows or before.width != after.width:
        return None
    first = after.rows[0]
    pieces = [c for c in first if c.text.strip()]
    if not pieces or len(pieces) > 2 or any(len(c.text.strip()) > 10 or _has_digit(c.text) for c in pieces):
        return None
    if len({c.col for c in before.rows[-1]}) < len(pieces) or any(c.rowspan > 1 for c in first):
        return None
    return pieces


def _has_digit(text: str) -> bool:
    return any(ch.isdigit() for ch in text)


# --- paragraphs ------------------------------------------------------------------------------------

def _paragraphs(items: Sequence[object]) -> list[Block]:
    """Text lines joined into paragraphs; tables and framed paragraphs pass through."""
    lines = [i for i in items if isinstance(i, TextLine)]
    left_margin = min((ln.left for ln in lines), default=0.0)
    right_margin = max((ln.right for ln in lines), default=0.0)
    blocks: list[Block] = []
    current: list[TextLine] = []

    def flush() -> None:
        if current:
            # Where each line ended goes with the paragraph: a heading in the body's type runs into the
            # paragraph around it, and the assembler cuts it out there.
            ends = list(itertools.accumulate(len(ln.text) for ln in current))[:-1]
            blocks.append(Paragraph("".join(ln.text for ln in current), page=current[0].page, breaks=tuple(ends)))
            current.clear()

    for item in items:
        if not isinstance(item, TextLine):
            flush()
            blocks.append(item)  # type: ignore[arg-type]
            continue
        size = item.height or 10.0
        indented = item.left > left_margin + size * 1.2
        centred = item.left > left_margin + size * 3
        # A line with a column gap is a row of a table drawn without borders: it stands alone.
        row = "  " in item.text
        if current:
            previous = current[-1]
            short = previous.right < right_margin - size * 1.5
            if indented or short or centred or row or "  " in previous.text:
                flush()
        current.append(item)
        if row:
            flush()
    flush()
    return blocks


READER = PdfReader()
