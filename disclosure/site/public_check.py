"""The public site's last guard: no internal text on a page a citizen reads.

Every page of a public build (and its search entry) is checked before it is written: file paths,
fact keys and rule ids, workbook cell references, disagreement flags, tool commands and links to the
review pages are review material. One that slips through (a template, a wording file or a content
file that names them) stops that unit-year with a message naming the page and the text.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from html import unescape

from disclosure.errors import InputError, Problem

#: (kind, what a user is told it is, pattern over the page's visible text and attribute values)
_TEXT_PATTERNS: tuple[tuple[str, str, re.Pattern[str]], ...] = (
    ("path", "文件路径", re.compile(
        r"(?<![\w.])(?:[\w.-]+[/\\])+[\w.-]+\.(?:toml|xlsx|xls|ods|md|json|py|csv|txt)\b"
        r"|(?<![\w/.-])[\w-]+\.toml\b", re.I)),
    ("key", "事实键或规则编号", re.compile(
        r"(?=[a-z])(?<![\w@./:-])[a-z][a-z0-9]*(?:_[a-z0-9]+)*(?:\.[a-z0-9]+(?:_[a-z0-9]+)*)+(?![\w@/-])")),
    ("cell", "单元格引用", re.compile(r"!\$?[A-Z]{1,3}\$?[0-9]{1,7}\b")),
    ("flag", "核对标记", re.compile(r"不一致")),
    ("command", "工具命令", re.compile(r"\bdisclosure\s+(?:build|check|init|serve|monitor)\b|(?<![\w-])--[a-z][a-z-]+\b")),
)
#: The last part of a dotted word that makes it a web or mail address, not a key.
_ADDRESS_ENDINGS = frozenset({"cn", "com", "net", "org", "gov", "edu", "html", "htm", "js", "css", "csv", "xlsx",
                              "xls", "ods", "json", "pdf", "docx", "doc", "zip"})
_REVIEW_HREF = re.compile(r"""\b(?:href|src)\s*=\s*["'][^"']*review\.html""", re.I)
# (?=[tac]) changes no match: it lets the regex engine skip positions by their first character.
_ATTR_TEXT = re.compile(r"""(?=[tac])\b(?:title|aria-label|alt|content)\s*=\s*"([^"]*)\"""")
_SKIP = re.compile(r"<(script|style)\b[^>]*>.*?</\1\s*>|<head\b.*?</head\s*>", re.S | re.I)
_TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class Leak:
    """One piece of internal text found on a public page."""

    page: str
    kind: str
    label: str
    text: str

    def __str__(self) -> str:
        return f"{self.page}：含有{self.label}“{self.text}”"


def _visible(html: str) -> str:
    """Text a reader meets: the body's text and its tooltip, label and alt texts (not scripts)."""
    body = _SKIP.sub(" ", html)
    attrs = " ".join(m.group(1) for m in _ATTR_TEXT.finditer(body))
    return unescape(_TAG.sub(" ", body) + " " + attrs)


#: Every path match ends in one of these; a page without one has no path (most pages have one:
#: the link text of the workbook download).
_PATH_END = re.compile(r"\.(?:toml|xlsx|xls|ods|md|json|py|csv|txt)\b", re.I)
#: The characters a path match is made of: a match never spans a character outside them.
_PATH_CHARS = re.compile(r"[\w./\\-]", re.I)
_REVIEW_WORD = re.compile(r"review\.html", re.I)  # every _REVIEW_HREF match contains one


def _path_runs(text: str) -> list[str]:
    """The maximal runs of path characters around each possible path ending, in order.

    A path match lies inside one such run and its look-arounds agree there (the character before
    and after a run is neither a word character nor a dot), so matching each run on its own finds
    exactly what matching the whole text finds, without trying every position of a long page."""
    runs: list[str] = []
    end = -1
    is_path = _PATH_CHARS.fullmatch
    for m in _PATH_END.finditer(text):
        if m.start() < end:
            continue  # inside the run already taken
        start, end = m.start(), m.end()
        while start > 0 and is_path(text[start - 1]):
            start -= 1
        while end < len(text) and is_path(text[end]):
            end += 1
        runs.append(text[start:end])
    return runs


def _matches(kind: str, pattern: re.Pattern[str], text: str) -> list[str]:
    """Every match of one kind's pattern in the text, as ``pattern.finditer`` gives them."""
    if kind == "path":
        return [m.group(0) for run in _path_runs(text) for m in pattern.finditer(run)]
    if kind == "command" and "disclosure" not in text and "--" not in text:
        return []  # the command pattern starts with one of them
    return [m.group(0) for m in pattern.finditer(text)]


def text_leaks(text: str, page: str = "") -> list[Leak]:
    """Internal text in plain text (a page's visible text or a search entry)."""
    found: list[Leak] = []
    for kind, label, pattern in _TEXT_PATTERNS:
        for word in _matches(kind, pattern, text):
            if kind == "key" and word.rsplit(".", 1)[-1] in _ADDRESS_ENDINGS:
                continue
            found.append(Leak(page, kind, label, word))
    return found


def page_leaks(html: str, page: str = "") -> list[Leak]:
    """Internal text and review links on one rendered page."""
    found = text_leaks(_visible(html), page)
    if _REVIEW_WORD.search(html):
        found += [Leak(page, "review", "审核页面链接", m.group(0)) for m in _REVIEW_HREF.finditer(html)]
    return found


def require_public(html: str, page: str) -> None:
    """Raise InputError naming the page and every internal text on it (none: return)."""
    leaks = page_leaks(html, page)
    if leaks:
        unique = list(dict.fromkeys(str(leak) for leak in leaks))
        raise InputError([Problem(
            "对外公开版的页面不得含有文件路径、事实键、规则编号、单元格引用、核对标记、工具命令或审核页面链接；"
            f"本单位年度未发布。请删去下列文字（多在 content/ 的文稿中）后重新生成，或用 --review 生成审核版查看："
        )] + [Problem(u) for u in unique[:20]])
