"""``report.pdf``: the published report page printed by Chromium, with a cover and every 公开表.

The report page of a public build already holds every table for print (``dc-print-tables``). The
kit prints a self-contained copy of it: the theme's stylesheets inline (the unit-year may be built
in a staging folder without ``assets/``), no scripts, no links that only work inside the site, and a
cover (unit, year, 发布机构, date from the configuration). A4, ``第N页 共M页`` in the footer, bookmarks
from the headings (each 部分, each table), tagged. Chromium stamps the build's clock into
/CreationDate and /ModDate (set to the configured 发布日期, or blanked) and numbers the structure
elements by DOM node (renumbered in order), so the same input gives the same bytes with the same
Chromium.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from pathlib import Path

from disclosure.site import prefix
from disclosure.site.public_check import require_public
from disclosure.site.theme import asset_files, theme_dirs

PAGE_MARGIN = {"top": "20mm", "bottom": "18mm", "left": "15mm", "right": "15mm"}

_CSP = re.compile(r'<meta http-equiv="Content-Security-Policy"[^>]*>\n?', re.I)
_SCRIPT = re.compile(r"<script\b[^>]*>.*?</script\s*>\n?", re.S | re.I)
_STYLESHEET = re.compile(r'<link rel="stylesheet" href="([^"]+)">\n?', re.I)
_MAIN = re.compile(r'(<main\b[^>]*>)')
_DATE = re.compile(r"^(\d{4})[-./年](\d{1,2})[-./月](\d{1,2})日?$")
#: Chromium writes the clock as D:YYYYMMDDHHmmSS+00'00' (23 characters) in the document information.
_STAMP = re.compile(rb"/(CreationDate|ModDate) \(D:\d{14}[+\-Z][^)]{0,6}\)")
_NODE = re.compile(rb"\(node(\d+)\)")


@dataclass(frozen=True)
class Cover:
    """What the cover says: the report's title lines, 发布机构 and 发布日期 (empty: not printed)."""

    unit_name: str
    year: int
    publisher: str
    publish_date: str = ""


def cover_html(cover: Cover, css_prefix: str) -> str:
    """The cover as HTML (no heading, so that the bookmarks start at the report's title)."""
    p = css_prefix
    lines = [
        f'<section class="{p}kit-cover" aria-label="封面">',
        f'<p class="{p}kit-cover-unit">{escape(cover.unit_name)}</p>',
        f'<p class="{p}kit-cover-title">{cover.year}年度部门决算公开</p>',
        f'<div class="{p}kit-cover-meta">',
        f"<p>发布机构：{escape(cover.publisher)}</p>",
    ]
    if cover.publish_date:
        lines.append(f"<p>发布日期：{escape(cover.publish_date)}</p>")
    lines += ["</div>", "</section>"]
    return "\n".join(lines) + "\n"


def kit_css(css_prefix: str) -> str:
    """The cover's page and look; the page margins are the kit's (the footer template prints the
    page numbers, so the theme's own margin texts are switched off)."""
    p = css_prefix
    return (
        "@page { size: A4; margin: " + " ".join(PAGE_MARGIN[k] for k in ("top", "right", "bottom", "left"))
        + "; @top-center { content: none; } @bottom-center { content: none; } }\n"
        f".{p}kit-cover {{ break-after: page; page-break-after: always; text-align: center; padding-top: 70mm; }}\n"
        f".{p}kit-cover-unit {{ font-size: 22pt; font-weight: bold; margin: 0 0 10mm; }}\n"
        f".{p}kit-cover-title {{ font-size: 26pt; font-weight: bold; letter-spacing: .1em; margin: 0 0 60mm; }}\n"
        f".{p}kit-cover-meta p {{ font-size: 14pt; margin: 4mm 0; }}\n"
    )


def _stylesheets(html: str, folder: Path, project_root: Path, css_prefix: str) -> Callable[[re.Match[str]], str]:
    """Replace each stylesheet link by the stylesheet itself: theme assets from the theme, the
    unit-year's own (print-unit.css) from its folder."""
    assets = asset_files(theme_dirs(project_root))

    def inline(m: re.Match[str]) -> str:
        href = m.group(1)
        name = href.rsplit("/", 1)[-1]
        if "assets/" in href and name in assets:
            text = prefix.asset(assets[name].read_text(encoding="utf-8"), css_prefix)
        elif (folder / href).is_file():
            text = (folder / href).read_text(encoding="utf-8")
        else:
            return ""
        return f"<style>\n{text}\n</style>\n"

    return inline


def print_html(report_html: str, folder: Path, project_root: Path, cover: Cover, css_prefix: str) -> str:
    """The self-contained page Chromium prints: the written report page, its stylesheets inline,
    without scripts or the page's content policy, with the kit's style and the cover."""
    html = _CSP.sub("", report_html)
    html = _SCRIPT.sub("", html)
    html = _STYLESHEET.sub(_stylesheets(html, folder, project_root, css_prefix), html)
    html = html.replace("</head>", f"<style>\n{kit_css(css_prefix)}</style>\n</head>", 1)
    return _MAIN.sub(lambda m: m.group(1) + "\n" + cover_html(cover, css_prefix), html, count=1)


def _templates(title: str) -> tuple[str, str]:
    """The header (the report's title) and footer (第N页 共M页) on every page."""
    font = "font-family: 'Noto Sans CJK SC', 'Source Han Sans SC', 'Microsoft YaHei', 'SimSun', sans-serif;"
    box = f'style="{font} font-size: 8pt; color: #333; width: 100%; text-align: center; margin: 0 15mm;"'
    header = f"<div {box}>{escape(title)}</div>"
    footer = f'<div {box}>第<span class="pageNumber"></span>页 共<span class="totalPages"></span>页</div>'
    return header, footer


def pdf_date(text: str) -> bytes | None:
    """A configured date (2022-05-30, 2022年5月30日) in PDF form (China time), or None."""
    m = _DATE.match(text.strip())
    if not m:
        return None
    y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
    if not (1 <= mo <= 12 and 1 <= d <= 31):
        return None
    return f"D:{y:04d}{mo:02d}{d:02d}000000+08'00'".encode()


def stable(pdf: bytes, publish_date: str) -> bytes:
    """The PDF with Chromium's clock replaced, byte for byte in place (offsets unchanged): by the
    configured date, or by spaces (no date) when none is configured."""
    date = pdf_date(publish_date)

    def fix(m: re.Match[bytes]) -> bytes:
        entry = m.group(0)
        if date is not None:
            new = b"/" + m.group(1) + b" (" + date + b")"
            if len(new) <= len(entry):
                return new + b" " * (len(entry) - len(new))
        return b" " * len(entry)

    return _renumber_nodes(_STAMP.sub(fix, pdf))


def _renumber_nodes(pdf: bytes) -> bytes:
    """The tagged PDF's structure ids (``(node00000324)``) are Blink's DOM node numbers, which count on
    in a renderer that printed before: renumber them 1, 2, 3 … in their own order (same width, so the
    offsets and the sorted /IDTree hold)."""
    found = sorted({m.group(1) for m in _NODE.finditer(pdf)}, key=lambda n: (len(n), n))
    rank = {n: str(i).zfill(len(n)).encode() for i, n in enumerate(found, 1)}
    if any(len(rank[n]) != len(n) for n in found):
        return pdf  # more ids than the width holds: leave them (never happens at 8 digits)
    return _NODE.sub(lambda m: b"(node" + rank[m.group(1)] + b")", pdf)


def render_pdf(html: str, title: str, publish_date: str) -> bytes:
    """Print a self-contained page with Chromium (in its own thread) and make the bytes stable."""
    from disclosure.site.kit.chromium import with_browser

    header, footer = _templates(title)

    def job(browser) -> bytes:
        context = browser.new_context()
        try:
            page = context.new_page()
            page.set_content(html, wait_until="load")
            page.evaluate("""(title) => {
                document.title = title;
                // entries of the contents that are other pages (绩效, 执行进度) are not in this document
                for (const a of document.querySelectorAll('nav a[href]')) {
                    if (!a.getAttribute('href').startsWith('#')) a.closest('li')?.remove();
                }
                for (const a of document.querySelectorAll('a[href]')) {
                    if (!a.getAttribute('href').startsWith('#')) a.removeAttribute('href');
                }
                return document.fonts.ready.then(() => true);
            }""", title)
            return page.pdf(format="A4", margin=PAGE_MARGIN, print_background=True, outline=True, tagged=True,
                            display_header_footer=True, header_template=header, footer_template=footer)
        finally:
            context.close()

    return stable(with_browser(job), publish_date)


def write_report_pdf(report_html: str, folder: Path, project_root: Path, cover: Cover, css_prefix: str,
                     title: str) -> bytes:
    """The PDF of one unit-year's report page (``report_html`` as written in ``folder``); the
    page printed is checked like every public page first."""
    html = print_html(report_html, folder, project_root, cover, css_prefix)
    require_public(html, "kit/report.pdf")
    return render_pdf(html, title, cover.publish_date)
