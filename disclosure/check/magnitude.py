"""Magnitude mistakes: amounts typed in 元 under a “单位：万元” header (every figure 10⁴ too large), or
in 万元 under “单位：元” (10⁴ too small), told from what the data itself says: last year's same table
(a ratio near 10⁴), the 年初预算数 on another sheet, 人员经费 per person against the staff count, and
bounds for one department. The bounds are data (``magnitude.toml``).

All suspect tables of one direction make one error naming its evidence cells and saying
``请确认单位：元`` (or ``万元``). ``corrected`` gives the accounts with those tables rescaled, so that
``check_accounts`` can leave out the findings that only follow from the mistake.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from disclosure.check.finding import Finding, errors_of
from disclosure.check.rule_engine import _label, evaluate
from disclosure.check.rulebook import rules_for
from disclosure.model import Accounts, CellRef, Row, Table
from disclosure.money import format_amount, round_half_up
from disclosure.package_data import package_toml

TEN_THOUSAND = Decimal(10000)
RULE = "magnitude.unit"
YUAN, WAN = "yuan", "wan"  # figures that look like 元 under 万元 / like 万元 under 元
STAFF_IN_TEXT = re.compile(r"实有人数\s*(\d+)\s*人")


def bounds() -> dict[str, dict[str, Decimal]]:
    """magnitude.toml as Decimals (12 figures: made afresh, 8 µs)."""
    return {section: {k: Decimal(str(v)) for k, v in values.items()}
            for section, values in package_toml("check/magnitude.toml").items()}


@dataclass(frozen=True)
class Evidence:
    """One reason to think a table's figures are in the other unit."""

    table: str
    direction: str
    text: str
    cells: tuple[CellRef, ...]


@dataclass(frozen=True)
class Figure:
    value: Decimal
    table: Table
    row: Row
    column: str

    @property
    def cell(self) -> CellRef | None:
        return self.row.cells.get(self.column)

    def text(self, year: int | None = None) -> str:
        where = f"{year} 年{self.cell}" if year is not None else str(self.cell)
        shown = format_amount(self.value)
        if self.table.source_unit == "元":  # as typed, in 元, then as read
            shown = f"{format_amount(self.value * TEN_THOUSAND)} 元（即 {shown} 万元）"
        return f"{where} {_label(self.table, self.row, self.column)} {shown}"


def _money_columns(table: Table) -> set[str]:
    return {c.key for c in table.spec.all_columns() if not c.unit}


def largest(table: Table) -> Figure | None:
    """The table's largest money figure (counts, scores and rates left out)."""
    money = _money_columns(table)
    best: Figure | None = None
    for row in table.rows:
        if row.unit:
            continue
        for column, value in row.values.items():
            if column in money and row.cells.get(column) is not None and (best is None or abs(value) > abs(best.value)):
                best = Figure(abs(value), table, row, column)
    return best if best is not None and best.value > 0 else None


def _same_place(prior: Table, now: Figure) -> Figure | None:
    """Last year's figure in the same row and column as ``now``, else last year's largest."""
    row = prior.row(now.row.key)
    if row is not None and row.cells.get(now.column) is not None and row.value(now.column) > 0:
        return Figure(row.value(now.column), prior, row, now.column)
    return largest(prior)


def _times(ratio: Decimal) -> str:
    return f"{round_half_up(ratio, 0):,.0f}"


def _prior(accounts: Accounts) -> list[Evidence]:
    prior, b = accounts.prior, bounds()["prior"]
    if prior is None:
        return []
    found = []
    for key, table in accounts.tables.items():
        before = prior.get(key)
        now = largest(table)
        then = _same_place(before, now) if before is not None and now is not None else None
        if now is None or then is None:
            continue
        cells = tuple(c for c in (now.cell, then.cell) if c is not None)
        if then.value >= b["min_prior"] and b["low"] <= now.value / then.value <= b["high"] and table.source_unit == "万元":
            text = f"{now.text()} 是 {then.text(prior.year)} 的约 {_times(now.value / then.value)} 倍"
            found.append(Evidence(key, YUAN, text, cells))
        elif now.value * b["high"] >= then.value >= now.value * b["low"] and then.value >= b["min_prior"] \
                and table.source_unit == "元":
            text = f"{now.text()} 只有 {then.text(prior.year)} 的约 1/{_times(then.value / now.value)}"
            found.append(Evidence(key, WAN, text, cells))
    return found


def _figure(accounts: Accounts, table_key: str, row_key: str, column: str) -> Figure | None:
    table = accounts.get(table_key)
    row = table.row(row_key) if table is not None else None
    if row is None or row.cells.get(column) is None or row.value(column) <= 0:
        return None
    return Figure(row.value(column), table, row, column)


def _budget(accounts: Accounts) -> list[Evidence]:
    b = bounds()["budget"]
    actual = _figure(accounts, "general_budget", "total", "total")
    budget = _figure(accounts, "budget", "total", "initial")
    if actual is None or budget is None:
        return []
    big, small = (actual, budget) if actual.value >= budget.value else (budget, actual)
    if small.value < b["min_smaller"] or not b["low"] <= big.value / small.value <= b["high"]:
        return []
    cells = tuple(c for c in (big.cell, small.cell) if c is not None)
    if big.table.source_unit == "万元":
        text = f"{big.text()} 是 {small.text()} 的约 {_times(big.value / small.value)} 倍"
        return [Evidence(big.table.key, YUAN, text, cells)]
    if small.table.source_unit == "元":
        text = f"{small.text()} 只有 {big.text()} 的约 1/{_times(big.value / small.value)}"
        return [Evidence(small.table.key, WAN, text, cells)]
    return []


def staff_count(content: Any, stated: tuple[Decimal, str] | None = None) -> tuple[Decimal, str] | None:
    """实有人数 and where it was read: as a feature's input states it (performance.toml
    figures.staff_actual, handed in by the pipeline), else from the unit's texts."""
    if stated is not None:
        return Decimal(stated[0]), stated[1]
    for key, text in sorted(getattr(content, "sections", {}).items()):
        m = STAFF_IN_TEXT.search(text or "")
        if m and int(m.group(1)) > 0:
            return Decimal(m.group(1)), f"{key}.md 中的“{m.group(0)}”"
    return None


def _per_person(accounts: Accounts, content: Any, stated: tuple[Decimal, str] | None) -> list[Evidence]:
    b = bounds()["per_person"]
    personnel = _figure(accounts, "basic", "personnel.total", "amount")
    if personnel is None:
        return []
    staff = staff_count(content, stated)
    if staff is None:
        return []
    count, source = staff
    each = personnel.value / count
    text = (f"{personnel.text()} ÷ 实有人数 {count:,f} 人（{source}）= 每人每年 "
            f"{format_amount(each)} 万元")
    cells = (personnel.cell,) if personnel.cell else ()
    if each > b["max"] and personnel.table.source_unit == "万元":
        return [Evidence(personnel.table.key, YUAN, text, cells)]
    if each < b["min"] and personnel.table.source_unit == "元":
        return [Evidence(personnel.table.key, WAN, text, cells)]
    return []


def _bounds(accounts: Accounts) -> list[Evidence]:
    b = bounds()["bounds"]
    total = _figure(accounts, "summary", "income.grand_total", "amount")
    if total is None:
        return []
    cells = (total.cell,) if total.cell else ()
    if total.value > b["max_total"] and total.table.source_unit == "万元":
        text = f"{total.text()} 超过一个部门可能的规模（{format_amount(b['max_total'] / TEN_THOUSAND)} 亿元）"
        return [Evidence(total.table.key, YUAN, text, cells)]
    if total.value < b["min_total_yuan"] and total.table.source_unit == "元":
        text = f"{total.text()} 不足 {format_amount(b['min_total_yuan'])} 万元"
        return [Evidence(total.table.key, WAN, text, cells)]
    return []


def evidence(accounts: Accounts, content: Any, staff: tuple[Decimal, str] | None = None) -> list[Evidence]:
    """Every signal of a magnitude mistake in one unit-year, in the order they are told."""
    return [*_prior(accounts), *_budget(accounts), *_per_person(accounts, content, staff), *_bounds(accounts)]


def _rescaled(table: Table, direction: str) -> Table:
    money = _money_columns(table)

    def fix(value: Decimal) -> Decimal:
        return round_half_up(value / TEN_THOUSAND, 2) if direction == YUAN else value * TEN_THOUSAND

    rows = [row if row.unit else replace(row, values={c: fix(v) if c in money else v for c, v in row.values.items()})
            for row in table.rows]
    return replace(table, rows=rows)


def corrected(accounts: Accounts, suspects: dict[str, str]) -> Accounts:
    """The accounts as they would be with each suspect table (key → direction) in the right unit."""
    tables = {k: _rescaled(t, suspects[k]) if k in suspects else t for k, t in accounts.tables.items()}
    return replace(accounts, tables=tables)


def _widened(accounts: Accounts, found: list[Evidence], direction: str) -> set[str]:
    """The suspect tables of one direction: those with evidence, or every money table of the same
    header unit in their files when that leaves fewer identities broken (a whole workbook in 元)."""
    named = {e.table for e in found if e.direction == direction}
    unit = "万元" if direction == YUAN else "元"
    files = {accounts[k].file for k in named}
    wide = named | {k for k, t in accounts.tables.items() if t.file in files and t.source_unit == unit
                    and largest(t) is not None}
    if wide == named:
        return named

    def broken(keys: set[str]) -> int:
        fixed = corrected(accounts, dict.fromkeys(keys, direction))
        return sum(len(errors_of(evaluate(rule, fixed))) for rule in rules_for(fixed, _PROJECT_STUB)
                   if rule.kind != "chain")

    return wide if broken(wide) < broken(named) else named


class _ProjectStub:
    """``rules_for`` needs a project only when the accounts do not name their table set."""

    def table_set_for(self, year: int) -> str:  # pragma: no cover - accounts always name their set
        return "neimenggu-11"


_PROJECT_STUB = _ProjectStub()


def suspects(accounts: Accounts, content: Any, staff: tuple[Decimal, str] | None = None) -> tuple[list[Finding], dict[str, str]]:
    """The magnitude errors (one per direction) and the suspect tables (key → direction)."""
    found = evidence(accounts, content, staff)
    if not found:
        return [], {}
    shown = bounds()["shown"]
    findings: list[Finding] = []
    chosen: dict[str, str] = {}
    for direction in (YUAN, WAN):
        mine = [e for e in found if e.direction == direction]
        if not mine:
            continue
        keys = _widened(accounts, found, direction)
        chosen.update(dict.fromkeys(keys, direction))
        ordered = [k for k in accounts.tables if k in keys]
        titles = [accounts[k].spec.title for k in ordered]
        n = int(shown["tables"])
        names = "、".join(titles[:n]) + (f"等 {len(titles)} 张表" if len(titles) > n else "")
        m = int(shown["evidence"])
        told = "；".join(e.text for e in mine[:m]) + ("；……" if len(mine) > m else "")
        if direction == YUAN:
            message = (f"{names}的数额看起来是以元填写的，而表头写的是“单位：万元”：{told}。"
                       "请确认单位：元——如果是，请把表头改为“单位：元”（或把数额换算为万元）后重试")
        else:
            message = (f"{names}的数额看起来是以万元填写的，而表头写的是“单位：元”：{told}。"
                       "请确认单位：万元——如果是，请把表头改为“单位：万元”（或把数额换算为元）后重试")
        cells = tuple(dict.fromkeys(c for e in mine[:m] for c in e.cells))  # the cells the message names
        findings.append(Finding("error", RULE, message, cells, None, "数额的单位须与表头一致（元 / 万元）"))
    return findings, chosen
