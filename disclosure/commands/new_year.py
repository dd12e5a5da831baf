"""A new year's texts, copied from the year before for editing (``disclosure init`` when the unit
already has an earlier year).

Every text the earlier year read from the unit's own files (its year folder or the unit's defaults)
is copied into ``content/<unit>/<year>/``; a line that states something true only of the earlier
year (a staff count, a date, a year, a phone number or contact) gets a ``请核对`` line above it, which
``check`` reports until a person deletes it. The shared texts (``content/<section>.md``) stay shared.
Earlier years' files are only read.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from disclosure.commands.blank_texts import blank_texts, blank_unit_toml
from disclosure.content import LAYER_SHARED, REVIEW_MARK, TOML_REVIEW_LINE, load_content
from disclosure.project import load_project

if TYPE_CHECKING:
    from disclosure.hooks import InitContext

#: what a line may state that holds for one year only: (what to confirm, pattern)
YEARLY_FACTS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("人数", re.compile(r"\d+\s*[人名](?!民)|编制|实有|在职|退休|离休")),
    ("日期", re.compile(r"(?<!\d)(?:19|20)\d\d\s*年\s*\d{1,2}\s*月|(?<!\d)(?:19|20)\d\d[-/.]\d{1,2}[-/.]\d{1,2}")),
    ("年份", re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")),
    ("联系方式", re.compile(r"联系人|电话|手机|传真|邮箱|地址|contact|phone|\d{3,4}-\d{7,8}|(?<!\d)1[3-9]\d{9}(?!\d)")),
)


def yearly_facts(line: str) -> list[str]:
    """What in one line needs confirming for a new year (empty when nothing)."""
    return [what for what, pattern in YEARLY_FACTS if pattern.search(line)]


def mark_markdown(text: str, previous: int) -> tuple[str, int]:
    """The text with a ``<!-- 请核对：… -->`` line above each line stating a yearly fact; and how many."""
    out: list[str] = []
    marks = 0
    for line in text.splitlines(keepends=True):
        found = yearly_facts(line) if not line.lstrip().startswith("<!--") else []
        if found:
            out.append(f"<!-- {REVIEW_MARK}：{'、'.join(found)}（复制自 {previous} 年度，核对后删去本行） -->\n")
            marks += 1
        out.append(line)
    return "".join(out), marks


def mark_toml(text: str, previous: int) -> tuple[str, int]:
    """unit.toml with a ``# 请核对：…`` comment above each setting that states a yearly fact."""
    out: list[str] = []
    marks = 0
    for line in text.splitlines(keepends=True):
        setting = line.split("#", 1)[0]
        found = yearly_facts(setting) if "=" in setting and not setting.strip().startswith("name") else []
        if found:
            out.append(f"# {REVIEW_MARK}：{'、'.join(found)}（复制自 {previous} 年度，核对后删去本行）\n")
            marks += 1
        out.append(line if line.endswith("\n") else line + "\n")
    return "".join(out), marks


def copied_texts(ctx: "InitContext") -> list[tuple[str, str]]:
    """``(file name, text)`` of the new year's own texts, from ``ctx.previous``. A yearly text the
    earlier year did not have is written blank, as for a unit's first year."""
    assert ctx.previous is not None
    project = load_project(ctx.root)
    earlier = load_content(project, ctx.unit, ctx.previous)
    files: list[tuple[str, str]] = []
    for key, source in sorted(earlier.sources.items()):
        if source.layer == LAYER_SHARED:
            continue
        text, _ = mark_markdown(earlier.sections[key], ctx.previous)
        files.append((f"{key}.md", text))
    have = {name for name, _ in files}
    for fname, blank in blank_texts().items():
        if fname not in have and fname[:-3] not in earlier.sources:
            files.append((fname, blank))
    if earlier.settings_sources:
        raw = earlier.settings_sources[-1].path.read_text(encoding="utf-8")
        text, _ = mark_toml(_without_review_comments(raw), ctx.previous)
    else:
        text = blank_unit_toml(ctx.name)
    files.append(("unit.toml", text))
    return sorted(files)


def _without_review_comments(text: str) -> str:
    """A unit.toml without the review comments left from an earlier copy (new ones are added)."""
    return "".join(l for l in text.splitlines(keepends=True) if not TOML_REVIEW_LINE.match(l))
