"""``disclosure build [PROJECT] [--out DIR]``: check every unit-year and publish the site.

A unit-year with check errors is refused (exit 1, its findings listed) unless ``--allow-errors``,
which publishes it as a draft with a banner on every page. Unit-years are built in parallel and only
when their inputs changed (``disclosure.batch``); one that fails keeps its previously published
pages, the others are published, and the build exits 1. The output folder is checked first
(``disclosure.batch.outdir``): never over the project's inputs, a file, or a folder of other files.

This is the one entry of a batch build: it hands the batch map the site's steps as functions
(``build_pages``, ``write_portal``, ``check_portal``). They import the site when first called,
not when this module is imported: the site's modules cost about 0.22 s CPU to import (measured on
2026-12-07 against 0.12 s for a whole no-change rebuild of the example), and a rebuild with nothing
to do never calls them.
"""
from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from disclosure.batch.outdir import output_folder
from disclosure.batch.pins import kept_message
from disclosure.batch.progress import make_reporter
from disclosure.batch.runner import BatchOptions, run_batch
from disclosure.errors import ConfigError
from disclosure.project import Project, load_project


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("project", nargs="?", default=".", help="项目文件夹（默认：当前文件夹）")
    parser.add_argument("--out", default=None, help="输出文件夹（默认：项目下的 site/；加 --review 时为 site-review/）")
    parser.add_argument("--review", action="store_true",
                        help="审核版：另含校验结果页、绩效核对和数据来源，写入 site-review/，不得上传")
    parser.add_argument("--public", action="store_true", help="对外公开版（默认即是，保留此选项以兼容旧脚本）")
    parser.add_argument("--allow-errors", action="store_true",
                        help="有校验错误时仍生成，每页标注“未通过校验（草稿）”")
    parser.add_argument("--no-kit", action="store_true",
                        help="不生成发布材料包（每个单位年度的 kit/report.pdf 等，需用 Chromium 打印，较慢）")
    parser.add_argument("--unit", default=None, help="只生成这个单位（tables/ 下的文件夹名）")
    parser.add_argument("--year", type=int, default=None, help="只生成这个年度")
    parser.add_argument("-j", "--jobs", type=int, default=None, metavar="N", help="并行进程数（默认：CPU 核数）")
    parser.add_argument("--force", action="store_true", help="全部重新生成，不论输入是否改动")
    parser.add_argument("--scheduler", metavar="ADDRESS", default=None, help="在 Dask 分布式集群上生成（调度器地址，如 tcp://10.0.0.5:8786）；各节点须能访问同一项目文件夹和输出文件夹")
    parser.add_argument("--verbose", action="store_true", help="失败时显示内部错误的详细信息")
    parser.add_argument("--republish", type=int, action="append", default=[], metavar="YEAR",
                        help="按现在的共用文稿重新发布这一已发布的年度（可写多次）；不写时已发布的往年报告保持原样")


@dataclass(frozen=True)
class SiteOptions:
    """What of the command's options the pages depend on: small and picklable (sent to every
    worker), made into the site's ``BuildOptions`` only where pages are built."""

    public: bool
    allow_errors: bool
    kit: bool  # the publication kit: public builds only

    @property
    def key(self) -> str:
        """What of the options changes the pages (part of every unit-year's input digest)."""
        return f"public={self.public};allow_errors={self.allow_errors}" + (";kit" if self.kit else "")

    def site(self) -> Any:
        """The site's ``BuildOptions``."""
        from disclosure.site import BuildOptions  # the site's modules: see the module's docstring

        return BuildOptions(public=self.public, allow_errors=self.allow_errors, kit=self.kit)


def load_site() -> None:
    """Import the site's modules (the batch calls this once per process before the first unit-year,
    in the driver before a pool forks, so that forked workers share them)."""
    from disclosure.site import kept  # noqa: F401  the site's modules: see the module's docstring


def build_pages(project: Project, unit: str, year: int, out_dir: Path, options: SiteOptions) -> Any:
    """The batch's builder: one unit-year's pages and the slim result the portal keeps of them."""
    from disclosure.site.kept import build_kept_unit_year  # the site's modules: see the module's docstring

    return build_kept_unit_year(project, unit, year, out_dir, options.site())


def write_portal(project: Project, out_dir: Path, results: Any, options: SiteOptions) -> None:
    """The batch's portal step: theme assets, portal and search pages over every published unit-year."""
    from disclosure.site import build_portal  # the site's modules: see the module's docstring

    build_portal(project, out_dir, results, options.site())


def check_portal(project: Project, out_dir: Path, results: Any, options: SiteOptions) -> None:
    """Before any unit-year is built: raises when the public portal step would be refused."""
    from disclosure.site import check_portal_step  # the site's modules: see the module's docstring

    check_portal_step(project, out_dir, results, options.site())


def run(args: argparse.Namespace) -> int:
    """Build the site; nonzero when a unit-year failed (1 for check errors or a bug, 2 for unreadable
    input)."""
    if args.review and args.public:
        raise ConfigError("--review 与 --public 不能同时使用：审核版写入 site-review/，对外公开版写入 site/。")
    if args.jobs is not None and args.jobs < 1:
        raise ConfigError("--jobs 必须是正整数。")
    project = load_project(args.project)
    out = output_folder(project.root, args.out, args.review)
    only = None
    if args.unit is not None or args.year is not None:
        only = set(project.select(args.unit, args.year))
    options = SiteOptions(public=not args.review, allow_errors=args.allow_errors,
                          kit=not args.review and not args.no_kit)
    batch = BatchOptions(
        build_pages,
        jobs=args.jobs,
        force=args.force,
        scheduler=args.scheduler,
        portal=write_portal,
        portal_check=check_portal,
        prepare=load_site,
        options=options,
        options_key=options.key,
        only=only,
        republish=frozenset(args.republish),
    )
    summary = run_batch(project, out, batch, make_reporter(verbose=args.verbose))
    failed = {(o.unit, o.year) for o in summary.failed}
    for kept in summary.texts_kept:
        if (kept.unit, kept.year) not in failed:  # a year that failed is said in the list of errors
            print(kept_message(kept))
    if summary.total == 0 and not summary.failed:  # a unit folder that could not be read is not "no tables"
        print("tables/ 下没有公开表，只生成了栏目首页。请先用 disclosure init <单位> <年度> 创建公开表。")
    if args.review:
        print(f"审核版在 {out}（含校验结果与内部核对信息，仅供审核，不得上传），打开 {out / 'index.html'} 即可浏览。")
    else:
        print(f"对外公开版在 {out}：上传这个文件夹；打开 {out / 'index.html'} 即可浏览。")
    return summary.exit_code
