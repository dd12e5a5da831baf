"""The check command's record of one unit-year (``UnitYearCheck``): its findings, or the problems that
kept it from being read. ``disclosure.pipeline.check_unit_year`` fills it; configuration errors raise.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from disclosure.check.finding import Finding, count_by_severity, errors_of
from disclosure.content import UnitContent
from disclosure.errors import Problem
from disclosure.model import Accounts
from disclosure.project import Project
from disclosure.standard import load_table_set


@dataclass
class UnitYearCheck:
    """The outcome of checking one unit-year."""

    unit: str
    year: int
    unit_name: str = ""
    table_set: str = ""
    findings: list[Finding] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # input that could not be read
    table_titles: dict[str, str] = field(default_factory=dict)  # key → 公开01表 收入支出决算总表
    folder: str = ""  # set for a tables/ folder that cannot be a unit at all (year is then 0)
    content: UnitContent | None = field(default=None, repr=False, compare=False)  # its texts, as read

    @property
    def readable(self) -> bool:
        return not self.problems

    @property
    def errors(self) -> list[Finding]:
        return errors_of(self.findings)

    def counts(self) -> dict[str, int]:
        return count_by_severity(self.findings)

    def to_dict(self) -> dict:
        return {
            "unit": self.unit,
            "year": self.year,
            "unit_name": self.unit_name,
            "table_set": self.table_set,
            "readable": self.readable,
            "folder": self.folder,
            "summary": self.counts(),
            "findings": [f.to_dict() for f in self.findings],
            "problems": [
                {"message": p.message, "file": p.file, "sheet": p.sheet, "cell": p.cell, "text": str(p)}
                for p in self.problems
            ],
        }


def merged_problems(problems: list[Problem]) -> list[Problem]:
    """The same message about the same file on several sheets (a workbook renamed to another
    year: every sheet's title says so) said once, naming every sheet's cell."""
    groups: dict[tuple[str | None, str], list[Problem]] = {}
    for p in problems:
        groups.setdefault((p.file, p.message), []).append(p)
    merged = []
    for (file, message), same in groups.items():
        if len(same) == 1:
            merged.append(same[0])
            continue
        places = [f"{p.sheet}!{p.cell}" if p.cell else f"工作表“{p.sheet}”" for p in same if p.sheet]
        shown = "、".join(places[:3]) + (f" 等 {len(places)} 张工作表" if len(places) > 3 else "")
        merged.append(Problem(f"{shown}：{message}" if places else message, file=file))
    return merged


def folder_result(project: Project, name: str) -> UnitYearCheck:
    """A folder under tables/ whose name cannot be a unit: that folder alone fails."""
    return UnitYearCheck(name, 0, folder=f"tables/{name}", problems=[project.bad_unit_problem(name)])


def _titles(table_set: str) -> dict[str, str]:
    try:
        tables = load_table_set(table_set)
    except ValueError:
        return {}
    return {t.key: f"{t.marker} {t.title}" if t.marker else t.title for t in tables}


def unreadable(project: Project, unit: str, year: int, problems: list[Problem]) -> UnitYearCheck:
    """A unit-year whose input could not be read: its problems, each said once."""
    table_set = project.table_set_for(year)
    return UnitYearCheck(unit, year, table_set=table_set, table_titles=_titles(table_set),
                          problems=merged_problems(problems))


def checked(project: Project, accounts: Accounts, unit_name: str, findings: list[Finding],
            content: UnitContent | None = None) -> UnitYearCheck:
    """A unit-year read and checked (``disclosure.pipeline.check_unit_year``)."""
    table_set = accounts.table_set or project.table_set_for(accounts.year)
    return UnitYearCheck(accounts.unit, accounts.year, unit_name=unit_name, table_set=table_set,
                          table_titles=_titles(table_set), findings=findings, content=content)
