"""``disclosure init <unit> <year> [PROJECT]``: a blank workbook and a content skeleton for a unit-year.

What init writes is a list of scaffolds (``scaffolds()``: the core ones and each feature's, from
``disclosure/features.py``). Each scaffold may add its own options and plans the files it wants; init
checks every planned file before writing any, so a refusal leaves nothing behind.
"""
from __future__ import annotations

import argparse
import tomllib
from dataclasses import replace
from pathlib import Path
from typing import Callable

from disclosure.commands.blank_texts import blank_texts, blank_unit_toml, toml_string
from disclosure.commands.new_year import copied_texts
from disclosure.content import PLACEHOLDER, load_content, year_folders
from disclosure.errors import ConfigError, InputError, Problem
from disclosure.features import feature_scaffolds
from disclosure.hooks import InitContext, PlannedFile, Scaffold
from disclosure.project import CONFIG_NAME, UNIT_SLUG, YEAR, load_project
from disclosure.standard import DEFAULT_TABLE_SET, TableSet, load_table_set
from disclosure.wording.style import style_for

CONFIG_TEXT = """\
# disclosure 项目设置（由 disclosure init 生成，可按需修改）
[project]
table_set = "{table_set}"   # 公开表套表：neimenggu-11、national-9、yunnan-11 …

[site]
name = "部门决算公开专栏"   # 网站名称，显示在每页页眉
"""

def _text(content: str) -> Callable[[Path], None]:
    def write(path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")

    return write


def _plan_config(ctx: InitContext) -> list[PlannedFile]:
    return [PlannedFile(ctx.root / CONFIG_NAME, _text(CONFIG_TEXT.format(table_set=ctx.table_set.id)), False)]


def _plan_workbook(ctx: InitContext) -> list[PlannedFile]:
    from disclosure.blank_workbook import write_blank_workbook

    def write(path: Path) -> None:
        write_blank_workbook(path, ctx.table_set, unit_name=ctx.name, year=ctx.year)

    return [PlannedFile(ctx.root / "tables" / ctx.unit / f"{ctx.year}.xlsx", write, True)]


def _plan_content(ctx: InitContext) -> list[PlannedFile]:
    """The year's own texts in content/<unit>/<year>/: copied from the latest earlier year (with
    请核对 marks on what changes from year to year), else blank guidance texts. A text the unit
    already has as its default (content/<unit>/<file>) is left to that default when no earlier
    year exists to copy from."""
    unit_dir = ctx.root / "content" / ctx.unit
    folder = unit_dir / str(ctx.year)
    if ctx.previous is not None:
        return [PlannedFile(folder / name, _text(text), False) for name, text in copied_texts(ctx)]
    blanks = {"unit.toml": blank_unit_toml(ctx.name), **blank_texts()}
    return [
        PlannedFile(unit_dir / fname if (unit_dir / fname).is_file() else folder / fname, _text(text), False)
        for fname, text in blanks.items()
    ]


#: What every ``init`` writes; the features' scaffolds (绩效 input file, --monitoring DATE) follow.
CORE_SCAFFOLDS: tuple[Scaffold, ...] = (
    Scaffold("config", _plan_config),
    Scaffold("workbook", _plan_workbook),
    Scaffold("content", _plan_content),
)


def scaffolds() -> tuple[Scaffold, ...]:
    """The scaffolds of one ``init`` run: the core ones, then each feature's (listed in features.py)."""
    return (*CORE_SCAFFOLDS, *feature_scaffolds())


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("unit", help="单位代号：小写英文字母、数字、-、_，用于网址，如 bayannur-jiaoguan")
    parser.add_argument("year", help="决算年度，如 2021")
    parser.add_argument("project", nargs="?", default=".", help="项目文件夹（默认当前文件夹）")
    parser.add_argument("--name", default=None, help="单位全称，写入工作簿“编制单位”和 content/<单位>/unit.toml")
    parser.add_argument("--table-set", default=None, help=f"公开表套表（默认取项目设置，否则 {DEFAULT_TABLE_SET}）")
    for scaffold in scaffolds():
        if scaffold.add_arguments:
            scaffold.add_arguments(parser)


def validate_unit(unit: str) -> str:
    if not UNIT_SLUG.match(unit):
        raise InputError(
            f"单位代号“{unit}”不可用：只能用小写英文字母、数字、-、_，且以字母或数字开头（如 bayannur-jiaoguan）。"
        )
    return unit


def validate_year(year: str) -> int:
    if not YEAR.match(str(year).strip()):
        raise InputError(f"年度“{year}”不可用：请写四位数字年份，如 2021。")
    return int(year)


def previous_year(root: Path, unit: str, year: int) -> int | None:
    """The latest year before ``year`` that the unit has tables or a content folder for."""
    project = load_project(root) if root.is_dir() else None
    if project is None:
        return None
    earlier = [y for y in {*project.years(unit), *year_folders(project, unit)} if y < year]
    return max(earlier, default=None)


def _unit_name(root: Path, unit: str, year: int, previous: int | None, given: str | None) -> str:
    """The name for the workbook: ``--name``, else the one the year's texts give (its own unit.toml,
    else the one it starts from). A ``--name`` that contradicts it is refused (the loader would
    reject the workbook later)."""
    known, where = "", f"content/{unit}/{year}/unit.toml"
    if root.is_dir():
        project = load_project(root)
        for y in (year, previous):
            if y is None:
                continue
            try:
                content = load_content(project, unit, y)
            except InputError:
                continue
            if content.name:
                known, where = content.name, project.relative(content.settings_sources[-1].path)
                break
    if given is None:
        return known
    given = given.strip()
    if known and given != known:
        raise InputError(
            Problem(
                f"这里的单位名称是“{known}”，与 --name “{given}”不同。"
                "请改成同一个名称（或去掉 --name）后再运行。",
                file=where,
            )
        )
    return given


def make_context(args: argparse.Namespace) -> InitContext:
    """Validate the arguments and gather what the scaffolds need."""
    unit = validate_unit(args.unit)
    year = validate_year(args.year)
    root = Path(args.project)
    if root.exists() and not root.is_dir():
        raise ConfigError(f"“{root}”不是文件夹，请给出项目文件夹。")
    set_name = args.table_set or (load_project(root).table_set_for(year) if root.is_dir() else DEFAULT_TABLE_SET)
    try:
        table_set = load_table_set(set_name)
    except ValueError as exc:
        raise ConfigError(str(exc)) from exc
    previous = previous_year(root, unit, year)
    name = _unit_name(root, unit, year, previous, args.name)
    return InitContext(root, unit, year, name, table_set, args, previous)


def _toml_value(value: object) -> str:
    """A switch's value as TOML: true / false, "text", ["a", "b"]."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return f'"{toml_string(str(value))}"'


def pin_year(ctx: InitContext) -> str | None:
    """Add ``[years.<year>]`` with the year's table set and report style to disclosure.toml, so that
    the year keeps the rules it was written with when the project's defaults change later. A year
    that already has its section is left as it is. Returns the section written, or None."""
    config = ctx.root / CONFIG_NAME
    text = config.read_text(encoding="utf-8") if config.is_file() else ""
    try:
        years = tomllib.loads(text).get("years", {})
    except tomllib.TOMLDecodeError:
        return None  # load_project has said so already
    if not isinstance(years, dict) or str(ctx.year) in years:
        return None
    project = load_project(ctx.root)
    set_name = ctx.args.table_set or project.table_set_for(ctx.year)
    sets = {**project.year_table_sets, ctx.year: set_name}
    style = style_for(replace(project, year_table_sets=sets), ctx.year).name
    section = (f"[years.{ctx.year}]   # {ctx.year} 年度固定用的套表和报告写法（由 disclosure init 写入），项目默认改了也不变\n"
               f'table_set = "{toml_string(set_name)}"\nstyle = "{toml_string(style)}"\n')
    if project.switches:  # the project's switches are kept with the style
        section += f"switches = {{ {', '.join(f'{k} = {_toml_value(v)}' for k, v in project.switches.items())} }}\n"
    joined = text + ("" if not text or text.endswith("\n\n") else "\n" if text.endswith("\n") else "\n\n") + section
    tomllib.loads(joined)  # the section parses as written
    config.write_text(joined, encoding="utf-8")
    return section


def run(args: argparse.Namespace) -> int:
    ctx = make_context(args)
    ctx.root.mkdir(parents=True, exist_ok=True)
    project = load_project(ctx.root)
    planned = [f for s in scaffolds() for f in s.plan(ctx)]
    existing = project.source(ctx.unit, ctx.year)
    conflicts = [f.path for f in planned if f.must_be_new and f.path.exists()]
    if existing is not None and existing not in conflicts and any(
        f.must_be_new and f.path.parent == existing.parent for f in planned
    ):
        conflicts.append(existing)
    if conflicts:
        raise InputError(
            [
                Problem("文件已存在，init 不会覆盖它。若要重新生成，请先移走或删除该文件。", file=project.relative(p))
                for p in conflicts
            ]
        )
    written, kept = [], []
    for f in planned:
        if f.path.exists():
            kept.append(f.path)
            continue
        f.write(f.path)
        written.append(f.path)
    for p in written:
        print(f"已创建：{project.relative(p)}")
    for p in kept:
        print(f"已存在，未改动：{project.relative(p)}")
    if pin_year(ctx):
        print(f"已在 {CONFIG_NAME} 中写入 [years.{ctx.year}]：本年度固定用现在的套表和报告写法，以后改动项目默认设置也不影响它。")
    folder = f"content/{ctx.unit}/{ctx.year}/"
    if ctx.previous is not None:
        print(
            f"本年度的文稿复制自 {ctx.previous} 年度，写在 {folder}，之前各年度的文件未改动。"
            f"标有“请核对”的行（人数、日期、年份、联系方式等）请改成 {ctx.year} 年度的实际情况后删去该行；"
            "disclosure check 会列出还没删去的标记。"
        )
    print(
        f"下一步：用 Excel 或 WPS 打开 tables/{ctx.unit}/{ctx.year}.xlsx 填写各表，"
        f"并把 {folder} 中带“{PLACEHOLDER}”的地方换成本单位的内容；然后运行 disclosure build。"
    )
    return 0
