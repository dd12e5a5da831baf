"""The small types a feature (绩效, 执行进度 monitoring, …) plugs into the pipeline with.

A feature never imports the site or the commands: it is handed a ``UnitYearContext`` (with the site's
template renderer) and returns pages, report blocks and charts as plain data; for ``disclosure init`` it
plans files through an ``InitContext``. ``disclosure/features.py`` lists the features once.
"""
from __future__ import annotations

import argparse
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: Renders a theme template with a context: ``render("performance.html", {...}) -> str``.
Render = Callable[[str, Mapping[str, Any]], str]


@dataclass(frozen=True)
class ChartSpec:
    """One chart as data: fixed id, title, alt text, kind and unit, the series, the data table
    (category label, formatted values per series) and the drawing spec (JSON text)."""

    id: str
    title: str
    alt: str
    kind: str
    unit: str
    series: list[str]
    rows: list[tuple[str, list[str]]]
    spec_json: str


@dataclass(frozen=True)
class ExtraPage:
    """A page a feature adds to a unit-year: file name inside the unit-year folder, title, body HTML
    (sanitised again by the site) and the charts drawn under it."""

    filename: str
    title: str
    body_html: str
    charts: tuple[ChartSpec, ...] = ()


@dataclass(frozen=True)
class ReportBlock:
    """A subsection a feature adds to 第二部分 of the report: its title and HTML body."""

    title: str
    html: str


@dataclass(frozen=True)
class UnitYearContext:
    """What a feature builds its pages and blocks from."""

    project: Any
    accounts: Any
    facts: Any
    content: Any
    findings: list
    public: bool = False  # the public site: no sources, keys, flags or instructions on the page
    render: Render | None = None  # the site's theme renderer
    results: Mapping[str, Any] = field(default_factory=dict)  # each feature's evaluation, by feature name


@dataclass(frozen=True)
class ReportSection:
    """A numbered section a feature closes 第二部分 with (三、预算绩效评价工作开展情况): an id for its
    anchors, its title, its subsections and ``key``, the narrative section it stands for
    (``wording/sections.toml``): the style numbers it as that section, in the part that section is
    in, and a unit's own text of that section opens it."""

    id: str
    title: str
    blocks: tuple[ReportBlock, ...]
    key: str


PageProvider = Callable[[UnitYearContext], list[ExtraPage]]
#: (accounts, facts, project) → the feature's result for the unit-year, or None when it has no inputs.
Evaluator = Callable[[Any, Any, Any], Any]
#: (result, accounts, facts) → the check stage's findings about it.
FindingsOf = Callable[[Any, Any, Any], list]
#: a feature's result → the 实有人数 its input states and where (``(count, "file［key］")``), or None
StaffOf = Callable[[Any], "tuple[Any, str] | None"]
#: Given the unit-year and the pages the features made for it, the section it adds (or None).
BlockProvider = Callable[[UnitYearContext, list[ExtraPage]], "ReportSection | None"]


@dataclass(frozen=True)
class InitContext:
    """What a scaffold of ``disclosure init`` plans its files from."""

    root: Path
    unit: str
    year: int
    name: str | None
    table_set: Any
    args: argparse.Namespace
    previous: int | None = None  # the latest earlier year with texts: a new year starts from it


@dataclass(frozen=True)
class PlannedFile:
    """A file ``init`` will write: ``write(path)`` is called only after every plan is checked.
    ``must_be_new``: refuse the whole run when it exists (else an existing file is kept)."""

    path: Path
    write: Callable[[Path], None]
    must_be_new: bool = True


@dataclass(frozen=True)
class Scaffold:
    """One part of what ``init`` writes; may add its own command-line options."""

    name: str
    plan: Callable[[InitContext], list[PlannedFile]]
    add_arguments: Callable[[argparse.ArgumentParser], None] | None = None


@dataclass(frozen=True)
class Feature:
    """A feature of the pipeline and the hooks it fills (each optional)."""

    name: str
    evaluate: Evaluator | None = None  # computed once per unit-year by disclosure.pipeline
    findings: FindingsOf | None = None
    pages: PageProvider | None = None
    report_section: BlockProvider | None = None
    scaffold: Scaffold | None = None
    staff: StaffOf | None = None  # the check stage sets 人员经费 per person against it
