"""``disclosure build [PROJECT] [--out DIR]``: check every unit-year and publish the site.

A unit-year with check errors is refused (exit 1, its findings listed) unless ``--allow-errors``,
which publishes it as a draft with a banner on every page. Unit-years are built in parallel and only
when their inputs changed (``disclosure.batch``); one that fails keeps its previously published
pages, the others are published, and the build exits 1. The output folder is checked first
(``disclosure.batch.outdir``): never over the project's inputs, a file, or a folder of other files.
"""
from __future__ import annotations

import argparse
from pathlib import Path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("project", nargs="?", default=".", help="项目文件夹（默认：当前文件夹）")
    parser.add_argument("--out", default=None, help="输出文件夹（默认：项目下的 site/；加 --review 时为 site-review/）")
    parser.add_argument("--review", action="store_true",
                        help="审核版：另含校验结果页、绩效核对和数据来源，写入 site-review/，不得上传")
    parser.add_argument("--public", action="store_true", help="对外公开版（默认即是，保留此选项以兼容旧脚本）")
    parser.add_argument("--allow-errors", action="store_true",
                        help="有校验错误时仍生成，每页标注“未通过校验（草稿）”")
    parser.add_argument("--unit", default=None, help="只生成这个单位（tables/ 下的文件夹名）")
    parser.add_argument("--year", type=int, default=None, help="只生成这个年度")
    from disclosure.batch.cli import add_batch_arguments  # --jobs, --force, --scheduler, --verbose

    add_batch_arguments(parser)


PUBLIC_FOLDER = "site"
REVIEW_FOLDER = "site-review"


def output_folder(root: Path, out: str | None, review: bool) -> Path:
    """Where a build goes: ``site/`` (to upload) or, for ``--review``, ``site-review/`` (never uploaded).
    A review build may not be written into the public folder, nor a public one into the review folder."""
    from disclosure.errors import ConfigError

    folder = Path(out) if out else root / (REVIEW_FOLDER if review else PUBLIC_FOLDER)
    if review and folder.resolve() == (root / PUBLIC_FOLDER).resolve():
        raise ConfigError(f"审核版含校验结果和内部核对信息，不能写入对外上传的 {PUBLIC_FOLDER}/。"
                          f"请去掉 --out，审核版会写入 {REVIEW_FOLDER}/。")
    if not review and folder.resolve() == (root / REVIEW_FOLDER).resolve():
        raise ConfigError(f"{REVIEW_FOLDER}/ 是审核版的文件夹，对外公开版请写入 {PUBLIC_FOLDER}/（去掉 --out 即可）。")
    return folder


def run(args: argparse.Namespace) -> int:
    from disclosure.batch.site import run_site_build
    from disclosure.errors import ConfigError

    if args.review and args.public:
        raise ConfigError("--review 与 --public 不能同时使用：审核版写入 site-review/，对外公开版写入 site/。")

    return run_site_build(args)
