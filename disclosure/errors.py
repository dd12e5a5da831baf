"""Errors a user sees: Chinese, naming file, sheet and cell, with what to do."""
from __future__ import annotations

from dataclasses import dataclass


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
    import re

    text = str(exc)
    where = ""
    m = re.search(r"\(at line (\d+), column (\d+)\)", text)
    if m:
        where = f"第 {m.group(1)} 行第 {m.group(2)} 列附近"
    elif "(at end of document)" in text:
        where = "文件末尾"
    kind = next((zh for en, zh in _TOML_KINDS.items() if text.startswith(en)), "不符合 TOML 格式")
    return f"{where}{'：' if where else ''}{kind}，请修改后重试"
