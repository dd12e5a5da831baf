"""Merge the unit-years' search parts into the sharded index under ``assets/search/``, incrementally.

A full merge reads every part once, streaming: each shard's rows are appended as bytes, so the merge
holds about the size of the index, not a Python object per entry. With a cache folder (kept beside
the site, never published) the merge remembers each part's digest and the shards it touched; the next
merge reads only the parts whose digest changed, reads back the shards they touch from the site,
replaces their rows and rewrites only the shards that changed. Both give the same bytes; a missing or
unreadable cache or shard falls back to a full merge.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import struct
import tempfile
from collections.abc import Callable
from pathlib import Path

from disclosure.site.output import write
from disclosure.site.search import (
    SEARCH_DIR,
    SearchPart,
    doc_path,
    fragments,
    gram_hash,
    manifest_script,
    normalize,
    shard_count,
    shard_name,
    shard_of,
    shard_row,
    shard_script,
)

CACHE_VERSION = 3
_INDEX = "index.json"

Loader = Callable[[str], SearchPart]


_FRAGS = "frags"  # in the cache: per part, the shards it has entries in, each with an 8-byte digest of its fragment
_FRAG = struct.Struct("<H8s")  # a shard number (< 8192) and the digest of the part's fragment in it


def _frag_path(cache: Path, key: str) -> Path:
    return cache / _FRAGS / f"{key or '_portal'}.bin"


def _frag_digests(frags: dict[int, str]) -> bytes:
    """The shards a part has entries in, ascending, each with its fragment's digest (10 bytes a shard:
    a part's file is the size of the shards it touches, not of the whole index)."""
    return b"".join(_FRAG.pack(n, hashlib.blake2b(frags[n].encode("utf-8"), digest_size=8).digest()) for n in sorted(frags))


def _read_frags(cache: Path, key: str) -> dict[int, bytes]:
    """A part's recorded shard digests; ValueError (a full merge follows) when the file is damaged."""
    data = _frag_path(cache, key).read_bytes()
    if len(data) % _FRAG.size:
        raise ValueError(f"{key}: damaged shard digests")
    return dict(_FRAG.iter_unpack(data))


def _atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def _save_index(cache: Path, shards: int, keys: list[str], digests: dict[str, str]) -> None:
    data = {"version": CACHE_VERSION, "shards": shards, "keys": keys, "parts": {k: digests[k] for k in keys}}
    _atomic(cache / _INDEX, json.dumps(data, sort_keys=True).encode("utf-8"))


def _load_index(cache: Path | None, out: Path, shards: int) -> dict | None:
    if cache is None or not (out / SEARCH_DIR / "manifest.js").is_file():
        return None
    try:
        data = json.loads((cache / _INDEX).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("version") != CACHE_VERSION or data.get("shards") != shards:
        return None
    return data


def write_search_index(out: Path, parts: list[tuple[str, str]], load: Loader, cache: Path | None = None) -> dict[str, int]:
    """Write ``assets/search/`` (manifest and shards) for ``parts`` — ``(key, digest)`` in the order
    of their ids, the portal's key ``""`` first — loading a part with ``load(key)`` only when needed.
    Returns counts: ``parts_read``, ``shards_read`` (an incremental merge: the shards where a changed
    part's fragment differs), ``shards_written``."""
    keys = [k for k, _ in parts]
    digests = dict(parts)
    shards = shard_count(len(keys))
    out = Path(out)
    old = _load_index(cache, out, shards)
    if old is not None:
        try:
            return _incremental(out, cache, old, keys, digests, shards, load)  # type: ignore[arg-type]
        except (OSError, ValueError, KeyError, IndexError, TypeError):
            pass  # a damaged cache or shard: merge everything again
    return _full(out, cache, keys, digests, shards, load)


#: Rows a full merge holds in memory before it appends them to one spill file per shard (on disk
#: beside the site): the driver's memory stays flat however many unit-years the index covers.
SPILL_BYTES = 16 * 1024 * 1024


class _ShardRows:
    """Each shard's rows in order, in memory up to ``budget`` bytes in all, then appended to
    ``<folder>/<n>`` (one file per shard, opened for one append at a time)."""

    def __init__(self, shards: int, folder: Path, budget: int | None = None) -> None:
        self.rows = [bytearray() for _ in range(shards)]
        self.folder, self.held = folder, 0
        self.budget = SPILL_BYTES if budget is None else budget
        self.spilled: set[int] = set()

    def add(self, uid: int, frags: dict[int, str]) -> None:
        """One part's rows (``shard_row`` of each of its fragments)."""
        rows, held = self.rows, self.held
        for n, frag in frags.items():
            row = f'[{uid},"{frag}"],'.encode("utf-8")  # shard_row, inlined: 800 rows a part
            rows[n] += row
            held += len(row)
        self.held = held
        if held > self.budget:
            self.spill()

    def spill(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        for n, body in enumerate(self.rows):
            if body:
                with open(self.folder / str(n), "ab") as f:
                    f.write(body)
                self.spilled.add(n)
                self.rows[n] = bytearray()
        self.held = 0

    def body(self, n: int) -> bytes:
        """Shard ``n``'s rows, all of them (its spill file read back, then removed)."""
        if n not in self.spilled:
            return bytes(self.rows[n])
        path = self.folder / str(n)
        data = path.read_bytes() + self.rows[n]
        path.unlink()
        self.rows[n] = bytearray()
        return data


def _full(out: Path, cache: Path | None, keys: list[str], digests: dict[str, str], shards: int, load: Loader) -> dict[str, int]:
    if cache is not None:
        (cache / _INDEX).unlink(missing_ok=True)
        shutil.rmtree(cache / _FRAGS, ignore_errors=True)
    shutil.rmtree(out / SEARCH_DIR, ignore_errors=True)
    # beside the site, never in it: the cache folder, else a temporary folder
    spill = cache / f".spill-{os.getpid()}" if cache is not None else Path(tempfile.mkdtemp(prefix="disclosure-spill-"))
    for old in cache.glob(".spill-*") if cache is not None else ():  # a killed merge's
        shutil.rmtree(old, ignore_errors=True)
    rows = _ShardRows(shards, spill)
    try:
        for uid, key in enumerate(keys):
            frags = fragments(load(key), shards)
            rows.add(uid, frags)
            if cache is not None:
                _atomic(_frag_path(cache, key), _frag_digests(frags))
        for n in range(shards):
            write(out / SEARCH_DIR / shard_name(n), shard_script(n, rows.body(n)))
    finally:
        shutil.rmtree(spill, ignore_errors=True)
    write(out / SEARCH_DIR / "manifest.js", manifest_script(keys, shards))
    if cache is not None:
        _save_index(cache, shards, keys, digests)
    return {"parts_read": len(keys), "shards_written": shards}


def _read_shard(out: Path, n: int, keys: list[str]) -> dict[str, str]:
    """A written shard's fragments by unit-year key (``keys``: the ids it was written with)."""
    number, rows = _call_args(out / SEARCH_DIR / shard_name(n), "shard")
    if number != n:
        raise ValueError(f"shard {n} holds {number}")
    return {keys[uid]: frag for uid, frag in rows}


def _incremental(out: Path, cache: Path, old: dict, keys: list[str], digests: dict[str, str], shards: int, load: Loader) -> dict[str, int]:
    old_parts: dict[str, str] = old["parts"]
    old_keys: list[str] = old["keys"]
    ids = {k: i for i, k in enumerate(keys)}
    renumbered = old_keys != keys
    changed = [k for k in keys if old_parts.get(k) != digests[k]]
    removed = [k for k in old_keys if k not in ids]
    new_frags: dict[str, dict[int, str]] = {}
    dirty: set[int] = set(range(shards)) if renumbered else set()
    for key in removed:
        dirty |= set(_read_frags(cache, key))
    new_digests: dict[str, bytes] = {}
    for key in changed:
        frags = fragments(load(key), shards)
        new_frags[key] = frags
        new_digests[key] = data = _frag_digests(frags)
        now = dict(_FRAG.iter_unpack(data))
        before = _read_frags(cache, key) if key in old_parts else {}
        dirty |= {n for n in now.keys() | before.keys() if now.get(n) != before.get(n)}  # where its fragment changed
    (cache / _INDEX).unlink()  # a merge interrupted from here on is redone in full next time
    for key in removed:
        _frag_path(cache, key).unlink(missing_ok=True)
    for key, data in new_digests.items():
        _atomic(_frag_path(cache, key), data)
    written = 0
    for n in sorted(dirty):
        frags = _read_shard(out, n, old_keys)
        before = dict(frags)
        for key in removed:
            frags.pop(key, None)
        for key, by in new_frags.items():
            if n in by:
                frags[key] = by[n]
            else:
                frags.pop(key, None)
        if frags != before or renumbered:
            body = b"".join(shard_row(ids[k], f) for k, f in sorted(frags.items(), key=lambda kv: ids[kv[0]]))
            write(out / SEARCH_DIR / shard_name(n), shard_script(n, body))
            written += 1
    write(out / SEARCH_DIR / "manifest.js", manifest_script(keys, shards))
    _save_index(cache, shards, keys, digests)
    return {"parts_read": len(changed), "shards_read": len(dirty), "shards_written": written}


def _call_args(path: Path, name: str) -> list:
    """The JSON arguments of a ``DC_SEARCH.<name>(…);`` script."""
    text = path.read_text(encoding="utf-8").strip()
    head = f"DC_SEARCH.{name}("
    if not text.startswith(head) or not text.endswith(");"):
        raise ValueError(f"{path} is not a {name} script")
    return json.loads("[" + text[len(head):-2] + "]")


def gram_pages(site: Path, gram: str, shards: int) -> dict[tuple[int, int], bool]:
    """Decode one gram's postings from its shard file: (unit-year id, page number) → title has it."""
    _, rows = _call_args(Path(site) / SEARCH_DIR / shard_name(shard_of(gram_hash(gram), shards)), "shard")
    found: dict[tuple[int, int], bool] = {}
    for uid, frag in rows:
        at = frag.find(f",{gram}:")
        if at == -1:
            continue
        masks = frag[at + len(gram) + 2 : frag.index(",", at + 1)].split("/")
        body, title = int(masks[0], 16), int(masks[1], 16) if len(masks) > 1 else 0
        for page in range(body.bit_length()):
            if body >> page & 1:
                found[(uid, page)] = bool(title >> page & 1)
    return found


def pages_with(site: Path, gram: str) -> dict[str, bool]:
    """Read the written index back as the search page does: the URL of every page that has ``gram``
    (a unigram or bigram), and whether its title has it."""
    site = Path(site)
    manifest = _call_args(site / SEARCH_DIR / "manifest.js", "manifest")[0]
    out: dict[str, bool] = {}
    for (uid, page), in_title in gram_pages(site, normalize(gram), manifest["shards"]).items():
        url = _call_args(site / doc_path(manifest["keys"][uid], page), "doc")[2][0]
        out[url] = in_title
    return out
