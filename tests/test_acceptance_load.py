"""Loader edge cases met while building the acceptance corpus, on copies of its workbooks."""
from __future__ import annotations

import shutil
import sys
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from disclosure.errors import InputError
from disclosure.load import load_accounts
from disclosure.project import load_project

CORPUS = Path(__file__).parent / "fixtures" / "acceptance"
sys.path.insert(0, str(CORPUS))
from corpus import CAIZHENG, JIAOTONG  # noqa: E402


@pytest.fixture
def caizheng(tmp_path) -> Path:
    root = tmp_path / "caizheng"
    shutil.copytree(CORPUS / "caizheng", root)
    return root


def _book(root: Path) -> Path:
    return root / "tables" / CAIZHENG.slug / "2023.xlsx"


def test_a_contents_sheet_does_not_stand_in_for_a_missing_table(caizheng):
    path = _book(caizheng)
    wb = openpyxl.load_workbook(path)
    titles = [ws["A1"].value for ws in wb.worksheets]
    contents = wb.create_sheet("目录", 0)
    for i, title in enumerate(titles, start=1):
        contents.cell(i, 1, f"{i}.{title}")
    del wb["10财政拨款“三公”经费、行政参公单位机关运行经费情况表"]
    wb.save(path)
    with pytest.raises(InputError) as exc:
        load_accounts(load_project(caizheng), CAIZHENG.slug, 2023)
    messages = [p.message for p in exc.value.problems]
    assert len(messages) == 1 and "缺少1张公开表：公开10表" in messages[0]


def test_a_vertical_three_public_table_missing_a_row_says_which(caizheng):
    path = _book(caizheng)
    wb = openpyxl.load_workbook(path)
    ws = wb["11一般公共预算财政拨款“三公”经费情况表"]
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "公务接待费")
    ws.delete_rows(row)
    wb.save(path)
    with pytest.raises(InputError) as exc:
        load_accounts(load_project(caizheng), CAIZHENG.slug, 2023)
    messages = {p.message for p in exc.value.problems}
    assert any("找不到“预算数/公务接待费”列" in m for m in messages)
    assert any("找不到“决算数/公务接待费”列" in m for m in messages)
    assert all(p.sheet == "11一般公共预算财政拨款“三公”经费情况表" for p in exc.value.problems)


def _folder_income(root: Path) -> Path:
    return root / "tables" / JIAOTONG.slug / "2023" / "02-收入决算表.xlsx"


def test_headers_that_disagree_on_the_unit_give_no_unit(tmp_path):
    root = tmp_path / "jiaotong"
    shutil.copytree(CORPUS / "jiaotong", root)
    path = _folder_income(root)
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    cell = next(c for row in ws.iter_rows(max_row=6) for c in row if c.value == "其他收入（元）")
    cell.value = "其他收入（万元）"
    wb.save(path)
    with pytest.raises(InputError) as exc:
        load_accounts(load_project(root), JIAOTONG.slug, 2023)
    [problem] = exc.value.problems
    assert "没有写金额单位" in problem.message and problem.file.endswith("02-收入决算表.xlsx")


def test_a_unit_line_wins_over_the_headers(tmp_path):
    root = tmp_path / "jiaotong"
    shutil.copytree(CORPUS / "jiaotong", root)
    path = _folder_income(root)
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    ws["H3"] = "单位：元"  # agrees with the headers: same figures
    wb.save(path)
    accounts = load_accounts(load_project(root), JIAOTONG.slug, 2023)
    assert accounts.tables["income"].value("total", "total") == Decimal("1615")


def test_indented_rows_with_no_coded_twin_keep_their_name_keys(caizheng):
    # rename one 项 of the indented 支出决算表: no other table has that name path, so no code is guessed
    path = _book(caizheng)
    wb = openpyxl.load_workbook(path)
    ws = wb["03支出决算表"]
    cell = next(c for row in ws.iter_rows() for c in row if isinstance(c.value, str) and c.value.endswith("住房公积金"))
    cell.value = cell.value.replace("住房公积金", "住房公积金补缴")
    wb.save(path)
    accounts = load_accounts(load_project(caizheng), CAIZHENG.slug, 2023)
    keys = [r.key for r in accounts.tables["expenditure"].rows]
    assert "住房保障支出/住房改革支出/住房公积金补缴" in keys and "2210201" not in keys
    assert "22102" in keys  # its 款 still matched


def test_yunnan_three_public_table_under_the_plain_title(caizheng):
    # 公开10表 titled like the national 三公 table and without the 机关运行经费 column
    path = _book(caizheng)
    wb = openpyxl.load_workbook(path)
    ws = wb["10财政拨款“三公”经费、行政参公单位机关运行经费情况表"]
    ws["A1"] = "示例州财政局2023年度财政拨款“三公”经费支出决算表"
    ws.delete_cols(13)
    wb.save(path)
    accounts = load_accounts(load_project(caizheng), CAIZHENG.slug, 2023)
    tp, general = accounts.tables["three_public"], accounts.tables["general_three_public"]
    assert tp.sheet.startswith("10") and general.sheet.startswith("11")
    assert tp.rows[0].values["actual_total"] == Decimal("24") and "operating_cost" not in tp.rows[0].values


def test_unit_line_in_renminbi_words(caizheng):
    path = _book(caizheng)
    wb = openpyxl.load_workbook(path)
    ws = wb["02收入决算表"]
    cell = next(c for row in ws.iter_rows(max_row=4) for c in row if isinstance(c.value, str) and "单位：万元" in c.value)
    cell.value = cell.value.replace("单位：万元", "金额单位：人民币万元")
    wb.save(path)
    accounts = load_accounts(load_project(caizheng), CAIZHENG.slug, 2023)
    assert accounts.tables["income"].source_unit == "万元"
    assert accounts.tables["income"].value("total", "total") == CAIZHENG.income_total()


def test_vertical_three_public_in_the_anhui_order_and_wording(tmp_path):
    # rows 合计 / 因公出国(境)费 / 公务接待费 / 公务用车购置及运行维护费 / 其中：公务用车运行维护费 / 公务用车购置费
    root = tmp_path / "jiaotong"
    shutil.copytree(CORPUS / "jiaotong", root)
    path = root / "tables" / JIAOTONG.slug / "2023" / "10-财政拨款“三公”经费支出决算表.xlsx"
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    first = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "合计")
    rows = {ws.cell(r, 1).value.strip("\u3000"): (ws.cell(r, 2).value, ws.cell(r, 3).value) for r in range(first, first + 6)}
    order = [("合计", "合计"), ("因公出国(境)费", "因公出国（境）费"), ("公务接待费", "公务接待费"),
             ("公务用车购置及运行维护费", "公务用车购置及运行费"), ("其中：公务用车运行维护费", "公务用车运行费"),
             ("公务用车购置费", "其中：公务用车购置费")]
    for i, (label, old) in enumerate(order):
        ws.cell(first + i, 1, label)
        ws.cell(first + i, 2, rows[old][0])
        ws.cell(first + i, 3, rows[old][1])
    wb.save(path)
    accounts = load_accounts(load_project(root), JIAOTONG.slug, 2023)
    values = accounts.tables["three_public"].rows[0].values
    assert values["actual_vehicle_operation"] == Decimal("12.8") and values["actual_reception"] == Decimal("3.5")
    assert values["budget_vehicle"] == Decimal("15") and values["actual_total"] == Decimal("16.3")
    assert str(accounts.tables["three_public"].rows[0].cells["actual_reception"]) == f"Sheet1!C{first + 2}"
