"""What a build learned from its input files, kept for the next build and trusted while each file's
stat data is unchanged: a rebuild with nothing changed reads no file's content.

An entry is a file's stat data (size, modification and change times in nanoseconds, inode, device,
from ``lstat``) and values computed from its bytes (``kind → value``: a digest of the bytes, of the
text). The next build stats the file; when the stat data is the same, the values are used as they
are, otherwise the file is read again.

Equal stat data does not prove equal bytes when a file is written twice within one tick of the file
system's clock (a few milliseconds on Linux, two seconds on FAT) without changing its size. So an
entry is kept only when the file's times are more than ``RACY_NS`` before the build that read it
started: a file written just before or during a build is read again by the next one (as git does
for its index). An edit that restores the old modification time still moves the change time, which
no program can set. Only regular files are kept (a link, a FIFO, a folder is looked at every time).
"""
from __future__ import annotations

import json
import os
import stat
import time
from pathlib import Path
from typing import Any, Callable

NAME = "files.json"
VERSION = 1
RACY_NS = 2_000_000_000  # 2 s: FAT's time stamps; ext4, xfs, btrfs and NTFS tick much finer


_now_ns = time.time_ns  # the clock the racy window is measured on (a test moves it)


def _signature(info: os.stat_result) -> list[int]:
    return [info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino, info.st_dev]


class FileCache:
    """Values derived from files, by absolute path and kind, valid while the stat data matches.

    ``FileCache(None)`` keeps nothing between builds (every value computed once per build); ``name``
    is the file in ``folder``; a ``lazy`` cache reads it only when a value is first asked for, and
    one never asked leaves it as it is."""

    def __init__(self, folder: Path | None, scope: str = "", *, name: str = NAME, lazy: bool = False) -> None:
        self.path = None if folder is None else Path(folder) / name
        self.scope = scope  # what the values also depend on (the project folder): another scope starts afresh
        self.started_ns = _now_ns()  # before any file is looked at
        self._loaded: dict[str, list] | None = None
        self._new: dict[str, list] = {}  # looked at in this build: [signature, {kind: value}, trusted]
        self.computed = 0  # values computed from a file's bytes in this build (the rest came from the cache)
        if self.path is None:
            self._loaded = {}
        elif not lazy:
            self._loaded = self._read()

    @property
    def _old(self) -> dict[str, list]:
        if self._loaded is None:
            self._loaded = self._read()
        return self._loaded

    def _read(self) -> dict[str, list]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))  # type: ignore[union-attr]
        except (OSError, ValueError):
            return {}
        if not isinstance(data, dict) or data.get("version") != VERSION or data.get("scope") != self.scope:
            return {}
        files = data.get("files")
        return files if isinstance(files, dict) else {}

    def value(self, path: Path | str, kind: str, compute: Callable[[Path], Any]) -> Any:
        """``compute(path)``, or what it returned in an earlier build while the file is unchanged.
        ``compute`` must depend only on the file's bytes (and the scope); its value must be JSON."""
        key = os.fspath(path)
        if not os.path.isabs(key):
            key = os.path.abspath(key)
        entry = self._new.get(key)
        if entry is None:
            try:
                info = os.lstat(key)
            except OSError:
                info = None
            if info is None or not stat.S_ISREG(info.st_mode):
                self.computed += 1
                return compute(Path(path))  # not a regular file: looked at every time, never kept
            sig = _signature(info)
            old = self._old.get(key)
            values = old[1] if isinstance(old, list) and len(old) == 2 and old[0] == sig and isinstance(old[1], dict) else {}
            trusted = max(info.st_mtime_ns, info.st_ctime_ns) < self.started_ns - RACY_NS
            entry = self._new[key] = [sig, dict(values), trusted]
        values = entry[1]
        if kind not in values:
            self.computed += 1
            values[kind] = compute(Path(path))
        return values[kind]

    def keep(self, paths: list[Path]) -> None:
        """Keep the entries of ``paths`` as they are, unlooked at (files this process read earlier)."""
        for path in paths:
            key = os.path.abspath(path)
            old = self._old.get(key)
            if key not in self._new and isinstance(old, list) and len(old) == 2 and isinstance(old[1], dict):
                self._new[key] = [old[0], dict(old[1]), True]

    def retain(self, test: Callable[[str], bool]) -> None:
        """Keep, unlooked at, the entries of the earlier build whose path passes ``test`` (files of
        units whose plan was taken from their summary: ``batch.summary``)."""
        if self._loaded is None:
            return  # nothing asked: saving leaves the file as it is
        for key, old in self._old.items():
            if key not in self._new and isinstance(old, list) and len(old) == 2 and isinstance(old[1], dict) and test(key):
                self._new[key] = [old[0], dict(old[1]), True]

    def changed(self) -> bool:
        """Whether saving would write other entries than the build read (a no-change rebuild writes nothing)."""
        return self._kept() != self._old

    def _kept(self) -> dict[str, list]:
        return {k: [sig, values] for k, (sig, values, trusted) in self._new.items() if trusted}

    def save(self) -> None:
        """Keep the entries of the files looked at in this build (others are forgotten), atomically;
        nothing is written when they are what the build read."""
        if self.path is None or self._loaded is None:
            return
        kept = self._kept()
        if kept == self._old:
            return
        data = json.dumps({"version": VERSION, "scope": self.scope, "files": kept}, sort_keys=True, ensure_ascii=False)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        try:
            tmp.write_text(data, encoding="utf-8")
            os.replace(tmp, self.path)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise

