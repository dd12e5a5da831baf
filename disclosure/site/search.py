"""Build-time Chinese full-text search: character bigrams (and unigrams for one-character queries)
over every page's text, written as a plain script that assigns a global, so it works on file://."""
from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from html import unescape

_WORD = re.compile(r"[0-9a-z\u3400-\u9fff\uf900-\ufaff]+")
MAX_TEXT = 20000  # characters of a page's text kept in the index for snippets (grams cover all of it)


@dataclass(frozen=True)
class SearchDoc:
    """One searchable page: its path from the site root, title and plain text."""

    url: str
    title: str
    text: str


_MAIN = re.compile(r"<main\b[^>]*>(.*)</main>", re.S)
_SCRIPT = re.compile(r"<(script|style)\b[^>]*>.*?</\1>", re.S)
_INLINE = re.compile(r"</?(?:a|span|b|strong|em|i|mark|abbr|code|sub|sup|small|q)\b[^>]*>")
_TAG = re.compile(r"<[^>]+>")


def page_text(html: str) -> str:
    """The visible text of a page's main content (scripts and chart specs left out), whitespace collapsed."""
    m = _MAIN.search(html)
    body = _SCRIPT.sub(" ", m.group(1) if m else "")
    text = unescape(_TAG.sub(" ", _INLINE.sub("", body)))
    return re.sub(r"\s+", " ", text).strip()


def normalize(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower()


def grams(text: str) -> set[str]:
    """Every unigram and bigram of the word runs of a text (the query side does the same in JS)."""
    out: set[str] = set()
    for run in _WORD.findall(normalize(text)):
        out.update(run)
        out.update(run[i : i + 2] for i in range(len(run) - 1))
    return out


def build_index(docs: list[SearchDoc]) -> dict:
    """Docs sorted by URL, and gram → sorted doc numbers."""
    docs = sorted(docs, key=lambda d: d.url)
    postings: dict[str, list[int]] = {}
    for n, doc in enumerate(docs):
        for g in grams(doc.title + " " + doc.text):
            postings.setdefault(g, []).append(n)
    return {
        "docs": [[d.url, d.title, d.text[:MAX_TEXT]] for d in docs],
        "max_text": MAX_TEXT,
        "grams": {g: postings[g] for g in sorted(postings)},
    }


def index_script(docs: list[SearchDoc]) -> bytes:
    """``search-index.js``: assigns ``window.DC_SEARCH_INDEX``; safe inside a script (no ``</``)."""
    body = json.dumps(build_index(docs), ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    body = body.replace("</", "<\\/").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return f"window.DC_SEARCH_INDEX={body};\n".encode("utf-8")
