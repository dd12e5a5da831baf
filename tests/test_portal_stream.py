"""The portal page is rendered, checked and searched in pieces (it lists every unit-year: tens of MB
for a national bureau): the pieces give the bytes, the search part and the public check of the page
rendered whole."""
from __future__ import annotations

from pathlib import Path

import pytest

from disclosure.errors import InputError
from disclosure.project import load_project
from disclosure.site import prefix, portal
from disclosure.site.output import StagedFile
from disclosure.site.public_check import PageCheck, require_public
from disclosure.site.search import PORTAL_KEY, SearchDoc, make_part, page_text
from disclosure.site.theme import environment, theme_dirs

from test_site_support import copy_example

UNITS = 300
#: Names a page's text and search read with care: entities, NFKC (full-width digits, ㈠), spaces.
ODD = ["A&B 单位 <一>", "第１２３号　预算单位", "㈠ 事业单位（ＸＹＺ）", "Straße ΣΑΣ 处"]


def _rows(names: dict[int, str] | None = None) -> list[portal.PortalRow]:
    rows = []
    for u in range(UNITS):
        name = (names or {}).get(u) or f"示范省第{u:04d}号预算单位{ODD[u % len(ODD)] if u % 7 == 0 else ''}"
        extras = (("绩效评价", f"u{u:04d}/2021/performance.html"),) if u % 5 == 0 else ()
        for year in (2019, 2020, 2021):
            rows.append(portal.PortalRow(f"u{u:04d}", year, name, "draft" if u == 3 else "published", extras, "d"))
    return rows


@pytest.fixture(scope="module")
def setting(tmp_path_factory: pytest.TempPathFactory):
    project = load_project(copy_example(tmp_path_factory.mktemp("p")))
    return environment(theme_dirs(project.root)), project.site


def _whole(env, site, rows, public: bool, css: str):
    common = portal._common(site, False, public)
    units = portal._units(rows, public)
    page = env.get_template("portal.html").render(title=site.name, crumbs=[], units=units, inline=False, **common)
    part = make_part(PORTAL_KEY, [SearchDoc("index.html", site.name, page_text(page))])
    return prefix.html(page, css).encode("utf-8"), part, page


def _streamed(env, site, rows, public: bool, css: str, tmp: Path, piece_chars: int, monkeypatch):
    def whole_text(html: str) -> str:
        raise AssertionError("the page was read whole")

    monkeypatch.setattr(portal, "page_text", whole_text)  # the pieces are read, not the page
    common = portal._common(site, False, public)
    staged = StagedFile(tmp / "index.html")
    page, _, part = portal._render_pages(env, common, portal._Units(rows, public), False, public, css, staged, piece_chars)
    assert page is None
    staged.commit()
    return (tmp / "index.html").read_bytes(), part


@pytest.mark.parametrize("piece_chars", [1, 700, 5000, portal.PIECE_CHARS])
@pytest.mark.parametrize("public,css", [(True, "dc-"), (False, "gov-")])
def test_the_streamed_portal_is_the_portal_rendered_whole(setting, tmp_path, piece_chars, public, css, monkeypatch) -> None:
    env, site = setting
    rows = _rows()
    data, part, whole = _whole(env, site, rows, public, css)
    assert len(whole) > 100_000
    pieces = list(portal._pieces(env.get_template("portal.html").generate(
        title=site.name, crumbs=[], units=portal._Units(rows, public), inline=False, **portal._common(site, False, public)),
        piece_chars))
    assert "".join(pieces) == whole
    if piece_chars < 10_000:
        assert len(pieces) > 20  # cut between (and inside) the units' rows
    streamed, streamed_part = _streamed(env, site, rows, public, css, tmp_path, piece_chars, monkeypatch)
    assert streamed == data
    assert streamed_part == part


@pytest.mark.parametrize("leak", ["content/u0001/duties.md", "rules.toml", "facts.total_income",
                                  "Sheet1!B12", "数据不一致", "disclosure build", "--force"])
@pytest.mark.parametrize("where", [0, 1, 149, 150, UNITS - 1])
def test_a_leak_in_any_row_is_caught_with_the_whole_pages_message(setting, tmp_path, leak, where) -> None:
    env, site = setting
    rows = _rows({where: f"示范单位 {leak}"})
    _, _, whole = _whole(env, site, rows, True, "dc-")
    with pytest.raises(InputError) as expected:
        require_public(whole, "index.html", "门户首页与站内搜索")
    for piece_chars in (700, portal.PIECE_CHARS):
        common = portal._common(site, False, True)
        staged = StagedFile(tmp_path / "index.html")
        with pytest.raises(InputError) as got:
            portal._render_pages(env, common, portal._Units(rows, True), False, True, "dc-", staged, piece_chars)
        staged.discard()
        assert str(got.value) == str(expected.value)
    assert not (tmp_path / "index.html").exists()


def test_a_leak_in_a_year_row_of_a_unit_is_caught(setting) -> None:
    env, site = setting
    rows = _rows()
    k = 3 * 200 + 1  # the middle year of unit 200: a name only that year shows
    rows[k] = rows[k]._replace(unit_name="旧名称 disclosure check 单位")
    with pytest.raises(InputError, match="工具命令"):
        portal._render_pages(env, portal._common(site, False, True), portal._Units(rows, True), False, True,
                             "dc-", None, 700)


def test_a_match_across_a_cut_is_found() -> None:
    check = PageCheck()
    check.feed("<p>运行 disclosure</p>")
    check.feed("\n\n<p>build 命令</p>")
    assert check.suspect
    clean = PageCheck()
    clean.feed("<p>运行</p>")
    clean.feed("\n<p>生成</p>")
    assert not clean.suspect


def test_a_streamed_page_that_fails_leaves_no_file(setting, tmp_path, monkeypatch) -> None:
    env, site = setting
    rows = _rows({5: "示范单位 --force"})
    rendered = portal.RenderedPortal(None, portal._Units(rows, True), portal._common(site, False, True),  # type: ignore[arg-type]
                                     None, None, None, False, "dc-", env)
    with pytest.raises(InputError):
        rendered.render(tmp_path)
    assert list(tmp_path.iterdir()) == []
