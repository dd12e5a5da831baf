"""The 政府收支分类科目 by year (disclosure.load.classification) and what the loader does with it:
names without codes placed, stated names compared with the official ones, unplaceable rows named."""
from __future__ import annotations

import tomllib
from decimal import Decimal
from pathlib import Path

import pytest

from disclosure.check.advisories import classification_names
from disclosure.errors import InputError
from disclosure.load import read_tables
from disclosure.load.classification import FILES, LAST_YEAR, all_subjects, name_warning, year_list
from disclosure.model import Accounts, CellRef
from disclosure.standard import STANDARDS_DIR, TableSet, load_table_set
from test_load import write_grid

TS = load_table_set("neimenggu-11")
D = Decimal


def expenditure_only() -> TableSet:
    return TableSet(id="one", name="one", region="", tables=(TS.get("expenditure"),))


def write(path: Path, rows: list[list], title: str = "支出决算表") -> Path:
    """One sheet named as openpyxl names it: title, unit line, then the rows from row 3."""
    return write_grid(path, rows, title=title, sheet="Sheet")


def read(path: Path, year: int | None, table_set: TableSet | None = None):
    return read_tables(path, table_set or expenditure_only(), display_path="tables/demo/x.xlsx", year=year)


HEAD = ["科目编码", "科目名称", "本年支出合计", "基本支出", "项目支出"]


# --- the data -------------------------------------------------------------------------------------
@pytest.mark.parametrize("scheme", list(FILES))
def test_every_entry_has_a_valid_code_years_and_a_known_source(scheme):
    with open(STANDARDS_DIR / FILES[scheme], "rb") as f:
        data = tomllib.load(f)
    sources = set(data["sources"])
    digits = {"function": {3, 5, 7}, "economic": {3, 5}}[scheme]
    for s in all_subjects(scheme):
        assert s.code.isdigit() and len(s.code) in digits, s
        assert 2016 <= s.since <= LAST_YEAR and (s.until is None or s.since <= s.until <= LAST_YEAR), s
        assert s.source in sources and set(s.seen) <= sources, s
    # one name per code in any year; every 款/项 sits under a parent of the same years
    for year in range(2016, LAST_YEAR + 1):
        names = {}
        for s in all_subjects(scheme):
            if s.holds_in(year):
                assert s.code not in names, (year, s.code)
                names[s.code] = s.name
        for code in names:
            if len(code) > 3:
                assert code[: len(code) - 2] in names, (year, code)


def test_the_yearly_changes_of_the_classes():
    names = lambda y: year_list("function", y).names  # noqa: E731
    assert names(2018)["210"] == "医疗卫生与计划生育支出" and names(2019)["210"] == "卫生健康支出"
    assert names(2018)["207"] == "文化体育与传媒支出" and names(2019)["207"] == "文化旅游体育与传媒支出"
    assert "224" not in names(2018) and names(2019)["224"] == "灾害防治及应急管理支出"
    assert "234" not in names(2019) and names(2020)["234"] == names(2021)["234"] == "抗疫特别国债安排的支出"
    assert "234" not in names(2022)
    assert year_list("economic", 2020).names["501"] == "机关工资福利支出"
    assert year_list("economic", 2017).names["309"] == "基本建设支出"
    assert year_list("economic", 2018).names["309"] == "资本性支出（基本建设）"


def test_name_warnings():
    assert name_warning("function", 2021, "2040201", "行政运行") is None
    assert name_warning("function", 2021, "2040201", "  行政运行") is None
    old = name_warning("function", 2021, "210", "医疗卫生与计划生育支出")
    assert "2016—2018年的名称" in old and "2021年的名称是“卫生健康支出”" in old
    wrong = name_warning("function", 2021, "2210201", "购房补贴")
    assert "2021年的名称是“住房公积金”，表上写的是“购房补贴”" in wrong
    assert "不在2021年政府收支分类科目中" in name_warning("function", 2021, "22497", "其他")  # 224 is listed whole
    assert name_warning("function", 2021, "2049901", "某项") is None  # 项 the data does not list: no claim


# --- the loader -----------------------------------------------------------------------------------
def test_a_name_without_code_in_a_coded_table_takes_the_code_under_the_row_above(tmp_path):
    rows = [HEAD, ["", "合计", 100, 80, 20], ["204", "公共安全支出", 100, 80, 20], ["20402", "公安", 100, 80, 20],
            ["2040201", "行政运行", 80, 80, None], ["", "一般行政管理事务", 20, None, 20]]
    loaded = read(write(tmp_path / "w.xlsx", rows), 2021)
    t = loaded.tables["expenditure"]
    assert [r.key for r in t.rows] == ["total", "204", "20402", "2040201", "2040202"]
    assert t.row("2040202").level == 3 and t.value("2040202", "project") == D("20")
    assert t.cell("2040202", "project").cell == "E8"
    assert any("有1行只写了名称、没有科目编码，已按2021年政府收支分类科目补上编码" in n for n in loaded.notices)


def test_a_stated_name_that_is_not_the_official_one_is_a_warning_naming_the_cell(tmp_path):
    rows = [HEAD, ["", "合计", 100, 100, None], ["221", "住房保障支出", 100, 100, None],
            ["22102", "住房改革支出", 100, 100, None], ["2210201", "购房补贴", 100, 100, None]]
    loaded = read(write(tmp_path / "w.xlsx", rows), 2021)
    assert loaded.tables["expenditure"].row("2210201").label == "购房补贴"  # published as stated
    [(message, cell)] = [(m, c) for m, c in loaded.warnings if "2210201" in m]
    assert (cell.file, cell.sheet, cell.cell, cell.table) == ("tables/demo/x.xlsx", "Sheet", "B7", "expenditure")
    assert "2021年的名称是“住房公积金”" in message
    assert not [n for n in loaded.notices if "2210201" in n]  # said once, as the warning


def test_an_unknown_code_is_a_warning_not_a_refusal(tmp_path):
    rows = [HEAD, ["", "合计", 10, 10, None], ["224", "灾害防治及应急管理支出", 10, 10, None],
            ["22498", "自编款", 10, 10, None]]
    loaded = read(write(tmp_path / "w.xlsx", rows), 2022)
    assert loaded.tables["expenditure"].value("22498", "total") == D("10")
    assert [(c.cell, "科目编码“22498”不在2022年政府收支分类科目中" in m) for m, c in loaded.warnings] == [("B6", True)]


def test_check_states_each_name_warning_once_as_a_warning_on_its_cell():
    """`check` says what the loader found off the year's list: severity 警告, the cell, the official name."""
    cell = CellRef("tables/demo/2021.xlsx", "GK03", "B7", "expenditure")
    accounts = Accounts(unit="demo", year=2021, unit_name="某单位", table_set="neimenggu-11", tables={},
                        warnings=[("科目编码“2210201”在2021年的名称是“住房公积金”，表上写的是“购房补贴”", cell)])
    [finding] = classification_names(accounts)
    assert (finding.severity, finding.rule, finding.cells, finding.table) == ("warning", "classification.name", (cell,), "expenditure")
    assert "住房公积金" in finding.message


def test_an_unplaceable_row_with_figures_names_its_cell_and_the_nearest_official_names(tmp_path):
    rows = [HEAD, ["", "合计", 100, 100, None], ["204", "公共安全支出", 100, 100, None], ["20402", "公安", 100, 100, None],
            ["", "行政运营", 100, 100, None]]
    with pytest.raises(InputError) as exc:
        read(write(tmp_path / "w.xlsx", rows), 2021)
    [problem] = exc.value.problems
    assert problem.cell == "B7"
    assert "“行政运营”不是本表的项目，也没有科目编码" in problem.message
    assert "最接近的科目：行政运行（2040201）" in problem.message


def test_a_class_of_the_summary_table_by_name(tmp_path):
    import sys

    sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "load"))
    import load_workbooks as wbk

    path = wbk.write_canonical(tmp_path / "2021.xlsx", patch={"summary": {"D8": "二十七、抗疫特别国债安排的支出"}})
    summary = read_tables(path, TS, display_path="tables/demo/2021.xlsx", year=2021).tables["summary"]
    assert summary.row("expenditure.234").label == "抗疫特别国债安排的支出"
    path = wbk.write_canonical(tmp_path / "2021.xlsx", patch={"summary": {"D8": "三、卫生支出"}})
    with pytest.raises(InputError) as exc:
        read_tables(path, TS, display_path="tables/demo/2021.xlsx", year=2021)
    (p,) = exc.value.problems
    assert p.cell == "D8" and "最接近的科目：" in p.message and "卫生健康支出（210）" in p.message
