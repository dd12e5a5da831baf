"""Arithmetic of a monitoring workbook, as check-stage findings naming the cells: sub-lines sum to
their line, groups and the 合计 row sum their lines, 预算合计 = 上年结转 + 本年预算 (+ 调整预算),
已支付 ≤ 预算合计, and a stated 执行率 agrees with 已支付 ÷ 预算合计."""
from __future__ import annotations

from decimal import Decimal

from disclosure.check.finding import Finding
from disclosure.model import CellRef
from disclosure.money import format_amount, percent, round_half_up
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
            parts = line.value("carryover") + line.value("budget") + line.value("adjustment")
            words = "上年结转、本年预算与调整预算之和" if "adjustment" in c else "上年结转与本年预算之和"
            if _differs(v["total"], parts):
                out.append(Finding(
                    "error", "monitoring.line_total",
                    f"“{line.name}”的预算合计{format_amount(v['total'])}万元（{c['total']}）不等于{words}"
                    f"{format_amount(parts)}万元，相差{format_amount(v['total'] - parts)}万元。请核对后修改。",
                    _cells([c.get("total"), c.get("carryover"), c.get("budget"), c.get("adjustment")]), TABLE_KEY,
                    description="预算合计应等于上年结转加本年预算（及调整预算）",
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
        out += _stated_rate(f"“{name}”", row.percents, row.cells, members)
    if sheet.total_row is not None:
        out += _stated("monitoring.total_sum", "合计行", sheet.total_row, sheet.top_lines, "各项目")
        out += _stated_rate("合计行", sheet.total_row.percents, sheet.total_row.cells, sheet.top_lines)
    for line in sheet.lines:
        out += _stated_rate(f"“{line.name}”", line.percents, line.cells, [line])
    return out


def _places(stated: Decimal) -> int:
    exponent = stated.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def _stated_rate(what: str, percents: dict[str, Decimal], cells: dict[str, CellRef],
                 lines: list[MonitoringLine]) -> list[Finding]:
    """A 执行率 the sheet states must be 已支付 ÷ 预算合计 to within one unit of its last written
    decimal (so 25.1% for 25.14%, or a truncated 25.13%, passes); a warning otherwise, since the
    sheet may divide by another base (本年预算 without 上年结转)."""
    if "rate" not in percents:
        return []
    stated = percents["rate"]
    total = sum((ln.total for ln in lines), ZERO)
    paid = sum((ln.paid for ln in lines), ZERO)
    computed = percent(paid, total, 6)
    if computed is None:
        return []
    places = min(_places(stated), 4)
    if abs(stated - computed) < Decimal(1).scaleb(-places):
        return []
    shown = percent(paid, total, max(places, 2))
    return [Finding(
        "warning", "monitoring.stated_rate",
        f"{what}写明的执行率{stated}%（{cells['rate']}）与已支付÷预算合计算得的{shown}%"
        f"（{format_amount(paid)}万元÷{format_amount(total)}万元）不一致。请核对执行率或金额；"
        "页面上使用按金额算得的执行进度。",
        _cells([cells.get("rate"), *(c for ln in lines for c in (ln.cells.get("paid"), ln.cells.get("total")))][:5]),
        TABLE_KEY,
        description="写明的执行率应等于已支付除以预算合计",
    )]
