"""Running headers and footers: the lines a printer repeats at the top or bottom of every page.

A browser's "Save as PDF" puts the date and the page's title above each page and its address and
"3/9" below; Word documents carry the report's title or the agency's name in a header. Such a line is no
part of the report: among a paragraph it breaks the text, between two parts of a table it keeps them
apart. A line is running when it stands among the first or last ``LayoutSettings.running_edge_lines``
lines of at least half the pages (two at least), at the same height, the same but for its digits (page
numbers, dates), and holds words: a row of numbers at the foot of two pages is table, not furniture.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from .document import Char
from .lazyre import lazy_compile
from .settings import options

_DIGITS_RE = lazy_compile(r"\d+")


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
