"""Regenerating yearly: each year's report keeps its own words and rules; a new year starts from the last.

Two- and three-year copies of the example project (2020, 2021 and a 2022 made from 2021's workbook):
a new year's texts are copied from the year before with 请核对 marks that check reports and the site
never shows; editing the newest year, or a shared text, leaves the earlier years' pages byte-identical
until ``--republish``; a year's table set is its own.
"""
from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from disclosure.batch.pins import read_pins
from disclosure.pipeline import check_unit_year
from disclosure.cli import main
from disclosure.content import load_content
from disclosure.errors import ConfigError
from disclosure.project import load_project
from test_site_support import UNIT, UNIT_NAME, build, copy_example, digest_tree, replace_text, workbook


def three_years(dest: Path) -> Path:
    """The example with a 2022 whose workbook is 2021's, restated for 2022."""
    project = copy_example(dest)
    shutil.copyfile(workbook(project, 2021), workbook(project, 2022))
    assert replace_text(workbook(project, 2022), "2021", "2022") > 0
    state_adjustment(project, 2022)
    return project


def state_adjustment(project: Path, year: int) -> None:
    """A year made from another year's workbook carries that year's opening balances, not the closing
    ones of the year before: say so as an adjustment, so that check warns instead of refusing the chain."""
    reasons = project / "content" / UNIT / str(year) / "reasons.toml"
    reasons.parent.mkdir(parents=True, exist_ok=True)
    reasons.write_text('[reasons]\n"opening_balance.adjustment" = "测试数据：年初结转和结余按复制来的工作簿调整"\n',
                       encoding="utf-8")


def year_pages(out: Path, year: int) -> dict[str, str]:
    return digest_tree(out / UNIT / str(year))


def content_files(project: Path) -> dict[str, bytes]:
    return {p.relative_to(project).as_posix(): p.read_bytes() for p in sorted((project / "content").rglob("*")) if p.is_file()}


def test_the_examples_years_each_state_their_own_staff_and_contact(tmp_path):
    """The example keeps its yearly texts per year: 2020's report does not state 2021's staff count,
    unit list or contact person (the 2021 report is the only source; 2020's are not known)."""
    project = load_project(Path(__file__).resolve().parents[1])
    for year in (2020, 2021):
        content = load_content(project, UNIT, year)
        assert content.source_of("organization").layer == "year"
        assert not content.reviews  # nothing left to confirm: check passes on the example
    assert check_unit_year(project, UNIT, 2020).readable and not check_unit_year(project, UNIT, 2020).errors
    out = tmp_path / "site"
    assert build(copy_example(tmp_path / "p"), out, "-j", "1") == 0
    page_2020 = (out / UNIT / "2020" / "index.html").read_text(encoding="utf-8")
    page_2021 = (out / UNIT / "2021" / "index.html").read_text(encoding="utf-8")
    for fact in ("实有人数 507 人", "在职编制 656 人", "2021 年度部门汇总决算", "李晗琨", "0478-8611975"):
        assert fact in page_2021 and fact not in page_2020, fact
    assert "巴彦淖尔市公安局交通管理支队的决算由支队本级决算和各旗县区大队决算汇总而成" in page_2020


def test_a_new_year_starts_from_last_years_texts_with_review_marks(tmp_path, capsys):
    project = copy_example(tmp_path / "p")
    before = content_files(project)
    assert main(["init", UNIT, "2022", str(project)]) == 0
    out = capsys.readouterr().out
    assert "本年度的文稿复制自 2021 年度" in out and "已创建：tables/bayannur-jiaoguan/2022.xlsx" in out
    after = content_files(project)
    assert {k: v for k, v in after.items() if f"{UNIT}/2022/" not in k} == before  # earlier years untouched
    new = project / "content" / UNIT / "2022"
    organization = (new / "organization.md").read_text(encoding="utf-8")
    # the staff count line of 2021, with a mark above it naming what to confirm
    lines = organization.splitlines()
    staff = next(i for i, l in enumerate(lines) if "实有人数 507 人" in l)
    assert lines[staff - 1] == "<!-- 请核对：人数（复制自 2021 年度，核对后删去本行） -->"
    year_line = next(i for i, l in enumerate(lines) if "2021 年度部门汇总决算" in l)
    assert lines[year_line - 1].startswith("<!-- 请核对：") and "年份" in lines[year_line - 1]
    unit_toml = (new / "unit.toml").read_text(encoding="utf-8").splitlines()  # 2021's own keys: the contact
    person = unit_toml.index('contact_person = "李晗琨"')
    assert unit_toml[person - 1].startswith("# 请核对：联系方式")
    # the new year reads its own texts; the marks are not part of them
    project_ = load_project(project)
    content = load_content(project_, UNIT, 2022)
    assert content.source_of("organization").path == new / "organization.md"
    assert content.source_of("glossary").layer == "shared"  # shared texts stay shared
    assert "请核对" not in content.section("organization") and "实有人数 507 人" in content.section("organization")
    assert content.name == UNIT_NAME
    marks = [m for m in content.reviews if m.path.name == "organization.md"]
    assert [m.line for m in marks] == [i + 1 for i, l in enumerate(lines) if l.startswith("<!-- 请核对")]
    # check names each mark as an error until removed; the earlier years have none
    shutil.copyfile(workbook(project, 2021), workbook(project, 2022))
    replace_text(workbook(project, 2022), "2021", "2022")
    found = [f for f in check_unit_year(project_, UNIT, 2022).findings if f.rule == "content.review"]
    assert found and all(f.severity == "error" for f in found)
    assert any(f"content/{UNIT}/2022/organization.md 第 {staff} 行" in f.message and "人数" in f.message for f in found)
    assert not [f for f in check_unit_year(project_, UNIT, 2021).findings if f.rule == "content.review"]
    # a draft build never publishes a mark (only the review page, for the people checking, lists them)
    mark = "核对后删去本行".encode()
    site = tmp_path / "site-review"
    assert build(project, site, "--allow-errors", "--review", "-j", "1") == 0
    with_marks = sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file() and mark in p.read_bytes())
    assert f"{UNIT}/2022/review.html" in with_marks
    assert all(p.endswith("review.html") or "/search-docs/" in p for p in with_marks)  # the review page's words
    public = tmp_path / "public"
    assert build(project, public, "--allow-errors", "--public", "-j", "1") == 0
    assert not [p for p in public.rglob("*") if p.is_file() and mark in p.read_bytes()]
    assert "实有人数 507 人" in (public / UNIT / "2022" / "index.html").read_text(encoding="utf-8")
    # confirmed (marks deleted): no finding left
    for path in new.glob("*"):
        if path.suffix in {".md", ".toml"} and path.name != "performance.toml":
            text = path.read_text(encoding="utf-8").splitlines(keepends=True)
            path.write_text("".join(l for l in text if "请核对" not in l), encoding="utf-8")
    assert not [f for f in check_unit_year(project_, UNIT, 2022).findings if f.rule == "content.review"]


def test_init_of_a_new_year_refuses_an_existing_workbook_and_keeps_written_texts(tmp_path, capsys):
    project = copy_example(tmp_path / "p")
    own = project / "content" / UNIT / "2021" / "duties.md"
    own.write_text("# 主要职能职责\n\n2021 年的职责。\n", encoding="utf-8")
    assert main(["init", UNIT, "2021", str(project)]) == 2  # 2021 exists: nothing written
    assert "tables/bayannur-jiaoguan/2021.xlsx：文件已存在" in capsys.readouterr().err
    assert own.read_text(encoding="utf-8") == "# 主要职能职责\n\n2021 年的职责。\n"
    assert main(["init", UNIT, "2022", str(project)]) == 0
    copied = (project / "content" / UNIT / "2022" / "duties.md").read_text(encoding="utf-8")
    assert copied == "# 主要职能职责\n\n<!-- 请核对：年份（复制自 2021 年度，核对后删去本行） -->\n2021 年的职责。\n"


def test_earlier_years_stay_byte_identical_and_shared_changes_wait_for_republish(tmp_path, capsys):
    project = three_years(tmp_path / "p")
    site = tmp_path / "site"
    assert build(project, site, "-j", "1") == 0
    first = {y: year_pages(site, y) for y in (2020, 2021, 2022)}
    assert read_pins(site, UNIT, 2021) is not None

    # the newest year's own texts change: only its pages change
    own = project / "content" / UNIT / "2022"
    own.mkdir(exist_ok=True)
    (own / "organization.md").write_text("# 机构设置\n\n2022 年实有人数 498 人。\n", encoding="utf-8")
    assert build(project, site, "-j", "1") == 0
    assert year_pages(site, 2020) == first[2020] and year_pages(site, 2021) == first[2021]
    assert "2022 年实有人数 498 人" in (site / UNIT / "2022" / "index.html").read_text(encoding="utf-8")
    capsys.readouterr()

    # a shared text changes: the newest year follows, the published earlier years keep theirs
    duties = project / "content" / UNIT / "duties.md"
    duties.write_text(duties.read_text(encoding="utf-8") + "\n新增职责：麒麟工程。\n", encoding="utf-8")
    assert main(["check", str(project), "--out", str(site)]) == 0
    said = capsys.readouterr().out
    for year in (2020, 2021):
        assert (f"{UNIT} {year} 年度：它使用的共用文稿 content/{UNIT}/duties.md 已改动，已发布的 {year} 年度报告保持原样。"
                f"若要按新文稿重新发布，请运行 disclosure build --republish {year}") in said
    assert "2022 年度：它使用的共用文稿" not in said
    assert f"organization.md：content/{UNIT}/2022/organization.md（本年度专用）" in said
    # the same for machines: each unit-year's files and the published years holding back a change
    assert main(["check", str(project), "--out", str(site), "--format", "json"]) == 0
    texts = {r["year"]: r["texts"] for r in json.loads(capsys.readouterr().out)["results"]}
    files = {y: {f["text"]: (f["file"], f["layer"]) for f in t["files"]} for y, t in texts.items()}
    assert files[2022]["organization.md"] == (f"content/{UNIT}/2022/organization.md", "year")
    assert files[2021]["organization.md"] == (f"content/{UNIT}/2021/organization.md", "year")
    assert all(files[y]["duties.md"] == (f"content/{UNIT}/duties.md", "unit") for y in (2020, 2021, 2022))
    assert files[2021]["glossary.md"][1] == "shared"
    for year in (2020, 2021):
        assert texts[year]["kept_published"] == {"changed": [f"content/{UNIT}/duties.md"],
                                                 "republish": f"disclosure build --republish {year}"}
    assert texts[2022]["kept_published"] is None
    assert build(project, site, "-j", "1") == 0
    said = capsys.readouterr().out
    assert "--republish 2020" in said and "--republish 2021" in said
    assert year_pages(site, 2020) == first[2020] and year_pages(site, 2021) == first[2021]
    assert "麒麟工程" in (site / UNIT / "2022" / "index.html").read_text(encoding="utf-8")
    # even rebuilt from scratch (--force), an earlier year keeps the texts it was published with
    assert build(project, site, "-j", "1", "--force") == 0
    assert year_pages(site, 2020) == first[2020] and year_pages(site, 2021) == first[2021]

    # asked for: 2021 takes the new text, 2020 still keeps its own
    assert build(project, site, "-j", "1", "--republish", "2021") == 0
    assert "麒麟工程" in (site / UNIT / "2021" / "index.html").read_text(encoding="utf-8")
    assert year_pages(site, 2020) == first[2020]
    capsys.readouterr()
    assert build(project, site, "-j", "1") == 0
    said = capsys.readouterr().out
    assert "--republish 2021" not in said and "--republish 2020" in said


def test_a_years_own_unit_toml_overrides_the_default_key_by_key(tmp_path):
    project = copy_example(tmp_path / "p")
    own = project / "content" / UNIT / "2021"
    (own / "unit.toml").write_text('contact_phone = "0478-7654321"\n# 请核对：联系方式\n', encoding="utf-8")
    content = load_content(load_project(project), UNIT, 2021)
    assert content.name == UNIT_NAME  # from the unit's default
    assert content.settings["contact_phone"] == "0478-7654321"
    assert [s.path for s in content.settings_sources] == [project / "content" / UNIT / "unit.toml", own / "unit.toml"]
    assert [(m.path.name, m.line, m.what) for m in content.reviews] == [("unit.toml", 2, "联系方式")]
    assert load_content(load_project(project), UNIT, 2020).settings.get("contact_phone") != "0478-7654321"


def test_a_year_keeps_its_table_set_when_the_project_default_changes(tmp_path):
    project = copy_example(tmp_path / "p")
    config = project / "disclosure.toml"
    text = config.read_text(encoding="utf-8").replace('table_set = "neimenggu-11"', 'table_set = "national-9"')
    config.write_text(text + '\n[years.2020]\ntable_set = "neimenggu-11"\n\n[years.2021]\ntable_set = "neimenggu-11"\n',
                      encoding="utf-8")
    proj = load_project(project)
    assert proj.table_set_for(2021) == "neimenggu-11" and proj.table_set_for(2023) == "national-9"
    result = check_unit_year(proj, UNIT, 2021)
    assert result.readable and result.table_set == "neimenggu-11" and not result.errors
    assert result.table_titles["summary"].endswith("收入支出决算总表")


def test_init_pins_a_new_years_table_set_and_style_so_a_later_default_change_leaves_it(tmp_path, capsys):
    """init writes [years.<year>] (the table set and report style the year starts with): when the
    project's defaults change later, the pinned year is rebuilt byte-identical, while a year without
    a pin follows the new default."""
    project = copy_example(tmp_path / "p")
    assert main(["init", UNIT, "2022", str(project)]) == 0
    assert "已在 disclosure.toml 中写入 [years.2022]" in capsys.readouterr().out
    config = project / "disclosure.toml"
    text = config.read_text(encoding="utf-8")
    assert text.endswith('[years.2022]   # 2022 年度固定用的套表和报告写法（由 disclosure init 写入），项目默认改了也不变\n'
                         'table_set = "neimenggu-11"\nstyle = "neimenggu-11"\n')
    proj = load_project(project)
    assert proj.table_set_for(2022) == "neimenggu-11" and proj.style_of(2022) == "neimenggu-11"
    assert 2021 not in proj.year_styles  # the example's own years were not made by init
    # a second init of another unit-year leaves 2022's section as it is
    assert main(["init", "another", "2022", str(project), "--name", "另一单位"]) == 0
    assert config.read_text(encoding="utf-8").count("[years.2022]") == 1
    shutil.rmtree(project / "tables" / "another")
    shutil.rmtree(project / "content" / "another")
    shutil.copyfile(workbook(project, 2021), workbook(project, 2022))
    assert replace_text(workbook(project, 2022), "2021", "2022") > 0
    state_adjustment(project, 2022)
    for path in (project / "content" / UNIT / "2022").glob("*"):
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        path.write_text("".join(l for l in lines if "请核对" not in l), encoding="utf-8")
    site = tmp_path / "site"
    assert build(project, site, "-j", "1") == 0
    first = {y: year_pages(site, y) for y in (2021, 2022)}
    # the project's style changes: the pinned 2022 keeps its wording, the unpinned 2021 takes the new one
    config.write_text(config.read_text(encoding="utf-8").replace("[project]\n", '[project]\nstyle = "sichuan"\n', 1),
                      encoding="utf-8")
    assert load_project(project).style_of(2021) == "sichuan"
    assert build(project, site, "-j", "1", "--republish", "2021") == 0
    assert year_pages(site, 2022) == first[2022]
    assert year_pages(site, 2021) != first[2021]


@pytest.mark.parametrize(
    "years,message",
    [
        ('[years.2019]\ntable_set = "hainan-99"\n', "[years.2019] table_set = “hainan-99”不是已知的公开表套表。可用："),
        ('[years.19]\ntable_set = "national-9"\n', "[years.19] 不可用：年度须为四位数字年份"),
        ('[years.2019]\ntables = "national-9"\n', "[years.2019] 中有不认识的设置：tables，是否想写 table_set？可用：style、switches、table_set。"),
        ('[years.2019]\ntable_set = 9\n', "[years.2019] table_set（该年度的公开表套表）须写文字（加英文双引号），现在写的是“9”。"),
        ('[years.2019.switches]\nlist_zeros = true\n', "[years.2019.switches] 中没有名为“list_zeros”的开关，是否想写 list_zero？"),
        ('years = 2019\n', "[years] 须写成 [years.2019] 这样的表"),
    ],
)
def test_a_bad_year_pin_is_a_config_error_naming_the_file(tmp_path, years, message):
    (tmp_path / "disclosure.toml").write_text(years, encoding="utf-8")
    with pytest.raises(ConfigError) as exc:
        load_project(tmp_path)
    assert str(exc.value).startswith("disclosure.toml：") and message in str(exc.value)


def test_an_old_year_keeps_its_classification_names_when_rebuilt_beside_later_years(tmp_path):
    """20805 is 行政事业单位离退休 until 2018 and 行政事业单位养老支出 from 2019: a 2018 report written with
    2018's names loads without a name notice and publishes them, also when later years are added."""
    from disclosure.load import load_accounts

    example = copy_example(tmp_path / "example")
    project = tmp_path / "p"
    (project / "tables" / UNIT).mkdir(parents=True)
    shutil.copytree(example / "content", project / "content")
    shutil.copyfile(example / "disclosure.toml", project / "disclosure.toml")
    old = project / "tables" / UNIT / "2018.xlsx"
    shutil.copyfile(workbook(example, 2020), old)
    assert replace_text(old, "2020", "2018") > 0
    assert replace_text(old, "行政事业单位养老支出", "行政事业单位离退休") > 0
    site = tmp_path / "site"
    assert build(project, site, "-j", "1") == 0
    first = year_pages(site, 2018)
    page = (site / UNIT / "2018" / "index.html").read_text(encoding="utf-8")
    assert "行政事业单位离退休" in page and "行政事业单位养老支出" not in page
    said = load_accounts(load_project(project), UNIT, 2018)
    assert "20805" not in " ".join([*said.notices, *(m for m, _ in said.warnings)])
    # the same rows read with 2019's list would be named as the earlier years' name: the year selects
    later = project / "tables" / UNIT / "2019.xlsx"
    shutil.copyfile(old, later)
    assert replace_text(later, "2018", "2019") > 0
    warnings = " ".join(m for m, _ in load_accounts(load_project(project), UNIT, 2019).warnings)
    assert "“行政事业单位离退休”是科目编码“20805”2016—2018年的名称，2019年的名称是“行政事业单位养老支出”" in warnings
    # a later year with the new names beside it: the 2018 report is rebuilt byte-identical
    assert replace_text(later, "行政事业单位离退休", "行政事业单位养老支出") > 0
    state_adjustment(project, 2019)
    assert build(project, site, "-j", "1", "--force") == 0
    assert year_pages(site, 2018) == first
    assert "行政事业单位养老支出" in (site / UNIT / "2019" / "index.html").read_text(encoding="utf-8")


def test_republish_of_a_year_the_project_does_not_have_is_refused(tmp_path, capsys):
    project = copy_example(tmp_path / "p")
    site = tmp_path / "site"
    assert build(project, site, "-j", "1", "--republish", "2019") == 2
    assert "--republish 2019：项目中没有这一年度的公开表。已有的年度：2020、2021。" in capsys.readouterr().err
    assert not (site / UNIT).exists()


def test_package_wording_is_chosen_by_the_report_year(tmp_path):
    from disclosure.narrative.sections import default_wording

    (tmp_path / "from-2023").mkdir()
    (tmp_path / "from-2025").mkdir()
    (tmp_path / "overview.md").write_text("早年的措辞\n", encoding="utf-8")
    (tmp_path / "from-2023" / "overview.md").write_text("2023 年起的措辞\n", encoding="utf-8")
    (tmp_path / "from-2025" / "income.md").write_text("2025 年起的收入措辞\n", encoding="utf-8")
    assert default_wording("overview", 2019, tmp_path) == "早年的措辞\n"
    assert default_wording("overview", 2023, tmp_path) == "2023 年起的措辞\n"
    assert default_wording("overview", 2026, tmp_path) == "2023 年起的措辞\n"  # from-2025 has no overview
    assert default_wording("income", 2024, tmp_path) is None and default_wording("income", 2025, tmp_path)
    assert default_wording("overview", None, tmp_path) == "2023 年起的措辞\n"


def test_the_portal_lists_every_year_newest_first_with_each_years_own_name_and_figures(tmp_path):
    import re

    from disclosure.money import format_amount

    project = three_years(tmp_path / "p")
    renamed = "巴彦淖尔市公安局交通警察支队"
    assert replace_text(workbook(project, 2022), UNIT_NAME, renamed) > 0
    own = project / "content" / UNIT / "2022"
    own.mkdir(exist_ok=True)
    (own / "unit.toml").write_text(f'name = "{renamed}"\n', encoding="utf-8")
    site = tmp_path / "site"
    assert build(project, site, "-j", "1") == 0
    portal = (site / "index.html").read_text(encoding="utf-8")
    links = re.findall(r'<a href="bayannur-jiaoguan/(\d{4})/index.html">([^<]+)</a>', portal)
    assert links == [("2022", f"{renamed}2022年度部门决算"), ("2021", f"{UNIT_NAME}2021年度部门决算"),
                     ("2020", f"{UNIT_NAME}2020年度部门决算")]
    assert renamed in (site / UNIT / "2022" / "index.html").read_text(encoding="utf-8")
    assert renamed not in (site / UNIT / "2021" / "index.html").read_text(encoding="utf-8")
    # 历年对比: one column per year, oldest first, each from that year's own facts
    row = re.search(r'<tr><th scope="row">本年收入合计</th>(.*?)</tr>', portal).group(1)
    shown = re.findall(r'<td class="dc-num">([^<]+)</td>', row)
    own_figures = []
    for year in (2020, 2021, 2022):  # each year's own 公开01表 (the public site has no facts.json)
        lines = (site / UNIT / str(year) / "tables" / "summary.csv").read_text(encoding="utf-8-sig").splitlines()
        total = next(line.split(",") for line in lines if ",本年收入合计," in line)
        own_figures.append(format_amount(Decimal(total[-1])))
    assert shown == own_figures and shown[0] != shown[1]
