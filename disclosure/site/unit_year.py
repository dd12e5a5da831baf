"""One unit-year's pages: report, table pages, all-tables page, CSVs, workbook; in the review build
also facts.json (every figure's key, cells and formula) and the check results.

``build_unit_year`` is pure with respect to its folder: it reads the project, writes only
``<out>/<unit>/<year>/`` and returns what the portal and search need, so unit-years can be built in
any order, in parallel, or only when their inputs changed.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from disclosure.check.finding import SEVERITIES, SEVERITY_LABELS, count_by_severity
from disclosure.features import feature_pages, feature_sections
from disclosure.hooks import ExtraPage, PageProvider, UnitYearContext
from disclosure.site.kit import KitInput, kit_links, write_kit
from disclosure.links import TABLES_DIR, cell_href, table_page
from disclosure.markup import clean_html
from disclosure.pipeline import UnitYear, run_unit_year
from disclosure.project import Project
from disclosure.site import prefix
from disclosure.site.charts import ChartView, unit_year_charts
from disclosure.site.output import copy, write
from disclosure.site.public_check import require_public
from disclosure.site.outline import (
    Block,
    close_part,
    number_figures,
    public_parts,
    report_parts,
    section_body,
)
from disclosure.site.search import SearchDoc, page_text
from disclosure.site.tables import table_csv, table_view
from disclosure.site.theme import css_string, environment, renderer, theme_dirs
from disclosure.wording.style import style_for


@dataclass(frozen=True)
class BuildOptions:
    public: bool = False  # leave the review page out
    allow_errors: bool = False  # publish unit-years with check errors, marked as drafts
    page_providers: tuple[PageProvider, ...] = ()
    kit: bool = False  # the publication kit (kit/report.pdf …) after the pages; public builds only


@dataclass(frozen=True)
class PageInfo:
    path: str  # from the site root, POSIX
    title: str
    kind: str  # report | table | tables | review | extra


@dataclass
class RenderedUnitYear:
    """What one unit-year produced: its status, findings, pages, search documents and facts."""

    unit: str
    year: int
    unit_name: str
    status: str  # published | draft | refused
    findings: list = field(default_factory=list)
    pages: list[PageInfo] = field(default_factory=list)
    search_docs: list[SearchDoc] = field(default_factory=list)
    facts: Any = None

    @property
    def errors(self) -> list:
        return [f for f in self.findings if f.severity == "error"]


def _sort_findings(findings: list) -> list:
    return sorted(findings, key=lambda f: (SEVERITIES.index(f.severity), f.table or "", f.rule, f.message))


def _finding_cells(finding: Any, pages: set[str], unit: str = "", year: int = 0) -> list[tuple[str, str | None]]:
    """Each cell of a finding with a link to it when its table has a page; a cell of another
    year's workbook (the prior year) is labelled with its year and links to that year's page."""
    out = []
    other = re.compile(rf"^tables/{re.escape(unit)}/((?:19|20)\d\d)\b") if unit else None
    for ref in getattr(finding, "cells", ()) or ():
        m = other.match(getattr(ref, "file", "")) if other else None
        of_year = int(m.group(1)) if m and int(m.group(1)) != year else None
        label = f"{of_year}年 {ref}" if of_year else str(ref)
        href = cell_href(ref, other_year=of_year) if getattr(ref, "table", "") in pages else None
        out.append((label, href))
    return out


class _Pages:
    """Renders pages of one unit-year with the shared context and collects them."""

    def __init__(self, project: Project, out_dir: Path, unit: str, year: int, unit_name: str, draft: bool, review: bool,
                 settings: dict | None = None):
        self.env = environment(theme_dirs(project.root))
        self.prefix = prefix.checked(project.site.css_prefix)
        self.project = project
        self.out_dir = out_dir
        self.unit, self.year, self.unit_name, self.draft, self.review = unit, year, unit_name, draft, review
        self.pages: list[PageInfo] = []
        self.docs: list[SearchDoc] = []
        self.report_title = f"{unit_name}{year}年度部门决算"
        self.fields = project.publication_fields(settings)
        self.publisher = self.fields.get("publisher") or unit_name
        self.publish_date = self.fields.get("publish_date", "")

    def render(self, template: str, rel: str, title: str, kind: str, **ctx: Any) -> str:
        depth = rel.count("/")
        root = "../" * depth
        here = "../" * (depth - 2)
        crumbs = [("决算公开专栏首页", f"{root}index.html")]
        if kind != "report":
            crumbs.append((self.report_title, f"{here}index.html"))
        html = self.env.get_template(template).render(
            site=self.project.site,
            root=root,
            here=here,
            title=title,
            unit_name=self.unit_name,
            year=self.year,
            draft=self.draft,
            draft_link=f"{here}review.html" if self.draft and self.review else "",
            crumbs=crumbs,
            print_css=f"{here}print-unit.css",
            keywords=f"部门决算,决算公开,{self.unit_name},{self.year}年度,三公经费",
            description=f"{self.report_title}公开报告及公开表",
            source=self.publisher,
            publisher=self.publisher,
            publish_date=self.publish_date,
            review_build=self.review,
            **ctx,
        )
        if not self.review:
            require_public(html, rel)
        write(self.out_dir / rel, prefix.html(html, self.prefix))
        self.pages.append(PageInfo(rel, title, kind))
        self.docs.append(SearchDoc(rel, title, page_text(html)))
        return html


def build_unit_year(project: Project, unit: str, year: int, out_dir: Path, options: BuildOptions = BuildOptions()) -> RenderedUnitYear:
    """Run one unit-year through the stages (``disclosure.pipeline``) and render it into
    ``out_dir/<unit>/<year>/``. Raises InputError when its tables cannot be read."""
    return render_unit_year(run_unit_year(project, unit, year), out_dir, options)


def render_unit_year(unit_year: UnitYear, out_dir: Path, options: BuildOptions = BuildOptions()) -> RenderedUnitYear:
    """Render one unit-year's pages. A unit-year with check errors is not written (status ``refused``)
    unless ``options.allow_errors``, in which case every page carries the draft banner (``draft``)."""
    if unit_year.derive_error is not None:
        raise unit_year.derive_error  # a report without its figures is never published
    project, unit, year = unit_year.project, unit_year.unit, unit_year.year
    accounts, content, facts = unit_year.accounts, unit_year.content, unit_year.facts
    unit_name, findings = unit_year.unit_name, _sort_findings(list(unit_year.findings))
    has_errors = any(f.severity == "error" for f in findings)
    result = RenderedUnitYear(unit, year, unit_name, "published", findings, facts=facts)
    if has_errors and not options.allow_errors:
        result.status = "refused"
        return result
    if has_errors:
        result.status = "draft"
    review = not options.public
    pages = _Pages(project, out_dir, unit, year, unit_name, draft=has_errors, review=review, settings=content.settings)
    folder = f"{unit}/{year}"
    table_set_tables = [t for t in accounts.tables.values() if t.spec.published]
    table_set_tables.sort(key=lambda t: (t.spec.number, t.key))
    views = [table_view(t, year) for t in table_set_tables]
    _render_grids(pages.env, views)
    downloads = _write_data_files(unit_year, table_set_tables, views, unit_name, out_dir / folder, options.public,
                                  pages.report_title)

    extras: list[ExtraPage] = []
    ctx = UnitYearContext(project, accounts, facts, content, findings, public=options.public,
                          render=renderer(project.root), results=unit_year.results)
    for provider in (*feature_pages(), *options.page_providers):
        extras.extend(provider(ctx))
    _render_table_pages(pages, folder, views, downloads)
    if review:
        _render_review_page(pages, folder, views, findings, accounts, unit, year)
    for extra in extras:
        pages.render("page.html", f"{folder}/{extra.filename}", extra.title, "extra", body=clean_html(extra.body_html),
                     charts=[ChartView.of(c) for c in extra.charts])

    _render_report_page(pages, unit_year, out_dir, views, downloads, ctx, extras, options)
    result.pages = pages.pages
    result.search_docs = pages.docs
    return result


def _render_report_page(pages: _Pages, unit_year: UnitYear, out_dir: Path, views: list, downloads: Any,
                        ctx: UnitYearContext, extras: list[ExtraPage], options: BuildOptions) -> None:
    """The report page (index.html): its parts, charts, tables and downloads; then, for a public
    build with the kit, the publication kit made of the page as written."""
    project, unit, year, facts = unit_year.project, unit_year.unit, unit_year.year, unit_year.facts
    folder, review, unit_name = f"{unit}/{year}", not options.public, unit_year.unit_name
    charts: list[ChartView] = unit_year_charts(facts, year)
    parts = _report_parts(unit_year, list(unit_year.sections), ctx, extras, {v.key for v in views}, options.public)
    kit = options.kit and options.public
    report_html = pages.render(
        "report.html", f"{folder}/index.html", pages.report_title, "report",
        parts=parts,
        charts=charts,
        views=views,
        downloads=downloads,
        extras=extras,
        review=review,
        has_facts=review and facts is not None,
        kit_links=[(label, quote(path)) for label, path in kit_links(unit_name, year)] if kit else [],
        # earlier years only: a published report stays byte-identical when later years are added
        # (and an incremental build, which does not rebuild it then, gives the same bytes as a full one)
        other_years=[(y, f"../{y}/index.html") for y in sorted(project.years(unit), reverse=True)
                     if y < year],
    )
    if kit:  # after the pages: the kit is made of the report page as written
        write_kit(KitInput(out_dir / folder, project.root, prefix.html(report_html, pages.prefix), pages.prefix,
                           unit_name, year, pages.report_title, pages.publisher, pages.publish_date,
                           parts, views, charts, pages.fields,
                           f"{TABLES_DIR}/{PUBLIC_WORKBOOK.format(year=year)}"))


def _write_data_files(unit_year: UnitYear, tables: list, views: list, unit_name: str, folder: Path,
                      public: bool, report_title: str) -> Any:
    """The unit-year's files that are not pages: the public workbook (public) or the source workbooks
    (review), each table's CSV, facts.json (review) and the print stylesheet. Returns the downloads
    the pages offer."""
    project, unit, year, facts = unit_year.project, unit_year.unit, unit_year.year, unit_year.facts
    if public:
        downloads = _write_public_workbook(tables, views, unit_name, year, folder)
    else:
        downloads = _write_sources(project, unit, year, folder)
    for table in tables:
        write(folder / TABLES_DIR / f"{table.key}.csv", table_csv(table))
    if not public and facts is not None and hasattr(facts, "to_json"):
        # fact keys, cells and formulas are review material: the public site's data are its tables
        write(folder / "facts.json", facts.to_json())
    write(folder / "print-unit.css", _print_css(report_title))
    return downloads


def _render_table_pages(pages: _Pages, folder: str, views: list, downloads: Any) -> None:
    """A page per 公开表, then the page of all of them."""
    for view in views:
        title = f"{pages.report_title} {view.marker} {view.title}".strip()
        pages.render("table.html", f"{folder}/{table_page(view.key)}", title, "table",
                     view=view, views=views, downloads=downloads)
    pages.render("tables.html", f"{folder}/{TABLES_DIR}/index.html", f"{pages.report_title}公开表", "tables",
                 views=views, downloads=downloads)


def _render_review_page(pages: _Pages, folder: str, views: list, findings: list, accounts: Any,
                        unit: str, year: int) -> None:
    """The review build's 校验结果 page: the findings grouped, each cell linked to its table's page."""
    pages.render(
        "review.html", f"{folder}/review.html", f"{pages.report_title}校验结果", "review",
        groups=_finding_groups(findings, {v.key for v in views}, {v.key: i for i, v in enumerate(views)}, unit, year),
        table_titles={v.key: f"{v.marker} {v.title}".strip() for v in views},
        counts=count_by_severity(findings),
        severity_names=SEVERITY_LABELS,
        notices=list(getattr(accounts, "notices", []) or []),
    )


def _report_parts(unit_year: UnitYear, sections: list, ctx: UnitYearContext, extras: list[ExtraPage],
                  table_keys: set[str], public: bool) -> list:
    """The report page's parts in the style's order, the features' 第二部分 blocks closing theirs,
    numbered figures; what is internal left out of a public build."""
    project, content, year = unit_year.project, unit_year.content, unit_year.year
    feature_blocks = _feature_blocks(ctx, extras) if sections else {}
    for key, blocks in feature_blocks.items():
        sections = _one_section(sections, key, blocks, table_keys)
    parts = report_parts(sections, content, year, table_keys, style_for(project, year))
    if sections:  # 预算绩效评价工作开展情况 closes the part the style puts it in (the narrative's)
        for key, blocks in feature_blocks.items():
            close_part(parts, key, blocks, style_for(project, year))
    if public:
        parts = public_parts(parts)
    return number_figures(parts)


def _render_grids(env: Any, views: list) -> None:
    """Each grid rendered once with the theme's ``grid`` macro (templates print ``g.html`` when set, else call ``grid(g)``)."""
    grid = getattr(env.get_template("_macros.html").module, "grid", None)
    if grid is None:
        return
    for view in views:
        for g in view.grids:
            g.html = grid(g)


PUBLIC_WORKBOOK = "source/{year}.xlsx"  # inside tables/: where the public site's workbook is


def _write_public_workbook(tables: list, views: list, unit_name: str, year: int, folder: Path) -> list[tuple[str, str]]:
    """The public site's workbook, made from the published tables only (never the unit's own file,
    which holds the unpublished 年初预算数表); return (label, href relative to tables/)."""
    from disclosure.site.workbook import public_workbook

    rel = PUBLIC_WORKBOOK.format(year=year)
    write(folder / TABLES_DIR / rel, public_workbook(views, [t.spec for t in tables], unit_name, year))
    return [(rel.rsplit("/", 1)[-1], rel)]


def _write_sources(project: Project, unit: str, year: int, folder: Path) -> list[tuple[str, str]]:
    """The review site: copy the original workbook(s) into tables/; return (label, href relative to tables/)."""
    source = project.source(unit, year)
    if source is None:
        return []
    files = sorted(p for p in source.iterdir() if p.is_file() and not p.name.startswith((".", "~$"))) if source.is_dir() else [source]
    out = []
    for f in files:
        copy(f, folder / TABLES_DIR / "source" / f.name)
        out.append((f.name, f"source/{quote(f.name)}"))
    return out


def _finding_groups(findings: list, pages: set[str], pages_order: dict[str, int] | None = None,
                    unit: str = "", year: int = 0) -> list[dict]:
    """Findings grouped by table in publishing order (unit-year findings last), most severe first."""
    groups: dict[str, list] = {}
    for f in findings:
        groups.setdefault(f.table or "", []).append(f)
    out = []
    order = pages_order or {}
    for table in sorted(groups, key=lambda t: (t == "", order.get(t, 99), t)):
        items = [
            {"severity": f.severity, "rule": f.rule, "message": f.message, "cells": _finding_cells(f, pages, unit, year)}
            for f in groups[table]
        ]
        out.append({"table": table, "findings": items})
    return out


def _feature_blocks(ctx: UnitYearContext, extras: list[ExtraPage]) -> dict[str, list[Block]]:
    """The sections features close 第二部分 with (三、预算绩效评价工作开展情况 when there is a 绩效 page),
    by the narrative section each stands for."""
    out: dict[str, list[Block]] = {}
    for provider in feature_sections():
        section = provider(ctx, extras)
        if section is None:
            continue
        blocks = out.setdefault(section.key, [])
        blocks.append(Block(section.id, section.title, 3, ""))
        blocks += [Block(f"{section.id}-{i}", b.title, 4, clean_html(b.html)) for i, b in enumerate(section.blocks, 1)]
    return out


def _one_section(sections: list, key: str, blocks: list[Block], table_pages: set[str]) -> list:
    """One section of a title: where a feature writes section ``key`` (the 绩效 one), the unit's own
    text of it (``performance.md``) opens the feature's (above its subsections) instead of standing
    beside it as a second section of the same title. ``blocks`` (the feature's) are changed in place;
    the sections are returned without the unit's."""
    own = next((s for s in sections if s.key == key), None)
    if own is None or not blocks:
        return sections
    head = blocks[0]
    text = section_body(own.html, head.level, own.title, table_pages)
    blocks[0] = Block(head.id, head.title, head.level, text + head.html)
    return [s for s in sections if s is not own]


def _print_css(title: str) -> str:
    """Per unit-year print margins: the report's name at the top of every printed page."""
    return "@media print {\n  @page { @top-center { content: " + css_string(title) + "; } }\n}\n"
