"""derive: Accounts (+ prior year) → Facts. All arithmetic and rounding of the report lives here."""
from __future__ import annotations

from typing import TYPE_CHECKING

from disclosure.derive.engine import run
from disclosure.derive.facts import MONEY, PERCENT, Fact, Facts, write_facts_json
from disclosure.derive.registry import REGISTRY
from disclosure.derive.entry_kinds import Registry
from disclosure.wording.style import style_for

if TYPE_CHECKING:  # pragma: no cover
    from disclosure.model import Accounts
    from disclosure.project import Project

__all__ = ["Fact", "Facts", "MONEY", "PERCENT", "REGISTRY", "derive", "write_facts_json"]


def derive(accounts: "Accounts", project: "Project", registry: Registry = REGISTRY) -> Facts:
    """Every fact of the report for one unit-year, with changes against ``accounts.prior``; the
    percent places are the project's, or the report style's for the facts it names."""
    return run(registry, accounts, project.percent_places,
               style_for(project, getattr(accounts, "year", None)).percent_places)
