"""The keys ``F[...]`` accepts as registered (``narrative.view._KnownKeys``) are exactly those the
anchored pattern of every entry matches: ``re.escape(key)`` with ``{code}`` → ``[^.]+``, and the
compare suffixes for an entry that compares."""
from __future__ import annotations

import random
import re

from disclosure.derive import REGISTRY
from disclosure.derive.entry_kinds import Family
from disclosure.narrative.view import COMPARE_SUFFIXES, _KnownKeys


def pattern(registry) -> re.Pattern[str]:
    alternatives = []
    for entry in registry.entries:
        if isinstance(entry, Family):
            continue
        text = re.escape(entry.key).replace(re.escape("{code}"), r"[^.]+")
        if entry.compare:
            text += r"(?:\.prior|\.change|\.change_pct)?"
        alternatives.append(text)
    return re.compile("(?:" + "|".join(alternatives) + ")")


def test_the_known_keys_are_the_patterns_keys():
    known, full = _KnownKeys(REGISTRY), pattern(REGISTRY)
    keys: set[str] = set()
    for entry in REGISTRY.entries:
        for code in ("201", "2010101", "", "a.b", ".", "201.", "x"):
            key = entry.key.replace("{code}", code)
            for suffix in ("", *COMPARE_SUFFIXES, ".share", "x", ".prior.change"):
                keys |= {key + suffix, key[:-1] + suffix, "a" + key + suffix}
    rng = random.Random(19)
    some = sorted(keys)
    for _ in range(3000):
        a, b = rng.choice(some), rng.choice(some)
        keys.add(a[: rng.randint(0, len(a))] + b[rng.randint(0, len(b)):])
    assert [k for k in keys if known.match(k) != bool(full.fullmatch(k))] == []
    assert known.match("expenditure.class.201.actual.change") and not known.match("expenditure.class.201.02.actual")
    assert sum(map(known.match, keys)) > 300
