"""Published reports rebuilt as tables: ``tests/fixtures/reports/<slug>.toml`` → Accounts, and the
figures their 第二部分 states (see the folder's README for each source and the format).

The tables are made consistent by ``factories.consistent_accounts`` from a few 项 lines per fund
and the economic split of the 一般公共预算 基本支出; every column of 收入决算表 / 支出决算表 and every
row of 收入支出决算总表 a report may name is present (zeros where the report says 0), 年初预算数
per 项 override the default (决算 = 预算), and the 信息表 carries the counts the report gives.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from disclosure.model import Accounts
from factories import Line, consistent_accounts, dec, make_table

FOLDER = Path(__file__).parent / "fixtures" / "reports"
INCOME_COLUMNS = ("total", "fiscal", "superior", "business", "operating", "affiliated", "other")
EXPENDITURE_COLUMNS = ("total", "basic", "project", "remit", "operating", "subsidy")
SUMMARY_ROWS = ("income.general_budget", "income.gov_fund", "income.state_capital", "income.superior",
                "income.business", "income.operating", "income.affiliated", "income.other",
                "income.non_fiscal_balance", "expenditure.surplus_distribution")
UNITS = {"万元": "万元", "元": "元", "%": "%", "辆": "辆", "个": "个", "人次": "人次", "人": "人次", "批次": "批次",
         "次": "批次", "台（套）": "台（套）", "台": "台（套）"}
FIGURE = re.compile(r"(-?\d[\d,]*(?:\.\d+)?)\s*(万元|元|%|辆|个|人次|人|批次|次|台（套）|台)")


@dataclass(frozen=True)
class Stated:
    """One figure a published report states: where, as printed, and (when the report is wrong)
    the true figure with why."""

    section: str
    figure: str
    true: str = ""
    wrong: str = ""
    zero_change: bool = False  # 增加0.00万元 / 增长0% / 比预算增加0万元: our text says 持平
    says: str = ""  # for a zero change: the words that say it for this item (default: 持平 anywhere in the section)

    @property
    def expected(self) -> str:
        return self.true or self.figure


@dataclass
class Report:
    slug: str
    province: str
    source: str
    title: str
    style: str
    year: int
    accounts: Accounts
    stated: list[Stated] = field(default_factory=list)
    invented: str = ""
    chain_gap: str = ""  # why last year's closing balances differ from this year's opening ones, as published
    switches: dict = field(default_factory=dict)  # single switches over the style's, as [project.switches]


def figures(text: str) -> set[tuple[Decimal, str]]:
    """Every figure of a text as (value, unit), commas dropped: 1,151.10万元 → (1151.10, 万元)."""
    return {(Decimal(n.replace(",", "")), UNITS[u]) for n, u in FIGURE.findall(text)}


def parse_figure(text: str) -> tuple[Decimal, str]:
    [(number, unit)] = FIGURE.findall(text)
    return Decimal(number.replace(",", "")), UNITS[unit]


def _year(slug: str, data: dict, year: int, style_set: str, prior: Accounts | None) -> Accounts:
    lines = [Line(**{k: (str(v) if k not in ("code", "fund", "source") else v) for k, v in l.items()})
             for l in data["lines"]]
    accounts = consistent_accounts(
        lines, personnel=data.get("personnel", {}), public=data.get("public", {}),
        three_public_budget=data.get("three_public_budget"), procurement=tuple(data.get("procurement", (0, 0, 0))),
        unit=slug, year=year, table_set=style_set, prior=prior,
    )
    file = accounts.files[0]
    _complete(accounts, "income", INCOME_COLUMNS, file, style_set)
    _complete(accounts, "expenditure", EXPENDITURE_COLUMNS, file, style_set)
    summary = {r.key: dict(r.values) for r in accounts["summary"].rows}
    for key in SUMMARY_ROWS:
        summary.setdefault(key, {"amount": Decimal(0)})
    accounts.tables["summary"] = make_table("summary", summary, table_set=style_set, file=file)
    budget = data.get("gb_budget")
    if budget:
        rows = {r.key: dict(r.values) for r in accounts["general_budget"].rows}
        leaves = {k: dec(budget.get(k, v.get("total", 0))) for k, v in rows.items() if len(k) == 7}
        for key, values in rows.items():
            if key == "total":
                values["budget_initial"] = sum(leaves.values(), Decimal(0))
            elif key.isdigit():
                values["budget_initial"] = sum((v for c, v in leaves.items() if c.startswith(key)), Decimal(0))
        accounts.tables["general_budget"] = make_table("general_budget", rows, table_set=style_set, file=file)
    info = data.get("info")
    if info:
        rows = {r.key: dict(r.values) for r in accounts["info"].rows}
        rows.update({k: {"amount": v} for k, v in info.items()})
        accounts.tables["info"] = make_table("info", rows, table_set=style_set, file=file)
    return accounts


def _complete(accounts: Accounts, key: str, columns: tuple[str, ...], file: str, table_set: str) -> None:
    """Every column on every row (zeros where the lines put nothing), as an exported table has them."""
    rows = {r.key: {c: r.values.get(c, Decimal(0)) for c in columns} for r in accounts[key].rows}
    accounts.tables[key] = make_table(key, rows, table_set=table_set, file=file)


def load(slug: str) -> Report:
    data = tomllib.loads((FOLDER / f"{slug}.toml").read_text(encoding="utf-8"))
    table_set = data.get("table_set", "neimenggu-11")
    prior = _year(slug, data["prior"], data["year"] - 1, table_set, None) if "prior" in data else None
    accounts = _year(slug, data["current"], data["year"], table_set, prior)
    stated = [Stated(**s) for s in data["stated"]]
    return Report(slug, data["province"], data["source"], data["title"], data["style"], data["year"], accounts,
                  stated, data.get("invented", ""), data.get("chain_gap", ""), dict(data.get("switches", {})))


def slugs() -> list[str]:
    return sorted(p.stem for p in FOLDER.glob("*.toml"))
