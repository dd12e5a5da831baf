"""Fixtures shared by test files: the example built once with its publication kit."""
from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def kit_sites(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Two builds of the example with its kit (``kit_support.build_kit_sites``)."""
    from kit_support import build_kit_sites

    return build_kit_sites(tmp_path_factory.mktemp("kit"))
