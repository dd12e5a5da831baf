"""Cached label normalisation for the loader (the same few hundred texts recur in every sheet), and
the rule by which a row label picks its item out of a table's items (each item's normalised labels
are made once, on the spec: ``ItemSpec.label_keys``)."""
from __future__ import annotations

from functools import lru_cache
from typing import Iterable

from disclosure.labels import loose_key, normalize_label
from disclosure.standard import ItemSpec

norm = lru_cache(maxsize=16384)(normalize_label)


def item_fits(item: ItemSpec, label: str) -> bool:
    """Whether a row label names this item exactly (after normalisation)."""
    return norm(label) in item.label_keys


def find_item(items: Iterable[ItemSpec], label: str, used: set[str]) -> ItemSpec | None:
    """The item a row label names: the first unused item it fits exactly; failing that, the one item
    of the table whose loose key (本年 dropped, 总计/小计 as 合计) equals the label's, if only one has it."""
    items = tuple(items)
    text = norm(label)
    if not text:
        return None
    for item in items:
        if item.key not in used and text in item.label_keys:
            return item
    wanted = loose_key(text)
    owners = {item.key: item for item in items if wanted in {loose_key(x) for x in item.label_keys}}
    if len(owners) == 1:
        item = next(iter(owners.values()))
        return None if item.key in used else item
    return None
