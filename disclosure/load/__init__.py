"""load: 决算公开表 workbooks (.xlsx/.xlsm/.xls/.ods, or a folder of them) → `Accounts` with cell provenance.

Public entries:

* `load_accounts(project, unit, year, *, with_prior=True, stated_names=None) -> Accounts` — one
  unit-year of a project, with the prior year's Accounts attached when its tables exist; every
  编制单位 is compared with the name the unit's texts state (``stated_names``, by year, handed in
  by `disclosure.pipeline`: load reads no texts);
* `locate(project, unit, year) -> (source, TableSet)` — where a unit-year's tables are and the set
  they are read with, or the error that there are none;
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
tables), reader (a source → tables), accounts (a project's unit-year), classification (the
政府收支分类科目 by year). The one normalisation of row labels and column headers is
`disclosure.labels`, below both this package and `disclosure.standard`.
"""
from disclosure.load.accounts import load_accounts, locate
from disclosure.load.reader import LoadedTables, read_tables
from disclosure.load.tables import RECORD_ROW

__all__ = ["LoadedTables", "RECORD_ROW", "load_accounts", "locate", "read_tables"]
