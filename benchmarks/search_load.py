"""What the search page loads for a query on a built site: the script, the manifest, the shards of the
query's covering bigrams and the docs of the first 20 hits (ranked as dc-search.js ranks them).

    python benchmarks/search_load.py SITE [QUERY …]     (default queries: 三公 公积金 决算 and a unit name)
"""
from __future__ import annotations

import argparse
import re
from pathlib import Path

from disclosure.site.search import DOCS_DIR, SEARCH_DIR, doc_path, gram_hash, normalize, shard_name, shard_of
from disclosure.site.search_index import _call_args, gram_pages

_WORD = re.compile(r"[0-9a-z\u3400-\u9fff\uf900-\ufaff]+")
BATCH = 20


def cover(word: str) -> list[str]:
    if len(word) < 2:
        return [word]
    out = [word[i : i + 2] for i in range(0, len(word) - 1, 2)]
    return out + [word[-2:]] if len(word) % 2 else out


def load(site: Path, query: str) -> dict[str, int]:
    manifest = _call_args(site / SEARCH_DIR / "manifest.js", "manifest")[0]
    n = manifest["shards"]
    grams = list(dict.fromkeys(g for w in _WORD.findall(normalize(query)) for g in cover(w)))
    shards = sorted({shard_of(gram_hash(g), n) for g in grams})
    hits: dict[tuple[int, int], int] | None = None
    for g in grams:
        found = {k: int(t) for k, t in gram_pages(site, g, n).items()}
        hits = found if hits is None else {k: v + found[k] for k, v in hits.items() if k in found}
    ranked = sorted((hits or {}).items(), key=lambda kv: (-kv[1], kv[0]))
    words = _WORD.findall(normalize(query))
    docs, shown = [], 0
    for start in (0, BATCH):  # a second batch when the first came out thin (as dc-search.js)
        for (uid, page), _ in ranked[start : start + BATCH]:
            path = site / doc_path(manifest["keys"][uid], page)
            docs.append(path)
            _, _, (url, title, text) = _call_args(path, "doc")
            seen = normalize(title + " " + text)
            shown += all(w in seen for w in words) or len(text) >= manifest["max_text"]
        if shown >= BATCH:
            break
    sizes = {
        "script+manifest": (site / "assets" / "dc-search.js").stat().st_size + (site / SEARCH_DIR / "manifest.js").stat().st_size,
        "shards": sum((site / SEARCH_DIR / shard_name(s)).stat().st_size for s in shards),
        "shard_files": len(shards),
        "docs": sum(p.stat().st_size for p in docs),
        "docs_files": len(docs),
        "hits": len(hits or {}),
        "shown": shown,
    }
    sizes["total"] = sizes["script+manifest"] + sizes["shards"] + sizes["docs"]
    return sizes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("queries", nargs="*")
    args = parser.parse_args()
    queries = args.queries
    if not queries:
        first = _call_args(args.site / SEARCH_DIR / "manifest.js", "manifest")[0]["keys"][1]
        name = _call_args(args.site / doc_path(first, 0), "doc")[2][1].split("20")[0]
        queries = ["三公", "公积金", "决算", name]
    total = sum(p.stat().st_size for p in (args.site / SEARCH_DIR).rglob("*.js"))
    docs = sum(p.stat().st_size for p in args.site.glob(f"*/*/{DOCS_DIR}/*.js"))
    print(f"search files: {total / 1e6:.1f} MB in {SEARCH_DIR}/ + {docs / 1e6:.1f} MB in */*/{DOCS_DIR}/")
    print(f"{'query':<24} {'shards':>8} {'KB':>7} {'docs':>5} {'KB':>7} {'total KB':>9} {'hits':>7} {'shown':>6}")
    for q in queries:
        s = load(args.site, q)
        print(f"{q:<24} {s['shard_files']:>8} {s['shards'] / 1024:>7.0f} {s['docs_files']:>5} {s['docs'] / 1024:>7.0f} "
              f"{s['total'] / 1024:>9.0f} {s['hits']:>7} {s['shown']:>6}")


if __name__ == "__main__":
    main()
