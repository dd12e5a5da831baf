"""The human parts of a report, read from ``content/``: unit identity, sections, reasons.

Layout (each file optional; the most specific wins):

    content/<section>.md                  shared by every unit (e.g. glossary.md)
    content/<unit>/unit.toml              name = "…", plus contact and other identity fields
    content/<unit>/<section>.md           duties.md, organization.md, contact.md, glossary.md …
    content/<unit>/<year>/<section>.md    a year's own version, or an override of a default section
    content/<unit>/<year>/reasons.toml    [reasons] key = "变动原因 text", keyed by the fact it explains
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from disclosure.errors import InputError, Problem, describe_toml_error
from disclosure.project import Project
from disclosure.safe_files import read_text


@dataclass
class UnitContent:
    """What the user wrote for one unit-year."""

    unit: str
    year: int
    name: str = ""  # display name; empty when content does not give one
    settings: dict = field(default_factory=dict)  # unit.toml as read
    sections: dict[str, str] = field(default_factory=dict)  # section key → markdown
    reasons: dict[str, str] = field(default_factory=dict)  # reason key → text
    files: list[Path] = field(default_factory=list)  # every file read (for digests)

    def section(self, key: str) -> str | None:
        return self.sections.get(key)

    def reason(self, key: str) -> str | None:
        text = self.reasons.get(key, "").strip()
        return text or None


def _read_toml(path: Path, project: Project) -> dict:
    try:
        return tomllib.loads(read_text(path, root=project.root))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InputError(Problem(f"文件格式有误：{describe_toml_error(exc)}。", file=project.relative(path))) from exc


def _flat_reasons(table: dict, prefix: str = "") -> dict[str, str]:
    """Reason keys as dotted strings, whether written quoted (``"gb.total.diff" = …``) or as bare
    dotted keys, which TOML reads as nested tables (``gb.total.diff = …``)."""
    flat: dict[str, str] = {}
    for key, value in table.items():
        if isinstance(value, dict):
            flat.update(_flat_reasons(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = str(value)
    return flat


def load_content(project: Project, unit: str, year: int) -> UnitContent:
    """Collect sections and reasons for a unit-year, most specific file first."""
    base = project.content_dir
    layers = [base, base / unit, base / unit / str(year)]
    content = UnitContent(unit=unit, year=year)
    for folder in layers:
        if not folder.is_dir():
            continue
        for md in sorted(folder.glob("*.md")):
            content.sections[md.stem] = read_text(md, root=project.root)
            content.files.append(md)
    unit_toml = base / unit / "unit.toml"
    if unit_toml.exists():
        content.settings = _read_toml(unit_toml, project)
        content.name = str(content.settings.get("name", "")).strip()
        content.files.append(unit_toml)
    reasons = base / unit / str(year) / "reasons.toml"
    if reasons.exists():
        data = _read_toml(reasons, project)
        content.reasons = _flat_reasons(data.get("reasons", {}))
        content.files.append(reasons)
    return content
