"""Running headers and footers: the lines a printer repeats at the top or bottom of every page.

A browser's "Save as PDF" puts the date and the page's title above each page and its address and
"3/9" below; Word documents carry the report's title or the agency's name in a header. Such a line is no
part of the report: among a paragraph it breaks the text, between two parts of a table it keeps them
apart. A line is running when it stands among the first or last ``LayoutSettings.running_edge_lines``
lines of at least half the pages (two at least), at the same height, the same but for its digits (page
numbers, dates), and holds words: a row of numbers at the foot of two pages is table, not furniture.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence

from .document import Char
from .lazyre import lazy_compile
from .settings import options

_DIGITS_RE = lazy_compile(r"\d+")
#: What a printed page's header or footer holds that no report line is made of: the page's address, the
#: date and time it was printed (``12/2/26, 10:45 PM``), or a long run of words (the page's title).
_FURNITURE_SHAPE_RE = lazy_compile(
    r"(?:file|https?)://\S+|\b\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4},?\s+\d{1,2}:\d{2}|[\u4e00-\u9fff]{10,}")
#: A page's header or footer fits on a line: the print time, the title and the address.
_LONGEST_RUNNING_LINE = 200
_SHORTEST_RUNNING_LINE = 8


def without_running_lines(pages: Sequence[list[Char]]) -> list[list[Char]]:
    """Each page's characters (PDF points, origin bottom left) without those of running lines.

    >>> def line(text, y): return [Char.at(ch, 10 * n, y, 10 * n + 9, y + 9) for n, ch in enumerate(text)]
    >>> def page(n, title): return line("某局报告", 800) + line(title, 600) + line("0 0", 500) + line(f"第{n}页", 20)
    >>> pages = [page(1, "一、总体"), page(2, "二、主动"), page(3, "三、收到")]
    >>> ["".join(c.text for c in page) for page in without_running_lines(pages)]
    ['一、总体0 0', '二、主动0 0', '三、收到0 0']
    """
    edges = [_edge_lines(chars) for chars in pages]
    running = _recurring({_key(line) for line in lines} - {""} for lines in edges)
    if not running:
        return list(pages)
    out = []
    for chars, lines in zip(pages, edges, strict=True):
        dropped = {id(c) for line in lines if _key(line) in running for c in line}
        out.append([c for c in chars if id(c) not in dropped] if dropped else chars)
    return out


def running_texts(lines: Sequence[str]) -> set[str]:
    """The lines of a text without geometry (another tool's dump of a printed page) that a printer
    repeated on its pages: the same but for digits at least ``LayoutSettings.running_text_repeats``
    times, and shaped like a header or footer (an address, a print time, a title's long run of words),
    so that a table's header repeated over its blocks stays.

    >>> page = ["12/2/26, 10:45 PM  某局2023年度政府信息公开工作年度报告", "结果维持 结果纠正", "0 1"]
    >>> sorted(running_texts(page + page[:2] + ["file:///r.html 2/3"] + page[:2] + ["file:///r.html 3/3"]))
    ['12/2/26, 10:45 PM  某局2023年度政府信息公开工作年度报告']
    """
    # A paragraph is no header, nor is a line too short to hold an address, a time or a title (a value).
    fitting = [line for line in lines if _SHORTEST_RUNNING_LINE <= len(line) <= _LONGEST_RUNNING_LINE]
    by_key: dict[str, list[str]] = {}
    for line in fitting:
        by_key.setdefault(_text_key(line), []).append(line)
    least = options().layout.running_text_repeats
    return {line for same in by_key.values() if len(same) >= least and _furniture_shaped(same[0])
            for line in same}


def _furniture_shaped(line: str) -> bool:
    """An address, a print time, or a title's long run of words that is no sentence (a report may say the
    same sentence in every section; a header never ends one)."""
    found = _FURNITURE_SHAPE_RE.search(unicodedata.normalize("NFKC", line))
    if found is None:
        return False
    words = "\u4e00" <= found.group(0)[0] <= "\u9fff"
    return not words or not any(mark in line for mark in "。；！？;!?")


def _text_key(line: str) -> str:
    return _DIGITS_RE.sub("#", " ".join(line.split()))


def _recurring(keys_by_page: Iterable[set[str]]) -> set[str]:
    """The keys found on at least half the pages, and on two at least."""
    counts: dict[str, int] = {}
    pages = 0
    for keys in keys_by_page:
        pages += 1
        for key in keys:
            counts[key] = counts.get(key, 0) + 1
    return {key for key, n in counts.items() if n >= 2 and n * 2 >= pages}


def _edge_lines(chars: list[Char]) -> list[list[Char]]:
    """The first and last few lines of a page, each as its characters."""
    if not chars:
        return []
    count = options().layout.running_edge_lines
    # Characters of one line share their centre to within a point or so: runs of rounded centres that
    # touch are one line. Only the lines at either end are gathered; a page has thousands of characters.
    lines: list[list[int]] = []
    for y in sorted({round(c[6]) for c in chars}, reverse=True):
        if lines and lines[-1][-1] - y <= 1:
            lines[-1].append(y)
        else:
            lines.append([y])
    wanted = lines[:count] + lines[count:][-count:]
    line_of = {y: n for n, ys in enumerate(wanted) for y in ys}
    out: list[list[Char]] = [[] for _ in wanted]
    for char in chars:
        n = line_of.get(round(char[6]))
        if n is not None:
            out[n].append(char)
    return out


def _key(line: list[Char]) -> str:
    """What a running line keeps from page to page: its text but for digits, and its height on the page;
    empty (never running) for a line without words."""
    text = _DIGITS_RE.sub("#", "".join(c.text for c in sorted(line, key=lambda c: c.left)))
    if not any(ch.isalpha() for ch in text):
        return ""
    return f"{round(line[0].cy / _SAME_HEIGHT_PT)}:{text}"


#: Running lines stand at the same height on every page, to within this many points.
_SAME_HEIGHT_PT = 4
