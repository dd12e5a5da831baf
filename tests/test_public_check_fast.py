"""The public check's attribute scans find exactly what the plain ``finditer`` of each pattern finds.

``_matches_at`` tries a pattern only where one of its words occurs (in the lowered page for the
case-insensitive ones); these tests compare it with the plain scans on every page of the example's
public site and on generated pages mixing the words in every case, with the characters ``re.I``
folds to ASCII letters (İ, ı, ſ, K), quotes, spaces and look-alike words.
"""
from __future__ import annotations

import random
import re
import sys
from pathlib import Path

import pytest

from disclosure.site import public_check as pc

sys.path.insert(0, str(Path(__file__).resolve().parent))


def _spans(matches) -> list:  # noqa: ANN001
    return [(m.span(), m.groups()) for m in matches]


def assert_same(html: str) -> None:
    lowered = pc._lowered(html)
    assert _spans(pc._link_matches(html, lowered)) == _spans(pc._LINK_ATTR.finditer(html))
    assert _spans(pc._data_matches(html, lowered)) == _spans(pc._DATA_ATTR.finditer(html))
    body = pc._SKIP.sub(" ", html)
    assert _spans(pc._matches_at(pc._ATTR_TEXT, body, body, pc._ATTR_WORDS, 0)) == _spans(pc._ATTR_TEXT.finditer(body))
    if lowered is not None:
        assert len(lowered) == len(html)
        assert (b"review.html" in lowered) == bool(pc._REVIEW_WORD.search(html))


def test_the_folding_characters_are_all_there_are() -> None:
    """Every character besides A–Z and a–z that ``re.I`` matches to an ASCII letter is in _FOLDS."""
    pattern = re.compile("[a-z]", re.I)
    found = {chr(c) for c in range(128, 0x110000) if pattern.fullmatch(chr(c))}
    assert found == set(pc._FOLDS)


@pytest.fixture(scope="module")
def example_pages(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    from test_site_support import build, copy_example

    root = copy_example(tmp_path_factory.mktemp("example"))
    site = root / "site"
    assert build(root, site) == 0
    pages = [p.read_text(encoding="utf-8") for p in sorted(site.rglob("*.html"))]
    assert len(pages) > 20
    return pages


def test_the_example_s_public_pages(example_pages: list[str]) -> None:
    for html in example_pages:
        assert_same(html)


PIECES = ["\U0001f600", "\ud800", "é", "href", "HREF", "hRef", "src", "SRC", "ſrc", "srcset", "SrcSet", "action", "ACTİON", "actıon", "formaction",
          "poster", "data", "DATA", "data-x", "Data-Y-z", "dAta-", "title", "Title", "subtitle", "aria-label", "alt",
          "halt", "content", "contents", "review.html", "REVIEW.HTML", "revİew.html", "K", "=", " = ", '"', "'", " ",
          "\n", "\t", "<a ", "<img ", ">", "x", "中文", '="', "='", "&quot;", "?q=1#f"]


@pytest.mark.parametrize("seed", range(40))
def test_generated_pages(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(50):
        assert_same("".join(rng.choice(PIECES) for _ in range(rng.randint(1, 80))))
