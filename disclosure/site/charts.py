"""Charts built from facts (never from the tables): a small JSON spec drawn at build time as inline SVG
(``disclosure.site.svgchart``; no chart library is shipped), plus the same numbers as a table and an alt text.

Which charts exist and which facts feed them is data: ``charts.toml`` beside this module.
"""
from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, fields
from decimal import Decimal
from pathlib import Path
from typing import Any

from disclosure.hooks import ChartSpec
from disclosure.money import format_amount
from disclosure.package_data import package_toml
from disclosure.site.svgchart import draw, legend

CHARTS_TOML = Path(__file__).with_name("charts.toml")


@dataclass(frozen=True)
class ChartView(ChartSpec):
    """One chart as the theme's chart macro draws it: the spec's data, drawn as inline SVG."""

    @classmethod
    def of(cls, spec: ChartSpec) -> "ChartView":
        """A feature's chart (plain data) ready for the chart macro."""
        return spec if isinstance(spec, cls) else cls(**{f.name: getattr(spec, f.name) for f in fields(ChartSpec)})

    @property
    def svg(self) -> str:
        """The chart drawn as inline SVG (same bytes for the same spec)."""
        return draw(json.loads(self.spec_json), [vals for _, vals in self.rows])

    @property
    def legend(self) -> list[tuple[int, str]]:
        """(colour index, text) of each legend entry."""
        return legend(json.loads(self.spec_json), [vals for _, vals in self.rows])


def chart_specs() -> dict[str, list[dict]]:
    return package_toml("site/charts.toml")


def _value(facts: Mapping[str, Any], key: str) -> Decimal | None:
    fact = facts.get(key)
    return None if fact is None else fact.value


def _categories(spec: dict, facts: Any) -> list[tuple[str, list[Decimal | None]]]:
    cats: list[tuple[str, list[Decimal | None]]] = []
    for cat in spec.get("categories", ()):
        cats.append((cat["label"], [_value(facts, k) for k in cat["facts"]]))
    family = spec.get("family")
    if family:
        names = getattr(facts, "names", {})
        codes = facts.codes(family) if hasattr(facts, "codes") else []
        for code in codes:
            keys = [p.format(family=family, code=code) for p in spec["patterns"]]
            label = names.get(f"{family}.{code}", code)
            cats.append((label, [_value(facts, k) for k in keys]))
    return [(label, vals) for label, vals in cats if any(v for v in vals)]


def _view(cid: str, spec: dict, title: str, cats: list[tuple[str, list[Decimal | None]]]) -> ChartView:
    series = list(spec.get("series", ["金额"]))
    unit = spec.get("unit", "万元")
    rows = [(label, [format_amount(v) if v is not None else "—" for v in vals]) for label, vals in cats]
    parts = []
    for label, vals in rows:
        if len(series) == 1:
            parts.append(f"{label}{vals[0]}{unit}")
        else:
            parts.append(label + "：" + "，".join(f"{s}{v}{unit}" for s, v in zip(series, vals)))
    kind_word = {"pie": "饼图", "bar": "柱状图", "line": "折线图"}[spec["kind"]]
    alt = f"{title}（{kind_word}）：" + "；".join(parts) + "。"
    drawing = {
        "kind": spec["kind"],
        "categories": [label for label, _ in cats],
        "series": series,
        "values": [[format(v, "f") if v is not None else None for v in vals] for _, vals in cats],
        "unit": unit,
    }
    spec_json = json.dumps(drawing, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return ChartView(f"dc-chart-{cid}", title, alt, spec["kind"], unit, series, rows, spec_json.replace("<", "\\u003c").replace("&", "\\u0026"))


def unit_year_charts(facts: Any, year: int) -> list[ChartView]:
    """The report's charts for one unit-year, in the order of ``charts.toml``; charts without data are left out."""
    if not facts:
        return []
    out = []
    for spec in chart_specs()["chart"]:
        cats = _categories(spec, facts)
        minimum = 2 if spec["kind"] == "pie" else 1
        if len(cats) < minimum:
            continue
        out.append(_view(spec["id"], spec, spec["title"].format(year=year), cats))
    return out


def trend_charts(unit_name: str, by_year: list[tuple[int, Any]]) -> list[ChartView]:
    """Multi-year charts over a unit's years (oldest first); needs at least two years with facts."""
    years = [(y, f) for y, f in sorted(by_year, key=lambda p: p[0]) if f]
    if len(years) < 2:
        return []
    out = []
    for spec in chart_specs()["trend"]:
        series = [s["label"] for s in spec["series"]]
        cats = [(f"{y}年", [_value(f, s["fact"]) for s in spec["series"]]) for y, f in years]
        cats = [c for c in cats if any(v is not None for v in c[1])]
        if len(cats) < 2:
            continue
        out.append(_view(spec["id"], {**spec, "series": series}, spec["title"].format(unit=unit_name), cats))
    return out
