"""Blank 公开表 workbooks in the canonical layout that ``disclosure.load`` reads.

Every sheet is laid out from its ``TableSpec`` alone (no per-table code):

* row 1: the title, merged across the sheet, bold and centred;
* row 2: ``编制单位：<name>`` at the left, ``<year>年度`` in the middle, ``公开NN表`` at the right;
* row 3: ``单位：万元`` at the right;
* from row 4: the header rows (merged where a header stands over several columns), then the body.

Layouts:

``classified``  科目编码 | 科目名称 | value columns. A column whose header path has two elements gets a
                merged parent (本年支出 over 小计 | 基本支出 | 项目支出; the parent's own column is
                headed 小计). The fixed rows (合计 …) come first, the name in 科目名称, then blank rows
                for the 类/款/项 code rows (code in 科目编码 as text, name in 科目名称).
``blocks``      side-by-side blocks, each its title merged over (项目 | 行次 | value columns), or over
                (科目编码 | 科目名称 | 决算数) for 经济分类 blocks; a ``repeat`` block (公用经费) spans two
                such groups. A 功能分类 block (支出 of 公开01/04表) lists every 类 by name. Rows before a
                block's first 合计 item are aligned at the top, the rest at the bottom, the last item
                (总计) of every block on the last row; 经济分类 totals (人员经费合计, 公用经费合计)
                have their label merged over the code and name cells, their value in the last 决算数.
``record``      one data row under the header paths (预算数 over 合计 | 因公出国（境）费 |
                公务用车购置及运行费 over (小计 | 公务用车购置费 | 公务用车运行费) | 公务接待费, then 决算数).
``items``       项目 | 计量单位 | 统计数, one row per item, with 万元 or the item's count unit.

A column with a unit of its own (分, %, 辆) is formatted as a count in every layout. A
``supplementary`` table (national-9's 补充信息表) carries a 注 line below it saying it is not
published and what its figures are for.

The unpublished 年初预算数表 (``budget``) is how budget figures enter, since the published
一般公共预算财政拨款支出决算表 shows 决算 only. It is a ``classified`` sheet:

    科目编码 | 科目名称 | 年初预算数 | 调整预算数
             | 收入支出总计                     (whole-department 收、支总计 budget)
             | 财政拨款收入支出总计               (财政拨款 收、支总计 budget)
             | 一般公共预算财政拨款支出合计       (the 一般公共预算财政拨款支出 budget)
    204      | 公共安全支出                     (then one row per 功能分类 类/款/项 code …)
    20402    | 公安
    2040201  | 行政运行

A published table's column whose header is also a column of an unpublished sheet of the same set
(年初预算数, 调整预算数) is left out of the published sheet, so each figure has one place to go.
"""
from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from disclosure.standard import BlockSpec, ColumnSpec, TableSet, TableSpec, classification_names

if TYPE_CHECKING:  # pragma: no cover
    from openpyxl.styles import Border
    from openpyxl.worksheet.worksheet import Worksheet



def get_column_letter(index: int) -> str:
    """A column's letters (1 → A, 27 → AA), as ``openpyxl.utils.get_column_letter``, without
    importing openpyxl here: the site reads the layouts of this module for every unit-year's line
    numbers, and openpyxl imports numpy when it is installed (about 0.4 s of CPU in a process that
    builds one unit-year, for nothing: no workbook is drawn there)."""
    if not 1 <= index <= 18278:
        raise ValueError(f"Invalid column index {index}")
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


HEADER_TOP = 4  # first header row
CODE_ROWS = 30  # blank 类/款/项 rows of a classified sheet
ECONOMIC_CODE_ROWS = 45  # blank 类/款 rows of a classified sheet by 经济分类 (四川 支出决算明细表)
BLOCK_CODE_ROWS = 25  # blank 经济分类 rows per group of a blocks sheet
MONEY_FORMAT = "#,##0.00"
COUNT_FORMAT = "#,##0"
SUBTOTAL = "小计"
RECORD_ROW = "record"  # row key of the one data row of a record sheet
MONEY_UNIT = "万元"
# Printed-form nesting of record headers: a header that stands over its parts.
NESTED_HEADERS: dict[str, tuple[str, ...]] = {"公务用车购置及运行费": ("公务用车购置费", "公务用车运行费")}
_SHEET_FORBIDDEN = str.maketrans("", "", "[]:*?/\\")


@dataclass(frozen=True)
class HeaderCell:
    """One (possibly merged) header cell: top-left row/column, height and width in cells."""

    row: int
    col: int
    text: str
    height: int = 1
    width: int = 1


@dataclass
class CodeSlot:
    """A blank row where a classification code row goes: its row, code and name columns, and the
    column number of each value column."""

    row: int
    code_col: int
    name_col: int
    value_cols: dict[str, int]

    def address(self, column: str) -> str:
        return f"{get_column_letter(self.value_cols[column])}{self.row}"

    @property
    def code_address(self) -> str:
        return f"{get_column_letter(self.code_col)}{self.row}"

    @property
    def name_address(self) -> str:
        return f"{get_column_letter(self.name_col)}{self.row}"


@dataclass
class SheetLayout:
    """Where everything of one sheet goes; used to write the blank sheet and to fill it."""

    spec: TableSpec
    sheet: str
    width: int
    header_rows: int
    headers: list[HeaderCell] = field(default_factory=list)
    texts: dict[tuple[int, int], str | int] = field(default_factory=dict)  # fixed body texts
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # body merges r1,c1,r2,c2
    money: set[tuple[int, int]] = field(default_factory=set)
    counts: set[tuple[int, int]] = field(default_factory=set)
    text_cols: set[int] = field(default_factory=set)  # code columns, formatted as text
    label_cols: set[int] = field(default_factory=set)
    cells: dict[str, dict[str, tuple[int, int]]] = field(default_factory=dict)  # row key → column → (r, c)
    slots: dict[str | None, list[CodeSlot]] = field(default_factory=dict)  # block → code rows
    last_row: int = 0

    @property
    def data_start(self) -> int:
        return HEADER_TOP + self.header_rows

    def cell(self, row_key: str, column: str) -> str:
        """A1 address of a fixed row's value cell (``income.year_total``, ``amount`` → ``C16``)."""
        r, c = self.cells[row_key][column]
        return f"{get_column_letter(c)}{r}"

    def code_slots(self, block: str | None = None) -> list[CodeSlot]:
        """The blank code rows of a classified sheet (block None) or of one block."""
        return self.slots.get(block, [])


def sheet_name(spec: TableSpec) -> str:
    """The sheet name: the table's title, without characters Excel forbids, at most 31 long."""
    return spec.title.translate(_SHEET_FORBIDDEN)[:31]


def template_columns(spec: TableSpec, table_set: TableSet | None = None) -> list[ColumnSpec]:
    """The value columns written for a table (see the module docstring for what is left out)."""
    cols = list(spec.columns)
    if table_set is None or not spec.published:
        return cols
    elsewhere = {c.label for t in table_set if not t.published for c in t.all_columns()}
    return [c for c in cols if c.label not in elsewhere]


def _paths(columns: list[ColumnSpec]) -> list[tuple[str, ...]]:
    """Printed header paths: nested parts under their parent, 小计 under a parent with parts."""
    paths: list[tuple[str, ...]] = []
    parents: dict[str, str] = {part: parent for parent, parts in NESTED_HEADERS.items() for part in parts}
    labels = {c.label for c in columns}
    for col in columns:
        path = col.header
        parent = parents.get(path[-1])
        if parent and parent in labels:
            path = (*path[:-1], parent, path[-1])
        paths.append(path)
    out = []
    for path in paths:
        has_parts = any(len(o) > len(path) and o[: len(path)] == path for o in paths)
        out.append((*path, SUBTOTAL) if has_parts else path)
    return out


def _header_cells(paths: list[tuple[str, ...]], top: int) -> tuple[list[HeaderCell], int]:
    """Merged header cells for columns 1…n given their header paths; returns (cells, depth)."""
    depth = max(len(p) for p in paths)
    cells: list[HeaderCell] = []
    for level in range(depth):
        col = 0
        while col < len(paths):
            path = paths[col]
            if level >= len(path):
                col += 1
                continue
            span = 1
            if level < len(path) - 1:
                while col + span < len(paths) and paths[col + span][: level + 1] == path[: level + 1] and len(paths[col + span]) > level + 1:
                    span += 1
            height = depth - level if level == len(path) - 1 else 1
            cells.append(HeaderCell(top + level, col + 1, path[level], height, span))
            col += span
    return cells, depth


def _value_row(lay: SheetLayout, key: str, row: int, cols: dict[str, int], fmt: str = "money") -> None:
    lay.cells[key] = {k: (row, c) for k, c in cols.items()}
    target = lay.money if fmt == "money" else lay.counts
    target.update((row, c) for c in cols.values())


def _classified(spec: TableSpec, table_set: TableSet | None) -> SheetLayout:
    columns = template_columns(spec, table_set)
    labels = ("单位编码", "单位名称") if spec.classification == "units" else ("科目编码", "科目名称")  # 分单位: a row per unit
    paths = [(labels[0],), (labels[1],), *_paths(columns)]
    headers, depth = _header_cells(paths, HEADER_TOP)
    lay = SheetLayout(spec, sheet_name(spec), len(paths), depth, headers)
    lay.text_cols, lay.label_cols = {1}, {2}
    value_cols = {c.key: i + 3 for i, c in enumerate(columns)}
    row = lay.data_start
    for item in (i for i in spec.items if i.template):
        lay.texts[(row, 2)] = item.label
        _value_row(lay, item.key, row, value_cols)
        row += 1
    lay.slots[None] = []
    for _ in range(ECONOMIC_CODE_ROWS if spec.classification == "economic" else CODE_ROWS):
        lay.slots[None].append(CodeSlot(row, 1, 2, dict(value_cols)))
        lay.money.update((row, c) for c in value_cols.values())
        row += 1
    lay.last_row = row - 1
    return lay


@dataclass
class _Group:
    start: int
    labels: tuple[str, ...]
    values: dict[str, int]


def _blocks(spec: TableSpec, table_set: TableSet | None) -> SheetLayout:
    """Side-by-side blocks (收入 | 支出, 人员经费 | 公用经费): each block's rows from the top, its 合计 rows
    level with the other blocks' at the foot, 行次 numbered across the blocks."""
    paths, groups = _block_columns(spec)
    headers, depth = _header_cells(paths, HEADER_TOP)
    lay = SheetLayout(spec, sheet_name(spec), len(paths), depth, headers)
    heads, tails = _block_rows(spec)
    head_len = max(
        BLOCK_CODE_ROWS if b.classification == "economic" else len(heads[b.key]) for b in spec.blocks
    )
    tail_len = max(len(t) for t in tails.values())
    tail_start = lay.data_start + head_len
    lay.last_row = tail_start + tail_len - 1
    line_no = 0
    for block in spec.blocks:
        line_no = _lay_block(lay, spec, block, groups[block.key], heads[block.key], tails[block.key],
                             tail_start, line_no)
    return lay


def _block_columns(spec: TableSpec) -> tuple[list[tuple[str, ...]], dict[str, list[_Group]]]:
    """The header path of every column, blocks side by side (a repeated block twice), and each
    block's column groups."""
    paths: list[tuple[str, ...]] = []
    groups: dict[str, list[_Group]] = {}
    for block in spec.blocks:
        labels = ("科目编码", "科目名称") if block.classification == "economic" else ("项目", "行次")
        block_paths = _paths(list(block.columns))
        groups[block.key] = []
        for _ in range(2 if block.repeat else 1):
            start = len(paths) + 1
            paths += [(block.title, lab) for lab in labels]
            values = {c.key: len(paths) + 1 + i for i, c in enumerate(block.columns)}
            paths += [(block.title, *p) for p in block_paths]
            groups[block.key].append(_Group(start, labels, values))
    return paths, groups


def _block_rows(spec: TableSpec) -> tuple[dict[str, list], dict[str, list]]:
    """Each block's rows above its first 合计 (with the 功能分类 类 of a function-class block, as
    ``(code, name)``) and its 合计 rows from there down."""
    classes = classification_names()["function_classes"]
    heads: dict[str, list] = {}
    tails: dict[str, list] = {}
    for block in spec.blocks:
        written = [it for it in block.items if it.template]
        split = next((i for i, it in enumerate(written) if "合计" in it.label), len(written))
        head: list = [it for it in written[:split]]
        if block.classification == "function-class":
            head += [(code, name) for code, name in classes.items()]
        heads[block.key] = head
        tails[block.key] = list(written[split:])
    return heads, tails


def _lay_block(lay: SheetLayout, spec: TableSpec, block: BlockSpec, gs: list[_Group], head: list, tail: list,
               tail_start: int, line_no: int) -> int:
    """One block's label, 行次 and value cells (an economic block: its code slots); returns the last
    行次 used, for the next block to go on from."""
    first = lay.data_start
    g = gs[0]
    numbered = g.labels[-1] == "行次"
    lay.label_cols.add(g.start)
    for other in gs:
        if not numbered:
            lay.text_cols.add(other.start)
            lay.label_cols.add(other.start + 1)
    if block.classification == "economic":
        lay.slots[block.key] = [
            CodeSlot(first + i, grp.start, grp.start + 1, dict(grp.values))
            for grp in gs
            for i in range(BLOCK_CODE_ROWS)
        ]
        for s in lay.slots[block.key]:
            lay.money.update((s.row, c) for c in s.value_cols.values())
    rows = [(first + i, e) for i, e in enumerate(head)]
    rows += [(tail_start + i, it) for i, it in enumerate(tail[:-1])]
    if tail:
        rows.append((lay.last_row, tail[-1]))
    for row, entry in rows:
        if isinstance(entry, tuple):
            code, label = entry
            key = f"{block.key}.{code}"
        else:
            label, key = entry.label, spec.item_key(block.key, entry.key)
        if numbered:
            line_no += 1
            lay.texts[(row, g.start)] = label
            lay.texts[(row, g.start + 1)] = line_no
            _value_row(lay, key, row, g.values)
        else:  # label over code and name (and over the first groups of a repeated block)
            last = gs[-1]
            end = min(last.values.values()) - 1
            lay.texts[(row, g.start)] = label
            if end > g.start:
                lay.merges.append((row, g.start, row, end))
            _value_row(lay, key, row, last.values)
    return line_no


def _record(spec: TableSpec, table_set: TableSet | None) -> SheetLayout:
    columns = template_columns(spec, table_set)
    headers, depth = _header_cells(_paths(columns), HEADER_TOP)
    lay = SheetLayout(spec, sheet_name(spec), len(columns), depth, headers)
    row = lay.data_start
    _value_row(lay, RECORD_ROW, row, {c.key: i + 1 for i, c in enumerate(columns)})
    lay.last_row = row
    return lay


def _items(spec: TableSpec, table_set: TableSet | None) -> SheetLayout:
    columns = template_columns(spec, table_set)
    paths = [("项目",), ("计量单位",), *_paths(columns)]
    headers, depth = _header_cells(paths, HEADER_TOP)
    lay = SheetLayout(spec, sheet_name(spec), len(paths), depth, headers)
    lay.label_cols = {1}
    row = lay.data_start
    for item in (i for i in spec.items if i.template):
        lay.texts[(row, 1)] = item.label
        lay.texts[(row, 2)] = item.unit or MONEY_UNIT
        _value_row(lay, item.key, row, {c.key: i + 3 for i, c in enumerate(columns)}, "count" if item.unit else "money")
        row += 1
    lay.last_row = row - 1
    return lay


LAYOUTS: dict[str, Callable[[TableSpec, TableSet | None], SheetLayout]] = {
    "classified": _classified,
    "blocks": _blocks,
    "record": _record,
    "items": _items,
}


def sheet_layout(spec: TableSpec, table_set: TableSet | None = None) -> SheetLayout:
    """The layout of one table's sheet (the table set decides which columns are left out)."""
    lay = LAYOUTS[spec.layout](spec, table_set)
    units = {c.key for c in spec.all_columns() if c.unit}
    for columns in lay.cells.values():  # 分, %, 辆 columns hold counts, not money
        for key, cell in columns.items():
            if key in units and cell in lay.money:
                lay.money.discard(cell)
                lay.counts.add(cell)
    return lay


SUPPLEMENTARY_NOTE = "本表不公开：所填数字只用于报告正文的说明（机关运行经费、政府采购、国有资产占用、“三公”经费数量等），不填则正文不写这些内容。"


def _draw(ws: "Worksheet", lay: SheetLayout, unit_name: str, year: int | None) -> None:
    """One sheet as a unit fills it in: title lines, header, the body's cells, widths and printing."""
    _draw_title(ws, lay, unit_name, year)
    _draw_header(ws, lay)
    _draw_body(ws, lay)
    _draw_columns(ws, lay)


def _draw_title(ws: "Worksheet", lay: SheetLayout, unit_name: str, year: int | None) -> None:
    """The title, 编制单位 · 年度 · 公开NN表 and 单位 lines above the table; a supplementary sheet's note below it."""
    from openpyxl.styles import Alignment, Font

    w = lay.width
    ws.cell(1, 1, lay.spec.title).font = Font(bold=True, size=16)
    ws.cell(1, 1).alignment = Alignment(horizontal="center", vertical="center")
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=w)
    ws.row_dimensions[1].height = 32
    ws.cell(2, 1, f"编制单位：{unit_name}")
    middle = (w + 1) // 2 if w > 2 else 2
    ws.cell(2, middle, f"{year}年度" if year else "    年度").alignment = Alignment(horizontal="center")
    if lay.spec.marker:
        ws.cell(2, w, lay.spec.marker).alignment = Alignment(horizontal="right")
    ws.cell(3, w, f"单位：{MONEY_UNIT}").alignment = Alignment(horizontal="right")
    if lay.spec.supplementary:  # below the table, where the loader reads notes (注：…)
        note = ws.cell(lay.last_row + 2, 1, f"注：{SUPPLEMENTARY_NOTE}")
        note.alignment = Alignment(wrap_text=True, vertical="top")
        ws.merge_cells(start_row=lay.last_row + 2, start_column=1, end_row=lay.last_row + 2, end_column=w)
        ws.row_dimensions[lay.last_row + 2].height = 32


def _box() -> "Border":
    from openpyxl.styles import Border, Side

    thin = Side(style="thin", color="808080")
    return Border(left=thin, right=thin, top=thin, bottom=thin)


def _draw_header(ws: "Worksheet", lay: SheetLayout) -> None:
    """The header rows: boxed, shaded, bold and centred, each header cell merged over its span."""
    from openpyxl.styles import Alignment, Font, PatternFill

    box = _box()
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    head_fill = PatternFill("solid", fgColor="F2F2F2")
    for r in range(HEADER_TOP, lay.data_start):
        for c in range(1, lay.width + 1):
            cell = ws.cell(r, c)
            cell.border, cell.fill, cell.alignment = box, head_fill, centre
            cell.font = Font(bold=True)
    for h in lay.headers:
        ws.cell(h.row, h.col, h.text)
        if h.height > 1 or h.width > 1:
            ws.merge_cells(start_row=h.row, start_column=h.col, end_row=h.row + h.height - 1, end_column=h.col + h.width - 1)


def _draw_body(ws: "Worksheet", lay: SheetLayout) -> None:
    """The body: boxed cells with the number format of money, counts or text; labels and 行次; merges."""
    from openpyxl.styles import Alignment

    box = _box()
    for r in range(lay.data_start, lay.last_row + 1):
        for c in range(1, lay.width + 1):
            cell = ws.cell(r, c)
            cell.border = box
            if (r, c) in lay.money:
                cell.number_format = MONEY_FORMAT
            elif (r, c) in lay.counts:
                cell.number_format = COUNT_FORMAT
            elif c in lay.text_cols:
                cell.number_format = "@"
    for (r, c), text in lay.texts.items():
        cell = ws.cell(r, c, text)
        if isinstance(text, int):
            cell.alignment = Alignment(horizontal="center")
    for r1, c1, r2, c2 in lay.merges:
        ws.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)


def _draw_columns(ws: "Worksheet", lay: SheetLayout) -> None:
    """Column widths by what a column holds, frozen header, and printing landscape one page wide."""
    for c in range(1, lay.width + 1):
        leaf = next((h.text for h in reversed(lay.headers) if h.col <= c < h.col + h.width), "")
        if c in lay.label_cols:
            width = 34
        elif leaf in ("行次", "计量单位"):
            width = 9
        elif c in lay.text_cols:
            width = 12
        else:
            width = max(14, len(leaf) * 2 + 3)
        ws.column_dimensions[get_column_letter(c)].width = width
    ws.freeze_panes = ws.cell(lay.data_start, 1)
    ws.print_title_rows = f"{HEADER_TOP}:{lay.data_start - 1}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def write_blank_workbook(path: Path, table_set: TableSet, *, unit_name: str = "", year: int | None = None) -> None:
    """Write a styled, empty workbook with one sheet per table of the set (the unpublished 年初预算数表
    included) to ``path``; the file appears complete or not at all."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for spec in table_set:
        lay = sheet_layout(spec, table_set)
        _draw(wb.create_sheet(lay.sheet), lay, unit_name, year)
    wb.properties.creator = "disclosure"
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".xlsx", dir=path.parent)
    os.close(fd)
    try:
        wb.save(tmp)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
