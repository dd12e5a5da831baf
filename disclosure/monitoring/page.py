"""Render-ready data for the monitoring page (table, chart, narrative) and its site page provider."""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from disclosure.hooks import ChartSpec, ExtraPage, Render, UnitYearContext
from disclosure.money import format_amount
from disclosure.monitoring import (
    evaluate_monitoring,
    load_monitoring_notes,
    read_monitoring,
)
from disclosure.monitoring.evaluate import MonitoringReport, Progress
from disclosure.monitoring.reader import monitoring_format
from disclosure.project import SPREADSHEET_SUFFIXES

TEMPLATE = "monitoring.html"


def page_file(as_of: date) -> str:
    """The page's file name inside the unit-year folder: monitoring-2021-06-30.html."""
    return f"monitoring-{as_of.isoformat()}.html"


def chart_id(as_of: date) -> str:
    """A fixed div id, so the same input always gives the same page."""
    return f"dc-chart-monitoring-{as_of.isoformat()}"


def _date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _pct(value: Any) -> str:
    return f"{value}" if value is not None else "—"


def _row(p: Progress) -> dict:
    ln = p.line
    return {
        "number": ln.number if ln is not None else "",
        "name": p.name,
        "level": ln.level if ln is not None else 0,
        "indent": "\u3000" * ((ln.level - 1) if ln is not None else 0),
        "carryover": format_amount(p.carryover),
        "budget": format_amount(p.budget),
        "total": format_amount(p.total),
        "paid": format_amount(p.paid),
        "progress": _pct(p.progress),
        "status": p.status,
        "status_text": p.status_text,
        "below": p.status == "below",
        "unpaid": p.unpaid,
        "reason": p.reason,
        "next_steps": p.next_steps,
        "cells": {k: str(c) for k, c in sorted(ln.cells.items())} if ln is not None else {},
    }


def _chart_view(report: MonitoringReport, title: str) -> ChartSpec:
    """The same chart in the site's own drawing format (drawn by the theme's chart macro)."""
    top = [p for p in report.lines if p.line is not None and p.line.parent is None and p.progress is not None]
    series = ["执行进度", "序时进度"]
    rows = [(p.name, [f"{p.progress}", f"{report.schedule}"]) for p in top]
    alt = f"{title}（柱状图）：" + "；".join(f"{p.name}{p.progress}%" for p in top) + f"；序时进度{report.schedule}%。"
    drawing = {
        "kind": "bar",
        "categories": [p.name for p in top],
        "series": series,
        "values": [[format(p.progress, "f"), format(report.schedule, "f")] for p in top],
        "unit": "%",
        "reference": 1,  # 序时进度: one dashed line across the bars
    }
    spec_json = json.dumps(drawing, ensure_ascii=False, sort_keys=True, separators=(",", ":")).replace("</", "<\\/")
    return ChartSpec(chart_id(report.as_of), title, alt, "bar", "%", series, rows, spec_json)


def _names(items: list[Progress]) -> str:
    return "、".join(f"{p.name}（{_pct(p.progress)}%）" for p in items)


def narrative(report: MonitoringReport, unit_name: str = "") -> list[str]:
    """The page's paragraphs: overall, per group, lines below 序时进度, lines with nothing paid."""
    words = monitoring_format()["wording"]
    t = report.total
    out = [words["overall"].format(
        date=_date(report.as_of), unit_name=unit_name, total=format_amount(t.total), carryover=format_amount(t.carryover),
        budget=format_amount(t.budget), paid=format_amount(t.paid), progress=_pct(t.progress), schedule=report.schedule,
        status=t.status_text)]
    for g in report.groups:
        out.append(words["group"].format(name=g.name, total=format_amount(g.total), paid=format_amount(g.paid),
                                         progress=_pct(g.progress), status=g.status_text))
    below = [p for p in report.below if not p.unpaid]
    if below:
        out.append(words["below"].format(count=len(below), names=_names(below)))
    if report.unpaid:
        out.append(words["unpaid"].format(count=len(report.unpaid), names="、".join(p.name for p in report.unpaid)))
    if not report.below:
        out.append(words["all_reached"])
    if report.summary:
        out.append(report.summary)
    return out


def monitoring_page_context(report: MonitoringReport, unit_name: str = "", public: bool = False) -> dict:
    """Everything the monitoring template prints, formatted; ``chart`` is drawn by the site as inline SVG."""
    title = monitoring_format()["wording"]["chart_title"].format(date=_date(report.as_of))
    return {
        "public": public,
        "unit_name": unit_name,
        "as_of": _date(report.as_of),
        "schedule": str(report.schedule),
        "basis": report.basis,
        "rows": [_row(p) for p in report.lines],
        "groups": [_row(p) for p in report.groups],
        "total": _row(report.total),
        "narrative": narrative(report, unit_name),
        "explained": [_row(p) for p in report.lines if p.reason or p.next_steps],
        "findings": [{"label": f.label, "message": f.message, "cells": [str(c) for c in f.cells]} for f in report.findings],
        "chart_id": chart_id(report.as_of),
        "chart_title": title,
        "chart": _chart_view(report, title),
        "source_file": report.sheet.file,
    }


def render_monitoring(context: dict, render: Render) -> str:
    return render(TEMPLATE, context)


def monitoring_files(project: Any, unit: str, year: int) -> list[Path]:
    """tables/<unit>/monitoring/<YYYY-MM-DD>.xlsx|.xls|.ods of one year, by date."""
    folder = project.tables_dir / unit / "monitoring"
    if not folder.is_dir():
        return []
    out = []
    for p in sorted(folder.iterdir()):
        if p.suffix.lower() in SPREADSHEET_SUFFIXES and p.stem.startswith(f"{year}-") and not p.name.startswith("~$"):
            out.append(p)
    return out


def monitoring_pages(ctx: UnitYearContext) -> list[ExtraPage]:
    """Feature hook: one page per monitoring workbook of the unit-year."""
    project, accounts = ctx.project, ctx.accounts
    unit_name = ctx.content.name or getattr(accounts, "unit_name", "")
    pages = []
    for path in monitoring_files(project, accounts.unit, accounts.year):
        sheet = read_monitoring(path, project.relative(path))
        if sheet.as_of is None:
            continue
        notes = load_monitoring_notes(project, accounts.unit, sheet.as_of)
        report = evaluate_monitoring(sheet, None, project.monitoring_target, False, notes, project.percent_places)
        context = monitoring_page_context(report, unit_name, public=getattr(ctx, "public", False))
        title = f"{unit_name}预算执行进度（截至{_date(sheet.as_of)}）"
        assert ctx.render is not None, "the site hands its renderer to the features"
        body = render_monitoring(context, ctx.render)
        pages.append(ExtraPage(page_file(sheet.as_of), title, body, charts=(context["chart"],)))
    return pages
