"""The files each unit-year wrote are kept apart from ``state.json`` (``written.json``), read only
when a build commits or removes something; a state of the earlier format (version 2, the lists in
``state.json``) is still read, and a removal deletes exactly the removed unit-year's files."""
from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from disclosure.batch import filecache, state as state_module
from disclosure.batch.state import FILES_NAME, STATE_NAME, load_state, state_dir
from tests.test_batch import UNITS, YEARS, build, make_project, tree

LATER = 10 * 10**9


@pytest.fixture
def later(monkeypatch):
    """Builds run well after the files were written (outside the racy window)."""
    real = time.time_ns
    monkeypatch.setattr(filecache, "_now_ns", lambda: real() + LATER)


def settled(project: Path, out: Path) -> None:
    build(project, out, jobs=1)
    build(project, out, jobs=1)


def to_version_2(out: Path) -> None:
    """Put the state folder back in the format of the builds before the lists were kept apart."""
    folder = state_dir(out)
    data = json.loads((folder / STATE_NAME).read_text(encoding="utf-8"))
    data["version"] = 2
    data["files"] = json.loads((folder / FILES_NAME).read_text(encoding="utf-8"))["files"]
    (folder / STATE_NAME).write_text(json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1) + "\n", encoding="utf-8")
    (folder / FILES_NAME).unlink()


def test_the_lists_are_apart_and_a_no_change_rebuild_never_reads_them(tmp_path, later, monkeypatch):
    project = make_project(tmp_path / "proj")
    out = tmp_path / "site"
    settled(project, out)
    folder = state_dir(out)
    assert "files" not in json.loads((folder / STATE_NAME).read_text(encoding="utf-8"))
    lists = json.loads((folder / FILES_NAME).read_text(encoding="utf-8"))["files"]
    assert set(lists) == {f"{u}/{y}" for u in UNITS for y in YEARS} | {"portal"}
    assert "alpha/2020/index.html" in lists["alpha/2020"] and lists["portal"] == ["index.html"]
    before = tree(out)
    stamps = {p.name: p.stat().st_mtime_ns for p in folder.iterdir() if p.is_file()}

    def refuse(path):
        raise AssertionError("a no-change rebuild read the files lists")

    monkeypatch.setattr(state_module, "_read_files", refuse)
    result = build(project, out, jobs=1)
    assert result.built == [] and result.skipped == len(UNITS) * len(YEARS)
    assert tree(out) == before
    assert {p.name: p.stat().st_mtime_ns for p in folder.iterdir() if p.is_file()} == stamps


@pytest.mark.parametrize("old_format", [False, True])
def test_a_removal_after_a_no_change_rebuild_deletes_exactly_its_files(tmp_path, later, old_format):
    project = make_project(tmp_path / "proj")
    out = tmp_path / "site"
    settled(project, out)
    mine = out / "alpha" / "2020" / "mine.txt"  # the user's own file in a unit-year's folder: never listed
    mine.write_text("自己的文件", encoding="utf-8")
    if old_format:
        to_version_2(out)
        assert load_state(out).files["alpha/2020"]  # the old format's lists are read
    again = build(project, out, jobs=1)
    assert again.built == [] and again.skipped == len(UNITS) * len(YEARS)  # the old state's digests still hold
    before = tree(out)
    (project / "tables" / "alpha" / "2020.xlsx").unlink()
    result = build(project, out, jobs=1)
    assert result.removed == ["alpha/2020"] and [o.key for o in result.built] == ["alpha/2021"]  # its years changed
    after = tree(out)
    gone = {k for k in before if k.startswith("alpha/2020/")} - {"alpha/2020/mine.txt"}
    assert gone and not gone & set(after)
    assert mine.read_text(encoding="utf-8") == "自己的文件"
    assert {k: v for k, v in before.items() if k.startswith(("beta/", "gamma/"))} == \
        {k: v for k, v in after.items() if k.startswith(("beta/", "gamma/"))}
    assert "alpha/2021/index.html" in after
    state = load_state(out)
    assert "alpha/2020" not in state.entries and "alpha/2020" not in state.files
    saved = json.loads((state_dir(out) / STATE_NAME).read_text(encoding="utf-8"))
    assert saved["version"] == state_module.STATE_VERSION and "files" not in saved  # written in the new format


def test_an_old_format_state_is_rewritten_in_the_new_one_by_the_next_build(tmp_path, later):
    project = make_project(tmp_path / "proj")
    out = tmp_path / "site"
    settled(project, out)
    folder = state_dir(out)
    new_state, new_lists = (folder / STATE_NAME).read_bytes(), (folder / FILES_NAME).read_bytes()
    to_version_2(out)
    result = build(project, out, jobs=1)
    assert result.built == []
    assert (folder / STATE_NAME).read_bytes() == new_state and (folder / FILES_NAME).read_bytes() == new_lists


def test_missing_lists_mean_a_removal_takes_the_whole_folder(tmp_path, later):
    """As a state from before the lists were kept: more removed, never a page left linked."""
    project = make_project(tmp_path / "proj")
    out = tmp_path / "site"
    settled(project, out)
    (state_dir(out) / FILES_NAME).unlink()
    (project / "tables" / "beta" / "2021.xlsx").unlink()
    result = build(project, out, jobs=1)
    assert result.removed == ["beta/2021"]
    assert not (out / "beta" / "2021").exists() and (out / "beta" / "2020" / "index.html").is_file()
    assert 'href="beta/2021/index.html"' not in (out / "index.html").read_text(encoding="utf-8")
    lists = json.loads((state_dir(out) / FILES_NAME).read_text(encoding="utf-8"))["files"]
    assert "beta/2020/index.html" in lists["beta/2020"]  # kept again from the unit-years built since
