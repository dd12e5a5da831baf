"""One unit-year's `Accounts`: its tables, its display name, and the prior year's when present.

load reads tables only: the unit's name as its texts state it (``content/<unit>/unit.toml``) is
handed in by the caller (``stated_names``, by year), which reads the texts once
(`disclosure.pipeline`); the 编制单位 of every table is compared with it here.
"""
from __future__ import annotations

from collections import OrderedDict
from collections.abc import Mapping
from pathlib import Path

from disclosure.errors import ConfigError, InputError, Problem
from disclosure.load.reader import SPREADSHEET_SUFFIXES, LoadedTables, read_tables
from disclosure.model import Accounts
from disclosure.project import Project
from disclosure.safe_files import WORKBOOK_LIMIT, UnsafeFile, file_hash
from disclosure.standard import TableSet, load_table_set, normalize_label

# Tables read in this process, by source and the bytes of every file in it: a unit-year's prior year
# is the next unit-year's own year (and the other way round), so a worker that builds both reads the
# workbook once. The tables are never changed after loading, so sharing them is safe. The key holds
# the table set itself (frozen and hashable: two sets equal field for field read a workbook alike).
_READ_CACHE: OrderedDict[tuple, LoadedTables] = OrderedDict()
_READ_CACHE_SIZE = 8


def _fingerprint(source: Path) -> tuple | None:
    """What identifies the source: each file's path and a hash of its bytes (workbooks are small;
    a stat alone could miss a rewrite of the same size within the file system's clock tick)."""
    try:
        paths = sorted(
            p for p in source.iterdir() if p.is_file() and p.suffix.lower() in SPREADSHEET_SUFFIXES
        ) if source.is_dir() else [source]
        return tuple((str(p), file_hash(p, limit=WORKBOOK_LIMIT).digest()) for p in paths)
    except (OSError, UnsafeFile):  # read_book says what is wrong with the file
        return None


def cached_read_tables(source: Path, table_set: TableSet, *, display_path: str, year: int) -> LoadedTables:
    """`read_tables`, remembered per process while the source's files are unchanged (errors are not kept)."""
    stamp = _fingerprint(Path(source))
    key = (str(source), stamp, table_set, display_path, year)
    if stamp is not None and key in _READ_CACHE:
        _READ_CACHE.move_to_end(key)
        return _READ_CACHE[key]
    loaded = read_tables(source, table_set, display_path=display_path, year=year)
    if stamp is not None:
        _READ_CACHE[key] = loaded
        while len(_READ_CACHE) > _READ_CACHE_SIZE:
            _READ_CACHE.popitem(last=False)
    return loaded


def locate(project: Project, unit: str, year: int) -> tuple[Path, TableSet]:
    """A unit-year's tables and the table set they are read with: InputError when there are none,
    ConfigError when the project names an unknown set. Both are said before anything is read."""
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
        table_set = load_table_set(project.table_set_for(year))
    except ValueError as exc:
        raise ConfigError(Problem(str(exc), file="disclosure.toml")) from exc
    return source, table_set


def load_accounts(project: Project, unit: str, year: int, *, with_prior: bool = True,
                  stated_names: Mapping[int, str] | None = None) -> Accounts:
    """Load ``tables/<unit>/<year>…`` with the project's table set; attach the prior year if it exists.

    ``stated_names`` gives, by year, the unit's name its texts state: every 编制单位 is compared with
    it, and it is the accounts' name (else the workbook's, else the unit's folder name).
    Raises InputError listing every problem found (in this year's and the prior year's tables).
    """
    source, table_set = locate(project, unit, year)
    problems: list[Problem] = []
    content_name = (stated_names or {}).get(year, "")
    loaded = None
    try:
        loaded = cached_read_tables(source, table_set, display_path=project.relative(source), year=year)
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
            prior = load_accounts(project, unit, year - 1, with_prior=False, stated_names=stated_names)
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
        warnings=loaded.warnings,
        prior=prior,
    )
