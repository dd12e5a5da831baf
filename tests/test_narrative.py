"""narrative: wording templates over facts (Accounts built in tests/test_derive.py)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from disclosure.content import UnitContent
from disclosure.derive import derive
from disclosure.errors import InputError
from disclosure.narrative import render_narrative, section_defs
from disclosure.project import Project
from test_derive import example_accounts

PROJECT = Project(root=Path("."))
REASONS = {
    "summary.income.grand_total.change": "我单位响应国家政策，节约开支。",
    "basic.personnel.change": "主要原因是：我单位有新考录人员，人员经费增加",
    "gb.item.2040201.completion": "节约开支",
    "tp.total.completion": "购置执法执勤车辆",
}


def render(*, prior: bool = True, budget: bool = True, reasons: dict | None = None, sections: dict | None = None,
           settings: dict | None = None, link: bool = True, project: Project = PROJECT):
    facts = derive(example_accounts(prior=prior, budget=budget), project)
    content = UnitContent(unit="example", year=2021, reasons=dict(REASONS if reasons is None else reasons),
                          sections=dict(sections or {}), settings=dict(settings or {}))
    return {s.key: s for s in render_narrative(facts, content, project, link=link)}


@pytest.fixture(scope="module")
def report():
    return render()


def text_of(sections) -> str:
    return "\n".join(s.markdown for s in sections.values())


def test_sections_follow_the_reference_structure(report):
    keys = list(report)
    assert keys[:2] == ["budget_execution", "overview"]  # no content: no duties/organization/contact
    assert keys.index("three_public") < keys.index("gov_fund") < keys.index("assets") < keys.index("glossary")
    assert "contact" not in report and "duties" not in report
    assert report["general_budget"].title == "（五）关于2021年度一般公共预算财政拨款支出决算情况说明"
    assert report["overview"].part == "第二部分 2021年度部门决算情况说明"
    assert report["overview"].group == "二、关于2021年度决算情况说明"
    assert [d.key for d in section_defs()][:3] == ["duties", "organization", "budget_execution"]


@pytest.mark.parametrize("key, sentence", [
    ("overview", "本部门2021年度收入总计6,879.33万元，其中：本年收入合计5,728.23万元"),
    ("overview", "收入支出总计较2020年度减少622.89万元，下降8.30%，主要原因是：我单位响应国家政策，节约开支。"),
    ("income", "财政拨款收入5,728.23万元，占100.00%"),
    ("expenditure", "基本支出2,996.69万元，占51.51%；项目支出2,820.66万元，占48.49%"),
    ("general_budget", "与年初预算相比，减少1,071.71万元，下降15.56%"),
    ("general_budget", "（1）公安（款）行政运行（项）。年初预算6,418.74万元，决算支出5,268.74万元，完成年初预算的82.08%，"
                       "决算数与年初预算数的差异原因是：节约开支。"),
    ("basic", "较上年增加96.81万元，增长3.75%，主要原因是：我单位有新考录人员，人员经费增加。"),
    ("three_public", "预算为195.00万元，支出决算为376.18万元，完成预算的192.91%"),
    ("three_public", "车均运行维护费1.81万元"),
    ("gov_fund", "本部门2021年度无政府性基金预算财政拨款收入，也没有使用政府性基金预算财政拨款安排的支出，故本表为空表。"),
    ("procurement", "政府采购服务支出1,236.08万元，较2020年增加836.52万元，增长209.36%"),
    ("assets", "单位价值100万元以上专用设备1台（套），较2020年增加1台（套）"),
])
def test_sentences(report, key, sentence):
    assert sentence in report[key].markdown


def test_missing_reason_leaves_no_dangling_words_and_is_recorded(report):
    text = report["basic"].markdown
    assert "较上年增加47.84万元，增长17.71%。" in text  # 公用经费: no reason written
    assert report["basic"].missing_reasons == ("basic.public.change",)
    assert "gb.item.2040201.completion" not in report["general_budget"].missing_reasons


@pytest.mark.parametrize("variant", [
    {}, {"prior": False}, {"budget": False}, {"reasons": {}}, {"prior": False, "budget": False, "reasons": {}},
])
def test_unfilled_template_text_is_impossible(variant):
    sections = render(**variant)
    for section in sections.values():  # no stray line break inside a paragraph
        lines = section.markdown.splitlines()
        assert not any(a and b and not b.startswith(("|", "-", "*", "#")) for a, b in zip(lines, lines[1:])), section.key
    text = text_of(sections)
    for bad in ["增加(减少)", "增加（减少）", "增长(下降)", "增长（下降）", "原因是：。", "原因：。", "原因是。",
                "差异原因:", "差异原因：\n", "完成预算的0%", "完成预算的0.00%", "None", "{{", "{%", "，。", "；。", "。。"]:
        assert bad not in text, (bad, variant)


def test_zero_budget_gets_no_completion_rate(report):
    text = report["three_public"].markdown
    assert "因公出国（境）费预算为0.00万元，支出决算为0.00万元；" in text  # the report says 完成预算的0%


def test_no_prior_year():
    sections = render(prior=False)
    assert "本年度无上年可比数据" in sections["overview"].markdown
    text = text_of(sections)
    assert "较上年" not in text and "较2020" not in text and "持平" not in text


def test_no_budget_sheet_leaves_the_comparisons_out_without_tool_wording():
    sections = render(budget=False)
    assert "budget_execution" not in sections  # no 预算执行情况分析 at all, and no word about the sheet
    said = "\n".join(s.markdown for k, s in sections.items() if k != "glossary")  # the glossary defines 年初预算数
    assert "年初预算" not in said and "未填报" not in said and "数表" not in said
    # the numbers close up: 决算情况说明 becomes 一、 and its sections keep （一）…
    assert sections["overview"].group == "一、关于2021年度决算情况说明"
    assert sections["overview"].title == "（一）关于收支情况总体说明"
    assert sections["general_budget"].title == "（五）关于2021年度一般公共预算财政拨款支出决算情况说明"


def test_numbers_never_restart_inside_a_section(report):
    # （五）'s 类 are numbered 1、2、… and their 项 （1）（2）…, never （一） again inside （五）
    text = report["general_budget"].markdown
    assert "**1、公共安全（类）**" in text and "（2）公安（款）其他公安支出（项）" in text
    assert not re.search(r"（[一二三四五六七八九十]+）", text)


def test_percent_places_one():
    sections = render(project=Project(root=Path("."), percent_places=1))
    assert "下降8.3%" in sections["overview"].markdown
    assert "占51.5%" in sections["expenditure"].markdown


def test_figures_link_to_their_first_cell_with_formula(report):
    html = report["overview"].html
    assert ('<a class="dc-fig" href="tables/summary.html#cell-summary-C11" '
            'title="收入支出决算总表!C11（“总计”决算数）" data-fact="summary.income.grand_total">6,879.33万元</a>') in html
    change = re.search(r'<a [^>]*title="([^"]*)" data-fact="summary.income.grand_total.change_pct">([^<]*)</a>', html)
    assert change and change.group(2) == "8.30%"
    assert change.group(1) == "（收入总计 − 上年收入总计）÷ 上年收入总计 × 100%"


def test_prior_year_figures_link_to_that_years_tables(report):
    html = render(sections={"overview": "上年{{ F[\"summary.income.grand_total.prior\"] | fig }}。"})["overview"].html
    assert 'href="../2020/tables/summary.html#cell-summary-C11"' in html


def test_markdown_is_plain_and_link_false_gives_no_links(report):
    assert "<a " not in text_of(report)
    plain = render(link=False)
    assert all("<a " not in s.html for s in plain.values())
    assert "6,879.33万元" in plain["overview"].html


def test_content_override_of_a_section_is_used():
    sections = render(sections={"overview": "# 自己的标题\n\n本单位收入总计{{ F[\"summary.income.grand_total\"] | fig }}。\n"})
    assert sections["overview"].markdown == "本单位收入总计6,879.33万元。\n"
    assert sections["overview"].source.endswith("overview.md")
    assert sections["overview"].title == "（一）关于收支情况总体说明"
    assert 'data-fact="summary.income.grand_total"' in sections["overview"].html


def test_content_only_sections_and_contact_from_unit_settings():
    sections = render(sections={"duties": "# 主要职能职责\n\n负责全市交通管理。\n"},
                      settings={"contact_person": "李晗琨", "contact_phone": "0478-8611975"})
    assert sections["duties"].markdown == "负责全市交通管理。\n"
    assert "联系人：李晗琨" in sections["contact"].markdown and "联系电话：0478-8611975" in sections["contact"].markdown


@pytest.mark.parametrize("template, words", [
    ("{{ F[\"summary.income.grand_totl\"] | fig }}", "不存在的事实“summary.income.grand_totl”"),
    ("{{ F[\"gb.item.2049999.completion\"] | fig }}", "本年度无数据"),
    ("{{ no_such_name }}", "no_such_name"),
    ("{% if %}", "第1行"),
    ("{{ \"x\" | fig }}", "需要一个事实"),
])
def test_template_errors_name_the_file(template, words):
    with pytest.raises(InputError) as err:
        render(sections={"overview": template})
    problem = err.value.problems[0]
    assert words in problem.message
    assert problem.file == "content/example/overview.md"


def test_content_cannot_inject_script():
    sections = render(
        reasons={"summary.income.grand_total.change": "<script>alert(1)</script>节约<img src=x onerror=alert(2)>"},
        sections={"glossary": "<script>bad()</script>\n\n<a href=\"javascript:alert(3)\" onclick=\"x()\">链接</a>\n"},
    )
    for section in (sections["overview"], sections["glossary"]):
        assert "<script" not in section.html and "onerror" not in section.html
        assert "javascript:" not in section.html and "onclick" not in section.html
    assert "alert(1)" not in sections["overview"].html


def test_sandbox_blocks_python_internals():
    with pytest.raises(InputError):
        render(sections={"overview": "{{ F.__class__.__init__.__globals__ }}"})


def test_every_section_with_default_wording_ships_its_file():
    from disclosure.narrative import default_wording

    for sdef in section_defs():
        text = default_wording(sdef.key)
        assert (text is None) == sdef.content_only, sdef.key


def test_rendering_is_deterministic():
    first, second = render(), render()
    assert [(s.key, s.markdown, s.html) for s in first.values()] == [(s.key, s.markdown, s.html) for s in second.values()]


def test_reason_keys_may_be_written_bare_or_quoted(tmp_path):
    from disclosure.content import load_content

    folder = tmp_path / "content" / "example" / "2021"
    folder.mkdir(parents=True)
    (folder / "reasons.toml").write_text(
        '[reasons]\nbasic.public.change = "新考录新警"\n"gb.total.diff" = "节约开支"\n', encoding="utf-8")
    content = load_content(Project(root=tmp_path), "example", 2021)
    assert content.reasons == {"basic.public.change": "新考录新警", "gb.total.diff": "节约开支"}
    facts = derive(example_accounts(), PROJECT)
    sections = {s.key: s for s in render_narrative(facts, content, PROJECT)}
    assert "增长17.71%，主要原因是：新考录新警。" in sections["basic"].markdown


def test_gov_fund_with_figures_states_them():
    from test_derive import _table

    acc = example_accounts()
    acc.tables["gov_fund"] = _table("gov_fund", [("total", "合计", {"income": "12.5", "expenditure": "10"}, None)], 2021)
    acc.prior.tables["gov_fund"] = _table("gov_fund", [("total", "合计", {"income": "0", "expenditure": "4"}, None)], 2020)
    facts = derive(acc, PROJECT)
    sections = {s.key: s for s in render_narrative(facts, UnitContent(unit="example", year=2021), PROJECT)}
    text = sections["gov_fund"].markdown
    assert "政府性基金预算财政拨款收入12.50万元，较上年增加12.50万元，上年无此项，无可比性" in text
    assert "支出10.00万元，较上年增加6.00万元，增长150.00%" in text
    assert "空表" not in text


def test_a_table_set_without_the_extra_tables_still_reads_well():
    # national-9: no 项目收入支出决算表, no 信息表, no 年初预算数表
    acc = example_accounts(budget=False)
    for accounts in (acc, acc.prior):
        for key in ("projects", "info"):
            del accounts.tables[key]
    facts = derive(acc, PROJECT)
    sections = {s.key: s for s in render_narrative(facts, UnitContent(unit="example", year=2021), PROJECT)}
    assert sections["projects"].markdown == "2021年，项目支出总金额2,820.66万元。\n"
    assert "未填报2021年度政府采购支出信息" in sections["procurement"].markdown
    assert "未填报2021年度国有资产占用信息" in sections["assets"].markdown
    three = sections["three_public"].markdown
    assert "车均" not in three and "保有量" not in three and "团组" not in three
    assert "公务用车运行维护费支出185.94万元（预算为195.00万元，完成预算的95.35%）；公务用车运行维护费支出较上年减少19.31万元" in three


def test_a_class_budgeted_but_not_spent_is_still_explained():
    from test_derive import _table

    acc = example_accounts()
    rows = [(r.key, r.label, {c: str(v) for c, v in r.values.items()}, None) for r in acc["budget"].rows]
    rows += [("208", "社会保障和就业支出", {"initial": "50"}, None), ("20805", "行政事业单位养老支出", {"initial": "50"}, None),
             ("2080501", "行政单位离退休", {"initial": "50"}, None)]
    acc.tables["budget"] = _table("budget", rows, 2021)
    facts = derive(acc, PROJECT)
    text = {s.key: s for s in render_narrative(facts, UnitContent(unit="example", year=2021), PROJECT)}["general_budget"].markdown
    assert "决算结构：公共安全支出5,817.35万元，占100.00%。" in text  # no 0.00万元 class in the structure
    assert "**2、社会保障和就业（类）**" in text
    assert "（1）行政事业单位养老支出（款）行政单位离退休（项）。年初预算50.00万元，决算支出0.00万元，完成年初预算的0.00%" in text


def test_every_fact_named_in_the_default_wording_exists_in_the_registry():
    # branches the example never takes (a non-empty 国有资本 table …) are checked here statically
    from disclosure.derive import REGISTRY
    from disclosure.narrative import default_wording
    from disclosure.narrative.view import _patterns

    known = _patterns(REGISTRY)
    families = {e.key for e in REGISTRY.entries if e.__class__.__name__ == "Family"}
    for sdef in section_defs():
        text = default_wording(sdef.key) or ""
        for key in re.findall(r'F\["([^"~]+)"\]', text):
            assert known.match(key), (sdef.key, key)
        for prefix, suffix in re.findall(r'F\["([^"]+)" ~ [a-z]+ ~ "([^"]+)"\]', text):
            keys = [e.key + s for e in REGISTRY.entries for s in ("", ".change", ".prior") if e.compare or not s]
            assert any(k.startswith(prefix) and k.endswith(suffix) for k in keys), (sdef.key, prefix, suffix)
        for family in re.findall(r'rows\("([^"]+)"\)|"([^"]+)" \| listing', text):
            assert (family[0] or family[1]) in families, (sdef.key, family)


def test_a_fact_printed_without_a_filter_is_formatted_and_linked():
    sections = render(sections={"overview": "收入总计{{ F[\"summary.income.grand_total\"] }}，占比{{ F[\"expenditure.basic.share\"] }}。"})
    assert sections["overview"].markdown == "收入总计6,879.33万元，占比51.51%。\n"
    assert 'data-fact="summary.income.grand_total">6,879.33万元</a>' in sections["overview"].html


def test_classification_names_in_the_text_are_the_report_years_official_names():
    from dataclasses import replace as copy

    accounts = example_accounts()
    renamed = {"204": "公共安全", "20402": "公安机关", "2040201": "行政运行经费", "30101": "基本工资（在职）"}
    for key in ("general_budget", "basic"):
        table = accounts[key]
        accounts.tables[key] = copy(table, rows=[copy(r, label=renamed.get(r.code, r.label)) for r in table.rows])
    assert accounts["general_budget"].row("2040201").label == "行政运行经费"  # the table keeps its label
    project = Project(root=Path("."))
    facts = derive(accounts, project)
    assert facts.names["gb.item.2040201"] == "公安（款）行政运行（项）"
    assert facts.names["gb.class.204"] == "公共安全支出"
    sections = {s.key: s.markdown for s in render_narrative(facts, UnitContent(unit="example", year=2021), project,
                                                            link=False)}
    assert "公安（款）行政运行（项）" in sections["general_budget"] and "行政运行经费" not in sections["general_budget"]
    assert "公安机关" not in sections["general_budget"] and "公共安全支出5,817.35万元" in sections["general_budget"]
    assert "基本工资" in sections["basic"] and "在职" not in sections["basic"]
    # a code the year's list does not have keeps the row's own name
    from disclosure.derive.registry import official_name

    assert official_name("function", 2021, "2049999", "某专项") == "某专项"
    assert official_name("function", 2021, "210", "医疗卫生与计划生育支出") == "卫生健康支出"
    assert official_name("function", 2017, "210", "卫生健康支出") == "医疗卫生与计划生育支出"
