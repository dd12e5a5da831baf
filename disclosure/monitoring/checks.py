"""Arithmetic of a monitoring workbook, as check-stage findings naming the cells: sub-lines sum to
their line, groups and the 合计 row sum their lines, 预算合计 = 上年结转 + 本年预算, 已支付 ≤ 预算合计."""
from __future__ import annotations

from decimal import Decimal

from disclosure.check.finding import Finding
from disclosure.model import CellRef
from disclosure.money import format_amount, round_half_up
from disclosure.monitoring.model import FIGURE_LABELS, FIGURES, TABLE_KEY, MonitoringLine, MonitoringSheet, StatedRow

ZERO = Decimal("0")


def _differs(a: Decimal, b: Decimal) -> bool:
    return round_half_up(a, 2) != round_half_up(b, 2)


def _cells(refs: list[CellRef | None]) -> tuple[CellRef, ...]:
    return tuple(r for r in refs if r is not None)


def _sum_finding(rule: str, what: str, figure: str, stated: Decimal, stated_cell: CellRef,
                 parts: list[MonitoringLine], part_word: str) -> Finding:
    total = sum((p.value(figure) for p in parts), ZERO)
    part_cells = [p.cells.get(figure) for p in parts]
    listed = "、".join(c.cell for c in part_cells if c is not None) or "各行"
    return Finding(
        "error",
        rule,
        f"{what}的{FIGURE_LABELS[figure]}{format_amount(stated)}万元（{stated_cell}）不等于{part_word}之和"
        f"{format_amount(total)}万元（{listed}），相差{format_amount(stated - total)}万元。请核对后修改。",
        _cells([stated_cell, *part_cells]),
        TABLE_KEY,
        description=f"{part_word}之和应等于{what}",
    )


def _stated(rule: str, what: str, row: StatedRow, parts: list[MonitoringLine], part_word: str) -> list[Finding]:
    out = []
    for figure in FIGURES:
        if figure in row.cells:
            total = sum((p.value(figure) for p in parts), ZERO)
            if _differs(row.values[figure], total):
                out.append(_sum_finding(rule, what, figure, row.values[figure], row.cells[figure], parts, part_word))
    return out


def check_monitoring(sheet: MonitoringSheet) -> list[Finding]:
    """Every arithmetic problem of the workbook; errors for broken sums, warnings for overpayment."""
    out: list[Finding] = []
    for line in sheet.lines:
        v, c = line.values, line.cells
        if line.children:
            for figure in FIGURES:
                if figure in c:
                    total = sum((ch.value(figure) for ch in line.children), ZERO)
                    if _differs(v[figure], total):
                        out.append(_sum_finding("monitoring.sub_lines", f"“{line.name}”", figure, v[figure], c[figure],
                                                line.children, "其下各子项"))
        if "total" in c and ("carryover" in c or "budget" in c):
            parts = line.value("carryover") + line.value("budget")
            if _differs(v["total"], parts):
                out.append(Finding(
                    "error", "monitoring.line_total",
                    f"“{line.name}”的预算合计{format_amount(v['total'])}万元（{c['total']}）不等于上年结转与本年预算之和"
                    f"{format_amount(parts)}万元，相差{format_amount(v['total'] - parts)}万元。请核对后修改。",
                    _cells([c.get("total"), c.get("carryover"), c.get("budget")]), TABLE_KEY,
                    description="预算合计应等于上年结转加本年预算",
                ))
        if line.paid > line.total:
            out.append(Finding(
                "warning", "monitoring.overpaid",
                f"“{line.name}”已支付{format_amount(line.paid)}万元，超过预算合计{format_amount(line.total)}万元。请核对。",
                _cells([c.get("paid"), c.get("total")]), TABLE_KEY,
                description="已支付不应超过预算合计",
            ))
    for name, row in sheet.groups.items():
        members = [ln for ln in sheet.top_lines if ln.group == name]
        out += _stated("monitoring.group_sum", f"“{name}”", row, members, "本组各项目")
    if sheet.total_row is not None:
        out += _stated("monitoring.total_sum", "合计行", sheet.total_row, sheet.top_lines, "各项目")
    return out
