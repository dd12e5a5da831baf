"""附表1: evaluate each 预期指标值 (≥150次, ≤461万, 4类, 效果显著) against its 实际完成指标值."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from disclosure.performance.inputs import GoalIndicator, GoalTable, GoalTask
from disclosure.performance.rubric import Rubric, load_rubric

ZERO = Decimal("0")
MET, MISSED, UNKNOWN, NONE = "met", "missed", "unknown", "none"
STATUS_TEXT = {MET: "已完成", MISSED: "未达预期", UNKNOWN: "无法比较", NONE: "未填写"}
_NUMBER = re.compile(r"^([+-]?\d+(?:,\d{3})*(?:\.\d+)?)\s*(.*)$")


@dataclass(frozen=True)
class Quantity:
    """A value written in a goal cell: an optional operator, a number and its unit, or text."""

    op: str  # ≥ ≤ > < = ("" for text)
    number: Decimal | None
    unit: str
    text: str


@dataclass
class GoalResult:
    """One 附表1 indicator row with its evaluation."""

    indicator: GoalIndicator
    status: str
    note: str = ""

    @property
    def status_text(self) -> str:
        return STATUS_TEXT[self.status]

    @property
    def missed(self) -> bool:
        return self.status == MISSED


@dataclass
class GoalEvaluation:
    """附表1 as rendered: tasks with their totals, and indicators with their status."""

    table: GoalTable
    results: list[GoalResult]
    budget_total: Decimal
    budget_fiscal_total: Decimal
    actual_total: Decimal
    actual_fiscal_total: Decimal

    @property
    def missed(self) -> list[GoalResult]:
        return [r for r in self.results if r.missed]

    @property
    def tasks(self) -> list[GoalTask]:
        return self.table.tasks


def _clean(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


def _unit(unit: str, rubric: Rubric) -> str:
    for canonical, aliases in rubric.unit_words:
        if unit in aliases:
            return canonical
    return unit


def parse_quantity(text: str, rubric: Rubric | None = None) -> Quantity:
    """'≥150次' → (≥, 150, 次); '4类' → (=, 4, 类); '效果显著' → text."""
    rubric = rubric or load_rubric()
    raw = _clean(text)
    op, rest = "", raw
    for word, canonical in rubric.operator_words:
        if rest.startswith(word):
            op, rest = canonical, rest[len(word):]
            break
    m = _NUMBER.match(rest)
    if not m:
        return Quantity("", None, "", raw)
    return Quantity(op or "=", Decimal(m.group(1).replace(",", "")), _unit(m.group(2), rubric), raw)


def evaluate_goal(target: str, actual: str, rubric: Rubric | None = None) -> tuple[str, str]:
    """The status of one 附表1 row and a note explaining it."""
    rubric = rubric or load_rubric()
    if not _clean(target) or not _clean(actual):
        return NONE, ""
    want, got = parse_quantity(target, rubric), parse_quantity(actual, rubric)
    if want.number is None or got.number is None:
        if want.number is None and got.number is None:
            same = want.text == got.text
            return (MET, "") if same else (MISSED, f"实际“{actual}”与预期“{target}”不一致")
        return UNKNOWN, "一方是数值、一方是文字，无法比较"
    if want.unit and got.unit and want.unit != got.unit:
        return UNKNOWN, f"单位不同（{want.unit}、{got.unit}），无法比较"
    a, b = got.number, want.number
    ok = {"≥": a >= b, "≤": a <= b, ">": a > b, "<": a < b, "=": a == b}[want.op]
    if ok:
        return MET, ""
    op = "" if want.op == "=" else want.op
    return MISSED, f"实际{got.number}{got.unit or want.unit}，预期{op}{want.number}{want.unit or got.unit}"


def evaluate_goals(table: GoalTable, rubric: Rubric | None = None) -> GoalEvaluation:
    """Evaluate every 指标 row of 附表1 and total the 任务 rows (金额合计)."""
    rubric = rubric or load_rubric()
    results = []
    for ind in table.indicators:
        status, note = evaluate_goal(ind.target, ind.actual, rubric)
        results.append(GoalResult(ind, status, note))

    def total(attr: str) -> Decimal:
        return sum((getattr(t, attr) or ZERO for t in table.tasks), ZERO)

    return GoalEvaluation(
        table=table,
        results=results,
        budget_total=total("budget"),
        budget_fiscal_total=total("budget_fiscal"),
        actual_total=total("actual"),
        actual_fiscal_total=total("actual_fiscal"),
    )
