"""Rule specs as data: ``rules/<table set>.toml`` → ``Rule`` objects the engine evaluates.

A rule file holds ``[[rule]]`` entries and may ``include`` other rule files by name; a rule of the
file itself replaces an included rule of the same id (a set's variant of a shared rule). Every rule has
an ``id``, a ``kind``, a Chinese ``description``; optionally ``severity`` (of a failure beyond the
tolerance, default "error"), ``op`` ("=" or ">="), ``tolerance`` (万元 per addend, default 0.01).

A *term* names one cell as ``table:row:column`` (``summary:income.year_total:amount``; an empty row
means the first row, for one-row ``record`` tables such as 三公: ``three_public::actual_total``); a leading
``-`` subtracts it, a trailing ``?`` makes it optional (an absent row or column counts as zero
instead of skipping the rule). Kinds and their parameters:

- ``equation``  ``left``, ``right``: lists of terms; Σ left op Σ right.
- ``columns``   ``tables``, optional ``block``, ``left``, ``right``: lists of column keys (with the
                same ``-``/``?`` marks); the identity is checked on every row of each table.
- ``tree``      ``tables``, optional ``block``, ``columns`` (default: all), optional ``total`` (an
                item row equal to the sum of the top-level codes); every code row equals the sum
                of its next-level codes (类 = Σ 款, 款 = Σ 项). When a parent exceeds its children by
                exactly what another table of the year shows for a code this table lacks (or last
                year's same table had a code that is gone), the finding says a row seems missing.
- ``match``     ``left``, ``right``: ``table:block:column`` (block may be empty), ``level``: rows of
                that classification level are paired by code and must be equal.
- ``empty``     ``table``, ``funds``: terms showing the money of that fund elsewhere; the table must
                be empty exactly when all of them are zero (空表).
- ``chain``     ``left``: terms of this year's tables, ``right``: terms of last year's (the year-to-year
                chain: 年初结转和结余 = 上年 年末结转和结余); skipped without last year's tables. A
                difference is a warning instead when the unit's ``reasons.toml`` states, under
                ``reason`` (default ``opening_balance.adjustment``), an adjustment (调整).
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from disclosure.errors import ConfigError, Problem

if TYPE_CHECKING:
    from disclosure.model import Accounts
    from disclosure.project import Project

RULES_DIR = Path(__file__).parent / "rules"
KINDS = ("equation", "columns", "tree", "match", "empty", "chain")
OPS = ("=", ">=")
DEFAULT_TOLERANCE = Decimal("0.01")
ADJUSTMENT_REASON = "opening_balance.adjustment"  # reasons.toml key stating why 年初 ≠ 上年年末


@dataclass(frozen=True)
class Term:
    """One cell named by table, row and column keys."""

    table: str
    row: str
    column: str
    optional: bool = False
    negative: bool = False

    @classmethod
    def parse(cls, text: str) -> "Term":
        raw = text.strip()
        negative = raw.startswith("-")
        optional = raw.endswith("?")
        parts = raw.strip("-?").split(":")
        if len(parts) != 3 or not parts[0] or not parts[2]:
            raise ValueError(f"term {text!r} is not table:row:column")
        return cls(parts[0], parts[1], parts[2], optional, negative)


@dataclass(frozen=True)
class ColumnTerm:
    """A column key in a ``columns`` rule."""

    column: str
    optional: bool = False
    negative: bool = False

    @classmethod
    def parse(cls, text: str) -> "ColumnTerm":
        raw = text.strip()
        return cls(raw.strip("-?"), raw.endswith("?"), raw.startswith("-"))


@dataclass(frozen=True)
class Rule:
    """One declared identity or condition."""

    id: str
    kind: str
    description: str
    severity: str = "error"
    op: str = "="
    tolerance: Decimal = DEFAULT_TOLERANCE
    params: dict = field(default_factory=dict, compare=False, hash=False)

    def terms(self, key: str) -> list[Term]:
        return [Term.parse(t) for t in self.params.get(key, ())]

    def column_terms(self, key: str) -> list[ColumnTerm]:
        return [ColumnTerm.parse(t) for t in self.params.get(key, ())]

    def tables(self) -> list[str]:
        value = self.params.get("tables", self.params.get("table", ()))
        return [value] if isinstance(value, str) else list(value)


def _rule(d: dict, source: str) -> Rule:
    try:
        rule = Rule(
            id=str(d["id"]),
            kind=str(d["kind"]),
            description=str(d["description"]),
            severity=str(d.get("severity", "error")),
            op=str(d.get("op", "=")),
            tolerance=Decimal(str(d.get("tolerance", DEFAULT_TOLERANCE))),
            params={k: v for k, v in d.items() if k not in {"id", "kind", "description", "severity", "op", "tolerance"}},
        )
    except KeyError as exc:
        raise ValueError(f"{source}: rule {d.get('id', '?')} lacks {exc}") from exc
    except InvalidOperation as exc:
        raise ValueError(f"{source}: rule {d.get('id')} has a bad tolerance") from exc
    if rule.kind not in KINDS or rule.op not in OPS or rule.severity not in ("error", "warning", "notice"):
        raise ValueError(f"{source}: rule {rule.id} has an unknown kind, op or severity")
    for key in ("left", "right", "funds"):  # fail early on malformed terms
        if rule.kind in ("equation", "empty", "chain") and key in rule.params:
            rule.terms(key)
    return rule


def _read(path: Path, seen: tuple[Path, ...] = ()) -> list[Rule]:
    if path in seen:
        raise ValueError(f"rule files include each other: {path}")
    with open(path, "rb") as f:
        data = tomllib.load(f)
    rules: dict[str, Rule] = {}
    for name in data.get("include", ()):
        rules.update((r.id, r) for r in _read(path.parent / f"{name}.toml", (*seen, path)))
    own = [_rule(d, path.name) for d in data.get("rule", ())]
    ids = [r.id for r in own]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise ValueError(f"{path.name}: duplicate rule ids {dupes}")
    rules.update((r.id, r) for r in own)  # a set's own rule replaces an included one of that id
    return list(rules.values())


@lru_cache(maxsize=None)
def load_rules(table_set: str) -> tuple[Rule, ...]:
    """The rules of a table set: ``rules/<set>.toml``; for a set given as a path, a
    ``<name>.rules.toml`` beside it; otherwise the shared ``rules/common.toml``."""
    path = Path(table_set)
    candidates = [path.with_name(f"{path.stem}.rules.toml")] if path.suffix == ".toml" else []
    candidates += [RULES_DIR / f"{path.stem}.toml", RULES_DIR / "common.toml"]
    chosen = next(p for p in candidates if p.exists())
    return tuple(_read(chosen))


def rules_for(accounts: Accounts, project: Project) -> tuple[Rule, ...]:
    """The rules of the accounts' table set (the project's when the accounts do not say).
    A malformed rule file is a ConfigError naming it."""
    name = accounts.table_set or project.table_set_for(accounts.year)
    try:
        return load_rules(name)
    except (ValueError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(Problem(f"校验规则文件有误：{exc}。请按 disclosure/check/rulebook.py 所述格式修改。",
                                  file=str(name))) from exc
