"""Reports and findings as plain JSON-ready data (``govreport read --json``)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import attrs

from .model import Cell, Finding, Report


def _value(value: object) -> object:
    if isinstance(value, Decimal):
        return str(value)
    return value


def cell_to_dict(cell: Cell) -> dict[str, Any]:
    out: dict[str, Any] = {"value": _value(cell.value), "raw": cell.raw, "kind": cell.kind}
    if cell.unit:
        out["unit"] = cell.unit
    if cell.source is not None:
        out["source"] = {k: v for k, v in attrs.asdict(cell.source).items() if v is not None}
    return out


def finding_to_dict(finding: Finding) -> dict[str, Any]:
    return {"rule": finding.rule, "severity": finding.severity, "message": finding.message,
            "keys": list(finding.keys)}


def report_to_dict(report: Report) -> dict[str, Any]:
    """Everything a report holds; amounts are strings so that no decimal is lost in JSON."""
    meta = attrs.asdict(report.meta)
    if meta.get("published") is not None:
        meta["published"] = meta["published"].isoformat()
    tables = {}
    for number in (2, 3, 4):
        table = report.table(number)
        if table is not None:
            tables[f"table{number}"] = {"edition": table.edition,
                                        "cells": {k: cell_to_dict(c) for k, c in table.cells.items()}}
    return {
        "source": attrs.asdict(report.source),
        "meta": meta,
        "sections": attrs.asdict(report.sections),
        **tables,
        "reading_findings": [finding_to_dict(f) for f in report.reading_findings],
    }
