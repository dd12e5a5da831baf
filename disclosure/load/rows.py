"""Reading one row's label: classification code (one column, split 类/款/项, or before the name),
name without indentation, and the indentation that shows the level when no code is given."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from disclosure.load.header import Block, Column
from disclosure.load.classification import any_year_code, year_list
from disclosure.labels import is_note, strip_numbering
from disclosure.load.text import norm
from disclosure.load.workbook import Sheet
from disclosure.standard import classification_names, function_class_code

_LEADING_CODE = re.compile(r"^\s*(\d{3}(?:\d{2}){0,2})(?!\d)\s*[、.．:：\-—]?\s*(\S.*)?$", re.DOTALL)
_CODE = re.compile(r"^\d{3}(?:\d{2}){0,2}$")
_DIGITS = re.compile(r"^\d+$")
LEVELS = {"function": {3: 1, 5: 2, 7: 3}, "economic": {3: 1, 5: 2}}


@dataclass
class Label:
    """What the label columns of one row say."""

    code: str | None
    name: str
    indent: int
    row: int
    col: int  # column of the name (or of the code when there is no name)
    bad_code: str | None = None  # something code-like that is not a valid code


def _text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return "" if value is None else str(value)


def indent_of(raw: str) -> int:
    """Leading indentation in half-width spaces (a full-width space counts two, a tab four)."""
    n = 0
    for ch in raw:
        if ch == " " or ch == "\u00a0":
            n += 1
        elif ch == "\u3000":
            n += 2
        elif ch == "\t":
            n += 4
        else:
            break
    return n


def clean_name(raw: str) -> str:
    """A name without indentation or full-width spaces at either end."""
    return raw.strip(" \t\u3000\u00a0\r\n")


class CodeCarry:
    """Remembers 类 and 款 parts of split code columns so a 项 row may show only its own part."""

    def __init__(self) -> None:
        self.parts = ["", "", ""]

    def code(self, parts: list[str]) -> str | None:
        """Full code of a row from its 类/款/项 cells (full codes in a part cell are accepted too)."""
        deepest = None
        for j, q in enumerate(parts):
            if not q:
                continue
            deepest = j
            if len(q) in (3, 5, 7) and (j == 0 or len(q) > 2):
                self.parts = [q[:3], q[3:5], q[5:7]]
            else:
                self.parts[j] = q.zfill(2) if j else q
                self.parts[j + 1 :] = [""] * (2 - j)
        if deepest is None:
            return None
        return "".join(self.parts[: deepest + 1])


def read_label(sheet: Sheet, r: int, block: Block, carry: CodeCarry) -> Label:
    """The code, name and indentation of row r within a block."""
    codes = block.of("code")
    names = block.of("name")
    code: str | None = None
    bad: str | None = None
    extra_text = ""
    code_col = codes[0].index if codes else None
    if len(codes) > 1 or (codes and codes[0].part):
        ordered = sorted(codes, key=lambda c: (c.part or codes.index(c) + 1))
        parts = []
        for col in ordered:
            t = _text(sheet.raw(r, col.index)).strip()
            if t and not _DIGITS.match(t):
                extra_text = extra_text or t
                t = ""
            parts.append(t)
        try:
            code = carry.code(parts)
        except (IndexError, ValueError):
            code = None
        if code is not None and not _CODE.match(code):
            bad, code = code, None
    elif codes:
        t = _text(sheet.raw(r, codes[0].index)).strip()
        if _CODE.match(t):
            code = t
        elif _DIGITS.match(t):
            bad = t
        else:
            extra_text = t
    name_col = names[0] if names else None
    raw_name = _text(sheet.raw(r, name_col.index)) if name_col else ""
    if not raw_name.strip() and len(names) > 1:
        for other in names[1:]:
            raw_name = _text(sheet.raw(r, other.index))
            if raw_name.strip():
                name_col = other
                break
    col = name_col.index if name_col else (code_col if code_col is not None else 0)
    if not raw_name.strip() and extra_text:
        raw_name, col = extra_text, code_col if code_col is not None else col
    indent = indent_of(raw_name) + 2 * sheet.indents.get((r, col), 0)  # one indent step ≈ a full-width space
    name = clean_name(raw_name)
    if code is None and bad is None and name:
        m = _LEADING_CODE.match(name)
        if m and m.group(2):
            code, name = m.group(1), clean_name(m.group(2))
        elif re.match(r"^\d{4,}", name):
            bad = re.match(r"^\d+", name).group(0)
    if bad is not None and code_col is not None and not re.match(r"^\d{4,}", name):
        col = code_col
    return Label(code=code, name=name, indent=indent, row=r, col=col, bad_code=bad)


def level_of(code: str, classification: str | None) -> int | None:
    """1/2/3 for 3/5/7-digit 功能分类 codes; 1/2 for 3/5-digit 经济分类 codes; None if invalid."""
    scheme = "economic" if classification == "economic" else "function"
    return LEVELS[scheme].get(len(code))


@lru_cache(maxsize=4096)
def class_code_for_name(name: str, classification: str | None, year: int | None = None) -> str | None:
    """A 类 code for a row written by name only (公共安全支出 → 204, 工资福利支出 → 301,
    二十七、抗疫特别国债安排的支出 → 234 in 2020): the year's list first, then the names of other years."""
    if classification == "economic":
        wanted = norm(name)
        for code, cname in classification_names().get("economic_classes", {}).items():
            if norm(cname) == wanted:
                return code
        return year_list("economic", year).code_for(name) or any_year_code("economic", name)
    return function_class_code(name) or year_list("function", year).code_for(name) or any_year_code("function", name)


def indent_levels(indents: list[int]) -> dict[int, int]:
    """Distinct indentations, smallest first → levels 1, 2, 3."""
    return {ind: min(i + 1, 3) for i, ind in enumerate(sorted(set(indents)))}


__all__ = [
    "Label", "CodeCarry", "read_label", "is_note", "strip_numbering", "level_of", "class_code_for_name",
    "indent_levels", "Column",
]
