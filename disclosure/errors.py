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
