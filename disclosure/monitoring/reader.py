"""Read a monitoring workbook (python-calamine, through the load stage's safe opener) into a
MonitoringSheet: find the header by its words, nest sub-lines by numbering (1, 1.1) or indentation,
collect the optional groups and the 合计 row. Bad input raises InputError naming the cell."""
from __future__ import annotations

import calendar
import re
import unicodedata
from datetime import date
from decimal import Decimal
from pathlib import Path

from disclosure.errors import InputError, Problem
from disclosure.load.workbook import BookError, Sheet, a1, read_book
from disclosure.model import CellRef
from disclosure.money import NotANumber, parse_amount, to_wan
from disclosure.monitoring.model import (
    FIGURE_LABELS,
    FIGURES,
    PERCENT_LABELS,
    PERCENTS,
    TABLE_KEY,
    MonitoringLine,
    MonitoringSheet,
    StatedRow,
    StatedSchedule,
)
from disclosure.package_data import package_toml

HEADER_SCAN_ROWS = 20
_DATE_IN_NAME = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DATE_IN_TEXT = re.compile(r"截[至止]\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
# a month without a day: 2023年1-7月, 2023年1至7月, 2023年7月, 截至2023年7月底
_MONTH_IN_TEXT = re.compile(r"(\d{4})\s*年\s*(?:1\s*[-－—–~～至到]\s*)?(\d{1,2})\s*月(?!\s*\d{1,2}\s*日)(?!份?以来)")
_SCHEDULE_IN_TEXT = re.compile(r"(?:序时进度|时间进度)\s*(?:为|是|要求|应达到?)?\s*[:：]?\s*(\d{1,3}(?:\.\d+)?)\s*[%％]")
_GROUP_NUMBERING = re.compile(r"^(?:[一二三四五六七八九十]+\s*[、.．]|[（(][一二三四五六七八九十]+[)）])\s*")
_UNIT = re.compile(r"单位[:：]\s*(万元|亿元|元)")
_UNIT_NAME = re.compile(r"(?:单位名称|填报单位|预算单位)[:：]\s*(\S+)")
_NUMBERING = re.compile(r"^(\d+(?:[.．]\d+)+|\d+(?=[.．、\s]))[.．、]?\s*")  # 1、 1. 1.1 — not 2021年
_NOTE_WORDS = ("注", "说明", "填表", "填报人", "审核", "负责人", "备注", "序时进度", "时间进度", "制表", "编制日期")


def monitoring_format() -> dict:
    return package_toml("monitoring/format.toml")


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
    """The as-of date: YYYY-MM-DD in the file name, else 截至…年…月…日 in the lines above the header,
    else the last day of the month a title names (2023年1-7月预算执行进度表 → 2023-07-31)."""
    m = _DATE_IN_NAME.search(path.stem)
    for candidate in ([m] if m else []) + [_DATE_IN_TEXT.search(t) for t in texts]:
        if candidate:
            try:
                return date(int(candidate.group(1)), int(candidate.group(2)), int(candidate.group(3)))
            except ValueError:
                continue
    for text in texts:
        month = _MONTH_IN_TEXT.search(text)
        if month and 1 <= int(month.group(2)) <= 12:
            year, mon = int(month.group(1)), int(month.group(2))
            return date(year, mon, calendar.monthrange(year, mon)[1])
    return None


def _percent(raw: object) -> tuple[Decimal | None, bool]:
    """A stated percent cell: (number, whether it was written with %). 25.14%, "25.14", 0.2514."""
    if raw is None or raw == "" or isinstance(raw, bool):
        return None, False
    text = unicodedata.normalize("NFKC", str(raw)).strip() if isinstance(raw, str) else _number_text(raw)
    written = text.endswith("%")
    try:
        value = parse_amount(text.rstrip("%").strip())
    except NotANumber:
        raise ValueError(text) from None
    return value, written


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
    norm = _norm(_GROUP_NUMBERING.sub("", _norm(name)))
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


class _RowReader:
    """Reads one row's amounts (in 万元) and stated percents, each with its cell; a value that is not
    one is an InputError naming the cell. The stated percents are kept to be scaled once the whole
    column is read (``_scale_percents``)."""

    def __init__(self, sheet: Sheet, display: str, cols: dict[str, int], unit: str, fmt: dict) -> None:
        self.sheet, self.display, self.cols, self.unit, self.fmt = sheet, display, cols, unit, fmt
        self.stated: list[tuple[dict[str, Decimal], str, Decimal, bool]] = []

    def problem(self, r: int, c: int, message: str) -> InputError:
        return InputError(Problem(message, self.display, self.sheet.name, a1(r, c)))

    def _cell(self, r: int, c: int) -> CellRef:
        return CellRef(self.display, self.sheet.name, a1(r, c), TABLE_KEY)

    def figures(self, r: int) -> tuple[dict[str, Decimal], dict[str, CellRef]]:
        """The row's amounts and their cells."""
        values, cells = {}, {}
        for key in FIGURES:
            if key not in self.cols:
                continue
            c = self.cols[key]
            try:
                value = parse_amount(self.sheet.raw(r, c))
            except NotANumber:
                raise self.problem(r, c, f"“{FIGURE_LABELS[key]}”应填写金额，现在是“{self.sheet.raw(r, c)}”。请改为数字或留空。") from None
            if value is None:
                continue
            if value < 0 and not self.fmt["columns"][key].get("signed", False):
                raise self.problem(r, c, f"“{FIGURE_LABELS[key]}”不能为负数（{value}）。")
            values[key] = to_wan(value, self.unit)
            cells[key] = self._cell(r, c)
        return values, cells

    def percents(self, r: int, cells: dict[str, CellRef]) -> dict[str, Decimal]:
        """The row's stated 执行率 / 序时进度 (their cells added to ``cells``)."""
        out: dict[str, Decimal] = {}
        for key in PERCENTS:
            if key not in self.cols:
                continue
            c = self.cols[key]
            try:
                value, written = _percent(self.sheet.raw(r, c))
            except ValueError:
                raise self.problem(r, c, f"“{PERCENT_LABELS[key]}”应填写百分数，现在是“{self.sheet.raw(r, c)}”。请改为如 58.33% 的数字或留空。") from None
            if value is None:
                continue
            out[key] = value
            cells[key] = self._cell(r, c)
            self.stated.append((out, key, value, written))
        return out


def _require_columns(fmt: dict, cols: dict[str, int], header: int, display: str, sheet: Sheet) -> None:
    """The header has every required column, and 预算合计 or the parts it is the sum of."""
    missing = [k for k, spec in fmt["columns"].items() if spec.get("required", True) and k not in cols]
    if "total" not in cols and not ("carryover" in cols or "budget" in cols):
        missing.append("total")
    if missing:
        labels = "、".join(f"“{fmt['columns'][k]['label']}”" for k in missing)
        raise InputError(Problem(f"表头（第{header + 1}行）缺少{labels}列。请按空白监控表的表头填写。", display, sheet.name))


def _numbering(stripped: str, raw_number: str, indent: int, depth: int) -> tuple[str, str, int]:
    """A line's 序号, name and level: the 序号 column, else numbering written before the name
    (1、 1.1); the level from the numbering's depth, else from indentation (``indent``), at most one
    below the lines above (``depth``)."""
    number, name = raw_number, stripped
    m = _NUMBERING.match(stripped)
    if m and not number:
        number, name = m.group(1).replace("．", "."), stripped[m.end():].strip()
    elif m and number:
        name = stripped[m.end():].strip() or stripped
    if number and re.fullmatch(r"\d+(?:\.\d+)*", number):
        level = number.count(".") + 1
    else:
        level = indent + 1
    return number, name, min(level, depth + 1)


def _read_sheet(path: Path, display: str, sheet: Sheet, header: int, cols: dict[str, int]) -> MonitoringSheet:
    """The lines under the header, nested, with the group and total rows; their figures completed."""
    fmt = monitoring_format()
    head_texts = [str(v) for r in range(header) for v in sheet.grid[r] if isinstance(v, str)]
    unit = next((m.group(1) for t in head_texts if (m := _UNIT.search(t))), "万元")
    unit_name = next((m.group(1) for t in head_texts if (m := _UNIT_NAME.search(t))), "")
    _require_columns(fmt, cols, header, display, sheet)
    out = MonitoringSheet(file=display, sheet=sheet.name, lines=[], as_of=_as_of_from(path, head_texts),
                          unit_name=unit_name, source_unit=unit)
    rows = _RowReader(sheet, display, cols, unit, fmt)
    stack: list[MonitoringLine] = []
    group: str | None = None
    seen_keys: dict[str, int] = {}
    name_col = cols["name"]
    for r in range(header + 1, sheet.height):
        raw_name = sheet.raw(r, name_col)
        name_text = unicodedata.normalize("NFKC", str(raw_name)) if raw_name not in (None, "") else ""
        raw_number = _number_text(sheet.raw(r, cols["number"])) if "number" in cols else ""
        values, cells = rows.figures(r)
        stated = rows.percents(r, cells)
        if not name_text.strip():
            if values:
                c = next(cols[k] for k in FIGURES if k in values)
                raise rows.problem(r, name_col, f"第{r + 1}行填写了金额（{a1(r, c)}），但没有项目名称。请填写项目名称或删除这一行。")
            continue
        stripped = name_text.strip()
        if not values and stripped.startswith(_NOTE_WORDS):
            continue
        if (g := _match_named(stripped, fmt["groups"])) is not None:
            group = g
            out.groups[g] = StatedRow(g, r + 1, values, cells, stated, label=stripped)
            stack.clear()
            continue
        if _match_named(stripped, {"total": fmt["total"]["aliases"]}) is not None:
            out.total_row = StatedRow(stripped, r + 1, values, cells, stated, label=stripped)
            stack.clear()
            group = None
            continue
        indent = _indent(name_text) + getattr(sheet, "indents", {}).get((r, name_col), 0)
        number, name, level = _numbering(stripped, raw_number, indent, len(stack))
        key = number or f"r{r + 1}"
        if key in seen_keys:
            c = cols.get("number", name_col)
            raise rows.problem(r, c, f"序号“{number}”与第{seen_keys[key]}行重复。请给每一行不同的序号。")
        seen_keys[key] = r + 1
        del stack[level - 1:]
        line = MonitoringLine(key=key, number=number, name=name or stripped, level=level, row=r + 1,
                              group=stack[0].group if stack else group, values=values, cells=cells,
                              percents=stated, parent=stack[-1] if stack else None)
        if line.parent is not None:
            line.parent.children.append(line)
        stack.append(line)
        out.lines.append(line)

    _groups_as_lines(out)
    if not out.lines:
        raise InputError(Problem(f"表头（第{header + 1}行）下面没有任何预算项目。请逐行填写项目名称和金额。", display, sheet.name))
    _scale_percents(rows.stated)
    for line in reversed(out.lines):  # children first, so sums propagate upwards
        _complete(line, rows.problem, cols)
    out.stated_schedule = _stated_schedule(sheet, header, out)
    return out


def _groups_as_lines(out: MonitoringSheet) -> None:
    """A group row with its own figures and no lines under it (一、人员经费和公用经费 | 预算 | 已支付)
    is itself a line of that group: it counts in the group and in the total like any other line."""
    for name, row in list(out.groups.items()):
        if not row.values or any(ln.group == name for ln in out.lines):
            continue
        line = MonitoringLine(key=f"r{row.row}", number="", name=name, level=1, row=row.row, group=name,
                              values=dict(row.values), cells=dict(row.cells), percents=dict(row.percents))
        out.lines.append(line)
        del out.groups[name]
    out.lines.sort(key=lambda ln: ln.row)


def _scale_percents(stated: list[tuple[dict[str, Decimal], str, Decimal, bool]]) -> None:
    """In a percent column whose numbers written without % are all at most 1, those numbers are
    fractions (Excel's percent format stores 58.33% as 0.5833) and become percents; a number
    written with % is a percent already."""
    for key in PERCENTS:
        bare = [(d, v) for d, k, v, w in stated if k == key and not w]
        if bare and all(abs(v) <= 1 for _, v in bare) and any(v != 0 for _, v in bare):
            for d, v in bare:
                d[key] = v * 100


def _stated_schedule(sheet: Sheet, header: int, out: MonitoringSheet) -> StatedSchedule | None:
    """序时进度 as the workbook states it: a 序时进度 column (the 合计 row's, else the first line's),
    else a sentence anywhere in the sheet (序时进度：58.33%, in the title or a note line)."""
    rows = [*([out.total_row] if out.total_row else []), *out.lines]
    for row in rows:
        if "schedule" in row.percents:
            return StatedSchedule(row.percents["schedule"], str(row.cells["schedule"]))
    for r in range(sheet.height):
        for c, raw in enumerate(sheet.grid[r]):
            if isinstance(raw, str) and (m := _SCHEDULE_IN_TEXT.search(unicodedata.normalize("NFKC", raw))):
                return StatedSchedule(Decimal(m.group(1)), f"{sheet.name}!{a1(r, c)}")
    return None


def _complete(line: MonitoringLine, problem, cols: dict[str, int]) -> None:
    """Fill a blank 预算合计 (上年结转 + 本年预算 + 调整预算, or the sum of the sub-lines) and a blank
    已支付 (0)."""
    v = line.values
    if "total" not in v:
        if "carryover" in v or "budget" in v:
            v["total"] = v.get("carryover", Decimal(0)) + v.get("budget", Decimal(0)) + v.get("adjustment", Decimal(0))
        elif line.children:
            for key in ("carryover", "budget", "adjustment", "total"):
                if any(key in ch.values for ch in line.children):
                    v[key] = sum((ch.value(key) for ch in line.children), Decimal(0))
        else:
            c = cols.get("total", cols.get("budget", cols["name"]))
            raise problem(line.row - 1, c, f"“{line.name}”没有填写预算合计（也没有上年结转、本年预算）。请填写金额。")
    if "paid" not in v:
        v["paid"] = sum((ch.paid for ch in line.children), Decimal(0))
