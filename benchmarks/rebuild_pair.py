"""Rebuilds of two code versions in the same run, interleaved: no-change and one-unit-changed.

    python benchmarks/run.py --units 1000 --workdir /tmp/before --keep     # with the old code checked out
    python benchmarks/run.py --units 1000 --workdir /tmp/after --keep      # with the new code
    python benchmarks/rebuild_pair.py /tmp/before /tmp/after --rounds 3

Each work folder is one that ``run.py --keep`` left: its code snapshot (``code/``), its project and the
site that code built. Every round runs, for each folder in turn (the order alternates between rounds),
a no-change rebuild and then a rebuild after appending a line to one unit's ``duties.md`` (a different
unit each round, the same one in both folders), each in a fresh process of the command line. CPU
seconds are of the whole build (user + system, workers included); the load average is printed,
because on a shared machine wall times follow the other work. Prints a table and, last, one JSON line.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path


def command(work: Path) -> tuple[list[str], dict[str, str]]:
    code = work / "code"
    cmd = [sys.executable, "-m", "disclosure", "build", str(work / "project"), "--out", str(work / "site"), "--jobs", "2"]
    if "no-kit" in (code / "disclosure" / "commands" / "build.py").read_text(encoding="utf-8"):
        cmd.append("--no-kit")  # a version with the publication kit: measured without it, as run.py does
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["PYTHONPATH"] = str(code)
    return cmd, env


def timed(work: Path) -> tuple[float, float, str]:
    """Wall seconds, CPU seconds and the summary line of one build."""
    cmd, env = command(work)
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, cwd=work)
    out = proc.stdout.read().decode("utf-8", errors="replace")  # type: ignore[union-attr]
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"build failed in {work}:\n{out}")
    summary = next((line for line in out.splitlines() if line.startswith("汇总")), "")
    return wall, usage.ru_utime + usage.ru_stime, summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--first-unit", type=int, default=100, help="the unit edited in the first round (u0100)")
    args = parser.parse_args(argv)
    sides = {"before": args.before.resolve(), "after": args.after.resolve()}
    for work in sides.values():
        timed(work)  # settle: whatever the last run left (a racy file time, a pending portal) is done first
    cpu: dict[str, dict[str, list[float]]] = {s: {"noop": [], "one_changed": []} for s in sides}
    wall: dict[str, dict[str, list[float]]] = {s: {"noop": [], "one_changed": []} for s in sides}
    loads = []
    for r in range(args.rounds):
        order = list(sides) if r % 2 == 0 else list(reversed(sides))
        unit = f"u{args.first_unit + r:04d}"
        for side in order:
            work = sides[side]
            loads.append(os.getloadavg()[0])
            w, c, _ = timed(work)
            cpu[side]["noop"].append(c)
            wall[side]["noop"].append(w)
            duties = work / "project" / "content" / unit / "duties.md"
            duties.write_text(duties.read_text(encoding="utf-8") + f"第{r + 1}轮新增一项职责。\n", encoding="utf-8")
            w, c, summary = timed(work)
            if "生成 1 个" not in summary:
                raise SystemExit(f"{side}: expected one unit-year rebuilt, got: {summary}")
            cpu[side]["one_changed"].append(c)
            wall[side]["one_changed"].append(w)
            print(f"round {r + 1} {side:<6} noop {cpu[side]['noop'][-1]:.2f} s CPU, one changed {c:.2f} s CPU ({unit})", flush=True)
    print(f"\n{'':<8}{'no change, CPU s':>24}{'one changed, CPU s':>26}   (median of {args.rounds}; min–max)")
    for side in sides:
        n, o = cpu[side]["noop"], cpu[side]["one_changed"]
        print(f"{side:<8}{statistics.median(n):>12.2f} ({min(n):.2f}–{max(n):.2f}){statistics.median(o):>14.2f} ({min(o):.2f}–{max(o):.2f})")
    print(f"load average during the rounds: {min(loads):.1f}–{max(loads):.1f} on {len(os.sched_getaffinity(0))} cores")
    print(json.dumps({side: {"noop_cpu_s": round(statistics.median(cpu[side]["noop"]), 2),
                             "one_changed_cpu_s": round(statistics.median(cpu[side]["one_changed"]), 2),
                             "noop_wall_s": round(statistics.median(wall[side]["noop"]), 2),
                             "one_changed_wall_s": round(statistics.median(wall[side]["one_changed"]), 2)}
                      for side in sides}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
