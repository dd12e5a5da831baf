"""Reading the user's files safely: regular files only, never more than a size cap, and (for files
whose text is published) never through a link that leads out of the project folder.

A link to ``/dev/zero`` or ``/dev/urandom``, a FIFO or a socket in place of a workbook or a text file
would otherwise make a build run out of memory or wait forever; a ``contact.md`` linked to
``/etc/passwd`` would be published verbatim. Each becomes one Chinese message naming the file.
"""
from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

if TYPE_CHECKING:
    import hashlib

from disclosure.errors import InputError, Problem, folder_message, open_message

MiB = 1024 * 1024
WORKBOOK_LIMIT = 64 * MiB  # a year's 决算公开表 workbook is well under 5 MB
TEXT_LIMIT = 4 * MiB  # a content file (.md, .toml) is a few kilobytes
ASSET_LIMIT = 64 * MiB  # a file of a project's own theme/ (a template, a style sheet, a font, an image)

_KINDS = (
    (stat.S_ISDIR, "是一个文件夹"),
    (stat.S_ISFIFO, "是一个管道（FIFO）"),
    (stat.S_ISCHR, "是一个设备文件"),
    (stat.S_ISBLK, "是一个设备文件"),
    (stat.S_ISSOCK, "是一个套接字"),
)


class UnsafeFile(InputError):
    """A path that is not a regular file of a sensible size, or a link out of the project."""


def _kind(mode: int) -> str:
    return next((text for test, text in _KINDS if test(mode)), "不是普通文件")


def _not_regular(mode: int, shown: str) -> Problem:
    """What is said of something other than a regular file where one is read."""
    return Problem(f"{_kind(mode)}，不是普通文件，无法读取。请换成普通文件。", file=shown)


def shown_path(path: Path, root: Path | None) -> str:
    """Where a path sits, as messages name it: relative to ``root`` (links not followed)."""
    if root is not None:
        try:
            return Path(os.path.abspath(path)).relative_to(Path(os.path.abspath(root))).as_posix()
        except ValueError:
            pass
    return str(path)


def check_inside(path: Path, root: Path, display: str | None = None) -> None:
    """Raise UnsafeFile when ``path`` (or a link on the way to it) leads outside ``root``."""
    shown = display or shown_path(path, root)
    try:
        target = Path(path).resolve(strict=True)
    except OSError as exc:
        raise UnsafeFile(kind_problem(path, shown, folder=False) or Problem(open_message(exc), file=shown)) from exc
    except RuntimeError as exc:  # a loop of links
        raise UnsafeFile(Problem("是一个循环的符号链接，无法读取。请换成普通文件。", file=shown)) from exc
    if not target.is_relative_to(Path(root).resolve()):
        raise UnsafeFile(Problem(
            "是一个指向项目文件夹之外的链接，出于安全考虑拒绝读取（其内容会被公开）。请把文件本身复制到这里，不要用链接。",
            file=shown,
        ))


def read_bytes(path: Path, *, limit: int, display: str | None = None, root: Path | None = None) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes; UnsafeFile otherwise.

    With ``root``, a link leading outside it is refused too. Opening never blocks (a FIFO is refused
    without waiting for a writer)."""
    return b"".join(read_chunks(path, limit=limit, display=display, root=root))


def file_hash(path: Path, *, limit: int, display: str | None = None, root: Path | None = None) -> "hashlib.blake2b":
    """A 16-byte blake2b of a file read as ``read_bytes`` reads it, a piece at a time (a workbook of
    60 MB is hashed without holding it: memory stays at one piece)."""
    import hashlib

    h = hashlib.blake2b(digest_size=16)
    for chunk in read_chunks(path, limit=limit, display=display, root=root):
        h.update(chunk)
    return h


def read_chunks(path: Path, *, limit: int, display: str | None = None, root: Path | None = None) -> Iterator[bytes]:
    """The bytes of a regular file of at most ``limit`` bytes in pieces of at most 1 MiB, checked as
    ``read_bytes`` checks them (the checks run before the first piece is given)."""
    path = Path(path)
    shown = display or shown_path(path, root)
    if root is not None:
        check_inside(path, root, shown)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise UnsafeFile(Problem(open_message(exc), file=shown)) from exc
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise UnsafeFile(_not_regular(info.st_mode, shown))
        if info.st_size > limit:
            raise UnsafeFile(Problem(_too_large(info.st_size, limit), file=shown))
        read = 0
        while read <= limit:
            try:
                chunk = os.read(fd, min(limit + 1 - read, MiB))
            except BlockingIOError:  # pragma: no cover - regular files never block
                continue
            if not chunk:
                return
            read += len(chunk)
            if read > limit:  # grew while being read
                raise UnsafeFile(Problem(_too_large(read, limit), file=shown))
            yield chunk
    except OSError as exc:
        raise UnsafeFile(Problem(open_message(exc), file=shown)) from exc
    finally:
        os.close(fd)


def read_text(path: Path, *, display: str | None = None, root: Path | None = None, limit: int = TEXT_LIMIT) -> str:
    """A UTF-8 text file read with ``read_bytes``; a file that is not UTF-8 is an InputError."""
    data = read_bytes(path, limit=limit, display=display, root=root)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        shown = display or shown_path(Path(path), root)
        raise InputError(Problem("文件不是 UTF-8 编码：请用 UTF-8 编码另存后重试。", file=shown)) from exc


def check_regular(path: Path, *, limit: int, display: str) -> int:
    """The size of a regular file of at most ``limit`` bytes (following links); UnsafeFile otherwise.
    For readers that open the file themselves (the spreadsheet reader)."""
    try:
        info = os.stat(path)
    except OSError as exc:
        raise UnsafeFile(kind_problem(path, display, folder=False) or Problem(open_message(exc), file=display)) from exc
    if not stat.S_ISREG(info.st_mode):
        raise UnsafeFile(_not_regular(info.st_mode, display))
    if info.st_size > limit:
        raise UnsafeFile(Problem(_too_large(info.st_size, limit), file=display))
    return info.st_size


def kind_problem(path: Path, display: str, *, folder: bool) -> Problem | None:
    """What keeps ``path`` from being read as a folder (``folder``) or as a regular file; None when it
    is one, or when nothing is there at all (not even a link). A link that leads nowhere, or back to
    itself, and a file where a folder belongs (or the other way round) exist: taking them for absent
    would drop what they stand for without a word (a unit, a year, the project's settings)."""
    try:
        own = os.lstat(path)
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError as exc:
        return Problem(folder_message(exc) if folder else open_message(exc), file=display)
    try:
        info = os.stat(path)
    except OSError as exc:
        if stat.S_ISLNK(own.st_mode) and exc.errno in (errno.ENOENT, errno.ENOTDIR):
            try:
                target = f"“{os.readlink(path)}”"
            except OSError:
                target = ""
            return Problem(f"是一个链接，但它指向的{target or '位置'}不存在，无法读取。请改正链接，或把它换成所指的文件或文件夹本身。", file=display)
        return Problem(folder_message(exc) if folder else open_message(exc), file=display)
    if folder and not stat.S_ISDIR(info.st_mode):
        kind = "是一个文件" if stat.S_ISREG(info.st_mode) else _kind(info.st_mode)
        return Problem(f"{kind}，不是文件夹，无法读取。请把它换成文件夹（或改名移开）。", file=display)
    if not folder and not stat.S_ISREG(info.st_mode):
        return _not_regular(info.st_mode, display)
    return None


def require(path: Path, display: str, *, folder: bool) -> bool:
    """True when ``path`` is a folder (``folder``) or a regular file, False when nothing is there;
    UnsafeFile (naming ``display``) when something else is (``kind_problem``)."""
    problem = kind_problem(path, display, folder=folder)
    if problem is not None:
        raise UnsafeFile(problem)
    return os.path.lexists(path)


def check_tree(folder: Path, root: Path, *, limit: int = ASSET_LIMIT) -> None:
    """Every file under ``folder`` (a project's own ``theme/``, whose templates and assets are
    published) is a regular file of at most ``limit`` bytes, and no link in it leads out of ``root``;
    UnsafeFile naming the first that is not. Linked folders inside the project are looked into once."""
    seen: set[str] = set()
    stack = [Path(folder)]
    while stack:
        current = stack.pop()
        real = os.path.realpath(current)
        if real in seen:
            continue
        seen.add(real)
        try:
            entries = sorted(os.scandir(current), key=lambda e: e.name)
        except OSError as exc:
            raise UnsafeFile(Problem(folder_message(exc), file=shown_path(current, root))) from exc
        for entry in entries:
            path = Path(entry.path)
            shown = shown_path(path, root)
            if entry.is_symlink():
                check_inside(path, root, shown)
            try:
                info = os.stat(path)
            except OSError as exc:
                raise UnsafeFile(kind_problem(path, shown, folder=False) or Problem(open_message(exc), file=shown)) from exc
            if stat.S_ISDIR(info.st_mode):
                stack.append(path)
            elif not stat.S_ISREG(info.st_mode):
                raise UnsafeFile(_not_regular(info.st_mode, shown))
            elif info.st_size > limit:
                raise UnsafeFile(Problem(_too_large(info.st_size, limit), file=shown))


def is_regular(path: Path) -> bool:
    """True for a regular file (following links), without opening it."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return False


def _too_large(size: int, limit: int) -> str:
    return (f"文件有 {size / MiB:.0f} MB，超过了 {limit // MiB} MB 的上限，不像是公开表或文稿。"
            "请检查是否放错了文件。")
