"""``disclosure serve [PROJECT] [--port N]``: preview the site on localhost, rebuilt on every change."""
from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("project", nargs="?", default=".", help="项目文件夹（默认：当前文件夹）")
    parser.add_argument("--port", type=int, default=8000, help="端口（默认 8000）")
    parser.add_argument("--public", action="store_true", help="预览对外公开版（不含校验结果页）")


def run(args: argparse.Namespace) -> int:
    from disclosure.errors import ConfigError
    from disclosure.project import load_project
    from disclosure.site.preview import Preview
    from disclosure.site.unit_year import BuildOptions

    load_project(args.project)  # a missing folder is reported before anything starts
    try:
        preview = Preview(args.project, port=args.port, options=BuildOptions(public=args.public, allow_errors=True))
    except OSError as exc:
        raise ConfigError(f"无法使用端口 {args.port}（{exc.strerror}）。请换一个端口，例如 --port 8001。") from exc
    try:
        preview.start()
        print("预览已启动，按 Ctrl+C 停止。修改 tables/、content/、theme/ 或 disclosure.toml 后会自动重新生成。")
        preview.watch()
    finally:
        preview.close()
    return 0
