"""Render-ready data for the 绩效 page (附表1, 附表2, 项目自评) and its site page provider."""
from __future__ import annotations

from typing import Any

from disclosure.hooks import ExtraPage, Render, UnitYearContext
from disclosure.links import cell_href
from disclosure.model import CellRef
from disclosure.money import format_amount
from disclosure.performance.evaluate import IndicatorResult, PerformanceReport, format_figure, format_score
from disclosure.performance.goals import GoalEvaluation
from disclosure.performance.inputs import InputRef
from disclosure.performance.projects import ProjectSummary
from disclosure.performance.sources import Figure

TEMPLATE = "performance.html"
PAGE_FILE = "performance.html"


def _money(value: Any) -> str:
    return format_amount(value) if value is not None else ""


def _figure(f: Figure, linkable: Any = None) -> dict:
    src = f.source
    pages = None if linkable is None else linkable.get(f.year, set())
    has_page = isinstance(src, CellRef) and src.table and (pages is None or src.table in pages)
    href = cell_href(src, other_year=f.year) if has_page else None  # f.year: a prior-year cell
    text = str(src) if src is not None else ""
    if isinstance(src, InputRef):  # the file is named once at the top of the page
        text = f"绩效输入 {src.key}"
    if f.year is not None:  # a prior-year cell is named with its year
        text = f"{f.year}年 {text}"
    return {
        "label": f.label,
        "value": format_figure(f.value, f.unit) if f.found else "未提供",
        "unit": f.unit if f.found else "",
        "source": text,
        "href": href,
        "from_table": isinstance(src, CellRef),
    }


def _indicator(r: IndicatorResult, linkable: Any = None) -> dict:
    return {
        "key": r.spec.key,
        "level1": r.spec.level1,
        "level2": r.spec.level2,
        "name": r.spec.name,
        "points": format_score(r.spec.points),
        "formula": r.spec.formula,
        "standard": r.spec.standard,
        "judged": r.judged,
        "figures": [_figure(f, linkable) for f in r.figures],
        "rate": f"{r.rate}%" if r.rate is not None else "",
        "arithmetic": r.arithmetic,
        "rule": r.rule,
        "computed": format_score(r.computed_score),
        "self": format_score(r.self_score),
        "flag": r.differs,
        "notes": list(r.notes),
    }


def _goals(ev: GoalEvaluation) -> dict:
    return {
        "tasks": [
            {
                "name": t.name,
                "status": t.status,
                "budget": _money(t.budget),
                "budget_fiscal": _money(t.budget_fiscal),
                "actual": _money(t.actual),
                "actual_fiscal": _money(t.actual_fiscal),
            }
            for t in ev.tasks
        ],
        "totals": {
            "budget": _money(ev.budget_total),
            "budget_fiscal": _money(ev.budget_fiscal_total),
            "actual": _money(ev.actual_total),
            "actual_fiscal": _money(ev.actual_fiscal_total),
        },
        "overall_target": ev.table.overall_target,
        "overall_result": ev.table.overall_result,
        "indicators": [
            {
                "level1": g.indicator.level1,
                "level2": g.indicator.level2,
                "name": g.indicator.name,
                "target": g.indicator.target,
                "actual": g.indicator.actual,
                "status": g.status,
                "status_text": g.status_text,
                "missed": g.missed,
                "note": g.note,
            }
            for g in ev.results
        ],
        "missed_count": len(ev.missed),
    }


def _project(p: ProjectSummary) -> dict:
    a = p.project
    return {
        "name": a.name,
        "budget": format_amount(a.budget),
        "actual": format_amount(a.actual),
        "rate": f"{p.rate}%" if p.rate is not None else "—",
        "sentence": p.sentence,
        "self_score": format_score(a.self_score) if a.self_score is not None else "",
        "grade": a.grade,
        "overall": a.overall,
        "problems": a.problems,
        "improvements": a.improvements,
        "stated_rate": f"{a.stated_rate}%" if a.stated_rate is not None else "",
        "stated_differs": p.stated_differs,
    }


def performance_page_context(
    report: PerformanceReport,
    goals: GoalEvaluation | None = None,
    projects: list[ProjectSummary] | None = None,
    unit_name: str = "",
    linkable: dict | None = None,
    public: bool = False,
) -> dict:
    """Everything the performance template prints, already formatted (templates never compute).

    ``linkable`` maps a year (None for the report's own year) to the table keys that have a page,
    so a figure links to its cell only where that cell is published; None links every table cell."""
    rows = [_indicator(r, linkable) for r in report.indicators]
    # rowspans for the 一级/二级 columns, so the table reads like 附表2
    for i, row in enumerate(rows):
        row["level1_span"] = 0 if i and rows[i - 1]["level1"] == row["level1"] else sum(
            1 for r in rows[i:] if r["level1"] == row["level1"]
        )
        same2 = lambda r: (r["level1"], r["level2"]) == (row["level1"], row["level2"])  # noqa: E731
        row["level2_span"] = 0 if i and same2(rows[i - 1]) else sum(1 for _ in _run(rows[i:], same2))
    return {
        "public": public,
        "unit_name": unit_name,
        "year": report.year,
        "inputs_file": report.inputs_file or "",
        "indicators": rows,
        "total_points": format_score(report.total_points),
        "computed_total": f"{report.computed_total:.2f}",
        "self_total": f"{report.self_total:.2f}",
        "stated_total": f"{report.stated_total:.2f}" if report.stated_total is not None else "",
        "stated_total_differs": report.stated_total is not None and report.stated_total != report.self_total,
        "flags": [r for r in rows if r["flag"]],
        "incomplete": [r["name"] for r in rows if not r["judged"] and r["computed"] == "—"],
        "goals": _goals(goals) if goals is not None else None,
        "projects": [_project(p) for p in projects or ()],
    }


def _run(rows: list[dict], pred: Any):
    for r in rows:
        if not pred(r):
            return
        yield r


def published_tables(accounts: Any) -> dict:
    """{None: table keys with a page this year, <prior year>: the prior year's}."""
    def keys(acc: Any) -> set[str]:
        return {t.key for t in acc.tables.values() if t.spec.published}

    out = {None: keys(accounts)}
    if getattr(accounts, "prior", None) is not None:
        out[accounts.prior.year] = keys(accounts.prior)
    return out


def render_performance(context: dict, render: Render) -> str:
    """The page body (a fragment, safe for the site's sanitiser) from the theme's performance.html."""
    return render(TEMPLATE, context)


def performance_pages(ctx: UnitYearContext) -> list[ExtraPage]:
    """Feature hook: the 绩效 page of a unit-year that has content/<unit>/<year>/performance.toml."""
    result = ctx.results.get("performance")
    if result is None:
        return []
    report, goals, projects = result.report, result.goals, result.projects
    unit_name = ctx.content.name or getattr(ctx.accounts, "unit_name", "")
    context = performance_page_context(report, goals, projects, unit_name, published_tables(ctx.accounts),
                                       public=getattr(ctx, "public", False))
    title = f"{unit_name}{report.year}年度部门整体支出绩效评价"
    assert ctx.render is not None, "the site hands its renderer to the features"
    return [ExtraPage(PAGE_FILE, title, render_performance(context, ctx.render))]
