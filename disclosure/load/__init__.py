"""load: 决算公开表 workbooks (.xlsx/.xlsm/.xls/.ods, or a folder of them) → `Accounts` with cell provenance.

Public entries:

* `load_accounts(project, unit, year, *, with_prior=True) -> Accounts` — one unit-year of a
  project, with the prior year's Accounts attached when its tables exist;
* `read_tables(source, table_set, *, display_path, year=None) -> LoadedTables` — one workbook or
  folder against a table set (used by load_accounts, tests and benchmarks).

Both raise `InputError` carrying every problem found, each naming file, sheet and cell. Values are
`Decimal` in 万元 (counts of the info table stay counts); a blank cell has no value but keeps its
`CellRef`. Row keys: item keys (``total``), codes (``2040201``), block-prefixed in side-by-side
tables (``income.year_total``, ``expenditure.204``, ``personnel.30101``), ``RECORD_ROW`` for the
one row of a record table (三公); rows named only by indentation are keyed by their name path
(``公共安全支出/公安/行政运行``) with the 类 row keyed by its code when the name is known.

Modules: workbook (open files safely, calamine grids), locate (title/unit/year lines), header
(header paths, column roles, blocks, column matching), rows (codes, names, levels), tables (one
sheet → Table), codes (codes for rows shown by indentation only, borrowed from the source's other
tables), reader (a source → tables), accounts (a project's unit-year), labels (the one
normalisation of row labels and column headers), classification (the 政府收支分类科目 by year).
"""
from __future__ import annotations

from importlib import import_module
from typing import Any

# Imported on first use, so that `disclosure.load.labels` (which `disclosure.standard` uses) can be
# imported without pulling in the loader, which itself needs `disclosure.standard`.
_ENTRIES = {
    "load_accounts": "disclosure.load.accounts",
    "read_tables": "disclosure.load.reader",
    "LoadedTables": "disclosure.load.reader",
    "RECORD_ROW": "disclosure.load.tables",
}

__all__ = list(_ENTRIES)


def __getattr__(name: str) -> Any:
    if name not in _ENTRIES:
        raise AttributeError(f"module 'disclosure.load' has no attribute {name!r}")
    return getattr(import_module(_ENTRIES[name]), name)
