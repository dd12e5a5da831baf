"""Three ways to run the map over unit-years: inline, a local process pool, a Dask cluster.

Each yields outcomes as tasks finish and keeps only a bounded number of tasks in flight, so memory
does not grow with the number of units. ``on_start(task)`` is called as a task is handed out.
"""
from __future__ import annotations

import sys
from collections import deque
from typing import TYPE_CHECKING, Callable, Iterable, Iterator

from disclosure.errors import ConfigError
from disclosure.batch.worker import Outcome, Setup, Task, init_worker, prepare, ready, run_in_worker, run_task

if TYPE_CHECKING:
    import multiprocessing.context
    from concurrent.futures import Future, ProcessPoolExecutor

# multiprocessing and concurrent.futures (8 ms of imports) are imported by the pool's functions:
# a build of one unit-year runs inline and needs neither

OnStart = Callable[[Task], None]
CONNECT_TIMEOUT = "10s"  # how long to wait for a Dask scheduler


def _noop(task: Task) -> None:
    pass


def run_inline(setup: Setup, tasks: Iterable[Task], on_start: OnStart = _noop) -> Iterator[Outcome]:
    """One after another in this process (one unit-year, or --jobs 1)."""
    for task in tasks:
        on_start(task)
        yield run_task(setup, task)


def _context() -> multiprocessing.context.BaseContext:
    import multiprocessing

    # fork shares the already prepared builder (its imports) with the workers; elsewhere spawn is the only choice
    if sys.platform.startswith("linux"):
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def _broken(task: Task, exc: BaseException) -> Outcome:
    return Outcome(
        task.unit,
        task.year,
        task.digest,
        ok=False,
        problems=[f"生成此单位年度的进程意外退出（{type(exc).__name__}），其已发布页面保持不变。请单独重新生成以查看原因。"],
    )


def _pool(setup: Setup, jobs: int) -> ProcessPoolExecutor:
    from concurrent.futures import ProcessPoolExecutor

    return ProcessPoolExecutor(max_workers=jobs, mp_context=_context(), initializer=init_worker, initargs=(setup,))


def _isolated(setup: Setup, task: Task) -> Outcome:
    """Run one task alone in a fresh process: only the task that kills its worker fails."""
    from concurrent.futures.process import BrokenProcessPool

    with _pool(setup, 1) as pool:
        try:
            return pool.submit(run_in_worker, task).result()
        except BrokenProcessPool as exc:
            return _broken(task, exc)


def run_pool(
    setup: Setup, tasks: Iterable[Task], jobs: int, on_start: OnStart = _noop, *, started: Callable[[], None] = lambda: None
) -> Iterator[Outcome]:
    """A local process pool of ``jobs`` workers; each worker imports the builder once.

    ``started`` is called once the worker processes exist (start progress threads only then: the
    workers are forked and must not inherit a running thread's locks). When a worker dies (a crash,
    the memory killer), the tasks it may have been running are each run again alone, so that only
    the one that kills its process fails, and the rest continue in a new pool.
    """
    from concurrent.futures import FIRST_COMPLETED, wait
    from concurrent.futures.process import BrokenProcessPool

    prepare(setup)  # here, so that forked workers inherit what the builder imported
    pending = iter(tasks)
    limit = jobs * 4
    first = True
    while True:
        suspects: list[Task] = []
        with _pool(setup, jobs) as pool:
            if first:
                pool.submit(ready).result()
                started()
                first = False
            inflight: dict[Future, Task] = {}
            order: deque[Task] = deque()

            def fill() -> None:
                while len(inflight) < limit:
                    task = next(pending, None)
                    if task is None:
                        return
                    try:
                        inflight[pool.submit(run_in_worker, task)] = task
                    except BrokenProcessPool:
                        suspects.append(task)
                        return
                    order.append(task)

            fill()
            if order:
                on_start(order[0])
            while inflight and not suspects:
                done, _ = wait(inflight, return_when=FIRST_COMPLETED)
                for fut in sorted(done, key=lambda f: (inflight[f].unit, inflight[f].year)):
                    task = inflight.pop(fut)
                    order.remove(task)
                    try:
                        outcome = fut.result()
                    except BrokenProcessPool:
                        suspects.append(task)
                        continue
                    yield outcome
                if not suspects:
                    fill()
                if order:
                    on_start(order[0])
            suspects += list(inflight.values())
        if not suspects:
            return
        for task in sorted(suspects, key=lambda t: (t.unit, t.year)):
            on_start(task)
            yield _isolated(setup, task)


def run_dask(setup: Setup, tasks: Iterable[Task], address: str, on_start: OnStart = _noop) -> Iterator[Outcome]:
    """The same map on a Dask distributed cluster; every worker must see ``setup.out_dir``."""
    try:
        from distributed import Client, as_completed
    except ImportError as exc:  # pragma: no cover - dask is an optional dependency
        raise ConfigError("使用 --scheduler 需要安装 dask[distributed]：pip install 'disclosure[distributed]'。") from exc

    try:
        client = Client(address, timeout=CONNECT_TIMEOUT, set_as_default=False)
    except (OSError, TimeoutError) as exc:
        raise ConfigError(f"无法连接 Dask 调度器“{address}”（{exc}）。请检查地址和调度器是否在运行。") from exc
    try:
        import uuid

        token = uuid.uuid4().hex  # keys unique to this build: a persistent cluster never reuses a result
        workers = max(1, len(client.scheduler_info().get("workers", {})))
        limit = workers * 4
        pending = iter(tasks)
        futures = as_completed(loop=client.loop)
        tasks_of = {}
        order: deque[Task] = deque()

        def submit() -> bool:
            task = next(pending, None)
            if task is None:
                return False
            fut = client.submit(run_task, setup, task, pure=False, key=f"disclosure-{task.unit}-{task.year}-{token}")
            tasks_of[fut.key] = task
            order.append(task)
            futures.add(fut)
            return True

        for _ in range(limit):
            if not submit():
                break
        if order:
            on_start(order[0])
        for fut in futures:
            task = tasks_of.pop(fut.key)
            order.remove(task)
            try:
                yield fut.result()
            except Exception as exc:  # a worker that died; the unit is reported as failed
                yield _broken(task, exc)
            fut.release()
            submit()
            if order:
                on_start(order[0])
    finally:
        client.close()
