"""What the plan found for each unit, kept for the next build and trusted while the stat data of the
unit's folders and files is unchanged: a rebuild with nothing changed costs a few ``lstat`` calls per
unit, no listing, no digest.

A unit's summary records the stat data (kind, size, modification and change times in nanoseconds,
inode, device: ``lstat``) of ``tables/<unit>/``, ``content/<unit>/``, its year folders and every
entry in them, and of the shared texts it keeps (``texts/<unit>/`` beside the site), with what the
plan made of them: the unit's years, each unit-year's input digest, the notices and the years that
keep their published texts. The next build looks at the same paths; when every one is as recorded
(and so are the project's own: ``tables/``, ``content/`` and its files, ``disclosure.toml``, and the
digest every unit-year shares), the recorded plan of the unit is used as it is. A folder's times
change when an entry is added, removed or renamed, a file's when it is written (an edit that puts
the old modification time back still moves the change time), so equal stat data means the same
listing and the same bytes; a mismatch sends the unit through the full plan (``runner.plan``), which
still trusts the stat-data cache file by file. As in ``filecache``, a summary is kept only when no
recorded time is within ``RACY_NS`` of the start of the build that made it; a unit with a link, a
folder of workbooks, or anything but files and folders where its inputs are, is planned in full
every time.
"""
from __future__ import annotations

import os
import pickle
import stat
from pathlib import Path
from typing import Any

from disclosure.batch import filecache
from disclosure.project import SPREADSHEET_SUFFIXES, YEAR

NAME = "units.pickle"  # read on every build: pickle loads these nested lists several times faster than JSON
VERSION = 2

ABSENT = (0, 0, 0, 0, 0, 0)  # the stat data of a path that is not there


def _of(info: os.stat_result) -> tuple:
    return (info.st_mode, info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino, info.st_dev)


def _sig(path: str) -> tuple | None:
    """A path's stat data (mode, size, modification and change times, inode, device); ``ABSENT``
    when it is not there; None when it cannot be looked at."""
    try:
        return _of(os.lstat(path))
    except FileNotFoundError:
        return ABSENT
    except OSError:
        return None


def _entry_sig(entry: os.DirEntry) -> tuple | None:
    try:
        return _of(entry.stat(follow_symlinks=False))
    except OSError:
        return None


class _Paths:
    """Paths and their stat data, in the order they were looked at."""

    def __init__(self) -> None:
        self.paths: list[str] = []
        self.sigs: list[tuple] = []

    def add(self, path: str, sig: tuple) -> None:
        self.paths.append(path)
        self.sigs.append(sig)

    def record(self) -> tuple[tuple[str, ...], tuple[int, ...]]:
        return tuple(self.paths), tuple(v for sig in self.sigs for v in sig)


def _entries(folder: str) -> list[os.DirEntry] | None:
    """The entries of ``folder`` by name; None when it cannot be listed."""
    try:
        with os.scandir(folder) as it:
            return sorted(it, key=lambda e: e.name)
    except OSError:
        return None


def _listed(folder: str, out: _Paths, *, year_folders: bool = False, workbooks: bool = False) -> bool:
    """Record ``folder`` and every entry in it (a year folder, with ``year_folders``, with its own
    entries); False when one is a link or something other than a file or a folder, or when a folder
    claims a year's tables (``workbooks``: a folder named ``2021`` or ``2021.xlsx``)."""
    sig = _sig(folder)
    if sig is None:
        return False
    out.add(folder, sig)
    if sig == ABSENT:
        return True
    if not stat.S_ISDIR(sig[0]):
        return False
    entries = _entries(folder)
    if entries is None:
        return False
    for entry in entries:
        s = _entry_sig(entry)
        if s is None or not (stat.S_ISREG(s[0]) or stat.S_ISDIR(s[0])):
            return False
        if stat.S_ISDIR(s[0]):
            name = entry.name
            if workbooks:
                stem, suffix = os.path.splitext(name)
                if YEAR.match(name) or (YEAR.match(stem) and suffix.lower() in SPREADSHEET_SUFFIXES):
                    return False
            if year_folders and YEAR.match(name):
                if not _files_only(entry.path, out):
                    return False
                continue
        out.add(entry.path, s)
    return True


def _files_only(folder: str, out: _Paths) -> bool:
    sig = _sig(folder)
    if sig is None or sig == ABSENT:
        return False
    out.add(folder, sig)
    entries = _entries(folder)
    if entries is None:
        return False
    for entry in entries:
        s = _entry_sig(entry)
        if s is None or not stat.S_ISREG(s[0]):
            return False
        out.add(entry.path, s)
    return True


Record = tuple  # (paths, their stat data flattened): what ``same`` compares


def unit_paths(root: str, state: str, unit: str) -> Record | None:
    """The stat data a unit's plan depends on (looked at before the plan reads anything); None when
    the unit cannot be summarised."""
    out = _Paths()
    if not _listed(os.path.join(root, "tables", unit), out, workbooks=True):
        return None
    if not _listed(os.path.join(root, "content", unit), out, year_folders=True):
        return None
    return out.record()


def pins_paths(state: str, unit: str) -> Record | None:
    """The stat data of the shared texts a unit's published years keep (``texts/<unit>/``)."""
    out = _Paths()
    return out.record() if _listed(os.path.join(state, "texts", unit), out) else None


def project_paths(root: str) -> Record | None:
    """The stat data of what every unit's plan shares: ``tables/``, ``content/`` and the files in it,
    ``disclosure.toml``; None when one is a link or cannot be looked at."""
    out = _Paths()
    for name in ("tables", "disclosure.toml"):
        path = os.path.join(root, name)
        sig = _sig(path)
        if sig is None or stat.S_ISLNK(sig[0]):
            return None
        out.add(path, sig)
    content = os.path.join(root, "content")
    sig = _sig(content)
    if sig is None:
        return None
    out.add(content, sig)
    if sig == ABSENT:
        return out.record()
    if not stat.S_ISDIR(sig[0]):
        return None
    entries = _entries(content)
    if entries is None:
        return None
    for entry in entries:
        try:
            if entry.is_dir(follow_symlinks=False):
                continue  # a unit's folder: in its unit's summary
        except OSError:
            return None
        s = _entry_sig(entry)
        if s is None or not stat.S_ISREG(s[0]):
            return None
        out.add(entry.path, s)
    return out.record()


def same(record: Record) -> bool:
    """Whether every path of a record has the stat data recorded."""
    paths, sigs = record
    now: list[int] = []
    lstat = os.lstat
    for path in paths:
        try:
            info = lstat(path)
        except FileNotFoundError:
            now.extend(ABSENT)
            continue
        except OSError:
            return False
        now += (info.st_mode, info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino, info.st_dev)
    return tuple(now) == sigs


def _settled(record: Record, started_ns: int) -> bool:
    """No recorded time is within the racy window of the build's start (absent paths have none)."""
    limit = started_ns - filecache.RACY_NS
    sigs = record[1]
    return all(sigs[i] < limit for i in range(2, len(sigs), 6)) and all(sigs[i] < limit for i in range(3, len(sigs), 6))


class Summaries:
    """The units' summaries of the last build (``units.pickle`` in the build state) and this build's."""

    def __init__(self, folder: Path, root: str, key: str) -> None:
        self.path = Path(folder) / NAME
        self.root = root
        self.key = key  # what else every digest depends on (options, republished years, the shared digest)
        self.started_ns = filecache._now_ns()
        self._old: dict[str, Any] = {}
        self.units: dict[str, Any] = {}  # this build's, to save
        self.project: Any = None
        try:
            data = pickle.loads(self.path.read_bytes())
        except (OSError, ValueError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, TypeError):
            data = None
        if isinstance(data, dict) and data.get("version") == VERSION and data.get("root") == root:
            self._old = data

    def project_unchanged(self, shared_key: str) -> dict | None:
        """The recorded project-wide plan (units, notices) when its paths and ``shared_key`` are as
        recorded, else None."""
        old = self._old.get("project")
        if not isinstance(old, dict) or old.get("key") != shared_key or self._old.get("key") != self.key:
            return None
        try:
            return old if same(old["paths"]) else None
        except (TypeError, ValueError, KeyError):
            return None

    def unit(self, unit: str) -> dict | None:
        """The recorded plan of a unit whose paths are all as recorded, else None."""
        old = self._old.get("units", {}).get(unit) if self._old.get("key") == self.key else None
        if not isinstance(old, dict):
            return None
        try:
            return old if same(old["paths"]) and same(old["pins"]) else None
        except (TypeError, ValueError, KeyError):
            return None

    def keep_unit(self, unit: str, record: dict) -> None:
        """Keep a unit's recorded plan as it was (it was found unchanged)."""
        self.units[unit] = record

    def record_unit(self, unit: str, paths: Record | None, pins: Record | None, years: list[int],
                    digests: dict[str, str], notices: list[str], kept: list[list]) -> None:
        """Record a unit's plan made in full in this build (``paths`` and ``pins`` looked at before it)."""
        if paths is None or pins is None or not _settled(paths, self.started_ns):
            return
        self.units[unit] = {"paths": paths, "pins": pins, "years": years, "digests": digests, "notices": notices,
                            "kept": kept}

    def pins_written(self, unit: str, state: str) -> None:
        """After this build recorded a unit's kept texts: their stat data as written now. Only a build
        writes them, with the texts the recorded plan was made from (a newest year's digest follows
        the files, an earlier year's the texts it keeps, which are what is written), so they are not
        held back by the racy window as the inputs are."""
        record = self.units.get(unit)
        if record is not None:
            pins = pins_paths(state, unit)
            if pins is None:
                del self.units[unit]
            else:
                self.units[unit] = {**record, "pins": pins}

    def record_project(self, paths: Record | None, shared_key: str, units: list[str], notices: list[str]) -> None:
        if paths is None or not _settled(paths, self.started_ns):
            self.project = None
            return
        self.project = {"paths": paths, "key": shared_key, "units": units, "notices": notices}

    def save(self) -> None:
        """Write the summaries when they differ from what was read (a no-change rebuild writes nothing)."""
        data = {"version": VERSION, "root": self.root, "key": self.key, "project": self.project, "units": self.units}
        if data == self._old:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        try:
            tmp.write_bytes(pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL))
            os.replace(tmp, self.path)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
