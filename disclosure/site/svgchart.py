"""Charts drawn at build time as inline SVG: no chart library, no script, the same bytes every run.

A chart's drawing spec (``ChartView.spec_json``: kind, categories, series, values as decimal strings,
unit, optionally ``reference``: the index of a series drawn as one dashed line, such as 序时进度)
becomes an ``<svg>`` sized by its ``viewBox`` for a phone's width, so its text stays legible at
360 px. Bars run horizontally (a long label sits on its own line above its bars); every value axis
starts at zero. Colours are attributes (the pages' CSP allows no inline style); the legend is HTML.
"""
from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal
from html import escape

#: Series colours (each has ≥ 3:1 contrast on white, WCAG 1.4.11); the legend's swatch classes match.
COLORS = ("#1f4e89", "#c0392b", "#2e7d32", "#b9770e", "#6a1b9a", "#00838f", "#5d4037", "#546e7a")
WIDTH = 360
FONT = 15


def _num(v: str | None) -> float | None:
    return None if v is None else float(Decimal(v))


def _f(x: float) -> str:
    """A coordinate with one decimal (deterministic text for the same input)."""
    s = f"{x:.1f}"
    return s[:-2] if s.endswith(".0") else s


def nice_ticks(top: float, count: int = 4) -> list[float]:
    """0, step, 2·step … up to at least ``top`` with a round step (1, 2, 2.5, 5 × 10ⁿ)."""
    if top <= 0:
        return [0.0, 1.0]
    raw = top / count
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    n = math.ceil(top / step - 1e-9)
    return [i * step for i in range(n + 1)]


def _tick_text(v: float, unit: str) -> str:
    text = f"{v:,.0f}" if abs(v - round(v)) < 1e-9 else f"{v:,.1f}"
    return text + ("%" if unit == "%" else "")


def _text(x: float, y: float, s: str, anchor: str = "start", size: int = FONT, cls: str = "") -> str:
    c = f' class="{cls}"' if cls else ""
    return (f'<text x="{_f(x)}" y="{_f(y)}" font-size="{size}" text-anchor="{anchor}" fill="#1a1a1a"{c}>'
            f"{escape(s)}</text>")


def _svg(width: float, height: float, body: list[str]) -> str:
    return (f'<svg class="dc-svg" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_f(width)} {_f(height)}" '
            f'width="{_f(width)}" height="{_f(height)}" aria-hidden="true" focusable="false" '
            f'font-family="Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, sans-serif">'
            + "".join(body) + "</svg>")


def _bars(spec: dict, labels: list[list[str]]) -> str:
    """Horizontal grouped bars: per category its label line, then one bar per series, value at the end."""
    ref = spec.get("reference")
    series = [i for i in range(len(spec["series"])) if i != ref]
    values = [[_num(v) for v in row] for row in spec["values"]]
    ref_value = next((r[ref] for r in values if ref is not None and r[ref] is not None), None)
    shown = [v for row in values for i, v in enumerate(row) if i in series and v is not None]
    top = max([0.0, *shown, *([ref_value] if ref_value is not None else [])])
    low = min([0.0, *shown])
    if spec.get("unit") == "%":
        top = max(top, 100.0)
    ticks = nice_ticks(top)
    top = ticks[-1]
    left, right = 16.0, WIDTH - 70.0  # room for the first tick's text and the value after the longest bar
    span = (top - low) or 1.0

    def x(v: float) -> float:
        return left + (v - low) / span * (right - left)

    bar_h, gap = 16.0, 4.0
    y = 4.0
    body: list[str] = []
    rows: list[str] = []
    for c, cat in enumerate(spec["categories"]):
        y += FONT + 2
        rows.append(_text(left - 12, y, cat))
        y += 5
        for i in series:
            v = values[c][i]
            if v is not None:
                x0, x1 = sorted((x(0), x(v)))
                rows.append(f'<rect x="{_f(x0)}" y="{_f(y)}" width="{_f(max(x1 - x0, 0.5))}" height="{_f(bar_h)}" '
                            f'fill="{COLORS[i % len(COLORS)]}"/>')
                rows.append(_text(x1 + 4, y + bar_h - 3, labels[c][i] + ("%" if spec.get("unit") == "%" else ""),
                                  size=FONT - 1))
            y += bar_h + gap
        y += 4
    plot_bottom = y
    for t in ticks:  # grid lines behind the bars, tick labels under the plot
        body.append(f'<line x1="{_f(x(t))}" y1="4" x2="{_f(x(t))}" y2="{_f(plot_bottom)}" stroke="#d0d0d0" stroke-width="1"/>')
        body.append(_text(x(t), plot_bottom + FONT + 4, _tick_text(t, spec.get("unit", "")), "middle", FONT - 1))
    body.append(f'<line x1="{_f(x(0))}" y1="4" x2="{_f(x(0))}" y2="{_f(plot_bottom)}" stroke="#1a1a1a" stroke-width="1.5"/>')
    body += rows
    if ref_value is not None:
        rx = x(ref_value)
        body.append(f'<line x1="{_f(rx)}" y1="4" x2="{_f(rx)}" y2="{_f(plot_bottom)}" stroke="{COLORS[ref % len(COLORS)]}" '
                    f'stroke-width="2" stroke-dasharray="6 4"/>')
    unit = spec.get("unit", "")
    axis = f"单位：{unit}" if unit and unit != "%" else "执行进度（%）" if unit == "%" else ""
    height = plot_bottom + FONT + 10
    if axis:
        height += FONT + 6
        body.append(_text(WIDTH - 4, height - 6, axis, "end", FONT - 1))
    return _svg(WIDTH, height, body)


def _pie(spec: dict) -> str:
    """A ring of the categories' shares, clockwise from the top (shares are named in the legend)."""
    values = [max(_num(r[0]) or 0.0, 0.0) for r in spec["values"]]
    total = sum(values) or 1.0
    size, cx, cy, r_out, r_in = 240.0, 120.0, 120.0, 110.0, 58.0
    body: list[str] = []
    angle = 0.0
    for i, v in enumerate(values):
        if v <= 0:
            continue
        share = v / total
        if share >= 0.9999:
            body.append(f'<circle cx="{_f(cx)}" cy="{_f(cy)}" r="{_f((r_out + r_in) / 2)}" fill="none" '
                        f'stroke="{COLORS[i % len(COLORS)]}" stroke-width="{_f(r_out - r_in)}"/>')
            break
        a0, a1 = angle, angle + share * 2 * math.pi
        large = 1 if a1 - a0 > math.pi else 0

        def pt(a: float, r: float) -> str:
            return f"{_f(cx + r * math.sin(a))} {_f(cy - r * math.cos(a))}"

        d = (f"M{pt(a0, r_out)} A{_f(r_out)} {_f(r_out)} 0 {large} 1 {pt(a1, r_out)} "
             f"L{pt(a1, r_in)} A{_f(r_in)} {_f(r_in)} 0 {large} 0 {pt(a0, r_in)} Z")
        body.append(f'<path d="{d}" fill="{COLORS[i % len(COLORS)]}" stroke="#ffffff" stroke-width="1.5"/>')
        angle = a1
    return _svg(size, size, body)


def _line(spec: dict, labels: list[list[str]]) -> str:
    """One line per series over the categories (years), value axis from zero, tick labels left."""
    values = [[_num(v) for v in row] for row in spec["values"]]
    shown = [v for row in values for v in row if v is not None]
    ticks = nice_ticks(max([0.0, *shown]))
    top = ticks[-1] or 1.0
    tick_w = max(len(_tick_text(t, spec.get("unit", ""))) for t in ticks) * (FONT - 1) * 0.6 + 8
    left, right, top_y, bottom = tick_w, WIDTH - 16.0, 10.0, 190.0
    n = len(spec["categories"])

    def px(i: int) -> float:
        return left + 20 + (i * (right - left - 40) / (n - 1) if n > 1 else (right - left - 40) / 2)

    def py(v: float) -> float:
        return bottom - v / top * (bottom - top_y)

    body: list[str] = []
    for t in ticks:
        body.append(f'<line x1="{_f(left)}" y1="{_f(py(t))}" x2="{_f(right)}" y2="{_f(py(t))}" stroke="#d0d0d0" stroke-width="1"/>')
        body.append(_text(left - 6, py(t) + 4, _tick_text(t, spec.get("unit", "")), "end", FONT - 1))
    body.append(f'<line x1="{_f(left)}" y1="{_f(bottom)}" x2="{_f(right)}" y2="{_f(bottom)}" stroke="#1a1a1a" stroke-width="1.5"/>')
    for i, cat in enumerate(spec["categories"]):
        body.append(_text(px(i), bottom + FONT + 6, cat, "middle"))
    for s in range(len(spec["series"])):
        color = COLORS[s % len(COLORS)]
        pts = [(px(i), py(row[s])) for i, row in enumerate(values) if row[s] is not None]
        if len(pts) > 1:
            body.append(f'<polyline points="{" ".join(f"{_f(a)},{_f(b)}" for a, b in pts)}" fill="none" '
                        f'stroke="{color}" stroke-width="3"/>')
        for a, b in pts:
            body.append(f'<circle cx="{_f(a)}" cy="{_f(b)}" r="4.5" fill="{color}"/>')
    unit = spec.get("unit", "")
    if unit:
        body.append(_text(right, bottom + FONT * 2 + 12, f"单位：{unit}", "end", FONT - 1))
    return _svg(WIDTH, bottom + FONT * 2 + 16, body)


def draw(spec: dict, labels: list[list[str]]) -> str:
    """The chart's SVG; ``labels`` are the formatted values (as in the data table) per category and series."""
    kind = spec["kind"]
    if kind == "pie":
        return _pie(spec)
    if kind == "line":
        return _line(spec, labels)
    return _bars(spec, labels)


def shares(values: list[str | None]) -> list[str]:
    """Each value's share of the total in percent, two places, rounded half up ('' when no total)."""
    nums = [max(Decimal(v), Decimal(0)) if v is not None else Decimal(0) for v in values]
    total = sum(nums, Decimal(0))
    if not total:
        return ["" for _ in nums]
    return [f"{(n / total * 100).quantize(Decimal('0.01'), rounding=ROUND_HALF_UP)}%" for n in nums]


def legend(spec: dict, labels: list[list[str]]) -> list[tuple[int, str]]:
    """(colour index, text) of each legend entry: a pie's categories with value and share, else the series."""
    if spec["kind"] == "pie":
        pct = shares([r[0] for r in spec["values"]])
        unit = spec.get("unit", "")
        return [(i % len(COLORS), f"{cat} {labels[i][0]}{unit}（{pct[i]}）")
                for i, cat in enumerate(spec["categories"])]
    ref = spec.get("reference")
    out = []
    for i, name in enumerate(spec["series"]):
        if i == ref:
            value = next((row[i] for row in labels if row[i]), "")
            out.append((i % len(COLORS), f"{name}{value}{'%' if spec.get('unit') == '%' else ''}（虚线）"))
        else:
            out.append((i % len(COLORS), name))
    return out
