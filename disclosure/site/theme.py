"""Where the theme lives and the jinja2 environment over it.

The built-in theme is the repository's top-level ``theme/`` folder (``templates/`` and ``assets/``);
a copy shipped inside the package (``disclosure/theme``) is used when the package is installed
without the repository. A project may override any template or asset with its own ``theme/`` folder.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import jinja2

from disclosure.bytecode import template_cache
from disclosure.hooks import Render
from disclosure.money import format_amount

_PACKAGE = Path(__file__).resolve().parent.parent


def builtin_theme() -> Path:
    """The built-in theme folder (repository checkout first, then the packaged copy)."""
    for candidate in (_PACKAGE.parent / "theme", _PACKAGE / "theme"):
        if (candidate / "templates" / "base.html").is_file():
            return candidate
    raise FileNotFoundError("找不到网站主题（theme/templates/base.html），请重新安装 disclosure。")


def theme_dirs(project_root: Path | None) -> tuple[Path, ...]:
    """Theme folders, most specific first: the project's own ``theme/`` (if any), then the built-in one."""
    dirs = []
    if project_root is not None:
        own = (project_root / "theme").resolve()
        if own.is_dir() and own != builtin_theme().resolve():
            dirs.append(own)
    dirs.append(builtin_theme())
    return tuple(dirs)


def asset_files(dirs: tuple[Path, ...]) -> dict[str, Path]:
    """Asset name → file, a project's file replacing the built-in one of the same name."""
    found: dict[str, Path] = {}
    for d in reversed(dirs):
        folder = d / "assets"
        if folder.is_dir():
            for p in sorted(folder.rglob("*")):
                if p.is_file():
                    found[p.relative_to(folder).as_posix()] = p
    return dict(sorted(found.items()))


def css_string(text: str) -> str:
    """A CSS string literal that cannot break out of its declaration (every non-ASCII-letter escaped)."""
    out = []
    for ch in text:
        out.append(ch if ch.isascii() and ch.isalnum() else f"\\{ord(ch):06x}")
    return '"' + "".join(out) + '"'


#: Options of the theme's environment (they shape the compiled code, so they name its cache too).
_OPTIONS = {"autoescape": True, "trim_blocks": True, "lstrip_blocks": True, "keep_trailing_newline": True}


@lru_cache(maxsize=8)
def environment(dirs: tuple[Path, ...]) -> jinja2.Environment:
    """An autoescaping environment over the template folders, with the theme's filters; compiled
    templates are kept between runs (``disclosure.bytecode``)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(d / "templates") for d in dirs]),
        undefined=jinja2.StrictUndefined,
        bytecode_cache=template_cache(f"theme {sorted(_OPTIONS.items())} StrictUndefined"),
        **_OPTIONS,
    )
    env.filters["amount"] = format_amount
    return env


def renderer(project_root: Path | None) -> Render:
    """The features' ``render`` hook: a theme template (the project's override first) rendered with a
    context, as a fragment."""
    env = environment(theme_dirs(project_root))
    return lambda template, context: env.get_template(template).render(**context)
