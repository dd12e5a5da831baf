"""Size guards run before a workbook is handed to the spreadsheet reader (calamine).

The reader makes a dense grid from A1 to the last cell with a value: one value at ``XFD1048576``
asks for 17 billion cells (512 GiB) and aborts the process; an .ods row repeated a million times
does the same. A zip whose parts unpack to gigabytes fills the memory before any cell is read.
So, before reading: the file is a regular file under the size cap, each unpacked part is capped,
and the extent of the cells holding a value (.xlsx sheet XML, .ods ``content.xml`` with its
repeats) is measured and capped, and so is that of each worksheet of an .xls, from its cell records
(``xls_extents``: calamine builds an .xls's grids as it opens it). .xls files are then read first in a
child process whose memory is capped (``limit_child_memory``), and every sheet's extent is checked
again once read (``sheet_extent_problem``).
"""
from __future__ import annotations

import re
import zipfile
import zlib
from pathlib import Path

from disclosure.errors import Problem, open_message
from disclosure.load.xlsx_xml import ATTR, REL_TAG, SHEET_TAG, column_letters, unescape
from disclosure.safe_files import WORKBOOK_LIMIT, MiB, UnsafeFile, check_regular

MAX_ROWS = 50_000  # the longest 决算 table (支出决算明细表) has a few thousand rows
MAX_COLUMNS = 1_024
MAX_CELLS = 1_000_000  # rows × columns of the grid from A1 (a long 明细表: 5,000 rows × 40 columns = 200,000)
MAX_PART = 128 * MiB  # one unpacked part of the zip (a sheet's XML)
MAX_UNPACKED = 512 * MiB  # every part together
MAX_PARTS = 10_000
_OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")  # .xls (an OLE compound file)
CHUNK = 4 * MiB  # a sheet's XML is measured this much at a time
CHILD_MEMORY = 2048 * MiB  # address space of the process that first reads an .xls file

_CELL_OPEN = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(/?)>")
_VALUE_CELL = re.compile(rb'<(?:\w+:)?c\b[^>]*?\br\s*=\s*"\$?([A-Za-z]{1,4})\$?(\d{1,9})"[^>]*(?<!/)>')  # not self-closed
_REF = re.compile(rb'\br\s*=\s*"\$?([A-Za-z]{1,4})\$?(\d{1,9})"')
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\b[^>]*\bref\s*=\s*"([^"]*)"')

DAMAGED_ODS = ("文件已损坏或不完整（其中的 content.xml 不是完整的 XML，可能没有完整下载或复制），无法读取。"
               "请重新获取文件，或在 LibreOffice/WPS/Excel 中打开并另存后重试。")

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
        f"（最多 {MAX_ROWS} 行、{MAX_COLUMNS} 列、共 {MAX_CELLS // 10_000} 万个单元格），可能在表格下方或右侧的远处有多余的内容。"
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
                rest = _tag_in_progress(rest)
                if too_large:  # only how far it goes, for the message: the last cell of each piece
                    m = _REF.search(data, max(data.rfind(b"<c "), 0))
                    rows = max(rows, int(m.group(2))) if m else rows
                    continue
                piece_rows, piece_columns = _piece_extent(data)
                rows, columns = max(rows, piece_rows), max(columns, piece_columns)
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


def _tag_in_progress(rest: bytes) -> bytes:
    """What of a piece after its last ``>`` is carried into the next: only a tag that has begun (the
    text before it holds no cell reference), its runs of blanks made one (a part padded with 100 MB
    of blanks, inside a tag or between two, is measured in pieces, never held)."""
    lt = rest.find(b"<")
    if lt == -1:
        return b""
    rest = rest[lt:]
    return _BLANKS.sub(b" ", rest) if len(rest) > MiB else rest


_BLANKS = re.compile(rb"\s+")


def _piece_extent(data: bytes) -> tuple[int, int]:
    """The last row and column of the cells holding a value in a piece of sheet XML. Formatting-only
    cells (``<c r="…" s="…"/>``) do not count. The references are gathered by one regular expression
    and reduced in bulk (4 million cells: 27 s cell by cell, about 8 s so)."""
    refs = _VALUE_CELL.findall(data)
    if not refs:
        return 0, 0
    return max(map(int, [ref[1] for ref in refs])), max(map(_column_number, {ref[0] for ref in refs}))


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
    except (ParseError, ValueError, zipfile.BadZipFile, OSError, EOFError, zlib.error):
        # refused here: the reader can loop without end on a content.xml cut short between two tables
        return Problem(DAMAGED_ODS, file=display)
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
            head = f.read(8)
    except OSError as exc:  # no read permission and the like: said in Chinese, naming the file
        return Problem(open_message(exc), file=display)
    try:
        if head == _OLE_MAGIC:
            return _xls_problem(path, display)
        if head[:4] != b"PK\x03\x04":
            return None  # not a spreadsheet: read_book decides
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


# -- .xls (BIFF8 in an OLE compound file) --------------------------------------------------------------
# calamine builds every sheet's grid when it opens an .xls (a cell at IV65536 costs about 1 GB before a
# single cell can be looked at), so the extent is read from the file's records first: the compound
# file's directory gives the Workbook stream, and each worksheet's cell records give its last cell.

_OLE_END = 0xFFFFFFFE
_XLS_CELLS = {0x0203, 0x027E, 0x00FD, 0x0204, 0x0006, 0x0205, 0x00D6}  # NUMBER RK LABELSST LABEL FORMULA BOOLERR RSTRING
_XLS_MULRK = 0x00BD  # several RK values in one row: its last column ends the record
_BOUNDSHEET, _BOF, _EOF = 0x0085, 0x0809, 0x000A


class _Damaged(ValueError):
    """The compound file does not hold together; the reader reports it in its own words."""


def _ole_chain(fat: list[int], start: int, limit: int) -> list[int]:
    out = []
    sector = start
    while sector != _OLE_END:
        if sector >= len(fat) or len(out) > limit:
            raise _Damaged("a broken or looping sector chain")
        out.append(sector)
        sector = fat[sector]
    return out


def _ole_stream(data: bytes, names: tuple[str, ...] = ("Workbook", "Book")) -> bytes | None:
    """The bytes of the first stream called one of ``names`` in an OLE compound file, or None."""
    import struct

    if len(data) < 512:
        raise _Damaged("shorter than its header")
    shift, mini_shift = struct.unpack_from("<HH", data, 0x1E)
    if not 7 <= shift <= 16 or not 2 <= mini_shift < shift:
        raise _Damaged("sector sizes")
    size, mini_size = 1 << shift, 1 << mini_shift
    per = size // 4
    fat_count, dir_start = struct.unpack_from("<II", data, 0x2C)
    cutoff, mini_fat_start, mini_fat_count, difat_start, difat_count = struct.unpack_from("<IIIII", data, 0x38)
    sectors = max(1, len(data) // size)

    def sector(n: int) -> bytes:
        at = (n + 1) * size
        if n >= 0xFFFFFFFA or at >= len(data):
            raise _Damaged("a sector past the end")
        return data[at: at + size].ljust(size, b"\0")

    difat = list(struct.unpack_from("<109I", data, 0x4C))
    at, hops = difat_start, 0
    while at not in (_OLE_END, 0xFFFFFFFF) and hops < min(difat_count, sectors) + 1:
        entries = struct.unpack(f"<{per}I", sector(at))
        difat += entries[:-1]
        at, hops = entries[-1], hops + 1
    fat: list[int] = []
    for n in difat[:fat_count]:
        if n < 0xFFFFFFFA:
            fat += struct.unpack(f"<{per}I", sector(n))
    directory = b"".join(sector(n) for n in _ole_chain(fat, dir_start, sectors))
    entries = []
    for at in range(0, len(directory) - 127, 128):
        entry = directory[at: at + 128]
        length = struct.unpack_from("<H", entry, 0x40)[0]
        name = entry[: max(0, min(length, 64) - 2)].decode("utf-16-le", "replace")
        start, stream_size = struct.unpack_from("<IQ", entry, 0x74)
        entries.append((name, entry[0x42], start, stream_size if size > 512 else stream_size & 0xFFFFFFFF))
    if not entries:
        raise _Damaged("no directory")
    for wanted in names:
        for name, kind, start, stream_size in entries:
            if kind != 2 or name != wanted:
                continue
            if stream_size < cutoff:  # a small stream lives in the mini stream
                mini = b"".join(sector(n) for n in _ole_chain(fat, entries[0][2], sectors))
                mini_fat: list[int] = []
                for n in _ole_chain(fat, mini_fat_start, sectors) if mini_fat_count else []:
                    mini_fat += struct.unpack(f"<{per}I", sector(n))
                chain = _ole_chain(mini_fat, start, len(mini_fat))
                return b"".join(mini[m * mini_size:(m + 1) * mini_size] for m in chain)[:stream_size]
            return b"".join(sector(n) for n in _ole_chain(fat, start, sectors))[:stream_size]
    return None


def xls_extents(stream: bytes) -> list[tuple[str, int, int]]:
    """(sheet name, rows, columns) of each worksheet of a BIFF8 Workbook stream: the grid from A1 to
    its last cell holding a value (blank, formatted cells are not counted, as the reader skips them)."""
    import struct

    names: dict[int, str] = {}
    out: list[tuple[str, int, int]] = []
    current: list[int] | None = None  # [offset of its BOF, rows, columns]
    at, end = 0, len(stream)
    while at + 4 <= end:
        kind, length = struct.unpack_from("<HH", stream, at)
        body = at + 4
        if kind == _BOUNDSHEET and length >= 8:  # where a sheet's records start, and its name
            offset = struct.unpack_from("<I", stream, body)[0]
            count, wide = stream[body + 6], stream[body + 7] & 1
            raw = stream[body + 8: body + 8 + count * (2 if wide else 1)]
            names[offset] = raw.decode("utf-16-le" if wide else "latin-1", "replace")
        elif kind == _BOF and length >= 4:
            current = [at, 0, 0] if struct.unpack_from("<H", stream, body + 2)[0] == 0x0010 else None
        elif kind == _EOF:
            if current is not None:
                out.append((names.get(current[0], f"第 {len(out) + 1} 张"), current[1], current[2]))
            current = None
        elif current is not None and length >= 4 and (kind in _XLS_CELLS or kind == _XLS_MULRK):
            row, col = struct.unpack_from("<HH", stream, body)
            if kind == _XLS_MULRK and length >= 6:
                col = struct.unpack_from("<H", stream, body + length - 2)[0]
            current[1] = max(current[1], row + 1)
            current[2] = max(current[2], col + 1)
        at = body + length
    if current is not None:
        out.append((names.get(current[0], f"第 {len(out) + 1} 张"), current[1], current[2]))
    return out


def _xls_problem(path: Path, display: str) -> Problem | None:
    import struct

    try:
        stream = _ole_stream(path.read_bytes())
    except (_Damaged, struct.error, OSError, MemoryError, IndexError):
        return None  # damaged: the reader (in a child process first) says so
    if stream is None:
        return None
    for sheet, rows, columns in xls_extents(stream):
        problem = extent_problem(sheet, rows, columns, display)
        if problem:
            return problem
    return None
