"""Folder listings made once per build, shared by the steps that look at the same folders."""
from __future__ import annotations

import errno
import os
from pathlib import Path
from typing import Callable

Kind = tuple[bool, bool, bool]  # is_file, is_dir (links followed, as Path.is_file/is_dir), is_symlink


class Listing:
    """Folder listings made once per build (``os.scandir``: the kind of each entry comes with the
    listing, no stat per file); a folder that cannot be listed lists as empty (None from ``entries``,
    the error from ``error``)."""

    def __init__(self) -> None:
        self._entries: dict[str, dict[str, Kind] | None] = {}
        self._errors: dict[str, OSError] = {}
        self._names: dict[tuple[str, str], list[str]] = {}
        self._real: dict[str, str] = {}

    def entries(self, folder: Path | str) -> dict[str, Kind] | None:
        """``name → (is_file, is_dir, is_symlink)``, or None when ``folder`` is not a folder that
        can be listed."""
        key = os.fspath(folder)
        try:
            return self._entries[key]
        except KeyError:
            pass
        try:
            with os.scandir(key) as it:
                found: dict[str, Kind] | None = {e.name: (_is(e.is_file), _is(e.is_dir), _is(e.is_symlink)) for e in it}
        except OSError as exc:
            found = None
            if exc.errno not in (errno.ENOENT, errno.ENOTDIR):
                self._errors[key] = exc
        self._entries[key] = found
        return found

    def error(self, folder: Path | str) -> OSError | None:
        """Why an existing ``folder`` could not be listed (None when it was listed or is not there)."""
        self.entries(folder)
        return self._errors.get(os.fspath(folder))

    def names(self, folder: Path | str, suffix: str = "") -> list[str]:
        """Sorted names in ``folder`` ending with ``suffix`` (files and folders, hidden ones too, as
        ``Path.glob("*" + suffix)``)."""
        key = (os.fspath(folder), suffix)
        found = self._names.get(key)
        if found is None:
            found = self._names[key] = sorted(n for n in self.entries(key[0]) or () if n.endswith(suffix))
        return found

    def kind(self, folder: Path | str, name: str) -> Kind | None:
        return (self.entries(folder) or {}).get(name)

    def is_file(self, folder: Path | str, name: str) -> bool:
        kind = self.kind(folder, name)
        return bool(kind and kind[0])

    def is_dir(self, folder: Path | str, name: str) -> bool:
        kind = self.kind(folder, name)
        return bool(kind and kind[1])

    def realpath(self, folder: Path | str) -> str:
        """``os.path.realpath``; a folder listed in a folder whose real path is known, and that is
        not a link, is named from its parent's without looking at the disk again."""
        key = os.fspath(folder)
        real = self._real.get(key)
        if real is None:
            parent, name = os.path.split(key)
            known = self._real.get(parent)
            kind = self._entries.get(parent, None) if known is not None else None
            entry = kind.get(name) if kind else None
            if known is not None and entry is not None and entry[1] and not entry[2] and name not in ("", ".", ".."):
                real = os.path.join(known, name)
            else:
                real = os.path.realpath(key)
            self._real[key] = real
        return real

    def relative(self, root: Path | str, path: Path | str) -> str | None:
        """``Project.relative(path)`` for a file listed here that is not a link, in a folder whose
        real path is inside ``root``'s; None otherwise (the caller resolves it)."""
        folder, name = os.path.split(os.fspath(path))
        entry = self.kind(folder, name)
        if entry is None or entry[2]:
            return None
        top = self.realpath(root)
        real = self.realpath(folder)
        if real == top:
            return name
        if not real.startswith(top.rstrip(os.sep) + os.sep):
            return None
        return (real[len(top.rstrip(os.sep)) + 1:] + "/" + name).replace(os.sep, "/")


def _is(test: Callable[[], bool]) -> bool:
    try:
        return test()
    except OSError:
        return False
