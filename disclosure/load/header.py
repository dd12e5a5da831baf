"""Multi-row merged headers → one header path per column; column roles; side-by-side blocks;
matching the spec's columns to sheet columns by the rule documented at the top of tables.toml."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from disclosure.labels import NUMBERING_WORDS
from disclosure.load.text import norm
from disclosure.load.workbook import Sheet
from disclosure.money import NotANumber, parse_amount
from disclosure.standard import ColumnSpec

FREE_EXTRAS = {"合计", "小计", "金额"}
_NUMBERING_CELL = re.compile(r"^(?:\d{1,2}|[甲乙丙丁戊]|[A-Za-z]|\d+[=+\-]\d.*)$")
_CODE_HEAD = re.compile(r"(编码|代码|编号)$")
_NAME_HEAD = re.compile(r"(名称|项目|科目|项目名称)$")
_CODE_PARTS = {"类": 1, "款": 2, "项": 3}
_UNIT_HEAD = {"计量单位", "单位"}


@dataclass
class Column:
    """A sheet column: its index, header path (normalised, top to bottom) and role."""

    index: int
    path: tuple[str, ...]
    role: str  # "code" (with part 1/2/3 when split), "name", "lineno", "unit" or "value"
    part: int = 0


@dataclass
class Block:
    """A run of columns: label columns then value columns (a whole table, or one side-by-side block)."""

    columns: list[Column] = field(default_factory=list)

    def of(self, role: str) -> list[Column]:
        return [c for c in self.columns if c.role == role]

    @property
    def path_words(self) -> set[str]:
        return {w for c in self.columns for w in c.path}


def merged_lookup(sheet: Sheet) -> dict[tuple[int, int], tuple[int, int]]:
    """Each covered cell of a merged range → the range's top-left cell."""
    out: dict[tuple[int, int], tuple[int, int]] = {}
    for r0, c0, r1, c1 in sheet.merges:
        if (r1 - r0 + 1) * (c1 - c0 + 1) > 5000:  # a whole-column merge: nothing useful to spread
            continue
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                if (r, c) != (r0, c0):
                    out[(r, c)] = (r0, c0)
    return out


def cell_text(sheet: Sheet, r: int, c: int, merged: dict[tuple[int, int], tuple[int, int]] | None = None) -> str:
    """A cell's text, taking a merged range's value for every cell it covers."""
    if merged and (r, c) in merged:
        r, c = merged[(r, c)]
    v = sheet.raw(r, c)
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return str(v).strip() if v is not None else ""


def is_numbering_row(texts: list[str]) -> bool:
    """A 栏次/行次 row: the word and then only column numbers or letters."""
    words = [norm(t) or unicodedata.normalize("NFKC", t).strip().strip("()") for t in texts if t]  # (1) → 1
    if not any(w in NUMBERING_WORDS for w in words):
        # 甲 | 乙 | 1 | 2 | 3 … without the word: column numbers counting up from 1
        numbers = [int(w) for w in words if w.isdigit()]
        return (
            len(numbers) >= 2
            and all(w.isdigit() or w in "甲乙丙丁戊" for w in words)
            and numbers == list(range(1, len(numbers) + 1))
        )
    return all(w in NUMBERING_WORDS or w in {"项目", "科目编码", "科目名称"} or _NUMBERING_CELL.match(w) for w in words)


def looks_numeric(value: object) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, float)):
        return True
    if isinstance(value, str) and any(ch.isdigit() for ch in value):
        try:
            return parse_amount(value) is not None
        except NotANumber:
            return False
    return False


def header_paths(sheet: Sheet, rows: list[int], width: int) -> list[tuple[str, ...]]:
    """Per column, the normalised header texts from top to bottom (merged cells spread across and
    down, repeated texts once). A group header typed once over its sub-columns without a merge
    is spread right too: an empty, unmerged header cell with a sub-header below it takes the
    text on its left."""
    merged = merged_lookup(sheet)
    grid = [[norm(cell_text(sheet, r, c, merged)) for c in range(width)] for r in rows]  # 决算数（万元） → 决算数
    for i in range(len(rows) - 1):
        for c in range(1, width):
            if not grid[i][c] and grid[i][c - 1] and grid[i + 1][c] and (rows[i], c) not in merged:
                grid[i][c] = grid[i][c - 1]
    paths: list[tuple[str, ...]] = []
    for c in range(width):
        path: list[str] = []
        for i in range(len(rows)):
            text = grid[i][c]
            if text and text not in path:
                path.append(text)
        paths.append(tuple(path))
    return paths


def column_role(path: tuple[str, ...]) -> tuple[str, int]:
    """What a column holds, judged by the last element of its header path."""
    if not path:
        return "value", 0
    leaf = path[-1]
    if leaf in NUMBERING_WORDS:
        return "lineno", 0
    if leaf in _CODE_PARTS:
        return "code", _CODE_PARTS[leaf]
    if _CODE_HEAD.search(leaf):
        return "code", 0
    if leaf in _UNIT_HEAD:
        return "unit", 0
    if _NAME_HEAD.search(leaf) and not leaf.endswith("支出"):
        return "name", 0
    return "value", 0


def split_blocks(paths: list[tuple[str, ...]]) -> list[Block]:
    """Cut the columns into blocks: a new block starts at a label column that follows a value column."""
    blocks: list[Block] = []
    current = Block()
    seen_value = False
    for i, path in enumerate(paths):
        role, part = column_role(path)
        if role in ("code", "name", "lineno") and seen_value:
            blocks.append(current)
            current, seen_value = Block(), False
        if role == "value" and path:
            seen_value = True
        current.columns.append(Column(i, path, role, part))
    blocks.append(current)
    return [b for b in blocks if any(c.role in ("code", "name") for c in b.columns) or any(c.path for c in b.columns)]


def match_cost(spec: ColumnSpec, path: tuple[str, ...]) -> int | None:
    """Cost of reading spec column from a sheet column with this header path; None if it does not fit."""
    words = list(path)
    used: set[str] = set()
    for element in spec.header[:-1]:
        e = norm(element)
        if e not in words:
            return None
        used.add(e)
    last = [norm(spec.header[-1]), *(norm(a) for a in spec.aliases)]
    hit = next((w for w in last if w in words and w not in used), None)
    if hit is None:
        return None
    used.add(hit)
    return sum(0 if w in FREE_EXTRAS else 1 for w in words if w not in used)


def assign_columns(specs: tuple[ColumnSpec, ...] | list[ColumnSpec], columns: list[Column]) -> dict[str, int]:
    """Spec column key → sheet column index: globally cheapest pairs first, each sheet column once."""
    pairs = []
    for si, spec in enumerate(specs):
        for col in columns:
            if col.role != "value" or not col.path:
                continue
            cost = match_cost(spec, col.path)
            if cost is not None:
                pairs.append((cost, si, col.index, spec.key))
    pairs.sort()
    out: dict[str, int] = {}
    taken: set[int] = set()
    for _cost, _si, index, key in pairs:
        if key in out or index in taken:
            continue
        out[key] = index
        taken.add(index)
    return out
