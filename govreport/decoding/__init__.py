"""The table decoder: tables 2, 3 and 4 from any reader's tokens, placed by labels and checked by sums.

Every reader's table arrives here as a stream of :class:`Token` s in reading order — the cells of a grid
row by row, or the cells cut from lines of text — with whatever geometry the reader knew (grid row and
column, text line). One walk per table (:mod:`.table2`, :mod:`.table3`, :mod:`.table4`) aligns the stream
to the schema's captions, headers and row labels (:mod:`.labels`, tolerant of cut, split, mistyped and
glued labels) and gives each row label the values that follow it. Grid rows are placed by their columns
(:mod:`.gridrows`); text rows by :mod:`.textrows`, which enumerates every way the printed values can fill
the row's cells and lets the format's arithmetic choose (:mod:`govreport.assign`). A value is set only
when every reading that fits the text and the sums agrees on it; otherwise the cell is blank and a
finding names it.
"""

from .labels import classify_label, signature_of, table_kind
from .table2 import parse_table2
from .table3 import parse_table3
from .table4 import parse_table4
from .tokens import Token

__all__ = ["Token", "classify_label", "parse_table2", "parse_table3", "parse_table4", "signature_of", "table_kind"]
