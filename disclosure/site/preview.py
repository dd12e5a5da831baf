"""Local preview: build into a temporary folder, serve it on localhost, rebuild when inputs change.

Only completed builds are served: each rebuild is staged and swapped in whole (``build_site``), and a
failed rebuild keeps the last good site on screen while its error is printed.
"""
from __future__ import annotations

import functools
import shutil
import tempfile
import threading
from collections.abc import Callable
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from disclosure.errors import DisclosureError
from disclosure.project import CONFIG_NAME, Project, load_project
from disclosure.site.builder import build_site
from disclosure.site.unit_year import BuildOptions

WATCHED = ("tables", "content", "theme")


class _Handler(SimpleHTTPRequestHandler):
    error_message_format = (
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>%(code)d</title></head>'
        "<body><h1>找不到页面（%(code)d）</h1><p>请返回<a href=\"/index.html\">首页</a>。</p></body></html>"
    )
    error_content_type = "text/html;charset=utf-8"

    def log_message(self, format: str, *args: object) -> None:  # quiet: the terminal shows build results
        pass


class Preview:
    """A preview server over the latest good build of a project."""

    def __init__(self, root: Path | str, *, port: int = 8000, host: str = "127.0.0.1",
                 options: BuildOptions = BuildOptions(allow_errors=True), say: Callable[[str], None] = print):
        self.root = Path(root)
        self.options = options
        self.say = say
        self.tmp = Path(tempfile.mkdtemp(prefix="disclosure-serve-"))
        self.site = self.tmp / "site"
        self.site.mkdir()
        handler = functools.partial(_Handler, directory=str(self.site))
        self.server = ThreadingHTTPServer((host, port), handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/index.html"

    def rebuild(self) -> bool:
        """Build the project into the served folder; on failure print why and keep the old site."""
        try:
            project: Project = load_project(self.root)
            result = build_site(project, self.site, self.options)
        except DisclosureError as exc:
            for problem in exc.problems:
                self.say(f"错误：{problem}")
            self.say("生成失败，预览仍显示上一次成功生成的网站。")
            return False
        self.say(f"已生成 {result.pages} 个页面：{self.url}")
        return True

    def start(self) -> None:
        self.rebuild()
        self.thread.start()

    def relevant(self, path: str) -> bool:
        p = Path(path).resolve()
        root = self.root.resolve()
        if p == root / CONFIG_NAME:
            return True
        return any(p.is_relative_to(root / d) for d in WATCHED)

    def watch(self, stop: threading.Event | None = None) -> None:
        """Rebuild on every change under tables/, content/, theme/ or to disclosure.toml."""
        import watchfiles

        for _changes in watchfiles.watch(self.root, watch_filter=lambda _c, p: self.relevant(p),
                                         stop_event=stop, debounce=300, raise_interrupt=True):
            self.say("检测到文件改动，正在重新生成……")
            self.rebuild()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        shutil.rmtree(self.tmp, ignore_errors=True)
