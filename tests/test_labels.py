"""The one normalisation of labels and headers (disclosure.labels), table-driven over labels,
headers, titles and 科目 names read in published 决算公开表 (tests/fixtures/real/labels.toml)."""
from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from disclosure.load.classification import year_list
from disclosure.load.header import Column, assign_columns, column_role
from disclosure.labels import is_note, is_spacer, label_unit, loose_key, money_unit, normalize_label, says_empty
from disclosure.load.locate import _title_score
from disclosure.load.text import find_item, norm
from disclosure.standard import TableSpec, table_library

TABLE = tomllib.loads((Path(__file__).parent / "fixtures" / "real" / "labels.toml").read_text(encoding="utf-8"))
LABELS = TABLE["labels"]
LIBRARY = table_library()


def _id(entry: dict) -> str:
    return f"{entry['kind']}:{entry.get('raw') or '/'.join(entry['path'])}"


def test_the_table_holds_at_least_100_published_labels_each_with_a_known_source():
    printed = [e for e in LABELS if "variant" not in e]
    assert len(printed) >= 100
    assert {e["source"] for e in LABELS} <= set(TABLE["sources"])
    assert len({_id(e) + str(e.get("table")) for e in LABELS}) == len(LABELS)  # no entry twice


def _items(spec: TableSpec, block: str | None):
    if block is None:
        return spec.items
    return next(b for b in spec.blocks if b.key == block).items


def _columns(spec: TableSpec, block: str | None):
    if block is None:
        return spec.columns
    return next(b for b in spec.blocks if b.key == block).columns


@pytest.mark.parametrize("entry", [e for e in LABELS if e["kind"] == "item"], ids=_id)
def test_a_published_row_label_picks_its_item(entry):
    items = _items(LIBRARY[entry["table"]], entry.get("block"))
    item = find_item(items, entry["raw"], set())
    assert item is not None and item.key == entry["key"]


def _header_groups() -> dict[str, list[dict]]:
    """Column entries by table, block and source: the headers one published sheet prints side by side."""
    groups: dict[str, list[dict]] = {}
    for e in LABELS:
        if e["kind"] == "column":
            groups.setdefault(f"{e['table']}.{e.get('block')}.{e['source']}", []).append(e)
    return groups


@pytest.mark.parametrize("group", list(_header_groups().values()), ids=list(_header_groups()))
def test_published_header_paths_read_as_their_columns(group):
    specs = _columns(LIBRARY[group[0]["table"]], group[0].get("block"))
    columns = []
    for i, entry in enumerate(group):
        path = tuple(norm(p) for p in entry["path"])
        assert column_role(path)[0] == "value"
        columns.append(Column(i, path, "value"))
    assert assign_columns(specs, columns) == {e["key"]: i for i, e in enumerate(group)}


@pytest.mark.parametrize("entry", [e for e in LABELS if e["kind"] == "title"], ids=_id)
def test_a_published_title_names_its_table_before_any_other(entry):
    scores = {tid: _title_score(entry["raw"], spec, None) for tid, spec in LIBRARY.items()}
    best = max((s, tid) for tid, s in scores.items() if s is not None)
    assert scores[entry["table"]] is not None and scores[entry["table"]][0] >= 2
    assert scores[entry["table"]] == best[0]


@pytest.mark.parametrize("entry", [e for e in LABELS if e["kind"] == "subject"], ids=_id)
def test_a_published_name_without_code_takes_the_code_of_its_year(entry):
    lst = year_list(entry.get("scheme", "function"), entry["year"])
    assert lst.code_for(entry["raw"], entry.get("parent")) == entry["code"]


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("车辆数合计（辆）", "车辆数合计"),
        ("单位价值50万元以上通用设备（台、套）", "单位价值50万元以上通用设备"),
        ("单位价值50万元以上通用设备（台/套）", "单位价值50万元以上通用设备"),
        ("单位价值50万元以上通用设备（台（套））", "单位价值50万元以上通用设备"),
        ("因公出国（境）团组数（个）", "因公出国(境)团组数"),
        ("国内公务接待人次（人次）", "国内公务接待人次"),
        ("政府采购支出总额（万元）", "政府采购支出总额"),
        ("政府采购支出总额(元)", "政府采购支出总额"),
        ("决算数（金额单位：万元）", "决算数"),
        ("公安（款）", "公安"),
        ("一、一般公共服务支出", "一般公共服务支出"),
        ("（一）基本支出", "基本支出"),
        ("(一)基本支出", "基本支出"),
        ("1.工资福利支出", "工资福利支出"),
        ("1、工资福利支出", "工资福利支出"),
        ("1）工资福利支出", "工资福利支出"),
        ("①行政运行", "行政运行"),
        ("⑴行政运行", "行政运行"),
        ("第一部分 收入支出决算总表", "收入支出决算总表"),
        ("其中：公务用车运行维护费", "公务用车运行维护费"),
        ("其中:公务用车运行维护费", "公务用车运行维护费"),
        ("其中公务用车运行维护费", "公务用车运行维护费"),
        ("（二）其中：一般公共预算财政拨款收入", "一般公共预算财政拨款收入"),
        ("「三公」经费", "三公经费"),
        ('"三公"经费', "三公经费"),
        ("九、《国有资本经营预算财政拨款收入支出决算表》", "国有资本经营预算财政拨款收入支出决算表"),
        ("项目（按功能分类）", "项目"),
        ("项目(按经济分类)", "项目"),
        ("科目名称（按支出功能分类科目）", "科目名称"),
        ("合　计：", "合计"),
        ("ＡＢＣ１２３", "ABC123"),
        # what must survive: brackets inside a name, a bracketed word that is no unit, decimals
        ("因公出国（境）费", "因公出国(境)费"),
        ("资本性支出（基本建设）", "资本性支出(基本建设)"),
        ("中医（民族）医院", "中医(民族)医院"),
        ("住房公积金（个人）", "住房公积金(个人)"),
        ("1.5", "1.5"),
        ("一般公共服务支出", "一般公共服务支出"),
        ("十分重要事项", "十分重要事项"),
        ("（万元）", "(万元)"),
        ("按功能分类", "按功能分类"),
        ("（按功能分类）", "(按功能分类)"),
    ],
)
def test_normalisation_rules(raw, expected):
    assert normalize_label(raw) == expected


def test_units_read_from_the_label():
    assert label_unit("车辆数合计（辆）") == "辆"
    assert label_unit("单位价值50万元以上通用设备（台、套）") == "台、套"
    assert money_unit("机关运行经费支出（元）") == "元"
    assert money_unit("车辆数合计（辆）") is None
    assert label_unit("因公出国（境）费") is None


def test_loose_keys_read_total_variants_alike():
    assert loose_key("本年收入合计") == loose_key("收入总计") == "收入合计"
    assert loose_key("人员经费小计") == "人员经费合计"


def test_a_loose_match_is_refused_when_two_items_share_the_key():
    # 01表: 本年收入合计 and 总计 (alias 收入总计) both loosen to 收入合计, so 收入合计 names neither
    income = _items(LIBRARY["summary"], "income")
    assert find_item(income, "收入合计", set()) is None
    assert find_item(income, "本年收入合计", set()).key == "year_total"


@pytest.mark.parametrize(
    "text", ["注：本表反映部门本年度的总收支和年末结转结余情况。", "说明:本表金额单位为万元", "备注：无", "注1：…",
             "单位负责人：张三", "制表人：李四", "填报日期：2022年5月"],
)
def test_note_and_signature_lines(text):
    assert is_note(text)


@pytest.mark.parametrize("text", ["注册资本金", "说明书印刷费", "一般公共服务支出"])
def test_names_that_only_begin_like_notes_are_not_notes(text):
    assert not is_note(text)


# what published tables print under an empty table, with or without 注：
@pytest.mark.parametrize("text", [
    "本单位无政府性基金预算财政拨款收入、支出，故本表为空表", "本表无数据。", "此表为空", "该表无内容",
    "本单位2021年度没有国有资本经营预算财政拨款支出。", "注：本部门无此项支出", "本表为空表",
])
def test_a_line_saying_the_table_is_empty_is_a_note(text):
    assert says_empty(text) and is_note(text)


@pytest.mark.parametrize("text", ["数据中心", "其他收入", "本年收入合计", "项目（按功能分类）", "大数据发展管理"])
def test_labels_are_not_taken_for_an_empty_tables_note(text):
    assert not says_empty(text) and not is_note(text)


def test_spacer_rows():
    assert is_spacer(["", "　", "其中："])
    assert not is_spacer(["其中：公务接待费"])
