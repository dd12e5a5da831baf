"""The example department (巴彦淖尔市公安局交通管理支队) passes its checks: its published 0.01
differences come out as rounding notices, never errors; missing reasons are warned about until
content/…/reasons.toml gives them."""
from __future__ import annotations

import dataclasses
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from disclosure.check import check_accounts, errors_of
from disclosure.check.advisories import needing_reasons
from disclosure.content import load_content
from disclosure.derive import derive
from disclosure.load import load_accounts
from disclosure.project import load_project

ROOT = Path(__file__).resolve().parents[1]
UNIT = "bayannur-jiaoguan"

# rule → the two figures of the 0.01 difference the reference report itself carries
ROUNDING_2021 = {
    "summary.expenditure_grand_total": ("6,879.33", "6,879.32"),
    "fiscal_summary.expenditure_grand_total": ("6,879.33", "6,879.32"),
    "fiscal_summary.flow_general": ("6,879.33", "6,879.32"),
    "basic.personnel": ("2,678.73", "2,678.74"),
    "general_basic.total": ("2,996.69", "2,996.70"),
    "three_public.actual_vehicle": ("376.18", "376.17"),
}


@pytest.fixture(scope="module")
def example():
    project = load_project(ROOT)
    accounts = load_accounts(project, UNIT, 2021)
    return project, accounts


def test_example_2021_has_no_errors_and_notices_for_exactly_its_rounding_differences(example):
    project, accounts = example
    findings = check_accounts(accounts, project)
    assert not errors_of(findings), [f.message for f in errors_of(findings)]
    notices = {f.rule: f for f in findings if f.severity == "notice"}
    assert set(notices) == set(ROUNDING_2021)
    for rule, (stated, summed) in ROUNDING_2021.items():
        message = notices[rule].message
        assert message.startswith("舍入差异：")
        assert stated in message and summed in message and "（差 0.01 万元）" in message


def test_example_notices_name_the_cells_of_the_reference_differences(example):
    project, accounts = example
    notices = {f.rule: f for f in check_accounts(accounts, project) if f.severity == "notice"}
    assert notices["summary.expenditure_grand_total"].cells[0] == accounts["summary"].cell(
        "expenditure.grand_total", "amount")
    assert notices["basic.personnel"].cells[0] == accounts["basic"].cell("personnel.total", "amount")
    # a label printed twice on the sheet is told apart by the item above it
    assert "年初财政拨款结转和结余·一般公共预算财政拨款 1,151.10" in notices["fiscal_summary.flow_general"].message
    assert notices["three_public.actual_vehicle"].cells[0] == accounts["three_public"].cell("record", "actual_vehicle")
    assert [str(c) for c in notices["general_basic.total"].cells] == [
        str(accounts["general_budget"].cell("total", "basic")),
        str(accounts["basic"].cell("personnel.total", "amount")),
        str(accounts["basic"].cell("public.total", "amount")),
    ]


def test_example_2020_has_no_errors_and_warns_that_2019_is_missing():
    project = load_project(ROOT)
    accounts = load_accounts(project, UNIT, 2020)
    findings = check_accounts(accounts, project)
    assert not errors_of(findings)
    [prior] = [f for f in findings if f.rule == "prior.missing"]
    assert prior.severity == "warning" and "2019" in prior.message and "略去" in prior.message


def test_reasons_are_asked_for_large_changes_and_budget_gaps_and_satisfied_by_content(example, tmp_path):
    project, accounts = example
    facts = derive(accounts, project)
    needed = {f.reason_key for f in needing_reasons(facts, project.change_threshold)}
    # 政府采购服务支出 +209.36% and 机关运行经费 +17.71% (report §(十一)/(十二)); 三公 192.91% of budget
    assert {"procurement.services.change", "operating_cost.change", "tp.total.completion"} <= needed
    assert all(not k.startswith("gb.item.2101103.change") for k in needed)

    empty = dataclasses.replace(load_content(project, UNIT, 2021), reasons={})
    warned = {f.message.split(" = ")[0].rsplit(" ", 1)[-1] for f in check_accounts(
        accounts, project, content=empty, facts=facts) if f.rule == "reason.missing"}
    assert warned == needed
    written = dataclasses.replace(empty, reasons={"operating_cost.change": "疫情防护物资购置增加。"})
    still = [f for f in check_accounts(accounts, project, content=written, facts=facts) if f.rule == "reason.missing"]
    assert not any("operating_cost.change" in f.message for f in still)
    assert len(still) == len(needed) - 1


def test_the_change_threshold_comes_from_the_project(example):
    project, accounts = example
    facts = derive(accounts, project)
    strict = {f.reason_key for f in needing_reasons(facts, Decimal("10"))}
    loose = {f.reason_key for f in needing_reasons(facts, Decimal("50"))}
    assert "operating_cost.change" in strict and "operating_cost.change" not in loose  # 17.71%
    assert "procurement.services.change" in loose  # 209.36%
    lenient = dataclasses.replace(project, change_threshold=Decimal("50"))
    warned = " ".join(f.message for f in check_accounts(accounts, lenient, facts=facts))
    assert "operating_cost.change" not in warned and "procurement.services.change" in warned


def test_an_empty_table_without_a_note_is_warned_about(example):
    project, accounts = example
    table = accounts["projects"]
    blank = dataclasses.replace(table, rows=[dataclasses.replace(r, values={}, cells={}) for r in table.rows],
                                empty=True, notes=[])
    changed = dataclasses.replace(accounts, tables={**accounts.tables, "projects": blank})
    found = [f for f in check_accounts(changed, project) if f.rule == "empty.note"]
    assert [f.table for f in found] == ["projects"]
    assert "empty-projects.md" in found[0].message
    # gov_fund / state_capital are empty in the example, but the standard supplies their 空表说明
    assert accounts["gov_fund"].empty and not any(f.table == "gov_fund" for f in found)
