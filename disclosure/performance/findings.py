"""Disagreements between the rubric and the unit's own scores, as check-stage warnings."""
from __future__ import annotations

from disclosure.check.finding import Finding
from disclosure.performance.evaluate import PerformanceReport, format_score
from disclosure.performance.goals import GoalEvaluation
from disclosure.performance.projects import ProjectSummary

RULE_SCORE = "performance.self_score"
RULE_TOTAL = "performance.stated_total"
RULE_GOAL = "performance.goal_missed"
RULE_PROJECT = "performance.project_rate"


def performance_findings(
    report: PerformanceReport,
    goals: GoalEvaluation | None = None,
    projects: list[ProjectSummary] | None = None,
) -> list[Finding]:
    """One warning per indicator whose self-assessed score differs from the rubric's, one when the
    printed 自评得分合计 is not the sum of the self scores, one per 附表1 指标 that misses its
    预期指标值, and one per 项目自评 whose typed completion rate the figures do not give."""
    out: list[Finding] = []
    for r in report.flags:
        cells = tuple(f.cell for f in r.figures if f.cell is not None)
        out.append(
            Finding(
                "warning",
                RULE_SCORE,
                f"{r.spec.name}：{r.arithmetic}，按评分标准应得{format_score(r.computed_score)}分，"
                f"自评{format_score(r.self_score)}分。请核对自评得分（{report.inputs_file}［self_scores.{r.spec.key}］）。",
                cells,
                cells[0].table if cells else None,
                description="绩效自评得分与评分标准计算结果不一致",
            )
        )
    if report.stated_total is not None and report.stated_total != report.self_total:
        out.append(
            Finding(
                "warning",
                RULE_TOTAL,
                f"附表2自评得分合计填写为{report.stated_total}分，各指标自评得分相加为{report.self_total}分。",
                description="绩效自评合计与各项得分之和不一致",
            )
        )
    for g in goals.missed if goals is not None else ():
        ind = g.indicator
        out.append(
            Finding(
                "warning",
                RULE_GOAL,
                f"附表1“{ind.name}”未达预期：预期“{ind.target}”，实际“{ind.actual}”（{ind.ref}）。",
                description="绩效指标实际完成值未达到预期指标值",
            )
        )
    for p in projects or ():
        if p.stated_differs:
            out.append(
                Finding(
                    "warning",
                    RULE_PROJECT,
                    f"项目“{p.project.name}”填写完成预算的{p.project.stated_rate}%，"
                    f"按执行数÷预算数应为{p.rate}%（{p.project.ref}）。",
                    description="项目自评完成比例与预算数、执行数不符",
                )
            )
    return out
