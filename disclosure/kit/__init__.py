"""The publication kit of a unit-year, written after its pages: ``<unit>/<year>/kit/``.

A county department publishes through its portal's CMS and circulates the report for approval as
a document, so beside the pages a public build writes ``kit/report.pdf`` (the whole report with every
公开表, for the attachment) and ``kit/report.docx`` (the same as an editable Word document, for 审批
and 保密审查). It is a build step of the public site, not a feature; ``--no-kit``
leaves it out. Everything in it comes from the same page the site publishes.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

KIT_DIR = "kit"
REPORT_PDF = f"{KIT_DIR}/report.pdf"
REPORT_DOCX = f"{KIT_DIR}/report.docx"


@dataclass(frozen=True)
class KitInput:
    """What the kit is made of: the unit-year's folder, its written report page and its details."""

    folder: Path  # <out>/<unit>/<year>
    project_root: Path
    report_html: str  # the report page as written (class prefix applied)
    css_prefix: str
    unit_name: str
    year: int
    title: str  # the report's title
    publisher: str
    publish_date: str
    parts: list[Any] = field(default_factory=list)  # the report page's parts (disclosure.site.report.Part)
    views: list[Any] = field(default_factory=list)  # its 公开表 (disclosure.site.tables.TableView)
    charts: list[Any] = field(default_factory=list)  # its charts (ChartView)


def write_kit(kit: KitInput) -> list[str]:
    """Write the kit's files into ``kit.folder``; return their paths relative to it."""
    from disclosure.kit.docx import DocxInput, report_docx
    from disclosure.kit.pdf import Cover, write_report_pdf
    from disclosure.site.output import write

    cover = Cover(kit.unit_name, kit.year, kit.publisher, kit.publish_date)
    pdf = write_report_pdf(kit.report_html, kit.folder, kit.project_root, cover, kit.css_prefix, kit.title)
    write(kit.folder / REPORT_PDF, pdf)
    docx = report_docx(DocxInput(kit.title, kit.unit_name, kit.year, kit.publisher, kit.publish_date,
                                 kit.parts, kit.views, kit.charts))
    write(kit.folder / REPORT_DOCX, docx)
    return [REPORT_PDF, REPORT_DOCX]
