"""A plain builder and portal used when the full site is not wanted (and by the batch tests).

It reads every sheet of a unit-year's workbook with python-calamine and writes one escaped HTML
table per sheet plus an index page; the portal lists every published unit-year. Same input, same
bytes.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Any

from disclosure.errors import InputError, Problem
from disclosure.project import Project

_PAGE = '<!doctype html>\n<html lang="zh-CN"><head><meta charset="utf-8"><title>{title}</title></head>\n<body>\n<h1>{title}</h1>\n{body}\n</body></html>\n'


@dataclass
class SimpleResult:
    """What a unit-year build reports to the portal."""

    unit: str
    year: int
    name: str
    pages: list[str] = field(default_factory=list)


def _cell(value: Any) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return escape(str(value))


def _read_sheets(path: Path, project: Project) -> list[tuple[str, list[list[Any]]]]:
    import python_calamine

    try:
        book = python_calamine.CalamineWorkbook.from_path(str(path))
        return [(name, book.get_sheet_by_name(name).to_python(skip_empty_area=False)) for name in book.sheet_names]
    except Exception as exc:  # calamine raises its own error types for damaged files
        raise InputError(
            Problem(f"无法读取工作簿（{type(exc).__name__}: {exc}）。请用 Excel 或 WPS 打开确认文件完好，另存为 .xlsx 后重试。", file=project.relative(path))
        ) from exc


def build_unit_year(project: Project, unit: str, year: int, out_dir: Path, options: Any = None) -> SimpleResult:
    """Write ``<out_dir>/<unit>/<year>/index.html`` and one page per sheet."""
    source = project.source(unit, year)
    if source is None:
        raise InputError(Problem(f"找不到 {unit} {year} 年的公开表。", file=f"tables/{unit}"))
    files = sorted(p for p in source.iterdir() if p.is_file()) if source.is_dir() else [source]
    folder = Path(out_dir) / unit / str(year)
    (folder / "tables").mkdir(parents=True, exist_ok=True)
    from disclosure.content import load_content

    name = load_content(project, unit, year).name or unit
    pages: list[str] = []
    for path in files:
        for name_, rows in _read_sheets(path, project):
            page = f"tables/{len(pages) + 1:02d}.html"
            body = "<table>\n" + "\n".join("<tr>" + "".join(f"<td>{_cell(v)}</td>" for v in row) + "</tr>" for row in rows) + "\n</table>"
            (folder / page).write_text(_PAGE.format(title=escape(name_), body=body), encoding="utf-8")
            pages.append(page)
    links = "\n".join(f'<li><a href="{p}">{p}</a></li>' for p in pages)
    (folder / "index.html").write_text(_PAGE.format(title=escape(f"{name} {year}年度决算"), body=f"<ul>\n{links}\n</ul>"), encoding="utf-8")
    return SimpleResult(unit, year, name, pages)


def write_portal(project: Project, out_dir: Path, results: list[SimpleResult], options: Any = None) -> None:
    """``<out_dir>/index.html`` linking every published unit-year."""
    items = "\n".join(f'<li><a href="{r.unit}/{r.year}/index.html">{escape(r.name)} {r.year}年度</a></li>' for r in results)
    html = _PAGE.format(title=escape(project.site.name), body=f"<ul>\n{items}\n</ul>")
    (Path(out_dir) / "index.html").write_text(html, encoding="utf-8")
