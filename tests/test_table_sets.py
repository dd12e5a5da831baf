"""Each provincial table set end to end: `disclosure init` writes its blank workbook, the workbook
filled with a published report's figures loads back, and the set's rules find no error in it.

The figures are those of the reference report, 巴彦淖尔市公安局交通管理支队 2021年度部门决算
(tables/bayannur-jiaoguan/2021.xlsx, transcribed from the published report; see tables/README.md),
written into each set's own layout: a table the set shares with the 内蒙古 11-table set takes the same
cells. A table the reference does not publish is derived from its figures, as each test says
(the economic split of 项目支出, which the report does not give, is put on 30299 其他商品和服务支出).
"""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from disclosure.check import check_accounts, errors_of
from disclosure.cli import main
from disclosure.load import load_accounts, read_tables
from disclosure.model import Row, Table
from disclosure.project import load_project
from disclosure.standard import load_table_set
from disclosure.blank_workbook import RECORD_ROW, SheetLayout, sheet_layout

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT / "tables" / "bayannur-jiaoguan" / "2021.xlsx"
UNIT, YEAR = "demo", 2021
D = Decimal
PROJECT_CODE, PROJECT_NAME = "30299", "其他商品和服务支出"


@pytest.fixture(scope="module")
def reference() -> dict[str, Table]:
    return read_tables(REFERENCE, load_table_set("neimenggu-11"), display_path="2021.xlsx", year=YEAR).tables


def _put_row(ws, lay: SheetLayout, row: Row, slots: dict, block: str | None) -> None:
    """One source row into the layout: a fixed row by key, a code row into the next blank slot."""
    if row.key in lay.cells:
        for column, value in row.values.items():
            if column in lay.cells[row.key]:
                r, c = lay.cells[row.key][column]
                ws.cell(r, c, value)
        return
    if row.code is None and row.level is None:
        return
    slot = slots[block].pop(0)
    ws[slot.code_address] = row.code  # a unit of a 分单位 table: its name alone
    ws[slot.name_address] = row.label
    for column, value in row.values.items():
        if column in slot.value_cols:
            ws[slot.address(column)] = value


def _fill(ws, lay: SheetLayout, rows: list[Row]) -> None:
    slots = {b: list(lay.code_slots(b)) for b in {None, *(b.key for b in lay.spec.blocks)}}
    for row in rows:
        _put_row(ws, lay, row, slots, row.block if lay.spec.blocks else None)


def _row(key: str, values: dict[str, object], code: str | None = None, label: str = "") -> Row:
    return Row(key=key, label=label, code=code, values={k: D(str(v)) for k, v in values.items()})


def _economic_detail(ref: dict[str, Table], columns: str) -> list[Row]:
    """General-budget spending by 经济分类: 基本支出 from 基本支出明细表's 类/款 rows, 项目支出 on 30299;
    ``columns`` "split" gives 合计 | 基本支出 | 项目支出, "project" the 项目支出 alone as 决算数."""
    general = ref["general_budget"].row("total")
    project = general.values["project"]
    basic: dict[str, Decimal] = {}
    names: dict[str, str] = {}
    for row in ref["basic"].rows:
        if row.code and len(row.code) == 5:
            basic[row.code] = basic.get(row.code, D(0)) + row.values.get("amount", D(0))
            names[row.code] = row.label
    items = {code: {"basic": v, "project": D(0)} for code, v in basic.items()} if columns == "split" else {}
    items.setdefault(PROJECT_CODE, {"basic": D(0), "project": D(0)})["project"] += project
    names[PROJECT_CODE] = PROJECT_NAME
    class_names = {"301": "工资福利支出", "302": "商品和服务支出", "303": "对个人和家庭的补助", "310": "资本性支出"}
    rows: list[Row] = []
    classes: dict[str, dict[str, Decimal]] = {}
    for code, v in items.items():
        acc = classes.setdefault(code[:3], {"basic": D(0), "project": D(0)})
        acc["basic"] += v["basic"]
        acc["project"] += v["project"]

    def values(v: dict[str, Decimal]) -> dict[str, Decimal]:
        if columns == "split":
            return {"total": v["basic"] + v["project"], "basic": v["basic"], "project": v["project"]}
        return {"total": v["project"]}

    # 类 and 合计 as published (基本支出明细表's 类 rows, 05表's 基本支出), with their 0.01 differences
    for row in ref["basic"].rows:
        if row.code and len(row.code) == 3 and columns == "split":
            classes.setdefault(row.code, {"basic": D(0), "project": D(0)})["basic"] = row.values.get("amount", D(0))
    grand = {"basic": general.values["basic"] if columns == "split" else D(0), "project": project}
    rows.append(_row("total", values(grand)))
    for cls in sorted(classes):
        rows.append(_row(cls, values(classes[cls]), cls, class_names[cls]))
        for code in sorted(c for c in items if c.startswith(cls)):
            rows.append(_row(code, values(items[code]), code, names[code]))
    return rows


def _general_projects(ref: dict[str, Table]) -> list[Row]:
    """一般公共预算财政拨款项目支出决算表: the 项目支出 column of 一般公共预算财政拨款支出决算表."""
    rows = []
    for row in ref["general_budget"].rows:
        project = row.values.get("project", D(0))
        if row.key == "total" or project:
            rows.append(Row(key=row.key, label=row.label, code=row.code, values={"total": project}))
    return rows


def _by_unit(ref: dict[str, Table], key: str) -> list[Row]:
    """浙江 分单位: the 分科目 table's 合计 row, and the same figures on the one unit's row."""
    total = ref[key].row("total")
    return [Row(key="total", label="合计", values=dict(total.values)),
            Row(key="unit.巴彦淖尔市公安局交通管理支队", label="巴彦淖尔市公安局交通管理支队", level=1, values=dict(total.values))]


def _derived(ref: dict[str, Table], spec_id: str) -> list[Row] | None:
    if spec_id in ("income_by_unit", "expenditure_by_unit"):
        return _by_unit(ref, spec_id.removesuffix("_by_unit"))
    if spec_id in ("fiscal_detail", "general_budget_detail"):
        return _economic_detail(ref, "split")
    if spec_id == "general_budget_projects_detail":
        return _economic_detail(ref, "project")
    if spec_id == "general_budget_projects":
        return _general_projects(ref)
    if spec_id == "three_public_meetings":
        record = dict(ref["three_public"].row(RECORD_ROW).values)
        public = {r.code: r.values.get("amount", D(0)) for r in ref["basic"].rows if r.code}
        for side in ("budget", "actual"):  # 会议费 / 培训费: the 基本支出 30215 / 30216 amounts
            record[f"{side}_meeting"] = public.get("30215", D(0))
            record[f"{side}_training"] = public.get("30216", D(0))
        return [Row(key=RECORD_ROW, label="", values=record)]
    if spec_id == "project_self_evaluation":
        # 道路交通管理专项业务费 自评: 全年预算数4278.39万元，执行数3512.08万元，完成预算的82.09%，得分95分
        figures = {"annual": "4278.39", "executed": "3512.08", "rate": "82.09", "score": "95"}
        return [_row("funds_total", figures), _row("funds_fiscal", {"annual": "4278.39", "executed": "3512.08"})]
    if spec_id == "self_evaluation":
        total = ref["general_budget"].row("total").values["total"]  # 一般公共预算财政拨款支出合计 as 全年执行数
        figures = {"annual": total, "executed": total}
        return [_row("funds_total", figures), _row("funds_fiscal", figures)]
    return None


def _build(tmp_path: Path, capsys, set_name: str, ref: dict[str, Table]) -> tuple[Path, list[str]]:
    code = main(["init", UNIT, str(YEAR), str(tmp_path), "--table-set", set_name, "--name", "巴彦淖尔市公安局交通管理支队"])
    assert code == 0, capsys.readouterr().err
    path = tmp_path / "tables" / UNIT / f"{YEAR}.xlsx"
    table_set = load_table_set(set_name)
    wb = openpyxl.load_workbook(path)
    filled = []
    for spec in table_set:
        lay = sheet_layout(spec, table_set)
        rows = _derived(ref, spec.id)
        if rows is None and spec.key in ref and ref[spec.key].spec.id == spec.id:
            rows = ref[spec.key].rows
        if rows is None and spec.key in ref and spec.layout == ref[spec.key].spec.layout:
            rows = ref[spec.key].rows  # the same table under another id (支出 vs 收入支出 version)
        if rows:
            _fill(wb[lay.sheet], lay, rows)
            filled.append(spec.key)
    wb.save(path)
    return tmp_path, filled


@pytest.mark.parametrize(
    "set_name, published",
    [("central-9", 9), ("sichuan-13", 13), ("sichuan-14", 14), ("neimenggu-12", 12), ("yunnan-14", 14), ("shaanxi-9", 9), ("national-9", 9),
     ("yunnan-9", 9), ("liaoning-9", 9), ("zhejiang-11", 11), ("national-8", 8)],
)
def test_set_from_init_to_a_clean_check(tmp_path, capsys, reference, set_name, published):
    table_set = load_table_set(set_name)
    assert len(table_set.published()) == published
    root, filled = _build(tmp_path, capsys, set_name, reference)
    project = load_project(root)
    accounts = load_accounts(project, UNIT, YEAR, with_prior=False)
    assert accounts.table_set == set_name
    findings = check_accounts(accounts, project)
    assert not errors_of(findings), [f.message for f in errors_of(findings)]
    # the figures came through: 本年支出合计 and the 三公 决算数 of the published report
    assert accounts["summary"].value("expenditure.year_total", "amount") == D("5817.35")
    assert accounts["three_public"].value(RECORD_ROW, "actual_total") == D("376.18")
    # a rule of the set fires on a moved cell: 本年支出合计 one 万元 off
    wb = openpyxl.load_workbook(root / "tables" / UNIT / f"{YEAR}.xlsx")
    lay = sheet_layout(table_set.get("summary"), table_set)
    cell = lay.cell("expenditure.year_total", "amount")
    wb[lay.sheet][cell] = 5818.35
    wb.save(root / "tables" / UNIT / f"{YEAR}.xlsx")
    broken = check_accounts(load_accounts(load_project(root), UNIT, YEAR, with_prior=False), project)
    moved = [f for f in errors_of(broken) if f.rule == "summary.expenditure_grand_total"]
    assert moved and any(c.sheet == lay.sheet and c.cell == cell for c in moved[0].cells)


def test_sichuan_detail_tables_tie_to_the_general_budget(tmp_path, capsys, reference):
    root, filled = _build(tmp_path, capsys, "sichuan-13", reference)
    assert {"fiscal_detail", "general_budget_detail", "general_budget_projects"} <= set(filled)
    accounts = load_accounts(load_project(root), UNIT, YEAR, with_prior=False)
    detail = accounts["general_budget_detail"]
    assert detail.value("total", "total") == accounts["general_budget"].value("total", "total")
    assert detail.value(PROJECT_CODE, "project") == accounts["general_budget"].value("total", "project")
    assert accounts["state_capital_spending"].empty and accounts["state_capital"].empty
    # one 款 moved: the economic tree and the tie to 05表 both name it
    wb = openpyxl.load_workbook(root / "tables" / UNIT / f"{YEAR}.xlsx")
    spec = load_table_set("sichuan-13").get("general_budget_detail")
    lay = sheet_layout(spec, load_table_set("sichuan-13"))
    ws = wb[lay.sheet]
    slot = next(s for s in lay.code_slots() if ws[s.code_address].value == PROJECT_CODE)
    ws[slot.address("project")] = float(ws[slot.address("project")].value) + 1
    ws[slot.address("total")] = float(ws[slot.address("total")].value) + 1
    wb.save(root / "tables" / UNIT / f"{YEAR}.xlsx")
    project = load_project(root)
    errors = errors_of(check_accounts(load_accounts(project, UNIT, YEAR, with_prior=False), project))
    assert {f.rule for f in errors} >= {"tree.economic_detail"}
    assert any(slot.address("total") in [c.cell for c in f.cells] for f in errors)


def test_shaanxi_meeting_and_training_fees_are_read_and_checked(tmp_path, capsys, reference):
    root, _ = _build(tmp_path, capsys, "shaanxi-9", reference)
    project = load_project(root)
    accounts = load_accounts(project, UNIT, YEAR, with_prior=False)
    three = accounts["three_public"]
    public = {r.code: r.values.get("amount", D(0)) for r in accounts["basic"].rows if r.code}
    assert three.value(RECORD_ROW, "actual_meeting") == public.get("30215", D(0))
    assert three.spec.title == "一般公共预算财政拨款“三公”经费及会议费、培训费支出决算表"
    table_set = load_table_set("shaanxi-9")
    lay = sheet_layout(table_set.get("three_public"), table_set)
    wb = openpyxl.load_workbook(root / "tables" / UNIT / f"{YEAR}.xlsx")
    headers = [c.value for r in range(4, lay.data_start) for c in wb[lay.sheet][r]]
    assert "会议费" in headers and "培训费" in headers
    wb[lay.sheet][lay.cell(RECORD_ROW, "actual_training")] = -1
    wb.save(root / "tables" / UNIT / f"{YEAR}.xlsx")
    errors = errors_of(check_accounts(load_accounts(project, UNIT, YEAR, with_prior=False), project))
    # 培训费 below the 基本支出 30216 培训费 (1.13万元 in the reference)
    assert public["30216"] == D("1.13")
    assert "three_public_basic.training" in {f.rule for f in errors}


def test_yunnan_self_evaluation_counts_stay_counts(tmp_path, capsys, reference):
    root, _ = _build(tmp_path, capsys, "yunnan-14", reference)
    accounts = load_accounts(load_project(root), UNIT, YEAR, with_prior=False)
    project = accounts["project_self_evaluation"]
    assert project.value("funds_total", "executed") == D("3512.08")
    assert project.value("funds_total", "score") == D("95") and project.value("funds_total", "rate") == D("82.09")
    assert accounts["assets"].empty  # the reference publishes no asset values: an empty table
    lay = sheet_layout(load_table_set("yunnan-14").get("project_self_evaluation"))
    assert lay.cells["funds_total"]["score"] in lay.counts and lay.cells["funds_total"]["executed"] in lay.money


def test_national_9_supplementary_sheet_gives_the_info_facts(tmp_path, capsys, reference):
    root, filled = _build(tmp_path, capsys, "national-9", reference)
    assert "info" in filled
    table_set = load_table_set("national-9")
    spec = table_set.get("info")
    assert not spec.published and spec.supplementary and spec.marker is None
    wb = openpyxl.load_workbook(root / "tables" / UNIT / f"{YEAR}.xlsx")
    lay = sheet_layout(spec, table_set)
    ws = wb[lay.sheet]
    assert str(ws.cell(lay.last_row + 2, 1).value).startswith("注：本表不公开")
    labels = [ws.cell(r, 1).value for r in range(lay.data_start, lay.last_row + 1)]
    for wanted in ("政府采购货物支出", "授予中小企业合同金额", "执法执勤用车", "单位价值50万元以上通用设备",
                   "因公出国（境）团组数", "因公出国（境）人次数", "公务用车保有量", "国内公务接待批次"):
        assert wanted in labels
    accounts = load_accounts(load_project(root), UNIT, YEAR, with_prior=False)
    info = accounts["info"]
    assert info.value("vehicles_total", "amount") == D("103") and info.value("vehicles_law_enforcement", "amount") == D("103")
    assert info.value("equipment_general_50", "amount") == D("11")
    assert info.value("operating_cost", "amount") == reference["info"].value("operating_cost", "amount")
    from disclosure.derive import derive

    # the same facts the 内蒙古 信息表 gives, traced to the supplementary sheet's cells
    facts = derive(accounts, load_project(root))
    ref_facts = derive(load_accounts(load_project(ROOT), "bayannur-jiaoguan", YEAR, with_prior=False), load_project(ROOT))
    for key in ("operating_cost", "procurement.total", "assets.vehicles.law_enforcement", "assets.vehicles.total"):
        assert facts[key].value == ref_facts[key].value, key
    assert facts["assets.vehicles.law_enforcement"].value == D("103")
    assert any(c.sheet == lay.sheet for c in facts["operating_cost"].cells)


def test_a_blank_supplementary_sheet_is_absent(tmp_path, capsys):
    assert main(["init", UNIT, str(YEAR), str(tmp_path), "--table-set", "national-9"]) == 0
    capsys.readouterr()
    accounts = load_accounts(load_project(tmp_path), UNIT, YEAR, with_prior=False)
    assert "info" not in accounts.tables and "budget" in accounts.tables


# The tables each set publishes, in order, as the published reports list them (sources in the set files).
PUBLISHED_TITLES = {
    "national-8": [  # 西宁市总寨镇逸夫小学 2016 第二部分 一 … 八
        "收入支出决算总表", "收入决算表", "支出决算表", "财政拨款收入支出决算总表", "一般公共预算财政拨款支出决算表",
        "一般公共预算财政拨款基本支出决算表", "一般公共预算财政拨款“三公”经费支出决算表", "政府性基金预算财政拨款收入支出决算表",
    ],
    "central-9": [
        "收入支出决算总表", "收入决算表", "支出决算表", "财政拨款收入支出决算总表", "一般公共预算财政拨款支出决算表",
        "一般公共预算财政拨款基本支出决算明细表", "政府性基金预算财政拨款收入支出决算表",
        "国有资本经营预算财政拨款支出决算表", "财政拨款“三公”经费支出决算表",
    ],
    "sichuan-13": [
        "收入支出决算总表", "收入决算表", "支出决算表", "财政拨款收入支出决算总表", "财政拨款支出决算明细表",
        "一般公共预算财政拨款支出决算表", "一般公共预算财政拨款支出决算明细表", "一般公共预算财政拨款基本支出决算明细表",
        "一般公共预算财政拨款项目支出决算表", "政府性基金预算财政拨款收入支出决算表",
        "国有资本经营预算财政拨款收入支出决算表", "国有资本经营预算财政拨款支出决算表", "财政拨款“三公”经费支出决算表",
    ],
    "sichuan-14": [
        "收入支出决算总表", "收入决算表", "支出决算表", "财政拨款收入支出决算总表", "财政拨款支出决算明细表",
        "一般公共预算财政拨款支出决算表", "一般公共预算财政拨款支出决算明细表", "一般公共预算财政拨款基本支出决算表",
        "一般公共预算财政拨款项目支出决算表", "一般公共预算财政拨款“三公”经费支出决算表",
        "政府性基金预算财政拨款收入支出决算表", "政府性基金预算财政拨款“三公”经费支出决算表",
        "国有资本经营预算财政拨款收入支出决算表", "国有资本经营预算财政拨款支出决算表",
    ],
    "neimenggu-12": [
        "收入支出决算总表", "收入决算表", "支出决算表", "财政拨款收入支出决算总表", "项目收入支出决算表",
        "一般公共预算财政拨款支出决算表", "一般公共预算财政拨款基本支出决算明细表", "一般公共预算财政拨款项目支出决算明细表",
        "政府性基金预算财政拨款收入支出决算表", "国有资本经营预算财政拨款支出决算表", "财政拨款“三公”经费支出决算表",
        "机构运行经费支出、国有资产占用情况及政府采购支出信息表",
    ],
    "yunnan-14": [
        "收入支出决算表", "收入决算表", "支出决算表", "财政拨款收入支出决算总表", "一般公共预算财政拨款收入支出决算表",
        "一般公共预算财政拨款基本支出决算表", "一般公共预算财政拨款项目支出决算表", "政府性基金预算财政拨款收入支出决算表",
        "国有资本经营预算财政拨款收入支出决算表", "财政拨款“三公”经费、行政参公单位机关运行经费情况表",
        "一般公共预算财政拨款“三公”经费情况表", "国有资产使用情况表", "部门整体支出绩效自评表", "项目支出绩效自评表",
    ],
    "yunnan-9": [
        "收入支出决算总表", "收入决算表", "支出决算表", "财政拨款收入支出决算总表", "一般公共预算财政拨款收入支出决算表",
        "一般公共预算财政拨款基本支出决算表", "政府性基金预算财政拨款收入支出决算表", "国有资本经营预算财政拨款收入支出决算表",
        "“三公”经费、行政参公单位机关运行经费情况表",
    ],
    "liaoning-9": [
        "收入支出决算总表", "收入决算表", "支出决算表", "财政拨款收入支出决算表", "一般公共预算财政拨款支出决算表",
        "一般公共预算财政拨款基本支出决算表", "政府性基金预算财政拨款支出决算表", "一般公共预算财政拨款“三公”经费支出决算表",
        "国有资本经营预算财政拨款支出决算表",
    ],
    "shaanxi-9": [
        "收入支出决算总表", "收入决算总表", "支出决算总表", "财政拨款收入支出决算总表", "一般公共预算财政拨款支出决算表",
        "一般公共预算财政拨款基本支出决算表", "一般公共预算财政拨款“三公”经费及会议费、培训费支出决算表",
        "政府性基金预算财政拨款收入支出决算表", "国有资本经营预算财政拨款支出决算表",
    ],
}


@pytest.mark.parametrize("set_name", sorted(PUBLISHED_TITLES))
def test_set_titles_are_those_of_the_published_reports(set_name):
    table_set = load_table_set(set_name)
    published = table_set.published()
    assert [t.title for t in published] == PUBLISHED_TITLES[set_name]
    assert [t.marker for t in published] == [f"公开{n:02d}表" for n in range(1, len(published) + 1)]
    assert table_set.get("budget") is not None and not table_set.get("budget").published


def test_a_sheet_of_another_province_is_found_by_its_published_title(tmp_path):
    """A 四川 workbook's 国有资本经营 支出 table and 收入支出 table are told apart by title alone."""
    table_set = load_table_set("sichuan-13")
    from disclosure.blank_workbook import write_blank_workbook

    path = tmp_path / "2023.xlsx"
    write_blank_workbook(path, table_set, unit_name="某单位", year=2023)
    loaded = read_tables(path, table_set, display_path="2023.xlsx", year=2023)
    assert loaded.tables["state_capital"].sheet == "国有资本经营预算财政拨款收入支出决算表"
    assert loaded.tables["state_capital_spending"].sheet == "国有资本经营预算财政拨款支出决算表"
