"""Digests of a unit-year's inputs: if the digest is unchanged, the pages need not be rebuilt.

A unit-year's pages depend on its workbook (or folder of workbooks), the prior year's tables, the
unit's and the year's content files, the shared content and theme, the project settings, the build
options and the package itself (version and source). All of these go into one BLAKE2 digest.
"""
from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from disclosure import __version__
from disclosure.project import CONFIG_NAME, Project
from disclosure.safe_files import WORKBOOK_LIMIT, UnsafeFile, read_bytes

PACKAGE_DIR = Path(__file__).resolve().parent.parent
_PACKAGE_SUFFIXES = {".py", ".toml", ".md", ".html", ".htm", ".css", ".js", ".j2", ".jinja", ".json", ".svg", ".txt", ".woff2"}


def _hasher() -> "hashlib.blake2b":
    return hashlib.blake2b(digest_size=16)


def _files_under(folder: Path) -> list[Path]:
    """Every file below a folder, sorted, hidden files and caches left out."""
    if not folder.is_dir():
        return []
    return sorted(
        p
        for p in folder.rglob("*")
        if p.is_file() and not any(part.startswith(".") or part == "__pycache__" for part in p.relative_to(folder).parts)
    )


def _add_file(h: "hashlib.blake2b", path: Path, name: str) -> None:
    """A file's name and bytes; what is not a regular file of a sensible size (a FIFO, a link to a
    device) only by its kind, never read: the build reports it."""
    try:
        data = read_bytes(path, limit=WORKBOOK_LIMIT)
    except UnsafeFile as exc:
        data = f"\0unreadable\0{exc.problems[0].message}".encode()
    h.update(f"{name}\0{len(data)}\0".encode())
    h.update(data)


def _add_files(h: "hashlib.blake2b", root: Path, files: list[Path]) -> None:
    for path in files:
        _add_file(h, path, path.relative_to(root).as_posix())


def builtin_theme_dir() -> Path | None:
    """The built-in theme (the repository's ``theme/`` or the packaged copy; may be a symlink)."""
    for candidate in (PACKAGE_DIR.parent / "theme", PACKAGE_DIR / "theme"):
        if (candidate / "templates").is_dir():
            return candidate.resolve()
    return None


@lru_cache(maxsize=1)
def package_fingerprint() -> str:
    """The package version plus a digest of its source, data and built-in theme (computed once)."""
    h = _hasher()
    h.update(__version__.encode())
    files = [p for p in _files_under(PACKAGE_DIR) if p.suffix in _PACKAGE_SUFFIXES]
    _add_files(h, PACKAGE_DIR, files)
    theme = builtin_theme_dir()
    if theme is not None:
        h.update(b"\0theme\0")
        _add_files(h, theme, _files_under(theme))
    return h.hexdigest()


def shared_digest(project: Project, options_key: str = "") -> str:
    """What every unit-year depends on: package, settings, shared content, theme, build options."""
    h = _hasher()
    h.update(package_fingerprint().encode())
    h.update(f"\0options\0{options_key}\0".encode())
    config = project.root / CONFIG_NAME
    if config.is_file():
        _add_file(h, config, CONFIG_NAME)
    content = project.content_dir
    if content.is_dir():  # shared texts (content/*.md) count per unit-year: see _add_shared_texts
        shared = sorted(p for p in content.iterdir() if p.is_file() and not p.name.startswith(".") and p.suffix != ".md")
        _add_files(h, project.root, shared)
    _add_files(h, project.root, _files_under(project.root / "theme"))
    return h.hexdigest()


def source_files(project: Project, unit: str, year: int) -> list[Path]:
    """The workbook of a unit-year, or every file of its folder; empty when there is none."""
    source = project.source(unit, year)
    if source is None:
        return []
    return _files_under(source) if source.is_dir() else [source]


def unit_year_digest(project: Project, unit: str, year: int, shared: str, years: list[int] | None = None,
                     texts: dict[str, str] | None = None) -> str:
    """The digest of everything one unit-year's pages are made from.

    ``years`` is the unit's list of years (the pages may link the unit's other years) and ``texts``
    the shared texts it is built with (``pins.plan_texts``); pass them when known to save listing
    folders and reading the texts a second time.
    """
    h = _hasher()
    h.update(f"{shared}\0{unit}\0{year}\0".encode())
    years = project.years(unit) if years is None else years
    h.update(("years\0" + ",".join(map(str, years)) + "\0").encode())
    for y in (year, year - 1):
        files = source_files(project, unit, y)
        h.update(f"tables\0{y}\0{len(files)}\0".encode())
        _add_files(h, project.root, files)
    unit_dir = project.content_dir / unit
    if unit_dir.is_dir():
        own = sorted(p for p in unit_dir.iterdir() if p.is_file() and not p.name.startswith(".") and not _shared_text(p))
        _add_files(h, project.root, own)
        _add_files(h, project.root, _files_under(unit_dir / str(year)))
    _add_shared_texts(h, project, unit, year, texts)
    return h.hexdigest()


def _shared_text(path: Path) -> bool:
    """A unit's default text, shared by its years (counted by ``_add_shared_texts``)."""
    return path.suffix == ".md" or path.name == "unit.toml"


def _add_shared_texts(h: "hashlib.blake2b", project: Project, unit: str, year: int,
                      texts: dict[str, str] | None = None) -> None:
    """The shared texts the unit-year is built with (``texts`` when the caller has them): the ones it
    keeps from its publication (``project.text_pins``), else the current files."""
    from disclosure.content import current_default_texts

    if texts is None:
        texts = project.text_pins.get(f"{unit}/{year}")
    if texts is None:
        texts = current_default_texts(project, unit, year)
    for name, text in sorted(texts.items()):
        data = text.encode("utf-8")
        h.update(f"text\0{name}\0{len(data)}\0".encode())
        h.update(data)
