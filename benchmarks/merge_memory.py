"""Peak memory (and CPU) of the portal step — portal page, unit pages, search merge — at national scale.

    python benchmarks/merge_memory.py SOURCE --units 1000 --years 10          # 10⁴ unit-years
    python benchmarks/merge_memory.py SOURCE --units 10000 --years 10         # 10⁵ unit-years
    python benchmarks/merge_memory.py SOURCE --units 1000 --years 10 --code /work/before/code

``SOURCE`` is a work folder ``run.py --keep`` left (its site's build state holds real slim results
and search parts). The portal step runs in a fresh process on synthetic slim results: unit-year
``i`` is the real result and search part ``i mod P`` of the source (``--pool``, default 40), under its
own unit, year and name, so the merge handles as many rows as that many real unit-years would give.
The results are made when the portal reads them (nothing of the whole set is held outside the
portal step), the way ``Results`` reads them from disk. The site is written under ``--workdir``
(removed afterwards unless ``--keep``). ``--code`` runs another code snapshot (a ``run.py`` work
folder's ``code/``), for a before/after pair. Peak RSS is the child's own (``wait4``). Prints one
JSON line last.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import pickle
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

HERE = Path(__file__).resolve().parent


class SyntheticResults(Sequence):
    """``units × years`` published unit-years made from a pool of real slim results and parts."""

    def __init__(self, source: Path, units: int, years: int, pool: int, cache: Path) -> None:
        results = source / "results"
        found = sorted(p for p in results.glob("*/*.pickle") if p.name.count(".") == 1)[:pool]
        self.pool = [pickle.loads(p.read_bytes()) for p in found]
        self.parts = [pickle.loads(p.with_name(p.stem + ".search.pickle").read_bytes()) for p in found]
        first = 2021 - years + 1
        self.keys = [(f"n{u:05d}", first + y) for u in range(units) for y in range(years)]
        self.digests = [hashlib.blake2b(f"{u}/{y}".encode(), digest_size=16).hexdigest() for u, y in self.keys]
        self.cache = cache

    def __len__(self) -> int:
        return len(self.keys)

    def __getitem__(self, index):  # type: ignore[override]
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        unit, year = self.keys[index]
        r = self.pool[index % len(self.pool)]
        return replace(r, unit=unit, year=year, unit_name=f"示范省第{unit[1:]}号预算单位")

    def part(self, index: int, name: str):
        unit, year = self.keys[index]
        return replace(self.parts[index % len(self.parts)], key=f"{unit}/{year}")


def child(args: argparse.Namespace) -> int:
    import resource

    from disclosure.commands.build import SiteOptions, write_portal
    from disclosure.project import load_project

    source = Path(args.source)
    state = source / ".site-build-state"
    project = load_project(source / "project")
    out = Path(args.workdir) / "site"
    cache = Path(args.workdir) / "cache"
    results = SyntheticResults(state, args.units, args.years, args.pool, cache)
    before = resource.getrusage(resource.RUSAGE_SELF)
    start = time.perf_counter()
    write_portal(project, out, results, SiteOptions(public=True, allow_errors=False, kit=False))
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    print(json.dumps({"portal_wall_s": round(seconds, 1), "portal_cpu_s": round(cpu, 1)}))
    return 0


def tree_size(folder: Path) -> tuple[int, int]:
    files = [p for p in folder.rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="a work folder run.py --keep left")
    parser.add_argument("--units", type=int, default=1000)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--pool", type=int, default=40)
    parser.add_argument("--code", type=Path, default=None, help="the code snapshot to run (default: the source's code/)")
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return child(args)
    source = args.source.resolve()
    code = (args.code or source / "code").resolve()
    work = (args.workdir or Path(tempfile.mkdtemp(prefix="disclosure-merge-"))).resolve()
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["PYTHONPATH"] = os.pathsep.join([str(code), str(HERE.parent)])
    cmd = [sys.executable, str(HERE / "merge_memory.py"), str(source), "--child", "--units", str(args.units),
           "--years", str(args.years), "--pool", str(args.pool), "--workdir", str(work)]
    load = os.getloadavg()[0]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, cwd=work, stdout=subprocess.PIPE)
    out = proc.stdout.read().decode()  # type: ignore[union-attr]
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"portal step failed:\n{out}")
    inner = json.loads(out.strip().splitlines()[-1])
    files, size = tree_size(work / "site")
    unit_years = args.units * args.years
    print(f"{unit_years} unit-years ({args.units} units × {args.years} years), code {code}")
    print(f"portal step: {inner['portal_wall_s']} s wall, {inner['portal_cpu_s']} s CPU; whole child {wall:.1f} s wall, "
          f"{usage.ru_utime + usage.ru_stime:.1f} s CPU; peak RSS {usage.ru_maxrss / 1024:.0f} MB; "
          f"wrote {files} files, {size / 1e6:.0f} MB; load average {load:.1f}")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    print(json.dumps({"unit_years": unit_years, "units": args.units, "years": args.years,
                      "peak_rss_mb": round(usage.ru_maxrss / 1024), "child_cpu_s": round(usage.ru_utime + usage.ru_stime, 1),
                      **inner, "files": files, "mb_written": round(size / 1e6)}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
