"""``python -m disclosure.batch PROJECT --out SITE``: the batch map with the plain builder."""
from __future__ import annotations

import argparse
import sys

from disclosure.batch.cli import add_batch_arguments, run_batch_from_args
from disclosure.errors import DisclosureError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m disclosure.batch", description="批量生成（并行、增量）")
    parser.add_argument("project", nargs="?", default=".", help="项目文件夹（默认：当前文件夹）")
    parser.add_argument("-o", "--out", default=None, help="输出文件夹（默认：项目下的 site/）")
    parser.add_argument("--builder", default=None, help="module:function，默认使用简易生成器")
    parser.add_argument("--portal", default=None, help="module:function")
    add_batch_arguments(parser)
    args = parser.parse_args(argv)
    out = args.out or f"{args.project}/site"
    try:
        return run_batch_from_args(args, args.project, out, builder=args.builder, portal=args.portal)
    except DisclosureError as exc:
        for problem in exc.problems:
            print(f"错误：{problem}", file=sys.stderr)
        return exc.exit_code


if __name__ == "__main__":
    raise SystemExit(main())
