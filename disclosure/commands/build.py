"""``disclosure build [PROJECT] [--out DIR]``: check every unit-year and publish the site.

A unit-year with check errors is refused (exit 1, its findings listed) unless ``--allow-errors``,
which publishes it as a draft with a banner on every page. Unit-years are built in parallel and only
when their inputs changed (``disclosure.batch``); one that fails keeps its previously published
pages, the others are published, and the build exits 1. The output folder is checked first
(``disclosure.batch.outdir``): never over the project's inputs, a file, or a folder of other files.
"""
from __future__ import annotations

import argparse


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
    from disclosure.batch.cli import add_batch_arguments  # --jobs, --force, --scheduler, --verbose

    add_batch_arguments(parser)


def run(args: argparse.Namespace) -> int:
    from disclosure.batch.site import run_site_build
    from disclosure.errors import ConfigError

    if args.review and args.public:
        raise ConfigError("--review 与 --public 不能同时使用：审核版写入 site-review/，对外公开版写入 site/。")

    return run_site_build(args)
