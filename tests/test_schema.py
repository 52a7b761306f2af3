"""The schema module against spec/fields.csv (copied into tests/data)."""

from __future__ import annotations

import csv

from conftest import DATA

from govreport import schema


def fields() -> list[dict]:
    with (DATA / "fields.csv").open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_flat_keys_are_those_of_fields_csv():
    rows = fields()
    assert set(schema.all_flat_keys()) == {r["key"] for r in rows} | set(schema.FEE_KEYS)
    for edition in ("2019", "2021"):
        expected = [r["key"] for r in rows if edition in r["editions"].split()]
        fees = list(schema.FEE_KEYS) if edition == "2021" else []  # section 6's figures, beyond the spec
        assert list(schema.flat_keys(edition, edition)) == expected + fees


def test_labels_match_fields_csv():
    for row in fields():
        key = row["key"]
        if key.startswith("t3."):
            row_key, _, col = key[3:].rpartition(".")
            assert schema.T3.column(col).label == row["column_label"]
            assert schema.T3_ROWS[row_key].label.split()[-1] in row["row_label"]
        elif key.startswith("t4."):
            assert schema.label_of(key).endswith(row["column_label"])


def test_table_sizes():
    assert len(schema.t3_keys("2021")) == 175 and len(schema.t3_keys("2019")) == 161
    assert len(schema.t2_keys("2021")) == 10 and len(schema.t2_keys("2019")) == 22
    assert len(schema.T4_KEYS) == 15


def test_the_package_ships_fields_csv():
    shipped = schema.fields()
    assert [f.key for f in shipped] == [row["key"] for row in fields()] + list(schema.FEE_KEYS)
    assert {f.key for f in shipped} == set(schema.all_flat_keys())
