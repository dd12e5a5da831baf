"""derive: facts computed from Accounts built here with the reference report's figures.

The builder below (``example_accounts``) is shared by the narrative tests. It writes each value
into a cell address of its own so provenance can be asserted.
"""
from __future__ import annotations

import json
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest

from disclosure.derive import REGISTRY, Facts, derive, write_facts_json
from disclosure.derive.entry_kinds import Family
from disclosure.model import Accounts, CellRef, Row, Table
from disclosure.project import Project
from disclosure.standard import load_table_set

D = Decimal
COLUMNS = "CDEFGHIJKLMNOPQRSTUVWXYZ"


def _table(key: str, rows: list[tuple], year: int, *, empty: bool = False) -> Table:
    """rows: (row key, label, {column: value}, unit or None); codes and levels come from the key."""
    spec = load_table_set("neimenggu-11").get(key)
    assert spec is not None, key
    file = f"tables/example/{year}.xlsx"
    columns = [c.key for c in spec.all_columns()]
    out = []
    for n, (row_key, label, values, unit) in enumerate(rows, start=7):
        block, _, last = row_key.rpartition(".")
        code = last if last.isdigit() else None
        level = {3: 1, 5: 2, 7: 3}.get(len(code)) if code else None
        cells = {col: CellRef(file, spec.title, f"{COLUMNS[columns.index(col)]}{n}", key) for col in values}
        out.append(Row(key=row_key, label=label, code=code, level=level, block=block or None,
                       values={c: D(str(v)) for c, v in values.items()}, cells=cells, unit=unit))
    return Table(spec=spec, rows=out, file=file, sheet=spec.title, empty=empty,
                 title_cell=CellRef(file, spec.title, "A1", key))


def _a(v: object) -> dict:
    return {"amount": v}


def accounts_2021(year: int = 2021, *, budget: bool = True) -> Accounts:
    """The reference report's 2021 figures (巴彦淖尔市公安局交通管理支队)."""
    t = {
        "summary": _table("summary", [
            ("income.general_budget", "一般公共预算财政拨款收入", _a("5728.23"), None),
            ("income.year_total", "本年收入合计", _a("5728.23"), None),
            ("income.non_fiscal_balance", "使用非财政拨款结余", _a("0"), None),
            ("income.opening_balance", "年初结转和结余", _a("1151.10"), None),
            ("income.grand_total", "总计", _a("6879.33"), None),
            ("expenditure.204", "公共安全支出", _a("5817.35"), None),
            ("expenditure.year_total", "本年支出合计", _a("5817.35"), None),
            ("expenditure.surplus_distribution", "结余分配", _a("0"), None),
            ("expenditure.closing_balance", "年末结转和结余", _a("1061.97"), None),
            ("expenditure.grand_total", "总计", _a("6879.33"), None),
        ], year),
        "income": _table("income", [("total", "合计", {"total": "5728.23", "fiscal": "5728.23", "other": "0"}, None)], year),
        "expenditure": _table("expenditure", [
            ("total", "合计", {"total": "5817.35", "basic": "2996.69", "project": "2820.66"}, None)], year),
        "fiscal_summary": _table("fiscal_summary", [
            ("income.general_budget", "一般公共预算财政拨款", _a("5728.23"), None),
            ("income.gov_fund", "政府性基金预算财政拨款", _a("0"), None),
            ("income.year_total", "本年收入合计", _a("5728.23"), None),
            ("income.opening_balance", "年初财政拨款结转和结余", _a("1151.10"), None),
            ("income.grand_total", "总计", _a("6879.33"), None),
            ("expenditure.year_total", "本年支出合计", {"total": "5817.35", "general": "5817.35"}, None),
            ("expenditure.closing_balance", "年末财政拨款结转和结余", {"total": "1061.97"}, None),
            ("expenditure.grand_total", "总计", {"total": "6879.33"}, None),
        ], year),
        "projects": _table("projects", [
            ("total", "合计", {"opening": "97.88", "income": "2749.34", "income_fiscal": "2749.34",
                               "expenditure": "2820.66", "closing": "26.56"}, None)], year),
        "general_budget": _table("general_budget", [
            ("total", "合计", {"total": "5817.35", "basic": "2996.69", "project": "2820.66"}, None),
            ("204", "公共安全支出", {"total": "5817.35", "basic": "2996.69", "project": "2820.66"}, None),
            ("20402", "公安", {"total": "5817.35", "basic": "2996.69", "project": "2820.66"}, None),
            ("2040201", "行政运行", {"total": "5268.74", "basic": "2996.69", "project": "2272.05"}, None),
            ("2040299", "其他公安支出", {"total": "548.61", "basic": "0", "project": "548.61"}, None),
        ], year),
        "basic": _table("basic", [
            ("personnel.301", "工资福利支出", _a("2494.69"), None),
            ("personnel.30101", "基本工资", _a("435.65"), None),
            ("personnel.30102", "津贴补贴", _a("644.64"), None),
            ("personnel.30103", "奖金", _a("34.54"), None),
            ("personnel.30108", "机关事业单位基本养老保险缴费", _a("140.70"), None),
            ("personnel.30109", "职业年金缴费", _a("27.81"), None),
            ("personnel.30110", "职工基本医疗保险缴费", _a("151.42"), None),
            ("personnel.30111", "公务员医疗补助缴费", _a("66.16"), None),
            ("personnel.30112", "其他社会保障缴费", _a("6.18"), None),
            ("personnel.30113", "住房公积金", _a("0"), None),
            ("personnel.30199", "其他工资福利支出", _a("987.59"), None),
            ("personnel.303", "对个人和家庭的补助", _a("184.05"), None),
            ("personnel.30302", "退休费", _a("40.23"), None),
            ("personnel.30304", "抚恤金", _a("141.90"), None),
            ("personnel.30305", "生活补助", _a("1.92"), None),
            ("personnel.total", "人员经费合计", _a("2678.73"), None),
            ("public.302", "商品和服务支出", _a("317.97"), None),
            *[(f"public.{c}", n, _a(v), None) for c, n, v in [
                ("30201", "办公费", "3.99"), ("30202", "印刷费", "10.00"), ("30205", "水费", "4.07"),
                ("30206", "电费", "37.47"), ("30207", "邮电费", "6.29"), ("30208", "取暖费", "5.00"),
                ("30209", "物业管理费", "8.24"), ("30211", "差旅费", "45.58"), ("30213", "维修（护）费", "20.00"),
                ("30216", "培训费", "1.13"), ("30226", "劳务费", "10.56"), ("30227", "委托业务费", "1.34"),
                ("30228", "工会经费", "15.50"), ("30231", "公务用车运行维护费", "44.17"),
                ("30239", "其他交通费用", "101.15"), ("30299", "其他商品和服务支出", "3.48")]],
            ("public.total", "公用经费合计", _a("317.97"), None),
        ], year),
        "gov_fund": _table("gov_fund", [("total", "合计", {}, None)], year, empty=True),
        "state_capital": _table("state_capital", [("total", "合计", {}, None)], year, empty=True),
        "three_public": _table("three_public", [("record", "", {
            "budget_total": "195", "budget_abroad": "0", "budget_vehicle": "195", "budget_vehicle_purchase": "0",
            "budget_vehicle_operation": "195", "budget_reception": "0", "actual_total": "376.18",
            "actual_abroad": "0", "actual_vehicle": "376.18", "actual_vehicle_purchase": "190.23",
            "actual_vehicle_operation": "185.94", "actual_reception": "0"}, None)], year),
        "info": _table("info", [
            (k, label, _a(v), unit) for k, label, v, unit in [
                ("operating_cost", "机关运行经费支出", "317.97", None),
                ("procurement_total", "政府采购支出总额", "1646.70", None),
                ("procurement_goods", "政府采购货物支出", "410.62", None),
                ("procurement_works", "政府采购工程支出", "0", None),
                ("procurement_services", "政府采购服务支出", "1236.08", None),
                ("sme_contracts", "授予中小企业合同金额", "0", None),
                ("small_micro_contracts", "授予小微企业合同金额", "0", None),
                ("vehicles_total", "车辆数合计", "103", "辆"),
                ("vehicles_ministerial", "副部（省）级及以上领导用车", "0", "辆"),
                ("vehicles_leaders", "主要领导干部用车", "0", "辆"),
                ("vehicles_law_enforcement", "执法执勤用车", "103", "辆"),
                ("vehicles_special", "特种专业技术用车", "0", "辆"),
                ("equipment_general_50", "单位价值50万元以上通用设备", "11", "台（套）"),
                ("equipment_special_100", "单位价值100万元以上专用设备", "1", "台（套）"),
                ("abroad_groups", "因公出国（境）团组数", "0", "个"),
                ("abroad_people", "因公出国（境）人次数", "0", "人次"),
                ("vehicles_purchased", "公务用车购置数", "8", "辆"),
                ("vehicles_held", "公务用车保有量", "103", "辆"),
                ("reception_batches", "国内公务接待批次", "0", "个"),
                ("reception_people", "国内公务接待人次", "0", "人次"),
                ("projects_planned", "预算安排项目数", "2", "个"),
                ("projects_implemented", "实施项目数", "2", "个"),
                ("projects_completed", "完成项目数", "2", "个"),
            ]], year),
    }
    if budget:
        t["budget"] = _table("budget", [
            ("grand_total", "收入支出总计", {"initial": "6889.06"}, None),
            ("fiscal_grand_total", "财政拨款收入支出总计", {"initial": "6889.06"}, None),
            ("total", "一般公共预算财政拨款支出合计", {"initial": "6889.06"}, None),
            ("204", "公共安全支出", {"initial": "6889.06"}, None),
            ("20402", "公安", {"initial": "6889.06"}, None),
            ("2040201", "行政运行", {"initial": "6418.74"}, None),
            ("2040299", "其他公安支出", {"initial": "470.32"}, None),
        ], year)
    return Accounts(unit="example", year=year, unit_name="示例单位", table_set="neimenggu-11", tables=t)


def accounts_2020() -> Accounts:
    """The 2020 figures the reference report's comparisons imply (2021 figure − stated change)."""
    acc = accounts_2021(2020, budget=False)
    prior = {
        ("summary", "income.grand_total", "amount"): "7502.22",
        ("summary", "expenditure.grand_total", "amount"): "7502.22",
        ("fiscal_summary", "income.grand_total", "amount"): "7502.22",
        ("basic", "personnel.total", "amount"): "2581.92",
        ("basic", "public.total", "amount"): "270.13",
        ("three_public", "record", "actual_total"): "486.63",
        ("three_public", "record", "actual_vehicle"): "486.63",
        ("three_public", "record", "actual_vehicle_purchase"): "281.38",
        ("three_public", "record", "actual_vehicle_operation"): "205.25",
        ("info", "operating_cost", "amount"): "270.13",
        ("info", "procurement_total", "amount"): "978.09",
        ("info", "procurement_goods", "amount"): "488.26",
        ("info", "procurement_works", "amount"): "90.27",
        ("info", "procurement_services", "amount"): "399.56",
        ("info", "equipment_general_50", "amount"): "8",
        ("info", "equipment_special_100", "amount"): "0",
    }
    for (table, row, col), value in prior.items():
        acc[table].row(row).values[col] = D(value)
    return acc


def example_accounts(*, prior: bool = True, budget: bool = True) -> Accounts:
    acc = accounts_2021(budget=budget)
    if prior:
        acc.prior = accounts_2020()
    return acc


@pytest.fixture(scope="module")
def facts() -> Facts:
    return derive(example_accounts(), Project(root=Path(".")))


def v(facts: Facts, key: str) -> Decimal:
    return facts[key].value


def test_every_registry_entry_has_a_description_and_unique_key():
    keys = [e.key for e in REGISTRY.entries]
    assert len(keys) == len(set(keys))
    for entry in REGISTRY.entries:
        assert entry.description.strip(), entry.key
        assert entry.label.strip(), entry.key


def test_every_fact_has_a_description_and_formula(facts):
    for key, fact in facts.items():
        assert facts.descriptions[key].strip(), key
        assert fact.formula.strip(), key
        assert fact.label.strip(), key


@pytest.mark.parametrize("key, value", [
    ("summary.income.grand_total", "6879.33"),
    ("summary.income.grand_total.change", "-622.89"),
    ("summary.income.grand_total.change_pct", "-8.30"),  # the report prints 8.3%
    ("income.fiscal.share", "100.00"),  # the report prints 100%
    ("expenditure.basic.share", "51.51"),
    ("expenditure.project.share", "48.49"),
    ("gb.total.diff", "-1071.71"),
    ("gb.total.diff_pct", "-15.56"),
    ("gb.item.2040201.budget", "6418.74"),
    ("gb.item.2040201.actual", "5268.74"),
    ("gb.item.2040201.completion", "82.08"),
    ("budget.grand_total.diff", "-9.73"),
    ("budget.grand_total.diff_pct", "-0.14"),
    ("basic.personnel.change", "96.81"),
    ("basic.public.change", "47.84"),
    ("tp.total.completion", "192.91"),
    ("tp.vehicle_purchase.actual.change", "-91.15"),
    ("tp.vehicle_operation.actual.change", "-19.31"),
    ("tp.vehicle_operation.per_vehicle", "1.805242718447"),  # the report prints 1.81万元
    ("tp.vehicle.share", "100.00"),
    ("operating_cost.change_pct", "17.71"),
    ("procurement.goods.change", "-77.64"),
    ("procurement.goods.change_pct", "-15.90"),  # the report prints 降低15.9%
    ("procurement.works.change_pct", "-100.00"),
    ("procurement.services.change", "836.52"),
    ("procurement.services.change_pct", "209.36"),
    ("assets.equipment_general_50.change", "3"),
    ("assets.equipment_special_100.change", "1"),
    ("gov_fund.empty", "1"),
])
def test_reference_figures(facts, key, value):
    assert str(v(facts, key)) == value


def test_zero_budget_has_no_completion(facts):
    # The report prints 因公出国（境）费 完成预算的0% on a zero budget; a ratio on zero does not exist.
    assert "tp.abroad.completion" not in facts
    assert "tp.reception.completion" not in facts
    assert v(facts, "tp.abroad.budget") == 0


def test_zero_base_change_has_no_rate_and_both_zero_is_flat(facts):
    assert v(facts, "assets.equipment_special_100.prior") == 0
    assert "assets.equipment_special_100.change_pct" not in facts
    assert v(facts, "tp.reception.actual.change") == 0
    assert "tp.reception.actual.change_pct" not in facts


def test_provenance_points_at_cells(facts):
    fact = facts["summary.income.grand_total"]
    assert [str(c) for c in fact.cells] == ["收入支出决算总表!C11"]
    assert fact.cells[0].table == "summary"
    share = facts["expenditure.basic.share"]
    assert {c.table for c in share.cells} == {"expenditure"}
    assert share.formula == "基本支出 ÷ 本年支出合计 × 100%"
    prior = facts["summary.income.grand_total.prior"]
    assert prior.year == 2020 and prior.cells[0].file == "tables/example/2020.xlsx"


def test_reason_keys_on_changes_and_completions(facts):
    assert facts["basic.personnel.change"].reason_key == "basic.personnel.change"
    assert facts["basic.personnel.change_pct"].reason_key == "basic.personnel.change"
    assert facts["gb.item.2040201.completion"].reason_key == "gb.item.2040201.completion"
    assert facts["tp.total.completion"].reason_key == "tp.total.completion"


def test_families_keep_table_order_and_names(facts):
    assert facts.codes("gb.item") == ["2040201", "2040299"]
    assert facts.names["gb.item.2040201"] == "公安（款）行政运行（项）"
    personnel = facts.codes("basic.personnel.item")
    assert personnel[0] == "30101" and "30113" not in personnel  # zero 款 are left out
    assert len(personnel) == 12
    assert len(facts.codes("basic.public.item")) == 16


def test_no_prior_year_leaves_comparisons_out():
    facts = derive(example_accounts(prior=False), Project(root=Path(".")))
    assert facts.prior_year is None
    assert not [k for k in facts if k.endswith((".change", ".change_pct", ".prior"))]
    assert v(facts, "summary.income.grand_total") == D("6879.33")


def test_budget_from_general_budget_columns_when_no_budget_sheet():
    acc = example_accounts(budget=False)
    gb = acc["general_budget"]
    gb.row("total").values["budget_initial"] = D("6889.06")
    gb.row("total").cells["budget_initial"] = CellRef("f.xlsx", "一般公共预算财政拨款支出决算表", "C7", "general_budget")
    gb.row("2040201").values["budget_initial"] = D("6418.74")
    facts = derive(acc, Project(root=Path(".")))
    assert v(facts, "gb.total.diff_pct") == D("-15.56")
    assert v(facts, "gb.item.2040201.completion") == D("82.08")
    assert str(facts["gb.budget"].cells[0]) == "一般公共预算财政拨款支出决算表!C7"
    assert "budget.grand_total" not in facts  # no budget sheet: nothing invented


def test_no_budget_anywhere_means_no_budget_facts():
    facts = derive(example_accounts(budget=False), Project(root=Path(".")))
    assert not [k for k in facts if k.startswith("budget.") or k.startswith("gb.total.diff")]
    assert "gb.item.2040201.completion" not in facts


def test_percent_places_is_a_project_setting():
    facts = derive(example_accounts(), Project(root=Path("."), percent_places=1))
    assert str(v(facts, "summary.income.grand_total.change_pct")) == "-8.3"
    assert str(v(facts, "gb.item.2040201.completion")) == "82.1"
    assert str(v(facts, "tp.vehicle_operation.per_vehicle")) == "1.805242718447"  # an average is not a percentage


def test_gov_fund_with_data_is_not_empty():
    acc = example_accounts()
    acc.tables["gov_fund"] = _table("gov_fund", [("total", "合计", {"income": "12.5", "expenditure": "10"}, None)], 2021)
    facts = derive(acc, Project(root=Path(".")))
    assert v(facts, "gov_fund.empty") == 0
    assert v(facts, "gov_fund.expenditure") == D("10")


def test_facts_json_is_exact_sorted_and_stable(facts, tmp_path):
    path = write_facts_json(facts, tmp_path / "facts.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    fact = data["facts"]["summary.income.grand_total.change_pct"]
    assert fact["value"] == "-8.30" and fact["unit"] == "%"
    assert fact["cells"][0] == {"ref": "收入支出决算总表!C11", "file": "tables/example/2021.xlsx",
                                "sheet": "收入支出决算总表", "cell": "C11", "table": "summary"}
    assert list(data["facts"]) == sorted(data["facts"])
    again = derive(example_accounts(), Project(root=Path(".")))
    assert again.to_json() == path.read_text(encoding="utf-8")


def test_families_are_declared_before_use():
    declared: set[str] = set()
    for entry in REGISTRY.entries:
        if isinstance(entry, Family):
            declared.add(entry.key)
        elif entry.family:
            assert entry.family in declared, entry.key


def test_family_members_compare_against_zero_only_when_the_prior_table_exists():
    from disclosure.derive.registry import cell
    from disclosure.derive.entry_kinds import Registry

    registry = Registry(entries=(
        Family(key="fam", label="款", description="款", tables=("basic",), level=2, block="public"),
        cell("fam.{code}", "{name}", "一个款。", ("basic", "public.{code}", "amount"), family="fam", compare="pct"),
    ))
    acc = example_accounts()
    acc.tables["basic"].rows.append(Row(key="public.30217", label="公务接待费", code="30217", level=2, block="public",
                                        values={"amount": D("2")}, cells={}))
    acc.tables["basic"].__post_init__()
    facts = derive(acc, Project(root=Path(".")), registry)
    assert v(facts, "fam.30217.change") == 2 and "fam.30217.change_pct" not in facts  # new this year: zero base
    assert v(facts, "fam.30201.change") == 0 and v(facts, "fam.30201.change_pct") == 0
    del acc.prior.tables["basic"]
    facts = derive(acc, Project(root=Path(".")), registry)
    assert "fam.30217.change" not in facts and "fam.30201.change" not in facts  # no prior table: no comparison


def test_a_blank_budget_sheet_is_not_a_zero_budget():
    acc = example_accounts()
    budget = acc["budget"]
    for row in budget.rows:
        row.values.clear()
    budget.empty = True
    facts = derive(acc, Project(root=Path(".")))
    assert "gb.budget" not in facts and "budget.grand_total" not in facts
    assert "gb.item.2040201.completion" not in facts


def test_an_average_per_vehicle_is_rounded_once_where_it_is_written():
    """车均运行维护费 keeps its quotient, so 万元 and 元 styles each round it once, half up: 19,550.15元
    is not written 19,600元 (its 1.96万元 × 10,000)."""
    from disclosure.narrative.filters import format_value, format_yuan

    accounts = example_accounts()
    facts = derive(accounts, Project(root=Path(".")))
    per = v(facts, "tp.vehicle_operation.per_vehicle")
    actual, held = v(facts, "tp.vehicle_operation.actual"), v(facts, "tp.vehicles_held")
    assert per == (actual / held).quantize(Decimal("1E-12"), ROUND_HALF_UP)
    assert format_value(per, "万元") == "1.81万元"
    assert format_yuan(Decimal("39.1003") / 20) == "19,550.15元"
