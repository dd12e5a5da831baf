"""The workbook a citizen downloads: the published 公开表 only, as the site shows them.

The unit's own workbook holds sheets that are not published (the 年初预算数表, a province's
补充信息表, notes of its own), so it is never copied to the public site. This one is written from
the tables' views, the same grids the pages print: one sheet per 公开表 in publishing order, with
the title, 编制单位, 年度, 公开NN表 and 单位 lines of the printed form, the header cells merged as on
the page, each figure an exact number in 万元 (counts as counts), side-by-side blocks (收入 | 支出)
side by side. The bytes depend only on the tables: no clock, no author, fixed archive dates.
"""
from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence
from typing import TYPE_CHECKING

from disclosure.site.tables import Grid, TableView
from disclosure.blank_workbook import COUNT_FORMAT, MONEY_FORMAT, MONEY_UNIT, sheet_name

if TYPE_CHECKING:  # pragma: no cover
    from openpyxl.worksheet.worksheet import Worksheet

TOP = 4  # first header row, as in the blank template
_GAP = 1  # empty columns between side-by-side blocks
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)
_DATES = re.compile(rb"<dcterms:(created|modified)\b[^>]*>[^<]*</dcterms:\1>")


def _grid_width(view: TableView) -> int:
    return sum(g.width for g in view.grids) + _GAP * (len(view.grids) - 1)


def _head(ws: "Worksheet", g: Grid, top: int, left: int) -> int:
    """The grid's header rows from ``top`` at column ``left``, merged as on the page; returns its depth."""
    from openpyxl.styles import Alignment, Font

    taken: set[tuple[int, int]] = set()
    for r, hrow in enumerate(g.head):
        c = 0
        for h in hrow:
            while (r, c) in taken:
                c += 1
            cell = ws.cell(top + r, left + c, h.text)
            cell.font, cell.alignment = Font(bold=True), Alignment(horizontal="center", vertical="center", wrap_text=True)
            for dr in range(h.rowspan):
                for dc in range(h.colspan):
                    taken.add((r + dr, c + dc))
            if h.rowspan > 1 or h.colspan > 1:
                ws.merge_cells(start_row=top + r, start_column=left + c,
                               end_row=top + r + h.rowspan - 1, end_column=left + c + h.colspan - 1)
            c += h.colspan
    return len(g.head)


def _body(ws: "Worksheet", g: Grid, top: int, left: int) -> int:
    """The grid's rows (fillers stay blank rows, as on the printed form); returns the row after them."""
    from openpyxl.styles import Alignment

    row = top
    for cells in g.body:
        for c, cell in enumerate(cells):
            target = ws.cell(row, left + c)
            if cell.kind == "value" and cell.value is not None:
                target.value = cell.value
                target.number_format = "General" if cell.count else MONEY_FORMAT
            elif cell.kind == "line" and cell.value is not None:
                target.value = int(cell.value)
                target.number_format = COUNT_FORMAT
                target.alignment = Alignment(horizontal="center")
            elif cell.kind != "value":
                target.value = cell.text or None
                if cell.kind == "code":
                    target.number_format = "@"
                elif cell.kind == "label" and cell.level:
                    target.alignment = Alignment(indent=cell.level)
        row += 1
    return row


def _sheet(ws: "Worksheet", view: TableView, unit_name: str, year: int) -> None:
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    width = max(_grid_width(view), 3)
    ws.cell(1, 1, view.title).font = Font(bold=True, size=16)
    ws.cell(1, 1).alignment = Alignment(horizontal="center", vertical="center")
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws.cell(2, 1, f"编制单位：{unit_name}")
    ws.cell(2, (width + 1) // 2, f"{year}年度").alignment = Alignment(horizontal="center")
    if view.marker:
        ws.cell(2, width, view.marker).alignment = Alignment(horizontal="right")
    ws.cell(3, width, f"单位：{MONEY_UNIT}").alignment = Alignment(horizontal="right")
    blocks = len(view.grids) > 1
    top = TOP + (1 if blocks else 0)
    depth = max(len(g.head) for g in view.grids)
    end = top + depth
    left = 1
    for g in view.grids:
        if blocks:  # the block's title (收入, 支出) over its columns
            ws.cell(TOP, left, g.block).font = Font(bold=True)
            ws.cell(TOP, left).alignment = Alignment(horizontal="center")
            if g.width > 1:
                ws.merge_cells(start_row=TOP, start_column=left, end_row=TOP, end_column=left + g.width - 1)
        _head(ws, g, top, left)
        end = max(end, _body(ws, g, top + depth, left))
        for c in range(g.width):
            kind = next((row[c].kind for row in g.body if len(row) > c), "value")
            ws.column_dimensions[get_column_letter(left + c)].width = {"label": 34, "code": 12, "line": 7, "unit": 10}.get(kind, 16)
        left += g.width + _GAP
    notes = ([view.empty_note] if view.empty else []) + list(view.notes)
    for i, note in enumerate(notes):
        cell = ws.cell(end + 1 + i, 1, note if note.startswith("注") else f"注：{note}")
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.merge_cells(start_row=end + 1 + i, start_column=1, end_row=end + 1 + i, end_column=width)
        ws.row_dimensions[end + 1 + i].height = 32
    ws.freeze_panes = ws.cell(top + depth, 1)
    ws.print_title_rows = f"{TOP}:{top + depth - 1}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def public_workbook(views: Sequence[TableView], specs: Sequence[object], unit_name: str, year: int) -> bytes:
    """The .xlsx bytes of the published tables: one sheet per view (named like the blank template's
    sheet for its spec), nothing else; the same tables give the same bytes."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    for view, spec in zip(views, specs):
        name = sheet_name(spec)  # type: ignore[arg-type]
        n = 2
        while name in used:
            name = f"{sheet_name(spec)[:28]}({n})"  # type: ignore[arg-type]
            n += 1
        used.add(name)
        _sheet(wb.create_sheet(name), view, unit_name, year)
    wb.properties.creator = unit_name or None
    wb.properties.lastModifiedBy = None
    buf = io.BytesIO()
    wb.save(buf)
    return _fixed(buf.getvalue())


def _fixed(data: bytes) -> bytes:
    """The archive again with fixed member dates and without the save time in its properties."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            raw = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                raw = _DATES.sub(b"", raw)
            member = zipfile.ZipInfo(info.filename, _ZIP_DATE)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = 0o644 << 16
            dst.writestr(member, raw)
    return out.getvalue()
