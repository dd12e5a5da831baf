"""Command-line options of a batch build, shared by ``disclosure build`` and ``python -m disclosure.batch``."""
from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any


def add_batch_arguments(parser: argparse.ArgumentParser) -> None:
    """--jobs, --force, --scheduler, --verbose (the caller owns the project and output options)."""
    parser.add_argument("-j", "--jobs", type=int, default=None, metavar="N", help="并行进程数（默认：CPU 核数）")
    parser.add_argument("--force", action="store_true", help="全部重新生成，不论输入是否改动")
    parser.add_argument("--scheduler", metavar="ADDRESS", default=None, help="在 Dask 分布式集群上生成（调度器地址，如 tcp://10.0.0.5:8786）；各节点须能访问同一项目文件夹和输出文件夹")
    parser.add_argument("--verbose", action="store_true", help="失败时显示内部错误的详细信息")
    parser.add_argument("--republish", type=int, action="append", default=[], metavar="YEAR",
                        help="按现在的共用文稿重新发布这一已发布的年度（可写多次）；不写时已发布的往年报告保持原样")


def run_batch_from_args(
    args: argparse.Namespace,
    project_root: Path | str,
    out_dir: Path | str,
    *,
    builder: str | None = None,
    portal: str | None = None,
    options: Any = None,
    options_key: str | None = None,
    only: set[tuple[str, int]] | None = None,
) -> int:
    """Run a batch with the options parsed by :func:`add_batch_arguments`; returns the exit code."""
    from disclosure.batch.progress import make_reporter
    from disclosure.batch.runner import DEFAULT_BUILDER, DEFAULT_PORTAL, BatchOptions, run_batch
    from disclosure.errors import ConfigError
    from disclosure.project import load_project

    if args.jobs is not None and args.jobs < 1:
        raise ConfigError("--jobs 必须是正整数。")
    project = load_project(project_root)
    batch = BatchOptions(
        jobs=args.jobs,
        force=args.force,
        scheduler=args.scheduler,
        builder=builder or DEFAULT_BUILDER,
        portal=portal if portal is not None else DEFAULT_PORTAL,
        options=options,
        options_key=options_key,
        only=only,
        republish=frozenset(getattr(args, "republish", ()) or ()),
    )
    summary = run_batch(project, Path(out_dir), batch, make_reporter(verbose=args.verbose))
    say_texts_kept(summary)
    return summary.exit_code


def say_texts_kept(summary: Any) -> None:
    """One line per published year that kept its shared texts although they changed."""
    from disclosure.batch.pins import kept_message

    for kept in summary.texts_kept:
        print(kept_message(kept))
