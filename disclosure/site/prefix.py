"""The class-name prefix of the theme (``dc-``), replaceable per project (``[site] css_prefix``) so
pages can sit inside a portal whose own styles already use ``dc-``.

The theme is written with ``dc-``; a different prefix is applied to the finished files: in HTML only
inside the attributes that name classes and ids, in-page links and the ``?from=dc-f-N`` parameter of a
figure link (never in text), in our CSS and JS everywhere.
"""
from __future__ import annotations

import re

from disclosure.errors import ConfigError, Problem

THEME = "dc-"
_VALID = re.compile(r"^[a-z][a-z0-9]*-$")
_ATTRS = re.compile(r'\b(class|id|for|data-for|aria-labelledby|aria-describedby|aria-controls)="([^"]*)"')
_FRAGMENT = re.compile(r'\bhref="#dc-')
#: A figure link names the sentence it leaves (``tables/x.html?from=dc-f-3#c-C6``) for the 返回正文 link.
_FROM = re.compile(r'(\bhref="[^"#?]*\?(?:[^"#]*&)?from=)dc-')
_WORD = re.compile(r"(?<![A-Za-z0-9_-])dc-")


def checked(prefix: str) -> str:
    """The prefix, or a ConfigError naming the setting when it cannot start a class name."""
    if not _VALID.match(prefix):
        raise ConfigError(Problem(
            f"[site] css_prefix = “{prefix}”不能用作类名前缀：请用小写字母开头、以“-”结尾，例如 “gov-”。",
            file="disclosure.toml"))
    return prefix


def html(text: str, prefix: str) -> str:
    """A page with its class names, ids and in-page links renamed to ``prefix``."""
    if prefix == THEME:
        return text
    text = _ATTRS.sub(lambda m: f'{m.group(1)}="{_WORD.sub(prefix, m.group(2))}"', text)
    text = _FROM.sub(lambda m: m.group(1) + prefix, text)
    return _FRAGMENT.sub(f'href="#{prefix}', text)


def asset(text: str, prefix: str) -> str:
    """Our stylesheet or script with every ``dc-`` name renamed."""
    return text if prefix == THEME else _WORD.sub(prefix, text)
