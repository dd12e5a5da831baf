"""The build state kept beside the site: each unit-year's input digest and what its build returned.

Kept beside the site in ``.<site>-build-state/`` (so it is never published with the site):
``state.json`` (digests, sorted JSON), ``written.json`` (the files each unit-year wrote) and
``results/<unit>/<year>.pickle`` (what each unit-year's build returned, written by the worker that
built it). A later build skips unchanged unit-years and
still hands the portal step the results of every published unit-year. Pickle, because the portal
reads every result on each change (about 1 ms a result, against 5–8 ms for a JSON codec).
"""
from __future__ import annotations

import json
import os
import pickle
from dataclasses import dataclass
from pathlib import Path
from contextlib import contextmanager
from typing import Any, Iterator, Sequence

from disclosure.errors import ConfigError

STATE_SUFFIX = "-build-state"
STATE_NAME = "state.json"
STATE_VERSION = 3  # 2: the files lists were in state.json itself (still read)
FILES_NAME = "written.json"  # the files each unit-year (and the portal) wrote, read only when needed


@dataclass
class Entry:
    """One unit-year in the state: ``digest`` of the inputs of its last successful build (None
    after a failed attempt, so that it is tried again) and ``published``, the digest of the build
    whose pages are on the site (kept when a later attempt fails; None if never published)."""

    digest: str | None
    published: str | None = None


class BuildState:
    """What the last build published: ``entries`` ("unit/year" → entry), ``portal`` (digest of the
    portal's inputs when it was last written) and ``files`` ("unit/year" or "portal" → files
    written). ``files`` is kept in a file of its own (``written.json``) and read only when first
    used (a rebuild that commits or removes nothing never reads it)."""

    def __init__(self, entries: dict[str, Entry] | None = None, portal: str | None = None,
                 files: dict[str, list[str]] | None = None):
        self.entries: dict[str, Entry] = entries if entries is not None else {}
        self.portal = portal
        self._files = files if files is not None else {}
        self._files_from: Path | None = None  # the lists are still in this file (not read yet)
        self.saved: dict | None = None  # what state.json holds (as read or written)
        self.saved_files: dict | None = None  # what the files' file holds (as read or written)

    @property
    def files(self) -> dict[str, list[str]]:
        if self._files_from is not None:
            path, self._files_from = self._files_from, None
            self._files, self.saved_files = _read_files(path)
        return self._files

    @files.setter
    def files(self, value: dict[str, list[str]]) -> None:
        self._files, self._files_from = value, None

    @staticmethod
    def key(unit: str, year: int) -> str:
        return f"{unit}/{year}"


def state_dir(out_dir: Path) -> Path:
    """``.<site>-build-state`` beside the site folder: never published with it, on the same
    file system (so staged folders are swapped in by a rename), shared by every Dask worker."""
    out_dir = Path(out_dir).resolve()
    return out_dir.parent / f".{out_dir.name}{STATE_SUFFIX}"


def result_path(out_dir: Path, unit: str, year: int) -> Path:
    """Where a unit-year's build result is kept for the portal (written by the worker itself)."""
    return state_dir(out_dir) / "results" / unit / f"{year}.pickle"


def part_path(out_dir: Path, unit: str, year: int, name: str) -> Path:
    """Where a part a result keeps apart (``kept_apart``) is kept, e.g. ``<year>.search.pickle``."""
    return state_dir(out_dir) / "results" / unit / f"{year}.{name}.pickle"


def _dump(path: Path, value: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_bytes(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_result(out_dir: Path, unit: str, year: int, result: Any, folder: Path | None = None) -> None:
    """Keep a unit-year's result beside the site, atomically (or in ``folder``, a task's staging
    folder, to be moved in by ``move_results`` when the unit-year is published). A result with a
    ``kept_apart()`` method (returning the result to keep and ``{name: part}``) has its parts kept
    in files of their own, so that reading the result stays cheap; parts are written first."""
    def where(name: str | None) -> Path:
        if folder is None:
            return result_path(out_dir, unit, year) if name is None else part_path(out_dir, unit, year, name)
        return Path(folder) / (f"{year}.pickle" if name is None else f"{year}.{name}.pickle")

    apart = getattr(result, "kept_apart", None)
    if callable(apart):
        result, parts = apart()
        for name, value in sorted(parts.items()):
            _dump(where(name), value)
    _dump(where(None), result)


def move_results(folder: Path, out_dir: Path, unit: str) -> None:
    """Move the results a task kept in its staging ``folder`` to where the portal reads them
    (parts first, the result itself last, so a result never points at a part not yet there)."""
    target = result_path(out_dir, unit, 0).parent
    target.mkdir(parents=True, exist_ok=True)
    files = sorted(Path(folder).glob("*.pickle"), key=lambda p: (p.name.count(".") == 1, p.name))
    for path in files:
        os.replace(path, target / path.name)


def read_result(out_dir: Path, unit: str, year: int) -> Any:
    return pickle.loads(result_path(out_dir, unit, year).read_bytes())


def read_part(out_dir: Path, unit: str, year: int, name: str) -> Any:
    """A part kept apart from a unit-year's result (FileNotFoundError when there is none)."""
    return pickle.loads(part_path(out_dir, unit, year, name).read_bytes())


def remove_result(out_dir: Path, unit: str, year: int) -> None:
    path = result_path(out_dir, unit, year)
    path.unlink(missing_ok=True)
    for part in path.parent.glob(f"{year}.*.pickle"):
        part.unlink(missing_ok=True)
    try:
        path.parent.rmdir()
    except OSError:
        pass


class Results(Sequence):
    """The results of the published unit-years, read from disk one at a time when used (so the
    portal step streams them). ``part(index, name)`` reads what a result kept apart; ``cache``
    is a folder beside the site where the portal step may keep what makes its next run incremental;
    ``digests`` are the unit-years' published input digests (a unit-year's result and pages change
    only with its digest), ``shared`` the digest of what they all share (``digest.shared_digest``)."""

    def __init__(self, out_dir: Path, keys: list[tuple[str, int]], digests: list[str] | None = None,
                 shared: str | None = None):
        self.out_dir = Path(out_dir)
        self.keys = keys
        self.digests = digests  # of each unit-year's inputs as published (what its pages are made from), when known
        self.shared = shared  # what every unit-year's pages are made from (package, theme, settings, options), when known
        state = state_dir(out_dir)
        self.cache = state / "portal"
        self._results = state / "results"  # resolved once: a thousand results read in a row

    def part(self, index: int, name: str) -> Any:
        unit, year = self.keys[index]
        return pickle.loads((self._results / unit / f"{year}.{name}.pickle").read_bytes())

    def __len__(self) -> int:
        return len(self.keys)

    def __getitem__(self, index):  # type: ignore[override]
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        unit, year = self.keys[index]
        return pickle.loads((self._results / unit / f"{year}.pickle").read_bytes())


def load_state(out_dir: Path) -> BuildState:
    """The state of the last build into ``out_dir``; empty when missing or unreadable. The files
    lists are read when first used; a state of version 2 (lists in ``state.json``) is read too."""
    folder = state_dir(out_dir)
    try:
        data = json.loads((folder / STATE_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return BuildState()
    if not isinstance(data, dict) or data.get("version") not in (2, STATE_VERSION):
        return BuildState()
    entries = {k: Entry(v.get("digest"), v.get("published")) for k, v in data.get("unit_years", {}).items()}
    state = BuildState(entries=entries, portal=data.get("portal"))
    if data["version"] == 2:
        state.files = _files_of(data.get("files", {}))
    else:
        state._files_from = folder / FILES_NAME
    state.saved = data
    return state


def _files_of(files: Any) -> dict[str, list[str]]:
    return {k: list(map(str, v)) for k, v in files.items() if isinstance(v, list)} if isinstance(files, dict) else {}


def _read_files(path: Path) -> tuple[dict[str, list[str]], dict | None]:
    """The files lists kept in ``path`` and what the file holds (None when missing or unreadable:
    no lists, as in a state from before they were kept — a removal then takes the whole folder)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}, None
    if not isinstance(data, dict) or data.get("version") != STATE_VERSION:
        return {}, None
    return _files_of(data.get("files")), data


def save_state(out_dir: Path, state: BuildState) -> None:
    """Write the state atomically, keys sorted (same inputs, same bytes): the files lists first
    (only when they were read or set, and changed), then ``state.json``."""
    folder = state_dir(out_dir)
    if state._files_from is None:
        files = {"version": STATE_VERSION, "files": {k: sorted(v) for k, v in sorted(state._files.items())}}
        if files != state.saved_files or not (folder / FILES_NAME).is_file():
            _write_json(folder / FILES_NAME, files, indent=None)  # 1.4 MB at 1,000: the C encoder (no indent)
            state.saved_files = files
    data = {
        "version": STATE_VERSION,
        "portal": state.portal,
        "unit_years": {k: {"digest": e.digest, "published": e.published} for k, e in sorted(state.entries.items())},
    }
    if data == state.saved and (folder / STATE_NAME).is_file():
        return  # a rebuild that changed nothing writes nothing
    _write_json(folder / STATE_NAME, data, indent=1)
    state.saved = data


def _write_json(path: Path, data: dict, indent: int | None) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + f".{os.getpid()}.tmp")
    try:
        separators = (",", ":") if indent is None else None
        text = json.dumps(data, ensure_ascii=False, sort_keys=True, indent=indent, separators=separators)
        tmp.write_text(text + "\n", encoding="utf-8")
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def clean_stale_temporaries(out_dir: Path, results: bool = True) -> None:
    """Remove what an interrupted build left in the state folder (``state.json.<pid>.tmp``, and with
    ``results`` result pickles half written). Called under the build lock, when no other build can
    be writing."""
    folder = state_dir(out_dir)
    for tmp in list(folder.glob("*.tmp")) + (list((folder / "results").glob("*/.*.tmp")) if results else []):
        tmp.unlink(missing_ok=True)


@contextmanager
def build_lock(out_dir: Path) -> Iterator[None]:
    """Hold the output folder for one build at a time (two builds into one site would mix states).

    POSIX uses ``fcntl.flock``, Windows ``msvcrt.locking`` on the first byte of the same lock file."""
    folder = state_dir(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "lock", "a+b") as handle:
        try:
            _lock(handle)
        except OSError as exc:
            raise ConfigError(f"另一个生成正在写入“{out_dir}”。请等它结束后再试。") from exc
        try:
            yield
        finally:
            _unlock(handle)


def _lock(handle) -> None:
    """Take the lock without waiting; OSError when another build holds it."""
    try:
        import fcntl
    except ImportError:  # Windows
        import msvcrt

        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        return
    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)


def _unlock(handle) -> None:
    """Release the lock taken by ``_lock``."""
    try:
        import fcntl
    except ImportError:  # Windows
        import msvcrt

        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)
        return
    fcntl.flock(handle, fcntl.LOCK_UN)
