"""附表2 scoring: the example's three flags, every band boundary, figures from cells and inputs."""
from __future__ import annotations

import tomllib
from decimal import Decimal
from pathlib import Path

import pytest

from disclosure.errors import InputError
from disclosure.performance import evaluate_performance, load_rubric, parse_performance_inputs
from disclosure.performance.findings import performance_findings
from disclosure.performance.inputs import load_performance_inputs
from disclosure.performance.sources import Figure
from disclosure.project import load_project
from test_performance_support import example_accounts, prior_accounts

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "content" / "bayannur-jiaoguan" / "2021" / "performance.toml"
D = Decimal


@pytest.fixture(scope="module")
def inputs():
    return load_performance_inputs(load_project(ROOT), "bayannur-jiaoguan", 2021)


@pytest.fixture(scope="module")
def report(inputs):
    return evaluate_performance(example_accounts(), None, inputs, None)


def test_rubric_totals_100_points_in_the_report_groups():
    rubric = load_rubric()
    assert rubric.total_points == 100
    by_level1: dict[str, Decimal] = {}
    for ind in rubric.indicators:
        by_level1[ind.level1] = by_level1.get(ind.level1, D(0)) + ind.points
    assert by_level1 == {"投入": 10, "过程": 45, "产出": 30, "效果": 15}


def test_three_public_control_flag(report):
    r = report.result("three_public_control")
    assert r.arithmetic == "376.18 ÷ 195.00 = 192.91%"
    assert r.rate == D("192.91")
    assert (r.computed_score, r.self_score, r.differs) == (0, 3, True)
    assert str(r.figures[0].cell) == "财政拨款三公经费支出决算表!G7"
    assert str(r.figures[1].cell) == "财政拨款三公经费支出决算表!A7"


def test_staff_control_flag_from_input_file(report, inputs):
    r = report.result("staff_control")
    assert r.arithmetic == "507 ÷ 656 = 77.29%"
    assert (r.computed_score, r.self_score, r.differs) == (D("0.5"), 1, True)
    assert str(r.figures[0].source) == f"{inputs.file}［figures.staff_actual］"
    assert inputs.file == "content/bayannur-jiaoguan/2021/performance.toml"


def test_budget_completion_flag_from_general_budget_and_budget_sheet(report):
    r = report.result("budget_completion")
    assert r.arithmetic == "5,817.35 ÷ 6,889.06 = 84.44%"
    assert (r.computed_score, r.self_score, r.differs) == (3, 4, True)
    assert [str(f.cell) for f in r.figures] == ["一般公共预算财政拨款支出决算表!D7", "年初预算数表!C6"]


def test_example_has_exactly_the_three_flags_and_totals(report):
    assert [r.spec.key for r in report.flags] == ["staff_control", "budget_completion", "three_public_control"]
    assert report.self_total == D("95.0")
    assert report.stated_total == D("95.00")
    assert report.computed_total == D("95") - D("0.5") - 1 - 3
    assert report.incomplete == []


def test_balance_rates_come_from_table_01(report):
    rate = report.result("balance_rate")
    assert rate.arithmetic == "1,061.97 ÷ 6,889.06 = 15.42%" and rate.computed_score == 3
    change = report.result("balance_change")
    # no prior-year tables: the prior year's closing balance is this year's 年初结转和结余
    assert change.arithmetic == "(1,061.97 − 1,151.10) ÷ 1,151.10 = -7.74%"
    assert str(change.figures[1].cell) == "收入支出决算总表!B16"
    assert change.computed_score == 2


def test_procurement_with_savings_and_direct_payment(report):
    r = report.result("procurement")
    assert r.arithmetic == "(1,646.70 + 53.30) ÷ 1,700.00 = 100.00%"
    assert r.computed_score == 3


def test_findings_one_warning_per_disagreement(report):
    findings = performance_findings(report)
    assert [f.severity for f in findings] == ["warning"] * 3
    three = findings[2]
    assert three.rule == "performance.self_score"
    assert "376.18 ÷ 195.00 = 192.91%" in three.message and "应得0分" in three.message and "自评3分" in three.message
    assert [str(c) for c in three.cells] == ["财政拨款三公经费支出决算表!G7", "财政拨款三公经费支出决算表!A7"]
    assert three.table == "three_public"
    staff = findings[0]
    assert staff.cells == () and "self_scores.staff_control" in staff.message


def test_stated_total_mismatch_is_a_finding(inputs):
    data = tomllib.loads(EXAMPLE.read_text(encoding="utf-8"))
    data["stated_total"] = 96
    changed = parse_performance_inputs(data, inputs.file)
    findings = performance_findings(evaluate_performance(example_accounts(), None, changed))
    assert any(f.rule == "performance.stated_total" and "96" in f.message and "95.0" in f.message for f in findings)


# ── band boundaries (the rubric as the report states it) ──────────────────────────────────────

def _score(key: str, rate: str) -> Decimal:
    return load_rubric().indicator(key).scoring.score(D(rate))[0]


@pytest.mark.parametrize(
    "key, rate, score",
    [
        ("budget_completion", "90", 4), ("budget_completion", "89.99", 3), ("budget_completion", "80", 3),
        ("budget_completion", "79.99", 2), ("budget_completion", "70", 2), ("budget_completion", "69.99", 1),
        ("budget_completion", "50", 1), ("budget_completion", "49.99", 0),
        ("three_public_control", "100", 3), ("three_public_control", "80", 3), ("three_public_control", "102", 2),
        ("three_public_control", "100.01", 2), ("three_public_control", "102.01", 1), ("three_public_control", "106", 0),
        ("three_public_control", "192.91", 0),
        ("staff_control", "100", 1), ("staff_control", "99.99", "0.5"), ("staff_control", "50", "0.5"),
        ("staff_control", "49.99", 0), ("staff_control", "100.01", 0),
        ("three_public_change", "-5", 2), ("three_public_change", "-4.99", 1), ("three_public_change", "5", 1),
        ("three_public_change", "5.01", 0),
        ("key_spending", "50", 2), ("key_spending", "49.99", "1.5"), ("key_spending", "20", "1.5"), ("key_spending", "19.99", 1),
        ("budget_adjustment", "0", 2), ("budget_adjustment", "2", 1), ("budget_adjustment", "2.01", 0),
        ("budget_adjustment", "-3", 1), ("budget_adjustment", "-3.01", 0),
        ("payment_progress", "90", 3), ("payment_progress", "89.99", "2.5"), ("payment_progress", "60", "1.5"),
        ("payment_progress", "50", 1), ("payment_progress", "49.99", 0),
        ("balance_rate", "19.99", 3), ("balance_rate", "20", 2), ("balance_rate", "29.99", 2), ("balance_rate", "30", 1),
        ("balance_change", "-0.01", 2), ("balance_change", "0", 1), ("balance_change", "30", 1), ("balance_change", "30.01", 0),
        ("public_control", "100", 4), ("public_control", "100.01", 2), ("public_control", "104.99", 2), ("public_control", "105", 0),
        ("procurement", "100", 2), ("procurement", "95", "1.5"), ("procurement", "94.99", 1), ("procurement", "100.01", 0),
        ("asset_use", "90", 2), ("asset_use", "89.99", "1.5"), ("asset_use", "70", "1.5"), ("asset_use", "50", 1), ("asset_use", "49.99", 0),
        ("completion", "90", 8), ("completion", "89.99", 6), ("completion", "59.99", 1), ("completion", "49.99", 0),
        ("timeliness", "80", 5), ("quality", "70", 4), ("key_tasks", "60", 2),
        ("satisfaction", "90", 5), ("satisfaction", "89.99", 4), ("satisfaction", "50", 2), ("satisfaction", "49.99", 1),
    ],
)
def test_band_boundaries(key, rate, score):
    assert _score(key, rate) == D(str(score))


def test_three_public_prior_year_growth_scores_zero(inputs):
    grown = example_accounts(three_public=("195.00", "190.00"), prior=prior_accounts("180.00", "300.00"))
    r = evaluate_performance(grown, None, inputs).result("three_public_control")
    assert r.rate == D("97.44")
    assert r.computed_score == 0
    assert any("有增长" in n for n in r.notes)
    same = example_accounts(three_public=("195.00", "190.00"), prior=prior_accounts("200.00", "300.00"))
    assert evaluate_performance(same, None, inputs).result("three_public_control").computed_score == 3


def test_prior_year_tables_win_over_the_input_file(inputs):
    accounts = example_accounts(prior=prior_accounts("150.00", "400.00", closing="1000.00"))
    report = evaluate_performance(accounts, None, inputs)
    change = report.result("three_public_change")
    assert change.arithmetic == "(195.00 − 150.00) ÷ 150.00 = 30.00%" and change.computed_score == 0
    assert change.figures[1].cell.table == "three_public"
    assert report.result("balance_change").arithmetic == "(1,061.97 − 1,000.00) ÷ 1,000.00 = 6.20%"


def test_rates_round_half_up_before_scoring(inputs):
    # 89.995% rounds half up to 90.00% → 4 分 (四舍五入, not banker's rounding)
    accounts = example_accounts(completed="89.995", initial="100")
    r = evaluate_performance(accounts, None, inputs).result("budget_completion")
    assert r.rate == D("90.00") and r.computed_score == 4


def test_missing_figures_are_reported_not_guessed():
    data = {"figures": {"staff_quota": 656}, "self_scores": {"staff_control": 1}}
    inputs = parse_performance_inputs(data, "content/x/2021/performance.toml")
    report = evaluate_performance(None, None, inputs)
    r = report.result("staff_control")
    assert r.computed_score is None and r.missing == ["在职人员数"] and not r.differs
    assert r in report.incomplete


def test_zero_procurement_budget_without_purchases_scores_full():
    inputs = parse_performance_inputs(
        {"figures": {"procurement_actual": 0, "procurement_budget": 0}}, "p.toml")
    r = evaluate_performance(None, None, inputs).result("procurement")
    assert r.computed_score == 3
    inputs = parse_performance_inputs({"figures": {"procurement_actual": 5, "procurement_budget": 0}}, "p.toml")
    assert evaluate_performance(None, None, inputs).result("procurement").computed_score == 0


@pytest.mark.parametrize(
    "data, words",
    [
        ({"figures": {"staff_quota": "很多"}}, ["figures.staff_quota", "应是数字"]),
        ({"figures": {"staff_quota": -1}}, ["figures.staff_quota", "不能为负数"]),
        ({"self_scores": {"staff_contrl": 1}}, ["staff_contrl", "不是附表2的指标"]),
        ({"self_scores": {"staff_control": 2}}, ["staff_control", "超过该指标分值 1 分"]),
        ({"projects": [{"budget": 1, "actual": 1}]}, ["projects[1]", "缺少项目名称"]),
    ],
)
def test_bad_inputs_name_the_file_and_key(data, words):
    with pytest.raises(InputError) as exc:
        parse_performance_inputs(data, "content/u/2021/performance.toml")
    text = str(exc.value)
    assert text.startswith("content/u/2021/performance.toml：")
    for w in words:
        assert w in text


def test_broken_toml_is_an_input_error(tmp_path):
    (tmp_path / "content" / "u" / "2021").mkdir(parents=True)
    (tmp_path / "content" / "u" / "2021" / "performance.toml").write_text("[figures\nx=1", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load_performance_inputs(load_project(tmp_path), "u", 2021)
    assert "content/u/2021/performance.toml" in str(exc.value)


def test_figure_cell_is_none_for_input_sources(report):
    f: Figure = report.result("staff_control").figures[1]
    assert f.cell is None and f.value == 656


def test_facts_from_derive_are_used_first(inputs):
    from disclosure.derive import Fact, Facts
    from disclosure.model import CellRef

    cell = CellRef("tables/u/2021.xlsx", "财政拨款三公经费支出决算表", "G9", "three_public")
    facts = Facts("bayannur-jiaoguan", 2021)
    facts.add(Fact("tp.total.actual", D("190.00"), "万元", (cell,), "三公决算数", "三公经费决算数"), "test")
    r = evaluate_performance(example_accounts(), facts, inputs).result("three_public_control")
    assert r.arithmetic == "190.00 ÷ 195.00 = 97.44%" and r.computed_score == 3 and not r.differs
    assert r.figures[0].cell == cell
    # a fact computed from several cells is named by its key
    two = Facts("bayannur-jiaoguan", 2021)
    two.add(Fact("gb.total", D("5817.35"), "万元", (cell, cell), "f", "l"), "test")
    assert evaluate_performance(example_accounts(), two, inputs).result("budget_completion").figures[0].source == "gb.total"


def test_scores_stay_within_points_and_fall_as_rates_worsen():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    rubric = load_rubric()
    higher_is_better = ["budget_completion", "payment_progress", "asset_use", "completion", "timeliness", "quality",
                        "key_tasks", "satisfaction", "key_spending"]
    lower_is_better = ["balance_rate", "balance_change", "public_control", "three_public_change"]
    rates = st.decimals(min_value=-200, max_value=300, places=2)

    @settings(max_examples=150, deadline=None)
    @given(a=rates, b=rates)
    def check(a, b):
        lo, hi = min(a, b), max(a, b)
        for ind in rubric.indicators:
            if ind.scoring is None:
                continue
            s_lo, s_hi = ind.scoring.score(lo)[0], ind.scoring.score(hi)[0]
            assert 0 <= s_lo <= ind.points and 0 <= s_hi <= ind.points
            if ind.key in higher_is_better:
                assert s_lo <= s_hi
            if ind.key in lower_is_better or (ind.key == "three_public_control" and lo >= 100):
                assert s_lo >= s_hi

    check()
