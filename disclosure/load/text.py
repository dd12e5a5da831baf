"""Cached label normalisation for the loader (the same few hundred texts recur in every sheet)."""
from __future__ import annotations

from functools import lru_cache

from disclosure.standard import ItemSpec, normalize_label

norm = lru_cache(maxsize=16384)(normalize_label)


_LABELS: dict[int, tuple[ItemSpec, frozenset[str]]] = {}


def item_labels(item: ItemSpec) -> frozenset[str]:
    """The normalised label and aliases of a fixed row (cached by identity: hashing a spec is slow)."""
    hit = _LABELS.get(id(item))
    if hit is None or hit[0] is not item:
        hit = _LABELS[id(item)] = (item, frozenset({norm(item.label), *(norm(a) for a in item.aliases)}))
    return hit[1]


def item_fits(item: ItemSpec, label: str) -> bool:
    """Whether a row label names this item (the rule of ItemSpec.matches, cached)."""
    return norm(label) in item_labels(item)
