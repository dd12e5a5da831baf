"""The search script's gram hash and shard choice, run in Chromium, agree with Python's."""
from __future__ import annotations

import json
from pathlib import Path

from disclosure.site.search import gram_hash, shard_of

ROOT = Path(__file__).resolve().parents[2]


def test_the_search_script_hashes_and_covers_like_python(browser) -> None:
    script = (ROOT / "theme" / "assets" / "dc-search.js").read_text(encoding="utf-8")
    words = ["三公", "公积", "a1", "支队", "9", "麒麟"]
    page = browser.new_page()
    try:
        page.set_content("<!doctype html><meta charset=utf-8><body></body>")
        page.add_script_tag(content=script)
        out = page.evaluate(
            f"() => {json.dumps(words)}.map(g => [window.DC_SEARCH.hash(g), window.DC_SEARCH.shardOf(g, 512)])"
            ".concat([window.DC_SEARCH.cover('巴彦淖尔市公安局')])")
    finally:
        page.close()
    assert out[:-1] == [[gram_hash(g), shard_of(gram_hash(g), 512)] for g in words]
    assert out[-1] == ["巴彦", "淖尔", "市公", "安局"]
