"""One unit-year through the stages, owned here: load → content → derive → each feature's evaluation
→ narrative → check, each computed once into a frozen ``UnitYear`` that ``check``, the site and the
batch build all read.

    run_unit_year(project, unit, year, narrative=True) -> UnitYear   # InputError when unreadable
    check_unit_year(project, unit, year) -> check.record.UnitYearCheck  # never raises for bad input
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from disclosure.check import FeatureCheck, check_accounts
from disclosure.check.finding import Finding
from disclosure.check.record import UnitYearCheck, checked, unreadable
from disclosure.content import UnitContent, load_content
from disclosure.derive import Facts, derive
from disclosure.errors import ConfigError, InputError, Problem
from disclosure.features import evaluated_features, stated_staff_of
from disclosure.load import load_accounts, locate
from disclosure.model import Accounts
from disclosure.narrative import Section, render_narrative
from disclosure.project import Project


@dataclass(frozen=True)
class UnitYear:
    """Everything one unit-year's report is made from. ``facts`` is None only when the derive stage
    failed (``derive_error`` says why): check then warns, the site refuses to publish."""

    project: Project
    unit: str
    year: int
    accounts: Accounts
    content: UnitContent
    facts: Facts | None
    sections: tuple[Section, ...] = ()
    findings: tuple[Finding, ...] = ()
    results: Mapping[str, Any] = field(default_factory=dict)  # each feature's evaluation, by name
    derive_error: Exception | None = None

    @property
    def unit_name(self) -> str:
        return self.content.name or getattr(self.accounts, "unit_name", "") or self.unit


def run_unit_year(project: Project, unit: str, year: int, *, narrative: bool = True) -> UnitYear:
    """Load, derive, evaluate the features, write the narrative (unless ``narrative`` is False: the
    check command needs no text) and check one unit-year. Raises InputError when its tables or texts
    cannot be read."""
    accounts, content = _accounts_and_content(project, unit, year)
    try:
        facts, derive_error = derive(accounts, project), None
    except (ConfigError, InputError):
        raise
    except Exception as exc:  # noqa: BLE001 - recorded: check warns, the site refuses
        facts, derive_error = None, exc
    results = {f.name: f.evaluate(accounts, facts, project) for f in evaluated_features()}
    sections = tuple(render_narrative(facts, content, project, link=True)) if narrative and facts is not None else ()
    findings = tuple(check_accounts(accounts, project, content=content, facts=facts, staff=stated_staff_of(results),
                                    feature_checks=_feature_checks(project, accounts, results)))
    return UnitYear(project, unit, year, accounts, content, facts, sections, findings, results, derive_error)


def _accounts_and_content(project: Project, unit: str, year: int) -> tuple[Accounts, UnitContent]:
    """The unit-year's tables and texts, each read once; load is handed the unit's name the texts
    state (this year's and the prior year's), which every 编制单位 is compared with.

    What is wrong is said in this order: no tables or an unknown table set; this year's unreadable
    texts (alone); this year's table problems; then the prior year's unreadable texts, or its table
    problems."""
    locate(project, unit, year)
    content = load_content(project, unit, year)
    names = {year: content.name}
    prior_problems: list[Problem] = []
    if project.source(unit, year - 1) is not None:
        locate(project, unit, year - 1)
        try:
            names[year - 1] = load_content(project, unit, year - 1).name
        except InputError as exc:  # said after this year's table problems; its tables are not read
            prior_problems = list(exc.problems)
    try:
        accounts = load_accounts(project, unit, year, with_prior=not prior_problems, stated_names=names)
    except InputError as exc:
        raise InputError([*exc.problems, *prior_problems]) from exc
    if prior_problems:
        raise InputError(prior_problems)
    return accounts, content


def _feature_checks(project: Project, accounts: Accounts, results: Mapping[str, Any]) -> tuple[FeatureCheck, ...]:
    """Each feature's findings: from its result for these accounts, evaluated afresh for others (the
    check stage re-checks rescaled tables when it suspects 元 under 万元)."""
    checks = []
    for feature in evaluated_features():
        if feature.findings is None:
            continue

        def check(acc: Accounts, facts: Any, feature=feature) -> list[Finding]:
            result = results[feature.name] if acc is accounts else feature.evaluate(acc, facts, project)
            return [] if result is None else list(feature.findings(result, acc, facts))

        checks.append(check)
    return tuple(checks)


def check_unit_year(project: Project, unit: str, year: int) -> UnitYearCheck:
    """The check command's record of one unit-year; an unreadable one comes back with its problems."""
    try:
        unit_year = run_unit_year(project, unit, year, narrative=False)
    except ConfigError:
        raise
    except InputError as exc:
        return unreadable(project, unit, year, list(exc.problems))
    findings = list(unit_year.findings)
    if unit_year.derive_error is not None:
        exc = unit_year.derive_error
        message = f"无法计算报告中的数字（{type(exc).__name__}: {exc}），未检查变动原因是否齐全"
        findings.insert(0, Finding("warning", "reason.unchecked", message, (), None, "变动原因检查需要报告数字"))
    return checked(project, unit_year.accounts, unit_year.content.name or unit_year.accounts.unit_name, findings,
                   unit_year.content)
