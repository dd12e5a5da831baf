"""The report page's outline: its parts in the order of the report style's section list (the
reference report's 第一部分…第五部分, a 云南 report's own), filled from the narrative's sections (or,
when there is no narrative, from content), with headings at consistent levels."""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

from disclosure.content import UnitContent
from disclosure.markup import (
    clean_html,
    render_markdown,
    shift_headings,
    strip_leading_heading,
)
from disclosure.narrative.sections import PartDef, part_defs, part_title, section_defs
from disclosure.wording.style import DEFAULT_STYLE, Style, load_style

#: Sections a unit's content supplies when the narrative stage is absent (placed and titled as the
#: style's section list says).
FALLBACK = ("duties", "organization", "glossary", "contact")
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
    """One part of the report. ``kind`` is ``narrative`` (the 决算情况说明, with its charts),
    ``tables`` (the list of 公开表, which the template writes) or ``text``; ``keys`` are the sections
    the style's section list puts in it; ``note`` is said when it has nothing to show."""

    id: str
    title: str
    blocks: list[Block] = field(default_factory=list)
    kind: str = "text"
    keys: tuple[str, ...] = ()
    note: str = "暂无内容。"

    @property
    def prefix(self) -> str:
        return self.title.split(" ", 1)[0]


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
    return [replace(p, blocks=[Block(b.id, b.title, b.level, public_text(b.html)) for b in p.blocks]) for p in parts]


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
        out.append(replace(p, blocks=blocks))
    return out


def _body(html: str, level: int, title: str) -> str:
    return shift_headings(strip_leading_heading(html, title), min(6, level + 1))


def section_body(html: str, level: int, title: str, table_pages: set[str]) -> str:
    """A section's HTML as a block of the report shows it: sanitised, links to unpublished tables
    dropped, its own leading title removed and its headings below the block's level."""
    return _body(unlink_missing(clean_html(html), table_pages), level, title)


def outline(year: int, style: Style | None = None, unit_name: str = "") -> list[Part]:
    """The report's parts, empty, in the order and with the titles of the style's section list (for
    the report's year, naming the unit where a title does)."""
    style = style or load_style(DEFAULT_STYLE)
    defs = part_defs(style.sections)
    keys: dict[str, list[str]] = {d.title: [] for d in defs}
    for sdef in section_defs(style.sections):
        keys.setdefault(sdef.part, []).append(sdef.key)
    tables = next((d.prefix for d in defs if d.tables), "")
    parts = []
    for i, d in enumerate(defs, 1):
        kind = "tables" if d.tables else "narrative" if d.narrative else "text"
        note = f"决算情况说明暂未生成，请查阅{tables}公开表。" if d.narrative and tables else "暂无内容。"
        parts.append(Part(f"dc-part-{i}", part_title(d.title, year, unit_name), kind=kind, keys=tuple(keys[d.title]),
                          note=note))
    return parts


def part_of(parts: list[Part], key: str) -> Part:
    """The part a section belongs in (by the style's section list), else the narrative part."""
    for part in parts:
        if key in part.keys:
            return part
    return next((p for p in parts if p.kind == "narrative"), parts[0])


def close_part(parts: list[Part], key: str, blocks: list[Block], style: Style | None = None) -> None:
    """Blocks a feature supplies for section ``key`` (the 绩效 section) added at the end of the part the
    style puts that section in, the first one titled as the style's section list titles it and numbered
    after the part's other sections (三、预算绩效评价工作开展情况 · 五、部门绩效自评情况)."""
    if not blocks:
        return
    style = style or load_style(DEFAULT_STYLE)
    part = part_of(parts, key)
    sdef = next((d for d in section_defs(style.sections) if d.key == key), None)
    head = blocks[0]
    if sdef is not None and head.level == 3:
        n = sum(1 for b in part.blocks if b.title and b.level == 3) + 1
        title = sdef.title.replace("{{ n }}", style.mark("top", n))
        head = Block(head.id, title, head.level, head.html)
    part.blocks += [head, *blocks[1:]]


def report_parts(sections: list[Any], content: UnitContent, year: int, table_pages: set[str],
                 style: Style | None = None) -> list[Part]:
    """The parts with their blocks (the tables part's list of 公开表 is the template's)."""
    style = style or load_style(DEFAULT_STYLE)
    parts = outline(year, style, content.name)
    by_title = {p.title: p for p in parts}
    by_prefix = {p.title.split(" ", 1)[0]: p for p in parts}
    n = 0
    seen_groups: set[str] = set()
    if sections:
        for s in sections:
            part_title = _YEAR.sub(str(year), getattr(s, "part", "") or "")
            part = by_title.get(part_title) or by_prefix.get(part_title.split(" ", 1)[0]) or part_of(parts, s.key)
            group = _YEAR.sub(str(year), getattr(s, "group", "") or "")
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
        counted: dict[str, int] = {}
        for sdef in section_defs(style.sections):
            text = content.section(sdef.key) if sdef.key in FALLBACK else None
            if not text:
                continue
            part = part_of(parts, sdef.key)
            counted[part.id] = counted.get(part.id, 0) + 1
            title = _YEAR.sub(str(year), sdef.title.replace("{{ n }}", style.mark("top", counted[part.id])))
            n += 1
            part.blocks.append(Block(f"dc-s-{n}", title, 3, _body(render_markdown(text), 3, title)))
    return parts
