"""Shared helpers: the real reports copied into tests/data and their hand-checked truth files."""

from __future__ import annotations

import json
import os
import re
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pytest

from govreport import ocr
from govreport.libreoffice import find_soffice

DATA = Path(__file__).parent / "data"

#: Tests that convert documents with LibreOffice; .ci/run installs it, elsewhere they are skipped without it —
#: but not in CI (CI=true), where a missing LibreOffice fails them instead of letting them pass unrun.
needs_libreoffice = pytest.mark.skipif(
    find_soffice() is None and os.environ.get("CI", "").lower() != "true",
    reason="LibreOffice (soffice) is not installed")

#: Tests that read scans through OCR: skipped without the ``ocr`` extra, failed by it in CI.
needs_ocr = pytest.mark.skipif(not ocr.available() and os.environ.get("CI", "").lower() != "true",
                               reason="the ocr extra is not installed (in CI it must be)")


def truth_files(*suffixes: str) -> list[Path]:
    """Truth files whose document ends with one of ``suffixes`` (all when none given)."""
    out = []
    for truth in sorted(DATA.glob("*.truth.json")):
        document = json.loads(truth.read_text(encoding="utf-8"))["document"]
        if not suffixes or document.endswith(suffixes):
            out.append(truth)
    return out


def load_truth(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def same(expected: object, got: object) -> bool:
    """A value as ../shared/eval/score.py judges it: numbers as decimals, text equal but for white space."""
    if expected is None or got is None:
        return expected is None and got is None
    try:
        return Decimal(str(expected)) == Decimal(str(got))
    except (InvalidOperation, ValueError):
        return squash(str(got)) == squash(str(expected))


def same_agency(expected: str, got: object) -> bool:
    """One name inside the other (a city prefix or an office suffix present or not), at least 3 characters."""
    if not isinstance(got, str):
        return False
    short, long_ = sorted((squash(expected), squash(got)), key=len)
    return len(short) >= 3 and short in long_


def compare_with_truth(flat: dict, truth: dict) -> list[str]:
    """Every difference between a flattened report and its truth, as readable lines (as strict as
    ../shared/eval/score.py)."""
    wrong = []
    for key, expected in truth["values"].items():
        got = flat.get(key, "(missing)")
        if key == "meta.agency" and same_agency(expected, got):
            continue
        if got == "(missing)" or not same(expected, got):
            wrong.append(f"{key}: expected {expected!r}, got {got!r}")
    for key, value in flat.items():
        if key.startswith(("t2.", "t3.", "t4.")) and key not in truth["values"] and value is not None:
            wrong.append(f"{key}: extra value {value!r}")
    for key, check in truth.get("sections", {}).items():
        text = squash(flat.get(key) or "")
        starts, ends = squash(check["starts"]), squash(check["ends"])
        at = text.rfind(ends)
        if not text.startswith(starts) or at < 0 or len(text) - (at + len(ends)) > 40:
            wrong.append(f"{key}: text {text[:30]!r}…{text[-30:]!r} does not run {starts[:15]!r} … {ends[-15:]!r}")
    return wrong


@pytest.fixture
def data_dir() -> Path:
    return DATA
