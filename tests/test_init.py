"""``disclosure init`` and the blank template: what is written, that it loads back empty, refusals."""
from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from disclosure.cli import main
from disclosure.commands import init as init_cmd
from disclosure.content import load_content
from disclosure.load import load_accounts, read_tables
from disclosure.project import load_project
from disclosure.standard import available_table_sets, load_table_set
from disclosure.blank_workbook import (
    CODE_ROWS,
    MONEY_FORMAT,
    sheet_layout,
    sheet_name,
    template_columns,
    write_blank_workbook,
)


def run_init(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["init", *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def project(tmp_path, capsys) -> Path:
    root = tmp_path / "proj"
    code, out, err = run_init(capsys, "demo-unit", "2022", str(root), "--name", "测试市某某局")
    assert code == 0, err
    return root


def test_init_writes_workbook_content_and_config(project):
    assert (project / "tables" / "demo-unit" / "2022.xlsx").is_file()
    config = load_project(project)
    assert config.table_set == "neimenggu-11"
    unit = project / "content" / "demo-unit"
    assert sorted(p.name for p in unit.iterdir()) == ["2022"]  # the texts are the year's own
    assert {"contact.md", "duties.md", "organization.md", "unit.toml"} <= {p.name for p in (unit / "2022").iterdir()}
    content = load_content(config, "demo-unit", 2022)
    assert content.name == "测试市某某局"
    for key in ("duties", "organization", "contact"):
        assert init_cmd.PLACEHOLDER in content.section(key)
    assert "# 主要职能职责" in content.section("duties")


def test_blank_workbook_loads_back_as_empty_tables(project):
    config = load_project(project)
    accounts = load_accounts(config, "demo-unit", 2022)
    table_set = load_table_set("neimenggu-11")
    assert set(accounts.tables) == {t.key for t in table_set}
    for key, table in accounts.tables.items():
        assert table.empty, key
        assert all(not row.values for row in table.rows), key
    assert accounts.unit_name == "测试市某某局"
    assert accounts.prior is None
    # the fixed rows are there, with their cells, ready to be filled
    summary = accounts["summary"]
    assert str(summary.cell("income.year_total", "amount")) == "收入支出决算总表!C35"
    assert str(summary.cell("expenditure.grand_total", "amount")) == "收入支出决算总表!F38"
    assert accounts["basic"].cell("public.total", "amount").cell == "I31"
    assert accounts["info"].row("vehicles_total").unit == "辆"


def test_blank_workbook_layout_and_styles(project):
    wb = openpyxl.load_workbook(project / "tables" / "demo-unit" / "2022.xlsx")
    assert wb.sheetnames == [sheet_name(t) for t in load_table_set("neimenggu-11")]
    ws = wb["收入支出决算总表"]
    assert ws["A1"].value == "收入支出决算总表" and ws["A1"].font.bold
    assert "A1:F1" in {str(r) for r in ws.merged_cells.ranges}
    assert ws["A2"].value == "编制单位：测试市某某局"
    assert ws["C2"].value == "2022年度"
    assert ws["F2"].value == "公开01表"
    assert ws["F3"].value == "单位：万元"
    assert [ws.cell(4, c).value for c in (1, 4)] == ["收入", "支出"]
    assert [ws.cell(5, c).value for c in range(1, 7)] == ["项目", "行次", "决算数", "项目", "行次", "决算数"]
    assert ws["A35"].value == "本年收入合计" and ws["D35"].value == "本年支出合计"
    assert ws["A38"].value == "总计" and ws["D38"].value == "总计"
    assert ws["C35"].number_format == MONEY_FORMAT
    assert ws.freeze_panes == "A6"
    three = wb["财政拨款“三公”经费支出决算表"]
    merged = {str(r) for r in three.merged_cells.ranges}
    assert {"A4:F4", "G4:L4", "C5:E5", "I5:K5", "A5:A6"} <= merged
    assert [three.cell(6, c).value for c in (3, 4, 5)] == ["小计", "公务用车购置费", "公务用车运行费"]
    basic = wb["一般公共预算财政拨款基本支出决算明细表"]
    assert {"A4:C4", "D4:I4", "A31:B31", "D31:H31"} <= {str(r) for r in basic.merged_cells.ranges}
    assert basic["A31"].value == "人员经费合计" and basic["D31"].value == "公用经费合计"
    projects = wb["项目收入支出决算表"]
    assert [projects.cell(r, 4).value for r in (4, 5)] == ["本年收入", "小计"]
    assert projects["B6"].value == "合计"
    info = wb["机关运行经费支出、国有资产占用情况及政府采购支出信息表"]
    assert [info.cell(4, c).value for c in (1, 2, 3)] == ["项目", "计量单位", "统计数"]
    assert (info["A12"].value, info["B12"].value) == ("车辆数合计", "辆")
    budget = wb["年初预算数表"]
    assert budget["C2"].value is None and budget["B2"].value == "2022年度"  # unpublished: no 公开NN表
    assert [budget.cell(4, c).value for c in range(1, 5)] == ["科目编码", "科目名称", "年初预算数", "调整预算数"]
    assert [budget.cell(r, 2).value for r in (5, 6, 7)] == ["收入支出总计", "财政拨款收入支出总计", "一般公共预算财政拨款支出合计"]
    assert budget["A8"].number_format == "@"


def test_budget_columns_enter_only_on_the_budget_sheet():
    ts = load_table_set("neimenggu-11")
    assert [c.key for c in template_columns(ts.get("general_budget"), ts)] == ["total", "basic", "project"]
    assert [c.key for c in template_columns(ts.get("budget"), ts)] == ["initial", "adjusted"]
    # without the set, every column of the spec is written
    assert len(template_columns(ts.get("general_budget"))) == 5
    lay = sheet_layout(ts.get("income"), ts)
    assert len(lay.code_slots()) == CODE_ROWS
    assert lay.cell("total", "fiscal") == "D5"


@pytest.mark.parametrize("set_name", available_table_sets())
def test_every_table_set_writes_a_blank_that_loads_empty(tmp_path, set_name):
    table_set = load_table_set(set_name)
    path = tmp_path / "t" / "2021.xlsx"
    write_blank_workbook(path, table_set, unit_name="某单位", year=2021)
    loaded = read_tables(path, table_set, display_path="t/2021.xlsx", year=2021)
    # a supplementary sheet (national-9's 补充信息表) left blank is as if absent
    assert set(loaded.tables) == {t.key for t in table_set if not t.supplementary}
    assert all(t.empty for t in loaded.tables.values())
    assert not list(tmp_path.glob("t/.tmp-*"))


def test_init_with_another_table_set(tmp_path, capsys):
    code, _, err = run_init(capsys, "x", "2021", str(tmp_path), "--table-set", "national-9")
    assert code == 0, err
    assert 'table_set = "national-9"' in (tmp_path / "disclosure.toml").read_text(encoding="utf-8")
    wb = openpyxl.load_workbook(tmp_path / "tables" / "x" / "2021.xlsx", read_only=True)
    assert len(wb.sheetnames) == 11  # 9 published, 年初预算数表, 补充信息表
    unit_toml = (tmp_path / "content" / "x" / "2021" / "unit.toml").read_text(encoding="utf-8")
    assert 'name = ""   # 请填写单位全称' in unit_toml
    accounts = load_accounts(load_project(tmp_path), "x", 2021)
    assert accounts.table_set == "national-9" and all(t.empty for t in accounts.tables.values())


def test_init_refuses_to_overwrite_the_workbook(project, capsys):
    book = project / "tables" / "demo-unit" / "2022.xlsx"
    before = book.read_bytes()
    code, out, err = run_init(capsys, "demo-unit", "2022", str(project))
    assert code == 2
    assert err.strip() == "错误：tables/demo-unit/2022.xlsx：文件已存在，init 不会覆盖它。若要重新生成，请先移走或删除该文件。"
    assert book.read_bytes() == before
    assert 'name = "测试市某某局"' in (project / "content" / "demo-unit" / "2022" / "unit.toml").read_text(encoding="utf-8")


def test_init_refuses_when_the_year_exists_in_another_format(tmp_path, capsys):
    folder = tmp_path / "tables" / "u"
    folder.mkdir(parents=True)
    (folder / "2021.ods").write_bytes(b"not really")
    code, _, err = run_init(capsys, "u", "2021", str(tmp_path))
    assert code == 2
    assert "tables/u/2021.ods：文件已存在" in err
    assert not (folder / "2021.xlsx").exists()
    assert not (tmp_path / "content").exists()


def test_a_name_contradicting_unit_toml_is_refused(project, capsys):
    code, _, err = run_init(capsys, "demo-unit", "2023", str(project), "--name", "另一个局")
    assert code == 2
    assert err.startswith("错误：content/demo-unit/2022/unit.toml：这里的单位名称是“测试市某某局”，与 --name “另一个局”不同")
    assert not (project / "tables" / "demo-unit" / "2023.xlsx").exists()
    code, _, err = run_init(capsys, "demo-unit", "2023", str(project), "--name", "测试市某某局")
    assert code == 0, err


def test_second_year_keeps_content_and_takes_the_name(project, capsys):
    duties = project / "content" / "demo-unit" / "2022" / "duties.md"
    duties.write_text("# 主要职能职责\n\n已写好的职责。\n", encoding="utf-8")
    code, out, err = run_init(capsys, "demo-unit", "2023", str(project))
    assert code == 0, err
    assert "已创建：tables/demo-unit/2023.xlsx" in out
    assert "已创建：content/demo-unit/2023/duties.md" in out
    assert duties.read_text(encoding="utf-8") == "# 主要职能职责\n\n已写好的职责。\n"
    copied = project / "content" / "demo-unit" / "2023" / "duties.md"
    assert copied.read_text(encoding="utf-8") == "# 主要职能职责\n\n已写好的职责。\n"
    ws = openpyxl.load_workbook(project / "tables" / "demo-unit" / "2023.xlsx")["收入决算表"]
    assert ws["A2"].value == "编制单位：测试市某某局" and ws["E2"].value == "2023年度"
    accounts = load_accounts(load_project(project), "demo-unit", 2023)
    assert accounts.prior is not None and accounts.prior.year == 2022


@pytest.mark.parametrize(
    "unit,year,message",
    [
        ("Demo", "2021", "单位代号“Demo”不可用"),
        ("巴彦淖尔", "2021", "单位代号“巴彦淖尔”不可用"),
        ("a b", "2021", "单位代号“a b”不可用"),
        ("_x", "2021", "单位代号“_x”不可用"),
        ("demo", "21", "年度“21”不可用：请写四位数字年份"),
        ("demo", "3021", "年度“3021”不可用"),
        ("demo", "二〇二一", "年度“二〇二一”不可用"),
    ],
)
def test_bad_slug_or_year_is_refused_and_nothing_written(tmp_path, capsys, unit, year, message):
    root = tmp_path / "new"
    code, out, err = run_init(capsys, unit, year, str(root))
    assert code == 2
    assert err.startswith("错误：") and message in err
    assert "Traceback" not in err
    assert not root.exists()


def test_unknown_table_set_is_refused(tmp_path, capsys):
    code, _, err = run_init(capsys, "demo", "2021", str(tmp_path / "p"), "--table-set", "guangxi-99")
    assert code == 2
    assert "未知的公开表套表“guangxi-99”" in err
    assert not (tmp_path / "p").exists()


def test_project_path_that_is_a_file_is_refused(tmp_path, capsys):
    f = tmp_path / "file.txt"
    f.write_text("x", encoding="utf-8")
    code, _, err = run_init(capsys, "demo", "2021", str(f))
    assert code == 2 and "不是文件夹" in err


def test_a_feature_scaffold_adds_an_option_and_a_file(tmp_path, capsys, monkeypatch):
    """A feature listed in features.py brings its own init option and file; nothing registers on import."""
    from disclosure import features
    from disclosure.hooks import Feature, PlannedFile, Scaffold

    def add(parser):
        parser.add_argument("--monitoring", default=None)

    def plan(ctx):
        if not ctx.args.monitoring:
            return []
        path = ctx.root / "tables" / ctx.unit / f"{ctx.year}-monitoring.txt"
        return [PlannedFile(path, lambda p: p.write_text(ctx.args.monitoring, encoding="utf-8"))]

    listed = tuple(f for f in features.FEATURES if f.name != "monitoring")
    monkeypatch.setattr(features, "FEATURES", (*listed, Feature("monitoring", scaffold=Scaffold("monitoring", plan, add))))
    assert [s.name for s in init_cmd.scaffolds()] == ["config", "workbook", "content", "performance", "monitoring"]
    code, out, err = run_init(capsys, "m", "2021", str(tmp_path), "--monitoring", "2021-06-30")
    assert code == 0, err
    assert (tmp_path / "tables" / "m" / "2021-monitoring.txt").read_text(encoding="utf-8") == "2021-06-30"
    # a planned new file that exists refuses the whole run before anything is written
    (tmp_path / "tables" / "m" / "2022-monitoring.txt").write_text("old", encoding="utf-8")
    code, out, err = run_init(capsys, "m", "2022", str(tmp_path), "--monitoring", "2022-06-30")
    assert code == 2 and "tables/m/2022-monitoring.txt：文件已存在" in err
    assert not (tmp_path / "tables" / "m" / "2022.xlsx").exists()


def test_a_new_year_is_pinned_with_the_projects_switches(project, capsys):
    config = project / "disclosure.toml"
    config.write_text(config.read_text(encoding="utf-8")
                      + '\n[project.switches]\nlist_zero = true\nprior_amount = ["three_public"]\n', encoding="utf-8")
    code, out, err = run_init(capsys, "demo-unit", "2023", str(project))
    assert code == 0, err
    text = config.read_text(encoding="utf-8")
    assert 'style = "neimenggu-11"\nswitches = { list_zero = true, prior_amount = ["three_public"] }\n' in text
    pinned = load_project(project)
    assert pinned.year_switches[2023] == {"list_zero": True, "prior_amount": ["three_public"]}
    assert 2022 not in pinned.year_switches  # pinned before the switches were set: it keeps its wording
