"""The check stage: every identity of the table set, declared as data, evaluated over one
unit-year's accounts → cell-addressed findings. Checks never change data.

Public API::

    check_accounts(accounts, project, *, content=None, facts=None) -> list[Finding]
    errors_of(findings) -> list[Finding]          # what stops a build
    count_by_severity(findings) -> dict[str, int]
    summary_line(findings) -> str                 # 未通过校验：错误 1 条，警告 0 条，提示 4 条。
    Finding(severity, rule, message, cells, table).to_dict()

Rules are data: ``rules/<table set>.toml`` (syntax in ``rulebook.py``), evaluated by ``rule_engine.py``;
content warnings live in ``advisories.py``, the 元/万元 mix-up in ``magnitude.py``.
``disclosure.pipeline.check_unit_year(project, unit, year)`` runs one unit-year for the command line
into a ``record.UnitYearCheck``; ``formats`` writes those as text or JSON.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from disclosure.check.advisories import (
    budget_missing,
    classification_names,
    empty_notes,
    empty_summary,
    missing_reasons,
    placeholders,
    prior_year,
    review_marks,
    unknown_reasons,
)
from disclosure.check.finding import SEVERITIES, Finding, count_by_severity, errors_of, summary_line
from disclosure.check.magnitude import corrected, suspects
from disclosure.check.rule_engine import chain_findings, evaluate
from disclosure.check.rulebook import ADJUSTMENT_REASON, Rule, load_rules, rules_for
from disclosure.content import UnitContent
from disclosure.derive import derive
from disclosure.model import Accounts
from disclosure.project import Project

__all__ = [
    "Finding",
    "Rule",
    "check_accounts",
    "count_by_severity",
    "errors_of",
    "load_rules",
    "rules_for",
    "summary_line",
]


def _order(findings: list[Finding], accounts: Accounts) -> list[Finding]:
    """Unit-year findings first, then by table in publishing order; errors before warnings
    before notices within a table; rule order otherwise (the sort is stable)."""
    tables = {key: i for i, key in enumerate(accounts.tables)}
    rank = {s: i for i, s in enumerate(SEVERITIES)}
    return sorted(
        findings,
        key=lambda f: (-1 if f.table is None else tables.get(f.table, len(tables)), rank[f.severity]),
    )


#: (accounts, facts) → a feature's findings about them; run again on rescaled accounts.
FeatureCheck = Callable[[Accounts, Any], list[Finding]]


def check_accounts(
    accounts: Accounts,
    project: Project,
    *,
    content: UnitContent | None = None,
    facts: Any = None,
    magnitude: bool = True,
    feature_checks: Sequence[FeatureCheck] = (),
    staff: tuple[Any, str] | None = None,
) -> list[Finding]:
    """Every rule of the table set over one unit-year, plus the warnings about the report's
    content. Rules whose tables are absent are skipped. ``facts`` (from ``disclosure.derive``)
    enables the missing-reason warnings; pass None to leave them out. ``feature_checks`` add each
    feature's findings (``disclosure.pipeline`` passes them); ``staff`` is 实有人数 and where a feature's
    input states it (else the unit's texts are read for it).

    A magnitude mistake (元 under 万元, or 万元 under 元) is one error; the findings that only follow
    from it (those the rescaled tables no longer give) are left out, so the mistake is said once."""
    findings = _findings(accounts, project, content, facts, feature_checks)
    if not magnitude:
        return findings
    wrong, tables = suspects(accounts, content, staff)
    if not wrong:
        return findings
    fixed = corrected(accounts, tables)
    fixed_facts = None
    if facts is not None:
        try:
            fixed_facts = derive(fixed, project)
        except Exception:  # noqa: BLE001 - without facts the reason warnings are compared without them
            fixed_facts = None
    # a finding also given, word for word, by the rescaled tables is not about the mistake: kept
    remaining = {(f.severity, f.rule, f.cells, f.message)
                 for f in _findings(fixed, project, content, fixed_facts, feature_checks)}
    kept = [f for f in findings if (f.severity, f.rule, f.cells, f.message) in remaining]
    return _order(wrong + kept, accounts)


def _findings(accounts: Accounts, project: Project, content: UnitContent | None, facts: Any,
              feature_checks: Sequence[FeatureCheck] = ()) -> list[Finding]:
    findings: list[Finding] = []
    for rule in rules_for(accounts, project):
        if rule.kind == "chain":  # a stated adjustment (调整) makes a chain difference a warning
            stated = content.reason(rule.params.get("reason", ADJUSTMENT_REASON)) if content is not None else ""
            findings += chain_findings(rule, accounts, stated or "")
        else:
            findings += evaluate(rule, accounts)
    findings += prior_year(accounts, project)
    findings += empty_notes(accounts, content)
    findings += classification_names(accounts)
    findings += empty_summary(accounts)
    findings += missing_reasons(facts, content, project)
    findings += unknown_reasons(facts, content)
    findings += budget_missing(accounts, facts)
    findings += placeholders(content, project)
    findings += review_marks(content, project)
    for feature_check in feature_checks:  # 绩效: 附表2 self scores, 附表1 goals (disclosure.pipeline)
        findings += feature_check(accounts, facts)
    return _order(findings, accounts)
