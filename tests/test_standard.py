"""The table standard is data: every set loads, is complete, and matches the reference report."""
from __future__ import annotations

import pytest

from disclosure.standard import (
    available_table_sets,
    function_class_code,
    load_table_set,
    normalize_label,
    table_library,
)

REFERENCE_ORDER = [
    "收入支出决算总表",
    "收入决算表",
    "支出决算表",
    "财政拨款收入支出决算总表",
    "项目收入支出决算表",
    "一般公共预算财政拨款支出决算表",
    "一般公共预算财政拨款基本支出决算明细表",
    "政府性基金预算财政拨款收入支出决算表",
    "国有资本经营预算财政拨款收入支出决算表",
    "财政拨款“三公”经费支出决算表",
    "机关运行经费支出、国有资产占用情况及政府采购支出信息表",
]


def test_reference_set_lists_the_reports_eleven_tables_in_order():
    ts = load_table_set("neimenggu-11")
    published = ts.published()
    assert [t.title for t in published] == REFERENCE_ORDER
    assert [t.marker for t in published] == [f"公开{n:02d}表" for n in range(1, 12)]


@pytest.mark.parametrize("name", available_table_sets())
def test_every_set_is_well_formed(name):
    ts = load_table_set(name)
    keys = [t.key for t in ts]
    assert len(keys) == len(set(keys)), "table keys are unique within a set"
    for spec in ts:
        assert spec.layout in {"blocks", "classified", "record", "items"}
        assert spec.all_columns(), f"{spec.key} has value columns"
        if spec.layout == "blocks":
            assert len(spec.blocks) >= 2
        if spec.layout == "classified":
            assert spec.classification in {"function", "economic", "units"}  # units: a 分单位 table
        item_keys = [spec.item_key(b, i.key) for b, i in spec.all_items()]
        assert len(item_keys) == len(set(item_keys)), f"{spec.key} item keys are unique"


def test_national_and_provincial_sets_exist_and_differ():
    national = load_table_set("national-9")
    assert len(national.published()) == 9
    assert national.get("state_capital").title == "国有资本经营预算财政拨款支出决算表"
    yunnan = load_table_set("yunnan-11")
    assert len(yunnan.published()) == 11
    assert yunnan.get("summary").title == "收入支出决算表"
    assert yunnan.get("general_budget_projects") is not None


def test_unknown_set_names_the_known_ones():
    with pytest.raises(ValueError, match="neimenggu-11"):
        load_table_set("atlantis-3")


def test_library_ids_are_unique_and_used():
    used = {t.id for name in available_table_sets() for t in load_table_set(name)}
    assert used <= set(table_library())


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("（一）其中：一般公共预算财政拨款收入 ", "一般公共预算财政拨款收入"),
        ("财政拨款\"三公\"经费支出决算表", "财政拨款三公经费支出决算表"),
        ("因公出国（境）费", "因公出国(境)费"),
        ("一、\u3000本年收入合计", "本年收入合计"),
        ("1.人员经费合计：", "人员经费合计"),
    ],
)
def test_normalize_label(raw, expected):
    assert normalize_label(raw) == expected


def test_function_class_names_and_aliases():
    assert function_class_code("二十一、住房保障支出") == "221"
    assert function_class_code("医疗卫生与计划生育支出") == "210"
    assert function_class_code("不存在的支出") is None
