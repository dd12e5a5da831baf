"""The human parts of a report, read from ``content/``: unit identity, sections, reasons.

Layout (each file optional; the most specific wins):

    content/<section>.md                  shared by every unit and year (e.g. glossary.md)
    content/<unit>/unit.toml              the unit's default name, contact and other identity fields
    content/<unit>/<section>.md           the unit's default text for years that have none of their own
    content/<unit>/<year>/unit.toml       that year's name, contact … (its keys win over the default's)
    content/<unit>/<year>/<section>.md    that year's own text: duties.md, organization.md, contact.md …
    content/<unit>/<year>/reasons.toml    [reasons] key = "变动原因 text", keyed by the fact it explains

``disclosure init`` writes a year's texts into its own folder, so what a report says stays what was
true that year. A ``<!-- 请核对：… -->`` line (markdown) or ``# 请核对：…`` comment (unit.toml) marks
what a person must confirm in a text copied from the year before: ``check`` reports each one until
it is deleted, and the line is never part of the published text.

A published earlier year may keep the default texts it was published with (``Project.text_pins``,
set by the batch build): those texts are read from the pins instead of the files.
"""
from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from disclosure.errors import InputError, Problem, describe_toml_error, folder_message
from disclosure.listing import Listing
from disclosure.project import YEAR, Project
from disclosure.safe_files import TEXT_LIMIT, UnsafeFile, kind_problem, read_bytes, read_text, shown_path

REVIEW_MARK = "请核对"
PLACEHOLDER = "请填写"  # the mark ``disclosure init`` leaves in every text a person must write
#: a markdown line that is only a review comment: ``<!-- 请核对：编制人数 -->``
_MD_REVIEW_LINE = re.compile(r"^\s*<!--\s*" + REVIEW_MARK + r"[：:]?\s*(?P<what>.*?)\s*-->\s*$")
#: a TOML comment line carrying the mark: ``# 请核对：联系电话``
TOML_REVIEW_LINE = re.compile(r"^\s*#\s*" + REVIEW_MARK + r"[：:]?\s*(?P<what>.*?)\s*$")
UNIT_FILE = "unit.toml"

#: where a text comes from, as ``check`` and the README name it
LAYER_SHARED = "shared"  # content/<section>.md: every unit, every year
LAYER_UNIT = "unit"  # content/<unit>/…: the unit's default for years without their own
LAYER_YEAR = "year"  # content/<unit>/<year>/…: the year's own
LAYER_LABELS = {LAYER_SHARED: "全部单位共用", LAYER_UNIT: "本单位各年度共用", LAYER_YEAR: "本年度专用"}


@dataclass(frozen=True)
class TextSource:
    """The file one text of a unit-year is read from."""

    key: str  # section key (duties …) or "unit.toml"
    path: Path
    layer: str  # LAYER_SHARED, LAYER_UNIT or LAYER_YEAR
    pinned: bool = False  # read from the texts the year was published with, not from the file


@dataclass(frozen=True)
class ReviewMark:
    """A ``请核对`` line left in a text: something copied from an earlier year to confirm."""

    path: Path
    line: int  # 1-based
    what: str  # what to confirm, as written after the mark


@dataclass
class UnitContent:
    """What the user wrote for one unit-year."""

    unit: str
    year: int
    name: str = ""  # display name; empty when content does not give one
    settings: dict = field(default_factory=dict)  # unit.toml as read (the year's keys over the default's)
    sections: dict[str, str] = field(default_factory=dict)  # section key → markdown (review lines removed)
    reasons: dict[str, str] = field(default_factory=dict)  # reason key → text
    files: list[Path] = field(default_factory=list)  # every file read (for digests)
    sources: dict[str, TextSource] = field(default_factory=dict)  # section key → the file it came from
    settings_sources: list[TextSource] = field(default_factory=list)  # unit.toml files, default first
    reviews: list[ReviewMark] = field(default_factory=list)  # 请核对 lines still in the texts

    def section(self, key: str) -> str | None:
        return self.sections.get(key)

    def reason(self, key: str) -> str | None:
        text = self.reasons.get(key, "").strip()
        return text or None

    def source_of(self, key: str) -> TextSource | None:
        """The file a section was read from, or None when content does not give it."""
        return self.sources.get(key)


def _parse_toml(text: str, path: Path, project: Project) -> dict:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(Problem(f"文件格式有误：{describe_toml_error(exc)}。", file=project.relative(path))) from exc


def _read_text(path: Path, project: Project) -> str:
    """A content file's text (regular file inside the project, UTF-8; InputError otherwise)."""
    return read_text(path, root=project.root)


def _read_toml(path: Path, project: Project) -> dict:
    return _parse_toml(_read_text(path, project), path, project)


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


def strip_review_lines(text: str, path: Path) -> tuple[str, list[ReviewMark]]:
    """A markdown text without its ``<!-- 请核对 … -->`` lines, and the marks found."""
    kept: list[str] = []
    marks: list[ReviewMark] = []
    for number, line in enumerate(text.splitlines(keepends=True), start=1):
        m = _MD_REVIEW_LINE.match(line)
        if m:
            marks.append(ReviewMark(path, number, m.group("what")))
        else:
            kept.append(line)
    return "".join(kept), marks


def toml_review_marks(text: str, path: Path) -> list[ReviewMark]:
    """The ``# 请核对 …`` comment lines of a unit.toml (comments are never read as settings)."""
    return [
        ReviewMark(path, number, m.group("what"))
        for number, line in enumerate(text.splitlines(), start=1)
        if (m := TOML_REVIEW_LINE.match(line))
    ]


def default_text_files(project: Project, unit: str, year: int, listing: Listing | None = None) -> list[tuple[Path, str]]:
    """The texts of a unit-year that other years share (shared and unit layers), with their layer,
    as the files are now: the ones a year's own file does not replace. These are what a published
    earlier year keeps (``text_pins``) when they change. ``listing``: folders listed once per build."""
    listing = listing or Listing()
    base = project.content_dir
    unit_dir = base / unit
    own_md = {Path(n).stem for n in listing.names(unit_dir / str(year), ".md")}
    found: dict[str, tuple[Path, str]] = {}
    for folder, layer in ((base, LAYER_SHARED), (unit_dir, LAYER_UNIT)):
        for name in listing.names(folder, ".md"):
            stem = Path(name).stem
            if stem not in own_md:
                found[stem] = (folder / name, layer)
    files = sorted(found.values(), key=lambda f: f[0].as_posix())
    if listing.is_file(unit_dir, UNIT_FILE):
        files.append((unit_dir / UNIT_FILE, LAYER_UNIT))
    return files


UNREADABLE_TEXT = "\0unreadable\0"  # what default_text gives, before the reason, for a file it does not read


def default_text(project: Project, path: Path) -> str:
    """One shared text as a pin records it (``load_content`` reports a file that cannot be read as
    text: one that is not UTF-8 gives its bytes decoded with replacement, so that the digest changes
    with the file; one that is not a regular file of sensible size inside the project gives
    UNREADABLE_TEXT and why, and is never read: a link to a large file elsewhere was read whole)."""
    try:
        data = read_bytes(path, limit=TEXT_LIMIT, root=project.root)
    except UnsafeFile as exc:
        return UNREADABLE_TEXT + exc.problems[0].message
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("utf-8", errors="replace")


def current_default_texts(project: Project, unit: str, year: int, listing: Listing | None = None) -> dict[str, str]:
    """``default_text_files`` as ``{project-relative path: text}`` (what a pin records)."""
    return {project.relative(path): default_text(project, path) for path, _ in default_text_files(project, unit, year, listing)}


def _layers(project: Project, unit: str, year: int) -> list[tuple[Path, str]]:
    base = project.content_dir
    return [(base, LAYER_SHARED), (base / unit, LAYER_UNIT), (base / unit / str(year), LAYER_YEAR)]


def load_content(project: Project, unit: str, year: int) -> UnitContent:
    """Collect sections and reasons for a unit-year, most specific file first."""
    content = UnitContent(unit=unit, year=year)
    pins = project.text_pins.get(f"{unit}/{year}")
    for folder, _ in _layers(project, unit, year):
        _check_folder(folder, project)
    for folder, layer in _layers(project, unit, year):
        pinned = pins is not None and layer != LAYER_YEAR
        texts = _pinned_md(project, folder, pins) if pinned else _md_files(folder)
        for md, read in texts:
            text = read if read is not None else _read_text(md, project)
            text, marks = strip_review_lines(text, md)
            content.sections[md.stem] = text
            content.sources[md.stem] = TextSource(md.stem, md, layer, pinned)
            content.reviews += marks
            content.files.append(md)
    settings: dict = {}
    for folder, layer in _layers(project, unit, year)[1:]:
        path = folder / UNIT_FILE
        pinned = pins is not None and layer != LAYER_YEAR
        if pinned:
            text = pins.get(project.relative(path))
            if text is None:
                continue
        elif path.exists() or path.is_symlink():  # a FIFO or a broken link is said, not skipped
            text = _read_text(path, project)
        else:
            continue
        settings.update(_parse_toml(text, path, project))
        content.reviews += toml_review_marks(text, path)
        content.settings_sources.append(TextSource(UNIT_FILE, path, layer, pinned))
        content.files.append(path)
    content.settings = settings
    content.name = str(settings.get("name", "")).strip()
    reasons = project.content_dir / unit / str(year) / "reasons.toml"
    if reasons.exists():
        data = _read_toml(reasons, project)
        content.reasons = _flat_reasons(data.get("reasons", {}))
        content.files.append(reasons)
    return content


def _check_folder(folder: Path, project: Project) -> None:
    """InputError when a content folder exists but cannot be listed or entered: its texts would
    otherwise be skipped without a word (and the next file looked at fail as if not writable)."""
    problem = kind_problem(folder, shown_path(folder, project.root), folder=True)
    if problem is not None:  # a file, a link that leads nowhere or back to itself: never taken for no folder
        raise InputError(problem)
    if not os.path.isdir(folder):
        return
    try:
        os.listdir(folder)
        os.stat(os.path.join(folder, "."))  # entering it (a folder readable but not searchable)
    except OSError as exc:
        raise InputError(Problem(folder_message(exc), file=project.relative(folder))) from exc


def _md_files(folder: Path) -> list[tuple[Path, str | None]]:
    if not folder.is_dir():
        return []
    return [(md, None) for md in sorted(folder.glob("*.md"))]


def _pinned_md(project: Project, folder: Path, pins: dict[str, str]) -> list[tuple[Path, str | None]]:
    """The markdown texts of one default layer as a published year keeps them."""
    found = []
    for rel, text in sorted(pins.items()):
        path = project.root / rel
        if path.suffix == ".md" and path.parent == folder:
            found.append((path, text))
    return sorted(found, key=lambda f: f[0].name)


def year_folders(project: Project, unit: str) -> list[int]:
    """Years that have a folder of their own under content/<unit>/, ascending."""
    folder = project.content_dir / unit
    if not folder.is_dir():
        return []
    return sorted(int(p.name) for p in folder.iterdir() if p.is_dir() and YEAR.match(p.name))
