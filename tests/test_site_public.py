"""The public site and the review site are separate outputs: nothing internal reaches site/.

Each kind of internal text (a file path, a fact key, a rule id, a cell reference, a disagreement
flag, a tool command, a link to the review page) is planted in a unit's own text: the public build
refuses that unit-year and names the page and the text; the review build keeps everything.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from disclosure.site.public_check import page_leaks, text_leaks
from disclosure.site.search import page_text
from test_site_support import UNIT, build, copy_example

PLANTED = {
    "path": "详见 content/bayannur-jiaoguan/2021/performance.toml 中的说明。",
    "toml": "请在 reasons.toml 中补充原因。",
    "xlsx": "数据来源：tables/bayannur-jiaoguan/monitoring/2021-06-30.xlsx。",
    "key": "在职人员数取自 figures.staff_actual。",
    "rule": "规则 three_public.actual_total 未通过。",
    "cell": "见支出决算表!D12。",
    "flag": "自评得分与计算结果不一致。",
    "command": "对外公开时使用 disclosure build --public 生成。",
    "review": "[查看校验结果](review.html)",
}
KIND = {"path": "path", "toml": "path", "xlsx": "path", "key": "key", "rule": "key", "cell": "cell", "flag": "flag",
        "command": "command", "review": "review"}


@pytest.mark.parametrize("name", sorted(PLANTED))
def test_each_kind_of_internal_text_is_found(name: str) -> None:
    html = f"<main><p>{PLANTED[name]}</p></main>"
    if name == "review":
        html = '<main><p><a href="review.html">查看校验结果</a></p></main>'
    kinds = {leak.kind for leak in page_leaks(html, "x.html")}
    assert KIND[name] in kinds, (name, kinds)


def test_ordinary_report_text_is_not_mistaken_for_internal_text() -> None:
    text = ("联系电话：0478-8888888，电子邮箱：jgzd@bynr.gov.cn，网址 www.bynr.gov.cn。"
            "2021年度收入总计6,879.33万元，比上年减少622.89万元，下降8.30%。公开10表 “三公”经费。"
            "下载本表数据（CSV）；下载全部公开表的电子表格（Excel 工作簿，2021.xlsx）。执行进度 3.1 交通设施更新与维护。")
    assert text_leaks(text) == []


@pytest.mark.parametrize("name", sorted(PLANTED))
def test_a_planted_internal_text_stops_the_public_build_not_the_review_build(
        tmp_path: Path, capsys: pytest.CaptureFixture, name: str) -> None:
    project = copy_example(tmp_path / "p")
    duties = project / "content" / UNIT / "duties.md"
    duties.write_text(duties.read_text(encoding="utf-8") + "\n\n" + PLANTED[name] + "\n", encoding="utf-8")
    out = project / "site"
    capsys.readouterr()
    assert build(project, out, "--year", "2021", "-j", "1") != 0
    err = capsys.readouterr().err
    assert "对外公开版的页面不得含有" in err and f"{UNIT}/2021/index.html" in err and "Traceback" not in err
    assert not (out / UNIT / "2021" / "index.html").exists(), "the unit-year is not published"
    review = project / "site-review"
    assert build(project, review, "--year", "2021", "-j", "1", "--review") == 0
    assert "审核版" in (review / UNIT / "2021" / "index.html").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def both(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    project = copy_example(tmp_path_factory.mktemp("both"))
    assert build(project, project / "site") == 0
    assert build(project, project / "site-review", "--review") == 0
    return project / "site", project / "site-review"


def test_no_public_page_or_search_entry_holds_internal_text(both: tuple[Path, Path]) -> None:
    public, _ = both
    pages = sorted(public.rglob("*.html"))
    assert len(pages) > 25
    for page in pages:
        assert page_leaks(page.read_text(encoding="utf-8"), str(page)) == [], page
    docs = sorted(public.rglob("*-docs/*.js"))
    assert docs
    for doc in docs:
        assert text_leaks(doc.read_text(encoding="utf-8"), str(doc)) == [], doc
    assert not list(public.rglob("review.html"))
    assert "review" not in "".join(p.read_text(encoding="utf-8") for p in public.rglob("*.js"))


def test_the_review_site_keeps_what_the_review_needs(both: tuple[Path, Path]) -> None:
    _, review = both
    perf = page_text((review / UNIT / "2021" / "performance.html").read_text(encoding="utf-8"))
    for text in ("performance.toml", "figures.staff_actual", "!A7", "不一致", "按评分标准应得0.5分，自评1分"):
        assert text in perf, text
    mon = page_text((review / UNIT / "2021" / "monitoring-2021-06-30.html").read_text(encoding="utf-8"))
    assert "tables/bayannur-jiaoguan/monitoring/2021-06-30.xlsx" in mon
    assert (review / UNIT / "2021" / "review.html").is_file()
    portal = (review / "index.html").read_text(encoding="utf-8")
    assert f'href="{UNIT}/2021/review.html"' in portal and "不得上传" in portal


def test_public_performance_and_monitoring_pages_state_the_published_figures(both: tuple[Path, Path]) -> None:
    public, _ = both
    perf = page_text((public / UNIT / "2021" / "performance.html").read_text(encoding="utf-8"))
    for text in ("performance.toml", "figures.", "!A7", "不一致", "请在", "按评分标准应得", "绩效输入"):
        assert text not in perf, text
    assert "自评得分95.00分（满分100分）" in perf
    assert "在职人员数：507人" in perf and "507 ÷ 656 = 77.29%" in perf
    mon = page_text((public / UNIT / "2021" / "monitoring-2021-06-30.html").read_text(encoding="utf-8"))
    assert ".xlsx" not in mon and "数据来源" not in mon
    assert "低于序时进度9.59个百分点" in mon
    report = page_text((public / UNIT / "2021" / "index.html").read_text(encoding="utf-8"))
    assert "不一致" not in report and "自评得分95.00分" in report
    html = (public / UNIT / "2021" / "index.html").read_text(encoding="utf-8")
    assert not re.search(r'title="[^"]*![A-Z]+\d+', html), "figure tooltips name the table, not its cell"


def test_a_review_build_may_not_overwrite_the_public_folder(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    project = copy_example(tmp_path / "p")
    capsys.readouterr()
    assert build(project, project / "site", "--review") == 2
    assert "不能写入对外上传的 site/" in capsys.readouterr().err
    assert not (project / "site").exists()
    assert build(project, project / "site-review") == 2  # nor the public build into the review folder
    assert "site-review/ 是审核版的文件夹" in capsys.readouterr().err


def test_same_input_gives_the_same_bytes_in_both_outputs(both: tuple[Path, Path], tmp_path: Path) -> None:
    from test_site_support import digest_tree

    public, review = both
    project = public.parent
    again, again_review = tmp_path / "a" / "site", tmp_path / "a" / "site-review"
    assert build(project, again, "--force") == 0
    assert build(project, again_review, "--review", "--force") == 0
    assert digest_tree(again) == digest_tree(public)
    assert digest_tree(again_review) == digest_tree(review)


def _plain_leaks(html: str) -> list[tuple[str, str]]:
    """The guard's patterns applied the plain way: every pattern over the whole visible text."""
    from disclosure.site import public_check as pc

    body = re.sub(r"<(script|style)\b[^>]*>.*?</\1\s*>|<!--.*?-->", " ", html, flags=re.S | re.I)
    attrs = " ".join(m.group(1) for m in re.finditer(r"""\b(?:title|aria-label|alt|content)\s*=\s*"([^"]*)\"""", body))
    from html import unescape

    text = unescape(re.sub(r"<[^>]+>", " ", body) + " " + attrs)
    found = []
    for kind, _label, pattern in pc._TEXT_PATTERNS:
        plain = re.compile(pattern.pattern.removeprefix("(?=[a-z])"), pattern.flags)
        for m in plain.finditer(text):
            if kind == "key" and m.group(0).rsplit(".", 1)[-1] in pc._ADDRESS_ENDINGS:
                continue
            found.append((kind, m.group(0)))
    return found


_PIECES = ["content/", "a/b", "\\", "x.toml", ".toml", ".xlsx", "2021.xls", ".md", ".", "-", "_", "/", "单位", "表!D12",
           "figures.staff", "gb.total", ".cn", " ", "disclosure build", "--force", "-", "不一致", "review.html",
           '<a href="', '">', "</a>", '<p title="', '"', "<b>", "REVİEW.HTML", "subtitle=", "alt=", "ſ", "K", "a", "Z9", "@"]


def test_the_fast_guard_finds_what_the_plain_patterns_find() -> None:
    """The guard narrows where it looks (path endings, first letters); it finds the same leaks in the
    same order as each pattern run over the whole text, on random pages made of the risky pieces."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from disclosure.site import public_check as pc

    @settings(max_examples=600, deadline=None)
    @given(st.lists(st.sampled_from(_PIECES), max_size=40))
    def check(pieces: list[str]) -> None:
        html = "".join(pieces)
        fast = [(leak.kind, leak.text) for leak in pc.text_leaks(pc._visible(html))]
        assert fast == _plain_leaks(html)

    check()


def test_the_public_workbook_holds_the_published_tables_only_with_the_same_figures(both: tuple[Path, Path]) -> None:
    """The unit's own workbook holds the unpublished 年初预算数表; the public site's workbook is made
    from the published tables and reads back with every figure the same."""
    import zipfile

    from openpyxl import load_workbook

    from disclosure.load.accounts import load_accounts
    from disclosure.load.reader import read_tables
    from disclosure.project import load_project
    from disclosure.standard import load_table_set
    from disclosure.blank_workbook import sheet_name

    public, review = both
    project = load_project(public.parent)
    for year in (2020, 2021):
        original = public.parent / "tables" / UNIT / f"{year}.xlsx"
        path = public / UNIT / str(year) / "tables" / "source" / f"{year}.xlsx"
        assert "年初预算数表" in load_workbook(original, read_only=True).sheetnames
        published = sorted((t for t in load_accounts(project, UNIT, year).tables.values() if t.spec.published),
                           key=lambda t: t.spec.number)
        book = load_workbook(path)
        assert book.sheetnames == [sheet_name(t.spec) for t in published]
        text = " ".join(str(c.value) for ws in book for row in ws.iter_rows() for c in row if c.value is not None)
        assert "年初预算" not in text and "编制单位：巴彦淖尔市公安局交通管理支队" in text and f"{year}年度" in text
        again = read_tables(path, load_table_set(project.table_set_for(year)), display_path=path.name, year=year).tables
        for table in published:
            got = again[table.key]
            assert {(r.key, c): v for r in got.rows for c, v in r.values.items()} == \
                   {(r.key, c): v for r in table.rows for c, v in r.values.items()}, table.key
            assert got.empty == table.empty, table.key
        with zipfile.ZipFile(path) as z:  # the same tables give the same bytes: no save time anywhere
            assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
            assert b"dcterms:modified" not in z.read("docProps/core.xml")
        # the review site keeps the unit's own workbook for the approver
        assert (review / UNIT / str(year) / "tables" / "source" / f"{year}.xlsx").read_bytes() == original.read_bytes()
    report = (public / UNIT / "2021" / "index.html").read_text(encoding="utf-8")
    assert 'href="tables/source/2021.xlsx"' in report and "下载全部公开表的电子表格（Excel 工作簿，2021.xlsx）" in report


def test_fact_keys_cells_and_formulas_stay_in_the_review_build(both: tuple[Path, Path]) -> None:
    """A public figure file would hold fact keys, cells and formulas: the public site publishes its
    figures as the tables (CSV, the workbook) and the report; facts.json is the reviewer's."""
    public, review = both
    assert not list(public.rglob("facts.json"))
    assert "facts.json" not in "".join(p.read_text(encoding="utf-8") for p in public.rglob("*.html"))
    facts = (review / UNIT / "2021" / "facts.json").read_text(encoding="utf-8")
    assert '"formula"' in facts and '"cell"' in facts
    assert 'href="facts.json"' in (review / UNIT / "2021" / "index.html").read_text(encoding="utf-8")


# --- the parts of a page a reader does not see, and the portal step's files -----------------------
#: Where an override template can put text that the browser does not show but the file carries.
HIDDEN_PLACES = {
    "title": "<head><title>{text}</title></head><body><main>正文</main></body>",
    "meta": '<head><meta name="Description" content="{attr}"></head><body><main>正文</main></body>',
    "script": "<body><main>正文</main><script>var note = '{text}';</script></body>",
    "style": "<head><style>/* {text} */</style></head><body><main>正文</main></body>",
    "comment": "<body><!-- {text} --><main>正文</main></body>",
    "data": '<body><main data-note="{attr}">正文</main></body>',
    "link": '<body><main><a href="index.html?note={attr}">正文</a></main></body>',
    "head-link": '<head><link rel="alternate" href="x.html#{attr}"></head><body><main>正文</main></body>',
}


@pytest.mark.parametrize("place", sorted(HIDDEN_PLACES))
@pytest.mark.parametrize("name", sorted(PLANTED))
def test_each_kind_of_internal_text_is_found_where_a_reader_does_not_see_it(name: str, place: str) -> None:
    from html import escape

    text = "review.html" if name == "review" else PLANTED[name]
    html = HIDDEN_PLACES[place].format(text=text, attr=escape(text, quote=True))
    kinds = {leak.kind for leak in page_leaks(html, "x.html")}
    assert KIND[name] in kinds, (name, place, kinds)


@pytest.mark.parametrize("target", [
    "../../content/bayannur-jiaoguan/2021/performance.toml", "../../content/bayannur-jiaoguan/2021/duties.md",
    "facts.json", "/home/user/project/tables/bayannur-jiaoguan/2021.xlsx", "C:\\财务\\2021.xlsx",
    "file:///C:/财务/index.html", "tables/bayannur-jiaoguan/2021.ods", "../tools/run.py",
])
def test_a_link_to_a_file_the_public_site_does_not_publish_is_found(target: str) -> None:
    assert [leak.kind for leak in page_leaks(f'<main><a href="{target}">下载</a></main>', "x.html")] == ["path"]


def test_the_links_a_public_page_has_are_not_mistaken_for_internal_ones() -> None:
    links = ["tables/source/2021.xlsx", "tables/summary.csv", "../index.html?from=dc-f-12#cell-summary-C38",
             "../../assets/dc.css", "../../assets/dc.js", "#dc-main", "search.html?q=三公经费&hl=三公经费",
             "https://www.gov.cn/zhengce/a.html", "mailto:jgzd@bynr.gov.cn", "tel:0478-8888888", "../2020/", ""]
    html = "<head>" + "".join(f'<link href="{h}">' for h in links) + "</head><main>正文</main>"
    assert page_leaks(html, "x.html") == []


def _override(project: Path, template: str, old: str, new: str) -> None:
    """A project theme/ template that is the built-in one with ``old`` replaced by ``new``."""
    from disclosure.site.theme import theme_dirs

    builtin = theme_dirs(None)[-1] / "templates" / template
    text = builtin.read_text(encoding="utf-8")
    assert old in text, (template, old)
    target = project / "theme" / "templates" / template
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text.replace(old, new, 1), encoding="utf-8")


#: (how it is planted, the page the final refusal names): one leak in each place an override theme
#: has. The portal step is tried before any unit-year is built, so a leak in base.html names the portal's page.
THEME_PLANTS = {
    "head": (lambda p: _override(p, "base.html", "</head>", '<meta name="x-source" content="figures.staff_actual">\n</head>'),
             "index.html"),
    "script": (lambda p: _override(p, "base.html", "</body>", "<script>var src = '支出决算表!D12';</script>\n</body>"),
               "index.html"),
    "style": (lambda p: _override(p, "base.html", "</head>", "<style>/* disclosure build --review */</style>\n</head>"),
              "index.html"),
    "data": (lambda p: _override(p, "base.html", '<main id="dc-main"', '<main data-check="自评分不一致" id="dc-main"'),
             "index.html"),
    "link": (lambda p: _override(p, "base.html", "</head>", '<link rel="alternate" href="facts.json">\n</head>'),
             "index.html"),
    "portal-comment": (lambda p: _override(p, "portal.html", "{% block main %}",
                                           "{% block main %}<!-- 见 content/bayannur-jiaoguan/2021/reasons.toml -->"),
                       "index.html"),
    "search-page": (lambda p: _override(p, "search.html", "{% block main %}",
                                        '{% block main %}<p data-rule="three_public.actual_total">说明</p>'),
                    "search.html"),
    "asset": (lambda p: (p / "theme" / "assets").mkdir(parents=True) or (p / "theme" / "assets" / "extra.js").write_text(
        "/* 数据来源 tables/bayannur-jiaoguan/2021.xlsx */\n", encoding="utf-8"), "assets/extra.js"),
    "asset-kind": (lambda p: (p / "theme" / "assets").mkdir(parents=True) or (p / "theme" / "assets" / "notes.md").write_text(
        "备忘\n", encoding="utf-8"), "assets/notes.md"),
}


@pytest.mark.parametrize("place", sorted(THEME_PLANTS))
def test_an_override_theme_that_leaks_anywhere_stops_the_public_build(
        tmp_path: Path, capsys: pytest.CaptureFixture, place: str) -> None:
    project = copy_example(tmp_path / "p")
    plant, page = THEME_PLANTS[place]
    plant(project)
    out = project / "site"
    capsys.readouterr()
    assert build(project, out, "--year", "2021", "-j", "1") != 0
    said = capsys.readouterr()
    err = said.err
    assert "对外公开版的页面不得含有" in err and f"{page}：含有" in err and "Traceback" not in err, err[-600:]
    assert not (out / page).exists(), "the leaking file is not written"
    # the portal step is tried first (base.html is every page's): no unit-year is published either
    assert not (out / UNIT / "2021" / "index.html").exists()
    assert err.count("对外公开版的页面不得含有") == 1
    assert build(project, project / "site-review", "--year", "2021", "-j", "1", "--review") == 0


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("place", ["portal-comment", "search-page", "asset"])
def test_a_portal_that_would_be_refused_publishes_no_unit_year(
        tmp_path: Path, capsys: pytest.CaptureFixture, place: str) -> None:
    """The portal step is checked before any unit-year is published: a first build leaves no unit
    pages without their portal, and a rebuild leaves the site exactly as it was."""
    project = copy_example(tmp_path / "p")
    plant, page = THEME_PLANTS[place]
    plant(project)
    out = project / "site"
    assert build(project, out, "-j", "1") != 0
    assert f"{page}：含有" in capsys.readouterr().err
    assert not (out / UNIT / "2021" / "index.html").exists() and not (out / UNIT / "2020" / "index.html").exists()

    fresh = copy_example(tmp_path / "q")
    site = fresh / "site"
    assert build(fresh, site, "-j", "1") == 0
    before = _tree(site)
    plant(fresh)
    workbook = fresh / "tables" / UNIT / "2021.xlsx"
    workbook.write_bytes(workbook.read_bytes())  # touched: the unit-year would be rebuilt
    (fresh / "content" / UNIT / "2021" / "duties.md").open("a", encoding="utf-8").write("\n本年度职责未变。\n")
    capsys.readouterr()
    assert build(fresh, site, "-j", "1") != 0
    said = capsys.readouterr()
    assert f"{page}：含有" in said.err and "Traceback" not in said.err
    assert _tree(site) == before


def test_every_title_names_the_site_once(both: tuple[Path, Path]) -> None:
    """The portal's title is the site's name alone (not 专栏 - 专栏); every other page adds its own title before it."""
    public, _ = both
    name = "部门决算公开专栏（示例）"
    titles = {p.relative_to(public).as_posix(): re.search(r"<title>(.*?)</title>", p.read_text(encoding="utf-8")).group(1)
              for p in public.rglob("*.html")}
    assert titles["index.html"] == name
    assert titles[f"{UNIT}/2021/index.html"] == f"巴彦淖尔市公安局交通管理支队2021年度部门决算 - {name}"
    assert all(t.count(name) == 1 for t in titles.values()), titles
    assert all(t.endswith(f" - {name}") for p, t in titles.items() if p != "index.html"), titles
