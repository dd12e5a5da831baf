"""``disclosure init`` writes the blank 绩效 input file of the unit-year (kept when it exists)."""
from __future__ import annotations

from disclosure.hooks import InitContext, PlannedFile, Scaffold
from disclosure.performance.inputs import FILE_NAME
from disclosure.performance.template import write_performance_template


def _plan(ctx: InitContext) -> list[PlannedFile]:
    path = ctx.root / "content" / ctx.unit / str(ctx.year) / FILE_NAME
    return [PlannedFile(path, lambda p: write_performance_template(p, ctx.year), must_be_new=False)]


SCAFFOLD = Scaffold("performance", _plan)
