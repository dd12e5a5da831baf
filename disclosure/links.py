"""Where pages live inside a unit-year's folder, and how one page links to a table cell.

Site layout (every link relative, every page an explicit .html file so file:// works):

    <out>/index.html                              portal of all units and years
    <out>/<unit>/<year>/index.html                the report
    <out>/<unit>/<year>/tables/index.html         all tables on one page
    <out>/<unit>/<year>/tables/<table_key>.html   one table
    <out>/<unit>/<year>/tables/<table_key>.csv    its data
    <out>/<unit>/<year>/tables/source/<year>.xlsx the published tables as a workbook (review: the unit's own file)
    <out>/<unit>/<year>/review.html               check findings (review build only)
    <out>/<unit>/<year>/facts.json                every fact with value, unit, cells, formula (review build only)
"""
from __future__ import annotations

from disclosure.model import CellRef

TABLES_DIR = "tables"


def cell_anchor(table_key: str, cell: str) -> str:
    """The id of a table cell, the same on the table's own page and on the all-tables page."""
    return f"cell-{table_key}-{cell}"


def table_page(table_key: str) -> str:
    """A table page's path relative to the unit-year folder."""
    return f"{TABLES_DIR}/{table_key}.html"


def cell_href(ref: CellRef, *, from_tables_dir: bool = False, other_year: int | None = None) -> str:
    """Link from the report page (or from a page inside tables/) to one cell of its table; a cell of
    ``other_year``'s tables (the prior year's) is on that year's pages, in the folder beside this one."""
    page = f"{ref.table}.html" if from_tables_dir else table_page(ref.table)
    href = f"{page}#{cell_anchor(ref.table, ref.cell)}"
    return href if other_year is None else f"../{other_year}/{href}"
