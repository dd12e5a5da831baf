"""Build-time Chinese full-text search: character bigrams (and unigrams for one-character queries)
over every page's text, written as a plain script that assigns a global, so it works on file://."""
from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from html.parser import HTMLParser

_WORD = re.compile(r"[0-9a-z\u3400-\u9fff\uf900-\ufaff]+")
MAX_TEXT = 20000  # characters of a page kept for snippets


@dataclass(frozen=True)
class SearchDoc:
    """One searchable page: its path from the site root, title and plain text."""

    url: str
    title: str
    text: str


class _Text(HTMLParser):
    """Text of the <main> element, skipping scripts and chart specs."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.skip = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "main":
            self.depth += 1
        elif tag in {"script", "style"}:
            self.skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "main":
            self.depth -= 1
        elif tag in {"script", "style"}:
            self.skip -= 1

    def handle_data(self, data: str) -> None:
        if self.depth > 0 and not self.skip:
            self.parts.append(data)


def page_text(html: str) -> str:
    """The visible text of a page's main content, whitespace collapsed."""
    parser = _Text()
    parser.feed(html)
    return re.sub(r"\s+", " ", " ".join(parser.parts)).strip()[:MAX_TEXT]


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
        "docs": [[d.url, d.title, d.text] for d in docs],
        "grams": {g: postings[g] for g in sorted(postings)},
    }


def index_script(docs: list[SearchDoc]) -> bytes:
    """``search-index.js``: assigns ``window.DC_SEARCH_INDEX``; safe inside a script (no ``</``)."""
    body = json.dumps(build_index(docs), ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    body = body.replace("</", "<\\/").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return f"window.DC_SEARCH_INDEX={body};\n".encode("utf-8")
