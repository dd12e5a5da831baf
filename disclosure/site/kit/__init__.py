"""The publication kit of a unit-year, written after its pages: ``<unit>/<year>/kit/``.

A county department publishes through its portal's CMS and circulates the report for approval as
a document, so beside the pages a public build writes the kit: ``report.pdf`` (the whole report with
every 公开表, for the attachment), ``report.docx`` (the same as an editable Word document, for 审批 and
保密审查), ``fragment.html`` (the body for the CMS editor), ``metadata.json``/``.xml`` (the 政务公开
fields configured) and one zip of all of them with the tables' CSV files and the public workbook,
named for the unit and year. It is a build step of the public site, not a feature, and lives in the
site's package (it writes with the site's writer, inlines the site's theme and passes the site's
public check); ``--no-kit`` leaves it out. Everything in it is made from what the report page was
rendered from.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from disclosure.links import TABLES_DIR
from disclosure.site.output import write
from disclosure.site.public_check import require_public, require_public_text

KIT_DIR = "kit"
REPORT_PDF = f"{KIT_DIR}/report.pdf"
REPORT_DOCX = f"{KIT_DIR}/report.docx"
FRAGMENT = f"{KIT_DIR}/fragment.html"
METADATA_JSON = f"{KIT_DIR}/metadata.json"
METADATA_XML = f"{KIT_DIR}/metadata.xml"
_UNSAFE_NAME = re.compile(r'[\\/:*?"<>|\x00-\x1f]')  # what a Windows file name may not hold

#: What each file of the zip is for (its 说明.txt), in the zip's order.
README_LINES = (
    "本压缩包是{title}的发布材料，由决算公开报告生成器从公开版网站的同一份内容生成：",
    "",
    "{pdf}：完整报告（封面、第一部分至第五部分、全部公开表），作为附件上传门户网站或打印；",
    "{docx}：同一报告的 Word 文档，供审批、保密审查和主要负责人审签时修改（改动后请在公开表与文稿中同样改正，再重新生成）；",
    "门户正文.html：报告正文与全部公开表的网页片段，用门户内容管理系统编辑器的“源代码”方式粘贴，不含脚本和样式；",
    "政务公开信息.json、政务公开信息.xml：项目设置中填写的政府信息公开属性（索引号、发布机构、成文日期、发布日期、主题分类、体裁分类、文号、有效性；未填写的不列出）；",
    "公开表/：每张公开表的 CSV 数据文件和只含公开表的电子表格（Excel）。",
)


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
    parts: list[Any] = field(default_factory=list)  # the report page's parts (disclosure.site.outline.Part)
    views: list[Any] = field(default_factory=list)  # its 公开表 (disclosure.site.tables.TableView)
    charts: list[Any] = field(default_factory=list)  # its charts (ChartView)
    fields: dict[str, str] = field(default_factory=dict)  # the configured 政务公开 fields (Project.publication_fields)
    workbook: str = ""  # the public workbook, relative to the folder ("" when there is none)


def zip_name(unit_name: str, year: int) -> str:
    """``巴彦淖尔市公安局交通管理支队2021年度部门决算公开.zip``, inside ``kit/``."""
    return f"{KIT_DIR}/{safe_name(unit_name)}{year}年度部门决算公开.zip"


def safe_name(text: str) -> str:
    return _UNSAFE_NAME.sub("_", text).strip() or "_"


def kit_links(unit_name: str, year: int) -> list[tuple[str, str]]:
    """(label, path) of the kit's files the report page offers, in its order."""
    return [("完整报告（PDF 文件，含全部公开表，可打印）", REPORT_PDF),
            ("可编辑的报告（Word 文档，供审批修改）", REPORT_DOCX),
            ("发布材料包（ZIP：PDF、Word、门户正文、政务公开信息、公开表数据）", zip_name(unit_name, year))]


def write_kit(kit: KitInput) -> list[str]:
    """Write the kit's files into ``kit.folder``; return their paths relative to it."""
    from disclosure.site.kit.docx import DocxInput, report_docx
    from disclosure.site.kit.fragment import report_fragment
    from disclosure.site.kit.metadata import metadata_json, metadata_xml
    from disclosure.site.kit.pdf import Cover, write_report_pdf
    from disclosure.site.kit.zips import zip_entries

    cover = Cover(kit.unit_name, kit.year, kit.publisher, kit.publish_date)
    pdf = write_report_pdf(kit.report_html, kit.folder, kit.project_root, cover, kit.css_prefix, kit.title)
    docx = report_docx(DocxInput(kit.title, kit.unit_name, kit.year, kit.publisher, kit.publish_date,
                                 kit.parts, kit.views, kit.charts))
    meta = f"发布机构：{kit.publisher}" + (f"　发布日期：{kit.publish_date}" if kit.publish_date else "")
    fragment = report_fragment(kit.title, meta, kit.parts, kit.views, kit.charts, kit.unit_name)
    require_public(fragment, FRAGMENT)
    as_json, as_xml = metadata_json(kit.fields), metadata_xml(kit.fields)
    require_public_text(as_json, METADATA_JSON, "本单位年度")
    files = {REPORT_PDF: pdf, REPORT_DOCX: docx, FRAGMENT: fragment.encode(), METADATA_JSON: as_json.encode(),
             METADATA_XML: as_xml.encode()}
    base = safe_name(kit.title)
    entries = [(f"{base}.pdf", pdf), (f"{base}.docx", docx), ("门户正文.html", fragment.encode()),
               ("政务公开信息.json", as_json.encode()), ("政务公开信息.xml", as_xml.encode())]
    for view in kit.views:
        csv_file = kit.folder / TABLES_DIR / f"{view.key}.csv"
        if csv_file.is_file():
            entries.append((f"公开表/{safe_name(f'{view.marker} {view.title}'.strip())}.csv", csv_file.read_bytes()))
    if kit.workbook and (kit.folder / kit.workbook).is_file():
        entries.append(("公开表/全部公开表.xlsx", (kit.folder / kit.workbook).read_bytes()))
    readme = "\n".join(README_LINES).format(title=kit.title, pdf=f"{base}.pdf", docx=f"{base}.docx")
    entries.append(("说明.txt", (readme + "\n").replace("\n", "\r\n").encode("utf-8-sig")))  # Notepad's own form
    files[zip_name(kit.unit_name, kit.year)] = zip_entries(entries)
    for rel, data in files.items():
        write(kit.folder / rel, data)
    return list(files)
