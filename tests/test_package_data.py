"""Package data is parsed by one loader, once per process: every path the package asks it for is a
file of the package, and a second call hands back the same parsed data."""
from __future__ import annotations

import re
from pathlib import Path

from disclosure.package_data import PACKAGE_DIR, package_toml
from disclosure.wording.style import _styles

ASKED = re.compile(r"package_toml\(f?\"([^\"]+)\"\)")


def test_every_package_file_asked_for_is_there_and_parsed_once():
    asked = {m for p in PACKAGE_DIR.rglob("*.py") for m in ASKED.findall(p.read_text(encoding="utf-8"))}
    assert "wording/styles.toml" in asked and "check/magnitude.toml" in asked
    names = {n.replace("{FILES[scheme]}", f) for n in asked
             for f in ("classification-function.toml", "classification-economic.toml")}
    lists = {"sections.toml"} | {str(d["sections"]) for d in _styles().values() if "sections" in d}
    names = {n for n in names if "{" not in n} | {f"wording/{name}" for name in lists}
    for name in sorted(names):
        assert (PACKAGE_DIR / name).is_file(), name
        assert package_toml(name) is package_toml(name)
