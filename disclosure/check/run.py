"""Check whole unit-years of a project: load, derive (for the reason warnings), check.

``check_unit_year`` never raises for bad input: an unreadable unit-year comes back with its
``problems`` (what ``load_accounts`` reported) and no findings. Configuration errors still raise.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from disclosure.check import check_accounts
from disclosure.check.finding import Finding, count_by_severity, errors_of
from disclosure.errors import ConfigError, InputError, Problem
from disclosure.project import Project


@dataclass
class UnitYearResult:
    """The outcome of checking one unit-year."""

    unit: str
    year: int
    unit_name: str = ""
    table_set: str = ""
    findings: list[Finding] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # input that could not be read
    table_titles: dict[str, str] = field(default_factory=dict)  # key → 公开01表 收入支出决算总表
    folder: str = ""  # set for a tables/ folder that cannot be a unit at all (year is then 0)

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


def folder_result(project: Project, name: str) -> UnitYearResult:
    """A folder under tables/ whose name cannot be a unit: that folder alone fails."""
    return UnitYearResult(name, 0, folder=f"tables/{name}", problems=[project.bad_unit_problem(name)])


def _titles(table_set: str) -> dict[str, str]:
    from disclosure.standard import load_table_set

    try:
        tables = load_table_set(table_set)
    except ValueError:
        return {}
    return {t.key: f"{t.marker} {t.title}" if t.marker else t.title for t in tables}


def check_unit_year(project: Project, unit: str, year: int) -> UnitYearResult:
    """Load one unit-year with its prior year and content, derive its facts, check everything."""
    from disclosure.content import load_content
    from disclosure.load import load_accounts

    result = UnitYearResult(unit, year, table_set=project.table_set_for(year), table_titles=_titles(project.table_set_for(year)))
    try:
        accounts = load_accounts(project, unit, year)
        content = load_content(project, unit, year)
    except ConfigError:
        raise
    except InputError as exc:
        result.problems = merged_problems(list(exc.problems))
        return result
    result.unit_name = content.name or accounts.unit_name
    result.table_set = accounts.table_set or project.table_set_for(year)
    result.table_titles = _titles(result.table_set)
    facts, trouble = _facts(accounts, project)
    result.findings = check_accounts(accounts, project, content=content, facts=facts)
    if trouble:
        result.findings.insert(0, trouble)
    return result


def _facts(accounts, project):
    """The derive stage's facts, or a warning when they cannot be computed (reasons unchecked)."""
    try:
        from disclosure.derive import derive

        return derive(accounts, project), None
    except Exception as exc:  # noqa: BLE001 - any failure here only disables the reason warnings
        message = f"无法计算报告中的数字（{type(exc).__name__}: {exc}），未检查变动原因是否齐全"
        return None, Finding("warning", "reason.unchecked", message, (), None, "变动原因检查需要报告数字")
