"""Size guards run before a workbook is handed to the spreadsheet reader (calamine).

The reader makes a dense grid from A1 to the last cell with a value: one value at ``XFD1048576``
asks for 17 billion cells (512 GiB) and aborts the process; an .ods row repeated a million times
does the same. A zip whose parts unpack to gigabytes fills the memory before any cell is read.
So, before reading: the file is a regular file under the size cap, each unpacked part is capped,
and the extent of the cells holding a value (.xlsx sheet XML, .ods ``content.xml`` with its
repeats) is measured and capped. .xls files are read first in a child process whose memory is
capped (``limit_child_memory``), and every sheet's extent is checked again once read
(``sheet_extent_problem``).
"""
from __future__ import annotations

import re
import zipfile
from pathlib import Path

from disclosure.errors import Problem
from disclosure.load.xlsx_xml import ATTR, REL_TAG, SHEET_TAG, column_letters, unescape
from disclosure.safe_files import WORKBOOK_LIMIT, MiB, UnsafeFile, check_regular, open_message

MAX_ROWS = 50_000  # the longest 决算 table (支出决算明细表) has a few thousand rows
MAX_COLUMNS = 1_024
MAX_CELLS = 4_000_000  # rows × columns of the grid from A1
MAX_PART = 128 * MiB  # one unpacked part of the zip (a sheet's XML)
MAX_UNPACKED = 512 * MiB  # every part together
MAX_PARTS = 10_000
CHUNK = 4 * MiB  # a sheet's XML is measured this much at a time
CHILD_MEMORY = 2048 * MiB  # address space of the process that first reads an .xls file

_CELL_OPEN = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(/?)>")
_REF = re.compile(rb'\br\s*=\s*"\$?([A-Za-z]{1,4})\$?(\d{1,9})"')
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\b[^>]*\bref\s*=\s*"([^"]*)"')

_T = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_O = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ch - 64
    return n


def _extent_message(sheet: str, rows: int, columns: int) -> str:
    last = f"{column_letters(max(columns, 1) - 1)}{max(rows, 1)}"
    return (
        f"工作表“{sheet}”的内容一直延伸到 {last}（{rows} 行 × {columns} 列），远远超出一张公开表的大小"
        f"（最多 {MAX_ROWS} 行、{MAX_COLUMNS} 列），可能在表格下方或右侧的远处有多余的内容。"
        "请在 Excel/WPS 中按 Ctrl+End 找到最后一个单元格，删去表格之外的行和列后另存，再重试。"
    )


def extent_problem(sheet: str, rows: int, columns: int, display: str) -> Problem | None:
    """A problem when a grid of ``rows`` × ``columns`` from A1 is larger than any table."""
    if rows > MAX_ROWS or columns > MAX_COLUMNS or rows * columns > MAX_CELLS:
        return Problem(_extent_message(sheet, rows, columns), file=display)
    return None


def sheet_extent_problem(end: tuple[int, int] | None, sheet: str, display: str) -> Problem | None:
    """The same check for a sheet as read (calamine's 0-based ``end`` cell), before its grid is made."""
    if not end:
        return None
    return extent_problem(sheet, end[0] + 1, end[1] + 1, display)


def _zip_problem(zf: zipfile.ZipFile, display: str) -> Problem | None:
    infos = zf.infolist()
    if len(infos) > MAX_PARTS:
        return Problem(f"文件内部有 {len(infos)} 个部件，远多于一个工作簿应有的数量，可能已损坏或被篡改。请在 Excel/WPS 中另存后重试。", file=display)
    total = 0
    for info in infos:
        total += info.file_size
        if (info.file_size > MAX_PART and not _is_sheet_part(info.filename)) or total > MAX_UNPACKED:
            return Problem(
                f"文件解压后过大（部件 {info.filename} 有 {info.file_size / MiB:.0f} MB，上限 {MAX_PART // MiB} MB；"
                f"全部上限 {MAX_UNPACKED // MiB} MB），不像是公开表，可能已损坏或被篡改。"
                "请把表格内容复制到新建的工作簿后另存，再重试。",
                file=display,
            )
    return None


def _xlsx_sheet_names(zf: zipfile.ZipFile) -> dict[str, str]:
    """Worksheet part → the sheet's name (for messages), as far as the workbook says."""
    try:
        workbook = zf.read("xl/workbook.xml")
        rels_xml = zf.read("xl/_rels/workbook.xml.rels")
    except KeyError:
        return {}
    rels = {}
    for tag in REL_TAG.findall(rels_xml):
        a = {k.decode(): v.decode("utf-8", "replace") for k, v in ATTR.findall(tag)}
        target = a.get("Target", "")
        rels[a.get("Id", "")] = target.lstrip("/") if target.startswith("/") else "xl/" + target
    names = {}
    for tag in SHEET_TAG.findall(workbook):
        a = {k.decode(): v.decode("utf-8", "replace") for k, v in ATTR.findall(tag)}
        rid = next((v for k, v in a.items() if k.endswith(":id")), "")
        if rid in rels:
            names[rels[rid]] = unescape(a.get("name", ""))
    return names


def _xlsx_problem(zf: zipfile.ZipFile, display: str) -> Problem | None:
    names = _xlsx_sheet_names(zf)
    for info in zf.infolist():
        part = info.filename
        if not (part.startswith("xl/worksheets/") and part.endswith(".xml")):
            continue
        sheet = names.get(part, part.rsplit("/", 1)[-1])
        rows = columns = 0
        too_large = False
        with zf.open(info) as handle:  # in pieces: a sheet of a million rows is measured, not held
            rest = b""
            while True:
                chunk = handle.read(CHUNK)
                if not chunk:
                    break
                data = rest + chunk
                cut = data.rfind(b">") + 1
                data, rest = data[:cut], data[cut:]
                if too_large:  # only how far it goes, for the message: the last cell of each piece
                    m = _REF.search(data, max(data.rfind(b"<c "), 0))
                    rows = max(rows, int(m.group(2))) if m else rows
                    continue
                for attrs, closed in _CELL_OPEN.findall(data):
                    if closed:  # <c r="…" s="…"/>: formatting only, no value
                        continue
                    m = _REF.search(attrs)
                    if m:
                        rows = max(rows, int(m.group(2)))
                        columns = max(columns, _column_number(m.group(1)))
                too_large = extent_problem(sheet, rows, columns, display) is not None
        problem = extent_problem(sheet, rows, columns, display)
        if problem:  # far below or right of any table: said as such
            return problem
        if info.file_size > MAX_PART:
            return Problem(
                f"文件解压后过大（部件 {info.filename} 有 {info.file_size / MiB:.0f} MB，上限 {MAX_PART // MiB} MB），"
                "不像是公开表，可能已损坏或被篡改。请把表格内容复制到新建的工作簿后另存，再重试。",
                file=display,
            )
    return None


def _is_sheet_part(name: str) -> bool:
    return name.startswith("xl/worksheets/") and name.endswith(".xml")


def _ods_problem(zf: zipfile.ZipFile, display: str) -> Problem | None:
    """The extent of each table's cells with content, counting row and column repeats."""
    from xml.etree.ElementTree import ParseError, iterparse

    try:
        handle = zf.open("content.xml")
    except KeyError:
        return None
    sheet, row, rows, columns, depth = "", 0, 0, 0, 0
    col = 0
    row_repeat = 1
    row_last_col = 0
    try:
        with handle:
            for event, el in iterparse(handle, events=("start", "end")):
                tag = el.tag
                if tag == _T + "table":
                    if event == "start":
                        depth += 1
                        if depth == 1:
                            sheet, row, rows, columns = el.get(_T + "name", ""), 0, 0, 0
                    else:
                        depth -= 1
                        if depth == 0:
                            problem = extent_problem(sheet, rows, columns, display)
                            if problem:
                                return problem
                        el.clear()
                    continue
                if depth != 1:
                    continue
                if tag == _T + "table-row":
                    if event == "start":
                        col, row_last_col = 0, 0
                        row_repeat = _count(el.get(_T + "number-rows-repeated"))
                    else:
                        if row_last_col:
                            rows = row + row_repeat
                            columns = max(columns, row_last_col)
                            if extent_problem(sheet, rows, columns, display):
                                return extent_problem(sheet, rows, columns, display)
                        row += row_repeat
                        el.clear()
                elif tag in (_T + "table-cell", _T + "covered-table-cell") and event == "end":
                    repeat = _count(el.get(_T + "number-columns-repeated"))
                    if el.get(_O + "value-type") is not None or any(True for _ in el.iter(_TEXT + "p")):
                        row_last_col = col + repeat
                    col += repeat
                    el.clear()
    except (ParseError, ValueError, zipfile.BadZipFile, OSError, EOFError):
        return None  # the reader reports a damaged file itself
    return None


def _count(value: str | None) -> int:
    try:
        n = int(value) if value is not None else 1
    except ValueError:
        return 1
    return max(n, 1)


def workbook_problem(path: Path, display: str) -> Problem | None:
    """What makes a file unsafe to hand to the spreadsheet reader, or None."""
    try:
        check_regular(path, limit=WORKBOOK_LIMIT, display=display)
    except UnsafeFile as exc:
        return exc.problems[0]
    try:
        with open(path, "rb") as f:
            head = f.read(4)
    except OSError as exc:  # no read permission and the like: said in Chinese, naming the file
        return Problem(open_message(exc), file=display)
    try:
        if head != b"PK\x03\x04":
            return None  # .xls (OLE) or not a spreadsheet: read_book decides
        with zipfile.ZipFile(path) as zf:
            problem = _zip_problem(zf, display)
            if problem:
                return problem
            names = set(zf.namelist())
            if "xl/workbook.xml" in names:
                return _xlsx_problem(zf, display)
            if "content.xml" in names:
                return _ods_problem(zf, display)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError, RuntimeError, NotImplementedError, KeyError):
        return None  # damaged: read_book says so in its own words
    except Exception:  # zlib.error and the like on a damaged part: read_book reports it
        return None
    return None


def limit_child_memory() -> None:
    """Cap the address space of the current (forked child) process, so that a workbook that asks
    for a huge grid fails there with an allocation error instead of exhausting the machine."""
    try:
        import resource

        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        cap = CHILD_MEMORY if hard == resource.RLIM_INFINITY else min(CHILD_MEMORY, hard)
        resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    except (ImportError, ValueError, OSError):  # pragma: no cover - not on a Unix
        pass
