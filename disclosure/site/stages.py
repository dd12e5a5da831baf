"""The pipeline stages the site is built from, found at run time.

load is required; check, derive and narrative are used when their modules are present, so the site
builds (tables, portal, search) before every stage has landed.
"""
from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any


def _optional(module: str, name: str) -> Callable[..., Any] | None:
    try:
        mod = importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name and (module == exc.name or module.startswith(exc.name + ".")):
            return None
        raise
    return getattr(mod, name, None)


def load_accounts() -> Callable[..., Any]:
    fn = _optional("disclosure.load", "load_accounts")
    if fn is None:
        raise RuntimeError("disclosure.load.load_accounts is missing")
    return fn


def check_accounts() -> Callable[..., Any] | None:
    return _optional("disclosure.check", "check_accounts")


def derive() -> Callable[..., Any] | None:
    return _optional("disclosure.derive", "derive")


def render_narrative() -> Callable[..., Any] | None:
    return _optional("disclosure.narrative", "render_narrative")
