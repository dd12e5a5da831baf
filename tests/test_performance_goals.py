"""附表1 targets (≥ ≤ = 4类 效果显著), 项目自评 rates, and the 绩效 page."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from disclosure.performance import evaluate_goal, evaluate_goals, evaluate_performance, summarize_projects
from disclosure.performance.findings import performance_findings
from disclosure.performance.goals import parse_quantity
from disclosure.performance.inputs import load_performance_inputs, parse_performance_inputs
from disclosure.performance.page import performance_page_context, render_performance
from disclosure.site.theme import renderer
from disclosure.project import load_project
from test_performance_support import example_accounts

ROOT = Path(__file__).resolve().parent.parent
D = Decimal


@pytest.fixture(scope="module")
def inputs():
    return load_performance_inputs(load_project(ROOT), "bayannur-jiaoguan", 2021)


@pytest.mark.parametrize(
    "target, actual, status",
    [
        ("≥150次", "160", "met"),
        ("≥150次", "149次", "missed"),
        ("≤461万", "462万元", "missed"),
        ("≤461万", "461万元", "met"),
        ("≤110", "110万元", "met"),
        ("≥90%", "90%", "met"),
        ("≥90%", "89.9％", "missed"),
        ("4类", "4类", "met"),
        ("4类", "3类", "missed"),
        ("不低于95%", "96%", "met"),
        ("＞10次", "10次", "missed"),
        ("效果显著", "效果显著", "met"),
        ("有所提升", "有所下降", "missed"),
        ("≥90%", "良好", "unknown"),
        ("≥36台", "37次", "unknown"),
        ("", "", "none"),
    ],
)
def test_goal_targets(target, actual, status):
    assert evaluate_goal(target, actual)[0] == status


def test_quantity_parsing():
    q = parse_quantity("≤ 1,500 万")
    assert (q.op, q.number, q.unit) == ("≤", D("1500"), "万元")
    assert parse_quantity("效果显著").number is None


def test_example_goal_table(inputs):
    ev = evaluate_goals(inputs.goals)
    assert len(ev.results) == 39
    assert [(r.indicator.name, r.note) for r in ev.missed] == [
        ("财政供养人员", "实际750人，预期721人"),
        ("车辆运行维护成本", "实际462万元，预期≤461万元"),
    ]
    assert ev.budget_total == D("6889.06") and ev.actual_total == D("5268.73")
    findings = performance_findings(evaluate_performance(example_accounts(), None, inputs), goals=ev)
    missed = [f for f in findings if f.rule == "performance.goal_missed"]
    assert len(missed) == 2 and "≤461万" in missed[1].message and "goals.indicators[21]" in missed[1].message


def test_project_summaries(inputs):
    road, accident = summarize_projects(inputs.projects)
    assert road.rate == D("82.09") and not road.stated_differs
    assert road.sentence == "全年预算数为4,278.39万元，执行数为3,512.08万元，完成预算的82.09%。"
    assert accident.rate == D("100.00") and not accident.stated_differs


def test_project_stated_rate_mismatch_is_flagged():
    inputs = parse_performance_inputs(
        {"projects": [{"name": "测试项目", "budget": 3.65, "actual": 3.60, "stated_rate": 100}]}, "p.toml")
    (p,) = summarize_projects(inputs.projects)
    assert p.rate == D("98.63") and p.stated_differs
    (f,) = performance_findings(evaluate_performance(None, None, inputs), projects=[p])
    assert f.rule == "performance.project_rate" and "98.63%" in f.message


def test_page_shows_computed_beside_self_scores_with_flags(inputs):
    report = evaluate_performance(example_accounts(), None, inputs)
    ctx = performance_page_context(report, evaluate_goals(inputs.goals), summarize_projects(inputs.projects), "巴彦淖尔市公安局交通管理支队")
    assert [r["name"] for r in ctx["flags"]] == ["在职人员控制率", "预算完成率", "“三公经费”控制率"]
    assert (ctx["computed_total"], ctx["self_total"], ctx["stated_total"]) == ("90.50", "95.00", "95.00")
    three = next(r for r in ctx["indicators"] if r["key"] == "three_public_control")
    assert three["figures"][0]["href"] == "tables/three_public.html#cell-three_public-G7"
    assert ctx["indicators"][0]["level1_span"] == 5 and ctx["indicators"][1]["level1_span"] == 0
    html = render_performance(ctx, renderer(ROOT))
    assert "376.18 ÷ 195.00 = 192.91%，按评分标准应得0分，自评3分" in html
    assert "507 ÷ 656 = 77.29%，按评分标准应得0.5分，自评1分" in html
    assert "5,817.35 ÷ 6,889.06 = 84.44%，按评分标准应得3分，自评4分" in html
    assert html.count("<mark><strong>不一致</strong></mark>") == 4  # three rows and the total
    assert "完成预算的82.09%" in html and "未达预期" in html
    assert '<a href="tables/three_public.html#cell-three_public-G7">' in html


def test_blank_template_parses_and_adds_no_page_or_findings(tmp_path):
    import tomllib

    from disclosure.performance.pipeline import evaluate, performance_check
    from disclosure.performance.template import performance_template_text, write_performance_template

    text = performance_template_text(year=2021)
    assert "# staff_quota =" in text and "# three_public_control =" in text and "# procurement_savings =" in text
    path = write_performance_template(tmp_path / "content" / "u" / "2021" / "performance.toml", 2021)
    inputs = parse_performance_inputs(tomllib.loads(path.read_text(encoding="utf-8")), "p.toml")
    assert inputs.blank
    accounts = example_accounts()
    accounts.unit, accounts.year = "u", 2021
    project = load_project(tmp_path)
    assert evaluate(accounts, None, project) is None and performance_check(accounts, project) == []
    path.write_text("[figures]\nstaff_quota = 10\nstaff_actual = 10\n[self_scores]\nstaff_control = 0.5\n", encoding="utf-8")
    incomplete, f = performance_check(accounts, project)  # three values of 附表2: the rest is listed as missing
    assert incomplete.rule == "performance.incomplete" and incomplete.severity == "error"
    assert "10 ÷ 10 = 100.00%，按评分标准应得1分，自评0.5分" in f.message


def test_prior_year_cells_link_to_the_prior_year(inputs):
    from test_performance_support import prior_accounts

    accounts = example_accounts(prior=prior_accounts("150.00", "400.00"))
    ctx = performance_page_context(evaluate_performance(accounts, None, inputs))
    change = next(r for r in ctx["indicators"] if r["key"] == "three_public_change")
    assert change["figures"][1]["source"] == "2020年 财政拨款三公经费支出决算表!A7"
    assert change["figures"][1]["href"] == "../2020/tables/three_public.html#cell-three_public-A7"


def test_cells_of_unpublished_tables_are_named_not_linked(inputs):
    from disclosure.performance.page import published_tables

    accounts = example_accounts()
    ctx = performance_page_context(evaluate_performance(accounts, None, inputs), linkable=published_tables(accounts))
    completion = next(r for r in ctx["indicators"] if r["key"] == "budget_completion")
    assert completion["figures"][0]["href"] == "tables/general_budget.html#cell-general_budget-D7"
    assert completion["figures"][1]["href"] is None  # 年初预算数表 is not published
    assert completion["figures"][1]["source"] == "年初预算数表!C6"
