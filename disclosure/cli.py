"""Command line: parse arguments and hand over to one command module. Nothing else lives here."""
from __future__ import annotations

import argparse
import sys
from types import ModuleType

from disclosure import __version__
from disclosure.errors import DisclosureError

COMMANDS: dict[str, str] = {
    "build": "生成网站：读取 tables/ 与 content/，校验、生成报告，写入 site/",
    "check": "校验公开表：表内、表间勾稽关系，逐格指出问题",
    "init": "新建空白公开表工作簿与 content/ 文稿骨架",
    "serve": "本地预览网站，文件改动后自动重新生成",
    "monitor": "预算执行进度（绩效运行监控）：读取监控表，输出各行执行进度",
}


#: argparse's own messages in Chinese (the user never sees English usage or errors).
ARGPARSE_TEXT: dict[str, str] = {
    "usage: ": "用法：",
    "positional arguments": "位置参数",
    "options": "选项",
    "optional arguments": "选项",
    "show this help message and exit": "显示本帮助并退出",
    "show program's version number and exit": "显示版本号并退出",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n",
    "the following arguments are required: %s": "缺少必需的参数：%s",
    "expected one argument": "需要一个参数值",
    "expected at most one argument": "最多只能有一个参数值",
    "expected at least one argument": "至少需要一个参数值",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的选项：%(value)r（可选：%(choices)s）",
    "unrecognized arguments: %s": "不认识的参数：%s",
    "invalid %(type)s value: %(value)r": "参数值无效：%(value)r",
    "ambiguous option: %(option)s could match %(matches)s": "选项不明确：%(option)s 可能是 %(matches)s",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "ignored explicit argument %r": "忽略了多余的参数值 %r",
    "one of the arguments %s is required": "必须给出以下参数之一：%s",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "expected %s argument": "需要 %s 个参数值",
    "expected %s arguments": "需要 %s 个参数值",
}


def _chinese_argparse() -> None:
    """Route argparse's gettext lookups through ARGPARSE_TEXT."""
    argparse._ = lambda text: ARGPARSE_TEXT.get(text, text)  # type: ignore[attr-defined]
    argparse.ngettext = lambda one, many, n: ARGPARSE_TEXT.get(one if n == 1 else many, one if n == 1 else many)  # type: ignore[attr-defined]


def _verb(name: str) -> ModuleType:
    """The module of one verb (``disclosure/commands/<verb>.py``), imported only when that verb runs,
    so that a command imports nothing it does not need; plain imports, one per verb, that a reader
    (and an import graph) can follow."""
    if name == "build":
        from disclosure.commands import build as module
    elif name == "check":
        from disclosure.commands import check as module
    elif name == "init":
        from disclosure.commands import init as module
    elif name == "serve":
        from disclosure.commands import serve as module
    elif name == "monitor":
        from disclosure.commands import monitor as module
    else:
        raise KeyError(name)
    return module


def _parser() -> argparse.ArgumentParser:
    """The parser of ``disclosure`` without a verb (or an unknown one): its help lists the verbs; each
    verb's own options are read by ``_command_parser`` once the verb is known."""
    parser = argparse.ArgumentParser(prog="disclosure", description="部门决算公开报告生成器")
    parser.add_argument("--version", action="version", version=f"disclosure {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="命令")
    for name, help_text in COMMANDS.items():
        sub.add_parser(name, help=help_text, description=help_text)
    return parser


def _command_parser(name: str) -> argparse.ArgumentParser:
    """A parser for one verb only."""
    parser = argparse.ArgumentParser(prog=f"disclosure {name}", description=COMMANDS[name])
    module = _verb(name)
    module.add_arguments(parser)
    parser.set_defaults(command=name, _module=module)
    return parser


def main(argv: list[str] | None = None) -> int:
    _chinese_argparse()
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
