"""One task of the map: build one unit-year into a staging folder; ``commit`` swaps it into the site.

``run_task`` runs in a pool process, a Dask worker or inline and never touches the published site:
the built pages and the kept result wait in the task's staging folder until the runner commits them
(once every unit-year of the unit was read). A unit-year that fails leaves its previously published
pages exactly as they were; its problems come back in the outcome instead of a traceback.
"""
from __future__ import annotations

import os
import shutil
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from disclosure.batch.state import move_results, state_dir, write_result
from disclosure.errors import DisclosureError, Problem, group_problems, input_read_message, system_message
from disclosure.file_modes import DIR_MODE, FILE_MODE, make_dirs
from disclosure.project import Project

#: One unit-year's build: ``builder(project, unit, year, out_dir[, options]) -> result``. A module-level
#: function (pool workers and Dask workers receive it by its module and name, as pickle does).
Builder = Callable[..., Any]


@dataclass(frozen=True)
class Setup:
    """What every task of one batch shares; small and picklable (sent once per pool worker)."""

    project: Project  # with an absolute root, so that workers elsewhere find the same folder
    out_dir: str  # site folder (absolute; shared between machines for a Dask cluster)
    builder: Builder  # called as builder(project, unit, year, out_dir[, options]); pickled by reference
    options: Any = None
    prepare: Callable[[], object] | None = None  # called once per process before its first task


@dataclass(frozen=True)
class Task:
    unit: str
    year: int
    digest: str


@dataclass
class Outcome:
    """What one task reports back: small, so that memory stays flat in the number of units."""

    unit: str
    year: int
    digest: str
    ok: bool
    problems: list[str] = field(default_factory=list)
    detail: str = ""  # traceback of an unexpected error, for --verbose
    seconds: float = 0.0
    status: str = ""  # the builder result's status when it has one (published, draft …)
    exit_code: int = 1  # of a failure: 2 when the input could not be read (InputError/ConfigError), else 1
    peak_mb: float = 0.0  # the peak resident memory of the process that built it, so far
    staged: str = ""  # of a success: the staging folder that ``commit`` publishes

    @property
    def key(self) -> str:
        """``unit/year``; the unit folder alone for a failure of the whole folder (year 0)."""
        return f"{self.unit}/{self.year}" if self.year else f"tables/{self.unit}"


def staging_root(out_dir: Path) -> Path:
    """Where unit-years are built before being swapped into the site (same file system)."""
    return state_dir(out_dir) / "staging"


def _move_shared(staging: Path, out: Path, unit: str) -> list[str]:
    """Files a builder wrote outside the unit's folder (shared assets) go into the site as they are."""
    moved = []
    for path in sorted(staging.rglob("*")):
        rel = path.relative_to(staging)
        if rel.parts[0] == unit or not path.is_file():
            continue
        dest = out / rel
        make_dirs(dest.parent)
        os.replace(path, dest)
        moved.append(rel.as_posix())
    return moved


def _files_of(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() or p.is_symlink())


def _readable(folder: Path) -> None:
    """Folders 0755 and files 0644 whatever the umask of the process that built them."""
    os.chmod(folder, DIR_MODE)
    for p in folder.rglob("*"):
        if not p.is_symlink():
            os.chmod(p, DIR_MODE if p.is_dir() else FILE_MODE)


def _keep_foreign(old: Path, new: Path, owned: set[str], prefix: str) -> None:
    """Files in a replaced unit-year folder that no build wrote (``owned`` lists what builds wrote)
    are moved into its new version: a build removes only its own files."""
    for path in _files_of(old):
        rel = path.relative_to(old)
        if f"{prefix}/{rel.as_posix()}" in owned:
            continue
        dest = new / rel
        if dest.exists() or dest.is_symlink():
            continue
        make_dirs(dest.parent)
        os.replace(path, dest)


def publish(staging: Path, out: Path, unit: str, year: int, owned: set[str] | None = None) -> list[str]:
    """Swap a freshly built ``<unit>/<year>`` folder in place of the published one; return the files
    now published (relative to ``out``). With ``owned`` (files earlier builds wrote), files in the old
    folder that are not in it are kept; without it, the old folder is replaced whole."""
    built = staging / unit / str(year)
    if not built.is_dir():
        raise RuntimeError(f"the builder wrote nothing to {unit}/{year}")
    shared = _move_shared(staging, out, unit)
    _readable(built)
    prefix = f"{unit}/{year}"
    written = [f"{prefix}/{p.relative_to(built).as_posix()}" for p in _files_of(built)]
    target = out / unit / str(year)
    make_dirs(target.parent)
    if target.exists():
        old = target.with_name(f".{year}.old-{os.getpid()}")
        os.replace(target, old)
        os.replace(built, target)
        if owned is not None:
            _keep_foreign(old, target, owned, f"{unit}/{year}")
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(built, target)
    return shared + written


def commit(out: Path, outcome: "Outcome", owned: set[str] | None = None) -> list[str]:
    """Publish what a successful task left in its staging folder: the pages, then its kept result.
    Returns the files published."""
    task_dir = Path(outcome.staged)
    files = publish(task_dir / SITE, out, outcome.unit, outcome.year, owned)
    move_results(task_dir / KEPT, out, outcome.unit)
    shutil.rmtree(task_dir, ignore_errors=True)
    return files


def refusal(result: Any) -> list[str]:
    """The errors of a builder result whose status is ``refused`` (check errors: nothing written)."""
    if getattr(result, "status", None) != "refused":
        return []
    problems = []
    for finding in getattr(result, "errors", None) or []:
        cells = getattr(finding, "cells", ()) or ()
        first = cells[0] if cells else None
        message = getattr(finding, "message", str(finding))
        rule = getattr(finding, "rule", None)
        if rule:
            message += f"（规则 {rule}）"
        if first is not None and message.startswith(str(first)):  # the message already names its cell
            problems.append(str(Problem(message, getattr(first, "file", None))))
        else:
            problems.append(str(Problem(message, getattr(first, "file", None), getattr(first, "sheet", None), getattr(first, "cell", None))))
    head = f"有 {len(problems)} 项校验错误，未发布（已发布的页面保持不变）。请按下列提示改正公开表后重新生成；如需先生成草稿供审核，请加 --allow-errors。"
    return [head, *problems] if problems else ["校验未通过，未发布。请运行 disclosure check 查看详情。"]


SITE = "site"  # in a task's staging folder: the pages as the builder wrote them
KEPT = "kept"  # in a task's staging folder: the result kept for the portal


def run_task(setup: Setup, task: Task) -> Outcome:
    """Build one unit-year into its staging folder; never raises for a bad input or a bug in one
    unit, and never changes the published site (``commit`` does, in the runner)."""
    start = time.perf_counter()
    out = Path(setup.out_dir)
    task_dir = staging_root(out) / f"{task.unit}-{task.year}-{os.getpid()}"
    outcome = Outcome(task.unit, task.year, task.digest, ok=False)
    try:
        project = setup.project
        shutil.rmtree(task_dir, ignore_errors=True)
        staging = task_dir / SITE
        staging.mkdir(parents=True)
        if setup.options is None:  # let the builder use its own default options
            result = setup.builder(project, task.unit, task.year, staging)
        else:
            result = setup.builder(project, task.unit, task.year, staging, setup.options)
        outcome.problems = refusal(result)
        if not outcome.problems:
            if not (staging / task.unit / str(task.year)).is_dir():
                raise RuntimeError(f"the builder wrote nothing to {task.unit}/{task.year}")
            write_result(out, task.unit, task.year, result, folder=task_dir / KEPT)
            outcome.staged = str(task_dir)
            outcome.ok = True
            outcome.status = str(getattr(result, "status", "") or "")
    except DisclosureError as exc:
        outcome.problems = [str(p) for p in group_problems(exc.problems)]
        outcome.exit_code = exc.exit_code
    except OSError as exc:
        outcome.problems = [input_read_message(exc, setup.project.root) or system_message(exc)]
        outcome.exit_code = 2
        outcome.detail = traceback.format_exc()
    except Exception as exc:  # one unit's bug must not stop the bureau's build
        outcome.problems = [f"生成时发生内部错误（{type(exc).__name__}: {exc}）。请把此信息报告给维护者。"]
        outcome.detail = traceback.format_exc()
    finally:
        if not outcome.ok:
            shutil.rmtree(task_dir, ignore_errors=True)
    outcome.seconds = time.perf_counter() - start
    outcome.peak_mb = _peak_mb()
    return outcome


def _peak_mb() -> float:
    try:
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    except (ImportError, OSError):  # pragma: no cover - not on a Unix
        return 0.0


# Pool workers receive the setup once, in their initializer.
_SETUP: Setup | None = None


def prepare(setup: Setup) -> None:
    """What the builder needs before its first task (``Setup.prepare``: the site's modules, say)."""
    if setup.prepare is not None:
        setup.prepare()


def init_worker(setup: Setup) -> None:
    """Pool initializer: keep the setup and prepare the builder once per process."""
    global _SETUP
    _SETUP = setup
    prepare(setup)


def run_in_worker(task: Task) -> Outcome:
    assert _SETUP is not None, "init_worker was not called"
    return run_task(_SETUP, task)


def ready() -> int:
    """A no-op task used to start the pool's processes before any other thread is running."""
    return os.getpid()
