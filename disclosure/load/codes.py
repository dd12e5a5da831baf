"""Codes for rows that a table shows by indentation only, borrowed from the other tables of the same source.

Some exports print the 支出决算表 with names only (公共安全支出 / 　　公安 / 　　　　行政运行) while
the other tables carry codes. Without codes the check stage cannot add 项 up to 款 or compare the
table with the others, so each indented row takes the code of the row with the same name path
(类 name / 款 name / 项 name) in a coded table of the same workbook or folder.
"""
from __future__ import annotations

from disclosure.labels import normalize_label, strip_numbering
from disclosure.model import Table

LEVEL_DIGITS = {1: 3, 2: 5, 3: 7}


def _name(label: str) -> str:
    return normalize_label(strip_numbering(label))


def _known_paths(tables: dict[str, Table]) -> dict[tuple[str, ...], str]:
    """Name path → code, from every coded 功能分类 row of the tables (first table that has it wins)."""
    known: dict[tuple[str, ...], str] = {}
    for table in tables.values():
        names: dict[str, str] = {}
        for row in table.rows:
            if row.code is not None and len(row.code) in (3, 5, 7) and row.code[0] == "2":
                names[f"{row.block}|{row.code}"] = _name(row.label)
        for key, name in names.items():
            block, code = key.split("|")
            prefixes = [code[:n] for n in (3, 5, 7) if n <= len(code)]
            path = tuple(names.get(f"{block}|{p}") for p in prefixes)
            if all(path):
                known.setdefault(path, code)  # type: ignore[arg-type]
    return known


def borrow_codes(tables: dict[str, Table]) -> list[str]:
    """Give indented rows (no code, keyed by their name path) the code of the same name path in a
    coded table; returns notices for the review page. Rows with no match keep their name key."""
    known = _known_paths(tables)
    notices: list[str] = []
    for table in tables.values():
        changed = 0
        for row in table.rows:
            if row.code is not None or row.level not in LEVEL_DIGITS:
                continue
            local = row.key.split(".", 1)[1] if row.block and row.key.startswith(f"{row.block}.") else row.key
            path = tuple(_name(p) for p in local.split("/"))
            code = known.get(path)
            if code is None or len(code) != LEVEL_DIGITS.get(row.level or 0):
                continue
            row.code = code
            row.key = f"{row.block}.{code}" if row.block else code
            changed += 1
        if changed:
            table.__post_init__()  # re-index the rows by their new keys
            notices.append(
                f"{table.file}，{table.sheet}：{table.spec.title}只有缩进、没有科目编码，"
                f"已按本套其他表中同名科目补上{changed}行的编码。"
            )
    return notices
