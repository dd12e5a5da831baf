"""``disclosure monitor FILE [--as-of DATE] [--target PCT] [--by-days] [--format json|text]``:
every line's 执行进度 against 序时进度. Exit 0, or 1 when the workbook's sums do not add up
(the figures are still printed), or 2 when it cannot be read."""
from __future__ import annotations

import argparse
import sys
from decimal import Decimal, InvalidOperation
from pathlib import Path

from disclosure.errors import InputError
from disclosure.project import CONFIG_NAME, Project, load_project


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", help="监控表，如 tables/<单位>/monitoring/2021-06-30.xlsx")
    parser.add_argument("--as-of", default=None, metavar="DATE", help="截至日期 YYYY-MM-DD（默认取文件名中的日期）")
    parser.add_argument("--target", default=None, metavar="PCT",
                        help="财政部门确定的序时进度（百分数，如 58.31），优先于项目设置和按月计算的进度")
    parser.add_argument("--by-days", action="store_true", help="序时进度按天数计算（默认按月份：6月末为50%%）")
    parser.add_argument("--format", choices=("json", "text"), default="text", help="输出格式（默认 text）")
    parser.add_argument("--project", default=None, help="项目文件夹（默认：从监控表所在位置向上查找 disclosure.toml）")


def _target(text: str | None) -> Decimal | None:
    if text is None:
        return None
    try:
        value = Decimal(text.strip().rstrip("%％"))
    except InvalidOperation:
        raise InputError(f"--target “{text}”不是百分数。请写成如 58.31 的数字。") from None
    if not value.is_finite() or not 0 <= value <= 100:
        raise InputError(f"--target “{text}”应在 0 到 100 之间。")
    return value


def find_project(file: Path, given: str | None) -> Project | None:
    """The project the workbook belongs to: --project, else the nearest folder above with disclosure.toml."""
    if given is not None:
        return load_project(given)
    for folder in file.resolve().parents:
        if (folder / CONFIG_NAME).is_file():
            return load_project(folder)
    return None


def _unit_of(project: Project, file: Path) -> str | None:
    """tables/<unit>/monitoring/<date>.xlsx → <unit>."""
    try:
        parts = file.resolve().relative_to(project.tables_dir.resolve()).parts
    except ValueError:
        return None
    return parts[0] if len(parts) >= 3 and parts[1] == "monitoring" else None


def run(args: argparse.Namespace) -> int:
    from disclosure.monitoring import evaluate_monitoring, load_monitoring_notes, read_monitoring
    from disclosure.monitoring.formats import monitoring_json, monitoring_text
    from disclosure.monitoring.scaffold import parse_date

    file = Path(args.file)
    target = _target(args.target)
    as_of = parse_date(args.as_of) if args.as_of else None
    project = find_project(file, args.project)
    display = project.relative(file) if project is not None else str(file)
    sheet = read_monitoring(file, display)
    if target is None and project is not None:
        target = project.monitoring_target
    notes: dict = {}
    when = as_of or sheet.as_of
    unit = _unit_of(project, file) if project is not None else None
    if project is not None and unit is not None and when is not None:
        notes = load_monitoring_notes(project, unit, when)
    places = project.percent_places if project is not None else 2
    report = evaluate_monitoring(sheet, as_of, target, args.by_days, notes, places)
    sys.stdout.write(monitoring_json(report) if args.format == "json" else monitoring_text(report))
    return 1 if any(f.severity == "error" for f in report.findings) else 0
