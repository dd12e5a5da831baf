"""``fragment.html``: the report's body for pasting into a portal's CMS editor.

Plain semantic markup only: headings, paragraphs, lists, and every 公开表 as a table with its merged
header cells (``colspan``/``rowspan``), figures ``align="right"`` and its 单位 in the caption; no
scripts, no classes or ids (nothing needs our stylesheet), no links (a figure's link to its cell only
works inside our site; its text stays). A fragment that nh3's default cleaning would change is a bug:
``clean_fragment`` is the one place that decides what survives.
"""
from __future__ import annotations

from html import escape
from typing import Any

import nh3

TAGS = {"h1", "h2", "h3", "h4", "h5", "h6", "p", "ul", "ol", "li", "strong", "em", "b", "i", "br", "sub", "sup",
        "table", "caption", "thead", "tbody", "tr", "th", "td", "section"}
ATTRIBUTES = {"th": {"colspan", "rowspan", "scope", "align"}, "td": {"colspan", "rowspan", "align"}}
_DROP_WITH_CONTENT = {"script", "style", "svg", "figure", "nav", "button", "form", "template"}


def clean_fragment(html: str) -> str:
    """Markup reduced to TAGS and ATTRIBUTES; other tags give up their text, scripts, styles and
    drawings vanish with theirs."""
    return nh3.clean(html, tags=TAGS, attributes=ATTRIBUTES, clean_content_tags=_DROP_WITH_CONTENT,
                     link_rel=None, strip_comments=True)


def _grid(grid: Any, caption: str) -> str:
    rows = [f"<table>\n<caption>{escape(caption)}（单位：万元）</caption>\n<thead>"]
    for hrow in grid.head:
        cells = []
        for h in hrow:
            span = (f' colspan="{h.colspan}"' if h.colspan > 1 else "") + (f' rowspan="{h.rowspan}"' if h.rowspan > 1 else "")
            cells.append(f'<th scope="col"{span}>{escape(h.text)}</th>')
        rows.append("<tr>" + "".join(cells) + "</tr>")
    rows.append("</thead>\n<tbody>")
    for row in grid.body:
        if not row:
            continue
        cells = []
        for c in row:
            if c.kind == "label":
                cells.append(f'<th scope="row">{escape(c.text)}</th>')
            elif c.kind == "value":
                cells.append(f'<td align="right">{escape(c.text)}</td>')
            else:
                cells.append(f"<td>{escape(c.text)}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    rows.append("</tbody>\n</table>")
    return "\n".join(rows)


def _table_view(view: Any, unit_name: str) -> str:
    title = f"{view.marker} {view.title}".strip()
    out = [f"<h3>{escape(title)}</h3>", f"<p>编制单位：{escape(unit_name)}　单位：万元</p>"]
    for grid in view.grids:
        out.append(_grid(grid, f"{title}（{grid.block}）" if len(view.grids) > 1 and grid.block else title))
    if view.empty:
        out.append(f"<p>{escape(view.empty_note)}</p>")
    out += [f"<p>{escape(n)}</p>" for n in view.notes]
    return "\n".join(out)


def _chart(chart: Any) -> str:
    head = "".join(f'<th scope="col">{escape(s)}</th>' for s in chart.series)
    body = "\n".join("<tr><th scope=\"row\">" + escape(label) + "</th>"
                     + "".join(f'<td align="right">{escape(v)}</td>' for v in vals) + "</tr>" for label, vals in chart.rows)
    legend = "".join(f"<li>{escape(text)}</li>" for _, text in getattr(chart, "legend", ()))  # shares (83.27%)
    return (f"<table>\n<caption>{escape(chart.title)}（单位：{escape(chart.unit)}）</caption>\n"
            f'<thead><tr><th scope="col">项目</th>{head}</tr></thead>\n<tbody>\n{body}\n</tbody>\n</table>'
            + (f"\n<ul>{legend}</ul>" if legend else ""))


def report_fragment(title: str, meta: str, parts: list[Any], views: list[Any], charts: list[Any], unit_name: str) -> str:
    """The fragment's HTML (UTF-8 text, no document wrapper)."""
    out = [f"<h1>{escape(title)}</h1>", f"<p>{escape(meta)}</p>"]
    for part in parts:
        out.append(f"<h2>{escape(part.title)}</h2>")
        if part.kind == "tables":
            out += [_table_view(v, unit_name) for v in views]
            continue
        if not part.blocks:
            out.append(f"<p>{escape(part.note)}</p>")
        for block in part.blocks:
            if block.title:
                level = min(max(block.level, 3), 6)
                out.append(f"<h{level}>{escape(block.title)}</h{level}>")
            out.append(block.html)
        if part.kind == "narrative" and charts:
            out.append("<h3>决算情况图示</h3>")
            out += [_chart(c) for c in charts]
    return clean_fragment("\n".join(out)).strip() + "\n"
