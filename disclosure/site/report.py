"""The report page's outline: five parts in the reference report's order, filled from the narrative's
sections (or, when there is no narrative, from content), with headings at consistent levels."""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

from disclosure.content import UnitContent
from disclosure.site.sanitize import clean_html, render_markdown, shift_headings, strip_leading_heading

PARTS = (
    ("第一部分", "第一部分 部门基本情况"),
    ("第二部分", "第二部分 {year}年度部门决算情况说明"),
    ("第三部分", "第三部分 名词解释"),
    ("第四部分", "第四部分 决算公开联系方式及信息反馈渠道"),
)
#: Content sections used when the narrative stage is absent: (part prefix, content key, title).
FALLBACK = (
    ("第一部分", "duties", "一、主要职能职责"),
    ("第一部分", "organization", "二、部门（单位）机构设置及决算单位构成情况"),
    ("第三部分", "glossary", "名词解释"),
    ("第四部分", "contact", "决算公开联系方式及信息反馈渠道"),
)
_YEAR = re.compile(r"\{\{\s*year\s*\}\}")
_FIG = re.compile(r'<a class="dc-fig" href="tables/([A-Za-z0-9_-]+)\.html#[^"]*"((?: title="[^"]*")?)>(.*?)</a>', re.S)


@dataclass
class Block:
    id: str
    title: str
    level: int
    html: str


@dataclass
class Part:
    id: str
    title: str
    blocks: list[Block] = field(default_factory=list)

    @property
    def prefix(self) -> str:
        return self.title.split(" ", 1)[0]


@lru_cache(maxsize=1)
def _groups() -> dict[str, str]:
    """Section key → group heading, from the narrative's sections.toml when it declares groups
    (read once per process: a package file)."""
    try:
        text = resources.files("disclosure.wording").joinpath("sections.toml").read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError):
        return {}
    return {s["key"]: s.get("group", "") for s in tomllib.loads(text).get("section", [])}


def unlink_missing(html: str, pages: set[str]) -> str:
    """Figure links to tables without a page (the unpublished 年初预算数表) become plain figures."""
    def repl(m: re.Match) -> str:
        return m.group(0) if m.group(1) in pages else f'<span class="dc-fig"{m.group(2)}>{m.group(3)}</span>'
    return _FIG.sub(repl, html)


_CELL_IN_TITLE = re.compile(r'(title="[^"]*?)!\$?[A-Z]{1,3}\$?[0-9]{1,7}')


def public_text(html: str) -> str:
    """A figure's tooltip for the public site: the table and row it comes from, without the
    workbook's cell reference (``收入支出决算总表!C38（“总计”决算数）`` → ``收入支出决算总表（“总计”决算数）``)."""
    previous = None
    while previous != html:
        previous, html = html, _CELL_IN_TITLE.sub(r"\1", html)
    return html


def public_parts(parts: list[Part]) -> list[Part]:
    """The report's parts with every block made fit for the public site (``public_text``)."""
    return [Part(p.id, p.title, [Block(b.id, b.title, b.level, public_text(b.html)) for b in p.blocks]) for p in parts]


_FIG_LINK = re.compile(r'<a class="dc-fig" href="(tables/[A-Za-z0-9_-]+\.html)(#[^"]*)?"')


def number_figures(parts: list[Part]) -> list[Part]:
    """Each figure link gets an id (``dc-f-N`` in page order) and names it in its href (``?from=``), so the
    table page can offer a 返回正文 link back to the very sentence the reader came from."""
    n = 0

    def repl(m: re.Match) -> str:
        nonlocal n
        n += 1
        return f'<a class="dc-fig" id="dc-f-{n}" href="{m.group(1)}?from=dc-f-{n}{m.group(2) or ""}"'

    out = []
    for p in parts:
        blocks = [Block(b.id, b.title, b.level, _FIG_LINK.sub(repl, b.html)) for b in p.blocks]
        out.append(Part(p.id, p.title, blocks))
    return out


def _body(html: str, level: int, title: str) -> str:
    return shift_headings(strip_leading_heading(html, title), min(6, level + 1))


def report_parts(sections: list[Any], content: UnitContent, year: int, table_pages: set[str]) -> list[Part]:
    """Parts 1–4 with their blocks (part 5, the tables, is the template's)."""
    parts = [Part(f"dc-part-{i}", title.format(year=year)) for i, (_, title) in enumerate(PARTS, 1)]
    by_prefix = {p.prefix: p for p in parts}
    groups = _groups() if sections else {}
    n = 0
    seen_groups: set[str] = set()
    if sections:
        for s in sections:
            part_title = _YEAR.sub(str(year), getattr(s, "part", "") or "")
            part = by_prefix.get(part_title.split(" ", 1)[0], parts[1])
            group = s.group if hasattr(s, "group") else _YEAR.sub(str(year), groups.get(s.key, ""))
            level = 3
            if group:
                level = 4
                if group not in seen_groups:
                    seen_groups.add(group)
                    n += 1
                    part.blocks.append(Block(f"dc-s-{n}", group, 3, ""))
            n += 1
            html = unlink_missing(clean_html(s.html), table_pages)
            title = "" if s.title.strip() == part.title.split(" ", 1)[-1] else s.title
            part.blocks.append(Block(f"dc-s-{n}", title, level, _body(html, level if title else 2, s.title)))
    else:
        for prefix, key, title in FALLBACK:
            text = content.section(key)
            if text:
                n += 1
                by_prefix[prefix].blocks.append(Block(f"dc-s-{n}", title, 3, _body(render_markdown(text), 3, title)))
    return parts
