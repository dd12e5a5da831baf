"""The sections of the report and where their wording comes from (package default or content)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from disclosure.package_data import package_toml

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


@dataclass(frozen=True)
class PartDef:
    """One part of the report (第一部分 …) in the order printed: its title (``{{ year }}`` allowed) and
    what it holds beside its sections: the 决算情况说明 with its charts (``narrative``) or the list of
    公开表 (``tables``)."""

    title: str
    narrative: bool = False
    tables: bool = False

    @property
    def prefix(self) -> str:
        """第一部分 … (the title up to its first space)."""
        return self.title.split(" ", 1)[0]


def _section_list(name: str) -> dict:
    return package_toml(f"wording/{name}")


def section_defs(name: str = "sections.toml") -> tuple[SectionDef, ...]:
    """The sections in report order, from ``wording/sections.toml`` (or a style's section list)."""
    return tuple(
        SectionDef(key=d["key"], part=d.get("part", ""), title=d["title"], group=d.get("group", ""),
                   content_only=d.get("content_only", False))
        for d in _section_list(name)["section"]
    )


def part_defs(name: str = "sections.toml") -> tuple[PartDef, ...]:
    """The report's parts in order, from the ``[[part]]`` tables of a section list; a list without
    them has the reference report's five parts."""
    parts = _section_list(name).get("part") or _section_list("sections.toml").get("part", [])
    return tuple(PartDef(title=d["title"], narrative=d.get("narrative", False), tables=d.get("tables", False))
                 for d in parts)


def part_title(template: str, year: int, unit_name: str = "") -> str:
    """A part's title for a report year: ``{{ year }}`` and ``{{ unit_name }}`` filled in, and any
    condition on them evaluated (云南: ``第一部分 {{ unit_name ~ '概况' if year <= 2022 and unit_name else
    '部门概况' }}``), with the same template language as the section titles."""
    if "{" not in template:
        return template
    return _title_template(template).render(year=year, unit_name=unit_name).strip()


@lru_cache(maxsize=64)
def _title_template(template: str) -> Any:
    from jinja2 import StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    return SandboxedEnvironment(undefined=StrictUndefined, autoescape=False).from_string(template)


YEAR_FOLDER = re.compile(r"^from-((?:19|20)\d\d)$")  # wording/from-2024/<key>.md: reports of 2024 on


def default_wording(key: str, year: int | None = None, root: Any = None) -> str | None:
    """The shipped wording of a section for a report year, or None when the package has none.

    ``wording/<key>.md`` is the wording of every year; when the wording changes for reports from some
    year on, the new text goes to ``wording/from-<year>/<key>.md`` and the earlier years keep the old
    one, so that an old report rebuilt later reads as it was published. ``year`` None: the newest."""
    base = root if root is not None else resources.files(WORDING_PACKAGE)
    for folder in _year_folders(base, year):
        path = folder.joinpath(f"{key}.md")
        if path.is_file():
            return path.read_text(encoding="utf-8")
    path = base.joinpath(f"{key}.md")
    return path.read_text(encoding="utf-8") if path.is_file() else None


def _year_folders(base: Any, year: int | None) -> list[Any]:
    """The ``from-<year>`` folders that apply to a report year, the latest first."""
    found = []
    for entry in base.iterdir():
        m = YEAR_FOLDER.match(entry.name)
        if m and entry.is_dir() and (year is None or int(m.group(1)) <= year):
            found.append((int(m.group(1)), entry))
    return [entry for _, entry in sorted(found, key=lambda f: f[0], reverse=True)]
