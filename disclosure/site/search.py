"""Build-time Chinese full-text search, sharded so that it scales to a finance bureau and still works
on file:// with plain ``<script>`` elements (no fetch, no modules).

Each unit-year's build computes its own part of the index (``make_part``): its pages (url, title, a
capped text for snippets), and for every
character unigram and bigram of each page the pages it occurs on (a bit mask, hex) and the pages whose
title has it. Its docs are one small script per page (``<unit>/<year>/search-docs/<n>.js``), so that
the search page loads the text of the hits it shows and nothing more. The portal step merges the parts into ``assets/search/s-XXX.js`` shards, chosen by a
stable hash of the gram (FNV-1a over code points, the same in ``dc-search.js``), and a small manifest
``assets/search/manifest.js`` naming the unit-years; the search page loads only the shards its query
needs and the docs of the hits it shows (see ``disclosure.site.search_index`` for the merge).

Shard file:  ``DC_SEARCH.shard(n,[[id,",gram:mask[/titlemask],…,"],…])`` (``id``: the unit-year's
             number in the manifest, entries sorted by id)
Doc file:    ``DC_SEARCH.doc("unit/year",n,[url,title,text])`` (page ``n`` of the unit-year's pages
             sorted by url; the portal's is ``assets/search/portal-docs/0.js``)
Manifest:    ``DC_SEARCH.manifest({"shards":N,"max_text":M,"keys":["", "unit/year", …]})`` (key ""
             is the portal page)
"""
from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from bisect import bisect_left
from dataclasses import dataclass
from html import unescape
from operator import add

_WORD = re.compile(r"[0-9a-z\u3400-\u9fff\uf900-\ufaff]+")
MAX_TEXT = 5000  # characters of a page's text kept for snippets (the grams cover all of it)
DOCS_DIR = "search-docs"  # in each unit-year's folder: one script per page
SEARCH_DIR = "assets/search"
PORTAL_KEY = ""  # the portal page's own part


@dataclass(frozen=True)
class SearchDoc:
    """One searchable page: its path from the site root, title and plain text."""

    url: str
    title: str
    text: str


@dataclass(frozen=True)
class SearchPart:
    """One unit-year's part of the index: ``key`` (``unit/year``), its doc scripts (bytes, one per
    page, written beside its pages: ``doc_path``) and its gram entries ``"gram:mask[/titlemask]"``
    sorted by the gram's hash (``hashes``, in the same order); ``digest`` identifies the entries
    (what the merge compares to find changed parts)."""

    key: str
    doc_scripts: tuple[bytes, ...]
    hashes: tuple[int, ...]
    entries: tuple[str, ...]
    digest: str


_MAIN = re.compile(r"<main\b[^>]*>(.*)</main>", re.S)
_SCRIPT = re.compile(r"<(script|style)\b[^>]*>.*?</\1>", re.S)
_INLINE = re.compile(r"</?(?:a|span|b|strong|em|i|mark|abbr|code|sub|sup|small|q)\b[^>]*>")
_TAG = re.compile(r"<[^>]+>")
_PRINT_ONLY = re.compile(r"<!--dc-print-tables-->.*?<!--/dc-print-tables-->", re.S)  # the report's printed copy of the tables


_PRINT_OPEN, _PRINT_CLOSE = "<!--dc-print-tables-->", "<!--/dc-print-tables-->"


def _without_print_only(body: str) -> str:
    """``_PRINT_ONLY.sub(" ", body)`` with ``str.find`` (the lazy ``.*?`` tried every character)."""
    i = body.find(_PRINT_OPEN)
    if i < 0:
        return body
    out, pos = [], 0
    while i >= 0:
        j = body.find(_PRINT_CLOSE, i + len(_PRINT_OPEN))
        if j < 0:
            break
        out += (body[pos:i], " ")
        pos = j + len(_PRINT_CLOSE)
        i = body.find(_PRINT_OPEN, pos)
    out.append(body[pos:])
    return "".join(out)


def page_text(html: str) -> str:
    """The visible text of a page's main content (scripts and chart specs left out), whitespace
    collapsed (``str.split`` splits at what ``\\s`` matches: the same test of a character)."""
    m = _MAIN.search(html)
    return " ".join(_words(m.group(1) if m else ""))


def _words(main: str) -> list[str]:
    """The words of (a piece of) a page's main content: its visible text, scripts, chart specs and
    the report's printed tables left out."""
    body = _without_print_only(_SCRIPT.sub(" ", main))
    return unescape(_TAG.sub(" ", _INLINE.sub("", body))).split()


_MAIN_OPEN = re.compile(r"<main\b[^>]*>")
_MAIN_CLOSE = "</main>"


class PageText:
    """``page_text`` of a page given in pieces cut where ``public_check.cut_point`` cuts: its word
    runs (``runs``, as ``make_part`` takes them) and the first ``MAX_TEXT`` characters of its text
    (``snippet``), without the whole text held. ``failed`` when the pieces cannot be read apart
    (the report's printed tables, or a ``</main>`` inside a tag, comment or script): then the caller
    takes the text of the whole page."""

    def __init__(self, closed) -> None:
        self._closed = closed  # public_check.closed
        self.inside = False
        self.runs: set[str] = set()  # the runs up to the last </main> read
        self.words: list[str] = []  # the text's first words, up to MAX_TEXT characters
        self.size = -1  # " ".join(self.words)'s length
        self._runs: set[str] = set()  # after the last </main> read: the page's text only if another follows
        self._words: list[str] = []
        self.failed = False

    def _take(self, segment: str) -> None:
        words = _words(segment)
        if words:
            self._runs.update(_WORD.findall(normalize(" ".join(words))))
            size = self.size + sum(len(w) + 1 for w in self._words)
            for w in words:
                if size >= MAX_TEXT:
                    break
                self._words.append(w)
                size += len(w) + 1

    def _commit(self) -> None:
        self.runs |= self._runs
        self.words += self._words
        self.size += sum(len(w) + 1 for w in self._words)
        self._runs, self._words = set(), []

    def feed(self, piece: str) -> None:
        if _PRINT_OPEN in piece or _PRINT_CLOSE in piece:
            self.failed = True
        if self.failed:
            return
        if not self.inside:
            m = _MAIN_OPEN.search(piece)
            if m is None:
                return
            self.inside, piece = True, piece[m.end():]
        j = piece.rfind(_MAIN_CLOSE)
        if j < 0:
            self._take(piece)
            return
        if not self._closed(piece[:j]):
            self.failed = True
            return
        self._take(piece[:j])
        self._commit()
        self._take(piece[j:])

    @property
    def snippet(self) -> str:
        return " ".join(self.words)[:MAX_TEXT]


_PIECES: dict[str, str] = {}  # piece after a space → NFKC of the space and it, less the space (bounded)


def _nfkc(text: str) -> str:
    """``unicodedata.normalize("NFKC", text)``, the pieces between spaces each normalized once per
    process: a page's text is its words between spaces, and the words repeat (labels, headings,
    wording) across pages and unit-years. Exact: normalization never reaches across the boundary
    before a character of combining class 0 that is NFKC_QC=Yes, such as U+0020 (UAX #15's safe
    boundary, which ICU's normalizer uses too), and no character composes with a space."""
    if unicodedata.is_normalized("NFKC", text):  # a quick check; normalize is not
        return text
    first, *rest = text.split(" ")
    out = [unicodedata.normalize("NFKC", first)]
    cache = _PIECES
    if len(cache) >= 20_000:  # about 4 MB
        cache.clear()
    for piece in rest:
        found = cache.get(piece)
        if found is None:
            found = unicodedata.normalize("NFKC", " " + piece)[1:]
            if len(piece) <= 64:
                cache[piece] = found
        out.append(found)
    return " ".join(out)


def normalize(text: str) -> str:
    return _nfkc(text).lower()


def grams(text: str) -> set[str]:
    """Every unigram and bigram of the word runs of a text (the query side does the same in JS)."""
    out: set[str] = set()
    for run in _WORD.findall(normalize(text)):
        out.update(run)
        out.update(map(add, run, run[1:]))  # run[i] + run[i + 1]: every bigram, without a Python loop
    return out


_HASHES: dict[str, int] = {}  # grams repeat across unit-years (bounded: cleared when large)


def gram_hash(gram: str) -> int:
    """32-bit FNV-1a over the code points of a gram (grams are BMP characters; JS does the same)."""
    h = _HASHES.get(gram)
    if h is None:
        if len(_HASHES) >= 200_000:
            _HASHES.clear()
        h = _HASHES[gram] = _fnv1a(gram)
    return h


def _fnv1a(gram: str) -> int:
    h = 0x811C9DC5
    for ch in gram:
        h = ((h ^ ord(ch)) * 0x01000193) & 0xFFFFFFFF
    return h


def _shift(shards: int) -> int:
    return 33 - shards.bit_length()  # 32 - log2(shards)


def shard_of(gram_h: int, shards: int) -> int:
    """The shard of a gram hash: its top bits (``shards`` is a power of two)."""
    return gram_h >> _shift(shards)


def shard_count(parts: int) -> int:
    """Shards for a site of ``parts`` unit-years: the power of two at or above it (4 … 8192), so that
    a shard stays a few tens of KB however many units the bureau has."""
    n = 4
    while n < parts and n < 8192:
        n *= 2
    return n


def js_json(value: object) -> str:
    """JSON safe inside a script (no ``</``, no line separators), keys sorted, compact."""
    body = json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return body.replace("</", "<\\/").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def _masks(runs: dict[str, int]) -> dict[str, int]:
    """Gram → the OR of the masks of the word runs it is a unigram or bigram of."""
    out: dict[str, int] = {}
    get = out.get
    for run, mask in runs.items():
        for g in run:
            out[g] = get(g, 0) | mask
        for g in map(add, run, run[1:]):
            out[g] = get(g, 0) | mask
    return out


def make_part(key: str, docs: list[SearchDoc], runs: dict[str, set[str]] | None = None) -> SearchPart:
    """A unit-year's (or the portal's) part of the index from its pages. A page's grams are those of
    its word runs (``grams``), so each distinct run is split into grams once, with the pages it is on
    as a mask: the pages repeat most of their runs (the all-tables page is the table pages again).
    ``runs`` (url → the word runs of the page's whole text) stands for the runs of a page whose
    ``text`` is only its snippet's (the portal's, read in pieces: ``PageText``)."""
    docs = sorted(docs, key=lambda d: d.url)
    body_runs: dict[str, int] = {}
    title_runs: dict[str, int] = {}
    for n, doc in enumerate(docs):
        bit = 1 << n
        for run in set(_WORD.findall(normalize(doc.title))):
            title_runs[run] = title_runs.get(run, 0) | bit
            body_runs[run] = body_runs.get(run, 0) | bit
        text_runs = runs.get(doc.url) if runs is not None else None
        for run in (text_runs if text_runs is not None else set(_WORD.findall(normalize(doc.text)))):
            body_runs[run] = body_runs.get(run, 0) | bit
    body, title = _masks(body_runs), _masks(title_runs)
    entries = []
    for g, mask in body.items():
        entry = f"{g}:{mask:x}"
        if g in title:
            entry += f"/{title[g]:x}"
        entries.append((gram_hash(g), entry))
    entries.sort()
    hashes = tuple(h for h, _ in entries)
    texts = tuple(e for _, e in entries)
    scripts = tuple(
        f"DC_SEARCH.doc({js_json(key)},{n},{js_json([d.url, d.title, d.text[:MAX_TEXT]])});\n".encode("utf-8")
        for n, d in enumerate(docs)
    )
    digest = hashlib.blake2b("\n".join(texts).encode("utf-8"), digest_size=12).hexdigest()
    return SearchPart(key, scripts, hashes, texts, digest)


def doc_path(key: str, n: int) -> str:
    """Where page ``n`` of a part's docs is, from the site root (the same in ``dc-search.js``)."""
    return f"{SEARCH_DIR}/portal-docs/{n}.js" if key == PORTAL_KEY else f"{key}/{DOCS_DIR}/{n}.js"


def fragments(part: SearchPart, shards: int) -> dict[int, str]:
    """A part's entries grouped by shard, each group as ``",e1,e2,"`` (what a shard file holds)."""
    shift, hashes, entries = _shift(shards), part.hashes, part.entries
    out: dict[int, str] = {}
    i, end = 0, len(hashes)
    while i < end:  # entries are sorted by hash, so a shard's entries are one run
        s = hashes[i] >> shift
        j = bisect_left(hashes, (s + 1) << shift, i)
        out[s] = "," + ",".join(entries[i:j]) + ","
        i = j
    return out


def shard_name(n: int) -> str:
    return f"s-{n:03x}.js"


def shard_row(uid: int, fragment: str) -> bytes:
    """One row of a shard file, with its trailing comma. Fragments hold only word characters, hex
    digits and ``,:/``, so this is the JSON of ``[uid, fragment]`` (no escaping needed)."""
    return f'[{uid},"{fragment}"],'.encode("utf-8")


def shard_script(n: int, rows: bytes) -> bytes:
    """A shard file from its rows (``shard_row`` of each unit-year that has entries, by id)."""
    return b"DC_SEARCH.shard(%d,[" % n + rows[:-1] + b"]);\n"


def manifest_script(keys: list[str], shards: int) -> bytes:
    return f"DC_SEARCH.manifest({js_json({'keys': keys, 'max_text': MAX_TEXT, 'shards': shards})});\n".encode("utf-8")
