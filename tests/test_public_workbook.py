"""The public workbook is written directly: byte for byte what openpyxl saved for the same tables.

``tests/workbook_reference.py`` is the first version of ``disclosure/site/workbook.py``, made with
openpyxl (3.1.5, with lxml). Both are run on every unit-year of the example and acceptance projects
and on tables made to be awkward (markup, spaces, control-free odd characters, formulas, error
codes, long texts, quotes in sheet names, an empty unit name).
"""
from __future__ import annotations

import io
import sys
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest

openpyxl = pytest.importorskip("openpyxl")

from disclosure.pipeline import run_unit_year  # noqa: E402
from disclosure.project import load_project  # noqa: E402
from disclosure.site.tables import Cell, Grid, HeadCell, TableView, table_view  # noqa: E402
from disclosure.site.workbook import IllegalCharacterError, public_workbook  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
import workbook_reference  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
PROJECTS = [ROOT, *sorted(p for p in (ROOT / "tests" / "fixtures" / "acceptance").iterdir() if (p / "disclosure.toml").is_file())]
SAME_VERSION = openpyxl.__version__ == "3.1.5"  # the version whose bytes the writer follows (docProps/app.xml names it)


def _members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {i.filename: z.read(i.filename) for i in z.infolist()}


def assert_same(views: list, specs: list, unit_name: str, year: int) -> None:
    new = public_workbook(views, specs, unit_name, year)
    old = workbook_reference.public_workbook(views, specs, unit_name, year)
    if SAME_VERSION:
        assert new == old
    a, b = _members(new), _members(old)
    assert list(a) == list(b)
    for name in a:
        if name != "docProps/app.xml":
            assert a[name] == b[name], name


def _views(unit_year) -> tuple[list, list]:  # noqa: ANN001
    tables = sorted((t for t in unit_year.accounts.tables.values() if t.spec.published), key=lambda t: (t.spec.number, t.key))
    return [table_view(t, unit_year.year) for t in tables], [t.spec for t in tables]


@pytest.mark.parametrize("root", PROJECTS, ids=lambda p: p.name)
def test_every_unit_year_of_the_example_and_acceptance_projects_gives_openpyxl_s_bytes(root: Path) -> None:
    project = load_project(root)
    seen = 0
    for unit, year in project.select():
        try:
            unit_year = run_unit_year(project, unit, year)
        except Exception:  # noqa: BLE001  a unit-year that does not load has no workbook
            continue
        if unit_year.accounts is None:
            continue
        views, specs = _views(unit_year)
        if views:
            assert_same(views, specs, unit_year.content.name or unit, year)
            seen += 1
    assert seen


def _grid(texts: list[str], block: str = "") -> Grid:
    head = [[HeadCell("科目编码", rowspan=2), HeadCell(texts[0], colspan=2), HeadCell("", rowspan=2)],
            [HeadCell(texts[1]), HeadCell("  ")]]
    body = []
    for i, text in enumerate(texts):
        body.append([Cell(f"20{i}", kind="code"), Cell(text, kind="label", level=i % 4),
                     Cell("1", kind="value", value=Decimal("12345678901234567.891") if i == 2 else Decimal(i) / 7),
                     Cell("", kind="line", value=Decimal(i + 1))])
        body.append([])  # a filler row
        body.append([Cell("", kind="code"), Cell("", kind="label"), Cell("3", kind="value", value=Decimal(3), count=True),
                     Cell("", kind="unit", value=None)])
    return Grid("caption", head, body, 4, block=block)


AWKWARD = ["a & b < c > d", ' "quoted" ', "lead", "trail ", "line\nbreak\ttab\rcr", "emoji 😀 中文",
           "=SUM(A1:A2)", "#N/A", "=", "x" * 40000, "'single'", "注"]


def test_awkward_texts_spans_and_values_give_openpyxl_s_bytes() -> None:
    spec = type("Spec", (), {})
    specs, views = [], []
    for i, title in enumerate(["收入支出决算总表", "O'Brien & <Co>", "收入支出决算总表", "x" * 40]):
        s = spec()
        s.title = title
        specs.append(s)
        grids = [_grid(AWKWARD[i:] + AWKWARD[:i], "收入"), _grid(AWKWARD[::-1], "支出")] if i % 2 == 0 else [_grid(AWKWARD)]
        views.append(TableView(f"t{i}", f"公开0{i}表" if i != 1 else "", title, grids, empty=i == 3,
                               empty_note="本表为空表。", notes=["注：一条", "另一条 & <说明>"] if i < 2 else []))
    for unit_name in ("示范单位", "A & B <单位> \"引号\"", ""):
        assert_same(views, specs, unit_name, 2021)


def test_texts_that_are_markup_are_written_as_their_plain_text() -> None:
    """A str subclass whose replace escapes its arguments (markupsafe.Markup) is written as openpyxl
    writes it: as the plain text."""
    from markupsafe import Markup

    spec = type("Spec", (), {"title": Markup("收入 & 支出")})()
    view = TableView("t", Markup("公开01表"), Markup("A & B"), [_grid([Markup("a & b <c>"), Markup(" x "), "y"])],
                     empty=False, empty_note="", notes=[Markup("注：& <说明>")])
    assert_same([view], [spec], Markup("单位 & <名>"), 2021)


def test_a_control_character_is_refused_as_openpyxl_refuses_it() -> None:
    spec = type("Spec", (), {"title": "表"})()
    view = TableView("t", "", "表", [_grid(["bad\x01text"] + AWKWARD)], empty=False, empty_note="")
    with pytest.raises(IllegalCharacterError):
        public_workbook([view], [spec], "单位", 2021)
    with pytest.raises(openpyxl.utils.exceptions.IllegalCharacterError):
        workbook_reference.public_workbook([view], [spec], "单位", 2021)


def _drive(seed: int):  # noqa: ANN202
    """The same random calls on an openpyxl worksheet and on the writer's sheet model."""
    import random

    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    from disclosure.site import workbook as w

    rng = random.Random(seed)
    wb = Workbook()
    ws = wb.active
    book = w._Book()
    sheet = w._Sheet(book, "Sheet")
    fonts = [(Font(bold=True), w._BOLD), (Font(bold=True, size=16), w._TITLE_FONT)]
    aligns = [(Alignment(horizontal="center"), w._CENTER), (Alignment(horizontal="right"), w._RIGHT),
              (Alignment(horizontal="center", vertical="center"), w._CENTER_BOTH),
              (Alignment(horizontal="center", vertical="center", wrap_text=True), w._HEAD),
              (Alignment(wrap_text=True, vertical="top"), w._NOTE), (Alignment(indent=1), (None, None, None, 1)),
              (Alignment(indent=3), (None, None, None, 3))]
    formats = [("General", w._NUM_GENERAL), ("#,##0.00", w._NUM_MONEY), ("#,##0", w._NUM_COUNT), ("@", w._NUM_TEXT)]
    values = [None, "", "文字", " 空格", "=A1", "#N/A", "a&b<c>", Decimal("1.25"), Decimal("-0.5"), 7, 0]
    for _ in range(rng.randint(5, 60)):
        r, c = rng.randint(1, 9), rng.randint(1, 7)
        op = rng.random()
        merged = type(ws._cells.get((r, c))).__name__ == "MergedCell"
        if op < 0.45 and not merged:
            v = rng.choice(values)
            ws.cell(r, c, v)
            sheet.cell(r, c, v)
        elif op < 0.7 and not merged:
            cell, mine = ws.cell(r, c), sheet.cell(r, c)
            kind = rng.randint(0, 2)
            if kind == 0:
                f = rng.choice(fonts)
                cell.font, mine[2] = f[0], book.font(f[1])
            elif kind == 1:
                a = rng.choice(aligns)
                cell.alignment, mine[4] = a[0], book.alignment(a[1])
            else:
                f = rng.choice(formats)
                cell.number_format, mine[3] = f[0], f[1]
        elif op < 0.8:
            b, right = min(r + rng.randint(0, 2), 9), min(c + rng.randint(0, 2), 7)
            if (b, right) != (r, c):
                ws.merge_cells(start_row=r, start_column=c, end_row=b, end_column=right)
                sheet.merge(r, c, b, right)
        elif op < 0.9:
            width = rng.choice([7, 10, 12, 16, 34])
            ws.column_dimensions[openpyxl.utils.get_column_letter(c)].width = width
            sheet.widths[c] = width
        else:
            ws.row_dimensions[r].height = 32
            sheet.heights[r] = 32
    ws.freeze_panes = ws.cell(10, 1)  # below the cells touched (the writer's sheets freeze their first body row)
    sheet.cell(10, 1)
    sheet.pane = 10
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    buf = io.BytesIO()
    wb.save(buf)
    theirs = _members(buf.getvalue())
    mine = sheet.xml()
    return theirs["xl/worksheets/sheet1.xml"], mine, theirs["xl/styles.xml"], book.styles()


@pytest.mark.parametrize("seed", range(60))
def test_random_cells_merges_and_styles_give_openpyxl_s_sheet(seed: int) -> None:
    their_sheet, my_sheet, their_styles, my_styles = _drive(seed)
    assert my_sheet == their_sheet
    assert my_styles == their_styles
