"""Run the registry over one unit-year (and its prior year) and collect the facts."""
from __future__ import annotations

from decimal import Decimal

from disclosure.derive.facts import PERCENT, Fact, Facts
from disclosure.derive.entry_kinds import Family, Registry, Scope, Spec, places_for
from disclosure.model import Accounts
from disclosure.money import percent

DESCRIBE_PRIOR = "上年同一数字，取自上年的公开表，用于与上年比较。"
DESCRIBE_CHANGE = "本年数减上年数；正数为增加，负数为减少。"
DESCRIBE_RATE = "变动额除以上年数的百分比（四舍五入）；上年为零时不计算。"


Overrides = tuple[tuple[str, int], ...]


def _resolve_all(registry: Registry, accounts: Accounts, places: int, year: int | None,
                 overrides: Overrides = ()) -> Facts:
    facts = Facts(unit=accounts.unit, year=accounts.year)
    scope = Scope(accounts=accounts, facts=facts, percent_places=places, year=year, percent_overrides=overrides)
    for entry in registry.entries:
        if isinstance(entry, Family):
            if not any(accounts.get(t) is not None for t in entry.tables):
                continue  # none of its tables: the family is unknown here, not empty
            members = entry.members(accounts)
            facts.groups[entry.key] = [code for code, _ in members]
            for code, name in members:
                facts.names[f"{entry.key}.{code}"] = name
            continue
        for bound in _expand(entry, facts):
            fact = bound.resolve(scope)
            if fact is not None:
                facts.add(fact, entry.description)
    return facts


def _expand(entry: Spec, facts: Facts) -> list[Spec]:
    if entry.family is None:
        return [entry]
    return [entry.bound(code, facts.names.get(f"{entry.family}.{code}", code)) for code in facts.codes(entry.family)]


def _compare(entry: Spec, current: Facts, prior: Facts, places: int, overrides: Overrides = ()) -> None:
    """Add ``.prior``, ``.change`` and (for ``"pct"`` on a non-zero base) ``.change_pct``."""
    for bound in _expand(entry, current):
        now = current.get(bound.key)
        if now is None:
            continue
        before = prior.get(bound.key)
        if before is None:
            if not _prior_knows(entry, prior):
                continue
            before = Fact(
                key=bound.key, value=Decimal("0"), unit=now.unit, cells=(), label=now.label,
                formula=f"上年无“{now.label}”，按0计", year=prior.year,
            )
        reason = f"{bound.key}.change" if entry.ask_reason else None
        current.add(
            Fact(
                key=f"{bound.key}.prior", value=before.value, unit=now.unit, cells=before.cells,
                formula=before.formula, label=f"上年{now.label}", year=prior.year,
            ),
            DESCRIBE_PRIOR,
        )
        change = now.value - before.value
        current.add(
            Fact(
                key=f"{bound.key}.change", value=change, unit=now.unit, cells=now.cells + before.cells,
                formula=f"{now.label} − 上年{now.label}", label=f"{now.label}较上年变动", reason_key=reason,
            ),
            DESCRIBE_CHANGE,
        )
        if entry.compare == "pct" and before.value != 0:
            rate = percent(change, abs(before.value), places_for(f"{bound.key}.change_pct", places, overrides))
            assert rate is not None
            current.add(
                Fact(
                    key=f"{bound.key}.change_pct", value=rate, unit=PERCENT, cells=now.cells + before.cells,
                    formula=f"（{now.label} − 上年{now.label}）÷ 上年{now.label} × 100%",
                    label=f"{now.label}较上年变动率", reason_key=reason,
                ),
                DESCRIBE_RATE,
            )


def _prior_knows(entry: Spec, prior: Facts) -> bool:
    """Whether a fact missing from the prior year means zero (its family exists there) rather
    than no data (the prior year lacks the table)."""
    return entry.family is not None and entry.family in prior.groups


def run(registry: Registry, accounts: Accounts, places: int, overrides: Overrides = ()) -> Facts:
    """Facts of ``accounts`` with comparisons against ``accounts.prior`` when it exists;
    ``overrides`` give other percent places to facts by key prefix (the report style's)."""
    facts = _resolve_all(registry, accounts, places, None, overrides)
    prior_accounts = accounts.prior
    if prior_accounts is None:
        return facts
    prior = _resolve_all(registry, prior_accounts, places, prior_accounts.year, overrides)
    facts.prior_year = prior_accounts.year
    for entry in registry.entries:
        if entry.compare:
            _compare(entry, facts, prior, places, overrides)
    return facts
