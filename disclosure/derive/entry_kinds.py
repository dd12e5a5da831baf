"""The kinds of registry entries: each names a fact, describes it, and knows how to resolve it.

A registry entry is data (key, label, description, sources or operands) plus one small resolver
per kind. Keys and labels may contain ``{code}`` and ``{name}``: such an entry belongs to a
``Family`` (the 类 of a table, its 项, the 款 of 人员经费 …) and is resolved once per member code.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import cached_property
from typing import Callable, Iterable

from disclosure.derive.facts import MONEY, PERCENT, Fact, Facts
from disclosure.model import Accounts, CellRef, Row, Table
from disclosure.money import percent, round_half_up

ZERO = Decimal("0")


@dataclass
class Scope:
    """What an entry is resolved against: one year's accounts and the facts derived so far."""

    accounts: Accounts
    facts: Facts
    percent_places: int = 2
    year: int | None = None  # set for the prior year's scope so its facts link to that year
    memo: dict = field(default_factory=dict)  # per-scope answers about its tables (columns present, labels)
    percent_overrides: tuple[tuple[str, int], ...] = ()  # (fact-key prefix, places) of the report style

    def places(self, key: str) -> int:
        """Percent places of a fact: the style's longest matching prefix, else the project's."""
        return places_for(key, self.percent_places, self.percent_overrides)


def places_for(key: str, default: int, overrides: tuple[tuple[str, int], ...]) -> int:
    best, places = -1, default
    for prefix, value in overrides:
        if key.startswith(prefix) and len(prefix) > best:
            best, places = len(prefix), value
    return places


def _fmt(text: str, code: str | None, name: str | None) -> str:
    if code is None:
        return text
    return text.replace("{code}", code).replace("{name}", name or code)


@dataclass(frozen=True)
class Spec:
    """Common fields of every entry. ``compare`` asks for the change against the prior year:
    ``"pct"`` (amount and rate) or ``"count"`` (a difference only). ``ask_reason`` False leaves the
    change without a ``reason_key``: styles may state it, but the check asks no reason for it."""

    key: str
    label: str
    description: str
    family: str | None = None
    compare: str | None = None
    reason_key: str | None = None
    ask_reason: bool = True  # False: a change the reference report does not state; no reason is asked for

    @cached_property
    def _bindings(self) -> dict[tuple[str, str], "Spec"]:
        return {}

    def bound(self, code: str, name: str) -> "Spec":
        """``bind(code, name)``, made once per entry, code and name (codes and names repeat across
        unit-years and between a year and its prior year)."""
        hit = self._bindings.get((code, name))
        if hit is None:
            hit = self._bindings[(code, name)] = self.bind(code, name)
        return hit

    def bind(self, code: str, name: str) -> "Spec":
        """This entry for one member of its family."""
        changes = {
            f: _fmt(getattr(self, f), code, name)
            for f in self._templated()
            if isinstance(getattr(self, f), str)
        }
        changes.update({
            f: tuple(_fmt(x, code, name) if isinstance(x, str) else _bind_source(x, code, name) for x in getattr(self, f))
            for f in self._templated()
            if isinstance(getattr(self, f), tuple)
        })
        return replace(self, **changes)

    def _templated(self) -> tuple[str, ...]:
        return ("key", "label", "reason_key")

    def resolve(self, scope: Scope) -> Fact | None:  # pragma: no cover - every kind overrides it
        raise NotImplementedError

    def fact(self, scope: Scope, value: Decimal, unit: str, cells: Iterable[CellRef], formula: str) -> Fact:
        return Fact(
            key=self.key,
            value=value,
            unit=unit,
            cells=tuple(cells),
            formula=formula,
            label=self.label,
            reason_key=self.reason_key,
            year=scope.year,
        )


@dataclass(frozen=True)
class Source:
    """One place a value may come from: table key, row key, column key."""

    table: str
    row: str | None  # None: the table's only data row (a ``record`` table such as 三公)
    column: str


def _bind_source(src: Source, code: str, name: str) -> Source:
    return replace(src, row=_fmt(src.row, code, name) if src.row else None)


def _record_row(table: Table) -> Row | None:
    return next((r for r in table.rows if r.values or r.cells), table.rows[0] if table.rows else None)


def _column_label(table: Table, column: str) -> str:
    for col in table.spec.all_columns():
        if col.key == column:
            return "·".join(col.header)
    return column


def _has_column(table: Table, column: str) -> bool:
    return any(column in r.cells or column in r.values for r in table.rows)


def _scoped_has_column(scope: Scope, table: Table, column: str) -> bool:
    """``_has_column`` asked once per table and column of a scope (the accounts do not change)."""
    key = ("has", table.key, column)
    found = scope.memo.get(key)
    if found is None:
        found = scope.memo[key] = _has_column(table, column)
    return found


def _scoped_column_label(scope: Scope, table: Table, column: str) -> str:
    key = ("label", table.key, column)
    found = scope.memo.get(key)
    if found is None:
        found = scope.memo[key] = _column_label(table, column)
    return found


@dataclass(frozen=True)
class Cell(Spec):
    """A value read from a table cell; the first source whose table (and column) exists wins.

    A row missing from a present table gives no fact, except for a family member (a 项 with no
    年初预算 row has a budget of zero). ``unit`` None takes the row's count unit (辆, 个) or 万元.
    """

    sources: tuple[Source, ...] = ()
    unit: str | None = None
    blank_is_zero: bool = True  # False: a blank cell of a published table is 未填报 (no fact), not 0

    def _templated(self) -> tuple[str, ...]:
        return (*super()._templated(), "sources")

    def resolve(self, scope: Scope) -> Fact | None:
        for src in self.sources:
            table = scope.accounts.get(src.table)
            if table is None or not _scoped_has_column(scope, table, src.column):
                continue
            if table.empty and not table.spec.published:
                continue  # an input sheet left blank (年初预算数表) means "not given", not zeros
            row = _record_row(table) if src.row is None else table.row(src.row)
            if row is None:
                if self.family is None:
                    return None  # an optional row the table does not have: no fact
                unit = self.unit or MONEY
                formula = f"{table.spec.title}无“{self.label}”一行，按0计"
                return self.fact(scope, ZERO, unit, (), formula)
            if not table.spec.published and src.column not in row.values and self.family is None:
                continue  # a blank cell of an input sheet (补充信息表: 车辆数 not stated) is "not given", not 0:
                # the next source may give it (机关运行经费 in 云南's 三公 table)
            if not self.blank_is_zero and src.column not in row.values:
                continue  # a blank cell (国有资产使用情况表: 无形资产 left empty) is 未填报: see ``Unfilled``
            value = row.value(src.column)
            cell = row.cells.get(src.column)
            unit = self.unit or row.unit or MONEY
            what = (f"“{row.label}”" if src.row is not None else "") + _scoped_column_label(scope, table, src.column)
            formula = f"{cell}（{what}）" if cell is not None else f"{table.spec.title}{what}"
            return self.fact(scope, value, unit, (cell,) if cell else (), formula)
        return None


@dataclass(frozen=True)
class Unfilled(Spec):
    """1 with the cell when the table has the column but its cell is blank (未填报, which is not
    0.00); no fact when the table or the column is absent or the cell holds a figure."""

    source: Source | None = None

    def resolve(self, scope: Scope) -> Fact | None:
        src = self.source
        table = scope.accounts.get(src.table) if src else None
        if table is None:
            return None
        row = _record_row(table) if src.row is None else table.row(src.row)
        cell = row.cells.get(src.column) if row is not None else None
        if cell is None or src.column in row.values:
            return None
        what = _scoped_column_label(scope, table, src.column)
        return self.fact(scope, Decimal(1), "", (cell,), f"{cell}（{what}）未填报")


def _operands(scope: Scope, keys: Iterable[str]) -> list[Fact] | None:
    found = [scope.facts.get(k) for k in keys]
    return None if any(f is None for f in found) else found  # type: ignore[return-value]


def _cells(*facts: Fact) -> tuple[CellRef, ...]:
    seen: dict[CellRef, None] = {}
    for f in facts:
        for c in f.cells:
            seen.setdefault(c, None)
    return tuple(seen)


@dataclass(frozen=True)
class Sum(Spec):
    """The sum of other facts (all must exist)."""

    parts: tuple[str, ...] = ()

    def _templated(self) -> tuple[str, ...]:
        return (*super()._templated(), "parts")

    def resolve(self, scope: Scope) -> Fact | None:
        parts = _operands(scope, self.parts)
        if not parts:
            return None
        value = sum((p.value for p in parts), ZERO)
        return self.fact(scope, value, parts[0].unit, _cells(*parts), " + ".join(p.label for p in parts))


@dataclass(frozen=True)
class Difference(Spec):
    """``minuend − subtrahend`` (决算 − 年初预算)."""

    minuend: str = ""
    subtrahend: str = ""

    def _templated(self) -> tuple[str, ...]:
        return (*super()._templated(), "minuend", "subtrahend")

    def resolve(self, scope: Scope) -> Fact | None:
        ops = _operands(scope, (self.minuend, self.subtrahend))
        if not ops:
            return None
        a, b = ops
        return self.fact(scope, a.value - b.value, a.unit, _cells(a, b), f"{a.label} − {b.label}")


@dataclass(frozen=True)
class Ratio(Spec):
    """``part ÷ whole × 100`` as a percentage rounded half up to the project's places; absent when
    the whole is zero (no percentage on a zero base)."""

    part: str = ""
    whole: str = ""
    as_percent: bool = True
    unit: str = PERCENT
    places: int | None = None

    def _templated(self) -> tuple[str, ...]:
        return (*super()._templated(), "part", "whole")

    def resolve(self, scope: Scope) -> Fact | None:
        ops = _operands(scope, (self.part, self.whole))
        if not ops:
            return None
        part, whole = ops
        if whole.value == 0:
            return None
        if self.as_percent:
            value = percent(part.value, abs(whole.value), scope.places(self.key))
            formula = f"{part.label} ÷ {whole.label} × 100%"
        else:
            value = round_half_up(part.value / whole.value, self.places if self.places is not None else 2)
            formula = f"{part.label} ÷ {whole.label}"
        return self.fact(scope, value, self.unit, _cells(part, whole), formula)  # type: ignore[arg-type]


@dataclass(frozen=True)
class EmptyTable(Spec):
    """1 when a table is absent, published empty, or holds only zeros; else 0 (the 空表 test)."""

    table: str = ""

    def resolve(self, scope: Scope) -> Fact | None:
        table = scope.accounts.get(self.table)
        if table is None:
            return self.fact(scope, Decimal(1), "", (), f"本年度无{self.label}")
        nonzero = [c for r in table.rows for k, c in r.cells.items() if r.values.get(k, ZERO) != 0]
        empty = table.empty or not nonzero
        cells = (table.title_cell,) if table.title_cell else ()
        formula = f"{table.spec.title}" + ("各单元格均为空或为零" if empty else "有非零数据")
        return self.fact(scope, Decimal(1 if empty else 0), "", cells, formula)


@dataclass(frozen=True)
class TableGiven(Spec):
    """1 when the unit-year's accounts hold the table (filled or not); no fact when its table set
    has no such table (the national 9-table set has no information table), so the text can tell
    "not filled in" from "not part of these tables"."""

    table: str = ""

    def resolve(self, scope: Scope) -> Fact | None:
        table = scope.accounts.get(self.table)
        if table is None:
            return None
        cells = (table.title_cell,) if table.title_cell else ()
        return self.fact(scope, Decimal(1), "", cells, f"{table.spec.title}在本套公开表中")


NameFn = Callable[[Table, Row, "int | None"], str]  # (table, row, report year) → name


@dataclass(frozen=True)
class Family(Spec):
    """Member codes of a family: classification rows of one level (and block) of the tables named,
    in sheet order, the first table's rows first; names for display. Produces no fact itself."""

    tables: tuple[str, ...] = ()
    level: int = 1
    block: str | None = None
    name: NameFn | None = None
    keep_zero: bool = False

    def members(self, accounts: Accounts) -> list[tuple[str, str]]:
        seen: dict[str, str] = {}
        for key in self.tables:
            table = accounts.get(key)
            if table is None:
                continue
            for row in table.code_rows(self.level, self.block):
                if row.code in seen:
                    continue
                if not self.keep_zero and all(v == 0 for v in row.values.values()):
                    continue
                seen[row.code] = self.name(table, row, accounts.year) if self.name else row.label
        return list(seen.items())


@dataclass(frozen=True)
class Registry:
    """All entries in resolution order (an entry may only use facts of entries before it)."""

    entries: tuple[Spec, ...] = field(default_factory=tuple)

    def families(self) -> dict[str, Family]:
        return {e.key: e for e in self.entries if isinstance(e, Family)}
