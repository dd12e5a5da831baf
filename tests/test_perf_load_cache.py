"""The per-process cache of read workbooks: a unit-year's prior year is read once for both builds,
and a changed, replaced or broken workbook is always read again."""
from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from disclosure.errors import InputError
from disclosure.load import accounts as accounts_module
from disclosure.load import load_accounts
from disclosure.project import load_project

REPO = Path(__file__).resolve().parent.parent
UNIT = "bayannur-jiaoguan"


@pytest.fixture
def project_root(tmp_path) -> Path:
    root = tmp_path / "p"
    shutil.copytree(REPO / "tables" / UNIT, root / "tables" / UNIT)
    shutil.copytree(REPO / "content" / UNIT, root / "content" / UNIT)
    shutil.copy(REPO / "disclosure.toml", root / "disclosure.toml")
    return root


def _fresh(root: Path, year: int):
    accounts_module._READ_CACHE.clear()
    return load_accounts(load_project(root), UNIT, year)


def _figures(acc) -> dict:
    return {(k, r.key, c): v for k, t in acc.tables.items() for r in t.rows for c, v in r.values.items()}


def test_the_prior_year_is_read_once_and_equals_a_fresh_read(project_root):
    project = load_project(project_root)
    accounts_module._READ_CACHE.clear()
    later = load_accounts(project, UNIT, 2021)
    earlier = load_accounts(project, UNIT, 2020)
    assert later.prior is not None
    assert earlier.tables is later.prior.tables  # the 2020 workbook was parsed once
    fresh = _fresh(project_root, 2020)
    assert fresh.tables is not earlier.tables
    assert _figures(fresh) == _figures(earlier) and len(_figures(fresh)) > 100
    assert fresh.files == earlier.files and fresh.notices == earlier.notices and fresh.unit_name == earlier.unit_name


def _numeric_cell(acc) -> tuple[str, str, str, str, Decimal]:
    """A value cell of the summary table: (sheet, cell, row key, column, value in 万元)."""
    table = acc.tables["summary"]
    for row in table.rows:
        for col, value in row.values.items():
            if value > 0:
                ref = row.cells[col]
                return ref.sheet, ref.cell, row.key, col, value
    raise AssertionError("no figure in the summary table")


def test_a_changed_cell_is_read_again(project_root):
    project = load_project(project_root)
    accounts_module._READ_CACHE.clear()
    before = load_accounts(project, UNIT, 2021, with_prior=False)
    sheet, cell, row, col, value = _numeric_cell(before)
    path = project_root / "tables" / UNIT / "2021.xlsx"
    wb = openpyxl.load_workbook(path)
    old = wb[sheet][cell].value
    assert isinstance(old, (int, float))
    wb[sheet][cell].value = old + 1
    wb.save(path)
    after = load_accounts(project, UNIT, 2021, with_prior=False)
    assert after.tables is not before.tables
    assert after.tables["summary"].value(row, col) != value
    assert after.tables["summary"].value(row, col) == _fresh(project_root, 2021).tables["summary"].value(row, col)


def test_a_rewrite_keeping_the_time_stamp_is_seen(project_root):
    """Same path and time stamp (as a copy preserving times would leave it): the bytes decide."""
    project = load_project(project_root)
    accounts_module._READ_CACHE.clear()
    path = project_root / "tables" / UNIT / "2021.xlsx"
    other = (project_root / "tables" / UNIT / "2020.xlsx").read_bytes()
    first = load_accounts(project, UNIT, 2021, with_prior=False)
    data = path.read_bytes()
    stat = path.stat()
    path.write_bytes(other)
    import os

    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # the same time stamp as before
    with pytest.raises(InputError) as exc:  # the 2020 workbook states 2020, not 2021
        load_accounts(project, UNIT, 2021, with_prior=False)
    assert exc.value.problems
    path.write_bytes(data)
    again = load_accounts(project, UNIT, 2021, with_prior=False)
    assert _figures(again) == _figures(first)


def test_a_broken_workbook_is_not_remembered(project_root):
    project = load_project(project_root)
    accounts_module._READ_CACHE.clear()
    path = project_root / "tables" / UNIT / "2021.xlsx"
    good = path.read_bytes()
    path.write_bytes(b"not a workbook")
    for _ in range(2):
        with pytest.raises(InputError) as exc:
            load_accounts(project, UNIT, 2021, with_prior=False)
        assert exc.value.problems[0].file == f"tables/{UNIT}/2021.xlsx"
    path.write_bytes(good)
    assert load_accounts(project, UNIT, 2021, with_prior=False).tables["summary"].rows


def test_the_cache_stays_small(project_root, tmp_path):
    accounts_module._READ_CACHE.clear()
    for i in range(accounts_module._READ_CACHE_SIZE + 3):
        root = tmp_path / f"copy{i}"
        shutil.copytree(project_root, root)
        load_accounts(load_project(root), UNIT, 2020, with_prior=False)
    assert len(accounts_module._READ_CACHE) == accounts_module._READ_CACHE_SIZE
