"""``disclosure build`` through the batch map: the themed site's unit-year builder and portal,
parallel and incremental, one failing unit-year failing alone."""
from __future__ import annotations

import argparse
from pathlib import Path

BUILDER = "disclosure.site.kept:build_kept_unit_year"  # pages, search docs, a slim kept result
PORTAL = "disclosure.site:build_portal"
PORTAL_CHECK = "disclosure.site:check_portal_step"
OPTIONS = "disclosure.site:BuildOptions"


def run_site_build(args: argparse.Namespace) -> int:
    """Build the site with the options of ``disclosure build``; nonzero when a unit-year failed
    (1 for check errors or a bug, 2 for unreadable input)."""
    from disclosure.batch.progress import make_reporter
    from disclosure.batch.runner import BatchOptions, run_batch
    from disclosure.errors import ConfigError
    from disclosure.project import load_project
    from disclosure.batch.worker import Deferred

    if args.jobs is not None and args.jobs < 1:
        raise ConfigError("--jobs 必须是正整数。")
    project = load_project(args.project)
    from disclosure.batch.outdir import output_folder

    review = bool(getattr(args, "review", False))
    out = output_folder(project.root, args.out, review)
    only = None
    if getattr(args, "unit", None) is not None or getattr(args, "year", None) is not None:
        only = set(project.select(args.unit, args.year))
    # the site's modules are imported only by the processes that build or write the portal
    kit = not review and not getattr(args, "no_kit", False)  # the publication kit: public builds only
    options = Deferred(OPTIONS, (("public", not review), ("allow_errors", args.allow_errors), ("kit", kit)))
    batch = BatchOptions(
        jobs=args.jobs,
        force=args.force,
        scheduler=args.scheduler,
        builder=BUILDER,
        portal=PORTAL,
        portal_check=PORTAL_CHECK,
        options=options,
        options_key=f"public={not review};allow_errors={args.allow_errors}" + (";kit" if kit else ""),
        only=only,
        republish=frozenset(getattr(args, "republish", ()) or ()),
    )
    summary = run_batch(project, out, batch, make_reporter(verbose=args.verbose))
    from disclosure.batch.cli import say_texts_kept

    say_texts_kept(summary)
    if summary.total == 0:
        print("tables/ 下没有公开表，只生成了栏目首页。请先用 disclosure init <单位> <年度> 创建公开表。")
    if review:
        print(f"审核版在 {out}（含校验结果与内部核对信息，仅供审核，不得上传），打开 {out / 'index.html'} 即可浏览。")
    else:
        print(f"对外公开版在 {out}：上传这个文件夹；打开 {out / 'index.html'} 即可浏览。")
    return summary.exit_code
