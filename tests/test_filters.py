"""The Chinese of figures: sign, zero base, both zero, precision, half-up rounding, lists."""
from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from disclosure.narrative.filters import (
    budget_words, change_words, clean_reason, format_count, format_percent, format_value,
    format_wan, join_cn,
)
from disclosure.wording.style import cn_number

D = Decimal


@pytest.mark.parametrize("value, text", [
    (D("5728.23"), "5,728.23万元"),
    (D("0"), "0.00万元"),
    (D("1151.1"), "1,151.10万元"),  # the report prints 1,151.1万元
    (D("2.675"), "2.68万元"),
    (D("0.125"), "0.13万元"),
    (D("-1071.71"), "-1,071.71万元"),
    (D("1234567.891"), "1,234,567.89万元"),
])
def test_amounts(value, text):
    assert format_wan(value) == text


@pytest.mark.parametrize("value, places, text", [
    (D("8.30"), None, "8.30%"),
    (D("0.125"), 2, "0.13%"),
    (D("2.675"), 2, "2.68%"),
    (D("2.675"), 1, "2.7%"),
    (D("8.3027"), 1, "8.3%"),
    (D("8.3027"), 2, "8.30%"),
    (D("0.05"), 1, "0.1%"),  # half up, not to even
    (D("0.25"), 1, "0.3%"),
    (D("100"), 2, "100.00%"),
])
def test_percentages_round_half_up(value, places, text):
    assert format_percent(value, places) == text


def test_counts_and_units():
    assert format_count(D("103"), "辆") == "103辆"
    assert format_count(D("11.0"), "台（套）") == "11台（套）"
    assert format_value(D("3"), "台（套）") == "3台（套）"
    assert format_value(D("51.51"), "%") == "51.51%"
    assert format_value(D("1.805"), "万元") == "1.81万元"


@pytest.mark.parametrize("change, rate, base_zero, text", [
    (D("-622.89"), D("-8.30"), False, "较上年减少622.89万元，下降8.30%"),
    (D("836.52"), D("209.36"), False, "较上年增加836.52万元，增长209.36%"),
    (D("-90.27"), D("-100.00"), False, "较上年减少90.27万元，下降100.00%"),
    (D("12.5"), None, True, "较上年增加12.50万元，上年无此项，无可比性"),
    (D("0"), None, True, "与上年持平"),
    (D("0"), D("0.00"), False, "与上年持平"),
])
def test_change_words_by_sign(change, rate, base_zero, text):
    assert change_words(change, rate, "万元", base_zero=base_zero) == text


def test_change_words_never_write_the_unfilled_template():
    for change, rate in [(D("0"), None), (D("1"), D("1")), (D("-1"), D("-1"))]:
        text = change_words(change, rate, "万元", base_zero=rate is None)
        assert "增加(减少)" not in text and "（减少）" not in text and "增长(下降)" not in text
        assert "0%" not in text or change != 0


def test_change_words_for_counts_and_named_years():
    assert change_words(D("3"), None, "台（套）", base_zero=False, with_rate=False, prior="2020年") == "较2020年增加3台（套）"
    assert change_words(D("1"), None, "台（套）", base_zero=True, with_rate=False) == "较上年增加1台（套）"
    assert change_words(D("0"), None, "辆", base_zero=False, with_rate=False, prior="2020年") == "与2020年持平"


def test_change_words_can_wrap_figures():
    text = change_words(D("-1"), D("-5"), "万元", base_zero=False, wrap_amount=lambda t: f"[{t}]",
                        wrap_rate=lambda t: f"<{t}>")
    assert text == "较上年减少[1.00万元]，下降<5%>"


@pytest.mark.parametrize("diff, rate, text", [
    (D("-1071.71"), D("-15.56"), "与年初预算相比，减少1,071.71万元，下降15.56%"),
    (D("9.73"), D("0.14"), "与年初预算相比，增加9.73万元，增长0.14%"),
    (D("0"), D("0"), "与年初预算持平"),
    (D("87.29"), None, "年初未安排预算"),
])
def test_budget_words(diff, rate, text):
    assert budget_words(diff, rate) == text


def test_lists_join_with_dun_and_semicolon():
    assert join_cn(["基本工资435.65万元", "", "津贴补贴644.64万元"]) == "基本工资435.65万元、津贴补贴644.64万元"
    assert join_cn(["a", "b"], "；") == "a；b"
    assert join_cn([]) == ""


@pytest.mark.parametrize("raw, clean", [
    ("我单位有新考录人员，人员经费增加。", "我单位有新考录人员，人员经费增加"),
    ("主要原因是：节约开支；", "节约开支"),
    ("  \n", ""),
])
def test_reasons_are_trimmed(raw, clean):
    assert clean_reason(raw) == clean


@pytest.mark.parametrize("n, text", [(1, "一"), (10, "十"), (11, "十一"), (13, "十三"), (20, "二十"), (21, "二十一")])
def test_chinese_numbers(n, text):
    assert cn_number(n) == text


money = st.decimals(min_value=-10**7, max_value=10**7, places=2, allow_nan=False, allow_infinity=False)


@settings(max_examples=300, deadline=None)
@given(now=money, before=money)
def test_change_words_agree_with_the_sign_and_base(now, before):
    from disclosure.money import percent

    change = now - before
    rate = percent(change, abs(before)) if before != 0 else None
    text = change_words(change, rate, "万元", base_zero=before == 0)
    if change == 0:
        assert text == "与上年持平"
    elif change > 0:
        assert text.startswith("较上年增加") and "减少" not in text and "下降" not in text
    else:
        assert text.startswith("较上年减少") and "增加" not in text and "增长" not in text
    if before == 0 and change != 0:
        assert text.endswith("上年无此项，无可比性") and "%" not in text
    assert "-" not in text  # magnitudes only: the verb carries the sign
