"""Table sets no published export of the corpus carries (central-9, shaanxi-9, neimenggu-12, yunnan-14),
laid out in each set's published titles and order with the published figures of the 上海 2024 reports
(tests/fixtures/real/make_sets.py): each loads under its set with every table read, checks without
errors (only the rounding notices the published tables have) and is built into a report stating the
published figures."""
from __future__ import annotations

import re
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from disclosure.cli import main
from disclosure.derive import derive
from disclosure.load import load_accounts
from disclosure.pipeline import check_unit_year
from disclosure.project import load_project
from disclosure.standard import load_table_set

REAL = Path(__file__).parent / "fixtures" / "real"
sys.path.insert(0, str(REAL))
from make_sets import PROJECTS  # noqa: E402

ALLOWED = {"prior.missing", "budget.missing", "reason.missing"}
NOTICES = {  # the 0.01–0.02 万元 differences the published 上海 tables print
    "社工部": {"general_basic.total", "tree.economic_public"},
    "财政局": {"summary_expenditure.classes", "tree.function", "fiscal_general.classes", "tree.economic_personnel",
            "tree.economic_public"},
}
STATED = {
    "set-central-2024": ["307.82万元", "105.58万元", "34.30%", "202.24万元", "65.70%", "264.87万元", "10.23万元", "21.07万元"],
    "set-shaanxi-2024": ["2,995.39万元", "2,946.25万元", "2,940.05万元", "2,336.91万元", "603.14万元", "4.05万元",
                         # 陕西 reports state 会议费 and 培训费 beside the 三公 (柞水县审计局 2020: 三公、培训费及会议费支出情况说明)
                         "会议费预算为0.00万元，支出决算为0.00万元；培训费预算为5.00万元，支出决算为4.05万元，完成预算的81.00%",
                         "184.65万元", "251.25万元", "246.47万元"],
    "set-neimenggu-2024": ["307.82万元", "202.24万元", "10.23万元", "21.07万元"],
    "set-yunnan-2024": ["2,946.25万元", "99.79%", "79.49%", "2,940.05万元", "2,336.91万元", "603.14万元", "184.65万元",
                        "251.25万元", "4.79万元", "246.47万元"],
}


def _notices(name: str) -> set[str]:
    notices = NOTICES["社工部" if "社会工作部" in PROJECTS[name][1] else "财政局"]
    # 云南's 补充信息表 carries 政府采购 251.25 = 4.79 + 0 + 246.47 as the report states it (0.01 off)
    return notices | {"info.procurement"} if name in ("set-yunnan-2024", "set-shaanxi-2024") else notices


def test_every_set_project_is_written_and_its_sources_named_in_the_readme():
    readme = (REAL / "README.md").read_text(encoding="utf-8")
    assert set(STATED) == set(PROJECTS)
    for name, (slug, _, year, table_set, _, fmt, source) in PROJECTS.items():
        assert f"`{name}/`" in readme and source in readme and table_set in readme
        assert (REAL / name / "tables" / slug / f"{year}.{fmt}").is_file()


@pytest.mark.parametrize("name", list(PROJECTS))
def test_each_loads_every_table_of_its_set_and_checks_without_errors(name):
    slug, _, year, table_set, *_ = PROJECTS[name]
    project = load_project(REAL / name)
    accounts = load_accounts(project, slug, year)
    assert accounts.table_set == table_set
    published = {s.key for s in load_table_set(table_set).published()}
    assert published <= set(accounts.tables), published - set(accounts.tables)
    assert accounts.notices == []  # no sheet left unread
    result = check_unit_year(project, slug, year)
    assert result.problems == [] and result.errors == [], [f.message for f in result.errors]
    assert {f.rule for f in result.findings} <= ALLOWED | _notices(name)


@pytest.mark.parametrize("name", list(PROJECTS))
def test_the_built_report_states_the_published_figures(name, tmp_path):
    slug, _, year, *_ = PROJECTS[name]
    out = tmp_path / "site"
    assert main(["build", "--no-kit", str(REAL / name), "--out", str(out)]) == 0
    page = re.sub(r"<[^>]+>", "", (out / slug / str(year) / "index.html").read_text(encoding="utf-8"))
    assert [f for f in STATED[name] if f not in page] == []


def test_the_tables_only_these_sets_have_are_read_with_their_figures():
    def load(name):
        slug, _, year, *_ = PROJECTS[name]
        project = load_project(REAL / name)
        return project, load_accounts(project, slug, year)

    # 陕西 七: 会议费 and 培训费 beside the 三公 columns (决算 培训费 = the 基本支出 table's 30216)
    _, shaanxi = load("set-shaanxi-2024")
    tp = shaanxi.tables["three_public"]
    assert tp.value("record", "actual_training") == Decimal("4.05") == shaanxi.tables["basic"].value("public.30216", "amount")
    # 内蒙古 五 项目收入支出决算表, 八 项目支出决算明细表 (经济分类), 十二 信息表 with units in its labels
    project, nmg = load("set-neimenggu-2024")
    assert nmg.tables["projects"].value("2013999", "expenditure") == Decimal("202.24")
    assert nmg.tables["general_budget_projects_detail"].value("total", "total") == Decimal("202.24")
    facts = derive(nmg, project)
    assert facts["operating_cost"].value == Decimal("10.23") and facts["procurement.total"].value == Decimal("21.07")
    # 云南 十 三公 with 机关运行经费, 十二 国有资产使用情况表, 十三/十四 绩效自评表
    project, yn = load("set-yunnan-2024")
    assert yn.tables["three_public"].value("record", "operating_cost") == Decimal("184.65")
    assert yn.tables["assets"].value("record", "total") == Decimal("1250.00")
    assert yn.tables["self_evaluation"].value("funds_total", "executed") == Decimal("2940.05")
    assert yn.tables["project_self_evaluation"].value("funds_total", "initial") == Decimal("450.52")
    # 中央 八 国有资本经营预算财政拨款支出决算表 before 九 三公
    _, central = load("set-central-2024")
    assert (central.tables["state_capital"].sheet, central.tables["three_public"].sheet) == ("GK08", "GK09")


def test_a_blank_cell_of_the_supplementary_sheet_leaves_the_figure_to_the_table_that_states_it():
    """云南: 机关运行经费 is in 十 (三公 with 机关运行经费); the 补充信息表 leaves its row blank. The blank is not a 0 —
    neither for the report (184.65 from 十) nor for the check (no 机关运行经费 0.00 ≠ 公用经费合计 warning)."""
    slug, _, year, *_ = PROJECTS["set-yunnan-2024"]
    project = load_project(REAL / "set-yunnan-2024")
    accounts = load_accounts(project, slug, year)
    assert "operating_cost" not in accounts.tables["info"].row("operating_cost").values
    facts = derive(accounts, project)
    assert facts["operating_cost"].value == Decimal("184.65") and facts["procurement.total"].value == Decimal("251.25")
    assert "info.operating_cost" not in {f.rule for f in check_unit_year(project, slug, year).findings}


# --- 云南 十二 国有资产使用情况表 stated in 第四部分 二、国有资产占用情况 -------------------------------------------
# Published 云南 2023 reports carry the table (十二) and state 国有资产占用情况 under 第四部分 (蒙自市林业和草原局
# 2023, https://www.hhmz.gov.cn/info/5571/443231.htm); the sentence is ours.
_FIG = re.compile(r'<a class="dc-fig"[^>]*href="tables/assets\.html\?from=[^#"]*#cell-assets-([A-Z]+[0-9]+)"[^>]*>([^<]+)</a>')


def _yunnan_copy(tmp_path: Path, **cells) -> Path:
    """The yunnan-14 fixture with cells of its 公开12表 changed (None: left blank)."""
    import shutil

    import openpyxl

    root = tmp_path / "yunnan"
    shutil.copytree(REAL / "set-yunnan-2024", root)
    book = root / "tables" / "cz-yunnan" / "2024.xlsx"
    wb = openpyxl.load_workbook(book)
    for ref, value in cells.items():
        wb["公开12表"][ref] = value
    wb.save(book)
    return root


def _assets_paragraph(root: Path, tmp_path: Path, *options: str) -> tuple[str, str]:
    out = tmp_path / "site"
    assert main(["build", "--no-kit", *options, str(root), "--out", str(out)]) == 0
    html = (out / "cz-yunnan" / "2024" / "index.html").read_text(encoding="utf-8")
    found = html.index("年末，本部门资产总额")
    start = html.index(">", html.rindex("<p", 0, found)) + 1
    raw = html[start: html.index("</p>", found)]
    return raw, re.sub(r"<[^>]+>", "", raw)


def test_the_assets_table_is_stated_each_figure_equal_to_its_cell(tmp_path):
    import openpyxl

    raw, text = _assets_paragraph(REAL / "set-yunnan-2024", tmp_path)
    assert text == ("2024年末，本部门资产总额1,250.00万元。其中：流动资产800.00万元，占资产总额的64.00%；"
                    "固定资产350.00万元（含其他固定资产350.00万元），占资产总额的28.00%；"
                    "无形资产100.00万元，占资产总额的8.00%。")
    sheet = openpyxl.load_workbook(REAL / "set-yunnan-2024" / "tables" / "cz-yunnan" / "2024.xlsx")["公开12表"]
    money = [(ref, shown) for ref, shown in _FIG.findall(raw) if shown.endswith("万元")]
    assert [ref for ref, _ in money] == ["A5", "B5", "C5", "F5", "I5"]
    for ref, shown in money:
        assert Decimal(shown.removesuffix("万元").replace(",", "")) == Decimal(str(sheet[ref].value).replace(",", ""))


def test_a_changed_cell_changes_the_sentence_and_a_blank_one_is_not_stated_as_zero(tmp_path):
    root = _yunnan_copy(tmp_path, A5="1,050.00", B5="700.00", I5=None)
    _, text = _assets_paragraph(root, tmp_path)
    # 700 ÷ 1,050 = 66.666… → 66.67%; 350 ÷ 1,050 = 33.333… → 33.33%; 无形资产 blank: 未填报, no share
    assert text == ("2024年末，本部门资产总额1,050.00万元。其中：流动资产700.00万元，占资产总额的66.67%；"
                    "固定资产350.00万元（含其他固定资产350.00万元），占资产总额的33.33%；无形资产未填报。")
    project = load_project(root)
    facts = derive(load_accounts(project, "cz-yunnan", 2024), project)
    assert "assets.intangible" not in facts and "assets.intangible.share" not in facts
    assert facts["assets.intangible.unfilled"].cells[0].cell == "I5"


def test_a_set_without_the_assets_table_states_nothing_of_it():
    for name in ("set-shaanxi-2024", "set-central-2024"):
        slug, _, year, *_ = PROJECTS[name]
        project = load_project(REAL / name)
        facts = derive(load_accounts(project, slug, year), project)
        assert not [k for k in facts.keys() if k.startswith("assets.") and not k.startswith(("assets.vehicles.", "assets.equipment"))]


def test_the_assets_total_is_compared_with_the_prior_year_when_that_year_has_the_table(tmp_path):
    import openpyxl

    root = _yunnan_copy(tmp_path)
    prior = root / "tables" / "cz-yunnan" / "2023.xlsx"
    prior.write_bytes((root / "tables" / "cz-yunnan" / "2024.xlsx").read_bytes())
    wb = openpyxl.load_workbook(prior)
    wb["公开12表"]["A5"], wb["公开12表"]["B5"] = "1,000.00", "550.00"
    wb.save(prior)
    # --allow-errors: the copied 2023 workbook's 年末结转和结余 is not 2024's 年初 (rule chain.summary)
    _, text = _assets_paragraph(root, tmp_path, "--allow-errors")
    assert text.startswith("2024年末，本部门资产总额1,250.00万元，较上年增加250.00万元，增长25.00%。其中：流动资产800.00万元")
