"""The 政府收支分类科目 by year (standards/classification-function.toml, classification-economic.toml):
a name written without its code gets the code of that year's list, a code's stated name is compared
with the official one, and a row that cannot be placed gets the nearest official names as suggestions.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from functools import lru_cache

from disclosure.labels import normalize_label, strip_numbering
from disclosure.package_data import package_toml

FIRST_YEAR, LAST_YEAR = 2016, 2026
FILES = {"function": "classification-function.toml", "economic": "classification-economic.toml"}
LEVEL_DIGITS = {"function": (3, 5, 7), "economic": (3, 5)}


@dataclass(frozen=True)
class Subject:
    """One 科目 of one year: code, official name, the years it holds and where it comes from."""

    code: str
    name: str
    since: int
    until: int | None
    source: str
    seen: tuple[str, ...] = ()

    def holds_in(self, year: int) -> bool:
        return self.since <= year and (self.until is None or year <= self.until)


def name_key(name: str) -> str:
    """A name as compared with the official names: normalised, without its printed ordinal."""
    return normalize_label(strip_numbering(name.strip(" \t\u3000\u00a0")))


@lru_cache(maxsize=None)
def all_subjects(scheme: str) -> tuple[Subject, ...]:
    """Every entry of a scheme's data file, every year."""
    return tuple(
        Subject(e["code"], e["name"], e["since"], e.get("until"), e["source"], tuple(e.get("seen", ())))
        for e in package_toml(f"standards/{FILES[scheme]}")["entries"]
    )


def complete_parents(scheme: str) -> dict[str, int]:
    """Codes whose children the data file lists completely, from a year on (an unknown child is reported)."""
    return package_toml(f"standards/{FILES[scheme]}").get("complete_children", {})


def _year(year: int | None) -> int:
    return LAST_YEAR if year is None else min(max(year, FIRST_YEAR), LAST_YEAR)


@dataclass(frozen=True)
class YearList:
    """The 科目 of one scheme in one year."""

    scheme: str
    year: int
    names: dict[str, str]  # code → official name
    _keys: dict = field(default_factory=dict, compare=False, repr=False)  # parent → {name key: codes}

    def name(self, code: str) -> str | None:
        return self.names.get(code)

    def children(self, parent: str | None) -> dict[str, str]:
        """Codes one level below parent (None: the 类)."""
        digits = LEVEL_DIGITS[self.scheme]
        if parent is None:
            return {c: n for c, n in self.names.items() if len(c) == digits[0]}
        if len(parent) not in digits[:-1]:
            return {}
        below = digits[digits.index(len(parent)) + 1]
        return {c: n for c, n in self.names.items() if len(c) == below and c.startswith(parent)}

    def _by_key(self, parent: str | None) -> dict[str, list[str]]:
        """Parent's children by the key of their official name (made once per parent)."""
        found = self._keys.get(parent)
        if found is None:
            found = {}
            for code, official in self.children(parent).items():
                found.setdefault(name_key(official), []).append(code)
            self._keys[parent] = found
        return found

    def code_for(self, name: str, parent: str | None = None) -> str | None:
        """The code of a name among parent's children (None: among the 类), when exactly one fits."""
        wanted = name_key(name)
        if not wanted:
            return None
        keys = self._by_key(parent)
        hits = keys.get(wanted, [])
        if not hits and parent is None:  # 社会保障和就业（类）: the narrative form drops a 类's 支出
            hits = keys.get(wanted + "支出", [])
        return hits[0] if len(hits) == 1 else None

    def nearest(self, name: str, parents: list[str | None], n: int = 3) -> list[tuple[str, str]]:
        """The official (code, name) pairs closest to a name among the children of the given parents."""
        pool: dict[str, str] = {}
        for parent in parents:
            for key, codes in self._by_key(parent).items():
                pool.setdefault(key, codes[0])
        close = difflib.get_close_matches(name_key(name), list(pool), n=n, cutoff=0.4)
        return [(pool[k], self.names[pool[k]]) for k in close]

    def known_in(self, code: str) -> bool:
        """Whether the list is complete where this code would sit (so an unknown code is worth a word)."""
        digits = LEVEL_DIGITS[self.scheme]
        if len(code) == digits[0]:
            return True
        parent = code[: digits[digits.index(len(code)) - 1]] if len(code) in digits else None
        since = complete_parents(self.scheme).get(parent or "")
        return since is not None and self.year >= since


@lru_cache(maxsize=64)
def year_list(scheme: str, year: int | None) -> YearList:
    """The 科目 of a scheme (``function`` or ``economic``) in a year (None: the latest year known)."""
    y = _year(year)
    return YearList(scheme, y, {s.code: s.name for s in all_subjects(scheme) if s.holds_in(y)})


def any_year_code(scheme: str, name: str, parent: str | None = None) -> str | None:
    """The code a name has among parent's children in any year (a 科目 retired or not yet listed in
    the year asked for), when exactly one code fits."""
    wanted = name_key(name)
    digits = LEVEL_DIGITS[scheme]
    size = digits[0] if parent is None else (digits[digits.index(len(parent)) + 1] if len(parent) in digits[:-1] else 0)
    hits = {c for c in _codes_by_key(scheme).get(wanted, ()) if len(c) == size and (parent is None or c.startswith(parent))}
    return hits.pop() if len(hits) == 1 else None


@lru_cache(maxsize=None)
def _codes_by_key(scheme: str) -> dict[str, frozenset[str]]:
    """Every code of a scheme, any year, by the key of each of its names."""
    found: dict[str, set[str]] = {}
    for s in all_subjects(scheme):
        found.setdefault(name_key(s.name), set()).add(s.code)
    return {k: frozenset(v) for k, v in found.items()}


def known_anywhere(scheme: str, name: str) -> bool:
    """Whether a name is the official name of some 科目 of the scheme in some year (a 类 also without 支出)."""
    wanted = name_key(name)
    keys = _codes_by_key(scheme)
    return bool(wanted) and (wanted in keys or wanted + "支出" in keys)


def other_year_names(scheme: str, code: str) -> dict[str, tuple[int, int | None]]:
    """The names a code has in any year, with their years (a renamed 科目 has several)."""
    return {s.name: (s.since, s.until) for s in all_subjects(scheme) if s.code == code}


def name_warning(scheme: str, year: int | None, code: str, stated: str) -> str | None:
    """What to say about a coded row whose stated name is not that year's official name (None: fine)."""
    if not stated.strip():
        return None
    lst = year_list(scheme, year)
    official = lst.name(code)
    if official is None:
        if not lst.known_in(code):
            return None
        return (
            f"科目编码“{code}”不在{lst.year}年政府收支分类科目中，已按表上的编码和名称“{stated}”发布。"
            "请核对编码是否写错。"
        )
    if name_key(official) == name_key(stated):
        return None
    for other, (since, until) in other_year_names(scheme, code).items():
        if name_key(other) == name_key(stated):
            years = f"{since}—{until}年" if until else f"{since}年起"
            return (
                f"“{stated}”是科目编码“{code}”{years}的名称，{lst.year}年的名称是“{official}”；"
                f"公开表按表上的名称发布，报告文字用{lst.year}年的名称，请核对年度。"
            )
    return (
        f"科目编码“{code}”在{lst.year}年的名称是“{official}”，表上写的是“{stated}”；"
        f"公开表按表上的名称发布，报告文字用{lst.year}年的名称。请核对编码和名称。"
    )


def suggestion_text(pairs: list[tuple[str, str]]) -> str:
    """最接近的科目：一般行政管理事务（2040202）、…"""
    if not pairs:
        return ""
    return "最接近的科目：" + "、".join(f"{name}（{code}）" for code, name in pairs) + "。"
