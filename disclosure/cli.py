"""Command line: parse arguments and hand over to one command module. Nothing else lives here."""
from __future__ import annotations

import argparse
import importlib
import sys

from disclosure import __version__

COMMANDS: dict[str, str] = {
    "build": "生成网站：读取 tables/ 与 content/，校验、生成报告，写入 site/",
    "check": "校验公开表：表内、表间勾稽关系，逐格指出问题",
    "init": "新建空白公开表工作簿与 content/ 文稿骨架",
    "serve": "本地预览网站，文件改动后自动重新生成",
    "monitor": "预算执行进度（绩效运行监控）：读取监控表，输出各行执行进度",
}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="disclosure", description="部门决算公开报告生成器")
    parser.add_argument("--version", action="version", version=f"disclosure {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="命令")
    for name, help_text in COMMANDS.items():
        module = importlib.import_module(f"disclosure.commands.{name}")
        module.add_arguments(sub.add_parser(name, help=help_text, description=help_text))
    return parser


def _command_parser(name: str) -> argparse.ArgumentParser:
    """A parser for one verb only, so that a command imports nothing it does not need."""
    parser = argparse.ArgumentParser(prog=f"disclosure {name}", description=COMMANDS[name])
    module = importlib.import_module(f"disclosure.commands.{name}")
    module.add_arguments(parser)
    parser.set_defaults(command=name, _module=module)
    return parser


def main(argv: list[str] | None = None) -> int:
    from disclosure.errors import DisclosureError

    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] not in COMMANDS:
        _parser().parse_args(argv or ["--help"])
        return 2
    args = _command_parser(argv[0]).parse_args(argv[1:])
    try:
        return int(args._module.run(args) or 0)
    except DisclosureError as exc:
        for problem in exc.problems:
            print(f"错误：{problem}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("已中断。", file=sys.stderr)
        return 130
