"""The few pieces of an .xlsx's XML read as bytes, before and beside the reader: sheet and
relationship tags, their attributes, XML's five escapes, and column letters (0 → A)."""
from __future__ import annotations

import re

SHEET_TAG = re.compile(rb"<(?:\w+:)?sheet\b[^>]*?>")
ATTR = re.compile(rb'([\w:]+)\s*=\s*"([^"]*)"')
REL_TAG = re.compile(rb"<(?:\w+:)?Relationship\b[^>]*?>")


def unescape(text: str) -> str:
    """A name as written in XML, its entities replaced."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&apos;", "'").replace("&amp;", "&")


def column_letters(c: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    if 0 <= c < len(_LETTERS):
        return _LETTERS[c]
    return _column_letters(c)


def _column_letters(c: int) -> str:
    out = ""
    c += 1
    while c:
        c, rem = divmod(c - 1, 26)
        out = chr(65 + rem) + out
    return out


_LETTERS = tuple(_column_letters(c) for c in range(26 * 27))  # A … ZZ
