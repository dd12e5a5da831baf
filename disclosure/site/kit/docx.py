"""``report.docx``: the report as an editable Word document (python-docx), for 审批 and 保密审查.

Made from the same parts, tables and charts as the report page: the title and each 部分 and section
in Word's own heading styles (标题 1–3, so the navigation pane and an inserted 目录 work), the body
text as paragraphs and lists, every 公开表 as a bordered table with its merged header cells (repeated
on each page), figures right-aligned, 编制单位 and 单位：万元 above it, wide tables on landscape pages,
each chart as its data table, and 第N页 共M页 in the footer as Word fields. The same input gives the same
bytes: the document's dates are the configured 发布日期 (or none), the zip's are fixed.
"""
from __future__ import annotations

import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from html.parser import HTMLParser
from typing import Any

from disclosure.site.kit.zips import stable_zip

BODY_FONT = "宋体"
HEADING_FONT = "黑体"
LATIN_FONT = "Times New Roman"
TABLE_POINTS = 9  # 小五 in tables
WIDE = 7  # a table with more columns than this is set on a landscape page


@dataclass
class Paragraph:
    """One paragraph of body text: its runs (text, bold), a list marker and a heading level."""

    runs: list[tuple[str, bool]] = field(default_factory=list)
    bullet: str = ""  # "•" or "1." for list items
    heading: int = 0  # 0 = body text

    @property
    def text(self) -> str:
        return "".join(t for t, _ in self.runs)


@dataclass
class HtmlTable:
    """A table inside a section's HTML: rows of (text, colspan, rowspan, header?)."""

    caption: str = ""
    rows: list[list[tuple[str, int, int, bool]]] = field(default_factory=list)


_BLOCKS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "div", "caption", "figcaption", "dt", "dd", "blockquote"}
_SKIP = {"svg", "script", "style", "figure"}


class _Reader(HTMLParser):
    """A section's HTML (our own sanitised markup) as paragraphs and tables, in order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.items: list[Paragraph | HtmlTable] = []
        self.current: Paragraph | None = None
        self.bold = 0
        self.skip = 0
        self.lists: list[list[int]] = []  # per open list: [ordered?, counter]
        self.table: HtmlTable | None = None
        self.cell: list[Any] | None = None
        self.row: list[tuple[str, int, int, bool]] | None = None

    def _para(self) -> Paragraph:
        if self.current is None:
            self.current = Paragraph()
        return self.current

    def _close(self) -> None:
        if self.current is not None and self.current.text.strip():
            self.current.runs = _trim(self.current.runs)
            self.items.append(self.current)
        self.current = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.skip or tag in _SKIP:
            self.skip += tag in _SKIP
            return
        a = dict(attrs)
        if tag == "table":
            self._close()
            self.table = HtmlTable()
        elif self.table is not None:
            if tag == "tr":
                self.row = []
            elif tag in ("td", "th"):
                self.cell = ["", int(a.get("colspan") or 1), int(a.get("rowspan") or 1), tag == "th"]
            elif tag == "caption":
                self.cell = ["", 0, 0, False]
            return
        elif tag in ("ul", "ol"):
            self._close()
            self.lists.append([tag == "ol", 0])
        elif tag in _BLOCKS:
            self._close()
            p = self._para()
            if tag == "li" and self.lists:
                self.lists[-1][1] += 1
                p.bullet = f"{self.lists[-1][1]}." if self.lists[-1][0] else "•"
            if tag in ("h5", "h6"):
                self.bold += 1
            elif tag[0] == "h" and tag[1:].isdigit():
                p.heading = int(tag[1:])
        elif tag in ("strong", "b"):
            self.bold += 1
        elif tag == "br" and self.current is not None:
            self.current.runs.append(("\n", False))

    def handle_endtag(self, tag: str) -> None:
        if self.skip:
            self.skip -= tag in _SKIP
            return
        if self.table is not None:
            if tag in ("td", "th") and self.cell is not None and self.row is not None:
                self.row.append((" ".join(self.cell[0].split()), self.cell[1], self.cell[2], self.cell[3]))
                self.cell = None
            elif tag == "caption" and self.cell is not None:
                self.table.caption = " ".join(self.cell[0].split())
                self.cell = None
            elif tag == "tr" and self.row is not None:
                self.table.rows.append(self.row)
                self.row = None
            elif tag == "table":
                self.items.append(self.table)
                self.table = None
            return
        if tag in ("ul", "ol") and self.lists:
            self._close()
            self.lists.pop()
        elif tag in _BLOCKS:
            if tag in ("h5", "h6"):
                self.bold = max(0, self.bold - 1)
            self._close()
        elif tag in ("strong", "b"):
            self.bold = max(0, self.bold - 1)

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        if self.table is not None:
            if self.cell is not None:
                self.cell[0] += data
            return
        text = re.sub(r"\s+", " ", data)
        if not text.strip() and self.current is None:
            return
        self._para().runs.append((text, self.bold > 0))

    def close(self) -> None:
        super().close()
        self._close()


def _trim(runs: list[tuple[str, bool]]) -> list[tuple[str, bool]]:
    """Runs without the blanks at the paragraph's ends, neighbours of the same weight joined."""
    out: list[tuple[str, bool]] = []
    for text, bold in runs:
        if out and out[-1][1] == bold:
            out[-1] = (out[-1][0] + text, bold)
        else:
            out.append((text, bold))
    if out:
        out[0] = (out[0][0].lstrip(), out[0][1])
        out[-1] = (out[-1][0].rstrip(), out[-1][1])
    return [(t, b) for t, b in out if t]


def read_html(html: str) -> list[Paragraph | HtmlTable]:
    """Paragraphs and tables of a section's HTML."""
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return reader.items


# ---- the document ---------------------------------------------------------------------------


def _fonts(style: Any, east: str, size: float | None = None, bold: bool | None = None) -> None:
    """A style's Chinese and Latin fonts, size and weight, in black."""
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    font = style.font
    font.name = LATIN_FONT
    font.color.rgb = RGBColor(0, 0, 0)
    if size is not None:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attr), LATIN_FONT)
    fonts.set(qn("w:eastAsia"), east)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)


def _setup(doc: Any) -> None:
    from docx.enum.text import WD_LINE_SPACING
    from docx.shared import Pt

    _fonts(doc.styles["Normal"], BODY_FONT, 12)
    normal = doc.styles["Normal"].paragraph_format
    normal.line_spacing_rule = WD_LINE_SPACING.ONE_POINT_FIVE
    normal.space_after = Pt(0)
    _fonts(doc.styles["Title"], HEADING_FONT, 20, True)
    for level, size in ((1, 16), (2, 14), (3, 12)):
        style = doc.styles[f"Heading {level}"]
        _fonts(style, HEADING_FONT, size, True)
        style.font.italic = False
        style.paragraph_format.space_before = Pt(12 if level == 1 else 6)
        style.paragraph_format.space_after = Pt(6)
        style.paragraph_format.keep_with_next = True
    _fonts(doc.styles["Table Grid"], BODY_FONT, TABLE_POINTS)


def _page(section: Any, landscape: bool) -> None:
    """A4, portrait or landscape, with the report's margins."""
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm

    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (Mm(297), Mm(210)) if landscape else (Mm(210), Mm(297))
    section.top_margin = section.bottom_margin = Mm(20)
    section.left_margin = section.right_margin = Mm(20 if not landscape else 15)


def _field(paragraph: Any, instruction: str, shown: str) -> None:
    """A Word field (PAGE, NUMPAGES) with the text shown until it is updated."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def char(kind: str) -> Any:
        run = OxmlElement("w:r")
        fld = OxmlElement("w:fldChar")
        fld.set(qn("w:fldCharType"), kind)
        run.append(fld)
        return run

    paragraph._p.append(char("begin"))
    run = OxmlElement("w:r")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run.append(instr)
    paragraph._p.append(run)
    paragraph._p.append(char("separate"))
    paragraph.add_run(shown)
    paragraph._p.append(char("end"))


def _footer(section: Any) -> None:
    """第 PAGE 页 共 NUMPAGES 页, centred."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    p = section.footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.add_run("第")
    _field(p, "PAGE", "1")
    p.add_run("页 共")
    _field(p, "NUMPAGES", "1")
    p.add_run("页")


def _repeat_header(row: Any) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    trpr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    trpr.append(el)


def _cant_split(row: Any) -> None:
    from docx.oxml import OxmlElement

    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def _cell_text(cell: Any, text: str, *, bold: bool = False, align: str = "left", indent: int = 0) -> None:
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    p = cell.paragraphs[0]
    p.paragraph_format.line_spacing = 1.0
    p.alignment = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER,
                   "right": WD_ALIGN_PARAGRAPH.RIGHT}[align]
    if indent:
        p.paragraph_format.left_indent = Pt(9 * indent)
    if text:
        run = p.add_run(text)
        run.bold = bold or None
        run.font.size = Pt(TABLE_POINTS)  # the paragraph style (正文) would win over the table style's size


def _place(layout: list[list[tuple[str, int, int, bool]]]) -> tuple[int, list[tuple[int, int, int, int, str, bool]]]:
    """Cells given row by row with colspan and rowspan → (columns, [(row, col, rowspan, colspan, text, header)])."""
    taken: set[tuple[int, int]] = set()
    placed = []
    width = 0
    for r, row in enumerate(layout):
        c = 0
        for text, colspan, rowspan, header in row:
            while (r, c) in taken:
                c += 1
            for dr in range(rowspan):
                for dc in range(colspan):
                    taken.add((r + dr, c + dc))
            placed.append((r, c, rowspan, colspan, text, header))
            c += colspan
            width = max(width, c)
    return width, placed


#: Relative column widths by what the column holds (a 科目名称 needs room, a 行次 little).
_WEIGHTS = {"left": 3.0, "center": 1.1, "right": 1.3}


def _widths(doc: Any, table: Any, body: list[list[Any]], columns: int) -> None:
    """Column widths over the page's text width, by the kind of the first body row's cells."""
    from docx.shared import Emu

    section = doc.sections[-1]
    usable = section.page_width - section.left_margin - section.right_margin
    first = body[0] if body else []
    weights = [_WEIGHTS[first[c][1]] if c < len(first) else _WEIGHTS["right"] for c in range(columns)]
    total = sum(weights) or 1
    table.autofit = False
    widths = [Emu(int(usable * weight / total)) for weight in weights]
    for grid_col, width in zip(table._tbl.tblGrid.gridCol_lst, widths):
        grid_col.w = width
    for tr in table._tbl.tr_lst:  # each cell's own width, on the XML (python-docx's columns walk the whole table)
        for tc, width in zip(tr.tc_lst, widths):
            tc.width = width


def _merged_table(doc: Any, head: list[list[tuple[str, int, int, bool]]], body: list[list[Any]]) -> Any:
    """A bordered table: header rows with their merged cells (repeated on each page), then the body
    (``(text, align, indent, bold)`` per cell)."""
    width, placed = _place(head)
    width = max(width, max((len(r) for r in body), default=0))
    table = doc.add_table(rows=len(head) + len(body), cols=max(width, 1))
    table.style = doc.styles["Table Grid"]
    _widths(doc, table, body, max(width, 1))
    columns = max(width, 1)
    grid = table._cells  # once: table.cell() walks the whole table each call; merged areas never overlap,
    # so each area's corner cells are still those of the unmerged grid
    for r, c, rowspan, colspan, text, _ in placed:
        cell = grid[r * columns + c]
        if rowspan > 1 or colspan > 1:
            cell = cell.merge(grid[(r + rowspan - 1) * columns + c + colspan - 1])
        _cell_text(cell, text, bold=True, align="center")
    rows = list(table.rows)
    for r in range(len(head)):
        _repeat_header(rows[r])
    for i, row in enumerate(body):
        tr = rows[len(head) + i]
        _cant_split(tr)
        cells = tr.cells  # computed once a row: each call walks the row
        for c, (text, align, indent, bold) in enumerate(row):
            _cell_text(cells[c], text, align=align, indent=indent, bold=bold)
    return table


def _grid_rows(grid: Any) -> tuple[list[list[tuple[str, int, int, bool]]], list[list[Any]]]:
    """A 公开表 grid's header rows and body rows (filler rows left out)."""
    head = [[(h.text, h.colspan, h.rowspan, True) for h in row] for row in grid.head]
    body = []
    for row in grid.body:
        if not row:
            continue
        cells = []
        for c in row:
            if c.kind == "label":
                cells.append((c.text, "left", c.level, False))
            elif c.kind in ("code", "line", "unit"):
                cells.append((c.text, "center", 0, False))
            else:
                cells.append((c.text, "right", 0, False))
        body.append(cells)
    return head, body


def _paragraph(doc: Any, p: Paragraph) -> None:
    from docx.shared import Pt

    para = doc.add_paragraph()
    if p.bullet:
        para.paragraph_format.left_indent = Pt(24)
        para.paragraph_format.first_line_indent = Pt(-12)
        para.add_run(p.bullet + " ")
    else:
        para.paragraph_format.first_line_indent = Pt(24)  # 首行缩进两字
    for text, bold in p.runs:
        run = para.add_run(text)
        if bold:
            run.bold = True


def _html_table(doc: Any, t: HtmlTable) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    if t.caption:
        cap = doc.add_paragraph(t.caption)
        cap.alignment = WD_ALIGN_PARAGRAPH.CENTER
    rows = t.rows
    head_n = 0
    while head_n < len(rows) and all(h for *_, h in rows[head_n]) and len(rows[head_n]) > 0:
        head_n += 1
    head_n = min(head_n, len(rows))
    body = []
    for row in rows[head_n:]:
        cells = []
        for text, colspan, _, header in row:
            number = bool(re.fullmatch(r"[-+]?[\d,]+(\.\d+)?%?", text))
            cells.append((text, "right" if number else "left", 0, False))
            cells += [("", "left", 0, False)] * (colspan - 1)
        body.append(cells)
    _merged_table(doc, rows[:head_n], body)
    doc.add_paragraph()


def _section_html(doc: Any, html: str) -> None:
    for item in read_html(html):
        if isinstance(item, HtmlTable):
            _html_table(doc, item)
        elif item.heading:  # a heading inside a section's text (the glossary's 收入, 支出 …)
            doc.add_heading(item.text, level=_heading_level(item.heading))
        else:
            _paragraph(doc, item)


def _heading_level(html_level: int) -> int:
    """The report page's h2/h3/h4 as Word's 标题 1/2/3."""
    return max(1, min(3, html_level - 1))


@dataclass(frozen=True)
class DocxInput:
    """What the Word report is made of (the objects the report page was rendered from)."""

    title: str
    unit_name: str
    year: int
    publisher: str
    publish_date: str
    parts: list[Any]  # disclosure.site.outline.Part
    views: list[Any]  # disclosure.site.tables.TableView
    charts: list[Any] = field(default_factory=list)  # ChartView


def _cover(doc: Any, d: DocxInput) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
    from docx.shared import Pt

    for _ in range(8):
        doc.add_paragraph()
    for text, size in ((d.unit_name, 22), (f"{d.year}年度部门决算公开", 26)):
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = p.add_run(text)
        run.bold = True
        run.font.size = Pt(size)
    for _ in range(6):
        doc.add_paragraph()
    meta = [f"发布机构：{d.publisher}"] + ([f"发布日期：{d.publish_date}"] if d.publish_date else [])
    for text in meta:
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.add_run(text).font.size = Pt(14)
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _table_view(doc: Any, view: Any, unit_name: str) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT

    doc.add_heading(f"{view.marker} {view.title}".strip(), level=2)
    meta = doc.add_paragraph()
    meta.add_run(f"编制单位：{unit_name}\t单位：万元")
    section = doc.sections[-1]
    meta.paragraph_format.tab_stops.add_tab_stop(section.page_width - section.left_margin - section.right_margin,
                                                 alignment=WD_TAB_ALIGNMENT.RIGHT)
    for grid in view.grids:
        if len(view.grids) > 1 and grid.block:
            cap = doc.add_paragraph(grid.block)
            cap.alignment = WD_ALIGN_PARAGRAPH.CENTER
        head, body = _grid_rows(grid)
        _merged_table(doc, head, body)
    if view.empty:
        doc.add_paragraph(view.empty_note)
    for note in view.notes:
        doc.add_paragraph(note)


def _new_section(doc: Any, landscape: bool) -> None:
    from docx.enum.section import WD_SECTION

    section = doc.add_section(WD_SECTION.NEW_PAGE)
    _page(section, landscape)


def _charts(doc: Any, charts: Iterable[Any]) -> None:
    charts = list(charts)
    if not charts:
        return
    doc.add_heading("决算情况图示", level=2)
    for c in charts:
        rows = [[("项目", 1, 1, True)] + [(s, 1, 1, True) for s in c.series]]
        rows += [[(label, 1, 1, False)] + [(v, 1, 1, False) for v in vals] for label, vals in c.rows]
        _html_table(doc, HtmlTable(f"{c.title}（单位：{c.unit}）", rows))
        for _, text in getattr(c, "legend", ()):  # the legend's shares (财政拨款收入 5,728.23万元（83.27%）)
            _paragraph(doc, Paragraph([(text, False)], bullet="•"))


def report_docx(d: DocxInput) -> bytes:
    """The Word document's bytes (stable: fixed dates in the document and in its zip)."""
    from docx import Document

    doc = Document()
    _setup(doc)
    _page(doc.sections[0], landscape=False)
    _footer(doc.sections[0])
    _cover(doc, d)
    doc.add_paragraph(d.title, style="Title").alignment = 1
    meta = doc.add_paragraph(f"发布机构：{d.publisher}" + (f"　发布日期：{d.publish_date}" if d.publish_date else ""))
    meta.alignment = 1
    landscape = False
    for part in d.parts:
        if part.kind == "tables":
            for i, view in enumerate(d.views):
                landscape = max((g.width for g in view.grids), default=0) > WIDE
                _new_section(doc, landscape)
                if i == 0:
                    doc.add_heading(part.title, level=1)
                _table_view(doc, view, d.unit_name)
            continue
        if landscape:  # a part after the tables starts on a portrait page again
            _new_section(doc, landscape := False)
        doc.add_heading(part.title, level=1)
        if not part.blocks:
            doc.add_paragraph(part.note)
        for block in part.blocks:
            if block.title:
                doc.add_heading(block.title, level=_heading_level(block.level))
            _section_html(doc, block.html)
        if part.kind == "narrative":
            _charts(doc, d.charts)
    props = doc.core_properties
    props.title = d.title
    props.author = d.publisher
    props.last_modified_by = d.publisher
    props.subject = f"{d.year}年度部门决算公开"
    props.keywords = "部门决算,决算公开"
    props.revision = 1
    when = _date(d.publish_date)
    props.created = props.modified = props.last_printed = when
    out = io.BytesIO()
    doc.save(out)
    return stable_zip(out.getvalue())


def _date(text: str) -> datetime:
    """The configured 发布日期 as the document's date; without one a fixed date (2000-01-01), never the clock."""
    m = re.match(r"^(\d{4})[-./年](\d{1,2})[-./月](\d{1,2})", text.strip())
    if m:
        try:
            return datetime(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            pass
    return datetime(2000, 1, 1)
