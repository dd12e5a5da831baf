"""Digests of a unit-year's inputs: if the digest is unchanged, the pages need not be rebuilt.

A unit-year's pages depend on its workbook (or folder of workbooks), the prior year's tables, the
unit's and the year's content files, the shared content and theme, the project settings, the build
options and the package itself (version and source). All of these go into one BLAKE2 digest.
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

from disclosure import __version__
from disclosure.batch.filecache import FileCache
from disclosure.listing import Listing
from disclosure.project import CONFIG_NAME, Project
from disclosure.safe_files import WORKBOOK_LIMIT, UnsafeFile, file_hash

PACKAGE_DIR = Path(__file__).resolve().parent.parent
_PACKAGE_SUFFIXES = {".py", ".toml", ".md", ".html", ".htm", ".css", ".js", ".j2", ".jinja", ".json", ".svg", ".txt", ".woff2"}


def _hasher() -> "hashlib.blake2b":
    return hashlib.blake2b(digest_size=16)


def _files_under(folder: Path) -> list[Path]:
    """Every file below a folder, sorted, hidden files and caches left out."""
    return [Path(path) for _, path in _named_files(folder)]


def _named_files(folder: Path) -> list[tuple[str, str]]:
    """``_files_under`` as (name below ``folder`` with ``/``, path) strings, in the same order (by the
    names' parts); links to folders are not followed, as ``Path.rglob`` does not."""
    found: list[tuple[str, str]] = []

    def walk(top: str, prefix: str) -> None:
        try:
            with os.scandir(top) as listed:
                entries = list(listed)
        except OSError:
            return
        for entry in entries:
            if entry.name.startswith(".") or entry.name == "__pycache__":
                continue
            try:
                if entry.is_dir():
                    if not entry.is_symlink():
                        walk(entry.path, f"{prefix}{entry.name}/")
                elif entry.is_file():
                    found.append((prefix + entry.name, entry.path))
            except OSError:
                continue

    if folder.is_dir():
        walk(os.fspath(folder), "")
    found.sort(key=lambda named: named[0].split("/"))
    return found


def file_digest(path: Path) -> str:
    """A digest of a file's bytes; what is not a regular file of a sensible size (a FIFO, a link to
    a device) only by its kind, never read: the build reports it."""
    try:
        return file_hash(path, limit=WORKBOOK_LIMIT).hexdigest()  # a piece at a time, never held whole
    except UnsafeFile as exc:
        data = f"\0unreadable\0{exc.problems[0].message}".encode()
        return "!" + hashlib.blake2b(data, digest_size=16).hexdigest()


def _add_file(h: "hashlib.blake2b", path: Path | str, name: str, cache: FileCache | None = None) -> None:
    """A file's name and the digest of its bytes (``cache``: from an earlier build while the file's
    stat data is unchanged)."""
    digest = file_digest(Path(path)) if cache is None else cache.value(path, "bytes", file_digest)
    h.update(f"{name}\0{digest}\0".encode())


def _add_files(h: "hashlib.blake2b", root: Path, files: list[Path], cache: FileCache | None = None) -> None:
    for path in files:
        _add_file(h, path, path.relative_to(root).as_posix(), cache)


def builtin_theme_dir() -> Path | None:
    """The built-in theme (the repository's ``theme/`` or the packaged copy; may be a symlink)."""
    for candidate in (PACKAGE_DIR.parent / "theme", PACKAGE_DIR / "theme"):
        if (candidate / "templates").is_dir():
            return candidate.resolve()
    return None


_FINGERPRINT: list = []  # this process's package fingerprint, once computed, and the files it read


def package_fingerprint(cache: FileCache | None = None) -> str:
    """The package version plus a digest of its source, data and built-in theme (computed once per
    process; ``cache``: files whose stat data did not change since an earlier build are not read)."""
    if not _FINGERPRINT:
        _FINGERPRINT.extend(_fingerprint(cache))
    elif cache is not None:
        cache.keep(_FINGERPRINT[1])  # a long-lived process read them once: their entries stay
    return _FINGERPRINT[0]


package_fingerprint.cache_clear = _FINGERPRINT.clear  # type: ignore[attr-defined]


def _fingerprint(cache: FileCache | None) -> tuple[str, list[str]]:
    h = _hasher()
    h.update(__version__.encode())
    named = [(n, p) for n, p in _named_files(PACKAGE_DIR) if os.path.splitext(n)[1] in _PACKAGE_SUFFIXES]
    theme = builtin_theme_dir()
    for name, path in named:
        _add_file(h, path, name, cache)
    if theme is not None:
        h.update(b"\0theme\0")
        themed = _named_files(theme)
        for name, path in themed:
            _add_file(h, path, name, cache)
        named += themed
    return h.hexdigest(), [path for _, path in named]


def shared_digest(project: Project, options_key: str = "", cache: FileCache | None = None) -> str:
    """What every unit-year depends on: package, settings, shared content, theme, build options."""
    h = _hasher()
    h.update(package_fingerprint(cache).encode())
    h.update(f"\0options\0{options_key}\0".encode())
    config = project.root / CONFIG_NAME
    if config.is_file():
        _add_file(h, config, CONFIG_NAME, cache)
    content = project.content_dir
    try:  # shared texts (content/*.md) count per unit-year: see _add_shared_texts
        with os.scandir(content) as entries:
            names = sorted(e.name for e in entries if not e.name.startswith(".") and not e.name.endswith(".md") and _is_file(e))
    except OSError:
        names = []
    _add_files(h, project.root, [content / n for n in names], cache)
    _add_files(h, project.root, _files_under(project.root / "theme"), cache)
    return h.hexdigest()


def _is_file(entry: os.DirEntry) -> bool:
    """``Path.is_file`` of a listed entry (following a link), from the listing's file type where it can."""
    try:
        return entry.is_file()
    except OSError:
        return False


def source_files(project: Project, unit: str, year: int, sources: dict[int, list[Path]] | None = None) -> list[Path]:
    """The workbook of a unit-year, or every file of its folder; empty when there is none.
    ``sources``: the unit's ``Project.year_sources`` when the caller has listed them."""
    if sources is None:
        source = project.source(unit, year)
    else:
        entries = sources.get(year)
        source = entries[0] if entries else None
    if source is None:
        return []
    return _files_under(source) if source.is_dir() else [source]


def unit_year_digest(project: Project, unit: str, year: int, shared: str, years: list[int] | None = None,
                     texts: dict[str, str] | None = None, *, text_digests: dict[str, str] | None = None,
                     sources: dict[int, list[Path]] | None = None, cache: FileCache | None = None,
                     listing: Listing | None = None) -> str:
    """The digest of everything one unit-year's pages are made from.

    ``years`` is the unit's list of years (the pages may link the unit's other years) and ``texts``
    the shared texts it is built with (or ``text_digests``, their digests: ``pins.plan_texts``),
    ``sources`` the unit's ``Project.year_sources``; pass them when known to save listing folders and
    reading the texts a second time. With ``cache``, a file whose stat data is unchanged since an
    earlier build is not read again.
    """
    h = _hasher()
    h.update(f"{shared}\0{unit}\0{year}\0".encode())
    if years is None:
        years = list(sources) if sources is not None else project.years(unit)
    h.update(("years\0" + ",".join(map(str, years)) + "\0").encode())
    for y in (year, year - 1):
        entries = sources.get(y) if sources is not None else None
        if entries and _listed_file(listing, entries[0]):  # a workbook (tables/<unit>/<year>.xlsx): no Path arithmetic
            h.update(f"tables\0{y}\0{1}\0".encode())
            _add_file(h, entries[0], f"tables/{unit}/{entries[0].name}", cache)
            continue
        files = source_files(project, unit, y, sources)
        h.update(f"tables\0{y}\0{len(files)}\0".encode())
        _add_files(h, project.root, files, cache)
    unit_dir = project.content_dir / unit
    if listing is not None:
        listed = listing.entries(unit_dir)
    else:
        try:
            with os.scandir(unit_dir) as entries:
                listed = {e.name: (_is_file(e), _is_dir(e), False) for e in entries}
        except OSError:
            listed = None
    if listed is not None:
        own = sorted(n for n, kind in listed.items() if kind[0] and not n.startswith(".") and not _shared_name(n))
        for n in own:
            _add_file(h, unit_dir / n, f"content/{unit}/{n}", cache)
        kind = listed.get(str(year))
        if kind is not None and kind[1]:
            _add_year_files(h, project, unit, year, listing, cache)
    if text_digests is None:
        text_digests = _shared_text_digests(project, unit, year, texts)
    for name, digest in sorted(text_digests.items()):
        h.update(f"text\0{name}\0{digest}\0".encode())
    return h.hexdigest()


def _is_dir(entry: os.DirEntry) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


def _add_year_files(h: "hashlib.blake2b", project: Project, unit: str, year: int, listing: Listing | None,
                    cache: FileCache | None) -> None:
    """The files of ``content/<unit>/<year>/`` (``_files_under``; a folder without sub-folders from
    the build's listing)."""
    folder = project.content_dir / unit / str(year)
    listed = listing.entries(folder) if listing is not None else None
    if listed is None or any(kind[1] for kind in listed.values()):
        _add_files(h, project.root, _files_under(folder), cache)
        return
    for name in sorted(n for n, kind in listed.items() if kind[0] and not n.startswith(".") and n != "__pycache__"):
        _add_file(h, folder / name, f"content/{unit}/{year}/{name}", cache)


def _listed_file(listing: Listing | None, path: Path) -> bool:
    """Whether the listing saw ``path`` as a file (not a folder of workbooks)."""
    if listing is None:
        return False
    kind = listing.kind(path.parent, path.name)
    return bool(kind and kind[0] and not kind[1])


def _shared_name(name: str) -> bool:
    """A unit's default text, shared by its years (counted as a text: ``text_digest``)."""
    return Path(name).suffix == ".md" or name == "unit.toml"


def text_digest(text: str) -> str:
    """The digest of one shared text as a unit-year is built with it (from its file or its pin)."""
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


def _shared_text_digests(project: Project, unit: str, year: int, texts: dict[str, str] | None = None) -> dict[str, str]:
    """The shared texts the unit-year is built with (``texts`` when the caller has them): the ones it
    keeps from its publication (``project.text_pins``), else the current files."""
    from disclosure.content import current_default_texts

    if texts is None:
        texts = project.text_pins.get(f"{unit}/{year}")
    if texts is None:
        texts = current_default_texts(project, unit, year)
    return {name: text_digest(text) for name, text in texts.items()}
