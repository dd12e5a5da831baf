"""A loaded Table as something a template can print (headers with spans, cells with anchors) and as CSV.

Templates only format; every decision about rows, spans and anchors is made here.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from disclosure.links import cell_anchor
from disclosure.model import Row, Table
from disclosure.money import format_amount, round_half_up
from disclosure.standard import ColumnSpec, TableSpec


@dataclass(frozen=True)
class HeadCell:
    text: str
    colspan: int = 1
    rowspan: int = 1
    scope: str = "col"


@dataclass(frozen=True)
class Cell:
    """One body cell: a row header (``th``), a code, 行次 or label, or a figure with its anchor and
    exact value (``count`` when it is not money)."""

    text: str
    anchor: str | None = None
    kind: str = "value"  # value | code | line | label | unit
    level: int = 0
    value: Decimal | None = None
    count: bool = False


@dataclass
class Grid:
    """One HTML table: a table, or one block of a side-by-side table (``block`` its title, 收入 or 支出).
    An empty body row is a filler: it keeps a block's totals level with its neighbour's where the
    blocks stand side by side, as on the printed form. ``html`` is the theme's ``grid`` macro
    rendered once (a table shows on its own page and on the all-tables page)."""

    caption: str
    head: list[list[HeadCell]]
    body: list[list[Cell]]
    width: int
    html: str = ""
    block: str = ""


@dataclass
class TableView:
    """Everything a table page shows for one 公开表."""

    key: str
    marker: str
    title: str
    grids: list[Grid]
    empty: bool
    empty_note: str
    notes: list[str] = field(default_factory=list)
    source: str = ""  # sheet name in the workbook
    side_by_side: bool = False  # two blocks narrow enough to stand side by side on a wide screen


def _amount(value: Decimal, count_unit: str | None) -> str:
    if count_unit:
        return f"{value.normalize():,f}" if value == value.to_integral_value() else f"{value:,f}"
    return format_amount(value)


def _column_groups(columns: list[ColumnSpec]) -> list[tuple[str | None, list[tuple[ColumnSpec, str]]]]:
    """Columns grouped under a shared first header (预算数 / 决算数, 本年支出 / 基本支出 …).

    A one-level column immediately followed by columns under the same first header becomes that
    group's 小计 column, as printed in the 公开表.
    """
    groups: list[tuple[str | None, list[tuple[ColumnSpec, str]]]] = []
    for i, col in enumerate(columns):
        nxt = columns[i + 1] if i + 1 < len(columns) else None
        if len(col.header) > 1:
            prefix, sub = col.header[0], "".join(col.header[1:])
            if groups and groups[-1][0] == prefix:
                groups[-1][1].append((col, sub))
            else:
                groups.append((prefix, [(col, sub)]))
        elif nxt is not None and len(nxt.header) > 1 and nxt.header[0] == col.header[0]:
            groups.append((col.header[0], [(col, "小计")]))
        else:
            groups.append((None, [(col, col.label)]))
    return groups


def _head(lead: list[str], columns: list[ColumnSpec]) -> list[list[HeadCell]]:
    groups = _column_groups(columns)
    two = any(prefix is not None for prefix, _ in groups)
    span = 2 if two else 1
    top = [HeadCell(t, rowspan=span) for t in lead]
    second: list[HeadCell] = []
    for prefix, cols in groups:
        if prefix is None:
            top.append(HeadCell(cols[0][1], rowspan=span))
        else:
            top.append(HeadCell(prefix, colspan=len(cols), scope="colgroup"))
            second += [HeadCell(sub) for _, sub in cols]
    return [top, second] if two else [top]


def _count_unit(table: Table, row: Row) -> str | None:
    """The count unit (辆, 个 …) of a non-money row: the row's own, else its item's in the spec."""
    if row.unit:
        return row.unit
    return table.spec.item_units.get(row.key)


def _value_cells(table: Table, row: Row, columns: list[ColumnSpec]) -> list[Cell]:
    cells = []
    unit = _count_unit(table, row)
    for col in columns:
        ref = row.cells.get(col.key)
        anchor = cell_anchor(table.key, ref.cell) if ref else None
        value = row.values.get(col.key)
        text = _amount(value, unit) if value is not None else ""
        cells.append(Cell(text, anchor=anchor, value=value, count=unit is not None))
    return cells


def _grid(table: Table, caption: str, rows: list[Row], columns: list[ColumnSpec], coded: bool,
          lines: dict[str, tuple[int, int]] | None = None) -> Grid:
    """A grid of code rows (科目编码 | 科目名称), of numbered items (项目 | 行次) or of items (项目)."""
    named = table.spec.classification == "units"  # a 分单位 table: rows are the department's units
    lead = ["科目编码", "科目名称"] if coded else ["项目", "行次"] if lines is not None else ["单位名称" if named else "项目"]
    body = []
    for row in rows:
        cells = [Cell(row.code or "", kind="code")] if coded else []
        cells.append(Cell(row.label, kind="label", level=(row.level or 1) - 1 if row.code and coded else 0))
        if lines is not None:
            line = lines[row.key][0] if row.key in lines else None
            cells.append(Cell(str(line) if line else "", kind="line", value=Decimal(line) if line else None, count=True))
        body.append(cells + _value_cells(table, row, columns))
    return Grid(caption, _head(lead, columns), body, len(lead) + len(columns))


#: Two blocks of at most this many columns each stand side by side on a wide screen (公开01表: 项目 |
#: 行次 | 决算数, totals level; 人员经费 | 公用经费); wider ones (公开04表's 支出 by fund) one above the other.
SIDE_WIDTH = 4

@lru_cache(maxsize=64)
def line_numbers(spec: TableSpec) -> dict[str, tuple[int, int]]:
    """Row key → (行次, row of the printed form counted from its first body row) of a side-by-side
    table's numbered blocks, as the blank template lays them out (公开01表: 收入 1–12, then 支出
    13–45, the totals of both blocks level); kept per table spec (a frozen value), since laying out
    the blank sheet is the costly part."""
    from disclosure.blank_workbook import sheet_layout

    lay = sheet_layout(spec)
    lines: dict[str, tuple[int, int]] = {}
    for key, cols in lay.cells.items():
        row, first = min(cols.values(), key=lambda rc: rc[1])
        number = lay.texts.get((row, first - 1))
        if isinstance(number, int):
            lines[key] = (number, row - lay.data_start)
    return lines


def _as_printed(grid: Grid, keys: list[str], lines: dict[str, tuple[int, int]]) -> None:
    """Each row of a numbered block moved to its row of the printed form, fillers between, so that
    blocks standing side by side keep their totals level (rows the form lacks follow at the end)."""
    placed: dict[int, list[Cell]] = {}
    rest: list[list[Cell]] = []
    for key, row in zip(keys, grid.body):
        at = lines.get(key)
        if at is None or at[1] in placed:
            rest.append(row)
        else:
            placed[at[1]] = row
    last = max((at for _, at in lines.values()), default=-1)  # the form's last row (总计 of every block)
    grid.body = [placed.get(i, []) for i in range(last + 1)] + rest


def _items_grid(table: Table, caption: str) -> Grid:
    columns = list(table.spec.columns)
    head = [[HeadCell("项目"), HeadCell("计量单位"), *[HeadCell(c.label) for c in columns]]]
    body = []
    for row in table.rows:
        cells = [Cell(row.label, kind="label"), Cell(_count_unit(table, row) or table.spec.unit, kind="unit")]
        body.append(cells + _value_cells(table, row, columns))
    return Grid(caption, head, body, 2 + len(columns))


def shown_columns(table: Table, columns: list[ColumnSpec] | tuple[ColumnSpec, ...]) -> list[ColumnSpec]:
    """The columns the sheet has: every required one, and an optional one only where a row has a
    cell in it (a province's template without 年初预算数 shows no empty 年初预算数 column)."""
    return [c for c in columns if c.required or any(c.key in r.cells for r in table.rows)]


def table_view(table: Table, year: int) -> TableView:
    """The printable form of a table: one grid, or one per block for side-by-side tables."""
    spec = table.spec
    marker = spec.marker or ""
    caption = f"{marker} {spec.title}".strip()
    if spec.layout == "blocks":
        grids = []
        lines = line_numbers(spec)
        for block in spec.blocks:
            rows = [r for r in table.rows if r.block == block.key]
            numbered = block.classification != "economic" and any(r.key in lines for r in rows)
            coded = not numbered and block.classification is not None and any(r.code for r in rows)
            grid = _grid(table, f"{caption}（{block.title}）", rows, shown_columns(table, block.columns), coded,
                         lines if numbered else None)
            grid.block = block.title
            if numbered and len(spec.blocks) > 1:
                _as_printed(grid, [r.key for r in rows], lines)
            grids.append(grid)
    elif spec.layout == "items":
        grids = [_items_grid(table, caption)]
    elif spec.layout == "record":
        grids = [_grid(table, caption, table.rows, shown_columns(table, spec.columns), False)]
    else:
        coded = spec.classification != "units"
        grids = [_grid(table, caption, table.rows, shown_columns(table, spec.columns), coded)]
    note = (spec.empty_note or "本表为空表。").format(year=year) if table.empty else ""
    side = len(grids) == 2 and all(g.width <= SIDE_WIDTH for g in grids)
    return TableView(spec.key, marker, spec.title, grids, table.empty, note, list(table.notes), table.sheet, side)


def _csv_value(value: Decimal, count_unit: str | None) -> str:
    return f"{value.normalize():f}" if count_unit else f"{round_half_up(value, 2):f}"


def _text(value: str) -> str:
    """Text that a spreadsheet will not run as a formula (=, +, -, @ at the start)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


def table_csv(table: Table) -> bytes:
    """The table as CSV for Excel: UTF-8 with BOM, one line per row, figures in 万元 without separators."""
    spec = table.spec
    buf = io.StringIO()
    out = csv.writer(buf, lineterminator="\r\n")
    blocks = {b.key: b for b in spec.blocks}
    columns = shown_columns(table, spec.all_columns())
    out.writerow([f"{spec.marker or ''} {spec.title}".strip()])
    out.writerow(["部分", "科目编码", "项目", "计量单位", *["/".join(c.header) for c in columns]])
    for row in table.rows:
        block = blocks.get(row.block or "")
        unit = _count_unit(table, row)
        values = [_csv_value(row.values[c.key], unit) if c.key in row.values else "" for c in columns]
        out.writerow([block.title if block else "", row.code or "", _text(row.label), unit or spec.unit, *values])
    return buf.getvalue().encode("utf-8-sig")
