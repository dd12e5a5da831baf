"""The example site in Chromium over file://: no errors, nothing fetched from outside, charts drawn
from the facts, search, 长者模式, axe-core, and A4 printing."""
from __future__ import annotations

import json
import re
import tomllib
import unicodedata
from decimal import Decimal
from pathlib import Path

import pytest

from disclosure.money import format_amount
from disclosure.site.charts import CHARTS_TOML
from pdftext import page_texts

UNIT = "bayannur-jiaoguan"
PAGES = {
    "portal": "index.html",
    "report": f"{UNIT}/2021/index.html",
    "report-2020": f"{UNIT}/2020/index.html",
    "table": f"{UNIT}/2021/tables/three_public.html",
    "all-tables": f"{UNIT}/2021/tables/index.html",
    "performance": f"{UNIT}/2021/performance.html",
    "monitoring": f"{UNIT}/2021/monitoring-2021-06-30.html",
    "search": "search.html?q=三公",
}
REVIEW = f"{UNIT}/2021/review.html"  # only in the review build (site-review/)


@pytest.mark.parametrize("kind", sorted(PAGES))
def test_page_loads_cleanly_and_stays_inside_the_site(watched, kind: str) -> None:
    watched.open(PAGES[kind])
    watched.page.wait_for_timeout(200)
    assert watched.errors == []
    assert watched.outside() == []
    assert watched.page.locator("html").get_attribute("lang") == "zh-CN"


def test_the_review_page_lives_only_in_the_review_build(review_watched, site: Path) -> None:
    assert not (site / REVIEW).exists()
    review_watched.open(REVIEW)
    assert review_watched.errors == [] and review_watched.outside() == []
    assert "审核版" in review_watched.page.locator(".dc-review-banner").inner_text()
    assert review_watched.page.locator(".dc-findings").count() >= 1


def test_every_chart_is_drawn_and_its_table_matches_the_facts(watched, review_site: Path) -> None:
    watched.open(PAGES["report"])
    charts = watched.page.locator(".dc-chart")
    assert charts.count() >= 3
    for i in range(charts.count()):
        chart = charts.nth(i)
        chart.locator("svg.dc-svg").first.wait_for(state="attached", timeout=10_000)
        assert chart.get_attribute("role") == "img" and len(chart.get_attribute("aria-label")) > 20
    facts = json.loads((review_site / UNIT / "2021" / "facts.json").read_text(encoding="utf-8"))["facts"]  # review only
    specs = tomllib.loads(CHARTS_TOML.read_text(encoding="utf-8"))["chart"]
    compared = 0
    for spec in specs:
        table = watched.page.locator(f"#dc-chart-{spec['id']}-data")
        if table.count() == 0:
            continue
        rows = {r.locator("th").inner_text(): [c.inner_text() for c in r.locator("td").all()]
                for r in table.locator("tbody tr").all()}
        for cat in spec.get("categories", []):
            if cat["label"] not in rows:
                continue
            for key, shown in zip(cat["facts"], rows[cat["label"]]):
                expected = format_amount(Decimal(facts[key]["value"])) if key in facts else "—"
                assert shown == expected, (spec["id"], key)
                compared += 1
        if spec.get("family"):
            values = [format_amount(Decimal(facts[f"{spec['family']}.{k.split('.')[2]}.actual"]["value"]))
                      for k in facts if re.fullmatch(rf"{re.escape(spec['family'])}\.\d+\.actual", k)]
            assert sorted(v[0] for v in rows.values()) == sorted(v for v in values if v != "0.00")
            compared += len(values)
    assert compared >= 10


def test_portal_trend_chart_is_drawn(watched) -> None:
    watched.open(PAGES["portal"])
    watched.page.locator("#dc-chart-trend-totals svg.dc-svg").first.wait_for(state="attached", timeout=10_000)
    assert watched.page.locator("#dc-chart-trend-totals-data tbody tr").count() == 2


@pytest.mark.parametrize("query, expected", [
    ("三公", f"{UNIT}/2021/tables/three_public.html"),
    ("公积金", f"{UNIT}/2021/tables/basic.html"),
    ("决算", f"{UNIT}/2021/index.html"),
    ("巴彦淖尔市公安局交通管理支队", f"{UNIT}/2021/index.html"),
])
def test_search_finds_the_right_pages(watched, query: str, expected: str) -> None:
    watched.open(f"search.html?q={query}")
    links = watched.page.locator("#dc-search-results li > a")
    links.first.wait_for(timeout=5_000)
    hrefs = [a.get_attribute("href").split("?")[0] for a in links.all()]
    assert expected in hrefs
    first = watched.page.locator("#dc-search-results li").first
    assert first.locator(".dc-search-snippet mark").count() >= 1 or query in first.inner_text()
    assert watched.errors == []


def test_a_query_loads_only_its_shards_and_the_docs_of_its_hits(watched, site: Path) -> None:
    from disclosure.site.search import gram_hash, shard_name, shard_of
    from disclosure.site.search_index import _call_args

    shards = _call_args(site / "assets" / "search" / "manifest.js", "manifest")[0]["shards"]
    watched.open("search.html?q=住房公积金")
    watched.page.locator("#dc-search-results li").first.wait_for(timeout=5_000)
    srcs = watched.page.eval_on_selector_all("script.dc-search-data", "els => els.map(e => e.getAttribute('src'))")
    expected = {f"assets/search/{shard_name(shard_of(gram_hash(g), shards))}" for g in ("住房", "公积", "积金")}
    loaded = [s for s in srcs if s.startswith("assets/search/s-")]
    assert sorted(loaded) == sorted(expected)  # each needed shard once, no other
    docs = [s for s in srcs if s not in loaded]
    assert docs and all(re.fullmatch(rf"({UNIT}/20\d\d/search-docs|assets/search/portal-docs)/\d+\.js", s) for s in docs)
    assert len(docs) == len(set(docs)) == watched.page.locator("#dc-search-results li").count()
    fetched = {u.rsplit("/", 1)[1] for u in watched.requests if "/assets/search/s-" in u}
    assert fetched == {e.rsplit("/", 1)[1] for e in expected}
    assert watched.errors == [] and watched.outside() == []


def test_more_results_load_the_next_pages_on_request(watched) -> None:
    watched.open("search.html?q=决算")
    items = watched.page.locator("#dc-search-results li")
    items.first.wait_for(timeout=5_000)
    total = int(re.search(r"共找到 (\d+) 个页面", watched.page.locator("#dc-search-status").inner_text()).group(1))
    assert 20 < total <= 40 and items.count() == 20  # the example: two years of about 15 pages and the portal
    watched.page.click("#dc-search-more")
    items.nth(total - 1).wait_for(timeout=5_000)
    hrefs = [a.get_attribute("href").split("?")[0] for a in watched.page.locator("#dc-search-results li > a").all()]
    assert len(hrefs) == len(set(hrefs)) == total
    assert {f"{UNIT}/2020/index.html", f"{UNIT}/2021/index.html", "index.html"} <= set(hrefs)
    assert watched.page.locator("#dc-search-more").is_hidden()
    assert watched.errors == [] and watched.outside() == []


def test_search_box_on_a_report_page_works_offline(watched) -> None:
    watched.open(PAGES["report"])
    watched.page.fill("#dc-q", "公务接待")
    watched.page.press("#dc-q", "Enter")
    watched.page.wait_for_url(re.compile(r"search\.html\?q="))
    watched.page.locator("#dc-search-results li").first.wait_for(timeout=5_000)
    assert "公务接待" in watched.page.locator("#dc-search-status").inner_text()
    assert watched.outside() == []


def test_figure_link_lands_on_a_highlighted_cell(watched) -> None:
    watched.open(PAGES["report"])
    link = watched.page.locator("a.dc-fig[href*='tables/summary.html?from=']").first
    target = link.get_attribute("href").split("#")[1]
    link.click()
    watched.page.wait_for_load_state("load")
    cell = watched.page.locator(f"#{target}")
    assert cell.count() == 1
    background = cell.evaluate("el => getComputedStyle(el).backgroundColor")
    assert background == "rgb(255, 224, 102)"


@pytest.mark.parametrize("width", [1200, 360])
def test_figure_link_shows_the_column_header_and_returns_to_the_sentence(browser, site: Path, width: int) -> None:
    from conftest import Watched

    context = browser.new_context(viewport={"width": width, "height": 700})
    try:
        watched = Watched(context.new_page(), site)
        watched.open(PAGES["report"])
        links = watched.page.locator("a.dc-fig[href*='tables/general_budget.html?from=']")
        link = links.nth(links.count() - 1)  # a cell far down its table
        link_id, target = link.get_attribute("id"), link.get_attribute("href").split("#")[1]
        link.click()
        watched.page.wait_for_load_state("load")
        watched.page.wait_for_timeout(200)
        view = watched.page.evaluate("""id => { const c = document.getElementById(id), h = c.closest('table').querySelector('thead');
            const a = c.getBoundingClientRect(), b = h.getBoundingClientRect();
            return [a.top, a.bottom, b.top, b.bottom, window.innerHeight]; }""", target)
        cell_top, cell_bottom, head_top, head_bottom, height = view
        assert 0 <= head_top and head_bottom <= height and 0 <= cell_top and cell_bottom <= height, view
        back = watched.page.locator("a.dc-back-link")
        assert back.inner_text() == "返回正文" and back.get_attribute("href") == f"../index.html#{link_id}"
        back.click()
        watched.page.wait_for_load_state("load")
        box = watched.page.locator(f"#{link_id}").bounding_box()
        assert 0 <= box["y"] <= 700
        assert watched.errors == []
    finally:
        context.close()


def test_a_search_result_opens_at_its_match(watched) -> None:
    watched.open("search.html?q=公务用车运行维护费")
    first = watched.page.locator("#dc-search-results li > a").first
    first.wait_for(timeout=5_000)
    assert "?hl=" in first.get_attribute("href")
    first.click()
    watched.page.wait_for_load_state("load")
    mark = watched.page.locator("mark.dc-hl")
    mark.wait_for(timeout=5_000)
    assert mark.count() == 1 and mark.inner_text() == "公务用车运行维护费"
    box = mark.bounding_box()
    assert box is not None and 0 <= box["y"] <= 900
    assert watched.errors == []


def test_elder_mode_persists_across_pages_and_is_keyboard_operable(watched) -> None:
    page = watched.page
    watched.open(PAGES["report"])
    size = page.evaluate("() => parseFloat(getComputedStyle(document.body).fontSize)")
    page.focus(".dc-elder-toggle")
    page.keyboard.press("Enter")
    assert page.locator(".dc-elder-toggle").get_attribute("aria-pressed") == "true"
    watched.open(PAGES["table"])
    assert "dc-elder" in page.locator("html").get_attribute("class")
    big = page.evaluate("() => parseFloat(getComputedStyle(document.body).fontSize)")
    line = page.evaluate("() => parseFloat(getComputedStyle(document.body).lineHeight)")
    assert big >= size * 1.25 and line / big >= 1.3
    assert page.evaluate("() => localStorage.getItem('dc-elder')") == "1"
    page.click(".dc-elder-toggle")
    watched.open(PAGES["portal"])
    assert "dc-elder" not in (page.locator("html").get_attribute("class") or "")


def test_skip_link_is_first_and_focus_is_visible(watched) -> None:
    page = watched.page
    watched.open(PAGES["report"])
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.className") == "dc-skip"
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"


def _axe(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [f"{v['id']}: {[n['target'] for n in v['nodes']][:3]}" for v in results.response["violations"]]


@pytest.mark.parametrize("kind", ["portal", "report", "table", "all-tables", "performance", "monitoring", "search", "review"])
def test_axe_finds_no_violations_in_normal_and_elder_mode(watched, review_watched, kind: str) -> None:
    if kind == "review":
        watched = review_watched
    page = watched.page
    watched.open(REVIEW if kind == "review" else PAGES[kind])
    page.wait_for_timeout(300)
    assert _axe(page) == [], "normal"
    page.click(".dc-elder-toggle")
    page.wait_for_timeout(300)
    assert "dc-elder" in page.locator("html").get_attribute("class")
    assert _axe(page) == [], "长者模式"


A4_POINTS = (595.28, 841.89)  # 210 × 297 mm in PDF points


def test_report_prints_on_a4_with_charts_kept_whole(watched) -> None:
    page = watched.page
    watched.open(PAGES["report"])
    page.locator(".dc-chart svg.dc-svg").first.wait_for(state="attached", timeout=10_000)
    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    boxes = [tuple(float(x) for x in m.groups()) for m in
             re.finditer(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", pdf)]
    assert boxes and all(abs(w - A4_POINTS[0]) < 1.5 and abs(h - A4_POINTS[1]) < 1.5 for w, h in boxes), boxes
    pages = page_texts(pdf)
    assert len(pages) >= 6
    for number, text in enumerate(pages, 1):  # the margin boxes: the report's name and the page number
        assert text.startswith("巴彦淖尔市公安局交通管理支队2021年度"), number
        assert f"第 {number} 页 共 {len(pages)} 页" in text[:80], number
    # each 部分 starts a page (right after the margin texts)
    for part in ("第一部分", "第二部分", "第三部分", "第四部分", "第五部分"):
        assert any(re.match(rf"^.{{0,40}}第 \d+ 页 共 \d+ 页{part}", t) for t in pages), part
    # every chart's title, its plot and its data table are printed on the same page
    for fig in page.locator(".dc-figure").all():
        title = unicodedata.normalize("NFKC", fig.locator("figcaption").inner_text())
        last_value = fig.locator(".dc-chart-data tbody tr").last.locator("td").last.inner_text()
        first = next((t for t in pages if title in t), None)
        assert first is not None, title
        rest = first.split(title, 1)[1]
        assert title + "数据" in rest and last_value in rest.split(title + "数据", 1)[1], title
    # print emulation at the A4 content width (210 − 2×15 mm): nothing of the navigation, and every
    # chart fits on one page and may not be split
    page.set_viewport_size({"width": 680, "height": 986})
    page.emulate_media(media="print")
    page.wait_for_timeout(300)
    assert page.locator(".dc-header").evaluate("el => getComputedStyle(el).display") == "none"
    assert page.locator("thead").first.evaluate("el => getComputedStyle(el).display") == "table-header-group"
    page_height = (297 - 36) * 96 / 25.4
    figures = page.locator(".dc-figure")
    assert figures.count() >= 3
    for i in range(figures.count()):
        fig = figures.nth(i)
        assert fig.evaluate("el => getComputedStyle(el).breakInside") == "avoid"
        box = fig.bounding_box()
        assert box["height"] < page_height and box["width"] <= 681
    parts = page.locator(".dc-part")
    assert all(parts.nth(i).evaluate("el => getComputedStyle(el).breakBefore") == "page" for i in range(parts.count()))


def test_a_site_with_another_class_prefix_still_works(browser, tmp_path: Path) -> None:
    from conftest import Watched
    from test_site_support import build, copy_example

    project = copy_example(tmp_path / "p")
    config = (project / "disclosure.toml").read_text(encoding="utf-8")
    (project / "disclosure.toml").write_text(config.replace("[site]", '[site]\ncss_prefix = "gov-"'), encoding="utf-8")
    assert build(project, project / "site", "--year", "2021") == 0
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    try:
        watched = Watched(context.new_page(), (project / "site").resolve())
        watched.open(PAGES["report"])
        watched.page.locator(".gov-chart svg.gov-svg").first.wait_for(state="attached", timeout=10_000)
        watched.page.click(".gov-elder-toggle")
        assert "gov-elder" in watched.page.locator("html").get_attribute("class")
        assert watched.page.locator(".gov-header").evaluate("el => getComputedStyle(el).backgroundColor") == "rgb(0, 0, 0)"
        link = watched.page.locator("a.gov-fig[href*='?from=']").first
        link_id = link.get_attribute("id")
        link.click()
        watched.page.wait_for_load_state("load")
        back = watched.page.locator("a.gov-back-link")
        assert back.get_attribute("href") == f"../index.html#{link_id}"  # 返回正文 to the very sentence
        watched.open("search.html?q=三公")
        watched.page.locator("#gov-search-results li").first.wait_for(timeout=5_000)
        assert watched.errors == [] and watched.outside() == []
    finally:
        context.close()


def test_every_snippet_marks_exactly_the_query(watched) -> None:
    # review.html holds “…” (NFKC turns it into “...”), so positions in the normalised text differ
    watched.open("search.html?q=三公经费")
    watched.page.locator("#dc-search-results li").first.wait_for(timeout=5_000)
    marks = watched.page.eval_on_selector_all(".dc-search-snippet mark", "els => els.map(e => e.textContent)")
    assert marks and all(m == "三公经费" for m in marks), marks
    assert watched.errors == []


@pytest.mark.parametrize("width", [1366, 360])
def test_the_summary_table_stands_as_printed_on_a_wide_screen_and_stacked_on_a_phone(browser, site: Path, width: int) -> None:
    """公开01表: 收入 | 支出 side by side with 行次 and both blocks' totals on one line where the screen is
    wide enough (the printed form); one block above the other, without blank rows, on a phone."""
    from conftest import Watched

    context = browser.new_context(viewport={"width": width, "height": 900})
    try:
        watched = Watched(context.new_page(), site)
        watched.open(f"{UNIT}/2021/tables/summary.html")
        watched.page.wait_for_timeout(200)
        tables = watched.page.locator(".dc-grids table")
        assert tables.count() == 2
        heads = [tables.nth(i).locator("thead th").all_inner_texts() for i in range(2)]
        assert heads == [["项目", "行次", "决算数"]] * 2
        first = [tables.nth(i).locator("tbody tr:not(.dc-filler) td.dc-line").first.inner_text() for i in range(2)]
        assert first == ["1", "13"]
        boxes = [tables.nth(i).bounding_box() for i in range(2)]
        totals = [tables.nth(i).locator("tbody tr").last.bounding_box() for i in range(2)]
        fillers = watched.page.locator(".dc-filler").evaluate_all("els => els.filter(e => e.offsetHeight > 0).length")
        if width > 1000:
            assert boxes[1]["x"] >= boxes[0]["x"] + boxes[0]["width"]  # side by side
            assert abs(totals[0]["y"] - totals[1]["y"]) <= 1, totals  # 总计 (行次 12) level with 总计 (行次 45)
            assert fillers > 0
        else:
            assert boxes[1]["y"] >= boxes[0]["y"] + boxes[0]["height"]  # stacked
            assert fillers == 0
            assert watched.page.evaluate("document.documentElement.scrollWidth") <= width
        assert watched.errors == []
    finally:
        context.close()
