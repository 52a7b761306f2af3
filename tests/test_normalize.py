"""Properties of label normalisation and number parsing: any way a report prints a label or a number."""

from __future__ import annotations

import unicodedata
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from govreport.decoding import classify_label
from govreport.normalize import display_width, normalize_label, parse_number, render_number
from govreport.schema import T2_COLUMNS, T2_ROWS, T3_COLUMNS, T3_ROWS, T4_COLUMNS

SPACES = [" ", "\u3000", "\u00a0", "\n", "\t", "  ", "\r\n"]
FULLWIDTH_DIGITS = str.maketrans("0123456789", "０１２３４５６７８９")


@st.composite
def rendered(draw, label: str) -> str:
    """A label as some report might print it: brackets, quotes, item markers, spaces and line breaks."""
    text = label
    if draw(st.booleans()):
        text = text.replace("（", "(").replace("）", ")")
    quotes = draw(st.sampled_from([("“", "”"), ('"', '"'), ("「", "」"), ("", ""), ("‘", "’")]))
    text = text.replace("“", quotes[0]).replace("”", quotes[1])
    marker = draw(st.sampled_from([".", "．", "、", "，"]))
    if len(text) > 2 and text[0].isdigit() and text[1] == ".":
        text = text[0] + marker + text[2:]
    if draw(st.booleans()):
        text = text.translate(FULLWIDTH_DIGITS)
    chars = list(text)
    for _ in range(draw(st.integers(0, 4))):
        at = draw(st.integers(0, len(chars)))
        chars.insert(at, draw(st.sampled_from(SPACES)))
    return "".join(chars)


def labelled(pairs):
    return st.sampled_from(sorted(pairs)).flatmap(lambda kv: st.tuples(st.just(kv[0]), rendered(kv[1])))


T3_ROW_LABELS = [(k, r.label) for k, r in T3_ROWS.items() if k != "other_total"]


@given(labelled(T3_ROW_LABELS))
@settings(max_examples=300)
def test_any_rendering_of_a_table3_row_label_finds_its_row(case):
    key, text = case
    assert classify_label(3, text, T3_ROWS[key].group) == ("row", key)


@given(labelled([(c.key, c.label) for c in T3_COLUMNS]))
def test_any_rendering_of_a_table3_column_label_finds_its_column(case):
    key, text = case
    assert classify_label(3, text, in_header=True) == ("column", key)


@given(labelled([(k, c.label) for e in ("2019", "2021") for k, c in T2_COLUMNS[e].items()]))
def test_any_rendering_of_a_table2_column_label_finds_its_column(case):
    key, text = case
    assert classify_label(2, text) == ("column", key)


@given(labelled([(k, r.label) for k, r in T2_ROWS.items()] + [("normative_documents", "规范性文件")]))
def test_any_rendering_of_a_table2_row_label_finds_its_row(case):
    key, text = case
    assert classify_label(2, text) == ("row", key)


@given(labelled([(c.key, c.label) for c in T4_COLUMNS]))
def test_any_rendering_of_a_table4_column_label_finds_its_column(case):
    key, text = case
    assert classify_label(4, text) == ("column", key)


@given(labelled([(r.key, r.label) for r in T3_ROWS.values()]))
def test_normalisation_is_idempotent_and_spaceless(case):
    _, text = case
    once = normalize_label(text)
    assert normalize_label(once) == once
    assert not any(ch.isspace() for ch in once)


# --- numbers ---------------------------------------------------------------------------------------

@st.composite
def rendered_int(draw, value: int) -> str:
    text = f"{value:,}" if draw(st.booleans()) else str(value)
    if draw(st.booleans()):
        text = text.translate(FULLWIDTH_DIGITS)
    if draw(st.booleans()):
        text += draw(st.sampled_from(["件", "个", "项", " 件"]))
    pad = st.sampled_from(["", " ", "\u00a0", "\u3000", "\n", "\t"])
    return draw(pad) + text + draw(pad)


@given(st.integers(0, 10**9).flatmap(lambda v: st.tuples(st.just(v), rendered_int(v))))
def test_counts_survive_render_and_parse(case):
    value, text = case
    parsed = parse_number(text)
    assert parsed.kind == "number" and parsed.value == value


@given(st.integers(-10**6, 10**6), st.sampled_from(["ascii", "words"]))
def test_signed_changes_survive_render_and_parse(value, style):
    if style == "ascii":
        text = render_number(value, signed=True)
    else:
        text = ("增加" if value >= 0 else "减少") + str(abs(value))
    assert parse_number(text).value == value


@given(st.decimals(min_value=0, max_value=10**8, places=4, allow_nan=False, allow_infinity=False))
def test_amounts_survive_render_and_parse(value):
    parsed = parse_number(render_number(value))
    assert parsed.kind == "number" and Decimal(parsed.value) == value


@given(st.sampled_from(["", " ", "\u00a0", "\u3000 ", "-", "—", "－", "--", "——", "/", "／"]))
def test_empty_marks_have_no_value(text):
    parsed = parse_number(text)
    assert parsed.value is None and parsed.kind in ("blank", "dash", "slash")


def test_units_and_words():
    assert parse_number("251000元").value == 251000 and parse_number("251000元").unit == "元"
    assert parse_number("75394432.52元").value == Decimal("75394432.52")
    assert parse_number("无").value == 0 and parse_number("无").kind == "none_word"
    assert parse_number("三件").kind == "invalid"
    assert parse_number("- 4 -").kind == "invalid"


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=40))
def test_display_width_counts_wide_and_full_width_characters_twice(text):
    # The definition, character by character; the library's faster path must agree on any text.
    assert display_width(text) == sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
