"""Issue 15.4: without a 年初预算数表 the check says which sentences the report leaves out, and the
report leaves them out without a word about the tool or the sheet."""
from __future__ import annotations

from pathlib import Path

from disclosure.check import check_accounts, errors_of
from disclosure.content import UnitContent
from disclosure.derive import derive
from disclosure.narrative import render_narrative
from disclosure.project import Project
from test_derive import example_accounts

PROJECT = Project(root=Path("."))


def findings(budget: bool):
    accounts = example_accounts(budget=budget)
    return check_accounts(accounts, PROJECT, facts=derive(accounts, PROJECT))


def test_no_budget_sheet_is_a_warning_naming_what_is_left_out():
    [warning] = [f for f in findings(budget=False) if f.rule == "budget.missing"]
    assert warning.severity == "warning"
    assert warning.message.startswith("年初预算数表不在公开表文件中：报告将略去“预算执行情况分析”一节")
    assert "一般公共预算财政拨款支出与年初预算的比较" in warning.message
    assert "各项级科目的年初预算数、完成年初预算的比例及差异原因" in warning.message
    assert "tables/example/2021.xlsx" in warning.message and "“年初预算数表”工作表" in warning.message
    assert not [f for f in errors_of(findings(budget=False)) if f.rule == "budget.missing"]


def test_a_budget_sheet_gives_no_such_warning():
    assert not [f for f in findings(budget=True) if f.rule == "budget.missing"]


def test_without_facts_the_check_says_nothing_about_the_budget():
    accounts = example_accounts(budget=False)
    assert not [f for f in check_accounts(accounts, PROJECT) if f.rule == "budget.missing"]


def test_the_report_leaves_the_budget_sentences_out_silently():
    accounts = example_accounts(budget=False)
    sections = render_narrative(derive(accounts, PROJECT), UnitContent(unit="example", year=2021), PROJECT)
    keys = [s.key for s in sections]
    assert "budget_execution" not in keys
    text = "\n".join(s.markdown for s in sections if s.key != "glossary")
    for tool_words in ("未填报", "年初预算数表", "不作决算与年初预算的对比分析", "年初预算"):
        assert tool_words not in text
