"""Score every 附表2 indicator from the figures and set the unit's self-assessed score beside it."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from disclosure.model import Accounts
from disclosure.money import format_amount, percent
from disclosure.performance.inputs import PerformanceInputs
from disclosure.performance.rubric import IndicatorSpec, Rubric, load_rubric
from disclosure.performance.sources import Figure, FigureSource

ZERO = Decimal("0")
RATE_PLACES = 2


def format_figure(value: Decimal, unit: str) -> str:
    """万元 and % with two places and separators (5,817.35); counts as whole numbers (507)."""
    if unit in ("万元", "%"):
        return format_amount(value)
    if value == value.to_integral_value():
        return f"{value.to_integral_value():,}"
    return f"{value.normalize():,f}"


def format_score(value: Decimal | None) -> str:
    """A score as the report prints it: 3, 0.5, 2.5 (and 95.00 for totals, see format_total)."""
    if value is None:
        return "—"
    return f"{value.normalize():f}" if value != value.to_integral_value() else str(value.to_integral_value())


@dataclass
class IndicatorResult:
    """One indicator: its figures, computed rate and score, and the unit's own score."""

    spec: IndicatorSpec
    figures: list[Figure] = field(default_factory=list)
    rate: Decimal | None = None  # percent, rounded half up to 2 places
    computed_score: Decimal | None = None
    rule: str = ""  # the band or deduction that gave the score
    self_score: Decimal | None = None
    notes: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # labels of figures not found

    @property
    def judged(self) -> bool:
        return self.spec.judged

    @property
    def differs(self) -> bool:
        """True when the rubric gives a different score from the unit's own (the flag)."""
        return (
            not self.judged
            and self.computed_score is not None
            and self.self_score is not None
            and self.computed_score != self.self_score
        )

    @property
    def arithmetic(self) -> str:
        """The computation written out: 376.18 ÷ 195.00 = 192.91%."""
        if self.rate is None or len(self.figures) < 2:
            return ""
        a, b = self.figures[0], self.figures[1]
        fa, fb = format_figure(a.value, a.unit), format_figure(b.value, b.unit)
        if self.spec.rate == "change":
            return f"({fa} − {fb}) ÷ {fb} = {self.rate}%"
        if len(self.figures) > 2 and self.figures[2].found:  # 政府采购: 实际 + 节约
            s = self.figures[2]
            return f"({fa} + {format_figure(s.value, s.unit)}) ÷ {fb} = {self.rate}%"
        return f"{fa} ÷ {fb} = {self.rate}%"


@dataclass
class PerformanceReport:
    """附表2 evaluated for one unit-year."""

    unit: str
    year: int
    inputs_file: str | None
    indicators: list[IndicatorResult]
    total_points: Decimal
    stated_total: Decimal | None = None  # the 自评得分合计 the unit printed

    @property
    def computed_total(self) -> Decimal:
        """Sum of the rubric's scores; an indicator that cannot be computed counts its self score."""
        return sum(
            (r.computed_score if r.computed_score is not None else (r.self_score or ZERO) for r in self.indicators),
            ZERO,
        )

    @property
    def self_total(self) -> Decimal:
        return sum((r.self_score or ZERO for r in self.indicators), ZERO)

    @property
    def flags(self) -> list[IndicatorResult]:
        return [r for r in self.indicators if r.differs]

    @property
    def incomplete(self) -> list[IndicatorResult]:
        return [r for r in self.indicators if not r.judged and r.computed_score is None]

    def result(self, key: str) -> IndicatorResult | None:
        return next((r for r in self.indicators if r.spec.key == key), None)


def _rate(kind: str, a: Decimal, b: Decimal) -> Decimal | None:
    if kind == "change":
        return percent(a - b, b, RATE_PLACES)
    return percent(a, b, RATE_PLACES)


def _growth(spec: IndicatorSpec, rubric: Rubric, source: FigureSource, result: IndicatorResult) -> bool:
    """Apply 'zero if it grew against the prior year'; True when it applies."""
    grew = False
    for current_key, prior_key in spec.zero_if_growth:
        cur, pri = source.figure(rubric.figures[current_key]), source.figure(rubric.figures[prior_key])
        if not (cur.found and pri.found):
            result.notes.append(f"未找到{pri.label if not pri.found else cur.label}，未核对“比上年度增长则得0分”")
            continue
        if cur.value > pri.value:
            grew = True
            result.figures.append(pri)
            result.notes.append(
                f"{cur.label}{format_figure(cur.value, cur.unit)}{cur.unit}比{pri.label}"
                f"{format_figure(pri.value, pri.unit)}{pri.unit}有增长，按评分标准得0分"
            )
    return grew


def _score_rated(spec: IndicatorSpec, rubric: Rubric, source: FigureSource, inputs: PerformanceInputs | None) -> IndicatorResult:
    result = IndicatorResult(spec)
    a, b = (source.figure(rubric.figures[k]) for k in spec.figures)
    result.figures = [a, b]
    result.missing = [f.label for f in (a, b) if not f.found]
    if result.missing:
        result.notes.append(f"缺少{'、'.join(result.missing)}，无法计算，请在绩效输入文件中填写")
        return result
    numerator = a.value
    if spec.savings and inputs is not None and spec.savings in inputs.figures:
        saved = Figure(spec.savings, "按采购计划节约的资金", a.unit, inputs.figures[spec.savings], inputs.ref("figures", spec.savings))
        result.figures.append(saved)
        numerator += saved.value
    judged_extra = ZERO
    if spec.judged_part:
        part = spec.judged_part
        got = inputs.judgements.get(part["key"]) if inputs is not None else None
        cap = Decimal(str(part["points"]))
        if got is None:
            result.notes.append(f"未填写“{part['label']}”的评分（judgements.{part['key']}），按0分计")
        judged_extra = min(cap, got or ZERO)
    if b.value == 0:
        zd = spec.zero_denominator
        if zd is None:
            result.notes.append(f"{b.label}为0，无法计算比率")
            return result
        if a.value == 0 and zd.get("numerator_zero") == "full":
            result.computed_score, result.rule = spec.points, f"{b.label}为0且{a.label}为0，得满分"
        else:
            result.computed_score, result.rule = Decimal(str(zd.get("otherwise", 0))), f"{b.label}为0但{a.label}不为0，不得分"
        return result
    result.rate = _rate(spec.rate, numerator, b.value)
    score, rule = spec.scoring.score(result.rate)
    if spec.scoring.kind == "deviation" and spec.scoring.above == "zero" and result.rate > spec.scoring.target:
        judged_extra = ZERO
    result.computed_score, result.rule = score + judged_extra, rule
    if spec.judged_part and judged_extra:
        result.rule += f"；{spec.judged_part['label']}{format_score(judged_extra)}分"
    if spec.zero_if_growth and _growth(spec, rubric, source, result):
        result.computed_score = ZERO
    return result


def evaluate_performance(
    accounts: Accounts | None,
    facts: Any,
    inputs: PerformanceInputs | None,
    project: Any = None,
    rubric: Rubric | None = None,
) -> PerformanceReport:
    """Evaluate 附表2 for one unit-year.

    ``accounts`` gives the table figures (and ``accounts.prior`` the prior year's), ``facts`` the
    derive stage's Facts when available (may be None), ``inputs`` the unit's performance.toml.
    ``project`` is accepted for symmetry with the other stages (percent places are fixed at 2 here,
    as the rubric's bands are written on two-place rates).
    """
    rubric = rubric or load_rubric()
    source = FigureSource(accounts, facts, inputs)
    results = []
    for spec in rubric.indicators:
        if spec.judged:
            result = IndicatorResult(spec)
            own = inputs.self_scores.get(spec.key) if inputs is not None else None
            result.computed_score = own
            result.rule = "按评分标准由单位评判" if own is not None else ""
            if own is None:
                result.notes.append(f"未填写评分（self_scores.{spec.key}）")
        else:
            result = _score_rated(spec, rubric, source, inputs)
        result.self_score = inputs.self_scores.get(spec.key) if inputs is not None else None
        results.append(result)
    return PerformanceReport(
        unit=accounts.unit if accounts is not None else "",
        year=accounts.year if accounts is not None else 0,
        inputs_file=inputs.file if inputs is not None else None,
        indicators=results,
        total_points=rubric.total_points,
        stated_total=inputs.stated_total if inputs is not None else None,
    )

