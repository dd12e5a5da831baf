"""Build this repository's own project (tables/ and content/): the public site into site/ (the folder
to upload) and the review site into site-review/ (check results and internal cross-checks, never
uploaded): ``python build.py``.

Extra arguments go to both ``disclosure build`` runs (for example ``--allow-errors``).
"""
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))

from disclosure.cli import main  # noqa: E402

if __name__ == "__main__":
    code = main(["build", str(ROOT), "--out", str(ROOT / "site"), *sys.argv[1:]])
    review = main(["build", str(ROOT), "--review", "--out", str(ROOT / "site-review"), *sys.argv[1:]])
    sys.exit(code or review)
