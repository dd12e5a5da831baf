"""The national tables of 2016 (national-8, tests/fixtures/real/make_2016.py): eight tables, no 国有资本经营
table, and a 公开01表 whose income side reads 一、财政拨款收入 (其中：政府性基金预算财政拨款) before the three
财政拨款 kinds had rows of their own. Both a 元 .xls (洛龙区龙祥小学) and a 万元 .ods (西宁市东方小学) load,
check without errors and build into a report stating what their published 公开01表 print."""
from __future__ import annotations

import re
import sys
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from disclosure.blank_workbook import write_blank_workbook
from disclosure.cli import main
from disclosure.labels import normalize_label
from disclosure.load import load_accounts
from disclosure.pipeline import check_unit_year
from disclosure.project import load_project
from disclosure.standard import load_table_set

REAL = Path(__file__).parent / "fixtures" / "real"
sys.path.insert(0, str(REAL))
from make_2016 import PROJECTS  # noqa: E402

STATED = {  # 万元 as the report states the published 公开01表 (洛龙: 元 ÷ 10000, 四舍五入)
    "luolong-2016": ["560.49万元", "8.47万元", "568.96万元", "330.05万元", "50.86万元", "12.73万元", "18.00万元"],
    "dongfang-2016": ["479.01万元", "409.52万元"],
}


def test_each_2016_project_is_written_and_named_in_the_readme():
    readme = (REAL / "README.md").read_text(encoding="utf-8")
    for name, (slug, _, year, _, fmt, source) in PROJECTS.items():
        assert f"`{name}/`" in readme and source in readme
        assert (REAL / name / "tables" / slug / f"{year}.{fmt}").is_file()


@pytest.mark.parametrize("name", list(PROJECTS))
def test_the_2016_tables_load_as_eight_and_check_without_errors(name):
    slug, _, year, *_ = PROJECTS[name]
    project = load_project(REAL / name)
    accounts = load_accounts(project, slug, year)
    assert accounts.table_set == "national-8" and "state_capital" not in accounts.tables
    assert len([t for t in accounts.tables.values() if t.spec.published]) == 8
    result = check_unit_year(project, slug, year)
    assert result.problems == [] and result.errors == [], [f.message for f in result.errors]
    assert {f.rule for f in result.findings} <= {"prior.missing", "budget.missing"}


@pytest.mark.parametrize("name", list(PROJECTS))
def test_the_built_2016_report_states_the_published_figures_and_no_state_capital_section(name, tmp_path):
    slug, _, year, *_ = PROJECTS[name]
    out = tmp_path / "site"
    assert main(["build", "--no-kit", str(REAL / name), "--out", str(out)]) == 0
    page = re.sub(r"<[^>]+>", "", (out / slug / str(year) / "index.html").read_text(encoding="utf-8"))
    assert [f for f in STATED[name] if f not in page] == []
    # a set without the table says nothing of it (was: 本部门2016年度无state_capital相关收支，故本表为空表。)
    assert "state_capital" not in page and "国有资本经营预算支出决算情况说明" not in page


def test_the_2016_income_rows_of_the_summary_are_read():
    accounts = load_accounts(load_project(REAL / "luolong-2016"), "longxiang-xiaoxue", 2016)
    summary = accounts.tables["summary"]
    assert summary.value("income.fiscal", "amount") == Decimal("560.487883")
    assert summary.value("income.year_total", "amount") == Decimal("568.960923")
    accounts = load_accounts(load_project(REAL / "dongfang-2016"), "dongfang-xiaoxue", 2016)
    summary = accounts.tables["summary"]
    assert summary.value("income.fiscal", "amount") == Decimal("479.01")
    assert any(r.key == "income.fiscal_gov_fund" for r in summary.rows)  # 其中：政府性基金预算财政拨款 (blank)


def test_init_does_not_write_the_2016_rows(tmp_path):
    """财政拨款收入 and its 其中 are read when a workbook prints them (template = false), never written."""
    for set_name in ("national-8", "national-9"):
        path = tmp_path / f"{set_name}.xlsx"
        write_blank_workbook(path, load_table_set(set_name), unit_name="某单位", year=2016)
        ws = openpyxl.load_workbook(path).worksheets[0]
        labels = {normalize_label(c.value) for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
        assert "一般公共预算财政拨款收入" in labels
        assert not labels & {"财政拨款收入", "政府性基金预算财政拨款"}


def test_the_2016_fiscal_row_is_held_to_the_income_total_and_the_income_table():
    """一、财政拨款收入 takes the place of the three 财政拨款 rows in 本年收入合计 and against 收入决算表."""
    from disclosure.check import check_accounts, errors_of
    from factories import with_value

    project = load_project(REAL / "dongfang-2016")
    accounts = load_accounts(project, "dongfang-xiaoxue", 2016, with_prior=False)
    off = with_value(accounts, "summary", "income.fiscal", "amount", "480.01")
    rules = {f.rule for f in errors_of(check_accounts(off, project))}
    assert {"summary.income_year_total", "summary_income.fiscal"} <= rules


@pytest.mark.parametrize("row, value, rule", [
    ("income.fiscal", "470.00", "summary_fiscal.fiscal"),
    ("income.fiscal_gov_fund", "5.00", "summary_fiscal.fiscal_gov_fund"),
])
def test_the_2016_fiscal_rows_are_held_to_the_fiscal_summary(row, value, rule):
    """财政拨款收入 = 04表 本年收入合计; its 其中：政府性基金预算财政拨款 = 04表 政府性基金预算财政拨款, each naming its cell."""
    from disclosure.check import check_accounts, errors_of
    from factories import with_value

    project = load_project(REAL / "dongfang-2016")
    accounts = load_accounts(project, "dongfang-xiaoxue", 2016, with_prior=False)
    assert not [f for f in check_accounts(accounts, project) if f.rule == rule]
    off = with_value(accounts, "summary", row, "amount", value)
    fired = [f for f in errors_of(check_accounts(off, project)) if f.rule == rule]
    assert fired and any(c.sheet == "Sheet1" and c == off["summary"].row(row).cells["amount"] for c in fired[0].cells)
