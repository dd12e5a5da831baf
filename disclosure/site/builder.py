"""Build a whole site: every unit-year (a map), then the portal and search (a reduce), staged and swapped."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from disclosure.errors import CheckFailed, Problem
from disclosure.project import Project
from disclosure.site.output import staged
from disclosure.site.portal import check_portal, write_assets, write_portal
from disclosure.site.unit_year import BuildOptions, RenderedUnitYear, build_unit_year


@dataclass
class SiteResult:
    out: Path
    results: list[RenderedUnitYear] = field(default_factory=list)
    pages: int = 0


def refusal(results: Iterable[RenderedUnitYear]) -> CheckFailed | None:
    """The error listing every check error of refused unit-years, or None."""
    problems: list[Problem] = []
    for r in results:
        if r.status != "refused":
            continue
        errors = r.errors
        problems.append(Problem(
            f"{r.unit_name} {r.year} 年度有 {len(errors)} 项校验错误，未发布。请按下列提示改正公开表后重新生成；"
            "如需先生成草稿供审核，请加 --allow-errors。"
        ))
        for f in errors:
            ref = f.cells[0] if getattr(f, "cells", None) else None
            problems.append(Problem(
                f"{f.message}（规则 {f.rule}）",
                file=ref.file if ref else None, sheet=ref.sheet if ref else None, cell=ref.cell if ref else None,
            ))
    return CheckFailed(problems) if problems else None


def build_portal(project: Project, out_dir: Path, results: list[RenderedUnitYear], options: BuildOptions | None = None) -> None:
    """The reduce step: assets (the theme's, once), portal, search page and index over ``results``
    (refused unit-years are left out)."""
    options = options or BuildOptions()
    write_assets(project, Path(out_dir), public=options.public)
    write_portal(project, Path(out_dir), results, public=options.public)  # streams them, leaves refused out


def check_portal_step(project: Project, out_dir: Path, results: list, options: BuildOptions | None = None) -> None:
    """Before a public build publishes any unit-year: the portal step over what is published now
    (theme assets, portal and search pages) would pass the public check, and the publication kit has a
    browser to print its PDF with; raises the error if not (said once, not once per unit-year)."""
    if options is not None and options.public:
        check_portal(project, Path(out_dir), results)
        if options.kit:
            from disclosure.site.kit.chromium import require_browser  # with concurrent.futures: 9 ms, for a kit only

            require_browser()


def build_site(
    project: Project, out: Path, options: BuildOptions = BuildOptions(), *,
    unit: str | None = None, year: int | None = None,
) -> SiteResult:
    """Build the selected unit-years and the portal into a staging folder; swap it in only when every
    unit-year built and none was refused. Raises InputError (exit 2) or CheckFailed (exit 1)."""
    pairs = project.select(unit, year)
    with staged(out) as stage:
        results = [build_unit_year(project, u, y, stage, options) for u, y in pairs]
        failed = refusal(results)
        if failed is not None:
            raise failed
        check_portal_step(project, stage, results, options)
        build_portal(project, stage, results, options)
    return SiteResult(Path(out), results, sum(len(r.pages) for r in results) + 2)
