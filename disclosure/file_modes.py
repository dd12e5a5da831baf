"""Published files are world-readable whatever the umask: files 0644, folders 0755."""
from __future__ import annotations

import os
from pathlib import Path

FILE_MODE = 0o644
DIR_MODE = 0o755
TMP_MARK = ".dc-tmp-"  # in the name of a file being written (an interrupted build may leave one)


def make_dirs(folder: Path) -> None:
    """Create a folder and its missing parents with mode 0755 (not the umask's)."""
    folder = Path(folder)
    missing = []
    while not folder.exists():
        missing.append(folder)
        if folder.parent == folder:
            break
        folder = folder.parent
    for d in reversed(missing):
        try:
            d.mkdir(mode=DIR_MODE)
        except FileExistsError:
            continue
        os.chmod(d, DIR_MODE)
