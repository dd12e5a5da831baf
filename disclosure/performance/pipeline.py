"""Everything 绩效 for one unit-year, evaluated once (``evaluate``) and then read by the check stage
(``performance_findings_of``), the 绩效 page and the 第二部分 section."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from disclosure.check.finding import Finding
from disclosure.performance.completeness import complete, incomplete_finding
from disclosure.performance.evaluate import evaluate_performance
from disclosure.performance.findings import performance_findings
from disclosure.performance.goals import evaluate_goals
from disclosure.performance.inputs import load_performance_inputs
from disclosure.performance.projects import summarize_projects


@dataclass(frozen=True)
class PerformanceResult:
    """One unit-year's 绩效: its inputs, the 附表2 evaluation, the 附表1 goals, the 项目 summaries, and
    whether a score may be stated (every input the score needs is present)."""

    inputs: Any
    report: Any
    goals: Any
    projects: list
    score_stated: bool


def evaluate(accounts: Any, facts: Any, project: Any) -> PerformanceResult | None:
    """The unit-year's 绩效, or None without a filled-in performance.toml."""
    inputs = load_performance_inputs(project, accounts.unit, accounts.year)
    if inputs is None or inputs.blank:
        return None
    report = evaluate_performance(accounts, facts, inputs, project)
    goals = evaluate_goals(inputs.goals) if inputs.goals is not None else None
    return PerformanceResult(inputs, report, goals, summarize_projects(inputs.projects),
                             complete(accounts, facts, inputs))


def stated_staff(result: PerformanceResult) -> tuple[Any, str] | None:
    """实有人数 as performance.toml states it (figures.staff_actual) and where, or None."""
    count = result.inputs.figures.get("staff_actual")
    return (count, f"{result.inputs.file}［figures.staff_actual］") if count else None


def performance_findings_of(result: PerformanceResult, accounts: Any, facts: Any) -> list[Finding]:
    """The check stage's 绩效 findings: an error listing what a half-filled 附表2 lacks, then the
    warnings where the scores disagree."""
    return incomplete_finding(accounts, facts, result.inputs) + performance_findings(
        result.report, result.goals, result.projects)


def performance_check(accounts: Any, project: Any, facts: Any = None) -> list[Finding]:
    """``evaluate`` and its findings in one call (none without a performance.toml)."""
    result = evaluate(accounts, facts, project)
    return [] if result is None else performance_findings_of(result, accounts, facts)
