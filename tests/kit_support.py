"""The example built with its publication kit, shared by the kit's tests (Chromium prints its PDF)."""
from __future__ import annotations

import asyncio
from pathlib import Path

from test_site_support import build, copy_example

PUBLISHER = "巴彦淖尔市财政局"
DATE = "2022-05-30"


def build_kit_sites(root: Path) -> tuple[Path, Path]:
    """The example with ``[publication]`` 发布机构 and 发布日期, built with its kit twice: by the command
    line, then again from inside a running asyncio loop (as a notebook or a server would call it)."""
    project = copy_example(root / "project")
    config = project / "disclosure.toml"
    config.write_text(config.read_text(encoding="utf-8")
                      + f'\n[publication]\npublisher = "{PUBLISHER}"\npublish_date = "{DATE}"\n', encoding="utf-8")
    first, second = project / "site", project / "again"
    assert build(project, first, "-j", "1", kit=True) == 0

    async def inside_a_loop() -> int:
        return build(project, second, "-j", "1", kit=True)

    try:  # a session's playwright (the browser tests) already runs a loop in this thread
        asyncio.get_running_loop()
    except RuntimeError:
        assert asyncio.run(inside_a_loop()) == 0
    else:
        assert build(project, second, "-j", "1", kit=True) == 0
    return first, second
