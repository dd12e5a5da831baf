"""The faster gram extraction and the gram-hash memo give exactly what the plain formulas give (the
query side in JS computes the same grams and hashes, so one differing gram would lose hits)."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from disclosure.site import search
from disclosure.site.search import _WORD, gram_hash, grams, normalize


def _reference_grams(text: str) -> set[str]:
    out: set[str] = set()
    for run in _WORD.findall(normalize(text)):
        out.update(run)
        out.update(run[i : i + 2] for i in range(len(run) - 1))
    return out


def _reference_hash(gram: str) -> int:
    h = 0x811C9DC5
    for ch in gram:
        h = ((h ^ ord(ch)) * 0x01000193) & 0xFFFFFFFF
    return h


TEXT = st.text(alphabet=st.sampled_from("公安交通管理支队2021年ABCabc ，。（）\u3000Ｆ１９\uf900-—"), max_size=80)


@settings(max_examples=200, deadline=None)
@given(TEXT)
def test_grams_equal_the_plain_formula(text):
    assert grams(text) == _reference_grams(text)


def test_grams_of_a_known_text():
    assert grams("三公经费 2021年") == {"三", "公", "经", "费", "三公", "公经", "经费", "2", "0", "1", "20", "02", "21", "年", "1年"}
    assert grams("") == set() and grams("，。") == set() and grams("甲") == {"甲"}


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet=st.characters(max_codepoint=0xFFFF, exclude_categories=("Cs",)), min_size=1, max_size=2), max_size=20))
def test_gram_hash_memo_equals_fnv1a(words):
    for w in words:
        assert gram_hash(w) == _reference_hash(w)
        assert gram_hash(w) == _reference_hash(w)  # served from the memo


def test_gram_hash_memo_stays_bounded(monkeypatch):
    monkeypatch.setattr(search, "_HASHES", {})
    for i in range(200_005):
        gram_hash(chr(0x4E00 + i % 20000) + chr(0x4E00 + i // 20000))
    assert len(search._HASHES) <= 200_000
    assert gram_hash("三公") == _reference_hash("三公")
