"""A check finding: what is wrong (or merely rounded), where, and how sure we are."""
from __future__ import annotations

from dataclasses import dataclass, field

from disclosure.links import cell_href
from disclosure.model import CellRef

SEVERITIES = ("error", "warning", "notice")
SEVERITY_LABELS = {"error": "错误", "warning": "警告", "notice": "提示"}


@dataclass(frozen=True)
class Finding:
    """One result of a rule. ``cells`` lists every cell the rule read, the compared side first;
    ``table`` is the key of the table the finding is filed under (None for unit-year findings)."""

    severity: str
    rule: str
    message: str
    cells: tuple[CellRef, ...] = ()
    table: str | None = None
    description: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise ValueError(f"unknown severity {self.severity!r}")

    @property
    def label(self) -> str:
        """错误 / 警告 / 提示."""
        return SEVERITY_LABELS[self.severity]

    def to_dict(self) -> dict:
        """Plain data for JSON and for the site's review page (links relative to the report page)."""
        return {
            "severity": self.severity,
            "label": self.label,
            "rule": self.rule,
            "description": self.description,
            "message": self.message,
            "table": self.table,
            "cells": [
                {
                    "file": c.file,
                    "sheet": c.sheet,
                    "cell": c.cell,
                    "table": c.table,
                    "ref": str(c),
                    "href": cell_href(c) if c.table else None,
                }
                for c in self.cells
            ],
        }


def errors_of(findings: list[Finding]) -> list[Finding]:
    """The findings that stop a build."""
    return [f for f in findings if f.severity == "error"]


def count_by_severity(findings: list[Finding]) -> dict[str, int]:
    """{"error": n, "warning": n, "notice": n}, every key present."""
    counts = dict.fromkeys(SEVERITIES, 0)
    for f in findings:
        counts[f.severity] += 1
    return counts


def summary_line(findings: list[Finding]) -> str:
    """One Chinese sentence for a terminal or a banner: 未通过校验：错误 2 条，警告 1 条，提示 4 条。"""
    counts = count_by_severity(findings)
    verdict = "未通过校验" if counts["error"] else "通过校验"
    parts = "，".join(f"{SEVERITY_LABELS[s]} {counts[s]} 条" for s in SEVERITIES)
    return f"{verdict}：{parts}。"
