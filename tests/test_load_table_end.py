"""Where a table ends (disclosure.load.tables): blank rows and a note, or a run of rows that cannot be
rows of the table, end it; what lies below is not read, and the same problem in many cells is said once."""
from __future__ import annotations

import re
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest

from disclosure.errors import InputError
from disclosure.load.guard import _xlsx_sheet_names
from disclosure.load.tables import STRAY_RUN
from disclosure.money import percent, round_half_up
from test_load_classification import HEAD, read, write

D = Decimal
TABLE = [HEAD, ["", "合计", 100, 100, None], ["204", "公共安全支出", 100, 100, None], ["20402", "公安", 100, 100, None],
         ["2040201", "行政运行", 100, 100, None]]


def junk(n: int, start: int = 0) -> list[list]:
    return [["", f"杂项{start + i}", i + 1, i + 1, None] for i in range(n)]


def test_blank_rows_then_a_note_end_the_table_and_figures_below_are_not_read(tmp_path):
    rows = [*TABLE, [], [], ["注：本表反映本年度各项支出。"], *junk(30), ["说明：以下为内部数据。"]]
    loaded = read(write(tmp_path / "w.xlsx", rows), 2021)
    table = loaded.tables["expenditure"]
    assert table.value("2040201", "total") == D("100")
    assert "注：本表反映本年度各项支出。" in table.notes and "说明：以下为内部数据。" in table.notes
    [notice] = [n for n in loaded.notices if "未读取" in n]
    assert "表格在第10行的说明处结束，其下有数字的 30 行不属于本表，未读取" in notice and "!A11：" in notice


def test_a_long_run_of_rows_that_are_no_rows_of_the_table_is_one_error(tmp_path):
    rows = [*TABLE, *junk(500)]
    with pytest.raises(InputError) as exc:
        read(write(tmp_path / "w.xlsx", rows), 2021)
    [problem] = exc.value.problems
    assert problem.cell == "B8"
    assert "表格下方从第8行起有 500 行不是本表的项目（B8“杂项0”、B9“杂项1”、B10“杂项2” 等）" in problem.message


def test_a_short_run_broken_by_a_row_of_the_table_is_an_error_per_row(tmp_path):
    rows = [*TABLE[:4], *junk(STRAY_RUN - 1), TABLE[4]]
    with pytest.raises(InputError) as exc:
        read(write(tmp_path / "w.xlsx", rows), 2021)
    [problem] = exc.value.problems  # one message for the run, each cell counted, nothing cut off
    assert f"共 {STRAY_RUN - 1} 处" in problem.message and "（B7、B8、B9、B10、B11等共" in problem.message
    assert "表格下方" not in problem.message


def test_three_unplaced_rows_are_three_errors_with_their_nearest_names(tmp_path):
    rows = [*TABLE[:4], ["", "行政运营", 1, 1, None], ["", "一般行政管理事物", 1, 1, None], ["", "机关服物", 1, 1, None]]
    with pytest.raises(InputError) as exc:
        read(write(tmp_path / "w.xlsx", rows), 2021)
    assert [p.cell for p in exc.value.problems] == ["B7", "B8", "B9"]
    assert "最接近的科目：行政运行（2040201）" in exc.value.problems[0].message


def test_the_same_mistake_in_many_cells_with_different_texts_is_said_once(tmp_path):
    rows = [*TABLE[:4], ["2040201", "行政运行", "一百", "甲", None], ["2040202", "一般行政管理事务", "二百", "乙", None]]
    with pytest.raises(InputError) as exc:
        read(write(tmp_path / "w.xlsx", rows), 2021)
    [problem] = exc.value.problems
    assert problem.message.startswith("“一百”不是数字") and "（C7、D7、C8、D8共 4 处）" in problem.message


def test_a_rate_over_a_tiny_base_is_rounded_not_an_internal_error():
    # the fuzz run's one traceback: 年初结转和结余 of 1E-21 made a rate of 34 digits
    assert percent(D("1151.1"), D("1E-21")) == D("115110000000000000000000000.00")
    assert round_half_up(D("1E+40"), 2) == D("1" + "0" * 40 + ".00")


# -- the example workbook with a million (or forty thousand) junk rows below its 支出决算表 -------------

def with_junk_rows(src: Path, dst: Path, sheet: str, n: int, word_at: int | None = None) -> None:
    """A copy of a workbook with ``n`` rows (a label and three figures) two rows below a sheet's table;
    the ``word_at``-th of them has a word where its first figure should be."""
    with zipfile.ZipFile(src) as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
        part = next(p for p, s in _xlsx_sheet_names(z).items() if s == sheet)
    data = parts.pop(part)
    first = max(int(x) for x in re.findall(rb'<row r="(\d+)"', data)) + 2
    head, tail = data.split(b"</sheetData>", 1)
    head = re.sub(rb'<dimension ref="[^"]*"', f'<dimension ref="A1:E{first + n - 1}"'.encode(), head, count=1)
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as z:
        for name, body in parts.items():
            z.writestr(name, body)
        with z.open(part, "w") as out:
            out.write(head)
            for start in range(0, n, 10_000):
                out.write("".join(
                    f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>杂项{r}</t></is></c>'
                    + (f'<c r="C{r}" t="inlineStr"><is><t>一百</t></is></c>' if r - first == word_at
                       else f'<c r="C{r}"><v>{r}</v></c>')
                    + f'<c r="D{r}"><v>{r}</v></c><c r="E{r}"><v>0</v></c></row>'
                    for r in range(first + start, first + min(start + 10_000, n))).encode())
            out.write(b"</sheetData>" + tail)


def test_forty_thousand_junk_rows_below_a_table_are_one_message_and_not_read(tmp_path):
    from disclosure.load.reader import read_tables
    from disclosure.standard import load_table_set
    from test_site_support import ROOT, UNIT

    book = tmp_path / "2021.xlsx"
    # a word where a figure should be, far below: read, it would be an error of its own (“一百”不是数字)
    with_junk_rows(ROOT / "tables" / UNIT / "2021.xlsx", book, "支出决算表", 40_000, word_at=30_000)
    with pytest.raises(InputError) as exc:
        read_tables(book, load_table_set("neimenggu-11"), display_path="2021.xlsx", year=2021)
    [problem] = exc.value.problems  # before: 40,000 errors, 54 s (201 s with the nearest names)
    assert problem.sheet == "支出决算表" and problem.cell == "A37"
    assert "表格下方从第37行起有 40,000 行不是本表的项目（A37“杂项37”、A38“杂项38”、A39“杂项39” 等）" in problem.message
