"""Per-process caches never serve stale or different results: a changed input is read again, and a
cached conversion equals a fresh one."""
from __future__ import annotations

import markdown
import pytest

from disclosure.derive.entry_kinds import Cell, Source
from disclosure.markup import clean_html, render_markdown
from disclosure.performance.inputs import load_performance_inputs
from disclosure.project import load_project
from disclosure.standard import load_table_set


def test_performance_toml_change_of_same_size_is_seen(tmp_path):
    folder = tmp_path / "content" / "u" / "2021"
    folder.mkdir(parents=True)
    path = folder / "performance.toml"
    path.write_text("[figures]\nstaff_actual = 11\n", encoding="utf-8")
    project = load_project(tmp_path)
    first = load_performance_inputs(project, "u", 2021)
    path.write_text("[figures]\nstaff_actual = 12\n", encoding="utf-8")  # same size, same second
    second = load_performance_inputs(project, "u", 2021)
    assert first.figures["staff_actual"] == 11 and second.figures["staff_actual"] == 12
    path.write_text("[figures\n", encoding="utf-8")
    with pytest.raises(Exception) as exc:
        load_performance_inputs(project, "u", 2021)
    assert "content/u/2021/performance.toml" in str(exc.value)


@pytest.mark.parametrize("text", [
    "1. 甲\n2. 乙\n\n* 丙\n* 丁\n",
    "| 项目 | 金额 |\n|---|---:|\n| 合计 | 1.00 |\n",
    "[链接][a]\n\n[a]: https://example.org/\n",
    "<script>alert(1)</script><p onclick=\"x\">段落</p>",
    "",
])
def test_render_markdown_cached_equals_a_fresh_converter(text):
    fresh = clean_html(markdown.Markdown(extensions=["tables", "sane_lists"], output_format="html").convert(text))
    assert render_markdown(text) == fresh
    assert render_markdown(text) == fresh  # served from the cache
    assert "<script" not in render_markdown(text)


def test_reference_definitions_do_not_leak_between_texts():
    render_markdown("[a]: https://example.org/\n")
    assert "href" not in render_markdown("[链接][a]\n")


def test_item_units_follow_the_spec_object():
    from dataclasses import replace

    info = load_table_set("neimenggu-11").get("info")
    units = info.item_units
    assert units is info.item_units  # made once per spec
    assert any(u not in (None, "", "万元") for u in units.values())  # 辆, 台（套）…
    three = load_table_set("neimenggu-11").get("three_public")
    assert three.item_units is not units
    fewer = replace(info, items=info.items[:1])  # a changed spec has its own
    assert list(fewer.item_units) == [info.items[0].key]


def test_bound_family_entries_are_reused_and_distinct_per_code():
    entry = Cell(key="gb.item.{code}", label="{name}", description="d", family="gb.item",
                 sources=(Source("general_budget", "{code}", "total"),))
    a = entry.bound("2040201", "行政运行")
    assert a is entry.bound("2040201", "行政运行")
    assert a.key == "gb.item.2040201" and a.label == "行政运行" and a.sources[0].row == "2040201"
    b = entry.bound("2040202", "一般行政管理事务")
    assert b.key == "gb.item.2040202" and b is not a
    other = Cell(key="x.{code}", label="{name}", description="d", family="x", sources=())
    assert other.bound("2040201", "行政运行").key == "x.2040201"


def test_spec_lookups_made_at_load_equal_a_fresh_normalisation():
    from disclosure.labels import normalize_label
    from disclosure.performance.rubric import load_rubric

    for spec in load_table_set("neimenggu-11").tables:
        assert spec.title_keys == tuple(t for t in (normalize_label(x) for x in spec.titles()) if t)
        for _, item in spec.all_items():
            assert item.label_keys == {normalize_label(item.label), *(normalize_label(a) for a in item.aliases)}
    rubric = load_rubric()
    words = [w for w, _ in rubric.operator_words]
    assert words == sorted(words, key=len, reverse=True) and rubric.unit_words
