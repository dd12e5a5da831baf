"""执行进度 against 序时进度, per line, per group and in total."""
from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from disclosure.check.finding import Finding
from disclosure.errors import InputError, Problem
from disclosure.money import percent, round_half_up
from disclosure.monitoring.checks import check_monitoring
from disclosure.monitoring.model import MonitoringLine, MonitoringSheet

ZERO = Decimal("0")
REACHED, BELOW, NO_BUDGET = "reached", "below", "no_budget"


def schedule_progress(as_of: date, target: Decimal | None = None, by_days: bool = False,
                      places: int = 2) -> tuple[Decimal, str]:
    """序时进度 (percent) and how it was set: a given target wins; else months elapsed at the end of
    the as-of month ÷ 12 (June → 50.00); or, by days, days elapsed including as-of ÷ days in the year."""
    if target is not None:
        return round_half_up(target, places), f"财政部门确定的序时进度{round_half_up(target, places)}%"
    if by_days:
        days = 366 if calendar.isleap(as_of.year) else 365
        elapsed = as_of.timetuple().tm_yday
        return percent(Decimal(elapsed), Decimal(days), places), f"按天数计算：已过{elapsed}天 ÷ 全年{days}天"
    return percent(Decimal(as_of.month), Decimal(12), places), f"按月份计算：已过{as_of.month}个月 ÷ 12个月"


@dataclass
class Progress:
    """Figures of a line, a group or the total, and how they stand against 序时进度."""

    name: str
    carryover: Decimal
    budget: Decimal
    total: Decimal
    paid: Decimal
    progress: Decimal | None  # 执行进度 %, rounded half up; None without a budget
    schedule: Decimal
    line: MonitoringLine | None = None
    reason: str = ""
    next_steps: str = ""

    @property
    def gap(self) -> Decimal:
        """Percentage points below 序时进度 (0 when reached)."""
        if self.progress is None or self.progress >= self.schedule:
            return ZERO.quantize(self.schedule)
        return self.schedule - self.progress

    @property
    def status(self) -> str:
        if self.progress is None:
            return NO_BUDGET
        return REACHED if self.progress >= self.schedule else BELOW

    @property
    def status_text(self) -> str:
        if self.status == NO_BUDGET:
            return "无预算"
        if self.status == REACHED:
            return "已达到序时进度"
        return f"低于序时进度{self.gap}个百分点"

    @property
    def unpaid(self) -> bool:
        return self.paid == 0 and self.total > 0


@dataclass
class MonitoringReport:
    """A monitoring workbook evaluated at one date."""

    sheet: MonitoringSheet
    as_of: date
    schedule: Decimal
    basis: str
    lines: list[Progress]
    groups: list[Progress]
    total: Progress
    findings: list[Finding] = field(default_factory=list)
    summary: str = ""  # the unit's own overall narrative, from content

    @property
    def unpaid(self) -> list[Progress]:
        return [p for p in self.lines if p.unpaid]

    @property
    def below(self) -> list[Progress]:
        return [p for p in self.lines if p.status == BELOW]


def _progress(name: str, lines: list[MonitoringLine], schedule: Decimal, places: int,
              line: MonitoringLine | None = None) -> Progress:
    def s(key: str) -> Decimal:
        return sum((ln.value(key) for ln in lines), ZERO)

    total, paid = s("total"), s("paid")
    return Progress(name, s("carryover"), s("budget"), total, paid, percent(paid, total, places), schedule, line)


def evaluate_monitoring(sheet: MonitoringSheet, as_of: date | None = None, target: Decimal | None = None,
                        by_days: bool = False, notes: dict | None = None, places: int = 2) -> MonitoringReport:
    """Evaluate every line, group and the total. ``as_of`` defaults to the date the workbook gives
    (file name, 截至…日, or a title's 1-7月); ``target`` (序时进度 set by the finance department) wins,
    then a 序时进度 the workbook states, then the computed one; ``notes`` are the unit's reasons and
    next steps (see ``load_monitoring_notes``)."""
    as_of = as_of or sheet.as_of
    if as_of is None:
        raise InputError(Problem("不知道监控表的截至日期。请把文件命名为 YYYY-MM-DD.xlsx，或用 --as-of 指定日期。", file=sheet.file))
    if target is None and sheet.stated_schedule is not None:
        stated = sheet.stated_schedule
        schedule = round_half_up(stated.value, places)
        basis = f"监控表写明的序时进度{schedule}%（{stated.where}）"
    else:
        schedule, basis = schedule_progress(as_of, target, by_days, places)
    notes = notes or {}
    by_line = notes.get("lines", {})
    lines = []
    for ln in sheet.lines:
        p = _progress(ln.name, [ln], schedule, places, ln)
        own = by_line.get(ln.number) or by_line.get(ln.name) or {}
        p.reason, p.next_steps = own.get("reason", ""), own.get("next_steps", "")
        lines.append(p)
    groups = [_progress(g, [ln for ln in sheet.top_lines if ln.group == g], schedule, places) for g in sheet.group_names()]
    total = _progress("合计", sheet.top_lines, schedule, places)
    return MonitoringReport(sheet, as_of, schedule, basis, lines, groups, total, check_monitoring(sheet),
                            str(notes.get("summary", "")))

