"""Every declared rule fires on a counter-example, naming the right cells, and is silent when the
tables agree; rounding differences within 0.01 万元 per addend are notices."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from disclosure.check import check_accounts, errors_of, load_rules
from disclosure.check.rulebook import Term
from disclosure.model import CellRef
from disclosure.project import Project
from factories import Line, consistent_accounts, make_accounts, make_table, tree_rows, with_value

PROJECT = Project(root=Path("."))

LINES = [
    Line("2040201", basic="2100.25", project="300.10", opening="12.00", closing="20.50"),
    Line("2040202", basic="500.00"),
    Line("2040299", project="150.35"),
    Line("2080505", basic="120.00"),
    Line("2120801", "gov_fund", basic="3.00", project="80.00", opening="5.00", closing="2.00"),
    Line("2230101", "state_capital", project="40.00", opening="1.00"),
    Line("2040201", "other", basic="30.00"),
]
PERSONNEL = {"30101": "1000.00", "30102": "800.00", "30302": "300.25"}
PUBLIC = {"30201": "100.00", "30212": "20.00", "30217": "30.00", "30231": "250.00", "31013": "220.00"}


def base(**kw):
    return consistent_accounts(LINES, personnel=PERSONNEL, public=PUBLIC, procurement=("10", "0", "5"), **kw)


def cell_of(accounts, table, row, column) -> CellRef:
    return accounts[table].row(row).cells[column]


def test_consistent_accounts_give_no_error_warning_or_notice_but_the_missing_prior_year():
    findings = check_accounts(base(), PROJECT)
    assert [f.rule for f in findings] == ["prior.missing"]


# rule id → (table, row, column, change) applied to the consistent example
PERTURBATIONS = {
    "summary.income_year_total": ("summary", "income.general_budget", "amount", "7"),
    "summary.income_grand_total": ("summary", "income.opening_balance", "amount", "7"),
    "summary.expenditure_grand_total": ("summary", "expenditure.closing_balance", "amount", "7"),
    "summary.balance": ("summary", "income.grand_total", "amount", "7"),
    "summary.expenditure_classes": ("summary", "expenditure.204", "amount", "7"),
    "summary_income.year_total": ("income", "total", "total", "7"),
    "summary_income.fiscal": ("income", "total", "fiscal", "7"),
    "summary_income.business": ("income", "total", "business", "7"),
    "summary_expenditure.year_total": ("expenditure", "total", "total", "7"),
    "summary_expenditure.classes": ("expenditure", "204", "total", "7"),
    "summary_fiscal.general_budget": ("fiscal_summary", "income.general_budget", "amount", "7"),
    "summary_fiscal.gov_fund": ("fiscal_summary", "income.gov_fund", "amount", "7"),
    "summary_fiscal.state_capital": ("fiscal_summary", "income.state_capital", "amount", "7"),
    "income.row": ("income", "2040201", "business", "7"),
    "expenditure.row": ("expenditure", "2040201", "basic", "7"),
    "tree.function": ("income", "20402", "total", "7"),
    "tree.fiscal_summary": ("fiscal_summary", "expenditure.208", "general", "7"),
    "tree.economic_personnel": ("basic", "personnel.30101", "amount", "7"),
    "tree.economic_public": ("basic", "public.30231", "amount", "7"),
    "fiscal_summary.income_year_total": ("fiscal_summary", "income.year_total", "amount", "7"),
    "fiscal_summary.opening_funds": ("fiscal_summary", "income.opening_gov_fund", "amount", "7"),
    "fiscal_summary.income_grand_total": ("fiscal_summary", "income.grand_total", "amount", "7"),
    "fiscal_summary.expenditure_grand_total": ("fiscal_summary", "expenditure.grand_total", "total", "7"),
    "fiscal_summary.balance": ("fiscal_summary", "expenditure.grand_total", "total", "-7"),
    "fiscal_summary.row": ("fiscal_summary", "expenditure.204", "total", "7"),
    "fiscal_summary.flow_general": ("fiscal_summary", "expenditure.closing_balance", "general", "7"),
    "fiscal_summary.flow_gov_fund": ("fiscal_summary", "income.opening_gov_fund", "amount", "7"),
    "fiscal_summary.flow_state_capital": ("fiscal_summary", "expenditure.closing_balance", "state_capital", "7"),
    "general_budget.row": ("general_budget", "2040201", "project", "7"),
    "fiscal_general.total": ("general_budget", "total", "total", "7"),
    "fiscal_general.classes": ("general_budget", "204", "total", "7"),
    "general_basic.total": ("general_budget", "total", "basic", "7"),
    "basic.personnel": ("basic", "personnel.total", "amount", "7"),
    "basic.public": ("basic", "public.302", "amount", "7"),
    "gov_fund.flow": ("gov_fund", "2120801", "closing", "7"),
    "gov_fund.row": ("gov_fund", "2120801", "basic", "7"),
    "state_capital.flow": ("state_capital", "2230101", "opening", "7"),
    "state_capital.row": ("state_capital", "2230101", "project", "7"),
    "fiscal_gov_fund.income": ("gov_fund", "total", "income", "7"),
    "fiscal_gov_fund.expenditure": ("gov_fund", "total", "expenditure", "7"),
    "fiscal_gov_fund.opening": ("gov_fund", "total", "opening", "7"),
    "fiscal_gov_fund.closing": ("gov_fund", "total", "closing", "7"),
    "fiscal_state_capital.income": ("state_capital", "total", "income", "7"),
    "fiscal_state_capital.expenditure": ("state_capital", "total", "expenditure", "7"),
    "fiscal_state_capital.opening": ("state_capital", "total", "opening", "7"),
    "fiscal_state_capital.closing": ("state_capital", "total", "closing", "7"),
    "three_public.actual_total": ("three_public", "record", "actual_abroad", "7"),
    "three_public.actual_vehicle": ("three_public", "record", "actual_vehicle_purchase", "7"),
    "three_public.budget_total": ("three_public", "record", "budget_reception", "7"),
    "three_public.budget_vehicle": ("three_public", "record", "budget_vehicle_operation", "7"),
    "three_public_basic.abroad": ("three_public", "record", "actual_abroad", "-7"),
    "three_public_basic.reception": ("three_public", "record", "actual_reception", "-7"),
    "three_public_basic.vehicle_operation": ("three_public", "record", "actual_vehicle_operation", "-7"),
    "three_public_basic.vehicle_purchase": ("three_public", "record", "actual_vehicle_purchase", "-7"),
    "info.operating_cost": ("info", "operating_cost", "amount", "7"),
    "info.procurement": ("info", "procurement_goods", "amount", "7"),
    "projects.flow": ("projects", "2040201", "closing", "7"),
    "projects_general.project": ("projects", "total", "expenditure", "-7"),
}
# rules tested by hand-built minimal examples below
HAND_BUILT = {
    "summary_income.superior", "summary_income.operating", "summary_income.affiliated",
    "summary_income.other", "gov_fund.empty", "state_capital.empty", "general_projects.total",
    "expenditure_general.basic", "expenditure_general.project", "projects_expenditure.project",
    "info.vehicles",  # tests/test_check_mistakes.py: the example's 车辆数合计 mistyped
    "chain.summary", "chain.fiscal_summary", "chain.fiscal_general", "chain.fiscal_gov_fund",  # test_check_mistakes.py
    "chain.fiscal_state_capital", "chain.gov_fund", "chain.state_capital", "chain.projects",
    "summary_fiscal.fiscal", "summary_fiscal.fiscal_gov_fund",  # test_real_2016.py: the 2016 公开01表 rows
}


def test_every_declared_rule_has_a_counter_example():
    declared = {r.id for s in ("neimenggu-11", "national-9", "yunnan-11") for r in load_rules(s)}
    assert declared == set(PERTURBATIONS) | HAND_BUILT


@pytest.mark.parametrize("rule_id", sorted(PERTURBATIONS))
def test_rule_fires_on_one_wrong_cell_and_names_it(rule_id):
    table, row, column, change = PERTURBATIONS[rule_id]
    accounts = base()
    wrong = accounts[table].row(row).values[column] + Decimal(change)
    bad = with_value(accounts, table, row, column, wrong)
    target = cell_of(bad, table, row, column)
    fired = [f for f in check_accounts(bad, PROJECT) if f.rule == rule_id]
    assert fired, f"{rule_id} did not fire"
    expected = "warning" if rule_id == "info.operating_cost" else "error"
    assert any(f.severity == expected and target in f.cells for f in fired)
    finding = next(f for f in fired if target in f.cells)
    assert target.sheet in finding.message and f" {target.cell} " in f" {finding.message.replace('!', ' ')}"
    assert "差 7.00 万元" in finding.message
    assert finding.description


@pytest.mark.parametrize("rule", [r for r in load_rules("neimenggu-11") if r.kind == "equation"], ids=lambda r: r.id)
def test_every_equation_rule_reads_the_cells_of_its_terms(rule):
    """Each term names a table, row and column that exist in the standard (typos would make a
    rule silently skip)."""
    from disclosure.standard import load_table_set

    for term in (*rule.terms("left"), *rule.terms("right")):
        spec = load_table_set("neimenggu-11").get(term.table)
        assert spec is not None, term
        assert term.column in {c.key for c in spec.all_columns()}, term
        if term.row:
            block, _, local = term.row.rpartition(".")
            items = {i.key for b, i in spec.all_items() if (b or "") == block}
            assert local in items or local.isdigit(), term


def test_message_shows_both_sides_their_cells_and_the_difference():
    accounts = make_accounts({
        "summary": {"income.year_total": {"amount": "5728.23"}},
        "income": {"total": {"total": "5728.20"}},
    })
    [finding] = [f for f in check_accounts(accounts, PROJECT) if f.rule == "summary_income.year_total"]
    assert finding.severity == "error"
    assert finding.message == (
        "收入支出决算总表!C7 本年收入合计 5,728.23 ≠ 收入决算表!C7 合计·本年收入合计 5,728.20（差 0.03 万元）"
    )
    assert [str(c) for c in finding.cells] == ["收入支出决算总表!C7", "收入决算表!C7"]
    assert finding.table == "summary"


def test_a_sum_within_one_cent_per_addend_is_a_rounding_notice_not_an_error():
    accounts = make_accounts({"summary": {
        "income.year_total": {"amount": "6879.32"},
        "income.opening_balance": {"amount": "0"},
        "income.grand_total": {"amount": "6879.33"},
    }})
    [finding] = [f for f in check_accounts(accounts, PROJECT) if f.rule == "summary.income_grand_total"]
    assert finding.severity == "notice"
    assert finding.message.startswith("舍入差异：收入支出决算总表!C9 总计 6,879.33 ≠ ")
    assert "（差 0.01 万元）" in finding.message
    assert not errors_of(check_accounts(accounts, PROJECT))


def test_tolerance_grows_with_the_number_of_addends():
    rows = {"personnel.total": {"amount": "100.03"}, "personnel.301": {"amount": "50"},
            "personnel.303": {"amount": "50"}}
    two = make_accounts({"basic": rows})
    [f] = [f for f in check_accounts(two, PROJECT) if f.rule == "basic.personnel"]
    assert f.severity == "error"  # 0.03 > 2 × 0.01
    rows["personnel.total"] = {"amount": "100.02"}
    [f] = [f for f in check_accounts(make_accounts({"basic": rows}), PROJECT) if f.rule == "basic.personnel"]
    assert f.severity == "notice"


@pytest.mark.parametrize("source", ["superior", "operating", "affiliated", "other"])
def test_income_sources_of_the_summary_match_the_income_table(source):
    accounts = make_accounts({
        "summary": {f"income.{source}": {"amount": "12.00"}},
        "income": {"total": {"total": "12.50", source: "12.50"}},
    })
    [f] = [f for f in check_accounts(accounts, PROJECT) if f.rule == f"summary_income.{source}"]
    assert f.severity == "error"
    assert "12.00 ≠ " in f.message and "12.50（差 0.50 万元）" in f.message


def test_gov_fund_money_in_table_04_requires_a_filled_table_08():
    accounts = base()
    accounts.tables["gov_fund"] = make_table("gov_fund", {"total": {}}, file=accounts.files[0])
    found = [f for f in check_accounts(accounts, PROJECT) if f.rule == "gov_fund.empty"]
    assert [f.severity for f in found] == ["error"]
    fund_cell = cell_of(accounts, "fiscal_summary", "income.gov_fund", "amount")
    assert fund_cell in found[0].cells
    assert "政府性基金预算财政拨款收入支出决算表是空表" in found[0].message


def test_a_filled_table_09_while_table_04_shows_no_state_capital_money_is_an_error():
    lines = [l for l in LINES if l.fund != "state_capital"]
    accounts = consistent_accounts(lines, personnel=PERSONNEL, public=PUBLIC)
    assert accounts["state_capital"].empty
    assert not errors_of(check_accounts(accounts, PROJECT))
    filled = make_table("state_capital",
                        {"total": {"expenditure": "3", "project": "3", "income": "3"}})
    accounts.tables["state_capital"] = filled
    found = [f for f in check_accounts(accounts, PROJECT) if f.rule == "state_capital.empty"]
    assert [f.severity for f in found] == ["error"]
    assert filled.cell("total", "income") in found[0].cells
    assert "有数" in found[0].message


def test_yunnan_project_table_matches_the_general_budget_project_column():
    accounts = make_accounts({
        "general_budget": {"total": {"total": "90", "basic": "60", "project": "30"}},
        "general_budget_projects": {"total": {"total": "31"}},
    }, table_set="yunnan-11")
    [f] = [f for f in check_accounts(accounts, PROJECT) if f.rule == "general_projects.total"]
    assert f.severity == "error"
    assert f.cells[0] == accounts["general_budget_projects"].cell("total", "total")


def test_rules_of_absent_tables_are_skipped_not_failed():
    accounts = make_accounts({"three_public": {"record": {"actual_total": "5", "actual_abroad": "5"}}})
    findings = check_accounts(accounts, PROJECT)
    assert [f.rule for f in findings] == ["prior.missing"]


def test_tree_sums_name_the_parent_and_every_child():
    accounts = make_accounts({"expenditure": {
        "total": {"total": "30", "basic": "30", "project": "0"},
        "204": {"total": "30", "basic": "30", "project": "0"},
        "20402": {"total": "30", "basic": "30", "project": "0"},
        "2040201": {"total": "10", "basic": "10", "project": "0"},
        "2040202": {"total": "15", "basic": "15", "project": "0"},
    }})
    found = [f for f in check_accounts(accounts, PROJECT) if f.rule == "tree.function" and f.severity == "error"]
    assert len(found) == 2  # total and basic columns of 款 20402; project sums to zero
    parent = accounts["expenditure"].cell("20402", "total")
    kids = [accounts["expenditure"].cell(c, "total") for c in ("2040201", "2040202")]
    total_finding = next(f for f in found if parent in f.cells)
    assert list(total_finding.cells) == [parent, *kids]
    assert "差 5.00 万元" in total_finding.message


def test_a_missing_class_row_on_one_side_of_a_match_is_reported_as_absent():
    accounts = make_accounts({
        "summary": {"expenditure.204": {"amount": "10"}, "expenditure.year_total": {"amount": "10"}},
        "expenditure": {"total": {"total": "10", "basic": "10", "project": "0"},
                        "208": {"total": "10", "basic": "10", "project": "0"}},
    })
    found = [f for f in check_accounts(accounts, PROJECT) if f.rule == "summary_expenditure.classes"]
    assert len(found) == 2
    assert any("无 204 公共安全支出 行" in f.message for f in found)
    assert any("无 208 社会保障和就业支出 行" in f.message for f in found)


def test_checking_never_changes_the_accounts():
    accounts = base()
    before = [(k, r.key, dict(r.values)) for k, t in accounts.tables.items() for r in t.rows]
    bad = with_value(accounts, "income", "total", "total", "1")
    check_accounts(bad, PROJECT)
    check_accounts(accounts, PROJECT)
    assert before == [(k, r.key, dict(r.values)) for k, t in accounts.tables.items() for r in t.rows]


def test_terms_parse_marks_and_reject_malformed_names():
    t = Term.parse("-basic:public.302:amount?")
    assert (t.table, t.row, t.column, t.negative, t.optional) == ("basic", "public.302", "amount", True, True)
    assert Term.parse("three_public::actual_total").row == ""
    with pytest.raises(ValueError):
        Term.parse("summary:amount")


def test_to_dict_carries_cells_with_links_to_the_table_pages():
    accounts = make_accounts({
        "summary": {"income.year_total": {"amount": "10"}},
        "income": {"total": {"total": "11"}},
    })
    [f] = [f for f in check_accounts(accounts, PROJECT) if f.rule == "summary_income.year_total"]
    d = f.to_dict()
    assert d["severity"] == "error" and d["label"] == "错误" and d["table"] == "summary"
    assert d["cells"][0] == {
        "file": "tables/example/2021.xlsx", "sheet": "收入支出决算总表", "cell": "C7", "table": "summary",
        "ref": "收入支出决算总表!C7", "href": "tables/summary.html#cell-summary-C7",
    }


def test_a_set_may_replace_a_shared_rule():
    national = {r.id: r for r in load_rules("national-9")}
    shared = {r.id: r for r in load_rules("neimenggu-11")}
    assert national["state_capital.empty"].params["funds"] == ["fiscal_summary:expenditure.year_total:state_capital?"]
    assert len(shared["state_capital.empty"].params["funds"]) == 4
    # national 09表 is an expenditure table: income and balances alone leave it blank, rightly
    from disclosure.check.rule_engine import evaluate

    lines = [Line("2040201", basic="10"), Line("2230101", "state_capital", closing="3.00")]
    accounts = consistent_accounts(lines, personnel={"30101": "10"}, public={}, table_set="national-9")
    assert not any(v for r in accounts["state_capital"].rows for v in r.values.values() if v)
    assert not [f for f in check_accounts(accounts, PROJECT) if f.rule == "state_capital.empty"]
    assert [f.severity for f in evaluate(shared["state_capital.empty"], accounts)] == ["error"]


def test_a_content_section_explains_an_empty_table():
    from disclosure.content import UnitContent

    accounts = make_accounts({"projects": {"total": {}}})
    [warning] = [f for f in check_accounts(accounts, PROJECT) if f.rule == "empty.note"]
    assert warning.severity == "warning" and warning.cells == (accounts["projects"].title_cell,)
    content = UnitContent("example", 2021, sections={"empty-projects": "本单位2021年度无项目收支，故本表为空表。"})
    assert not [f for f in check_accounts(accounts, PROJECT, content=content) if f.rule == "empty.note"]
    noted = make_accounts({"projects": make_table("projects", {"total": {}}, notes=["说明：本表为空表。"])})
    assert not [f for f in check_accounts(noted, PROJECT) if f.rule == "empty.note"]


def test_a_custom_table_set_brings_its_own_rules(tmp_path):
    import shutil

    from disclosure.check import rules_for
    from disclosure.errors import ConfigError
    from disclosure.standard import STANDARDS_DIR

    custom = tmp_path / "my-set.toml"
    shutil.copy(STANDARDS_DIR / "national-9.toml", custom)
    (tmp_path / "my-set.rules.toml").write_text(
        '[[rule]]\nid = "three_public.only"\nkind = "columns"\ndescription = "三公合计 = 因公出国"\n'
        'tables = ["three_public"]\nleft = ["actual_total"]\nright = ["actual_abroad"]\n', encoding="utf-8")
    accounts = make_accounts({"three_public": {"record": {"actual_total": "5", "actual_abroad": "4"}}})
    project = Project(root=tmp_path, table_set=str(custom))
    accounts.table_set = str(custom)
    assert [r.id for r in rules_for(accounts, project)] == ["three_public.only"]
    [f] = [f for f in check_accounts(accounts, project) if f.severity == "error"]
    assert f.rule == "three_public.only" and "差 1.00 万元" in f.message

    bad = tmp_path / "bad-set.toml"
    shutil.copy(STANDARDS_DIR / "national-9.toml", bad)
    (tmp_path / "bad-set.rules.toml").write_text('[[rule]]\nid = "x"\nkind = "sum"\ndescription = "?"\n', encoding="utf-8")
    accounts.table_set = str(bad)
    with pytest.raises(ConfigError, match="校验规则文件有误"):
        check_accounts(accounts, Project(root=tmp_path, table_set=str(bad)))


def test_a_long_side_shows_its_non_zero_terms_or_its_ends():
    zeros = {"superior": "0", "business": "0", "operating": "0", "affiliated": "0", "other": "0"}
    accounts = make_accounts({"income": {"total": {"total": "10.50", "fiscal": "10.00", **zeros}}})
    [f] = [f for f in check_accounts(accounts, PROJECT) if f.rule == "income.row"]
    assert "≠ 收入决算表!D7 合计·财政拨款收入 10.00（另 5 项为 0.00）= 10.00（差 0.50 万元）" in f.message
    assert len(f.cells) == 7  # every cell read, zeros included
    many = {c: "1" for c in ("superior", "business", "operating", "affiliated", "other")}
    accounts = make_accounts({"income": {"total": {"total": "10.50", "fiscal": "1", **many}}})
    [f] = [f for f in check_accounts(accounts, PROJECT) if f.rule == "income.row"]
    assert "收入决算表!D7 合计·财政拨款收入 1.00 + …（共 6 项）… + I7 合计·其他收入 1.00 = 6.00" in f.message


def test_the_unpublished_budget_sheet_is_summed_like_the_others():
    accounts = make_accounts({"budget": {
        "total": {"initial": "100"}, "204": {"initial": "100"}, "20402": {"initial": "100"},
        "2040201": {"initial": "60"}, "2040220": {"initial": "30"},
    }})
    [f] = [f for f in check_accounts(accounts, PROJECT) if f.rule == "tree.function"]
    assert f.severity == "error" and f.table == "budget"
    assert f.cells[0] == accounts["budget"].cell("20402", "initial") and "差 10.00 万元" in f.message


@pytest.mark.parametrize("column", ["basic", "project"])
def test_general_budget_spending_cannot_exceed_all_spending(column):
    accounts = make_accounts({
        "expenditure": {"total": {"total": "100", "basic": "60", "project": "40"}},
        "general_budget": {"total": {"total": "100", "basic": "60", "project": "40", column: "70"}},
    })
    [f] = [f for f in check_accounts(accounts, PROJECT) if f.rule == f"expenditure_general.{column}"]
    assert f.severity == "error"
    assert f.cells == (accounts["expenditure"].cell("total", column), accounts["general_budget"].cell("total", column))
    assert " < " in f.message and "（差" in f.message


def test_a_project_table_covering_projects_of_every_fund_is_not_refused():
    # a 2022 county report: part of the project spending of 05表 is paid from 其他收入 and from
    # 政府性基金, so 05表 本年支出 exceeds 06表 项目支出 and equals 03表 项目支出
    lines = [*LINES, Line("2040299", "other", project="25.00")]
    accounts = consistent_accounts(lines, personnel=PERSONNEL, public=PUBLIC, procurement=("10", "0", "5"))
    leaves: dict[str, dict[str, Decimal]] = {}
    for line in lines:
        if Decimal(str(line.project)):
            acc = leaves.setdefault(line.code, {"income": Decimal(0), "income_fiscal": Decimal(0),
                                                "expenditure": Decimal(0)})
            acc["income"] += Decimal(str(line.project))
            acc["expenditure"] += Decimal(str(line.project))
            if line.fund != "other":
                acc["income_fiscal"] += Decimal(str(line.project))
    accounts.tables["projects"] = make_table(
        "projects", tree_rows(leaves, ["opening", "income", "income_fiscal", "expenditure", "closing"]),
        file=accounts.files[0])
    every_fund = accounts["projects"].row("total").values["expenditure"]
    assert every_fund == accounts["expenditure"].row("total").values["project"]
    assert every_fund > accounts["general_budget"].row("total").values["project"]
    assert errors_of(check_accounts(accounts, PROJECT)) == []


def test_a_project_table_above_all_project_spending_is_an_error():
    accounts = base()
    over = accounts["expenditure"].row("total").values["project"] + Decimal("7")
    bad = with_value(accounts, "projects", "total", "expenditure", over)
    [f] = [f for f in check_accounts(bad, PROJECT) if f.rule == "projects_expenditure.project"]
    assert f.severity == "error"
    assert cell_of(bad, "projects", "total", "expenditure") in f.cells
    assert "差 7.00 万元" in f.message
