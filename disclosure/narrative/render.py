"""Render the wording templates over the facts into markdown and sanitised HTML."""
from __future__ import annotations

import hashlib
import html as htmllib
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from jinja2 import (
    FunctionLoader,
    StrictUndefined,
    Template,
    TemplateError,
    TemplateSyntaxError,
    pass_context,
)
from jinja2.runtime import Context
from jinja2.sandbox import SandboxedEnvironment

from disclosure.content import UnitContent
from disclosure.derive import REGISTRY, Fact, Facts
from disclosure.derive.entry_kinds import Registry
from disclosure.errors import InputError, Problem
from disclosure.links import cell_href
from disclosure.markup import WORDING, render_markdown
from disclosure.narrative import filters as fl
from disclosure.narrative.sections import SectionDef, default_wording, section_defs
from disclosure.narrative.view import FactView, Missing, RowView
from disclosure.project import Project
from disclosure.standard import load_table_set
from disclosure.wording.style import Style, cn_number, style_for


@dataclass(frozen=True)
class Section:
    """One rendered section: ``markdown`` is plain text (no links), ``html`` is sanitised and, when
    rendered with ``link=True``, has every figure linked to its first source cell."""

    key: str
    title: str
    markdown: str
    html: str
    part: str = ""
    group: str = ""  # the heading between part and title (二、关于…年度决算情况说明), or ""
    source: str = "default"  # "default" or the content file it came from
    missing_reasons: tuple[str, ...] = ()


_OPEN, _CLOSE = "\ue000", "\ue001"  # private-use characters around a figure's number
_TOKEN = re.compile(f"{_OPEN}(\\d+){_CLOSE}")


@dataclass
class _State:
    """Per-render state the filters read from the template context as ``_r``."""

    facts: Facts
    content: UnitContent
    project: Project
    view: FactView
    link: bool
    missing_reasons: list[str] = field(default_factory=list)
    wanted: dict[str, bool] = field(default_factory=dict)  # reason key → needs a reason (shared by sections)

    figures: list[tuple[Fact, str]] = field(default_factory=list)
    style: Style | None = None
    section: str = ""  # key of the section being rendered (the style names the prior year per section)
    described: set[str] = field(default_factory=set)  # facts whose 主要用于… is written (shared by sections)

    def fmt(self, value, unit: str) -> str:
        """A value in the style's units (small amounts in 元 when the style says so)."""
        if self.style is None:
            return fl.format_value(value, unit)
        return fl.format_value(value, unit, self.style.yuan_below, self.style.zero_in_yuan)

    def prior_words(self, part: str | None = None) -> str:
        if self.style is None:
            return "上年"
        return self.style.prior(self.section, self.facts.prior_year, part)

    def uses(self, fact: Fact) -> str:
        """``（主要用于…）`` after a figure's first mention, from ``<fact key>.uses`` in reasons.toml."""
        if fact.key in self.described:
            return ""
        text = self.content.reason(f"{fact.key}.uses")
        if not text or not fl.clean_reason(text):
            return ""
        self.described.add(fact.key)
        body = fl.clean_reason(text)
        for lead in ("主要用于", "用于"):
            if body.startswith(lead):
                body = body[len(lead):].lstrip("：:")
        return f"（主要用于{body}）"

    def figure(self, fact: Fact, text: str) -> str:
        """A placeholder for a formatted figure; ``finish`` turns it into text or a link after the
        markdown has been converted (so the markdown converter never parses our links)."""
        self.figures.append((fact, text))
        return f"{_OPEN}{len(self.figures) - 1}{_CLOSE}"

    def finish(self, text: str, *, as_link: bool) -> str:
        def one(match: re.Match[str]) -> str:
            fact, shown = self.figures[int(match.group(1))]
            return self.anchor(fact, shown) if as_link else shown

        return _TOKEN.sub(one, text)

    def anchor(self, fact: Fact, text: str) -> str:
        if not self.link or not fact.cells:
            return htmllib.escape(text, quote=False)
        other = fact.year if fact.year is not None and fact.year != self.facts.year else None
        href = cell_href(fact.cells[0], other_year=other)
        cls = "dc-fig"  # the theme's name: the site renames every class to [site] css_prefix on writing
        esc = htmllib.escape
        return (f'<a class="{esc(cls)}" href="{esc(href)}" title="{esc(fact.formula)}" '
                f'data-fact="{esc(fact.key)}">{text}</a>')

    def needs_reason(self, key: str) -> bool:
        """``_needs_reason`` with the reason keys of every changed fact collected once per unit-year."""
        if not self.wanted:
            self.wanted[""] = False
            for fact in self.facts.values():
                if fact.reason_key is not None and _changed(fact):
                    self.wanted[fact.reason_key] = True
        return self.wanted.get(key, False)

    def wrap(self, key: str):
        fact = self.facts.get(key)
        return (lambda text: self.figure(fact, text)) if fact is not None else (lambda text: text)


def _state(ctx: Context) -> _State:
    return ctx["_r"]


def _need(value: Any, filter_name: str) -> Fact:
    if isinstance(value, Missing):
        str(value)  # raises the explanatory UndefinedError
    if not isinstance(value, Fact):
        raise TemplateError(f"过滤器 {filter_name} 需要一个事实（F[\"…\"]），得到的是“{value}”")
    return value


@pass_context
def f_fig(ctx: Context, value: Any) -> str:
    """Any fact formatted by its unit, linked; at its first mention followed by what content says
    it is used for (``<key>.uses`` in reasons.toml)."""
    fact = _need(value, "fig")
    state = _state(ctx)
    return state.figure(fact, state.fmt(fact.value, fact.unit)) + state.uses(fact)


@pass_context
def f_abs(ctx: Context, value: Any) -> str:
    """The magnitude of a fact (for sentences that already say 增加/减少), linked."""
    fact = _need(value, "abs")
    state = _state(ctx)
    return state.figure(fact, state.fmt(abs(fact.value), fact.unit))


@pass_context
def f_share(ctx: Context, value: Any, prefix: str = "占") -> str:
    """``占51.51%``; nothing when the share does not exist (a zero whole)."""
    if isinstance(value, Missing):
        return ""
    fact = _need(value, "share")
    return prefix + _state(ctx).figure(fact, fl.format_percent(fact.value))


@pass_context
def f_compare(ctx: Context, value: Any, prior: str | None = None, part: str | None = None) -> str:
    """The change of a fact against the prior year, or 无上年可比数据. The prior year is named as
    the report style names it in this section (or in this ``part`` of it) unless ``prior`` is given."""
    state = _state(ctx)
    fact = _need(value, "compare")
    change = state.facts.get(f"{fact.key}.change")
    if state.facts.prior_year is None or change is None:
        return "无上年可比数据"
    before = state.facts[f"{fact.key}.prior"]
    rate_key = f"{fact.key}.change_pct"
    shown = ""
    if state.style is not None and _in_sections(state.style.switches.get("prior_amount"), state.section) \
            and before.value != 0:
        shown = state.figure(before, state.fmt(before.value, before.unit))
    return fl.change_words(
        change.value, state.facts[rate_key].value if rate_key in state.facts else None, fact.unit,
        base_zero=before.value == 0, prior=prior if prior is not None else state.prior_words(part),
        with_rate=fact.unit == "万元", wrap_amount=state.wrap(change.key), wrap_rate=state.wrap(rate_key),
        yuan_below=state.style.yuan_below if state.style else None, prior_amount=shown,
    )


def _in_sections(switch: Any, section: str) -> bool:
    """A switch that is on everywhere (``true``) or in the sections it lists (``["three_public"]``)."""
    if isinstance(switch, (list, tuple)):
        return section in switch
    return bool(switch)


@pass_context
def f_paired(ctx: Context, first: Any, second: Any, first_label: str, second_label: str) -> str:
    """Two facts compared with the prior year in one clause when both moved the same way:
    ``本年收入合计、本年支出合计较2021年各减少1,267.86万元、2,570.97万元，各下降23.51%、38.28%``;
    ``…均与2021年持平``; otherwise each with its own change."""
    state = _state(ctx)
    a, b = _need(first, "paired"), _need(second, "paired")
    changes = [state.facts.get(f"{f.key}.change") for f in (a, b)]
    if state.facts.prior_year is None or None in changes:
        return f"{first_label}、{second_label}无上年可比数据"
    rates = [state.facts.get(f"{f.key}.change_pct") for f in (a, b)]
    signs = {(c.value > 0) - (c.value < 0) for c in changes}
    if signs == {0}:
        return f"{first_label}、{second_label}均与{state.prior_words()}持平"
    if len(signs) != 1 or None in rates:
        return f"{first_label}{f_compare(ctx, a)}，{second_label}{f_compare(ctx, b)}"
    verb, trend = ("增加", "增长") if signs == {1} else ("减少", "下降")
    amounts = "、".join(state.figure(c, state.fmt(abs(c.value), c.unit)) for c in changes)
    pcts = "、".join(state.figure(r, fl.format_percent(abs(r.value))) for r in rates)
    return f"{first_label}、{second_label}较{state.prior_words()}各{verb}{amounts}，各{trend}{pcts}"


@pass_context
def f_vs_budget(ctx: Context, value: Any, budget: str = "年初预算", lead: str = "与{budget}相比，") -> str:
    """A ``…diff`` fact as 与年初预算相比，减少…，下降…% (``budget="预算", lead="较{budget}"`` for
    较预算增加…，增长…%)."""
    state = _state(ctx)
    fact = _need(value, "vs_budget")
    rate = state.facts.get(f"{fact.key}_pct")
    return fl.budget_words(fact.value, rate.value if rate else None, fact.unit,
                           wrap_amount=state.wrap(fact.key), wrap_rate=state.wrap(f"{fact.key}_pct"),
                           yuan_below=state.style.yuan_below if state.style else None, budget=budget, lead=lead)


@pass_context
def f_completion(ctx: Context, value: Any, words: str = "完成年初预算的") -> str:
    """``完成年初预算的82.08%``; 年初未安排预算 when there is no ratio (a zero budget)."""
    if isinstance(value, Missing):
        return "年初未安排预算" if words.endswith("年初预算的") else "未安排预算"
    fact = _need(value, "completion")
    return words + _state(ctx).figure(fact, fl.format_percent(fact.value))


@pass_context
def f_reason(ctx: Context, value: Any, prefix: str = "主要原因是", lead: str = "，") -> str:
    """``，主要原因是：…`` from reasons.toml under the fact's reason key; nothing when none is
    written (the key is recorded for the review page)."""
    state = _state(ctx)
    if isinstance(value, Missing) or value is None:
        return ""
    fact = _need(value, "reason")
    key = fact.reason_key
    if key is None:
        change = state.facts.get(f"{fact.key}.change")
        key = change.reason_key if change is not None else None
    if key is None:
        return ""
    text = state.content.reason(key)
    if not text or not fl.clean_reason(text):
        if key not in state.missing_reasons and state.needs_reason(key):
            state.missing_reasons.append(key)
        return ""
    return f"{lead}{prefix}：{fl.clean_reason(text)}"


def _needs_reason(facts: Facts, key: str) -> bool:
    """A reason is wanted when something changed: a non-zero change or difference, or a
    completion other than 100%."""
    for fact in facts.values():
        if fact.reason_key == key and _changed(fact):
            return True
    return False


def _changed(fact: Fact) -> bool:
    if fact.key.endswith(".completion"):
        return fact.value != 100
    return fact.value != 0


@pass_context
def f_listing(ctx: Context, family: str, sep: str = "、") -> str:
    """``基本工资435.65万元、津贴补贴644.64万元…`` for every member of a family."""
    state = _state(ctx)
    parts = []
    for code in state.facts.codes(family):
        fact = state.facts.get(f"{family}.{code}")
        if fact is not None:
            parts.append(state.facts.names[f"{family}.{code}"] + state.figure(fact, state.fmt(fact.value, fact.unit)))
    return fl.join_cn(parts, sep)


@pass_context
def f_empty_table(ctx: Context, table_key: str) -> str:
    """The 空表 sentence of a table, from the table standard (``empty_note``), naming the unit as the
    rest of the report does (本部门 or 本单位)."""
    state = _state(ctx)
    year = state.facts.year
    unit_word = str(ctx.get("U") or "本单位")
    spec = load_table_set(state.project.table_set_for(year)).get(table_key)
    if spec is None:  # the year's set has no such table (national-8: no 国有资本经营 table): nothing to say
        return ""
    if spec.empty_note:
        note = spec.empty_note.replace("{year}", str(year))
        return unit_word + note[3:] if note.startswith(("本单位", "本部门")) else note
    return f"{unit_word}{year}年度无{spec.title}相关收支，故本表为空表。"


@pass_context
def _finalize(ctx: Context, value: Any) -> Any:
    """``{{ F["k"] }}`` prints like ``{{ F["k"] | fig }}``, never as a Python repr."""
    if isinstance(value, Fact):
        return f_fig(ctx, value)
    return value


def t_zero(value: Any) -> bool:
    """``F[k] is zero``: the fact exists and is 0."""
    return isinstance(value, Fact) and value.value == 0


def t_positive(value: Any) -> bool:
    return isinstance(value, Fact) and value.value > 0


FILTERS = {
    "fig": f_fig, "wan": f_fig, "pct": f_fig, "num": f_fig, "abs": f_abs, "share": f_share,
    "compare": f_compare, "paired": f_paired, "vs_budget": f_vs_budget, "completion": f_completion, "reason": f_reason,
    "listing": f_listing, "empty_table": f_empty_table, "cnum": cn_number, "join_cn": fl.join_cn,
}
TESTS = {"zero": t_zero, "positive": t_positive}


_COMPILED: dict[str, Template] = {}
_SOURCES: dict[str, str] = {}  # template name (digest of its text) → text, for the loader


def _compile(env: SandboxedEnvironment, text: str) -> Template:
    """Compiled templates by source text (the environment is the same for every render). They are
    loaded by a name made from their text, so that the bytecode cache can keep them between runs."""
    template = _COMPILED.get(text)
    if template is None:
        if len(_COMPILED) > 512:
            _COMPILED.clear()
            _SOURCES.clear()
        name = hashlib.sha256(text.encode("utf-8")).hexdigest()
        _SOURCES[name] = text
        template = _COMPILED[text] = env.get_template(name)
    return template


def _load_source(name: str) -> str | None:
    return _SOURCES.get(name)


@lru_cache(maxsize=1)
def _environment() -> SandboxedEnvironment:
    from disclosure.bytecode import template_cache

    env = SandboxedEnvironment(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=True,
                              extensions=["jinja2.ext.do"], finalize=_finalize, cache_size=0,
                              loader=FunctionLoader(_load_source),
                              bytecode_cache=template_cache("wording SandboxedEnvironment StrictUndefined "
                                                            "autoescape=False keep_trailing_newline ext.do "
                                                            "finalize(pass_context)"))
    env.filters.update(FILTERS)
    env.tests.update(TESTS)
    return env


def _content_path(project: Project, content: UnitContent, key: str) -> str:
    base = project.content_dir
    for folder in (base / content.unit / str(content.year), base / content.unit, base):
        path = folder / f"{key}.md"
        if path.exists():
            return project.relative(path)
    return f"content/{content.unit}/{key}.md"


def _tidy(text: str) -> str:
    """Blank lines collapsed and trailing spaces dropped (template control lines leave both)."""
    lines = [line.rstrip() for line in text.splitlines()]
    out: list[str] = []
    for line in lines:
        if not line and (not out or not out[-1]):
            continue
        out.append(line)
    return "\n".join(out).strip() + "\n"


def render_narrative(facts: Facts, content: UnitContent, project: Project, *, link: bool = True,
                     registry: Registry = REGISTRY) -> list[Section]:
    """Every section that has wording (content override first, then the package default), in the
    order of the project's report style, numbered in that order: a section with nothing to say
    is left out and the numbers of the others close up."""
    env = _environment()
    view = FactView(facts, registry)
    style = style_for(project, facts.year)
    base_ctx = {
        "F": view,
        "year": facts.year,
        "prior_year": facts.prior_year,
        "unit_name": content.name,
        "unit": content.settings,
        "rows": lambda family: [RowView(family, c, facts.names.get(f"{family}.{c}", c), view) for c in facts.codes(family)],
        "S": dict(style.switches),
        "U": style.unit(content.settings.get("kind")),
        "mark": style.mark,
    }
    wanted: dict[str, bool] = {}
    described: set[str] = set()
    bodies: list[tuple[SectionDef, _State, str, str]] = []
    for sdef in section_defs(style.sections):
        text, source = _source(sdef, content, project)
        if text is None:
            continue
        state = _State(facts, content, project, view, link=link, wanted=wanted, style=style, section=sdef.key,
                       described=described)
        rendered = _render(env, text, sdef, source, {**base_ctx, "_r": state})
        if not state.finish(rendered, as_link=False).strip():
            continue  # nothing to say (e.g. no contact given): no empty section
        bodies.append((sdef, state, rendered, source))
    sections: list[Section] = []
    for (sdef, state, rendered, source), numbers in zip(bodies, _numbers([b[0] for b in bodies], style)):
        heading = {
            name: state.finish(_render(env, getattr(sdef, name), sdef, "sections.toml",
                                       {**base_ctx, "_r": state, "n": numbers[name]}), as_link=False).strip()
            for name in ("title", "part", "group")
        }
        sections.append(Section(
            key=sdef.key, markdown=state.finish(rendered, as_link=False),
            html=state.finish(render_markdown(rendered, WORDING), as_link=True), source=source,
            missing_reasons=tuple(state.missing_reasons), **heading,
        ))
    return sections


def _numbers(defs: list[SectionDef], style: Style) -> list[dict[str, str]]:
    """The numbers (``n`` in titles) of the sections that are written: within a part, sections and
    groups are numbered 一、二、… in turn; within a group its sections are （一）（二）…."""
    top: dict[str, int] = {}
    group_number: dict[tuple[str, str], str] = {}
    in_group: dict[tuple[str, str], int] = {}
    out = []
    for sdef in defs:
        if sdef.group:
            key = (sdef.part, sdef.group)
            if key not in group_number:
                top[sdef.part] = top.get(sdef.part, 0) + 1
                group_number[key] = style.mark("top", top[sdef.part])
            in_group[key] = in_group.get(key, 0) + 1
            out.append({"title": style.mark("group", in_group[key]), "group": group_number[key], "part": ""})
        else:
            top[sdef.part] = top.get(sdef.part, 0) + 1
            out.append({"title": style.mark("top", top[sdef.part]), "group": "", "part": ""})
    return out


def _source(sdef: SectionDef, content: UnitContent, project: Project) -> tuple[str | None, str]:
    override = content.section(sdef.key)
    if override is not None:
        return _drop_title(override), _content_path(project, content, sdef.key)
    if sdef.content_only:
        return None, ""
    return _default_wording(sdef.key, content.year), "default"


@lru_cache(maxsize=None)
def _default_wording(key: str, year: int) -> str | None:
    """The package's wording of a section for a report year, read once per process (package files
    do not change)."""
    return default_wording(key, year)


def _drop_title(text: str) -> str:
    """A content file's own ``# 标题`` line is dropped: the section title comes from sections.toml."""
    lines = text.lstrip("\ufeff").splitlines()
    while lines and not lines[0].strip():
        lines.pop(0)
    if lines and lines[0].startswith("# "):
        lines.pop(0)
    return "\n".join(lines) + "\n"


def _render(env: SandboxedEnvironment, text: str, sdef: SectionDef, source: str, ctx: dict) -> str:
    if "{" not in text and "\r" not in text:
        return _tidy(text)  # no tag, no expression: jinja2 would give the text back unchanged
    where = f"disclosure/wording/{sdef.key}.md" if source == "default" else source
    try:
        return _tidy(_compile(env, text).render(ctx))
    except TemplateSyntaxError as exc:
        raise InputError(Problem(f"第{exc.lineno}行措辞模板语法有误（{exc.message}），请修改后重试。", file=where)) from exc
    except TemplateError as exc:
        raise InputError(Problem(f"措辞模板无法生成：{exc.message or exc}。", file=where)) from exc
