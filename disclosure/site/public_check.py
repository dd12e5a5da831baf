"""The public site's last guard: no internal text in a file a citizen downloads.

Every page of a public build (and its search entry), the portal, the search page, the search
index and the theme's files are checked before they are written: file paths, fact keys and rule
ids, workbook cell references, disagreement flags, tool commands and links to the review pages are
review material. They are looked for where a reader sees them (the text, the page title, tooltips,
labels, meta descriptions) and where anyone who saves the page finds them (comments, ``data-*``
attributes, inline scripts and styles, and links: a public page links to pages, the theme's files
and the tables' CSV and workbook only). One that slips through (a template, a wording file or a
content file that names them) stops that unit-year, or the portal, with a message naming the
page and the text.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from html import unescape
from typing import Iterator

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
# (?=[tac]) changes no match: it lets the regex engine skip positions by their first character.
_ATTR_TEXT = re.compile(r"""(?=[tac])\b(?:title|aria-label|alt|content)\s*=\s*"([^"]*)\"""")
#: Scripts, styles and comments: not text a reader sees, each checked on its own.
_SKIP = re.compile(r"<(script|style)\b[^>]*>.*?</\1\s*>|<!--.*?-->", re.S | re.I)
_TAG = re.compile(r"<[^>]+>")
_COMMENT = re.compile(r"<!--(.*?)-->", re.S)
_CODE = re.compile(r"<(script|style)\b[^>]*>(.*?)</\1\s*>", re.S | re.I)
_DATA_ATTR = re.compile(r"""\sdata-[\w-]+\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.I)
_LINK_ATTR = re.compile(r"""\s(?:href|src|action|poster|srcset|formaction|data)\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.I)
#: What a public page may link to inside the site: pages, the theme's files, the tables' data, the kit.
SITE_FILES = (".html", ".htm", ".css", ".js", ".csv", ".xlsx", ".svg", ".png", ".jpg", ".jpeg", ".gif", ".webp",
              ".ico", ".woff", ".woff2", ".pdf", ".docx", ".zip")
_QUERY = re.compile(r"[?#]")
_OUTSIDE = re.compile(r"^(?:https?:|mailto:|tel:)", re.I)
_ABSOLUTE = re.compile(r"^(?:/|\\|[a-z]:[\\/]|file:)", re.I)
#: In a script or stylesheet only a dotted word with a snake_case part is a key (code has its own
#: dotted names, ``window.location``), and only ``disclosure build`` … is a command (CSS has ``--x``).
_CODE_KINDS = {"path", "key", "cell", "flag", "command"}


@dataclass(frozen=True)
class Leak:
    """One piece of internal text found on a public page."""

    page: str
    kind: str
    label: str
    text: str

    def __str__(self) -> str:
        return f"{self.page}：含有{self.label}“{self.text}”"


#: What the patterns above look for, as found faster: each match of ``_ATTR_TEXT`` starts at one of
#: these words; each of ``_LINK_ATTR`` and ``_DATA_ATTR`` one character (the space) before one of
#: theirs, in any case (``re.I``). ``_matches_at`` tries the pattern only there.
_ATTR_WORDS = ("title", "aria-label", "alt", "content")
_LINK_WORDS = (b"href", b"src", b"action", b"poster", b"formaction", b"data")  # srcset starts with src
_DATA_WORDS = (b"data-",)
#: The characters other than A–Z that ``re.I`` matches to an ASCII letter (İ, ı → i, ſ → s, K → k).
_FOLDS = ("\u0130", "\u0131", "\u017f", "\u212a")


def _lowered(html: str) -> bytes | None:
    """The page as ASCII bytes, lowered, every other character a ``?`` (so at the page's positions),
    when a case-insensitive search for ASCII words may look in it: there an ASCII letter stands
    exactly where a ``re.I`` pattern's letter can match, unless the page holds one of ``_FOLDS``
    (then None: the plain scans run). A third of the cost of ``html.lower()``."""
    for c in _FOLDS:
        if c in html:
            return None
    return html.encode("ascii", "replace").lower()


def _matches_at(pattern: re.Pattern[str], text: str, haystack: str | bytes, words: tuple, before: int) -> list[re.Match[str]]:
    """``list(pattern.finditer(text))`` when every match starts ``before`` characters ahead of an
    occurrence of one of ``words`` in ``haystack`` (``text`` itself, or ``_lowered(text)``): the pattern is
    tried only there, in order, each try after the last match's end, as ``finditer`` goes."""
    starts = set()
    for word in words:
        i = haystack.find(word)
        while i >= 0:
            if i >= before:
                starts.add(i - before)
            i = haystack.find(word, i + 1)
    found, end = [], 0
    match = pattern.match
    for start in sorted(starts):
        if start < end:
            continue
        m = match(text, start)
        if m is not None:
            found.append(m)
            end = m.end()
    return found


def _link_matches(html: str, lowered: bytes | None) -> list[re.Match[str]]:
    if lowered is None:
        return list(_LINK_ATTR.finditer(html))
    return _matches_at(_LINK_ATTR, html, lowered, _LINK_WORDS, 1)


def _data_matches(html: str, lowered: bytes | None) -> list[re.Match[str]]:
    if lowered is None:
        return list(_DATA_ATTR.finditer(html))
    return _matches_at(_DATA_ATTR, html, lowered, _DATA_WORDS, 1)


def _attr_texts(body: str) -> str:
    """The tooltip, label, alt and meta texts of a page (``body``: its scripts and styles blanked)."""
    return " ".join(m.group(1) for m in _matches_at(_ATTR_TEXT, body, body, _ATTR_WORDS, 0))


def _visible(html: str) -> str:
    """Text a reader meets: the page's text (its title included) and its tooltip, label, alt and
    meta texts (not scripts, styles or comments)."""
    body = _SKIP.sub(" ", html)
    return unescape(_TAG.sub(" ", body) + " " + _attr_texts(body))


def _comments(html: str) -> str:
    return "\n".join(m.group(1) for m in _COMMENT.finditer(html))


def _codes(html: str) -> str:
    """The page's inline scripts and styles."""
    return "\n".join(m.group(2) for m in _CODE.finditer(html))


def _data_values(html: str, lowered: bytes | None) -> str:
    return unescape("\n".join(m.group(1) or m.group(2) or "" for m in _data_matches(html, lowered)))


def _link_targets(html: str, lowered: bytes | None) -> Iterator[str]:
    """Where the page's links lead, entities resolved."""
    for m in _link_matches(html, lowered):
        target = m.group(1) if m.group(1) is not None else m.group(2)
        yield unescape(target) if "&" in target else target


#: Every path match ends in one of these; a page without one has no path (most pages have one:
#: the link text of the workbook download).
_PATH_END = re.compile(r"\.(?:toml|xlsx|xls|ods|md|json|py|csv|txt)\b", re.I)
#: The characters a path match is made of: a match never spans a character outside them.
_PATH_CHARS = re.compile(r"[\w./\\-]", re.I)
_REVIEW_WORD = re.compile(r"review\.html", re.I)  # every _REVIEW_ANY match contains one
#: The review page named anywhere in a page: as a link (the whole attribute), else the word.
_REVIEW_ANY = re.compile(r"""\b(?:href|src)\s*=\s*["'][^"']*review\.html|review\.html""", re.I)


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


def text_leaks(text: str, page: str = "", where: str = "") -> list[Leak]:
    """Internal text in plain text (a page's visible text or a search entry); ``where`` names the
    part of the file it was found in, for the message."""
    found: list[Leak] = []
    for kind, label, pattern in _TEXT_PATTERNS:
        for word in _matches(kind, pattern, text):
            if kind == "key" and word.rsplit(".", 1)[-1] in _ADDRESS_ENDINGS:
                continue
            found.append(Leak(page, kind, f"{label}{where}", word))
    return found


def code_leaks(code: str, page: str = "", where: str = "（脚本或样式中）", review: bool = True) -> list[Leak]:
    """Internal text in a script or stylesheet (inline, or one of the theme's files)."""
    found = []
    for leak in text_leaks(code, page, where):
        if leak.kind == "key" and "_" not in leak.text:
            continue
        if leak.kind == "command" and leak.text.startswith("--"):
            continue
        found.append(leak)
    if review and _REVIEW_WORD.search(code):
        found += [Leak(page, "review", f"审核页面链接{where}", m.group(0)) for m in _REVIEW_WORD.finditer(code)]
    return found


def _link_path_leak(target: str, page: str) -> Leak | None:
    """A link to a file on the computer that built the site, or to a kind of file the public site
    does not publish (a .toml, .md, .json, the unit's .xls/.ods …)."""
    split = _QUERY.search(target)
    path = target[:split.start()] if split else target
    if not path or _OUTSIDE.match(path):
        return None
    if _ABSOLUTE.match(path) or not (path.endswith("/") or path.lower().endswith(SITE_FILES)):
        return Leak(page, "path", "文件路径（链接中）", target)
    return None


def _link_rest(target: str) -> str:
    """A link's query and fragment as words (``?note=x#y`` → ``note x y``)."""
    split = _QUERY.search(target)
    return re.sub(r"[?&=#]", " ", target[split.start():]) if split else ""


def link_leaks(target: str, page: str = "") -> list[Leak]:
    """What a public page may not link to (``_link_path_leak``), and internal text in the link's
    query and fragment (a key, a cell, a path)."""
    target = unescape(target).strip()
    leak = _link_path_leak(target, page)
    return ([leak] if leak else []) + text_leaks(_link_rest(target), page, "（链接中）")


def page_leaks(html: str, page: str = "") -> list[Leak]:
    """Internal text and review links anywhere in one rendered page: its text, title and tooltips,
    then its comments, inline scripts and styles, ``data-*`` attributes and links (each kind of
    place read as one text, so a page with a thousand links is still one pass per pattern)."""
    found = text_leaks(_visible(html), page)
    lowered = _lowered(html)
    if "<!--" in html:
        found += text_leaks(_comments(html), page, "（注释中）")
    if "<script" in html or "<style" in html:
        found += code_leaks(_codes(html), page, "（页面的脚本或样式中）", review=False)
    if "data-" in html:
        found += text_leaks(_data_values(html, lowered), page, "（data-属性中）")
    rests = []
    for target in _link_targets(html, lowered):
        leak = _link_path_leak(target.strip(), page)
        if leak:
            found.append(leak)
        if "?" in target or "#" in target:
            rests.append(_link_rest(target))
    if rests:
        found += text_leaks("\n".join(rests), page, "（链接中）")
    if (b"review.html" in lowered) if lowered is not None else _REVIEW_WORD.search(html):  # a link to it, or its name anywhere
        found += [Leak(page, "review", "审核页面链接", m.group(0)) for m in _REVIEW_ANY.finditer(html)]
    return found


def refuse(leaks: list[Leak], what: str) -> None:
    if leaks:
        unique = list(dict.fromkeys(str(leak) for leak in leaks))
        raise InputError([Problem(
            "对外公开版的页面不得含有文件路径、事实键、规则编号、单元格引用、核对标记、工具命令或审核页面链接；"
            f"{what}未发布。请删去下列文字（多在 content/ 的文稿或项目的 theme/ 模板中）后重新生成，或用 --review 生成审核版查看："
        )] + [Problem(u) for u in unique[:20]])


def require_public(html: str, page: str, what: str = "本单位年度") -> None:
    """Raise InputError naming the page and every internal text on it (none: return)."""
    refuse(page_leaks(html, page), what)


def require_public_text(text: str, page: str, what: str = "门户与站内搜索") -> None:
    """The same for plain text (a search entry)."""
    refuse(text_leaks(text, page), what)


def require_public_code(code: str, page: str, what: str = "网站的样式与脚本") -> None:
    """The same for one of the theme's scripts or stylesheets."""
    refuse(code_leaks(code, page), what)


#: A piece of a page whose text, checked on its own, finds what the whole page would there: one
#: cut after a tag's ``>`` and before a white-space character (``cut_point``), outside any tag,
#: comment, script, style or quoted attribute value.
_TAIL = 64  # characters of a stream kept for the next piece (a command match spans white space)


def _tail(text: str) -> str:
    stripped = text.rstrip()
    return stripped[-_TAIL:] + (" " if len(stripped) < len(text) else "")


def _head(text: str) -> str:
    stripped = text.lstrip()
    return (" " if len(stripped) < len(text) else "") + stripped[:_TAIL]


class _Stream:
    """One kind of place of a page (its text, its attribute texts, its comments …), read piece by
    piece: each piece's values are checked after the last characters of the pieces before
    (``_TAIL``), so that a match across the cut is still found."""

    def __init__(self, sep: str, code: bool = False) -> None:
        self.sep, self.code = sep, code
        self.carry: str | None = None
        self.head: str | None = None
        self.found = False

    def feed(self, value: str) -> None:
        if not value:
            return
        if self.head is None:
            self.head = _head(value)
        text = value if self.carry is None else self.carry + self.sep + value
        leaks = code_leaks(text, review=False) if self.code else text_leaks(text)
        self.found = self.found or bool(leaks)
        self.carry = _tail(text)


class PageCheck:
    """``page_leaks`` over a page given in pieces cut where ``cut_point`` cuts (each piece passed to
    ``feed`` in order, then ``suspect``). It never misses what ``page_leaks`` of the whole page
    finds; it may report a match the whole page does not have (a look-behind at a cut), so a caller
    that is told ``suspect`` checks the whole page (``require_public``) for the message."""

    def __init__(self) -> None:
        self.text, self.attrs = _Stream(""), _Stream(" ")
        self.comments, self.codes = _Stream("\n"), _Stream("\n", code=True)
        self.data, self.rests = _Stream("\n"), _Stream("\n")
        self.found = False

    def feed(self, html: str) -> None:
        body = _SKIP.sub(" ", html)
        self.text.feed(unescape(_TAG.sub(" ", body)))
        self.attrs.feed(unescape(_attr_texts(body)))
        lowered = _lowered(html)
        self.comments.feed(_comments(html))
        self.codes.feed(_codes(html))
        self.data.feed(_data_values(html, lowered))
        rests = []
        for target in _link_targets(html, lowered):
            if _link_path_leak(target.strip(), ""):
                self.found = True
            if "?" in target or "#" in target:
                rests.append(_link_rest(target))
        self.rests.feed("\n".join(rests))
        if _REVIEW_WORD.search(html):
            self.found = True

    @property
    def suspect(self) -> bool:
        """Whether the page may hold internal text (the page's text meets its attribute texts at the end)."""
        if self.text.carry is not None and self.attrs.head is not None and text_leaks(self.text.carry + " " + self.attrs.head):
            return True
        return self.found or any(s.found for s in (self.text, self.attrs, self.comments, self.codes, self.data, self.rests))


_OPENER = re.compile(r"""=\s*(["'])""")
_CODE_OPEN = {name: (re.compile(rf"<{name}\b"), re.compile(rf"<{name}\b", re.I), f"</{name}>",
                     re.compile(rf"</{name}\s*>", re.I)) for name in ("script", "style")}


def closed(html: str) -> bool:
    """Whether ``html`` (a page's start, or a piece after a cut) ends outside any tag, comment, script,
    style and quoted attribute value, as each pattern of the checks and of the search text reads it."""
    if html.rfind("<") > html.rfind(">"):
        return False
    i = html.rfind("<!--")
    if i >= 0 and html.find("-->", i + 4) < 0:
        return False
    for exact, folded, close, close_folded in _CODE_OPEN.values():
        last = None
        for last in exact.finditer(html):
            pass
        if last is not None and html.find(close, last.end()) < 0:
            return False
        last = None
        for last in folded.finditer(html):
            pass
        if last is not None and not close_folded.search(html, last.end()):
            return False
    for m in _OPENER.finditer(html):
        if html.find(m.group(1), m.end()) < 0:
            return False
    return True


def cut_point(html: str, tries: int = 8) -> int:
    """A place to cut ``html`` (the text after the last cut) into a piece ``PageCheck`` and
    ``search.PageText`` read on their own, as near its end as found: after a ``>`` and before a white
    space character, with ``closed`` before it; 0 when none of the last ``tries`` such places is."""
    end = len(html)
    for _ in range(tries):
        i = html.rfind(">", 0, end)
        while i >= 0 and not (i + 1 < len(html) and html[i + 1].isspace()):
            i = html.rfind(">", 0, i)
        if i < 0:
            return 0
        if closed(html[: i + 1]):
            return i + 1
        end = i
    return 0
