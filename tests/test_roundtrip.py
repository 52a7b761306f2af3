"""read(write(report)) == report, for every writer: generated reports and every corpus report."""

from __future__ import annotations

import pytest
from conftest import DATA, load_truth, truth_files
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import reports

import govreport

WRITERS = ["xlsx", "docx"]
PROPERTY = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                          HealthCheck.function_scoped_fixture])


def _describe(a: govreport.Report, b: govreport.Report) -> str:
    lines = []
    if a.meta != b.meta:
        lines.append(f"meta {a.meta} != {b.meta}")
    if a.sections != b.sections:
        lines.append(f"sections {a.sections} != {b.sections}")
    for number in (2, 3, 4):
        x, y = a.table(number), b.table(number)
        if x != y:
            keys = set(x.cells if x else {}) | set(y.cells if y else {})
            diff = [(k, x.cells.get(k) if x else None, y.cells.get(k) if y else None) for k in sorted(keys)
                    if (x.cells.get(k) if x else None) != (y.cells.get(k) if y else None)]
            lines.append(f"table {number}: {diff[:3]}")
    return "\n".join(lines)


@pytest.mark.parametrize("extension", WRITERS)
@given(report=reports())
@PROPERTY
def test_generated_reports_survive_the_round_trip(extension, report, tmp_path):
    path = govreport.write(report, tmp_path / f"report.{extension}")
    again = govreport.read(path)
    assert again == report, _describe(report, again)


def _corpus() -> list:
    return [t for t in truth_files() if not load_truth(t)["document"].endswith(".doc")]


@pytest.mark.parametrize("extension", WRITERS)
@pytest.mark.parametrize("truth_path", _corpus(), ids=lambda p: p.name.removesuffix(".truth.json"))
def test_corpus_reports_survive_the_round_trip(truth_path, extension, tmp_path):
    report = govreport.read(DATA / load_truth(truth_path)["document"])
    again = govreport.read(govreport.write(report, tmp_path / f"report.{extension}"))
    assert govreport.flatten(again) == govreport.flatten(report)
    assert [f.rule for f in govreport.validate(again) if f.severity == "error"] == \
        [f.rule for f in govreport.validate(report) if f.severity == "error"]


@pytest.mark.parametrize("extension", WRITERS)
@given(text=st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=200))
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_writers_accept_any_text(extension, text, tmp_path):
    """Whatever a source holds (control characters, odd symbols), writing never fails halfway."""
    report = govreport.Report(govreport.Metadata(agency=text or None, year=2023),
                              govreport.Sections(overview=text, other_matters=text))
    path = govreport.write(report, tmp_path / f"any.{extension}")
    assert govreport.read(path).meta.year == 2023
