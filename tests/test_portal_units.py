"""A bureau's portal: past INLINE_UNITS units it lists units and years only, and each unit's
year-over-year view moves to the unit's own page, rewritten only when it changes."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from test_site_support import UNIT, build, copy_example

SECOND = "second-unit"


@pytest.fixture()
def bureau(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    from disclosure.site import portal

    monkeypatch.setattr(portal, "INLINE_UNITS", 1)  # two units: the compact portal
    project = copy_example(tmp_path / "p")
    shutil.copytree(project / "tables" / UNIT, project / "tables" / SECOND)
    shutil.copytree(project / "content" / UNIT, project / "content" / SECOND)
    return project


def test_compact_portal_and_unit_pages(bureau: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    assert build(bureau, out, "--jobs", "1") == 0
    portal = (out / "index.html").read_text(encoding="utf-8")
    assert "dc-chart" not in portal and "plotly.min.js" not in portal and "dc-compare" not in portal
    assert f'<a href="{UNIT}/index.html">' in portal and f'<a href="{SECOND}/index.html">' in portal
    assert f'href="{UNIT}/2021/index.html"' in portal  # years are still listed
    page = (out / UNIT / "index.html").read_text(encoding="utf-8")
    assert "历年对比" in page and "<th scope=\"col\">2020年</th>" in page and '<svg class="dc-svg"' in page
    for href in re.findall(r'href="([^"#]+)"', page):
        if not href.startswith(("http", "mailto")):
            assert (out / UNIT / href).resolve().is_file(), href
    assert 'aria-label=' in page and 'lang="zh-CN"' in page


def test_unit_pages_are_rewritten_only_when_they_change(bureau: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    assert build(bureau, out, "--jobs", "1") == 0
    pages = {u: (out / u / "index.html") for u in (UNIT, SECOND)}
    before = {u: p.stat().st_mtime_ns for u, p in pages.items()}
    (bureau / "tables" / SECOND / "2020.xlsx").unlink()  # the second unit now has one year
    assert build(bureau, out, "--jobs", "1") == 0
    assert pages[UNIT].stat().st_mtime_ns == before[UNIT]
    second = pages[SECOND].read_text(encoding="utf-8")
    assert pages[SECOND].stat().st_mtime_ns != before[SECOND]
    assert f"{SECOND}" in second and "2020年度部门决算" not in second and "dc-compare" not in second


def test_a_rebuild_renders_only_the_pages_of_units_that_changed(bureau: Path, tmp_path: Path, monkeypatch) -> None:
    from disclosure.site import portal

    out = tmp_path / "site"
    assert build(bureau, out, "--jobs", "1") == 0
    before = {u: (out / u / "index.html").read_bytes() for u in (UNIT, SECOND)}
    rendered: list[str] = []
    real = portal.prefix.html

    def html(text: str, css_prefix: str) -> str:
        if "历年部门决算" in text.split("</title>")[0]:  # a unit's page (the portal's title is the site's name)
            rendered.append(text)
        return real(text, css_prefix)

    monkeypatch.setattr(portal.prefix, "html", html)
    duties = bureau / "content" / SECOND / "duties.md"
    duties.write_text(duties.read_text(encoding="utf-8") + "\n本年度新增一项职责。\n", encoding="utf-8")
    assert build(bureau, out, "--jobs", "1") == 0
    assert len(rendered) == 1  # the second unit's page only; the first one's inputs did not change
    assert (out / UNIT / "index.html").read_bytes() == before[UNIT]
    shutil.rmtree(out.parent / f".{out.name}-build-state" / "portal")  # without the cache: every page rendered, same bytes
    rendered.clear()
    duties.write_text(duties.read_text(encoding="utf-8") + "再新增一项。\n", encoding="utf-8")
    assert build(bureau, out, "--jobs", "1") == 0
    assert len(rendered) == 2
    assert (out / UNIT / "index.html").read_bytes() == before[UNIT]


def test_the_portal_reads_again_only_the_results_that_changed_and_gives_a_full_portals_bytes(
        bureau: Path, tmp_path: Path, monkeypatch) -> None:
    from disclosure.batch.state import Results
    from disclosure.site import builder

    out = tmp_path / "site"
    assert build(bureau, out, "--jobs", "1") == 0
    reads: list[str] = []
    real, real_portal = Results.__getitem__, builder.write_portal
    in_portal = []

    def counted(self, index):
        if in_portal:  # in the portal step (the public check before it reads a sample of its own)
            reads.append("/".join(map(str, self.keys[index])))
        return real(self, index)

    def portal_step(*args, **kw):
        in_portal.append(True)
        try:
            return real_portal(*args, **kw)
        finally:
            in_portal.clear()

    monkeypatch.setattr(Results, "__getitem__", counted)
    monkeypatch.setattr(builder, "write_portal", portal_step)
    portal_stamp = (out / "index.html").stat().st_mtime_ns
    duties = bureau / "content" / SECOND / "duties.md"
    duties.write_text(duties.read_text(encoding="utf-8") + "\n本年度新增一项职责。\n", encoding="utf-8")
    assert build(bureau, out, "--jobs", "1") == 0
    # the changed unit-year's row, then the figures of its unit's page; no other result is read
    assert reads == [f"{SECOND}/2021", f"{SECOND}/2020", f"{SECOND}/2021"]
    assert (out / "index.html").stat().st_mtime_ns == portal_stamp  # the portal's list did not change: not rewritten
    incremental = {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    shutil.rmtree(out.parent / f".{out.name}-build-state" / "portal")
    (out / "index.html").unlink()
    reads.clear()
    assert build(bureau, out, "--jobs", "1") == 0
    assert set(reads) == {f"{u}/{y}" for u in (UNIT, SECOND) for y in (2020, 2021)}  # every row read again
    assert {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()} == incremental
