"""One task of the map: build one unit-year into a staging folder, then swap it into the site.

Runs in a pool process, a Dask worker or inline. A unit-year that fails leaves its previously
published pages exactly as they were; its problems come back in the outcome instead of a traceback.
"""
from __future__ import annotations

import importlib
import os
import shutil
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from disclosure.batch.state import state_dir, write_result
from disclosure.errors import DisclosureError, Problem
from disclosure.project import Project



@dataclass(frozen=True)
class Setup:
    """What every task of one batch shares; small and picklable (sent once per pool worker)."""

    project: Project  # with an absolute root, so that workers elsewhere find the same folder
    out_dir: str  # site folder (absolute; shared between machines for a Dask cluster)
    builder: str  # "module:function" called as f(project, unit, year, out_dir, options)
    options: Any = None


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

    @property
    def key(self) -> str:
        return f"{self.unit}/{self.year}"


def staging_root(out_dir: Path) -> Path:
    """Where unit-years are built before being swapped into the site (same file system)."""
    return state_dir(out_dir) / "staging"


def resolve(spec: str) -> Callable:
    """The function named ``module:function``."""
    module, _, name = spec.partition(":")
    return getattr(importlib.import_module(module), name)


def _move_shared(staging: Path, out: Path, unit: str) -> None:
    """Files a builder wrote outside the unit's folder (shared assets) go into the site as they are."""
    for path in sorted(staging.rglob("*")):
        rel = path.relative_to(staging)
        if rel.parts[0] == unit or not path.is_file():
            continue
        dest = out / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        os.replace(path, dest)


def publish(staging: Path, out: Path, unit: str, year: int) -> None:
    """Swap a freshly built ``<unit>/<year>`` folder in place of the published one."""
    built = staging / unit / str(year)
    if not built.is_dir():
        raise RuntimeError(f"the builder wrote nothing to {unit}/{year}")
    _move_shared(staging, out, unit)
    target = out / unit / str(year)
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        old = target.with_name(f".{year}.old-{os.getpid()}")
        os.replace(target, old)
        os.replace(built, target)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(built, target)


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


@dataclass(frozen=True)
class Deferred:
    """Options made only where they are used (``spec`` names a class, ``kwargs`` its arguments), so
    that a build with nothing to do never imports the site's modules."""

    spec: str
    kwargs: tuple[tuple[str, Any], ...] = ()

    def make(self) -> Any:
        return resolve(self.spec)(**dict(self.kwargs))


def materialize(options: Any) -> Any:
    return options.make() if isinstance(options, Deferred) else options


def run_task(setup: Setup, task: Task) -> Outcome:
    """Build one unit-year; never raises for a bad input or a bug in one unit."""
    start = time.perf_counter()
    out = Path(setup.out_dir)
    staging = staging_root(out) / f"{task.unit}-{task.year}-{os.getpid()}"
    outcome = Outcome(task.unit, task.year, task.digest, ok=False)
    try:
        project = setup.project
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True)
        builder = resolve(setup.builder)
        if setup.options is None:  # let the builder use its own default options
            result = builder(project, task.unit, task.year, staging)
        else:
            result = builder(project, task.unit, task.year, staging, materialize(setup.options))
        outcome.problems = refusal(result)
        if not outcome.problems:
            publish(staging, out, task.unit, task.year)
            write_result(out, task.unit, task.year, result)
            outcome.ok = True
            outcome.status = str(getattr(result, "status", "") or "")
    except DisclosureError as exc:
        outcome.problems = [str(p) for p in exc.problems]
        outcome.exit_code = exc.exit_code
    except Exception as exc:  # one unit's bug must not stop the bureau's build
        outcome.problems = [f"生成时发生内部错误（{type(exc).__name__}: {exc}）。请把此信息报告给维护者。"]
        outcome.detail = traceback.format_exc()
    finally:
        shutil.rmtree(staging, ignore_errors=True)
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


def init_worker(setup: Setup) -> None:
    """Pool initializer: keep the setup and import the builder once per process."""
    global _SETUP
    _SETUP = setup
    resolve(setup.builder)


def run_in_worker(task: Task) -> Outcome:
    assert _SETUP is not None, "init_worker was not called"
    return run_task(_SETUP, task)


def ready() -> int:
    """A no-op task used to start the pool's processes before any other thread is running."""
    return os.getpid()
