"""The shared texts a published earlier year keeps, so that a new year's edits never change it.

A unit-year reads some texts that other years share: ``content/<section>.md``, the unit's defaults
``content/<unit>/<section>.md`` and ``content/<unit>/unit.toml``. When such a text changes, the
unit's newest year follows it; an earlier year that was published keeps the version it was
published with, read from ``.<site>-build-state/texts/<unit>/<year>.json``, until it is named with
``--republish <year>``. Its pages are then byte-identical whatever changes in the shared texts or in
later years. A year's own files (``content/<unit>/<year>/…``, its tables) always count.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from disclosure.batch.state import BuildState, state_dir
from disclosure.batch.digest import text_digest
from disclosure.batch.filecache import FileCache
from disclosure.content import UNREADABLE_TEXT, current_default_texts, default_text, default_text_files
from disclosure.errors import ConfigError, DisclosureError
from disclosure.listing import Listing
from disclosure.project import Project


@dataclass(frozen=True)
class KeptTexts:
    """A published year whose shared texts changed and that keeps the versions it was published with."""

    unit: str
    year: int
    changed: tuple[str, ...]  # project-relative paths of the shared texts that differ now

    @property
    def key(self) -> str:
        return f"{self.unit}/{self.year}"


@dataclass
class TextPlan:
    """For every unit-year of a build: the digests of the shared texts it is built with (``digests``,
    ``{path: digest}``), which of them keep their published texts (``pinned``) and the years holding
    back a change (``kept``). The texts themselves are read only for the unit-years a build rebuilds
    (``load``): ``texts`` and, of the pinned ones, ``pins`` (for ``Project.text_pins``)."""

    digests: dict[str, dict[str, str]] = field(default_factory=dict)  # "unit/year" → {path: text digest}
    pinned: set[str] = field(default_factory=set)
    kept: list[KeptTexts] = field(default_factory=list)
    texts: dict[str, dict[str, str]] = field(default_factory=dict)  # "unit/year" → {path: text}, once loaded
    pins: dict[str, dict[str, str]] = field(default_factory=dict)

    def load(self, project: Project, out_dir: Path, keys: Iterable[str]) -> None:
        """Read the shared texts of ``keys`` (the unit-years to build): the pinned ones from their
        record, the others from the files."""
        for key in keys:
            if key not in self.digests or key in self.texts:
                continue
            unit, _, year = key.rpartition("/")
            kept = read_pins(out_dir, unit, int(year)) if key in self.pinned else None
            if kept is not None:
                self.texts[key] = self.pins[key] = kept
            else:
                self.pinned.discard(key)
                self.texts[key] = current_default_texts(project, unit, int(year))


def pins_path(out_dir: Path, unit: str, year: int) -> Path:
    return state_dir(out_dir) / "texts" / unit / f"{year}.json"


def read_pins(out_dir: Path, unit: str, year: int) -> dict[str, str] | None:
    """The shared texts a published unit-year was built with; None when none were recorded."""
    try:
        data = json.loads(pins_path(out_dir, unit, year).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        return None
    return data


def write_pins(out_dir: Path, unit: str, year: int, texts: dict[str, str]) -> None:
    """Record the shared texts of a published unit-year (atomically; sorted, so the same texts give
    the same bytes)."""
    path = pins_path(out_dir, unit, year)
    data = json.dumps(texts, ensure_ascii=False, sort_keys=True, indent=1) + "\n"
    try:
        if path.read_text(encoding="utf-8") == data:
            return
    except OSError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(data, encoding="utf-8")
    os.replace(tmp, path)


def plan_texts(project: Project, out_dir: Path, republish: frozenset[int] | set[int] = frozenset(),
               units: list[str] | None = None, *, cache: FileCache | None = None, listing: Listing | None = None,
               sources: dict[str, dict[int, list[Path]]] | None = None) -> TextPlan:
    """The shared texts each unit-year of ``units`` (default: every unit) is built with, by digest:
    the current files for a unit's newest year, for a year never published (no record) and for a
    year named in ``republish``; otherwise the recorded ones. A unit whose folders cannot be read is
    left out (the build reports it). ``cache`` keeps the digests of files whose stat data did not
    change, ``listing`` the build's folder listings, ``sources`` each unit's ``year_sources``."""
    plan = TextPlan()
    cache = cache or FileCache(None)
    listing = listing or Listing()
    if units is None:
        try:
            units = project.units()
        except (OSError, DisclosureError):
            return plan
    names = _Names(project, listing)
    for unit in units:
        try:
            years = list(sources[unit]) if sources is not None and unit in sources else project.years(unit)
        except OSError:
            continue
        newest = max(years, default=None)
        for year in years:
            key = f"{unit}/{year}"
            files = {names.relative(path): path for path, _ in default_text_files(project, unit, year, listing)}
            current = {rel: cache.value(path, "text", lambda p: text_digest(default_text(project, p))) for rel, path in files.items()}
            kept = None
            if year != newest and year not in republish:
                kept = cache.value(pins_path(out_dir, unit, year), "pins", lambda p, u=unit, y=year: _pin_digests(out_dir, u, y))
            if kept is None:
                plan.digests[key] = current
                continue
            plan.digests[key] = kept
            plan.pinned.add(key)
            changed = tuple(sorted(p for p in {*current, *kept} if current.get(p) != kept.get(p)
                                   and not _unreadable(project, files.get(p, project.root / p))))  # said as an error
            if changed:
                plan.kept.append(KeptTexts(unit, year, changed))
    known = {int(key.rpartition("/")[2]) for key in plan.digests}
    unknown = sorted(set(republish) - known)
    if unknown:
        raise ConfigError(f"--republish {'、'.join(map(str, unknown))}：项目中没有这一年度的公开表。"
                          f"已有的年度：{'、'.join(map(str, sorted(known))) or '无'}。")
    return plan


def _pin_digests(out_dir: Path, unit: str, year: int) -> dict[str, str] | None:
    texts = read_pins(out_dir, unit, year)
    return None if texts is None else {path: text_digest(text) for path, text in texts.items()}


class _Names:
    """``Project.relative`` of the shared texts' paths without resolving each file (``Listing.relative``)."""

    def __init__(self, project: Project, listing: Listing):
        self.project, self.listing = project, listing
        listing.realpath(project.content_dir)  # the unit folders' real paths follow from it

    def relative(self, path: Path) -> str:
        name = self.listing.relative(self.project.root, path)
        return name if name is not None else self.project.relative(path)


def record_published(out_dir: Path, plan: TextPlan, state: BuildState, built: Iterable[Any]) -> None:
    """After a build: record the shared texts of each unit-year built now whose pages are on the
    site (its state entry publishes the digest it was built with); the others keep their record."""
    for outcome in built:
        key = f"{outcome.unit}/{outcome.year}"
        entry = state.entries.get(key)
        if key in plan.texts and entry is not None and entry.published == outcome.digest:
            write_pins(out_dir, outcome.unit, outcome.year, plan.texts[key])


def _unreadable(project: Project, path: Path) -> bool:
    """A shared text that cannot be read now (a FIFO, a link out of the project): the newest year says
    so as an error, and an earlier year does not say that it 已改动."""
    return os.path.lexists(path) and default_text(project, path).startswith(UNREADABLE_TEXT)


def kept_message(kept: KeptTexts) -> str:
    """What the build says about a year that keeps its published texts."""
    files = "、".join(kept.changed)
    return (f"{kept.unit} {kept.year} 年度：它使用的共用文稿 {files} 已改动，已发布的 {kept.year} 年度报告保持原样。"
            f"若要按新文稿重新发布，请运行 disclosure build --republish {kept.year}")
