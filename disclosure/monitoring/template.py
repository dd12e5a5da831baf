"""Write a monitoring workbook (blank, or filled for examples and tests) with openpyxl."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from disclosure.monitoring.reader import monitoring_format

HEADERS = ("序号", "项目名称", "上年结转", "本年预算", "预算合计", "已支付")
GROUPS = ("人员经费和公用经费", "项目经费")


@dataclass(frozen=True)
class TemplateRow:
    """One row to write: a number (may be ''), a name (indent with leading spaces), figures or None."""

    number: str
    name: str
    carryover: Decimal | None = None
    budget: Decimal | None = None
    total: Decimal | None = None
    paid: Decimal | None = None


def write_monitoring_workbook(path: Path | str, rows: list[TemplateRow], *, as_of: date | None = None,
                              unit_name: str = "", unit: str = "万元") -> Path:
    """A monitoring workbook: title, unit line, header, the given rows; numbers stored as numbers."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side


    path = Path(path)
    wb = Workbook()
    ws = wb.active
    ws.title = monitoring_format()["sheet"]
    ws["A1"] = monitoring_format()["title"]
    ws["A1"].font = Font(bold=True, size=14)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.merge_cells("A1:F1")
    ws["A2"] = f"单位名称：{unit_name}"
    ws["C2"] = f"截至{as_of.year}年{as_of.month}月{as_of.day}日" if as_of else "截至    年  月  日"
    ws["F2"] = f"单位：{unit}"
    thin = Side(style="thin")
    for c, text in enumerate(HEADERS, start=1):
        cell = ws.cell(row=3, column=c, value=text)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center")
        cell.border = Border(top=thin, bottom=thin, left=thin, right=thin)
    for r, row in enumerate(rows, start=4):
        ws.cell(row=r, column=1, value=row.number or None)
        ws.cell(row=r, column=2, value=row.name)
        for c, value in enumerate((row.carryover, row.budget, row.total, row.paid), start=3):
            cell = ws.cell(row=r, column=c, value=value)
            cell.number_format = "#,##0.00"
    for letter, width in zip("ABCDEF", (8, 40, 14, 14, 14, 14)):
        ws.column_dimensions[letter].width = width
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def write_monitoring_template(path: Path | str, as_of: date | None = None, unit_name: str = "") -> Path:
    """A blank monitoring workbook: the two optional group rows, room for lines, and a 合计 row."""
    rows = [TemplateRow("", GROUPS[0]), TemplateRow("1", ""), TemplateRow("", GROUPS[1]), TemplateRow("2", ""),
            TemplateRow("2.1", ""), TemplateRow("", "合计")]
    return write_monitoring_workbook(path, rows, as_of=as_of, unit_name=unit_name)
