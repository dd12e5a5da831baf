"""Warnings about what the report will say rather than about the tables' arithmetic: no prior
year to compare with, a 空表 without its 说明, a large change or a 决算 off its 预算 without a reason."""
from __future__ import annotations

from typing import Any, Iterable

from disclosure.check.finding import Finding
from disclosure.content import UnitContent
from disclosure.model import Accounts
from disclosure.project import Project


def prior_year(accounts: Accounts, project: Project) -> list[Finding]:
    """No prior-year tables: the report leaves every comparison out, and says so."""
    if accounts.prior is not None:
        return []
    year = accounts.year - 1
    message = (
        f"没有 {year} 年的公开表（tables/{accounts.unit}/{year}.xlsx），与上年的比较将全部略去，"
        f"报告中会写明“无上年数据”。如需比较，请放入 {year} 年的公开表。"
    )
    return [Finding("warning", "prior.missing", message, (), None, "上年公开表齐全，才能写与上年的比较")]


def empty_section_key(table_key: str) -> str:
    """The content section that explains an empty table: ``content/<unit>/<year>/empty-<key>.md``."""
    return f"empty-{table_key}"


def empty_notes(accounts: Accounts, content: UnitContent | None) -> list[Finding]:
    """Every 空表 needs its 说明: the standard's wording, a note on the sheet, or a content section."""
    found = []
    for table in accounts.tables.values():
        if not table.empty or not table.spec.published:
            continue
        if table.spec.empty_note or any("空表" in n for n in table.notes):
            continue
        if content is not None and (content.section(empty_section_key(table.key)) or "").strip():
            continue
        where = (table.title_cell,) if table.title_cell else ()
        message = (
            f"{table.sheet}是空表，但没有空表说明：请写 content/{accounts.unit}/{accounts.year}/"
            f"{empty_section_key(table.key)}.md，说明本单位为何没有这张表的数据"
        )
        found.append(Finding("warning", "empty.note", message, where, table.key, "空表必须附空表说明"))
    return found


def _get(obj: Any, name: str, default: Any = None) -> Any:
    if isinstance(obj, dict):
        return obj.get(name, default)
    return getattr(obj, name, default)


def missing_reasons(facts: Any, content: UnitContent | None) -> list[Finding]:
    """Facts that need a reason (a change ≥ the threshold, a 决算 off its 预算) and have none.

    Uses the derive stage's public API only: ``facts.needing_reasons()`` yields facts with
    ``reason_key``, ``label``/``name``, ``cells`` and ``text``/``value``; a fact already carrying
    its reason (``reason``) or whose key has text in ``content/…/reasons.toml`` is fine.
    """
    if facts is None:
        return []
    needing = getattr(facts, "needing_reasons", None)
    items: Iterable[Any] = needing() if callable(needing) else ()
    found = []
    for fact in items:
        key = _get(fact, "reason_key")
        if not key or _get(fact, "reason"):
            continue
        if content is not None and content.reason(key):
            continue
        label = _get(fact, "label") or _get(fact, "name") or key
        detail = _get(fact, "text") or ""
        cells = tuple(_get(fact, "cells", ()) or ())
        table = cells[0].table if cells and getattr(cells[0], "table", "") else None
        unit_year = f"content/{content.unit}/{content.year}" if content else "content/<单位>/<年度>"
        message = f"{label}{('：' + detail) if detail else ''}，没有写原因：请在 {unit_year}/reasons.toml 的 [reasons] 中写 {key} = \"……\""
        found.append(Finding("warning", "reason.missing", message, cells, table, "变动较大或决算偏离预算须说明原因"))
    return found
