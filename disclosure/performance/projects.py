"""项目绩效自评 summaries: the completion rate computed from 预算数 and 执行数, never typed."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from disclosure.money import format_amount, percent
from disclosure.performance.inputs import ProjectAssessment


@dataclass
class ProjectSummary:
    """One project's 自评综述 figures."""

    project: ProjectAssessment
    rate: Decimal | None  # 完成预算的 X%

    @property
    def stated_differs(self) -> bool:
        """The unit typed a completion rate that the figures do not give."""
        return self.project.stated_rate is not None and self.rate is not None and self.project.stated_rate != self.rate

    @property
    def sentence(self) -> str:
        """全年预算数为4,278.39万元，执行数为3,512.08万元，完成预算的82.09%。"""
        p = self.project
        done = f"完成预算的{self.rate}%" if self.rate is not None else "预算数为0，不计算完成比例"
        return f"全年预算数为{format_amount(p.budget)}万元，执行数为{format_amount(p.actual)}万元，{done}。"


def summarize_projects(projects: list[ProjectAssessment], places: int = 2) -> list[ProjectSummary]:
    return [ProjectSummary(p, percent(p.actual, p.budget, places)) for p in projects]
