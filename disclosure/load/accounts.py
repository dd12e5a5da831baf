"""One unit-year's `Accounts`: its tables, its display name, and the prior year's when present."""
from __future__ import annotations

from disclosure.content import load_content
from disclosure.errors import InputError, Problem
from disclosure.load.reader import read_tables
from disclosure.model import Accounts
from disclosure.project import Project
from disclosure.standard import load_table_set, normalize_label


def load_accounts(project: Project, unit: str, year: int, *, with_prior: bool = True) -> Accounts:
    """Load ``tables/<unit>/<year>…`` with the project's table set; attach the prior year if it exists.

    Raises InputError listing every problem found (in this year's and the prior year's tables).
    """
    source = project.source(unit, year)
    if source is None:
        raise InputError(
            Problem(
                f"找不到{year}年的公开表。请把工作簿放在 tables/{unit}/{year}.xlsx（或 .xls/.ods），"
                f"或把各表放在文件夹 tables/{unit}/{year}/ 中。",
                file=f"tables/{unit}",
            )
        )
    try:
        table_set = load_table_set(project.table_set)
    except ValueError as exc:
        from disclosure.errors import ConfigError

        raise ConfigError(Problem(str(exc), file="disclosure.toml")) from exc
    problems: list[Problem] = []
    content_name = load_content(project, unit, year).name
    loaded = None
    try:
        loaded = read_tables(source, table_set, display_path=project.relative(source), year=year)
    except InputError as exc:
        problems += exc.problems
    if loaded is not None and content_name:
        wanted = normalize_label(content_name)
        for stated, ref in loaded.unit_cells:
            if normalize_label(stated) != wanted:
                problems.append(
                    Problem(
                        f"编制单位写的是“{stated}”，与 content/{unit}/unit.toml 中的单位名称“{content_name}”不一致。"
                        "请确认文件放对了单位的文件夹，或改正其中一处。",
                        file=ref.file,
                        sheet=ref.sheet,
                        cell=ref.cell,
                    )
                )
                break
    prior = None
    if with_prior and project.source(unit, year - 1) is not None:
        try:
            prior = load_accounts(project, unit, year - 1, with_prior=False)
        except InputError as exc:
            problems += exc.problems
    if problems:
        raise InputError(problems)
    assert loaded is not None
    return Accounts(
        unit=unit,
        year=year,
        unit_name=content_name or loaded.unit_name or unit,
        table_set=table_set.id,
        tables=loaded.tables,
        files=loaded.files,
        notices=loaded.notices,
        prior=prior,
    )
