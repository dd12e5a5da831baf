"""Read a monitoring workbook (python-calamine, through the load stage's safe opener) into a
MonitoringSheet: find the header by its words, nest sub-lines by numbering (1, 1.1) or indentation,
collect the optional groups and the 合计 row. Bad input raises InputError naming the cell."""
from __future__ import annotations

import re
import tomllib
import unicodedata
from datetime import date
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from disclosure.errors import InputError, Problem
from disclosure.load.workbook import BookError, Sheet, a1, read_book
from disclosure.model import CellRef
from disclosure.money import NotANumber, parse_amount, to_wan
from disclosure.monitoring.model import FIGURE_LABELS, FIGURES, TABLE_KEY, MonitoringLine, MonitoringSheet, StatedRow

FORMAT_PATH = Path(__file__).with_name("format.toml")
HEADER_SCAN_ROWS = 20
_DATE_IN_NAME = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DATE_IN_TEXT = re.compile(r"截[至止]\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_UNIT = re.compile(r"单位[:：]\s*(万元|亿元|元)")
_UNIT_NAME = re.compile(r"(?:单位名称|填报单位|预算单位)[:：]\s*(\S+)")
_NUMBERING = re.compile(r"^(\d+(?:[.．]\d+)+|\d+(?=[.．、\s]))[.．、]?\s*")  # 1、 1. 1.1 — not 2021年
_NOTE_WORDS = ("注", "说明", "填表", "填报人", "审核", "负责人", "备注")


@lru_cache(maxsize=1)
def monitoring_format() -> dict:
    with open(FORMAT_PATH, "rb") as f:
        return tomllib.load(f)


def _norm(text: object) -> str:
    s = unicodedata.normalize("NFKC", str(text or ""))
    s = re.sub(r"\s+", "", s)
    s = re.sub(r"[(（][^)）]*(?:元|%)[^)）]*[)）]$", "", s)  # 已支付（万元）
    return s.rstrip(":：")


def _column_of(text: str) -> str | None:
    norm = _norm(text)
    if not norm:
        return None
    for key, spec in monitoring_format()["columns"].items():
        if norm in {_norm(a) for a in spec["aliases"]}:
            return key
    return None


def _find_header(sheet: Sheet) -> tuple[int, dict[str, int]] | None:
    """The header row (0-based) and column key → column index; two-row headers are merged."""
    for r in range(min(HEADER_SCAN_ROWS, sheet.height)):
        cols: dict[str, int] = {}
        for c, raw in enumerate(sheet.grid[r]):
            key = _column_of(raw) if isinstance(raw, str) else None
            if key and key not in cols:
                cols[key] = c
        if "name" in cols and "paid" in cols:
            last = r
            if r + 1 < sheet.height:  # a second header row (预算 → 上年结转 | 本年预算 | 合计)
                below = {}
                for c, raw in enumerate(sheet.grid[r + 1]):
                    key = _column_of(raw) if isinstance(raw, str) else None
                    if key and key not in cols:
                        below[key] = c
                numeric = any(isinstance(v, (int, float)) and not isinstance(v, bool) for v in sheet.grid[r + 1])
                if below and not numeric:
                    cols.update(below)
                    last = r + 1
            return last, cols
    return None


def _as_of_from(path: Path, texts: list[str]) -> date | None:
    m = _DATE_IN_NAME.search(path.stem)
    for candidate in ([m] if m else []) + [_DATE_IN_TEXT.search(t) for t in texts]:
        if candidate:
            try:
                return date(int(candidate.group(1)), int(candidate.group(2)), int(candidate.group(3)))
            except ValueError:
                continue
    return None


def _number_text(raw: object) -> str:
    if raw is None or raw == "":
        return ""
    if isinstance(raw, float):
        return format(raw, ".15g")
    return unicodedata.normalize("NFKC", str(raw)).strip().rstrip(".、")


def _indent(raw: str) -> int:
    """Indentation units written into a name: two ASCII spaces or one 全角空格 each (a cell's own
    alignment indent, which the load stage reads from .xlsx styles, is added by the caller)."""
    lead = raw[: len(raw) - len(raw.lstrip(" \u3000\t"))]
    return lead.count("\u3000") + lead.count("\t") + lead.count(" ") // 2


def _match_named(name: str, table: dict[str, list[str]]) -> str | None:
    norm = _norm(name)
    for canonical, aliases in table.items():
        if norm in {_norm(a) for a in aliases}:
            return canonical
    return None


def read_monitoring(path: Path | str, display: str | None = None) -> MonitoringSheet:
    """Read one monitoring workbook; ``display`` is the path shown in messages (default: as given)."""
    path = Path(path)
    display = display or str(path)
    if not path.exists():
        raise InputError(Problem("找不到监控表文件。请检查路径，或用 disclosure init --monitoring 日期 生成空白表。", file=display))
    try:
        sheets = read_book(path, display)
    except BookError as exc:
        raise InputError(exc.problem) from exc
    for sheet in sheets:
        found = _find_header(sheet)
        if found is not None:
            return _read_sheet(path, display, sheet, *found)
    names = "、".join(f"“{s.name}”" for s in sheets) or "（无）"
    raise InputError(
        Problem(
            f"在工作表 {names} 的前 {HEADER_SCAN_ROWS} 行中找不到表头（需要“项目名称”和“已支付”两列）。"
            "请按空白监控表的表头填写。",
            file=display,
        )
    )


def _read_sheet(path: Path, display: str, sheet: Sheet, header: int, cols: dict[str, int]) -> MonitoringSheet:
    fmt = monitoring_format()
    head_texts = [str(v) for r in range(header) for v in sheet.grid[r] if isinstance(v, str)]
    unit = next((m.group(1) for t in head_texts if (m := _UNIT.search(t))), "万元")
    unit_name = next((m.group(1) for t in head_texts if (m := _UNIT_NAME.search(t))), "")
    missing = [k for k, spec in fmt["columns"].items() if spec.get("required", True) and k not in cols]
    if "total" not in cols and not ("carryover" in cols or "budget" in cols):
        missing.append("total")
    if missing:
        labels = "、".join(f"“{fmt['columns'][k]['label']}”" for k in missing)
        raise InputError(Problem(f"表头（第{header + 1}行）缺少{labels}列。请按空白监控表的表头填写。", display, sheet.name))

    out = MonitoringSheet(file=display, sheet=sheet.name, lines=[], as_of=_as_of_from(path, head_texts),
                          unit_name=unit_name, source_unit=unit)

    def problem(r: int, c: int, message: str) -> InputError:
        return InputError(Problem(message, display, sheet.name, a1(r, c)))

    def figures(r: int) -> tuple[dict[str, Decimal], dict[str, CellRef]]:
        values, cells = {}, {}
        for key in FIGURES:
            if key not in cols:
                continue
            c = cols[key]
            try:
                value = parse_amount(sheet.raw(r, c))
            except NotANumber:
                raise problem(r, c, f"“{FIGURE_LABELS[key]}”应填写金额，现在是“{sheet.raw(r, c)}”。请改为数字或留空。") from None
            if value is None:
                continue
            if value < 0:
                raise problem(r, c, f"“{FIGURE_LABELS[key]}”不能为负数（{value}）。")
            values[key] = to_wan(value, unit)
            cells[key] = CellRef(display, sheet.name, a1(r, c), TABLE_KEY)
        return values, cells

    stack: list[MonitoringLine] = []
    group: str | None = None
    seen_keys: dict[str, int] = {}
    name_col = cols["name"]
    for r in range(header + 1, sheet.height):
        raw_name = sheet.raw(r, name_col)
        name_text = unicodedata.normalize("NFKC", str(raw_name)) if raw_name not in (None, "") else ""
        raw_number = _number_text(sheet.raw(r, cols["number"])) if "number" in cols else ""
        values, cells = figures(r)
        if not name_text.strip():
            if values:
                c = next(cols[k] for k in FIGURES if k in values)
                raise problem(r, name_col, f"第{r + 1}行填写了金额（{a1(r, c)}），但没有项目名称。请填写项目名称或删除这一行。")
            continue
        stripped = name_text.strip()
        if not values and stripped.startswith(_NOTE_WORDS):
            continue
        if (g := _match_named(stripped, fmt["groups"])) is not None:
            group = g
            out.groups[g] = StatedRow(g, r + 1, values, cells)
            stack.clear()
            continue
        if _norm(stripped) in {_norm(a) for a in fmt["total"]["aliases"]}:
            out.total_row = StatedRow(stripped, r + 1, values, cells)
            stack.clear()
            group = None
            continue
        number, name = raw_number, stripped
        m = _NUMBERING.match(stripped)
        if m and not number:
            number, name = m.group(1).replace("．", "."), stripped[m.end():].strip()
        elif m and number:
            name = stripped[m.end():].strip() or stripped
        if number and re.fullmatch(r"\d+(?:\.\d+)*", number):
            level = number.count(".") + 1
        else:
            level = _indent(name_text) + getattr(sheet, "indents", {}).get((r, name_col), 0) + 1
        level = min(level, len(stack) + 1)
        key = number or f"r{r + 1}"
        if key in seen_keys:
            c = cols.get("number", name_col)
            raise problem(r, c, f"序号“{number}”与第{seen_keys[key]}行重复。请给每一行不同的序号。")
        seen_keys[key] = r + 1
        del stack[level - 1:]
        line = MonitoringLine(key=key, number=number, name=name or stripped, level=level, row=r + 1,
                              group=stack[0].group if stack else group, values=values, cells=cells,
                              parent=stack[-1] if stack else None)
        if line.parent is not None:
            line.parent.children.append(line)
        stack.append(line)
        out.lines.append(line)

    if not out.lines:
        raise InputError(Problem(f"表头（第{header + 1}行）下面没有任何预算项目。请逐行填写项目名称和金额。", display, sheet.name))
    for line in reversed(out.lines):  # children first, so sums propagate upwards
        _complete(line, problem, cols)
    return out


def _complete(line: MonitoringLine, problem, cols: dict[str, int]) -> None:
    """Fill a blank 预算合计 (上年结转 + 本年预算, or the sum of the sub-lines) and a blank 已支付 (0)."""
    v = line.values
    if "total" not in v:
        if "carryover" in v or "budget" in v:
            v["total"] = v.get("carryover", Decimal(0)) + v.get("budget", Decimal(0))
        elif line.children:
            for key in ("carryover", "budget", "total"):
                if any(key in ch.values for ch in line.children):
                    v[key] = sum((ch.value(key) for ch in line.children), Decimal(0))
        else:
            c = cols.get("total", cols.get("budget", cols["name"]))
            raise problem(line.row - 1, c, f"“{line.name}”没有填写预算合计（也没有上年结转、本年预算）。请填写金额。")
    if "paid" not in v:
        v["paid"] = sum((ch.paid for ch in line.children), Decimal(0))
