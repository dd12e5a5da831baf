"""The example site, public and review, byte for byte: a change of structure must not change a page.

The digest (tests/fixtures/example_site_digest.json) holds the sha256 of every file the example
project builds. When a change alters the output on purpose, refresh it with
``python tools/compare_builds.py --write-digest`` and commit the new digest with the change.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
from compare_builds import DIGEST, build_all, differences  # noqa: E402


def test_example_site_bytes_match_the_committed_digest(tmp_path: Path) -> None:
    expected = json.loads(DIGEST.read_text(encoding="utf-8"))
    built = build_all(ROOT, tmp_path, ("example",))
    assert built["example/site/<exit>"] == "0" and built["example/site-review/<exit>"] == "0"
    assert len(built) > 50  # pages, tables, CSVs, assets of both sites
    diff = differences(built, expected)
    assert not diff, ("output changed; if on purpose, run python tools/compare_builds.py --write-digest:\n"
                      + "\n".join(diff[:40]))
