"""facts.json is written by a direct serialiser; it must equal the standard encoder's text byte for byte."""
from __future__ import annotations

import json
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from disclosure.derive.facts import Fact, Facts
from disclosure.model import CellRef

text = st.text(max_size=12)  # any code point: quotes, backslashes, control characters, CJK, surrogates
cells = st.builds(CellRef, file=text, sheet=text, cell=text, table=text)
values = st.decimals(allow_nan=False, allow_infinity=False, places=None, min_value=Decimal("-1e12"), max_value=Decimal("1e12"))


@st.composite
def facts_strategy(draw: st.DrawFn) -> Facts:
    facts = Facts(unit=draw(text), year=draw(st.integers(1990, 2100)), prior_year=draw(st.none() | st.integers(1990, 2100)))
    pool = draw(st.lists(cells, max_size=4))
    for key in draw(st.lists(text, max_size=6, unique=True)):
        chosen = draw(st.lists(st.sampled_from(pool), max_size=3)) if pool else []
        fact = Fact(key=key, value=draw(values), unit=draw(text), cells=tuple(chosen), formula=draw(text), label=draw(text),
                    reason_key=draw(st.none() | text), year=draw(st.none() | st.integers(1990, 2100)))
        facts.add(fact, draw(text))
    if draw(st.booleans()):
        facts.descriptions.pop(next(iter(facts.facts), ""), None)  # a fact without a description
    facts.names.update(draw(st.dictionaries(text, text, max_size=4)))
    return facts


def _standard(facts: Facts) -> str:
    return json.dumps(facts.to_data(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


@settings(max_examples=300, deadline=None)
@given(facts_strategy())
def test_to_json_equals_the_standard_encoder(facts: Facts) -> None:
    assert facts.to_json() == _standard(facts)


def test_to_json_of_empty_facts() -> None:
    facts = Facts(unit="u", year=2021)
    assert facts.to_json() == _standard(facts)
    assert json.loads(facts.to_json()) == {"facts": {}, "names": {}, "prior_year": None, "unit": "u", "year": 2021}


def test_to_json_shared_cells_and_exact_values() -> None:
    ref = CellRef("tables/u/2021.xlsx", "支出决算表", "D12", "expenditure")
    facts = Facts(unit="u", year=2021, prior_year=2020)
    facts.add(Fact("a", Decimal("1E+1"), "万元", (ref,), "D12", "甲", "a.change"), "说明“引号”\\")
    facts.add(Fact("b", Decimal("-0.50"), "%", (ref, ref), "f", "乙", year=2020), "")
    facts.names["gb.item.2040201"] = "行政运行"
    out = facts.to_json()
    assert out == _standard(facts)
    data = json.loads(out)
    assert data["facts"]["a"]["value"] == "10" and data["facts"]["b"]["value"] == "-0.50"
    assert data["facts"]["b"]["year"] == 2020 and data["facts"]["a"]["year"] == 2021
    assert data["facts"]["b"]["cells"][1] == {"cell": "D12", "file": "tables/u/2021.xlsx", "ref": "支出决算表!D12",
                                              "sheet": "支出决算表", "table": "expenditure"}
