"""The objects of a monitoring workbook: budget lines (nested), groups, the stated total row."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from disclosure.model import CellRef

ZERO = Decimal("0")
FIGURES = ("carryover", "budget", "adjustment", "total", "paid")
FIGURE_LABELS = {"carryover": "上年结转", "budget": "本年预算", "adjustment": "调整预算", "total": "预算合计", "paid": "已支付"}
PERCENTS = ("rate", "schedule")  # percent columns as stated in the sheet (执行率, 序时进度)
PERCENT_LABELS = {"rate": "执行率", "schedule": "序时进度"}
TABLE_KEY = "monitoring"


@dataclass
class MonitoringLine:
    """One budget line (or sub-line) with its figures in 万元 and the cells they came from."""

    key: str  # the number as written (1, 1.1) or r<row> when unnumbered; unique in the sheet
    number: str
    name: str
    level: int  # 1 for a line, 2 for its sub-lines …
    row: int  # 1-based sheet row
    group: str | None = None
    values: dict[str, Decimal] = field(default_factory=dict)
    cells: dict[str, CellRef] = field(default_factory=dict)  # figures' and stated percents' cells
    percents: dict[str, Decimal] = field(default_factory=dict)  # stated 执行率 / 序时进度, in percent
    children: list["MonitoringLine"] = field(default_factory=list)
    parent: "MonitoringLine | None" = field(default=None, repr=False)

    def value(self, figure: str) -> Decimal:
        return self.values.get(figure, ZERO)

    @property
    def total(self) -> Decimal:
        return self.value("total")

    @property
    def paid(self) -> Decimal:
        return self.value("paid")


@dataclass
class StatedRow:
    """A group row or the 合计 row as written: its figures (possibly blank) and cells."""

    name: str
    row: int
    values: dict[str, Decimal] = field(default_factory=dict)
    cells: dict[str, CellRef] = field(default_factory=dict)
    percents: dict[str, Decimal] = field(default_factory=dict)
    label: str = ""  # the name as written (一、人员经费和公用经费)


@dataclass
class StatedSchedule:
    """A 序时进度 the workbook states (in its title, a note line or a 序时进度 column), and where."""

    value: Decimal  # percent
    where: str  # 执行进度!H5, or 执行进度!A1 for a title


@dataclass
class MonitoringSheet:
    """One monitoring workbook as read: every line in sheet order (top-level and nested)."""

    file: str
    sheet: str
    lines: list[MonitoringLine]
    as_of: date | None = None  # from the file name (YYYY-MM-DD), 截至…日, or a title's 1-7月
    unit_name: str = ""
    source_unit: str = "万元"
    groups: dict[str, StatedRow] = field(default_factory=dict)  # group name → its row
    total_row: StatedRow | None = None
    stated_schedule: StatedSchedule | None = None

    @property
    def top_lines(self) -> list[MonitoringLine]:
        return [line for line in self.lines if line.parent is None]

    def line(self, key: str) -> MonitoringLine | None:
        return next((line for line in self.lines if line.key == key), None)

    def group_names(self) -> list[str]:
        seen: list[str] = []
        for line in self.top_lines:
            if line.group and line.group not in seen:
                seen.append(line.group)
        return seen
