"""Loader: canonical workbooks and the real-world variants (titles, units, codes, indentation, blocks)."""
from __future__ import annotations

import sys
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook

from disclosure.load import RECORD_ROW, load_accounts, read_tables
from disclosure.project import Project
from disclosure.standard import TableSet, load_table_set

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "load"))
import load_workbooks as wbk  # noqa: E402

TS = load_table_set("neimenggu-11")
D = Decimal


def read(path: Path, table_set: TableSet = TS, year: int | None = 2021):
    return read_tables(path, table_set, display_path="tables/demo/2021.xlsx", year=year)


def one_table(key: str) -> TableSet:
    """A table set holding only one table, for workbooks that test a single sheet."""
    return TableSet(id="one", name="one", region="", tables=(TS.get(key),))


def write_grid(path: Path, rows: list[list], merges: list[str] = (), title: str = "支出决算表", sheet: str = "Sheet1") -> Path:
    """One sheet: title, unit line, then the given rows from row 3."""
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    ws["A1"] = title
    ws["D2"] = "单位：万元"
    for r, row in enumerate(rows, 3):
        for c, v in enumerate(row, 1):
            if v not in ("", None):
                ws.cell(r, c, v)
    for m in merges:
        ws.merge_cells(m)
    wb.save(path)
    return path


@pytest.fixture(scope="module")
def canonical(tmp_path_factory):
    path = wbk.write_canonical(tmp_path_factory.mktemp("wb") / "2021.xlsx")
    return read(path)


def test_canonical_workbook_gives_every_table_with_values_and_cells(canonical):
    t = canonical.tables
    assert list(t) == [s.key for s in TS if s.required]
    assert canonical.unit_name == wbk.NAME
    s = t["summary"]
    assert s.value("income.year_total", "amount") == D("5728.23")
    assert str(s.cell("income.year_total", "amount")) == "收入支出决算总表!C14"
    assert s.value("income.opening_balance", "amount") == D("1151.10")
    assert s.value("expenditure.closing_balance", "amount") == D("1061.98")
    assert s.cell("expenditure.grand_total", "amount").cell == "F13"
    assert s.cell("expenditure.grand_total", "amount").file == "tables/demo/2021.xlsx"
    assert s.cell("expenditure.grand_total", "amount").table == "summary"
    assert (s.file, s.sheet, s.source_unit) == ("tables/demo/2021.xlsx", "收入支出决算总表", "万元")
    assert str(s.title_cell) == "收入支出决算总表!A1"
    assert t["expenditure"].value("2040299", "project") == D("2400")
    assert t["expenditure"].cell("2040299", "project").cell == "E9"
    assert [r.key for r in t["general_budget"].code_rows(level=1)] == ["204", "208", "210", "221"]
    assert t["general_budget"].row("2080505").level == 3
    assert t["general_budget"].row("2080505").label == "机关事业单位基本养老保险缴费支出"
    assert t["projects"].value("total", "income_fiscal") == D("2400")
    assert t["projects"].cell("total", "income_fiscal").cell == "E6"


def test_blocks_summary_and_fiscal_summary(canonical):
    s = canonical.tables["summary"]
    assert [r.key for r in s.code_rows(block="expenditure")] == ["expenditure.204", "expenditure.208", "expenditure.210", "expenditure.221"]
    assert s.row("expenditure.204").label == "公共安全支出"
    assert s.row("expenditure.204").block == "expenditure"
    f = canonical.tables["fiscal_summary"]
    # the same label twice: the first is 本年 一般公共预算, the second 年初结转 一般公共预算
    assert f.value("income.general_budget", "amount") == D("5000")
    assert f.value("income.opening_general", "amount") == D("1151.10")
    assert f.cell("income.opening_general", "amount").cell == "C11"
    assert f.value("expenditure.204", "general") == D("4800")
    assert f.cell("expenditure.204", "general").cell == "G6"
    assert f.cell("expenditure.204", "gov_fund").cell == "H6"
    assert "gov_fund" not in f.row("expenditure.204").values


def test_basic_table_blocks_with_public_over_two_groups(canonical):
    b = canonical.tables["basic"]
    assert b.value("personnel.total", "amount") == D("2678.73")
    assert b.cell("personnel.total", "amount").cell == "C11"
    assert b.value("public.total", "amount") == D("317.97")
    assert b.cell("public.total", "amount").cell == "I11"  # label merged D11:H11, value in the second group
    assert b.value("public.310", "amount") == D("17.97")
    assert b.cell("public.31002", "amount").cell == "I7"
    assert b.row("public.30231").level == 2
    assert [r.key for r in b.rows if r.block == "public"] == [
        "public.302", "public.30201", "public.30231", "public.310", "public.31002", "public.total"]


def test_record_and_items(canonical):
    three = canonical.tables["three_public"]
    assert three.value(RECORD_ROW, "budget_total") == D("195")
    assert three.value(RECORD_ROW, "actual_total") == D("376.18")
    assert three.value(RECORD_ROW, "actual_vehicle_purchase") == D("200")
    assert three.cell(RECORD_ROW, "actual_vehicle_operation").cell == "K7"
    assert three.cell(RECORD_ROW, "budget_abroad").cell == "B7"
    assert "budget_abroad" not in three.row(RECORD_ROW).values  # blank, not zero
    info = canonical.tables["info"]
    assert info.value("vehicles_total", "amount") == D("45")
    assert info.row("vehicles_total").unit == "辆"
    assert info.row("equipment_general_50").unit == "台（套）"
    assert info.value("procurement_goods", "amount") == D("488.26")
    assert info.cell("procurement_goods", "amount").cell == "C7"


def test_empty_table_is_kept_and_differs_from_typed_zeros(canonical):
    fund = canonical.tables["gov_fund"]
    assert fund.empty is True
    assert fund.row("total").values == {}
    assert fund.cell("total", "expenditure").cell == "E6"  # blank cells keep their address
    capital = canonical.tables["state_capital"]
    assert capital.empty is False
    assert capital.value("total", "expenditure") == 0 and "expenditure" in capital.row("total").values


def test_tables_found_by_title_whatever_sheet_names_and_order(tmp_path, canonical):
    keys = [s.key for s in wbk.canonical_sheets()]
    order = list(reversed(keys))
    names = {k: f"Sheet{i}" for i, k in enumerate(keys)}
    path = wbk.write_canonical(tmp_path / "2021.xlsx", order=order, sheet_names=names)
    loaded = read(path)
    assert list(loaded.tables) == list(canonical.tables)  # in the set's order, not the workbook's
    for key in keys:
        assert loaded.tables[key].sheet == names[key]
        assert loaded.tables[key].rows[0].values == canonical.tables[key].rows[0].values
    # titles that contain one another go to the right table
    assert loaded.tables["summary"].sheet == "Sheet0" and loaded.tables["fiscal_summary"].sheet == "Sheet3"
    assert loaded.tables["expenditure"].sheet == "Sheet2" and loaded.tables["general_budget"].sheet == "Sheet5"


def test_title_with_unit_name_and_year_prefix_and_marker_only(tmp_path):
    sheets = wbk.canonical_sheets()
    by = {s.key: s for s in sheets}
    by["fiscal_summary"].title = f"{wbk.NAME}2021年度财政拨款收入支出决算总表"
    by["expenditure"].title = "2021年度支出决算表"
    by["info"].title = "附表"  # no known title: the 公开11表 marker identifies it
    loaded = read(wbk.write_sheets(tmp_path / "2021.xlsx", sheets))
    assert loaded.tables["fiscal_summary"].value("income.year_total", "amount") == D("5000")
    assert loaded.tables["expenditure"].value("total", "total") == D("5817.35")
    assert loaded.tables["info"].value("vehicles_total", "amount") == D("45")


def test_yuan_converted_to_wan_exactly(tmp_path, canonical):
    path = wbk.write_canonical(
        tmp_path / "2021.xlsx", scale=10000, unit_line="金额单位：元",
        patch={"expenditure": {"E9": 12345678.91}},
    )
    loaded = read(path)
    for key, table in canonical.tables.items():
        other = loaded.tables[key]
        assert other.source_unit == "元"
        for row, row2 in zip(table.rows, other.rows):
            if key == "expenditure" and row.key == "2040299":
                continue
            assert row2.values == row.values, (key, row.key)
    assert loaded.tables["expenditure"].value("2040299", "project") == D("1234.567891")
    assert loaded.tables["info"].value("vehicles_total", "amount") == D("45")  # counts are never converted
    assert loaded.tables["info"].value("procurement_total", "amount") == D("978.09")


def test_unit_line_variants(tmp_path):
    for text in ("单位:元", "金额单位：元", "（单位：元）"):
        path = wbk.write_canonical(tmp_path / "2021.xlsx", scale=10000, unit_line=text)
        assert read(path).tables["summary"].value("income.year_total", "amount") == D("5728.23"), text


def test_split_code_columns_with_carried_parts(tmp_path):
    rows = [
        ["科目编码", "", "", "科目名称", "本年支出合计", "基本支出", "项目支出"],
        ["类", "款", "项", "", "", "", ""],
        ["栏次", "", "", "", "1", "2", "3"],
        ["合计", "", "", "", 160, 100, 60],
        ["204", "", "", "公共安全支出", 150, 90, 60],
        ["", "02", "", "公安", 150, 90, 60],
        ["", "", "01", "行政运行", 90, 90, None],
        ["", "", "99", "其他公安支出", 60, None, 60],
        [208, 5, 5, "机关事业单位基本养老保险缴费支出", 10, 10, None],
    ]
    merges = ["A3:C3", "D3:D4", "E3:E4", "F3:F4", "G3:G4", "A6:D6"]
    t = read(write_grid(tmp_path / "w.xlsx", rows, merges), one_table("expenditure")).tables["expenditure"]
    assert [(r.key, r.level) for r in t.rows] == [
        ("total", None), ("204", 1), ("20402", 2), ("2040201", 3), ("2040299", 3), ("2080505", 3)]
    assert t.value("2040299", "project") == D("60")
    assert t.cell("2040299", "project").cell == "G10"
    assert t.value("total", "basic") == D("100")
    assert t.row("2040201").label == "行政运行"


def test_codes_written_before_the_name(tmp_path):
    rows = [
        ["项目", "本年支出合计", "基本支出", "项目支出"],
        ["合计", 100, 100, None],
        ["204 公共安全支出", 100, 100, None],
        ["20402\u3000公安", 100, 100, None],
        ["\u3000\u30002040201行政运行", 100, 100, None],
    ]
    t = read(write_grid(tmp_path / "w.xlsx", rows), one_table("expenditure")).tables["expenditure"]
    assert [(r.key, r.label, r.level) for r in t.rows] == [
        ("total", "合计", None), ("204", "公共安全支出", 1), ("20402", "公安", 2), ("2040201", "行政运行", 3)]
    assert t.cell("2040201", "total").cell == "B7"


def test_levels_from_indentation_when_codes_are_absent(tmp_path):
    rows = [
        ["项目", "本年支出合计", "基本支出", "项目支出"],
        ["合计", 100, 100, None],
        ["公共安全支出", 100, 100, None],
        ["  公安", 100, 100, None],
        ["\u3000\u3000\u3000\u3000行政运行", 60, 60, None],
        ["\u3000\u3000\u3000\u3000一般行政管理事务", 30, 30, None],
        ["\u3000\u3000\u3000\u3000道路巡逻专项", 10, 10, None],
    ]
    t = read(write_grid(tmp_path / "w.xlsx", rows), one_table("expenditure")).tables["expenditure"]
    got = [(r.label, r.level, r.code) for r in t.rows]
    # official names take the codes of the year's 科目 list; a name the list does not know keeps its name path
    assert got == [("合计", None, None), ("公共安全支出", 1, "204"), ("公安", 2, "20402"),
                   ("行政运行", 3, "2040201"), ("一般行政管理事务", 3, "2040202"), ("道路巡逻专项", 3, None)]
    assert t.row("204").cells["total"].cell == "B5"
    assert t.value("2040201", "basic") == D("60")
    assert t.value("公共安全支出/公安/道路巡逻专项", "basic") == D("10")


def test_record_with_budget_and_actual_below_the_item_names(tmp_path):
    items = ["合计", "因公出国（境）费", "公务用车购置及运行费", "", "", "公务接待费"]
    rows = [
        [x for x in items for _ in (0, 1)],
        ["", "", "", "", "小计", "", "公务用车购置费", "", "公务用车运行费", "", "", ""],
        ["预算数", "决算数"] * 6,
        [10, 12, 0, 0, 8, 9, 5, 6, 3, 3, 2, 3],
    ]
    merges = ["A3:B4", "C3:D4", "E3:J3", "E4:F4", "G4:H4", "I4:J4", "K3:L4"]
    t = read(write_grid(tmp_path / "w.xlsx", rows, merges, title="财政拨款“三公”经费支出决算表"),
             one_table("three_public")).tables["three_public"]
    row = t.row(RECORD_ROW)
    assert row.values["budget_total"] == 10 and row.values["actual_total"] == 12
    assert row.values["budget_vehicle"] == 8 and row.values["actual_vehicle"] == 9
    assert row.values["actual_vehicle_purchase"] == 6 and row.values["budget_vehicle_operation"] == 3
    assert row.cells["actual_reception"].cell == "L6"


def test_extra_sheet_gives_a_notice(tmp_path):
    path = wbk.write_canonical(tmp_path / "2021.xlsx", extra={"说明": [["填表说明"], ["本表由财务科填写"]]})
    loaded = read(path)
    assert any("“说明”" in n and "已忽略" in n for n in loaded.notices)
    assert len(loaded.tables) == 11


def test_folder_with_one_file_per_table(tmp_path):
    folder = tmp_path / "2021"
    folder.mkdir()
    for i, sheet in enumerate(wbk.canonical_sheets()):
        wbk.write_sheets(folder / f"{i + 1:02d}.xlsx", [sheet])
    (folder / "~$01.xlsx").write_bytes(b"lock file of an open workbook")
    loaded = read_tables(folder, TS, display_path="tables/demo/2021", year=2021)
    t = loaded.tables["basic"]
    assert t.file == "tables/demo/2021/07.xlsx"
    assert t.cell("public.total", "amount").file == "tables/demo/2021/07.xlsx"
    assert t.value("public.total", "amount") == D("317.97")
    assert len(loaded.files) == 11


def _project(tmp_path: Path, name: str | None = "测试市公安局交通管理支队") -> Project:
    (tmp_path / "tables" / "demo").mkdir(parents=True)
    if name is not None:
        (tmp_path / "content" / "demo").mkdir(parents=True)
        (tmp_path / "content" / "demo" / "unit.toml").write_text(f'name = "{name}"\n', encoding="utf-8")
    return Project(root=tmp_path)


def test_load_accounts_attaches_prior_year(tmp_path):
    project = _project(tmp_path)
    wbk.write_canonical(tmp_path / "tables" / "demo" / "2021.xlsx")
    wbk.write_canonical(tmp_path / "tables" / "demo" / "2020.xlsx", year=2020, patch={"summary": {"C14": 5000}})
    acc = load_accounts(project, "demo", 2021)
    assert (acc.unit, acc.year, acc.unit_name, acc.table_set) == ("demo", 2021, wbk.NAME, "neimenggu-11")
    assert acc.files == ["tables/demo/2021.xlsx"]
    assert acc["summary"].cell("income.year_total", "amount").file == "tables/demo/2021.xlsx"
    assert acc.prior is not None and acc.prior.year == 2020 and acc.prior.prior is None
    assert acc.prior["summary"].value("income.year_total", "amount") == D("5000")
    assert acc.prior["summary"].cell("income.year_total", "amount").file == "tables/demo/2020.xlsx"
    assert load_accounts(project, "demo", 2021, with_prior=False).prior is None
    assert load_accounts(project, "demo", 2020).prior is None


def test_unit_name_falls_back_to_workbook_then_slug(tmp_path):
    project = _project(tmp_path, name=None)
    wbk.write_canonical(tmp_path / "tables" / "demo" / "2021.xlsx")
    assert load_accounts(project, "demo", 2021).unit_name == wbk.NAME
    wbk.write_canonical(tmp_path / "tables" / "demo" / "2021.xlsx", name="")
    assert load_accounts(project, "demo", 2021).unit_name == "demo"


def test_group_header_typed_once_without_merge(tmp_path):
    rows = [
        ["科目编码", "科目名称", "本年支出", "", ""],
        ["", "", "小计", "基本支出", "项目支出"],
        ["", "合计", 30, 20, 10],
        ["2040201", "行政运行", 30, 20, 10],
    ]
    t = read(write_grid(tmp_path / "w.xlsx", rows, title="一般公共预算财政拨款支出决算表"), one_table("general_budget"))
    t = t.tables["general_budget"]
    assert t.value("2040201", "basic") == 20 and t.cell("2040201", "project").cell == "E6"
    assert t.value("total", "total") == 30


def test_footer_lines_and_blank_stray_text_are_not_rows(tmp_path):
    rows = [
        ["科目编码", "科目名称", "本年支出合计", "基本支出", "项目支出"],
        ["", "合计", 30, 20, 10],
        ["2040201", "行政运行", 30, 20, 10],
        ["", "以下空白", None, None, None],
        ["注：本单位无上缴上级支出。"],
        ["单位负责人：张三", "", "财务负责人：李四", "", "制表人：王五"],
    ]
    loaded = read(write_grid(tmp_path / "w.xlsx", rows), one_table("expenditure"))
    t = loaded.tables["expenditure"]
    assert [r.key for r in t.rows] == ["total", "2040201"]
    assert t.notes == ["注：本单位无上缴上级支出。", "单位负责人：张三", "财务负责人：李四", "制表人：王五"]
    assert loaded.notices == ["tables/demo/2021.xlsx，Sheet1!B6：“以下空白”不是本表的项目，已忽略。"]


def test_hidden_copy_of_a_table_is_ignored_with_a_notice(tmp_path):
    from openpyxl import load_workbook

    path = wbk.write_canonical(tmp_path / "2021.xlsx", duplicate="income")
    wb = load_workbook(path)
    wb["副本"].sheet_state = "hidden"
    wb["副本"]["C5"] = 1  # the hidden copy differs; the visible sheet is what counts
    wb.save(path)
    loaded = read(path)
    assert loaded.tables["income"].sheet == "收入决算表"
    assert any("隐藏的工作表“副本”未读取：收入决算表已取自工作表“收入决算表”" in n for n in loaded.notices)


def test_unit_line_and_year_inside_the_maker_cell(tmp_path):
    sheets = wbk.canonical_sheets()
    path = wbk.write_sheets(tmp_path / "2021.xlsx", sheets, unit_line=None,
                            name=f"{wbk.NAME}\u3000\u30002021年度    金额单位：元", scale=10000)
    loaded = read(path)
    assert loaded.unit_name == wbk.NAME
    assert loaded.tables["summary"].source_unit == "元"
    assert loaded.tables["summary"].value("income.year_total", "amount") == D("5728.23")


def test_another_table_set_finds_its_tables_by_title_not_number(tmp_path):
    national = load_table_set("national-9")
    title = "国有资本经营预算财政拨款支出决算表"  # the national set's 09 has no 收入 columns
    loaded = read(wbk.write_canonical(tmp_path / "2021.xlsx", patch={"state_capital": {"A1": title}}), national)
    # the 信息表 of the 内蒙古 workbook fills the national set's unpublished 补充信息表
    assert list(loaded.tables) == ["summary", "income", "expenditure", "fiscal_summary", "general_budget", "basic",
                                   "three_public", "gov_fund", "state_capital", "info"]
    assert not loaded.tables["info"].spec.published
    # 公开06表 of the workbook is 公开05表 of the national set: the title decides
    assert loaded.tables["general_budget"].sheet == "一般公共预算财政拨款支出决算表"
    assert loaded.tables["state_capital"].value("total", "expenditure") == 0
    ignored = " ".join(loaded.notices)
    assert "工作表“项目收入支出决算表”未读取：收入支出决算总表已取自工作表“收入支出决算总表”" in ignored


def test_column_number_row_without_the_word_is_dropped(tmp_path):
    rows = [
        ["科目编码", "科目名称", "本年支出合计", "基本支出", "项目支出"],
        ["甲", "乙", 1, 2, 3],
        ["", "合计", 30, 20, 10],
        ["2040201", "行政运行", 30, 20, 10],
    ]
    t = read(write_grid(tmp_path / "w.xlsx", rows), one_table("expenditure")).tables["expenditure"]
    assert [r.key for r in t.rows] == ["total", "2040201"]
    assert t.cell("total", "total").cell == "C5" and t.value("total", "project") == 10


def test_info_row_unit_overrides_the_unit_line_for_money_but_never_counts(tmp_path):
    from disclosure.errors import InputError

    rows = [
        ["项目", "计量单位", "统计数"],
        ["机关运行经费支出", "元", 3179700],
        ["政府采购支出总额", "万元", 978.09],
        ["车辆数合计", "辆", 45],
    ]
    path = write_grid(tmp_path / "w.xlsx", rows, title="机关运行经费支出、国有资产占用情况及政府采购支出信息表")
    with pytest.raises(InputError) as exc:  # the other required rows are missing: every one is named
        read(path, one_table("info"))
    missing = [p.message for p in exc.value.problems]
    assert any("缺少“政府采购货物支出”行" in m for m in missing) and any("缺少“授予中小企业合同金额”行" in m for m in missing)
    spec = TS.get("info")
    keep = {"operating_cost", "procurement_total", "vehicles_total"}
    relaxed = replace(spec, items=tuple(i for i in spec.items if i.key in keep))
    info = read(path, TableSet(id="one", name="one", region="", tables=(relaxed,))).tables["info"]
    assert info.value("operating_cost", "amount") == D("317.97")
    assert info.value("procurement_total", "amount") == D("978.09")
    assert info.value("vehicles_total", "amount") == 45 and info.row("vehicles_total").unit == "辆"


def test_class_rows_of_a_block_with_codes_or_unknown_names(tmp_path):
    from disclosure.errors import InputError

    path = wbk.write_canonical(tmp_path / "2021.xlsx", patch={"summary": {"D6": "204 公共安全支出", "D7": "208社会保障和就业支出"}})
    s = read(path).tables["summary"]
    assert s.row("expenditure.204").label == "公共安全支出" and s.value("expenditure.208", "amount") == 300
    path = wbk.write_canonical(tmp_path / "2021.xlsx", patch={"summary": {"D8": "三、卫生支出"}})
    with pytest.raises(InputError) as exc:
        read(path)
    (p,) = exc.value.problems
    assert (p.sheet, p.cell) == ("收入支出决算总表", "D8") and "“三、卫生支出”不是本表的项目" in p.message


def test_levels_from_alignment_indent(tmp_path):
    from openpyxl.styles import Alignment

    rows = [
        ["项目", "本年支出合计", "基本支出", "项目支出"],
        ["合计", 100, 100, None],
        ["公共安全支出", 100, 100, None],
        ["公安", 100, 100, None],
        ["行政运行", 100, 100, None],
    ]
    path = write_grid(tmp_path / "w.xlsx", rows)
    from openpyxl import load_workbook

    wb = load_workbook(path)
    wb.active["A6"].alignment = Alignment(indent=1)
    wb.active["A7"].alignment = Alignment(indent=2)
    wb.save(path)
    t = read(path, one_table("expenditure")).tables["expenditure"]
    assert [(r.key, r.level) for r in t.rows] == [
        ("total", None), ("204", 1), ("20402", 2), ("2040201", 3)]


WORDS = ["项目", "科目编码", "科目名称", "类", "款", "项", "行次", "栏次", "合计", "小计", "决算数", "预算数", "收入", "支出",
         "人员经费", "公用经费", "本年支出", "基本支出", "项目支出", "本年收入合计", "公务接待费", "计量单位", "统计数",
         "204", "20402", "2040201", "2040201 行政运行", "\u3000\u3000公安", "  行政运行", "公共安全支出", "总计",
         "本年收入合计", "车辆数合计", "注：说明", "-", "—", "12,3O4.00", "1,234.50", "(5.00)", "2021年度", "单位：元"]


def test_any_grid_gives_a_table_or_problems_never_a_crash():
    """Random sheets under every table spec: the reader returns a Table and problems, never raises."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from disclosure.load.locate import read_meta
    from disclosure.load.tables import SheetReader
    from disclosure.load.workbook import Sheet

    cell = st.one_of(st.sampled_from(WORDS), st.just(""), st.integers(-10, 10_000), st.floats(allow_nan=True),
                     st.text(max_size=6), st.booleans())
    grids = st.lists(st.lists(cell, min_size=1, max_size=9), min_size=1, max_size=12)
    merge = st.tuples(st.integers(1, 12), st.integers(0, 8), st.integers(0, 2), st.integers(0, 3)).map(
        lambda t: (t[0], t[1], t[0] + t[2], t[1] + t[3]))

    @settings(max_examples=40, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(grids, st.lists(merge, max_size=4), st.sampled_from([s for s in TS]))
    def check(rows, merges, spec):
        grid = [[spec.title], ["单位：万元"], *rows]
        sheet = Sheet("S", "f.xlsx", grid, merges)
        meta = read_meta(sheet, one_table(spec.key))
        reader = SheetReader(sheet=sheet, spec=spec, unit="万元", start=meta.last_row + 1)
        table = reader.read()
        assert table.spec is spec
        for problem in reader.problems:
            assert problem.sheet == "S" and problem.message

    check()


def test_economic_class_row_written_by_name_only(tmp_path):
    path = wbk.write_canonical(tmp_path / "2021.xlsx", patch={"basic": {"A6": None, "B6": "工资福利支出"}})
    b = read(path).tables["basic"]
    assert b.row("personnel.301").label == "工资福利支出" and b.value("personnel.301", "amount") == 2000
    assert b.cell("personnel.301", "amount").cell == "C6"


def test_sub_header_named_like_the_total_row_is_a_header(tmp_path):
    rows = [
        ["科目编码", "科目名称", "本年支出", "", ""],
        ["", "", "合计", "基本支出", "项目支出"],
        ["", "合计", None, None, None],
        ["2040201", "行政运行", None, None, None],
    ]
    merges = ["A3:A4", "B3:B4", "C3:E3"]
    loaded = read(write_grid(tmp_path / "w.xlsx", rows, merges, title="一般公共预算财政拨款支出决算表"), one_table("general_budget"))
    t = loaded.tables["general_budget"]
    assert [r.key for r in t.rows] == ["total", "2040201"] and t.empty
    assert t.cell("total", "total").cell == "C5" and t.cell("2040201", "project").cell == "E6"


def test_sheet_without_title_is_found_by_its_sheet_name(tmp_path):
    sheets = wbk.canonical_sheets()
    by = {s.key: s for s in sheets}
    by["income"].title, by["income"].number = "", 0  # no title and no 公开NN表 in the sheet
    by["projects"].title, by["projects"].number = "", 0
    names = {"income": "02收入决算表", "projects": "05"}
    path = wbk.write_sheets(tmp_path / "2021.xlsx", sheets, sheet_names=names, patch={
        "income": {"I2": None}, "projects": {"G2": None}})
    loaded = read(path)
    assert loaded.tables["income"].sheet == "02收入决算表" and loaded.tables["income"].title_cell is None
    assert loaded.tables["projects"].sheet == "05"
    assert loaded.tables["income"].value("total", "total") == D("5817.35")
