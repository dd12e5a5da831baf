"""Every figure of a public report, traced back to its cells, for the example and every corpus project.

For each project the public site and the review site are built. Each figure link of a public report
(``<a class="dc-fig">``) is read back from the page: its shown number, its unit and the table cell it
links to. It is matched to its fact in the review build's ``facts.json`` (same cell, same formula
without the cell reference, same shown value), and the fact is recomputed here from the raw cells of
the workbook, read with python-calamine at the addresses ``facts.json`` names (not through the loader):
a cell's value, a sum, a difference, a year-on-year change, a share or a rate, each rounded half up to
the places the page shows. A figure that does not come from its cells fails, naming the page, the
figure and the cells.
"""
from __future__ import annotations

import html as htmllib
import json
import re
import shutil
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from pathlib import Path

import pytest
import python_calamine

from disclosure.cli import main

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures"
PROJECTS = {
    "example": ROOT,
    **{f"acceptance/{p.name}": p for p in sorted((FIXTURES / "acceptance").iterdir()) if (p / "disclosure.toml").is_file()},
    **{f"real/{p.name}": p for p in sorted((FIXTURES / "real").iterdir()) if (p / "disclosure.toml").is_file()},
}

_FIGURE = re.compile(r'<a class="dc-fig"[^>]*\bhref="([^"]*)"[^>]*\btitle="([^"]*)"[^>]*>([^<]*)</a>'
                     r'|<span class="dc-fig" title="([^"]*)">([^<]*)</span>')
_CELL_IN_HREF = re.compile(r"(?:\.\./(\d{4})/)?tables/[A-Za-z0-9_-]+\.html(?:\?[^#]*)?#cell-([A-Za-z0-9_]+)-([A-Z]+\d+)$")
_SHOWN = re.compile(r"^(-?[\d,]+(?:\.\d+)?)(.*)$")
_CELL_REF = re.compile(r"![A-Z]+\d+")
_YEAR_IN_FILE = re.compile(r"(\d{4})(?:\.[A-Za-z]+)?$|/(\d{4})/")


@dataclass(frozen=True)
class Figure:
    page: str
    href: str | None  # None: a figure shown without a link (its table, 年初预算数表, is not published)
    title: str
    shown: str
    before: str  # the words just before the link (增加 / 减少 …)


def _build(project: Path, out: Path, *review: str) -> None:
    code = main(["build", "--no-kit", str(project), "--out", str(out), "-j", "1", *review])
    assert code == 0, f"{project}: build exited {code}"


_BUILT: dict[str, tuple[Path, Path, Path]] = {}


def _built(name: str, tmp_path_factory) -> tuple[Path, Path, Path]:
    """The project, its public site and its review site, built once per test session."""
    if name not in _BUILT:
        out = tmp_path_factory.mktemp(name.replace("/", "-"))
        _build(PROJECTS[name], out / "site")
        _build(PROJECTS[name], out / "review", "--review")
        _BUILT[name] = (PROJECTS[name], out / "site", out / "review")
    return _BUILT[name]


@pytest.fixture(params=sorted(PROJECTS), ids=str)
def built(request, tmp_path_factory):
    return _built(request.param, tmp_path_factory)


@pytest.fixture
def example(tmp_path_factory):
    return _built("example", tmp_path_factory)


def _reports(site: Path) -> list[Path]:
    """Each unit-year's report page (``<unit>/<year>/index.html``)."""
    return sorted(p for p in site.glob("*/[0-9][0-9][0-9][0-9]/index.html"))


def figures(page: Path) -> list[Figure]:
    text = page.read_text(encoding="utf-8")
    found = []
    for m in _FIGURE.finditer(text):
        before = re.sub(r"<[^>]+>", "", text[max(0, m.start() - 200):m.start()])
        if m.group(1) is not None:
            href, title, shown = htmllib.unescape(m.group(1)), m.group(2), m.group(3)
        else:
            href, title, shown = None, m.group(4), m.group(5)
        found.append(Figure(str(page), href, htmllib.unescape(title), htmllib.unescape(shown), before))
    return found


# --- the workbook, read raw ----------------------------------------------------------------------
def _a1(ref: str) -> tuple[int, int]:
    m = re.fullmatch(r"([A-Z]+)(\d+)", ref)
    assert m, ref
    col = 0
    for ch in m.group(1):
        col = col * 26 + ord(ch) - 64
    return int(m.group(2)) - 1, col - 1


@lru_cache(maxsize=None)
def _grid(path: str, sheet: str) -> tuple[tuple, ...]:
    book = python_calamine.CalamineWorkbook.from_path(path)
    return tuple(tuple(r) for r in book.get_sheet_by_name(sheet).to_python(skip_empty_area=False))


@lru_cache(maxsize=None)
def _sheet_in_yuan(path: str, sheet: str) -> bool:
    """Whether the sheet's unit line (or its value headers) says 元 rather than 万元."""
    head = " ".join(str(v) for row in _grid(path, sheet)[:12] for v in row if isinstance(v, str))
    if "万元" in head:
        return False
    return bool(re.search(r"单位[:：]\s*(人民币)?元|（元）|\(元\)", head))


def raw_value(project: Path, cell: dict, unit: str) -> Decimal:
    """The number typed in the cell, in the fact's unit (a sheet in 元 gives 万元 ÷ 10,000)."""
    path = str(project / cell["file"])
    row, col = _a1(cell["cell"])
    grid = _grid(path, cell["sheet"])
    value = grid[row][col] if row < len(grid) and col < len(grid[row]) else ""
    if value in ("", None):
        number = Decimal(0)
    elif isinstance(value, str):
        stripped = value.replace(",", "").strip()
        number = Decimal(stripped) if re.fullmatch(r"-?\d+(\.\d+)?", stripped) else Decimal(0)
    else:
        # Excel shows (and our reader keeps) 15 significant digits of a stored binary float.
        number = Decimal(format(value, ".15g")) if isinstance(value, float) else Decimal(value)
    if unit == "万元" and _sheet_in_yuan(path, cell["sheet"]):
        number = number / 10000
    return number


def _year_of(cell: dict) -> int | None:
    m = _YEAR_IN_FILE.search(cell["file"])
    return int(m.group(1) or m.group(2)) if m else None


def _places(value: str) -> int:
    return len(value.split(".")[1]) if "." in value else 0


def _q(value: Decimal, places: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)


def recompute(project: Path, facts: dict, key: str, year: int) -> Decimal | None:
    """The fact's value computed from the raw cells ``facts.json`` names, or None when its formula is
    of a kind that cannot be told from its cells alone."""
    fact = facts[key]
    cells = fact["cells"]
    formula = _CELL_REF.sub("", fact["formula"])
    unit = fact["unit"] if fact["unit"] != "%" else "万元"
    values = [raw_value(project, c, unit) for c in cells]
    now = [v for c, v in zip(cells, values) if _year_of(c) in (year, None)]
    before = [v for c, v in zip(cells, values) if _year_of(c) not in (year, None)]
    if key.endswith(".prior"):
        return sum(values, Decimal(0)) if values else Decimal(0)
    if key.endswith(".change_pct"):
        base = sum(before, Decimal(0))
        return _q((sum(now, Decimal(0)) - base) * 100 / abs(base), _places(fact["value"]))
    if key.endswith(".change"):
        return sum(now, Decimal(0)) - sum(before, Decimal(0))
    if not cells:
        return None
    if "÷" in formula:
        if "−" in formula or "之差" in formula or "差额" in formula:
            if len(values) != 2:
                return None
            a, b = values
            return _q((a - b) * 100 / b, _places(fact["value"])) if b else None
        if len(values) != 2:
            return None
        if "100%" not in formula:  # an average: an amount per count (车均运行维护费 = 运行费 ÷ 车辆数)
            amount, count = values[0], raw_value(project, cells[1], "辆")
            return _q(amount / count, _places(fact["value"])) if count else None
        part, whole = values
        return _q(part * 100 / whole, _places(fact["value"])) if whole else None
    if "−" in formula:
        if len(values) != 2:
            return None
        return values[0] - values[1]
    if len(values) == 1 or "+" in formula or "合计" in formula or "Σ" in formula:
        return sum(values, Decimal(0))
    return None


# --- from the page to facts.json -----------------------------------------------------------------
def shown_number(fig: Figure) -> tuple[Decimal, str]:
    m = _SHOWN.match(fig.shown.strip())
    assert m, f"{fig.page}: figure {fig.shown!r} is not a number"
    return Decimal(m.group(1).replace(",", "")), m.group(2)


def shows(fact: dict, fig: Figure) -> bool:
    """Whether the figure on the page is this fact's value as the report formats it."""
    number, suffix = shown_number(fig)
    value = abs(Decimal(fact["value"]))
    if fact["unit"] == "万元" and suffix == "元":
        return _q(value * 10000, _places(str(number))) == number
    if fact["unit"] == "万元" and suffix != "万元":
        return False
    return _q(value, _places(str(number))) == number


def match(fig: Figure, facts: dict, year: int) -> list[str]:
    if fig.href is None:
        return [key for key, fact in facts.items()
                if _CELL_REF.sub("", fact["formula"]) == fig.title and shows(fact, fig)]
    m = _CELL_IN_HREF.search(fig.href)
    assert m, f"{fig.page}: figure {fig.shown} links to {fig.href}, not to a table cell"
    linked_year = int(m.group(1)) if m.group(1) else year
    table, cell = m.group(2), m.group(3)
    found = []
    for key, fact in facts.items():
        if not fact["cells"]:
            continue
        first = fact["cells"][0]
        if first["table"] != table or first["cell"] != cell:
            continue
        if (_year_of(first) or year) != linked_year:
            continue
        if _CELL_REF.sub("", fact["formula"]) != _CELL_REF.sub("", fig.title):
            continue
        if shows(fact, fig):
            found.append(key)
    return found


def trace(project: Path, site: Path, review: Path) -> tuple[int, list[str]]:
    traced, wrong = 0, []
    for page in _reports(site):
        unit_year = page.parent.relative_to(site)
        year = int(unit_year.name)
        facts = json.loads((review / unit_year / "facts.json").read_text(encoding="utf-8"))["facts"]
        for fig in figures(page):
            keys = match(fig, facts, year)
            if not keys:
                wrong.append(f"{unit_year}: “{fig.shown}”（{fig.title}）没有对应的事实")
                continue
            for key in keys:
                computed = recompute(project, facts, key, year)
                stated = Decimal(facts[key]["value"])
                if computed is None:
                    wrong.append(f"{unit_year}: {key} = {stated} 无法由其单元格复算（{facts[key]['formula']}）")
                elif computed != stated:
                    cells = "、".join(c["ref"] for c in facts[key]["cells"])
                    wrong.append(f"{unit_year}: “{fig.shown}” {key} = {stated}，由 {cells} 复算为 {computed}")
            sign = Decimal(facts[keys[0]]["value"])
            words = fig.before[-4:]
            if re.search(r"(减少|下降)$", words) and sign > 0 or re.search(r"(增加|增长)$", words) and sign < 0:
                wrong.append(f"{unit_year}: “{words}{fig.shown}” 与 {keys[0]} = {sign} 的符号不符")
            traced += 1
    return traced, wrong


def test_every_public_figure_comes_from_its_cells(built):
    project, site, review = built
    traced, wrong = trace(project, site, review)
    assert not wrong, "\n".join(wrong[:20])
    assert traced >= 10, f"only {traced} figures traced in {project}"


def test_the_example_traces_the_reference_figures(example):
    project, site, review = example
    page = site / "bayannur-jiaoguan" / "2021" / "index.html"
    shown = {f.shown for f in figures(page)}
    for figure in ("6,879.33万元", "8.30%", "5,817.35万元", "51.51%", "48.49%", "1,071.71万元", "15.56%"):
        assert figure in shown, figure
    traced, _ = trace(project, site, review)
    assert traced >= 150


def test_a_figure_that_does_not_come_from_its_cell_fails(example, tmp_path):
    """The trace itself can fail: a changed figure on a copied page, and a facts.json value its cells
    do not give."""
    project, site, review = example
    copy = tmp_path / "site"
    shutil.copytree(site, copy)
    page = copy / "bayannur-jiaoguan" / "2021" / "index.html"
    text = page.read_text(encoding="utf-8")
    assert ">6,879.33万元</a>" in text
    page.write_text(text.replace(">6,879.33万元</a>", ">6,879.34万元</a>", 1), encoding="utf-8")
    _, wrong = trace(project, copy, review)
    assert any("6,879.34万元" in w and "没有对应的事实" in w for w in wrong), wrong

    # A figure without a link (the 年初预算数表 is not published) is traced too.
    plain = "年初预算数表（“收入支出总计”年初预算数）\">6,889.06万元</span>"
    assert plain in text
    page.write_text(text.replace(plain, plain.replace("6,889.06", "6,898.06")), encoding="utf-8")
    _, wrong = trace(project, copy, review)
    assert wrong == ["bayannur-jiaoguan/2021: “6,898.06万元”（年初预算数表（“收入支出总计”年初预算数））没有对应的事实"], wrong

    # A facts.json value that its cells do not give (as if the derive stage summed wrongly).
    review_copy = tmp_path / "review"
    shutil.copytree(review, review_copy)
    facts_path = review_copy / "bayannur-jiaoguan" / "2021" / "facts.json"
    data = json.loads(facts_path.read_text(encoding="utf-8"))
    key = next(k for k, f in data["facts"].items() if f["value"] == "6879.33" and f["unit"] == "万元")
    data["facts"][key]["value"] = "6879.34"
    facts_path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    page.write_text(text.replace(">6,879.33万元</a>", ">6,879.34万元</a>"), encoding="utf-8")
    _, wrong = trace(project, copy, review_copy)
    assert any(key in w and "复算为 6879.33" in w for w in wrong), wrong

    # A workbook cell that no longer says what the page states (the page was built from other figures).
    changed = tmp_path / "project"
    shutil.copytree(project / "tables", changed / "tables")
    import openpyxl
    cell = data["facts"][key]["cells"][0]
    book = openpyxl.load_workbook(changed / cell["file"])
    book[cell["sheet"]][cell["cell"]] = 6880.33
    book.save(changed / cell["file"])
    _grid.cache_clear()
    page.write_text(text, encoding="utf-8")
    _, wrong = trace(changed, copy, review)
    _grid.cache_clear()
    assert any(key in w and "复算为 6880.33" in w for w in wrong), wrong
