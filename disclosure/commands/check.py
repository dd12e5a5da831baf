"""``disclosure check [PROJECT] [--unit U] [--year Y] [--format text|json]``: check every unit-year.

Exit 0 when no unit-year has an error, 1 when one has, 2 when a unit-year's input cannot be read.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from disclosure.errors import InputError, Problem
from disclosure.project import Project, load_project


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("project", nargs="?", default=".", help="项目文件夹（默认：当前文件夹）")
    parser.add_argument("--unit", help="只检查这个单位（tables/ 下的文件夹名）")
    parser.add_argument("--year", type=int, help="只检查这一年度")
    parser.add_argument("--format", choices=("text", "json"), default="text", help="输出格式（默认 text）")
    parser.add_argument("--out", default=None,
                        help="已发布网站的文件夹（默认：项目下的 site/），用来列出哪些已发布的年度保留着改动前的共用文稿")


def targets(project: Project, unit: str | None, year: int | None) -> list[tuple[str, int]]:
    """The unit-years to check (``Project.select``); InputError when the project has no tables at all
    (folders that cannot be units are checked on their own, each failing alone)."""
    pairs = project.select(unit, year)
    if not pairs and not project.unit_folders()[1]:
        raise InputError(Problem("项目中还没有公开表：请把工作簿放在 tables/<单位>/<年度>.xlsx，或先运行 disclosure init。",
                                 file="tables"))
    return pairs


def inventory_notices(project: Project, units: list[str], whole: bool) -> list[str]:
    """What ``check`` does not read and why, as ``build`` says it: a file used in place of another
    of the same year, hidden unit folders, misnamed workbooks and texts (``disclosure.inventory``).
    ``whole``: the project's own level (tables/, content/) too, not only the units checked."""
    from disclosure.inventory import content_notices, table_notices, year_notices

    notices = table_notices(project) + content_notices(project) if whole else []
    for unit in units:
        notices += year_notices(project, unit) + content_notices(project, unit)
    return notices


def run(args: argparse.Namespace) -> int:
    from disclosure.check.formats import to_json, write_plain, write_rich
    from disclosure.check.record import folder_result
    from disclosure.pipeline import check_unit_year

    project = load_project(args.project)
    pairs = targets(project, args.unit, args.year)
    results = [check_unit_year(project, unit, year) for unit, year in pairs]
    if args.unit is None:  # a folder that cannot be a unit fails alone; the other units are checked
        results = [folder_result(project, name) for name in project.unit_folders()[1]] + results
    site = Path(args.out) if args.out else project.root / "site"
    read = {(r.unit, r.year): r.content for r in results if r.content is not None}  # texts read once
    notices = [f"提示：{n}" for n in inventory_notices(project, sorted({u for u, _ in pairs}), args.unit is None)]
    if args.format == "text":  # first which file each year's texts come from; the findings end the output
        from disclosure.commands.text_sources import sources_report

        for line in sources_report(project, pairs, site, read) + notices:
            print(line)
    if args.format == "json":  # the same, as each unit-year's "texts"
        from disclosure.commands.text_sources import texts_json, year_texts

        texts = {key: texts_json(entry) for key, entry in year_texts(project, pairs, site, read).items()}
        sys.stdout.write(to_json(results, project=str(args.project), texts=texts))
    elif sys.stdout.isatty():
        write_rich(results, sys.stdout)
    else:
        write_plain(results, sys.stdout)
    if args.format == "json":  # the text report already says each problem once, under 无法读取
        for line in notices:  # what was not read, as in the text report (stdout stays the JSON document)
            print(line, file=sys.stderr)
        for result in results:
            for problem in result.problems:
                print(f"错误：{problem}", file=sys.stderr)
    if any(not r.readable for r in results):
        return 2
    return 1 if any(r.errors for r in results) else 0
