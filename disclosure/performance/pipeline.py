"""Everything 绩效 for one unit-year in one call: for the check stage and for the site page."""
from __future__ import annotations

from typing import Any

from disclosure.check.finding import Finding


def build_performance(accounts: Any, facts: Any, project: Any) -> tuple[Any, Any, Any] | None:
    """Evaluate everything the 绩效 page shows for one unit-year; None without a filled-in performance.toml."""
    from disclosure.performance.evaluate import evaluate_performance
    from disclosure.performance.goals import evaluate_goals
    from disclosure.performance.inputs import load_performance_inputs
    from disclosure.performance.projects import summarize_projects

    inputs = load_performance_inputs(project, accounts.unit, accounts.year)
    if inputs is None or inputs.blank:
        return None
    report = evaluate_performance(accounts, facts, inputs, project)
    goals = evaluate_goals(inputs.goals) if inputs.goals is not None else None
    return report, goals, summarize_projects(inputs.projects)


def performance_check(accounts: Any, project: Any, facts: Any = None) -> list[Finding]:
    """The check stage's 绩效 findings for one unit-year (none without a performance.toml): an error
    listing what a half-filled 附表2 lacks, then the warnings where the scores disagree."""
    from disclosure.performance.completeness import incomplete_finding
    from disclosure.performance.findings import performance_findings
    from disclosure.performance.inputs import load_performance_inputs

    built = build_performance(accounts, facts, project)
    if built is None:
        return []
    report, goals, projects = built
    inputs = load_performance_inputs(project, accounts.unit, accounts.year)
    return incomplete_finding(accounts, facts, inputs) + performance_findings(report, goals, projects)


def score_stated(accounts: Any, facts: Any, project: Any) -> bool:
    """Whether the report may state a 绩效 score: 附表2 started and every input it needs present."""
    from disclosure.performance.completeness import complete
    from disclosure.performance.inputs import load_performance_inputs

    return complete(accounts, facts, load_performance_inputs(project, accounts.unit, accounts.year))
