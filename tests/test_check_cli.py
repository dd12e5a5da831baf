"""``disclosure check``: a user who mistypes one cell of the example sees that cell, the rule,
both figures and the difference, and the exit code says so; JSON parses; unreadable input is 2."""
from __future__ import annotations

import io
import json
import shutil
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from disclosure.check.formats import write_rich
from disclosure.pipeline import check_unit_year
from disclosure.cli import main
from disclosure.load import load_accounts
from disclosure.project import load_project

ROOT = Path(__file__).resolve().parents[1]
UNIT = "bayannur-jiaoguan"


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    """A copy of the example project (tables and content of both years)."""
    for part in (f"tables/{UNIT}", f"content/{UNIT}"):
        shutil.copytree(ROOT / part, tmp_path / part)
    if (ROOT / "disclosure.toml").exists():
        shutil.copy(ROOT / "disclosure.toml", tmp_path / "disclosure.toml")
    return tmp_path


def mistype(project: Path, table: str, row: str, column: str, delta: str) -> tuple[str, str, str]:
    """Change one cell of the 2021 workbook; return (sheet!cell, old figure, new figure)."""
    accounts = load_accounts(load_project(project), UNIT, 2021, with_prior=False)
    ref = accounts[table].cell(row, column)
    old = accounts[table].value(row, column)
    new = old + Decimal(delta)
    path = project / f"tables/{UNIT}/2021.xlsx"
    book = openpyxl.load_workbook(path)
    book[ref.sheet][ref.cell].value = float(new)  # what a person typing into Excel stores
    book.save(path)
    return str(ref), f"{old:,.2f}", f"{new:,.2f}"


def test_the_example_passes_with_rounding_notices(project, capsys):
    assert main(["check", str(project)]) == 0
    out = capsys.readouterr().out
    assert "巴彦淖尔市公安局交通管理支队（bayannur-jiaoguan） 2021 年度" in out
    assert "公开01表 收入支出决算总表" in out
    assert "提示  summary.expenditure_grand_total" in out
    assert "舍入差异：收入支出决算总表!F38 总计 6,879.33" in out
    assert out.rstrip().splitlines()[-1].startswith("共检查 2 个单位年度，通过校验：错误 0 条")
    assert "\x1b[" not in out  # piped: no colour codes


def test_a_mistyped_cell_is_named_with_rule_figures_and_difference(project, capsys):
    ref, old, new = mistype(project, "income", "total", "total", "0.30")
    assert main(["check", str(project), "--year", "2021"]) == 1
    out = capsys.readouterr().out
    line = next(l for l in out.splitlines() if "summary_income.year_total" in l)
    assert line.strip().startswith("错误")
    assert f"收入支出决算总表!C35 本年收入合计 {old} ≠ {ref} 合计·本年收入合计 {new}（差 0.30 万元）" in line
    assert "未通过校验：错误" in out.splitlines()[-1]


def test_a_mistyped_leaf_cell_is_caught_by_its_tree_and_row_rules(project, capsys):
    ref, old, new = mistype(project, "expenditure", "2040201", "basic", "-12.5")
    assert main(["check", str(project), "--unit", UNIT, "--year", "2021"]) == 1
    out = capsys.readouterr().out
    errors = [l for l in out.splitlines() if l.strip().startswith("错误")]
    assert any("expenditure.row" in l and ref in l and new in l for l in errors)
    assert any("tree.function" in l and new in l and "差 12.50 万元" in l for l in errors)


def test_json_is_a_stable_sorted_document(project, capsys):
    mistype(project, "three_public", "record", "actual_reception", "5")
    assert main(["check", str(project), "--format", "json"]) == 1
    first = capsys.readouterr().out
    data = json.loads(first)
    assert [(r["unit"], r["year"]) for r in data["results"]] == [(UNIT, 2020), (UNIT, 2021)]
    assert data["summary"]["unit_years"] == 2 and data["summary"]["error"] >= 1
    result = data["results"][1]
    assert result["readable"] and result["summary"]["error"] == data["summary"]["error"]
    error = next(f for f in result["findings"] if f["severity"] == "error")
    assert error["rule"] == "three_public.actual_total"
    assert error["cells"][0]["ref"].startswith("财政拨款“三公”经费支出决算表!")
    assert error["cells"][0]["href"].startswith("tables/three_public.html#cell-three_public-")
    assert main(["check", str(project), "--format", "json"]) == 1
    assert capsys.readouterr().out == first


def test_unreadable_input_exits_2_and_names_the_file(project, capsys):
    (project / "tables/broken").mkdir()
    (project / "tables/broken/2021.xlsx").write_bytes(b"not a workbook at all")
    assert main(["check", str(project)]) == 2
    captured = capsys.readouterr()
    assert captured.out.count("tables/broken/2021.xlsx") == 1  # said once, in the report
    assert "无法读取：tables/broken/2021.xlsx" in captured.out
    assert "Traceback" not in captured.err and "tables/broken" not in captured.err
    last = captured.out.rstrip().splitlines()[-1]
    assert last.startswith("共检查 3 个单位年度，未完成校验") and "通过校验" not in last


@pytest.mark.parametrize("argv, text", [
    (["--unit", "nobody"], "没有单位“nobody”的公开表"),
    (["--year", "1999"], "都没有 1999 年的公开表"),
])
def test_a_selection_matching_nothing_exits_2(project, capsys, argv, text):
    assert main(["check", str(project), *argv]) == 2
    assert text in capsys.readouterr().err


def test_an_empty_project_exits_2_with_advice(tmp_path, capsys):
    assert main(["check", str(tmp_path)]) == 2
    assert "disclosure init" in capsys.readouterr().err


def test_a_terminal_gets_colour_and_the_same_findings(project):
    ref, old, new = mistype(project, "income", "total", "total", "1")
    result = check_unit_year(load_project(project), UNIT, 2021)
    buffer = io.StringIO()
    write_rich([result], buffer, color=True)
    text = buffer.getvalue()
    assert "\x1b[" in text
    assert "summary_income.year_total" in text and "错误" in text
    assert "未通过校验" in text


def test_texts_left_as_init_wrote_them_block_publishing(tmp_path, capsys):
    assert main(["init", "demo-unit", "2021", str(tmp_path), "--name", "示例局"]) == 0
    capsys.readouterr()
    project = load_project(tmp_path)
    result = check_unit_year(project, "demo-unit", 2021)
    assert result.readable, [str(p) for p in result.problems]
    placeholders = [f for f in result.findings if f.rule == "content.placeholder"]
    assert placeholders and all(f.severity == "error" for f in placeholders)
    assert any("content/demo-unit/2021/duties.md" in f.message for f in placeholders)
    # the blank 收入支出决算总表 is an error too: a report of 0.00 everywhere is never published
    assert [f.rule for f in result.findings if f.rule == "summary.empty"] == ["summary.empty"]
    assert main(["build", "--no-kit", str(tmp_path), "--public"]) == 1
    assert not (tmp_path / "site" / "demo-unit" / "2021" / "index.html").exists()


def test_a_reason_under_a_mistyped_key_is_named_with_the_closest_key(tmp_path, capsys):
    import shutil

    from disclosure.check import check_accounts
    from disclosure.content import load_content
    from disclosure.derive import derive
    from disclosure.load import load_accounts

    root = Path(__file__).resolve().parents[1]
    for part in ("tables", "content", "disclosure.toml"):
        src = root / part
        (shutil.copytree if src.is_dir() else shutil.copy)(src, tmp_path / part)
    reasons = tmp_path / "content" / UNIT / "2021" / "reasons.toml"
    reasons.write_text(reasons.read_text(encoding="utf-8").replace('"basic.personnel.change"', '"basic.personel.change"'),
                       encoding="utf-8")
    project = load_project(tmp_path)
    accounts = load_accounts(project, UNIT, 2021)
    findings = check_accounts(accounts, project, content=load_content(project, UNIT, 2021), facts=derive(accounts, project))
    unknown = [f for f in findings if f.rule == "reason.unknown"]
    assert len(unknown) == 1 and unknown[0].severity == "warning"
    assert "“basic.personel.change”" in unknown[0].message and "是否应为“basic.personnel.change”" in unknown[0].message
