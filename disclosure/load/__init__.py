"""load: 决算公开表 workbooks (.xlsx/.xlsm/.xls/.ods, or a folder of them) → `Accounts` with cell provenance.

Public entries: `load_accounts` (one unit-year of a project, with its prior year) and `read_tables`
(one source against a table set; used by load_accounts, tests and benchmarks).
"""
from disclosure.load.accounts import load_accounts
from disclosure.load.reader import LoadedTables, read_tables
from disclosure.load.tables import RECORD_ROW

__all__ = ["load_accounts", "read_tables", "LoadedTables", "RECORD_ROW"]
