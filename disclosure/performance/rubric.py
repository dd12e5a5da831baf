"""The 附表2 rubric as data: indicators, the figures they need, and how a rate becomes a score."""
from __future__ import annotations

import math
import tomllib
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property, lru_cache
from pathlib import Path

RUBRIC_PATH = Path(__file__).with_name("rubric.toml")
ZERO = Decimal("0")


def _dec(value: object) -> Decimal:
    return Decimal(str(value))


@dataclass(frozen=True)
class FigureSpec:
    """A named figure and the places to look for it, in order."""

    key: str
    label: str
    unit: str
    sources: tuple[dict, ...]


@dataclass(frozen=True)
class Band:
    """One scoring band: bounds on the rate (any of ≥ > ≤ < =) and its score."""

    score: Decimal
    text: str = ""
    ge: Decimal | None = None
    gt: Decimal | None = None
    le: Decimal | None = None
    lt: Decimal | None = None
    eq: Decimal | None = None

    def holds(self, rate: Decimal) -> bool:
        return (
            (self.ge is None or rate >= self.ge)
            and (self.gt is None or rate > self.gt)
            and (self.le is None or rate <= self.le)
            and (self.lt is None or rate < self.lt)
            and (self.eq is None or rate == self.eq)
        )


@dataclass(frozen=True)
class Scoring:
    """How a rate is scored: ``bands`` (first that holds) or ``deviation`` from a target."""

    kind: str
    points: Decimal
    bands: tuple[Band, ...] = ()
    target: Decimal = ZERO
    above: str = "step"  # "step" or "zero"
    above_step: Decimal | None = None
    above_penalty: Decimal = ZERO
    below_step: Decimal | None = None
    below_penalty: Decimal = ZERO

    def score(self, rate: Decimal) -> tuple[Decimal, str]:
        """The score of a rate (already rounded to 2 places) and the rule that gave it."""
        if self.kind == "bands":
            for band in self.bands:
                if band.holds(rate):
                    return band.score, band.text
            return ZERO, ""
        return self._deviation(rate)

    def _deviation(self, rate: Decimal) -> tuple[Decimal, str]:
        if rate == self.target:
            return self.points, f"达到要求（{self.target}%）"
        if rate > self.target:
            if self.above == "zero":
                return ZERO, f"高于要求（{self.target}%），不得分"
            step, penalty, side = self.above_step, self.above_penalty, "高于"
        else:
            step, penalty, side = self.below_step, self.below_penalty, "低于"
        if step is None:
            return self.points, f"达到要求（{self.target}%）"
        gap = abs(rate - self.target)
        steps = math.ceil(gap / step)  # every started step costs its penalty
        score = max(ZERO, self.points - penalty * steps)
        return score, f"{side}要求{gap}个百分点，扣{min(self.points, penalty * steps)}分"


@dataclass(frozen=True)
class IndicatorSpec:
    """One 三级指标 of 附表2."""

    key: str
    level1: str
    level2: str
    name: str
    points: Decimal
    formula: str
    standard: str = ""
    rate: str | None = None  # "ratio" | "change" | None (scored by judgement)
    figures: tuple[str, ...] = ()
    scoring: Scoring | None = None
    zero_if_growth: tuple[tuple[str, str], ...] = ()
    judged_part: dict | None = None
    zero_denominator: dict | None = None
    savings: str | None = None

    @property
    def judged(self) -> bool:
        return self.rate is None


@dataclass(frozen=True)
class Rubric:
    figures: dict[str, FigureSpec]
    indicators: tuple[IndicatorSpec, ...]
    target_operators: dict[str, tuple[str, ...]] = field(default_factory=dict)
    unit_aliases: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def total_points(self) -> Decimal:
        return sum((i.points for i in self.indicators), ZERO)

    @cached_property
    def operator_words(self) -> tuple[tuple[str, str], ...]:
        """(word, operator) of the 指标值 operators (≥, 不低于 …), NFKC, longest word first (made once)."""
        pairs = ((unicodedata.normalize("NFKC", w), o) for o, ws in self.target_operators.items() for w in ws)
        return tuple(sorted(pairs, key=lambda p: -len(p[0])))

    @cached_property
    def unit_words(self) -> tuple[tuple[str, frozenset[str]], ...]:
        """(canonical unit, its aliases in NFKC) (made once)."""
        return tuple((c, frozenset(unicodedata.normalize("NFKC", a) for a in aliases))
                     for c, aliases in self.unit_aliases.items())

    def indicator(self, key: str) -> IndicatorSpec | None:
        return next((i for i in self.indicators if i.key == key), None)


def _band(d: dict) -> Band:
    opt = {k: _dec(d[k]) for k in ("ge", "gt", "le", "lt", "eq") if k in d}
    return Band(score=_dec(d["score"]), text=str(d.get("text", "")), **opt)


def _scoring(d: dict, points: Decimal) -> Scoring:
    kind = d["kind"]
    if kind not in ("bands", "deviation"):
        raise ValueError(f"unknown scoring kind {kind!r}")
    step = lambda k: _dec(d[k]) if k in d else None  # noqa: E731
    return Scoring(
        kind=kind,
        points=_dec(d.get("points", points)),
        bands=tuple(_band(b) for b in d.get("bands", ())),
        target=_dec(d.get("target", 0)),
        above=str(d.get("above", "step")),
        above_step=step("above_step"),
        above_penalty=_dec(d.get("above_penalty", 0)),
        below_step=step("below_step"),
        below_penalty=_dec(d.get("below_penalty", 0)),
    )


def _indicator(d: dict) -> IndicatorSpec:
    points = _dec(d["points"])
    return IndicatorSpec(
        key=d["key"],
        level1=d["level1"],
        level2=d["level2"],
        name=d["name"],
        points=points,
        formula=d["formula"],
        standard=d.get("standard", ""),
        rate=d.get("rate"),
        figures=tuple(d.get("figures", ())),
        scoring=_scoring(d["scoring"], points) if "scoring" in d else None,
        zero_if_growth=tuple((a, b) for a, b in d.get("zero_if_growth", ())),
        judged_part=d.get("judged_part"),
        zero_denominator=d.get("zero_denominator"),
        savings=d.get("savings"),
    )


def parse_rubric(data: dict) -> Rubric:
    """Build a Rubric from its TOML data (also used by tests with small rubrics)."""
    figures = {
        key: FigureSpec(key, f["label"], f.get("unit", "万元"), tuple(f.get("sources", ())))
        for key, f in data.get("figures", {}).items()
    }
    indicators = tuple(_indicator(d) for d in data.get("indicator", ()))
    for ind in indicators:
        missing = [f for f in ind.figures if f not in figures]
        missing += [f for pair in ind.zero_if_growth for f in pair if f not in figures]
        if missing:
            raise ValueError(f"indicator {ind.key} names unknown figures {missing}")
        if ind.rate is not None and (ind.scoring is None or len(ind.figures) != 2):
            raise ValueError(f"indicator {ind.key} has a rate but no scoring or not two figures")
    return Rubric(
        figures=figures,
        indicators=indicators,
        target_operators={k: tuple(v) for k, v in data.get("target_operators", {}).items()},
        unit_aliases={k: tuple(v) for k, v in data.get("unit_aliases", {}).items()},
    )


@lru_cache(maxsize=4)
def load_rubric(path: Path = RUBRIC_PATH) -> Rubric:
    """The rubric shipped with the package (附表2 of the reference report)."""
    with open(path, "rb") as f:
        return parse_rubric(tomllib.load(f))
