"""A MonitoringReport as JSON (for machines) and as plain text (for a terminal)."""
from __future__ import annotations

import json
from decimal import Decimal

from disclosure.money import format_amount
from disclosure.monitoring.evaluate import MonitoringReport, Progress


def _money(value: Decimal) -> str:
    return f"{value:.2f}" if value == value.quantize(Decimal("0.01")) else format(value.normalize(), "f")


def _progress(p: Progress) -> dict:
    out = {
        "name": p.name,
        "carryover": _money(p.carryover),
        "budget": _money(p.budget),
        "total": _money(p.total),
        "paid": _money(p.paid),
        "progress": str(p.progress) if p.progress is not None else None,
        "status": p.status,
        "status_text": p.status_text,
        "gap": str(p.gap) if p.progress is not None else None,
        "unpaid": p.unpaid,
    }
    if p.line is not None:
        ln = p.line
        out.update({
            "key": ln.key,
            "number": ln.number,
            "level": ln.level,
            "group": ln.group,
            "parent": ln.parent.key if ln.parent is not None else None,
            "row": ln.row,
            "cells": {k: str(c) for k, c in sorted(ln.cells.items())},
            "stated": {k: str(v) for k, v in sorted(ln.percents.items())},  # 执行率 / 序时进度 as written
            "reason": p.reason,
            "next_steps": p.next_steps,
        })
    return out


def monitoring_data(report: MonitoringReport) -> dict:
    """Plain data with exact decimal strings (万元 and %), stable key order."""
    return {
        "file": report.sheet.file,
        "sheet": report.sheet.sheet,
        "unit_name": report.sheet.unit_name,
        "as_of": report.as_of.isoformat(),
        "schedule": str(report.schedule),
        "schedule_basis": report.basis,
        "unit": "万元",
        "lines": [_progress(p) for p in report.lines],
        "groups": [_progress(p) for p in report.groups],
        "total": _progress(report.total),
        "unpaid": [p.line.key for p in report.unpaid if p.line is not None],
        "findings": [f.to_dict() for f in report.findings],
        "summary": report.summary,
    }


def monitoring_json(report: MonitoringReport) -> str:
    return json.dumps(monitoring_data(report), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def monitoring_text(report: MonitoringReport) -> str:
    """One line per budget line, then groups, total, 未支出 and findings."""
    d = report.as_of
    out = [f"截至{d.year}年{d.month}月{d.day}日，序时进度{report.schedule}%（{report.basis}）。单位：万元"]
    for p in report.lines:
        ln = p.line
        indent = "  " * (ln.level - 1) if ln is not None else ""
        num = f"{ln.number} " if ln is not None and ln.number else ""
        prog = f"{p.progress}%" if p.progress is not None else "—"
        out.append(f"{indent}{num}{p.name}：预算合计{format_amount(p.total)}，已支付{format_amount(p.paid)}，"
                   f"执行进度{prog}，{p.status_text}")
    for p in [*report.groups, report.total]:
        prog = f"{p.progress}%" if p.progress is not None else "—"
        out.append(f"【{p.name}】预算合计{format_amount(p.total)}，已支付{format_amount(p.paid)}，执行进度{prog}，{p.status_text}")
    if report.unpaid:
        out.append("未支出：" + "、".join(p.name for p in report.unpaid))
    for f in report.findings:
        where = "、".join(str(c) for c in f.cells)
        out.append(f"{f.label}：{f.message}" + (f"（{where}）" if where else ""))
    return "\n".join(out) + "\n"
