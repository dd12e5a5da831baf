"""Open a spreadsheet file safely and hand back its sheets as plain grids (python-calamine).

Checks done here, before any table is looked at: the file is a spreadsheet at all, it is not
encrypted, truncated or corrupt, its XML carries no DTD/ENTITY declarations, and (for .xlsx) which
formula cells were saved without a computed value.
"""
from __future__ import annotations

import os
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from python_calamine import CalamineWorkbook

from disclosure.errors import Problem, open_message
from disclosure.load.guard import limit_child_memory, sheet_extent_problem, workbook_problem
from disclosure.load.xlsx_xml import ATTR as _ATTR, REL_TAG as _REL_TAG, SHEET_TAG as _SHEET_TAG, column_letters, unescape as _unescape

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
_DTD = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.DOTALL)
_FORMULA = re.compile(rb"<(?:\w+:)?f\b")
_VALUE = re.compile(rb"<(?:\w+:)?v\b[^>]*>\s*[^<\s]")
_A1 = re.compile(r"^([A-Z]+)(\d+)$")

Merge = tuple[int, int, int, int]


def _passes(exc: BaseException) -> bool:
    """Exceptions that must go on (Ctrl-C, exit). Everything else calamine raises on a damaged file,
    including pyo3's PanicException (a BaseException), becomes a message."""
    return isinstance(exc, (KeyboardInterrupt, SystemExit, GeneratorExit))


@dataclass
class Sheet:
    """One worksheet as read: a grid from A1, merged ranges, formula cells without a value."""

    name: str
    file: str  # display path of the file it came from
    grid: list[list[object]]
    merges: list[Merge] = field(default_factory=list)
    uncomputed: set[tuple[int, int]] = field(default_factory=set)
    hidden: bool = False
    indents: dict[tuple[int, int], int] = field(default_factory=dict)  # alignment indent (xlsx only)

    @property
    def height(self) -> int:
        return len(self.grid)

    def raw(self, r: int, c: int) -> object:
        """The cell's value, '' outside the grid."""
        if 0 <= r < len(self.grid):
            row = self.grid[r]
            if 0 <= c < len(row):
                return row[c]
        return ""


def a1(r: int, c: int) -> str:
    """0-based row and column → ``D12``."""
    return f"{column_letters(c)}{r + 1}"


def parse_a1(ref: str) -> tuple[int, int]:
    """``D12`` → (11, 3)."""
    m = _A1.match(ref.replace("$", "").upper())
    if not m:
        raise ValueError(ref)
    col = 0
    for ch in m.group(1):
        col = col * 26 + ord(ch) - 64
    return int(m.group(2)) - 1, col - 1


class BookError(Exception):
    """The file cannot be read as a spreadsheet; carries the problem to report."""

    def __init__(self, problem: Problem):
        super().__init__(problem.message)
        self.problem = problem


def _fail(display: str, message: str) -> BookError:
    return BookError(Problem(message, file=display))


def read_book(path: Path, display: str) -> list[Sheet]:
    """Every worksheet of a spreadsheet file; raises BookError for a file that cannot be used."""
    unsafe = workbook_problem(path, display)  # not a regular file, too large, a huge grid (load/guard.py)
    if unsafe is not None:
        raise BookError(unsafe)
    try:
        with open(path, "rb") as f:
            head = f.read(8)
    except OSError as exc:
        raise _fail(display, open_message(exc)) from exc
    if head.startswith(ZIP_MAGIC):
        extras, ods = _inspect_zip(path, display)
    elif head.startswith(OLE_MAGIC):
        if ENCRYPTED_STREAM in path.read_bytes():
            raise _fail(display, "文件设置了打开密码（已加密），无法读取。请在 Excel/WPS 中取消密码后另存，再重试。")
        if not _survives_reading(path):
            raise _fail(display, "文件已损坏，无法读取。请在 Excel/WPS 中打开并另存为 .xlsx 后重试。")
        extras, ods = {}, False
    else:
        raise _fail(display, "不是电子表格文件（.xlsx/.xls/.ods）。请用 Excel 或 WPS 另存为 .xlsx 后重试。")
    try:
        book = CalamineWorkbook.from_path(str(path))
    except BaseException as exc:  # calamine raises several types, some not Exceptions (pyo3 panics)
        if _passes(exc):
            raise
        raise _fail(display, _calamine_message(exc)) from exc
    ods_merges = _ods_merges(path) if ods else {}
    sheets: list[Sheet] = []
    try:
        infos = book.sheets_metadata
    except BaseException as exc:
        if _passes(exc):
            raise
        raise _fail(display, _calamine_message(exc)) from exc
    for info in infos:
        name = info.name
        if not str(info.typ).endswith(".WorkSheet"):
            continue  # chart and macro sheets hold no table
        try:
            ws = book.get_sheet_by_name(name)
            if (huge := sheet_extent_problem(ws.end, name, display)) is not None:
                raise BookError(huge)
            grid = ws.to_python(skip_empty_area=False)
            merges = ws.merged_cell_ranges
        except BaseException as exc:  # a damaged sheet
            if _passes(exc) or isinstance(exc, BookError):
                raise
            raise _fail(display, f"工作表“{name}”已损坏，无法读取（{exc}）。请在 Excel/WPS 中打开并另存后重试。") from exc
        if merges is None:
            spans = ods_merges.get(name, [])
        else:
            spans = [(r0, c0, r1, c1) for (r0, c0), (r1, c1) in merges]
        hidden = not str(info.visible).endswith(".Visible")
        uncomputed, indents = extras.get(name, (set(), {}))
        sheets.append(Sheet(name, display, grid, spans, uncomputed, hidden, indents))
    book.close()
    return sheets


def _survives_reading(path: Path) -> bool:
    """Read the file once in a forked child: some damaged .xls files make calamine abort the whole
    process (a huge allocation) or panic with a Rust backtrace on stderr. True when the child read
    every sheet cleanly; the parent then reads the file itself."""
    if not hasattr(os, "fork"):
        return True
    pid = os.fork()
    if pid == 0:  # the child: read everything, then leave without running any Python cleanup
        code = 0
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, 2)
            limit_child_memory()
            book = CalamineWorkbook.from_path(str(path))
            for name in book.sheet_names:
                book.get_sheet_by_name(name).to_python(skip_empty_area=False)
        except BaseException:
            code = 3
        os._exit(code)
    _, status = os.waitpid(pid, 0)
    return os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0


def _calamine_message(exc: Exception) -> str:
    text = str(exc)
    if type(exc).__name__ == "PasswordError" or "password" in text.lower() or "encrypt" in text.lower():
        return "文件设置了打开密码（已加密），无法读取。请在 Excel/WPS 中取消密码后另存，再重试。"
    return f"文件已损坏或不完整，无法读取（{text}）。请在 Excel/WPS 中打开并另存为 .xlsx 后重试。"


_KEPT_PARTS = ("xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml", "mimetype")  # small, read whole
_PIECE = 4 * 1024 * 1024  # a part is decompressed and searched this much at a time
_TAG_TAIL = re.compile(rb"<(?:!\s*[A-Za-z]{0,6}|\w{0,32}:?)?\Z")  # a tag (a declaration, a cell) cut at a piece's end


def _inspect_zip(path: Path, display: str) -> tuple[dict, bool]:
    """Validate a zip-based workbook; return, for .xlsx, each sheet's formula cells without values
    and alignment indents (see _scan_sheet), and whether it is .ods.

    Every XML part is decompressed once, a piece at a time, searched for a DTD and (a worksheet)
    scanned: memory stays at one piece (4 MB), whatever the size of a part under the caps (a sheet,
    sharedStrings.xml, a 127 MB part), never the whole workbook unpacked; only xl/workbook.xml, its
    relationships and xl/styles.xml are held whole."""
    dtd = None
    try:
        with zipfile.ZipFile(path) as zf:
            infos = [i for i in zf.infolist() if i.filename.endswith((".xml", ".rels")) or i.filename == "mimetype"]
            kept = {i.filename: zf.read(i) for i in infos if i.filename in _KEPT_PARTS}
            dtd = next((n for n, data in kept.items() if _declares_dtd(data)), None)
            sheets = _sheet_parts(kept) if dtd is None and "xl/workbook.xml" in kept else {}
            indents = _xf_indents(kept.get("xl/styles.xml", b""))
            scanned: dict[str, tuple[set[tuple[int, int]], dict[tuple[int, int], int]]] = {}
            for info in infos:
                if dtd is not None:
                    break
                name = info.filename
                if name in kept:
                    continue
                found = _stream_part(zf, info, indents if name in sheets else None)
                if found is _DECLARES_DTD:
                    dtd = name
                elif found is not None:
                    scanned.update((sheet, found) for sheet in sheets[name])
    except Exception as exc:  # BadZipFile, zlib.error, EOFError, a name that is not UTF-8 …
        if isinstance(exc, RuntimeError) and "encrypt" in str(exc).lower():
            raise _fail(display, "文件设置了密码（已加密），无法读取。请取消密码后另存，再重试。") from exc
        raise _fail(display, "文件已损坏或不完整（可能没有完整下载或复制），无法读取。请重新获取文件，或在 Excel/WPS 中打开并另存后重试。") from exc
    if dtd is not None:
        raise _fail(
            display,
            f"文件内部的 {dtd} 含有 DTD/实体声明（<!DOCTYPE>/<!ENTITY>），可能被篡改，出于安全考虑拒绝读取。"
            "请在 Excel/WPS 中把内容复制到新建的工作簿后另存，再重试。",
        )
    if kept.get("mimetype", b"").startswith(b"application/vnd.oasis.opendocument.spreadsheet"):
        return {}, True
    if "xl/workbook.xml" not in kept:
        raise _fail(display, "不是电子表格文件（压缩包里没有工作簿）。请用 Excel 或 WPS 另存为 .xlsx 后重试。")
    return scanned, False


def _declares_dtd(data: bytes) -> bool:
    return bool(_DTD.search(data[:65536]) or (b"<!" in data and _DTD.search(data)))


_DECLARES_DTD = ((), {})  # what _stream_part gives for a part that declares a DTD
_CELL_START = re.compile(rb"<(?:\w+:)?c\b")


def _stream_part(zf: zipfile.ZipFile, info: zipfile.ZipInfo, indents: dict[str, int] | None):
    """Read one part a piece at a time: _DECLARES_DTD when it declares a DTD; else, for a worksheet
    (``indents`` given), what _scan_sheet finds in it (None for another part).

    A piece ends before the last cell that starts in it (that cell goes on into the next piece), so
    every cell is scanned whole; the start of a declaration cut at a piece's end is carried too."""
    uncomputed: set[tuple[int, int]] = set()
    indented: dict[tuple[int, int], int] = {}
    scanned = False
    carry = b""
    with zf.open(info) as handle:
        while True:
            chunk = handle.read(_PIECE)
            data = carry + chunk if carry else chunk
            if b"<!" in data and _DTD.search(data):
                return _DECLARES_DTD
            cut = len(data)  # the piece scanned now; the rest is carried into the next
            last_piece = len(chunk) < _PIECE  # read() gives a whole piece unless the part ends
            if chunk and not last_piece:
                if indents is not None:
                    last = _last_cell_start(data)
                    if last != -1 and _CELL.match(data, last) is None:  # a cell that goes on
                        cut = last
                if cut == len(data):
                    lt = data.rfind(b"<")
                    if lt != -1 and _TAG_TAIL.match(data, lt):  # a tag cut short
                        cut = lt
            if indents is not None and cut:
                found = _scan_sheet(data[:cut] if cut < len(data) else data, indents)
                if found is not None:
                    scanned = True
                    uncomputed |= found[0]
                    indented.update(found[1])
            if last_piece:
                break
            carry = data[cut:]
            if carry.startswith(b"<!") and len(carry) > 16:  # only blanks after "<!" so far (_TAG_TAIL)
                carry = b"<! " + carry[2:].strip()
    return (uncomputed, indented) if scanned else None


def _last_cell_start(data: bytes) -> int:
    """Where the last cell tag of a piece of sheet XML starts; -1 when none does."""
    window = 65536
    while True:
        start = max(len(data) - window, 0)
        last = -1
        for m in _CELL_START.finditer(data, start):
            last = m.start()
        if last != -1 or start == 0:
            return last
        window *= 8


def _attrs(tag: bytes) -> dict[str, str]:
    return {k.decode().split(":")[-1] if k != b"r:id" else "r:id": v.decode("utf-8", "replace") for k, v in _ATTR.findall(tag)}


_XF_BLOCK = re.compile(rb"<(?:\w+:)?cellXfs\b.*?</(?:\w+:)?cellXfs>", re.DOTALL)
_XF = re.compile(rb"<(?:\w+:)?xf\b[^>]*?(?:/>|>.*?</(?:\w+:)?xf>)", re.DOTALL)
_INDENT = re.compile(rb'<(?:\w+:)?alignment\b[^>]*\bindent="(\d+)"')


def _xf_indents(styles: bytes) -> dict[str, int]:
    """Style index (the ``s`` attribute of a cell) → alignment indent, for styles that indent."""
    block = _XF_BLOCK.search(styles)
    if not block or b"indent=" not in block.group(0):
        return {}
    out: dict[str, int] = {}
    for i, xf in enumerate(_XF.findall(block.group(0))):
        m = _INDENT.search(xf)
        if m and int(m.group(1)):
            out[str(i)] = int(m.group(1))
    return out


def _sheet_parts(parts: dict[str, bytes]) -> dict[str, list[str]]:
    """Worksheet part → the names of the sheets it holds, as xl/workbook.xml and its relationships say."""
    rels: dict[str, str] = {}
    for tag in _REL_TAG.findall(parts.get("xl/_rels/workbook.xml.rels", b"")):
        a = _attrs(tag)
        target = a.get("Target", "")
        target = target.lstrip("/") if target.startswith("/") else "xl/" + target
        rels[a.get("Id", "")] = target
    out: dict[str, list[str]] = {}
    for tag in _SHEET_TAG.findall(parts["xl/workbook.xml"]):
        a = {k.decode(): v.decode("utf-8", "replace") for k, v in _ATTR.findall(tag)}
        rid = next((v for k, v in a.items() if k.endswith(":id")), "")
        if rid in rels:
            out.setdefault(rels[rid], []).append(_unescape(a.get("name", "")))
    return out


def _scan_sheet(data: bytes, indents: dict[str, int]) -> tuple[set[tuple[int, int]], dict[tuple[int, int], int]] | None:
    """A sheet's cells holding a formula whose value was never saved, and cells' alignment indents
    (None when it has neither formulas nor indenting styles to look for)."""
    formulas = bool(_FORMULA.search(data))
    if not formulas and not indents:
        return None
    uncomputed: set[tuple[int, int]] = set()
    indented: dict[tuple[int, int], int] = {}
    for attrs, inner in _CELL.findall(data):
        cell = dict(_ATTR.findall(attrs))
        ref = cell.get(b"r")
        if not ref:
            continue
        if formulas and inner and _FORMULA.search(inner) and not _VALUE.search(inner) and cell.get(b"t") != b"str":
            uncomputed.add(parse_a1(ref.decode()))
        style = cell.get(b"s")
        if style is not None and style.decode() in indents:
            indented[parse_a1(ref.decode())] = indents[style.decode()]
    return uncomputed, indented


_T = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"


def _ods_merges(path: Path) -> dict[str, list[Merge]]:
    """Merged ranges of an .ods file (calamine gives none): spans read from content.xml."""
    from xml.etree.ElementTree import iterparse  # DTDs were refused above; only .ods needs this

    out: dict[str, list[Merge]] = {}
    try:
        with zipfile.ZipFile(path) as zf, zf.open("content.xml") as f:
            sheet, row, col, depth = None, 0, 0, 0
            for event, el in iterparse(f, events=("start", "end")):
                tag = el.tag
                if tag == _T + "table":
                    if event == "start":
                        depth += 1
                        if depth == 1:
                            sheet, row = el.get(_T + "name", ""), 0
                            out[sheet] = []
                    else:
                        depth -= 1
                        el.clear()
                elif depth != 1:
                    continue
                elif tag == _T + "table-row":
                    if event == "start":
                        col = 0
                    else:
                        row += int(el.get(_T + "number-rows-repeated", "1"))
                        el.clear()
                elif tag in (_T + "table-cell", _T + "covered-table-cell") and event == "start":
                    cols = int(el.get(_T + "number-columns-spanned", "1"))
                    rows = int(el.get(_T + "number-rows-spanned", "1"))
                    if sheet is not None and (cols > 1 or rows > 1):
                        out[sheet].append((row, col, row + rows - 1, col + cols - 1))
                    col += int(el.get(_T + "number-columns-repeated", "1"))
    except Exception:  # merges only refine header reading; fall back to none
        return {}
    return out
