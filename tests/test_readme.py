"""The README's promises: its two commands are what CI runs, and nothing in the repository points outside it."""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _first_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```bash\n(.*?)```", readme, re.S).group(1)
    return [line.split("#", 1)[0].strip() for line in block.splitlines() if line.strip()]


def test_the_readme_opens_with_one_install_command_and_one_test_command_that_ci_runs() -> None:
    install, test = _first_commands()
    assert install.startswith("bash .ci/install") and test == ".venv/bin/python3 -m pytest"
    run = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    lines = [line.strip() for line in run.splitlines() if line.strip() and not line.startswith("#")]
    assert "rm -rf .venv" in lines and "bash .ci/install" in lines and lines[-1] == test
    assert lines.index("rm -rf .venv") < lines.index("bash .ci/install") < lines.index(test)


def test_the_test_extra_brings_what_the_tests_import() -> None:
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    test_extra = re.search(r"^test = \[(.*?)^\]", pyproject, re.S | re.M).group(1)
    runtime = re.search(r"^dependencies = \[(.*?)^\]", pyproject, re.S | re.M).group(1)
    for package in ("pytest", "axe-playwright-python", "pypdf", "dask[distributed]"):
        assert f'"{package}' in test_extra, package
    assert '"playwright' in runtime  # the build itself prints the kit's PDF


def _tracked_files() -> list[Path]:
    """The files git keeps: caches the test run itself writes (``.hypothesis/``, ``.venv/``) are not the repository."""
    listing = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
    ).stdout.decode("utf-8")
    return [ROOT / name for name in listing.split("\0") if name]


def test_nothing_in_the_repository_points_outside_it() -> None:
    outside = re.compile(r"\.\./shared|/work/shared|/work/main")
    offenders = []
    for path in _tracked_files():
        if not path.is_file() or path.suffix not in {".py", ".md", ".toml", ".html", ".js", ".css", ".txt", ""}:
            continue
        if path == Path(__file__).resolve():
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        offenders += [f"{path.relative_to(ROOT)}: {m.group(0)}" for m in outside.finditer(text)]
    assert offenders == []


def test_the_check_reads_what_git_keeps_not_what_a_test_run_left_behind() -> None:
    names = {path.relative_to(ROOT).parts[0] for path in _tracked_files()}
    assert "README.md" in names and "disclosure" in names
    assert not names & {".hypothesis", ".venv", "site", "build", ".pytest_cache"}


def test_the_maintainers_guide_names_only_modules_that_exist() -> None:
    guide = (ROOT / "docs" / "maintainers.md").read_text(encoding="utf-8")
    for ref in sorted(set(re.findall(r"`((?:disclosure|theme|tests)/[\w/<>.-]+)`", guide))):
        if "<" in ref:
            continue
        assert (ROOT / ref.rstrip("/")).exists(), ref


def test_pytest_options_keep_the_closing_count_line() -> None:
    """``-q`` in addopts plus a ``-q`` on the command line hides pytest's ``N passed`` line."""
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    addopts = re.search(r'^addopts = "(.*)"$', pyproject, re.M).group(1)
    assert "-q" not in addopts.split() and "--quiet" not in addopts
