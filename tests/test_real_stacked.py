"""Every table stacked one below another on one sheet (tests/fixtures/real/make_stacked.py), as a
PDF-to-Excel conversion or some accounting software exports a 部门决算: each stacked block is read as its
own table, to the same figures as the multi-sheet original, every cell at its address on the one sheet;
it checks with the same findings and its report states the same figures; a broken block is named at its
cell."""
from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

import pytest

from disclosure.cli import main
from disclosure.errors import InputError
from disclosure.load import load_accounts
from disclosure.load.reader import read_tables
from disclosure.load.workbook import parse_a1
from disclosure.pipeline import check_unit_year
from disclosure.project import load_project
from disclosure.standard import load_table_set

REAL = Path(__file__).parent / "fixtures" / "real"
sys.path.insert(0, str(REAL))
from make_shanghai import PROJECTS as SHANGHAI  # noqa: E402
from make_stacked import PROJECTS, offsets  # noqa: E402
from test_real_shanghai import STATED  # noqa: E402

CASES = [(name, *PROJECTS[name]) for name in PROJECTS]


def _accounts(project: str):
    slug, _, year, _, _ = SHANGHAI[PROJECTS[project][0] if project in PROJECTS else project]
    return load_accounts(load_project(REAL / project), slug, year)


def test_every_stacked_project_is_written_and_named_in_the_readme():
    readme = (REAL / "README.md").read_text(encoding="utf-8")
    for name, (source, _, fmt) in PROJECTS.items():
        slug, _, year, _, _ = SHANGHAI[source]
        assert f"`{name}/`" in readme
        assert (REAL / name / "tables" / slug / f"{year}.{fmt}").is_file()


@pytest.mark.parametrize("name,source,sheet,fmt", CASES)
def test_the_stacked_sheet_loads_to_the_figures_of_the_original_at_its_own_cells(name, source, sheet, fmt):
    original, stacked = _accounts(source), _accounts(name)
    assert list(stacked.tables) == list(original.tables)
    grids = SHANGHAI[source][3]()
    shift = {g.name: row for g, row in zip(grids, offsets(grids))}
    for key, table in original.tables.items():
        other = stacked.tables[key]
        assert other.sheet == sheet
        assert (other.empty, other.source_unit, other.notes) == (table.empty, table.source_unit, table.notes), key
        assert [(r.key, r.label, r.code, r.level, r.values) for r in other.rows] == \
               [(r.key, r.label, r.code, r.level, r.values) for r in table.rows], key
        down = shift[table.sheet]
        for row, moved in zip(table.rows, other.rows):
            assert set(moved.cells) == set(row.cells)
            for column, ref in row.cells.items():
                r, c = parse_a1(ref.cell)
                at = moved.cells[column]
                assert (at.sheet, parse_a1(at.cell), at.table) == (sheet, (r + down, c), key), (key, row.key, column)
        if table.title_cell is not None:
            r, c = parse_a1(table.title_cell.cell)
            assert other.title_cell.sheet == sheet and parse_a1(other.title_cell.cell) == (r + down, c)
    assert stacked.unit_name == original.unit_name


@pytest.mark.parametrize("name,source,sheet,fmt", CASES)
def test_the_stacked_sheet_checks_with_the_findings_of_the_original(name, source, sheet, fmt):
    slug, _, year, _, _ = SHANGHAI[source]
    original = check_unit_year(load_project(REAL / source), slug, year)
    stacked = check_unit_year(load_project(REAL / name), slug, year)
    assert stacked.problems == [] and stacked.errors == []

    def said(result) -> Counter:  # the findings with their cells' addresses taken out
        return Counter((f.rule, f.severity, re.sub(r"\S+![A-Z]+\d+|[A-Z]+\d+", "@", f.message)) for f in result.findings)

    assert said(stacked) == said(original)


@pytest.mark.parametrize("name,source,sheet,fmt", CASES)
def test_the_stacked_sheet_builds_a_report_stating_the_published_figures(name, source, sheet, fmt, tmp_path):
    slug, _, year, _, _ = SHANGHAI[source]
    out = tmp_path / "site"
    assert main(["build", "--no-kit", str(REAL / name), "--out", str(out)]) == 0
    page = (out / slug / str(year) / "index.html").read_text(encoding="utf-8")
    assert [f for f in STATED[source] if f not in page] == []


def _broken(tmp_path: Path, edit) -> list:
    """The 财政局 stacked workbook with one cell changed by ``edit(worksheet)``; the problems it gives."""
    from openpyxl import load_workbook

    slug, _, year, _, _ = SHANGHAI["shanghai-caizheng-2024"]
    path = tmp_path / f"{year}.xlsx"
    book = load_workbook(REAL / "shanghai-caizheng-stacked" / "tables" / slug / f"{year}.xlsx")
    edit(book["Sheet1"])
    book.save(path)
    with pytest.raises(InputError) as caught:
        read_tables(path, load_table_set("national-9"), display_path="tables/x/2024.xlsx", year=year)
    return caught.value.problems


def test_a_broken_figure_in_a_stacked_table_is_named_at_its_cell_on_the_one_sheet(tmp_path):
    """A figure of the 支出决算表 (the third table down) made text: the problem names Sheet1 and that cell."""
    cell = _accounts("shanghai-caizheng-stacked").tables["expenditure"].row("2010601").cells["basic"].cell
    r, _ = parse_a1(cell)
    assert r > 60  # far below the sheet's top rows: the third table of the stack

    def edit(ws):
        ws[cell] = "一千"

    problems = _broken(tmp_path, edit)
    assert [(p.file, p.sheet, p.cell) for p in problems] == [("tables/x/2024.xlsx", "Sheet1", cell)], problems


def test_a_stacked_table_without_its_unit_line_is_named_at_its_title(tmp_path):
    """The 一般公共预算财政拨款支出决算表 (fifth down) loses its 单位：万元 line: the problem names its title cell."""
    title = _accounts("shanghai-caizheng-stacked").tables["general_budget"].title_cell.cell
    r, _ = parse_a1(title)

    def edit(ws):
        for row in ws.iter_rows(min_row=r + 1, max_row=r + 3):
            for c in row:
                if isinstance(c.value, str) and c.value.startswith("单位"):
                    c.value = None

    problems = _broken(tmp_path, edit)
    assert len(problems) == 1 and "一般公共预算财政拨款支出决算表没有写金额单位" in problems[0].message
    assert (problems[0].sheet, problems[0].cell) == ("Sheet1", title)


def test_a_sheet_with_one_table_and_a_contents_sheet_are_read_as_before():
    """Splitting happens only where two titles each head a table: the multi-sheet original has none."""
    from disclosure.load.locate import stacked_blocks
    from disclosure.load.workbook import read_book

    slug, _, year, _, _ = SHANGHAI["shanghai-caizheng-2024"]
    path = REAL / "shanghai-caizheng-2024" / "tables" / slug / f"{year}.xlsx"
    table_set = load_table_set("national-9")
    assert [stacked_blocks(s, table_set) for s in read_book(path, "x")] == [None] * 9
    # a 目录 lists the titles row by row, no table under any: not split (and ignored as a listing)
    from disclosure.load.workbook import Sheet
    contents = Sheet("目录", "x", [["目录"]] + [[s.title, i + 3] for i, s in enumerate(table_set)])
    assert stacked_blocks(contents, table_set) is None


def _stacked_book(tmp_path: Path, grids) -> Path:
    from make_shanghai import save
    from make_stacked import stack

    path = tmp_path / "2024.xlsx"
    save([stack(grids, "Sheet1")], path)
    return path


def _contents(lines: list[str], leaders: bool):
    from make_shanghai import Grid

    g = Grid("目录")
    for r, text in enumerate(lines):
        g.put(r, 0, text)
        if r:  # its page number, after dot leaders in a cell of their own
            g.put(r, 1 + leaders, r + 2)
            if leaders:
                g.put(r, 1, "……………")
    return g


@pytest.mark.parametrize("leaders", [False, True])
def test_a_contents_list_above_the_stacked_tables_is_not_read_as_a_table(tmp_path, leaders):
    """A PDF's 目录 converted with it: its titles row by row (each with a page number), two lines of text
    before the first table: the tables are read below it, the 目录 left aside."""
    from make_shanghai import caizheng

    table_set = load_table_set("national-9")
    head = _contents(["目录"] + [f"{s.marker}　{s.title}" if s.marker else s.title for s in table_set]
                     + ["第四部分　名词解释"]
                     + ["第三部分　2024年度部门决算表", "上海市普陀区财政局"], leaders)
    path = _stacked_book(tmp_path, [head, *caizheng()])
    loaded = read_tables(path, table_set, display_path="tables/x/2024.xlsx", year=2024)
    original = _accounts("shanghai-caizheng-2024")
    assert list(loaded.tables) == list(original.tables)
    for key, table in original.tables.items():
        assert [r.values for r in loaded.tables[key].rows] == [r.values for r in table.rows], key


def test_a_table_stacked_twice_is_named_at_its_second_title(tmp_path):
    from make_shanghai import caizheng

    grids = caizheng()
    again = caizheng()[6]  # the 三公 table a second time, at the foot of the sheet
    path = _stacked_book(tmp_path, [*grids, again])
    with pytest.raises(InputError) as caught:
        read_tables(path, load_table_set("national-9"), display_path="tables/x/2024.xlsx", year=2024)
    row = offsets([*grids, again])[-1] + 1  # the title of the last block (its first row)
    [problem] = caught.value.problems
    assert "出现了两次" in problem.message and f"第{row}行" in problem.message
    assert (problem.sheet, problem.cell) == ("Sheet1", f"A{row}")


def _page_break(g, at: int, lines: list[str]):
    """The grid with a page break before its row ``at``, as a PDF converts it: the page's lines (第 1 页，共 2 页 …),
    then the table's header rows (its rows 2–4) printed again, then the rest of the table."""
    from make_shanghai import Grid

    out = Grid(g.name)
    down = len(lines) + 3
    for (r, c), value in g.cells.items():
        out.put(r + (down if r >= at else 0), c, value)
        if 2 <= r <= 4:
            out.put(at + len(lines) + r - 2, c, value)
    for r0, c0, r1, c1 in g.merges:
        d = down if r0 >= at else 0
        out.merge(r0 + d, c0, r1 + d, c1)
        if 2 <= r0 <= 4:
            out.merge(at + len(lines) + r0 - 2, c0, at + len(lines) + r1 - 2, c1)
    for i, text in enumerate(lines):
        out.put(at + i, 0, text)
    return out


@pytest.mark.parametrize("lines", [[], ["第 1 页，共 2 页"], ["第 1 页，共 2 页", "支出决算表（续）"]])
def test_a_header_printed_again_after_a_page_break_is_not_read_as_a_row(tmp_path, lines):
    """The 支出决算表 broken over two pages: the header rows printed again mid-table were “不是数字”; now they
    are skipped, the page's own lines are notices, and the figures are the original's."""
    from make_shanghai import caizheng

    grids = caizheng()
    grids[2] = _page_break(grids[2], 12, lines)
    loaded = read_tables(_stacked_book(tmp_path, grids), load_table_set("national-9"),
                         display_path="tables/x/2024.xlsx", year=2024)
    original = _accounts("shanghai-caizheng-2024").tables["expenditure"]
    assert [(r.key, r.values) for r in loaded.tables["expenditure"].rows] == [(r.key, r.values) for r in original.rows]
    assert [n for n in loaded.notices if "不是本表的项目" in n] == [
        f"tables/x/2024.xlsx，Sheet1!A{offsets(grids)[2] + 13 + i}：“{t}”不是本表的项目，已忽略。" for i, t in enumerate(lines)]


@pytest.mark.parametrize("form", ["{title}（公开{n:02d}表）", "{title}　公开{n:02d}表", "{title}（2024年度）"])
def test_stacked_titles_with_their_marker_or_year_after_them_split_the_sheet(tmp_path, form):
    from make_shanghai import caizheng

    grids = caizheng()
    for n, g in enumerate(grids, 1):
        g.put(0, 0, form.format(title=g.cells[(0, 0)], n=n))
    loaded = read_tables(_stacked_book(tmp_path, grids), load_table_set("national-9"),
                         display_path="tables/x/2024.xlsx", year=2024)
    original = _accounts("shanghai-caizheng-2024")
    assert list(loaded.tables) == list(original.tables)
    for key, table in original.tables.items():
        assert [(r.key, r.values) for r in loaded.tables[key].rows] == [(r.key, r.values) for r in table.rows], key


@pytest.mark.parametrize("layout", ["tianshui-split", "putuo-neimenggu-11"])
def test_other_layouts_stacked_read_as_their_sheets_do(tmp_path, layout):
    """make_real.py's layouts (编制单位 and 公开NN表 under each title; 内蒙古's two-column information table
    last, 项目 | 统计数, its lines a label and a figure) stacked on one sheet read as their own sheets do."""
    from make_real import PUTUO, TIANSHUI, national, neimenggu
    from make_shanghai import save

    def sheet(n):
        return f"Sheet{n}"

    unit, grids = {"tianshui-split": (TIANSHUI, lambda: national(TIANSHUI, sheet, "split")),
                   "putuo-neimenggu-11": (PUTUO, lambda: neimenggu(PUTUO, sheet))}[layout]
    table_set = load_table_set(unit.table_set)
    apart = tmp_path / "apart.xlsx"
    save(grids(), apart)
    want = read_tables(apart, table_set, display_path="x", year=unit.year)
    got = read_tables(_stacked_book(tmp_path, grids()), table_set, display_path="x", year=unit.year)
    assert list(got.tables) == list(want.tables)
    for key, table in want.tables.items():
        assert [(r.key, r.values) for r in got.tables[key].rows] == [(r.key, r.values) for r in table.rows], key
    assert got.unit_name == want.unit_name
