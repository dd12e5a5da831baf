"""The features of the pipeline, listed once: 绩效 (the 部门整体支出绩效评价 page, its 第二部分 subsection
and its init file) and 执行进度 monitoring (its pages and ``init --monitoring``).

A new feature fills the hooks of ``disclosure.hooks.Feature`` in its own package and is added here;
the site and ``init`` take what they need from this list and nothing registers itself on import.
"""
from __future__ import annotations

from disclosure.hooks import BlockProvider, Feature, PageProvider, Scaffold
from disclosure.monitoring.page import monitoring_pages
from disclosure.monitoring.scaffold import SCAFFOLD as MONITORING_SCAFFOLD
from disclosure.performance.page import performance_pages
from disclosure.performance.pipeline import evaluate as evaluate_performance
from disclosure.performance.pipeline import performance_findings_of, stated_staff
from disclosure.performance.report_section import performance_section
from disclosure.performance.scaffold import SCAFFOLD as PERFORMANCE_SCAFFOLD

FEATURES: tuple[Feature, ...] = (
    Feature("performance", evaluate=evaluate_performance, findings=performance_findings_of, pages=performance_pages, report_section=performance_section, scaffold=PERFORMANCE_SCAFFOLD, staff=stated_staff),
    Feature("monitoring", pages=monitoring_pages, scaffold=MONITORING_SCAFFOLD),
)


def evaluated_features() -> tuple[Feature, ...]:
    """The features that evaluate something per unit-year (their results feed pages, text and checks)."""
    return tuple(f for f in FEATURES if f.evaluate is not None)


def stated_staff_of(results: dict) -> "tuple | None":
    """实有人数 as the first feature whose input states it says (``results``: each feature's by name)."""
    for f in FEATURES:
        if f.staff is not None and results.get(f.name) is not None:
            staff = f.staff(results[f.name])
            if staff is not None:
                return staff
    return None


def feature_pages() -> tuple[PageProvider, ...]:
    return tuple(f.pages for f in FEATURES if f.pages is not None)


def feature_sections() -> tuple[BlockProvider, ...]:
    return tuple(f.report_section for f in FEATURES if f.report_section is not None)


def feature_scaffolds() -> tuple[Scaffold, ...]:
    return tuple(f.scaffold for f in FEATURES if f.scaffold is not None)
