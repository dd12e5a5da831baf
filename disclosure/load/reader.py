"""A workbook (or a folder of one file per table) → the tables of a table set, every problem collected."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from disclosure.errors import InputError, Problem, folder_message
from disclosure.load.codes import borrow_codes
from disclosure.load.locate import MONEY_UNITS, SheetMeta, block_view, header_unit, read_meta, stacked_blocks
from disclosure.load.tables import SheetReader
from disclosure.load.workbook import BookError, Sheet, a1, read_book
from disclosure.model import CellRef, Table
from disclosure.standard import TableSet, TableSpec

SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")


@dataclass
class LoadedTables:
    """What one source holds: tables by key, the 编制单位 it states, notices, files read."""

    tables: dict[str, Table]
    unit_name: str | None = None
    notices: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    unit_cells: list[tuple[str, CellRef]] = field(default_factory=list)  # every 编制单位 stated, with its cell
    warnings: list[tuple[str, CellRef]] = field(default_factory=list)  # 科目 names and codes off that year's list


def _sheets(source: Path, display_path: str) -> tuple[list[Sheet], list[str], list[Problem]]:
    """Every sheet of the source (one file, or each spreadsheet file of a folder, in name order)."""
    if source.is_dir() and source.suffix.lower() in SPREADSHEET_SUFFIXES:  # 2021.xlsx/: not a year's folder
        year = source.name[: -len(source.suffix)]
        return [], [display_path], [Problem(
            f"是一个文件夹，不是工作簿文件，无法读取。请把它换成 Excel/WPS 保存的工作簿；"
            f"如果它放的是这一年度的各张公开表，请把文件夹改名为 {year}（不带扩展名）。",
            file=display_path,
        )]
    if source.is_dir():
        try:
            files = sorted(
                p
                for p in source.iterdir()
                if p.is_file() and p.suffix.lower() in SPREADSHEET_SUFFIXES and not p.name.startswith(("~$", ".", "~"))
            )
        except OSError as exc:  # a year's folder that cannot be listed: an error, never an empty year

            return [], [display_path], [Problem(folder_message(exc), file=display_path)]
        pairs = [(p, f"{display_path.rstrip('/')}/{p.name}") for p in files]
        if not pairs:
            return [], [], [Problem("文件夹里没有电子表格文件（.xlsx/.xls/.ods）。请把各张公开表放进这个文件夹。", file=display_path)]
    else:
        pairs = [(source, display_path)]
    sheets: list[Sheet] = []
    problems: list[Problem] = []
    for path, display in pairs:
        try:
            sheets += read_book(path, display)
        except BookError as exc:
            problems.append(exc.problem)
    return sheets, [d for _, d in pairs], problems


def _where(sheet: Sheet, r: int, c: int) -> dict:
    return {"file": sheet.file, "sheet": sheet.name, "cell": a1(r, c)}


def _check_meta(sheet: Sheet, meta: SheetMeta, spec: TableSpec, year: int | None, problems: list[Problem]) -> str | None:
    """The money unit of a sheet (None after reporting a problem), and the year check."""
    unit: str | None = None
    if meta.unit is None:  # no unit line: the headers may say it (决算数（万元）)
        meta.unit = header_unit(sheet, meta.last_row + 1)
    if meta.unit is None:
        at = meta.title or meta.marker
        problems.append(
            Problem(
                f"{spec.title}没有写金额单位。请在表头上方加一行“单位：万元”（或“单位：元”）。",
                file=sheet.file,
                sheet=sheet.name,
                cell=a1(at.row, at.col) if at else None,
            )
        )
    elif meta.unit.text not in MONEY_UNITS:
        problems.append(
            Problem(
                f"金额单位“{meta.unit.text or '（空）'}”无法识别。请写“单位：万元”或“单位：元”。",
                **_where(sheet, meta.unit.row, meta.unit.col),
            )
        )
    else:
        unit = MONEY_UNITS[meta.unit.text]
    if year is not None and meta.year is not None and int(meta.year.text) != year:
        problems.append(
            Problem(
                f"表上写的是{meta.year.text}年度，但文件放在{year}年的位置。请改正表上的年度，"
                f"或把文件改名为 {meta.year.text} 年的文件名。",
                **_where(sheet, meta.year.row, meta.year.col),
            )
        )
    return unit


def _twice(best: Sheet, best_meta: SheetMeta, sheet: Sheet, meta: SheetMeta) -> Problem:
    """A table found twice at the same strength: on two sheets, or twice stacked on one (named at its title)."""
    if (best.file, best.name) == (sheet.file, sheet.name) and best_meta.title and meta.title:
        return Problem(
            f"{meta.spec.title}出现了两次：工作表“{sheet.name}”的第{best_meta.title.row + 1}行和第{meta.title.row + 1}行。"
            "请删去多余的一张。",
            **_where(sheet, meta.title.row, meta.title.col),
        )
    where = f"“{best.name}”" if best.file == sheet.file else f"{best.file} 的“{best.name}”"
    return Problem(f"{meta.spec.title}出现了两次：工作表{where}和“{sheet.name}”。请删去多余的一张。",
                   file=sheet.file, sheet=sheet.name)


def _claims(sheet: Sheet, table_set: TableSet) -> list[tuple[Sheet, SheetMeta]]:
    """The table a sheet holds; of a sheet with tables stacked one below another, each block as a sheet of
    its own (its rows at their row numbers, the others blank: every cell keeps its address)."""
    blocks = stacked_blocks(sheet, table_set)
    if blocks is None:
        return [(sheet, read_meta(sheet, table_set))]
    views = [(block_view(sheet, first, end), first) for first, end in blocks]
    return [(view, read_meta(view, table_set, first)) for view, first in views]


def read_tables(source: Path, table_set: TableSet, *, display_path: str, year: int | None = None) -> LoadedTables:
    """Read every table of ``table_set`` from a workbook or folder; raise InputError with every problem."""
    source = Path(source)
    sheets, files, problems = _sheets(source, display_path)
    notices: list[str] = []
    warnings: list[tuple[str, CellRef]] = []
    found: dict[str, tuple[Sheet, SheetMeta]] = {}
    tables: dict[str, Table] = {}
    unit_cells: list[tuple[str, CellRef]] = []
    candidates: dict[str, list[tuple[Sheet, SheetMeta]]] = {}
    for sheet in sheets:
        if not any(str(v).strip() for row in sheet.grid for v in row):
            continue
        for part, meta in _claims(sheet, table_set):
            if meta.listing:
                notices.append(f"{sheet.file}：工作表“{sheet.name}”列出了多张表的标题，看来是目录或封面，已忽略。")
            elif meta.spec is None:
                notices.append(f"{sheet.file}：工作表“{sheet.name}”不是本套公开表（{table_set.name}）中的任何一张，已忽略。")
            else:
                candidates.setdefault(meta.spec.key, []).append((part, meta))
    chosen: list[tuple[Sheet, SheetMeta]] = []
    for key, group in candidates.items():
        # the strongest claim wins (exact title > title with a prefix > title inside > 公开NN表 marker;
        # a visible sheet before a hidden one); weaker claims are other tables of another set
        group.sort(key=lambda sm: (-sm[1].strength, sm[0].hidden))
        best, best_meta = group[0]
        rivals = [sm for sm in group[1:] if (sm[1].strength, sm[0].hidden) == (best_meta.strength, best.hidden)]
        problems += [_twice(best, best_meta, sheet, meta) for sheet, meta in rivals]
        rival_ids = {id(sm[0]) for sm in rivals}
        for sheet, meta in group[1:]:
            if id(sheet) in rival_ids:
                continue
            kind = "隐藏的工作表" if sheet.hidden else "工作表"
            notices.append(
                f"{sheet.file}：{kind}“{sheet.name}”未读取：{meta.spec.title}已取自工作表“{best.name}”，"
                f"它的标题与本套公开表（{table_set.name}）中的其他表都不相符，已忽略。"
            )
        if best.hidden:
            notices.append(f"{best.file}：{best_meta.spec.title}取自隐藏的工作表“{best.name}”。")
        chosen.append((best, best_meta))
    for sheet, meta in chosen:
        spec = meta.spec
        found[spec.key] = (sheet, meta)
        unit = _check_meta(sheet, meta, spec, year, problems)
        if meta.maker is not None and meta.maker.text:
            unit_cells.append((meta.maker.text, CellRef(sheet.file, sheet.name, a1(meta.maker.row, meta.maker.col), spec.key)))
        if unit is None:
            continue
        reader = SheetReader(
            sheet=sheet, spec=spec, unit=unit, start=meta.last_row + 1, year=year or (int(meta.year.text) if meta.year else None)
        )
        table = reader.read()
        problems += reader.problems
        notices += reader.notices
        warnings += reader.warnings
        if meta.title:
            table.title_cell = CellRef(sheet.file, sheet.name, a1(meta.title.row, meta.title.col), spec.key)
        if spec.supplementary and table.empty:  # nothing stated: as if the sheet were absent
            continue
        tables[spec.key] = table
    missing = [s for s in table_set if s.required and s.key not in found]
    if missing and not (problems and not sheets):
        names = "、".join(f"{s.marker} {s.title}" if s.marker else s.title for s in missing)
        problems.append(
            Problem(
                f"缺少{len(missing)}张公开表：{names}。请补上这些工作表（表名写在表的前几行，工作表名称不限）。",
                file=display_path,
            )
        )
    if problems:
        raise InputError(problems)
    notices += borrow_codes(tables)
    ordered = {s.key: tables[s.key] for s in table_set if s.key in tables}
    names = [n for n, _ in unit_cells]
    unit_name = max(names, key=names.count) if names else None
    return LoadedTables(tables=ordered, unit_name=unit_name, notices=notices, files=files, unit_cells=unit_cells,
                        warnings=warnings)
