"""The plotly.js bundle of the installed plotly package, shipped once per site, and what it needs to
run under our Content-Security-Policy (no inline styles)."""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

FILENAME = "plotly.min.js"
_GUARD = re.compile(rb'getElementById\("([0-9a-f]{64})"\)\)\{var \w+=document\.createElement\("style"\)')


def bundle() -> Path:
    """``plotly/package_data/plotly.min.js`` (never a CDN). The package is found, not imported:
    importing plotly loads importlib.metadata and email (about 20 ms) for a file path."""
    from importlib.util import find_spec

    spec = find_spec("plotly")
    if spec is None or not spec.origin:
        raise ModuleNotFoundError("plotly", name="plotly")
    return Path(spec.origin).parent / "package_data" / FILENAME


@lru_cache(maxsize=1)
def style_guard_ids() -> tuple[str, ...]:
    """Ids whose presence stops plotly.js from injecting bundled third-party ``<style>`` elements
    (maplibre's CSS) at load time; the pages carry an element with each id."""
    return tuple(sorted({m.decode() for m in _GUARD.findall(bundle().read_bytes())}))
