"""The themed static site: per unit-year pages (``build_unit_year``), then the portal and search over
every result (``build_portal``); ``build_site`` runs both into a staging folder and swaps it in.

    build_unit_year(project, unit, year, out_dir, options) -> UnitYearResult
    build_portal(project, out_dir, results, options) -> None
    build_site(project, out, options, *, unit=None, year=None) -> SiteResult
"""
from disclosure.site.builder import SiteResult, build_portal, build_site
from disclosure.site.unit_year import (
    PAGE_PROVIDERS,
    BuildOptions,
    ExtraPage,
    PageInfo,
    UnitYearContext,
    UnitYearResult,
    build_unit_year,
)

__all__ = [
    "PAGE_PROVIDERS",
    "BuildOptions",
    "ExtraPage",
    "PageInfo",
    "SiteResult",
    "UnitYearContext",
    "UnitYearResult",
    "build_portal",
    "build_site",
    "build_unit_year",
]
