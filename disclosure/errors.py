"""Errors a user sees: Chinese, naming file, sheet and cell, with what to do."""
from __future__ import annotations

import errno
import os
import re
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, located as precisely as we can."""

    message: str
    file: str | None = None
    sheet: str | None = None
    cell: str | None = None

    def __str__(self) -> str:
        where = ""
        if self.sheet and self.cell:
            where = f"{self.sheet}!{self.cell}"
        elif self.sheet:
            where = f"工作表“{self.sheet}”"
        prefix = "，".join(p for p in (self.file or "", where) if p)
        return f"{prefix}：{self.message}" if prefix else self.message


class DisclosureError(Exception):
    """Base of every error the command line turns into a message and an exit code."""

    exit_code = 2

    def __init__(self, problems: list[Problem] | Problem | str):
        if isinstance(problems, str):
            problems = [Problem(problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems: list[Problem] = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class InputError(DisclosureError):
    """The input cannot be read or is not what a 决算公开表 should be (exit code 2)."""


class ConfigError(DisclosureError):
    """The project configuration is wrong (exit code 2)."""


class CheckFailed(DisclosureError):
    """The tables contradict each other; publishing is refused (exit code 1)."""

    exit_code = 1


_TOML_KINDS = {
    "Invalid value": "值的写法不对（文字要加英文双引号，数字不加）",
    "Expected '=' after a key in a key/value pair": "键后面缺少等号“=”",
    "Cannot overwrite a value": "同一个键写了两次",
    "Cannot declare": "同一个表头写了两次",
    "Unclosed": "括号没有配对",
    "Unterminated string": "引号没有配对",
    "Illegal character": "有不允许的字符",
    "Invalid statement": "这一行不是“键 = 值”或 [表头] 的写法",
    "Invalid initial character for a key part": "键的写法不对（含中文或点号的键要加英文双引号）",
}


def describe_toml_error(exc: Exception) -> str:
    """A TOML reading error (tomllib's English, or a decoding error) said in Chinese, with where."""
    if isinstance(exc, UnicodeDecodeError):
        return "文件不是 UTF-8 编码：请用 UTF-8 编码另存后重试"
    text = str(exc)
    where = ""
    m = re.search(r"\(at line (\d+), column (\d+)\)", text)
    if m:
        where = f"第 {m.group(1)} 行第 {m.group(2)} 列附近"
    elif "(at end of document)" in text:
        where = "文件末尾"
    kind = next((zh for en, zh in _TOML_KINDS.items() if text.startswith(en)), "不符合 TOML 格式")
    return f"{where}{'：' if where else ''}{kind}，请修改后重试"


GROUP_SHOWN = 5  # cells named in a grouped message before “等”


def group_problems(problems: list[Problem]) -> list[Problem]:
    """The same message in many cells of one sheet said once, with the cells listed (the first
    few, then how many in all): a table with a thousand stray rows gives a few lines, not a thousand."""
    groups: dict[tuple, list[Problem]] = {}
    order: list[tuple] = []
    for p in problems:
        key = (p.message, p.file, p.sheet) if p.cell else (id(p),)
        if key not in groups:
            groups[key] = []
            order.append(key)
        groups[key].append(p)
    out = []
    for key in order:
        same = groups[key]
        if len(same) == 1:
            out.append(same[0])
            continue
        first = same[0]
        cells = "、".join(p.cell for p in same[:GROUP_SHOWN] if p.cell)
        more = f"等共 {len(same)} 处" if len(same) > GROUP_SHOWN else f"共 {len(same)} 处"
        out.append(Problem(f"{first.message}（{cells}{more}）", file=first.file, sheet=first.sheet, cell=None))
    return out


def system_message(exc: OSError, what: str = "") -> str:
    """An operating-system error (full disk, no permission) said in Chinese, with what to do."""
    where = f"（{what}）" if what else ""
    if exc.errno == errno.ENOSPC or exc.errno == getattr(errno, "EDQUOT", -1):
        return f"磁盘已满{where}，网站未能写完；已发布的页面保持不变。请清理磁盘空间后重新生成。"
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        name = f"“{exc.filename}”" if exc.filename else ""
        return f"没有写入权限{name}{where}。请检查文件夹的权限，或用 --out 换一个可以写入的文件夹。"
    return f"读写文件时出错{where}：{os_reason(exc)}。请检查磁盘和文件夹后重试。"


#: Why a system call failed, in Chinese, for the errors a user's files and folders can give. The
#: system's own text (``strerror``) is English whatever the locale, and is never shown.
_REASONS = {
    "ENOENT": "不存在，或链接指向的位置不存在",
    "ENOTDIR": "路径中有一段是文件，不是文件夹",
    "EISDIR": "是一个文件夹，不是文件",
    "ELOOP": "是一个循环的符号链接，链接最终又指回自己",
    "EACCES": "没有权限",
    "EPERM": "操作不被允许",
    "ENAMETOOLONG": "名称或路径过长",
    "EIO": "磁盘或网络驱动器读写出错",
    "ENXIO": "设备不存在或没有连接",
    "ENODEV": "设备不存在或没有连接",
    "EBUSY": "正被其他程序占用",
    "ETXTBSY": "正被其他程序占用",
    "EAGAIN": "暂时无法访问，可能被其他程序锁定",
    "EINTR": "读取被中断",
    "EMFILE": "同时打开的文件过多",
    "ENFILE": "同时打开的文件过多",
    "ENOMEM": "内存不足",
    "EFBIG": "文件过大",
    "EOVERFLOW": "文件过大",
    "EINVAL": "名称或参数不被系统接受",
    "EROFS": "所在的磁盘是只读的",
    "ENOSPC": "磁盘已满",
    "EDQUOT": "超出了磁盘配额",
    "ESTALE": "网络驱动器上的文件已失效，请重新连接驱动器",
    "ETIMEDOUT": "网络驱动器响应超时",
    "EHOSTDOWN": "网络驱动器所在的主机无法连接",
    "ENOTCONN": "网络驱动器没有连接",
    "ECONNABORTED": "网络驱动器的连接已断开",
    "EXDEV": "不能跨磁盘移动",
    "EILSEQ": "文件名含有系统不接受的字符",
}


def os_reason(exc: OSError) -> str:
    """Why an operating-system call failed, in Chinese (never the system's English text)."""
    name = errno.errorcode.get(exc.errno or 0, "")
    if name in _REASONS:
        return _REASONS[name]
    return f"系统错误，错误码 {exc.errno}" if exc.errno else "系统错误"


INPUT_NAMES = ("tables", "content", "theme", "disclosure.toml")  # what a project's user writes


def input_read_message(exc: OSError, root) -> str | None:
    """The message for an operating-system error met on one of the project's inputs (``tables/``,
    ``content/``, ``theme/``, ``disclosure.toml``): that file or folder could not be read, said so and
    named, not taken for a failure to write the site. None when the error is about another path."""
    if not exc.filename:
        return None
    try:
        rel = Path(os.path.abspath(exc.filename)).relative_to(Path(os.path.abspath(root)))
    except (ValueError, TypeError):
        return None
    if not rel.parts or rel.parts[0] not in INPUT_NAMES:
        return None
    return str(Problem(open_message(exc) + "已发布的页面保持不变。", file=rel.as_posix()))


def open_message(exc: OSError) -> str:
    """Why a file cannot be opened, said in Chinese."""
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "没有读取权限，无法读取。请检查文件的权限设置。"
    if exc.errno == errno.ENOENT:
        return "文件不存在（或链接指向的文件不存在）。请检查文件名。"
    if exc.errno == errno.EISDIR:
        return "是一个文件夹，不是文件。请检查文件名。"
    if exc.errno == errno.ELOOP:
        return "是一个循环的符号链接，无法读取。请换成普通文件。"
    if exc.errno == errno.ENOTDIR:
        return "无法读取：路径中有一段是文件，不是文件夹。请检查文件和文件夹的名称。"
    return f"无法读取（{os_reason(exc)}）。请检查文件是否存在、是否被其他程序占用。"


def folder_message(exc: OSError) -> str:
    """Why a folder of the project's inputs cannot be listed, said in Chinese."""
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "没有权限读取这个文件夹。请检查它的权限设置（需要可读、可进入），已发布的页面保持不变。"
    if exc.errno == errno.ELOOP:
        return "是一个循环的符号链接（链接最终又指回自己），无法读取这个文件夹。请换成文件夹本身，已发布的页面保持不变。"
    return f"无法读取这个文件夹（{os_reason(exc)}）。请检查它是否存在、是否可以打开，已发布的页面保持不变。"
