"""Acceptance on workbooks in styles our template does not write (tests/fixtures/acceptance).

Three departments (corpus.py) — a national-9 事业单位 in 元 with split 类|款|项 codes saved by
LibreOffice as .xlsx and .xls, a yunnan-11 unit with codes before names and indentation levels, and a
neimenggu-11 folder of .xlsx/.ods files with a vertical 三公 table — must check clean, build, and
state in 第二部分 the figures computed here from the numbers typed into their cells.
"""
from __future__ import annotations

import json
import re
import shutil
import sys
import zipfile
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest

from disclosure.pipeline import check_unit_year
from disclosure.cli import main
from disclosure.content import load_content
from disclosure.derive import derive
from disclosure.load import load_accounts
from disclosure.narrative import render_narrative
from disclosure.project import load_project

CORPUS = Path(__file__).parent / "fixtures" / "acceptance"
sys.path.insert(0, str(CORPUS))
from corpus import CAIZHENG, JIAOTONG, JIAOYU, JIAOYU_PRIOR, UnitData, three_public_full  # noqa: E402

D = Decimal
PROJECTS = {"jiaoyu": JIAOYU, "jiaoyu-xls": JIAOYU, "caizheng": CAIZHENG, "jiaotong": JIAOTONG}


# --- expected wording, computed from the corpus figures -------------------------------------------
def wan(unit: UnitData, value: Decimal) -> Decimal:
    return value / 10000 if unit.money == "元" else value


def fig(unit: UnitData, value: Decimal) -> str:
    return f"{wan(unit, value).quantize(D('0.01'), ROUND_HALF_UP):,.2f}万元"


PLACES = [2]  # percent places of the project under test (caizheng prints one)


def pct(part: Decimal, whole: Decimal) -> str:
    return f"{(part * 100 / whole).quantize(D(1).scaleb(-PLACES[0]), ROUND_HALF_UP)}%"


def listing(unit: UnitData, parts: list[tuple[str, Decimal]], whole: Decimal, sep: str = "；") -> str:
    return sep.join(f"{label}{fig(unit, v)}，占{pct(v, whole)}" for label, v in parts if v > 0)


class Report:
    """One corpus project loaded, derived and rendered (plain text per section)."""

    def __init__(self, name: str) -> None:
        self.root = CORPUS / name
        self.unit = PROJECTS[name]
        self.project = load_project(self.root)
        self.accounts = load_accounts(self.project, self.unit.slug, self.unit.year)
        self.facts = derive(self.accounts, self.project)
        content = load_content(self.project, self.unit.slug, self.unit.year)
        self.sections = {s.key: s for s in render_narrative(self.facts, content, self.project, link=False)}
        self.html = {s.key: s.html for s in render_narrative(self.facts, content, self.project)}

    def text(self, key: str) -> str:
        return self.sections[key].markdown


_REPORTS: dict[str, Report] = {}


@pytest.fixture(params=list(PROJECTS))
def report(request) -> Report:
    if request.param not in _REPORTS:
        _REPORTS[request.param] = Report(request.param)
    PLACES[0] = PROJECTS[request.param].percent_places
    yield _REPORTS[request.param]
    PLACES[0] = 2


def test_every_corpus_project_checks_without_errors(report):
    result = check_unit_year(report.project, report.unit.slug, report.unit.year)
    assert result.problems == []
    assert result.errors == [], [f.message for f in result.errors]
    # only the warnings a first year without reasons written must give
    assert {f.rule for f in result.findings} <= {"prior.missing", "reason.missing", "budget.missing"}


def test_tables_are_found_whatever_the_sheet_names_and_order():
    r = Report("jiaoyu")
    expected = {"three_public": "Sheet1", "expenditure": "Sheet2", "summary": "Sheet3", "state_capital": "Sheet4",
                "general_budget": "Sheet5", "income": "Sheet6", "gov_fund": "Sheet7", "fiscal_summary": "Sheet8",
                "basic": "Sheet9"}
    assert {k: t.sheet for k, t in r.accounts.tables.items()} == expected
    assert any("目录" in n and "已忽略" in n for n in r.accounts.notices)
    assert r.accounts.tables["state_capital"].empty
    assert not r.accounts.tables["gov_fund"].empty


def test_yuan_become_wan_exactly():
    r = Report("jiaoyu")
    u = JIAOYU
    assert r.facts["income.total"].value == u.income_total() / 10000 == D("3087.913538")
    assert r.facts["expenditure.basic"].value == u.spend("basic") / 10000
    assert r.facts["expenditure.project"].value == D("671.00005")  # 6,710,000.50 元
    assert str(r.facts["expenditure.project"].cells[0]) == "Sheet2!G8"  # the =SUM 合计 row LibreOffice computed


def test_xls_and_xlsx_give_the_same_accounts():
    a, b = Report("jiaoyu").accounts, Report("jiaoyu-xls").accounts
    assert a.tables.keys() == b.tables.keys()
    for key, table in a.tables.items():
        other = b.tables[key]
        assert [r.key for r in table.rows] == [r.key for r in other.rows], key
        for row, orow in zip(table.rows, other.rows):
            assert row.values == orow.values, (key, row.key)
            assert {c: (ref.sheet, ref.cell) for c, ref in row.cells.items()} == {
                c: (ref.sheet, ref.cell) for c, ref in orow.cells.items()
            }, (key, row.key)


def test_overview_states_the_totals(report):
    u = report.unit
    spend = u.spend()
    assert report.text("overview").startswith(
        f"本部门{u.year}年度收入总计{fig(u, u.grand_total())}，其中：本年收入合计{fig(u, u.income_total())}，"
        f"使用非财政拨款结余0.00万元，年初结转和结余{fig(u, u.opening['total'])}；"
        f"支出总计{fig(u, spend + u.closing['total'])}，其中：本年支出合计{fig(u, spend)}，结余分配0.00万元，"
        f"年末结转和结余{fig(u, u.closing['total'])}。"
    )


def test_income_by_source_with_shares(report):
    u = report.unit
    total = u.income_total()
    parts = [
        ("财政拨款收入", u.income("fiscal_general") + u.income("fiscal_gov_fund")), ("上级补助收入", u.income("superior")),
        ("事业收入", u.income("business")), ("经营收入", u.income("operating")),
        ("附属单位上缴收入", u.income("affiliated")), ("其他收入", u.income("other")),
    ]
    expected = f"本部门{u.year}年度本年收入合计{fig(u, total)}，其中：{listing(u, parts, total)}。"
    assert report.text("income").startswith(expected)


def test_income_names_business_income_for_the_shiye_unit():
    text = Report("jiaoyu").text("income")
    assert "事业收入500.00万元，占16.19%" in text and "经营收入150.00万元，占4.86%" in text


def test_expenditure_by_kind_with_shares(report):
    u = report.unit
    total = u.spend()
    parts = [("基本支出", u.spend("basic")), ("项目支出", u.spend("project")), ("上缴上级支出", u.spend("remit")),
             ("经营支出", u.spend("operating")), ("对附属单位补助支出", u.spend("subsidy"))]
    assert report.text("expenditure").startswith(
        f"本部门{u.year}年度本年支出合计{fig(u, total)}，其中：{listing(u, parts, total)}。"
    )


def test_general_budget_total_structure_and_items(report):
    u = report.unit
    gb, basic, project = u.general(), u.general("basic"), u.general("project")
    text = report.text("general_budget")
    assert text.startswith(
        f"本部门{u.year}年度一般公共预算财政拨款支出{fig(u, gb)}，占本年支出合计的{pct(gb, u.spend())}，"
        f"其中：基本支出{fig(u, basic)}，占{pct(basic, gb)}；项目支出{fig(u, project)}，占{pct(project, gb)}。"
    )
    classes: dict[str, Decimal] = {}
    for line in u.lines:
        if line.general:
            classes[line.code[:3]] = classes.get(line.code[:3], D(0)) + sum(line.general.values(), D(0))
    structure = "；".join(f"{u.names[c]}{fig(u, v)}，占{pct(v, gb)}" for c, v in classes.items())
    assert f"一般公共预算财政拨款支出决算结构：{structure}。" in text
    for line in u.lines:
        if line.general:
            item = f"{u.names[line.code[:5]]}（款）{line.name}（项）。决算支出{fig(u, sum(line.general.values(), D(0)))}。"
            assert item in text


def test_no_budget_comparison_without_a_budget_sheet(report):
    u = report.unit
    assert "年初预算" not in report.text("general_budget")
    assert "budget_execution" not in report.sections  # left out, without a word about the missing sheet


def test_basic_expenditure_lists_every_kuan_including_housing_fund(report):
    u = report.unit
    text = report.text("basic")
    for block, label, items in (("personnel", "人员经费", u.personnel), ("public", "公用经费", u.public)):
        total = sum((v for _, _, v in items), D(0))
        names = "、".join(f"{name}{fig(u, v)}" for _, name, v in items)
        assert f"{label}{fig(u, total)}，主要包括：{names}{'；' if u is JIAOYU else '。'}" in text
    housing = next(v for code, _, v in u.personnel if code == "30113")
    assert f"住房公积金{fig(u, housing)}" in text


def test_government_fund_sentences(report):
    u = report.unit
    text = report.text("gov_fund").strip()
    if u is JIAOYU:  # 08表 has figures (and 2022 had none)
        assert text == (
            f"{u.year}年度政府性基金预算财政拨款收入{fig(u, u.income('fiscal_gov_fund'))}，"
            f"较上年增加{fig(u, u.income('fiscal_gov_fund'))}，上年无此项，无可比性；"
            f"支出{fig(u, u.gov_fund())}，较上年增加{fig(u, u.gov_fund())}，上年无此项，无可比性；"
            f"年初结转和结余{fig(u, u.opening['gov_fund'])}，年末结转和结余{fig(u, u.closing['gov_fund'])}。"
        )
    else:
        # the unit is named as in the rest of the report (本部门 in the reference style), not as the table note does
        assert text == (
            f"本部门{u.year}年度无政府性基金预算财政拨款收入，也没有使用政府性基金预算财政拨款安排的支出，故本表为空表。"
        )
    capital = report.text("state_capital").strip()
    if u.table_set == "national-9":  # 09表 is the 支出 table here
        assert capital == f"本部门{u.year}年度没有使用国有资本经营预算财政拨款安排的支出，故本表为空表。"
    else:
        assert capital.endswith("故本表为空表。") and "国有资本经营预算财政拨款收入" in capital


def test_three_public_figures_and_counts(report):
    u = report.unit
    tp = three_public_full(u)
    b, a = tp["budget"], tp["actual"]
    text = report.text("three_public")
    assert f"财政拨款“三公”经费预算为{fig(u, b['total'])}，支出决算为{fig(u, a['total'])}，完成预算的{pct(a['total'], b['total'])}" in text
    assert f"公务用车购置及运行维护费支出{fig(u, a['vehicle'])}，占{pct(a['vehicle'], a['total'])}" in text
    assert f"公务接待费支出{fig(u, a['reception'])}，占{pct(a['reception'], a['total'])}" in text
    if u.info is None:  # no information table: no counts, no 车均, and the paragraph still ends cleanly
        for word in ("团组", "保有量", "车均", "批次", "购置车辆"):
            assert word not in text
        # without a prior year or a 保有量 the sentence ends there; with one the change follows
        end = "；公务用车运行维护费支出较上年增加1.00万元，增长7.14%。" if u is JIAOYU else "。"
        assert f"公务用车运行维护费支出{fig(u, a['vehicle_operation'])}（预算为{fig(u, b['vehicle_operation'])}，" \
               f"完成预算的{pct(a['vehicle_operation'], b['vehicle_operation'])}）{end}" in text
    else:
        per_vehicle = (a["vehicle_operation"] / u.info["vehicles_held"]).quantize(D("0.01"), ROUND_HALF_UP)
        assert f"车均运行维护费{per_vehicle}万元" in text
        assert f"公务用车保有量为{u.info['vehicles_held']}辆" in text
        assert f"国内公务接待{u.info['reception_batches']}批次，共接待{u.info['reception_people']}人次" in text


def test_projects_without_counts(report):
    u = report.unit
    text = report.text("projects")
    assert "预算安排项目" not in text and "实施项目" not in text
    if u is JIAOTONG:  # 项目收入支出决算表
        fiscal = sum((l.income.get("fiscal_general", D(0)) for l in u.lines if l.kind("project")), D(0))
        assert text.strip() == (
            f"{u.year}年，项目支出总金额{fig(u, u.spend('project'))}。项目资金中：本年财政拨款收入{fig(u, fiscal)}，"
            f"年初结转和结余{fig(u, u.spend('project') - fiscal)}；年末结转和结余0.00万元。"
        )
    else:
        assert text.strip() == f"{u.year}年，项目支出总金额{fig(u, u.spend('project'))}。"


def test_information_sections_follow_the_table_set(report):
    u = report.unit
    operating = report.text("operating_cost").strip()
    if u is JIAOTONG:
        assert operating == f"本部门{u.year}年度机关运行经费支出{fig(u, u.info['operating_cost'])}。"
        assert f"政府采购支出合计{fig(u, u.info['procurement_total'])}" in report.text("procurement")
        assert f"授予中小企业合同金额{fig(u, u.info['sme_contracts'])}，占政府采购支出总额的" \
               f"{pct(u.info['sme_contracts'], u.info['procurement_total'])}" in report.text("procurement")
        assert "共有车辆6辆，其中：执法执勤用车4辆、特种专业技术用车2辆。" in report.text("assets")
    elif u is CAIZHENG:  # 云南 公开10表 carries 机关运行经费
        assert operating == f"本部门{u.year}年度机关运行经费支出{fig(u, u.operating_cost)}。"
        assert "本套公开表不含" in report.text("procurement")
    else:
        for key in ("operating_cost", "procurement", "assets"):
            assert "本套公开表不含" in report.text(key)


_SLOT = re.compile(r"\{\{|\}\}|\{%|%\}|\{#|None|nan|\ue000|\ue001")
# a reason slot left empty, doubled punctuation, a clause cut off (a paragraph may end in 其中：or 如下：
# when the next ones list the parts), the reference report's unfilled 增加（减少）
_DANGLING = re.compile(r"(?:原因是|原因|如下)[：:]?[。；，]|[，；、：][。；，]|[，；、]\s*$|(?<!其中)(?<!如下)：\s*$|增加（减少）|增长（下降）", re.M)


def test_no_dangling_slot_anywhere(report):
    for key, section in report.sections.items():
        for text in (section.markdown, report.html[key], section.title):
            assert not _SLOT.search(text), (key, _SLOT.search(text).group(0))
        for paragraph in section.markdown.split("\n"):
            assert not _DANGLING.search(paragraph.strip()), (key, paragraph)


# --- the site ----------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["jiaoyu", "caizheng", "jiaotong"])
def test_build_publishes(name, tmp_path, capsys):
    u = PROJECTS[name]
    out = tmp_path / "site"
    assert main(["build", "--no-kit", str(CORPUS / name), "--out", str(out)]) == 0
    page = (out / u.slug / str(u.year) / "index.html").read_text(encoding="utf-8")
    if u is JIAOYU:
        assert (out / u.slug / "2022" / "index.html").is_file()
    assert fig(u, u.grand_total()).replace("万元", "") in page
    assert not (out / u.slug / str(u.year) / "facts.json").exists()  # review material, not on the public site
    review = tmp_path / "site-review"
    assert main(["build", "--no-kit", str(CORPUS / name), "--review", "--out", str(review)]) == 0
    facts = json.loads((review / u.slug / str(u.year) / "facts.json").read_text(encoding="utf-8"))
    flat = json.dumps(facts, ensure_ascii=False)
    assert str(wan(u, u.income_total()).normalize()) in flat


# --- one mistyped cell per project ---------------------------------------------------------------
def _sheet_xml(book: zipfile.ZipFile, sheet: str) -> str:
    """The part name of a sheet in an .xlsx, by its name."""
    wb = book.read("xl/workbook.xml").decode()
    rid = re.search(rf'<sheet[^>]*name="{re.escape(sheet)}"[^>]*r:id="([^"]+)"', wb).group(1)
    rels = book.read("xl/_rels/workbook.xml.rels").decode()
    target = re.search(rf'<Relationship[^>]*Id="{rid}"[^>]*Target="([^"]+)"', rels) or re.search(
        rf'<Relationship[^>]*Target="([^"]+)"[^>]*Id="{rid}"', rels)
    return "xl/" + target.group(1).lstrip("/").removeprefix("xl/")


def retype(path: Path, sheet: str, cell: str, old: str, new: str) -> None:
    """Change one numeric cell of an .xlsx in place (XML level: cached formula results elsewhere stay)."""
    with zipfile.ZipFile(path) as book:
        parts = {n: book.read(n) for n in book.namelist()}
        name = _sheet_xml(book, sheet)
    xml = parts[name].decode()
    pattern = re.compile(rf'(<c r="{cell}"[^>]*>(?:<f>[^<]*</f>)?<v>){re.escape(old)}(</v>)')
    assert len(pattern.findall(xml)) == 1, f"{sheet}!{cell} does not hold {old}"
    parts[name] = pattern.sub(rf"\g<1>{new}\g<2>", xml).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        for n, data in parts.items():
            book.writestr(n, data)


MUTATIONS = [
    # project, file under tables/<unit>/, sheet, cell, typed, mistyped
    ("jiaoyu", "2023.xlsx", "Sheet6", "H11", "5000000", "5800000"),  # 事业收入 of 初中教育, in 元
    # 100 元 off is 0.01 万元, within 万元 rounding, but figures in 元 are exact: still an error
    ("jiaoyu", "2023.xlsx", "Sheet6", "H11", "5000000", "5000100"),
    ("caizheng", "2023.xlsx", "05一般公共预算财政拨款收入支出决算表", "E9", "812.34", "812.43"),
    ("jiaotong", "2023/06-一般公共预算财政拨款支出决算表.xlsx", "Sheet1", "E10", "1250.4", "1250.04"),
]


@pytest.mark.parametrize("name,rel,sheet,cell,old,new", MUTATIONS, ids=[m[0] for m in MUTATIONS])
def test_a_mistyped_cell_is_named(name, rel, sheet, cell, old, new, tmp_path, capsys):
    u = PROJECTS[name]
    root = tmp_path / name
    shutil.copytree(CORPUS / name, root)
    retype(root / "tables" / u.slug / rel, sheet, cell, old, new)
    assert main(["check", str(root)]) == 1
    text = capsys.readouterr().out
    # the terminal report names the sheet and the cell (a later cell of the same sheet without
    # repeating the sheet name); the JSON report names file, sheet and cell of every one
    assert re.search(rf"{re.escape(sheet)}!\S+.*\b{cell}\b|{re.escape(sheet)}!{cell}\b", text)
    assert main(["check", str(root), "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    errors = [f for r in data["results"] for f in r["findings"] if f["severity"] == "error"]
    assert errors
    where = {"file": f"tables/{u.slug}/{rel}", "sheet": sheet, "cell": cell}
    for finding in errors:  # every error this one typo causes points at it
        assert any({k: c[k] for k in where} == where for c in finding["cells"]), finding["message"]
    assert main(["build", "--no-kit", str(root), "--out", str(tmp_path / "site")]) != 0
    assert not (tmp_path / "site" / u.slug / str(u.year) / "index.html").exists()


def test_indented_rows_take_codes_from_the_other_tables():
    r = Report("caizheng")
    keys = [row.key for row in r.accounts.tables["expenditure"].rows]
    assert keys == ["total", "201", "20106", "2010601", "2010602", "208", "20805", "2080505", "210", "21011",
                    "2101101", "221", "22102", "2210201"]
    assert any("只有缩进" in n and "9行" in n for n in r.accounts.notices)


def test_a_kuan_row_off_in_an_indented_table_is_caught(tmp_path, capsys):
    # the 款 row 财政事务 of the indented 支出决算表 raised by 5.00 in both of its columns: the row adds up,
    # only the 类/款/项 sums can tell, and they need the borrowed codes
    root = tmp_path / "caizheng"
    shutil.copytree(CORPUS / "caizheng", root)
    book = root / "tables" / CAIZHENG.slug / "2023.xlsx"
    retype(book, "03支出决算表", "B7", "1169.12", "1174.12")
    retype(book, "03支出决算表", "C7", "812.34", "817.34")
    assert main(["check", str(root), "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    errors = [f for r in data["results"] for f in r["findings"] if f["severity"] == "error"]
    assert {f["rule"] for f in errors} == {"tree.function"}
    assert all(any(c["cell"] in ("B7", "C7") and c["sheet"] == "03支出决算表" for c in f["cells"]) for f in errors)


def test_a_sheet_saying_its_unit_only_in_the_headers():
    # 02-收入决算表.xlsx of the folder has no unit line; its headers read 本年收入合计（元）
    r = Report("jiaotong")
    income = r.accounts.tables["income"]
    assert income.source_unit == "元" and r.accounts.tables["expenditure"].source_unit == "万元"
    assert income.value("2140106", "fiscal") == D("1100.40")
    assert r.facts["income.total"].value == JIAOTONG.income_total()


@pytest.mark.parametrize("name", ["jiaoyu", "jiaoyu-xls"])
def test_comparisons_with_the_prior_year_in_a_national_set(name):
    r = Report(name)
    u, p = JIAOYU, JIAOYU_PRIOR
    assert r.accounts.prior is not None and r.accounts.prior.year == 2022

    def change(now: Decimal, before: Decimal) -> str:
        d = now - before
        return f"增加{fig(u, d)}，增长{pct(d, before)}" if d > 0 else f"减少{fig(u, -d)}，下降{pct(-d, before)}"

    assert f"收入支出总计较2022年度{change(u.grand_total(), p.grand_total())}" in r.text("overview")
    assert f"本年收入合计较2022年度{change(u.income_total(), p.income_total())}" in r.text("income")
    assert f"本年支出合计较2022年度{change(u.spend(), p.spend())}" in r.text("expenditure")
    assert f"一般公共预算财政拨款支出较2022年度{change(u.general(), p.general())}" in r.text("general_budget")
    personnel = sum((v for _, _, v in u.personnel), D(0))
    assert f"；较上年{change(personnel, sum((v for _, _, v in p.personnel), D(0)))}。" in r.text("basic")
    three = r.text("three_public")
    assert "财政拨款“三公”经费支出与2022年度持平" in three  # 20.00 both years
    assert f"公务接待费支出较上年{change(D('50000'), D('60000'))}" in three
    fund = r.text("gov_fund")  # no 政府性基金 money in 2022
    assert f"收入{fig(u, u.income('fiscal_gov_fund'))}，较上年增加{fig(u, u.income('fiscal_gov_fund'))}，上年无此项，无可比性" in fund


def test_information_table_in_two_groups_side_by_side():
    # 项目 | 计量单位 | 统计数 | 项目 | 计量单位 | 统计数: money on the left, vehicles and counts on the right
    info = Report("jiaotong").accounts.tables["info"]
    assert info.value("operating_cost", "amount") == D("70.30")
    assert info.value("vehicles_total", "amount") == D("6") and info.row("vehicles_total").unit == "辆"
    assert str(info.cell("operating_cost", "amount")) == "Sheet1!C5"
    assert str(info.cell("vehicles_total", "amount")) == "Sheet1!F5"


# .xls and .ods cannot be retyped here: make_corpus.py wrote them with one cell changed (typos/)
TYPO_FILES = [
    ("jiaoyu-xls", "2023.xls", "Sheet6", "H11"),  # 事业收入 of 初中教育 5,000,000 → 5,800,000 元
    ("jiaotong", "2023/03-支出决算表.ods", "Sheet1", "D8"),  # 基本支出 of 行政运行 420.60 → 402.60
]


@pytest.mark.parametrize("name,rel,sheet,cell", TYPO_FILES, ids=[t[0] for t in TYPO_FILES])
def test_a_mistyped_cell_in_xls_and_ods_is_named(name, rel, sheet, cell, tmp_path, capsys):
    u = PROJECTS[name]
    root = tmp_path / name
    shutil.copytree(CORPUS / name, root)
    shutil.copy(CORPUS / "typos" / Path(rel).name, root / "tables" / u.slug / rel)
    assert main(["check", str(root), "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    errors = [f for r in data["results"] for f in r["findings"] if f["severity"] == "error"]
    where = {"file": f"tables/{u.slug}/{rel}", "sheet": sheet, "cell": cell}
    assert errors and all(any({k: c[k] for k in where} == where for c in f["cells"]) for f in errors)
    if (root / "tables" / u.slug / str(u.year)).is_dir():  # a folder: sheet names alone are ambiguous
        assert main(["check", str(root)]) == 1
        assert f"tables/{u.slug}/{rel} {sheet}!{cell}" in capsys.readouterr().out
