"""Whether a unit's 绩效 inputs are complete enough to state a score: every figure, judgement and
self score the 附表2 rubric needs. A half-filled performance.toml gives no score at all (neither the
computed nor the self-assessed one): ``check`` lists what is missing and publishing is refused."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from disclosure.check.finding import Finding
from disclosure.performance.inputs import PerformanceInputs
from disclosure.performance.rubric import FigureSpec, Rubric, load_rubric
from disclosure.performance.sources import FigureSource

RULE_INCOMPLETE = "performance.incomplete"
SHOWN = 12  # missing inputs named in the message before “等”


@dataclass(frozen=True)
class MissingInput:
    """One input a score needs and does not have: the key to fill (or the table that lacks it)."""

    key: str  # figures.staff_quota, self_scores.goal_rationality, or "" for a table figure
    label: str
    indicator: str  # the 三级指标 that needs it

    def __str__(self) -> str:
        return f"{self.key}（{self.label}）" if self.key else f"{self.label}（公开表中没有）"


def started(inputs: PerformanceInputs | None) -> bool:
    """Whether 附表2 has been started: any figure, judgement, self score or stated total typed."""
    return inputs is not None and bool(
        inputs.figures or inputs.self_scores or inputs.judgements or inputs.stated_total is not None)


def _figure_input(spec: FigureSpec, source: FigureSource) -> MissingInput | None:
    figure = source.figure(spec)
    if figure.found:
        return None
    key = next((f"figures.{s['input']}" for s in spec.sources if "input" in s), "")
    return MissingInput(key, spec.label, "")


def missing_inputs(accounts: Any, facts: Any, inputs: PerformanceInputs | None,
                   rubric: Rubric | None = None) -> list[MissingInput]:
    """Every input some score of 附表2 lacks, in rubric order, each once."""
    rubric = rubric or load_rubric()
    source = FigureSource(accounts, facts, inputs)
    own_scores = inputs.self_scores if inputs is not None else {}
    judgements = inputs.judgements if inputs is not None else {}
    found: dict[str, MissingInput] = {}
    for spec in rubric.indicators:
        needed = [*spec.figures, *(k for pair in spec.zero_if_growth for k in pair)]
        for key in dict.fromkeys(needed):
            gap = _figure_input(rubric.figures[key], source)
            if gap is not None:
                found.setdefault(gap.key or gap.label, MissingInput(gap.key, gap.label, spec.name))
        part = spec.judged_part
        if part and part["key"] not in judgements:
            key = f"judgements.{part['key']}"
            found.setdefault(key, MissingInput(key, part["label"], spec.name))
        if spec.key not in own_scores:
            key = f"self_scores.{spec.key}"
            found.setdefault(key, MissingInput(key, f"{spec.name}自评得分", spec.name))
    return list(found.values())


def complete(accounts: Any, facts: Any, inputs: PerformanceInputs | None) -> bool:
    """A score may be stated: 附表2 started and nothing it needs missing."""
    return started(inputs) and not missing_inputs(accounts, facts, inputs)


def incomplete_finding(accounts: Any, facts: Any, inputs: PerformanceInputs | None) -> list[Finding]:
    """One error listing what a started but half-filled performance.toml lacks."""
    if not started(inputs):
        return []
    missing = missing_inputs(accounts, facts, inputs)
    if not missing:
        return []
    shown = "、".join(str(m) for m in missing[:SHOWN])
    more = f"等 {len(missing)} 项" if len(missing) > SHOWN else f"共 {len(missing)} 项"
    message = (f"{inputs.file} 只填写了部分绩效输入，得分无法按评分标准完整计算：缺少 {shown}{more}。"
               "请补全这些输入后重试；补全之前报告不写绩效得分，公开版不予发布")
    return [Finding("error", RULE_INCOMPLETE, message, (), None, "绩效得分所需的输入必须齐全")]
