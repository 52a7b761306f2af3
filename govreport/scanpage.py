"""The geometry of a scanned page: straighten it, find its ruling lines, and cut its tables into cells.

A scan is a picture of a page, a little rotated, blurred and noisy, at whatever resolution the scanner
used. Everything here works on the grey image with OpenCV (which RapidOCR brings): the page is brought
to a working resolution, its skew is measured on the long horizontal strokes (table borders, underlines)
and undone, the borders are found by morphological opening with long thin kernels, and each table is cut
into a grid whose merged cells follow from the border segments that are missing — the way the text-PDF
reader builds grids from vector lines. Tuning constants live in :data:`govreport.settings.SCAN`.
"""

from __future__ import annotations

from typing import Any

import attrs

from .fieldrepr import FieldRepr
from .gridmerge import merge_cells
from .settings import options


@attrs.frozen(repr=False)
class GridCell(FieldRepr):
    """A cell of a table found in the image: grid position, span, and its box in pixels."""

    row: int
    col: int
    rowspan: int
    colspan: int
    box: tuple[int, int, int, int]  # left, top, right, bottom


@attrs.frozen(repr=False)
class ImageTable(FieldRepr):
    """A table found in the image: its outline and its cells."""

    box: tuple[int, int, int, int]
    cells: tuple[GridCell, ...]
    #: Grid rows that a page break cut open (first or last, no rule drawn there): a row of the table, or
    #: a header or label carried over the break, which only the recognised text tells apart.
    open_rows: tuple[int, ...] = ()


@attrs.frozen(repr=False)
class Page(FieldRepr):
    """A page prepared for recognition: straight, at the working resolution, with its tables cut."""

    gray: Any  # numpy uint8 array, white paper
    ink: Any  # numpy bool array: dark pixels that are not ruling lines
    #: The ruling lines with the grey edge around them (numpy bool array).
    lines: Any
    tables: tuple[ImageTable, ...]
    #: Degrees the scan was rotated by (counter-clockwise positive), undone in ``gray``.
    skew: float
    #: Pixels per point of the PDF page, to map boxes back to page coordinates.
    scale: float
    #: The resolution the page was scanned at (dots per inch), before it was brought to the working one.
    source_dpi: float = 0.0


def prepare(gray: Any, points_wide: float) -> Page:
    """Straighten a page image and find its tables. ``points_wide`` is the PDF page width in points."""
    scan = options().scan
    import cv2

    source_dpi = gray.shape[1] / points_wide * 72
    gray = _to_working_resolution(gray, points_wide)
    skew = _skew(gray)
    if abs(skew) >= scan.min_skew_degrees:
        height, width = gray.shape
        matrix = cv2.getRotationMatrix2D((width / 2, height / 2), -skew, 1.0)
        gray = cv2.warpAffine(gray, matrix, (width, height), flags=cv2.INTER_LINEAR, borderValue=255)
    dark = _dark(gray)
    horizontal, vertical = _line_masks(dark, gray < scan.max_ink_level)
    boxes = [part for box in _table_boxes(horizontal, vertical) for part in _stacked(vertical, box)]
    tables = tuple(t for t in (_table(horizontal, vertical, box) for box in boxes) if t is not None)
    ink = dark & ~(_grow(horizontal, scan.line_clear_px) | _grow(vertical, scan.line_clear_px))
    lines = _grow(horizontal | vertical, scan.glyph_halo_px) if scan.glyph_halo_px else horizontal | vertical
    return Page(gray, ink, lines, tables, skew, gray.shape[1] / points_wide, source_dpi)


def _to_working_resolution(gray: Any, points_wide: float) -> Any:
    """Scale the image so that it has ``ScanSettings.dpi`` dots per inch (scans come at 120–300 dpi)."""
    import cv2

    scan = options().scan
    dpi = gray.shape[1] / points_wide * 72
    factor = scan.dpi / dpi
    if abs(factor - 1) >= 0.08:
        interpolation = cv2.INTER_AREA if factor < 1 else cv2.INTER_CUBIC
        gray = cv2.resize(gray, None, fx=factor, fy=factor, interpolation=interpolation)
    if dpi < scan.sharpen_below_dpi:
        # A coarse scan, blown up, has soft strokes that the recogniser misreads (白 for 自, a 3 for an 8):
        # an unsharp mask gives them back their edges.
        soft = cv2.GaussianBlur(gray, (0, 0), scan.sharpen_sigma_px)
        gray = cv2.addWeighted(gray, 1 + scan.sharpen_amount, soft, -scan.sharpen_amount, 0)
    return gray


def _dark(gray: Any) -> Any:
    """Ink and lines: pixels darker than the page's Otsu threshold (and clearly darker than paper)."""
    import cv2

    threshold, _ = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    return gray < min(threshold, options().scan.max_ink_level)


def _skew(gray: Any) -> float:
    """The page's rotation in degrees, from the slope of its long horizontal strokes."""
    import cv2
    import numpy as np

    dark = _dark(gray).astype(np.uint8)
    width = gray.shape[1]
    # Short kernels survive a rotation of a degree or two: the stroke drifts < 1 px along them.
    strokes = cv2.morphologyEx(dark, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (40, 1)))
    strokes = cv2.dilate(strokes, cv2.getStructuringElement(cv2.MORPH_RECT, (9, 3)))
    count, _, stats, _ = cv2.connectedComponentsWithStats(strokes)
    angles, weights = [], []
    labels = cv2.connectedComponents(strokes)[1]
    for n in range(1, count):
        x, y, w, h, _area = stats[n]
        if w < width * options().scan.skew_stroke_share or h > w * 0.1:
            continue
        ys, xs = np.nonzero(labels[y:y + h, x:x + w] == n)
        slope = np.polyfit(xs, ys, 1)[0]
        angles.append(-np.degrees(np.arctan(slope)))
        weights.append(w)
    if not angles:
        return 0.0
    order = np.argsort(angles)
    cumulative = np.cumsum(np.asarray(weights)[order])
    return float(np.asarray(angles)[order][np.searchsorted(cumulative, cumulative[-1] / 2)])


def _line_masks(dark: Any, faint: Any) -> tuple[Any, Any]:
    """Horizontal and vertical ruling lines: long thin runs of dark pixels, small breaks closed.

    A hairline border comes out grey, not black, once a fine scan is brought down to the working
    resolution, and some tables are ruled in grey: lighter than the ink threshold, which sits between
    the text's black and the paper. So lines are also looked for among the ``faint`` pixels (anything
    clearly darker than paper), where only thin runs count: a grey-shaded cell is long too, but thick.
    """
    scan = options().scan
    import cv2
    import numpy as np

    # Longer than any stroke of a character, shorter than the border of the smallest cell.
    across = int(scan.dpi * scan.horizontal_line_inches)
    down = int(scan.dpi * scan.vertical_line_inches)
    rect = cv2.getStructuringElement

    def runs(mask: Any, along: tuple[int, int], closing: tuple[int, int] | None = None) -> Any:
        binary = mask.astype(np.uint8)
        if closing:
            binary = cv2.morphologyEx(binary, cv2.MORPH_CLOSE, rect(cv2.MORPH_RECT, closing))
        return cv2.morphologyEx(binary, cv2.MORPH_OPEN, rect(cv2.MORPH_RECT, along))

    def faint_lines(along: tuple[int, int], across_it: tuple[int, int]) -> Any:
        lines = runs(faint, along)
        # Thick grey is shading; a line mostly of black pixels is the ink's own (found above), or the
        # grey edges of glyphs joining their strokes into a run.
        lines[cv2.morphologyEx(lines, cv2.MORPH_OPEN, rect(cv2.MORPH_RECT, across_it)) > 0] = 0
        count, labels, stats, _ = cv2.connectedComponentsWithStats(lines)
        if count <= 1:
            return lines
        black = np.bincount(labels.ravel(), weights=dark.ravel(), minlength=count)
        keep = black < stats[:, cv2.CC_STAT_AREA] * scan.faint_line_max_ink
        keep[0] = False
        return keep[labels].astype(np.uint8)

    thick = max(2, round(scan.dpi * scan.max_line_inches))
    # A faint line must be unbroken: closing gaps would join the grey edges of a column of glyphs.
    horizontal = runs(dark, (across, 1), (scan.gap_px, 1)) | faint_lines((across, 1), (1, thick))
    vertical = runs(dark, (1, down), (1, scan.gap_px)) | faint_lines((1, down), (thick, 1))
    return horizontal.astype(bool), vertical.astype(bool)


def _grow(mask: Any, pixels: int) -> Any:
    import cv2
    import numpy as np

    kernel = np.ones((2 * pixels + 1, 2 * pixels + 1), np.uint8)
    return cv2.dilate(mask.astype(np.uint8), kernel).astype(bool)


def _table_boxes(horizontal: Any, vertical: Any) -> list[tuple[int, int, int, int]]:
    """Boxes of the regions where horizontal and vertical lines meet: the tables."""
    scan = options().scan
    import cv2
    import numpy as np

    grid = _grow(horizontal | vertical, scan.join_px).astype(np.uint8)
    count, _, stats, _ = cv2.connectedComponentsWithStats(grid)
    boxes = []
    for n in range(1, count):
        x, y, w, h, _ = stats[n]
        if w >= scan.min_table_px and h >= scan.min_table_px:
            boxes.append((int(x), int(y), int(x + w), int(y + h)))
    return sorted(boxes, key=lambda b: b[1])


def _stacked(vertical: Any, box: tuple[int, int, int, int]) -> list[tuple[int, int, int, int]]:
    """The tables a region of lines holds, top to bottom. Two tables set one under the other with a
    heading between them join into one region where the heading's strokes touch both; the tables' outer
    borders, left and right, both stop along the heading, and there the region is cut."""
    scan = options().scan
    import numpy as np

    left, top, right, bottom = box
    v = vertical[top:bottom, left:right]
    xs = _positions(v.sum(axis=0), (bottom - top) * scan.grid_line_share)
    if len(xs) < 2:
        return [box]
    reach = scan.merge_px // 2

    def side(x: int) -> Any:
        return v[:, max(0, x - reach):x + reach + 1].any(axis=1)

    open_sides = ~(side(xs[0]) | side(xs[-1]))
    edges = np.flatnonzero(np.diff(np.concatenate(([0], open_sides.astype(np.int8), [0]))))
    parts, start = [], 0
    for a, b in zip(edges[::2], edges[1::2], strict=True):
        if a > 0 and b < len(open_sides) and b - a >= scan.min_text_height_px:
            parts.append((left, top + start, right, top + int(a)))
            start = int(b)
    parts.append((left, top + start, right, bottom))
    return [p for p in parts if p[3] - p[1] >= scan.min_table_px] if len(parts) > 1 else [box]


def _positions(profile: Any, minimum: float) -> list[int]:
    """Centres of the runs where a projection reaches ``minimum``: where lines are."""
    import numpy as np

    hits = np.flatnonzero(profile >= minimum)
    if hits.size == 0:
        return []
    runs = np.split(hits, np.flatnonzero(np.diff(hits) > options().scan.merge_px) + 1)
    return [int(run.mean()) for run in runs]


def _table(horizontal: Any, vertical: Any, box: tuple[int, int, int, int]) -> ImageTable | None:
    scan = options().scan
    left, top, right, bottom = box
    h = horizontal[top:bottom, left:right]
    v = vertical[top:bottom, left:right]
    ys = _positions(h.sum(axis=1), (right - left) * scan.grid_line_share)
    xs = _positions(v.sum(axis=0), (bottom - top) * scan.grid_line_share)
    ys = _within_outer_rules(h, v, [y for y in ys if _meets_borders(h, y, xs)], xs)
    opened: tuple[int, ...] = ()
    if len(xs) >= 2 and ys:
        ys, opened = _open_ends(v, ys, xs)
    if len(ys) < 2 or len(xs) < 2:
        return None
    xs = _close_cut_columns(h, ys, xs, left, right, horizontal.shape[1])
    cells = _merged_cells(h, v, ys, xs)
    # The table ends at its outer borders: strokes of a heading set close under it may have joined the
    # lines' region, and what lies outside the grid is text of the page.
    edge = scan.merge_px
    box = (left + max(0, xs[0] - edge), top + max(0, ys[0] - edge), left + min(right - left, xs[-1] + edge),
           top + min(bottom - top, ys[-1] + edge))
    return ImageTable(box, tuple(attrs.evolve(c, box=(c.box[0] + left, c.box[1] + top, c.box[2] + left,
                                                       c.box[3] + top)) for c in cells), opened)


def _close_cut_columns(h: Any, ys: list[int], xs: list[int], left: int, right: int, page_width: int) -> list[int]:
    """The vertical lines with a border added at either end of the table where the page edge cut off its
    last column (a table wider than its page): its rules run on, past the last vertical line, to the edge.
    """
    scan = options().scan
    open_px = int(scan.dpi * scan.open_column_inches)
    edge_px = int(scan.dpi * scan.page_edge_inches)
    width = right - left
    rows = [h[max(0, y - scan.border_band_px):y + scan.border_band_px + 1].any(axis=0) for y in ys]
    out = list(xs)
    if right >= page_width - edge_px and width - 1 - xs[-1] >= open_px \
            and sum(bool(r[xs[-1]:].all()) for r in rows) * 2 >= len(rows):
        out.append(width - 1)
    if left <= edge_px and xs[0] >= open_px and sum(bool(r[:xs[0] + 1].all()) for r in rows) * 2 >= len(rows):
        out.insert(0, 0)
    return out


def _within_outer_rules(h: Any, v: Any, ys: list[int], xs: list[int]) -> list[int]:
    """The horizontal lines from the table's first rule across its whole width to its last: a table is
    framed top and bottom, and a shorter line outside the frame is the joined strokes of a heading set close
    above or under it. Where a page break cuts the table (a browser draws no rule there), its side borders
    run on past the last full rule, and the lines between them are the table's."""
    scan = options().scan
    full = [y for y in ys
            if h[max(0, y - scan.border_band_px):y + scan.border_band_px + 1].any(axis=0).mean() >= 0.9]
    if len(full) < 2:
        return ys
    return [y for y in ys if full[0] <= y <= full[-1] or (y > full[-1] and _framed(v, xs, full[-1], y))
            or (y < full[0] and _framed(v, xs, y, full[0]))]


def _framed(v: Any, xs: list[int], a: int, b: int) -> bool:
    """Whether the table's outer vertical borders both run from ``a`` down to ``b``."""
    return _has_border(v, xs[0], a, b, 1) and _has_border(v, xs[-1], a, b, 1)


def _open_ends(v: Any, ys: list[int], xs: list[int]) -> tuple[list[int], tuple[int, ...]]:
    """The rules with one added where a page break cut the table: its side borders run on past its first
    or last rule by a row's height at least, and the row there ends where they do (a browser draws no rule
    at the cut). Also the grid rows so opened."""
    scan = options().scan
    import numpy as np

    reach = scan.border_band_px
    ends = []
    for x in (xs[0], xs[-1]):
        rows = np.flatnonzero(v[:, max(0, x - reach):x + reach + 1].any(axis=1))
        if rows.size == 0:
            return ys, ()
        ends.append((int(rows[0]), int(rows[-1])))
    top, bottom = max(a for a, _ in ends), min(b for _, b in ends)
    row = scan.glyph_inches * scan.dpi
    out, opened = list(ys), []
    if ys[0] - top >= row and _framed(v, xs, top, ys[0]):
        out.insert(0, top)
        opened.append(0)
    if bottom - ys[-1] >= row and _framed(v, xs, ys[-1], bottom):
        out.append(bottom)
        opened.append(len(out) - 2)
    return out, tuple(opened)


def _meets_borders(h: Any, y: int, xs: list[int]) -> bool:
    """A horizontal line that meets a vertical border: a border. An underline stands free at both ends."""
    scan = options().scan
    import numpy as np

    band = h[max(0, y - scan.border_band_px):y + scan.border_band_px + 1].any(axis=0)
    edges = np.flatnonzero(np.diff(np.concatenate(([0], band.astype(np.int8), [0]))))
    tolerance = scan.merge_px + scan.border_band_px
    near = np.asarray(xs)
    for start, end in zip(edges[::2], edges[1::2], strict=True):
        if np.abs(near - start).min() <= tolerance or np.abs(near - (end - 1)).min() <= tolerance:
            return True
    return False


def _has_border(mask: Any, at: int, start: int, end: int, axis: int) -> bool:
    """Whether a border runs along ``at`` (a row for axis 0, a column for axis 1) from start to end."""
    scan = options().scan
    import numpy as np

    pad = scan.border_band_px
    inset = max(1, (end - start) // 6)
    if axis == 0:
        band = mask[max(0, at - pad):at + pad + 1, start + inset:end - inset]
        covered = band.any(axis=0)
    else:
        band = mask[start + inset:end - inset, max(0, at - pad):at + pad + 1]
        covered = band.any(axis=1)
    return bool(covered.size) and float(np.mean(covered)) >= scan.border_coverage


def _merged_cells(h: Any, v: Any, ys: list[int], xs: list[int]) -> list[GridCell]:
    """The grid's cells, elementary cells joined where the border between them is missing."""
    _, spans = merge_cells(
        len(ys) - 1, len(xs) - 1,
        lambda r, c: not _has_border(v, xs[c + 1], ys[r], ys[r + 1], 1),
        lambda r, c: not _has_border(h, ys[r + 1], xs[c], xs[c + 1], 0))
    cells = [GridCell(top, left, bottom - top + 1, right - left + 1, (xs[left], ys[top], xs[right + 1], ys[bottom + 1]))
             for top, left, bottom, right in spans.values()]
    return sorted(cells, key=lambda c: (c.row, c.col))


def text_lines(page: Page, box: tuple[int, int, int, int], halo: int = 0) -> list[Any]:
    """The lines of text inside a box (a table cell), each cut out as an image for the recogniser, with
    ``halo`` pixels of grey edge kept around the glyphs' ink."""
    scan = options().scan
    import numpy as np

    left, top, right, bottom = box
    inset = scan.cell_inset_px
    ink = page.ink[top + inset:bottom - inset, left + inset:right - inset]
    if ink.size == 0 or ink.sum() < scan.min_ink_px:
        return []
    rows = positions_runs(ink.sum(axis=1) > 0, scan.line_gap_px)
    out: list[Any] = []
    for a, b in rows:
        band = ink[a:b]
        xs = np.flatnonzero(band.any(axis=0))
        if b - a < scan.min_text_height_px or xs.size == 0 or band.sum() < scan.min_ink_px:
            continue
        if b - a > scan.dpi * scan.glyph_inches * 2 and b - a > 2 * (xs[-1] - xs[0] + 1):
            # A column of glyphs set close (vertical text): every blank row parts two glyphs.
            out += [_cut(page, left + inset, top + inset, band[c:d], c, d, halo)
                    for c, d in positions_runs(band.any(axis=1), 0) if d - c >= scan.min_text_height_px]
        else:
            out.append(_cut(page, left + inset, top + inset, band, a, b, halo))
    return _vertical_as_one_line(out)


def _cut(page: Page, left: int, top: int, band: Any, a: int, b: int, halo: int) -> Any:
    """One line's image: the grey pixels around its ink, border strokes in the margin whitened; marks
    other than the glyphs (and, with ``halo``, their grey edges) whitened too."""
    scan = options().scan
    import numpy as np

    xs = np.flatnonzero(band.any(axis=0))
    pad = scan.crop_pad_px
    y0, y1 = top + a, top + b
    x0, x1 = left + int(xs[0]), left + int(xs[-1]) + 1
    window = (slice(max(0, y0 - pad), y1 + pad), slice(max(0, x0 - pad), x1 + pad))
    crop = page.gray[window].copy()
    keep = page.ink[window].copy()
    # An underline: rows in the lower part of the line inked over most of its width.
    width = x1 - x0
    rows = keep.sum(axis=1)
    lower = np.arange(keep.shape[0]) > keep.shape[0] * 0.6
    keep[lower & (rows >= width * scan.underline_share)] = False
    if halo:
        # A glyph's grey edge is lighter than the ink threshold but is the glyph: in a blurred scan at a
        # low resolution much of a thin stroke is edge. Only marks clear of the glyphs are whitened.
        import cv2

        size = 2 * halo + 1
        keep = cv2.dilate(keep.astype(np.uint8), np.ones((size, size), np.uint8)).astype(bool) & ~page.lines[window]
    crop[~keep & (crop < scan.max_ink_level)] = 255
    return np.dstack([crop] * 3)


def _vertical_as_one_line(lines: list[Any]) -> list[Any]:
    """Text set vertically in a tall narrow cell (三、本年度办理结果) comes out one glyph per line: it is
    read as one line, the glyphs side by side in reading order."""
    import numpy as np

    if len(lines) < options().scan.vertical_min_glyphs or any(ln.shape[1] > ln.shape[0] * 1.6 for ln in lines):
        return lines
    height = max(ln.shape[0] for ln in lines)
    parts = []
    for line in lines:
        padded = np.full((height, line.shape[1], 3), 255, np.uint8)
        top = (height - line.shape[0]) // 2
        padded[top:top + line.shape[0]] = line
        parts.append(padded)
    return [np.hstack(parts)]


def positions_runs(flags: Any, gap: int) -> list[tuple[int, int]]:
    """(start, end) of runs of True, runs at most ``gap`` apart joined."""
    import numpy as np

    hits = np.flatnonzero(flags)
    if hits.size == 0:
        return []
    runs = np.split(hits, np.flatnonzero(np.diff(hits) > gap + 1) + 1)
    return [(int(run[0]), int(run[-1]) + 1) for run in runs]
