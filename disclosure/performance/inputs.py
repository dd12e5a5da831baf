"""The unit's own 绩效 inputs: content/<unit>/<year>/performance.toml (what the tables lack)."""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from disclosure.errors import InputError, Problem, describe_toml_error
from disclosure.performance.rubric import load_rubric
from disclosure.project import Project
from disclosure.safe_files import TEXT_LIMIT, read_bytes

FILE_NAME = "performance.toml"


@dataclass(frozen=True, order=True)
class InputRef:
    """Where a figure typed by a person lives: the input file and the key inside it."""

    file: str
    key: str

    def __str__(self) -> str:
        return f"{self.file}［{self.key}］"


@dataclass
class GoalTask:
    """A 年度主要任务 row of 附表1."""

    name: str
    status: str
    budget: Decimal | None
    budget_fiscal: Decimal | None
    actual: Decimal | None
    actual_fiscal: Decimal | None
    ref: InputRef


@dataclass
class GoalIndicator:
    """A 年度绩效指标 row of 附表1: 预期指标值 against 实际完成指标值."""

    level1: str
    level2: str
    name: str
    target: str
    actual: str
    ref: InputRef


@dataclass
class GoalTable:
    """附表1 部门（单位）整体支出绩效目标完成情况表 as the unit wrote it."""

    tasks: list[GoalTask] = field(default_factory=list)
    overall_target: str = ""
    overall_result: str = ""
    indicators: list[GoalIndicator] = field(default_factory=list)


@dataclass
class ProjectAssessment:
    """One 项目绩效自评 as the unit wrote it; the rate is computed, never typed."""

    name: str
    budget: Decimal
    actual: Decimal
    self_score: Decimal | None
    stated_rate: Decimal | None
    grade: str
    overall: str
    problems: list[str]
    improvements: list[str]
    ref: InputRef


@dataclass
class PerformanceInputs:
    """Everything read from one performance.toml."""

    file: str
    figures: dict[str, Decimal] = field(default_factory=dict)
    self_scores: dict[str, Decimal] = field(default_factory=dict)
    judgements: dict[str, Decimal] = field(default_factory=dict)
    stated_total: Decimal | None = None
    goals: GoalTable | None = None
    projects: list[ProjectAssessment] = field(default_factory=list)
    notes: str = ""

    @property
    def blank(self) -> bool:
        """Nothing filled in yet (the file as init wrote it)."""
        goals = self.goals is not None and (self.goals.tasks or self.goals.indicators or self.goals.overall_target)
        return not (self.figures or self.self_scores or self.judgements or self.projects or goals)

    def ref(self, section: str, key: str) -> InputRef:
        return InputRef(self.file, f"{section}.{key}")


def _number(value: object, file: str, key: str, *, allow_none: bool = False) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        if allow_none:
            return None
        raise InputError(Problem(f"“{key}”没有填写数值，请填写数字。", file=file))
    if isinstance(value, bool) or not isinstance(value, (int, float, str, Decimal)):
        raise InputError(Problem(f"“{key}”应是数字，现在是“{value}”，请改为数字。", file=file))
    try:
        number = Decimal(str(value).replace(",", "").strip())
    except InvalidOperation:
        raise InputError(Problem(f"“{key}”应是数字，现在是“{value}”，请改为数字。", file=file)) from None
    if not number.is_finite():
        raise InputError(Problem(f"“{key}”应是数字，现在是“{value}”，请改为数字。", file=file))
    return number


def _numbers(table: object, file: str, section: str) -> dict[str, Decimal]:
    if table is None:
        return {}
    if not isinstance(table, dict):
        raise InputError(Problem(f"[{section}] 应是“名称 = 数字”的表。", file=file))
    out = {}
    for key, value in table.items():
        number = _number(value, file, f"{section}.{key}")
        if number is not None and number < 0:
            raise InputError(Problem(f"“{section}.{key}”不能为负数（现在是 {value}）。", file=file))
        out[str(key)] = number
    return out


def _goals(data: dict, file: str) -> GoalTable:
    goals = GoalTable(
        overall_target=str(data.get("overall_target", "")).strip(),
        overall_result=str(data.get("overall_result", "")).strip(),
    )
    for i, t in enumerate(data.get("tasks", ())):
        key = f"goals.tasks[{i + 1}]"
        if not str(t.get("name", "")).strip():
            raise InputError(Problem(f"“{key}”缺少任务名称 name。", file=file))
        goals.tasks.append(
            GoalTask(
                name=str(t["name"]).strip(),
                status=str(t.get("status", "")).strip(),
                budget=_number(t.get("budget"), file, f"{key}.budget", allow_none=True),
                budget_fiscal=_number(t.get("budget_fiscal"), file, f"{key}.budget_fiscal", allow_none=True),
                actual=_number(t.get("actual"), file, f"{key}.actual", allow_none=True),
                actual_fiscal=_number(t.get("actual_fiscal"), file, f"{key}.actual_fiscal", allow_none=True),
                ref=InputRef(file, key),
            )
        )
    for i, ind in enumerate(data.get("indicators", ())):
        key = f"goals.indicators[{i + 1}]"
        goals.indicators.append(
            GoalIndicator(
                level1=str(ind.get("level1", "")).strip(),
                level2=str(ind.get("level2", "")).strip(),
                name=str(ind.get("name", "")).strip(),
                target=str(ind.get("target", "")).strip(),
                actual=str(ind.get("actual", "")).strip(),
                ref=InputRef(file, key),
            )
        )
    return goals


def _projects(items: list, file: str) -> list[ProjectAssessment]:
    out = []
    for i, p in enumerate(items):
        key = f"projects[{i + 1}]"
        name = str(p.get("name", "")).strip()
        if not name:
            raise InputError(Problem(f"“{key}”缺少项目名称 name。", file=file))
        out.append(
            ProjectAssessment(
                name=name,
                budget=_number(p.get("budget"), file, f"{key}.budget"),
                actual=_number(p.get("actual"), file, f"{key}.actual"),
                self_score=_number(p.get("self_score"), file, f"{key}.self_score", allow_none=True),
                stated_rate=_number(p.get("stated_rate"), file, f"{key}.stated_rate", allow_none=True),
                grade=str(p.get("grade", "")).strip(),
                overall=str(p.get("overall", "")).strip(),
                problems=[str(x).strip() for x in p.get("problems", ())],
                improvements=[str(x).strip() for x in p.get("improvements", ())],
                ref=InputRef(file, key),
            )
        )
    return out


def parse_performance_inputs(data: dict, file: str) -> PerformanceInputs:
    """Validate the TOML data of one performance.toml; errors name the file and the key."""
    rubric = load_rubric()
    inputs = PerformanceInputs(
        file=file,
        figures=_numbers(data.get("figures"), file, "figures"),
        self_scores=_numbers(data.get("self_scores"), file, "self_scores"),
        judgements=_numbers(data.get("judgements"), file, "judgements"),
        stated_total=_number(data.get("stated_total"), file, "stated_total", allow_none=True),
        notes=str(data.get("notes", "")),
    )
    for key, score in inputs.self_scores.items():
        spec = rubric.indicator(key)
        if spec is None:
            known = "、".join(i.key for i in rubric.indicators)
            raise InputError(Problem(f"[self_scores] 中的“{key}”不是附表2的指标。可用的有：{known}。", file=file))
        if score > spec.points:
            raise InputError(
                Problem(f"“self_scores.{key}”（{spec.name}）自评 {score} 分，超过该指标分值 {spec.points} 分。", file=file)
            )
    if "goals" in data:
        inputs.goals = _goals(data["goals"], file)
    inputs.projects = _projects(data.get("projects", ()), file)
    return inputs


def performance_path(project: Project, unit: str, year: int) -> Path:
    return project.content_dir / unit / str(year) / FILE_NAME


def load_performance_inputs(project: Project, unit: str, year: int) -> PerformanceInputs | None:
    """Read content/<unit>/<year>/performance.toml; None when the unit has not written one."""
    path = performance_path(project, unit, year)
    if not path.exists():
        return None
    file = project.relative(path)
    return parse_performance_inputs(_read_toml(path, file), file)


def _read_toml(path: Path, file: str) -> dict:
    """The file's TOML data (read once per unit-year: the pipeline evaluates 绩效 once)."""
    raw = read_bytes(path, limit=TEXT_LIMIT, display=file)  # a regular file of sensible size (safe_files)
    try:
        return tomllib.loads(raw.decode("utf-8"), parse_float=Decimal)
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InputError(Problem(f"文件格式有误：{describe_toml_error(exc)}。", file=file)) from exc
