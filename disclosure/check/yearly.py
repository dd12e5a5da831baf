"""What ``check`` says about a unit-year's yearly texts: the 请核对 marks still in them, and which
file each text is read from (the year's own, the unit's default or the shared one)."""
from __future__ import annotations

from pathlib import Path

from disclosure.check.finding import Finding
from disclosure.content import LAYER_LABELS, UnitContent
from disclosure.project import Project


def review_marks(content: UnitContent | None, project: Project) -> list[Finding]:
    """Each ``请核对`` line left in a text copied from an earlier year: an error until deleted, so that
    last year's staff count or date is not published as this year's without a person confirming it."""
    if content is None:
        return []
    found = []
    for mark in content.reviews:
        where = f"{project.relative(mark.path)} 第 {mark.line} 行"
        what = f"：{mark.what}" if mark.what else ""
        message = (f"{where}还有待核对的标记“请核对{what}”。这段文字复制自上一年度："
                   f"请改成 {content.year} 年度的实际情况后删去这一行")
        found.append(Finding("error", "content.review", message, (), None,
                             "复制自上一年度的文稿须核对后删去“请核对”标记"))
    return found


def text_sources(content: UnitContent, project: Project) -> list[str]:
    """One line per text of the unit-year: the section or unit.toml, the file it is read from and
    whether other years share that file."""
    lines = []
    for key, source in sorted(content.sources.items()):
        lines.append(_line(key + ".md", source, project))
    for source in content.settings_sources:
        lines.append(_line("unit.toml", source, project))
    return lines


SHARED_NOTE = ("“共用”的文件改动后，各单位最新年度随之更新，已发布的往年报告保持原样"
               "（disclosure build --republish <年度> 才更新它）；只改某一年度时，把文件复制到 "
               "content/<单位>/<年度>/ 中再改。")


def _line(name: str, source, project: Project) -> str:
    return f"{name}：{project.relative(source.path)}（{LAYER_LABELS[source.layer]}）"


def sources_report(project: Project, pairs: list[tuple[str, int]], site: Path) -> list[str]:
    """For ``check``'s text output: which file each checked year reads each text from, and which
    years published in ``site`` keep shared texts that have changed since."""
    from disclosure.batch.pins import kept_message, plan_texts
    from disclosure.content import load_content
    from disclosure.errors import InputError

    kept = {k.key: k for k in plan_texts(project, site).kept}
    lines: list[str] = []
    for unit, year in pairs:
        try:
            content = load_content(project, unit, year)
        except InputError:
            continue  # the unreadable file is reported with the unit-year's problems
        sources = text_sources(content, project)
        if not sources:
            continue
        lines.append(f"{unit} {year} 年度使用的文稿：")
        lines += [f"  {line}" for line in sources]
        if f"{unit}/{year}" in kept:
            lines.append(f"  {kept_message(kept[f'{unit}/{year}'])}")
    if lines:
        lines.append(SHARED_NOTE)
    return lines
