"""The sections of the report and where their wording comes from (package default or content)."""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

WORDING_PACKAGE = "disclosure.wording"


@dataclass(frozen=True)
class SectionDef:
    """One section: key (= wording file stem), part heading, title template, and whether only a
    unit's content can supply it (职能职责, 机构设置: no default text)."""

    key: str
    part: str
    title: str
    group: str = ""
    content_only: bool = False


@lru_cache(maxsize=8)
def section_defs(name: str = "sections.toml") -> tuple[SectionDef, ...]:
    """The sections in report order, from ``wording/sections.toml`` (or a style's section list)."""
    text = resources.files(WORDING_PACKAGE).joinpath(name).read_text(encoding="utf-8")
    data = tomllib.loads(text)
    return tuple(
        SectionDef(key=d["key"], part=d.get("part", ""), title=d["title"], group=d.get("group", ""),
                   content_only=d.get("content_only", False))
        for d in data["section"]
    )


def default_wording(key: str) -> str | None:
    """The shipped wording of a section, or None when the package has none."""
    path = resources.files(WORDING_PACKAGE).joinpath(f"{key}.md")
    return path.read_text(encoding="utf-8") if path.is_file() else None
