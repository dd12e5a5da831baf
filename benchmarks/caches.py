"""What each cache of the package saves over a run: calls, misses, the time of the misses, and the
estimate hits × (time of the misses ÷ misses), per unit-year. The table in docs/maintainers.md §6
was made with it.

    python benchmarks/caches.py PROJECT                  # build (public, no kit, one process) and check
    python benchmarks/caches.py PROJECT --verbs check    # only the check
    python benchmarks/run.py --units 40 --years 2 --workdir /tmp/bench --keep   # a project to run it on

Every ``functools.lru_cache`` and ``functools.cached_property`` of the package is counted (both are
replaced by counting versions before the package is imported, so a cache added later is counted
too); the module-level dict caches are counted by wrapping them. A miss that calls another cached
function includes that function's first call, so the estimate of an outer cache can be high: time a
miss on its own (``f.__wrapped__(…)`` after the inner caches are warm) before quoting it. The
counting adds about 0.3 µs a call, so the CPU total is a little above a plain run's.
"""
from __future__ import annotations

import argparse
import contextlib
import functools
import os
import sys
import tempfile
import time
from pathlib import Path

STATS: dict[str, dict] = {}


def _stat(name: str, kind: str) -> dict:
    return STATS.setdefault(name, {"kind": kind, "calls": 0, "misses": 0, "seconds": 0.0})


def counting_lru_cache(maxsize=128, typed=False):
    if callable(maxsize):
        return counting_lru_cache()(maxsize)
    real = counting_lru_cache.real

    def decorate(f):
        st = _stat(f"{f.__module__}.{f.__qualname__}", "lru_cache")

        def timed(*args, **kwargs):
            start = time.perf_counter()
            try:
                return f(*args, **kwargs)
            finally:
                st["seconds"] += time.perf_counter() - start
                st["misses"] += 1

        cached = real(maxsize, typed)(timed)

        def outer(*args, **kwargs):
            st["calls"] += 1
            return cached(*args, **kwargs)

        functools.update_wrapper(outer, f)
        outer.cache_info, outer.cache_clear = cached.cache_info, cached.cache_clear
        return outer

    return decorate


class counting_cached_property:
    """A data descriptor (so that every use is seen), storing in the instance's __dict__ as
    functools.cached_property does."""

    def __init__(self, func):
        self.func, self.name, self.__doc__ = func, func.__name__, func.__doc__

    def __set_name__(self, owner, name):
        self.name = name
        self.st = _stat(f"{owner.__module__}.{owner.__qualname__}.{name}", "cached_property")

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        self.st["calls"] += 1
        found = instance.__dict__.get(self.name, self)
        if found is self:
            start = time.perf_counter()
            found = instance.__dict__[self.name] = self.func(instance)
            self.st["seconds"] += time.perf_counter() - start
            self.st["misses"] += 1
        return found

    def __set__(self, instance, value):
        instance.__dict__[self.name] = value


class CountingDict(dict):
    """A module's dict cache: ``get`` counted as a call, a missing key as a miss (not timed)."""

    def __init__(self, name: str, data=()):
        super().__init__(data)
        self.st = _stat(name, "dict")

    def get(self, key, default=None):
        self.st["calls"] += 1
        if key not in self:
            self.st["misses"] += 1
        return super().get(key, default)


def _wrap_dicts() -> None:
    import disclosure.markup as markup
    import disclosure.narrative.render as render
    import disclosure.site.search as search

    render._COMPILED = CountingDict("disclosure.narrative.render._COMPILED", render._COMPILED)
    search._HASHES = CountingDict("disclosure.site.search._HASHES", search._HASHES)
    search._PIECES = CountingDict("disclosure.site.search._PIECES", search._PIECES)
    for policy in (markup.PAGE, markup.WORDING):
        object.__setattr__(policy, "_cache", CountingDict(f"disclosure.markup.{policy.name.upper()}._cache", policy._cache))

    import disclosure.load.accounts as accounts  # the workbook read cache: its reads are its misses

    st = _stat("disclosure.load.accounts._READ_CACHE", "dict")
    cached, read = accounts.cached_read_tables, accounts.read_tables

    def counted_cached(*args, **kwargs):
        st["calls"] += 1
        return cached(*args, **kwargs)

    def counted_read(*args, **kwargs):
        start = time.perf_counter()
        try:
            return read(*args, **kwargs)
        finally:
            st["seconds"] += time.perf_counter() - start
            st["misses"] += 1

    accounts.cached_read_tables, accounts.read_tables = counted_cached, counted_read


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("project", type=Path)
    parser.add_argument("--verbs", default="build,check", help="build, review, check, comma-separated")
    args = parser.parse_args(argv)
    counting_lru_cache.real = functools.lru_cache
    functools.lru_cache = counting_lru_cache
    functools.cached_property = counting_cached_property
    if any(m == "disclosure" or m.startswith("disclosure.") for m in sys.modules):
        raise SystemExit("run in a fresh interpreter: the package is imported already")
    _wrap_dicts()
    from disclosure.cli import main as cli
    from disclosure.project import load_project

    unit_years = len(load_project(args.project).select())
    out = Path(tempfile.mkdtemp(prefix="caches-")) / "site"
    verbs = {"build": ["build", str(args.project), "--out", str(out), "--jobs", "1", "--no-kit"],
             "review": ["build", str(args.project), "--out", f"{out}-review", "--jobs", "1", "--no-kit", "--review"],
             "check": ["check", str(args.project)]}
    start = time.process_time()
    with open(os.devnull, "w") as quiet, contextlib.redirect_stdout(quiet), contextlib.redirect_stderr(quiet):
        for verb in args.verbs.split(","):
            try:
                cli(verbs[verb])
            except SystemExit:
                pass
    total = time.process_time() - start
    rows = []
    for name, st in STATS.items():
        if not name.startswith("disclosure") or not st["calls"]:
            continue
        hits = st["calls"] - st["misses"]
        mean = st["seconds"] / st["misses"] if st["misses"] else 0.0
        rows.append((hits * mean, name, st, mean))
    print(f"{args.verbs} over {unit_years} unit-years: {total:.2f} s CPU (counting included)")
    print(f"{'saved/unit-year':>15}  {'calls':>8} {'misses':>7} {'miss':>9}  cache")
    for saved, name, st, mean in sorted(rows, key=lambda r: (-r[0], r[1])):
        miss = f"{mean * 1e3:.3f}ms" if st["seconds"] else "-"
        print(f"{saved / unit_years * 1e3:13.2f}ms  {st['calls']:8} {st['misses']:7} {miss:>9}  {name} ({st['kind']})")
    unused = sorted(n for n, st in STATS.items() if n.startswith("disclosure") and not st["calls"])
    if unused:
        print("not used in this run:", ", ".join(unused))
    return 0


if __name__ == "__main__":
    sys.exit(main())
