"""The site's building blocks on small inputs: table views and CSV, search grams, charts from facts,
sanitising and heading levels, theme lookup and overrides, page providers, the preview server."""
from __future__ import annotations

import json
import re
import threading
import time
import urllib.error
import urllib.request
from decimal import Decimal
from pathlib import Path

import pytest
from factories import make_table
from test_site_support import UNIT, build, copy_example

from disclosure.derive.facts import Fact, Facts
from disclosure.markup import clean_html, render_markdown, shift_headings
from disclosure.model import CellRef
from disclosure.site.charts import trend_charts, unit_year_charts
from disclosure.site.outline import unlink_missing
from disclosure.site.tables import table_csv, table_view
from disclosure.site.theme import css_string, theme_dirs


def fact(key: str, value: str, unit: str = "万元") -> Fact:
    return Fact(key, Decimal(value), unit, (CellRef("t.xlsx", "表", "C5", "summary"),), "公式", key)


def facts_of(year: int, **values: str) -> Facts:
    f = Facts(unit="u", year=year)
    for key, value in values.items():
        f.add(fact(key.replace("__", "."), value), "")
    return f


# ── tables ──────────────────────────────────────────────────────────────────────────────

def test_classified_table_view_has_codes_levels_anchors_and_grouped_headers() -> None:
    table = make_table("gov_fund", {
        "total": {"expenditure": "12.5", "basic": "10", "project": "2.5"},
        "229": {"expenditure": "12.5", "basic": "10", "project": "2.5"},
        "2296002": {"expenditure": "1234567.891", "basic": "10"},
    })
    view = table_view(table, 2021)
    grid = view.grids[0]
    assert view.marker == "公开08表" and grid.caption.startswith("公开08表 政府性基金预算财政拨款收入支出决算表")
    top, second = grid.head
    assert [h.text for h in top][:2] == ["科目编码", "科目名称"] and top[0].rowspan == 2
    spent = next(h for h in top if h.text == "本年支出")
    assert spent.colspan == 3 and spent.scope == "colgroup"
    assert [h.text for h in second] == ["小计", "基本支出", "项目支出"]
    last = grid.body[-1]
    assert last[0].text == "2296002" and last[1].kind == "label" and last[1].level == 2
    money = [c for c in last if c.kind == "value" and c.text]
    assert money[0].text == "1,234,567.89"
    ref = table.cell("2296002", "expenditure")
    assert money[0].anchor == f"cell-gov_fund-{ref.cell}"
    assert not view.empty and view.empty_note == ""


def test_empty_table_shows_its_note_with_the_year() -> None:
    view = table_view(make_table("gov_fund", {"total": {}}, empty=True), 2022)
    assert view.empty
    assert view.empty_note == "本单位2022年度无政府性基金预算财政拨款收入，也没有使用政府性基金预算财政拨款安排的支出，故本表为空表。"


def test_blocks_record_and_items_layouts() -> None:
    summary = table_view(make_table("summary", {"income.year_total": {"amount": "5"}, "expenditure.204": {"amount": "5"}}), 2021)
    assert [g.caption.split("（")[-1] for g in summary.grids] == ["收入）", "支出）"]
    # as printed: 项目 | 行次 | 决算数 in both blocks, 行次 as the blank template numbers them (收入 1–12,
    # 支出 13–45), and blank rows before the 收入 totals so both blocks' totals stand level
    assert [h.text for h in summary.grids[1].head[0]] == ["项目", "行次", "决算数"] == [h.text for h in summary.grids[0].head[0]]
    assert summary.side_by_side and [len(g.body) for g in summary.grids] == [33, 33]
    income, spending = ([[c.text for c in r] for r in g.body] for g in summary.grids)
    assert income[-4] == ["本年收入合计", "9", "5.00"] and spending[-4] == []
    assert spending[3] == ["公共安全支出", "16", "5.00"] and income[3] == [] and income[0] == []
    basic = table_view(make_table("basic", {"personnel.30101": {"amount": "1"}, "public.30201": {"amount": "1"}}), 2021)
    assert [h.text for h in basic.grids[0].head[0]][:2] == ["科目编码", "科目名称"] and basic.side_by_side
    fiscal = table_view(make_table("fiscal_summary", {"expenditure.204": {"total": "1", "state_capital": "0"}}), 2021)
    assert not fiscal.side_by_side  # 支出 by fund is too wide to stand beside 收入
    three = table_view(make_table("three_public", {"record": {"budget_total": "3", "actual_total": "2"}}), 2021)
    top = [h.text for h in three.grids[0].head[0]]
    assert top == ["项目", "预算数", "决算数"] and three.grids[0].head[1][0].text == "合计"
    info = make_table("info", {"operating_cost": {"amount": "317.97"}, "vehicles_total": {"amount": "31"}})
    rows = table_view(info, 2021).grids[0].body
    assert [c.text for c in rows[0]] == ["机关运行经费支出", "万元", "317.97"]
    assert [c.text for c in rows[1]] == ["车辆数合计", "辆", "31"]


def test_csv_has_bom_plain_figures_and_defuses_formulas() -> None:
    table = make_table("expenditure", {"total": {"total": "1234.5", "basic": "1000", "project": "234.5"},
                                       "204": {"_label": "=HYPERLINK(\"x\")", "total": "1234.5"}})
    raw = table_csv(table)
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = raw.decode("utf-8-sig").split("\r\n")
    assert lines[0] == "公开03表 支出决算表"
    assert lines[1].startswith("部分,科目编码,项目,计量单位,本年支出合计,基本支出,项目支出")
    assert lines[2].startswith(",,合计,万元,1234.50,1000.00,234.50")
    assert "'=HYPERLINK" in lines[3]


def test_charts_come_from_facts_and_skip_missing_or_zero_categories() -> None:
    facts = facts_of(2021, expenditure__basic="2996.69", expenditure__project="2820.66", expenditure__remit="0",
                     income__fiscal="5728.23")
    charts = {c.id: c for c in unit_year_charts(facts, 2021)}
    assert "dc-chart-income" not in charts  # one category only: no pie
    pie = charts["dc-chart-expenditure"]
    assert pie.rows == [("基本支出", ["2,996.69"]), ("项目支出", ["2,820.66"])]
    assert json.loads(pie.spec_json)["values"] == [["2996.69"], ["2820.66"]]
    assert pie.alt.startswith("2021年度本年支出构成") and "基本支出2,996.69万元" in pie.alt
    assert unit_year_charts(None, 2021) == []


def test_chart_spec_cannot_close_its_script() -> None:
    facts = facts_of(2021, expenditure__basic="1", expenditure__project="2")
    facts.groups["gb.class"] = ["204"]
    facts.names["gb.class.204"] = "</script><script>alert(1)</script>"
    facts.add(fact("gb.class.204.actual", "3"), "")
    chart = next(c for c in unit_year_charts(facts, 2021) if c.id == "dc-chart-function-class")
    assert "<" not in chart.spec_json and json.loads(chart.spec_json)["categories"] == ["</script><script>alert(1)</script>"]


def test_trend_needs_two_years() -> None:
    a = facts_of(2020, summary__income__grand_total="7502.22", income__total="6000", expenditure__total="6100")
    b = facts_of(2021, summary__income__grand_total="6879.33", income__total="5728.23", expenditure__total="5817.35")
    assert trend_charts("单位", [(2021, b)]) == []
    (chart,) = [c for c in trend_charts("单位", [(2021, b), (2020, a)]) if c.id == "dc-chart-trend-totals"]
    assert [r[0] for r in chart.rows] == ["2020年", "2021年"]
    assert chart.rows[0][1] == ["7,502.22", "6,000.00", "6,100.00"]


# ── sanitising, headings, theme ─────────────────────────────────────────────────────────

def test_markdown_is_sanitised_but_keeps_tables_links_and_our_classes() -> None:
    html = render_markdown("| a | b |\n|---|---|\n| 1 | 2 |\n\n[官网](https://www.gov.cn/) <span class=\"dc-x evil\">x</span>")
    assert "<table>" in html and 'href="https://www.gov.cn/"' in html
    assert 'class="dc-x evil"' not in html
    assert clean_html('<a class="dc-fig" href="tables/a.html#c" title="公式">1</a>') == '<a class="dc-fig" href="tables/a.html#c" title="公式">1</a>'


def test_headings_are_renumbered_below_their_section() -> None:
    assert shift_headings("<h1>a</h1><h3>b</h3>", 4) == "<h4>a</h4><h6>b</h6>"
    assert shift_headings("<h2>a</h2><h3>b</h3>", 4) == "<h4>a</h4><h5>b</h5>"
    assert shift_headings("<p>x</p>", 4) == "<p>x</p>"


def test_figure_links_to_tables_without_a_page_become_plain() -> None:
    html = '<a class="dc-fig" href="tables/budget.html#cell-budget-C5" title="年初预算">6,889.06万元</a> ' \
           '<a class="dc-fig" href="tables/summary.html#cell-summary-C38" title="总计">6,879.33万元</a>'
    out = unlink_missing(html, {"summary"})
    assert '<span class="dc-fig" title="年初预算">6,889.06万元</span>' in out
    assert 'href="tables/summary.html#cell-summary-C38"' in out


def test_css_string_cannot_break_out() -> None:
    assert css_string('a"}b') == '"a\\000022\\00007db"'
    assert css_string("巴彦淖尔") == '"\\005df4\\005f66\\006dd6\\005c14"'


def test_project_theme_overrides_templates_and_assets(tmp_path: Path) -> None:
    project = copy_example(tmp_path / "p")
    (project / "theme" / "templates").mkdir(parents=True)
    (project / "theme" / "assets").mkdir()
    (project / "theme" / "assets" / "dc.css").write_text("/* 本地样式 */\n", encoding="utf-8")
    (project / "theme" / "templates" / "review.html").write_text(
        '{% extends "base.html" %}{% block main %}<h1>{{ title }}</h1><p>本地审核页</p>{% endblock %}', encoding="utf-8")
    out = tmp_path / "site-review"
    assert build(project, out, "--year", "2021", "--jobs", "1", "--review") == 0
    assert (out / "assets" / "dc.css").read_text(encoding="utf-8") == "/* 本地样式 */\n"
    assert "本地审核页" in (out / UNIT / "2021" / "review.html").read_text(encoding="utf-8")
    assert theme_dirs(project)[0] == (project / "theme").resolve()


def test_page_providers_add_pages_linked_from_the_report(tmp_path: Path) -> None:
    from disclosure.hooks import ExtraPage
    from disclosure.project import load_project
    from disclosure.site import BuildOptions, build_unit_year

    def progress(ctx):
        return [ExtraPage("progress.html", "预算执行进度", f"<p>{ctx.accounts.year}年 <script>x()</script></p>")]

    project = load_project(copy_example(tmp_path / "p"))
    result = build_unit_year(project, UNIT, 2021, tmp_path / "out", BuildOptions(page_providers=(progress,)))
    page = (tmp_path / "out" / UNIT / "2021" / "progress.html").read_text(encoding="utf-8")
    assert "<p>2021年 </p>" in page and "<script>x()" not in page
    assert 'href="progress.html"' in (tmp_path / "out" / UNIT / "2021" / "index.html").read_text(encoding="utf-8")
    assert any(p.kind == "extra" and p.path.endswith("progress.html") for p in result.pages)


def test_preview_serves_the_build_and_rebuilds_on_change(tmp_path: Path) -> None:
    from disclosure.site.preview import Preview

    project = copy_example(tmp_path / "p")
    said: list[str] = []
    preview = Preview(project, port=0, say=said.append)
    stop = threading.Event()
    try:
        preview.start()
        with urllib.request.urlopen(preview.url, timeout=10) as r:
            assert "巴彦淖尔市公安局交通管理支队" in r.read().decode("utf-8")
        watcher = threading.Thread(target=preview.watch, args=(stop,), daemon=True)
        watcher.start()
        time.sleep(0.5)
        duties = project / "content" / UNIT / "duties.md"
        duties.write_text(duties.read_text(encoding="utf-8") + "\n\n预览改动标记\n", encoding="utf-8")
        url = preview.url.replace("index.html", f"{UNIT}/2021/index.html")
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with urllib.request.urlopen(url, timeout=10) as r:
                if "预览改动标记" in r.read().decode("utf-8"):
                    break
            time.sleep(0.3)
        else:
            pytest.fail(f"no rebuild: {said}")
        # a broken input keeps the last good site on screen
        (project / "disclosure.toml").write_text("[project\n", encoding="utf-8")
        assert preview.rebuild() is False
        with urllib.request.urlopen(url, timeout=10) as r:
            assert "预览改动标记" in r.read().decode("utf-8")
        assert any("disclosure.toml" in s for s in said)
        with pytest.raises(urllib.error.HTTPError) as missing:  # a 404 is Chinese too
            urllib.request.urlopen(preview.url.replace("index.html", "nope.html"), timeout=10)
        assert missing.value.code == 404 and "找不到页面" in missing.value.read().decode("utf-8")
    finally:
        stop.set()
        preview.close()


def test_site_identity_in_footer_and_gov_metadata(tmp_path: Path) -> None:
    from disclosure.project import load_project
    from disclosure.site import build_unit_year

    root = copy_example(tmp_path / "p")
    (root / "disclosure.toml").write_text(
        '[project]\ntable_set = "neimenggu-11"\n[site]\nname = "巴彦淖尔市财政局决算公开专栏"\n'
        'organizer = "巴彦淖尔市财政局"\nsite_code = "1508000001"\ndomain = "czj.bynr.gov.cn"\nicp = "蒙ICP备00000000号"\n'
        'police_record = "蒙公网安备15080202000000号"\ncolumn_name = "部门决算"\npublish_date = "2022-09-30 10:00"\n',
        encoding="utf-8")
    build_unit_year(load_project(root), UNIT, 2021, tmp_path / "out")
    html = (tmp_path / "out" / UNIT / "2021" / "index.html").read_text(encoding="utf-8")
    for meta in ('<meta name="SiteName" content="巴彦淖尔市财政局决算公开专栏">',
                 '<meta name="SiteIDCode" content="1508000001">',
                 '<meta name="SiteDomain" content="czj.bynr.gov.cn">',
                 '<meta name="ColumnName" content="部门决算">',
                 '<meta name="ArticleTitle" content="巴彦淖尔市公安局交通管理支队2021年度部门决算">',
                 '<meta name="PubDate" content="2022-09-30 10:00">',
                 '<meta name="ContentSource" content="巴彦淖尔市公安局交通管理支队">'):
        assert meta in html
    footer = html[html.index('<footer class="dc-footer">'):]
    for text in ("主办单位：巴彦淖尔市财政局", "网站标识码：1508000001", "蒙ICP备00000000号", "蒙公网安备15080202000000号",
                 "发布日期：2022-09-30 10:00"):
        assert text in footer
    meta = re.search(r'<p class="dc-meta">(.*?)</p>', html).group(1)  # under the report's title
    assert re.sub(r"<[^>]+>", " ", meta).split() == ["发布机构：巴彦淖尔市公安局交通管理支队", "发布日期：2022-09-30",
                                                    "10:00", "来源：巴彦淖尔市公安局交通管理支队"]
    for page in (tmp_path / "out" / UNIT / "2021").rglob("*.html"):  # every page carries the same identity
        text = page.read_text(encoding="utf-8")
        assert "网站标识码：1508000001" in text and '<meta name="PubDate" content="2022-09-30 10:00">' in text, page


def test_a_unit_states_its_own_publisher_and_date(tmp_path: Path) -> None:
    """unit.toml's publisher and publish_date (a TOML date) are the report's 发布机构 and 发布日期,
    over the site's; the build's own time never appears."""
    from disclosure.project import load_project
    from disclosure.site import build_unit_year

    root = copy_example(tmp_path / "p")
    config = (root / "disclosure.toml").read_text(encoding="utf-8")
    (root / "disclosure.toml").write_text(config.replace("[site]", '[site]\npublish_date = "2022-09-30"'), encoding="utf-8")
    own = root / "content" / UNIT / "2021" / "unit.toml"
    own.write_text(own.read_text(encoding="utf-8") + '\npublisher = "巴彦淖尔市公安局交通管理支队办公室"\npublish_date = 2022-09-28\n',
                   encoding="utf-8")
    project = load_project(root)
    for year in (2020, 2021):
        build_unit_year(project, UNIT, year, tmp_path / "out")
    html = (tmp_path / "out" / UNIT / "2021" / "index.html").read_text(encoding="utf-8")
    assert "发布机构：巴彦淖尔市公安局交通管理支队办公室" in html and "发布日期：2022-09-28" in html
    assert '<meta name="PubDate" content="2022-09-28">' in html and "2022-09-30" not in html
    older = (tmp_path / "out" / UNIT / "2020" / "index.html").read_text(encoding="utf-8")
    assert "发布日期：2022-09-30" in older and "发布机构：巴彦淖尔市公安局交通管理支队<" in older


def test_without_a_publish_date_no_date_is_printed(tmp_path: Path) -> None:
    from disclosure.project import load_project
    from disclosure.site import build_unit_year

    build_unit_year(load_project(copy_example(tmp_path / "p")), UNIT, 2021, tmp_path / "out")
    for page in (tmp_path / "out").rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert "PubDate" not in html and "发布日期" not in html and "SiteIDCode" not in html and "SiteDomain" not in html


def test_report_falls_back_to_content_without_a_narrative(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from disclosure import pipeline
    from disclosure.project import load_project
    from disclosure.site import build_unit_year

    monkeypatch.setattr(pipeline, "render_narrative", lambda *args, **kwargs: [])
    build_unit_year(load_project(copy_example(tmp_path / "p")), UNIT, 2021, tmp_path / "out")
    html = (tmp_path / "out" / UNIT / "2021" / "index.html").read_text(encoding="utf-8")
    part1 = html[html.index('id="dc-part-1"'):html.index('id="dc-part-2"')]
    assert "一、主要职能职责" in part1 and "交通" in part1
    part2 = html[html.index('id="dc-part-2"'):html.index('id="dc-part-3"')]
    assert "决算情况说明暂未生成" in part2 and 'id="dc-chart-expenditure"' in part2
    assert "名词解释" in html[html.index('id="dc-part-3"'):html.index('id="dc-part-4"')]


def test_css_prefix_renames_classes_ids_and_assets_but_not_text(tmp_path: Path) -> None:
    from disclosure.errors import ConfigError
    from disclosure.project import load_project
    from disclosure.site import build_site

    root = copy_example(tmp_path / "p")
    duties = root / "content" / UNIT / "duties.md"
    duties.write_text(duties.read_text(encoding="utf-8") + "\n\n编号 abc-dc-123 与 dc-x 原样保留。\n", encoding="utf-8")
    config = (root / "disclosure.toml").read_text(encoding="utf-8")
    (root / "disclosure.toml").write_text(config.replace("[site]", '[site]\ncss_prefix = "gov-"'), encoding="utf-8")
    out = tmp_path / "site"
    build_site(load_project(root), out)
    report = (out / UNIT / "2021" / "index.html").read_text(encoding="utf-8")
    assert 'class="gov-skip" href="#gov-main"' in report and 'id="gov-main"' in report
    assert 'class="dc-' not in report and 'id="dc-' not in report
    # a figure link names its own (renamed) id, so the table page's 返回正文 finds the sentence again
    fig_id, back = re.search(r'<a class="gov-fig" id="(gov-f-\d+)" href="tables/[a-z_]+\.html\?from=([a-z-]+\d+)', report).groups()
    assert back == fig_id and "?from=dc-" not in report
    assert "编号 abc-dc-123 与 dc-x 原样保留。" in report
    for asset in ("dc.css", "dc.js", "dc-search.js"):
        text = (out / "assets" / asset).read_text(encoding="utf-8")
        assert "gov-" in text and not re.search(r"(?<![A-Za-z0-9_-])dc-", text), asset
    (root / "disclosure.toml").write_text(config.replace("[site]", '[site]\ncss_prefix = "1 bad"'), encoding="utf-8")
    with pytest.raises(ConfigError, match="css_prefix"):
        build_site(load_project(root), tmp_path / "bad")
