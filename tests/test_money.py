"""Money is Decimal and rounds half up, never banker's rounding."""
from __future__ import annotations

from decimal import Decimal

import pytest

from disclosure.money import NotANumber, format_amount, parse_amount, percent, round_half_up, to_wan


@pytest.mark.parametrize(
    "raw, expected",
    [
        (5728.23, Decimal("5728.23")),
        (0.1 + 0.2, Decimal("0.3")),
        (12, Decimal("12")),
        ("1,234.56", Decimal("1234.56")),
        ("（12.5）", Decimal("-12.5")),
        ("-3.5", Decimal("-3.5")),
        ("\u3000 1 234.00 ", Decimal("1234.00")),
    ],
)
def test_parse_amount_values(raw, expected):
    assert parse_amount(raw) == expected


@pytest.mark.parametrize("raw", [None, "", "-", "—", "——", " "])
def test_blank_cells_are_none(raw):
    assert parse_amount(raw) is None


@pytest.mark.parametrize("raw", ["12,3O4.00", "abc", "1.2.3", "万元", True])
def test_text_is_not_a_number(raw):
    with pytest.raises(NotANumber):
        parse_amount(raw)


def test_yuan_to_wan_keeps_every_digit():
    assert to_wan(Decimal("57282301.37"), "元") == Decimal("5728.230137")
    assert to_wan(Decimal("1.5"), "亿元") == Decimal("15000.0")
    assert to_wan(Decimal("3.2"), "万元") == Decimal("3.2")


@pytest.mark.parametrize(
    "value, places, expected",
    [("0.125", 2, "0.13"), ("2.675", 2, "2.68"), ("2.665", 2, "2.67"), ("0.05", 1, "0.1"), ("-0.125", 2, "-0.13")],
)
def test_round_half_up(value, places, expected):
    assert round_half_up(Decimal(value), places) == Decimal(expected)


def test_percent_and_zero_base():
    assert percent(Decimal("2996.69"), Decimal("5817.35")) == Decimal("51.51")
    assert percent(Decimal("376.18"), Decimal("195.00")) == Decimal("192.91")
    assert percent(Decimal("3.60"), Decimal("3.65")) == Decimal("98.63")
    assert percent(Decimal("1"), Decimal("0")) is None
    assert percent(Decimal("1"), Decimal("3"), 1) == Decimal("33.3")


def test_format_amount():
    assert format_amount(Decimal("1234.5")) == "1,234.50"
    assert format_amount(Decimal("6879.325")) == "6,879.33"
    assert format_amount(Decimal("0")) == "0.00"


@pytest.mark.parametrize("raw", [float("nan"), float("inf"), float("-inf")])
def test_non_finite_floats_are_not_numbers(raw):
    with pytest.raises(NotANumber):
        parse_amount(raw)
