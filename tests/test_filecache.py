"""The stat-data cache of the batch build: a rebuild trusts a file whose size, times, inode and device
are what an earlier build saw (it reads no file's content when nothing changed), and reads again a
file edited since, even when the edit kept its size and modification time."""
from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from disclosure.batch import filecache
from disclosure.batch.filecache import FileCache
from tests.test_batch import UNITS, YEARS, build, make_project, tree

LATER = 10 * 10**9  # the next build runs 10 s after the files were written


@pytest.fixture
def later(monkeypatch):
    """Builds run well after the files were written (outside the racy window of ``RACY_NS``)."""
    real = time.time_ns
    monkeypatch.setattr(filecache, "_now_ns", lambda: real() + LATER)


def digest_calls(monkeypatch) -> list[str]:
    """Count the values the cache computes from a file's bytes."""
    calls: list[str] = []
    real = FileCache.value

    def value(self, path, kind, compute):
        def counted(p):
            calls.append(f"{kind}:{Path(p).name}")
            return compute(p)
        return real(self, path, kind, counted)

    monkeypatch.setattr(FileCache, "value", value)
    return calls


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def keep_times(path: Path, data: bytes) -> None:
    """Rewrite a file in place with the same size, then put its modification time back."""
    info = path.stat()
    assert len(data) == info.st_size
    with open(path, "r+b") as f:
        f.write(data)
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))
    assert path.stat().st_mtime_ns == info.st_mtime_ns and path.stat().st_size == info.st_size


def test_a_file_unchanged_since_an_earlier_build_is_not_read_again(tmp_path, later, monkeypatch):
    path = tmp_path / "a.txt"
    path.write_text("甲乙丙", encoding="utf-8")
    first = FileCache(tmp_path / "state")
    assert first.value(path, "bytes", lambda p: p.read_text(encoding="utf-8")) == "甲乙丙"
    first.save()
    second = FileCache(tmp_path / "state")
    assert second.value(path, "bytes", lambda p: pytest.fail("read again")) == "甲乙丙"
    assert second.computed == 0 and not second.changed()


def test_an_edit_keeping_size_and_mtime_is_read_again(tmp_path, later):
    path = tmp_path / "a.txt"
    path.write_bytes(b"aaaa")
    first = FileCache(tmp_path / "state")
    first.value(path, "bytes", read)
    first.save()
    keep_times(path, b"bbbb")  # the change time moves: no program can set it back
    assert FileCache(tmp_path / "state").value(path, "bytes", read) == "bbbb"


def test_a_file_written_just_before_the_build_is_read_again_on_a_coarse_clock(tmp_path, monkeypatch):
    """On a file system whose times tick in seconds and whose change time does not help (simulated
    here), two writes of the same size in one tick give the same stat data: an entry is kept only
    for a file whose times are more than RACY_NS older than the build that read it."""
    monkeypatch.setattr(filecache, "_signature", lambda info: [info.st_size, info.st_mtime_ns // 10**9, info.st_ino])
    path = tmp_path / "a.txt"
    path.write_bytes(b"aaaa")
    first = FileCache(tmp_path / "state")  # the build starts right after the write
    first.value(path, "bytes", read)
    first.save()
    keep_times(path, b"bbbb")
    assert FileCache(tmp_path / "state").value(path, "bytes", read) == "bbbb"


def test_another_project_folder_starts_afresh(tmp_path, later):
    path = tmp_path / "a.txt"
    path.write_bytes(b"aaaa")
    first = FileCache(tmp_path / "state", scope="/one")
    first.value(path, "bytes", lambda p: "one")
    first.save()
    assert FileCache(tmp_path / "state", scope="/two").value(path, "bytes", lambda p: "two") == "two"


def test_no_change_rebuild_reads_no_input_file(tmp_path, later, monkeypatch):
    from disclosure.batch.digest import package_fingerprint

    project = make_project(tmp_path / "proj")
    (project / "content" / "beta" / "duties.md").write_text("职能\n", encoding="utf-8")
    out = tmp_path / "site"
    package_fingerprint.cache_clear()  # as in a fresh process: the package's files are recorded too
    build(project, out, jobs=1)
    build(project, out, jobs=1)  # the earlier years' pins are recorded by the first build: seen once
    before = tree(out)
    cache_file = filecache.NAME
    stamp = (out.parent / ".site-build-state" / cache_file).stat().st_mtime_ns
    package_fingerprint.cache_clear()  # a fresh process: the package's own files go through the cache
    calls = digest_calls(monkeypatch)
    summary = build(project, out, jobs=1)
    assert summary.built == [] and summary.skipped == len(UNITS) * len(YEARS)
    assert calls == []
    assert tree(out) == before
    assert (out.parent / ".site-build-state" / cache_file).stat().st_mtime_ns == stamp  # not rewritten


def test_touched_but_identical_files_rebuild_nothing(tmp_path, later, monkeypatch):
    project = make_project(tmp_path / "proj")
    out = tmp_path / "site"
    build(project, out, jobs=1)
    build(project, out, jobs=1)
    before = tree(out)
    touched = [project / "tables" / "beta" / "2021.xlsx", project / "content" / "beta" / "unit.toml"]
    for path in touched:
        os.utime(path)  # new modification time, same bytes
    calls = digest_calls(monkeypatch)
    summary = build(project, out, jobs=1)
    assert summary.built == [] and summary.skipped == len(UNITS) * len(YEARS)
    # read again, found the same (a kept-texts record the build wrote is digested the first time the
    # unit is planned in full after it: it is not an input)
    assert sorted({c for c in calls if not c.startswith("pins:")}) == ["bytes:2021.xlsx", "text:unit.toml"]
    assert tree(out) == before


def test_edits_keeping_size_and_mtime_rebuild_their_unit_year(tmp_path, later):
    project = make_project(tmp_path / "proj")
    out = tmp_path / "site"
    build(project, out, jobs=1)
    build(project, out, jobs=1)
    unit_toml = project / "content" / "beta" / "unit.toml"
    keep_times(unit_toml, unit_toml.read_bytes().replace("单位".encode(), "部门".encode()))
    summary = build(project, out, jobs=1)
    assert [o.key for o in summary.built] == ["beta/2021"]  # 2020 keeps the texts it was published with
    assert "beta部门 2021年度决算" in (out / "beta" / "2021" / "index.html").read_text(encoding="utf-8")
    assert "beta单位 2020年度决算" in (out / "beta" / "2020" / "index.html").read_text(encoding="utf-8")

    own = project / "content" / "gamma" / "2020" / "note.txt"  # a year's own file: counted by its bytes
    own.parent.mkdir()
    own.write_bytes(b"first")
    summary = build(project, out, jobs=1)
    assert [o.key for o in summary.built] == ["gamma/2020"]
    keep_times(own, b"other")
    summary = build(project, out, jobs=1)
    assert [o.key for o in summary.built] == ["gamma/2020"]
    assert build(project, out, jobs=1).built == []


def test_a_rebuild_after_edits_equals_a_fresh_build(tmp_path, later):
    project = make_project(tmp_path / "proj")
    out = tmp_path / "site"
    build(project, out, jobs=1)
    build(project, out, jobs=1)
    unit_toml = project / "content" / "alpha" / "unit.toml"
    keep_times(unit_toml, unit_toml.read_bytes().replace("单位".encode(), "部门".encode()))
    build(project, out, jobs=1)
    fresh = tmp_path / "fresh"
    build(project, fresh, jobs=1)  # pins: 2020 of a fresh build follows the files; so compare the newest year
    for unit in UNITS:
        site = {k: v for k, v in tree(out).items() if k.startswith(f"{unit}/2021/")}
        assert site == {k: v for k, v in tree(fresh).items() if k.startswith(f"{unit}/2021/")}
    assert YEARS[-1] == 2021
