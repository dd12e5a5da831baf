"""Which table a sheet holds, and what its top rows state: title, 公开NN表, unit line, year, 编制单位."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace

from disclosure.labels import is_note
from disclosure.load.text import norm
from disclosure.load.workbook import Sheet
from disclosure.standard import TableSet, TableSpec

TOP_ROWS = 8
_MARKER = re.compile(r"公开\s*(\d{1,2})\s*表")
_UNIT_LINE = re.compile(r"(?<![制报送填])单位\s*[:：]\s*(\S*)")
# who made the table: 编制单位： / 填报单位： / 编报部门： …, and 部门： / 单位名称： / 部门名称： as the first word of
# a cell (a bare 单位： is the money unit line)
_MAKER = re.compile(
    r"(?:(?:编制|填报|报送|编报)(?:单位|部门)|^(?:部门|单位名称|部门名称|预算单位|部门（单位）|部门\(单位\)))\s*[:：]\s*(.*)$"
)
_MAKER_END = re.compile(r"\s{2,}|\u3000|(?:金额)?单位\s*[:：]|(?:19|20)\d{2}\s*年|公开\s*\d{1,2}\s*表")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年(?!\s*\d{1,2}\s*月)")
_LEAD_YEAR = re.compile(r"^(?:19|20)\d{2}年度?")
MONEY_UNITS = {"元": "元", "万元": "万元", "亿元": "亿元"}


@dataclass
class Found:
    """A piece of text found in a sheet's top rows, with its position."""

    text: str
    row: int
    col: int


@dataclass
class SheetMeta:
    """What the top rows of a sheet say."""

    spec: TableSpec | None = None
    title: Found | None = None
    marker: Found | None = None
    unit: Found | None = None  # text is the unit as written (万元, 元, 千元 …)
    maker: Found | None = None  # 编制单位 name
    year: Found | None = None  # text is the 4-digit year
    last_row: int = -1  # last row that holds only top-row information
    strength: int = 0  # how it was recognised: 3 exact title, 2 prefixed, 1 contained, 0 marker, -1 sheet name
    listing: bool = False  # the top rows name several tables: a 目录 (contents) or cover sheet, not a table


def _norm(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


def _title_score(cell: str, spec: TableSpec, unit_name: str | None) -> tuple[int, int] | None:
    """How well a cell's text names a table: (kind, length); kind 3 exact, 2 suffix, 1 contained."""
    text = norm(cell)
    text = _LEAD_YEAR.sub("", text)
    if unit_name:
        name = norm(unit_name)
        if name and text.startswith(name):
            text = _LEAD_YEAR.sub("", text[len(name):])
    best: tuple[int, int] | None = None
    for t in spec.title_keys:
        kind = 3 if text == t else 2 if text.endswith(t) else 1 if t in text else 0
        if kind and (best is None or (kind, len(t)) > best):
            best = (kind, len(t))
    return best


def read_meta(sheet: Sheet, table_set: TableSet, first: int = 0) -> SheetMeta:
    """Scan the top rows of a sheet (of a table stacked on it: from its row ``first``) for the table it
    holds and the lines above its header."""
    meta = SheetMeta()
    cells = [
        Found(_norm(v), r, c)
        for r in range(first, min(first + TOP_ROWS, sheet.height))
        for c, v in enumerate(sheet.grid[r])
        if isinstance(v, str) and v.strip()
    ]
    for f in cells:
        if meta.maker is None and (m := _MAKER.search(f.text)):
            meta.maker = Found(_MAKER_END.split(m.group(1))[0].strip(), f.row, f.col)
    unit_name = meta.maker.text if meta.maker else None
    best: tuple[tuple[int, int], int, Found, TableSpec] | None = None
    named: set[str] = set()  # the tables that some cell names (best match of each cell)
    for f in cells:
        if "表" not in f.text or _MAKER.search(f.text):  # every title ends in 表
            continue
        cell_best: tuple[tuple[int, int], int, TableSpec] | None = None
        for order, spec in enumerate(table_set):
            score = _title_score(f.text, spec, unit_name)
            # better score wins; on a tie the earlier table of the set
            if score and (cell_best is None or (score, -order) > (cell_best[0], -cell_best[1])):
                cell_best = (score, order, spec)
        if cell_best is None:
            continue
        if cell_best[0][0] >= 2:
            named.add(cell_best[2].key)
        if best is None or (cell_best[0], -cell_best[1]) > (best[0], -best[1]):
            best = (cell_best[0], cell_best[1], f, cell_best[2])
    if len(named) >= 2:  # 目录 lists the tables' titles one per row: no table of its own
        meta.listing = True
        return meta
    if best:
        meta.spec, meta.title, meta.strength = best[3], best[2], best[0][0]
    for f in cells:
        text = f.text
        if meta.marker is None and (m := _MARKER.search(text)):
            meta.marker = Found(m.group(1), f.row, f.col)
        if meta.unit is None and (m := _UNIT_LINE.search(text)):
            meta.unit = Found(m.group(1).strip("()（）,，。;；").removeprefix("人民币"), f.row, f.col)  # 人民币万元
    if meta.spec is None and meta.marker is not None:
        number = int(meta.marker.text)
        meta.spec = next((s for s in table_set if s.number == number and s.published), None)
    if meta.spec is None:  # no title in the sheet: its name may still say which table it is
        meta.spec = _by_sheet_name(sheet.name, table_set)
        meta.strength = -1
    meta.last_row = _last_meta_row(sheet, meta, first)
    for f in cells:  # the year stated above the header (a header like 2021年预算数 does not count)
        if f.row <= meta.last_row and (m := _YEAR.search(f.text)):
            meta.year = Found(m.group(1), f.row, f.col)
            break
    return meta


def _by_sheet_name(name: str, table_set: TableSet) -> TableSpec | None:
    """The table a sheet's name names (exact or suffix title match, else its 公开NN表 / leading NN)."""
    best: tuple[tuple[int, int], int, TableSpec] | None = None
    for order, spec in enumerate(table_set):
        score = _title_score(name, spec, None)
        if score and score[0] >= 2 and (best is None or (score, -order) > (best[0], -best[1])):
            best = (score, order, spec)
    if best:
        return best[2]
    m = _MARKER.search(name) or re.match(r"^\s*(\d{1,2})(?!\d)", name)
    if m:
        return next((s for s in table_set if s.number == int(m.group(1)) and s.published), None)
    number = _cn_table_number(name)
    if number is not None:
        return next((s for s in table_set if s.number == number and s.published), None)
    return None


_CN_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")}
_CN_SHEET = re.compile(r"^\s*(?:附表|公开|表)([一二三四五六七八九十]{1,3})(?:表)?\s*$")


def _cn_table_number(name: str) -> int | None:
    """A sheet named by its table's number in Chinese numerals: 表一, 表十二, 附表三, 公开五表 → 1, 12, 3, 5."""
    m = _CN_SHEET.match(unicodedata.normalize("NFKC", name))
    if not m:
        return None
    text = m.group(1)
    if "十" not in text:
        return _CN_DIGITS[text] if len(text) == 1 else None
    tens, _, ones = text.partition("十")
    if len(tens) > 1 or len(ones) > 1 or "十" in ones:
        return None
    value = (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)
    return value if 0 < value < 100 else None


def _is_meta_text(text: str, meta: SheetMeta) -> bool:
    return bool(
        _MARKER.search(text)
        or _UNIT_LINE.search(text)
        or _MAKER.search(text)
        or re.fullmatch(r"(?:19|20)\d{2}\s*年度?", text)
        or (meta.spec is not None and _title_score(text, meta.spec, meta.maker.text if meta.maker else None))
    )


def _last_meta_row(sheet: Sheet, meta: SheetMeta, first: int = 0) -> int:
    """The last of the top rows that holds only title, marker, unit, year and 编制单位 cells."""
    last = meta.title.row if meta.title else first - 1
    for r in range(first, min(first + TOP_ROWS, sheet.height)):
        texts = [_norm(str(v)) for v in sheet.grid[r] if str(v).strip()]
        if not texts:
            continue
        if all(_is_meta_text(t, meta) for t in texts):
            last = max(last, r)
        elif r > last:
            break
    return last


# -- several tables stacked one below another on one sheet (a PDF-to-Excel conversion, some accounting exports) --
TITLE_ROW_CELLS = 3  # a title row holds the title and at most a 公开NN表 marker and a unit line
MIN_BODY_ROWS = 2  # a stacked table has at least a header and a line under its title (a 目录 lists titles row by row)
# and a header or a line of figures under it: a row of two texts, or of three cells; a 目录 line (a title, its
# page number, dot leaders) is neither
_LEADER_OR_NUMBER = re.compile(r"^[\d\s,.，．·…\-—_]*$")


def _tabular(row: list[object]) -> bool:
    texts = numbers = 0
    for v in row:
        if isinstance(v, str):
            if not v.strip():
                continue
            if _LEADER_OR_NUMBER.match(v):
                numbers += any(ch.isdigit() for ch in v)
                continue
            texts += 1
        elif v is not None and v != "":
            numbers += 1
    return texts >= 2 or texts + numbers >= 3


_TITLE_MARKER = re.compile(r"[（(]?\s*公开\s*\d{1,2}\s*表\s*[)）]?")
_TITLE_TAIL = re.compile(r"[（(]\s*(?:19|20)\d{2}\s*年度?\s*[)）]\s*$")


def _filled(row: list[object]) -> int:
    return sum(1 for v in row if v is not None and str(v).strip())


def _title_row(row: list[object], table_set: TableSet) -> bool:
    """Whether a row is a table's title line: few cells, one of them a table's title (exact, or ending in it)."""
    cells = [v for v in row if v is not None and v != ""]
    if not any(isinstance(v, str) and "表" in v for v in cells) or _filled(cells) > TITLE_ROW_CELLS:
        return False
    texts = [_norm(v) for v in cells if isinstance(v, str) and v.strip()]
    for text in texts:
        if "表" not in text or _MAKER.search(text) or is_note(text):
            continue
        text = _TITLE_TAIL.sub("", _TITLE_MARKER.sub("", text)) or text  # 收入支出决算总表（公开01表） / （2024年度）
        if any((score := _title_score(text, spec, None)) and score[0] >= 2 for spec in table_set):
            return True
    return False


def _lead_row(row: list[object]) -> bool:
    """A line that may stand above a title and belongs to its table: a 公开NN表 marker or a year alone."""
    texts = [_norm(str(v)) for v in row if str(v).strip()]
    return bool(texts) and all(_MARKER.fullmatch(t) or re.fullmatch(r"(?:19|20)\d{2}\s*年度?", t) for t in texts)


def stacked_blocks(sheet: Sheet, table_set: TableSet) -> list[tuple[int, int]] | None:
    """The row ranges [first, end) of the tables stacked on one sheet, each from its title (with a
    公开NN表 or year line just above it) to the next table's; None for a sheet with one table (or a 目录,
    whose titles stand row by row with no table under them), which is read as a whole."""
    grid = sheet.grid
    titles = [r for r, row in enumerate(grid) if _title_row(row, table_set)]
    if len(titles) < 2:
        return None
    content = [r for r, row in enumerate(grid) if any(str(v).strip() for v in row)]

    def heads_table(r: int, end: int) -> bool:  # lines under the title before the next one, a header among them
        body = [x for x in content if r < x < end and not _lead_row(grid[x])]
        return len(body) >= MIN_BODY_ROWS and any(_tabular(grid[x]) for x in body)

    heads = [r for i, r in enumerate(titles) if heads_table(r, titles[i + 1] if i + 1 < len(titles) else len(grid))]
    if len(heads) < 2:
        return None
    starts = []
    for r in heads:
        first = r
        while first > 0 and (not any(str(v).strip() for v in grid[first - 1]) or _lead_row(grid[first - 1])):
            first -= 1
        while first < r and not any(str(v).strip() for v in grid[first]):  # blank rows above stay with the table before
            first += 1
        starts.append(first)
    if heads[0] < TOP_ROWS and not any(t < heads[0] for t in titles):  # the first table keeps the sheet's top rows
        starts[0] = 0
    return [(first, end) for first, end in zip(starts, starts[1:] + [len(grid)])]


def block_view(sheet: Sheet, first: int, end: int) -> Sheet:
    """The sheet as one stacked table sees it: the rows [first, end) at their own row numbers (every
    cell keeps its address on the sheet), the rows around them blank."""
    grid = [[] for _ in range(first)] + sheet.grid[first:end]
    merges = [m for m in sheet.merges if first <= m[0] and m[2] < end]
    return replace(sheet, grid=grid, merges=merges)


_HEADER_UNIT = re.compile(r"[（(]\s*(?:金额)?(?:单位)?[:：]?\s*(万元|元|亿元)\s*[)）]\s*$")
HEADER_ROWS = 6


def header_unit(sheet: Sheet, start: int) -> Found | None:
    """The money unit written in the column headers (决算数（万元）) of a sheet with no unit line;
    None when there is none, or when the headers disagree."""
    found: list[Found] = []
    for r in range(max(start, 0), min(start + HEADER_ROWS, sheet.height)):
        for c, v in enumerate(sheet.grid[r]):
            if isinstance(v, str) and (m := _HEADER_UNIT.search(_norm(v))):
                found.append(Found(m.group(1), r, c))
    return found[0] if found and len({f.text for f in found}) == 1 else None

