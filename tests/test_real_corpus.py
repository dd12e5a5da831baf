"""The real-layout corpus (tests/fixtures/real): workbooks laid out as real exports, with figures of
published reports, load, check without errors and state the published figures in the report."""
from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path

import pytest

from disclosure.pipeline import check_unit_year
from disclosure.content import load_content
from disclosure.derive import derive
from disclosure.load import load_accounts
from disclosure.narrative import render_narrative
from disclosure.project import load_project

REAL = Path(__file__).parent / "fixtures" / "real"
sys.path.insert(0, str(REAL))
from real import STATED  # noqa: E402

D = Decimal
# project folder → (unit slug, year, the STATED key of its figures)
PROJECTS = {
    "bayannur-gk": ("bayannur-jiaoguan", 2021, "bayannur-gk"),
    "bayannur-ods": ("bayannur-jiaoguan", 2021, "bayannur-gk"),
    "bayannur-xls": ("bayannur-jiaoguan", 2021, "bayannur-gk"),
    "tianshui": ("tianshui-youeryuan", 2017, "tianshui"),
    "tianshui-xls": ("tianshui-youeryuan", 2017, "tianshui"),
    "tianshui-names": ("tianshui-youeryuan", 2017, "tianshui"),
    "renshebu": ("renshebu", 2020, "renshebu"),
    "renshebu-ods": ("renshebu", 2020, "renshebu"),
    "putuo": ("putuo-shengtai", 2025, "putuo"),
    "putuo-xls": ("putuo-shengtai", 2025, "putuo"),
}
# the rounding differences the published 巴彦淖尔 tables themselves have (notices, never errors)
PUBLISHED_NOTICES = {"basic.personnel", "fiscal_summary.expenditure_grand_total", "fiscal_summary.flow_general",
                     "general_basic.total", "summary.expenditure_grand_total", "three_public.actual_vehicle"}


def workbooks() -> list[Path]:
    return sorted(p for p in REAL.glob("*/tables/*/*") if p.suffix in (".xlsx", ".xls", ".ods"))


def test_the_corpus_has_at_least_ten_workbooks_in_all_three_formats_each_named_in_the_readme():
    books = workbooks()
    assert len(books) >= 10
    assert {p.suffix for p in books} == {".xlsx", ".xls", ".ods"}
    readme = (REAL / "README.md").read_text(encoding="utf-8")
    for name in PROJECTS:
        assert f"`{name}/`" in readme


_ACCOUNTS: dict[str, object] = {}


def accounts(name: str):
    if name not in _ACCOUNTS:
        slug, year, _ = PROJECTS[name]
        _ACCOUNTS[name] = load_accounts(load_project(REAL / name), slug, year)
    return _ACCOUNTS[name]


@pytest.mark.parametrize("name", list(PROJECTS))
def test_each_project_checks_without_errors(name):
    slug, year, _ = PROJECTS[name]
    result = check_unit_year(load_project(REAL / name), slug, year)
    assert result.problems == []
    assert result.errors == [], [f.message for f in result.errors]
    # warnings a first year without reasons, and tables without the unpublished 年初预算数表, must give
    allowed = {"prior.missing", "reason.missing", "budget.missing"}
    allowed |= PUBLISHED_NOTICES if name.startswith("bayannur") else set()
    assert {f.rule for f in result.findings} <= allowed


@pytest.mark.parametrize("name", list(PROJECTS))
def test_the_report_states_the_published_figures(name):
    slug, year, key = PROJECTS[name]
    project = load_project(REAL / name)
    facts = derive(accounts(name), project)
    content = load_content(project, slug, year)
    text = "\n".join(s.markdown for s in render_narrative(facts, content, project, link=False))
    missing = [figure for figure in STATED[key] if figure not in text]
    assert missing == []


def test_every_format_reads_the_same_figures():
    for group in (("bayannur-gk", "bayannur-ods", "bayannur-xls"), ("tianshui", "tianshui-xls", "tianshui-names"),
                  ("renshebu", "renshebu-ods"), ("putuo", "putuo-xls")):
        first = accounts(group[0])
        for other in group[1:]:
            for key, table in first.tables.items():
                theirs = accounts(other).tables[key]
                mine = {r.key: r.values for r in table.rows}
                assert {r.key: r.values for r in theirs.rows} == mine, (other, key)


def test_units_in_the_information_labels_are_read():
    info = accounts("putuo").tables["info"]
    assert info.value("vehicles_total", "amount") == 9 and info.row("vehicles_total").unit == "辆"
    assert info.row("vehicles_total").label == "车辆数合计（辆）"
    assert info.value("procurement_total", "amount") == D("372.34")
    bayannur = accounts("bayannur-gk").tables["info"]
    assert bayannur.value("vehicles_total", "amount") == 103
    assert bayannur.value("equipment_general_50", "amount") == 11
    assert bayannur.cell("vehicles_total", "amount").sheet == "GK11"


def test_a_2020_class_written_without_its_code_takes_it_from_the_2020_list():
    summary = accounts("renshebu").tables["summary"]
    row = summary.row("expenditure.234")
    assert row.label == "抗疫特别国债安排的支出" and row.level == 1
    assert summary.value("expenditure.234", "amount") == D("1200.00")


def test_names_without_codes_take_the_codes_of_their_year():
    table = accounts("tianshui-names").tables["expenditure"]
    assert [r.key for r in table.rows][:7] == ["total", "205", "20502", "2050201", "208", "20805", "2080505"]
    # 2017: 医疗保障 (21005) and 事业单位医疗 (2100502), the names of that year's list
    assert table.row("2100502").label == "事业单位医疗"
    assert any("已按2017年政府收支分类科目补上" in n for n in accounts("tianshui-names").notices)


def test_amounts_in_yuan_are_read_in_wan():
    assert accounts("tianshui-xls").tables["summary"].value("income.year_total", "amount") == D("1687.45")
    assert accounts("tianshui-xls").tables["summary"].source_unit == "元"
