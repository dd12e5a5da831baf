"""A sample of the workbook fuzz run (benchmarks/fuzz_workbooks.py runs 10,000): mutants of the
example's workbook end in a result or a user message, never a traceback, an abort or a hang."""
from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _fuzz():
    spec = importlib.util.spec_from_file_location("fuzz_workbooks", ROOT / "benchmarks" / "fuzz_workbooks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_sample_of_mutated_workbooks_gives_no_traceback(capsys):
    code = _fuzz().main(["--count", "60", "--seed", "3"])
    out = capsys.readouterr().out
    summary = out.strip().splitlines()[-1] if code == 0 else out
    assert code == 0, out
    assert "'traceback': 0, 'crash': 0" in summary
    assert "'message': 0," not in summary  # the mutations do break workbooks


def test_mutations_change_the_workbook_in_the_ways_listed():
    import random
    import zipfile

    fuzz = _fuzz()
    with zipfile.ZipFile(fuzz.SOURCE) as z:
        base = {n: z.read(n) for n in z.namelist()}
    rng = random.Random(5)
    kinds = set()
    for _ in range(200):
        parts = dict(base)
        what = fuzz.mutate_xml(parts, rng)
        assert parts != base
        kinds.add(what.split(": ")[-1].split(" ")[0] if ": " in what else what)
    assert len(kinds) >= 8
