"""What a unit-year's build keeps for the portal step: a slim result (what the portal renders) and,
apart from it, the unit-year's part of the search index.

The batch map calls ``build_kept_unit_year``: it builds the pages, writes the unit-year's search docs
beside them and returns a ``KeptResult`` (about a kilobyte; the search part is kept in a file of its
own, read by the portal only when the unit-year changed).
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from disclosure.project import Project
from disclosure.site.output import write
from disclosure.site.search import SearchPart, doc_path, make_part


@dataclass(frozen=True)
class KeptFigure:
    """A figure the portal shows (year-over-year table and trend charts); reads like a fact."""

    value: Decimal | None


@dataclass
class KeptResult:
    unit: str
    year: int
    unit_name: str
    status: str  # published | draft | refused
    pages: list = field(default_factory=list)  # PageInfo
    figures: dict[str, KeptFigure] | None = None  # fact key → figure, None without facts
    errors: list = field(default_factory=list)  # check errors (what a refusal reports)
    search_digest: str = ""
    search: SearchPart | None = None  # kept apart from the result (state.write_result)

    @property
    def facts(self) -> dict[str, KeptFigure] | None:
        """The figures, under the name the portal's charts read."""
        return self.figures

    def kept_apart(self) -> tuple[KeptResult, dict[str, Any]]:
        """The result without its search part, and the part to keep in a file of its own."""
        return replace(self, search=None), {"search": self.search}


def figure_keys() -> tuple[str, ...]:
    """The facts the portal uses: its year-over-year rows and trend series (charts.toml)."""
    from disclosure.site.charts import chart_specs

    specs = chart_specs()
    keys = {c["fact"] for c in specs.get("compare", [])}
    keys |= {s["fact"] for t in specs.get("trend", []) for s in t["series"]}
    return tuple(sorted(keys))


def _figures(facts: Any) -> dict[str, KeptFigure] | None:
    if not facts:
        return None
    out = {}
    for key in figure_keys():
        fact = facts.get(key)
        if fact is not None:
            out[key] = KeptFigure(fact.value)
    return out


def keep(result: Any, out_dir: Path | None = None) -> KeptResult:
    """The slim result of a unit-year build (``RenderedUnitYear``) with its search part; writes the
    search docs beside its pages when ``out_dir`` is given and the unit-year was not refused."""
    if isinstance(result, KeptResult):
        return result
    part = make_part(f"{result.unit}/{result.year}", list(result.search_docs))
    if out_dir is not None and result.status != "refused":
        for n, script in enumerate(part.doc_scripts):
            write(Path(out_dir) / doc_path(part.key, n), script)
    errors = list(result.errors) if result.status == "refused" else []
    return KeptResult(result.unit, result.year, result.unit_name, result.status, list(result.pages),
                      _figures(result.facts), errors, part.digest, part)


def build_kept_unit_year(project: Project, unit: str, year: int, out_dir: Path, options: Any = None) -> KeptResult:
    """Build a unit-year's pages (``disclosure.site.build_unit_year``) and keep what the portal needs."""
    from disclosure.site.unit_year import BuildOptions, build_unit_year

    result = build_unit_year(project, unit, year, Path(out_dir), options or BuildOptions())
    return keep(result, out_dir)
