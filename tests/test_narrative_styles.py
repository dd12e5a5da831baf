"""Report styles (disclosure/wording/styles.toml): the same facts worded and numbered as a province's
reports word them; the reference report's style stays the default."""
from __future__ import annotations

import re
from decimal import Decimal
from importlib import resources
from pathlib import Path

import pytest

from disclosure.check import check_accounts
from disclosure.cli import main
from disclosure.content import UnitContent
from disclosure.derive import derive
from disclosure.errors import ConfigError
from disclosure.narrative import render_narrative
from disclosure.narrative.filters import format_value, format_yuan
from disclosure.project import Project, load_project
from disclosure.wording.style import load_style, style_for, style_names, switch_problems, switch_specs
from report_corpus import load
from test_derive import example_accounts


def render(style: str = "", *, accounts=None, reasons=None, settings=None, places: int = 2):
    project = Project(root=Path("."), style=style, percent_places=places)
    accounts = accounts if accounts is not None else example_accounts()
    facts = derive(accounts, project)
    content = UnitContent(unit="example", year=2021, reasons=dict(reasons or {}), settings=dict(settings or {}))
    return {s.key: s for s in render_narrative(facts, content, project, link=False)}, facts


def test_the_default_style_is_the_reference_reports():
    assert style_for(Project(root=Path("."))).name == "neimenggu-11"
    assert style_for(Project(root=Path("."), table_set="national-9")).name == "national-9"
    assert style_for(Project(root=Path("."), table_set="yunnan-11")).name == "yunnan"  # listed in its table_sets
    assert style_for(Project(root=Path("."), table_set="yunnan-9")).name == "yunnan"  # 云南 2021 9-table set
    assert style_for(Project(root=Path("."), table_set="sichuan-13")).name == "sichuan"
    assert style_for(Project(root=Path("."), table_set="shaanxi-9")).name == "neimenggu-11"
    assert style_for(Project(root=Path("."), style="yunnan")).name == "yunnan"


def test_every_style_loads_and_inherits_its_base():
    for name in style_names():
        style = load_style(name)
        assert style.switches["three_public_budget"] in ("completion", "difference", "both")
    gansu = load_style("gansu")
    assert gansu.switches["list_zero"] is True  # from sichuan
    assert gansu.switches["paired_totals"] is False and gansu.prior_words == "上年"


def test_an_unknown_style_in_the_project_is_a_config_error(tmp_path):
    (tmp_path / "disclosure.toml").write_text('[project]\nstyle = "xizang"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as exc:
        load_project(tmp_path)
    assert "xizang" in str(exc.value) and "sichuan" in str(exc.value)


def test_one_phrasing_of_the_prior_year_throughout_a_style():
    sections, _ = render("yunnan")
    text = "\n".join(s.markdown for s in sections.values())
    assert "较上年" in text and "较2020" not in text and "与2020" not in text
    sections, _ = render("sichuan")
    text = "\n".join(s.markdown for s in sections.values())
    assert "较2020年减少622.89万元" in text and "较上年" not in text and "较2020年度" not in text


def test_unit_word_comes_from_the_unit_kind():
    sections, _ = render(settings={"kind": "unit"})
    assert sections["overview"].markdown.startswith("本单位2021年度收入总计")
    assert sections["basic"].markdown.startswith("本单位2021年度")
    sections, _ = render("sichuan", settings={"kind": "department"})
    assert sections["overview"].markdown.startswith("本部门2021年度收入总计")
    sections, _ = render("sichuan")
    assert sections["overview"].markdown.startswith("本单位2021年度收入总计")


@pytest.mark.parametrize("kind,word,other", [("department", "本部门", "本单位"), ("unit", "本单位", "本部门")])
def test_one_unit_word_throughout_the_text(kind, word, other):
    empty_info = example_accounts()
    del empty_info.tables["info"]  # the 未填报 sentences of 机关运行经费, 政府采购, 国有资产
    for accounts in (None, empty_info):
        sections, _ = render(accounts=accounts, settings={"kind": kind, "contact_person": "李某"})
        text = "\n".join(s.markdown for k, s in sections.items() if k != "glossary")
        assert word in text and other not in text, [line for line in text.splitlines() if other in line]
    assert sections["gov_fund"].markdown.startswith(f"{word}2021年度无政府性基金")  # the 空表 sentence too


def test_percent_places_by_fact_prefix_are_computed_in_derive():
    _, facts = render("guangxi")  # one place everywhere
    assert facts["summary.income.grand_total.change_pct"].value == Decimal("-8.3")
    assert facts["expenditure.basic.share"].value == Decimal("51.5")
    _, facts = render()
    assert facts["summary.income.grand_total.change_pct"].value == Decimal("-8.30")


def test_small_amounts_in_yuan_below_a_threshold():
    assert format_yuan(Decimal("0.0275")) == "275元"
    assert format_yuan(Decimal("0.03")) == "300元"
    assert format_yuan(Decimal("0.00125")) == "12.5元"
    assert format_value(Decimal("0.03"), "万元", Decimal("0.1")) == "300元"
    assert format_value(Decimal("0.30"), "万元", Decimal("0.1")) == "0.30万元"
    assert format_value(Decimal("0"), "万元", Decimal("0.1")) == "0.00万元"
    assert format_value(Decimal("0.03"), "万元") == "0.03万元"


def test_a_style_that_writes_every_amount_in_yuan():
    # 云南 county reports of 2018 give amounts in 元 with separators, cents to two places, zeros in 万元
    assert format_yuan(Decimal("33.8866")) == "338,866元"
    assert format_yuan(Decimal("5.28142")) == "52,814.20元"
    assert format_yuan(Decimal("24.287081")) == "242,870.81元"
    style = load_style("yunnan-yuan")
    assert format_value(Decimal("24.287081"), "万元", style.yuan_below) == "242,870.81元"
    assert format_value(Decimal("0"), "万元", style.yuan_below) == "0.00万元"
    assert style.switches["zero_three_public"] == "figures" and style.sections == load_style("yunnan").sections
    later = load_style("yunnan-yuan-2022")  # from 2022 the same reports write a zero as 0元
    assert format_value(Decimal("0"), "万元", later.yuan_below, later.zero_in_yuan) == "0元"
    assert format_value(Decimal("24.287081"), "万元", later.yuan_below, later.zero_in_yuan) == "242,870.81元"
    assert not style.zero_in_yuan and not load_style("neimenggu-11").zero_in_yuan


def test_three_public_against_budget_in_both_styles_and_zero_items_in_words():
    sections, _ = render("yunnan")
    text = sections["three_public"].markdown
    # 完成预算的… and 较预算增加…，增长… for the same figure
    assert "财政拨款“三公”经费预算为195.00万元，支出决算为376.18万元，完成预算的192.91%，较预算增加181.18万元，增长92.91%" in text
    assert "因公出国（境）费无此项支出" in text and "2021年度未发生因公出国（境）费用。" in text
    assert "团组0个" not in text and "累计0人次" not in text
    ref, _ = render()
    assert "全年因公出国（境）团组0个，累计0人次" in ref["three_public"].markdown  # the reference keeps its figures


def test_the_yunnan_style_reads_like_a_yunnan_report():
    sections, _ = render("yunnan")
    outline = [(s.part, s.title) for s in sections.values()]
    assert outline[:4] == [
        ("第三部分 2021年度部门决算情况说明", "一、收入决算情况说明"),
        ("第三部分 2021年度部门决算情况说明", "二、支出决算情况说明"),
        ("第三部分 2021年度部门决算情况说明", "三、一般公共预算财政拨款支出决算情况说明"),
        ("第三部分 2021年度部门决算情况说明", "四、一般公共预算财政拨款“三公”经费支出决算情况说明"),  # 2021's title
    ]
    assert [t for p, t in outline if p.startswith("第四部分")][:3] == ["一、机关运行经费支出情况", "二、国有资产占用情况",
                                                                 "三、政府采购支出情况"]
    assert sections["gov_fund"].group == "四、其他重要事项情况说明" and sections["gov_fund"].title.startswith("（一）")
    assert "overview" not in sections and "budget_execution" not in sections
    assert outline[-1] == ("第五部分 名词解释", "名词解释")


def test_a_description_from_content_follows_a_figure_once():
    reasons = {"gb.class.204.actual.uses": "主要用于交通管理、道路执勤和车辆管理"}
    sections, facts = render(reasons=reasons)
    text = sections["general_budget"].markdown
    assert "公共安全支出5,817.35万元（主要用于交通管理、道路执勤和车辆管理），占100.00%" in text
    assert text.count("主要用于交通管理") == 1
    accounts = example_accounts()
    content = UnitContent(unit="example", year=2021, reasons=reasons)
    assert not [f for f in check_accounts(accounts, Project(root=Path(".")), content=content, facts=facts)
                if f.rule == "reason.unknown"]


def test_income_by_source_and_expenditure_by_class_with_changes():
    report = load("guangxi-2021-junxiu")
    project = Project(root=Path("."), style="guangxi")
    sections = {s.key: s for s in render_narrative(derive(report.accounts, project),
                                                   UnitContent(unit=report.slug, year=2021), project, link=False)}
    income = sections["income"].markdown
    assert "一般公共预算财政拨款收入382.17万元，占97.9%，较2020年度减少157.86万元，下降29.2%" in income
    assert "上级补助收入8.38万元，占2.1%，较2020年度减少17.40万元，下降67.5%" in income
    assert "上年结转和结余190.89万元，较2020年度减少7.63万元，下降3.8%" in income
    assert "经营收入0.00万元，占0.0%，与2020年度持平" in income  # a zero source listed as such
    assert "社会保障和就业支出467.99万元，占97.4%，较2020年度减少91.91万元，下降16.4%" in sections["expenditure"].markdown


def test_paired_totals_in_one_sentence():
    report = load("sichuan-2022-lvyou")
    project = Project(root=Path("."), style="sichuan")
    sections = {s.key: s for s in render_narrative(derive(report.accounts, project),
                                                   UnitContent(unit=report.slug, year=2022), project, link=False)}
    assert ("本年收入合计、本年支出合计较2021年各减少1,267.86万元、2,570.97万元，各下降23.51%、38.29%。"
            in sections["overview"].markdown)


def test_paired_totals_that_did_not_move_together_are_said_one_by_one():
    from dataclasses import replace as copy_with
    from factories import with_value

    accounts = example_accounts()
    sections, facts = render("sichuan", accounts=accounts)
    assert facts["income.total.change"].value == 0 and facts["expenditure.total.change"].value == 0
    assert "本年收入合计、本年支出合计均与2020年持平。" in sections["overview"].markdown
    more = accounts["expenditure"].row("total").values["total"] + Decimal("100")
    moved = with_value(accounts, "expenditure", "total", "total", more)
    sections, _ = render("sichuan", accounts=copy_with(moved, prior=accounts.prior))
    assert "本年收入合计与2020年持平，本年支出合计较2020年增加100.00万元，增长" in sections["overview"].markdown


def test_section_numbers_close_up_over_the_sections_written():
    sections, _ = render(reasons={})
    content_only = UnitContent(unit="example", year=2021, sections={"organization": "本单位设3个科室。"})
    project = Project(root=Path("."))
    written = {s.key: s for s in render_narrative(derive(example_accounts(), project), content_only, project)}
    assert "duties" not in written
    assert written["organization"].title == "一、部门（单位）机构设置及决算单位构成情况"  # not 二、
    assert written["budget_execution"].title == "一、关于2021年度预算执行情况分析"
    assert written["overview"].group == "二、关于2021年度决算情况说明"
    assert written["assets"].title == "（十三）国有资产占用情况"


def _report_outline(html: str) -> list[str]:
    import re

    return re.findall(r'<h2 id="dc-part-\d">([^<]+)</h2>', html)


def test_the_report_page_has_the_parts_of_its_style_in_their_order(tmp_path):
    from disclosure.site import build_unit_year
    from test_site_support import UNIT, copy_example

    root = copy_example(tmp_path / "p")
    toml = (root / "disclosure.toml").read_text(encoding="utf-8")
    (root / "disclosure.toml").write_text(toml.replace('table_set = "neimenggu-11"', 'table_set = "neimenggu-11"\nstyle = "yunnan"'),
                                          encoding="utf-8")
    build_unit_year(load_project(root), UNIT, 2021, tmp_path / "out")
    html = (tmp_path / "out" / UNIT / "2021" / "index.html").read_text(encoding="utf-8")
    # a 2021 report names the unit in 第一部分 (部门概况 from 2023 on, see the outlines of the corpus)
    assert _report_outline(html) == ["第一部分 巴彦淖尔市公安局交通管理支队概况", "第二部分 2021年度部门决算表", "第三部分 2021年度部门决算情况说明",
                                     "第四部分 其他重要事项及相关口径情况说明", "第五部分 名词解释"]
    second = html[html.index('id="dc-part-2"'):html.index('id="dc-part-3"')]
    assert 'href="tables/summary.html"' in second and "下载本表数据" in second  # the tables are 第二部分
    third = html[html.index('id="dc-part-3"'):html.index('id="dc-part-4"')]
    assert "一、收入决算情况说明" in third and 'id="dc-charts"' in third  # the charts stay with the 决算情况说明
    fourth = html[html.index('id="dc-part-4"'):html.index('id="dc-part-5"')]
    assert "一、机关运行经费支出情况" in fourth and "（一）政府性基金预算财政拨款收入支出情况" in fourth
    # the 绩效 section closes the part the 云南 list puts it in, titled and numbered as that part goes on
    assert "五、部门绩效自评情况" in fourth and "预算绩效评价工作开展情况" not in html
    assert "名词解释" in html[html.index('id="dc-part-5"'):] and "第五部分 部门决算公开表" not in html
    toc = html[html.index('id="dc-toc-title"'):html.index("</nav>", html.index('id="dc-toc-title"'))]
    assert toc.index("第二部分 2021年度部门决算表") < toc.index("第三部分 2021年度部门决算情况说明")


def test_without_a_narrative_content_goes_to_the_parts_of_the_style():
    from disclosure.site.outline import report_parts

    content = UnitContent(unit="example", year=2021, sections={"duties": "负责交通管理。", "glossary": "财政拨款：…",
                                                               "contact": "电话：1"})
    parts = report_parts([], content, 2021, set(), load_style("yunnan"))
    by_title = {p.title: [b.title for b in p.blocks] for p in parts}
    assert by_title["第一部分 部门概况"] == ["一、主要职能"]
    assert by_title["第五部分 名词解释"] == ["名词解释"]
    assert [p.kind for p in parts] == ["text", "tables", "narrative", "text", "text"]
    assert next(p for p in parts if p.kind == "narrative").note == "决算情况说明暂未生成，请查阅第二部分公开表。"
    assert not any("电话" in b.html for p in parts for b in p.blocks)  # a 云南 report has no 联系方式 part
    reference = report_parts([], content, 2021, set())
    assert [p.title for p in reference][-1] == "第五部分 部门决算公开表"
    assert [b.title for b in reference[3].blocks] == ["决算公开联系方式及信息反馈渠道"]


def test_a_style_may_write_the_prior_years_figure_in_each_comparison(monkeypatch):
    from dataclasses import replace as copy

    import disclosure.narrative.render as render_module

    base = load_style("neimenggu-11")
    with_prior = copy(base, switches={**base.switches, "prior_amount": True})
    monkeypatch.setattr(render_module, "style_for", lambda project, year=None: with_prior)
    sections, facts = render()
    before = facts["summary.income.grand_total.prior"].value
    change = facts["summary.income.grand_total.change"].value
    assert before > 0 and change != 0
    assert (f"收入支出总计较2020年度（{format_value(before, '万元')}）{'增加' if change > 0 else '减少'}"
            f"{format_value(abs(change), '万元')}") in sections["overview"].markdown
    assert "与2020年度（" in sections["general_budget"].markdown  # no change: 与2020年度（…）持平
    monkeypatch.undo()
    plain, _ = render()
    assert f"（{format_value(before, '万元')}）" not in plain["overview"].markdown
    # a zero base has no prior figure to write
    from disclosure.narrative.filters import change_words

    assert change_words(Decimal(5), None, "万元", base_zero=True, prior_amount="0.00万元") == \
        "较上年增加5.00万元，上年无此项，无可比性"
    assert change_words(Decimal(0), None, "万元", base_zero=False, prior_amount="5.00万元") == "与上年（5.00万元）持平"


def test_a_three_public_item_zero_in_both_years_is_said_to_be_none_not_unchanged():
    for style in ("", "guangxi", "sichuan"):
        sections, _ = render(style)
        text = sections["three_public"].markdown
        unit = "本单位" if style else "本部门"
        assert f"{unit}无因公出国（境）费支出。" in text and f"{unit}无公务接待费支出。" in text, style
        assert "因公出国（境）费支出与" not in text and "公务接待费支出与" not in text, style
        assert "公务用车购置支出较" in text  # an item that moved keeps its comparison



def test_a_vehicle_line_zero_in_both_years_is_said_to_be_none_not_unchanged():
    report = load("unknown-2018-hlx")  # no 公务用车 spending in 2018 or 2017
    project = Project(root=Path("."), style=report.style)
    sections = {s.key: s for s in render_narrative(derive(report.accounts, project),
                                                   UnitContent(unit="u", year=report.year), project, link=False)}
    text = sections["three_public"].markdown
    assert "公务用车购置及运行维护费支出0.00万元，上年亦无此项支出。" in text
    assert "公务用车购置及运行维护费支出0.00万元，与上年持平" not in text


def test_a_style_may_write_the_prior_figure_in_some_sections_only():
    sections, facts = render("gansu")  # 甘肃: the 三公 comparisons name last year's figure
    before = facts["tp.total.actual.prior"].value
    assert f"财政拨款“三公”经费支出较上年（{format_value(before, '万元')}）" in sections["three_public"].markdown
    assert "较上年（" not in sections["overview"].markdown and "较上年（" not in sections["general_budget"].markdown


def _project_with(tmp_path, config: str):
    (tmp_path / "disclosure.toml").write_text(config, encoding="utf-8")
    return load_project(tmp_path)


def _text_of(project, year: int = 2021) -> dict[str, str]:
    accounts = example_accounts()
    facts = derive(accounts, project)
    return {s.key: s.markdown for s in render_narrative(facts, UnitContent(unit="example", year=year), project, link=False)}


def test_a_project_turns_single_switches_on_over_its_style(tmp_path):
    # the reference style with two sentences of other provinces: zero sources listed, 三公 against the budget by difference
    plain = _text_of(Project(root=Path(".")))
    project = _project_with(tmp_path, '[project]\n[project.switches]\nlist_zero = true\nthree_public_budget = "difference"\n')
    assert project.switches == {"list_zero": True, "three_public_budget": "difference"}
    style = style_for(project, 2021)
    assert style.name == "neimenggu-11" and style.switches["list_zero"] is True
    assert style.switches["zero_three_public"] == "figures"  # the others stay the style's
    text = _text_of(project)
    assert "其他收入0.00万元，占0.00%" in text["income"] and "其他收入" not in plain["income"]
    assert "支出决算为376.18万元，较预算增加181.18万元，增长92.91%" in text["three_public"]
    assert "完成预算的192.91%" in plain["three_public"] and "完成预算的" not in text["three_public"]
    assert text["overview"] == plain["overview"]  # nothing else changes
    assert load_style("neimenggu-11").switches["list_zero"] is False  # the style itself is untouched


def test_a_switch_may_turn_a_styles_sentence_off(tmp_path):
    project = _project_with(tmp_path, '[project]\nstyle = "sichuan"\nswitches = { paired_totals = false }\n')
    assert style_for(project, 2021).switches["paired_totals"] is False
    assert style_for(Project(root=Path("."), style="sichuan"), 2021).switches["paired_totals"] is True


@pytest.mark.parametrize("config,message", [
    ("list_zeros = true", "[project.switches] 中没有名为“list_zeros”的开关，是否想写 list_zero？可用的开关：list_zero、"),
    ("threepublic_budget = \"both\"", "是否想写 three_public_budget？"),
    ("three_public_budget = \"compare\"", 'three_public_budget（“三公”经费与预算比较：completion 写完成预算的…%，difference 写较预算增减的金额与幅度，both 两者都写）须写 "completion"、"difference"、"both" 之一，现在写的是 "compare"'),
    ("list_zero = 1", "开关 list_zero（逐项列出为零的收入来源和支出种类（0.00万元，占0.00%）；关闭时只写非零项）须写 true 或 false，现在写的是 1"),
    ("prior_amount = [\"three_publc\"]", "开关 prior_amount 中的“three_publc”不是报告的节，是否想写 three_public？"),
    ("prior_amount = \"three_public\"", "开关 prior_amount（"),
])
def test_a_wrong_switch_is_a_config_error_naming_the_closest(tmp_path, config, message):
    (tmp_path / "disclosure.toml").write_text(f"[project.switches]\n{config}\n", encoding="utf-8")
    with pytest.raises(ConfigError) as exc:
        load_project(tmp_path)
    assert str(exc.value).startswith("disclosure.toml：") and message in str(exc.value), str(exc.value)


def test_every_mistake_in_the_switches_is_said_at_once(tmp_path):
    (tmp_path / "disclosure.toml").write_text('[project.switches]\nlist_zeros = true\npaired_total = false\n',
                                              encoding="utf-8")
    with pytest.raises(ConfigError) as exc:
        load_project(tmp_path)
    assert "是否想写 list_zero？" in str(exc.value) and "是否想写 paired_totals？" in str(exc.value)


def test_a_pinned_years_style_keeps_its_switches_and_a_year_may_set_its_own(tmp_path):
    project = _project_with(tmp_path, '[project]\nswitches = { list_zero = true }\n'
                                      '[years.2019]\nstyle = "neimenggu-11"\n'
                                      '[years.2020]\nstyle = "neimenggu-11"\nswitches = { list_zero = true }\n'
                                      '[years.2022.switches]\nthree_public_budget = "both"\n')
    assert style_for(project, 2019).switches["list_zero"] is False  # pinned before the switch was set
    assert style_for(project, 2020).switches["list_zero"] is True  # pinned with it
    assert style_for(project, 2021).switches["list_zero"] is True  # follows the project
    assert style_for(project, 2022).switches["three_public_budget"] == "both"
    assert style_for(project, 2022).switches["list_zero"] is True


def test_every_switch_a_template_reads_is_declared_with_a_default():
    folder = resources.files("disclosure.wording")
    read = {m for f in folder.iterdir() if f.name.endswith(".md")
            for m in re.findall(r"\bS\.([a-z_]+)", f.read_text(encoding="utf-8"))}
    specs = switch_specs()
    assert read <= set(specs), read - set(specs)
    assert switch_problems({k: s["default"] for k, s in specs.items()}) == []  # each default is a value it takes
    for name in style_names():
        assert set(load_style(name).switches) == set(specs)
    assert switch_problems({"three_public_budget": "both", "prior_amount": ["three_public", "basic"]}) == []


def test_check_and_build_say_a_wrong_switch_once_without_a_traceback(tmp_path, capsys):
    (tmp_path / "disclosure.toml").write_text('[project.switches]\nzero_three_publc = "words"\n', encoding="utf-8")
    for command in ("check", "build"):
        assert main([command, str(tmp_path)]) == 2
        err = capsys.readouterr().err
        assert err.count("是否想写 zero_three_public？") == 1 and "Traceback" not in err


def test_switches_written_as_one_value_say_how_to_write_them(tmp_path):
    (tmp_path / "disclosure.toml").write_text('[project]\nswitches = "list_zero"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as exc:
        load_project(tmp_path)
    assert "[project] switches（单项句式开关（[project.switches]））须写成一节 [project.switches]，其下每行一个设置" in str(exc.value)
    (tmp_path / "disclosure.toml").write_text('[years.2021]\nswitches = "list_zero"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as exc:
        load_project(tmp_path)
    assert "[years.2021] switches（该年度的单项句式开关）须写成一节 [years.2021.switches]，其下每行一个设置" in str(exc.value)
