"""Warnings about what the report will say rather than about the tables' arithmetic: no prior
year to compare with, a 空表 without its 说明, a large change or a 决算 off its 预算 without a reason,
a 请核对 mark left in a text copied from an earlier year."""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from disclosure.check.finding import Finding
from disclosure.check.rulebook import ADJUSTMENT_REASON
from disclosure.content import PLACEHOLDER, UnitContent
from disclosure.derive import MONEY, PERCENT
from disclosure.labels import says_empty
from disclosure.model import Accounts
from disclosure.money import HUNDRED, format_amount
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
    """Every 空表 needs its 说明: the standard's wording, a note on the sheet that says so (故本表为空表 /
    本表无数据 / 此表为空 …, `says_empty`), or a content section."""
    found = []
    for table in accounts.tables.values():
        if not table.empty or not table.spec.published:
            continue
        if table.spec.empty_note or any(says_empty(n) for n in table.notes):
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


def classification_names(accounts: Accounts) -> list[Finding]:
    """A 科目编码 whose stated name is not that year's official name, or a code that year's list does not
    know: a warning naming the cell (and the official name), never a refusal; the row is published as stated."""
    return [
        Finding("warning", "classification.name", message, (cell,), cell.table,
                "科目编码和名称应与当年政府收支分类科目一致")
        for message, cell in accounts.warnings
    ]


def needing_reasons(facts: Any, threshold: Decimal) -> list[Any]:
    """Facts of the derive stage that call for a written reason, one per ``reason_key``, in fact
    order: a change against the prior year of at least ``threshold`` % (or from a zero base), a
    决算 that differs from its 预算 (a non-zero ``.diff``, a ``.completion`` other than 100%).
    Only compares the derive stage's own figures; computes no percentage."""
    chosen: dict[str, Any] = {}
    for key, fact in facts.items():
        reason = getattr(fact, "reason_key", None)
        if not reason or reason in chosen:
            continue
        if key.endswith(".change_pct"):
            needed = abs(fact.value) >= threshold
        elif key.endswith(".change"):
            base = key[: -len(".change")]
            prior = facts.get(f"{base}.prior")
            needed = (
                fact.unit == MONEY
                and f"{base}.change_pct" not in facts
                and prior is not None
                and prior.value == 0
                and fact.value != 0
            )
        elif key.endswith(".diff"):
            needed = fact.unit == MONEY and fact.value != 0
        elif key.endswith(".completion"):
            needed = fact.unit == PERCENT and fact.value != HUNDRED
        else:
            needed = False
        if needed:
            chosen[reason] = fact
    return list(chosen.values())


def _figure(fact: Any) -> str:
    if fact.unit == PERCENT:
        return f"{fact.value}%"
    if fact.unit == MONEY:
        return f"{format_amount(fact.value)} 万元"
    return f"{fact.value} {fact.unit}"


def missing_reasons(facts: Any, content: UnitContent | None, project: Project) -> list[Finding]:
    """A warning for every fact that calls for a reason (see ``needing_reasons``) while
    ``content/<unit>/<year>/reasons.toml`` has no text under its ``reason_key``."""
    if facts is None:
        return []
    found = []
    for fact in needing_reasons(facts, project.change_threshold):
        key = fact.reason_key
        if content is not None and content.reason(key):
            continue
        cells = tuple(fact.cells)
        table = cells[0].table if cells and cells[0].table else None
        where = f"content/{facts.unit}/{facts.year}/reasons.toml"
        message = f"{fact.label} {_figure(fact)}，没有写原因：请在 {where} 的 [reasons] 中写 {key} = \"……\""
        found.append(Finding("warning", "reason.missing", message, cells, table, "变动较大或决算偏离预算须说明原因"))
    return found


def _section_file(content: UnitContent, key: str, project: Project) -> str:
    """The file a section was read from (the most specific layer), relative to the project."""
    paths = [p for p in content.files if p.suffix == ".md" and p.stem == key]
    return project.relative(paths[-1]) if paths else f"content/{content.unit}/{key}.md"


def placeholders(content: UnitContent | None, project: Project) -> list[Finding]:
    """Texts from ``disclosure init`` still carrying “请填写”: the report would print them."""
    if content is None:
        return []
    found = []
    for key, text in sorted(content.sections.items()):
        if PLACEHOLDER in text:
            where = _section_file(content, key, project)
            line = next(l.strip() for l in text.splitlines() if PLACEHOLDER in l)
            message = f"{where} 还有待填写的提示：“{line[:40]}”。请换成本单位的内容，或删去这一行"
            found.append(Finding("error", "content.placeholder", message, (), None, "文稿中不能留下“请填写”提示"))
    for key, text in sorted(content.reasons.items()):
        if PLACEHOLDER in text:
            where = f"content/{content.unit}/{content.year}/reasons.toml"
            message = f"{where} 中 {key} 的原因还是“{text.strip()[:40]}”：请写明实际原因"
            found.append(Finding("error", "content.placeholder", message, (), None, "文稿中不能留下“请填写”提示"))
    return found


def unknown_reasons(facts: Any, content: UnitContent | None) -> list[Finding]:
    """A reason written under a key that no figure of the report uses would silently vanish from
    the text (a typo in the key): warn, and name the closest key that exists."""
    if facts is None or content is None or not content.reasons:
        return []
    import difflib

    known = sorted({f.reason_key for f in facts.values() if getattr(f, "reason_key", None)})
    known_set = (set(known) | {key for key in facts if key.endswith(".change")}  # changes a style may state
                 | {ADJUSTMENT_REASON}  # an adjusted 年初结转和结余 (the year-to-year chain rules)
                 | {f"{key}.uses" for key in facts})  # 主要用于… beside a figure
    where = f"content/{content.unit}/{content.year}/reasons.toml"
    found = []
    for key in sorted(content.reasons):
        if key in known_set or not content.reason(key):
            continue
        close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
        hint = f"是否应为“{close[0]}”？" if close else "请对照 disclosure check 所列的键或 facts.json 中的 reason_key。"
        message = f"{where} 中的“{key}”不对应报告中的任何变动，这条原因不会出现在报告里：{hint}"
        found.append(Finding("warning", "reason.unknown", message, (), None, "原因的键须与报告中的变动对应"))
    return found


def empty_summary(accounts: Accounts) -> list[Finding]:
    """A 收入支出决算总表 with every cell blank: the report would state 0.00 everywhere."""
    table = accounts.get("summary")
    if table is None or not table.empty:
        return []
    title = table.spec.title
    message = f"{table.file}，{title}（工作表“{table.sheet}”）没有填写任何数字：请填写公开表后再生成报告"
    return [Finding("error", "summary.empty", message, (), table.key, "收入支出决算总表不能为空表")]


BUDGET_SENTENCES = (
    "“预算执行情况分析”一节（收入、支出决算总计及财政拨款收支总计与年初预算的比较）",
    "一般公共预算财政拨款支出与年初预算的比较",
    "各项级科目的年初预算数、完成年初预算的比例及差异原因",
)


def budget_missing(accounts: Accounts, facts: Any) -> list[Finding]:
    """No 年初预算数 anywhere (the 年初预算数表 absent or blank, no 年初预算数 column filled): the
    report leaves out every comparison with the budget; say which, so the user can add the sheet."""
    if facts is None or "gb.budget" in facts or "budget.grand_total" in facts:
        return []
    table = accounts.get("budget")
    state = "是空表" if table is not None else "不在公开表文件中"
    message = (
        f"年初预算数表{state}：报告将略去{'、'.join(BUDGET_SENTENCES)}。"
        f"如需这些内容，请在 tables/{accounts.unit}/{accounts.year}.xlsx 中加入并填写“年初预算数表”工作表"
    )
    where = (table.title_cell,) if table is not None and table.title_cell else ()
    return [Finding("warning", "budget.missing", message, where, "budget" if table is not None else None,
                    "与年初预算的比较需要年初预算数表")]


def review_marks(content: UnitContent | None, project: Project) -> list[Finding]:
    """Each ``请核对`` line left in a text copied from an earlier year: an error until deleted, so that
    last year's staff count or date is not published as this year's without a person confirming it."""
    if content is None:
        return []
    found = []
    for mark in content.reviews:
        where = f"{project.relative(mark.path)} 第 {mark.line} 行"
        what = f"：{mark.what}" if mark.what else ""
        message = (f"{where}还有待核对的标记“请核对{what}”。这段文字复制自上一年度："
                   f"请改成 {content.year} 年度的实际情况后删去这一行")
        found.append(Finding("error", "content.review", message, (), None,
                             "复制自上一年度的文稿须核对后删去“请核对”标记"))
    return found
