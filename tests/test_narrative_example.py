"""The example unit's 2021 report states, sentence by sentence, the figures of the reference report.

Where the reference report is wrong or imprecise, the generated text tells the truth from the
cells; each such case carries a comment. Figures come from tables/bayannur-jiaoguan/2021.xlsx and
2020.xlsx, the 年初预算数 from their 年初预算数表 sheet, the reasons from content/…/reasons.toml.
"""
from __future__ import annotations

import json
from dataclasses import replace
import re
from pathlib import Path

import pytest

from disclosure.content import load_content
from disclosure.derive import derive, write_facts_json
from disclosure.load import load_accounts
from disclosure.narrative import render_narrative
from disclosure.project import load_project

ROOT = Path(__file__).resolve().parents[1]
UNIT = "bayannur-jiaoguan"


@pytest.fixture(scope="module")
def example():
    project = load_project(ROOT)
    accounts = load_accounts(project, UNIT, 2021)
    facts = derive(accounts, project)
    content = load_content(project, UNIT, 2021)
    sections = {s.key: s for s in render_narrative(facts, content, project)}
    return facts, content, sections


# (section, what the generated text says) — in the order of the reference report's 第二部分.
SENTENCES = [
    # 一、预算执行情况分析 — the report: 收、支总计减少9.73万元，减少0.14%
    ("budget_execution", "2021年度收入、支出决算总计6,879.33万元"),
    ("budget_execution", "与年初预算相比，减少9.73万元，下降0.14%，变动原因：我单位响应国家政策"),
    # （一）收支总体 — the report prints 1,151.1万元 and 下降8.3%; two places are the rule
    ("overview", "本部门2021年度收入总计6,879.33万元，其中：本年收入合计5,728.23万元，使用非财政拨款结余0.00万元，"
                 "年初结转和结余1,151.10万元"),
    ("overview", "支出总计6,879.33万元"),
    ("overview", "结余分配0.00万元，年末结转和结余1,061.97万元"),
    ("overview", "收入支出总计较2020年度减少622.89万元，下降8.30%，主要原因是："),
    # （二）收入 — the report prints 占100%
    ("income", "本年收入合计5,728.23万元，其中：财政拨款收入5,728.23万元，占100.00%"),
    # （三）支出
    ("expenditure", "本年支出合计5,817.35万元，其中：基本支出2,996.69万元，占51.51%；项目支出2,820.66万元，占48.49%"),
    # （四）财政拨款收支总体
    ("fiscal", "本部门2021年度财政拨款收入总计6,879.33万元"),
    ("fiscal", "年初财政拨款结转和结余1,151.10万元"),
    ("fiscal", "年末财政拨款结转和结余1,061.97万元"),
    ("fiscal", "财政拨款收入支出总计较2020年度减少622.89万元，下降8.30%"),
    # （五）一般公共预算财政拨款支出
    ("general_budget", "一般公共预算财政拨款支出5,817.35万元，占本年支出合计的100.00%，其中：基本支出2,996.69万元，"
                       "占51.51%；项目支出2,820.66万元，占48.49%"),
    ("general_budget", "年初预算6,889.06万元，与年初预算相比，减少1,071.71万元，下降15.56%，变动原因："),
    ("general_budget", "公安（款）行政运行（项）。年初预算6,418.74万元，决算支出5,268.74万元，完成年初预算的82.08%，"
                       "决算数与年初预算数的差异原因是：我单位响应国家政策"),
    # （六）基本支出 — the report prints 机关事业单位基本养老缴费140.7万元, 印刷费10万元 …
    ("basic", "一般公共预算财政拨款基本支出2,996.69万元"),
    ("basic", "人员经费2,678.73万元，主要包括：基本工资435.65万元、津贴补贴644.64万元、奖金34.54万元"),
    ("basic", "抚恤金141.90万元、生活补助1.92万元；较上年增加96.81万元"),
    ("basic", "主要原因是：我单位有新考录人员，人员经费增加。"),
    ("basic", "公用经费317.97万元，主要包括：办公费3.99万元、印刷费10.00万元"),
    ("basic", "其他交通费用101.15万元、其他商品和服务支出3.48万元；较上年增加47.84万元"),
    # （七）三公 — the report prints 预算为195万元; and 完成预算的0% for zero budgets, which is no ratio at all
    ("three_public", "财政拨款“三公”经费预算为195.00万元，支出决算为376.18万元，完成预算的192.91%"),
    ("three_public", "公务用车购置及运行维护费预算为195.00万元，支出决算为376.18万元，完成预算的192.91%"),
    ("three_public", "因公出国（境）费预算为0.00万元，支出决算为0.00万元；"),
    ("three_public", "公务用车购置及运行维护费支出376.18万元，占100.00%"),
    ("three_public", "全年因公出国（境）团组0个，累计0人次"),
    ("three_public", "公务用车购置支出190.23万元"),
    ("three_public", "公务用车购置支出较上年减少91.15万元"),
    ("three_public", "公务用车运行维护费支出185.94万元"),
    ("three_public", "车均运行维护费1.81万元"),
    ("three_public", "公务用车运行维护费支出较上年减少19.31万元"),
    ("three_public", "公务用车保有量为103辆"),
    ("three_public", "本部门无公务接待费支出。"),  # the report: 较上年增加(减少)0万元，我单位无公务接待费支出
    # （八）（九）空表 — the report: 增加(减少)0万元，增长(下降)0%
    ("gov_fund", "本部门2021年度无政府性基金预算财政拨款收入，也没有使用政府性基金预算财政拨款安排的支出，故本表为空表。"),
    ("state_capital", "本部门2021年度无国有资本经营预算财政拨款收入，也没有使用国有资本经营预算财政拨款安排的支出，故本表为空表。"),
    # （十）项目支出 — the report calls the 97.88万元 财政拨款结转结余; in the 05 table it is 年初结转和结余
    ("projects", "预算安排项目2个，实施项目2个，完成项目2个，项目支出总金额2,820.66万元"),
    ("projects", "本年财政拨款收入2,749.34万元，年初结转和结余97.88万元"),
    # （十一）政府采购 — the report prints 1,646.7万元, 降低15.9%, 降低100%
    ("procurement", "政府采购支出合计1,646.70万元"),
    ("procurement", "政府采购货物支出410.62万元，较2020年减少77.64万元，下降15.90%"),
    ("procurement", "政府采购工程支出0.00万元，较2020年减少90.27万元，下降100.00%"),
    ("procurement", "政府采购服务支出1,236.08万元，较2020年增加836.52万元，增长209.36%"),
    ("procurement", "授予中小企业合同金额0.00万元，占政府采购支出总额的0.00%"),
    # （十二）机关运行经费
    ("operating_cost", "机关运行经费支出317.97万元，较2020年增加47.84万元，增长17.71%"),
    # （十三）国有资产
    ("assets", "截至2021年12月31日，本部门共有车辆103辆"),
    ("assets", "其中：执法执勤用车103辆"),
    ("assets", "单位价值50万元以上通用设备11台（套），较2020年增加3台（套）"),
    ("assets", "单位价值100万元以上专用设备1台（套），较2020年增加1台（套）"),
]


@pytest.mark.parametrize("key, sentence", SENTENCES)
def test_the_example_states_the_reference_figures(example, key, sentence):
    _, _, sections = example
    assert sentence in sections[key].markdown


def test_the_reports_zero_over_zero_line_is_not_reproduced(example):
    # The report prints 人大事务（款）行政运行（项） 年初预算0万元，决算支出0万元，完成年初预算的100%;
    # a 项 with neither budget nor spending is not in the tables, so it is not in the text.
    _, _, sections = example
    assert "人大事务" not in sections["general_budget"].markdown


def test_every_figure_in_the_html_is_a_link(example):
    _, content, sections = example
    for key, section in sections.items():
        if section.source != "default":
            continue
        html = re.sub(r'<a class="dc-fig"[^>]*>[^<]*</a>', "", section.html)
        for reason in content.reasons.values():
            html = html.replace(reason.strip().rstrip("。"), "")
        html = re.sub(r"单位价值\d+万元以上", "", html)
        assert not re.findall(r"\d[\d,.]*(?:万元|%|辆|个|人次|台（套）)", html), key


def test_every_reason_written_is_used_and_none_is_missing(example):
    facts, content, sections = example
    used = "\n".join(s.markdown for s in sections.values())
    for key, text in content.reasons.items():
        assert text.strip().rstrip("。") in used, key
    missing = {k for s in sections.values() for k in s.missing_reasons}
    # the reference report gives no reason for these; the check stage warns about each
    assert missing == {
        "income.total.change", "expenditure.total.change", "gb.total.change", "gb.item.2040299.completion",
        "gb.item.2080501.completion", "gb.item.2101103.completion", "tp.total.actual.change",
        "tp.vehicle.completion", "tp.vehicle.actual.change", "tp.vehicle_purchase.completion",
        "tp.vehicle_operation.completion", "procurement.total.change", "assets.vehicles.total.change",
    }


def test_facts_json_of_the_example(example, tmp_path):
    facts, _, _ = example
    data = json.loads(write_facts_json(facts, tmp_path / "facts.json").read_text(encoding="utf-8"))
    fact = data["facts"]["tp.vehicle_operation.per_vehicle"]
    assert fact["value"] == "1.805242718447" and fact["unit"] == "万元"  # printed 1.81万元
    assert fact["formula"] == "公务用车运行维护费决算数 ÷ 公务用车保有量"
    assert {c["table"] for c in fact["cells"]} == {"three_public", "info"}
    assert data["facts"]["gb.item.2040201.completion"]["value"] == "82.08"
    assert all(f["cells"] or f["unit"] == "" or "按0计" in f["formula"] for f in data["facts"].values())


@pytest.mark.parametrize("year", [2021, 2020])
def test_no_paragraph_is_broken_by_a_stray_line_break(year):
    # a single newline inside a paragraph shows as a space between Chinese sentences
    project = load_project(ROOT)
    accounts = load_accounts(project, UNIT, year)
    sections = render_narrative(derive(accounts, project), load_content(project, UNIT, year), project)
    for section in sections:
        if section.source != "default":
            continue
        lines = section.markdown.splitlines()
        for first, second in zip(lines, lines[1:]):
            assert not (first and second and not second.startswith(("|", "-", "*", "#"))), (section.key, first, second)


def test_every_reason_that_could_be_wanted_has_a_place_in_the_text(example):
    # write a reason for every change or budget gap of the example and find each one in the text
    from disclosure.narrative.render import _needs_reason

    facts, content, _ = example
    keys = sorted({f.reason_key for f in facts.values() if f.reason_key and _needs_reason(facts, f.reason_key)})
    assert len(keys) > 20
    content = replace(content, reasons={key: f"原因{n}号" for n, key in enumerate(keys)})
    text = "\n".join(s.markdown for s in render_narrative(facts, content, load_project(ROOT)))
    assert [k for n, k in enumerate(keys) if f"原因{n}号" not in text] == []
