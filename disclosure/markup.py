"""Markdown made into safe HTML, in one place: each use is a ``Policy`` (what markdown extensions, what
tags, attributes and URL schemes survive), and a text is rendered and sanitised with nh3 under it.

    WORDING  the report's wording templates (figure links keep ``data-fact`` until the page is cleaned)
    PAGE     what a page shows: user texts, and the wording's HTML cleaned again before it is published

Also the heading helpers the site uses to fit a text under its section.
"""
from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field

import markdown as _markdown
import nh3
from markdown.extensions.sane_lists import SaneListExtension
from markdown.extensions.tables import TableExtension

from disclosure.standard import normalize_label

_CLASS_OK = re.compile(r"^dc-[a-z0-9-]+( dc-[a-z0-9-]+)*$")
_HEADING = re.compile(r"<(/?)h([1-6])>")


def _keep_class(element: str, attribute: str, value: str) -> str | None:
    """Only our own prefixed classes survive, so content cannot restyle the page."""
    if attribute == "class":
        return value if _CLASS_OK.match(value) else None
    return value


def _page_attributes(tags: set[str]) -> dict[str, set[str]]:
    attributes = {k: set(v) for k, v in nh3.ALLOWED_ATTRIBUTES.items() if k in tags}
    attributes["a"] = {"href", "title", "class"}
    attributes["span"] = {"class", "title"}
    attributes["abbr"] = {"title"}
    for cell in ("td", "th"):  # data-label: a column's name, shown beside each value when a table reflows on a phone
        attributes[cell] = attributes.get(cell, set()) | {"data-label"}
    attributes["table"] = attributes.get("table", set()) | {"class"}
    return attributes


@dataclass(frozen=True)
class Policy:
    """How one kind of text becomes HTML: markdown extensions, what survives sanitising, cache size."""

    name: str
    tags: frozenset[str]
    attributes: dict[str, set[str]]
    schemes: frozenset[str]
    own_classes_only: bool  # drop every class but our dc-* ones
    sane_lists: bool
    cache_size: int
    _cache: dict[str, str] = field(default_factory=dict, compare=False, repr=False)  # markdown → HTML

    def cleaner(self) -> nh3.Cleaner:
        return nh3.Cleaner(tags=set(self.tags), attributes=self.attributes, url_schemes=set(self.schemes),
                           link_rel=None, attribute_filter=_keep_class if self.own_classes_only else None,
                           strip_comments=True)


_PAGE_TAGS = frozenset(nh3.ALLOWED_TAGS) - {"img", "area", "map"}
PAGE = Policy("page", _PAGE_TAGS, _page_attributes(set(_PAGE_TAGS)), frozenset({"http", "https", "mailto", "tel"}),
              own_classes_only=True, sane_lists=True, cache_size=512)
WORDING = Policy(
    "wording",
    frozenset({"p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "a", "h2", "h3", "h4", "h5", "h6", "blockquote",
               "table", "thead", "tbody", "tr", "th", "td", "span", "sup", "sub", "hr", "code"}),
    {"a": {"href", "title", "class", "data-fact"},
     "th": {"colspan", "rowspan", "align", "style"},
     "td": {"colspan", "rowspan", "align", "style"}},
    frozenset({"http", "https", "mailto"}),
    own_classes_only=False, sane_lists=False, cache_size=2048,
)
_CLEANERS = {p.name: p.cleaner() for p in (PAGE, WORDING)}  # built once: nh3.clean() sets one up on every call
_LOCAL = threading.local()


def clean_html(html: str, policy: Policy = PAGE) -> str:
    """Strip what the policy does not allow: scripts, event handlers, styles, images, other URL schemes."""
    return _CLEANERS[policy.name].clean(html)


def _converter(policy: Policy) -> _markdown.Markdown:
    """One converter per thread and policy, reset before each use. Extension objects rather than names:
    a name is looked up among entry points, which imports importlib.metadata and email at start-up."""
    converters = getattr(_LOCAL, "converters", None)
    if converters is None:
        converters = _LOCAL.converters = {}
    md = converters.get(policy.name)
    if md is None:
        extensions = [TableExtension(), SaneListExtension()] if policy.sane_lists else [TableExtension()]
        md = converters[policy.name] = _markdown.Markdown(extensions=extensions, output_format="html")
    return md


def render_markdown(text: str, policy: Policy = PAGE) -> str:
    """Markdown (with tables) → HTML sanitised under ``policy``; texts that repeat are rendered once."""
    text = text or ""
    html = policy._cache.get(text)
    if html is None:
        html = clean_html(_converter(policy).reset().convert(text), policy)
        if len(policy._cache) >= policy.cache_size:
            policy._cache.clear()
        policy._cache[text] = html
    return html


def shift_headings(html: str, top: int) -> str:
    """Renumber headings so the highest one in ``html`` becomes ``h<top>``, keeping their order."""
    levels = [int(m.group(2)) for m in _HEADING.finditer(html)]
    if not levels:
        return html
    delta = top - min(levels)
    return _HEADING.sub(lambda m: f"<{m.group(1)}h{min(6, int(m.group(2)) + delta)}>", html)


def strip_leading_heading(html: str, title: str) -> str:
    """Drop a first heading that repeats the section title we already print (and only that one)."""
    m = re.match(r"\s*<h[1-6]>(.*?)</h[1-6]>\s*", html, flags=re.S)
    if m and title and normalize_label(re.sub(r"<[^>]+>", "", m.group(1))) == normalize_label(title):
        return html[m.end():]
    return html
