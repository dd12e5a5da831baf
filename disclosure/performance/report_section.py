"""第二部分 三、预算绩效评价工作开展情况: the report's own summary of the 绩效 page.

The reference report states, inside 第二部分, how self-evaluation was organised, each project's
自评 result and the 部门评价 result. Every figure here comes from the evaluation (computed scores,
completion rates) or from performance.toml (self scores, budgets), never typed into prose.
"""
from __future__ import annotations

from decimal import Decimal
from html import escape
from typing import Any

from disclosure.hooks import ExtraPage, ReportBlock, ReportSection, UnitYearContext
from disclosure.money import format_amount
from disclosure.performance.evaluate import format_score
from disclosure.performance.pipeline import PerformanceResult

PAGE = "performance.html"


def _p(text: str) -> str:
    return f"<p>{text}</p>"


def _management(report: Any, projects: list, year: int, public: bool = False, scored: bool = True) -> ReportBlock:
    budget = sum((s.project.budget for s in projects), Decimal(0))
    parts = [f"根据预算绩效管理要求，本单位对{year}年度部门整体支出开展了绩效自评"]
    if projects:
        parts.append(f"，并对{len(projects)}个项目开展了项目绩效自评，涉及预算资金{format_amount(budget)}万元")
    body = _p("".join(parts) + "。")
    if not scored:  # half-filled inputs: no score, neither computed nor self-assessed (check says what is missing)
        return ReportBlock("（一）预算绩效管理工作开展情况", body)
    if public:  # the public site states the unit's own evaluation; the cross-check is review material
        body += _p(f"部门整体支出绩效自评得分{report.self_total:.2f}分（满分{format_score(report.total_points)}分），"
                   f"各项指标的得分见<a href=\"{PAGE}\">部门整体支出绩效评价</a>。")
        return ReportBlock("（一）预算绩效管理工作开展情况", body)
    body += _p(
        f"按部门整体支出绩效评价指标的评分标准，依据公开表和绩效输入计算得分{report.computed_total:.2f}分，"
        f"单位自评得分{report.self_total:.2f}分（满分{format_score(report.total_points)}分）。"
        f"各项指标的计算过程、数据来源和得分见<a href=\"{PAGE}\">部门整体支出绩效评价</a>。"
    )
    flags = [r for r in report.indicators if getattr(r, "differs", False)]
    if flags:
        names = "、".join(escape(r.spec.name) for r in flags)
        body += _p(f"其中{names}的自评得分与按评分标准计算的得分不一致，详见绩效评价页。")
    return ReportBlock("（一）预算绩效管理工作开展情况", body)


def _projects(projects: list) -> ReportBlock | None:
    if not projects:
        return None
    items = []
    for n, s in enumerate(projects, 1):
        p = s.project
        score = f"项目自评得分{format_score(p.self_score)}分。" if p.self_score is not None else ""
        text = f"{n}.{escape(p.name)}：{score}{escape(s.sentence)}"
        if p.overall:
            text += f"项目绩效总目标完成情况：{escape(p.overall)}"
        items.append(_p(text))
    return ReportBlock("（二）部门决算中项目绩效自评结果", "".join(items))


def _evaluations(projects: list) -> ReportBlock | None:
    graded = [s.project for s in projects if s.project.grade]
    if not graded:
        return None
    lines = [
        f"{escape(p.name)}绩效评价综合得分{format_score(p.self_score)}分，评价结果为“{escape(p.grade)}”。"
        if p.self_score is not None
        else f"{escape(p.name)}绩效评价结果为“{escape(p.grade)}”。"
        for p in graded
    ]
    return ReportBlock("（三）部门评价项目绩效评价结果", _p("".join(lines)))


def report_blocks(result: PerformanceResult | None, year: int, public: bool = False) -> list[ReportBlock]:
    """The subsections of 三、预算绩效评价工作开展情况; empty without a filled-in performance.toml.
    ``public`` leaves out the computed scores and where they differ from the self-evaluation."""
    if result is None:
        return []
    blocks = [_management(result.report, result.projects, year, public, result.score_stated),
              _projects(result.projects), _evaluations(result.projects)]
    return [b for b in blocks if b is not None]


def performance_section(ctx: UnitYearContext, pages: list[ExtraPage]) -> ReportSection | None:
    """Feature hook: 三、预算绩效评价工作开展情况, when the unit-year has its 绩效 page to refer to."""
    if ctx.accounts is None or not any(p.filename == PAGE for p in pages):
        return None
    blocks = report_blocks(ctx.results.get("performance"), ctx.accounts.year, public=ctx.public)
    return ReportSection("dc-s-perf", "三、预算绩效评价工作开展情况", tuple(blocks), key="performance") if blocks else None
