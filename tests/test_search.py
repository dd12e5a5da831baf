"""Search: grams, each unit-year's part, the sharded merge (full and incremental give the same bytes),
the JS hash agreeing with Python, and a batch rebuild replacing a changed unit-year's entries."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from disclosure.site.search import (
    MAX_TEXT,
    SearchDoc,
    doc_path,
    fragments,
    gram_hash,
    grams,
    make_part,
    page_text,
    shard_count,
    shard_of,
)
from disclosure.site.search_index import pages_with, write_search_index
from test_site_support import ROOT, UNIT, build, copy_example, digest_tree


def test_grams_are_unigrams_and_bigrams_of_word_runs() -> None:
    assert grams("三公经费") == {"三", "公", "经", "费", "三公", "公经", "经费"}
    assert grams("A1 ，公积") == {"a", "1", "a1", "公", "积", "公积"}
    assert "，" not in "".join(grams("甲，乙"))


def test_page_text_is_the_main_content_without_scripts() -> None:
    html = "<header>页眉</header><main><h1>标题</h1><script>var x='不要';</script><p>正文 <b>内容</b></p></main><footer>页脚</footer>"
    assert page_text(html) == "标题 正文 内容"


def test_part_masks_pages_sorted_by_url_with_title_bits_and_is_safe_in_a_script() -> None:
    docs = [SearchDoc("u/2021/b.html", "乙表", "住房公积金 </script>"), SearchDoc("u/2021/a.html", "三公经费表", "三公经费 公积金")]
    part = make_part("u/2021", docs)
    entries = dict(e.split(":", 1) for e in part.entries)
    assert entries["积金"] == "3"  # a.html is page 0, b.html page 1: both
    assert entries["三公"] == "1/1"  # a.html only, and in its title
    assert entries["乙"] == "2/2"
    first, second = (s.decode("utf-8") for s in part.doc_scripts)
    assert first.startswith('DC_SEARCH.doc("u/2021",0,["u/2021/a.html","三公经费表"') and "</script" not in second
    assert json.loads(second[len('DC_SEARCH.doc("u/2021",1,'):-3]) == ["u/2021/b.html", "乙表", "住房公积金 </script>"]
    assert doc_path("u/2021", 1) == "u/2021/search-docs/1.js" and doc_path("", 0) == "assets/search/portal-docs/0.js"
    assert list(part.hashes) == sorted(part.hashes) == [gram_hash(e.split(":")[0]) for e in part.entries]


def test_grams_cover_the_whole_page_though_the_stored_text_is_cut() -> None:
    part = make_part("u/1", [SearchDoc("a.html", "长页", "甲" * MAX_TEXT + "住房公积金")])
    assert "积金:1" in part.entries
    assert len(json.loads(part.doc_scripts[0].decode()[len('DC_SEARCH.doc("u/1",0,'):-3])[2]) == MAX_TEXT


def test_shards_are_powers_of_two_growing_with_the_site_and_split_by_top_bits() -> None:
    assert shard_count(2) == 4 and shard_count(1000) == 1024 and shard_count(10**6) == 8192
    assert shard_of(0xFFFFFFFF, 512) == 511 and shard_of(0x00FFFFFF, 512) == 1 and shard_of(0x12345678, 1) == 0
    part = make_part("u/1", [SearchDoc("a.html", "标题", "三公经费与住房公积金")])
    frags = fragments(part, 4)
    assert all(f.startswith(",") and f.endswith(",") for f in frags.values())
    assert sorted(e for f in frags.values() for e in f.strip(",").split(",")) == sorted(part.entries)
    assert fragments(part, 1) == {0: "," + ",".join(part.entries) + ","}
    for s, f in frags.items():
        for e in f.strip(",").split(","):
            assert shard_of(gram_hash(e.split(":")[0]), 4) == s


def test_shard_rows_are_the_json_of_id_and_fragment() -> None:
    from disclosure.site.search import js_json, shard_row, shard_script

    rows = [(0, ",三公:1/1,积金:3,"), (7, ",a1:10,")]
    script = shard_script(5, b"".join(shard_row(i, f) for i, f in rows))
    assert script.decode("utf-8") == f"DC_SEARCH.shard(5,{js_json([list(r) for r in rows])});\n"
    assert shard_script(2, b"") == b"DC_SEARCH.shard(2,[]);\n"


def _parts(texts: dict[str, str]) -> dict[str, object]:
    return {k: make_part(k, [SearchDoc(f"{k}/index.html", f"{k} 报告", t), SearchDoc(f"{k}/t.html", "表", "三公经费")])
            for k, t in texts.items()}


def _merge(out: Path, parts: dict, cache: Path | None) -> dict[str, int]:
    reads: list[str] = []

    def load(key: str):
        reads.append(key)
        return parts[key]

    counts = write_search_index(out, [(k, parts[k].digest) for k in sorted(parts)], load, cache)
    counts["reads"] = reads  # type: ignore[assignment]
    return counts


def test_incremental_merge_reads_only_the_changed_part_and_gives_the_full_merge_bytes(tmp_path: Path) -> None:
    texts = {f"u{i:03d}/2021": f"第{i}单位 住房公积金 决算" for i in range(12)}
    site, cache = tmp_path / "site", tmp_path / "cache"
    first = _merge(site, _parts(texts), cache)
    assert first["parts_read"] == 12 and first["shards_written"] == shard_count(12)
    texts["u005/2021"] = "第5单位 麒麟 决算"
    changed = _parts(texts)
    again = _merge(site, changed, cache)
    assert again["reads"] == ["u005/2021"]
    assert 0 < again["shards_written"] < shard_count(12)
    full = tmp_path / "full"
    _merge(full, changed, None)
    assert digest_tree(site / "assets") == digest_tree(full / "assets")
    nothing = _merge(site, changed, cache)
    assert nothing["reads"] == [] and nothing["shards_written"] == 0


def test_an_incremental_merge_reads_only_the_shards_where_the_changed_fragment_differs(tmp_path: Path) -> None:
    texts = {f"u{i:03d}/2021": f"第{i}单位 住房公积金 决算 一般公共预算财政拨款支出 基本支出 项目支出 三公经费" for i in range(40)}
    site, cache = tmp_path / "site", tmp_path / "cache"
    before = _parts(texts)
    _merge(site, before, cache)
    texts["u007/2021"] += " 麒麟"
    after = _parts(texts)
    shards = shard_count(40)
    old, new = fragments(before["u007/2021"], shards), fragments(after["u007/2021"], shards)
    differ = {n for n in set(old) | set(new) if old.get(n) != new.get(n)}
    again = _merge(site, after, cache)
    assert again["reads"] == ["u007/2021"]
    assert again["shards_read"] == len(differ) < len(new)  # not every shard the part has entries in
    assert again["shards_written"] == len(differ)
    full = tmp_path / "full"
    _merge(full, after, None)
    assert digest_tree(site / "assets") == digest_tree(full / "assets")


def test_adding_and_removing_unit_years_renumbers_like_a_full_merge(tmp_path: Path) -> None:
    texts = {f"u{i:03d}/2021": f"第{i}单位 决算" for i in range(9)}
    site, cache = tmp_path / "site", tmp_path / "cache"
    _merge(site, _parts(texts), cache)
    del texts["u002/2021"]
    texts["u000/2020"] = "新的一年 麒麟"
    parts = _parts(texts)
    again = _merge(site, parts, cache)
    assert again["reads"] == ["u000/2020"]
    full = tmp_path / "full"
    _merge(full, parts, None)
    assert digest_tree(site / "assets") == digest_tree(full / "assets")


def test_a_full_merge_that_spills_its_rows_to_disk_gives_the_same_bytes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from disclosure.site import search_index

    texts = {f"u{i:03d}/2021": f"第{i}单位 住房公积金 决算 基本支出 项目支出 三公经费 {i * 7919}" for i in range(30)}
    parts = _parts(texts)
    held = tmp_path / "held"
    _merge(held, parts, tmp_path / "cache-held")
    spills: list[int] = []
    real = search_index._ShardRows.spill

    def counted(self) -> None:
        spills.append(self.held)
        real(self)

    monkeypatch.setattr(search_index, "SPILL_BYTES", 200)  # a few rows in memory at a time
    monkeypatch.setattr(search_index._ShardRows, "spill", counted)
    for cache in (tmp_path / "cache", None):
        site = tmp_path / ("spilled" if cache else "spilled-nocache")
        spills.clear()
        _merge(site, parts, cache)
        assert len(spills) > 10  # the rows went through the spill files many times
        assert digest_tree(site / "assets") == digest_tree(held / "assets")
        if cache is not None:
            assert not list(cache.glob(".spill-*"))  # removed when the merge ends


def test_a_damaged_cache_falls_back_to_a_full_merge(tmp_path: Path) -> None:
    texts = {f"u{i}/2021": f"第{i}单位" for i in range(3)}
    site, cache = tmp_path / "site", tmp_path / "cache"
    _merge(site, _parts(texts), cache)
    for shard in (site / "assets" / "search").glob("s-*.js"):
        shard.write_bytes(b"DC_SEARCH.shard(0,[[0,")  # cut short
    texts["u1/2021"] = "改了"
    again = _merge(site, _parts(texts), cache)
    assert set(again["reads"]) == set(texts) and again["shards_written"] == shard_count(3)  # all merged again
    full = tmp_path / "full"
    _merge(full, _parts(texts), None)
    assert digest_tree(site / "assets") == digest_tree(full / "assets")


def test_batch_rebuild_replaces_a_changed_unit_years_entries_and_matches_a_full_build(tmp_path: Path) -> None:
    project = copy_example(tmp_path / "p")
    year_dir = project / "content" / UNIT / "2021"
    duties = (project / "content" / UNIT / "duties.md").read_text(encoding="utf-8")
    (year_dir / "duties.md").write_text(duties + "\n\n负责鲲鹏工程。\n", encoding="utf-8")
    out = tmp_path / "site"
    assert build(project, out) == 0
    assert f"{UNIT}/2021/index.html" in pages_with(out, "鲲鹏")
    # the unchanged 2020 part is not read again: its kept copy may go
    state = tmp_path / ".site-build-state" / "results" / UNIT
    (state / "2020.search.pickle").unlink()
    (year_dir / "duties.md").write_text(duties + "\n\n负责麒麟工程。\n", encoding="utf-8")
    assert build(project, out) == 0
    assert pages_with(out, "鲲鹏") == {} and pages_with(out, "鹏工") == {}
    assert f"{UNIT}/2021/index.html" in pages_with(out, "麒麟")
    assert f"{UNIT}/2020/index.html" in pages_with(out, "支队")
    fresh = tmp_path / "fresh"
    assert build(project, fresh) == 0
    assert digest_tree(out) == digest_tree(fresh)


def test_a_lost_kept_part_is_a_clear_error_and_force_repairs_it(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    project = copy_example(tmp_path / "p")
    out = tmp_path / "site"
    assert build(project, out) == 0
    state = tmp_path / ".site-build-state"
    (state / "results" / UNIT / "2020.search.pickle").unlink()
    shutil.rmtree(state / "portal")  # the merge must start again from every part
    (project / "content" / UNIT / "2021" / "duties.md").write_text("负责麒麟工程。\n", encoding="utf-8")
    capsys.readouterr()
    assert build(project, out) == 2
    err = capsys.readouterr().err
    assert f"{UNIT}/2020 保存的搜索索引部分缺失或已损坏" in err and "--force" in err and "Traceback" not in err
    assert build(project, out, "--force") == 0
    assert f"{UNIT}/2021/index.html" in pages_with(out, "麒麟") and f"{UNIT}/2020/index.html" in pages_with(out, "支队")


def test_the_in_process_build_writes_the_same_search_files_as_the_batch(tmp_path: Path) -> None:
    from disclosure.project import load_project
    from disclosure.site import build_site

    project = copy_example(tmp_path / "p")
    batch, direct = tmp_path / "batch", tmp_path / "direct"
    assert build(project, batch) == 0
    from disclosure.site import BuildOptions

    build_site(load_project(project), direct, BuildOptions(public=True))  # full results in memory: parts made by the portal step

    def search_files(site: Path) -> dict[str, str]:
        return {k: v for k, v in digest_tree(site).items() if k.startswith("assets/search/") or "/search-docs/" in k}

    files = search_files(batch)
    assert len([k for k in files if k.startswith("assets/search/s-")]) == 4
    assert files == search_files(direct)
