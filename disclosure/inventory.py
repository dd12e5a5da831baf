"""What a build leaves out of tables/ and content/, and why: one notice per folder or file, so that
nothing the user put in the project is ignored without a word."""
from __future__ import annotations

import os
from pathlib import Path

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


def year_notices(project: Project, unit: str, sources: dict[int, list[Path]] | None = None) -> list[str]:
    """For one unit: which file was used when several hold the same year, and files not read
    (``sources``: the unit's ``Project.year_sources`` when already listed)."""
    folder = project.tables_dir / unit
    notices = []
    if sources is None:
        try:
            sources = project.year_sources(unit)
        except OSError:
            return []
    used = {entries[0] for entries in sources.values()}
    for year, entries in sources.items():
        for other in entries[1:]:
            notices.append(
                f"tables/{unit}/{other.name}：未读取，{year}年度用的是 {entries[0].name}"
                "（同一年度有多份时，依次优先：文件夹、.xlsx、.xls、.ods、.xlsm）。请删去或移走不用的那一份。"
            )
    for p in _listing(folder):
        if p in used or any(p in e for e in sources.values()) or p.name in _QUIET or p.name in KNOWN_FOLDERS:
            continue
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


def content_notices(project: Project, unit: str | None = None) -> list[str]:
    """Content files whose names keep them from being used: the shared ones (``content/*``) when
    ``unit`` is None, else the unit's own (``content/<unit>/``, its year folders). The shared folder
    also holds every unit's folder, so it is listed once per build, not once per unit."""
    notices = []
    if unit is None:
        folders = [project.content_dir]
    else:
        folders = [project.content_dir / unit]
        folders += [p for p in _listing(project.content_dir / unit) if p.is_dir() and YEAR.match(p.name)]
    for folder in folders:
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            continue
        shown_folder = None
        for entry in entries:
            if entry.name in _QUIET or _is_dir(entry):
                continue
            if shown_folder is None:
                shown_folder = project.relative(folder) + "/" if folder != project.root else ""
            shown = shown_folder + entry.name
            stem, suffix = Path(entry.name).stem, Path(entry.name).suffix
            if suffix.lower() == ".md" and (stem != stem.strip() or suffix != ".md"):
                notices.append(f"{shown}：未使用，文件名里有多余的空格或扩展名不是小写 .md。请改名为 {stem.strip()}.md。")
            elif suffix.lower() == ".toml" and (stem != stem.strip() or suffix != ".toml"):
                notices.append(f"{shown}：未使用，文件名里有多余的空格或扩展名不是小写 .toml。请改名为 {stem.strip()}.toml。")
    return notices


def _is_dir(entry: os.DirEntry) -> bool:
    """Whether a listed entry is a folder (following a link, as ``Path.is_dir``), from the listing's
    own file type where it can."""
    try:
        return entry.is_dir()
    except OSError:
        return False
