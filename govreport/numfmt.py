"""Excel number formats that keep a cell's printed text: ``251000元``, ``+1036``, ``1,234``, ``73802895.90``.

The XLSX writer stores numbers as numbers and puts what the report printed around them into the number
format; the XLSX reader renders the number through that format to get the printed text back.

>>> format_for("251000元")
'0"元"'
>>> render(251000, '0"元"')
'251000元'
>>> render(73802895.9, format_for("73802895.90"))
'73802895.90'
>>> render(-3, format_for("减少3"))
'减少3'
"""

from __future__ import annotations

import unicodedata
from decimal import Decimal

from .lazyre import lazy_compile
from .normalize import parse_number

_NUMBER_TEXT_RE = lazy_compile(
    r"^(?P<prefix>[+\-]|增加|减少|增|减)?(?P<int>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<frac>\d+))?(?P<unit>[^\d]*)$")


def format_for(raw: str) -> str:
    """The number format that prints a value the way ``raw`` does ("General" when nothing special)."""
    text = unicodedata.normalize("NFKC", raw).strip()
    match = _NUMBER_TEXT_RE.match(text)
    if match is None or parse_number(raw).kind != "number":
        return "General"
    body = "#,##0" if "," in match["int"] else "0"
    if match["frac"]:
        body += "." + "0" * len(match["frac"])
    unit = f'"{match["unit"]}"' if match["unit"] else ""
    prefix = match["prefix"]
    if prefix and parse_number(raw).value == 0:
        return f'"{prefix}"{body}{unit}'  # "+0" or "增加0": one section, printed as is
    if prefix in ("增加", "减少", "增", "减"):
        up, down = ("增加", "减少") if len(prefix) == 2 else ("增", "减")
        return f'"{up}"{body}{unit};"{down}"{body}{unit};{body}{unit}'
    if prefix == "+":
        return f"+{body}{unit};-{body}{unit};{body}{unit}"
    if body == "0" and not unit:
        return "General"
    return f"{body}{unit}"


_SECTION_RE = lazy_compile(r'"([^"]*)"|(#,##0|0)(?:\.(0+))?|([^"#0;]+)')


def render(value: int | float | Decimal, number_format: str | None) -> str:
    """A number as Excel would show it with one of the formats :func:`format_for` makes (or a simple one)."""
    sections = (number_format or "General").split(";")
    if number_format in (None, "", "General", "@") or not any(ch in number_format for ch in "0#"):
        return _general(value)
    if value < 0 and len(sections) > 1:
        section, value = sections[1], -value
    elif value == 0 and len(sections) > 2:
        section = sections[2]
    else:
        section = sections[0]
    out = []
    for literal, body, decimals, other in _SECTION_RE.findall(section):
        if literal or other:
            out.append(literal or other.replace("\\", ""))
        elif body:
            places = len(decimals)
            number = Decimal(str(value)).quantize(Decimal(1).scaleb(-places)) if places else round(Decimal(str(value)))
            text = f"{number:,.{places}f}" if body == "#,##0" else f"{number:.{places}f}"
            out.append(text)
    return "".join(out)


def _general(value: int | float | Decimal) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, float):
        return repr(value)
    return str(value)
