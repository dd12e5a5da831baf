"""Progress and the closing summary: a rich progress bar on a terminal, plain lines otherwise."""
from __future__ import annotations

import sys
from typing import TextIO

from disclosure.batch.runner import BatchSummary, SilentReporter
from disclosure.batch.worker import Outcome, Task


def _seconds(s: float) -> str:
    return f"{s:.1f} 秒" if s >= 1 else f"{s * 1000:.0f} 毫秒"


def failure_lines(summary: BatchSummary, verbose: bool = False) -> list[str]:
    """The failed unit-years and their problems, one problem a line, each problem said once: a problem
    several unit-years share (a broken content/<unit>, last year's workbook, disclosure.toml) is listed
    once under all the unit-years it stopped (``unit/2020、2021``)."""
    lines: list[str] = []
    if summary.failed:
        lines.append("未能生成的单位年度（其已发布的页面保持不变，门户只链接已发布的内容）：")
    stopped: dict[tuple[str, str], list[str]] = {}  # a problem → the keys of the outcomes it stopped
    for o in summary.failed:
        for p in o.problems:
            keys = stopped.setdefault(_identity(o, p), [])
            if o.key not in keys:
                keys.append(o.key)
    groups: dict[tuple[str, ...], list[str]] = {}  # the keys a problem stopped → its problems
    for o in summary.failed:
        for p in o.problems:
            keys = tuple(stopped[_identity(o, p)])
            if p not in groups.setdefault(keys, []):
                groups[keys].append(p)
    details = {o.key: o.detail for o in summary.failed if verbose and o.detail}
    shown: set[str] = set()
    for keys, problems in groups.items():
        lines.append(f"  {_keys(keys)}")
        lines += [f"    错误：{p}" for p in problems]
        for key in keys:
            if key in details and key not in shown:
                shown.add(key)
                lines += ["    " + line for line in details[key].rstrip().splitlines()]
    for o in summary.failed:  # a failure without a problem line (its detail only)
        if not o.problems:
            lines.append(f"  {o.key}")
            if o.key in details:
                lines += ["    " + line for line in details[o.key].rstrip().splitlines()]
    return lines


def _identity(outcome: Outcome, problem: str) -> tuple[str, str]:
    """What makes two problem lines the same: the text, except for the heading of a refusal by the
    checks (``有 N 项校验错误…``), which belongs to its own unit-year's list."""
    return (problem, outcome.key if _is_check_heading(problem) else "")


def _is_check_heading(problem: str) -> bool:
    return problem.startswith("有 ") and "项校验错误" in problem


def _keys(keys: tuple[str, ...]) -> str:
    """``unit/2020、2021``: the unit-years a problem stopped, each unit named once."""
    years: dict[str, list[str]] = {}
    for key in keys:
        unit, _, year = key.rpartition("/")
        if not unit or not year.isdigit():  # a whole unit folder (tables/<unit>)
            years.setdefault(key, [])
        else:
            years.setdefault(unit, []).append(year)
    return "，".join(f"{unit}/{'、'.join(ys)}" if ys else unit for unit, ys in years.items())


def failed_note(outcome: Outcome) -> str:
    """What a progress line says of a failed unit-year: how many problems and where they are listed
    (each problem is said once, in the list at the end, not also here)."""
    count = len(outcome.problems)
    if count > 1 and _is_check_heading(outcome.problems[0]):
        count -= 1  # the refusal's own heading line
    return f"（{count} 条错误，详见末尾）" if count else "（详见末尾）"


def notice_lines(summary: BatchSummary) -> list[str]:
    """What was not read and why, and the published pages a run kept although it could have changed
    them (a unit with a file that could not be read changes none of its pages)."""
    lines = [f"提示：{n}" for n in summary.notices]
    blocked: dict[str, list[str]] = {}
    for o in summary.held:
        blocked.setdefault(o.unit, []).append(f"{o.year} 年度已生成但未替换已发布的页面")
    unread = {o.unit for o in summary.failed if not o.year}  # the unit's folder itself could not be read
    kept_years: dict[str, list[str]] = {}
    for key in summary.kept:
        unit, _, year = key.partition("/")
        if unit in unread:  # not gone from tables/: its folder could not be listed
            kept_years.setdefault(unit, []).append(year)
        else:
            blocked.setdefault(unit, []).append(f"{year} 年度的公开表已不在 tables/ 中，但已发布的页面未删除")
    for unit, years in sorted(kept_years.items()):
        lines.append(f"提示：{unit}：tables/{unit} 未能读取（见下方错误），已发布的 {'、'.join(years)} 年度页面保持不变；改正后重新生成即可。")
    for unit, what in sorted(blocked.items()):
        why = ("本次有公开表或文件夹未能读取（见下方错误）" if any(o.unit == unit for o in summary.failed)
               else "本次有单位文件夹未能读取，它可能是改了名的本单位")
        lines.append(f"提示：{unit}：{'；'.join(what)}。{why}，所以本单位已发布的页面全部保持不变；改正后重新生成即可。")
    return lines


def summary_line(summary: BatchSummary) -> str:
    parts = [f"生成 {len(summary.built)} 个", f"失败 {len(summary.failed)} 个", f"未改动跳过 {summary.skipped} 个"]
    if summary.removed:
        parts.append(f"删除 {len(summary.removed)} 个已不存在的")
    if summary.held or summary.kept:
        parts.append(f"保留未改动 {len(summary.held) + len(summary.kept)} 个（见提示）")
    portal = f"（其中门户与搜索 {_seconds(summary.portal_seconds)}）" if summary.portal_written else ""
    memory = f"，生成进程内存峰值 {summary.worker_peak_mb:.0f} MB" if summary.worker_peak_mb else ""
    return f"汇总：共 {summary.total} 个单位年度，" + "，".join(parts) + f"；用时 {_seconds(summary.seconds)}{portal}{memory}。"


class PlainReporter:
    """One line per finished unit-year, for logs and CI."""

    def __init__(self, stream: TextIO | None = None, verbose: bool = False, errors: TextIO | None = None):
        self.stream = stream or sys.stdout
        self.errors = errors or (sys.stderr if stream is None else self.stream)
        self.verbose = verbose
        self.todo = 0
        self.count = 0

    def _print(self, text: str) -> None:
        try:
            print(text, file=self.stream, flush=True)
        except BrokenPipeError:  # output piped into head & co.: keep building, stop printing
            import os

            self.stream = open(os.devnull, "w")

    def plan(self, total: int, todo: int, skipped: int) -> None:
        self.todo = todo
        self._print(f"共 {total} 个单位年度：需生成 {todo} 个，未改动跳过 {skipped} 个。")

    def started(self) -> None: ...

    def current(self, task: Task) -> None: ...

    def done(self, outcome: Outcome) -> None:
        self.count += 1
        width = len(str(self.todo))
        head = f"[{self.count:>{width}}/{self.todo}]"
        if outcome.ok:
            draft = "草稿：未通过校验，" if outcome.status == "draft" else ""
            self._print(f"{head} 完成 {outcome.key}（{draft}{_seconds(outcome.seconds)}）")
        else:
            self._print(f"{head} 失败 {outcome.key}{failed_note(outcome)}")

    def portal(self) -> None:
        self._print("生成门户首页与站内搜索索引……")

    def finish(self, summary: BatchSummary) -> None:
        for line in notice_lines(summary):
            self._print(line)
        self._print(summary_line(summary))
        for line in failure_lines(summary, self.verbose):  # the errors themselves go to stderr
            print(line, file=self.errors, flush=True)


class RichReporter:
    """A live bar with done / failed / skipped counts and the unit-year being built, then a table."""

    def __init__(self, stream: TextIO | None = None, verbose: bool = False):
        from rich.console import Console

        self.console = Console(file=stream or sys.stdout)
        self.errors = Console(file=sys.stderr) if stream is None else self.console
        self.verbose = verbose
        self.progress = None
        self.task_id = None
        self.ok = self.failed = self.skipped = 0

    def plan(self, total: int, todo: int, skipped: int) -> None:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self.skipped = skipped
        self.progress = Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("完成 [green]{task.fields[ok]}[/] · 失败 [red]{task.fields[failed]}[/] · 跳过 {task.fields[skipped]}"),
            TimeElapsedColumn(),
            TextColumn("{task.fields[current]}"),
            console=self.console,
            transient=True,
        )
        self.task_id = self.progress.add_task("生成", total=todo, ok=0, failed=0, skipped=skipped, current="")

    def started(self) -> None:
        if self.progress is not None:
            self.progress.start()

    def current(self, task: Task) -> None:
        if self.progress is not None:
            self.progress.update(self.task_id, current=f"{task.unit}/{task.year}")

    def done(self, outcome: Outcome) -> None:
        if outcome.ok:
            self.ok += 1
        else:
            self.failed += 1
            self.console.print(f"[red]失败[/] {outcome.key}{failed_note(outcome)}", highlight=False, markup=True)
        if self.progress is not None:
            self.progress.update(self.task_id, advance=1, ok=self.ok, failed=self.failed)

    def portal(self) -> None:
        if self.progress is not None:
            self.progress.update(self.task_id, current="门户首页与站内搜索索引")

    def finish(self, summary: BatchSummary) -> None:
        from rich.table import Table

        if self.progress is not None:
            self.progress.stop()
        table = Table(title="生成汇总", show_header=True)
        table.add_column("项目")
        table.add_column("数量", justify="right")
        table.add_row("单位年度总数", str(summary.total))
        table.add_row("本次生成", f"[green]{len(summary.built)}[/]")
        table.add_row("失败", f"[red]{len(summary.failed)}[/]" if summary.failed else "0")
        table.add_row("未改动跳过", str(summary.skipped))
        if summary.removed:
            table.add_row("已删除（不再存在）", str(len(summary.removed)))
        table.add_row("用时", _seconds(summary.seconds))
        if summary.portal_written:
            table.add_row("其中门户与搜索", _seconds(summary.portal_seconds))
        if summary.worker_peak_mb:
            table.add_row("生成进程内存峰值", f"{summary.worker_peak_mb:.0f} MB")
        for line in notice_lines(summary):
            self.console.print(line, highlight=False, markup=False)
        self.console.print(table)
        for line in failure_lines(summary, self.verbose):
            self.errors.print(line, highlight=False, markup=False)


def make_reporter(stream: TextIO | None = None, *, verbose: bool = False, quiet: bool = False):
    """Rich on a terminal, plain lines when output goes to a file or a pipe."""
    if quiet:
        return SilentReporter()
    if (stream or sys.stdout).isatty():
        return RichReporter(stream, verbose)
    return PlainReporter(stream, verbose)
