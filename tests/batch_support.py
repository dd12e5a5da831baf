"""A small builder and portal for the batch tests: the batch maps any builder over unit-years, so
these write a page per sheet as ``disclosure.load`` reads it (no report, no check) and a portal
linking every published unit-year. Module-level functions, as the batch needs (a pool or Dask worker
receives them by module and name)."""
from __future__ import annotations

from dataclasses import dataclass, field
from html import escape
from pathlib import Path

from disclosure.content import load_content
from disclosure.errors import InputError, Problem
from disclosure.load.workbook import BookError, read_book
from disclosure.project import Project

PAGE = '<!doctype html>\n<html lang="zh-CN"><head><meta charset="utf-8"><title>{title}</title></head>\n<body>\n<h1>{title}</h1>\n{body}\n</body></html>\n'


@dataclass
class SheetResult:
    """What a unit-year build reports to the portal."""

    unit: str
    year: int
    name: str
    pages: list[str] = field(default_factory=list)


def _cell(value: object) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return escape(str(value))


def sheet_pages(project: Project, unit: str, year: int, out_dir: Path, options: object = None) -> SheetResult:
    """``<out_dir>/<unit>/<year>/index.html`` and one page per sheet (``tables/01.html`` …)."""
    source = project.source(unit, year)
    if source is None:
        raise InputError(Problem(f"找不到 {unit} {year} 年的公开表。", file=f"tables/{unit}"))
    files = sorted(p for p in source.iterdir() if p.is_file()) if source.is_dir() else [source]
    folder = Path(out_dir) / unit / str(year)
    (folder / "tables").mkdir(parents=True, exist_ok=True)
    name = load_content(project, unit, year).name or unit
    pages: list[str] = []
    for path in files:
        try:
            sheets = read_book(path, project.relative(path))
        except BookError as exc:
            raise InputError(exc.problem) from exc
        for sheet in sheets:
            page = f"tables/{len(pages) + 1:02d}.html"
            rows = "\n".join("<tr>" + "".join(f"<td>{_cell(v)}</td>" for v in row) + "</tr>" for row in sheet.grid)
            (folder / page).write_text(PAGE.format(title=escape(sheet.name), body=f"<table>\n{rows}\n</table>"), encoding="utf-8")
            pages.append(page)
    links = "\n".join(f'<li><a href="{p}">{p}</a></li>' for p in pages)
    (folder / "index.html").write_text(PAGE.format(title=escape(f"{name} {year}年度决算"), body=f"<ul>\n{links}\n</ul>"), encoding="utf-8")
    return SheetResult(unit, year, name, pages)


def list_portal(project: Project, out_dir: Path, results: list[SheetResult], options: object = None) -> None:
    """``<out_dir>/index.html`` linking every published unit-year."""
    items = "\n".join(f'<li><a href="{r.unit}/{r.year}/index.html">{escape(r.name)} {r.year}年度</a></li>' for r in results)
    (Path(out_dir) / "index.html").write_text(PAGE.format(title=escape(project.site.name), body=f"<ul>\n{items}\n</ul>"), encoding="utf-8")
