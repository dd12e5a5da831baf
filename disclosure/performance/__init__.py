"""部门整体支出绩效: the 附表2 rubric as data, its evaluation against the tables and the unit's own
scores, 附表1 goal evaluation, 项目自评 summaries, check findings and the page."""
from disclosure.performance.evaluate import IndicatorResult, PerformanceReport, evaluate_performance
from disclosure.performance.goals import GoalEvaluation, evaluate_goal, evaluate_goals
from disclosure.performance.inputs import PerformanceInputs, load_performance_inputs, parse_performance_inputs
from disclosure.performance.projects import ProjectSummary, summarize_projects
from disclosure.performance.rubric import Rubric, load_rubric

__all__ = [
    "GoalEvaluation",
    "IndicatorResult",
    "PerformanceInputs",
    "PerformanceReport",
    "ProjectSummary",
    "Rubric",
    "evaluate_goal",
    "evaluate_goals",
    "evaluate_performance",
    "load_performance_inputs",
    "load_rubric",
    "parse_performance_inputs",
    "summarize_projects",
]
