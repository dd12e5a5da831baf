"""The workbook a citizen downloads: the published 公开表 only, as the site shows them.

The unit's own workbook holds sheets that are not published (the 年初预算数表, a province's
补充信息表, notes of its own), so it is never copied to the public site. This one is written from
the tables' views, the same grids the pages print: one sheet per 公开表 in publishing order, with
the title, 编制单位, 年度, 公开NN表 and 单位 lines of the printed form, the header cells merged as on
the page, each figure an exact number in 万元 (counts as counts), side-by-side blocks (收入 | 支出)
side by side. The bytes depend only on the tables: no clock, no author, fixed archive dates.

The parts are written here directly, byte for byte what openpyxl 3.1.5 (with lxml) saved for the
same calls, which the first version of this module made (``tests/workbook_reference.py`` keeps it;
``tests/test_public_workbook.py`` compares the two): openpyxl's object model cost about 60 ms of
CPU per unit-year, more than the rest of the unit-year's pages together. What of openpyxl's model
these tables use is followed: a merge makes every cell of its range but the first a merged cell
(nothing is written for it, but its row is), a cell once touched counts in the sheet's dimension,
fonts and alignments are numbered in the order they are first assigned, cell formats in the order
cells are written; a text is cut at 32,767 characters, one with control characters is refused, a
text starting with ``=`` is a formula and an error code an error value, as there.
"""
from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence
from decimal import Decimal
from math import isinf, isnan
from pathlib import Path
from xml.etree.ElementTree import _escape_attrib, _escape_cdata  # type: ignore[attr-defined]

from disclosure.site.tables import Grid, TableView
from disclosure.blank_workbook import COUNT_FORMAT, MONEY_FORMAT, MONEY_UNIT, sheet_name

TOP = 4  # first header row, as in the blank template
_GAP = 1  # empty columns between side-by-side blocks
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_ILLEGAL = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")  # openpyxl's ILLEGAL_CHARACTERS_RE
_ERROR_CODES = ("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A")
#: built-in number formats (no numFmts part): General, COUNT_FORMAT, MONEY_FORMAT, text
_NUMBER_FORMATS = {"General": 0, "0": 1, "0.00": 2, "#,##0": 3, "#,##0.00": 4, "@": 49}
_NUM_GENERAL, _NUM_COUNT, _NUM_MONEY, _NUM_TEXT = (_NUMBER_FORMATS[f] for f in ("General", COUNT_FORMAT, MONEY_FORMAT, "@"))
# fonts: (bold, size); alignments: (horizontal, vertical, wrap_text, indent); each list starts with its default
_FONT_DEFAULT = '<font><name val="Calibri"/><family val="2"/><color theme="1"/><sz val="11"/><scheme val="minor"/></font>'
_DEFAULT = (None, None, None, 0)
_TITLE_FONT, _BOLD = (True, 16), (True, None)
_CENTER_BOTH, _CENTER, _RIGHT, _HEAD, _NOTE = (
    ("center", "center", None, 0), ("center", None, None, 0), ("right", None, None, 0),
    ("center", "center", True, 0), (None, "top", True, 0))


class IllegalCharacterError(ValueError):
    """A cell text with a control character (openpyxl refuses it the same way)."""


def _letter(col: int) -> str:
    out = ""
    while col:
        col, rest = divmod(col - 1, 26)
        out = chr(65 + rest) + out
    return out


def _text(value: str) -> str:
    """Element text as lxml writes it into an ASCII stream: markup and CR escaped, the rest as
    character references."""
    return (value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
            .encode("ascii", "xmlcharrefreplace").decode("ascii"))


# the workbook and its properties are written with the standard library's ElementTree (UTF-8)
_utf8_text, _utf8_attr = _escape_cdata, _escape_attrib


class _Book:
    """The workbook-wide numbering of fonts, alignments and cell formats."""

    def __init__(self) -> None:
        self.fonts: list = [None]
        self.alignments: list = [_DEFAULT]
        self.xfs: dict[tuple[int, int, int], int] = {(0, 0, 0): 0}

    def font(self, font: tuple) -> int:
        if font not in self.fonts:
            self.fonts.append(font)
        return self.fonts.index(font)

    def alignment(self, alignment: tuple) -> int:
        if alignment not in self.alignments:
            self.alignments.append(alignment)
        return self.alignments.index(alignment)

    def xf(self, style: tuple[int, int, int]) -> int:
        found = self.xfs.get(style)
        if found is None:
            found = self.xfs[style] = len(self.xfs)
        return found

    def styles(self) -> bytes:
        fonts = [_FONT_DEFAULT] + ["<font>" + ('<b val="1"/>' if bold else "") + (f'<sz val="{size}"/>' if size else "") + "</font>"
                                   for bold, size in self.fonts[1:]]
        xfs = []
        for font, numfmt, align in self.xfs:
            base = f'<xf numFmtId="{numfmt}" fontId="{font}" fillId="0" borderId="0"'
            tail = ' pivotButton="0" quotePrefix="0" xfId="0"'
            if align:
                h, v, wrap, indent = self.alignments[align]
                a = "".join((f' horizontal="{h}"' if h else "", f' vertical="{v}"' if v else "",
                             ' wrapText="1"' if wrap else "", f' indent="{indent}"' if indent else ""))
                xfs.append(f'{base} applyAlignment="1"{tail}><alignment{a}/></xf>')
            else:
                xfs.append(f"{base}{tail}/>")
        return (f'<styleSheet xmlns="{_MAIN}"><numFmts count="0"/><fonts count="{len(fonts)}">{"".join(fonts)}</fonts>'
                + _STYLES_MIDDLE + f'<cellXfs count="{len(xfs)}">{"".join(xfs)}</cellXfs>' + _STYLES_TAIL).encode()


class _Sheet:
    """One worksheet as openpyxl held it: cells by (row, column), merged ranges, widths, heights."""

    def __init__(self, book: _Book, name: str) -> None:
        self.book, self.name = book, name
        self.cells: dict[tuple[int, int], list | None] = {}  # None: a merged cell; else [type, value, font, numfmt, align]
        self.merged: set[tuple[int, int, int, int]] = set()  # iterated as openpyxl's set of ranges is
        self.widths: dict[int, int] = {}
        self.heights: dict[int, int] = {}
        self.pane = 0
        self.titles = ""

    def cell(self, row: int, col: int, value: object = None) -> list:
        cell = self.cells.get((row, col))
        if cell is None:
            if (row, col) in self.cells:  # a merged cell: nothing of it is written
                if value is not None:
                    raise AttributeError("'MergedCell' object attribute 'value' is read-only")
                return ["n", None, 0, 0, 0]
            cell = self.cells[row, col] = ["n", None, 0, 0, 0]
        if value is not None:
            self.set(cell, value)
        return cell

    def set(self, cell: list, value: object) -> None:
        if value is None:
            cell[0], cell[1] = "n", None
        elif isinstance(value, str):
            value = str(value)[:32767]  # a plain str (a Markup's replace would escape its arguments)
            if _ILLEGAL.search(value):
                raise IllegalCharacterError(f"{value} cannot be used in worksheets.")
            cell[0] = "f" if len(value) > 1 and value.startswith("=") else "e" if value in _ERROR_CODES else "s"
            cell[1] = value
        elif isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
            cell[0], cell[1] = "n", value
        else:
            raise ValueError(f"Cannot convert {value!r} to Excel")

    def merge(self, top: int, left: int, bottom: int, right: int) -> None:
        # openpyxl keeps a range only when no kept range holds it (its cells are merged all the same)
        if not any(t <= top and bottom <= b and l <= left and right <= r for t, l, b, r in self.merged):
            self.merged.add((top, left, bottom, right))
        if (top, left) not in self.cells:
            self.cells[top, left] = ["n", None, 0, 0, 0]
        for r in range(top, bottom + 1):
            for c in range(left, right + 1):
                if (r, c) != (top, left):
                    self.cells[r, c] = None

    def xml(self) -> bytes:
        rows_of: dict[int, list] = {}
        for key in sorted(self.cells):
            rows_of.setdefault(key[0], []).append(key)
        for row in self.heights.keys() - rows_of.keys():
            rows_of[row] = []
        if self.cells:
            rs, cs = [k[0] for k in self.cells], [k[1] for k in self.cells]
            dimension = f"{_letter(min(cs))}{min(rs)}:{_letter(max(cs))}{max(rs)}"
        else:
            dimension = "A1:A1"
        out = [f'<worksheet xmlns="{_MAIN}"><sheetPr><outlinePr summaryBelow="1" summaryRight="1"/>'
               f'<pageSetUpPr fitToPage="1"/></sheetPr><dimension ref="{dimension}"/><sheetViews><sheetView workbookViewId="0">']
        if self.pane > 1:
            out.append(f'<pane ySplit="{self.pane - 1}" topLeftCell="A{self.pane}" activePane="bottomLeft" state="frozen"/>'
                       '<selection pane="bottomLeft" activeCell="A1" sqref="A1"/>')
        else:
            out.append('<selection activeCell="A1" sqref="A1"/>')
        out.append('</sheetView></sheetViews><sheetFormatPr baseColWidth="8" defaultRowHeight="15"/>')
        if self.widths:
            out.append("<cols>" + "".join(f'<col width="{w}" customWidth="1" min="{c}" max="{c}"/>'
                                          for c, w in sorted(self.widths.items())) + "</cols>")
        out.append("<sheetData>")
        xf = self.book.xf
        for row in sorted(rows_of):
            height = self.heights.get(row)
            out.append(f'<row r="{row}" ht="{height}" customHeight="1">' if height is not None else f'<row r="{row}">')
            for key in rows_of[row]:
                cell = self.cells[key]
                if cell is None:
                    continue
                kind, value, font, numfmt, align = cell
                styled = font or numfmt or align
                if value is None and not styled:
                    continue
                ref = f"{_letter(key[1])}{key[0]}"
                s = f' s="{xf((font, numfmt, align))}"' if styled else ""
                if kind == "s":
                    if value == "":
                        out.append(f'<c r="{ref}"{s} t="inlineStr"></c>')
                    else:
                        space = ' xml:space="preserve"' if value != value.strip() else ""
                        out.append(f'<c r="{ref}"{s} t="inlineStr"><is><t{space}>{_text(value)}</t></is></c>')
                elif kind == "f":
                    out.append(f'<c r="{ref}"{s}><f>{_text(value[1:])}</f><v></v></c>')
                elif kind == "e":
                    out.append(f'<c r="{ref}"{s} t="e"><v>{_text(value)}</v></c>')
                elif value is None:
                    out.append(f'<c r="{ref}"{s} t="n"></c>')
                else:
                    shown = "" if isnan(value) or isinf(value) else "%.16g" % value
                    out.append(f'<c r="{ref}"{s} t="n"><v>{shown}</v></c>')
            out.append("</row>")
        out.append("</sheetData>")
        if self.merged:
            refs = "".join(f'<mergeCell ref="{_letter(l)}{t}:{_letter(r)}{b}"/>' if (t, l) != (b, r) else f'<mergeCell ref="{_letter(l)}{t}"/>'
                           for t, l, b, r in self.merged)
            out.append(f'<mergeCells count="{len(self.merged)}">{refs}</mergeCells>')
        out.append('<pageMargins left="0.75" right="0.75" top="1" bottom="1" header="0.5" footer="0.5"/>'
                   '<pageSetup orientation="landscape" fitToHeight="0" fitToWidth="1"/></worksheet>')
        return "".join(out).encode("ascii")


def _grid_width(view: TableView) -> int:
    return sum(g.width for g in view.grids) + _GAP * (len(view.grids) - 1)


def _head(ws: _Sheet, g: Grid, top: int, left: int) -> int:
    """The grid's header rows from ``top`` at column ``left``, merged as on the page; returns its depth."""
    book = ws.book
    taken: set[tuple[int, int]] = set()
    for r, hrow in enumerate(g.head):
        c = 0
        for h in hrow:
            while (r, c) in taken:
                c += 1
            cell = ws.cell(top + r, left + c, h.text)
            cell[2], cell[4] = book.font(_BOLD), book.alignment(_HEAD)
            for dr in range(h.rowspan):
                for dc in range(h.colspan):
                    taken.add((r + dr, c + dc))
            if h.rowspan > 1 or h.colspan > 1:
                ws.merge(top + r, left + c, top + r + h.rowspan - 1, left + c + h.colspan - 1)
            c += h.colspan
    return len(g.head)


def _body(ws: _Sheet, g: Grid, top: int, left: int) -> int:
    """The grid's rows (fillers stay blank rows, as on the printed form); returns the row after them."""
    book = ws.book
    row = top
    for cells in g.body:
        for c, cell in enumerate(cells):
            target = ws.cell(row, left + c)
            if cell.kind == "value" and cell.value is not None:
                ws.set(target, cell.value)
                target[3] = _NUM_GENERAL if cell.count else _NUM_MONEY
            elif cell.kind == "line" and cell.value is not None:
                ws.set(target, int(cell.value))
                target[3] = _NUM_COUNT
                target[4] = book.alignment(_CENTER)
            elif cell.kind != "value":
                ws.set(target, cell.text or None)
                if cell.kind == "code":
                    target[3] = _NUM_TEXT
                elif cell.kind == "label" and cell.level:
                    target[4] = book.alignment((None, None, None, cell.level))
        row += 1
    return row


def _sheet(ws: _Sheet, view: TableView, unit_name: str, year: int) -> None:
    book = ws.book
    width = max(_grid_width(view), 3)
    ws.cell(1, 1, view.title)[2] = book.font(_TITLE_FONT)
    ws.cell(1, 1)[4] = book.alignment(_CENTER_BOTH)
    ws.merge(1, 1, 1, width)
    ws.cell(2, 1, f"编制单位：{unit_name}")
    ws.cell(2, (width + 1) // 2, f"{year}年度")[4] = book.alignment(_CENTER)
    if view.marker:
        ws.cell(2, width, view.marker)[4] = book.alignment(_RIGHT)
    ws.cell(3, width, f"单位：{MONEY_UNIT}")[4] = book.alignment(_RIGHT)
    blocks = len(view.grids) > 1
    top = TOP + (1 if blocks else 0)
    depth = max(len(g.head) for g in view.grids)
    end = top + depth
    left = 1
    for g in view.grids:
        if blocks:  # the block's title (收入, 支出) over its columns
            ws.cell(TOP, left, g.block)[2] = book.font(_BOLD)
            ws.cell(TOP, left)[4] = book.alignment(_CENTER)
            if g.width > 1:
                ws.merge(TOP, left, TOP, left + g.width - 1)
        _head(ws, g, top, left)
        end = max(end, _body(ws, g, top + depth, left))
        for c in range(g.width):
            kind = next((row[c].kind for row in g.body if len(row) > c), "value")
            ws.widths[left + c] = {"label": 34, "code": 12, "line": 7, "unit": 10}.get(kind, 16)
        left += g.width + _GAP
    notes = ([view.empty_note] if view.empty else []) + list(view.notes)
    for i, note in enumerate(notes):
        cell = ws.cell(end + 1 + i, 1, note if note.startswith("注") else f"注：{note}")
        cell[4] = book.alignment(_NOTE)
        ws.merge(end + 1 + i, 1, end + 1 + i, width)
        ws.heights[end + 1 + i] = 32
    ws.cell(top + depth, 1)
    ws.pane = top + depth
    ws.titles = f"${TOP}:${top + depth - 1}"


def public_workbook(views: Sequence[TableView], specs: Sequence[object], unit_name: str, year: int) -> bytes:
    """The .xlsx bytes of the published tables: one sheet per view (named like the blank template's
    sheet for its spec), nothing else; the same tables give the same bytes."""
    book = _Book()
    unit_name = str(unit_name)  # plain strs throughout (a Markup's replace would escape its arguments)
    sheets: list[_Sheet] = []
    used: set[str] = set()
    for view, spec in zip(views, specs):
        name = str(sheet_name(spec))  # type: ignore[arg-type]
        n = 2
        while name in used:
            name = f"{sheet_name(spec)[:28]}({n})"  # type: ignore[arg-type]
            n += 1
        used.add(name)
        sheet = _Sheet(book, name)
        _sheet(sheet, view, unit_name, year)
        sheets.append(sheet)
    if not sheets:
        raise IndexError("At least one sheet must be visible")
    parts = _parts(book, sheets, unit_name)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, raw in parts:
            member = zipfile.ZipInfo(name, _ZIP_DATE)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = 0o644 << 16
            dst.writestr(member, raw)
    return out.getvalue()


def _parts(book: _Book, sheets: list[_Sheet], unit_name: str) -> list[tuple[str, bytes]]:
    """The archive's members in openpyxl's order."""
    n = len(sheets)
    creator = f'<dc:creator xmlns:dc="http://purl.org/dc/elements/1.1/">{_utf8_text(unit_name)}</dc:creator>' if unit_name else ""
    core = f'<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties">{creator}</cp:coreProperties>'
    parts = [("docProps/app.xml", _APP), ("docProps/core.xml", core.encode()), ("xl/theme/theme1.xml", _theme())]
    parts += [(f"xl/worksheets/sheet{i}.xml", s.xml()) for i, s in enumerate(sheets, 1)]
    parts.append(("xl/styles.xml", book.styles()))
    parts.append(("_rels/.rels", _ROOT_RELS))
    names = "".join(f'<sheet xmlns:r="{_REL}" name="{_utf8_attr(s.name)}" sheetId="{i}" state="visible" r:id="rId{i}"/>'
                    for i, s in enumerate(sheets, 1))
    titles = "".join(f'<definedName name="_xlnm.Print_Titles" localSheetId="{i}">'
                     f"{_utf8_text(_quoted(s.name))}!{s.titles}</definedName>" for i, s in enumerate(sheets) if s.titles)
    workbook = (f'<workbook xmlns="{_MAIN}"><workbookPr/><workbookProtection/><bookViews><workbookView visibility="visible" '
                'minimized="0" showHorizontalScroll="1" showVerticalScroll="1" showSheetTabs="1" tabRatio="600" '
                f'firstSheet="0" activeTab="0" autoFilterDateGrouping="1"/></bookViews><sheets>{names}</sheets>'
                + (f"<definedNames>{titles}</definedNames>" if titles else "")
                + '<calcPr calcId="124519" fullCalcOnLoad="1"/></workbook>')
    parts.append(("xl/workbook.xml", workbook.encode()))
    rels = "".join(f'<Relationship Type="{_REL}/worksheet" Target="/xl/worksheets/sheet{i}.xml" Id="rId{i}"/>' for i in range(1, n + 1))
    rels += (f'<Relationship Type="{_REL}/styles" Target="styles.xml" Id="rId{n + 1}"/>'
             f'<Relationship Type="{_REL}/theme" Target="theme/theme1.xml" Id="rId{n + 2}"/>')
    parts.append(("xl/_rels/workbook.xml.rels", f'<Relationships xmlns="{_PKG_REL}">{rels}</Relationships>'.encode()))
    sheet_types = "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                          for i in range(1, n + 1))
    parts.append(("[Content_Types].xml", (_TYPES_HEAD + sheet_types + _TYPES_TAIL).encode()))
    return parts


def _quoted(name: str) -> str:
    return "'" + name.replace("'", "''") + "'"


_THEME: list[bytes] = []


def _theme() -> bytes:
    if not _THEME:
        _THEME.append((Path(__file__).with_name("xlsx-theme1.xml")).read_bytes())
    return _THEME[0]


_APP = (b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
        b"<Application>Microsoft Excel Compatible / Openpyxl 3.1.5</Application><AppVersion>3.1</AppVersion></Properties>")
_ROOT_RELS = (f'<Relationships xmlns="{_PKG_REL}"><Relationship Type="{_REL}/officeDocument" Target="xl/workbook.xml" Id="rId1"/>'
              f'<Relationship Type="{_PKG_REL}/metadata/core-properties" Target="docProps/core.xml" Id="rId2"/>'
              f'<Relationship Type="{_REL}/extended-properties" Target="docProps/app.xml" Id="rId3"/></Relationships>').encode()
_TYPES_HEAD = ('<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
               '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
               '<Default Extension="xml" ContentType="application/xml"/>'
               '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
               '<Override PartName="/xl/theme/theme1.xml" ContentType="application/vnd.openxmlformats-officedocument.theme+xml"/>'
               '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
               '<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>')
_TYPES_TAIL = ('<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
               "</Types>")
_STYLES_MIDDLE = ('<fills count="2"><fill><patternFill/></fill><fill><patternFill patternType="gray125"/></fill></fills>'
                  '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
                  '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>')
_COLORS = ("00000000 00FFFFFF 00FF0000 0000FF00 000000FF 00FFFF00 00FF00FF 0000FFFF 00000000 00FFFFFF 00FF0000 0000FF00 "
           "000000FF 00FFFF00 00FF00FF 0000FFFF 00800000 00008000 00000080 00808000 00800080 00008080 00C0C0C0 00808080 "
           "009999FF 00993366 00FFFFCC 00CCFFFF 00660066 00FF8080 000066CC 00CCCCFF 00000080 00FF00FF 00FFFF00 0000FFFF "
           "00800080 00800000 00008080 000000FF 0000CCFF 00CCFFFF 00CCFFCC 00FFFF99 0099CCFF 00FF99CC 00CC99FF 00FFCC99 "
           "003366FF 0033CCCC 0099CC00 00FFCC00 00FF9900 00FF6600 00666699 00969696 00003366 00339966 00003300 00333300 "
           "00993300 00993366 00333399 00333333").split()
_STYLES_TAIL = ('<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0" hidden="0"/></cellStyles>'
                '<tableStyles count="0" defaultTableStyle="TableStyleMedium9" defaultPivotStyle="PivotStyleLight16"/>'
                "<colors><indexedColors>" + "".join(f'<rgbColor rgb="{c}"/>' for c in _COLORS)
                + "</indexedColors></colors></styleSheet>")
