"""Benchmark of a finance bureau's batch build against the floor.

    python benchmarks/run.py                      # 200 units × 1 year, a few minutes
    python benchmarks/run.py --units 1000         # the target size
    python benchmarks/run.py --units 300 --years 2 --jobs 2 --workdir /tmp/bench --keep

Generates N synthetic units (``synth.py``: consistent random accounts in the template layout,
``--distinct`` different workbooks per year cycled, each unit its own copy with its own name and
content), then times, each in a fresh process of the command line:

    cold          a build into an empty folder
    noop          the same build again, nothing changed
    one_changed   after editing one unit's content
    single_cli    one unit-year alone (its own one-unit project), cold

and the floor on the same files in the same run: every workbook read with python-calamine (all
sheets) plus writing as many files and bytes as the cold build wrote, on the same number of
processes; and the bytes' own cost: the floor plus the theme's page templates and grid macros
rendered again from the contexts recorded while building ``--sample`` unit-years (``bytes_cost.py``).
With ``--before REV`` the cold build also runs with the code of that commit, interleaved with the
tree's (``--rounds``). Prints a table, then as its last line one JSON object.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from benchmarks.synth import synth_accounts, unit_copy, write_filled_workbook  # noqa: E402

LAST_YEAR = 2021


def _make_template(job: tuple[str, int, int]) -> str:
    path, seed, year = job
    write_filled_workbook(Path(path), seed, year)
    return path


def unit_name(n: int) -> str:
    return f"示范市第{n:04d}号预算单位"


def generate(root: Path, units: int, years: int, distinct: int, jobs: int) -> int:
    """Write the synthetic project; returns the number of unit-years."""
    cache = root / ".templates"
    cache.mkdir(parents=True, exist_ok=True)
    year_list = list(range(LAST_YEAR - years + 1, LAST_YEAR + 1))
    work = [(str(cache / f"{y}-{i:02d}.xlsx"), i, y) for y in year_list for i in range(min(distinct, units))]
    with ProcessPoolExecutor(jobs) as pool:
        list(pool.map(_make_template, work))
    templates = {(y, i): (cache / f"{y}-{i:02d}.xlsx").read_bytes() for _, i, y in work}
    empty_three = {(y, i) for _, i, y in work if "three_public" not in synth_accounts(i, y)}
    (root / "disclosure.toml").write_text('[site]\nname = "示范市部门决算公开专栏"\norganizer = "示范市财政局"\n', encoding="utf-8")
    for n in range(units):
        slug = f"u{n:04d}"
        seed = n % len(templates and {i for _, i in templates})
        content = root / "content" / slug
        content.mkdir(parents=True, exist_ok=True)
        (content / "unit.toml").write_text(f'name = "{unit_name(n)}"\n', encoding="utf-8")
        (content / "duties.md").write_text(f"{unit_name(n)}主要负责本地区相关行政管理和公共服务工作。\n", encoding="utf-8")
        (content / "organization.md").write_text("本单位内设综合科、业务科、财务科3个科室，下属单位0个。\n", encoding="utf-8")
        for y in year_list:
            path = root / "tables" / slug / f"{y}.xlsx"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(unit_copy(templates[(y, seed)], unit_name(n)))
            if (y, seed) in empty_three:
                (content / str(y)).mkdir(exist_ok=True)
                (content / str(y) / "empty-three_public.md").write_text("本单位本年度无“三公”经费支出，故本表为空表。\n", encoding="utf-8")
            if y != year_list[0]:  # each year's accounts are drawn afresh: its opening balances are not last year's closing
                (content / str(y)).mkdir(exist_ok=True)
                (content / str(y) / "reasons.toml").write_text(
                    '[reasons]\n"opening_balance.adjustment" = "合成数据：各年度分别生成，年初结转和结余按本年数据调整"\n', encoding="utf-8")
    shutil.rmtree(cache)
    return units * len(year_list)


def build_command(project: Path, out: Path, jobs: int, kit: bool = False) -> list[str]:
    """The command line of one build; the site without its publication kit unless ``kit`` (the
    kit's cost is measured on its own by ``kit.py``, so these figures stay comparable)."""
    return [sys.executable, "-m", "disclosure", "build", str(project), "--out", str(out), "--jobs", str(jobs),
            *(() if kit else ("--no-kit",))]


def snapshot_code(work: Path, revision: str | None = None, name: str = "code") -> dict[str, str]:
    """Copy the package into the work folder and compile its bytecode (as pip does on install), so
    that edits to the source tree during the run neither change the digests nor the timings; returns
    the environment that runs the copy. With ``revision``, the package and theme of that commit of
    the repository (``git archive``) instead of the working tree."""
    code = work / name
    if revision is not None:
        code.mkdir(parents=True)
        archive = subprocess.run(["git", "-C", str(HERE.parent), "archive", revision, "disclosure", "theme"],
                                 stdout=subprocess.PIPE, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(code)], input=archive, check=True)
    else:
        shutil.copytree(HERE.parent / "disclosure", code / "disclosure", symlinks=True, ignore=shutil.ignore_patterns("__pycache__"))
        if (HERE.parent / "theme").is_dir():  # the built-in theme (disclosure/theme may link to it)
            shutil.copytree(HERE.parent / "theme", code / "theme")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(code)], env=env, stdout=subprocess.DEVNULL, check=True)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(code), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep))
    return env


CPU: dict[str, float] = {}  # CPU seconds (user + sys, workers included) of each timed command


ENV: dict[str, str] | None = None  # environment of the timed commands (the code snapshot)


OUTPUT: dict[str, str] = {}  # what each timed command printed
DASK = None  # the Client of the benchmark's LocalCluster (--dask): its workers' CPU is added to each build's


def _worker_usage() -> tuple[float, float]:
    """CPU seconds and peak RSS (MB) of the process it runs in (a Dask worker)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def dask_usage() -> tuple[float, float]:
    """Total CPU seconds of the LocalCluster's workers so far, and the largest worker's peak RSS."""
    if DASK is None:
        return 0.0, 0.0
    usage = DASK.run(_worker_usage).values()
    return sum(u[0] for u in usage), max((u[1] for u in usage), default=0.0)


def built_count(name: str) -> tuple[int, int]:
    """How many unit-years the named build built and how many failed, from its summary line."""
    found = re.findall(r"生成 (\d+) 个，失败 (\d+) 个", OUTPUT.get(name, ""))
    return (int(found[-1][0]), int(found[-1][1])) if found else (0, 0)


def timed(cmd: list[str], log: Path, name: str = "") -> tuple[float, int, float]:
    """Wall seconds, exit code and peak RSS (MB, the largest process: the command or a worker)."""
    with open(log, "ab") as out:
        out.write(("\n$ " + " ".join(cmd) + "\n").encode())
        out.flush()
        offset = out.tell()
        workers_before = dask_usage()[0]
        start = time.perf_counter()
        # not from the repository: ``python -m`` puts the working folder first on sys.path
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=ENV, cwd=log.parent)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if name:
        CPU[name] = usage.ru_utime + usage.ru_stime + dask_usage()[0] - workers_before
        with open(log, "rb") as written:
            written.seek(offset)
            OUTPUT[name] = written.read().decode("utf-8", errors="replace")
    return seconds, proc.returncode, usage.ru_maxrss / 1024


def _floor_task(job: tuple[str, str, int, int]) -> int:
    """Read one workbook with calamine (every sheet) and write ``files`` files of ``size`` bytes."""
    import python_calamine

    src, dst, files, size = job
    book = python_calamine.CalamineWorkbook.from_path(src)
    cells = 0
    for name in book.sheet_names:
        rows = book.get_sheet_by_name(name).to_python()
        cells += sum(len(r) for r in rows)
    folder = Path(dst)
    folder.mkdir(parents=True, exist_ok=True)
    chunk = b"x" * (size // max(files, 1))
    for i in range(files):
        (folder / f"{i}.html").write_bytes(chunk)
    return cells


def floor(project: Path, out: Path, jobs: int, files: int, size: int) -> float:
    """The floor: calamine reads plus writing the same bytes, on ``jobs`` processes."""
    workbooks = sorted(project.glob("tables/*/*.xlsx"))
    work = [(str(p), str(out / p.parent.name / p.stem), files, size) for p in workbooks]
    start = time.perf_counter()
    cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
    with ProcessPoolExecutor(jobs) as pool:
        list(pool.map(_floor_task, work, chunksize=8))
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    CPU["floor"] = after.ru_utime + after.ru_stime - cpu.ru_utime - cpu.ru_stime
    return time.perf_counter() - start


def bytes_cost(project: Path, sample: int) -> dict:
    """The templates' own cost (``bytes_cost.py``, in the code snapshot): the theme's page templates
    and grid macros rendered again from the contexts recorded while building ``sample`` unit-years."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = subprocess.run([sys.executable, str(HERE / "bytes_cost.py"), str(project), "--sample", str(sample)],
                         env=ENV, stdout=subprocess.PIPE, check=True, cwd=project.parent).stdout
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    CPU["bytes_cost"] = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return json.loads(out.decode().strip().splitlines()[-1])


def site_size(out: Path) -> tuple[int, int]:
    files = [p for p in out.rglob("*") if p.is_file() and ".disclosure-build" not in p.parts]
    return len(files), sum(p.stat().st_size for p in files)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=200)
    parser.add_argument("--years", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=len(os.sched_getaffinity(0)))
    parser.add_argument("--distinct", type=int, default=20, help="distinct workbooks per year, cycled over the units")
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--keep", action="store_true", help="keep the generated project and sites")
    parser.add_argument("--before", metavar="REVISION", default=None,
                        help="also build cold with the code of this commit (a snapshot), interleaved with the tree's, --rounds times")
    parser.add_argument("--rounds", type=int, default=1, help="cold builds of each code with --before (order alternating)")
    parser.add_argument("--sample", type=int, default=20, help="unit-years whose template calls are recorded for the bytes' cost")
    parser.add_argument("--dask", action="store_true",
                        help="build on a Dask LocalCluster of --jobs single-threaded worker processes (--scheduler)")
    args = parser.parse_args(argv)

    work = args.workdir or Path(tempfile.mkdtemp(prefix="disclosure-bench-"))
    shutil.rmtree(work, ignore_errors=True)
    project, site, log = work / "project", work / "site", work / "build.log"
    work.mkdir(parents=True)
    t = time.perf_counter()
    unit_years = generate(project, args.units, args.years, args.distinct, args.jobs)
    gen_s = time.perf_counter() - t
    print(f"generated {unit_years} unit-years ({args.units} units × {args.years} years) in {gen_s:.1f} s under {work}", flush=True)

    cmd = build_command(project, site, args.jobs)
    global ENV, DASK
    ENV = snapshot_code(work)
    before_env = snapshot_code(work, args.before, "code-before") if args.before else None
    cluster = None
    if args.dask:  # workers started here, so they run the code snapshot too
        from distributed import Client, LocalCluster

        os.environ["PYTHONPATH"] = ENV["PYTHONPATH"]
        cluster = LocalCluster(n_workers=args.jobs, threads_per_worker=1, processes=True, dashboard_address=None)
        DASK = Client(cluster)
        cmd += ["--scheduler", cluster.scheduler_address]
        print(f"Dask LocalCluster: {args.jobs} worker processes at {cluster.scheduler_address}", flush=True)
    load_before = os.getloadavg()[0]
    colds: dict[str, list[float]] = {"before": [], "after": []}  # CPU seconds of each cold build, --before
    if before_env is not None:
        after_env, before_site = ENV, work / "site-before"
        for r in range(args.rounds):
            for side in (("before", "after") if r % 2 == 0 else ("after", "before")):
                if side == "after" and r == args.rounds - 1:
                    continue  # the last one is the cold build below, whose site the rebuilds use
                ENV = before_env if side == "before" else after_env
                target = before_site if side == "before" else site
                shutil.rmtree(target, ignore_errors=True)
                timed(build_command(project, target, args.jobs), log, "pair")
                colds[side].append(CPU["pair"])
        ENV = after_env
        shutil.rmtree(site, ignore_errors=True)
    cold_s, cold_rc, cold_rss = timed(cmd, log, "cold")
    colds["after"].append(CPU["cold"])
    files, size = site_size(site)
    found = re.findall(r"生成进程内存峰值 (\d+) MB", log.read_text(encoding="utf-8"))
    worker_mb = int(found[-1]) if found else 0
    found = re.findall(r"其中门户与搜索 ([\d.]+) (秒|毫秒)", log.read_text(encoding="utf-8"))
    cold_portal_s = float(found[-1][0]) / (1000 if found[-1][1] == "毫秒" else 1) if found else 0.0
    noop_s, noop_rc, noop_rss = timed(cmd, log, "noop")
    duties = project / "content" / "u0000" / "duties.md"
    duties.write_text(duties.read_text(encoding="utf-8") + "本年度新增一项职责。\n", encoding="utf-8")
    one_s, one_rc, one_rss = timed(cmd, log, "one_changed")

    per = max(unit_years, 1)
    floor_s = floor(project, work / "floor", args.jobs, max(1, round(files / per)), size // per)
    render_ms = bytes_cost(project, min(args.sample, unit_years))["render_ms_per_unit_year"]
    cold_ms, floor_ms = 1000 * CPU["cold"] / per, 1000 * CPU["floor"] / per
    bytes_ms = floor_ms + render_ms

    single = work / "single"
    (single / "tables" / "u0000").mkdir(parents=True)
    shutil.copy(project / "tables" / "u0000" / f"{LAST_YEAR}.xlsx", single / "tables" / "u0000")
    shutil.copytree(project / "content" / "u0000", single / "content" / "u0000")
    shutil.copy(project / "disclosure.toml", single)
    singles = []
    for i in range(3):
        shutil.rmtree(single / "site", ignore_errors=True)
        s, single_rc, _ = timed(build_command(single, single / "site", 1), log, f"single{i}")
        singles.append(s)
    single_s = min(singles)

    def rebuilt(name: str) -> str:
        built, failed = built_count(name)
        return f"{built} unit-year(s) rebuilt" + (f", {failed} FAILED (see the build log)" if failed else "")

    rows = [
        ("cold build", cold_s, CPU["cold"], cold_rc, f"{files} files, {size / 1e6:.1f} MB; {1000 * CPU['cold'] / per:.0f} ms CPU per unit-year; "
                                                     f"portal + search {cold_portal_s:.1f} s of it; {rebuilt('cold')}"),
        ("floor (calamine read + same bytes written)", floor_s, CPU["floor"], 0, f"cold / floor = {cold_s / floor_s:.2f} wall, "
         f"{CPU['cold'] / max(CPU['floor'], 1e-9):.1f} CPU; {1000 * CPU['floor'] / per:.1f} ms CPU per unit-year"),
        ("bytes' own cost (floor + templates)", 0.0, bytes_ms * per / 1000, 0,
         f"{bytes_ms:.1f} ms CPU per unit-year = floor {floor_ms:.1f} + page templates and grid macros re-rendered from "
         f"recorded contexts {render_ms:.1f}; cold / bytes = {cold_ms / max(bytes_ms, 1e-9):.1f} (target ≤ 2, ≤ 18 ms)"),
        ("no-change rebuild", noop_s, CPU["noop"], noop_rc, f"{rebuilt('noop')}; target ≤ 0.15 s at 1,000"),
        ("one unit changed (its shared duties.md)", one_s, CPU["one_changed"], one_rc,
         f"{rebuilt('one_changed')} (its newest year: earlier ones keep their published texts) + portal and search; "
         "target ≤ 0.6 s at 1,000"),
        ("one unit-year, fresh CLI (min of 3)", single_s, min(CPU[f"single{i}"] for i in range(3)), single_rc, "target ≤ 0.5 s"),
    ]
    print(f"\n{'step':<44}{'wall s':>8}{'CPU s':>8}{'exit':>6}  note")
    for name, secs, cpu, rc, note in rows:
        print(f"{name:<44}{secs:>8.2f}{cpu:>8.2f}{rc:>6}  {note}")
    if before_env is not None:
        def median(xs: list[float]) -> float:
            return sorted(xs)[len(xs) // 2]
        for side in ("before", "after"):
            ms = [1000 * c / per for c in colds[side]]
            print(f"cold CPU per unit-year, {side} ({args.before if side == 'before' else 'tree'}): median {median(ms):.1f} ms "
                  f"of {', '.join(f'{m:.1f}' for m in ms)}")
    print(f"load average before the cold build: {load_before:.1f} on {len(os.sched_getaffinity(0))} cores (other work on the machine inflates wall times)")
    peak = max(cold_rss, noop_rss, one_rss)
    if DASK is not None:
        print(f"Dask workers' peak RSS: {dask_usage()[1]:.0f} MB (their CPU is in the CPU column)")
        DASK.close()
        cluster.close()
    print(f"peak RSS of one process: {peak:.0f} MB (cold {cold_rss:.0f}, no-change {noop_rss:.0f}, one changed {one_rss:.0f}); "
          f"of a unit-year worker in the cold build: {worker_mb} MB; jobs {args.jobs}; build log {log}")
    if not args.keep and args.workdir is None:
        shutil.rmtree(work, ignore_errors=True)
    print(json.dumps({"unit_years": unit_years, "cold_s": round(cold_s, 2), "floor_s": round(floor_s, 2), "noop_s": round(noop_s, 2),
                      "one_changed_s": round(one_s, 2), "one_changed_built": built_count("one_changed")[0],
                      "cold_failed": built_count("cold")[1], "cold_cpu_ms_per_unit_year": round(cold_ms, 1),
                      "floor_cpu_ms_per_unit_year": round(floor_ms, 1), "bytes_cpu_ms_per_unit_year": round(bytes_ms, 1),
                      "cold_to_bytes": round(cold_ms / max(bytes_ms, 1e-9), 2),
                      **({"before_cold_cpu_ms_per_unit_year": [round(1000 * c / per, 1) for c in colds["before"]],
                          "after_cold_cpu_ms_per_unit_year": [round(1000 * c / per, 1) for c in colds["after"]]} if before_env else {}),
                      "peak_rss_mb": round(peak), "single_cli_s": round(single_s, 2)}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
