"""Build the example project and the acceptance projects and compare every output byte.

    python tools/compare_builds.py                     # digest of every file this tree builds
    python tools/compare_builds.py --against main      # the same at another commit; lists every file that differs
    python tools/compare_builds.py --write-digest      # refresh tests/fixtures/example_site_digest.json

A restructuring step must leave the output unchanged: run it with ``--against main`` before landing
(exit 0: same bytes; 1: files differ, each listed). When a change alters the example site on purpose,
refresh the committed digest with ``--write-digest`` and say so in the commit.

Each project is built twice, as the public site (``build``) and the review site (``build --review``),
with ``--allow-errors`` so that a project with check errors still gives pages to compare. The other
commit is exported with ``git archive`` and run with the same interpreter.

A PDF of the publication kit (``kit/*.pdf``) is Chromium's print: its bytes follow the installed
Chromium (fonts, Skia), not only this tree, so it is listed by name (``CHROMIUM``) and not hashed,
and so is the kit's zip, which holds it; ``tests/test_kit_pdf.py`` and ``tests/test_kit_files.py``
check their content and that two builds give the same bytes. Every other kit file is hashed.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DIGEST = ROOT / "tests" / "fixtures" / "example_site_digest.json"
ACCEPTANCE = ("jiaoyu", "jiaoyu-xls", "caizheng", "jiaotong")
KINDS = {"site": [], "site-review": ["--review"]}
CHROMIUM = "<printed by Chromium: bytes follow the installed version>"  # the digest of a kit's PDF


def projects(tree: Path) -> dict[str, Path]:
    """Name → project folder, inside a source tree."""
    out = {"example": tree}
    out.update({name: tree / "tests" / "fixtures" / "acceptance" / name for name in ACCEPTANCE})
    return out


def _copy_project(src: Path, dest: Path) -> Path:
    """The project's inputs only (disclosure.toml, tables/, content/, theme/), so a build never writes
    into the tree it reads."""
    dest.mkdir(parents=True)
    for name in ("disclosure.toml", "tables", "content", "theme"):
        p = src / name
        if p.is_dir():
            shutil.copytree(p, dest / name)
        elif p.is_file():
            shutil.copy2(p, dest / name)
    return dest


def build_all(tree: Path, work: Path, only: tuple[str, ...] = ()) -> dict[str, str]:
    """Build each project of ``tree`` (its code, its inputs) under ``work``; path → sha256 of every file."""
    digests: dict[str, str] = {}
    env = dict(os.environ, PYTHONPATH=str(tree), DISCLOSURE_CACHE_DIR=str(work / "cache"), PYTHONHASHSEED="0")
    for name, src in projects(tree).items():
        if only and name not in only:
            continue
        project = _copy_project(src, work / "projects" / name)
        for kind, extra in KINDS.items():
            out = work / "out" / name / kind
            cmd = [sys.executable, "-c", "import sys; from disclosure.cli import main; sys.exit(main(sys.argv[1:]))",
                   "build", str(project), "--out", str(out), "--allow-errors", *extra]
            run = subprocess.run(cmd, cwd=tree, env=env, capture_output=True, text=True)
            digests[f"{name}/{kind}/<exit>"] = str(run.returncode)
            if not out.is_dir():
                continue
            for f in sorted(out.rglob("*")):
                if f.is_file():
                    rel = f.relative_to(out).as_posix()
                    chromium = f.suffix in (".pdf", ".zip") and "/kit/" in f"/{rel}"  # the zip holds the PDF
                    digests[f"{name}/{kind}/{rel}"] = CHROMIUM if chromium else hashlib.sha256(f.read_bytes()).hexdigest()
    return digests


def export(rev: str, dest: Path) -> Path:
    """The tracked files of ``rev`` in ``dest``."""
    dest.mkdir(parents=True)
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", rev], check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(dest)], input=archive, check=True)
    return dest


def differences(a: dict[str, str], b: dict[str, str]) -> list[str]:
    lines = []
    for key in sorted(set(a) | set(b)):
        if key not in a:
            lines.append(f"only in the other build: {key}")
        elif key not in b:
            lines.append(f"only in this build: {key}")
        elif a[key] != b[key]:
            lines.append(f"differs: {key}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", help="a git revision to build and compare with (e.g. main)")
    parser.add_argument("--write-digest", action="store_true", help=f"write the example's digest to {DIGEST.relative_to(ROOT)}")
    parser.add_argument("--only", action="append", default=[], help="build only this project (example, jiaoyu, …)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="compare-builds-") as tmp:
        work = Path(tmp)
        if args.write_digest:
            digests = build_all(ROOT, work / "this", ("example",))
            DIGEST.write_text(json.dumps(digests, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
            print(f"{len(digests)} entries written to {DIGEST.relative_to(ROOT)}")
            return 0
        mine = build_all(ROOT, work / "this", tuple(args.only))
        if not args.against:
            print(json.dumps(mine, ensure_ascii=False, indent=1, sort_keys=True))
            return 0
        theirs = build_all(export(args.against, work / "src"), work / "that", tuple(args.only))
        diff = differences(mine, theirs)
        for line in diff:
            print(line)
        print(f"{len(mine)} files here, {len(theirs)} at {args.against}: "
              + ("same bytes" if not diff else f"{len(diff)} differ"))
        return 1 if diff else 0


if __name__ == "__main__":
    sys.exit(main())
