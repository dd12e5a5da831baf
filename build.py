"""Build this repository's own project (tables/ and content/) into site/: ``python build.py``.

Extra arguments go to ``disclosure build`` (for example ``--public`` or ``--allow-errors``).
"""
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))

from disclosure.cli import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main(["build", str(ROOT), "--out", str(ROOT / "site"), *sys.argv[1:]]))
