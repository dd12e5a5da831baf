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
many gave a user message, how many loaded, and the tracebacks (which must be 0).
"""
from __future__ import annotations

import argparse
import io
import os
import random
import re
import shutil
import sys
import tempfile
import time
import traceback
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

UNIT = "bayannur-jiaoguan"
SOURCE = ROOT / "tables" / UNIT / "2021.xlsx"
TIME_LIMIT = 60  # seconds for one mutant
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


def pack(parts: dict[str, bytes], rng: random.Random) -> tuple[bytes, str]:
    import warnings

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


def read_mutant(project: Path) -> str:
    """Load (and check) the unit-year as a build does; 'loaded', 'message' or raises."""
    from disclosure.errors import DisclosureError
    from disclosure.load.accounts import load_accounts
    from disclosure.project import load_project

    try:
        accounts = load_accounts(load_project(project), UNIT, 2021, with_prior=False)
    except DisclosureError:
        return "message"
    try:
        from disclosure.check import check_accounts

        check_accounts(accounts, load_project(project))
    except DisclosureError:
        return "message"
    return "loaded"


def run_child(project: Path) -> tuple[str, str]:
    """Read the mutant in a forked child; (outcome, detail)."""
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(r)
        code, detail = 0, b""
        try:
            import resource

            resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
            signal_alarm(TIME_LIMIT)
            detail = read_mutant(project).encode()
        except BaseException:
            code, detail = 1, traceback.format_exc().encode()
        os.write(w, detail[:60000])
        os._exit(code)
    os.close(w)
    chunks = []
    while True:
        chunk = os.read(r, 65536)
        if not chunk:
            break
        chunks.append(chunk)
    os.close(r)
    _, status = os.waitpid(pid, 0)
    detail = b"".join(chunks).decode("utf-8", "replace")
    if os.WIFSIGNALED(status):
        return "crash", f"signal {os.WTERMSIG(status)}"
    if os.WEXITSTATUS(status) != 0:
        return "traceback", detail
    return detail, ""


def signal_alarm(seconds: int) -> None:
    import signal

    def timeout(signum, frame):
        raise TimeoutError(f"no result in {seconds} s")

    signal.signal(signal.SIGALRM, timeout)
    signal.alarm(seconds)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=20)
    parser.add_argument("--keep", type=Path, default=None, help="save the mutants that failed here")
    args = parser.parse_args(argv)
    # warm the imports once, so each forked child starts with them loaded
    import disclosure.check  # noqa: F401
    import disclosure.load.accounts  # noqa: F401

    with zipfile.ZipFile(SOURCE) as z:
        base = {n: z.read(n) for n in z.namelist()}
    rng = random.Random(args.seed)
    work = Path(tempfile.mkdtemp(prefix="dc-fuzz-"))
    project = work / "p"
    (project / "tables" / UNIT).mkdir(parents=True)
    shutil.copytree(ROOT / "content", project / "content")
    shutil.copyfile(ROOT / "disclosure.toml", project / "disclosure.toml")
    target = project / "tables" / UNIT / "2021.xlsx"
    counts = {"loaded": 0, "message": 0, "traceback": 0, "crash": 0}
    failures = []
    started = time.perf_counter()
    try:
        for i in range(args.count):
            raw, what = make_mutant(base, rng)
            target.write_bytes(raw)
            outcome, detail = run_child(project)
            counts[outcome if outcome in counts else "traceback"] += 1
            if outcome not in ("loaded", "message"):
                failures.append((i, what, detail or outcome))
                if args.keep:
                    args.keep.mkdir(parents=True, exist_ok=True)
                    (args.keep / f"mutant-{i}.xlsx").write_bytes(raw)
            if (i + 1) % 500 == 0:
                print(f"{i + 1} mutants, {time.perf_counter() - started:.0f} s: {counts}", flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"{args.count} mutants in {time.perf_counter() - started:.0f} s: {counts}")
    for i, what, detail in failures[:20]:
        print(f"--- mutant {i}: {what}\n{detail}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
