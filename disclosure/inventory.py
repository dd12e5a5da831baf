"""What a build leaves out of tables/ and content/, and why: one notice per folder or file, so that
nothing the user put in the project is ignored without a word."""
from __future__ import annotations

import os
from pathlib import Path

from disclosure.listing import Listing
from disclosure.project import SPREADSHEET_SUFFIXES, YEAR, Project

_LOCK_PREFIXES = ("~$", ".~lock.")  # Excel/WPS and LibreOffice lock files of an open workbook
_QUIET = {".DS_Store", "Thumbs.db", "desktop.ini"}  # written by the operating system
KNOWN_FOLDERS = {"monitoring"}  # tables/<unit>/monitoring/: 预算执行监控表, read by disclosure monitor


def _listing(folder: Path) -> list[Path]:
    try:
        return sorted(folder.iterdir(), key=lambda p: p.name)  # the order of the paths, without comparing Path objects
    except OSError:
        return []


def table_notices(project: Project) -> list[str]:
    """Hidden unit folders and loose files directly under tables/ that are not read."""
    notices = []
    for p in _listing(project.tables_dir):
        if p.name in _QUIET:
            continue
        if p.name.startswith("."):
            kind = "文件夹" if p.is_dir() else "文件"
            notices.append(f"tables/{p.name}：名称以“.”开头的{kind}是隐藏的，未读取。如果这是一个单位，请去掉开头的“.”。")
        elif not p.is_dir() and p.suffix.lower() in SPREADSHEET_SUFFIXES:
            notices.append(f"tables/{p.name}：tables/ 下只放单位文件夹，此文件未读取。公开表应放在 tables/<单位代号>/<年度>.xlsx。")
    return notices


def year_notices(project: Project, unit: str, sources: dict[int, list[Path]] | None = None,
                 listing: Listing | None = None) -> list[str]:
    """For one unit: which file was used when several hold the same year, and files not read
    (``sources``: the unit's ``Project.year_sources`` when already listed; ``listing``: the build's
    folder listings)."""
    folder = project.tables_dir / unit
    notices = []
    if sources is None:
        try:
            sources = project.year_sources(unit)
        except OSError:
            return []
    for year, entries in sources.items():
        for other in entries[1:]:
            notices.append(
                f"tables/{unit}/{other.name}：未读取，{year}年度用的是 {entries[0].name}"
                "（同一年度有多份时，依次优先：文件夹、.xlsx、.xls、.ods、.xlsm）。请删去或移走不用的那一份。"
            )
    named = {p.name for e in sources.values() for p in e}
    names = listing.names(folder) if listing is not None else [p.name for p in _listing(folder)]
    for name in names:
        if name in named or name in _QUIET or name in KNOWN_FOLDERS:
            continue
        p = folder / name
        if p.name.startswith(_LOCK_PREFIXES):
            continue  # the workbook is open in Excel/WPS; the workbook itself is read
        stem = p.name if p.is_dir() else p.stem
        if YEAR.match(stem.strip()) and stem != stem.strip():
            why = "文件名里有多余的空格"
        elif not p.is_dir() and YEAR.match(stem):
            why = f"“{p.suffix}”不是电子表格的扩展名（可用 {'、'.join(SPREADSHEET_SUFFIXES)}）"
        elif p.is_dir() or p.suffix.lower() in SPREADSHEET_SUFFIXES:
            why = "名称不是年度（应为 2021.xlsx 或文件夹 2021 这样的名称）"
        else:
            continue
        notices.append(f"tables/{unit}/{p.name}：未读取，{why}。")
    return notices


def content_notices(project: Project, unit: str | None = None, listing: Listing | None = None) -> list[str]:
    """Content files whose names keep them from being used: the shared ones (``content/*``) when
    ``unit`` is None, else the unit's own (``content/<unit>/``, its year folders). The shared folder
    also holds every unit's folder, so it is listed once per build, not once per unit. ``listing``:
    the build's folder listings."""
    listing = listing or Listing()
    notices = []
    content = os.fspath(project.content_dir)
    if unit is None:
        folders = [content]
    else:
        folder = os.path.join(content, unit)
        folders = [folder] + [os.path.join(folder, n) for n in listing.names(folder) if YEAR.match(n) and listing.is_dir(folder, n)]
    for folder in folders:
        entries = listing.entries(folder)
        if not entries:
            continue
        for name in sorted(entries):
            low = name.lower()
            if ".md" not in low and ".toml" not in low:
                continue  # the test below says nothing of it
            if name in _QUIET or entries[name][1]:
                continue
            stem, suffix = Path(name).stem, Path(name).suffix
            if suffix.lower() == ".md" and (stem != stem.strip() or suffix != ".md"):
                notices.append(f"{_shown(project, folder, listing)}{name}：未使用，文件名里有多余的空格或扩展名不是小写 .md。请改名为 {stem.strip()}.md。")
            elif suffix.lower() == ".toml" and (stem != stem.strip() or suffix != ".toml"):
                notices.append(f"{_shown(project, folder, listing)}{name}：未使用，文件名里有多余的空格或扩展名不是小写 .toml。请改名为 {stem.strip()}.toml。")
    return notices


def _shown(project: Project, folder: str, listing: Listing) -> str:
    """The folder as a notice names it before a file's name."""
    return project.relative(Path(folder)) + "/" if Path(folder) != project.root else ""


def _is_dir(entry: os.DirEntry) -> bool:
    """Whether a listed entry is a folder (following a link, as ``Path.is_dir``), from the listing's
    own file type where it can."""
    try:
        return entry.is_dir()
    except OSError:
        return False
