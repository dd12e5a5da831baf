"""``disclosure init … --monitoring YYYY-MM-DD`` writes a blank monitoring workbook."""
from __future__ import annotations

import argparse
from datetime import date

from disclosure.errors import InputError
from disclosure.hooks import InitContext, PlannedFile, Scaffold
from disclosure.monitoring.template import write_monitoring_template


def parse_date(text: str) -> date:
    """YYYY-MM-DD → date; a Chinese message otherwise."""
    try:
        return date.fromisoformat(str(text).strip())
    except ValueError:
        raise InputError(f"日期“{text}”不可用：请写成 YYYY-MM-DD，如 2021-06-30。") from None


def _arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--monitoring", metavar="DATE", default=None,
                        help="同时生成截至该日期（YYYY-MM-DD）的空白预算执行进度监控表")


def _plan(ctx: InitContext) -> list[PlannedFile]:
    when = getattr(ctx.args, "monitoring", None)
    if not when:
        return []
    as_of = parse_date(when)

    path = ctx.root / "tables" / ctx.unit / "monitoring" / f"{as_of.isoformat()}.xlsx"
    return [PlannedFile(path, lambda p: write_monitoring_template(p, as_of, ctx.name), must_be_new=True)]


SCAFFOLD = Scaffold("monitoring", _plan, _arguments)
