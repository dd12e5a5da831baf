"""round_half_up without a widened context when the context has digits enough gives what the widened
context gives, for every value and number of places."""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, localcontext

from hypothesis import given, strategies as st

from disclosure.money import round_half_up


def widened(value: Decimal, places: int) -> Decimal:
    with localcontext() as ctx:
        ctx.prec = max(ctx.prec, value.adjusted() + places + 2)
        return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


@given(st.decimals(allow_nan=False, allow_infinity=False, places=None), st.integers(0, 6))
def test_the_same_as_in_a_widened_context(value: Decimal, places: int) -> None:
    got = round_half_up(value, places)
    want = widened(value, places)
    assert got == want and str(got) == str(want)


def test_examples_and_a_value_past_the_context_s_digits() -> None:
    assert str(round_half_up(Decimal("2.675"))) == "2.68"
    assert str(round_half_up(Decimal("0.125"))) == "0.13"
    assert str(round_half_up(Decimal("-0.125"))) == "-0.13"
    big = Decimal("12345678901234567890123456789.125")
    assert str(round_half_up(big)) == str(widened(big, 2)) == "12345678901234567890123456789.13"
    assert str(round_half_up(Decimal("1E-21") / Decimal("3"), 4)) == "0.0000"
