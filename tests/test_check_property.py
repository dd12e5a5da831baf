"""Property: accounts consistent by construction give no error and no rounding notice, whatever
their size (any number of 类/款/项, funds left empty, tables missing, all-zero tables); moving any
one value cell by more than the tolerance gives an error that names that cell."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from disclosure.check import check_accounts, errors_of
from disclosure.project import Project
from factories import Line, consistent_accounts, with_value

PROJECT = Project(root=Path("."))
CLASSES = ["201", "204", "205", "208", "210", "212", "213", "221", "223", "229"]
FUNDS = ["general", "general", "general", "gov_fund", "state_capital", "other"]
PERSONNEL = ["30101", "30102", "30103", "30107", "30108", "30112", "30199", "30301", "30302", "30305"]
PUBLIC = ["30201", "30202", "30205", "30211", "30212", "30213", "30216", "30217", "30228", "30231",
          "30299", "31002", "31013", "30701", "39999"]
TABLES = ["summary", "income", "expenditure", "fiscal_summary", "projects", "general_budget", "basic",
          "gov_fund", "state_capital", "three_public", "info"]
SETS = ["neimenggu-11", "neimenggu-11", "national-9", "yunnan-11"]
UNCHECKED = {"info"}  # its only cross-check (机关运行经费 ↔ 公用经费) is a warning


def amounts(high: int = 10**8) -> st.SearchStrategy[Decimal]:
    return st.one_of(st.just(0), st.integers(0, high)).map(lambda c: Decimal(c).scaleb(-2))


@st.composite
def lines(draw) -> list[Line]:
    out = []
    for cls in draw(st.lists(st.sampled_from(CLASSES), min_size=0, max_size=4, unique=True)):
        for kuan in draw(st.lists(st.integers(1, 99), min_size=1, max_size=3, unique=True)):
            for xiang in draw(st.lists(st.integers(1, 99), min_size=1, max_size=3, unique=True)):
                out.append(Line(
                    f"{cls}{kuan:02d}{xiang:02d}", draw(st.sampled_from(FUNDS)),
                    basic=draw(amounts()), project=draw(amounts()),
                    opening=draw(amounts(10**6)), closing=draw(amounts(10**6)),
                ))
    return out


@st.composite
def split(draw, total: Decimal) -> tuple[dict[str, Decimal], dict[str, Decimal]]:
    """Share ``total`` out over some personnel and public 款 codes, to the cent."""
    codes = draw(st.lists(st.sampled_from(PERSONNEL + PUBLIC), min_size=1, max_size=12, unique=True))
    cents = int(total.scaleb(2))
    cuts = sorted(draw(st.lists(st.integers(0, cents), min_size=len(codes) - 1, max_size=len(codes) - 1)))
    parts = [b - a for a, b in zip([0, *cuts], [*cuts, cents])]
    personnel = {c: Decimal(p).scaleb(-2) for c, p in zip(codes, parts) if c in PERSONNEL}
    public = {c: Decimal(p).scaleb(-2) for c, p in zip(codes, parts) if c in PUBLIC}
    return personnel, public


@st.composite
def accounts(draw):
    drawn = draw(lines())
    basic = sum((Decimal(l.basic) for l in drawn if l.fund == "general"), Decimal(0))
    personnel, public = draw(split(basic))
    keep = draw(st.sets(st.sampled_from(TABLES), min_size=1)) if draw(st.booleans()) else TABLES
    table_set = draw(st.sampled_from(SETS))
    return consistent_accounts(drawn, personnel=personnel, public=public, table_set=table_set,
                               procurement=(draw(amounts()), draw(amounts()), draw(amounts())), tables=keep)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(accounts(), st.data())
def test_consistent_accounts_pass_and_one_moved_cell_is_named(acc, data):
    findings = check_accounts(acc, PROJECT)
    assert not errors_of(findings), [f.message for f in errors_of(findings)]
    assert not [f for f in findings if f.severity == "notice"]

    cells = [(t.key, r.key, col) for t in acc.tables.values() if t.key not in UNCHECKED
             for r in t.rows for col in r.cells]
    if not cells:
        return
    table, row, column = data.draw(st.sampled_from(cells), label="cell")
    delta = data.draw(st.integers(100, 10**7).map(lambda c: Decimal(c).scaleb(-2)), label="delta")
    delta *= data.draw(st.sampled_from([1, -1]), label="sign")
    moved = with_value(acc, table, row, column, acc[table].row(row).values[column] + delta)
    target = moved[table].row(row).cells[column]
    errors = errors_of(check_accounts(moved, PROJECT))
    assert any(target in f.cells for f in errors), (str(target), [f.message for f in errors])
