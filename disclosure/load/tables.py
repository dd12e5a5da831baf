"""One sheet + its spec → a `Table`: header, then rows by layout (classified, blocks, record, items)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

from disclosure.errors import GROUP_SHOWN, Problem
from disclosure.load.header import (
    Block,
    Column,
    assign_columns,
    cell_text,
    column_role,
    header_paths,
    is_numbering_row,
    looks_numeric,
    split_blocks,
)
from disclosure.load.rows import (
    CodeCarry,
    Label,
    class_code_for_name,
    indent_levels,
    is_note,
    level_of,
    read_label,
    strip_numbering,
)
from disclosure.load.classification import (
    YearList,
    any_year_code,
    known_anywhere,
    name_warning,
    suggestion_text,
    year_list,
)
from disclosure.labels import is_spacer, money_unit, normalize_label
from disclosure.load.text import find_item, norm
from disclosure.load.workbook import Sheet, a1
from disclosure.model import CellRef, Row, Table
from disclosure.money import NotANumber, count_problem, parse_amount, to_wan
from disclosure.standard import ColumnSpec, ItemSpec, TableSpec

RECORD_ROW = "record"  # row key of the single data row of a `record` table (三公)
UNITS = "units"  # the classification of a 分单位 table: rows named by the department's units
MONEY_UNITS = {"元", "万元", "亿元"}
FRACTIONAL_UNITS = {"分", "%", "％"}  # scores and rates: not counts, may have decimals
STRAY_RUN = 20  # this many rows in a row that cannot be rows of the table, after its rows: the table has ended
GROUP_AT = 4  # the same problem at this many cells or more is said once, with a count and the first cells
SHOWN_CELLS = 3  # stray rows named in the message that ends a table; rows given the nearest names
MAX_NOTES = 50  # note lines kept from below a table


def _shown(v: object) -> str:
    """A cell value's text, exactly as `cell_text` gives it (whole floats without ``.0``)."""
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return str(v).strip()


@dataclass
class SheetReader:
    """Reads one sheet as one table, collecting every problem instead of stopping at the first."""

    sheet: Sheet
    spec: TableSpec
    unit: str  # 元 / 万元 / 亿元 as stated by the unit line
    start: int  # first row after the title lines
    year: int | None = None  # the year of the accounts: which 政府收支分类科目 list names the codes
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # the sheet's own notes (注：…) below the table
    notices: list[str] = field(default_factory=list)  # what the loader left aside, for the user
    # what the user must look at though the table is read: a 科目编码 whose stated name is not that year's
    # official name, or a code the year's list does not know (the row is published as stated)
    warnings: list[tuple[str, CellRef]] = field(default_factory=list)
    any_value: bool = False
    _said: list[tuple[int | None, int | None, str, str]] = field(default_factory=list)  # (r, c, kind, message)
    _stray: list[tuple[int, int, str, list | None]] = field(default_factory=list)  # rows with figures that fit nowhere

    # -- helpers ---------------------------------------------------------------------------
    def problem(self, message: str, r: int | None = None, c: int | None = None) -> None:
        self._said.append((r, c, "problem", message))

    def notice(self, message: str, r: int, c: int) -> None:
        self._said.append((r, c, "notice", message))

    def warning(self, message: str, r: int, c: int) -> None:
        self._said.append((r, c, "warning", message))

    def _flush(self) -> None:
        """Turn what was said into problems and notices; the same message at many cells is said once."""
        groups: dict[tuple[str, str], list[tuple[int | None, int | None, str]]] = {}
        for r, c, kind, message in self._said:
            groups.setdefault((kind, _QUOTED.sub("“”", message)), []).append((r, c, message))
        for (kind, _), said in groups.items():
            cells = {(r2, c2) for r2, c2, _ in said}
            if len(said) < GROUP_AT or None in {r2 for r2, _ in cells} or len(cells) < len(said):
                for r, c, message in said:  # few, or about the table as a whole: each said on its own
                    self._emit(kind, r, c, message)
                continue
            r, c, message = said[0]
            shown = "、".join(a1(r2, c2) for r2, c2, _ in said[:GROUP_SHOWN])
            message += f"（{shown}{'等' if len(said) > GROUP_SHOWN else ''}共 {len(said):,} 处）"
            self._emit(kind, r, c, message)
        self._said.clear()

    def _emit(self, kind: str, r: int | None, c: int | None, message: str) -> None:
        cell = a1(r, c) if r is not None and c is not None else None
        if kind == "problem":
            self.problems.append(Problem(message, file=self.sheet.file, sheet=self.sheet.name, cell=cell))
        elif kind == "warning" and cell is not None:
            self.warnings.append((message, CellRef(self.sheet.file, self.sheet.name, cell, self.spec.key)))
        else:
            self.notices.append(f"{self.sheet.file}，{self.sheet.name}!{cell}：{message}" if cell else f"{self.sheet.file}，{self.sheet.name}：{message}")

    def ref(self, r: int, c: int) -> CellRef:
        return CellRef(self.sheet.file, self.sheet.name, a1(r, c), self.spec.key)

    @property
    def width(self) -> int:
        return max((len(row) for row in self.sheet.grid), default=0)

    def row_texts(self, r: int) -> list[str]:
        if r >= self.sheet.height:
            return []
        if r < 0:
            return [cell_text(self.sheet, r, c) for c in range(len(self.sheet.grid[r]))]
        return [_shown(v) for v in self.sheet.grid[r]]  # as cell_text, without a call per cell

    def value(self, row: Row, key: str, r: int, c: int, unit: str | None = None) -> None:
        """Read one value cell into a row: Decimal in 万元 (counts unconverted), cell always recorded."""
        row.cells[key] = self.ref(r, c)
        if (r, c) in self.sheet.uncomputed:
            self.problem(
                "这个单元格是公式，但文件里没有保存计算结果（文件可能是由程序生成、从未在 Excel/WPS 中打开过）。"
                "请用 Excel 或 WPS 打开文件并保存一次，再重试。",
                r,
                c,
            )
            return
        raw = self.sheet.raw(r, c)
        column_unit = self.column_units.get(key) if self.column_units else None
        if column_unit is not None:  # 分, %, 辆: read as written (25% → 25)
            unit = "count"
            if isinstance(raw, str) and column_unit == "%":
                raw = raw.strip().rstrip("%％").strip()
        try:
            amount = parse_amount(raw)
        except NotANumber as exc:
            self.problem(exc.advice(cell_text(self.sheet, r, c)), r, c)  # 不是数字, 数值过大 (money.py)
            return
        if amount is None:
            return
        whole = column_unit not in FRACTIONAL_UNITS
        if unit == "count" and whole and (wrong := count_problem(amount)) is not None:
            self.problem(f"“{cell_text(self.sheet, r, c)}”{wrong}", r, c)
            return
        self.any_value = True
        row.values[key] = amount if unit == "count" else to_wan(amount, unit or self.unit)

    @cached_property
    def column_units(self) -> dict[str, str]:
        """Column key → its non-money unit, for the columns that have one."""
        return {c.key: c.unit for c in self.spec.all_columns() if c.unit}

    # -- header --------------------------------------------------------------------------
    def data_start(self) -> tuple[list[int], int]:
        """Header rows (numbering rows dropped) and the first data row."""
        items = {norm(i.label) for _, i in self.spec.all_items()}
        items |= {norm(a) for _, i in self.spec.all_items() for a in i.aliases}
        columns = [*self.spec.columns, *(c for b in self.spec.blocks for c in b.columns)]
        headers = {norm(h) for c in columns for h in (*c.header, *c.aliases)}
        first_data = None
        last_text = self.start - 1
        for r in range(self.start, self.sheet.height):
            texts = self.row_texts(r)
            nonblank = [t for t in texts if t]
            if not nonblank:
                continue
            if is_numbering_row(texts) or is_note(nonblank[0]):
                if is_note(nonblank[0]) and len(self.notes) < MAX_NOTES:
                    # a note before any figure (an empty table's 空表说明 under its header) is the table's
                    self.notes.extend(nonblank)
                last_text = r
                continue
            lead = norm(nonblank[0])
            numeric = any(looks_numeric(v) for v in self.sheet.grid[r])
            if (
                numeric
                # a 合计 row, unless it is a sub-header row (本年支出 over 合计 | 基本支出 | 项目支出)
                or (lead in items and not any(norm(t) in headers for t in nonblank[1:]))
                or _leading_code(lead)
                or class_code_for_name(lead, "function", self.year)
            ):
                first_data = r
                break
            last_text = r
        if first_data is None:
            first_data = last_text + 1
        header = [
            r
            for r in range(self.start, first_data)
            if any(self.row_texts(r))
            and not is_numbering_row(self.row_texts(r))
            and not is_note(next(t for t in self.row_texts(r) if t))
        ]
        return header, first_data

    def require(self, specs: tuple[ColumnSpec, ...], found: dict[str, int], where: str = "") -> None:
        missing = [c for c in specs if c.required and c.key not in found]
        for col in missing:
            header = "/".join(col.header)
            self.problem(
                f"{self.spec.title}{where}找不到“{header}”列。请检查表头文字是否与标准表一致（可参照 disclosure init 生成的空白表）。",
                self.header_rows[0] if self.header_rows else self.start,
                0,
            )

    # -- layouts -------------------------------------------------------------------------
    def read(self) -> Table:
        """The table of this sheet; problems are collected in ``self.problems``."""
        self.header_rows, self.first_data = self.data_start()
        self.data_end = self._data_end()
        paths = header_paths(self.sheet, self.header_rows, self.width)
        layout = self.spec.layout
        if layout == "blocks":
            rows = self.read_blocks(paths)
        elif layout == "record":
            rows = self.read_record(paths)
        elif layout == "items":
            rows = self.read_items(paths)
        else:
            rows = self.read_classified(paths)
        self._flush()
        return Table(
            spec=self.spec,
            rows=rows,
            file=self.sheet.file,
            sheet=self.sheet.name,
            source_unit=self.unit,
            empty=not self.any_value,
            notes=self.notes,
        )

    def _data_end(self) -> int:
        """End of the data (exclusive): the last row with figures or a label, notes aside. A note
        (注：… / 说明：…) or a signature line (单位负责人：…) and the text lines after it without
        figures are the table's notes wherever they stand; 栏次/行次 rows and spacer rows are skipped."""
        self.skipped: set[int] = set()
        in_note = False
        end = self.first_data
        blank_before = False
        # the header printed again on each page of a long table (a PDF-to-Excel conversion): its rows, cell by cell
        header = {self._row_shape(h) for h in self.header_rows}
        for r in range(self.first_data, self.sheet.height):
            texts = [t for t in self.row_texts(r) if t]
            if not texts:
                blank_before = end > self.first_data
                continue
            numeric = any(looks_numeric(v) for v in self.sheet.grid[r])
            if not numeric and self._row_shape(r) in header:  # the table goes on under it
                self.skipped.add(r)
                blank_before = False
                continue
            if blank_before and is_note(texts[0]):  # blank rows, then 注：…: the table has ended here
                self._read_tail(r)
                return end
            blank_before = False
            if is_note(texts[0]) or (in_note and not numeric):
                in_note = True
                self.notes.extend(texts)
                self.skipped.add(r)
                continue
            in_note = False
            if is_numbering_row(self.row_texts(r)) or (is_spacer(texts) and not numeric):
                self.skipped.add(r)
                continue
            end = r + 1
        return end

    def _row_shape(self, r: int) -> tuple[tuple[int, str], ...]:
        return tuple((c, t) for c, t in enumerate(self.row_texts(r)) if t)

    def _read_tail(self, start: int) -> None:
        """Below the table's end (blank rows, then a note): the note lines are kept, nothing is read."""
        ignored = 0
        first: int | None = None
        for r in range(start, self.sheet.height):
            texts = [t for t in self.row_texts(r) if t]
            if not texts:
                continue
            if any(looks_numeric(v) for v in self.sheet.grid[r]) and not is_note(texts[0]):
                ignored += 1
                first = r if first is None else first
            elif len(self.notes) < MAX_NOTES:
                self.notes.extend(texts)
        if first is not None:
            self.notices.append(
                f"{self.sheet.file}，{self.sheet.name}!A{first + 1}：表格在第{start + 1}行的说明处结束，"
                f"其下有数字的 {ignored:,} 行不属于本表，未读取。"
            )

    def data_rows(self) -> list[int]:
        """Row numbers of the data: header, notes, 栏次 rows and spacer rows excluded."""
        return [r for r in range(self.first_data, self.data_end) if r not in self.skipped]

    def row_blank(self, r: int, cols: list[int]) -> bool:
        return all(self.sheet.raw(r, c) in ("", None) for c in cols)

    def read_classified(self, paths: list[tuple[str, ...]]) -> list[Row]:
        block = Block([Column(i, p, *column_role(p)) for i, p in enumerate(paths)])
        colmap = assign_columns(self.spec.columns, block.columns)
        self.require(self.spec.columns, colmap)
        return self._read_block_rows(block, colmap, None, self.spec.items, self.spec.classification)

    def _read_block_rows(
        self,
        block: Block,
        colmap: dict[str, int],
        block_key: str | None,
        items: tuple[ItemSpec, ...],
        classification: str | None,
        *,
        physical: list[tuple[Block, dict[str, int]]] | None = None,
    ) -> list[Row]:
        """Rows of one block: items matched in order, classification rows by code (or name, or indent)."""
        parts = physical or [(block, colmap)]
        carries = [CodeCarry() for _ in parts]
        per_part: list[list[Row]] = [[] for _ in parts]
        used: set[str] = set()
        seen: dict[str, int] = {}
        pending_indent: list[tuple[Row, Label]] = []
        scheme = "economic" if classification == "economic" else "function"
        self._stray = []
        placed_any = False
        coded_any = False
        unknown: list[tuple[Row, Label]] = []  # uncoded rows with figures in a row, no 科目's name in any year
        data_rows = self.data_rows()
        for at, r in enumerate(data_rows):
            if placed_any and len(self._stray) >= STRAY_RUN and self._stray[-1][0] == data_rows[at - 1]:
                self._end_of_stray(data_rows[at:])
                break
            if len(unknown) >= STRAY_RUN:  # a coded table's names could never be placed: it has ended
                self._stray = self._drop_unknown(unknown, per_part, pending_indent)
                self._end_of_stray(data_rows[at:])
                break
            if self._stray and self._stray[-1][0] != data_rows[at - 1]:  # a run broken by a row of the table
                for r0, c0, name0, _ in self._stray:
                    self._unplaced_problem(r0, c0, name0, classification, scheme)
                self._stray = []
            for label, cmap, blank, part in self._row_entries(r, parts, carries):
                if not label.name and not label.code and label.bad_code is None:
                    if not blank:
                        self.problem("这一行有数字，但没有项目名称或科目编码。请补上名称或编码。", r, label.col)
                    continue
                if label.bad_code is not None and classification != UNITS:
                    self.problem(
                        f"科目编码“{label.bad_code}”位数不对：功能分类为3/5/7位，经济分类为3/5位。请改正编码。", r, label.col
                    )
                    continue
                row = self._classify(label, block_key, items, used, classification)
                if row is None:
                    if blank:
                        self.notice(f"“{label.name}”不是本表的项目，已忽略。", r, label.col)
                    elif not self._stray or self._stray[-1][0] != r:
                        self._stray.append((r, label.col, label.name, None))
                    continue
                placed_any = True
                if row.key.startswith("?"):
                    pending_indent.append((row, label))
                    if coded_any and not blank and not known_anywhere(scheme, label.name):
                        unknown.append((row, label))
                    else:
                        unknown = []
                    for key, c in cmap.items():
                        self.value(row, key, r, c)
                    per_part[part].append(row)
                    continue
                coded_any = coded_any or row.code is not None
                unknown = []
                if row.key in seen:
                    self.problem(f"“{row.label}”在本表出现了两次（另见第{seen[row.key] + 1}行）。请删去重复的一行。", r, label.col)
                    continue
                seen[row.key] = r
                if label.code is not None and row.code == label.code:
                    warning = name_warning(scheme, self.year, row.code, row.label)
                    if warning:
                        self.warning(warning, r, label.col)
                for key, c in cmap.items():
                    self.value(row, key, r, c)
                per_part[part].append(row)
        if self._stray:
            for r0, c0, name0, _ in self._stray:
                self._unplaced_problem(r0, c0, name0, classification, scheme)
            self._stray = []
        rows = [row for part_rows in per_part for row in part_rows]
        if pending_indent:
            rows = self._resolve_uncoded(rows, pending_indent, block_key, scheme)
        return rows

    def _row_entries(self, r: int, parts: list[tuple[Block, dict[str, int]]],
                     carries: list[CodeCarry]) -> list[tuple[Label, dict[str, int], bool, int]]:
        """Row ``r`` in each physical block: (label, the block's columns, blank, block index). A label
        with its figures in the next block (公用经费合计 over a merged label) is one entry with that
        block's columns."""
        entries = []
        for (blk, cmap), carry in zip(parts, carries):
            label = read_label(self.sheet, r, blk, carry)
            blank = self.row_blank(r, list(cmap.values()))
            entries.append((label, cmap, blank, len(entries)))
        merged = []
        i = 0
        while i < len(entries):
            label, cmap, blank, part = entries[i]
            if (
                i + 1 < len(entries)
                and (label.name or label.code)
                and not entries[i + 1][0].name
                and not entries[i + 1][0].code
                and ((blank and not entries[i + 1][2]) or self._spans_into(r, label.col, parts[i + 1][0]))
            ):
                merged.append((label, entries[i + 1][1], False, entries[i + 1][3]))
                i += 2
                continue
            merged.append(entries[i])
            i += 1
        return merged

    def _unplaced_problem(self, r: int, c: int, name: str, classification: str | None, scheme: str,
                          parents: list[str | None] | None = None) -> None:
        """The error for one row with figures that is no row of the table (nearest names for the first few)."""
        self._unplaced_count = getattr(self, "_unplaced_count", 0) + 1
        few = self._unplaced_count <= SHOWN_CELLS
        near = year_list(scheme, self.year).nearest(name, parents or [None]) if classification and few else []
        self.problem(_unplaced(name, near), r, c)

    def _unplaced_run(self, lst: YearList) -> None:
        """A run of unplaced rows ended by a row of the table (or the table's end): each is an error of its own."""
        for r0, c0, name0, parents in self._stray:
            self._unplaced_problem(r0, c0, name0, "function", lst.scheme, parents)
        self._stray = []

    def _drop_unknown(
        self, unknown: list[tuple[Row, Label]], per_part: list[list[Row]], pending: list[tuple[Row, Label]]
    ) -> list[tuple[int, int, str, list | None]]:
        """Take a run of unplaceable uncoded rows back out of the table; they become the stray run."""
        gone = {id(row) for row, _ in unknown}
        for part_rows in per_part:
            part_rows[:] = [row for row in part_rows if id(row) not in gone]
        pending[:] = [(row, lab) for row, lab in pending if id(row) not in gone]
        return [(lab.row, lab.col, lab.name, None) for _, lab in unknown]

    def _end_of_stray(self, rest: list[int], counted: int | None = None) -> None:
        """Rows that cannot be rows of the table, one after another below its rows: the table has ended.
        One error names how many rows there are and the first of them; the rest is not read."""
        more = counted if counted is not None else sum(1 for r in rest if any(self.row_texts(r)))
        count = len(self._stray) + more
        shown = "、".join(f"{a1(r, c)}“{name[:20]}”" for r, c, name, _ in self._stray[:SHOWN_CELLS])
        r0, c0, _, _ = self._stray[0]
        self.problem(
            f"表格下方从第{r0 + 1}行起有 {count:,} 行不是本表的项目（{shown} 等），看来是表格之外多余的内容，未读取。"
            "请删去这些行；若其中有本表的项目，请写上科目编码或标准项目名称。",
            r0,
            c0,
        )
        self._stray = []

    def _resolve_uncoded(
        self, rows: list[Row], pending: list[tuple[Row, Label]], block_key: str | None, scheme: str
    ) -> list[Row]:
        """Rows named without a code: levels from indentation when the block has no codes at all;
        otherwise stray text (ignored when it has no figures, an error when it has)."""
        if any(r.code is not None for r in rows):
            return self._place_by_name(rows, pending, block_key, scheme)
        levels = indent_levels([lab.indent for _, lab in pending])
        lst = year_list(scheme, self.year)
        path: list[str] = []
        codes: list[str | None] = [None, None, None]  # the codes of the rows above, by level
        keys: dict[str, int] = {}
        for row, lab in pending:
            level = levels[lab.indent]
            path = [*path[: level - 1], lab.name]
            row.level = level
            if level == 1:
                row.code = class_code_for_name(lab.name, scheme, self.year)
            else:  # a 款 or 项 takes its code from the year's list when the row above it has one
                parent = codes[level - 2]
                row.code = lst.code_for(lab.name, parent) if parent else None
            codes[level - 1 :] = [row.code] + [None] * (2 - level + 1)
            codes = codes[:3]
            base = row.code or "/".join(path)
            row.key = f"{block_key}.{base}" if block_key else base
            if row.key in keys:
                self.problem(f"“{lab.name}”在本表出现了两次（另见第{keys[row.key] + 1}行）。请删去重复的一行。", lab.row, lab.col)
            keys[row.key] = lab.row
        placed = sum(1 for row, _ in pending if row.code and (row.level or 0) > 1)
        if placed:
            self.notices.append(
                f"{self.sheet.file}，{self.sheet.name}：{self.spec.title}只有缩进、没有科目编码，"
                f"已按{lst.year}年政府收支分类科目补上{placed}行的编码。"
            )
        return rows

    def _place_by_name(
        self, rows: list[Row], pending: list[tuple[Row, Label]], block_key: str | None, scheme: str
    ) -> list[Row]:
        """Rows named without a code in a table that has codes: each takes the code of its name in
        the year's 科目 list, looked for under the coded row above it (its 款, then its 类), then
        among the 类. A row that cannot be placed is ignored when blank and an error naming the
        nearest official names when it has figures."""
        labels = {id(row): lab for row, lab in pending}
        lst = year_list(scheme, self.year)
        digits = (3, 5, 7) if scheme == "function" else (3, 5)
        keys = {r.key for r in rows if id(r) not in labels}
        kept: list[Row] = []
        above: str | None = None
        placed = 0
        self._stray = []
        for at, row in enumerate(rows):
            if kept and len(self._stray) >= STRAY_RUN:
                self._end_of_stray([], counted=len(rows) - at)
                break
            lab = labels.get(id(row))
            if lab is None:
                self._unplaced_run(lst)
                kept.append(row)
                above = row.code or above
                continue
            parents: list[str | None] = [above[:n] for n in reversed(digits[:-1]) if above and len(above) >= n]
            parents.append(None)
            code = next((c for p in parents if (c := lst.code_for(lab.name, p))), None)
            if code is None:
                code = next((c for p in parents if (c := any_year_code(scheme, lab.name, p))), None)
            key = f"{block_key}.{code}" if block_key and code else code
            if code is None or key in keys:
                if row.values:
                    self._stray.append((lab.row, lab.col, lab.name, parents))
                else:
                    self.notice(f"“{lab.name}”不是本表的项目，已忽略。", lab.row, lab.col)
                continue
            self._unplaced_run(lst)
            row.code, row.key, row.level = code, key, digits.index(len(code)) + 1
            row.label = strip_numbering(lab.name)
            keys.add(key)
            kept.append(row)
            above = code
            placed += 1
        self._unplaced_run(lst)
        if placed:
            self.notices.append(
                f"{self.sheet.file}，{self.sheet.name}：{self.spec.title}有{placed}行只写了名称、没有科目编码，"
                f"已按{lst.year}年政府收支分类科目补上编码。"
            )
        return kept

    def _spans_into(self, r: int, c: int, block: Block) -> bool:
        """Whether the merged cell starting at (r, c) reaches into a later block's columns."""
        first = min(col.index for col in block.columns)
        return any(r0 == r and c0 <= c <= c1 and c1 >= first for r0, c0, r1, c1 in self.sheet.merges)

    def _classify(
        self,
        label: Label,
        block_key: str | None,
        items: tuple[ItemSpec, ...],
        used: set[str],
        classification: str | None,
    ) -> Row | None:
        """Make the row for a label: an item (first unmatched that fits), a coded row, or None."""
        key = (lambda k: f"{block_key}.{k}" if block_key else k)
        if label.code is None:
            item = find_item(items, label.name, used)
            if item is not None:
                used.add(item.key)
                return Row(key=key(item.key), label=label.name, block=block_key, unit=item.unit)
        if classification == UNITS:  # a 分单位 table: every other named row is one unit, on the first level
            name = label.name or label.code or label.bad_code or ""
            return Row(key=key(f"unit.{normalize_label(name)}"), label=name, level=1, block=block_key) if name else None
        scheme = "economic" if classification == "economic" else "function"
        code = label.code
        if code is None and classification in ("function-class", "economic"):
            code = class_code_for_name(label.name, scheme, self.year)
        if code is not None:
            level = level_of(code, scheme)
            if level is None:
                self.problem(
                    f"科目编码“{code}”位数不对：功能分类为3/5/7位，经济分类为3/5位。请改正编码。", label.row, label.col
                )
                return None
            return Row(key=key(code), label=strip_numbering(label.name), code=code, level=level, block=block_key)
        if classification == "function" and label.indent >= 0 and label.name:
            return Row(key=f"?{label.row}", label=label.name, block=block_key)
        return None

    def read_blocks(self, paths: list[tuple[str, ...]]) -> list[Row]:
        physical = split_blocks(paths)
        by_spec: dict[str, list[Block]] = {b.key: [] for b in self.spec.blocks}
        order = list(self.spec.blocks)
        nxt = 0
        for blk in physical:
            words = blk.path_words
            target = next((b for b in order if norm(b.title) in words), None)
            if target is None:
                if nxt < len(order):
                    target = order[nxt]
                else:
                    target = next((b for b in reversed(order) if b.repeat), order[-1])
            by_spec[target.key].append(blk)
            nxt = max(nxt, order.index(target) + 1)
        rows: list[Row] = []
        for bspec in self.spec.blocks:
            blocks = by_spec[bspec.key]
            if not blocks:
                self.problem(
                    f"{self.spec.title}找不到“{bspec.title}”栏。请检查表头是否写有“{bspec.title}”。",
                    self.header_rows[0] if self.header_rows else self.start,
                    0,
                )
                continue
            phys = []
            for blk in blocks:
                cmap = assign_columns(bspec.columns, blk.columns)
                self.require(bspec.columns, cmap, where=f"的“{bspec.title}”栏")
                phys.append((blk, cmap))
            rows += self._read_block_rows(
                blocks[0],
                phys[0][1],
                bspec.key,
                bspec.items,
                bspec.classification,
                physical=phys,
            )
            self._require_items(bspec.items, rows, bspec.key)
        return rows

    def _require_items(self, items: tuple[ItemSpec, ...], rows: list[Row], block_key: str | None) -> None:
        keys = {r.key for r in rows}
        for item in items:
            key = f"{block_key}.{item.key}" if block_key else item.key
            if item.required and key not in keys:
                self.problem(f"{self.spec.title}缺少“{item.label}”行。请补上这一行（没有数字可留空）。")

    def read_record(self, paths: list[tuple[str, ...]]) -> list[Row]:
        columns = [Column(i, p, "value") for i, p in enumerate(paths) if p]
        colmap = assign_columns(self.spec.columns, columns)
        if any(c.required and c.key not in colmap for c in self.spec.columns):
            vertical = self._vertical_record(paths)
            if len(vertical) > len(colmap):
                return self._read_vertical(vertical)
        self.require(self.spec.columns, colmap)
        if not colmap:
            return []
        cols = list(colmap.values())
        data_row = self.first_data
        for r in self.data_rows():
            if not self.row_blank(r, cols):
                data_row = r
                break
        row = Row(key=RECORD_ROW, label=self.spec.title)
        for key, c in colmap.items():
            self.value(row, key, data_row, c)
        return [row]

    def _vertical_record(self, paths: list[tuple[str, ...]]) -> dict[str, tuple[int, int]]:
        """A record table laid out vertically (rows 合计 / 因公出国（境）费 / … × columns 预算数 |
        决算数, as some provinces publish 三公): each value cell is matched by its column's header
        path followed by its row's name. Spec column key → (row, column)."""
        block = Block([Column(i, p, *column_role(p)) for i, p in enumerate(paths)])
        labels = block.of("name") or block.of("code") or [Column(0, (), "name")]
        values = [c for c in block.of("value") if c.path and c.index not in {lc.index for lc in labels}]
        cells: list[tuple[int, int]] = []
        virtual: list[Column] = []
        for r in self.data_rows():
            name = next((t for t in (cell_text(self.sheet, r, lc.index) for lc in labels) if t), "")
            if not norm(name):
                continue
            for col in values:
                virtual.append(Column(len(cells), (*col.path, norm(name)), "value"))
                cells.append((r, col.index))
        found = assign_columns(self.spec.columns, virtual)
        return {key: cells[i] for key, i in found.items()}

    def _read_vertical(self, found: dict[str, tuple[int, int]]) -> list[Row]:
        self.require(self.spec.columns, found)
        row = Row(key=RECORD_ROW, label=self.spec.title)
        for key, (r, c) in found.items():
            self.value(row, key, r, c)
        return [row]

    def read_items(self, paths: list[tuple[str, ...]]) -> list[Row]:
        """Fixed items, in one 项目 | 计量单位 | 统计数 group or several side by side (the central
        template prints money items on the left, vehicles and counts on the right)."""
        groups: list[tuple[Block, dict[str, int]]] = []
        for block in split_blocks(paths):
            colmap = assign_columns(self.spec.columns, block.columns)
            if not colmap:  # a value column headed by something else (2021年, 数值 …): the one with numbers
                candidates = [
                    c for c in block.of("value")
                    if any(looks_numeric(self.sheet.raw(r, c.index)) for r in range(self.first_data, self.sheet.height))
                ]
                if len(candidates) == 1:
                    colmap = {self.spec.columns[0].key: candidates[0].index}
            if colmap and (block.of("name") or block.of("code")):
                groups.append((block, colmap))
        if not groups:
            self.require(self.spec.columns, {})
            return []
        used: set[str] = set()
        rows: list[Row] = []
        for block, colmap in groups:
            rows += self._read_item_group(block, colmap, used)
        self._require_items(self.spec.items, rows, None)
        return rows

    def _read_item_group(self, block: Block, colmap: dict[str, int], used: set[str]) -> list[Row]:
        unit_cols = block.of("unit")
        labels = block.of("name") or block.of("code")
        rows: list[Row] = []
        for r in self.data_rows():
            name, col = "", 0
            for lc in labels:
                t = cell_text(self.sheet, r, lc.index)
                if t:
                    name, col = t.strip(" \u3000"), lc.index
            if not name:
                continue
            item = find_item(self.spec.items, name, used)
            if item is None:
                blank = self.row_blank(r, list(colmap.values()))
                self.notice(f"“{name}”不是本表的项目，已忽略。" if blank else f"“{name}”不是本表的标准项目，未读取。", r, col)
                continue
            used.add(item.key)
            row = Row(key=item.key, label=name, unit=item.unit)
            stated = cell_text(self.sheet, r, unit_cols[0].index).strip() if unit_cols else ""
            unit = "count" if item.unit else (stated if stated in MONEY_UNITS else money_unit(name))
            for key, c in colmap.items():
                self.value(row, key, r, c, unit=unit)
            rows.append(row)
        return rows


def _unplaced(name: str, near: list[tuple[str, str]]) -> str:
    """The error for a row with figures that is neither an item of the table nor a placeable 科目."""
    return (
        f"“{name}”不是本表的项目，也没有科目编码。请写上科目编码（如“2040201 行政运行”）或改为标准项目名称。"
        + suggestion_text(near)
    )


_QUOTED = re.compile(r"“[^”]*”|\d+")

_LEADING_CODE = re.compile(r"^\d{3}(?:\d{2}){0,2}(?!\d)")


def _leading_code(text: str) -> bool:
    return bool(_LEADING_CODE.match(text))

