"""Where a rubric figure's value comes from: the tables (via Facts when derive provides them),
the prior year's tables, or the unit's performance.toml. The one place that reads Accounts."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Union

from disclosure.model import Accounts, CellRef
from disclosure.performance.inputs import InputRef, PerformanceInputs
from disclosure.performance.rubric import FigureSpec

Source = Union[CellRef, InputRef, str]  # str: a fact name or "常数"


@dataclass(frozen=True)
class Figure:
    """A figure as used by an indicator: value, unit, where it came from (None when not found)."""

    key: str
    label: str
    unit: str
    value: Decimal | None
    source: Source | None = None
    year: int | None = None  # set when the cell belongs to another year's tables (the prior year)

    @property
    def found(self) -> bool:
        return self.value is not None

    @property
    def cell(self) -> CellRef | None:
        return self.source if isinstance(self.source, CellRef) else None


def _table_value(accounts: Accounts | None, table_key: str, row_key: str, column: str) -> tuple[Decimal, CellRef] | None:
    if accounts is None:
        return None
    table = accounts.get(table_key)
    if table is None or not table.rows:
        return None
    row = table.rows[0] if row_key == "" else table.row(row_key)
    if row is None or column not in row.cells:
        return None
    return row.value(column), row.cells[column]


def _fact_value(facts: Any, name: str) -> tuple[Decimal, Source] | None:
    """A fact from derive's Facts, read defensively: mapping-like or with .get, value + cells."""
    if facts is None:
        return None
    getter = getattr(facts, "get", None)
    fact = getter(name) if callable(getter) else None
    if fact is None:
        return None
    value = getattr(fact, "value", fact)
    if not isinstance(value, Decimal):
        return None
    cells = list(getattr(fact, "cells", ()) or ())
    return value, (cells[0] if len(cells) == 1 else name)


class FigureSource:
    """Looks figures up in the order the rubric lists their sources."""

    def __init__(self, accounts: Accounts | None, facts: Any, inputs: PerformanceInputs | None):
        self.accounts = accounts
        self.facts = facts
        self.inputs = inputs

    def figure(self, spec: FigureSpec) -> Figure:
        for src in spec.sources:
            found = self._lookup(src)
            if found is not None:
                year = None
                if "prior_table" in src and self.accounts is not None and self.accounts.prior is not None:
                    year = self.accounts.prior.year
                return Figure(spec.key, spec.label, spec.unit, found[0], found[1], year)
        return Figure(spec.key, spec.label, spec.unit, None, None)

    def _lookup(self, src: dict) -> tuple[Decimal, Source] | None:
        if "table" in src:
            return _table_value(self.accounts, src["table"], src.get("row", ""), src["column"])
        if "prior_table" in src:
            prior = self.accounts.prior if self.accounts is not None else None
            return _table_value(prior, src["prior_table"], src.get("row", ""), src["column"])
        if "fact" in src:
            return _fact_value(self.facts, src["fact"])
        if "input" in src:
            if self.inputs is None or src["input"] not in self.inputs.figures:
                return None
            return self.inputs.figures[src["input"]], self.inputs.ref("figures", src["input"])
        if "constant" in src:
            return Decimal(str(src["constant"])), "常数"
        raise ValueError(f"unknown figure source {src!r}")
