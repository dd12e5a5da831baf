"""The data files shipped inside the package, each parsed once per process (they do not change while
it runs): ``standards/classification*.toml``, ``wording/styles.toml`` and the section lists,
``monitoring/format.toml``, ``check/magnitude.toml``, ``site/charts.toml``.

    package_toml("wording/styles.toml") -> dict    # the same dict on every call: read it, never change it

Files a user may name (a table set or its rules given as a path) are not package data and are read
where they are used (``standard.load_table_set``, ``check.rulebook.load_rules``).
"""
from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Any

PACKAGE_DIR = Path(__file__).parent


@lru_cache(maxsize=None)
def package_toml(relative: str) -> dict[str, Any]:
    """A TOML file of the package by its path inside it (``standards/classification.toml``)."""
    with open(PACKAGE_DIR / relative, "rb") as f:
        return tomllib.load(f)
