"""Tuning constants of the readers and the table decoder, in one place.

Each is a field of a frozen settings object with its reason beside it, so that a change is made once
and a reader of the code finds every limit here (pdfplumber's settings objects are the model).

>>> DECODER.max_readings
2000
"""

from __future__ import annotations

import attrs


@attrs.frozen
class DecoderSettings:
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
    #: Alternatives listed in a finding for an undecided cell.
    listed_alternatives: int = 4
    #: A paragraph longer than this may be a whole page glued into one line (crawler text): the
    #: assembler looks for section headings inside it.
    glued_paragraph: int = 160


DECODER = DecoderSettings()
