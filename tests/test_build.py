"""disclosure build on the example project: pages, downloads, refusal on errors, drafts, staging."""
from __future__ import annotations

import csv
import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from test_site_support import UNIT, UNIT_NAME, build, copy_example, digest_tree, set_cell, make_test_project, workbook

BANNER = "未通过校验（草稿）"


@pytest.fixture(scope="module")
def example_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = make_test_project(tmp_path_factory.mktemp("example"))
    out = project / "site"
    assert build(project, out) == 0
    return out


@pytest.fixture(scope="module")
def review_site(example_site: Path) -> Path:
    """The same project's review build (``--review``: check results and internal cross-checks)."""
    out = example_site.parent / "site-review"
    assert build(example_site.parent, out, "--review") == 0
    return out


def html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.refs: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list) -> None:
        a = dict(attrs)
        if "id" in a:
            self.ids.add(a["id"])
        for key in ("href", "src"):
            if a.get(key) and tag in {"a", "link", "script"}:
                self.refs.append(a[key])


def parse(path: Path) -> _Links:
    p = _Links()
    p.feed(path.read_text(encoding="utf-8"))
    return p


def test_layout_of_the_example(example_site: Path, review_site: Path) -> None:
    assert (review_site / UNIT / "2021" / "review.html").is_file()
    assert not list(example_site.rglob("review.html")), "the public site (the default build) has no review page"
    base = example_site / UNIT / "2021"
    for rel in ("index.html", "tables/index.html", "print-unit.css",
                "tables/summary.html", "tables/three_public.html", "tables/summary.csv", "tables/source/2021.xlsx"):
        assert (base / rel).is_file(), rel
    # fact keys, cells and formulas are review material: facts.json is in the review build only
    assert not list(example_site.rglob("facts.json")) and (review_site / UNIT / "2021" / "facts.json").is_file()
    assert (example_site / "index.html").is_file()
    assert (example_site / "search.html").is_file()
    assert (example_site / "assets" / "search" / "manifest.js").is_file()
    assert (base / "search-docs" / "0.js").is_file()
    # charts are inline SVG: no chart library is shipped
    assert not list(example_site.rglob("plotly*.js"))
    assert all(p.stat().st_size < 400_000 for p in html_pages(example_site))


def test_every_internal_link_and_download_resolves(example_site: Path) -> None:
    pages = html_pages(example_site)
    ids = {p: parse(p).ids for p in pages}
    checked = 0
    for page in pages:
        for ref in parse(page).refs:
            parts = urlsplit(ref)
            assert parts.scheme in ("", "http", "https", "mailto", "tel"), (page, ref)
            if parts.scheme:
                continue
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            assert target.is_file(), f"{page.relative_to(example_site)} → {ref}"
            assert target.is_relative_to(example_site.resolve())
            if parts.path.endswith("/"):
                pytest.fail(f"directory link {ref} (file:// needs index.html)")
            if parts.fragment and target.suffix == ".html":
                assert parts.fragment in ids.get(target, parse(target).ids), f"{page.name} → {ref}"
            checked += 1
    assert checked > 500


def test_report_follows_the_reference_order(example_site: Path) -> None:
    html = (example_site / UNIT / "2021" / "index.html").read_text(encoding="utf-8")
    heads = re.findall(r"<h2 id=\"dc-part-\d\">([^<]+)</h2>", html)
    assert heads == ["第一部分 部门基本情况", "第二部分 2021年度部门决算情况说明", "第三部分 名词解释",
                     "第四部分 决算公开联系方式及信息反馈渠道", "第五部分 部门决算公开表"]
    assert f"<h1 class=\"dc-title\">{UNIT_NAME}2021年度部门决算</h1>" in html
    # 第二部分 ends, as in the reference, with 三、预算绩效评价工作开展情况 and its three subsections
    part2 = html[html.index('id="dc-part-2"'):html.index('id="dc-part-3"')]
    subs = re.findall(r'<h3 id="dc-s-[\w-]+">([^<]+)</h3>', part2)
    assert subs == ["一、关于2021年度预算执行情况分析", "二、关于2021年度决算情况说明", "三、预算绩效评价工作开展情况"]
    assert re.findall(r'<h4 id="dc-s-perf-\d">([^<]+)</h4>', part2) == [
        "（一）预算绩效管理工作开展情况", "（二）部门决算中项目绩效自评结果", "（三）部门评价项目绩效评价结果"]
    assert "完成预算的82.09%" in part2 and '<a href="performance.html">' in part2
    assert 'lang="zh-CN"' in html and 'class="dc-skip" href="#dc-main"' in html
    # figures link to the cell they came from, and the cell carries that id
    link = re.search(r'<a class="dc-fig" id="dc-f-\d+" href="tables/summary\.html\?from=dc-f-\d+#(cell-summary-[A-Z]+\d+)"', html)
    assert link
    table = (example_site / UNIT / "2021" / "tables" / "summary.html").read_text(encoding="utf-8")
    assert f'id="{link.group(1)}"' in table
    assert BANNER not in html


def test_a_units_performance_text_opens_the_one_performance_section(tmp_path: Path) -> None:
    # content's performance.md beside the 绩效 feature: one 三、预算绩效评价工作开展情况, the unit's text first
    project = copy_example(tmp_path / "p")
    (project / "content" / UNIT / "2021" / "performance.md").write_text(
        "# 预算绩效评价工作开展情况\n\n本单位建立了预算绩效管理制度，逐项开展绩效自评。\n", encoding="utf-8")
    out = tmp_path / "site"
    assert build(project, out) == 0
    html = (out / UNIT / "2021" / "index.html").read_text(encoding="utf-8")
    part2 = html[html.index('id="dc-part-2"'):html.index('id="dc-part-3"')]
    assert part2.count("预算绩效评价工作开展情况") == 1
    assert re.findall(r'<h3 id="dc-s-[\w-]+">([^<]+)</h3>', part2)[-1] == "三、预算绩效评价工作开展情况"
    own, first = part2.index("本单位建立了预算绩效管理制度"), part2.index("（一）预算绩效管理工作开展情况")
    assert part2.index("三、预算绩效评价工作开展情况") < own < first


def test_table_pages_show_the_cells_with_anchors(example_site: Path) -> None:
    html = (example_site / UNIT / "2021" / "tables" / "expenditure.html").read_text(encoding="utf-8")
    # 支出决算表!C5 is the 本年支出合计 of the example: 5,817.35
    assert '<td class="dc-num" id="cell-expenditure-C5">5,817.35</td>' in html
    assert "<caption>公开03表 支出决算表" in html and "单位：万元" in html
    assert '<th scope="col"' in html and '<th scope="row"' in html
    gov = (example_site / UNIT / "2021" / "tables" / "gov_fund.html").read_text(encoding="utf-8")
    assert "故本表为空表" in gov
    everything = (example_site / UNIT / "2021" / "tables" / "index.html").read_text(encoding="utf-8")
    assert 'id="cell-expenditure-C5"' in everything and 'id="cell-summary-C35"' in everything


def test_csv_download_is_excel_friendly(example_site: Path) -> None:
    raw = (example_site / UNIT / "2021" / "tables" / "expenditure.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == ["公开03表 支出决算表"]
    total = next(r for r in rows[2:] if r[2] == "合计")
    assert total[rows[1].index("本年支出合计")] == "5817.35"


def test_facts_json_and_charts_agree(example_site: Path, review_site: Path) -> None:
    facts = json.loads((review_site / UNIT / "2021" / "facts.json").read_text(encoding="utf-8"))["facts"]
    html = (example_site / UNIT / "2021" / "index.html").read_text(encoding="utf-8")
    block = re.search(r'<table class="dc-table dc-chart-data" id="dc-chart-expenditure-data">(.*?)</table>', html, re.S)
    assert block, "the 支出构成 chart has its data table"
    cells = dict(re.findall(r'<th scope="row">([^<]+)</th><td class="dc-num">([^<]+)</td>', block.group(1)))
    from decimal import Decimal
    from disclosure.money import format_amount
    assert cells["基本支出"] == format_amount(Decimal(facts["expenditure.basic"]["value"])) == "2,996.69"
    assert cells["项目支出"] == format_amount(Decimal(facts["expenditure.project"]["value"])) == "2,820.66"
    assert 'id="dc-chart-expenditure" role="img" aria-label="' in html


def test_portal_lists_years_latest_first_with_comparison(example_site: Path) -> None:
    html = (example_site / "index.html").read_text(encoding="utf-8")
    first, second = html.index(f"{UNIT}/2021/index.html"), html.index(f"{UNIT}/2020/index.html")
    assert first < second
    assert "历年对比" in html and "2020年" in html and "2021年" in html
    assert 'id="dc-chart-trend-totals"' in html


def test_search_index_covers_every_page(example_site: Path) -> None:
    from disclosure.site.search_index import pages_with

    sangong = pages_with(example_site, "三公")
    assert f"{UNIT}/2021/tables/three_public.html" in sangong and f"{UNIT}/2021/index.html" in sangong
    assert sangong[f"{UNIT}/2021/tables/three_public.html"] is True  # in its title
    assert f"{UNIT}/2021/tables/basic.html" in pages_with(example_site, "积金")
    assert pages_with(example_site, "支队")[f"{UNIT}/2021/index.html"] is True
    assert "index.html" in pages_with(example_site, "支队")  # the portal lists the unit
    every = {p.relative_to(example_site).as_posix() for p in example_site.rglob("*.html")}
    indexed = set(pages_with(example_site, "决")) | set(pages_with(example_site, "支")) | set(pages_with(example_site, "搜"))
    assert every - indexed == {"search.html"}


def test_same_input_gives_byte_identical_site(example_site: Path, tmp_path: Path) -> None:
    project = example_site.parent
    again = tmp_path / "again"
    assert build(project, again) == 0
    assert digest_tree(again) == digest_tree(example_site)


def test_public_build_leaves_the_review_page_out(example_site: Path, tmp_path: Path) -> None:
    out = tmp_path / "public"
    assert build(example_site.parent, out, "--public") == 0
    assert not list(out.rglob("review.html"))
    assert "review.html" not in (out / "index.html").read_text(encoding="utf-8")
    assert "review.html" not in (out / UNIT / "2021" / "index.html").read_text(encoding="utf-8")


def test_unreadable_cell_exits_2_and_keeps_the_previous_site(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    project = copy_example(tmp_path / "p")
    out = tmp_path / "site"
    assert build(project, out) == 0
    before = digest_tree(out)
    set_cell(workbook(project, 2021), "支出决算表", "C5", "12,3O4.00")
    capsys.readouterr()
    assert build(project, out) == 2
    captured = capsys.readouterr()
    err = captured.out + captured.err
    assert "支出决算表!C5" in err and "12,3O4.00" in err
    assert "Traceback" not in err
    assert digest_tree(out) == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".site.building-")], "staging folder left behind"


def test_check_errors_refuse_publishing_and_allow_errors_marks_drafts(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    project = copy_example(tmp_path / "p")
    out = tmp_path / "site"
    set_cell(workbook(project, 2021), "支出决算表", "C5", 9999.99)  # 本年支出合计 no longer adds up
    capsys.readouterr()
    assert build(project, out) == 1
    captured = capsys.readouterr()
    err = captured.out + captured.err
    assert "支出决算表!C5" in err and "--allow-errors" in err
    assert not (out / UNIT / "2021").exists(), "a unit-year with check errors is not published"

    assert build(project, out, "--allow-errors") == 0
    review_out = tmp_path / "site-review"
    assert build(project, review_out, "--allow-errors", "--review") == 0
    drafts = list((out / UNIT / "2021").rglob("*.html"))
    assert len(drafts) >= 14
    for page in drafts:
        assert f'<div class="dc-draft" role="alert"><strong>{BANNER}</strong>' in page.read_text(encoding="utf-8"), page
    assert BANNER not in (out / UNIT / "2020" / "index.html").read_text(encoding="utf-8")
    portal = (out / "index.html").read_text(encoding="utf-8")
    assert BANNER in portal
    review = (review_out / UNIT / "2021" / "review.html").read_text(encoding="utf-8")
    assert 'href="tables/expenditure.html#cell-expenditure-C5"' in review


def test_unit_and_year_selection(example_site: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    out = tmp_path / "one"
    assert build(example_site.parent, out, "--year", "2021") == 0
    assert (out / UNIT / "2021" / "index.html").exists() and not (out / UNIT / "2020").exists()
    capsys.readouterr()
    assert build(example_site.parent, out, "--unit", "nobody") == 2
    assert "nobody" in capsys.readouterr().err


def test_content_headings_survive_except_a_repeated_title(example_site: Path) -> None:
    report = (example_site / UNIT / "2021" / "index.html").read_text(encoding="utf-8")
    # duties.md opens with "# 主要职能职责" (the section title, printed once) then "## （一）单位职能"
    assert report.count("主要职能职责</h") == 1
    assert re.search(r"<h\d[^>]*>（一）单位职能</h\d>", report)
    assert re.search(r"<h\d[^>]*>（二）主要职责</h\d>", report)
    # the glossary's first group heading is not mistaken for a repeated title
    assert re.search(r"<h\d[^>]*>收入</h\d>", report)


def test_review_links_prior_year_cells_to_the_prior_years_pages(review_site: Path) -> None:
    example_site = review_site
    review = (example_site / UNIT / "2021" / "review.html").read_text(encoding="utf-8")
    m = re.search(r'<a href="(\.\./2020/tables/income\.html#(cell-income-C\d+))">2020年 收入决算表!C\d+</a>', review)
    assert m, "a change finding names last year's cell, labelled with its year"
    target = (example_site / UNIT / "2020" / "tables" / "income.html").read_text(encoding="utf-8")
    assert f'id="{m.group(2)}"' in target


def test_a_draft_is_withdrawn_when_a_strict_build_refuses_it(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    project = copy_example(tmp_path / "p")
    out = tmp_path / "site"
    set_cell(workbook(project, 2021), "支出决算表", "C5", 1)
    assert build(project, out, "--allow-errors") == 0
    assert BANNER in (out / UNIT / "2021" / "index.html").read_text(encoding="utf-8")
    assert build(project, out) == 1  # errors are no longer allowed: the draft is taken down
    assert not (out / UNIT / "2021").exists()
    portal = (out / "index.html").read_text(encoding="utf-8")
    assert f"{UNIT}/2021/" not in portal and f"{UNIT}/2020/index.html" in portal
    capsys.readouterr()


def test_pages_with_a_review_page_are_withdrawn_from_a_public_build_that_fails(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    project = copy_example(tmp_path / "p")
    out = tmp_path / "site"
    assert build(project, out, "--review") == 0  # a review build in a folder that is not the project's site-review/
    assert (out / UNIT / "2021" / "review.html").exists()
    set_cell(workbook(project, 2021), "支出决算表", "C5", "12,3O4.00")
    assert build(project, out) == 2  # 2021 cannot be read (2020 is rebuilt and published)
    assert not (out / UNIT / "2021").exists()
    assert not list(out.rglob("review.html"))
    assert f"{UNIT}/2021/" not in (out / "index.html").read_text(encoding="utf-8")
    capsys.readouterr()


def test_optional_columns_the_sheet_lacks_are_not_shown(example_site: Path) -> None:
    page = (example_site / UNIT / "2021" / "tables" / "general_budget.html").read_text(encoding="utf-8")
    heads = re.findall(r'<th scope="col"[^>]*>([^<]+)</th>', page)
    assert "年初预算数" not in heads and "调整预算数" not in heads  # the example's 06表 shows 决算 only
    assert {"本年支出", "基本支出", "项目支出"} <= set(heads)
    csv_head = (example_site / UNIT / "2021" / "tables" / "general_budget.csv").read_text(encoding="utf-8-sig").splitlines()[1]
    assert "年初预算数" not in csv_head
    budget_cells = (example_site / UNIT / "2021" / "tables" / "gov_fund.html").read_text(encoding="utf-8")
    assert "年初结转和结余" in budget_cells  # an optional column the sheet has is shown, even when blank
