"""The public site on a 360 px phone, its weight, and the printed report with every 公开表, in Chromium."""
from __future__ import annotations

import gzip
import re
import unicodedata
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from disclosure.site.public_check import page_leaks
from pdftext import page_texts

UNIT = "bayannur-jiaoguan"
#: One page of every type the public site has.
PAGE_TYPES = {
    "portal": "index.html",
    "report": f"{UNIT}/2021/index.html",
    "report-2020": f"{UNIT}/2020/index.html",
    "table": f"{UNIT}/2021/tables/summary.html",
    "wide-table": f"{UNIT}/2021/tables/three_public.html",
    "all-tables": f"{UNIT}/2021/tables/index.html",
    "performance": f"{UNIT}/2021/performance.html",
    "monitoring": f"{UNIT}/2021/monitoring-2021-06-30.html",
    "search": "search.html?q=三公经费",
}


def _widths(page) -> dict:
    return page.evaluate("() => ({scroll: document.documentElement.scrollWidth, inner: window.innerWidth,"
                         " body: document.body.scrollWidth})")


@pytest.mark.parametrize("kind", sorted(PAGE_TYPES))
def test_no_page_scrolls_sideways_at_360_px(phone, kind: str) -> None:
    phone.open(PAGE_TYPES[kind])
    phone.page.wait_for_timeout(200)
    w = _widths(phone.page)
    assert w["inner"] == 360 and w["scroll"] <= w["inner"] and w["body"] <= w["inner"], w
    assert phone.errors == []


def test_the_review_page_does_not_scroll_sideways_either(browser, review_site: Path) -> None:
    from conftest import Watched

    context = browser.new_context(viewport={"width": 360, "height": 740})
    try:
        w = Watched(context.new_page(), review_site)
        w.open(f"{UNIT}/2021/review.html")
        assert _widths(w.page)["scroll"] <= 360
    finally:
        context.close()


def test_a_wide_table_scrolls_inside_a_labelled_container_with_a_visible_hint(phone) -> None:
    phone.open(PAGE_TYPES["wide-table"])
    phone.page.wait_for_timeout(200)
    wrap = phone.page.locator(".dc-table-wrap").first
    assert wrap.get_attribute("role") == "region" and "财政拨款“三公”经费支出决算表" in wrap.get_attribute("aria-label")
    assert wrap.get_attribute("tabindex") == "0"
    scroll, client = wrap.evaluate("el => [el.scrollWidth, el.clientWidth]")
    assert scroll > client  # the table itself is wider than the phone …
    hint = phone.page.locator(".dc-scroll-hint").first
    assert hint.is_visible() and "左右滑动" in hint.inner_text()  # … and the reader is told so
    title = phone.page.locator(".dc-grid-title").first
    box = title.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 360  # the caption is not cut
    # no header is squeezed to one character per line
    narrowest = phone.page.evaluate("() => Math.min(...Array.from(document.querySelectorAll('.dc-table thead th'))"
                                    ".map(th => th.getBoundingClientRect().width))")
    assert narrowest >= 60, narrowest


def test_a_table_that_fits_shows_no_hint(watched) -> None:
    watched.open(PAGE_TYPES["table"])
    watched.page.wait_for_timeout(200)
    assert all(not h.is_visible() for h in watched.page.locator(".dc-scroll-hint").all())


@pytest.mark.parametrize("kind", ["performance", "monitoring"])
def test_performance_and_monitoring_tables_reflow_on_a_phone(phone, kind: str) -> None:
    phone.open(PAGE_TYPES[kind])
    phone.page.wait_for_timeout(200)
    table = phone.page.locator("table.dc-reflow").first
    cell = table.locator("tbody td[data-label]").first
    assert cell.evaluate("el => getComputedStyle(el).display") == "block"
    label = cell.evaluate("el => getComputedStyle(el, '::before').content")
    assert cell.get_attribute("data-label") in label
    height = phone.page.evaluate("() => document.documentElement.scrollHeight")
    assert height < 25_000, height  # 48,948 px when every column was one character wide


def test_charts_are_legible_at_360_px_and_start_at_zero(phone) -> None:
    for rel in (PAGE_TYPES["report"], PAGE_TYPES["portal"], PAGE_TYPES["monitoring"]):
        phone.open(rel)
        charts = phone.page.locator(".dc-chart svg.dc-svg")
        assert charts.count() >= 1, rel
        for i in range(charts.count()):
            svg = charts.nth(i)
            scale, right = svg.evaluate("el => [el.getBoundingClientRect().width / el.viewBox.baseVal.width,"
                                        " el.getBoundingClientRect().right]")
            assert right <= 360
            sizes = svg.evaluate("el => Array.from(el.querySelectorAll('text')).map(t => parseFloat(t.getAttribute('font-size')))")
            if sizes:
                assert min(sizes) * scale >= 11, (rel, i, min(sizes) * scale)
            texts = svg.evaluate("el => Array.from(el.querySelectorAll('text')).map(t => t.textContent)")
            kind = svg.evaluate("el => el.parentElement.className")
            if "pie" not in kind:
                assert "0" in texts or "0%" in texts, (rel, texts)  # the value axis starts at zero
            # the legend is below the plot, never on it
            legend = svg.locator("xpath=../../ul[contains(@class,'dc-legend')]")
            if legend.count():
                assert legend.bounding_box()["y"] >= svg.bounding_box()["y"] + svg.bounding_box()["height"] - 1
        assert phone.errors == []


@pytest.mark.parametrize("kind", sorted(PAGE_TYPES))
def test_no_public_page_shows_internal_text_in_the_browser(watched, kind: str) -> None:
    watched.open(PAGE_TYPES[kind])
    watched.page.wait_for_timeout(300)  # search results are written by script
    assert page_leaks(watched.page.content(), kind) == []
    assert watched.page.locator("a[href*='review.html']").count() == 0


def _loaded_bytes(watched) -> tuple[int, int, list[str]]:
    files = []
    for url in dict.fromkeys(watched.requests):
        parts = urlsplit(url)
        if parts.scheme == "file":
            files.append(Path(unquote(parts.path)))
    raw = sum(f.stat().st_size for f in files)
    packed = sum(len(gzip.compress(f.read_bytes(), 9)) for f in files)
    return raw, packed, [f.name for f in files]


@pytest.mark.parametrize("kind", ["report", "report-2020", "portal", "monitoring", "table", "all-tables"])
def test_page_weight_with_everything_it_loads(watched, kind: str) -> None:
    watched.open(PAGE_TYPES[kind])
    watched.page.wait_for_timeout(200)
    raw, packed, names = _loaded_bytes(watched)
    assert raw < 1_500_000 and packed < 500_000, (raw, packed, names)
    assert not [n for n in names if re.search(r"plotly|chart|echarts|d3", n, re.I)], names  # no chart code at all


def test_the_printed_report_holds_every_public_table_each_on_its_own_pages(watched) -> None:
    page = watched.page
    watched.open(PAGE_TYPES["report"])
    tables = page.evaluate("""() => Array.from(document.querySelectorAll('.dc-print-tables .dc-table-section')).map(s => ({
        title: s.querySelector('h3').textContent.trim(),
        cells: Array.from(s.querySelectorAll('tbody th, tbody td')).map(c => c.textContent.trim()).filter(t => t)}))""")
    listed = page.locator(".dc-table-list li").count()
    assert len(tables) == listed == 11
    pages = [re.sub(r"\s+", "", t) for t in page_texts(page.pdf(prefer_css_page_size=True, print_background=True))]
    total = len(pages)
    starts = []
    for t in tables:
        title = re.sub(r"\s+", "", unicodedata.normalize("NFKC", t["title"]))
        first = next(i for i, text in enumerate(pages) if re.match(rf"^.{{0,60}}第\d+页共{total}页{re.escape(title)}", text))
        starts.append(first)
    assert starts == sorted(starts) and len(set(starts)) == len(starts), starts  # each table starts a page
    for n, t in enumerate(tables):
        end = starts[n + 1] if n + 1 < len(starts) else total
        text = "".join(pages[starts[n]:end])
        assert "编制单位:巴彦淖尔市公安局交通管理支队" in text, t["title"]  # NFKC: the full-width colon
        missing = [c for c in t["cells"] if re.sub(r"\s+", "", unicodedata.normalize("NFKC", c)) not in text]
        assert not missing, (t["title"], missing[:5])
    # a table longer than a page repeats its column head at the top of the next page
    long = next(n for n in range(len(tables)) if (starts[n + 1] if n + 1 < len(starts) else total) - starts[n] > 1)
    heads = page.evaluate("(i) => Array.from(document.querySelectorAll('.dc-print-tables .dc-table-section')[i]"
                          ".querySelectorAll('thead')).map(h => h.textContent)", long)
    heads = [re.sub(r"\s+", "", unicodedata.normalize("NFKC", h)) for h in heads]
    following = re.sub(r"^.*?第\d+页共\d+页", "", pages[starts[long] + 1])
    assert any(following.startswith(h) for h in heads), (following[:40], heads)


def test_the_printed_all_tables_page_starts_each_table_on_a_new_page(watched) -> None:
    page = watched.page
    watched.open(PAGE_TYPES["all-tables"])
    titles = [re.sub(r"\s+", "", unicodedata.normalize("NFKC", t)) for t in page.locator(".dc-table-section h2").all_inner_texts()]
    pages = [re.sub(r"\s+", "", t) for t in page_texts(page.pdf(prefer_css_page_size=True))]
    firsts = [next((i for i, text in enumerate(pages) if re.match(rf"^.{{0,60}}第\d+页共\d+页{re.escape(t)}", text)), None)
              for t in titles[1:]]
    assert None not in firsts and len(set(firsts)) == len(firsts), firsts
