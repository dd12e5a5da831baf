"""Findings for people and machines: grouped text for a terminal (colour when it is one) and a
stable, sorted JSON document."""
from __future__ import annotations

import json
from itertools import groupby
from typing import IO

from disclosure.check.finding import SEVERITIES, SEVERITY_LABELS, Finding, summary_line
from disclosure.check.record import UnitYearCheck

UNIT_YEAR_GROUP = "本年度"  # heading of findings that belong to no single table
STYLES = {"error": "bold red", "warning": "yellow", "notice": "cyan"}


def _heading(result: UnitYearCheck) -> str:
    if result.folder:
        return result.folder
    name = f"{result.unit_name}（{result.unit}）" if result.unit_name else result.unit
    return f"{name} {result.year} 年度"


def _sections(results: list[UnitYearCheck]) -> list[tuple[str, UnitYearCheck]]:
    """Each result under its heading, except that the unit-years of one unit stopped by the same
    unreadable input (content/<unit>, last year's workbook) are said once under one heading
    (``单位 2020、2021 年度``), where they first come."""
    merged: dict[tuple, list[UnitYearCheck]] = {}
    order: list[tuple] = []
    for i, r in enumerate(results):
        key = ("unreadable", r.unit, tuple(map(str, r.problems))) if not r.readable and not r.folder else ("own", i)
        if key not in merged:
            merged[key] = []
            order.append(key)
        merged[key].append(r)
    out = []
    for key in order:
        group = merged[key]
        first = group[0]
        if len(group) == 1:
            out.append((_heading(first), first))
        else:
            name = f"{first.unit_name}（{first.unit}）" if first.unit_name else first.unit
            out.append((f"{name} {'、'.join(str(r.year) for r in group)} 年度", first))
    return out


def _labelled(result: UnitYearCheck, cell) -> bool:
    """Whether a cell needs its file named: always in a folder of one file per table (every sheet
    may be called Sheet1), otherwise only for cells outside this year's workbook (the prior year's)."""
    folder = f"tables/{result.unit}/{result.year}/"
    return cell.file.startswith(folder) or not cell.file.startswith(f"tables/{result.unit}/{result.year}.")


def _message(f: Finding, result: UnitYearCheck) -> str:
    """The finding's message, followed by the file of each cell whose sheet name alone is ambiguous."""
    where = "；".join(dict.fromkeys(f"{c.file} {c}" for c in f.cells if c.file.startswith("tables/") and _labelled(result, c)))
    return f"{f.message}（位置：{where}）" if where else f.message


def _groups(result: UnitYearCheck) -> list[tuple[str, list[Finding]]]:
    out = []
    for key, items in groupby(result.findings, key=lambda f: f.table):
        title = UNIT_YEAR_GROUP if key is None else result.table_titles.get(key, key)
        out.append((title, list(items)))
    return out


def totals(results: list[UnitYearCheck]) -> dict[str, int]:
    counts = dict.fromkeys(SEVERITIES, 0)
    for r in results:
        for s, n in r.counts().items():
            counts[s] += n
    counts["unit_years"] = len(results)
    counts["unreadable"] = sum(1 for r in results if not r.readable)
    return counts


def final_line(results: list[UnitYearCheck]) -> str:
    """The run's verdict. It never says 通过 when some input could not be read: that part was
    not checked at all."""
    checked = [r for r in results if not r.folder]
    findings = [f for r in results for f in r.findings]
    unreadable = sum(1 for r in checked if not r.readable)
    folders = sum(1 for r in results if r.folder)
    line = f"共检查 {len(checked)} 个单位年度，{summary_line(findings)}"
    if unreadable or folders:
        line = line.replace("通过校验：", "未完成校验：", 1) if "未通过校验" not in line else line
        if unreadable:
            line += f"另有 {unreadable} 个单位年度的输入无法读取（见上方“无法读取”），这些单位年度未经校验。"
        if folders:
            line += f"另有 {folders} 个文件夹不能用作单位（见上方“无法读取”），其中的公开表未经校验。"
    return line


def write_plain(results: list[UnitYearCheck], out: IO[str]) -> None:
    """Plain text, columns aligned with spaces: for pipes, files and CI logs."""
    for heading, result in _sections(results):
        print(heading, file=out)
        if not result.readable:
            for p in result.problems:
                print(f"  无法读取：{p}", file=out)
            print(file=out)
            continue
        if not result.findings:
            print("  全部勾稽关系成立。", file=out)
        for title, items in _groups(result):
            print(f"  {title}", file=out)
            width = max(len(f.rule) for f in items)
            for f in items:
                print(f"    {f.label}  {f.rule.ljust(width)}  {_message(f, result)}", file=out)
        print(f"  {summary_line(result.findings)}", file=out)
        print(file=out)
    print(final_line(results), file=out)


def write_rich(results: list[UnitYearCheck], out: IO[str], *, color: bool = True) -> None:
    """Colour and a table per group, for a terminal (``color`` forces ANSI colour codes)."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console(file=out, highlight=False, force_terminal=color or None)
    for heading, result in _sections(results):
        console.print(Text(heading, style="bold"))
        if not result.readable:
            for p in result.problems:
                console.print(Text(f"  无法读取：{p}", style=STYLES["error"]))
            console.print()
            continue
        if not result.findings:
            console.print(Text("  全部勾稽关系成立。", style="green"))
        for title, items in _groups(result):
            table = Table(title=title, title_justify="left", show_header=False, box=None, padding=(0, 1))
            table.add_column(no_wrap=True)
            table.add_column(no_wrap=True, style="dim")
            table.add_column(overflow="fold")
            for f in items:
                table.add_row(Text(f.label, style=STYLES[f.severity]), Text(f.rule), Text(_message(f, result)))
            console.print(table)
        verdict_style = STYLES["error"] if result.errors else "green"
        console.print(Text(f"  {summary_line(result.findings)}", style=verdict_style))
        console.print()
    failed = any(r.errors for r in results) or any(not r.readable for r in results)
    console.print(Text(final_line(results), style=STYLES["error"] if failed else "bold green"))


def to_json(results: list[UnitYearCheck], *, project: str = "", texts: dict[str, dict] | None = None) -> str:
    """Every unit-year's findings; keys sorted, findings in check order, stable bytes. ``texts``
    (``"unit/year"`` → its entry, as ``commands/text_sources.texts_json`` writes it) adds to each
    unit-year which file each of its texts is read from."""
    texts = texts or {}
    rows = []
    for r in sorted(results, key=lambda r: (r.unit, r.year)):
        row = r.to_dict()
        if not r.folder:
            row["texts"] = texts.get(f"{r.unit}/{r.year}")
        rows.append(row)
    document = {"project": project, "summary": totals(results), "results": rows}
    return json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


__all__ = ["SEVERITY_LABELS", "final_line", "to_json", "totals", "write_plain", "write_rich"]
