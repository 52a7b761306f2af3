"""Tuning constants and limits of reading, in one place.

Each is a field of a frozen settings object with its reason beside it, so that a change is made once
and a reader of the code finds every limit here (pdfplumber's settings objects are the model). The five
groups travel together as one :class:`ReadOptions`, which :func:`govreport.read`, ``read_many`` and
``convert`` accept; the code reads the options in force with :func:`options`.

>>> import govreport
>>> tight = ReadOptions(limits=Limits(max_text_bytes=1000))
>>> try:
...     govreport.read_bytes("一、总体情况".encode() * 100, "big.txt", options=tight)
... except govreport.GovReportError as exc:
...     print(exc.detail)
a text of 1.76 KB is no report (limit: 1000 bytes)
>>> options().decoder.max_readings
2000
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar

import attrs

from .fieldrepr import FieldRepr


@attrs.frozen(repr=False)
class DecoderSettings(FieldRepr):
    """Bounds on the search that places values into table cells (:mod:`govreport.assign`)."""

    #: Readings of one row kept before giving up on it: a long glued digit run has exponentially many
    #: cuts, and a row with more readings than this cannot be settled by its own sums anyway.
    max_readings: int = 2000
    #: Steps (numbers cut) the search of one row may take before it gives up on the row.
    max_steps: int = 50000
    #: Combinations of doubtful rows tried against the sums across rows (T3-SUM, T3-BAL).
    max_combinations: int = 20000
    #: Places where a number may continue on the next line that are tried together (2ⁿ joinings).
    max_joints: int = 10
    #: Text extractors that cut a table into blocks print a block of cells early or late (a column under a
    #: tall header): a block moved at most this many places (two rows of table 3) is put back by the sums.
    moved_block_span: int = 14
    #: A table 3 whose values are read in the template's order (its labels lost their places) may still
    #: break this many sums — its authors' own slips, which the validator then reports — as long as no
    #: other order of the values breaks as few.
    broken_sums_in_order: int = 2
    #: Distinct readings of a table 3 printed in blocks of rows, some column by column
    #: (:mod:`govreport.decoding.transposed`), kept before giving up: zeros make most blocks agree, so a
    #: real table has a handful.
    max_block_readings: int = 256
    #: More values than cells in a row whose sums can weigh them: up to this many surplus values are read
    #: as repeats of a merged cell or as strays at either end, every way weighed by the sums; a row with
    #: more is a run of several rows' values, and stays blank.
    max_surplus_values: int = 3
    #: Digits one cell of a glued run may take: more than any count or amount in 元 a report prints.
    max_cell_digits: int = 12
    #: Alternatives listed in a finding for an undecided cell.
    listed_alternatives: int = 4
    #: A label that matches no official one by its words is taken for the nearest official label when
    #: it comes this close (difflib ratio) and this much closer than to any other.
    near_miss_ratio: float = 0.8
    near_miss_margin: float = 0.1
    #: A grid row whose label matches no official one is taken for the one row the template has in its
    #: place (between the rows read before and after it) when at least this share of its characters stand,
    #: in order, in that row's label (a low-resolution scan's ``四、结转维理``: 5 of 6).
    placed_label_share: float = 0.6
    #: Misread labels (no label of the table, nor a piece of one) in table 2 from which its numbers are
    #: named as unchecked: words garbled that often mean a text made by OCR, whose digits may be garbled
    #: too, and table 2 has no sums to catch them. Clean text of the corpus and of every tool tried has
    #: none or one (a running page header).
    garbled_labels: int = 3
    #: A label counts as misread when it comes this close (difflib ratio) to one of the table's labels.
    garbled_label_likeness: float = 0.5
    #: A paragraph longer than this may be a whole page glued into one line (crawler text): the
    #: assembler looks for section headings inside it.
    glued_paragraph: int = 160
    #: Lines a line of bare values may stand from the row it is put back into (laid-out text,
    #: :mod:`govreport.decoding.strays`): 1, right next to it — page furniture stands further apart.
    stray_reach: int = 1
    #: A way of counting positions (characters, or CJK-wide columns) lines a table's values up "clearly
    #: better" than the other when its distinct positions are at most this share of the other's.
    aligned_share: float = 0.75
    #: In a table's text where at least this share of lines stand one empty line apart, an empty line
    #: separates blocks (pdftotext's plain mode puts one after each block of text) and only a second one
    #: may be a blank cell; a dump of one cell per line (BeautifulSoup) has empty lines at blank cells only
    #: (≤ 4 % of its lines in the corpus, ≥ 25 % in pdftotext's plain text of browser PDFs).
    separating_blank_share: float = 0.2


DECODER = DecoderSettings()


@attrs.frozen(repr=False)
class LayoutSettings(FieldRepr):
    """How paragraphs are recognised as parts of a report (:mod:`govreport.layout`)."""

    #: Text after a section's numeral that comes this close (difflib ratio) to one of its wordings is its
    #: heading printed with a typo (一 character left out, added or changed in a heading of ~15).
    heading_near_miss_ratio: float = 0.88
    #: Running headers and footers are looked for among this many lines at the top and at the bottom of each
    #: page (:mod:`govreport.running`).
    running_edge_lines: int = 2
    #: In text without geometry, a line shaped like a header or footer (an address, a print time, a
    #: title) that comes back this many times, the same but for its digits, is one.
    running_text_repeats: int = 3
    #: A text with this many tabs or pipes standing between two pieces of text is a page's text nodes
    #: joined with that separator (BeautifulSoup's get_text("|")), not a table's rows.
    joined_nodes: int = 40
    #: A piece between two pipes longer than this is running text, not a table's cell: a page's text on
    #: one line (get_text(" ", strip=True)) holds a few pipes of its menus, and is no table row.
    longest_cell: int = 400
    #: A line at least this long that stops mid-sentence is a line of a paragraph wrapped at the page's
    #: width (PDF text) when the next line is not much longer (this share of the next at least): a report's
    #: name inside such a line (…关于编制公布2021年政府信息公开工作年度报告有关事项) is no title.
    wrapped_line_min: int = 20
    wrapped_line_share: float = 0.8
    #: This many lines of one character each, in a row, are a label printed a character a line (a tool
    #: that gave each character of a cell its own line), and are read as one line.
    letter_column_min: int = 3
    #: A row of a text table (pipes) is a line of running text when, its cells joined, it holds this many
    #: CJK characters and a comma or a full stop; a text table with this share of such rows is a
    #: paragraph a converter took for a table (markitdown sets lines of a PDF's prose as table rows).
    prose_row_min_cjk: int = 12
    prose_table_share: float = 0.6


LAYOUT = LayoutSettings()


@attrs.frozen(repr=False)
class ScanSettings(FieldRepr):
    """How scanned pages are straightened, cut into cells and recognised (:mod:`govreport.scanpage`,
    :mod:`govreport.ocr`). Pixel sizes are at the working resolution ``dpi``."""

    #: Every page is brought to this resolution first: 五号 text is then ~25 px high, what the
    #: recogniser reads best, and the other constants below hold for any scan from 120 to 300 dpi.
    dpi: int = 180
    #: Rotations smaller than this are left alone.
    min_skew_degrees: float = 0.05
    #: A page scanned at fewer dots per inch than this is sharpened once brought up to ``dpi`` (an unsharp
    #: mask of this amount and radius): a 120-dpi blurred office scan 56 → 75 % of cells, clean ones as before.
    sharpen_below_dpi: float = 140.0
    sharpen_amount: float = 1.5
    sharpen_sigma_px: float = 1.5
    #: Strokes at least this share of the page width measure the skew.
    skew_stroke_share: float = 0.08
    #: Paper is lighter than this grey level whatever the scanner's contrast.
    max_ink_level: int = 200
    #: A ruling line is longer than any character stroke: 1/3 inch across, 1/5 inch down.
    horizontal_line_inches: float = 0.33
    vertical_line_inches: float = 0.2
    #: A ruling line is at most this thick (a 3 pt rule, blurred); grey areas thicker than this are
    #: shading, not lines.
    max_line_inches: float = 0.06
    #: A grey line (a hairline brought down from a fine scan, a grey rule) has at most this share of its
    #: pixels as dark as ink.
    faint_line_max_ink: float = 0.5
    #: Breaks in a scanned line up to this long are closed before lines are looked for.
    gap_px: int = 5
    #: Lines this close together belong to one table.
    join_px: int = 3
    #: A table is at least this tall and wide.
    min_table_px: int = 100
    #: Line positions this close are one line (a line 2–4 px thick, slightly bent).
    merge_px: int = 6
    #: A grid line covers at least this share of its table's width or height.
    grid_line_share: float = 0.12
    #: A table's horizontal rules that run on at least this far past its last vertical line, to within
    #: ``page_edge_inches`` of the page's edge, close a column whose outer border the page edge cut off.
    open_column_inches: float = 0.25
    page_edge_inches: float = 0.1
    #: A border between two cells: line pixels within this band along at least this share of it.
    border_band_px: int = 3
    border_coverage: float = 0.6
    #: Pixels next to a ruling line that still count as the line (anti-aliasing, blur), not as ink.
    line_clear_px: int = 0
    #: Cell contents are looked for this far inside the borders.
    cell_inset_px: int = 3
    #: Fewer dark pixels than this are noise, not ink.
    min_ink_px: int = 12
    #: Text lines in a cell: at least this high, separated by at least this many blank rows.
    min_text_height_px: int = 6
    line_gap_px: int = 3
    #: The height of a glyph of 五号 table text; a line taller than two is a column of glyphs.
    glyph_inches: float = 0.15
    #: A cell holding at least this many lines of one glyph each is text set vertically.
    vertical_min_glyphs: int = 3
    #: A line at most this many times as wide as high is a short token (a number): short tokens and
    #: long labels are read in separate strips, so that a hard label does not unsettle the numbers.
    short_line_ratio: float = 3.0
    #: A row of a text line inked over this share of its width, low in the line, is an underline.
    underline_share: float = 0.7
    #: A cell read with less confidence than ``min_confidence`` is read again with the grey pixels this
    #: close to its glyphs' ink kept as their edges (a blurred low-resolution scan draws a thin stroke
    #: mostly as edge); the surer of the two readings stands. 0 reads every cell once.
    glyph_halo_px: int = 2
    #: A page scanned at fewer dots per inch than this is read with the glyphs' edges kept from the start
    #: (the clean cut is then the second try).
    halo_first_dpi: float = 140.0
    #: White margin around each cut-out line, as the recogniser was trained on.
    crop_pad_px: int = 4
    #: Cells whose recognition scores below this are left blank with a finding.
    min_confidence: float = 0.8
    #: Line images the recogniser reads in one batch.
    batch: int = 1
    #: A page whose reading holds fewer sure characters than this (running text, and table labels read
    #: surely) is tried turned, if at least ``min_page_ink`` of it is ink: a sheet scanned upside down or
    #: sideways reads as a few doubtful scraps.
    orientation_check_below: int = 50
    min_page_ink: float = 0.004
    #: A PDF page with at most this many characters of text and images over at least this share of it is
    #: a scan (a stamped page number or a scanner's header may be its only text), read by OCR.
    scanned_page_max_chars: int = 40
    scanned_page_image_share: float = 0.5
    #: A PDF page whose text layer has less than this share of its characters in the script a report is
    #: written in (Chinese, ASCII and their punctuation) cannot be decoded — fonts without a map to
    #: Unicode give control codes or characters of unrelated scripts (乱码) — and is read by OCR from its
    #: image. Pages of real reports: 1.0; such layers: 0.01–0.48.
    decodable_text_share: float = 0.8
    #: The text layer of a searchable scan runs at the scan's slant: it is measured on runs of characters
    #: side by side at least this long (points), and taken when at least this many runs give it.
    level_min_run_pt: float = 120.0
    level_min_runs: int = 5
    #: A picture on a page of text at least this share of the page wide and high may be a table pasted
    #: as an image; it is read when it holds a ruled table.
    picture_min_width_share: float = 0.4
    picture_min_height_share: float = 0.08
    #: A picture file (PNG, JPEG, TIFF) that states a resolution in this range is taken at it; others
    #: (a screenshot states 72 or 96 dpi, or none) are taken to be as wide as an A4 page.
    min_stated_dpi: float = 100.0
    max_stated_dpi: float = 1200.0
    #: Threads the recogniser may use.
    max_threads: int = 4
    #: Resolution at which lines of running text are detected (they are read at ``dpi``).
    detect_dpi: int = 90
    #: Only the bands of a page with ink outside its tables are given to the detector: rows with at least
    #: ``detect_min_row_ink`` dark pixels (a speck is no text), bands less than ``detect_band_gap_inches``
    #: apart joined, each with ``detect_margin_inches`` of blank around it (the detector sees a line's
    #: edges by the paper around them).
    detect_min_row_ink: int = 2
    detect_band_gap_inches: float = 0.5
    detect_margin_inches: float = 0.15
    #: Running text recognised with less confidence than this is noise (a stain, a stamp).
    min_text_confidence: float = 0.5
    #: A punctuation mark beside a Chinese character with at most this much room between its neighbours'
    #: ink (in ems) is half-width (``:`` not ``：``), with at least ``full_width_min_em`` full-width; in
    #: between it stays as read. Measured on scans from 130 to 200 dpi: half-width marks 0.42–0.54,
    #: full-width marks that Word's punctuation compression squeezed 0.64–0.9, others 0.9 and more.
    half_width_max_em: float = 0.56
    full_width_min_em: float = 0.9
    #: The em of a line is measured only where it has at least this many pairs of Chinese characters.
    min_pitch_pairs: int = 3
    #: Blank between two cells' lines set side by side in one strip for the recogniser.
    strip_gap_px: int = 24
    #: A number read in a strip with this many digits fewer than its line's width holds (by the widths of
    #: the table's own numbers, :mod:`govreport.digitcount`) is read again on its own (a blurred 100-dpi
    #: scan's strip gave ``122`` for 1362; lines one digit short are ~1 digit off, the rest within 0.4).
    digit_count_slack: float = 0.6
    #: Pictures of a web page read by OCR when the page's text lacks a table (a page that shows its tables
    #: as pictures of them); the first this many, in the page's order.
    max_page_pictures: int = 12
    #: A picture whose resolution nothing states (a web page's screenshot of a table) is scaled so that
    #: the height most of its glyphs reach (the 75th percentile of its ink blobs, at least
    #: ``picture_min_glyphs`` of them) is this many points: a table's 五号 characters stand about 10.5 pt.
    picture_glyph_points: float = 10.5
    picture_min_glyphs: int = 30


SCAN = ScanSettings()


@attrs.frozen(repr=False)
class WebSettings(FieldRepr):
    """How reports are fetched from the web (:mod:`govreport.web`): polite to government servers, bounded
    against hostile or broken ones."""

    #: Seconds to connect, and to wait for each piece of the body.
    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    #: Further attempts after a timeout, a dropped connection, 429 or a 5xx answer, waiting
    #: ``backoff`` × 2ⁿ seconds before attempt n (or what Retry-After asks, up to ``max_backoff``).
    retries: int = 2
    backoff: float = 0.5
    max_backoff: float = 10.0
    #: Requests to one host at the same time, whatever the number of threads reading.
    per_host: int = 2
    #: Threads a batch fetches and reads URLs with (hosts differ; each keeps its own limit).
    threads: int = 8
    #: Redirects followed before giving up (a loop ends here).
    max_redirects: int = 10
    #: A body larger than this is refused: reports are a few MB, scans a few tens.
    max_bytes: int = 64 * 1024 * 1024
    #: Attachments of one page tried before giving up on it.
    max_attachments: int = 5


WEB = WebSettings()


@attrs.frozen(repr=False)
class Limits(FieldRepr):
    """Bounds on what one file may make govreport do: a hostile or broken file ends in a clear error (or a
    clamped value) instead of hours of work or gigabytes of memory. Reports are far inside every one."""

    #: Bytes of one input file (a scanned report is a few tens of MB).
    max_input_bytes: int = 200 * 1024 * 1024
    #: Bytes of a text or HTML file (a report's text is well under 1 MB).
    max_text_bytes: int = 20 * 1024 * 1024
    #: Bytes the members of a DOCX/XLSX package may unpack to, and how many times larger than packed.
    max_unpacked_bytes: int = 300 * 1024 * 1024
    max_pack_ratio: int = 200
    #: Rows or columns one table cell may span (the official tables span at most 26); larger spans are cut.
    max_span: int = 100
    #: Cells a worksheet may address (rows × columns of its used range).
    max_sheet_cells: int = 1_000_000
    #: Pages of a PDF (a report has a dozen).
    max_pages: int = 1000
    #: Seconds and bytes of memory one file may take in a batch (a worker past either is stopped and the
    #: file recorded as a failure); None: no bound.
    seconds_per_file: float | None = 300.0
    memory_per_file: int | None = 4 * 1024 * 1024 * 1024
    #: A batch converts the legacy Word files (DOC, WPS, RTF, ODT) among each this many files in one
    #: LibreOffice run before reading them, instead of starting LibreOffice once a file.
    legacy_files_ahead: int = 32


LIMITS = Limits()


@attrs.frozen(repr=False)
class ReadOptions(FieldRepr):
    """Every tuning constant and limit of reading: the decoder's search bounds, layout, scans, the web and
    the limits on each file. Pass one to :func:`govreport.read` (or ``read_bytes``, ``read_many``,
    ``convert``) to read under other settings; the defaults are the ones documented on each field::

        strict = ReadOptions(limits=Limits(max_pages=50, seconds_per_file=60))
        govreport.convert(["reports/"], "all.xlsx", options=strict)
    """

    decoder: DecoderSettings = DECODER
    layout: LayoutSettings = LAYOUT
    scan: ScanSettings = SCAN
    web: WebSettings = WEB
    limits: Limits = LIMITS


DEFAULT_OPTIONS = ReadOptions()


def size_words(size: int) -> str:
    """A size in bytes as a limit's message gives it: ``20 MB``, ``900 KB``, ``1000 bytes``."""
    for unit, scale in (("GB", 1024**3), ("MB", 1024**2), ("KB", 1024)):
        if size >= scale:
            return f"{size / scale:.3g} {unit}"
    return f"{size} bytes"

# The options of the read in progress. A context variable rather than an argument handed down through every
# reader, the assembler and the decoder: each read sets it for its own duration (threads and worker processes
# are given the options and set it themselves).
_ACTIVE: ContextVar[ReadOptions] = ContextVar("govreport_read_options", default=DEFAULT_OPTIONS)


def options() -> ReadOptions:
    """The options in force: those given to the read in progress, or the defaults."""
    return _ACTIVE.get()


@contextlib.contextmanager
def using(chosen: ReadOptions | None) -> Iterator[ReadOptions]:
    """Put ``chosen`` in force for the block (None keeps the options already in force)."""
    if chosen is None:
        yield _ACTIVE.get()
        return
    token = _ACTIVE.set(chosen)
    try:
        yield chosen
    finally:
        _ACTIVE.reset(token)
