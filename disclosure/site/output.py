"""Write a site into a staging folder beside its destination and swap it in only when complete."""
from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def staged(out: Path) -> Iterator[Path]:
    """Yield an empty staging folder next to ``out``; on success it replaces ``out``, on any error it
    is removed and ``out`` is left exactly as it was."""
    out = Path(out).resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=f".{out.name}.building-", dir=out.parent))
    try:
        yield stage
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise
    stage.chmod(0o755)
    old = None
    if out.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
        os.rmdir(old)
        os.replace(out, old)
    os.replace(stage, out)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def write(path: Path, data: bytes | str) -> None:
    """Write bytes (text as UTF-8 with LF), creating folders (only when missing: one open per file)."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    try:
        fd = os.open(path, _WRITE_FLAGS, 0o666)
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, _WRITE_FLAGS, 0o666)
    with open(fd, "wb", closefd=True) as f:
        f.write(raw)


_WRITE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)


def copy(src: Path, dst: Path) -> None:
    """Copy a file's bytes (no metadata, so the output does not depend on the source's mtime)."""
    dst.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src, dst)
