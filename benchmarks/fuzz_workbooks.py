"""Fuzz the workbook reader: mutate the example's 2021 workbook many times and read each mutant the
way a build does (``load_accounts``, then the check when it loads). Every mutant must end in a
result or a user message (``DisclosureError``), never another exception, an abort or a hang.

    python benchmarks/fuzz_workbooks.py                    # 10,000 mutants (about 30–60 minutes on 2 cores)
    python benchmarks/fuzz_workbooks.py --count 300 --seed 7

Each mutant is read in a forked child (so that an abort or a memory blow-up is counted, not fatal)
with a time limit and an address-space cap. Mutations, chosen at random and combined:
XML-level (a cell's value replaced by text, a huge, negative, fractional or non-finite number, an
empty string; a cell moved to ``XFD1048576`` or a far row; rows deleted, duplicated or given a
million-row repeat; the ``<dimension>`` made huge; a sheet's XML truncated; a DTD/entity planted;
shared strings shuffled; a sheet dropped from the workbook) and byte-level (bytes flipped, the file
truncated, zip members dropped or duplicated). The summary prints how many mutants were read, how
many gave a user message, how many loaded, the tracebacks, crashes and hangs (which must be 0),
and the largest CPU time, wall time and peak memory of any one mutant (``wait4``).

``--formats`` also fuzzes the other two formats the reader takes (``xlsx,ods,xls``, the default,
gives each of .ods and .xls a tenth of the mutants), each in its real fixture's project: the
钱塘区行政审批局 2021 .ods of ``tests/fixtures/real/qiantang-2021`` (``content.xml``: values
replaced, a row or a cell repeated far past any table, the XML truncated, a DTD planted, a table
dropped; then packed and byte-mutated like the .xlsx mutants) and the example unit's .xls of
``tests/fixtures/real/bayannur-xls`` (cell records moved to the last row and column a BIFF8 sheet
can hold, numbers made non-finite or huge, sheet offsets and record lengths broken, bytes flipped,
the file truncated). A child that gives no result within the time limit is killed by the parent and counted as a hang.
"""
from __future__ import annotations

import argparse
import io
import os
import random
import re
import resource
import select
import shutil
import signal
import struct
import sys
import tempfile
import time
import traceback
import warnings
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

UNIT = "bayannur-jiaoguan"
SOURCE = ROOT / "tables" / UNIT / "2021.xlsx"
REAL = ROOT / "tests" / "fixtures" / "real"
XLS_PROJECT, XLS_UNIT = REAL / "bayannur-xls", UNIT
ODS_PROJECT, ODS_UNIT = REAL / "qiantang-2021", "qiantang-shenpi"
TIME_LIMIT = 60  # seconds for one mutant (the child's own alarm; the parent kills it 30 s later)
MEMORY_LIMIT = 3 * 1024 ** 3

NUMBERS = ["1E+26", "-1E+30", "1e308", "NaN", "inf", "-0", "0.000000000000000000001", "123456789012345678901234567890",
           "103.5", "-5", "1,234", "12,3O4.00", "", " ", "—", "(5)", "1.2.3", "0x1F", "١٢٣"]
TEXTS = ["一百", "<script>alert(1)</script>", "=SUM(A1:A9)", "\u202e反向", "x" * 5000, "合计", "单位：元", "单位：亿元",
         "2023年度", "收入支出决算总表", "\x00", "&amp;&lt;"]


def _sheet_parts(parts: dict[str, bytes]) -> list[str]:
    return [n for n in parts if n.startswith("xl/worksheets/") and n.endswith(".xml")]


def mutate_xml(parts: dict[str, bytes], rng: random.Random) -> str:
    """Change one part's XML; returns what was done."""
    sheets = _sheet_parts(parts)
    name = rng.choice(sheets)
    data = parts[name]
    kind = rng.randrange(12)
    cells = list(re.finditer(rb"<c r=\"([A-Z]+)(\d+)\"([^>]*?)(/>|>(.*?)</c>)", data, re.S))
    if not cells:
        kind = 11
    if kind <= 3:  # a value replaced
        m = rng.choice(cells)
        value = rng.choice(NUMBERS if kind <= 1 else TEXTS)
        body = (f'<c r="{m.group(1).decode()}{m.group(2).decode()}"><v>{value}</v></c>' if kind == 0 else
                f'<c r="{m.group(1).decode()}{m.group(2).decode()}" t="inlineStr"><is><t>{_esc(value)}</t></is></c>')
        data = data[: m.start()] + body.encode() + data[m.end():]
        what = f"{name}: {m.group(1).decode()}{m.group(2).decode()} ← {value[:20]!r}"
    elif kind == 4:  # a cell moved far away
        m = rng.choice(cells)
        ref = rng.choice(["XFD1048576", "A1048576", "XFD1", "ZZ60000", "A49999"])
        data = data[: m.start()] + m.group(0).replace(b'r="' + m.group(1) + m.group(2) + b'"', f'r="{ref}"'.encode()) + data[m.end():]
        what = f"{name}: a cell moved to {ref}"
    elif kind == 5:  # rows deleted
        rows = list(re.finditer(rb"<row\b.*?</row>", data, re.S))
        if rows:
            for m in sorted(rng.sample(rows, min(len(rows), rng.randint(1, 5))), key=lambda m: -m.start()):
                data = data[: m.start()] + data[m.end():]
        what = f"{name}: rows deleted"
    elif kind == 6:  # a row duplicated many times below the table
        rows = list(re.finditer(rb"<row\b.*?</row>", data, re.S))
        if rows:
            m = rng.choice(rows)
            extra = rng.choice([3, 50, 2000])
            last = int(re.findall(rb'<row r="(\d+)"', data)[-1])
            copies = []
            for i in range(1, extra + 1):
                r = last + i
                copies.append(re.sub(rb'r="([A-Z]+)\d+"', lambda x: b'r="' + x.group(1) + str(r).encode() + b'"',
                                     m.group(0).replace(b'<row r="' + re.search(rb'<row r="(\d+)"', m.group(0)).group(1) + b'"', f'<row r="{r}"'.encode(), 1)))
            data = data.replace(b"</sheetData>", b"".join(copies) + b"</sheetData>", 1)
            what = f"{name}: a row copied {extra} times below the table"
        else:
            what = f"{name}: no rows"
    elif kind == 7:  # a huge dimension
        if re.search(rb"<dimension\b", data):
            data = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:XFD1048576"', data, count=1)
        else:
            data = re.sub(rb"(<worksheet\b[^>]*>)", rb'\1<dimension ref="A1:XFD1048576"/>', data, count=1)
        what = f"{name}: dimension A1:XFD1048576"
    elif kind == 8:  # truncated XML
        data = data[: rng.randrange(len(data))]
        what = f"{name}: XML truncated"
    elif kind == 9:  # a DTD planted
        dtd = b'<!DOCTYPE x [<!ENTITY e "boom">]>'
        data = data.replace(b"?>", b"?>" + dtd, 1) if b"?>" in data[:200] else dtd + data
        what = f"{name}: DTD planted"
    elif kind == 10 and "xl/sharedStrings.xml" in parts:  # shared strings shuffled
        shared = parts["xl/sharedStrings.xml"]
        items = re.findall(rb"<si>.*?</si>", shared, re.S)
        rng.shuffle(items)
        head = shared[: shared.find(b"<si>")]
        parts["xl/sharedStrings.xml"] = head + b"".join(items) + b"</sst>"
        return "sharedStrings shuffled"
    else:  # a sheet dropped from the workbook
        parts.pop(name)
        return f"{name}: removed"
    parts[name] = data
    return what


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def mutate_ods(parts: dict[str, bytes], rng: random.Random) -> str:
    """Change an .ods's content.xml; returns what was done."""
    if "content.xml" not in parts:
        return "content.xml already removed"
    data = parts["content.xml"]
    kind = rng.randrange(8)
    values = list(re.finditer(rb'office:value="[^"]*"', data))
    texts = list(re.finditer(rb"<text:p>([^<]*)</text:p>", data))
    rows = list(re.finditer(rb"<table:table-row\b[^>]*>", data))
    if kind == 0 and values:
        m = rng.choice(values)
        value = rng.choice(NUMBERS)
        data = data[: m.start()] + f'office:value="{_esc(value)}"'.encode() + data[m.end():]
        what = f"content.xml: a value ← {value[:20]!r}"
    elif kind == 1 and texts:
        m = rng.choice(texts)
        value = rng.choice(TEXTS + NUMBERS)
        data = data[: m.start(1)] + _esc(value).encode() + data[m.end(1):]
        what = f"content.xml: a text ← {value[:20]!r}"
    elif kind == 2 and rows:  # a row with cells repeated far below the table
        m = rng.choice(rows)
        repeat = rng.choice([2, 1000, 49_000, 1_048_000])
        tag = re.sub(rb'\s+table:number-rows-repeated="\d+"', b"", m.group(0))
        tag = tag[:-1].rstrip(b"/") + f' table:number-rows-repeated="{repeat}">'.encode()
        data = data[: m.start()] + tag + data[m.end():]
        what = f"content.xml: a row repeated {repeat} times"
    elif kind == 3:  # a cell with a value repeated far to the right
        cells = list(re.finditer(rb"<table:table-cell\b(?=[^>]*office:value-type)[^>]*>", data))
        if cells:
            m = rng.choice(cells)
            repeat = rng.choice([3, 1_100, 16_384])
            tag = re.sub(rb'\s+table:number-columns-repeated="\d+"', b"", m.group(0))
            tag = tag[:-1] + f' table:number-columns-repeated="{repeat}">'.encode()
            data = data[: m.start()] + tag + data[m.end():]
        what = "content.xml: a cell repeated to the right"
    elif kind == 4:
        data = data[: rng.randrange(len(data))]
        what = "content.xml: truncated"
    elif kind == 5:
        dtd = b'<!DOCTYPE x [<!ENTITY e "boom"><!ENTITY f "&e;&e;&e;&e;">]>'
        data = data.replace(b"?>", b"?>" + dtd, 1) if b"?>" in data[:200] else dtd + data
        what = "content.xml: DTD planted"
    elif kind == 6:
        tables = list(re.finditer(rb"<table:table\b.*?</table:table>", data, re.S))
        if tables:
            m = rng.choice(tables)
            data = data[: m.start()] + data[m.end():]
        what = "content.xml: a table dropped"
    else:
        parts.pop("content.xml")
        return "content.xml removed"
    parts["content.xml"] = data
    return what


_XLS_NUMBER = re.compile(rb"\x03\x02\x0e\x00", re.S)  # NUMBER record, 14 bytes: row, col, xf, IEEE double
_XLS_CELL = re.compile(rb"(?:\xfd\x00\x0a\x00|\x7e\x02\x0a\x00|\x03\x02\x0e\x00)", re.S)  # LABELSST, RK, NUMBER
_XLS_BOUNDSHEET = re.compile(rb"\x85\x00[\x08-\x80]\x00", re.S)


def mutate_xls(raw: bytes, rng: random.Random) -> tuple[bytes, str]:
    """Change an .xls's records in place (the compound file's sectors are left where they are)."""
    data = bytearray(raw)
    kind = rng.randrange(5)
    if kind == 0:  # a cell moved to the last row and/or column of a BIFF8 sheet
        cells = list(_XLS_CELL.finditer(raw))
        if cells:
            m = rng.choice(cells)
            row, col = rng.choice([(65535, 255), (65535, 0), (0, 255), (49_999, 20), (20_000, 60)])
            struct.pack_into("<HH", data, m.end(), row, col)
            return bytes(data), f"xls: a cell moved to row {row + 1}, column {col + 1}"
    if kind == 1:  # a number made huge, fractional, negative or not finite
        numbers = list(_XLS_NUMBER.finditer(raw))
        if numbers:
            m = rng.choice(numbers)
            value = rng.choice([float("nan"), float("inf"), -float("inf"), 1e26, 1e308, -5.0, 103.5, 5e-324])
            struct.pack_into("<d", data, m.end() + 6, value)
            return bytes(data), f"xls: a number ← {value!r}"
    if kind == 2:  # a sheet's offset or a record's length broken
        sheets = list(_XLS_BOUNDSHEET.finditer(raw))
        if sheets:
            m = rng.choice(sheets)
            struct.pack_into("<I", data, m.end(), rng.choice([0, 7, len(raw) * 4, 0xFFFFFFFF]))
            return bytes(data), "xls: a sheet's offset broken"
    if kind == 3:
        cells = list(_XLS_CELL.finditer(raw))
        if cells:
            m = rng.choice(cells)
            struct.pack_into("<H", data, m.start() + 2, rng.choice([0, 1, 0xFFFF, 8224]))
            return bytes(data), "xls: a record's length broken"
    for _ in range(rng.randint(1, 40)):
        data[rng.randrange(512, len(data))] = rng.randrange(256)
    return bytes(data), "xls: bytes flipped"


def pack(parts: dict[str, bytes], rng: random.Random) -> tuple[bytes, str]:
    buf = io.BytesIO()
    what = ""
    with warnings.catch_warnings(), zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        warnings.simplefilter("ignore")  # a member written twice is one of the mutations
        names = list(parts)
        if rng.random() < 0.05 and names:
            dup = rng.choice(names)
            names.append(dup)
            what = f"; member {dup} twice"
        for n in names:
            z.writestr(n, parts[n])
    raw = buf.getvalue()
    r = rng.random()
    if r < 0.08:
        raw = raw[: rng.randrange(len(raw))]
        what += "; file truncated"
    elif r < 0.16:
        b = bytearray(raw)
        for _ in range(rng.randint(1, 20)):
            b[rng.randrange(len(b))] = rng.randrange(256)
        raw = bytes(b)
        what += "; bytes flipped"
    return raw, what


def make_mutant(base: dict[str, bytes], rng: random.Random) -> tuple[bytes, str]:
    parts = dict(base)
    steps = [mutate_xml(parts, rng) for _ in range(rng.choice([1, 1, 2, 3]))]
    raw, tail = pack(parts, rng)
    return raw, "; ".join(steps) + tail


def make_ods_mutant(base: dict[str, bytes], rng: random.Random) -> tuple[bytes, str]:
    parts = dict(base)
    steps = [mutate_ods(parts, rng) for _ in range(rng.choice([1, 1, 2]))]
    if "mimetype" in parts:  # stored first, as the format asks
        parts = {"mimetype": parts.pop("mimetype"), **parts}
    raw, tail = pack(parts, rng)
    return raw, "; ".join(steps) + tail


def make_xls_mutant(base: bytes, rng: random.Random) -> tuple[bytes, str]:
    raw, steps = base, []
    for _ in range(rng.choice([1, 1, 2, 3])):
        raw, what = mutate_xls(raw, rng)
        steps.append(what)
    if rng.random() < 0.08:
        raw = raw[: rng.randrange(len(raw))]
        steps.append("file truncated")
    return raw, "; ".join(steps)


def read_mutant(project: Path, unit: str) -> str:
    """Load (and check) the unit-year as a build does; 'loaded', 'message' or raises."""
    from disclosure.errors import DisclosureError
    from disclosure.load.accounts import load_accounts
    from disclosure.project import load_project

    try:
        accounts = load_accounts(load_project(project), unit, 2021, with_prior=False)
    except DisclosureError:
        return "message"
    try:
        from disclosure.check import check_accounts

        check_accounts(accounts, load_project(project))
    except DisclosureError:
        return "message"
    return "loaded"


def run_child(project: Path, unit: str) -> tuple[str, str, float, float, int]:
    """Read the mutant in a forked child; (outcome, detail, CPU s, wall s, peak RSS KiB). A child that
    sends nothing within ``TIME_LIMIT + 30`` s is killed and counted as a hang."""
    r, w = os.pipe()
    began = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        os.close(r)
        code, detail = 0, b""
        try:
            resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
            signal_alarm(TIME_LIMIT)
            detail = read_mutant(project, unit).encode()
        except TimeoutError:
            code, detail = 3, b"hang: " + traceback.format_exc().encode()
        except BaseException:
            code, detail = 1, traceback.format_exc().encode()
        os.write(w, detail[:60000])
        os._exit(code)
    os.close(w)
    chunks = []
    hung = False
    deadline = began + TIME_LIMIT + 30
    while True:
        ready, _, _ = select.select([r], [], [], max(0.0, deadline - time.perf_counter()))
        if not ready:
            hung = True
            os.kill(pid, signal.SIGKILL)
            break
        chunk = os.read(r, 65536)
        if not chunk:
            break
        chunks.append(chunk)
    os.close(r)
    _, status, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - began
    cpu = usage.ru_utime + usage.ru_stime
    detail = b"".join(chunks).decode("utf-8", "replace")
    if hung:
        return "hang", f"killed after {wall:.0f} s", cpu, wall, usage.ru_maxrss
    if os.WIFSIGNALED(status):
        return "crash", f"signal {os.WTERMSIG(status)}", cpu, wall, usage.ru_maxrss
    if os.WEXITSTATUS(status) == 3:
        return "hang", detail, cpu, wall, usage.ru_maxrss
    if os.WEXITSTATUS(status) != 0:
        return "traceback", detail, cpu, wall, usage.ru_maxrss
    return detail, "", cpu, wall, usage.ru_maxrss


def signal_alarm(seconds: int) -> None:
    def timeout(signum, frame):
        raise TimeoutError(f"no result in {seconds} s")

    signal.signal(signal.SIGALRM, timeout)
    signal.alarm(seconds)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=20)
    parser.add_argument("--formats", default="xlsx,ods,xls", help="which formats to mutate (comma-separated)")
    parser.add_argument("--keep", type=Path, default=None, help="save the mutants that failed here")
    args = parser.parse_args(argv)
    formats = [f for f in args.formats.split(",") if f]
    # warm the imports once, so each forked child starts with them loaded
    import disclosure.check  # noqa: F401
    import disclosure.load.accounts  # noqa: F401

    rng = random.Random(args.seed)
    work = Path(tempfile.mkdtemp(prefix="dc-fuzz-"))
    projects = {"xlsx": (work / "xlsx", UNIT), "xls": (work / "xls", XLS_UNIT), "ods": (work / "ods", ODS_UNIT)}
    shutil.copytree(ROOT / "content", projects["xlsx"][0] / "content")
    shutil.copyfile(ROOT / "disclosure.toml", projects["xlsx"][0] / "disclosure.toml")
    (projects["xlsx"][0] / "tables" / UNIT).mkdir(parents=True)
    for fmt, source in (("xls", XLS_PROJECT), ("ods", ODS_PROJECT)):
        shutil.copytree(source, projects[fmt][0])
    with zipfile.ZipFile(SOURCE) as z:
        base = {n: z.read(n) for n in z.namelist()}
    makers = {"xlsx": lambda: make_mutant(base, rng)}
    if "xls" in formats:
        xls = (XLS_PROJECT / "tables" / XLS_UNIT / "2021.xls").read_bytes()
        makers["xls"] = lambda: make_xls_mutant(xls, rng)
    if "ods" in formats:
        with zipfile.ZipFile(ODS_PROJECT / "tables" / ODS_UNIT / "2021.ods") as z:
            ods = {n: z.read(n) for n in z.namelist()}
        makers["ods"] = lambda: make_ods_mutant(ods, rng)
    counts = {"loaded": 0, "message": 0, "traceback": 0, "crash": 0, "hang": 0}
    by_format = {f: {"loaded": 0, "message": 0, "other": 0} for f in makers}
    worst = {"cpu": (0.0, -1), "wall": (0.0, -1), "rss": (0, -1)}
    failures = []
    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    try:
        for i in range(args.count):
            draw = rng.random()
            fmt = "xls" if draw < 0.1 and "xls" in makers else "ods" if draw < 0.2 and "ods" in makers else "xlsx"
            raw, what = makers[fmt]()
            project, unit = projects[fmt]
            (project / "tables" / unit / f"2021.{fmt}").write_bytes(raw)
            outcome, detail, cpu, wall, rss = run_child(project, unit)
            counts[outcome if outcome in counts else "traceback"] += 1
            by_format[fmt][outcome if outcome in ("loaded", "message") else "other"] += 1
            for key, value in (("cpu", cpu), ("wall", wall), ("rss", rss)):
                if value > worst[key][0]:
                    worst[key] = (value, i)
            if outcome not in ("loaded", "message"):
                failures.append((i, f"{fmt}: {what}", detail or outcome))
                if args.keep:
                    args.keep.mkdir(parents=True, exist_ok=True)
                    (args.keep / f"mutant-{i}.{fmt}").write_bytes(raw)
            if (i + 1) % 500 == 0:
                print(f"{i + 1} mutants, {time.perf_counter() - started:.0f} s: {counts}", flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"formats: {by_format}; largest per mutant: CPU {worst['cpu'][0]:.2f} s (mutant {worst['cpu'][1]}), "
          f"wall {worst['wall'][0]:.2f} s (mutant {worst['wall'][1]}), peak RSS {worst['rss'][0] / 1024:.0f} MB "
          f"(mutant {worst['rss'][1]}; the parent, which each child starts as a fork of, {baseline / 1024:.0f} MB)")
    for i, what, detail in failures[:20]:
        print(f"--- mutant {i}: {what}\n{detail}")
    print(f"{args.count} mutants in {time.perf_counter() - started:.0f} s: {counts}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
