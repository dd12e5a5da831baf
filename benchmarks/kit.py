"""What the publication kit costs per unit-year: the same synthetic bureau built without and with it.

    python benchmarks/kit.py                      # 20 units × 1 year
    python benchmarks/kit.py --units 50 --jobs 2 --workdir /tmp/kit-bench --keep

Generates the units of ``run.py`` (``synth.py``), runs the code snapshot in fresh processes and
times, on the same files:

    site        ``build --no-kit`` into an empty folder
    kit         ``build`` (with the kit) into another empty folder
    kit_noop    the kit build again, nothing changed (no unit-year prints its PDF again)

The kit's cost per unit-year is (kit − site) ÷ unit-years, in wall and in CPU seconds (CPU of every
process of a build: the driver, pool workers, playwright's driver and Chromium). Also the kit's
bytes per unit-year. Prints a table, then as its last line one JSON object.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from benchmarks import run as bench  # noqa: E402


def kit_bytes(site: Path) -> tuple[int, int]:
    """Files and bytes under every ``<unit>/<year>/kit/``."""
    files = [p for p in site.glob("*/*/kit/*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=20)
    parser.add_argument("--years", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=len(os.sched_getaffinity(0)))
    parser.add_argument("--distinct", type=int, default=20)
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args(argv)

    work = args.workdir or Path(tempfile.mkdtemp(prefix="disclosure-kit-bench-"))
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    project, log = work / "project", work / "build.log"
    unit_years = bench.generate(project, args.units, args.years, args.distinct, args.jobs)
    bench.ENV = bench.snapshot_code(work)
    load_before = os.getloadavg()[0]
    site_s, site_rc, _ = bench.timed(bench.build_command(project, work / "site", args.jobs), log, "site")
    kit_cmd = bench.build_command(project, work / "kit", args.jobs, kit=True)
    kit_s, kit_rc, kit_rss = bench.timed(kit_cmd, log, "kit")
    noop_s, noop_rc, _ = bench.timed(kit_cmd, log, "kit_noop")
    files, size = kit_bytes(work / "kit")
    built, failed = bench.built_count("kit")
    per = max(unit_years, 1)
    cpu = bench.CPU
    result = {
        "unit_years": unit_years,
        "jobs": args.jobs,
        "site_s": round(site_s, 2),
        "kit_s": round(kit_s, 2),
        "kit_noop_s": round(noop_s, 2),
        "kit_wall_s_per_unit_year": round((kit_s - site_s) / per, 3),
        "kit_cpu_s_per_unit_year": round((cpu["kit"] - cpu["site"]) / per, 3),
        "kit_files": files,
        "kit_kb_per_unit_year": round(size / per / 1024),
        "kit_built": built,
        "kit_failed": failed,
        "peak_rss_mb": round(kit_rss),
        "load_before": round(load_before, 1),
    }
    print(f"\n{'step':<34}{'wall s':>8}{'CPU s':>8}{'exit':>6}")
    for name, secs, rc in (("site (--no-kit)", site_s, site_rc), ("site and kit", kit_s, kit_rc),
                           ("kit build again, no change", noop_s, noop_rc)):
        key = {"site (--no-kit)": "site", "site and kit": "kit"}.get(name, "kit_noop")
        print(f"{name:<34}{secs:>8.2f}{cpu[key]:>8.2f}{rc:>6}")
    print(f"kit per unit-year: {result['kit_wall_s_per_unit_year']:.2f} s wall, {result['kit_cpu_s_per_unit_year']:.2f} s CPU, "
          f"{result['kit_kb_per_unit_year']} KB; {built} built, {failed} failed; load average before {load_before:.1f} "
          f"on {len(os.sched_getaffinity(0))} cores; build log {log}")
    if not args.keep and args.workdir is None:
        shutil.rmtree(work, ignore_errors=True)
    print(json.dumps(result, ensure_ascii=False))
    return 0 if site_rc == kit_rc == noop_rc == 0 and not failed else 1


if __name__ == "__main__":
    sys.exit(main())
