"""Batch builds: one broken unit fails alone, unchanged unit-years are skipped, results are
byte-identical to a full rebuild, locally in a pool, inline and on a Dask LocalCluster. The builder
is the tests' own (``batch_support.sheet_pages``: a page per sheet as ``disclosure.load`` reads it)."""
from __future__ import annotations

import io
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from batch_support import list_portal, sheet_pages

from disclosure.batch import BatchOptions, run_batch
from disclosure.batch.digest import shared_digest, unit_year_digest
from disclosure.batch.progress import PlainReporter, make_reporter
from disclosure.batch.state import load_state, read_result, state_dir
from disclosure.errors import ConfigError, InputError, Problem
from disclosure.project import load_project

UNITS = ("alpha", "beta", "gamma")
YEARS = (2020, 2021)


def write_workbook(path: Path, amount: float, title: str = "收入支出决算总表") -> None:
    import openpyxl

    path.parent.mkdir(parents=True, exist_ok=True)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    ws.append([title])
    ws.append(["项目", "决算数"])
    ws.append(["本年收入合计", amount])
    wb.save(path)


def make_project(root: Path) -> Path:
    for n, unit in enumerate(UNITS):
        for year in YEARS:
            write_workbook(root / "tables" / unit / f"{year}.xlsx", 100 + n * 10 + year % 10)
        (root / "content" / unit).mkdir(parents=True)
        (root / "content" / unit / "unit.toml").write_text(f'name = "{unit}单位"\n', encoding="utf-8")
    return root


def tree(root: Path) -> dict[str, bytes]:
    """Every file of a site with its bytes, and the build state kept beside it."""
    files = {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}
    state = state_dir(root) / "state.json"
    if root.name != "state" and state.exists():
        files["<state>"] = state.read_bytes()
    return files


def options(**kw) -> BatchOptions:
    """The batch options of these tests: their own builder and portal unless told otherwise."""
    kw.setdefault("portal", list_portal)
    return BatchOptions(kw.pop("builder", sheet_pages), **kw)


def build(root: Path, out: Path, **kw) -> object:
    return run_batch(load_project(root), out, options(**kw))


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "proj")


def test_cold_build_publishes_every_unit_year_in_a_pool(project, tmp_path):
    out = tmp_path / "site"
    summary = build(project, out, jobs=2)
    assert summary.exit_code == 0
    assert [o.key for o in summary.built] == [f"{u}/{y}" for u in UNITS for y in YEARS]
    assert summary.skipped == 0 and summary.total == 6 and summary.portal_written
    page = (out / "beta" / "2021" / "index.html").read_text(encoding="utf-8")
    assert "beta单位 2021年度决算" in page
    table = (out / "beta" / "2021" / "tables" / "01.html").read_text(encoding="utf-8")
    assert "<td>本年收入合计</td><td>111</td>" in table
    portal = (out / "index.html").read_text(encoding="utf-8")
    assert portal.count("<li>") == 6 and 'href="gamma/2020/index.html"' in portal
    assert read_result(out, "alpha", 2020).name == "alpha单位"
    assert state_dir(out) == tmp_path / ".site-build-state"  # beside the site, never published
    assert not (state_dir(out) / "staging").exists()
    assert sorted(p.name for p in out.iterdir()) == ["alpha", "beta", "gamma", "index.html"]


def test_broken_workbook_fails_only_its_unit_and_keeps_its_pages(project, tmp_path):
    out = tmp_path / "site"
    build(project, out, jobs=2)
    before = tree(out / "beta" / "2021")
    (project / "tables" / "beta" / "2021.xlsx").write_bytes(b"PK\x03\x04 broken")
    write_workbook(project / "tables" / "alpha" / "2021.xlsx", 999)
    summary = build(project, out, jobs=2)
    assert summary.exit_code == 1  # one unit failed while the rest was published (2 only when nothing could be read)
    assert [o.key for o in summary.failed] == ["beta/2021"]
    problem = summary.failed[0].problems[0]
    assert problem.startswith("tables/beta/2021.xlsx：文件已损坏或不完整")
    assert tree(out / "beta" / "2021") == before  # previously published pages kept as they were
    assert "<td>999</td>" in (out / "alpha" / "2021" / "tables" / "01.html").read_text(encoding="utf-8")
    assert 'href="beta/2021/index.html"' in (out / "index.html").read_text(encoding="utf-8")
    assert load_state(out).entries["beta/2021"].digest is None  # tried again next time
    again = build(project, out, jobs=2)
    assert [o.key for o in again.failed] == ["beta/2021"] and again.built == []


def test_never_published_broken_unit_is_not_linked(project, tmp_path):
    (project / "tables" / "delta").mkdir()
    (project / "tables" / "delta" / "2021.xlsx").write_text("not a workbook", encoding="utf-8")
    out = tmp_path / "site"
    summary = build(project, out, jobs=2)
    assert summary.exit_code == 1 and [o.key for o in summary.failed] == ["delta/2021"]
    assert len(summary.built) == 6
    assert not (out / "delta").exists()
    portal = (out / "index.html").read_text(encoding="utf-8")
    assert "delta" not in portal and portal.count("<li>") == 6


def test_no_change_rebuild_builds_nothing_and_is_byte_identical(project, tmp_path):
    out = tmp_path / "site"
    build(project, out, jobs=2)
    first = tree(out)
    summary = build(project, out, jobs=2)
    assert summary.built == [] and summary.failed == [] and summary.skipped == 6
    assert not summary.portal_written
    assert tree(out) == first


def test_changing_one_units_content_rebuilds_only_that_unit(project, tmp_path):
    out = tmp_path / "site"
    build(project, out, jobs=2)
    (project / "content" / "gamma" / "unit.toml").write_text('name = "丙单位"\n', encoding="utf-8")
    summary = build(project, out, jobs=2)  # the unit's newest year follows its default texts …
    assert [o.key for o in summary.built] == ["gamma/2021"] and summary.skipped == 5
    assert [k.key for k in summary.texts_kept] == ["gamma/2020"]  # … a published earlier year keeps them
    summary = build(project, out, jobs=2, republish=frozenset({2020}))
    assert [o.key for o in summary.built] == ["gamma/2020"] and summary.texts_kept == []
    assert "丙单位 2021年度" in (out / "index.html").read_text(encoding="utf-8")
    # a year's own content touches that unit-year only
    (project / "content" / "alpha" / "2021").mkdir()
    (project / "content" / "alpha" / "2021" / "reasons.toml").write_text('[reasons]\nx = "因人员增加"\n', encoding="utf-8")
    assert [o.key for o in build(project, out, jobs=2).built] == ["alpha/2021"]
    # the prior year's tables feed the comparison: 2020 changed → 2020 and 2021 rebuilt
    write_workbook(project / "tables" / "beta" / "2020.xlsx", 1)
    assert [o.key for o in build(project, out, jobs=2).built] == ["beta/2020", "beta/2021"]
    # shared content touches every newest year, and the earlier ones when republished; settings all
    (project / "content" / "glossary.md").write_text("名词解释\n", encoding="utf-8")
    assert [o.key for o in build(project, out, jobs=2).built] == ["alpha/2021", "beta/2021", "gamma/2021"]
    assert len(build(project, out, jobs=2, republish=frozenset({2020})).built) == 3
    (project / "disclosure.toml").write_text('[site]\nname = "某市决算公开专栏"\n', encoding="utf-8")
    assert len(build(project, out, jobs=2).built) == 6
    # the incremental site is byte-identical to a full build from scratch
    fresh = tmp_path / "fresh"
    build(project, fresh, jobs=2)
    assert tree(out) == tree(fresh)


def test_missing_pages_or_results_are_rebuilt(project, tmp_path):
    out = tmp_path / "site"
    build(project, out, jobs=2)
    first = tree(out)
    shutil.rmtree(out / "alpha" / "2020")
    (state_dir(out) / "results" / "gamma" / "2021.pickle").unlink()
    summary = build(project, out, jobs=2)
    assert [o.key for o in summary.built] == ["alpha/2020", "gamma/2021"]
    assert tree(out) == first


def test_force_rebuilds_everything_with_the_same_bytes(project, tmp_path):
    out = tmp_path / "site"
    build(project, out, jobs=2)
    first = tree(out)
    summary = build(project, out, jobs=2, force=True)
    assert len(summary.built) == 6 and summary.skipped == 0 and summary.portal_written
    assert tree(out) == first


def test_inline_and_pool_builds_are_identical(project, tmp_path):
    build(project, tmp_path / "one", jobs=1)
    build(project, tmp_path / "two", jobs=2)
    assert tree(tmp_path / "one") == tree(tmp_path / "two")


def test_removed_unit_year_leaves_the_site(project, tmp_path):
    out = tmp_path / "site"
    build(project, out, jobs=2)
    (project / "tables" / "alpha" / "2020.xlsx").unlink()
    shutil.rmtree(project / "tables" / "gamma")
    summary = build(project, out, jobs=2)
    assert summary.removed == ["alpha/2020", "gamma/2020", "gamma/2021"]
    assert not (out / "alpha" / "2020").exists() and not (out / "gamma").exists()
    assert summary.built == [] or [o.key for o in summary.built] == ["alpha/2021"]
    fresh = tmp_path / "fresh"
    build(project, fresh, jobs=2)
    assert tree(out) == tree(fresh)


def test_digest_follows_exactly_the_inputs_of_a_unit_year(project):
    proj = load_project(project)
    shared = shared_digest(proj)
    before = {(u, y): unit_year_digest(proj, u, y, shared) for u in UNITS for y in YEARS}
    (project / "content" / "beta" / "duties.md").write_text("职能\n", encoding="utf-8")
    after = {(u, y): unit_year_digest(proj, u, y, shared) for u in UNITS for y in YEARS}
    assert {k for k in before if before[k] != after[k]} == {("beta", 2020), ("beta", 2021)}
    assert shared_digest(proj, "public=True") != shared
    (project / "theme").mkdir()
    (project / "theme" / "site.css").write_text("body{}", encoding="utf-8")
    assert shared_digest(proj) != shared


# Builders for error paths (module-level, as the batch needs).
@dataclass
class Refused:
    unit: str
    year: int
    status: str = "refused"
    errors: list = field(default_factory=list)


@dataclass
class FakeFinding:
    message: str
    cells: tuple = ()


def flaky_builder(project, unit, year, out_dir, options=None):
    if unit == "alpha" and year == 2021:
        raise ZeroDivisionError("division by zero")
    if unit == "beta" and year == 2020:
        from disclosure.model import CellRef

        return Refused(unit, year, errors=[FakeFinding("收入总计与支出总计不等。", (CellRef("tables/beta/2020.xlsx", "收入支出决算总表", "B3"),))])
    if unit == "gamma":
        raise InputError(Problem("找不到“支出决算表”。", file=f"tables/{unit}/{year}.xlsx"))
    return sheet_pages(project, unit, year, out_dir, options)


def test_bugs_refusals_and_input_errors_fail_their_unit_only(project, tmp_path):
    out = tmp_path / "site"
    summary = build(project, out, jobs=1, builder=flaky_builder)
    failed = {o.key: o for o in summary.failed}
    assert sorted(failed) == ["alpha/2021", "beta/2020", "gamma/2020", "gamma/2021"]
    assert "内部错误（ZeroDivisionError: division by zero）" in failed["alpha/2021"].problems[0]
    assert "ZeroDivisionError" in failed["alpha/2021"].detail
    assert failed["beta/2020"].problems[0].startswith("有 1 项校验错误，未发布（已发布的页面保持不变）。")
    assert failed["beta/2020"].problems[1:] == ["tables/beta/2020.xlsx，收入支出决算总表!B3：收入总计与支出总计不等。"]
    assert [failed[k].exit_code for k in sorted(failed)] == [1, 1, 2, 2]
    assert summary.exit_code == 1
    assert failed["gamma/2021"].problems == ["tables/gamma/2021.xlsx：找不到“支出决算表”。"]
    assert [o.key for o in summary.built] == ["alpha/2020", "beta/2021"]
    assert sorted(p.name for p in out.iterdir()) == ["alpha", "beta", "index.html"]
    assert not (out / "beta" / "2020").exists()


def test_plain_lines_and_a_summary_when_output_is_not_a_terminal(project, tmp_path, capsys):
    (project / "tables" / "beta" / "2021.xlsx").write_bytes(b"broken")
    code = run_batch(load_project(project), tmp_path / "site", options(jobs=2), make_reporter()).exit_code
    captured = capsys.readouterr()
    out, err = captured.out.splitlines(), captured.err.splitlines()
    assert code == 1
    assert out[0] == "共 6 个单位年度：需生成 6 个，未改动跳过 0 个。"
    assert sum(line.startswith("[") and " 完成 " in line for line in out) == 5
    assert any(line.startswith("[") and line.endswith("失败 beta/2021（1 条错误，详见末尾）") for line in out)
    assert sum("不是电子表格文件" in line for line in out + err) == 1  # said once, in the list at the end
    assert any(line.startswith("汇总：共 6 个单位年度，生成 5 个，失败 1 个，未改动跳过 0 个") for line in out)
    assert "生成门户首页与站内搜索索引……" in out
    assert err[:2] == ["未能生成的单位年度（其已发布的页面保持不变，门户只链接已发布的内容）：", "  beta/2021"]
    assert err[2].startswith("    错误：tables/beta/2021.xlsx：不是电子表格文件")
    code = run_batch(load_project(project), tmp_path / "site", options(), make_reporter()).exit_code
    assert code == 1  # the other five are still published (skipped as unchanged)
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "共 6 个单位年度：需生成 1 个，未改动跳过 5 个。"
    assert "生成门户首页与站内搜索索引……" not in out  # nothing published changed: portal left as it was


def test_bad_jobs_and_unreachable_scheduler_are_config_errors(project, tmp_path, monkeypatch, capsys):
    from disclosure.cli import main

    monkeypatch.setattr("disclosure.batch.executors.CONNECT_TIMEOUT", "0.5s")
    assert main(["build", str(project), "--out", str(tmp_path / "site"), "--jobs", "0"]) == 2
    assert "--jobs 必须是正整数。" in capsys.readouterr().err
    with pytest.raises(ConfigError, match="无法连接 Dask 调度器"):
        build(project, tmp_path / "site", scheduler="tcp://127.0.0.1:9")


def test_plain_reporter_lists_failures_with_every_problem(project, tmp_path):
    (project / "tables" / "gamma" / "2020.xlsx").write_bytes(b"")
    stream = io.StringIO()
    summary = run_batch(load_project(project), tmp_path / "site", options(jobs=2), PlainReporter(stream))
    text = stream.getvalue()
    assert summary.exit_code == 1
    assert "未能生成的单位年度（其已发布的页面保持不变，门户只链接已发布的内容）：\n  gamma/2020\n    错误：tables/gamma/2020.xlsx：不是电子表格文件" in text


@pytest.mark.dask
def test_dask_local_cluster_build_is_byte_identical(project, tmp_path):
    import distributed
    (project / "tables" / "beta" / "2020.xlsx").write_bytes(b"broken")
    build(project, tmp_path / "local", jobs=2)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        summary = build(project, tmp_path / "dask", scheduler=cluster.scheduler_address)
    assert [o.key for o in summary.failed] == ["beta/2020"] and len(summary.built) == 5
    assert tree(tmp_path / "dask") == tree(tmp_path / "local")


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_terminal_gets_a_progress_bar_and_a_summary_table(project, tmp_path, monkeypatch):
    import re

    from disclosure.batch.progress import RichReporter, make_reporter

    monkeypatch.setenv("COLUMNS", "240")

    (project / "tables" / "alpha" / "2021.xlsx").write_bytes(b"broken")
    stream = Terminal()
    reporter = make_reporter(stream)
    assert isinstance(reporter, RichReporter) and isinstance(make_reporter(io.StringIO()), PlainReporter)
    summary = run_batch(load_project(project), tmp_path / "site", options(jobs=2), reporter)
    text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", stream.getvalue())
    assert summary.exit_code == 1
    assert "生成 " in text and "6/6" in text  # the bar reached its end
    assert "生成汇总" in text and "单位年度总数" in text
    assert "失败 alpha/2021（1 条错误，详见末尾）" in text and text.count("不是电子表格文件") == 1
    assert "  alpha/2021\n    错误：tables/alpha/2021.xlsx：不是电子表格文件" in text
    rows = {line.split("│")[1].strip(): line.split("│")[2].strip() for line in text.splitlines() if line.count("│") == 3}
    assert rows["单位年度总数"] == "6" and rows["本次生成"] == "5" and rows["失败"] == "1" and rows["未改动跳过"] == "0"


def test_package_fingerprint_covers_the_builtin_theme():
    from disclosure.batch.digest import builtin_theme_dir

    theme = builtin_theme_dir()
    assert theme is not None and (theme / "templates" / "base.html").is_file()


def test_a_second_build_into_the_same_site_is_refused_while_one_runs(project, tmp_path):
    from disclosure.batch.state import build_lock

    out = tmp_path / "site"
    with build_lock(out):
        with pytest.raises(ConfigError, match="另一个生成正在写入"):
            build(project, out, jobs=1)
    assert build(project, out, jobs=1).exit_code == 0  # released


def crashing_builder(project, unit, year, out_dir, options=None):
    if (unit, year) == ("beta", 2020):
        os._exit(3)  # a worker killed by a crash or by the memory killer
    return sheet_pages(project, unit, year, out_dir, options)


def test_a_unit_year_that_kills_its_worker_fails_alone(project, tmp_path):
    out = tmp_path / "site"
    summary = build(project, out, jobs=2, builder=crashing_builder)
    assert [o.key for o in summary.failed] == ["beta/2020"]
    assert "进程意外退出" in summary.failed[0].problems[0]
    assert len(summary.built) == 5 and summary.exit_code == 1
    assert not (out / "beta" / "2020").exists() and (out / "beta" / "2021" / "index.html").is_file()


def test_exit_code_is_2_only_when_no_other_unit_is_published(project, tmp_path):
    """A unit's broken workbook with no other unit to publish is unreadable input (2); among other units, 1."""
    only = {("beta", 2021), ("beta", 2020)}
    (project / "tables" / "beta" / "2021.xlsx").write_bytes(b"PK\x03\x04 broken")
    summary = run_batch(load_project(project), tmp_path / "site", options(jobs=1, only=only))
    assert [o.key for o in summary.failed] == ["beta/2021"] and [o.key for o in summary.built] == ["beta/2020"]
    assert summary.exit_code == 2
    summary = run_batch(load_project(project), tmp_path / "site2", options(jobs=1))
    assert summary.exit_code == 1 and len(summary.built) == 5


def test_build_lock_on_windows_uses_msvcrt_on_the_lock_file(tmp_path, monkeypatch):
    """Without fcntl (Windows) the lock is msvcrt's non-blocking byte lock, released afterwards,
    and a lock already held is the same Chinese refusal as on Linux."""
    import sys
    import types

    from disclosure.batch.state import build_lock
    from disclosure.errors import ConfigError

    calls: list[tuple[int, int]] = []
    held = {"now": False}
    fake = types.SimpleNamespace(LK_NBLCK=2, LK_UNLCK=0)

    def locking(fd: int, mode: int, nbytes: int) -> None:
        if mode == fake.LK_NBLCK and held["now"]:
            raise OSError(36, "Resource deadlock avoided")
        held["now"] = mode == fake.LK_NBLCK
        calls.append((mode, nbytes))

    fake.locking = locking
    monkeypatch.setitem(sys.modules, "fcntl", None)  # import fcntl → ImportError, as on Windows
    monkeypatch.setitem(sys.modules, "msvcrt", fake)
    out = tmp_path / "site"
    with build_lock(out):
        assert held["now"]
        with pytest.raises(ConfigError, match="另一个生成正在写入"):
            with build_lock(out):
                pass
    assert calls == [(2, 1), (0, 1)] and not held["now"]
