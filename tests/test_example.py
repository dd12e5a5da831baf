"""The example department loads from this repository's own tables/ and content/ and reproduces, cell
by cell, the figures its 2021 report states (and the 2020 figures the report's changes imply)."""
from __future__ import annotations

import importlib.util
import re
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from disclosure.content import load_content
from disclosure.load import load_accounts
from disclosure.project import load_project

ROOT = Path(__file__).resolve().parents[1]
UNIT = "bayannur-jiaoguan"
D = Decimal

SUMMARY = "收入支出决算总表"
FISCAL = "财政拨款收入支出决算总表"
GENERAL = "一般公共预算财政拨款支出决算表"
BASIC = "一般公共预算财政拨款基本支出决算明细表"
THREE = "财政拨款“三公”经费支出决算表"
INFO = "机关运行经费支出、国有资产占用情况及政府采购支出信息表"

# (table, row, column, value as the report states it, sheet!cell it is read from)
STATED_2021 = [
    ("summary", "income.general_budget", "amount", "5,728.23", f"{SUMMARY}!C6"),
    ("summary", "income.year_total", "amount", "5,728.23", f"{SUMMARY}!C35"),
    ("summary", "income.non_fiscal_balance", "amount", "0", f"{SUMMARY}!C36"),
    ("summary", "income.opening_balance", "amount", "1,151.10", f"{SUMMARY}!C37"),
    ("summary", "income.grand_total", "amount", "6,879.33", f"{SUMMARY}!C38"),
    ("summary", "expenditure.year_total", "amount", "5,817.35", f"{SUMMARY}!F35"),
    ("summary", "expenditure.surplus_distribution", "amount", "0", f"{SUMMARY}!F36"),
    ("summary", "expenditure.closing_balance", "amount", "1,061.97", f"{SUMMARY}!F37"),
    ("summary", "expenditure.grand_total", "amount", "6,879.33", f"{SUMMARY}!F38"),
    ("income", "total", "total", "5,728.23", "收入决算表!C5"),
    ("income", "total", "fiscal", "5,728.23", "收入决算表!D5"),
    ("expenditure", "total", "total", "5,817.35", "支出决算表!C5"),
    ("expenditure", "total", "basic", "2,996.69", "支出决算表!D5"),
    ("expenditure", "total", "project", "2,820.66", "支出决算表!E5"),
    ("fiscal_summary", "income.year_total", "amount", "5,728.23", f"{FISCAL}!C35"),
    ("fiscal_summary", "income.opening_balance", "amount", "1,151.10", f"{FISCAL}!C36"),
    ("fiscal_summary", "income.grand_total", "amount", "6,879.33", f"{FISCAL}!C40"),
    ("fiscal_summary", "expenditure.year_total", "general", "5,817.35", f"{FISCAL}!G35"),
    ("fiscal_summary", "expenditure.closing_balance", "total", "1,061.97", f"{FISCAL}!F36"),
    ("fiscal_summary", "expenditure.grand_total", "total", "6,879.33", f"{FISCAL}!F40"),
    ("projects", "total", "opening", "97.88", "项目收入支出决算表!C6"),
    ("projects", "total", "income", "2,749.34", "项目收入支出决算表!D6"),
    ("projects", "total", "expenditure", "2,820.66", "项目收入支出决算表!F6"),
    ("general_budget", "total", "total", "5,817.35", f"{GENERAL}!C5"),
    ("general_budget", "total", "basic", "2,996.69", f"{GENERAL}!D5"),
    ("general_budget", "total", "project", "2,820.66", f"{GENERAL}!E5"),
    ("general_budget", "2040201", "total", "5,268.74", f"{GENERAL}!C8"),
    ("general_budget", "2040201", "basic", "2,570.37", f"{GENERAL}!D8"),
    ("general_budget", "2040201", "project", "2,698.37", f"{GENERAL}!E8"),
    ("general_budget", "2040220", "project", "35.00", f"{GENERAL}!E9"),
    ("general_budget", "2040299", "project", "87.29", f"{GENERAL}!E10"),
    ("general_budget", "2080501", "basic", "40.23", f"{GENERAL}!D13"),
    ("general_budget", "2080505", "basic", "140.70", f"{GENERAL}!D14"),
    ("general_budget", "2080506", "basic", "27.81", f"{GENERAL}!D15"),
    ("general_budget", "2101101", "basic", "151.42", f"{GENERAL}!D18"),
    ("general_budget", "2101103", "basic", "66.16", f"{GENERAL}!D19"),
    ("basic", "personnel.total", "amount", "2,678.73", f"{BASIC}!C31"),
    ("basic", "public.total", "amount", "317.97", f"{BASIC}!I31"),
    ("three_public", "record", "budget_total", "195.00", f"{THREE}!A7"),
    ("three_public", "record", "budget_abroad", "0", f"{THREE}!B7"),
    ("three_public", "record", "budget_vehicle", "195.00", f"{THREE}!C7"),
    ("three_public", "record", "budget_reception", "0", f"{THREE}!F7"),
    ("three_public", "record", "actual_total", "376.18", f"{THREE}!G7"),
    ("three_public", "record", "actual_abroad", "0", f"{THREE}!H7"),
    ("three_public", "record", "actual_vehicle", "376.18", f"{THREE}!I7"),
    ("three_public", "record", "actual_vehicle_purchase", "190.23", f"{THREE}!J7"),
    ("three_public", "record", "actual_vehicle_operation", "185.94", f"{THREE}!K7"),
    ("three_public", "record", "actual_reception", "0", f"{THREE}!L7"),
    ("info", "operating_cost", "amount", "317.97", f"{INFO}!C5"),
    ("info", "procurement_total", "amount", "1,646.70", f"{INFO}!C6"),
    ("info", "procurement_goods", "amount", "410.62", f"{INFO}!C7"),
    ("info", "procurement_works", "amount", "0", f"{INFO}!C8"),
    ("info", "procurement_services", "amount", "1,236.08", f"{INFO}!C9"),
    ("info", "sme_contracts", "amount", "0", f"{INFO}!C10"),
    ("info", "vehicles_total", "amount", "103", f"{INFO}!C12"),
    ("info", "vehicles_law_enforcement", "amount", "103", f"{INFO}!C17"),
    ("info", "equipment_general_50", "amount", "11", f"{INFO}!C22"),
    ("info", "equipment_special_100", "amount", "1", f"{INFO}!C23"),
    ("info", "vehicles_held", "amount", "103", f"{INFO}!C27"),
    ("info", "projects_planned", "amount", "2", f"{INFO}!C32"),
    ("info", "projects_implemented", "amount", "2", f"{INFO}!C33"),
    ("info", "projects_completed", "amount", "2", f"{INFO}!C34"),
    ("budget", "grand_total", "initial", "6,889.06", "年初预算数表!C5"),
    ("budget", "fiscal_grand_total", "initial", "6,889.06", "年初预算数表!C6"),
    ("budget", "total", "initial", "6,889.06", "年初预算数表!C7"),
    ("budget", "2040201", "initial", "6,418.74", "年初预算数表!C10"),
]

# Each 款 of 人员经费 and 公用经费 the report lists (基本支出 paragraph), with its cell.
ECONOMIC_2021 = [
    ("personnel.30101", "435.65", "C7"),
    ("personnel.30102", "644.64", "C8"),
    ("personnel.30103", "34.54", "C9"),
    ("personnel.30108", "140.70", "C10"),
    ("personnel.30109", "27.81", "C11"),
    ("personnel.30110", "151.42", "C12"),
    ("personnel.30111", "66.16", "C13"),
    ("personnel.30112", "6.18", "C14"),
    ("personnel.30199", "987.59", "C15"),
    ("personnel.30302", "40.23", "C17"),
    ("personnel.30304", "141.90", "C18"),
    ("personnel.30305", "1.92", "C19"),
    ("public.30201", "3.99", "F7"),
    ("public.30202", "10.00", "F8"),
    ("public.30205", "4.07", "F9"),
    ("public.30206", "37.47", "F10"),
    ("public.30207", "6.29", "F11"),
    ("public.30208", "5.00", "F12"),
    ("public.30209", "8.24", "F13"),
    ("public.30211", "45.58", "F14"),
    ("public.30213", "20.00", "I6"),
    ("public.30216", "1.13", "I7"),
    ("public.30226", "10.56", "I8"),
    ("public.30227", "1.34", "I9"),
    ("public.30228", "15.50", "I10"),
    ("public.30231", "44.17", "I11"),
    ("public.30239", "101.15", "I12"),
    ("public.30299", "3.48", "I13"),
]

# 2020 figures implied by the changes the 2021 report states (2021 figure − stated change).
STATED_2020 = [
    ("summary", "income.grand_total", "amount", "7,502.22", f"{SUMMARY}!C38"),  # 6,879.33 + 622.89
    ("summary", "expenditure.grand_total", "amount", "7,502.22", f"{SUMMARY}!F38"),
    ("summary", "expenditure.closing_balance", "amount", "1,151.10", f"{SUMMARY}!F37"),
    ("basic", "personnel.total", "amount", "2,581.92", f"{BASIC}!C31"),  # 2,678.73 − 96.81
    ("basic", "public.total", "amount", "270.13", f"{BASIC}!I31"),  # 317.97 − 47.84
    ("three_public", "record", "actual_vehicle_purchase", "281.38", f"{THREE}!J7"),  # 190.23 + 91.15
    ("three_public", "record", "actual_vehicle_operation", "205.25", f"{THREE}!K7"),  # 185.94 + 19.31
    ("three_public", "record", "actual_abroad", "0", f"{THREE}!H7"),
    ("three_public", "record", "actual_reception", "0", f"{THREE}!L7"),
    ("info", "operating_cost", "amount", "270.13", f"{INFO}!C5"),
    ("info", "procurement_goods", "amount", "488.26", f"{INFO}!C7"),  # 410.62 + 77.64
    ("info", "procurement_works", "amount", "90.27", f"{INFO}!C8"),
    ("info", "procurement_services", "amount", "399.56", f"{INFO}!C9"),  # 1,236.08 − 836.52
    ("info", "equipment_general_50", "amount", "8", f"{INFO}!C22"),
    ("info", "equipment_special_100", "amount", "0", f"{INFO}!C23"),
]


def amount(text: str) -> Decimal:
    return D(text.replace(",", ""))


@pytest.fixture(scope="module")
def accounts():
    return load_accounts(load_project(ROOT), UNIT, 2021)


@pytest.mark.parametrize("table,row,column,value,where", STATED_2021, ids=[f"{t}-{r}-{c}" for t, r, c, *_ in STATED_2021])
def test_2021_stated_figure_from_its_cell(accounts, table, row, column, value, where):
    assert accounts[table].value(row, column) == amount(value)
    ref = accounts[table].cell(row, column)
    assert str(ref) == where
    assert ref.file == f"tables/{UNIT}/2021.xlsx"
    assert ref.table == table


@pytest.mark.parametrize("row,value,cell", ECONOMIC_2021, ids=[r for r, *_ in ECONOMIC_2021])
def test_2021_each_economic_kuan_of_the_report(accounts, row, value, cell):
    basic = accounts["basic"]
    assert basic.value(row, "amount") == amount(value)
    assert basic.cell(row, "amount").cell == cell
    assert basic.row(row).level == 2


@pytest.mark.parametrize("table,row,column,value,where", STATED_2020, ids=[f"{t}-{r}-{c}" for t, r, c, *_ in STATED_2020])
def test_2020_prior_year_figure(accounts, table, row, column, value, where):
    prior = accounts.prior
    assert prior is not None and prior.year == 2020
    assert prior[table].value(row, column) == amount(value)
    assert str(prior[table].cell(row, column)) == where
    assert prior[table].cell(row, column).file == f"tables/{UNIT}/2020.xlsx"


def test_example_loads_every_table_with_its_name(accounts):
    assert accounts.unit_name == "巴彦淖尔市公安局交通管理支队"
    assert accounts.table_set == "neimenggu-11"
    assert set(accounts.tables) == {
        "summary", "income", "expenditure", "fiscal_summary", "projects", "general_budget", "basic",
        "gov_fund", "state_capital", "three_public", "info", "budget",
    }


@pytest.mark.parametrize("year", [2021, 2020])
def test_gov_fund_and_state_capital_are_empty_tables(accounts, year):
    acc = accounts if year == 2021 else accounts.prior
    for key in ("gov_fund", "state_capital"):
        table = acc[key]
        assert table.empty, key
        assert all(not row.values for row in table.rows)
    for key in set(acc.tables) - {"gov_fund", "state_capital"}:
        assert not acc[key].empty, key


def test_the_reports_own_rounding_differences_are_kept(accounts):
    s = accounts["summary"]
    parts = s.value("expenditure.year_total", "amount") + s.value("expenditure.surplus_distribution", "amount")
    parts += s.value("expenditure.closing_balance", "amount")
    assert s.value("expenditure.grand_total", "amount") - parts == D("0.01")
    b = accounts["basic"]
    kuan = sum(r.value("amount") for r in b.code_rows(level=2, block="personnel"))
    assert kuan == D("2678.74") and b.value("personnel.total", "amount") == D("2678.73")
    t = accounts["three_public"]
    assert t.value("record", "actual_vehicle") - t.value("record", "actual_vehicle_purchase") - t.value(
        "record", "actual_vehicle_operation"
    ) == D("0.01")


def test_function_tree_sums_and_budget_gap(accounts):
    for key, cols in (("income", ("total",)), ("expenditure", ("total", "basic", "project")),
                      ("general_budget", ("total", "basic", "project")), ("budget", ("initial",))):
        t = accounts[key]
        for col in cols:
            for parent in t.code_rows(level=1) + t.code_rows(level=2):
                kids = [r for r in t.code_rows(level=parent.level + 1) if r.code.startswith(parent.code)]
                assert parent.value(col) == sum(k.value(col) for k in kids), (key, parent.code, col)
    g, bud = accounts["general_budget"], accounts["budget"]
    # 与年初预算相比，减少1,071.71万元；收、支总计减少9.73万元
    assert bud.value("total", "initial") - g.value("total", "total") == D("1071.71")
    assert bud.value("grand_total", "initial") - accounts["summary"].value("income.grand_total", "amount") == D("9.73")


def test_2021_changes_against_2020_match_the_report(accounts):
    now, before = accounts, accounts.prior
    def diff(table, row, col):
        return now[table].value(row, col) - before[table].value(row, col)
    assert diff("summary", "income.grand_total", "amount") == D("-622.89")
    assert diff("basic", "personnel.total", "amount") == D("96.81")
    assert diff("basic", "public.total", "amount") == D("47.84")
    assert diff("info", "operating_cost", "amount") == D("47.84")
    assert diff("three_public", "record", "actual_vehicle_purchase") == D("-91.15")
    assert diff("three_public", "record", "actual_vehicle_operation") == D("-19.31")
    assert diff("info", "procurement_goods", "amount") == D("-77.64")
    assert diff("info", "procurement_services", "amount") == D("836.52")
    assert diff("info", "equipment_general_50", "amount") == 3
    assert before["summary"].value("expenditure.closing_balance", "amount") == now["summary"].value(
        "income.opening_balance", "amount"
    )
    assert before["projects"].value("total", "closing") == now["projects"].value("total", "opening")


def _sum(rows, col="amount"):
    return sum((r.value(col) for r in rows), D(0))


def test_2020_identities_hold_exactly(accounts):
    """tables-spec.md §3, 1–9 and 11: no rounding differences in the invented year."""
    a = accounts.prior
    s, f = a["summary"], a["fiscal_summary"]
    v = lambda t, r, c="amount": a[t].value(r, c)  # noqa: E731
    income_items = ("general_budget", "gov_fund", "state_capital", "superior", "business", "operating", "affiliated", "other")
    assert v("summary", "income.year_total") == sum(v("summary", f"income.{k}") for k in income_items)
    assert v("summary", "income.grand_total") == v("summary", "income.year_total") + v("summary", "income.non_fiscal_balance") + v("summary", "income.opening_balance")
    assert v("summary", "expenditure.grand_total") == v("summary", "expenditure.year_total") + v("summary", "expenditure.surplus_distribution") + v("summary", "expenditure.closing_balance")
    assert v("summary", "income.grand_total") == v("summary", "expenditure.grand_total")
    assert v("summary", "expenditure.year_total") == _sum(s.code_rows(level=1, block="expenditure"))
    assert v("summary", "income.year_total") == v("income", "total", "total")
    assert v("summary", "expenditure.year_total") == v("expenditure", "total", "total")
    assert v("expenditure", "total", "total") == v("expenditure", "total", "basic") + v("expenditure", "total", "project")
    assert v("fiscal_summary", "expenditure.year_total", "general") == v("general_budget", "total", "total")
    assert v("fiscal_summary", "income.grand_total") == v("fiscal_summary", "expenditure.grand_total", "total")
    assert v("fiscal_summary", "income.opening_balance") + v("fiscal_summary", "income.year_total") == v(
        "fiscal_summary", "expenditure.year_total", "total") + v("fiscal_summary", "expenditure.closing_balance", "total")
    assert v("fiscal_summary", "expenditure.year_total", "total") == _sum(f.code_rows(level=1, block="expenditure"), "total")
    b = a["basic"]
    assert v("general_budget", "total", "basic") == v("basic", "personnel.total") + v("basic", "public.total")
    assert v("basic", "personnel.total") == _sum(b.code_rows(level=1, block="personnel"))
    assert v("basic", "public.total") == _sum(b.code_rows(level=1, block="public"))
    for block in ("personnel", "public"):
        for cls in b.code_rows(level=1, block=block):
            assert cls.value("amount") == _sum(r for r in b.code_rows(level=2, block=block) if r.code.startswith(cls.code))
    t = lambda c: v("three_public", "record", c)  # noqa: E731
    for side in ("budget", "actual"):
        assert t(f"{side}_total") == t(f"{side}_abroad") + t(f"{side}_vehicle") + t(f"{side}_reception")
        assert t(f"{side}_vehicle") == t(f"{side}_vehicle_purchase") + t(f"{side}_vehicle_operation")
    assert v("info", "procurement_total") == v("info", "procurement_goods") + v("info", "procurement_works") + v("info", "procurement_services")
    assert v("info", "operating_cost") == v("basic", "public.total")
    p = a["projects"]
    for row in [p.row("total"), *p.code_rows()]:
        assert row.value("opening") + row.value("income") - row.value("expenditure") == row.value("closing"), row.key
    assert v("projects", "total", "expenditure") == v("general_budget", "total", "project")


def test_content_of_the_example():
    content = load_content(load_project(ROOT), UNIT, 2021)
    assert content.name == "巴彦淖尔市公安局交通管理支队"
    assert content.settings["contact_person"] == "李晗琨"
    assert content.settings["contact_phone"] == "0478-8611975"
    for key in ("duties", "organization", "contact", "glossary"):
        assert content.section(key), key
        assert "请填写" not in content.section(key)
    duties = content.section("duties")
    assert re.findall(r"(?m)^(\d+)\. ", duties) == [str(i) for i in range(1, 13)]
    org = content.section("organization")
    assert "656" in org and "507" in org
    assert org.count("| 财政拨款的行政单位 |") == 12
    glossary = content.section("glossary")
    assert glossary.count("\n- **") == 17
    assert "0478-8611975" in content.section("contact")


def _make_example():
    spec = importlib.util.spec_from_file_location("make_example", ROOT / "tests" / "fixtures" / "make_example.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_example"] = module
    spec.loader.exec_module(module)
    return module


def test_committed_workbooks_match_their_generator(tmp_path):
    """Regenerating the example gives the same cells as the committed workbooks, and tables/README.md
    lists every cell the generator marks as not stated by the report."""
    from python_calamine import CalamineWorkbook

    make_example = _make_example()
    readme = (ROOT / "tables" / "README.md").read_text(encoding="utf-8")
    (tmp_path / "tables").mkdir()
    (tmp_path / "tables" / "README.md").write_text(readme.split(make_example.MARKER)[0], encoding="utf-8")
    books = make_example.main(tmp_path)
    assert (tmp_path / "tables" / "README.md").read_text(encoding="utf-8") == readme
    for book in books:
        fresh = CalamineWorkbook.from_path(str(book.path))
        committed = CalamineWorkbook.from_path(str(ROOT / "tables" / UNIT / f"{book.year}.xlsx"))
        assert fresh.sheet_names == committed.sheet_names
        for name in fresh.sheet_names:
            rows = fresh.get_sheet_by_name(name).to_python()
            assert rows == committed.get_sheet_by_name(name).to_python(), name
        assert len(book.notes) > 50
        for note in book.notes:
            assert f"| {note.table} | {note.cell} | {note.value} |" in readme
