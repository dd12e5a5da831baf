"""Re-probe every item of issue 20 by hand, as a user would: the real ``disclosure`` command in a
fresh copy of the example project (its site built once), one case per item, in temporary folders.

    python tools/probe_safety.py                       # every case; a table on stdout
    python tools/probe_safety.py --only disk,million   # cases whose name contains a word
    python tools/probe_safety.py --markdown probe.md --json probe.json

For each case it records: the exit code, the first message line, whether a traceback (or a Rust
panic / an abort) was printed, whether the input folders are byte-identical afterwards, whether the
published site is byte-identical (or, for a case that must build, complete), the wall time and the
peak memory of the command (``wait4``), and a verdict against what issue 20 asks. Exit 1 when a
case fails its verdict.

Needs: ``soffice`` (LibreOffice) for the .xls/.ods cases (skipped without it); root for the full
disk cases (a 4 MB tmpfs is mounted and unmounted) and for the unreadable-path cases (run with
``setpriv`` dropping CAP_DAC_OVERRIDE/CAP_DAC_READ_SEARCH, so that mode 000 means unreadable even
to root). Nothing outside the temporary folders is changed.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[1]
UNIT = "bayannur-jiaoguan"
STATE = ".site-build-state"
INFO_SHEET = "机关运行经费支出、国有资产占用情况及政府采购支出信息表"
TIMEOUT = 600  # seconds for one command: a hang is reported as such, not waited out
PANIC = re.compile(r"Traceback \(most recent call last\)|panicked at|RUST_BACKTRACE|Fatal Python error|core dumped|MemoryError")


def disclosure_command() -> list[str]:
    """The ``disclosure`` script beside this interpreter (the venv's), else ``python -m disclosure``."""
    script = Path(sys.executable).with_name("disclosure")
    return [str(script)] if script.exists() else [sys.executable, "-m", "disclosure"]


# -- trees ------------------------------------------------------------------------------------------

def tree_digest(folder: Path, skip: tuple[str, ...] = ()) -> dict[str, str]:
    """Relative path → what is there (bytes of a regular file, a link's target, a folder, the kind
    of a special file, which is never opened). A folder that cannot be listed is named as such."""
    out: dict[str, str] = {}
    if not folder.exists() and not folder.is_symlink():
        return out

    def walk(d: Path) -> None:
        try:
            entries = sorted(os.scandir(d), key=lambda e: e.name)
        except OSError as exc:
            out[d.relative_to(folder).as_posix() + "/"] = f"unlistable:{exc.errno}"
            return
        for e in entries:
            p = Path(e.path)
            rel = p.relative_to(folder).as_posix()
            if rel.split("/")[0] in skip:
                continue
            info = p.lstat()
            if stat.S_ISLNK(info.st_mode):
                out[rel] = "link:" + os.readlink(p)
            elif stat.S_ISDIR(info.st_mode):
                out[rel] = f"dir:{oct(info.st_mode & 0o777)}"
                walk(p)
            elif stat.S_ISREG(info.st_mode):
                try:
                    out[rel] = hashlib.sha256(p.read_bytes()).hexdigest() + f":{oct(info.st_mode & 0o777)}"
                except OSError as exc:
                    out[rel] = f"unreadable:{exc.errno}"
            else:
                out[rel] = f"special:{stat.S_IFMT(info.st_mode)}"

    if folder.is_dir():
        walk(folder)
    else:
        out["."] = hashlib.sha256(folder.read_bytes()).hexdigest()
    return out


# -- running the command ----------------------------------------------------------------------------

@dataclass
class Run:
    code: int | None
    out: str
    seconds: float
    peak_mb: float
    hung: bool = False

    @property
    def traceback(self) -> bool:
        return bool(PANIC.search(self.out)) or (self.code is not None and self.code < 0) or self.code in (134, 137, 139)

    @property
    def first_message(self) -> str:
        """The first line that says something to the user (an error, a notice), else the first line."""
        lines = [ln.strip() for ln in self.out.splitlines() if ln.strip()]
        for prefix in ("错误：", "无法读取：", "提示："):  # an error first, wherever it is printed
            for ln in lines:
                if ln.startswith(prefix):
                    return ln
        for ln in lines:
            if ln.startswith(("错误", "提示", "警告", "无法读取")) or "：" in ln and not ln.startswith(("共 ", "汇总", "对外公开版", "生成门户")):
                return ln
        return lines[0] if lines else ""


def run(args: list[str], cwd: Path, *, umask: int | None = None, no_dac: bool = False, timeout: int = TIMEOUT) -> Run:
    """Run ``disclosure ARGS`` in ``cwd``; exit code, all output, wall time and peak RSS (wait4)."""
    command = disclosure_command() + args
    if no_dac:  # root without the capability to ignore file modes: mode 000 is unreadable
        command = ["setpriv", "--bounding-set=-dac_override,-dac_read_search", "--"] + command
    env = dict(os.environ, COLUMNS="200", PYTHONUNBUFFERED="1")
    env.setdefault("DISCLOSURE_CACHE_DIR", str(Path(tempfile.gettempdir()) / "probe-cache"))

    def preexec() -> None:
        os.setsid()
        if umask is not None:
            os.umask(umask)

    with tempfile.TemporaryFile() as log:
        started = time.perf_counter()
        proc = subprocess.Popen(command, cwd=cwd, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                env=env, preexec_fn=preexec)
        hung = threading.Event()

        def kill() -> None:
            hung.set()
            try:
                os.killpg(proc.pid, 9)
            except ProcessLookupError:
                pass

        timer = threading.Timer(timeout, kill)
        timer.start()
        _, status, usage = os.wait4(proc.pid, 0)
        timer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.perf_counter() - started
        log.seek(0)
        out = log.read().decode("utf-8", "replace")
    return Run(None if hung.is_set() else proc.returncode, out, seconds, usage.ru_maxrss / 1024, hung.is_set())


# -- a case -----------------------------------------------------------------------------------------

@dataclass
class Row:
    case: str
    item: str
    command: str = ""
    code: int | None = None
    message: str = ""
    traceback: bool = False
    inputs_same: bool | None = None
    site_kept: bool | None = None
    seconds: float = 0.0
    peak_mb: float = 0.0
    said: int | None = None  # how often the expected message is printed (once is the rule)
    ok: bool = False
    note: str = ""


@dataclass
class Case:
    name: str
    item: str
    body: Callable[["Ctx"], Row]


CASES: list[Case] = []


def case(name: str, item: str):
    def register(fn: Callable[["Ctx"], Row]) -> Callable[["Ctx"], Row]:
        CASES.append(Case(name, item, fn))
        return fn
    return register


@dataclass
class Ctx:
    """A fresh copy of the built example project for one case."""

    base: Path  # the built example (never changed)
    bare: Path  # the example without a site
    work: Path
    name: str
    project: Path = field(init=False)
    last_out: str = field(init=False, default="")  # everything the last refused command printed

    def __post_init__(self) -> None:
        self.project = self.work / self.name
        shutil.copytree(self.base, self.project, symlinks=True)  # site/ and its state folder beside it

    @property
    def book(self) -> Path:
        return self.project / "tables" / UNIT / "2021.xlsx"

    def inputs(self) -> dict[str, str]:
        return tree_digest(self.project, skip=("site", STATE, "site-review", ".site-review-build-state"))

    def site(self) -> dict[str, str]:
        return tree_digest(self.project / "site")

    def refused(self, args: list[str], says: str | tuple[str, ...], *, code: int = 2, command: str = "build",
                extra: Path | None = None, **kw) -> Row:
        """A command that must fail with ``code`` and ``says`` in its output; inputs and site unchanged."""
        before_in, before_site = self.inputs(), self.site()
        before_extra = tree_digest(extra) if extra else None
        r = run([command, *args], self.project, **kw)
        self.last_out = r.out
        row = self.row(r, [command, *args])
        row.inputs_same = self.inputs() == before_in and (extra is None or tree_digest(extra) == before_extra)
        row.site_kept = self.site() == before_site
        wanted = (says,) if isinstance(says, str) else says
        missing = [w for w in wanted if w not in r.out]
        row.said = _said(r.out, wanted[-1] if command == "check" else wanted[0])
        row.ok = (r.code == code and not row.traceback and row.inputs_same and row.site_kept and not missing
                  and (row.said or 0) <= 1)
        if missing:
            row.note = "output lacks " + " / ".join(repr(m) for m in missing)
        elif row.said and row.said > 1:
            row.note = f"said {row.said} times"
        return row

    def builds(self, args: list[str], says: str | tuple[str, ...] = (), *, code: int = 0, command: str = "build", **kw) -> Row:
        """A command that must succeed (exit ``code``) and say ``says``; inputs unchanged, site complete."""
        before_in = self.inputs()
        r = run([command, *args], self.project, **kw)
        row = self.row(r, [command, *args])
        row.inputs_same = self.inputs() == before_in
        row.site_kept = all((self.project / "site" / UNIT / str(y) / "index.html").is_file() for y in (2020, 2021))
        wanted = (says,) if isinstance(says, str) else says
        missing = [w for w in wanted if w not in r.out]
        row.ok = r.code == code and not row.traceback and row.inputs_same and row.site_kept and not missing
        if missing:
            row.note = "output lacks " + " / ".join(repr(m) for m in missing)
        return row

    def row(self, r: Run, args: list[str]) -> Row:
        shown = " ".join(a if not a.startswith(str(self.work)) else "…" + a[len(str(self.work)):] for a in args)
        return Row(self.name, "", "disclosure " + shown, r.code, r.first_message[:160], r.traceback,
                   seconds=round(r.seconds, 1), peak_mb=round(r.peak_mb), note="HUNG (killed)" if r.hung else "")


def _said(out: str, phrase: str) -> int:
    """Lines of the output that carry ``phrase`` (a progress line and the final list count twice)."""
    return sum(phrase in ln for ln in out.splitlines())


def set_cell(path: Path, sheet: str, cell: str, value: object) -> None:
    import openpyxl

    wb = openpyxl.load_workbook(path)
    wb[sheet][cell] = value
    wb.save(path)


def soffice(src: Path, fmt: str) -> Path:
    """Convert with LibreOffice (headless) into the same folder; the converted file's path."""
    exe = shutil.which("soffice")
    if exe is None:
        raise RuntimeError("soffice (LibreOffice) is not installed: apt-get install libreoffice-calc-nogui")
    profile = src.parent / ".lo-profile"
    subprocess.run([exe, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", fmt,
                    "--outdir", str(src.parent), str(src)], check=True, capture_output=True, timeout=300)
    shutil.rmtree(profile, ignore_errors=True)
    return src.with_suffix("." + fmt)


def add_rows(book: Path, sheet_index: int, rows: int, cell: Callable[[int], str]) -> None:
    """Append ``rows`` rows below the last row of a sheet (the XML rewritten, the rest copied)."""
    with zipfile.ZipFile(book) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    name = f"xl/worksheets/sheet{sheet_index}.xml"
    data = parts[name]
    last = max(int(x) for x in re.findall(rb'<row r="(\d+)"', data))
    extra = "".join(f'<row r="{r}">{cell(r)}</row>' for r in range(last + 2, last + 2 + rows)).encode()
    data = data.replace(b"</sheetData>", extra + b"</sheetData>", 1)
    data = re.sub(rb'<dimension ref="[^"]*"/>', b"", data, count=1)
    parts[name] = data
    with zipfile.ZipFile(book, "w", zipfile.ZIP_DEFLATED) as z:
        for n, d in parts.items():
            z.writestr(n, d)


def sheet_index(book: Path, title: str) -> int:
    import openpyxl

    wb = openpyxl.load_workbook(book, read_only=True)
    return wb.sheetnames.index(title) + 1


# -- the cases: --out --------------------------------------------------------------------------------

REFUSED = "已拒绝生成，没有写入或删除任何文件"

for _out, _says in [("content", "就是项目的 content/ 文件夹"), ("tables", "就是项目的 tables/ 文件夹"),
                    ("theme", "就是项目的 theme/ 文件夹"), ("theme/assets", "在项目的 theme/ 文件夹里"),
                    (".", "就是项目文件夹本身"), ("..", "包含了项目文件夹"),
                    ("disclosure.toml", "是一个已有的文件"), ("content/glossary.md", "是一个已有的文件"),
                    (f"tables/{UNIT}/2021.xlsx", "是一个已有的文件")]:
    def _make(out: str = _out, says: str = _says):
        def body(ctx: Ctx) -> Row:
            (ctx.project / "theme" / "assets").mkdir(parents=True)
            (ctx.project / "theme" / "assets" / "extra.css").write_text("p{}\n", encoding="utf-8")
            return ctx.refused([".", "--out", out], (says, REFUSED))
        return body
    case(f"out-{_out}", f"--out {_out}")(_make())


@case("out-file-outside", "--out at an existing file outside the project")
def _(ctx: Ctx) -> Row:
    other = ctx.work / f"{ctx.name}-notes.txt"
    other.write_text("mine\n", encoding="utf-8")
    return ctx.refused([".", "--out", str(other)], ("是一个已有的文件", REFUSED), extra=other)


@case("out-tables-per-year", "one folder per year (tables/u/2021/*.xlsx), --out tables")
def _(ctx: Ctx) -> Row:
    year = ctx.project / "tables" / UNIT / "2021"
    year.mkdir()
    shutil.move(str(ctx.book), year / "tables.xlsx")
    return ctx.refused([".", "--out", "tables"], ("就是项目的 tables/ 文件夹", REFUSED))


@case("out-tables-unit-per-year", "one folder per year, --out tables/<unit>")
def _(ctx: Ctx) -> Row:
    year = ctx.project / "tables" / UNIT / "2021"
    year.mkdir()
    shutil.move(str(ctx.book), year / "tables.xlsx")
    return ctx.refused([".", "--out", f"tables/{UNIT}"], ("在项目的 tables/ 文件夹里", REFUSED))


@case("out-content-then-build", "--out content, then a normal build still publishes the reasons")
def _(ctx: Ctx) -> Row:
    row = ctx.refused([".", "--out", "content"], "就是项目的 content/ 文件夹")
    reasons = ctx.project / "content" / UNIT / "2021" / "reasons.toml"
    row.ok = row.ok and reasons.is_file() and (ctx.project / "content" / UNIT / "2021" / "performance.toml").is_file()
    return row


# -- the cases: paths that are not what they seem --------------------------------------------------

@case("dir-2021.xlsx", "a directory named 2021.xlsx")
def _(ctx: Ctx) -> Row:
    ctx.book.unlink()
    ctx.book.mkdir()
    return ctx.refused(["."], f"tables/{UNIT}/2021.xlsx：是一个文件夹")


@case("unreadable-workbook", "a workbook that cannot be read (mode 000)")
def _(ctx: Ctx) -> Row:
    ctx.book.chmod(0)
    return ctx.refused(["."], ("2021.xlsx", "没有读取权限"), no_dac=True)


@case("unreadable-unit-folder", "a unit folder that cannot be listed (mode 000)")
def _(ctx: Ctx) -> Row:
    (ctx.project / "tables" / UNIT).chmod(0)
    try:
        return ctx.refused(["."], (f"tables/{UNIT}：", "没有权限读取这个文件夹"), no_dac=True)
    finally:
        (ctx.project / "tables" / UNIT).chmod(0o755)


@case("unreadable-tables", "tables/ that cannot be listed (mode 000)")
def _(ctx: Ctx) -> Row:
    (ctx.project / "tables").chmod(0)
    try:
        return ctx.refused(["."], ("tables：没有权限读取这个文件夹",), no_dac=True)
    finally:
        (ctx.project / "tables").chmod(0o755)


@case("unreadable-contact", "content/<unit>/2021/contact.md that cannot be read (mode 000)")
def _(ctx: Ctx) -> Row:
    (ctx.project / "content" / UNIT / "2021" / "contact.md").chmod(0)
    return ctx.refused(["."], ("contact.md", "没有读取权限"), no_dac=True, code=2)


@case("unreadable-year-content", "content/<unit>/2021/ that cannot be listed (mode 000)")
def _(ctx: Ctx) -> Row:
    folder = ctx.project / "content" / UNIT / "2021"
    folder.chmod(0)
    try:
        return ctx.refused(["."], (f"content/{UNIT}/2021：", "没有权限读取这个文件夹"), no_dac=True, code=2)
    finally:
        folder.chmod(0o755)


@case("unreadable-check", "check with a workbook that cannot be read")
def _(ctx: Ctx) -> Row:
    ctx.book.chmod(0)
    return ctx.refused(["."], ("2021.xlsx", "没有读取权限"), no_dac=True, command="check")


# -- the cases: huge grids -----------------------------------------------------------------------------

@case("xfd-xlsx", "a cell at XFD1048576 in an .xlsx (the example's own workbook)")
def _(ctx: Ctx) -> Row:
    set_cell(ctx.book, "支出决算表", "XFD1048576", 1)
    return ctx.refused(["."], ("2021.xlsx", "XFD1048576"))


@case("xfd-xlsx-check", "check: a cell at XFD1048576 in an .xlsx")
def _(ctx: Ctx) -> Row:
    set_cell(ctx.book, "支出决算表", "XFD1048576", 1)
    return ctx.refused(["."], ("2021.xlsx", "XFD1048576"), command="check")


@case("xfd-ods", "a cell at XFD1048576 in an .ods (LibreOffice's conversion)")
def _(ctx: Ctx) -> Row:
    set_cell(ctx.book, "支出决算表", "XFD1048576", 1)
    soffice(ctx.book, "ods")
    ctx.book.unlink()
    return ctx.refused(["."], ("2021.ods", "XFD1048576"))


@case("xfd-xls", "the last cell an .xls can hold (IV65536; BIFF8 has no XFD1048576) from LibreOffice")
def _(ctx: Ctx) -> Row:
    set_cell(ctx.book, "支出决算表", "IV65536", 1)
    soffice(ctx.book, "xls")
    ctx.book.unlink()
    return ctx.refused(["."], ("2021.xls", "IV65536"))


@case("xfd-xls-check", "check: IV65536 in an .xls")
def _(ctx: Ctx) -> Row:
    set_cell(ctx.book, "支出决算表", "IV65536", 1)
    soffice(ctx.book, "xls")
    ctx.book.unlink()
    return ctx.refused(["."], ("2021.xls", "IV65536"), command="check")


@case("million-rows-text", "1,000,000 extra rows of text below 支出决算表")
def _(ctx: Ctx) -> Row:
    add_rows(ctx.book, sheet_index(ctx.book, "支出决算表"), 1_000_000,
             lambda r: f'<c r="A{r}" t="inlineStr"><is><t>x</t></is></c>')
    return ctx.refused(["."], ("2021.xlsx", "延伸到"))


@case("million-rows-numbers", "1,000,000 extra rows of numbers in the amount column of 支出决算表")
def _(ctx: Ctx) -> Row:
    add_rows(ctx.book, sheet_index(ctx.book, "支出决算表"), 1_000_000, lambda r: f'<c r="C{r}"><v>1</v></c>')
    return ctx.refused(["."], ("2021.xlsx", "延伸到"))


@case("million-rows-styled", "1,000,000 extra rows of formatted but empty cells (no values)")
def _(ctx: Ctx) -> Row:
    add_rows(ctx.book, sheet_index(ctx.book, "支出决算表"), 1_000_000, lambda r: f'<c r="A{r}" s="1"/>')
    return ctx.builds(["."], code=0)


@case("forty-thousand-rows", "40,000 extra rows of text (under the 50,000-row cap)")
def _(ctx: Ctx) -> Row:
    add_rows(ctx.book, sheet_index(ctx.book, "支出决算表"), 40_000,
             lambda r: f'<c r="A{r}" t="inlineStr"><is><t>备注{r}</t></is></c><c r="C{r}"><v>1</v></c>')
    return ctx.refused(["."], "2021.xlsx", code=2)


@case("million-rows-ods", "1,000,000 extra rows written out one by one in an .ods (no repeat attribute)")
def _(ctx: Ctx) -> Row:
    ctx.book.unlink()
    ods = ctx.book.with_suffix(".ods")
    shutil.copyfile(ROOT / "tests" / "fixtures" / "load" / "canonical.ods", ods)
    with zipfile.ZipFile(ods) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    row = b'<table:table-row><table:table-cell office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row>'
    content = parts["content.xml"]
    cut = content.index(b"</table:table>")
    parts["content.xml"] = content[:cut] + row * 1_000_000 + content[cut:]
    with zipfile.ZipFile(ods, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("mimetype", parts.pop("mimetype"), compress_type=zipfile.ZIP_STORED)
        for n, d in parts.items():
            z.writestr(n, d)
    return ctx.refused(["."], ("2021.ods", "延伸到"))


@case("over-the-cell-cap", "49,000 rows × 81 columns of text (3.97 million cells: rows and columns each under their cap)")
def _(ctx: Ctx) -> Row:
    add_rows(ctx.book, sheet_index(ctx.book, "支出决算表"), 49_000 - 40,
             lambda r: "".join(f'<c r="{_col(c)}{r}" t="inlineStr"><is><t>x</t></is></c>' for c in range(81)))
    return ctx.refused(["."], ("2021.xlsx", "延伸到"), code=2)


@case("just-under-the-caps", "49,000 rows × 20 columns of text (980,000 cells, under every cap)")
def _(ctx: Ctx) -> Row:
    add_rows(ctx.book, sheet_index(ctx.book, "支出决算表"), 49_000 - 40,
             lambda r: "".join(f'<c r="{_col(c)}{r}" t="inlineStr"><is><t>x</t></is></c>' for c in range(20)))
    return ctx.refused(["."], ("表格之外多余的内容", "2021.xlsx"), code=2)  # refused as rows below the table


def _col(c: int) -> str:
    out = ""
    c += 1
    while c:
        c, rem = divmod(c - 1, 26)
        out = chr(65 + rem) + out
    return out


# -- the cases: amounts and counts ------------------------------------------------------------------

for _cmd in ("build", "check"):
    for _v in (1e26, "1E+26", 1e30):
        def _make(cmd: str = _cmd, v: object = _v):
            def body(ctx: Ctx) -> Row:
                set_cell(ctx.book, "支出决算表", "C8", v)
                return ctx.refused(["."], ("支出决算表!C8", "数值过大"), code=2, command=cmd)
            return body
        case(f"amount-{_v!r}-{_cmd}", f"{_cmd}: an amount of {_v!r}")(_make())

for _v, _says, _cell in ((103.5, "不是整数", "C12"), (-5, "负数", "C12"), (1e25, "数值过大", "C12"), (104, "车辆数合计", "C12"),
                         (103.5, "不是整数", "C17"), (-5, "负数", "C17")):
    def _make(v: object = _v, says: str = _says, cell: str = _cell):
        def body(ctx: Ctx) -> Row:
            set_cell(ctx.book, INFO_SHEET, cell, v)
            if cell == "C17":  # the total kept equal to its rows: only the count itself is wrong
                set_cell(ctx.book, INFO_SHEET, "C12", v)
            code = 1 if v == 104 else 2
            # C17 and C12 holding the same wrong count are said once, naming both cells
            where = {"C12": f"{INFO_SHEET}!C12", "C17": "C12、C17"}[cell] if v != 104 else "C12"
            return ctx.refused(["."], (where, says), code=code)
        return body
    case(f"count-{_cell}-{_v!r}", f"车辆数 {_cell} = {_v!r}" + (" (rows sum to 103)" if _v == 104 else ""))(_make())


# -- the cases: devices, FIFOs, links ----------------------------------------------------------------

_FILES = {"workbook": f"tables/{UNIT}/2021.xlsx", "organization.md": f"content/{UNIT}/2021/organization.md",
          "unit.toml": f"content/{UNIT}/unit.toml"}
for _what, _rel in _FILES.items():
    for _kind in ("/dev/zero", "/dev/urandom", "fifo"):
        def _make(rel: str = _rel, kind: str = _kind):
            def body(ctx: Ctx) -> Row:
                path = ctx.project / rel
                path.unlink(missing_ok=True)
                if kind == "fifo":
                    os.mkfifo(path)
                else:
                    path.symlink_to(kind)
                return ctx.refused(["."], rel, code=2, timeout=120)
            return body
        case(f"{_kind.rsplit('/', 1)[-1]}-{_what}", f"{_what} is {'a FIFO' if _kind == 'fifo' else 'a link to ' + _kind}")(_make())


@case("fifo-workbook-check", "check: a FIFO in place of the workbook")
def _(ctx: Ctx) -> Row:
    ctx.book.unlink()
    os.mkfifo(ctx.book)
    return ctx.refused(["."], "2021.xlsx", command="check", timeout=120)


@case("urandom-org-check", "check: organization.md linked to /dev/urandom")
def _(ctx: Ctx) -> Row:
    org = ctx.project / "content" / UNIT / "2021" / "organization.md"
    org.unlink()
    org.symlink_to("/dev/urandom")
    return ctx.refused(["."], "2021/organization.md：是一个指向项目文件夹之外的链接", command="check", timeout=120)


@case("contact-passwd", "contact.md linked to /etc/passwd")
def _(ctx: Ctx) -> Row:
    contact = ctx.project / "content" / UNIT / "2021" / "contact.md"
    contact.unlink()
    contact.symlink_to("/etc/passwd")
    row = ctx.refused(["."], "contact.md：是一个指向项目文件夹之外的链接")
    first = Path("/etc/passwd").read_bytes().splitlines()[0]
    leaked = any(first in p.read_bytes() for p in (ctx.project / "site").rglob("*") if p.is_file())
    if leaked:
        row.ok, row.note = False, "passwd published"
    return row


@case("contact-passwd-check", "check: contact.md linked to /etc/passwd")
def _(ctx: Ctx) -> Row:
    contact = ctx.project / "content" / UNIT / "2021" / "contact.md"
    contact.unlink()
    contact.symlink_to("/etc/passwd")
    return ctx.refused(["."], "contact.md：是一个指向项目文件夹之外的链接", command="check")


@case("contact-passwd-review", "build --review: contact.md linked to /etc/passwd")
def _(ctx: Ctx) -> Row:
    contact = ctx.project / "content" / UNIT / "2021" / "contact.md"
    contact.unlink()
    contact.symlink_to("/etc/passwd")
    r = ctx.refused([".", "--review"], "contact.md：是一个指向项目文件夹之外的链接")
    first = Path("/etc/passwd").read_bytes().splitlines()[0]
    review = ctx.project / "site-review"
    if review.exists() and any(first in p.read_bytes() for p in review.rglob("*") if p.is_file()):
        r.ok, r.note = False, "passwd in the review site"
    return r


# -- the cases: a path that is there but is not what it should be ---------------------------------

def _replace(path: Path, how: str) -> None:
    """Put something else where ``path`` was: a file, a link that leads nowhere, a link to itself,
    a folder, a FIFO."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)
    if how == "file":
        path.write_text("x\n", encoding="utf-8")
    elif how == "dangling":
        path.symlink_to("/nonexistent/place")
    elif how == "loop":
        path.symlink_to(path.name)
    elif how == "folder":
        path.mkdir()
    elif how == "fifo":
        os.mkfifo(path)


_NOT_WHAT = {"file": "是一个文件，不是文件夹", "dangling": "是一个链接，但它指向的“/nonexistent/place”不存在",
             "loop": "是一个循环的符号链接", "folder": "是一个文件夹，不是普通文件", "fifo": "是一个管道（FIFO），不是普通文件"}
for _rel, _how in [(f"tables/{UNIT}", "file"), (f"tables/{UNIT}", "dangling"), (f"tables/{UNIT}", "loop"),
                   ("tables", "file"), ("tables", "dangling"), ("tables", "loop"), (f"tables/{UNIT}/2021", "dangling"),
                   (f"content/{UNIT}", "file"), (f"content/{UNIT}", "dangling"), (f"content/{UNIT}", "loop"),
                   (f"content/{UNIT}/2021", "file"), (f"content/{UNIT}/2021", "dangling"),
                   ("content", "file"), ("content", "loop"), ("theme", "file"), ("theme", "dangling"), ("theme", "loop"),
                   ("disclosure.toml", "folder"), ("disclosure.toml", "dangling"), ("disclosure.toml", "loop"),
                   ("disclosure.toml", "fifo")]:
    def _make(rel: str = _rel, how: str = _how):
        def body(ctx: Ctx) -> Row:
            if rel == f"tables/{UNIT}/2021":
                ctx.book.unlink()  # the year's workbook replaced by a link where its folder would be
            _replace(ctx.project / rel, how)
            row = ctx.refused(["."], f"{rel}：{_NOT_WHAT[how]}", timeout=120)
            if "tables/ 下没有公开表" in ctx.last_out:
                row.ok, row.note = False, "says tables/ 下没有公开表"
            if not (ctx.project / "site" / UNIT / "2021" / "index.html").is_file():
                row.ok, row.note = False, "published pages deleted"
            return row
        return body
    case(f"{_how}-{_rel.replace(UNIT, 'unit').replace('/', '_')}", f"{_rel.replace(UNIT, '<unit>')} is {'a ' + _how if _how != 'dangling' else 'a dangling link'}")(_make())


for _rel, _target, _says in [("theme/templates/base.html", "/etc/passwd", "是一个指向项目文件夹之外的链接"),
                             ("theme/assets/passwd.txt", "/etc/passwd", "是一个指向项目文件夹之外的链接"),
                             ("theme/assets/dc.css", "/dev/zero", "是一个指向项目文件夹之外的链接"),
                             ("theme/assets/dc.css", "fifo", "是一个管道（FIFO），不是普通文件")]:
    def _make(rel: str = _rel, target: str = _target, says: str = _says):
        def body(ctx: Ctx) -> Row:
            path = ctx.project / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            if target == "fifo":
                os.mkfifo(path)
            else:
                path.symlink_to(target)
            row = ctx.refused([".", "--force"], f"{rel}：{says}", timeout=120)
            first = Path("/etc/passwd").read_bytes().splitlines()[0]
            if any(first in p.read_bytes() for p in (ctx.project / "site").rglob("*") if p.is_file()):
                row.ok, row.note = False, "passwd published"
            return row
        return body
    case(f"theme-{_rel.rsplit('/', 1)[-1]}-{_target.rsplit('/', 1)[-1]}", f"{_rel} is {'a FIFO' if _target == 'fifo' else 'a link to ' + _target}")(_make())


# -- the cases: a full disk --------------------------------------------------------------------------

class Tmpfs:
    """A small tmpfs mounted for one case (root only)."""

    def __init__(self, where: Path, size: str):
        self.where, self.size = where, size

    def __enter__(self) -> Path:
        self.where.mkdir(parents=True, exist_ok=True)
        subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={self.size},mode=0755", "tmpfs", str(self.where)],
                       check=True, capture_output=True)
        return self.where

    def __exit__(self, *exc) -> None:
        subprocess.run(["umount", str(self.where)], check=False, capture_output=True)


def _tmp_files(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*")
                  if p.is_file() and (p.name.endswith(".tmp") or ".dc-tmp-" in p.name or ".old-" in p.name))


@case("disk-full-first-build", "a full disk on a first build (a 1 MB tmpfs), then room again")
def _(ctx: Ctx) -> Row:
    with Tmpfs(ctx.work / f"{ctx.name}-mnt", "1m") as mnt:
        out = mnt / "site"
        before = ctx.inputs()
        r = run(["build", ".", "--out", str(out)], ctx.project)
        row = ctx.row(r, ["build", ".", "--out", "<1MB tmpfs>/site"])
        row.inputs_same = ctx.inputs() == before
        left = _tmp_files(mnt)
        theme = ROOT / "disclosure" / "theme" / "assets"
        partial = [p.name for p in (out / "assets").glob("*.*") if (theme / p.name).is_file()
                   and p.stat().st_size != (theme / p.name).stat().st_size]
        row.site_kept = None  # a first build: nothing was published before
        row.ok = (r.code == 2 and "磁盘已满" in r.out and not row.traceback and row.inputs_same and not left
                  and not partial)
        row.note = f"left behind: {left}" if left else ("partial assets: " + ",".join(partial) if partial else "")
    return row


@case("disk-full-rebuild", "a full disk on a rebuild (--force): says so, keeps the site; later build succeeds, no *.tmp left")
def _(ctx: Ctx) -> Row:
    with Tmpfs(ctx.work / f"{ctx.name}-mnt", "16m") as mnt:
        out = mnt / "site"
        first = run(["build", ".", "--out", str(out)], ctx.project)
        if first.code != 0:
            return Row(ctx.name, "", "setup", first.code, first.first_message, first.traceback, note="first build failed")
        # fill the disk, plant what a killed build leaves
        filler = mnt / "filler"
        with open(filler, "wb") as f:
            try:
                while True:
                    f.write(b"\0" * 65536)
            except OSError:
                pass
        site_before = tree_digest(out)
        before = ctx.inputs()
        r = run(["build", ".", "--out", str(out), "--force"], ctx.project)
        row = ctx.row(r, ["build", ".", "--out", "<full tmpfs>/site", "--force"])
        row.inputs_same = ctx.inputs() == before
        row.site_kept = tree_digest(out) == site_before
        left = _tmp_files(mnt)
        filler.unlink()
        (mnt / f".site{'-build-state'}" / "state.json.99999.tmp").write_bytes(b"half")
        (out / "assets" / ".dc.css.dc-tmp-99999").write_bytes(b"half")
        again = run(["build", ".", "--out", str(out)], ctx.project)
        left_after = _tmp_files(mnt)
        row.ok = (r.code == 2 and "磁盘已满" in r.out and "内部错误" not in r.out and not row.traceback and row.inputs_same
                  and row.site_kept and not left and again.code == 0 and not left_after)
        row.note = "; ".join(x for x in (f"left after full: {left}" if left else "",
                                         f"then: exit {again.code}", f"stale after: {left_after}" if left_after else "") if x)
    return row


# -- the cases: permissions ----------------------------------------------------------------------------

@case("umask-077", "umask 077: published files world-readable")
def _(ctx: Ctx) -> Row:
    shutil.rmtree(ctx.project / "site")
    shutil.rmtree(ctx.project / STATE)
    row = ctx.builds(["."], umask=0o077)
    modes = {oct(p.stat().st_mode & 0o777) for p in (ctx.project / "site").rglob("*")}
    row.ok = row.ok and modes <= {"0o644", "0o755"}
    row.note = "modes " + ",".join(sorted(modes))
    return row


@case("umask-077-rebuild", "umask 077 on a rebuild of a changed unit-year")
def _(ctx: Ctx) -> Row:
    contact = ctx.project / "content" / UNIT / "2021" / "contact.md"
    contact.write_text(contact.read_text(encoding="utf-8") + "\n工作时间：周一至周五。\n", encoding="utf-8")
    row = ctx.builds(["."], umask=0o077)
    modes = {oct(p.stat().st_mode & 0o777) for p in (ctx.project / "site").rglob("*")}
    row.ok = row.ok and modes <= {"0o644", "0o755"}
    row.note = "modes " + ",".join(sorted(modes))
    return row


# -- the cases: nothing ignored without a word -----------------------------------------------------------

@case("upper-XLSX", "2021.XLSX (upper case)")
def _(ctx: Ctx) -> Row:
    ctx.book.rename(ctx.book.with_name("2021.XLSX"))
    return ctx.builds(["."], f"完成 {UNIT}/2021")


@case("upper-XLSX-check", "check: 2021.XLSX (upper case)")
def _(ctx: Ctx) -> Row:
    ctx.book.rename(ctx.book.with_name("2021.XLSX"))
    row = ctx.builds(["."], "2021 年度", command="check", code=0)
    row.ok = row.ok and "找不到" not in run(["check", "."], ctx.project).out
    return row


@case("xlsx-beside-xls", "2021.xlsx beside 2021.xls (LibreOffice's .xls)")
def _(ctx: Ctx) -> Row:
    soffice(ctx.book, "xls")
    return ctx.builds(["."], f"tables/{UNIT}/2021.xls：未读取，2021年度用的是 2021.xlsx")


@case("xlsx-beside-xls-check", "check: 2021.xlsx beside 2021.xls")
def _(ctx: Ctx) -> Row:
    soffice(ctx.book, "xls")
    return ctx.builds(["."], f"tables/{UNIT}/2021.xls：未读取", command="check")


@case("hidden-unit-folders", "unit folders ..a and .git")
def _(ctx: Ctx) -> Row:
    for hidden in ("..a", ".git"):
        shutil.copytree(ctx.project / "tables" / UNIT, ctx.project / "tables" / hidden)
    return ctx.builds(["."], ("tables/..a：", "tables/.git："))


@case("hidden-unit-folders-check", "check: unit folders ..a and .git")
def _(ctx: Ctx) -> Row:
    for hidden in ("..a", ".git"):
        shutil.copytree(ctx.project / "tables" / UNIT, ctx.project / "tables" / hidden)
    return ctx.builds(["."], ("tables/..a：", "tables/.git："), command="check")


@case("overview-space-md", "content/<unit>/overview .md")
def _(ctx: Ctx) -> Row:
    (ctx.project / "content" / UNIT / "overview .md").write_text("# 概况\n", encoding="utf-8")
    return ctx.builds(["."], f"content/{UNIT}/overview .md：未使用")


@case("overview-space-md-check", "check: content/<unit>/overview .md")
def _(ctx: Ctx) -> Row:
    (ctx.project / "content" / UNIT / "overview .md").write_text("# 概况\n", encoding="utf-8")
    return ctx.builds(["."], f"content/{UNIT}/overview .md：未使用", command="check")


# -- running ---------------------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="", help="comma-separated words; run cases whose name contains one")
    parser.add_argument("--markdown", type=Path, default=None)
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--keep", action="store_true", help="keep the temporary folders")
    parser.add_argument("--list", action="store_true")
    args = parser.parse_args(argv)
    words = [w for w in args.only.split(",") if w]
    cases = [c for c in CASES if not words or any(w in c.name for w in words)]
    if args.list:
        for c in cases:
            print(f"{c.name:32} {c.item}")
        return 0
    work = Path(tempfile.mkdtemp(prefix="probe-safety-"))
    rows: list[Row] = []
    try:
        bare = work / "example"
        bare.mkdir()
        for name in ("tables", "content"):
            shutil.copytree(ROOT / name, bare / name)
        shutil.copyfile(ROOT / "disclosure.toml", bare / "disclosure.toml")
        base = work / "built"
        shutil.copytree(bare, base)
        r = run(["build", ".", "--jobs", "1"], base)
        if r.code != 0:
            print(r.out)
            return 2
        for c in cases:
            ctx = Ctx(base, bare, work, c.name)
            try:
                row = c.body(ctx)
            except Exception as exc:  # the probe's own setup failed (e.g. no soffice)
                row = Row(c.name, "", note=f"probe setup failed: {exc}")
            row.item = c.item
            rows.append(row)
            print(f"{'ok  ' if row.ok else 'FAIL'} {c.name:30} exit={row.code} tb={'yes' if row.traceback else 'no'} "
                  f"in={_yn(row.inputs_same)} site={_yn(row.site_kept)} said={row.said} {row.seconds:.1f}s {row.peak_mb:.0f}MB "
                  f"| {row.message[:110]} {('· ' + row.note) if row.note else ''}", flush=True)
            if not args.keep:
                _rmtree(ctx.project)
    finally:
        if not args.keep:
            _rmtree(work)
        else:
            print(f"kept {work}")
    if args.markdown:
        args.markdown.write_text(markdown(rows), encoding="utf-8")
    if args.json:
        args.json.write_text(json.dumps([asdict(r) for r in rows], ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    failed = [r for r in rows if not r.ok]
    print(f"{len(rows) - len(failed)} passed, {len(failed)} failed")
    return 1 if failed else 0


def _yn(value: bool | None) -> str:
    return "-" if value is None else ("yes" if value else "no")


def _rmtree(path: Path) -> None:
    """Remove a case's folder, first giving back any mode a case took away."""
    for p in [path, *path.rglob("*")] if path.exists() else []:
        try:
            if p.is_dir() and not p.is_symlink():
                p.chmod(0o755)
        except OSError:
            pass
    shutil.rmtree(path, ignore_errors=True)


def markdown(rows: list[Row]) -> str:
    head = "| case | item | exit | first message line | traceback | inputs unchanged | site kept | said | s | MB | verdict |\n"
    head += "|---|---|---|---|---|---|---|---|---|---|---|\n"
    body = "".join(
        f"| {r.case} | {r.item} | {r.code} | {r.message.replace('|', '¦')[:120]} | {'yes' if r.traceback else 'no'} | "
        f"{_yn(r.inputs_same)} | {_yn(r.site_kept)} | {'' if r.said is None else r.said} | {r.seconds:.1f} | {r.peak_mb:.0f} | "
        f"{'ok' if r.ok else 'FAIL'}{(' — ' + r.note) if r.note else ''} |\n" for r in rows)
    return head + body


if __name__ == "__main__":
    sys.exit(main())
