"""Helpers (no tests) for site and build tests: copy the example project, edit one of its cells, build it."""
from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import openpyxl

from disclosure.cli import main

ROOT = Path(__file__).resolve().parents[1]
UNIT = "bayannur-jiaoguan"
UNIT_NAME = "巴彦淖尔市公安局交通管理支队"


def copy_example(dest: Path) -> Path:
    """A private copy of the repository's example project (tables/, content/, disclosure.toml)."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in ("tables", "content"):
        shutil.copytree(ROOT / name, dest / name)
    shutil.copyfile(ROOT / "disclosure.toml", dest / "disclosure.toml")
    return dest


BASIC_SHEET = "一般公共预算财政拨款基本支出决算明细表"


def make_test_project(dest: Path) -> Path:
    """The example with its 2021 30112 其他社会保障缴费 row recoded as 30113 住房公积金 (same amount), so
    that search has a 住房公积金 row to find; every identity still holds."""
    project = copy_example(dest)
    book = workbook(project, 2021)
    label = find_cell(book, BASIC_SHEET, "其他社会保障缴费")
    code = "A" + label[1:]
    set_cell(book, BASIC_SHEET, code, "30113")
    set_cell(book, BASIC_SHEET, label, "住房公积金")
    return project


def workbook(project: Path, year: int) -> Path:
    return project / "tables" / UNIT / f"{year}.xlsx"


def set_cell(path: Path, sheet: str, cell: str, value: object) -> None:
    wb = openpyxl.load_workbook(path)
    wb[sheet][cell] = value
    wb.save(path)
    wb.close()


def replace_text(path: Path, old: str, new: str) -> int:
    """Replace ``old`` by ``new`` inside every text cell of a workbook; return how many cells changed."""
    wb = openpyxl.load_workbook(path)
    changed = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if isinstance(c.value, str) and old in c.value:
                    c.value = c.value.replace(old, new)
                    changed += 1
    wb.save(path)
    wb.close()
    return changed


def find_cell(path: Path, sheet: str, text: str) -> str:
    """The address of the first cell of a sheet whose text is ``text``."""
    wb = openpyxl.load_workbook(path, read_only=True)
    try:
        for row in wb[sheet].iter_rows():
            for c in row:
                if isinstance(c.value, str) and c.value.strip() == text:
                    return c.coordinate
    finally:
        wb.close()
    raise LookupError(f"{text!r} not on {sheet}")


def build(project: Path, out: Path, *extra: str, kit: bool = False) -> int:
    """``disclosure build``; without the publication kit (Chromium's PDF) unless ``kit``."""
    return main(["build", str(project), "--out", str(out), *extra, *(() if kit else ("--no-kit",))])


def digest_tree(folder: Path) -> dict[str, str]:
    """Relative path → sha256 of every file under a folder."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*")) if p.is_file()
    }
