"""What ``disclosure check`` says about a unit-year's yearly texts besides its findings: which file
each text is read from (the year's own, the unit's default or the shared one) and, for a year
published in the site, which shared texts it keeps from its publication (``batch/pins.py``)."""
from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from disclosure.batch.pins import kept_message, plan_texts
from disclosure.content import LAYER_LABELS, UnitContent, load_content
from disclosure.errors import InputError
from disclosure.project import Project

SHARED_NOTE = ("“共用”的文件改动后，各单位最新年度随之更新，已发布的往年报告保持原样"
               "（disclosure build --republish <年度> 才更新它）；只改某一年度时，把文件复制到 "
               "content/<单位>/<年度>/ 中再改。")


def year_texts(project: Project, pairs: list[tuple[str, int]], site: Path,
               read: Mapping[tuple[str, int], UnitContent] | None = None) -> dict[str, dict]:
    """For each checked unit-year (``"unit/year"``): the file each of its texts is read from and,
    when the year published in ``site`` keeps shared texts that changed since, which ones. ``read``:
    the texts the check has read already (a unit-year whose tables could not be read has none)."""
    kept = {k.key: k for k in plan_texts(project, site).kept}
    out: dict[str, dict] = {}
    for unit, year in pairs:
        try:
            content = (read or {}).get((unit, year)) or load_content(project, unit, year)
        except InputError:
            continue  # the unreadable file is reported with the unit-year's problems
        files = [(key + ".md", source) for key, source in sorted(content.sources.items())]
        files += [("unit.toml", source) for source in content.settings_sources]
        if not files:
            continue
        key = f"{unit}/{year}"
        out[key] = {
            "files": [{"text": name, "file": project.relative(source.path), "layer": source.layer,
                       "layer_label": LAYER_LABELS[source.layer]} for name, source in files],
            "kept": kept[key] if key in kept else None,
        }
    return out


def texts_json(texts: dict) -> dict:
    """One unit-year's entry of ``year_texts`` as JSON: its files, and the changed shared texts a
    published year keeps (with the option that would republish it)."""
    kept = texts["kept"]
    return {
        "files": texts["files"],
        "kept_published": None if kept is None else {
            "changed": list(kept.changed), "republish": f"disclosure build --republish {kept.year}"},
    }


def sources_report(project: Project, pairs: list[tuple[str, int]], site: Path,
                   read: Mapping[tuple[str, int], UnitContent] | None = None) -> list[str]:
    """For ``check``'s text output: which file each checked year reads each text from, and which
    years published in ``site`` keep shared texts that have changed since."""
    lines: list[str] = []
    for key, texts in year_texts(project, pairs, site, read).items():
        unit, _, year = key.rpartition("/")
        lines.append(f"{unit} {year} 年度使用的文稿：")
        lines += [f"  {f['text']}：{f['file']}（{f['layer_label']}）" for f in texts["files"]]
        if texts["kept"] is not None:
            lines.append(f"  {kept_message(texts['kept'])}")
    if lines:
        lines.append(SHARED_NOTE)
    return lines
