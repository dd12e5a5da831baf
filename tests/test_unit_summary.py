"""The plan's per-unit summaries (``disclosure.batch.summary``): a rebuild takes a unit's plan from its
summary only while every folder and file it covers keeps its stat data; every other change sends the
unit (or, for what all units share, every unit) through the full plan, and the site comes out as a
fresh build makes it."""
from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

from disclosure.batch import filecache, runner, summary
from disclosure.batch.state import state_dir
from tests.test_batch import UNITS, YEARS, build, make_project, tree, write_workbook
from tests.test_filecache import keep_times

LATER = 10 * 10**9


@pytest.fixture
def later(monkeypatch):
    """Builds run well after the files were written (outside the racy window)."""
    real = time.time_ns
    monkeypatch.setattr(filecache, "_now_ns", lambda: real() + LATER)


@pytest.fixture
def planned(monkeypatch) -> list[list[str]]:
    """The units each build plans in full (lists them and digests their files), one list per build."""
    seen: list[list[str]] = []
    real = runner._read_units

    def spy(project, names, summary_, listing):
        seen.append(list(names))
        return real(project, names, summary_, listing)

    monkeypatch.setattr(runner, "_read_units", spy)
    return seen


def settled(project: Path, out: Path) -> None:
    build(project, out, jobs=1)
    build(project, out, jobs=1)  # the pins the first build wrote are settled now


def fresh_equal(project: Path, out: Path, tmp_path: Path, unit: str | None = None) -> None:
    """The site equals a fresh build's (newest years: a fresh build's earlier years follow the files)."""
    fresh = tmp_path / f"fresh-{len(list(tmp_path.iterdir()))}"
    build(project, fresh, jobs=1)
    want = {k: v for k, v in tree(fresh).items() if k != "<state>" and (unit is None or k.startswith(f"{unit}/{YEARS[-1]}/"))}
    got = {k: v for k, v in tree(out).items() if k != "<state>" and (unit is None or k.startswith(f"{unit}/{YEARS[-1]}/"))}
    assert got == want


def test_a_no_change_rebuild_plans_no_unit_in_full_and_writes_nothing(tmp_path, later, planned):
    project = make_project(tmp_path / "proj")
    out = tmp_path / "site"
    settled(project, out)
    before = tree(out)
    state = state_dir(out)
    stamps = {p.name: p.stat().st_mtime_ns for p in state.iterdir() if p.is_file()}
    planned.clear()
    result = build(project, out, jobs=1)
    assert planned == [[]]
    assert result.built == [] and result.skipped == len(UNITS) * len(YEARS) and result.total == len(UNITS) * len(YEARS)
    assert tree(out) == before
    assert {p.name: p.stat().st_mtime_ns for p in state.iterdir() if p.is_file()} == stamps


def test_an_edit_keeping_size_and_mtime_is_seen_by_its_change_time(tmp_path, later, planned):
    project = make_project(tmp_path / "proj")
    out = tmp_path / "site"
    settled(project, out)
    unit_toml = project / "content" / "beta" / "unit.toml"
    keep_times(unit_toml, unit_toml.read_bytes().replace("单位".encode(), "部门".encode()))
    planned.clear()
    result = build(project, out, jobs=1)
    assert planned == [["beta"]]
    assert [o.key for o in result.built] == ["beta/2021"]  # 2020 keeps the texts it was published with
    assert "beta部门" in (out / "beta" / "2021" / "index.html").read_text(encoding="utf-8")
    planned.clear()
    assert build(project, out, jobs=1).built == []
    assert planned == [[]]  # the texts the rebuild recorded for it are taken as written
    workbook = project / "tables" / "gamma" / "2020.xlsx"
    write_workbook(tmp_path / "other.xlsx", 999)
    data = (tmp_path / "other.xlsx").read_bytes()
    old = workbook.read_bytes()
    if len(data) == len(old):  # the same size: the mtime put back too
        keep_times(workbook, data)
    else:
        info = workbook.stat()
        workbook.write_bytes(data)
        os.utime(workbook, ns=(info.st_atime_ns, info.st_mtime_ns))
    planned.clear()
    result = build(project, out, jobs=1)
    assert planned == [["gamma"]]
    assert [o.key for o in result.built] == ["gamma/2020", "gamma/2021"]  # 2021 compares with 2020
    fresh_equal(project, out, tmp_path, "gamma")


def test_a_unit_added_and_a_unit_removed(tmp_path, later, planned):
    project = make_project(tmp_path / "proj")
    out = tmp_path / "site"
    settled(project, out)
    write_workbook(project / "tables" / "delta" / "2021.xlsx", 321)
    planned.clear()
    result = build(project, out, jobs=1)
    assert planned == [["alpha", "beta", "delta", "gamma"]]  # tables/ changed: every unit planned in full
    assert [o.key for o in result.built] == ["delta/2021"]
    assert (out / "delta" / "2021" / "index.html").is_file()
    shutil.rmtree(project / "tables" / "alpha")
    shutil.rmtree(project / "content" / "alpha")
    result = build(project, out, jobs=1)
    assert result.removed == ["alpha/2020", "alpha/2021"] and not (out / "alpha").exists()
    planned.clear()
    assert build(project, out, jobs=1).built == [] and planned == [[]]
    fresh_equal(project, out, tmp_path)


def test_a_renamed_or_added_file_of_a_year_rebuilds_it(tmp_path, later, planned):
    project = make_project(tmp_path / "proj")
    own = project / "content" / "alpha" / "2020" / "note.txt"
    own.parent.mkdir()
    own.write_text("甲", encoding="utf-8")
    out = tmp_path / "site"
    settled(project, out)
    own.rename(own.with_name("renamed.txt"))  # same bytes, another name
    planned.clear()
    result = build(project, out, jobs=1)
    assert planned == [["alpha"]] and [o.key for o in result.built] == ["alpha/2020"]
    (own.parent / "more.txt").write_text("乙", encoding="utf-8")
    result = build(project, out, jobs=1)
    assert [o.key for o in result.built] == ["alpha/2020"]
    (project / "tables" / "beta" / "2021.xlsx").rename(project / "tables" / "beta" / "2021.xls.bak")
    result = build(project, out, jobs=1)
    assert result.removed == ["beta/2021"] and not (out / "beta" / "2021").exists()


def test_a_shared_text_edit_plans_every_unit_in_full(tmp_path, later, planned):
    project = make_project(tmp_path / "proj")
    (project / "content" / "duties.md").write_text("共同的职责。\n", encoding="utf-8")
    out = tmp_path / "site"
    settled(project, out)
    path = project / "content" / "duties.md"
    keep_times(path, "共同的义务。\n".encode("utf-8"))  # as many bytes, the mtime put back
    planned.clear()
    result = build(project, out, jobs=1)
    assert planned == [list(UNITS)]
    assert [o.key for o in result.built] == [f"{u}/{YEARS[-1]}" for u in UNITS]  # earlier years keep theirs


def test_files_written_just_before_a_build_are_not_trusted_by_the_next(tmp_path, monkeypatch, planned):
    """Inside the racy window no summary is kept: the next build plans the unit in full."""
    project = make_project(tmp_path / "proj")
    out = tmp_path / "site"
    build(project, out, jobs=1)  # now: every file is younger than RACY_NS
    planned.clear()
    build(project, out, jobs=1)
    build(project, out, jobs=1)
    assert planned == [list(UNITS), list(UNITS)]
    real = time.time_ns
    monkeypatch.setattr(filecache, "_now_ns", lambda: real() + LATER)
    planned.clear()
    build(project, out, jobs=1)
    build(project, out, jobs=1)
    assert planned == [list(UNITS), []]


def test_a_unit_with_a_link_is_planned_in_full_every_time(tmp_path, later, planned):
    project = make_project(tmp_path / "proj")
    target = project / "texts" / "duties.md"  # inside the project: a link that leads out is refused
    target.parent.mkdir()
    target.write_text("链接的职责。\n", encoding="utf-8")
    (project / "content" / "beta" / "duties.md").symlink_to(target)
    out = tmp_path / "site"
    settled(project, out)
    planned.clear()
    build(project, out, jobs=1)
    assert planned == [["beta"]]
    target.write_text("改过的职责。\n", encoding="utf-8")  # the link's own stat data stays the same
    result = build(project, out, jobs=1)
    assert [o.key for o in result.built] == ["beta/2021"] and not result.failed


def test_a_missing_page_folder_or_result_rebuilds_its_unit_year(tmp_path, later):
    project = make_project(tmp_path / "proj")
    out = tmp_path / "site"
    settled(project, out)
    shutil.rmtree(out / "alpha" / "2021")
    (state_dir(out) / "results" / "gamma" / "2020.pickle").unlink()
    result = build(project, out, jobs=1)
    assert [o.key for o in result.built] == ["alpha/2021", "gamma/2020"]


def test_a_killed_build_leaves_its_mark_and_the_next_cleans_up(tmp_path, later):
    project = make_project(tmp_path / "proj")
    out = tmp_path / "site"
    settled(project, out)
    assert not (state_dir(out) / runner.WRITING).exists()
    swapped = out / "beta" / ".2021.old-12345"  # what a build killed while swapping a folder leaves
    swapped.mkdir()
    (swapped / "index.html").write_text("旧", encoding="utf-8")
    (state_dir(out) / runner.WRITING).touch()
    build(project, out, jobs=1)
    assert not swapped.exists() and not (state_dir(out) / runner.WRITING).exists()


def test_a_damaged_summary_file_plans_everything_in_full(tmp_path, later, planned):
    project = make_project(tmp_path / "proj")
    out = tmp_path / "site"
    settled(project, out)
    before = tree(out)
    (state_dir(out) / summary.NAME).write_bytes(b"\x80\x05not a pickle")
    planned.clear()
    result = build(project, out, jobs=1)
    assert planned == [list(UNITS)] and result.built == []
    assert tree(out) == before
