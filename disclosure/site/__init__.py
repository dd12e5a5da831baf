"""The themed static site: per unit-year pages (``build_unit_year``), then the portal and search over
every result (``build_portal``); ``build_site`` runs both into a staging folder and swaps it in.

    build_unit_year(project, unit, year, out_dir, options) -> RenderedUnitYear
    build_portal(project, out_dir, results, options) -> None
    check_portal_step(project, out_dir, results, options) -> None  (before any unit-year is published)
    build_site(project, out, options, *, unit=None, year=None) -> SiteResult
"""
from disclosure.site.builder import SiteResult, build_portal, build_site, check_portal_step
from disclosure.site.unit_year import BuildOptions, PageInfo, RenderedUnitYear, build_unit_year

__all__ = [
    "BuildOptions",
    "PageInfo",
    "SiteResult",
    "RenderedUnitYear",
    "build_portal",
    "build_site",
    "build_unit_year",
    "check_portal_step",
]
