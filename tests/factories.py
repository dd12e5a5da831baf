"""Build ``Table`` and ``Accounts`` objects from plain dicts, for tests of any stage.

Three levels, from the most literal to the most convenient::

    make_table("income", {"total": {"total": "10", "fiscal": "10"}, "204": {...}, "20402": {...}})
    make_accounts({"income": {...rows...}, "expenditure": table}, year=2021)
    consistent_accounts([Line("2040201", basic="100", project="20")], personnel={...}, public={...})

Row keys are those of the loader: item keys (``total``, ``income.year_total``) or classification
codes (``204``, ``expenditure.204``, ``personnel.30101``); a code row gets its level from its length
(3 类, 5 款, 7 项) and its label from the standard's class names (or ``"_label"`` in the row dict).
Values may be str, int or Decimal; a column left out of a row is a blank cell. Every value gets a
distinct, stable ``CellRef`` on a sheet named after the table's title (rows from 7 down, columns
from C right; side-by-side blocks 8 columns apart), so tests can assert exact cells.

``consistent_accounts`` derives every table of a table set from a few 项 lines and an economic
split so that every identity of tables-spec.md §3 holds exactly; tests then perturb one cell with
``with_value``.
"""
from __future__ import annotations

import copy
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Iterable, Mapping

from openpyxl.utils import get_column_letter

from disclosure.model import Accounts, CellRef, Row, Table
from disclosure.standard import TableSpec, classification_names, load_table_set

ZERO = Decimal("0")
FILE = "tables/example/2021.xlsx"
FIRST_ROW = 7
FIRST_COLUMN = 3  # C
BLOCK_WIDTH = 8
RECORD_ROW = "record"  # key of the single row of a ``record`` table (三公)



def dec(value: object) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _spec(key: str, table_set: str) -> TableSpec:
    spec = load_table_set(table_set).get(key)
    if spec is None:
        raise KeyError(f"table {key!r} is not in table set {table_set!r}")
    return spec


def _label(spec: TableSpec, block: str | None, local: str) -> str:
    for b, item in spec.all_items():
        if b == block and item.key == local:
            return item.label
    names = classification_names()
    economic = spec.classification == "economic" or any(
        b.key == block and b.classification == "economic" for b in spec.blocks
    )
    table = names["economic_classes"] if economic else names["function_classes"]
    return table.get(local, f"科目{local}")


def make_table(
    key: str,
    rows: Mapping[str, Mapping[str, object]],
    *,
    table_set: str = "neimenggu-11",
    file: str = FILE,
    empty: bool | None = None,
    notes: Iterable[str] = (),
) -> Table:
    """A ``Table`` of the set's spec ``key`` with the given rows, in the given order."""
    spec = _spec(key, table_set)
    block_index = {b.key: i for i, b in enumerate(spec.blocks)}
    next_line: dict[str | None, int] = defaultdict(lambda: FIRST_ROW)
    built: list[Row] = []
    for row_key, data in rows.items():
        block, local = (row_key.split(".", 1) if "." in row_key and spec.blocks else (None, row_key))
        if spec.blocks and block not in block_index:
            raise KeyError(f"{key}: row {row_key!r} names no block of the table")
        columns = [c.key for c in (spec.blocks[block_index[block]].columns if block else spec.all_columns())]
        base = FIRST_COLUMN + (block_index[block] * BLOCK_WIDTH if block else 0)
        line = next_line[block]
        next_line[block] += 1
        values: dict[str, Decimal] = {}
        cells: dict[str, CellRef] = {}
        for column, raw in data.items():
            if column == "_label":
                continue
            if column not in columns:
                raise KeyError(f"{key}: row {row_key!r} has no column {column!r}")
            values[column] = dec(raw)
            letter = get_column_letter(base + columns.index(column))
            cells[column] = CellRef(file, spec.title, f"{letter}{line}", key)
        is_code = local.isdigit()
        built.append(
            Row(
                key=row_key,
                label=str(data.get("_label") or _label(spec, block, local)),
                code=local if is_code else None,
                level={3: 1, 5: 2, 7: 3}.get(len(local)) if is_code else None,
                block=block,
                values=values,
                cells=cells,
            )
        )
    if empty is None:
        empty = not any(r.values for r in built)
    title = CellRef(file, spec.title, "A1", key)
    return Table(spec, built, file, spec.title, empty=empty, title_cell=title, notes=list(notes))


def make_accounts(
    tables: Mapping[str, Table | Mapping[str, Mapping[str, object]]],
    *,
    unit: str = "example",
    year: int = 2021,
    unit_name: str = "示例单位",
    table_set: str = "neimenggu-11",
    prior: Accounts | None = None,
    file: str | None = None,
) -> Accounts:
    """``Accounts`` of the given tables (Table objects or row dicts), in the set's order."""
    file = file or f"tables/{unit}/{year}.xlsx"
    order = [t.key for t in load_table_set(table_set)]
    built = {
        k: v if isinstance(v, Table) else make_table(k, v, table_set=table_set, file=file)
        for k, v in tables.items()
    }
    ordered = {k: built[k] for k in sorted(built, key=lambda k: order.index(k) if k in order else len(order))}
    return Accounts(unit, year, unit_name, table_set, ordered, files=[file], prior=prior)


def with_value(accounts: Accounts, table: str, row: str, column: str, value: object) -> Accounts:
    """A deep copy of ``accounts`` with one cell set to ``value`` (the cell keeps its address)."""
    out = copy.deepcopy(accounts)
    target = out.tables[table].row(row)
    if target is None or column not in target.cells:
        raise KeyError(f"{table}:{row}:{column} has no cell")
    target.values[column] = dec(value)
    return out


# ── consistent accounts ──────────────────────────────────────────────────────────────────

FUNDS = ("general", "gov_fund", "state_capital", "other")


@dataclass(frozen=True)
class Line:
    """Money of one 项 (7-digit 功能分类 code) from one fund; ``other`` is non-fiscal, received as
    ``source`` (事业收入 unless another 收入 column is named: superior, operating, affiliated, other)."""

    code: str
    fund: str = "general"
    basic: object = 0
    project: object = 0
    opening: object = 0
    closing: object = 0
    source: str = "business"

    @property
    def spend(self) -> Decimal:
        return dec(self.basic) + dec(self.project)

    @property
    def income(self) -> Decimal:
        return self.spend + dec(self.closing) - dec(self.opening)


def _sum(lines: Iterable[Line], attr: str) -> Decimal:
    return sum((getattr(l, attr) if attr in ("spend", "income") else dec(getattr(l, attr)) for l in lines), ZERO)


def tree_rows(leaves: Mapping[str, Mapping[str, Decimal]], columns: Iterable[str], *, prefix: str = "",
              total: str | None = "total") -> dict[str, dict[str, Decimal]]:
    """Rows 合计, 类, 款, 项 (in code order) from leaf codes' values; parents are sums. Without
    leaves the table is blank: only its 合计 row, with no values."""
    columns = list(columns)
    if not leaves:
        return {f"{prefix}{total}": {}} if total else {}
    sums: dict[str, dict[str, Decimal]] = {}
    for code, values in leaves.items():
        for length in range(3, len(code) + 1, 2):
            acc = sums.setdefault(code[:length], dict.fromkeys(columns, ZERO))
            for c in columns:
                acc[c] += dec(values.get(c, 0))
    rows: dict[str, dict[str, Decimal]] = {}
    if total:
        rows[f"{prefix}{total}"] = {c: sum((sums[k][c] for k in sums if len(k) == 3), ZERO) for c in columns}
    for code in sorted(sums):
        rows[f"{prefix}{code}"] = sums[code]
    return rows


def _leaves(lines: Iterable[Line], fields: Mapping[str, str]) -> dict[str, dict[str, Decimal]]:
    """Per 项 code, column → Σ attribute of its lines (fields maps column → Line attribute)."""
    out: dict[str, dict[str, Decimal]] = {}
    for line in lines:
        acc = out.setdefault(line.code, dict.fromkeys(fields, ZERO))
        for column, attr in fields.items():
            acc[column] += line.spend if attr == "spend" else line.income if attr == "income" else dec(getattr(line, attr))
    return out


def _fund_table(lines: list[Line]) -> dict[str, dict[str, Decimal]]:
    fields = {"opening": "opening", "income": "income", "expenditure": "spend", "basic": "basic",
              "project": "project", "closing": "closing"}
    return tree_rows(_leaves(lines, fields), fields)


def consistent_accounts(
    lines: Iterable[Line],
    *,
    personnel: Mapping[str, object],
    public: Mapping[str, object],
    three_public_budget: Mapping[str, object] | None = None,
    procurement: tuple[object, object, object] = (0, 0, 0),
    tables: Iterable[str] | None = None,
    **account_args: object,
) -> Accounts:
    """Every table of a set (``table_set=``, default neimenggu-11), derived so that every identity
    holds exactly; tables the set lacks are left out, and so are columns its version lacks.

    ``personnel`` / ``public`` map 5-digit 经济分类 款 codes to amounts; together they must equal
    the general-budget 基本支出 of the lines. 三公 决算数 are the basic table's 30212 / 30217 /
    30231 / 31013 amounts; ``three_public_budget`` gives abroad / vehicle_purchase /
    vehicle_operation / reception 预算数 (default: equal to 决算数). ``tables`` keeps only those.
    """
    lines = list(lines)
    by_fund = {f: [l for l in lines if l.fund == f] for f in FUNDS}
    fiscal = [l for l in lines if l.fund != "other"]
    general_basic = _sum(by_fund["general"], "basic")
    econ_total = sum((dec(v) for v in (*personnel.values(), *public.values())), ZERO)
    if econ_total != general_basic:
        raise ValueError(f"economic split {econ_total} ≠ general-budget 基本支出 {general_basic}")
    built: dict[str, dict[str, dict[str, object]]] = {}

    income_total = _sum(lines, "income")
    opening_total, closing_total = _sum(lines, "opening"), _sum(lines, "closing")
    summary: dict[str, dict[str, object]] = {
        "income.general_budget": {"amount": _sum(by_fund["general"], "income")},
        "income.gov_fund": {"amount": _sum(by_fund["gov_fund"], "income")},
        "income.state_capital": {"amount": _sum(by_fund["state_capital"], "income")},
        **{f"income.{src}": {"amount": _sum([l for l in by_fund["other"] if l.source == src], "income")}
           for src in dict.fromkeys(["business", *(l.source for l in by_fund["other"])])},
        "income.year_total": {"amount": income_total},
        "income.opening_balance": {"amount": opening_total},
        "income.grand_total": {"amount": income_total + opening_total},
    }
    for code, values in tree_rows(_leaves(lines, {"amount": "spend"}), ["amount"], total=None).items():
        if len(code) == 3:
            summary[f"expenditure.{code}"] = values
    spend_total = _sum(lines, "spend")
    summary["expenditure.year_total"] = {"amount": spend_total}
    summary["expenditure.closing_balance"] = {"amount": closing_total}
    summary["expenditure.grand_total"] = {"amount": spend_total + closing_total}
    built["summary"] = summary

    sources = list(dict.fromkeys(["business", *(l.source for l in by_fund["other"])]))
    income_fields = {"total": "income", "fiscal": "income", **{src: "income" for src in sources}}
    leaves = {}
    for line in lines:
        acc = leaves.setdefault(line.code, dict.fromkeys(income_fields, ZERO))
        acc["total"] += line.income
        acc["fiscal" if line.fund != "other" else line.source] += line.income
    built["income"] = tree_rows(leaves, income_fields)
    built["expenditure"] = tree_rows(_leaves(lines, {"total": "spend", "basic": "basic", "project": "project"}),
                                     ["total", "basic", "project"])

    fs_income = {
        "income.general_budget": {"amount": _sum(by_fund["general"], "income")},
        "income.gov_fund": {"amount": _sum(by_fund["gov_fund"], "income")},
        "income.state_capital": {"amount": _sum(by_fund["state_capital"], "income")},
        "income.year_total": {"amount": _sum(fiscal, "income")},
        "income.opening_balance": {"amount": _sum(fiscal, "opening")},
        "income.opening_general": {"amount": _sum(by_fund["general"], "opening")},
        "income.opening_gov_fund": {"amount": _sum(by_fund["gov_fund"], "opening")},
        "income.opening_state_capital": {"amount": _sum(by_fund["state_capital"], "opening")},
        "income.grand_total": {"amount": _sum(fiscal, "income") + _sum(fiscal, "opening")},
    }
    fund_columns = {"general": "general", "gov_fund": "gov_fund", "state_capital": "state_capital"}
    leaves = {}
    for line in fiscal:
        acc = leaves.setdefault(line.code, {"total": ZERO, "general": ZERO, "gov_fund": ZERO, "state_capital": ZERO})
        acc["total"] += line.spend
        acc[fund_columns[line.fund]] += line.spend
    fs_tree = tree_rows(leaves, ["total", "general", "gov_fund", "state_capital"], prefix="expenditure.",
                        total="year_total")
    fs_exp = {k: v for k, v in fs_tree.items() if len(k.split(".", 1)[1]) == 3}
    fs_exp["expenditure.year_total"] = fs_tree["expenditure.year_total"]
    closing = {c: _sum(by_fund[c], "closing") for c in fund_columns}
    closing["total"] = _sum(fiscal, "closing")
    fs_exp["expenditure.closing_balance"] = closing
    year = fs_exp["expenditure.year_total"]
    fs_exp["expenditure.grand_total"] = {c: dec(year.get(c, 0)) + closing[c] for c in closing}
    built["fiscal_summary"] = {**fs_income, **fs_exp}

    project_lines = [l for l in by_fund["general"] if dec(l.project) != 0]
    project_columns = ["opening", "income", "income_fiscal", "expenditure", "closing"]
    project_fields = {"income": "project", "income_fiscal": "project", "expenditure": "project"}
    built["projects"] = tree_rows(_leaves(project_lines, project_fields), project_columns)
    general_leaves = _leaves(by_fund["general"], {"budget_initial": "spend", "total": "spend", "basic": "basic", "project": "project"})
    built["general_budget"] = tree_rows(general_leaves, ["budget_initial", "total", "basic", "project"])

    basic: dict[str, dict[str, object]] = {}
    for block, split in (("personnel", personnel), ("public", public)):
        rows = tree_rows({c: {"amount": dec(v)} for c, v in split.items()}, ["amount"], prefix=f"{block}.")
        basic.update(rows)
    built["basic"] = basic
    built["gov_fund"] = _fund_table(by_fund["gov_fund"])
    built["state_capital"] = _fund_table(by_fund["state_capital"])

    actual = {
        "abroad": dec(public.get("30212", 0)),
        "vehicle_purchase": dec(public.get("31013", 0)),
        "vehicle_operation": dec(public.get("30231", 0)),
        "reception": dec(public.get("30217", 0)),
    }
    budget = {k: dec((three_public_budget or actual).get(k, 0)) for k in actual}
    record: dict[str, object] = {}
    for side, figures in (("budget", budget), ("actual", actual)):
        vehicle = figures["vehicle_purchase"] + figures["vehicle_operation"]
        record.update({
            f"{side}_total": figures["abroad"] + vehicle + figures["reception"],
            f"{side}_abroad": figures["abroad"],
            f"{side}_vehicle": vehicle,
            f"{side}_vehicle_purchase": figures["vehicle_purchase"],
            f"{side}_vehicle_operation": figures["vehicle_operation"],
            f"{side}_reception": figures["reception"],
        })
    built["three_public"] = {RECORD_ROW: {"_label": "“三公”经费", **record}}
    goods, works, services = (dec(x) for x in procurement)
    public_total = sum((dec(v) for v in public.values()), ZERO)
    built["info"] = {
        "operating_cost": {"amount": public_total},
        "procurement_total": {"amount": goods + works + services},
        "procurement_goods": {"amount": goods},
        "procurement_works": {"amount": works},
        "procurement_services": {"amount": services},
    }
    keep = set(tables) if tables is not None else set(built)
    table_set = str(account_args.get("table_set", "neimenggu-11"))
    fitted = {k: _fit(k, rows, table_set) for k, rows in built.items() if k in keep}
    return make_accounts({k: v for k, v in fitted.items() if v is not None}, **account_args)


def _fit(key: str, rows: dict[str, dict[str, object]], table_set: str) -> dict[str, dict[str, object]] | None:
    """The rows of a table as the set defines it: None when the set has no such table, columns
    the set's version lacks left out (national-9's 09表 has no 结转 columns)."""
    spec = load_table_set(table_set).get(key)
    if spec is None:
        return None
    known = {c.key for c in spec.all_columns()} | {"_label"}
    return {r: {c: v for c, v in values.items() if c in known} for r, values in rows.items()}
