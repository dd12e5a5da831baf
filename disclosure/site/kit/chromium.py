"""Chromium through playwright's sync API, in a thread of its own (one per process).

The sync API refuses to run inside an asyncio loop, and a build may be called from one (a notebook,
``disclosure serve``, a Dask worker); so every call goes to one daemon thread that owns playwright
and the browser for the life of the process, is started on the first PDF and closed at exit. A
forked child (a pool worker) starts its own. The browser is Debian's ``/usr/bin/chromium`` (or one
named by ``DISCLOSURE_CHROMIUM``), else on Windows the installed Edge or Chrome (found where their
installers put them, then playwright's channels); playwright never downloads one. ``require_browser``
says before a build publishes anything that no browser can be found, once.
"""
from __future__ import annotations

import atexit
import os
import queue
import shutil
import sys
import threading
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path
from typing import Any

from disclosure.errors import ConfigError

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--font-render-hinting=none"]
_LINUX_BROWSERS = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")
_WINDOWS_CHANNELS = ("msedge", "chrome")
#: Where Edge's and Chrome's installers put the browser, under each of these folders (Windows).
_WINDOWS_FOLDERS = ("PROGRAMFILES(X86)", "PROGRAMFILES", "LOCALAPPDATA")
_WINDOWS_BROWSERS = ("Microsoft/Edge/Application/msedge.exe", "Google/Chrome/Application/chrome.exe")

NO_BROWSER = ("生成 PDF（发布材料包）需要 Chromium 浏览器：Linux 上请安装 Debian 的 chromium（apt install chromium）"
              "或用环境变量 DISCLOSURE_CHROMIUM 指明浏览器程序；Windows 上须装有 Edge 或 Chrome。"
              "不需要发布材料包时，生成命令加 --no-kit。")


def find_browser() -> str | None:
    """The browser's program: ``DISCLOSURE_CHROMIUM`` when set (even if it is not there: then None), else
    Debian's chromium, else (Windows) an installed Edge or Chrome; None when none is found."""
    named = os.environ.get("DISCLOSURE_CHROMIUM", "").strip()
    if named:
        return named if Path(named).is_file() else None
    candidates = [*_LINUX_BROWSERS, shutil.which("chromium") or ""]
    if sys.platform == "win32":
        candidates += [os.path.join(os.environ[folder], program) for folder in _WINDOWS_FOLDERS
                       if os.environ.get(folder) for program in _WINDOWS_BROWSERS]
    return next((path for path in candidates if path and Path(path).is_file()), None)


def require_browser() -> None:
    """Raise the ConfigError that says how to get a browser when the PDF could not be printed: none is
    found, and (Windows) playwright's own channels are the only hope left."""
    if find_browser() is None and (sys.platform != "win32" or os.environ.get("DISCLOSURE_CHROMIUM", "").strip()):
        raise ConfigError(NO_BROWSER)


def _launch(playwright: Any) -> Any:
    """The browser: the program we find, else (Windows) an installed channel."""
    path = find_browser()
    if path is not None:
        return playwright.chromium.launch(executable_path=path, headless=True, args=ARGS)
    if sys.platform == "win32" and not os.environ.get("DISCLOSURE_CHROMIUM", "").strip():
        for channel in _WINDOWS_CHANNELS:
            try:
                return playwright.chromium.launch(channel=channel, headless=True, args=ARGS)
            except Exception:  # this channel is not installed: try the next
                continue
    raise ConfigError(NO_BROWSER)


class _Browser:
    """The thread that owns playwright; ``call(fn)`` runs ``fn(browser)`` there and returns its result."""

    def __init__(self) -> None:
        self._jobs: queue.Queue[tuple[Callable[[Any], Any], Future] | None] = queue.Queue()
        self._ready: Future = Future()
        self._thread = threading.Thread(target=self._run, name="disclosure-chromium", daemon=True)
        self._thread.start()
        self._ready.result()  # raises when the browser cannot be started

    def _run(self) -> None:
        try:
            from playwright.sync_api import sync_playwright
        except ImportError as exc:  # pragma: no cover - playwright is a dependency
            self._ready.set_exception(ConfigError(NO_BROWSER))
            return
        try:
            manager = sync_playwright().start()
        except Exception as exc:
            self._ready.set_exception(exc)
            return
        try:
            browser = _launch(manager)
        except BaseException as exc:
            manager.stop()
            self._ready.set_exception(exc)
            return
        self._ready.set_result(None)
        try:
            while (job := self._jobs.get()) is not None:
                fn, done = job
                try:
                    done.set_result(fn(browser))
                except BaseException as exc:
                    done.set_exception(exc)
        finally:
            try:
                browser.close()
            finally:
                manager.stop()

    def call(self, fn: Callable[[Any], Any]) -> Any:
        done: Future = Future()
        self._jobs.put((fn, done))
        return done.result()

    def close(self) -> None:
        self._jobs.put(None)
        self._thread.join(timeout=30)


_LOCK = threading.Lock()
_BROWSER: _Browser | None = None


def with_browser(fn: Callable[[Any], Any]) -> Any:
    """Run ``fn(browser)`` in the browser's thread (starting it on first use) and return its result."""
    global _BROWSER
    with _LOCK:
        if _BROWSER is None:
            _BROWSER = _Browser()
            # a pool worker ends without atexit: multiprocessing's finalizers run there instead
            from multiprocessing import util

            util.Finalize(None, close_browser, exitpriority=10)
        browser = _BROWSER
    return browser.call(fn)


def close_browser() -> None:
    """Close the browser and its thread (at exit; the next PDF starts a new one)."""
    global _BROWSER
    with _LOCK:
        browser, _BROWSER = _BROWSER, None
    if browser is not None:
        browser.close()


def _forget_in_child() -> None:
    """A forked child does not own its parent's thread or browser: it starts its own when needed."""
    global _BROWSER, _LOCK
    _BROWSER = None
    _LOCK = threading.Lock()


atexit.register(close_browser)
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_in_child)
