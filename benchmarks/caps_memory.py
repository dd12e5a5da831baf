"""Peak memory of ``disclosure build`` on workbooks just under the size caps (issue 20).

    python benchmarks/caps_memory.py                                   # this checkout
    python benchmarks/caps_memory.py before=/tmp/old-checkout after=.  # interleaved, twice each

Each case copies the example project with its site built, enlarges its 2021 workbook in a way the
caps allow (an XML part of 127 MB or four of them, the cap being 128 MB a part and 512 MB in all; a
sheet padded with 120 MB of blanks; a file of 63 MB, the cap being 64 MB) and runs
``disclosure build --force --jobs 1`` with the checkout's ``disclosure`` on ``PYTHONPATH``. It prints
the exit code, the peak RSS of the command (``wait4``), its CPU seconds and whether a traceback was
printed. The enlarged workbook is made in a forked child, so that the measuring process stays small
(a peak RSS survives ``fork`` + ``exec``).
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
UNIT = "bayannur-jiaoguan"
MiB = 1024 * 1024


def _add(book: Path, parts: list[tuple[str, bytes]], compress: int = zipfile.ZIP_DEFLATED) -> None:
    with zipfile.ZipFile(book, "a", compress) as z:
        for name, data in parts:
            z.writestr(name, data)


def _pad_sheet(book: Path, size: int) -> None:
    with zipfile.ZipFile(book) as z:
        items = [(i, z.read(i.filename)) for i in z.infolist()]
    with zipfile.ZipFile(book, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in items:
            if info.filename == "xl/worksheets/sheet3.xml":
                data = data.replace(b"</worksheet>", b" " * size + b"</worksheet>")
            z.writestr(info, data)


CASES = {
    "unchanged": lambda book: None,
    "xml-part-127MB": lambda book: _add(book, [("xl/media/padding.xml", b"0" * (127 * MiB))]),
    "four-xml-parts-127MB": lambda book: _add(book, [(f"xl/media/pad{i}.xml", b"0" * (127 * MiB)) for i in range(4)]),
    "sheet-padded-120MB": lambda book: _pad_sheet(book, 120 * MiB),
    "file-63MB": lambda book: _add(book, [("xl/media/image1.png", os.urandom(63 * MiB))], zipfile.ZIP_STORED),
}


def measure(base: Path, name: str, src: Path) -> tuple[int, float, float, bool]:
    project = base.parent / name
    shutil.rmtree(project, ignore_errors=True)
    shutil.copytree(base, project, symlinks=True)
    pid = os.fork()
    if pid == 0:
        CASES[name](project / "tables" / UNIT / "2021.xlsx")
        os._exit(0)
    os.waitpid(pid, 0)
    env = dict(os.environ, PYTHONPATH=str(src))
    env.setdefault("DISCLOSURE_CACHE_DIR", str(base.parent / "cache"))
    proc = subprocess.Popen([sys.executable, "-m", "disclosure", "build", "--no-kit", ".", "--jobs", "1", "--force"],
                            cwd=project, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env)
    out = proc.stdout.read().decode("utf-8", "replace")
    _, status, usage = os.wait4(proc.pid, 0)
    shutil.rmtree(project, ignore_errors=True)
    return os.waitstatus_to_exitcode(status), usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime, "Traceback" in out


def main(argv: list[str]) -> int:
    sources = [(a.split("=", 1)[0], Path(a.split("=", 1)[1]).resolve()) for a in argv if "=" in a] or [("this", ROOT)]
    rounds = 2 if len(sources) > 1 else 1
    work = Path(tempfile.mkdtemp(prefix="caps-memory-"))
    try:
        base = work / "built"
        base.mkdir()
        for name in ("tables", "content"):
            shutil.copytree(ROOT / name, base / name)
        shutil.copyfile(ROOT / "disclosure.toml", base / "disclosure.toml")
        subprocess.run([sys.executable, "-m", "disclosure", "build", "--no-kit", ".", "--jobs", "1"], cwd=base,
                       check=True, capture_output=True, env=dict(os.environ, PYTHONPATH=str(sources[0][1])))
        print(f"{'case':22} {'checkout':8} exit  peak RSS   CPU    traceback")
        for name in CASES:
            for _ in range(rounds):
                for label, src in sources:
                    code, mb, cpu, tb = measure(base, name, src)
                    print(f"{name:22} {label:8} {code:4}  {mb:5.0f} MB  {cpu:5.2f} s  {'yes' if tb else 'no'}", flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
