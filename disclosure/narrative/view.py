"""What templates see of the facts: ``F[key]`` gives a Fact, a falsy ``Missing`` for a registered
fact that this unit-year lacks, and an error for a key no registry entry can produce."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from jinja2.exceptions import UndefinedError

from disclosure.derive.facts import Fact, Facts
from disclosure.derive.entry_kinds import Family, Registry

COMPARE_SUFFIXES = (".prior", ".change", ".change_pct")


class UnknownFact(UndefinedError):
    """A template names a fact that no registry entry produces (a typo in the wording)."""


@dataclass(frozen=True)
class Missing:
    """A registered fact without a value here (no prior year, zero base, no budget …).

    Falsy, so ``{% if F[k] %}`` guards optional sentences; printing it is an error, so an
    unguarded use cannot leave an empty slot in the text."""

    key: str

    def __bool__(self) -> bool:
        return False

    def __str__(self) -> str:
        raise UndefinedError(f"事实“{self.key}”本年度无数据，措辞模板中需用 {{% if %}} 判断后再使用")

    __html__ = __str__


class _KnownKeys:
    """The keys a registry's entries can produce: exact keys, and for an entry whose key holds
    ``{code}`` its text before and after, the code being one or more characters without a dot
    (``match`` as the anchored pattern ``re.escape(key)`` with ``{code}`` → ``[^.]+``; each entry
    with ``compare`` also with one of ``COMPARE_SUFFIXES``). Plain strings: compiling a pattern of
    200 alternatives cost every process about 8 ms."""

    def __init__(self, registry: Registry) -> None:
        self.exact: set[str] = set()
        self.coded: list[tuple[str, tuple[str, ...]]] = []  # (text before {code}, texts after it)
        self.patterns: list[re.Pattern[str]] = []  # a key with {code} twice (none today)
        for entry in registry.entries:
            if isinstance(entry, Family):
                continue
            suffixes = ("",) + COMPARE_SUFFIXES if entry.compare else ("",)
            count = entry.key.count("{code}")
            if count == 0:
                self.exact.update(entry.key + suffix for suffix in suffixes)
            elif count == 1:
                head, _, tail = entry.key.partition("{code}")
                self.coded.append((head, tuple(tail + suffix for suffix in suffixes)))
            else:
                pattern = re.escape(entry.key).replace(re.escape("{code}"), r"[^.]+")
                self.patterns.append(re.compile(pattern + (r"(?:\.prior|\.change|\.change_pct)?" if entry.compare else "")))

    def match(self, key: str) -> bool:
        if key in self.exact:
            return True
        for head, tails in self.coded:
            if key.startswith(head):
                rest = key[len(head):]
                for tail in tails:
                    if rest.endswith(tail):
                        code = rest[:len(rest) - len(tail)]
                        if code and "." not in code:
                            return True
        return any(p.fullmatch(key) for p in self.patterns)


@lru_cache(maxsize=8)
def _patterns(registry: Registry) -> _KnownKeys:
    return _KnownKeys(registry)


class FactView:
    """``F`` in templates."""

    def __init__(self, facts: Facts, registry: Registry):
        self._facts = facts
        self._known = _patterns(registry)

    def __getitem__(self, key: str) -> Fact | Missing:
        fact = self._facts.get(key)
        if fact is not None:
            return fact
        if self._known.match(key):
            return Missing(key)
        raise UnknownFact(f"措辞模板引用了不存在的事实“{key}”，请检查拼写（可用的事实见 facts.json）")

    def __contains__(self, key: str) -> bool:
        return key in self._facts


@dataclass(frozen=True)
class RowView:
    """One member of a family (a 类, a 项, a 款): its code, name, and its facts by suffix."""

    family: str
    code: str
    name: str
    view: FactView

    @property
    def fact(self) -> Fact | Missing:
        return self.view[f"{self.family}.{self.code}"]

    def __getitem__(self, suffix: str) -> Fact | Missing:
        return self.view[f"{self.family}.{self.code}.{suffix}"]
