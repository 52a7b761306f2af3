"""Checks across the reports of a batch: an agency against its previous year, a parent against its children.

- ``T3-XY``: 上年结转 of year N equals 结转下年度 of year N−1, column by column.
- ``T2-XY``: 现行有效件数 of year N equals that of N−1 plus 本年制发 minus 本年废止 (2021 edition).
- ``NARR-SIM``: a section that repeats more than half of the same section of the year before.
- ``HIER-SUM`` / ``HIER-MISSING``: given which agencies report to which (a parent → children mapping), a
  parent's totals of tables 3 and 4 against the sum of its children's, and children the batch lacks.

A batch keeps only :class:`Facts` of each report (a few numbers and its compressed section texts), not
whole reports. Every finding is a warning: reports of different years and agencies may differ for good
reasons; the office decides.
"""

from __future__ import annotations

import csv
import os
import zlib
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from pathlib import Path

import attrs

from .errors import UnreadableFileError
from .fieldrepr import FieldRepr
from .model import Finding, Value
from .normalize import squash_space
from .schema import FLAT_TEXT_KEYS, SECTION_HEADINGS, T3_COLUMN_KEYS, T3_ROW_KEYS, T4_GROUPS, label_of
from .similarity import repeated_share

#: A section repeating more than this share of last year's is reported (the assessors' threshold).
REPEATED_SHARE = 0.5
#: Sections shorter than this (characters) are set phrases (“无。”, “本年度未收取信息处理费。”), not
#: narrative: repeating them is no fault.
MIN_NARRATIVE = 80
_T2_ROWS = ("regulations", "normative_documents")
#: The totals a parent is compared with its children on.
HIERARCHY_KEYS: tuple[str, ...] = (
    *(f"t3.{row}.total" for row in dict.fromkeys(T3_ROW_KEYS["2019"] + T3_ROW_KEYS["2021"])),
    *(f"t4.{group}.total" for group, _ in T4_GROUPS))
#: The values the checks compare.
_FACT_KEYS: tuple[str, ...] = (
    *(f"t3.carried_over.{c}" for c in T3_COLUMN_KEYS), *(f"t3.carried_forward.{c}" for c in T3_COLUMN_KEYS),
    *(f"t2.{row}.{col}" for row in _T2_ROWS for col in ("in_force", "issued", "repealed")), *HIERARCHY_KEYS)


@attrs.frozen(repr=False)
class Facts(FieldRepr):
    """What the cross-report checks need of a report, so that a batch need not keep whole reports."""

    path: str
    agency: str
    year: int
    table2_edition: str | None
    values: dict[str, Value]
    #: The sections compared with the year before, zlib-compressed (a batch keeps thousands).
    texts: dict[str, bytes] = attrs.field(factory=dict)

    @classmethod
    def of(cls, result: object, *, anonymous: bool = False) -> Facts | None:
        """The facts of a result (anything with ``report`` and ``path``); None when it has no report, or
        no agency and year to be matched by (unless ``anonymous``: the caller pairs reports itself)."""
        report = getattr(result, "report", None)
        if report is None or (not anonymous and (not report.meta.agency or not report.meta.year)):
            return None
        keys = _FACT_KEYS
        texts = {name: zlib.compress(text.encode("utf-8")) for name in FLAT_TEXT_KEYS
                 if (text := report.sections.get(name))}
        return cls(str(getattr(result, "path", "")), squash_space(report.meta.agency or ""), report.meta.year or 0,
                   report.meta.table2_edition, {k: report.value(k) for k in keys}, texts)

    @classmethod
    def of_row(cls, row: Mapping[str, object]) -> Facts | None:
        """The facts of a report row of a batch output (flat keys), for a batch made again (``--resume``)."""
        agency, year = row.get("meta.agency"), row.get("meta.year")
        if not agency or not year:
            return None
        try:
            year_number = int(str(year))
        except ValueError:
            return None
        values = {k: _number(row.get(k)) for k in _FACT_KEYS}
        texts = {name: zlib.compress(str(text).encode("utf-8")) for name, key in FLAT_TEXT_KEYS.items()
                 if (text := row.get(key))}
        edition = row.get("meta.table2_edition")
        return cls(str(row.get("file") or ""), squash_space(str(agency)), year_number,
                   str(edition) if edition else None, values, texts)

    def text(self, section: str) -> str | None:
        packed = self.texts.get(section)
        return zlib.decompress(packed).decode("utf-8") if packed is not None else None


#: The rules of the checks across reports: a batch made again (``--resume``) makes them again.
CROSS_RULES = frozenset({"T3-XY", "T2-XY", "NARR-SIM", "HIER-SUM", "HIER-MISSING"})


def cross_check(results: Iterable[object], hierarchy: Mapping[str, Sequence[str]] | None = None
                ) -> list[tuple[str, Finding]]:
    """Findings across the reports of a batch, as (file the finding is about, finding).

    ``results`` are :class:`~govreport.batch.Result` s or :class:`Facts`; ``hierarchy`` maps a parent
    agency to its children (:func:`load_hierarchy` reads it from a CSV).
    """
    facts = [f for item in results if (f := item if isinstance(item, Facts) else Facts.of(item)) is not None]
    return year_on_year_checks(facts) + (hierarchy_checks(facts, hierarchy) if hierarchy else [])


def _by_agency(facts: Iterable[Facts]) -> dict[str, dict[int, Facts]]:
    by_agency: dict[str, dict[int, Facts]] = defaultdict(dict)
    for item in facts:
        by_agency[item.agency].setdefault(item.year, item)
    return by_agency


def year_on_year_checks(facts: Iterable[Facts]) -> list[tuple[str, Finding]]:
    """Each report against its agency's report of the year before (a batch may pass one agency at a time)."""
    out: list[tuple[str, Finding]] = []
    for agency, years in _by_agency(facts).items():
        for year, this in sorted(years.items()):
            last = years.get(year - 1)
            if last is not None:
                out += [(this.path, f) for f in year_on_year(agency, this, last)]
    return out


def hierarchy_checks(facts: Iterable[Facts], hierarchy: Mapping[str, Sequence[str]]) -> list[tuple[str, Finding]]:
    """Each parent against its children (the facts of the agencies the hierarchy names are enough)."""
    return _hierarchy(_by_agency(facts), hierarchy)


def hierarchy_agencies(hierarchy: Mapping[str, Sequence[str]]) -> set[str]:
    """Every agency a hierarchy names, as :class:`Facts` spell them."""
    return {squash_space(name) for parent, children in hierarchy.items() for name in (parent, *children)}


def _number(value: object) -> Value:
    """A flat row's value as the report gave it (outputs keep numbers as numbers, CSV as text)."""
    if value is None or value == "":
        return None
    if isinstance(value, (int, Decimal)):
        return value
    try:
        number = Decimal(str(value))
    except ArithmeticError:
        return None
    return int(number) if number == number.to_integral_value() else number


def year_on_year(agency: str, this: Facts, last: Facts) -> list[Finding]:
    """The checks of a report against the one of the year before (T3-XY, T2-XY, NARR-SIM)."""
    return [*_carried_over(agency, this, last), *_in_force(agency, this, last), *_repeated(agency, this, last)]


def _carried_over(agency: str, this: Facts, last: Facts) -> list[Finding]:
    out = []
    for column in T3_COLUMN_KEYS:
        now, then = this.values[f"t3.carried_over.{column}"], last.values[f"t3.carried_forward.{column}"]
        if now is not None and then is not None and now != then:
            out.append(Finding(
                "T3-XY", "warning",
                f"{agency}{this.year}年{label_of('t3.carried_over.' + column)} 为 {now}，"
                f"而{last.year}年报告（{Path(last.path).name}）结转下年度为 {then}。",
                (f"t3.carried_over.{column}",)))
    return out


def _in_force(agency: str, this: Facts, last: Facts) -> list[Finding]:
    if not this.table2_edition == last.table2_edition == "2021":
        return []
    out = []
    for row in _T2_ROWS:
        now, then = this.values[f"t2.{row}.in_force"], last.values[f"t2.{row}.in_force"]
        issued, repealed = this.values[f"t2.{row}.issued"], this.values[f"t2.{row}.repealed"]
        if now is None or then is None or issued is None or repealed is None:
            continue
        expected = then + issued - repealed
        if now != expected:
            out.append(Finding(
                "T2-XY", "warning",
                f"{agency}{this.year}年{label_of(f't2.{row}.in_force', '2021')} 为 {now}，"
                f"而上年 {then} + 本年制发 {issued} − 本年废止 {repealed} = {expected}"
                f"（{last.year}年报告：{Path(last.path).name}）。",
                (f"t2.{row}.in_force", f"t2.{row}.issued", f"t2.{row}.repealed")))
    return out


def _repeated(agency: str, this: Facts, last: Facts) -> list[Finding]:
    out = []
    for section, key in FLAT_TEXT_KEYS.items():
        new = this.text(section)
        if new is None or len(squash_space(new)) < MIN_NARRATIVE:
            continue
        share = repeated_share(last.text(section), new)
        if share is not None and share > REPEATED_SHARE:
            out.append(Finding(
                "NARR-SIM", "warning",
                f"{agency}{this.year}年“{SECTION_HEADINGS[section]}”有 {share:.0%} 的文字与"
                f"{last.year}年报告（{Path(last.path).name}）相同。", (key,)))
    return out


def _hierarchy(by_agency: Mapping[str, Mapping[int, Facts]], hierarchy: Mapping[str, Sequence[str]]
               ) -> list[tuple[str, Finding]]:
    out: list[tuple[str, Finding]] = []
    for parent_name, children_names in hierarchy.items():
        for year, parent in by_agency.get(squash_space(parent_name), {}).items():
            children = [by_agency.get(squash_space(c), {}).get(year) for c in children_names]
            present = [c for c in children if c is not None]
            missing = [n for n, c in zip(children_names, children, strict=True) if c is None]
            if missing:
                out.append((parent.path, Finding(
                    "HIER-MISSING", "warning",
                    f"{parent.agency}{year}年：批次中没有下级单位 {'、'.join(missing)} 的报告，汇总核对不完整。")))
            out += [(parent.path, f) for f in _parent_totals(parent, present, len(missing))]
    return out


def _parent_totals(parent: Facts, children: Sequence[Facts], missing: int) -> list[Finding]:
    out = []
    for key in HIERARCHY_KEYS:
        own = parent.values.get(key)
        parts = [c.values.get(key) for c in children]
        if own is None or not children or any(p is None for p in parts):
            continue
        total = sum((Decimal(p) for p in parts if p is not None), Decimal(0))
        # With children missing, their sum can only fall short of the parent's; more is still wrong.
        if (missing and total > own) or (not missing and total != own):
            out.append(Finding(
                "HIER-SUM", "warning",
                f"{parent.agency}{parent.year}年{label_of(key)} 为 {own}，"
                f"而 {len(children)} 个下级单位之和为 {total}。",
                (key,)))
    return out


def load_hierarchy(path: str | os.PathLike[str]) -> dict[str, list[str]]:
    """A parent → children mapping from a CSV with the columns ``parent`` and ``child`` (one pair a row).

    >>> import pathlib
    >>> p = pathlib.Path(getfixture("tmp_path")) / "h.csv"
    >>> _ = p.write_text("parent,child\\n某县人民政府,某县信访局\\n某县人民政府,某县公安局\\n", encoding="utf-8")
    >>> load_hierarchy(p)
    {'某县人民政府': ['某县信访局', '某县公安局']}
    """
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.DictReader(handle))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise UnreadableFileError(f"cannot read the hierarchy ({exc})", path) from exc
    if rows and not {"parent", "child"} <= set(rows[0]):
        raise UnreadableFileError("a hierarchy CSV needs the columns parent and child", path)
    mapping: dict[str, list[str]] = {}
    for row in rows:
        if row.get("parent") and row.get("child"):
            mapping.setdefault(row["parent"].strip(), []).append(row["child"].strip())
    return mapping
