"""The fee facts that section 6 (其他需要报告的事项) states in words (FORMAT.md §7).

Since 2021 a report says how many 信息处理费 收费通知 it issued, for how much, and how much was actually
collected — as prose, not as a table: ``本年度共发出收费通知3件，总金额2230元，实际收取信息处理费2230元``,
or just ``本年度未收取信息处理费``. Only what the text says is taken; a figure it does not state stays None.

>>> fees_stated("本年度共发出收费通知3件，总金额2230元，实际收取信息处理费1000元。")
Fees(notices_count=3, notices_amount=Decimal('2230'), collected_amount=Decimal('1000'))
>>> fees_stated("2023年，无收取信息处理费情况。")
Fees(notices_count=None, notices_amount=None, collected_amount=Decimal('0'))
"""

from __future__ import annotations

import re
from decimal import Decimal

import attrs

from .fieldrepr import FieldRepr
from .lazyre import lazy_compile
from .normalize import squash_space

_FEE = r"(?:信息处理费|处理费|收费|费用)"
_AMOUNT = r"(\d+(?:\.\d+)?)\s*(万)?元"
_NOTICE = r"收费通知(?:书|单)?"
_NOTICES_COUNT = lazy_compile(rf"{_NOTICE}[^。；;，,\d]{{0,6}}?(\d+)\s*(?:件|份|次)"
                            rf"|(?:发出|开具|出具|送达|制发)(?:了)?\s*(\d+)\s*(?:件|份)\s*{_NOTICE}")
_NO_NOTICES = lazy_compile(rf"(?:未|没有|无)(?:发出|开具|出具|送达|制发)?[^。；;，,]{{0,6}}?{_NOTICE}")
_NOTICES_AMOUNT = lazy_compile(rf"{_NOTICE}[^。；;]{{0,24}}?(?:总?金额|金额|共计|合计)(?:为|共|共计|合计)?\s*{_AMOUNT}")
_COLLECTED = lazy_compile(rf"(?:实际|共|累计)?(?:收取|收缴|收到)(?:了)?[^。；;，,\d]{{0,16}}?{_FEE}"
                        rf"[^。；;\d]{{0,6}}?(?:共计|合计|总计|共)?\s*{_AMOUNT}")
_NONE_COLLECTED = lazy_compile(rf"(?:未|没有|无|不存在|未曾)(?:向申请人)?[^。；;，,]{{0,24}}?(?:收取|产生|发生|收缴)"
                             rf"[^。；;，,]{{0,24}}?{_FEE}")


@attrs.frozen(repr=False)
class Fees(FieldRepr):
    """The 信息处理费 facts section 6 states (2021 format): notices issued, their total, the amount collected
    (元). None where the report does not say."""

    notices_count: int | None = None
    notices_amount: Decimal | None = None
    collected_amount: Decimal | None = None


def fees_stated(text: str | None) -> Fees:
    """The fee figures section 6 states; None for each one it does not."""
    if not text:
        return Fees()
    text = re.sub(r"(?<=\d)[,，](?=\d{3})", "", squash_space(text))  # 12,300元
    count = _count(text)
    notices_amount = _amount(_NOTICES_AMOUNT.search(text))
    collected = _amount(_COLLECTED.search(text))
    if collected is None and _NONE_COLLECTED.search(text):
        collected = Decimal(0)
    return Fees(count, notices_amount, collected)


def _count(text: str) -> int | None:
    m = _NOTICES_COUNT.search(text)
    if m:
        return int(m.group(1) or m.group(2))
    return 0 if _NO_NOTICES.search(text) else None


def _amount(m: re.Match[str] | None) -> Decimal | None:
    if m is None:
        return None
    value = Decimal(m.group(1))
    return value * 10000 if m.group(2) else value
