"""A unit-year's search part, made from each distinct word run once, equals the plain formula: every
page's grams (``grams``) ORed into a mask per gram, title grams into the title mask too."""
from __future__ import annotations

import random
import unicodedata
from pathlib import Path

import pytest

from disclosure.site.search import SearchDoc, grams, gram_hash, make_part, normalize, page_text


def plain_entries(docs: list[SearchDoc]) -> tuple[str, ...]:
    docs = sorted(docs, key=lambda d: d.url)
    body: dict[str, int] = {}
    title: dict[str, int] = {}
    for n, doc in enumerate(docs):
        bit = 1 << n
        for g in grams(doc.title):
            title[g] = title.get(g, 0) | bit
            body[g] = body.get(g, 0) | bit
        for g in grams(doc.text):
            body[g] = body.get(g, 0) | bit
    entries = sorted((gram_hash(g), f"{g}:{m:x}" + (f"/{title[g]:x}" if g in title else "")) for g, m in body.items())
    return tuple(e for _, e in entries)


def test_normalize_is_nfkc_lowered() -> None:
    for text in ["ＡＢＣ１２３", "ﬁ", "三公经费", "Ⅻ", "㈱", "e\u0301", "ＫＥＬＶＩＮ", ""]:
        assert normalize(text) == unicodedata.normalize("NFKC", text).lower()


@pytest.fixture(scope="module")
def example_docs(tmp_path_factory: pytest.TempPathFactory) -> list[SearchDoc]:
    import sys
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from test_site_support import build, copy_example

    root = copy_example(tmp_path_factory.mktemp("example"))
    assert build(root, root / "site") == 0
    pages = sorted((root / "site").rglob("*.html"))
    return [SearchDoc(p.relative_to(root).as_posix(), p.stem, page_text(p.read_text(encoding="utf-8"))) for p in pages]


def test_the_example_s_pages(example_docs: list[SearchDoc]) -> None:
    by_year: dict[str, list[SearchDoc]] = {}
    for d in example_docs:
        by_year.setdefault(str(Path(d.url).parent.parent), []).append(d)
    for docs in by_year.values():
        assert make_part("k", docs).entries == plain_entries(docs)


@pytest.mark.parametrize("seed", range(20))
def test_generated_pages(seed: int) -> None:
    rng = random.Random(seed)
    pieces = ["三公", "经费", "公积金", "2021", "A", "ｂ", "，", " ", "ﬁ", "Ⅻ", "-", "一般公共预算", "x1", "住房"]
    docs = [SearchDoc(f"p{n}.html", "".join(rng.choice(pieces) for _ in range(rng.randint(0, 5))),
                      "".join(rng.choice(pieces) for _ in range(rng.randint(0, 60)))) for n in range(rng.randint(1, 14))]
    assert make_part("k", docs).entries == plain_entries(docs)


def _plain_nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def test_nfkc_by_pieces_between_spaces_equals_nfkc_of_the_whole_text_for_every_bmp_character() -> None:
    from disclosure.site.search import _nfkc

    for c in map(chr, range(0x10000)):
        for text in (f"a{c} {c}b {c}", f" {c}\u0301 \u0301{c} ", f"{c} \u1161 \u11a8{c} （{c}）"):
            assert _nfkc(text) == _plain_nfkc(text), repr(text)


@pytest.mark.parametrize("seed", range(30))
def test_nfkc_by_pieces_on_generated_texts(seed: int) -> None:
    from disclosure.site.search import _nfkc

    rng = random.Random(seed)
    alphabet = [" ", "  ", "a", "A", "1", "中", "（", "）", "：", "，", "\u0301", "\u0308", "\u0323", "\u00a8", "\ufb01",
                "\u2460", "\u3392", "\u1100", "\u1161", "\u11a8", "\uac00", "e", "\u00e9", "\u212b", "\u0b47", "\u0b3e",
                "\uff21", "\u3000", "\u00a0", "\U0001d400", "\u0345", "\u0f73"]
    for _ in range(200):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        assert _nfkc(text) == _plain_nfkc(text), repr(text)
        assert normalize(text) == _plain_nfkc(text).lower()


def test_split_splits_at_what_backslash_s_matches() -> None:
    """page_text collapses whitespace with str.split: the characters are those of ``\\s``."""
    import re

    space = re.compile(r"\s")
    assert all(bool(space.fullmatch(c)) == c.isspace() for c in map(chr, range(0x110000)))
    for text in [" a  b ", "\u3000中\u00a0文\u2028x\x1c", "", "   ", "a\tb\nc\r\x0b\x0cd"]:
        assert " ".join(text.split()) == re.sub(r"\s+", " ", text).strip()


@pytest.mark.parametrize("seed", range(30))
def test_the_printed_tables_are_left_out_as_the_pattern_leaves_them(seed: int) -> None:
    from disclosure.site import search as s

    rng = random.Random(seed)
    pieces = [s._PRINT_OPEN, s._PRINT_CLOSE, "x", "<!--", "-->", "表", " ", "<!--dc-print-tables", "/dc-print-tables-->"]
    for _ in range(200):
        body = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 12)))
        assert s._without_print_only(body) == s._PRINT_ONLY.sub(" ", body)
