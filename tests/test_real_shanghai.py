"""上海 2024 reports transcribed row by row (tests/fixtures/real/make_shanghai.py): the published tables,
0.01 rounding differences and all, load under national-9, check without errors (only the rounding notices
the published tables themselves have) and build into a report that states the published figures."""
from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path

import pytest

from disclosure.cli import main
from disclosure.load import load_accounts
from disclosure.pipeline import check_unit_year
from disclosure.project import load_project

REAL = Path(__file__).parent / "fixtures" / "real"
sys.path.insert(0, str(REAL))
from make_shanghai import PROJECTS  # noqa: E402

ALLOWED = {"prior.missing", "budget.missing", "reason.missing"}
# the notices of the published tables: each a 0.01–0.02 万元 difference printed in the report's own tables
NOTICES = {
    "shanghai-caizheng-2024": {"summary_expenditure.classes", "tree.function", "fiscal_general.classes",
                               "tree.economic_personnel", "tree.economic_public"},
    "shanghai-shegong-2024": {"general_basic.total", "tree.economic_public"},
    "shanghai-guihua-2024": {"summary_expenditure.classes", "tree.fiscal_summary", "fiscal_general.classes",
                             "general_budget.row", "tree.economic_public", "basic.personnel"},
}
# the figures each report states in its 第三部分 (万元 as the report page prints them)
STATED = {
    "shanghai-caizheng-2024": ["2,995.39万元", "2,946.25万元", "2,940.05万元", "99.79%", "6.20万元", "0.21%", "2,336.91万元",
                               "79.49%", "603.14万元", "20.51%", "2,106.66万元", "326.72万元", "11.11%", "60.99万元", "2.07%",
                               "445.69万元", "15.16%", "2,152.26万元", "184.65万元", "1,511.89万元", "449.52万元", "258.50万元"],
    "shanghai-shegong-2024": ["307.82万元", "105.58万元", "34.30%", "202.24万元", "65.70%", "264.87万元", "86.05%", "10.82万元",
                              "3.52%", "2.71万元", "0.88%", "29.42万元", "95.36万元", "10.23万元", "21.07万元", "51.32万元",
                              "11.31万元", "6.18万元", "4.64万元", "17.70万元", "11.72万元"],
    "shanghai-guihua-2024": ["9,859.38万元", "9,746.50万元", "100.00%", "9,759.38万元", "5,377.64万元", "55.10%", "4,381.74万元",
                             "44.90%", "754.75万元", "7.74%", "3,832.36万元", "39.32%", "4,461.67万元", "45.78%", "461.08万元",
                             "4.73%", "480.66万元", "2.85万元", "0.39万元", "1,092.80万元", "2,739.56万元", "4,416.67万元"],
}


def test_every_shanghai_project_is_written_and_named_in_the_readme():
    readme = (REAL / "README.md").read_text(encoding="utf-8")
    for name, (slug, _, year, _, fmt) in PROJECTS.items():
        assert f"`{name}/`" in readme
        assert (REAL / name / "tables" / slug / f"{year}.{fmt}").is_file()


@pytest.mark.parametrize("name", list(PROJECTS))
def test_the_transcribed_tables_check_with_only_their_published_rounding_notices(name):
    slug, _, year, _, _ = PROJECTS[name]
    result = check_unit_year(load_project(REAL / name), slug, year)
    assert result.problems == []
    assert result.errors == [], [f.message for f in result.errors]
    rules = {f.rule for f in result.findings}
    assert rules <= ALLOWED | NOTICES[name]
    assert {f.rule for f in result.findings if f.severity == "notice"} == NOTICES[name]


@pytest.mark.parametrize("name", list(PROJECTS))
def test_the_built_report_states_the_published_figures(name, tmp_path):
    slug, _, year, _, _ = PROJECTS[name]
    out = tmp_path / "site"
    assert main(["build", "--no-kit", str(REAL / name), "--out", str(out)]) == 0
    page = (out / slug / str(year) / "index.html").read_text(encoding="utf-8")
    assert [f for f in STATED[name] if f not in page] == []


def test_split_codes_with_every_part_on_every_row_and_a_total_at_the_foot():
    """财政局: 类 | 款 | 项 each printed on every row (201 | 06 | 01), the 05表 合计 after its lines."""
    accounts = load_accounts(load_project(REAL / "shanghai-caizheng-2024"), "putuo-caizheng", 2024)
    gb = accounts.tables["general_budget"]
    assert gb.value("2010601", "total") == Decimal("1511.89")
    assert gb.value("total", "basic") == Decimal("2336.91")
    # 公开01表 states its own 类 (326.71) beside the 326.72 of 03表: both are kept as printed
    assert accounts.tables["summary"].value("expenditure.208", "amount") == Decimal("326.71")
    assert accounts.tables["expenditure"].value("208", "total") == Decimal("326.72")


def test_the_2024_section_of_social_work_is_placed_by_its_code():
    """社工部: 20139 社会工作事务, a 款 of the 2024 list, in one 科目编码 column of an .ods."""
    accounts = load_accounts(load_project(REAL / "shanghai-shegong-2024"), "putuo-shegong", 2024)
    assert accounts.tables["expenditure"].value("20139", "project") == Decimal("202.24")
    assert accounts.tables["three_public"].empty


def test_a_department_of_five_units_with_names_indented_by_spaces_in_an_xls():
    """规划和自然资源局: sheets 表一…表九, 基本支出 款 names after three spaces, 0.00 in the 项目支出 column, 项目支出
    from 年初结转 (本年支出 9,759.38 over 本年收入 9,746.50)."""
    accounts = load_accounts(load_project(REAL / "shanghai-guihua-2024"), "putuo-guihua", 2024)
    basic = accounts.tables["basic"]
    assert basic.sheet == "表六" and basic.value("personnel.30107", "amount") == Decimal("1594.02")
    assert accounts.tables["expenditure"].value("2200199", "basic") == Decimal("0")
    assert accounts.tables["summary"].value("income.opening_balance", "amount") == Decimal("112.88")
