"""Every real report in tests/data reads to its hand-checked truth, cell for cell."""

from __future__ import annotations

import pytest
from conftest import DATA, compare_with_truth, load_truth, needs_libreoffice, truth_files

import govreport
from govreport import schema


def _cases() -> list:
    return [pytest.param(t, marks=needs_libreoffice) if load_truth(t)["document"].endswith(".doc") else t
            for t in truth_files()]


@pytest.mark.parametrize("truth_path", _cases(), ids=lambda p: p.name.removesuffix(".truth.json"))
def test_report_matches_truth(truth_path):
    truth = load_truth(truth_path)
    report = govreport.read(DATA / truth["document"])
    wrong = compare_with_truth(govreport.flatten(report), truth)
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("truth_path", _cases(), ids=lambda p: p.name.removesuffix(".truth.json"))
def test_flatten_has_only_the_keys_of_the_editions(truth_path):
    truth = load_truth(truth_path)
    flat = govreport.flatten(govreport.read(DATA / truth["document"]))
    assert list(flat) == list(schema.flat_keys(flat["meta.table2_edition"], flat["meta.table3_edition"]))
    table_keys = {k for k in flat if k.startswith(("t2.", "t3.", "t4."))}
    assert table_keys == {k for k in truth["values"] if k.startswith(("t2.", "t3.", "t4."))} | (
        table_keys - set(truth["values"])
    )
    # Keys the truth does not list are ones the source leaves out entirely; they must be blank.
    assert all(flat[k] is None for k in table_keys - set(truth["values"]))
