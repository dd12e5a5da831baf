"""Named figures with provenance: ``Fact`` and the ``Facts`` mapping, and their JSON twin."""
from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from disclosure.model import CellRef

MONEY = "万元"
PERCENT = "%"


@dataclass(frozen=True)
class Fact:
    """One figure of the report: exact value, its unit, the cells it came from, its formula in words.

    ``reason_key`` names the entry of ``content/<unit>/<year>/reasons.toml`` that explains it (set on
    change and completion facts). ``year`` is set when the cells belong to another year's tables
    (the prior-year figures of a comparison).
    """

    key: str
    value: Decimal
    unit: str
    cells: tuple[CellRef, ...]
    formula: str
    label: str
    reason_key: str | None = None
    year: int | None = None

    @property
    def is_money(self) -> bool:
        return self.unit == MONEY

    @property
    def is_percent(self) -> bool:
        return self.unit == PERCENT


@dataclass
class Facts(Mapping[str, Fact]):
    """Every fact of one unit-year, in derivation order, with the names of code rows.

    ``names`` maps a row prefix (``gb.item.2040201``) to its display name (``公安（款）行政运行（项）``);
    ``groups`` maps a family prefix (``gb.item``) to its codes in table order; ``descriptions``
    maps each fact key to the description of the registry entry that produced it.
    """

    unit: str
    year: int
    prior_year: int | None = None
    facts: dict[str, Fact] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    groups: dict[str, list[str]] = field(default_factory=dict)
    descriptions: dict[str, str] = field(default_factory=dict)

    def __getitem__(self, key: str) -> Fact:
        return self.facts[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.facts)

    def __len__(self) -> int:
        return len(self.facts)

    def add(self, fact: Fact, description: str) -> None:
        self.facts[fact.key] = fact
        self.descriptions[fact.key] = description

    def codes(self, family: str) -> list[str]:
        """Codes of a family (``gb.class``) in table order; empty when the family has none."""
        return list(self.groups.get(family, ()))

    def to_json(self) -> str:
        """Every fact as JSON: exact value string, unit, cells, formula, label; sorted and stable.

        The text is what ``json.dumps(..., ensure_ascii=False, indent=2, sort_keys=True)`` gives for
        ``to_data()`` (plus a final newline), written directly: the standard encoder falls back to
        pure Python when indenting, and a unit-year's cells repeat across its facts.
        """
        enc = _encode_str
        cell_cache: dict[CellRef, str] = {}
        parts = ['{\n  "facts": ']
        if not self.facts:
            parts.append("{}")
        else:
            parts.append("{")
            sep = "\n    "
            for key, f in sorted(self.facts.items()):
                parts.append(sep)
                sep = ",\n    "
                if f.cells:
                    cells = []
                    for c in f.cells:
                        text = cell_cache.get(c)
                        if text is None:
                            text = cell_cache[c] = (
                                '{\n          "cell": ' + _scalar(c.cell) + ',\n          "file": ' + _scalar(c.file)
                                + ',\n          "ref": ' + enc(str(c)) + ',\n          "sheet": ' + _scalar(c.sheet)
                                + ',\n          "table": ' + _scalar(c.table) + "\n        }"
                            )
                        cells.append(text)
                    cells_text = "[\n        " + ",\n        ".join(cells) + "\n      ]"
                else:
                    cells_text = "[]"
                parts.append(
                    enc(key) + ': {\n      "cells": ' + cells_text
                    + ',\n      "description": ' + _scalar(self.descriptions.get(key, ""))
                    + ',\n      "formula": ' + _scalar(f.formula)
                    + ',\n      "label": ' + _scalar(f.label)
                    + ',\n      "reason_key": ' + _scalar(f.reason_key)
                    + ',\n      "unit": ' + _scalar(f.unit)
                    + ',\n      "value": ' + enc(_exact(f.value))
                    + ',\n      "year": ' + _scalar(f.year if f.year is not None else self.year)
                    + "\n    }"
                )
            parts.append("\n  }")
        parts.append(',\n  "names": ')
        if self.names:
            parts.append("{\n    " + ",\n    ".join(enc(k) + ": " + _scalar(v) for k, v in sorted(self.names.items()))
                         + "\n  }")
        else:
            parts.append("{}")
        parts.append(',\n  "prior_year": ' + _scalar(self.prior_year) + ',\n  "unit": ' + _scalar(self.unit)
                     + ',\n  "year": ' + _scalar(self.year) + "\n}\n")
        return "".join(parts)

    def to_data(self) -> dict:
        """The structure ``to_json`` writes, as plain dicts and lists."""
        return {
            "unit": self.unit,
            "year": self.year,
            "prior_year": self.prior_year,
            "facts": {
                key: {
                    "value": _exact(f.value),
                    "unit": f.unit,
                    "label": f.label,
                    "formula": f.formula,
                    "description": self.descriptions.get(key, ""),
                    "reason_key": f.reason_key,
                    "year": f.year if f.year is not None else self.year,
                    "cells": [
                        {"ref": str(c), "file": c.file, "sheet": c.sheet, "cell": c.cell, "table": c.table}
                        for c in f.cells
                    ],
                }
                for key, f in sorted(self.facts.items())
            },
            "names": dict(sorted(self.names.items())),
        }


_encode_str = json.encoder.encode_basestring  # the C encoder of ensure_ascii=False strings


def _scalar(value: object) -> str:
    """One JSON scalar exactly as ``json.dumps`` writes it (strings unescaped beyond JSON's needs)."""
    kind = type(value)
    if kind is str:
        return _encode_str(value)
    if value is None:
        return "null"
    if kind is int:
        return int.__repr__(value)
    return json.dumps(value, ensure_ascii=False)


def _exact(value: Decimal) -> str:
    """A Decimal as plain text without exponent (1E+1 → '10')."""
    return format(value, "f")


def write_facts_json(facts: Facts, path: Path | str) -> Path:
    """Write ``facts.json`` (UTF-8, LF, stable bytes) and return its path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(facts.to_json().encode("utf-8"))
    return path
