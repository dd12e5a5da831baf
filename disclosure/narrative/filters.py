"""The Chinese of the figures: amounts, percentages, counts, changes, 空表 sentences, lists.

Pure functions over Decimals (tested on their own), used by the template filters in ``render``.
They format; they never round a computed figure differently from ``derive`` (percent facts
arrive rounded; ``format_percent`` rounds half up only when asked for a number of places).
"""
from __future__ import annotations

from decimal import Decimal
from typing import Callable, Iterable

from disclosure.money import format_amount, round_half_up


def format_wan(value: Decimal) -> str:
    """5728.23 → ``5,728.23万元`` (2 places, half up)."""
    return f"{format_amount(value)}万元"


def format_percent(value: Decimal, places: int | None = None) -> str:
    """A percentage as stored (``8.30%``), or rounded half up to ``places`` first."""
    if places is not None:
        value = round_half_up(value, places)
    return f"{value:f}%"


def format_count(value: Decimal, unit: str = "") -> str:
    """103 → ``103辆``; a count never shows decimals unless it has them."""
    text = f"{value.normalize():f}" if value == value.to_integral_value() else f"{value:f}"
    return f"{text}{unit}"


def format_yuan(value: Decimal) -> str:
    """0.0275 万元 → ``275元``; 0.035 → ``350元``; cents kept when the amount has them (12.5元); from
    1,000元 on with thousands separators, and cents to two places (33.8866 → ``338,866元``,
    5.28142 → ``52,814.20元``)."""
    yuan = value * 10000
    whole = yuan == yuan.to_integral_value()
    if abs(yuan) >= 1000:
        return f"{yuan.to_integral_value():,f}元" if whole else f"{round_half_up(yuan, 2):,.2f}元"
    text = f"{yuan.normalize():f}" if whole else f"{round_half_up(yuan, 2).normalize():f}"
    return f"{text}元"


def format_value(value: Decimal, unit: str, yuan_below: Decimal | None = None, zero_in_yuan: bool = False) -> str:
    """Format by unit: 万元 amounts (in 元 when non-zero and below ``yuan_below`` 万元; a zero as 0元
    when ``zero_in_yuan``), % percentages, other units as counts."""
    if unit == "万元":
        if zero_in_yuan and value == 0:
            return "0元"
        if yuan_below is not None and value != 0 and abs(value) < yuan_below:
            return format_yuan(value)
        return format_wan(value)
    if unit == "%":
        return format_percent(value)
    return format_count(value, unit)


Wrap = Callable[[str], str]


def _same(text: str) -> str:
    return text


def change_words(change: Decimal, rate: Decimal | None, unit: str, *, base_zero: bool,
                 prior: str = "上年", with_rate: bool = True,
                 wrap_amount: Wrap = _same, wrap_rate: Wrap = _same, yuan_below: Decimal | None = None,
                 prior_amount: str = "") -> str:
    """``较上年减少622.89万元，下降8.30%`` chosen by sign; 持平 for no change; on a zero base the
    amount only, with 上年无此项，无可比性 (never a made-up rate). ``prior_amount`` (the prior
    year's figure, formatted) is written after the year: ``较上年（7,507.89万元）减少…`` (not on a zero
    base). ``wrap_*`` may turn the formatted figures into links."""
    said = f"{prior}（{prior_amount}）" if prior_amount and not base_zero else prior
    if change == 0:
        return f"与{said}持平"
    verb, trend = ("增加", "增长") if change > 0 else ("减少", "下降")
    text = f"较{said}{verb}{wrap_amount(format_value(abs(change), unit, yuan_below))}"
    if not with_rate:
        return text
    if base_zero:
        return f"{text}，{prior}无此项，无可比性"
    if rate is None:  # pragma: no cover - a non-zero base always has a rate
        return text
    return f"{text}，{trend}{wrap_rate(format_percent(abs(rate)))}"


def budget_words(diff: Decimal, rate: Decimal | None, unit: str = "万元", *,
                 wrap_amount: Wrap = _same, wrap_rate: Wrap = _same, yuan_below: Decimal | None = None,
                 budget: str = "年初预算", lead: str = "与{budget}相比，") -> str:
    """``与年初预算相比，减少1,071.71万元，下降15.56%``; 持平; 年初未安排预算 on a zero budget.
    ``budget`` names the budget (预算 for 三公), ``lead`` the words before the verb (``较{budget}``)."""
    if diff == 0:
        return f"与{budget}持平"
    if rate is None:
        return "年初未安排预算" if budget == "年初预算" else "未安排预算"
    verb, trend = ("增加", "增长") if diff > 0 else ("减少", "下降")
    amount = wrap_amount(format_value(abs(diff), unit, yuan_below))
    return f"{lead.format(budget=budget)}{verb}{amount}，{trend}{wrap_rate(format_percent(abs(rate)))}"


def join_cn(items: Iterable[str], sep: str = "、") -> str:
    """Join non-empty items with 、 (or ；)."""
    return sep.join(s for s in (str(i).strip() for i in items) if s)


def clean_reason(text: str) -> str:
    """A 变动原因 without trailing punctuation or a leading 主要原因是, so the sentence owns both."""
    text = text.strip()
    for lead in ("主要原因是：", "主要原因是:", "主要原因是", "主要原因：", "主要原因:", "原因是：", "原因是"):
        if text.startswith(lead):
            text = text[len(lead):].strip()
            break
    return text.rstrip("。；;，,、 \n")
