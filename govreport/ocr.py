"""OCR for image-only PDF pages (图片版), offline, with the optional ``ocr`` extra.

RapidOCR's ONNX models ship inside its wheel, so nothing is downloaded at run time. A scanned page is
taken at its own resolution (the page's image, not a re-rendering), straightened and cut into tables and
cells by :mod:`govreport.scanpage`. Each cell's lines of text are cut out and read by the recogniser
alone, in batches — a table cell needs no text detector, and reading it whole keeps a digit apart from the
border beside it. Text outside the tables goes through detection and recognition as usual. The tables
come out as grids with merged cells, exactly like a text PDF's, and each cell keeps the recogniser's
confidence: a cell read with doubt is left blank and named by a finding, never guessed.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import attrs

from .digitcount import DigitWidths
from .document import Char, TableCell
from .document import Table as GridTable
from .settings import options

if TYPE_CHECKING:
    import pypdfium2 as pdfium

    from .scanpage import ImageTable, Page


def available() -> bool:
    """Whether the OCR extra (``pip install govreport[ocr]``) is installed."""
    try:
        return importlib.util.find_spec("rapidocr_onnxruntime") is not None
    except (ImportError, ValueError):  # a module set to None in sys.modules is not installed either
        return False


@lru_cache(maxsize=1)
def _engine() -> Any:
    scan = options().scan
    from rapidocr_onnxruntime import RapidOCR

    engine = RapidOCR(intra_op_num_threads=max(1, min(os.cpu_count() or 1, scan.max_threads)))
    # Batches pad every image to the widest: one line at a time is several times faster on a CPU.
    engine.text_rec.rec_batch_num = scan.batch
    # The detector is given bands of a page already at ``ScanSettings.detect_dpi``: it is not to enlarge
    # them (by default it brings the shorter side up to 736 pixels).
    engine.text_det.limit_side_len = 0
    return engine


def may_hold_a_table(width_pt: float, height_pt: float, page: tuple[float, float]) -> bool:
    """Whether a picture shown at this size (points) on a page of this size could be a table worth reading."""
    scan = options().scan
    return width_pt >= page[0] * scan.picture_min_width_share and height_pt >= page[1] * scan.picture_min_height_share


def page_image(page: pdfium.PdfPage) -> Any:
    """The page as a grey image at the resolution it was scanned at (its largest image), else rendered."""
    import pypdfium2 as pdfium

    best: Any = None
    best_area = 0.0
    for obj in page.get_objects(filter=(pdfium.raw.FPDF_PAGEOBJ_IMAGE,)):
        try:
            width, height = obj.get_px_size()
        except pdfium.PdfiumError:
            continue
        if width * height > best_area:
            best, best_area = obj, width * height
    image = picture(best) if best is not None and best_area > 0 else None
    if image is None or image.shape[1] < page.get_width() * 1.5:  # no scan in it, or a thumbnail
        return _grey(page.render(scale=options().scan.dpi / 72, grayscale=True).to_numpy())
    if page.get_rotation() or _turned(best):
        # A scan stored sideways and shown upright (the page turned, or the picture placed turned): what
        # matters is the page as shown, rendered at the scan's own resolution.
        left, bottom, right, top = best.get_bounds()
        scale = (image.shape[0] * image.shape[1] / max(1.0, (right - left) * (top - bottom))) ** 0.5
        return _grey(page.render(scale=scale, grayscale=True).to_numpy())
    return image


def _turned(obj: Any) -> bool:
    """Whether an image is placed turned or mirrored on its page."""
    matrix = obj.get_matrix()
    return bool(matrix.b or matrix.c or matrix.a < 0 or matrix.d < 0)


def picture(obj: Any) -> Any:
    """An image object's pixels as a grey image, or None when pdfium cannot decode them."""
    import pypdfium2 as pdfium

    try:
        return _grey(obj.get_bitmap(render=False).to_numpy())
    except pdfium.PdfiumError:
        return None


def _grey(image: Any) -> Any:
    import cv2
    import numpy as np

    if image.ndim == 3:
        image = cv2.cvtColor(image[:, :, :3], cv2.COLOR_BGR2GRAY)
    return np.ascontiguousarray(image)


def read_page(page: pdfium.PdfPage, number: int) -> tuple[list[Char], list[tuple[float, GridTable]]]:
    """A scanned page as characters outside its tables (for line building) and its tables, each with its
    top edge, in PDF coordinates (points, origin bottom left)."""
    return read_image(page_image(page), (0.0, 0.0, page.get_width(), page.get_height()), number)


Reading = tuple[list[Char], list[tuple[float, GridTable]]]


def read_image(image: Any, box: tuple[float, float, float, float], number: int | None, *,
               tables_only: bool = False) -> Reading:
    """A grey picture of text placed on page ``number`` at ``box`` (left, bottom, right, top in points),
    read like :func:`read_page`: a whole scanned page, or a table pasted as a picture into a text page
    (``number`` None: a document without pages).
    With ``tables_only``, a picture without a ruled table (a photo, a seal, a chart) is not read at all.

    A page that reads weakly (little sure text for the ink on it) is tried turned upside down and both
    ways sideways (a sheet fed into the scanner the wrong way round), and read the way that reads best.
    """
    import numpy as np

    reading, inked = _read_upright(image, box, number, tables_only)
    strong = _strength(reading) >= options().scan.orientation_check_below
    if tables_only or not inked or (strong and not _sideways(reading[0])):
        return reading
    left, bottom, right, top = box
    for quarter_turns in (2, 1, 3):
        turned = np.ascontiguousarray(np.rot90(image, quarter_turns))
        turned_box = box if quarter_turns == 2 else (left, bottom, left + top - bottom, bottom + right - left)
        other, _ = _read_upright(turned, turned_box, number, False)
        if _reads_better(other, reading):
            return other
    return reading


def _reads_better(other: Reading, reading: Reading) -> bool:
    """Whether a page turned reads clearly better than as it stands: twice the sure text, or, where it
    stood sideways, its lines now lying down with half the sure text at least."""
    least = options().scan.orientation_check_below
    mine, theirs = _strength(reading), _strength(other)
    if _sideways(reading[0]) and not _sideways(other[0]):
        return theirs >= max(mine / 2, least)
    return theirs > max(2 * mine, least)


def _read_upright(image: Any, box: tuple[float, float, float, float], number: int | None, tables_only: bool
                  ) -> tuple[Reading, bool]:
    """The reading of a picture as it stands, and whether it has ink enough to be a page of text."""
    from .scanpage import prepare

    left, _bottom, right, top = box
    prepared = prepare(image, right - left)
    if tables_only and not prepared.tables:
        return ([], []), False
    to_points = _to_points(prepared, left, top)
    tables = [(to_points(0, t.box[1])[1], _grid(prepared, t, number)) for t in prepared.tables]
    inked = float(prepared.ink.mean()) >= options().scan.min_page_ink
    return (_chars_outside(prepared, to_points), tables), inked


def _sideways(chars: list[Char]) -> bool:
    """Whether most running text was found in lines standing upright (the recogniser turns such a line and
    reads it, but the page's lines then come out in the wrong order and its tables do not read)."""
    tall = sum(1 for c in chars if c.height > 2 * (c.right - c.left))
    return tall * 2 > len(chars)


def _strength(reading: Reading) -> int:
    """How much sure text a reading found: characters of running text (kept only when read surely) and of
    table labels read surely. Numbers are left out: a 0 or an 8 reads the same upside down."""
    chars, tables = reading
    sure = options().scan.min_confidence
    labels = sum(len(cell.text) for _, table in tables for row in table.rows for cell in row
                 if cell.text and not _is_count(cell.text) and (cell.confidence or 0.0) >= sure)
    return len(chars) + labels


def _to_points(prepared: Page, left: float, top: float) -> Callable[[float, float], tuple[float, float]]:
    def convert(x: float, y: float) -> tuple[float, float]:
        return left + x / prepared.scale, top - y / prepared.scale

    return convert


def _grid(prepared: Page, table: ImageTable, number: int | None) -> GridTable:
    """A table of the image as a grid of recognised cells.

    The lines of text of each grid row's cells are set side by side into one strip, a blank gap between
    them, and read at once: the recogniser pads every image to a fixed minimum width, so a strip costs
    little more than one cell. Each character comes back with its position, which says whose it is.

    Each line is first cut out clean (only its ink kept, what a sharp scan needs: JPEG ringing around a
    glyph reads as a stroke), and a cell read with doubt is read again with the grey edges of its glyphs
    kept, which is what a blurred scan draws a thin stroke with. A page scanned below
    ``ScanSettings.halo_first_dpi`` is read the other way round: there most of a stroke is edge. A sure
    second reading that is a number replaces the first.
    """
    scan = options().scan
    # Below ``halo_first_dpi`` most of a stroke is edge: the edges are kept from the first reading on,
    # and the clean cut is the second try.
    low = prepared.source_dpi < scan.halo_first_dpi
    first, second = (scan.glyph_halo_px, 0) if low else (0, scan.glyph_halo_px)
    texts, scores, widths = _read_cells(prepared, table, range(len(table.cells)), first)
    _read_short_numbers_alone(prepared, table, first, (texts, scores, widths))
    doubtful = [n for n, score in scores.items() if score < scan.min_confidence]
    if first != second and doubtful:
        again, again_scores, _ = _read_cells(prepared, table, doubtful, second)
        for n in doubtful:
            # Only a sure second reading replaces the first: a doubtful first reading may still be
            # vouched for by the table's sums, a doubtful second one is no better evidence. Nor does a
            # reading that is no number replace one that is (a 0 beside a cell's border reads as D).
            reading = "".join(again.get(n, []))
            if again_scores.get(n, 0.0) >= scan.min_confidence \
                    and (_is_count(reading) or not _is_count("".join(texts.get(n, [])))):
                texts[n], scores[n] = again.get(n, []), again_scores[n]
    cells: list[TableCell] = []
    for n, cell in enumerate(table.cells):
        text, score = _as_digits("".join(texts.get(n, [])), scores.get(n))
        cells.append(TableCell(text, cell.row, cell.col, cell.rowspan, cell.colspan, page=number, confidence=score))
    # A row a page break cut open holds the table's values, or only a header or a label carried over
    # the break, which the page before holds whole (a lone empty header cell would hide its column).
    for open_row in sorted(table.open_rows, reverse=True):
        if not any(_is_count(c.text) for c in cells if c.row == open_row):
            cells = _without_row(cells, open_row)
    rows: dict[int, list[TableCell]] = {}
    for read in cells:
        rows.setdefault(read.row, []).append(read)
    return GridTable(tuple(tuple(rows[r]) for r in sorted(rows)), True, number)


def _without_row(cells: list[TableCell], row: int) -> list[TableCell]:
    """The grid with one row taken out: a cell spanning it is a row shorter, those below move up."""
    out = []
    for cell in cells:
        if cell.row <= row < cell.row + cell.rowspan:
            if cell.rowspan == 1:
                continue
            cell = attrs.evolve(cell, row=min(cell.row, row), rowspan=cell.rowspan - 1)
        elif cell.row > row:
            cell = attrs.evolve(cell, row=cell.row - 1)
        out.append(cell)
    return out


#: Letters the recogniser reads for a digit's glyph when nothing beside it says "number" (a row of lone
#: zeros comes back as ``o o o``).
_DIGIT_LOOKALIKES = str.maketrans({"o": "0", "O": "0", "D": "0", "〇": "0", "l": "1", "I": "1", "|": "1"})


def _as_digits(text: str, score: float | None) -> tuple[str, float | None]:
    """A cell read as letters that look like digits, and that no other reading makes a number of, as the
    digits, in doubt: kept only where the table's sums vouch for it (:func:`~govreport.decoding.rows.
    confirm_by_sums`).

    >>> _as_digits("o", 0.95)
    ('0', 0.79)
    >>> _as_digits("1O", None), _as_digits("其他", 0.9), _as_digits("12", 0.9)
    (('10', 0.79), ('其他', 0.9), ('12', 0.9))
    """
    digits = text.translate(_DIGIT_LOOKALIKES)
    if not text or _is_count(text) or not _is_count(digits):
        return text, score
    doubt = options().scan.min_confidence - 0.01
    return digits, doubt if score is None else min(score, doubt)


def _is_count(text: str) -> bool:
    return bool(text) and text.replace(",", "").replace(".", "", 1).isdigit()


#: What a reading of cells gives: each cell's characters, its lowest character score, and the width of
#: its line where it has one line.
_Readings = tuple[dict[int, list[str]], dict[int, float], dict[int, int]]


def _read_short_numbers_alone(prepared: Page, table: ImageTable, halo: int, readings: _Readings) -> None:
    """Numbers a strip read with fewer digits than their lines' widths hold, read again one cell an image.

    The reading alone stands when it has more digits and they fit the width; where it reads as the strip
    did, the two agree and the reading stands; otherwise the strip's reading stays, in doubt (kept only
    where the table's sums vouch for it)."""
    texts, scores, widths = readings
    read = {n: ("".join(texts.get(n, [])), width) for n, width in widths.items()}
    model = DigitWidths.fit(read.values())
    if model is None:
        return
    short = [n for n, reading in read.items() if model.short(reading)]
    if not short:
        return
    alone, alone_scores, _ = _read_cells(prepared, table, short, halo, alone=True)
    for n in short:
        text = "".join(alone.get(n, []))
        if text.isdigit() and not model.short((text, widths[n])) and len(text) > len(read[n][0]):
            texts[n], scores[n] = alone[n], min(scores.get(n, 1.0), alone_scores.get(n, 0.0))
        elif text != read[n][0]:
            scores[n] = min(scores.get(n, 1.0), options().scan.min_confidence - 0.01)


def _read_cells(prepared: Page, table: ImageTable, which: Iterable[int], halo: int, alone: bool = False
                ) -> _Readings:
    """The characters and the lowest character score of each of the cells ``which``, read row by row in
    strips (``alone``: each cell in strips of its own), and the width of each one-line cell's line;
    ``halo`` is how much grey edge around the glyphs the cut-out lines keep."""
    from .scanpage import text_lines

    strips: list[_Strip] = []
    by_row: dict[int, list[int]] = {}
    widths: dict[int, int] = {}
    for n in which:
        by_row.setdefault(n if alone else table.cells[n].row, []).append(n)
    for members in by_row.values():
        short, long = _Strip(), _Strip()
        for n in members:
            lines = text_lines(prepared, table.cells[n].box, halo)
            if len(lines) == 1:
                widths[n] = lines[0].shape[1]
            for crop in lines:
                is_short = crop.shape[1] <= crop.shape[0] * options().scan.short_line_ratio
                (short if is_short else long).add(crop, n)
        strips += [s for s in (long, short) if s.crops]
    texts: dict[int, list[str]] = {}
    scores: dict[int, float] = {}
    images = [s.image() for s in strips]
    results = _engine().text_rec(images, return_word_box=True)[0] if images else []
    for strip, image, result in zip(strips, images, results, strict=True):
        for owner, char, score in strip.assign(result, image.shape[1]):
            texts.setdefault(owner, []).append(char)
            scores[owner] = min(scores.get(owner, 1.0), score)
    # A cell with ink the recogniser made nothing of (a glyph against the border, a smudge) is no sure
    # blank: its score is nil, so it is read again and, if still nothing, named.
    for owner in {n for strip in strips for n in strip.owners} - set(texts):
        scores[owner] = 0.0
    return texts, scores, widths


class _Strip:
    """Line images of several cells set side by side, and whose each stretch of the strip is."""

    def __init__(self) -> None:
        self.crops: list[Any] = []
        self.owners: list[int] = []

    def add(self, crop: Any, owner: int) -> None:
        self.crops.append(crop)
        self.owners.append(owner)

    def image(self) -> Any:
        scan = options().scan
        import numpy as np

        height = max(c.shape[0] for c in self.crops)
        parts = []
        self.spans: list[tuple[int, int]] = []
        x = 0
        for crop in self.crops:
            top = (height - crop.shape[0]) // 2
            padded = np.full((height, crop.shape[1], 3), 255, np.uint8)
            padded[top:top + crop.shape[0]] = crop
            parts += [padded, np.full((height, scan.strip_gap_px, 3), 255, np.uint8)]
            self.spans.append((x, x + crop.shape[1]))
            x += crop.shape[1] + scan.strip_gap_px
        return np.hstack(parts[:-1])

    def assign(self, result: Any, width: int) -> list[tuple[int, str, float]]:
        """(owner, character, confidence) for each character read, by where it stands in the strip."""
        scan = options().scan
        if len(result) < 3 or not result[0]:
            return []
        steps, words, columns, _kinds, confidences = result[2]
        chars = [ch for word in words for ch in word]
        places = [col for word_columns in columns for col in word_columns]
        out = []
        for ch, col, score in zip(chars, places, confidences, strict=False):
            x = col / steps * width
            owner = next((o for o, (a, b) in zip(self.owners, self.spans, strict=True)
                          if a - scan.strip_gap_px / 2 <= x <= b + scan.strip_gap_px / 2), None)
            if owner is not None and not ch.isspace():
                out.append((owner, ch, float(score)))
        return out


def _chars_outside(prepared: Page, to_points: Callable[[float, float], tuple[float, float]]) -> list[Char]:
    """Text outside the tables, as characters spread over each recognised line.

    Lines are detected on smaller copies of the page's inked bands (the detector needs no more to find a
    line of text, :func:`_detect_lines`) and read from the full image.
    """
    scan = options().scan
    import cv2

    image = prepared.gray.copy()
    ink = prepared.ink.copy()
    for table in prepared.tables:
        x0, y0, x1, y1 = table.box
        area = (slice(max(0, y0 - 2), y1 + 2), slice(max(0, x0 - 2), x1 + 2))
        image[area] = 255
        ink[area] = False
    color = cv2.cvtColor(image, cv2.COLOR_GRAY2BGR)
    boxes = _detect_lines(color, ink)
    if not len(boxes):
        return []
    crops = _engine().get_crop_img_list(color, boxes)
    results = _engine().text_rec(crops, return_word_box=True)[0]
    chars: list[Char] = []
    for box, crop, result in zip(boxes, crops, results, strict=True):
        text, score = _line_text(crop, result)
        if not text or score < scan.min_text_confidence:
            continue
        points = [to_points(float(p[0]), float(p[1])) for p in box]
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        left, right, bottom, top = min(xs), max(xs), min(ys), max(ys)
        step = (right - left) / len(text)
        for n, ch in enumerate(text):
            chars.append(Char.at(ch, left + n * step, bottom, left + (n + 1) * step, top))
    return chars


def _detect_lines(color: Any, ink: Any) -> Any:
    """The boxes (four corners, working-resolution pixels) of the lines of text on a page image.

    The detector's cost grows with the pixels it is given, so it is given only the bands of the page
    that hold ink (at ``ScanSettings.detect_dpi``, with a margin): not the page's blank margins, nor the
    tables (whitened by the caller), nor a page that is all table. Its boxes stay within a few pixels of
    those it finds on the whole page (at most 12 at the working resolution, half of them within 3, on
    300 lines of four scanned reports).
    """
    scan = options().scan
    import cv2
    import numpy as np

    from .scanpage import positions_runs

    factor = scan.detect_dpi / scan.dpi
    margin = int(scan.dpi * scan.detect_margin_inches)
    height, width = ink.shape
    found = []
    for top, bottom in positions_runs(ink.sum(axis=1) >= scan.detect_min_row_ink,
                                      int(scan.dpi * scan.detect_band_gap_inches)):
        inked = np.flatnonzero(ink[top:bottom].any(axis=0))
        x0, x1 = max(0, int(inked[0]) - margin), min(width, int(inked[-1]) + 1 + margin)
        y0, y1 = max(0, top - margin), min(height, bottom + margin)
        band = cv2.resize(color[y0:y1, x0:x1], None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA)
        boxes, _ = _engine().text_det(band)
        if boxes is not None and len(boxes):
            found.append(np.asarray(boxes, dtype=np.float32) / factor + np.array([x0, y0], dtype=np.float32))
    return np.concatenate(found) if found else np.zeros((0, 4, 2), np.float32)


def _line_text(crop: Any, result: Any) -> tuple[str, float]:
    """A recognised line's text without spaces, its marks at the width they have on the image."""
    from .punctwidth import pair_quotes, settle_widths

    text, score = str(result[0]), float(result[1])
    if len(result) < 3 or not result[2] or not result[2][1]:
        return pair_quotes(text.replace(" ", "")), score
    steps, words, columns = result[2][0], result[2][1], result[2][2]
    placed = [(ch, (col + 0.5) / steps * crop.shape[1])
              for word, word_columns in zip(words, columns, strict=False)
              for ch, col in zip(word, word_columns, strict=False) if not ch.isspace()]
    if not placed:
        return "", score
    chars, centres = zip(*placed, strict=True)
    return pair_quotes("".join(settle_widths(chars, centres, crop))), score
