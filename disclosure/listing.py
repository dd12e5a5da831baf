"""Folder listings made once per build, shared by the steps that look at the same folders."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Callable


class Listing:
    """Folder listings made once per build (``os.scandir``: the kind of each entry comes with the
    listing, no stat per file); a folder that cannot be listed lists as empty (None from ``entries``)."""

    def __init__(self) -> None:
        self._entries: dict[str, dict[str, tuple[bool, bool, bool]] | None] = {}
        self._real: dict[str, str] = {}

    def entries(self, folder: Path | str) -> dict[str, tuple[bool, bool, bool]] | None:
        """``name → (is_file, is_dir, is_symlink)`` (links followed as ``Path.is_file`` does), or None
        when ``folder`` is not a folder that can be listed."""
        key = os.fspath(folder)
        if key in self._entries:
            return self._entries[key]
        try:
            with os.scandir(key) as it:
                found = {e.name: (_is(e.is_file), _is(e.is_dir), e.is_symlink()) for e in it}
        except OSError:
            found = None
        self._entries[key] = found
        return found

    def names(self, folder: Path | str, suffix: str = "") -> list[str]:
        """Sorted names in ``folder`` ending with ``suffix`` (files and folders, hidden ones too, as
        ``Path.glob("*" + suffix)``)."""
        found = self.entries(folder) or {}
        return sorted(n for n in found if n.endswith(suffix))

    def is_file(self, folder: Path, name: str) -> bool:
        kind = (self.entries(folder) or {}).get(name)
        return bool(kind and kind[0])

    def is_dir(self, folder: Path, name: str) -> bool:
        kind = (self.entries(folder) or {}).get(name)
        return bool(kind and kind[1])

    def realpath(self, folder: Path | str) -> str:
        key = os.fspath(folder)
        real = self._real.get(key)
        if real is None:
            real = self._real[key] = os.path.realpath(key)
        return real


def _is(test: Callable[[], bool]) -> bool:
    try:
        return test()
    except OSError:
        return False
