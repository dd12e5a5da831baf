"""Exact money and percentages: Decimal from the cell to the page, rounding half up (四舍五入)."""
from __future__ import annotations

import math
import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, getcontext, localcontext

ZERO = Decimal("0")
HUNDRED = Decimal("100")
WAN = Decimal("10000")
CENT = Decimal("0.01")

_BLANKS = {"", "-", "—", "——", "–", "/", "－", "— —"}
_NUMBER = re.compile(r"^[+-]?(?=\.?\d)(\d+(,\d{3})*|\d*)(\.\d+)?([eE][+-]?\d{1,4})?$")  # also 1.5E+3, as a spreadsheet shows it


LIMIT = Decimal("1E15")  # 千万亿: no amount (元 or 万元) or count of a 决算 comes near it


class NotANumber(ValueError):
    """A cell holds text where a number belongs."""

    def advice(self, shown: str) -> str:
        """What the user is told about the cell showing ``shown``."""
        return f"“{shown}”不是数字，请改为数字（空白、“-”或“—”表示0）。"


class TooLarge(NotANumber):
    """A number far beyond any amount: exact arithmetic (28 digits) could not carry it to cents."""

    def advice(self, shown: str) -> str:
        return f"“{shown}”数值过大（绝对值达到 1E+15 或以上），不可能是决算金额或数量。请检查是否多输了数字或误填了其他内容。"


def _bounded(value: Decimal, raw: object) -> Decimal:
    if not value.is_finite() or abs(value) >= LIMIT:
        raise TooLarge(str(raw))
    return value


def parse_amount(raw: object) -> Decimal | None:
    """A cell's value as Decimal; None for a blank cell (empty, -, —). Raises NotANumber.

    Floats (what spreadsheet readers return) are taken at the 15 significant digits a spreadsheet
    shows, so 0.1 + 0.2 stored as 0.30000000000000004 reads as 0.3.
    """
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise NotANumber(str(raw))
    if isinstance(raw, int):
        return _bounded(Decimal(raw), raw)
    if isinstance(raw, float):
        if not math.isfinite(raw):
            raise NotANumber(str(raw))
        return _bounded(Decimal(format(raw, ".15g")).normalize() + ZERO, raw)
    if isinstance(raw, Decimal):
        if raw.is_nan():
            raise NotANumber(str(raw))
        return _bounded(raw, raw)
    text = unicodedata.normalize("NFKC", str(raw)).strip().replace(" ", "")
    if text in _BLANKS:
        return None
    negative = text.startswith("(") and text.endswith(")")
    if negative:
        text = text[1:-1]
    if not _NUMBER.match(text) or text in {"", ".", "+", "-"}:
        raise NotANumber(str(raw))
    try:
        value = Decimal(text.replace(",", ""))
    except InvalidOperation as exc:  # pragma: no cover - the pattern already guards this
        raise NotANumber(str(raw)) from exc
    value = _bounded(value, raw)
    return -value if negative else value


def count_problem(value: Decimal) -> str | None:
    """Why a count (人数、车辆数、套数) cannot be what a cell holds, or None: counts are whole and
    not negative."""
    if value < 0:
        return "是负数，但数量（人数、车辆数等）不能小于0。请改正。"
    if value != value.to_integral_value():
        return "不是整数，但数量（人数、车辆数等）只能是整数。请改正。"
    return None


def to_wan(value: Decimal, unit: str) -> Decimal:
    """Convert an amount in 元 or 亿元 to 万元 exactly (元 ÷ 10000 keeps every digit)."""
    if unit == "元":
        return value / WAN
    if unit == "亿元":
        return value * WAN
    return value


_QUANTA = tuple(Decimal(1).scaleb(-places) for places in range(10))  # 1, 0.1 … 1E-9: made once, never added to


def round_half_up(value: Decimal, places: int = 2) -> Decimal:
    """四舍五入 to ``places`` decimals (2.675 → 2.68, 0.125 → 0.13)."""
    quantum = _QUANTA[places] if 0 <= places < len(_QUANTA) else Decimal(1).scaleb(-places)
    need = value.adjusted() + places + 2
    if need <= getcontext().prec:  # the context has digits enough (nearly always): a widened copy would equal it
        return value.quantize(quantum, rounding=ROUND_HALF_UP)
    with localcontext() as ctx:  # enough digits for any value (a rate over a tiny base has many)
        ctx.prec = need
        return value.quantize(quantum, rounding=ROUND_HALF_UP)


def percent(part: Decimal, whole: Decimal, places: int = 2) -> Decimal | None:
    """part ÷ whole × 100, rounded half up; None when whole is zero."""
    if whole == 0:
        return None
    return round_half_up(part * HUNDRED / whole, places)


def format_amount(value: Decimal, places: int = 2) -> str:
    """1234.5 → '1,234.50' (thousands separators, fixed places, half up)."""
    return f"{round_half_up(value, places):,.{places}f}"
