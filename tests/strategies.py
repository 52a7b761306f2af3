"""Hypothesis strategies that generate whole reports as the format can carry them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import strategies as st

from govreport import Cell, Metadata, Report, Sections, Table
from govreport.grids import grid_for
from govreport.schema import T2_COLUMNS, Edition

PLACES = ["湘乡市", "绥德县", "大武口区", "灌南县", "平潭综合实验区", "淮安市洪泽区", "上海市", "沭阳县",
          "鲤城区"]
BODIES = ["人民政府", "人民政府办公室", "信访局", "发展和改革局", "财政局", "李集镇人民政府", "教育局",
          "卫生健康委员会"]
# Characters of ordinary report prose; none of them can spell page furniture (打印, 来源, 浏览 …).
PROSE = ("本机关依法推进政府信息公开工作加强制度建设完善平台管理提升服务质量群众满意持续提高"
         "规范办理申请答复准确全面落实要求深化重点领域主动公开")
PUNCTUATION = ["，", "、", "；", "："]


@st.composite
def sentences(draw) -> str:
    words = draw(st.lists(st.text(alphabet=PROSE, min_size=2, max_size=12), min_size=1, max_size=4))
    text = words[0]
    for word in words[1:]:
        text += draw(st.sampled_from(PUNCTUATION)) + word
    if draw(st.booleans()):
        text += f"共{draw(st.integers(0, 5000))}件"
    if draw(st.integers(0, 4)) == 0:
        text = f"“{text}”"
    return text + "。"


@st.composite
def paragraphs(draw) -> str:
    text = "".join(draw(st.lists(sentences(), min_size=1, max_size=3)))
    if draw(st.integers(0, 5)) == 0:
        text = f"（{draw(st.sampled_from('一二三四五'))}）{text}"
    return text


def section_texts(allow_empty: bool = True):
    """Section text: lines of prose, or an empty part (present, with nothing written)."""
    lines = st.lists(paragraphs(), min_size=0 if allow_empty else 1, max_size=4)
    return lines.map("\n".join)


@st.composite
def count_cells(draw) -> Cell:
    choice = draw(st.integers(0, 9))
    if choice == 0:
        return Cell(None, "", "blank")
    if choice == 1:
        mark = draw(st.sampled_from(["—", "-", "/"]))
        return Cell(None, mark, "slash" if mark == "/" else "dash")
    if choice == 2:
        return Cell(0, "无", "none_word")
    value = draw(st.one_of(st.integers(0, 20), st.integers(0, 10**7)))
    if choice == 3 and value >= 1000:
        return Cell(value, f"{value:,}", "number")
    if choice == 4:
        return Cell(value, f"{value}件", "number", "件")
    return Cell(value, str(value), "number")


@st.composite
def signed_cells(draw) -> Cell:
    value = draw(st.integers(-10**4, 10**4))
    style = draw(st.integers(0, 3))
    if style == 0 and value != 0:
        return Cell(value, f"{'+' if value > 0 else '-'}{abs(value)}", "number")
    if style == 1 and value != 0:
        return Cell(value, f"{'增加' if value > 0 else '减少'}{abs(value)}", "number")
    if style == 2:
        return Cell(None, "", "blank")
    return Cell(value, str(value), "number")


@st.composite
def amount_cells(draw, unit: str | None) -> Cell:
    if draw(st.integers(0, 6)) == 0:
        return Cell(None, "", "blank")
    places = draw(st.integers(0, 4))
    number = Decimal(draw(st.integers(0, 10**9))).scaleb(-places)
    text = f"{number:.{places}f}"
    if unit and draw(st.booleans()):
        return Cell(Decimal(text), text + unit, "number", unit)
    return Cell(Decimal(text), text, "number")


def cell_strategy(number: int, key: str, edition: Edition | None):
    column = key.rsplit(".", 1)[1]
    if number == 2 and edition is not None:
        spec = T2_COLUMNS[edition][column]
        if spec.type == "decimal":
            return amount_cells("万元" if spec.unit == "万元" else "元")
        if spec.type == "signed_int":
            return signed_cells()
    return count_cells()


@st.composite
def tables(draw, number: int, edition: Edition | None) -> Table:
    grid = grid_for(number, edition)
    cells = {c.key: draw(cell_strategy(number, c.key, edition)) for c in grid.value_cells() if c.key}
    return Table(number, edition, cells)


@st.composite
def reports(draw) -> Report:
    """Both editions and the mixed shapes, blanks, dashes, large counts, amounts, signed changes, text."""
    t2: Edition = draw(st.sampled_from(["2019", "2021"]))
    t3: Edition = draw(st.sampled_from(["2019", "2021"]))
    agency = draw(st.sampled_from(PLACES)) + draw(st.sampled_from(BODIES))
    year = draw(st.integers(2019, 2030))
    published = draw(st.none() | st.dates(dt.date(year + 1, 1, 1), dt.date(year + 1, 3, 31)))
    meta = Metadata(agency=agency, year=year, title=f"{agency}{year}年政府信息公开工作年度报告",
                    published=published, table2_edition=t2, table3_edition=t3)
    sections = Sections(
        preamble=draw(st.none() | section_texts(allow_empty=False)),
        overview=draw(section_texts()),
        active_disclosure=draw(section_texts()),
        applications=draw(section_texts()),
        review_litigation=draw(section_texts()),
        problems=draw(section_texts()),
        other_matters=draw(section_texts()),
    )
    return Report(meta, sections, draw(tables(2, t2)), draw(tables(3, t3)), draw(tables(4, None)))
