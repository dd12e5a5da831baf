"""The checks before a workbook is read keep memory at one piece of it (issue 20: inputs just under the
caps): each XML part is decompressed and searched a piece at a time (a DTD, formulas without values,
indents; the guard's extent), and a workbook is hashed a piece at a time."""
from __future__ import annotations

import tracemalloc
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.styles import Alignment

import disclosure.load.workbook as workbook
from disclosure.load.guard import workbook_problem
from disclosure.safe_files import UnsafeFile, file_hash, read_bytes

MiB = 1024 * 1024
FIXTURE = Path(__file__).parent / "fixtures" / "load" / "canonical.xlsx"


def _book(tmp_path: Path) -> Path:
    """A sheet of 400 cells: formulas saved without a value, indented labels, plain numbers."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "表"
    for r in range(1, 101):
        ws.cell(r, 1, f"项目{r}").alignment = Alignment(indent=r % 3)
        ws.cell(r, 2, r * 1.5)
        ws.cell(r, 3, f"=B{r}*2" if r % 7 == 0 else r)
        ws.cell(r, 4, "文字" * (r % 5))
    path = tmp_path / "w.xlsx"
    wb.save(path)
    return path


def _with_part(src: Path, dest: Path, name: str, data: bytes, compress: int = zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            zout.writestr(item, zin.read(item.filename))
        zout.writestr(zipfile.ZipInfo(name), data, compress_type=compress)
    return dest


@pytest.mark.parametrize("piece", [23, 64, 97, 1000, 65536])
def test_pieces_find_what_the_whole_part_holds(tmp_path, monkeypatch, piece):
    path = _book(tmp_path)
    whole, _ = workbook._inspect_zip(path, "w.xlsx")
    uncomputed, indented = whole["表"]
    assert uncomputed == {(r - 1, 2) for r in range(7, 101, 7)}
    assert indented == {(r - 1, 0): r % 3 for r in range(1, 101) if r % 3}
    monkeypatch.setattr(workbook, "_PIECE", piece)
    assert workbook._inspect_zip(path, "w.xlsx") == (whole, False)


@pytest.mark.parametrize("part", ["xl/sharedStrings.xml", "xl/worksheets/sheet1.xml", "xl/media/extra.xml"])
@pytest.mark.parametrize("declaration", [b'<!DOCTYPE a [<!ENTITY b "c">]>', b"<!" + b" \n" * 40 + b"ENTITY b 'c'>"])
def test_a_declaration_cut_between_two_pieces_is_found(tmp_path, monkeypatch, part, declaration):
    monkeypatch.setattr(workbook, "_PIECE", 64)
    src = _book(tmp_path)
    with zipfile.ZipFile(src) as z:
        original = z.read(part) if part in z.namelist() else b"<x/>"
    for offset in range(0, 140, 3):  # the declaration starts before, across and after a piece's end
        data = original.replace(b"?>", b"?>" + b" " * offset + declaration, 1) if b"?>" in original else b" " * offset + declaration + original
        path = tmp_path / f"{offset}.xlsx"
        with zipfile.ZipFile(src) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
            names = zin.namelist()
            for item in zin.infolist():
                zout.writestr(item, data if item.filename == part else zin.read(item.filename))
            if part not in names:
                zout.writestr(part, data)
        with pytest.raises(workbook.BookError) as exc:
            workbook._inspect_zip(path, "w.xlsx")
        assert f"文件内部的 {part} 含有 DTD/实体声明" in exc.value.problem.message, offset


def test_a_part_just_under_the_cap_is_searched_in_pieces(tmp_path):
    """A 100 MB XML part (the cap is 128 MB): inspected with memory at a few pieces, not the part
    (before: every XML part was held at once, 4 × 127 MB took 696 MB)."""
    path = _with_part(FIXTURE, tmp_path / "w.xlsx", "xl/media/padding.xml", b"0" * (100 * MiB))
    tracemalloc.start()
    try:
        assert workbook_problem(path, "w.xlsx") is None
        workbook._inspect_zip(path, "w.xlsx")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 24 * MiB, peak / MiB


def test_a_sheet_padded_with_blanks_is_measured_in_pieces(tmp_path):
    """60 MB of blanks inside a sheet, after its cells: the guard carried everything after the last
    ``>`` into the next piece, so it held (and searched again) the whole padding."""
    with zipfile.ZipFile(FIXTURE) as z:
        sheet = z.read("xl/worksheets/sheet1.xml")
    padded = sheet.replace(b"</sheetData>", b"</sheetData>" + b" " * (60 * MiB), 1)
    path = tmp_path / "w.xlsx"
    with zipfile.ZipFile(FIXTURE) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            zout.writestr(item, padded if item.filename == "xl/worksheets/sheet1.xml" else zin.read(item.filename))
    del padded
    tracemalloc.start()
    try:
        assert workbook_problem(path, "w.xlsx") is None
        workbook._inspect_zip(path, "w.xlsx")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 24 * MiB, peak / MiB


def test_a_far_cell_in_a_tag_padded_with_blanks_is_still_found(tmp_path):
    """Blanks inside a cell's tag, more than a piece: made one blank, the reference still read."""
    sheet = (b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
             b'<sheetData><row r="1048576"><c' + b" " * (9 * MiB) + b'r="XFD1048576"><v>1</v></c></row></sheetData></worksheet>')
    path = tmp_path / "w.xlsx"
    with zipfile.ZipFile(FIXTURE) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            zout.writestr(item, sheet if item.filename == "xl/worksheets/sheet1.xml" else zin.read(item.filename))
    problem = workbook_problem(path, "w.xlsx")
    assert problem is not None and "一直延伸到 XFD1048576" in problem.message


def test_a_workbook_is_hashed_a_piece_at_a_time(tmp_path):
    path = tmp_path / "big.xlsx"
    path.write_bytes(bytes(range(256)) * (4 * 1024 * 10))  # 10 MiB, over a cap of 8
    with pytest.raises(UnsafeFile) as exc:
        file_hash(path, limit=8 * MiB)
    assert "文件有 10 MB，超过了 8 MB 的上限" in exc.value.problems[0].message
    path.write_bytes(bytes(range(256)) * (4 * 1024 * 40))  # 40 MiB
    import hashlib

    expected = hashlib.blake2b(read_bytes(path, limit=64 * MiB), digest_size=16).hexdigest()
    tracemalloc.start()
    try:
        got = file_hash(path, limit=64 * MiB).hexdigest()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert got == expected and peak < 4 * MiB, peak / MiB
