"""User-written markdown and HTML made safe: render, sanitise with nh3, fit headings under a level."""
from __future__ import annotations

import re
import threading

import markdown as _markdown
import nh3
from markdown.extensions.sane_lists import SaneListExtension
from markdown.extensions.tables import TableExtension

from disclosure.standard import normalize_label

_TAGS = set(nh3.ALLOWED_TAGS) - {"img", "area", "map"}
_ATTRIBUTES = {k: set(v) for k, v in nh3.ALLOWED_ATTRIBUTES.items() if k in _TAGS}
_ATTRIBUTES["a"] = {"href", "title", "class"}
_ATTRIBUTES["span"] = {"class", "title"}
_ATTRIBUTES["abbr"] = {"title"}
for _cell in ("td", "th"):  # data-label: a column's name, shown beside each value when a table reflows on a phone
    _ATTRIBUTES[_cell] = _ATTRIBUTES.get(_cell, set()) | {"data-label"}
_ATTRIBUTES["table"] = _ATTRIBUTES.get("table", set()) | {"class"}
_SCHEMES = {"http", "https", "mailto", "tel"}
_HEADING = re.compile(r"<(/?)h([1-6])>")
_CLASS_OK = re.compile(r"^dc-[a-z0-9-]+( dc-[a-z0-9-]+)*$")


def _keep_class(element: str, attribute: str, value: str) -> str | None:
    """Only our own prefixed classes survive, so content cannot restyle the page."""
    if attribute == "class":
        return value if _CLASS_OK.match(value) else None
    return value


_CLEANER = nh3.Cleaner(  # built once: nh3.clean() sets up its sanitiser on every call
    tags=_TAGS,
    attributes=_ATTRIBUTES,
    url_schemes=_SCHEMES,
    link_rel=None,
    attribute_filter=_keep_class,
    strip_comments=True,
)


def clean_html(html: str) -> str:
    """Strip scripts, event handlers, styles, images and non-http(s)/mailto/tel URLs."""
    return _CLEANER.clean(html)


_LOCAL = threading.local()
_RENDERED: dict[str, str] = {}  # markdown → sanitised HTML (shared texts such as the glossary repeat)


def _converter() -> _markdown.Markdown:
    """One converter per thread, reset before each use. Extension objects rather than names: a name
    is looked up among entry points, which imports importlib.metadata and email at start-up."""
    md = getattr(_LOCAL, "md", None)
    if md is None:
        md = _LOCAL.md = _markdown.Markdown(extensions=[TableExtension(), SaneListExtension()], output_format="html")
    return md


def render_markdown(text: str) -> str:
    """Markdown (with tables) → sanitised HTML."""
    text = text or ""
    html = _RENDERED.get(text)
    if html is None:
        html = clean_html(_converter().reset().convert(text))
        if len(_RENDERED) >= 512:
            _RENDERED.clear()
        _RENDERED[text] = html
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
