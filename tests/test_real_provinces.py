"""Provinces' table sets end to end (tests/fixtures/real/, the projects of provinces.py): each
workbook, laid out as that province's published export is, loads under the province's set, checks
without errors and is built into a site whose report states the figures the published source states."""
from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path

import pytest

from disclosure.check import check_accounts, errors_of
from disclosure.cli import main
from disclosure.derive import derive
from disclosure.load import load_accounts
from disclosure.pipeline import check_unit_year
from disclosure.project import Project, load_project
from disclosure.wording.style import style_for
from factories import make_accounts, make_table, with_value

REAL = Path(__file__).parent / "fixtures" / "real"
sys.path.insert(0, str(REAL))
from provinces import PROJECTS, STATED, STATED_PRIOR  # noqa: E402

# a first year without its prior year, and no unpublished 年初预算数表: warnings every such project has
ALLOWED = {"prior.missing", "reason.missing", "budget.missing"}


def test_every_province_project_is_written_named_in_the_readme_and_states_figures():
    readme = (REAL / "README.md").read_text(encoding="utf-8")
    for name, p in PROJECTS.items():
        assert f"`{name}/`" in readme and p.source in readme
        assert (REAL / name / "tables" / p.unit.slug / f"{p.unit.year}.{p.fmt}").is_file()
        assert STATED[name][2]


@pytest.mark.parametrize("name", list(PROJECTS))
def test_each_province_project_loads_under_its_set_and_checks_without_errors(name):
    slug, year, _ = STATED[name]
    project = load_project(REAL / name)
    accounts = load_accounts(project, slug, year)
    assert accounts.table_set == PROJECTS[name].unit.table_set
    result = check_unit_year(project, slug, year)
    assert result.problems == []
    assert result.errors == [], [f.message for f in result.errors]
    assert {f.rule for f in result.findings} <= ALLOWED | PROJECTS[name].notices
    prior = PROJECTS[name].prior
    if prior is not None:  # the prior year, laid out in its own year's set (四川 2021: 14 tables)
        assert load_accounts(project, slug, prior.year).table_set == prior.table_set
        earlier = check_unit_year(project, slug, prior.year)
        assert earlier.problems == [] and earlier.errors == [], [f.message for f in earlier.errors]


@pytest.mark.parametrize("name", list(PROJECTS))
def test_the_built_report_states_the_published_figures(name, tmp_path):
    slug, year, figures = STATED[name]
    out = tmp_path / "site"
    assert main(["build", "--no-kit", str(REAL / name), "--out", str(out)]) == 0
    page = (out / slug / str(year) / "index.html").read_text(encoding="utf-8")
    assert [f for f in figures if f not in page] == []
    if name in STATED_PRIOR:  # the prior year's page states what the published report gives for it
        prior_year, prior_figures = STATED_PRIOR[name]
        page = (out / slug / str(prior_year) / "index.html").read_text(encoding="utf-8")
        assert [f for f in prior_figures if f not in page] == []


def test_an_empty_record_tables_note_under_its_header_is_its_note():
    """云南 09表 三公 is empty and says so under its header: the note is read as the table's."""
    accounts = load_accounts(load_project(REAL / "zhaotong-2021"), "tianxing-weishengyuan", 2021)
    table = accounts.tables["three_public"]
    assert table.empty and any("空表" in n for n in table.notes)


def test_amounts_in_yuan_are_carried_in_wan_exactly():
    accounts = load_accounts(load_project(REAL / "zhaotong-2021"), "tianxing-weishengyuan", 2021)
    summary = accounts.tables["summary"]
    assert summary.source_unit == "元"
    assert str(summary.value("income.year_total", "amount")) == "2575.489939"
    assert str(summary.value("expenditure.210", "amount")) == "2503.756522"


def test_totals_in_yuan_round_on_their_own_as_the_published_report_prints_them():
    """新疆 2023: the report prints 434.16 + 0.55 = 434.72; in 元 the tables add up, each rounded alone."""
    accounts = load_accounts(load_project(REAL / "wulumuqi-2023"), "wlmq-zhengwu", 2023)
    summary = accounts.tables["summary"]
    assert str(summary.value("income.year_total", "amount")) == "434.1648"
    assert str(summary.value("income.opening_balance", "amount")) == "0.5549"
    assert str(summary.value("income.grand_total", "amount")) == "434.7197"
    # the 九、《…》 title names its sheet: the 国有资本经营 table is found by title, not by position
    assert accounts.tables["state_capital"].sheet == "Sheet9" and accounts.tables["state_capital"].empty


def test_the_maker_line_written_as_bumen_names_the_unit_and_is_no_header():
    """云南 2021 exports write 部门：… where others write 编制单位：…"""
    from disclosure.load import read_tables
    from disclosure.standard import load_table_set

    path = REAL / "zhaotong-2021" / "tables" / "tianxing-weishengyuan" / "2021.xls"
    loaded = read_tables(path, load_table_set("yunnan-9"), display_path="2021.xls", year=2021)
    assert loaded.unit_name == "昭通市大关县天星镇中心卫生院"
    assert {ref.cell for _, ref in loaded.unit_cells} == {"A3"}


def test_sheets_named_by_chinese_numerals_are_found_without_their_titles(tmp_path):
    """广西 exports name their sheets 表一 … 表九: with the titles and markers gone, the names still say
    which table each sheet holds."""
    import openpyxl

    from disclosure.blank_workbook import write_blank_workbook
    from disclosure.load import read_tables
    from disclosure.standard import load_table_set

    table_set = load_table_set("national-9")
    path = tmp_path / "2021.xlsx"
    write_blank_workbook(path, table_set, unit_name="某单位", year=2021)
    wb = openpyxl.load_workbook(path)
    numerals = "一二三四五六七八九"
    for ws in wb.worksheets:
        spec = next((s for s in table_set.published() if s.title == ws.title), None)
        if spec is None:
            continue
        for row in ws.iter_rows(min_row=1, max_row=3):
            for cell in row:
                if isinstance(cell.value, str) and "表" in cell.value:
                    cell.value = None
        ws.title = f"表{numerals[spec.number - 1]}"
    wb.save(path)
    loaded = read_tables(path, table_set, display_path="2021.xlsx", year=2021)
    assert {key: t.sheet for key, t in loaded.tables.items() if t.spec.published} == {
        s.key: f"表{numerals[s.number - 1]}" for s in table_set.published()
    }


def test_the_zhejiang_by_unit_tables_are_read_beside_the_by_subject_ones_and_tie_to_them():
    """浙江 publishes 收入/支出决算表 twice, 分单位 (a row per unit) and 分科目: both are read, the 分单位 合计
    must be the sum of its units and equal the 分科目 合计, column by column."""
    project = load_project(REAL / "qiantang-2021")
    accounts = load_accounts(project, "qiantang-shenpi", 2021)
    assert (accounts.tables["income"].sheet, accounts.tables["expenditure"].sheet) == ("表3", "表5")
    by_unit = accounts.tables["expenditure_by_unit"]
    assert (accounts.tables["income_by_unit"].sheet, by_unit.sheet) == ("表2", "表4")
    assert not [n for n in accounts.notices if "未读取" in n]
    assert [(r.label, r.level) for r in by_unit.rows if r.key != "total"] == [("杭州市钱塘区行政审批局", 1)]
    assert by_unit.value("total", "basic") == accounts.tables["expenditure"].value("total", "basic") == Decimal("2054.70")
    unit_row = next(r.key for r in by_unit.rows if r.key != "total")
    off = with_value(accounts, "expenditure_by_unit", unit_row, "basic", "2000.00")
    assert {f.rule for f in errors_of(check_accounts(off, project))} == {"by_unit.total"}
    off = with_value(accounts, "income_by_unit", "total", "fiscal", "4350.00")
    found = errors_of(check_accounts(off, project))
    assert {f.rule for f in found} == {"by_unit.total", "income_by_unit.fiscal"}
    assert any(c.sheet == "表2" for f in found for c in f.cells)


def test_the_sichuan_2021_set_is_read_in_its_fourteen_tables_and_2022_in_thirteen():
    """大英县文化广播电视和旅游局: 2021 in the 14 tables of its 2021 report (三公 tenth, the 政府性基金 三公
    table twelfth), 2022 in the 13 of sichuan-13 (三公 last); sheets 附表一 … 附表十四 carry the titles."""
    project = load_project(REAL / "daying-2022")
    earlier = load_accounts(project, "daying-wenlv", 2021)
    later = load_accounts(project, "daying-wenlv", 2022)
    assert (earlier.table_set, later.table_set) == ("sichuan-14", "sichuan-13")
    assert len([t for t in earlier.tables.values() if t.spec.published]) == 14
    assert len([t for t in later.tables.values() if t.spec.published]) == 13
    assert earlier.tables["three_public"].sheet == "附表十" and later.tables["three_public"].sheet == "附表十三"
    assert earlier.tables["gov_fund_three_public"].sheet == "附表十二" and earlier.tables["gov_fund_three_public"].empty
    assert "gov_fund_three_public" not in later.tables
    # both 四川 sets are written in the 四川 style when a project names none
    assert {style_for(Project(root=Path("."), table_set=s)).name for s in ("sichuan-13", "sichuan-14")} == {"sichuan"}
    # the 经济分类 detail ties to the 一般公共预算 table: 项目支出 3,003.64 − 213.64 of 其他资金 = 2,790.00
    assert later.tables["general_budget_detail"].value("total", "project") == Decimal("2790.00")
    assert later.tables["fiscal_detail"].value("total", "total") == Decimal("3890.27")


def test_a_sentence_under_an_empty_table_is_its_note_not_a_row():
    """四川 tables print the reason under an empty table without 注： (本单位…无…收入、支出，故本表为空表 /
    本表无数据 / 此表为空): each is the table's note, not a row named by the sentence."""
    accounts = load_accounts(load_project(REAL / "daying-2022"), "daying-wenlv", 2021)
    for key, said in (("gov_fund", "故本表为空表"), ("state_capital", "本表无数据"), ("state_capital_spending", "此表为空"),
                      ("gov_fund_three_public", "此表为空")):
        table = accounts.tables[key]
        assert table.empty and any(said in n for n in table.notes), key
        assert all(r.key in ("total", "record") for r in table.rows), [r.label for r in table.rows]


@pytest.mark.parametrize("note, explained", [
    ("本单位无政府性基金预算财政拨款收入、支出，故本表为空表。", True),
    ("本表无数据。", True),
    ("此表为空", True),
    ("注：本单位2021年度没有项目收支。", True),
    ("说明：本表不涉及。", True),
    ("注：本表金额单位为万元。", False),
    ("单位负责人：张三", False),
])
def test_the_empty_table_note_is_any_sentence_that_says_so(note, explained):
    """The 空表 check accepts what real reports write, not only the word 空表."""
    accounts = make_accounts({"projects": make_table("projects", {"total": {}}, notes=[note])})
    warned = [f for f in check_accounts(accounts, Project(root=Path("."))) if f.rule == "empty.note"]
    assert (not warned) == explained


def test_a_blank_cell_of_the_supplementary_sheet_is_not_stated_as_zero():
    """大英 2022 states 机关运行经费, 政府采购 and the 公务接待 counts in words, not its vehicles: the 补充信息表
    leaves 车辆数合计 blank, and no fact (no “共有车辆0辆”) comes of it; 2021 gives only 机关运行经费."""
    project = load_project(REAL / "daying-2022")
    facts = derive(load_accounts(project, "daying-wenlv", 2022), project)
    assert facts["operating_cost"].value == Decimal("73.73") and facts["procurement.total"].value == Decimal("709.65")
    assert "assets.vehicles.total" not in facts
    earlier = derive(load_accounts(project, "daying-wenlv", 2021, with_prior=False), project)
    assert earlier["operating_cost"].value == Decimal("359.23")
    assert "procurement.total" not in earlier and "tp.reception_batches" not in earlier
