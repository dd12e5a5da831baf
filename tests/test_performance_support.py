"""Small hand-built Accounts with the example department's 2021 figures (no workbook needed)."""
from __future__ import annotations

from decimal import Decimal

from disclosure.model import Accounts, CellRef, Row, Table
from disclosure.standard import load_table_set

FILE = "tables/bayannur-jiaoguan/2021.xlsx"


def table(key: str, sheet: str, rows: list[tuple[str, dict[str, tuple[str, str]]]]) -> Table:
    """rows: (row key, {column: (value, cell)})."""
    spec = load_table_set("neimenggu-11").get(key)
    out = []
    for row_key, cols in rows:
        out.append(
            Row(
                key=row_key,
                label=row_key,
                values={c: Decimal(v) for c, (v, _) in cols.items()},
                cells={c: CellRef(FILE, sheet, cell, key) for c, (_, cell) in cols.items()},
            )
        )
    return Table(spec=spec, rows=out, file=FILE, sheet=sheet)


def example_accounts(*, three_public: tuple[str, str] = ("195.00", "376.18"), prior: Accounts | None = None,
                     completed: str = "5817.35", initial: str = "6889.06") -> Accounts:
    budget, actual = three_public
    tables = {
        "summary": table("summary", "收入支出决算总表", [
            ("income.opening_balance", {"amount": ("1151.10", "B16")}),
            ("expenditure.closing_balance", {"amount": ("1061.97", "D40")}),
        ]),
        "general_budget": table("general_budget", "一般公共预算财政拨款支出决算表", [
            ("total", {"total": (completed, "D7"), "basic": ("2996.69", "E7"), "project": ("2820.66", "F7")}),
        ]),
        "budget": table("budget", "年初预算数表", [("total", {"initial": (initial, "C6")})]),
        "three_public": table("three_public", "财政拨款三公经费支出决算表", [
            ("record", {"budget_total": (budget, "A7"), "actual_total": (actual, "G7")}),
        ]),
        "basic": table("basic", "一般公共预算财政拨款基本支出决算明细表", [("public.total", {"amount": ("317.96", "I40")})]),
        "info": table("info", "机关运行经费支出、国有资产占用情况及政府采购支出信息表", [
            ("procurement_total", {"amount": ("1646.70", "C8")}),
        ]),
    }
    return Accounts("bayannur-jiaoguan", 2021, "巴彦淖尔市公安局交通管理支队", "neimenggu-11", tables, prior=prior)


def prior_accounts(budget: str, actual: str, closing: str = "1151.10") -> Accounts:
    tables = {
        "three_public": table("three_public", "财政拨款三公经费支出决算表", [
            ("record", {"budget_total": (budget, "A7"), "actual_total": (actual, "G7")}),
        ]),
        "summary": table("summary", "收入支出决算总表", [("expenditure.closing_balance", {"amount": (closing, "D40")})]),
    }
    return Accounts("bayannur-jiaoguan", 2020, "巴彦淖尔市公安局交通管理支队", "neimenggu-11", tables)
