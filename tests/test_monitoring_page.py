"""The monitoring page: narrative, table, chart data; and both 绩效/执行进度 pages built into the site."""
from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from disclosure.monitoring import evaluate_monitoring, load_monitoring_notes, read_monitoring
from disclosure.monitoring.page import monitoring_page_context, render_monitoring
from disclosure.site.theme import renderer
from disclosure.project import load_project

ROOT = Path(__file__).resolve().parent.parent
UNIT = "bayannur-jiaoguan"
EXAMPLE = ROOT / "tables" / UNIT / "monitoring" / "2021-06-30.xlsx"


@pytest.fixture(scope="module")
def report():
    project = load_project(ROOT)
    notes = load_monitoring_notes(project, UNIT, date(2021, 6, 30))
    return evaluate_monitoring(read_monitoring(EXAMPLE, "tables/bayannur-jiaoguan/monitoring/2021-06-30.xlsx"), notes=notes)


def test_narrative_and_rows(report):
    ctx = monitoring_page_context(report, "巴彦淖尔市公安局交通管理支队")
    first = ctx["narrative"][0]
    assert first.startswith("截至2021年6月30日，巴彦淖尔市公安局交通管理支队预算合计6,889.06万元")
    assert "已支付2,783.75万元，执行进度40.41%，序时进度50.00%，低于序时进度9.59个百分点。" in first
    assert ctx["narrative"][1] == "人员经费和公用经费预算合计2,575.67万元，已支付1,325.57万元，执行进度51.47%，已达到序时进度。"
    assert "尚未支出的项目有1个：交通安全宣传。" in ctx["narrative"]
    sub = next(r for r in ctx["rows"] if r["number"] == "3.3")
    assert sub["indent"] == "\u3000" and sub["unpaid"] and sub["reason"].startswith("交通安全宣传活动")
    assert [r["number"] for r in ctx["explained"]] == ["2", "3", "3.3"]


def test_chart_is_fixed_and_reproducible(report):
    ctx = monitoring_page_context(report)
    assert ctx["chart_id"] == "dc-chart-monitoring-2021-06-30"
    chart = ctx["chart"]
    drawing = json.loads(chart.spec_json)
    assert drawing["categories"] == ["人员经费", "公用经费", "道路交通管理专项业务费", "交通事故检验鉴定费和事故车辆停车费"]
    assert [v[0] for v in drawing["values"]] == ["52.37", "45.89", "33.28", "98.63"]
    assert [v[1] for v in drawing["values"]] == ["50.00"] * 4 and drawing["reference"] == 1
    assert chart.spec_json == monitoring_page_context(report)["chart"].spec_json
    assert "figure_json" not in ctx  # no plotly figure is made any more
    assert chart.id == ctx["chart_id"] and chart.unit == "%"
    assert chart.rows[3] == ("交通事故检验鉴定费和事故车辆停车费", ["98.63", "50.00"])
    assert json.loads(chart.spec_json)["values"][0] == ["52.37", "50.00"]


def test_rendered_body(report):
    html = render_monitoring(monitoring_page_context(report, "巴彦淖尔市公安局交通管理支队"), renderer(ROOT))
    assert "<caption>预算执行进度表（截至2021年6月30日，单位：万元）</caption>" in html
    assert ('<td data-label="预算合计">35.00</td><td data-label="已支付">34.52</td><td data-label="执行进度（%）">98.63</td>'
            '<td data-label="与序时进度比较">已达到序时进度</td>') in html
    assert "<mark><strong>未支出</strong></mark>" in html
    assert "下一步措施：8 月完成宣传服务政府采购" in html


def test_both_pages_in_a_site_build(tmp_path):
    from disclosure.site.unit_year import BuildOptions, build_unit_year

    project = load_project(ROOT)
    options = BuildOptions(allow_errors=True)  # both pages are registered providers of every build (review side)
    result = build_unit_year(project, UNIT, 2021, tmp_path, options)
    extras = [p.path for p in result.pages if p.kind == "extra"]
    assert extras == [f"{UNIT}/2021/performance.html", f"{UNIT}/2021/monitoring-2021-06-30.html"]
    perf = (tmp_path / UNIT / "2021" / "performance.html").read_text(encoding="utf-8")
    for text in ("376.18 ÷ 195.00 = 192.91%，按评分标准应得0分，自评3分",
                 "507 ÷ 656 = 77.29%，按评分标准应得0.5分，自评1分",
                 "5,817.35 ÷ 6,889.06 = 84.44%，按评分标准应得3分，自评4分",
                 "按附表2评分标准计算得分<strong>90.50</strong>分，单位自评得分<strong>95.00</strong>分"):
        assert text in perf
    assert 'href="tables/three_public.html#cell-three_public-G7"' in perf
    assert "<script" not in perf.split("</head>")[1]
    mon = (tmp_path / UNIT / "2021" / "monitoring-2021-06-30.html").read_text(encoding="utf-8")
    assert "低于序时进度9.59个百分点" in mon and "98.63" in mon
    # the chart: fixed id, drawn at build time as inline SVG (no chart script at all)
    assert '<div class="dc-chart dc-chart-bar" id="dc-chart-monitoring-2021-06-30" role="img"' in mon
    assert '<svg class="dc-svg"' in mon and "plotly" not in mon and 'stroke-dasharray="6 4"' in mon
    # the check stage carries the 绩效 warnings
    rules = [f.rule for f in result.findings if f.rule.startswith("performance.")]
    assert rules.count("performance.self_score") == 3 and rules.count("performance.goal_missed") == 2
    again = tmp_path / "again"
    build_unit_year(project, UNIT, 2021, again, options)
    assert (again / UNIT / "2021" / "performance.html").read_bytes() == (tmp_path / UNIT / "2021" / "performance.html").read_bytes()
    assert (again / UNIT / "2021" / "monitoring-2021-06-30.html").read_bytes() == mon.encode("utf-8")
