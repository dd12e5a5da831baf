"""The mistakes finance officers make (issue 15), each on a copy of the example project: ``check``
says the mistake once, naming its cells, with the right exit code, and ``build`` leaves the site
published before the mistake byte-identical."""
from __future__ import annotations

import hashlib
import shutil
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from disclosure.cli import main
from disclosure.load import load_accounts
from disclosure.project import load_project

ROOT = Path(__file__).resolve().parents[1]
UNIT = "bayannur-jiaoguan"


def digest(site: Path) -> dict[str, str]:
    """sha256 of every file under the site, by relative path."""
    return {p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(site.rglob("*")) if p.is_file()}


@pytest.fixture()
def published(tmp_path: Path, capsys: pytest.CaptureFixture) -> tuple[Path, dict[str, str]]:
    """A copy of the example project with its public site built: (project, digest of site/)."""
    for part in (f"tables/{UNIT}", f"content/{UNIT}", "content/glossary.md", "disclosure.toml"):
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, tmp_path / part)
        elif source.exists():
            (tmp_path / part).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(source, tmp_path / part)
    assert main(["build", "--no-kit", str(tmp_path), "--out", str(tmp_path / "site")]) == 0
    capsys.readouterr()
    return tmp_path, digest(tmp_path / "site")


def set_cells(project: Path, year: int, changes: list[tuple[str, str, str, object]]) -> list[str]:
    """Type new values into the year's workbook: (table, row, column, value); returns sheet!cell."""
    accounts = load_accounts(load_project(project), UNIT, year, with_prior=False)
    path = project / f"tables/{UNIT}/{year}.xlsx"
    book = openpyxl.load_workbook(path)
    refs = []
    for table, row, column, value in changes:
        ref = accounts[table].cell(row, column)
        book[ref.sheet][ref.cell].value = float(value) if isinstance(value, Decimal) else value
        refs.append(str(ref))
    book.save(path)
    return refs


def check(project: Path, capsys: pytest.CaptureFixture, *args: str) -> tuple[int, str, str]:
    code = main(["check", str(project), *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def assert_site_kept(project: Path, before: dict[str, str], capsys: pytest.CaptureFixture) -> int:
    """Build again after the mistake: every file of the published site is unchanged."""
    code = main(["build", "--no-kit", str(project), "--out", str(project / "site")])
    capsys.readouterr()
    assert digest(project / "site") == before
    return code


def lines_with(out: str, text: str) -> list[str]:
    return [line for line in out.splitlines() if text in line]


# ── counts summed like amounts (issue 20's leftover) ─────────────────────────────────────────

def test_a_vehicle_total_off_its_rows_is_an_error_naming_the_cells(published, capsys):
    project, before = published
    (total,) = set_cells(project, 2021, [("info", "vehicles_total", "amount", 104)])
    code, out, _ = check(project, capsys, "--year", "2021")
    assert code == 1
    (line,) = lines_with(out, "info.vehicles")
    assert line.strip().startswith("错误")
    assert (f"{total} 车辆数合计 104 辆 ≠ 机关运行经费支出、国有资产占用情况及政府采购支出信息表!C17 执法执勤用车 103 辆"
            in line)
    assert "（差 1 辆）" in line and "万元" not in line
    assert assert_site_kept(project, before, capsys) == 1


def test_a_blank_vehicle_breakdown_is_not_compared(published, capsys):
    project, _ = published
    set_cells(project, 2021, [("info", f"vehicles_{kind}", "amount", None) for kind in (
        "ministerial", "leaders", "confidential", "emergency", "law_enforcement", "special", "retired",
        "general", "other")])
    code, out, _ = check(project, capsys, "--year", "2021")
    assert code == 0 and "info.vehicles" not in out


# ── 6: a folder that cannot be a unit fails alone, in check as in build ──────────────────────

def test_a_chinese_unit_folder_fails_alone_in_check(published, capsys):
    project, before = published
    (project / "tables/交管支队").mkdir()
    shutil.copy(project / f"tables/{UNIT}/2021.xlsx", project / "tables/交管支队/2021.xlsx")
    code, out, err = check(project, capsys)
    assert code == 2
    assert out.count("文件夹名“交管支队”不能用作单位代号") == 1 and "交管支队" not in err
    assert "请把 tables/交管支队 改名" in out and "content/交管支队" not in out  # only folders that exist
    assert f"（{UNIT}） 2021 年度" in out and f"（{UNIT}） 2020 年度" in out  # the valid unit is checked
    last = out.rstrip().splitlines()[-1]
    assert last.startswith("共检查 2 个单位年度，未完成校验") and "另有 1 个文件夹不能用作单位" in last
    assert assert_site_kept(project, before, capsys) == 1


# ── 7: the wrong-year error is said once, and the summary never says 通过 ─────────────────────

def test_a_workbook_renamed_to_another_year_is_said_once(published, capsys):
    project, before = published
    shutil.copy(project / f"tables/{UNIT}/2021.xlsx", project / f"tables/{UNIT}/2022.xlsx")
    code, out, err = check(project, capsys)
    assert code == 2
    (line,) = lines_with(out, "表上写的是2021年度")
    assert line.strip().startswith(f"无法读取：tables/{UNIT}/2022.xlsx：收入支出决算总表!C2、收入决算表!E2、支出决算表!D2 等 12 张工作表：")
    assert "文件放在2022年的位置" in line and err == ""
    last = out.rstrip().splitlines()[-1]
    assert "未完成校验" in last and "通过校验" not in last
    assert "另有 1 个单位年度的输入无法读取" in last
    assert assert_site_kept(project, before, capsys) == 2  # build: input that cannot be read


# ── 2: the year-to-year chain ─────────────────────────────────────────────────────────────────

def carry_twelve_more(project: Path) -> list[str]:
    """2021's 年初结转和结余 12.00 above 2020's 年末 (1,151.10), every 2021 identity kept."""
    return set_cells(project, 2021, [
        ("summary", "income.opening_balance", "amount", Decimal("1163.10")),
        ("summary", "income.grand_total", "amount", Decimal("6891.33")),
        ("summary", "expenditure.closing_balance", "amount", Decimal("1073.97")),
        ("summary", "expenditure.grand_total", "amount", Decimal("6891.33")),
    ])


def test_an_opening_balance_off_last_years_closing_is_an_error_naming_both_cells(published, capsys):
    project, before = published
    opening, *_ = carry_twelve_more(project)
    code, out, _ = check(project, capsys, "--year", "2021")
    assert code == 1
    errors = [l.strip() for l in out.splitlines() if l.strip().startswith("错误")]
    assert len(errors) == 1, errors  # said once: the carried-over money, nothing else
    assert "chain.summary" in errors[0]
    assert (f"{opening} 年初结转和结余 1,163.10 ≠ 2020 年收入支出决算总表!F37 年末结转和结余 1,151.10"
            "（差 12.00 万元）：本年的年初数应等于上年的年末数" in errors[0])
    assert f"tables/{UNIT}/2020.xlsx 收入支出决算总表!F37" in errors[0]  # the prior year's file is named
    assert "opening_balance.adjustment" in errors[0]
    assert assert_site_kept(project, before, capsys) == 1


def test_a_stated_adjustment_makes_the_chain_difference_a_warning(published, capsys):
    project, before = published
    carry_twelve_more(project)
    reasons = project / f"content/{UNIT}/2021/reasons.toml"
    text = reasons.read_text(encoding="utf-8").replace(
        "[reasons]\n", '[reasons]\n"opening_balance.adjustment" = "根据财政部门批复调整年初结转和结余12.00万元"\n', 1)
    reasons.write_text(text, encoding="utf-8")
    code, out, _ = check(project, capsys, "--year", "2021")
    assert code == 0
    (line,) = lines_with(out, "chain.summary")
    assert line.strip().startswith("警告") and "说明了调整（“根据财政部门批复调整年初结转和结余12.00万元”）" in line
    assert "reason.unknown" not in out  # the key is known to check
    assert main(["build", "--no-kit", str(project), "--out", str(project / "site")]) == 0
    capsys.readouterr()
    after = digest(project / "site")
    assert {k: v for k, v in after.items() if f"/{UNIT}/2020/" in f"/{k}"} == \
        {k: v for k, v in before.items() if f"/{UNIT}/2020/" in f"/{k}"}  # last year's pages untouched


def test_the_chain_holds_per_fund_in_the_fiscal_summary(published, capsys):
    project, before = published
    set_cells(project, 2021, [
        ("fiscal_summary", "income.opening_balance", "amount", Decimal("1163.10")),
        ("fiscal_summary", "income.opening_general", "amount", Decimal("1163.10")),
        ("fiscal_summary", "income.grand_total", "amount", Decimal("6891.33")),
        ("fiscal_summary", "expenditure.closing_balance", "total", Decimal("1073.97")),
        ("fiscal_summary", "expenditure.closing_balance", "general", Decimal("1073.97")),
        ("fiscal_summary", "expenditure.grand_total", "total", Decimal("6891.33")),
        ("fiscal_summary", "expenditure.grand_total", "general", Decimal("6891.33")),
    ])
    code, out, _ = check(project, capsys, "--year", "2021")
    assert code == 1
    rules = {l.split()[1] for l in out.splitlines() if l.strip().startswith("错误")}
    assert rules == {"chain.fiscal_summary", "chain.fiscal_general"}
    (general,) = lines_with(out, "chain.fiscal_general")
    assert ("财政拨款收入支出决算总表!C37 年初财政拨款结转和结余·一般公共预算财政拨款 1,163.10 ≠ "
            "2020 年财政拨款收入支出决算总表!G36 年末财政拨款结转和结余·一般公共预算财政拨款 1,151.10（差 12.00 万元）") in general
    assert assert_site_kept(project, before, capsys) == 1


# ── 3: half-filled 绩效 inputs ────────────────────────────────────────────────────────────────

HALF_FILLED = """# 只填了三个数
[figures]
staff_quota = 656
staff_actual = 507

[self_scores]
staff_control = 1
"""


def test_half_filled_performance_inputs_list_what_is_missing_and_state_no_score(published, capsys, tmp_path):
    project, before = published
    (project / f"content/{UNIT}/2021/performance.toml").write_text(HALF_FILLED, encoding="utf-8")
    code, out, _ = check(project, capsys, "--year", "2021")
    assert code == 1
    (line,) = lines_with(out, "performance.incomplete")
    assert line.strip().startswith("错误")
    assert f"content/{UNIT}/2021/performance.toml 只填写了部分绩效输入，得分无法按评分标准完整计算：缺少 " in line
    assert "figures.key_project_budget（重点项目支出）" in line and "self_scores.goal_rationality（" in line
    assert "figures.staff_quota" not in line and "self_scores.staff_control" not in line  # those were typed
    assert "公开版不予发布" in line
    assert assert_site_kept(project, before, capsys) == 1  # the public build refuses the unit-year
    # even a draft states no partial score, neither computed nor self-assessed
    for extra in ([], ["--review"]):
        out_dir = tmp_path / f"draft{len(extra)}"
        assert main(["build", "--no-kit", str(project), "--out", str(out_dir), "--allow-errors", *extra]) == 0
        capsys.readouterr()
        page = (out_dir / UNIT / "2021" / "index.html").read_text(encoding="utf-8")
        assert "根据预算绩效管理要求，本单位对2021年度部门整体支出开展了绩效自评" in page
        assert "自评得分" not in page and "计算得分" not in page


def test_complete_performance_inputs_still_state_the_score(published):
    project, _ = published
    page = (project / "site" / UNIT / "2021" / "index.html").read_text(encoding="utf-8")
    assert "部门整体支出绩效自评得分95.00分（满分100分）" in page


# ── 1: magnitude mistakes (元 under 万元, 万元 under 元) ───────────────────────────────────────

def scale(project: Path, year: int, factor: int, tables: set[str] | None = None) -> None:
    """Multiply every typed amount of the year's workbook (or of some tables) by ``factor``; counts,
    scores and rates stay as they are: what an export in 元 under the 万元 template looks like."""
    accounts = load_accounts(load_project(project), UNIT, year, with_prior=False)
    path = project / f"tables/{UNIT}/{year}.xlsx"
    book = openpyxl.load_workbook(path)
    for key, table in accounts.tables.items():
        if tables is not None and key not in tables:
            continue
        money = {c.key for c in table.spec.all_columns() if not c.unit}
        for row in table.rows:
            for column, ref in row.cells.items():
                cell = book[ref.sheet][ref.cell]
                if not row.unit and column in money and isinstance(cell.value, (int, float)):
                    cell.value = float(Decimal(str(cell.value)) * factor)
    book.save(path)


def header_in_yuan(project: Path, year: int, sheet: str) -> None:
    """The sheet's “单位：万元” changed to “单位：元”, its figures left as they are."""
    path = project / f"tables/{UNIT}/{year}.xlsx"
    book = openpyxl.load_workbook(path)
    for row in book[sheet].iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and "单位" in cell.value and "万元" in cell.value:
                cell.value = cell.value.replace("万元", "元")
    book.save(path)


def test_a_workbook_typed_in_yuan_under_wan_headers_is_one_error(published, capsys):
    project, before = published
    scale(project, 2021, 10000)
    code, out, _ = check(project, capsys, "--year", "2021")
    assert code == 1
    errors = [l.strip() for l in out.splitlines() if l.strip().startswith("错误")]
    assert len(errors) == 1 and "magnitude.unit" in errors[0], errors  # its consequences are not repeated
    line = errors[0]
    assert "收入支出决算总表、收入决算表、支出决算表等 10 张表的数额看起来是以元填写的，而表头写的是“单位：万元”" in line
    assert "收入支出决算总表!C38 总计 68,793,300.00 是 2020 年收入支出决算总表!C38 总计 7,502.22 的约 9,170 倍" in line
    assert "请确认单位：元" in line
    assert "886622.91%" not in out and "chain." not in out  # the 10⁴ change and the broken chain are its consequences
    assert assert_site_kept(project, before, capsys) == 1


def test_one_sheet_in_yuan_is_named_alone(published, capsys):
    project, before = published
    scale(project, 2021, 10000, {"three_public"})
    code, out, _ = check(project, capsys, "--year", "2021")
    assert code == 1
    errors = [l.strip() for l in out.splitlines() if l.strip().startswith("错误")]
    assert len(errors) == 1, errors
    assert errors[0].split("magnitude.unit", 1)[1].strip().startswith(
        "财政拨款“三公”经费支出决算表的数额看起来是以元填写的")
    assert "财政拨款“三公”经费支出决算表!G7 合计（决算数） 3,761,800.00 是 2020 年财政拨款“三公”经费支出决算表!G7" in errors[0]
    assert assert_site_kept(project, before, capsys) == 1


def test_wan_under_a_yuan_header_asks_to_confirm_wan(published, capsys):
    project, before = published
    header_in_yuan(project, 2021, "财政拨款“三公”经费支出决算表")
    code, out, _ = check(project, capsys, "--year", "2021")
    assert code == 1
    (line,) = lines_with(out, "magnitude.unit")
    assert "财政拨款“三公”经费支出决算表的数额看起来是以万元填写的，而表头写的是“单位：元”" in line
    assert "G7 合计（决算数） 376.18 元（即 0.04 万元） 只有 2020 年财政拨款“三公”经费支出决算表!G7 合计（决算数） 486.63 的约 1/12,936" in line
    assert "请确认单位：万元" in line
    assert assert_site_kept(project, before, capsys) == 1


def test_a_first_year_in_yuan_is_told_by_bounds_and_per_person_cost(published, capsys):
    project, before = published
    organization = project / "content" / "bayannur-jiaoguan" / "2020" / "organization.md"
    organization.write_text(organization.read_text(encoding="utf-8") + "\n实有人数 507 人。\n", encoding="utf-8")
    scale(project, 2020, 10000)
    code, out, _ = check(project, capsys, "--year", "2020")
    assert code == 1
    (line,) = lines_with(out, "magnitude.unit")
    assert "每人每年" in line and "实有人数 507 人（organization.md 中的“实有人数 507 人”）" in line
    assert "收入支出决算总表!C38 总计 75,022,200.00 超过一个部门可能的规模（500.00 亿元）" in line
    assert "请确认单位：元" in line
    assert len([l for l in out.splitlines() if l.strip().startswith("错误")]) == 1
    assert assert_site_kept(project, before, capsys) == 1


def test_a_year_in_yuan_is_told_by_the_staff_count_performance_toml_states(published, capsys):
    project, _ = published
    (project / f"tables/{UNIT}/2020.xlsx").unlink()  # no last year to compare with
    scale(project, 2021, 10000)
    code, out, _ = check(project, capsys, "--year", "2021")
    assert code == 1
    (line,) = lines_with(out, "magnitude.unit")
    assert f"÷ 实有人数 507 人（content/{UNIT}/2021/performance.toml［figures.staff_actual］）= 每人每年" in line


def test_the_example_and_acceptance_projects_are_not_suspect(capsys):
    from disclosure.check.magnitude import evidence
    from disclosure.features import stated_staff_of
    from disclosure.pipeline import run_unit_year

    projects = [ROOT, *(p for p in sorted((ROOT / "tests/fixtures/acceptance").iterdir()) if (p / "tables").is_dir())]
    for root in projects:
        project = load_project(root)
        for unit, year in project.unit_years():
            unit_year = run_unit_year(project, unit, year, narrative=False)
            found = evidence(unit_year.accounts, unit_year.content, stated_staff_of(unit_year.results))
            assert found == [], (root.name, unit, year)


# ── 8: a deleted 项 row, a whole 类 missing under 合计 ─────────────────────────────────────────

def delete_rows(project: Path, year: int, sheet: str, first: int, count: int = 1) -> None:
    path = project / f"tables/{UNIT}/{year}.xlsx"
    book = openpyxl.load_workbook(path)
    book[sheet].delete_rows(first, count)
    book.save(path)


def test_a_deleted_item_row_is_said_to_be_missing(published, capsys):
    project, before = published
    delete_rows(project, 2021, "支出决算表", 9)  # 2040220 执法办案
    code, out, _ = check(project, capsys, "--year", "2021")
    assert code == 1
    errors = [l.strip() for l in out.splitlines() if l.strip().startswith("错误")]
    assert len(errors) == 1, errors  # once, not once per column (本年支出合计, 项目支出)
    assert ("支出决算表!C7 公安·本年支出合计 5,391.03 比其下各行之和 5,356.03 多 35.00 万元：似乎缺少一行 2040220 执法办案"
            "（收入决算表!C9 为 35.00；项目收入支出决算表!D10 为 35.00；一般公共预算财政拨款支出决算表!C9 为 35.00）。"
            "请补上这一行，不必改动其他行") in errors[0]
    assert "≠" not in errors[0]
    assert assert_site_kept(project, before, capsys) == 1


def test_a_whole_class_missing_under_the_total_is_said_to_be_missing(published, capsys):
    project, before = published
    delete_rows(project, 2021, "支出决算表", 16, 4)  # 210 卫生健康支出 and its 款 and 项
    code, out, _ = check(project, capsys, "--year", "2021")
    assert code == 1
    (line,) = lines_with(out, "tree.function")
    assert ("支出决算表!C5 合计·本年支出合计 5,817.35 比其下各行之和 5,599.77 多 217.58 万元：似乎缺少一行 210 卫生健康支出"
            "（收入支出决算总表!F15 为 217.58") in line
    assert assert_site_kept(project, before, capsys) == 1


def test_a_row_last_year_had_is_named_when_no_other_table_shows_the_gap():
    from disclosure.check import check_accounts
    from factories import make_accounts

    def expenditure(rows):
        return {"expenditure": {"total": {"total": "100"}, **rows}}

    prior = make_accounts(expenditure({"204": {"total": "100"}, "20402": {"total": "100"},
                                       "2040201": {"total": "60"}, "2040202": {"total": "40"}}), year=2020)
    now = make_accounts(expenditure({"204": {"total": "100"}, "20402": {"total": "100"},
                                     "2040201": {"total": "60"}}), year=2021, prior=prior)
    found = [f for f in check_accounts(now, load_project(ROOT), magnitude=False) if f.rule == "tree.function"]
    assert len(found) == 1 and "似乎缺少一行 2040202 " in found[0].message
    assert "（2020 年支出决算表有这一行）" in found[0].message


# ── 4: no 年初预算数表 (the accounting software does not export it) ─────────────────────────────

def test_without_a_budget_sheet_check_warns_once_and_the_report_leaves_the_sentences_out(published, capsys):
    project, before = published
    path = project / f"tables/{UNIT}/2021.xlsx"
    book = openpyxl.load_workbook(path)
    del book["年初预算数表"]
    book.save(path)
    code, out, err = check(project, capsys, "--year", "2021")
    assert code == 0 and err == ""  # a warning: the year can be published
    (line,) = lines_with(out, "年初预算数表不在公开表文件中")
    assert line.strip().startswith("警告") and "报告将略去“预算执行情况分析”一节" in line
    assert main(["build", "--no-kit", str(project), "--out", str(project / "site")]) == 0
    capsys.readouterr()
    after = digest(project / "site")
    page = (project / "site" / UNIT / "2021" / "index.html").read_text(encoding="utf-8")
    assert "6,879.33万元" in page and "年初预算" not in page
    for tool_words in ("未填报", "年初预算数表", "不作决算与年初预算的对比分析", "本部分"):
        assert tool_words not in page
    # the other year's published pages are untouched
    kept = {p: h for p, h in before.items() if p.startswith(f"{UNIT}/2020/")}
    assert kept and all(after[p] == h for p, h in kept.items())
