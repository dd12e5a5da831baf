"""Exact money and percentages: Decimal from the cell to the page, rounding half up (四舍五入)."""
from __future__ import annotations

import math
import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

ZERO = Decimal("0")
HUNDRED = Decimal("100")
WAN = Decimal("10000")
CENT = Decimal("0.01")

_BLANKS = {"", "-", "—", "——", "–", "/", "－", "— —"}
_NUMBER = re.compile(r"^[+-]?(\d+(,\d{3})*|\d*)(\.\d+)?$")


class NotANumber(ValueError):
    """A cell holds text where a number belongs."""


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
        return Decimal(raw)
    if isinstance(raw, float):
        if not math.isfinite(raw):
            raise NotANumber(str(raw))
        return Decimal(format(raw, ".15g")).normalize() + ZERO
    if isinstance(raw, Decimal):
        return raw
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
    return -value if negative else value


def to_wan(value: Decimal, unit: str) -> Decimal:
    """Convert an amount in 元 or 亿元 to 万元 exactly (元 ÷ 10000 keeps every digit)."""
    if unit == "元":
        return value / WAN
    if unit == "亿元":
        return value * WAN
    return value


def round_half_up(value: Decimal, places: int = 2) -> Decimal:
    """四舍五入 to ``places`` decimals (2.675 → 2.68, 0.125 → 0.13)."""
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def percent(part: Decimal, whole: Decimal, places: int = 2) -> Decimal | None:
    """part ÷ whole × 100, rounded half up; None when whole is zero."""
    if whole == 0:
        return None
    return round_half_up(part * HUNDRED / whole, places)


def format_amount(value: Decimal, places: int = 2) -> str:
    """1234.5 → '1,234.50' (thousands separators, fixed places, half up)."""
    return f"{round_half_up(value, places):,.{places}f}"
