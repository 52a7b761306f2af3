"""Choosing between two readings of one table by what the format's arithmetic says of each.

A table can reach the assembler twice: as the grids a converter made of it, and as lines of text. The two
usually agree. Where a converter cut a table into many small grids and left some of its labels outside
them (markitdown's PDF tables, a page that sets rows apart), the grids give part of the table and the
lines give all of it; the sums tell which reading is whole and right.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

import attrs

from ..assign import sum_holds
from ..fieldrepr import FieldRepr
from ..model import Finding, Table
from ..schema import T4_SUM_RULES, SumRule, t3_sum_rules
from .rows import cell_key

#: A finding that says the grid's own header names columns the template does not have: the cells under
#: them have no column, and no other reading of the table knows better.
_COLUMN_DOUBT = "PARSE-COLUMN"


@attrs.frozen(repr=False)
class Verdict(FieldRepr):
    """What the sums say of one reading: how many hold and break, how many cells it sets that no
    finding names, and whether its header named columns the template does not have."""

    broken: int
    held: int
    trusted: int
    foreign_columns: bool = False

    @classmethod
    def of(cls, number: int, table: Table | None, findings: Sequence[Finding]) -> Verdict:
        if table is None:
            return cls(0, 0, 0)
        foreign_columns = any(f.rule == _COLUMN_DOUBT for f in findings)
        named = {k.partition(".")[2] for f in findings for k in f.keys}
        trusted = sum(1 for key, cell in table.cells.items() if cell.value is not None and key not in named)
        held = broken = 0
        for rule in _rules(number, table):
            holds = sum_holds(rule, {key: _number(table, cell_key(*key), named) for key in rule.keys})
            held += holds is True
            broken += holds is False
        return cls(broken, held, trusted, foreign_columns)

    @property
    def standing(self) -> int:
        """Sums held less twice those broken: a reading that sets more cells can check, and so break,
        more sums (a source that errs breaks some in any right reading), but a wrong one breaks more
        than it keeps."""
        return self.held - 2 * self.broken

    def beats(self, other: Verdict) -> bool:
        """Whether this reading is to be taken over ``other``: it stands no lower by the sums and sets
        more cells that nothing doubts, and ``other`` did not find columns the template lacks."""
        return not other.foreign_columns and self.standing >= other.standing and self.trusted > other.trusted


def _rules(number: int, table: Table) -> Sequence[SumRule]:
    if number == 3 and table.edition is not None:
        return t3_sum_rules(table.edition)
    if number == 4:
        return T4_SUM_RULES
    return ()


def _number(table: Table, key: str, named: set[str]) -> Decimal | None:
    """A cell's value for the sums; None when it has none or a finding doubts it."""
    value = table.value(key)
    return None if value is None or key in named else Decimal(value)
