"""Styles of the report: how a province's reports word and number what the facts say.

A style is data (``wording/styles.toml``): which section list it uses, the places of each
percentage, which sentences it writes, how it numbers sub-items and names the prior year. The
wording templates read its switches as ``S``; ``derive`` reads its percent places. A project picks
a style with ``[project] style``; without one, the style named after its table set (or the
reference report's ``neimenggu-11``). Each switch is declared in ``styles.toml`` (``[switch.<name>]``:
its kind, default and meaning); a project may turn single switches on or off over its style's
(``[project.switches]``, a year's ``[years.<year>.switches]``), checked by :func:`switch_problems`.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from disclosure.package_data import package_toml

WORDING_PACKAGE = "disclosure.wording"
DEFAULT_STYLE = "neimenggu-11"
UNIT_WORDS = {"department": "本部门", "unit": "本单位"}


@dataclass(frozen=True)
class Style:
    """One style. ``percent_places`` maps fact-key prefixes to places (the longest prefix wins;
    others use the project's places); ``yuan_below`` writes smaller non-zero amounts in 元;
    ``prior_words`` names the compared year (``{prior}`` is the year), per section when
    ``prior_words_by_section`` says so; ``switches`` are what templates read as ``S``."""

    name: str
    sections: str = "sections.toml"
    percent_places: tuple[tuple[str, int], ...] = ()
    yuan_below: Decimal | None = None
    zero_in_yuan: bool = False  # a zero amount written 0元 (reports that give every amount in 元)
    prior_words: str = "{prior}年度"
    prior_words_by_section: tuple[tuple[str, str], ...] = ()
    unit_word: str = "本部门"
    numbering: dict[str, str] = field(default_factory=dict)
    switches: dict[str, Any] = field(default_factory=dict)

    def prior(self, section: str, prior_year: int | None, part: str | None = None) -> str:
        """How this section (or one ``part`` of it, ``three_public.total``) names the compared year:
        ``2020年度``, ``2020年`` or ``上年``."""
        by_section = dict(self.prior_words_by_section)
        words = by_section.get(f"{section}.{part}") if part else None
        if words is None:
            words = by_section.get(section, self.prior_words)
        return words.replace("{prior}", str(prior_year) if prior_year is not None else "上")

    def unit(self, kind: str | None) -> str:
        """本部门 for a department's summary report, 本单位 for one unit (unit.toml ``kind``)."""
        return UNIT_WORDS.get(str(kind or ""), self.unit_word)

    def mark(self, level: str, n: int) -> str:
        """The number of the ``n``-th item at a level: top 一、 · group （一） · sub 1、 · item （1）."""
        pattern = {**DEFAULT_NUMBERING, **self.numbering}[level]
        return pattern.replace("{cn}", cn_number(n)).replace("{n}", str(n))


CN_DIGITS = "零一二三四五六七八九"


def cn_number(n: int) -> str:
    """1 → 一, 10 → 十, 13 → 十三, 21 → 二十一 (for （一）…（十三） numbering)."""
    if n <= 0 or n >= 100:
        return str(n)
    tens, ones = divmod(n, 10)
    if tens == 0:
        return CN_DIGITS[ones]
    head = "" if tens == 1 else CN_DIGITS[tens]
    return f"{head}十{CN_DIGITS[ones] if ones else ''}"


DEFAULT_NUMBERING = {"top": "{cn}、", "group": "（{cn}）", "sub": "{n}、", "item": "（{n}）"}


def _data() -> dict[str, dict]:
    return package_toml("wording/styles.toml")


def _styles() -> dict[str, dict]:
    return _data()["style"]


def switch_specs() -> dict[str, dict]:
    """Every switch the templates read: name → ``kind``, ``default``, ``description`` (and the
    ``choices`` of a choice)."""
    return _data()["switch"]


def closest(word: str, known: list[str]) -> str:
    """The known name nearest to ``word`` (by letters in common), for 是否想写 … messages."""
    return max(known, key=lambda name: difflib.SequenceMatcher(None, word, name).ratio())


def _section_keys() -> frozenset[str]:
    """The section keys of every section list a style names (for switches of kind "sections")."""
    lists = {"sections.toml"} | {str(d["sections"]) for d in _styles().values() if "sections" in d}
    return frozenset(str(d["key"]) for name in sorted(lists) for d in package_toml(f"wording/{name}")["section"])


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"'
    return str(value)


def switch_problems(values: dict[str, Any]) -> list[str]:
    """What is wrong with switches as set in a style or a project: an unknown name (with the
    nearest known one) or a value the switch does not take (with the values it takes)."""
    specs = switch_specs()
    problems: list[str] = []
    for name, value in values.items():
        spec = specs.get(name)
        if spec is None:
            problems.append(f"没有名为“{name}”的开关，是否想写 {closest(name, sorted(specs))}？"
                            f"可用的开关：{'、'.join(specs)}")
            continue
        kind = spec["kind"]
        if kind == "bool" and not isinstance(value, bool):
            problems.append(f"开关 {name}（{spec['description']}）须写 true 或 false，现在写的是 {_shown(value)}")
        elif kind == "choice" and value not in spec["choices"]:
            wanted = "、".join(f'"{c}"' for c in spec["choices"])
            problems.append(f"开关 {name}（{spec['description']}）须写 {wanted} 之一，现在写的是 {_shown(value)}")
        elif kind == "sections":
            if isinstance(value, bool):
                continue
            keys = _section_keys()
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                problems.append(f"开关 {name}（{spec['description']}）须写 true、false 或节名的列表，"
                                f"现在写的是 {_shown(value)}")
                continue
            for key in value:
                if key not in keys:
                    problems.append(f"开关 {name} 中的“{key}”不是报告的节，是否想写 {closest(key, sorted(keys))}？")
    return problems


def style_names() -> tuple[str, ...]:
    return tuple(_styles())


def load_style(name: str) -> Style:
    """A style by name; its ``base`` style's settings first (switches merged key by key)."""
    styles = _styles()
    if name not in styles:
        raise ValueError(f"没有名为“{name}”的报告样式（可用：{'、'.join(styles)}）")
    data = dict(styles[name])
    base = data.pop("base", None)
    parent = load_style(base) if base else None
    own = data.pop("switches", {})
    problems = switch_problems(own)
    if problems:
        raise ValueError(f"报告样式“{name}”的开关有误：{'；'.join(problems)}")
    defaults = {key: spec["default"] for key, spec in switch_specs().items()}
    switches = {**(parent.switches if parent else defaults), **own}
    numbering = {**(parent.numbering if parent else {}), **data.pop("numbering", {})}
    kwargs: dict[str, Any] = {}
    if parent is not None:
        kwargs = {f: getattr(parent, f) for f in ("sections", "percent_places", "yuan_below", "zero_in_yuan",
                                                  "prior_words", "prior_words_by_section", "unit_word")}
    if "percent_places" in data:
        kwargs["percent_places"] = tuple(sorted(data.pop("percent_places").items()))
    if "prior_words_by_section" in data:
        kwargs["prior_words_by_section"] = tuple(sorted(data.pop("prior_words_by_section").items()))
    if "yuan_below" in data:
        raw = data.pop("yuan_below")
        kwargs["yuan_below"] = Decimal(str(raw)) if raw not in (None, "", 0, "0") else None
    if "zero_in_yuan" in data:
        kwargs["zero_in_yuan"] = bool(data.pop("zero_in_yuan"))
    for key in ("sections", "prior_words", "unit_word"):
        if key in data:
            kwargs[key] = str(data.pop(key))
    data.pop("description", None)
    data.pop("table_sets", None)
    if data:
        raise ValueError(f"报告样式“{name}”中有不认识的设置：{'、'.join(sorted(data))}")
    return Style(name=name, numbering=numbering, switches=switches, **kwargs)


def style_of_table_set(table_set: str) -> str:
    """The style a table set is written in by default: the style named after it, else the one that
    lists it in ``table_sets``, else the reference report's."""
    styles = _styles()
    if table_set in styles:
        return table_set
    return next((name for name, data in styles.items() if table_set in data.get("table_sets", ())), DEFAULT_STYLE)


def style_for(project: Any, year: int | None = None) -> Style:
    """The style of a report year (or of the project): ``[years.<year>] style``, ``[project] style``,
    else the default style of the table set (of the report's ``year`` when given: a year may keep its
    own table set), else the reference report's; with the project's own switches over the style's.
    ``[project.switches]`` apply to the years that follow the project's style (a year whose style is
    pinned in ``[years.<year>]`` keeps the switches it was pinned with), ``[years.<year>.switches]``
    to that year."""
    style = _chosen_style(project, year)
    overrides: dict[str, Any] = {}
    pinned = year is not None and int(year) in (getattr(project, "year_styles", None) or {})
    if not pinned:
        overrides.update(getattr(project, "switches", None) or {})
    if year is not None:
        overrides.update((getattr(project, "year_switches", None) or {}).get(int(year), {}))
    if not overrides or all(style.switches.get(k) == v for k, v in overrides.items()):
        return style
    return replace(style, switches={**style.switches, **overrides})


def _chosen_style(project: Any, year: int | None) -> Style:
    pinned = year is not None and hasattr(project, "style_of")
    chosen = (project.style_of(year) if pinned else getattr(project, "style", "")) or ""
    if chosen:
        return load_style(chosen)
    table_set = getattr(project, "table_set", "")
    if year is not None and hasattr(project, "table_set_for"):
        table_set = project.table_set_for(year)
    return load_style(style_of_table_set(table_set))
