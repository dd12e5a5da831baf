"""The objects that flow between the stages: cell references, tables, one unit-year's accounts."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Iterator

if TYPE_CHECKING:  # pragma: no cover
    import pandas

    from disclosure.standard import TableSpec

ZERO = Decimal("0")


@dataclass(frozen=True, order=True)
class CellRef:
    """Where a value came from: file (relative to the project), sheet name, A1 address, and the
    key of the table it belongs to (so that a page can link to it)."""

    file: str
    sheet: str
    cell: str
    table: str = ""

    def __str__(self) -> str:
        return f"{self.sheet}!{self.cell}"


@dataclass
class Row:
    """One row of a table: an item (合计, 本年收入合计 …) or a classification code row.

    ``key`` is unique within its table: the item key or the code, prefixed by the block key for
    tables made of side-by-side blocks (``income.year_total``, ``expenditure.204``).
    """

    key: str
    label: str
    code: str | None = None
    level: int | None = None  # 1 类, 2 款, 3 项 for classification rows; None for items
    block: str | None = None
    values: dict[str, Decimal] = field(default_factory=dict)
    cells: dict[str, CellRef] = field(default_factory=dict)
    unit: str | None = None  # a count unit (辆, 个, 人次) for rows that are not money

    def value(self, column: str) -> Decimal:
        return self.values.get(column, ZERO)


@dataclass
class Table:
    """One loaded 公开表: its spec, its rows in sheet order, where it came from."""

    spec: "TableSpec"
    rows: list[Row]
    file: str
    sheet: str
    source_unit: str = "万元"  # the unit the workbook stated; values are always 万元
    empty: bool = False  # every value cell blank (a 空表), as opposed to typed zeros
    title_cell: CellRef | None = None
    notes: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._by_key = {row.key: row for row in self.rows}

    @property
    def key(self) -> str:
        return self.spec.key

    def __contains__(self, row_key: str) -> bool:
        return row_key in self._by_key

    def __iter__(self) -> Iterator[Row]:
        return iter(self.rows)

    def row(self, row_key: str) -> Row | None:
        return self._by_key.get(row_key)

    def value(self, row_key: str, column: str) -> Decimal:
        row = self._by_key.get(row_key)
        return row.value(column) if row else ZERO

    def cell(self, row_key: str, column: str) -> CellRef | None:
        row = self._by_key.get(row_key)
        return row.cells.get(column) if row else None

    def code_rows(self, level: int | None = None, block: str | None = None) -> list[Row]:
        """Classification rows, optionally of one level (1 类, 2 款, 3 项) and one block."""
        return [
            r
            for r in self.rows
            if r.code is not None
            and (level is None or r.level == level)
            and (block is None or r.block == block)
        ]

    def frame(self) -> "pandas.DataFrame":
        """The table as a pandas DataFrame (Decimal values, row keys as index)."""
        import pandas as pd

        columns = [c.key for c in self.spec.all_columns()]
        data = {r.key: {c: r.values.get(c) for c in columns} for r in self.rows}
        df = pd.DataFrame.from_dict(data, orient="index", columns=columns, dtype=object)
        df.insert(0, "label", [r.label for r in self.rows])
        return df


@dataclass
class Accounts:
    """Everything loaded for one unit and one year, plus the prior year when its tables exist."""

    unit: str  # ASCII slug used in URLs
    year: int
    unit_name: str
    table_set: str
    tables: dict[str, Table]
    files: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    # (message, cell) the loader asks the user to look at: a 科目 name or code off that year's official list
    warnings: list[tuple[str, CellRef]] = field(default_factory=list)
    prior: "Accounts | None" = None

    def __contains__(self, table_key: str) -> bool:
        return table_key in self.tables

    def __getitem__(self, table_key: str) -> Table:
        return self.tables[table_key]

    def get(self, table_key: str) -> Table | None:
        return self.tables.get(table_key)
