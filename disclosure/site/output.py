"""Write a site into a staging folder beside its destination and swap it in only when complete."""
from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from disclosure.file_modes import FILE_MODE, TMP_MARK, make_dirs


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




def _temp_name(path: Path) -> Path:
    return path.with_name(f".{path.name}{TMP_MARK}{os.getpid()}")


def _open_temp(path: Path) -> tuple[int, Path]:
    tmp = _temp_name(path)
    try:
        fd = os.open(tmp, _WRITE_FLAGS, FILE_MODE)
    except FileNotFoundError:
        make_dirs(path.parent)
        fd = os.open(tmp, _WRITE_FLAGS, FILE_MODE)
    return fd, tmp


def write(path: Path, data: bytes | str) -> None:
    """Write bytes (text as UTF-8 with LF), creating folders; the file appears only when complete
    (written beside it, then renamed), mode 0644 whatever the umask. On an error (a full disk) the
    partial file is removed and the previous file, if any, is left as it was."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = _open_temp(path)
    try:
        with open(fd, "wb", closefd=True) as f:
            if hasattr(os, "fchmod"):
                os.fchmod(f.fileno(), FILE_MODE)
            f.write(raw)
        os.replace(tmp, path)
    except BaseException:
        _discard(tmp)
        raise


class StagedFile:
    """A file written in pieces (``add``) beside ``path`` that appears there only on ``commit``, as
    ``write`` makes it (UTF-8, mode 0644); ``restart`` empties it, ``discard`` removes it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        fd, self.tmp = _open_temp(path)
        self.file = open(fd, "wb", closefd=True)
        if hasattr(os, "fchmod"):
            os.fchmod(self.file.fileno(), FILE_MODE)

    def add(self, text: str) -> None:
        self.file.write(text.encode("utf-8"))

    def restart(self) -> None:
        self.file.seek(0)
        self.file.truncate()

    def commit(self) -> None:
        try:
            self.file.close()
            os.replace(self.tmp, self.path)
        except BaseException:
            _discard(self.tmp)
            raise

    def discard(self) -> None:
        if not self.file.closed:
            self.file.close()
        _discard(self.tmp)


_WRITE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)


def copy(src: Path, dst: Path) -> None:
    """Copy a file's bytes (no metadata, so the output does not depend on the source's mtime),
    complete or not at all, mode 0644."""
    fd, tmp = _open_temp(dst)
    try:
        with open(fd, "wb", closefd=True) as out, open(src, "rb") as source:
            if hasattr(os, "fchmod"):
                os.fchmod(out.fileno(), FILE_MODE)
            shutil.copyfileobj(source, out, 1024 * 1024)
        os.replace(tmp, dst)
    except BaseException:
        _discard(tmp)
        raise


def _discard(tmp: Path) -> None:
    try:
        os.unlink(tmp)
    except OSError:
        pass
