"""What the templates of a unit-year cost on their own: run by ``run.py`` in the code snapshot.

    python benchmarks/bytes_cost.py PROJECT [--sample 20] [--repeat 3]

Builds ``--sample`` unit-years of PROJECT in this process (a public build into a scratch folder),
recording every outermost call of the theme's jinja2 environment on the way: each page template's
``render`` with its context and each ``grid`` macro call with its grid (not the wording templates,
which make the report's text from figures). Then it renders the recorded calls again, ``--repeat`` times,
and prints one JSON line: ``{"unit_years", "render_ms_per_unit_year", "calls_per_unit_year"}``
(CPU milliseconds of the re-rendering alone, per unit-year). With the floor's calamine read and file
writing (``run.py``), this is what the bytes of a unit-year cost: everything else of a cold build is
the pipeline's own work.
"""
from __future__ import annotations

import argparse
import json
import resource
import shutil
import tempfile
from pathlib import Path


def cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("project", type=Path)
    parser.add_argument("--sample", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args(argv)

    import jinja2.environment
    import jinja2.runtime

    from disclosure.project import load_project
    from disclosure.site.theme import environment, theme_dirs
    from disclosure.site.unit_year import BuildOptions, build_unit_year

    calls: list[tuple[object, tuple, dict]] = []
    depth = [0]

    def recording(original):  # noqa: ANN001, ANN202
        def wrapper(self, *a, **kw):  # noqa: ANN001, ANN002, ANN003, ANN202
            if depth[0] == 0:
                calls.append((original.__get__(self), a, kw))
            depth[0] += 1
            try:
                return original(self, *a, **kw)
            finally:
                depth[0] -= 1
        return wrapper

    render, macro = jinja2.environment.Template.render, jinja2.runtime.Macro.__call__
    jinja2.environment.Template.render = recording(render)  # type: ignore[method-assign]
    jinja2.runtime.Macro.__call__ = recording(macro)  # type: ignore[method-assign]
    project = load_project(args.project)
    scratch = Path(tempfile.mkdtemp(prefix="bytes-cost-"))
    built = 0
    try:
        for unit in project.units():
            for year in project.years(unit):
                if built >= args.sample:
                    break
                build_unit_year(project, unit, year, scratch, BuildOptions(public=True))
                built += 1
    finally:
        jinja2.environment.Template.render, jinja2.runtime.Macro.__call__ = render, macro  # type: ignore[method-assign]
        shutil.rmtree(scratch, ignore_errors=True)
    theme = environment(theme_dirs(project.root))  # the pages' templates, not the wording's
    calls = [c for c in calls if getattr(c[0].__self__, "environment", getattr(c[0].__self__, "_environment", None)) is theme]
    per = max(built, 1)
    if args.verbose:
        from collections import Counter
        names = Counter(getattr(getattr(c, "__self__", None), "name", None) or getattr(getattr(c, "__self__", None), "_func", c).__qualname__ for c, _, _ in calls)
        print(names.most_common())
    best = None
    for _ in range(args.repeat):
        start = cpu()
        for call, a, kw in calls:
            call(*a, **kw)
        spent = cpu() - start
        best = spent if best is None else min(best, spent)
    print(json.dumps({"unit_years": built, "render_ms_per_unit_year": round(1000 * (best or 0.0) / per, 2),
                      "calls_per_unit_year": round(len(calls) / per, 1)}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
