"""Evaluate declared rules over one unit-year's ``Accounts``: read cells, compare, report.

The engine knows five kinds of rule (see ``rulebook.py``); which cells they read is data. It never
changes the accounts and never raises for what it finds in them.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Callable, Iterator

from disclosure.check.finding import Finding
from disclosure.check.rulebook import ADJUSTMENT_REASON, Rule, Term
from disclosure.model import Accounts, CellRef, Row, Table
from disclosure.money import format_amount
from disclosure.standard import ColumnSpec, classification_names

ZERO = Decimal("0")
SHOWN_TERMS = 4  # a side with more terms is shortened to its first and last


class _Skip(Exception):
    """A table, row or column the rule needs is absent: the rule does not apply."""


@dataclass(frozen=True)
class Value:
    """One cell as a rule sees it. Its label is worked out only when a message needs it."""

    value: Decimal
    cell: CellRef | None
    name: "str | Callable[[], str]"
    sheet: str
    table: str
    negative: bool = False
    exact: bool = False  # read from a sheet in 元: typed to the 分, never rounded to 万元
    year: int | None = None  # set for a cell of another year's tables (the year-to-year chain)

    @property
    def label(self) -> str:
        return self.name if isinstance(self.name, str) else self.name()

    @property
    def signed(self) -> Decimal:
        return -self.value if self.negative else self.value

    @property
    def blank(self) -> bool:
        return self.cell is None and self.value == 0

    def text(self, after: "Value | None" = None, count: str = "") -> str:
        """``表!D7 合计 1,234.00``; the sheet is left out when it is that of ``after``; a count
        (``count`` is its unit, 辆) is shown as a whole number with its unit."""
        if self.cell is None:
            where = self.sheet
        elif after is not None and after.sheet == self.sheet and after.year == self.year:
            where = self.cell.cell
        else:
            where = str(self.cell)
        if self.year is not None:
            where = f"{self.year} 年{where}"
        return f"{where} {self.label} {_figure(self.value, count)}"


def _figure(value: Decimal, count: str = "") -> str:
    """An amount with two places, or a count with its unit (103 辆)."""
    return f"{value.normalize():,f} {count}" if count else format_amount(value)


# ── reading cells ────────────────────────────────────────────────────────────────────────

def _columns_of(table: Table, block: str | None) -> tuple[ColumnSpec, ...]:
    if block:
        for b in table.spec.blocks:
            if b.key == block:
                return b.columns
        return ()
    return table.spec.columns or tuple(table.spec.all_columns())


def _column_spec(table: Table, block: str | None, column: str) -> ColumnSpec | None:
    return next((c for c in _columns_of(table, block) if c.key == column), None)


def _column_label(col: ColumnSpec) -> str:
    if len(col.header) > 1:
        return f"{col.header[-1]}（{'·'.join(col.header[:-1])}）"
    return col.header[-1]


def _row_label(table: Table, row: Row) -> str:
    """The row's label; a label that occurs twice in its block (04表 “一般公共预算财政拨款” under
    本年收入 and again under 年初结转和结余) is prefixed with the nearest unique item label above it."""
    if row.code is not None:
        return row.label
    block = [r for r in table.rows if r.block == row.block and r.code is None]
    counts: dict[str, int] = {}
    for r in block:
        counts[r.label] = counts.get(r.label, 0) + 1
    if counts.get(row.label, 0) < 2 or row not in block:
        return row.label
    above = block[: block.index(row)]
    parent = next((r.label for r in reversed(above) if counts[r.label] == 1), None)
    return f"{parent}·{row.label}" if parent else row.label


def _label(table: Table, row: Row, column: str) -> str:
    columns = _columns_of(table, row.block)
    col = next((c for c in columns if c.key == column), None)
    col_label = _column_label(col) if col else column
    if table.spec.layout == "record":
        return col_label
    row_label = _row_label(table, row)
    return f"{row_label}·{col_label}" if len(columns) > 1 else row_label


def _value(table: Table, row: Row, column: str, negative: bool = False) -> Value:
    return Value(
        row.values.get(column, ZERO),
        row.cells.get(column),
        lambda: _label(table, row, column),
        table.sheet,
        table.key,
        negative,
        table.source_unit == "元",
    )


def _resolve(accounts: Accounts, term: Term) -> Value | None:
    """The term's cell; None when an optional term is absent; _Skip when a required one is."""
    table = accounts.get(term.table)
    if table is None:
        raise _Skip(term.table)
    row = table.row(term.row) if term.row else (table.rows[0] if table.rows else None)
    block = row.block if row else (term.row.split(".", 1)[0] if "." in term.row else None)
    present = row is not None and _column_spec(table, block, term.column) is not None
    if present and table.spec.supplementary and term.column not in row.values:
        present = False  # a blank cell of the 补充信息表 is not stated, not 0 (as derive reads it)
    if not present:
        if term.optional:
            return None
        raise _Skip(f"{term.table}:{term.row}:{term.column}")
    return _value(table, row, term.column, term.negative)


# ── comparing ────────────────────────────────────────────────────────────────────────────

def _shown(values: list[Value]) -> list[Value]:
    """Drop blank cells (no cell, zero) from a side, keeping at least one term."""
    kept = [v for v in values if not v.blank]
    return kept or values[:1]


def _side_text(values: list[Value], count: str = "") -> str:
    """One side of a comparison: its terms with cells and figures, and their sum. A long side
    shows its non-zero terms (and how many zeros it left out), or else its first and last."""
    if len(values) == 1 and not values[0].negative:
        return values[0].text(count=count)
    total = _figure(sum((v.signed for v in values), ZERO), count)
    if len(values) <= SHOWN_TERMS:
        return f"{_joined(values, count)} = {total}"
    nonzero = [v for v in values if v.value != 0]
    if 0 < len(nonzero) <= SHOWN_TERMS:
        return f"{_joined(nonzero, count)}（另 {len(values) - len(nonzero)} 项为 {_figure(ZERO, count)}）= {total}"
    body = f"{_joined(values[:1], count)} + …（共 {len(values)} 项）… {_sign(values[-1])} {values[-1].text(values[0], count)}"
    return f"{body} = {total}"


def _sign(v: Value) -> str:
    return "−" if v.negative else "+"


def _joined(values: list[Value], count: str = "") -> str:
    out = ""
    for i, v in enumerate(values):
        if i == 0:
            out = f"−{v.text(count=count)}" if v.negative else v.text(count=count)
        else:
            out += f" {_sign(v)} {v.text(values[i - 1], count)}"
    return out


def _cells(*sides: list[Value]) -> tuple[CellRef, ...]:
    seen: dict[CellRef, None] = {}
    for side in sides:
        for v in side:
            if v.cell is not None:
                seen.setdefault(v.cell, None)
    return tuple(seen)


def _holds(rule: Rule, diff: Decimal) -> bool:
    """Whether Σ left − Σ right = ``diff`` passes the rule exactly (no finding at all): the check
    ``compare`` makes, done on bare figures before any Value is built (most rows balance)."""
    return diff == 0 if rule.op == "=" else diff >= 0


def compare(rule: Rule, left: list[Value], right: list[Value]) -> Finding | None:
    """Σ left against Σ right under the rule's operator and per-addend tolerance."""
    if not left or not right:
        return None
    left, right = _shown(left), _shown(right)
    diff = sum((v.signed for v in left), ZERO) - sum((v.signed for v in right), ZERO)
    gap = abs(diff) if rule.op == "=" else max(ZERO, -diff)
    if gap == 0:
        return None
    count = str(rule.params.get("unit", ""))
    addends = max(1, len(left) + len(right) - 1)
    tolerance = ZERO if count else rule.tolerance * addends  # counts are whole: no rounding
    if all(v.exact for v in (*left, *right)):  # figures in 元 have no 万元 rounding: 0.01 元 per addend
        tolerance = tolerance / 10000
    relation = "≠" if rule.op == "=" else "<"
    gap_text = f"{_figure(gap, count)}" if count else f"{format_amount(gap)} 万元"
    message = f"{_side_text(left, count)} {relation} {_side_text(right, count)}（差 {gap_text}）"
    if gap <= tolerance:
        severity = "notice"
        message = f"舍入差异：{message}，在 {format_amount(tolerance)} 万元容差以内"
    else:
        severity = rule.severity
    return Finding(severity, rule.id, message, _cells(left, right), left[0].table, rule.description)


# ── the kinds ────────────────────────────────────────────────────────────────────────────

def _equation(rule: Rule, accounts: Accounts) -> Iterator[Finding]:
    left = [v for v in (_resolve(accounts, t) for t in rule.terms("left")) if v is not None]
    right = [v for v in (_resolve(accounts, t) for t in rule.terms("right")) if v is not None]
    if rule.params.get("unit"):  # counts: rows left blank are not given (a breakdown not filled in)
        left, right = _filled(accounts, rule.terms("left"), left), _filled(accounts, rule.terms("right"), right)
    finding = compare(rule, left, right)
    if finding:
        yield finding


def _filled(accounts: Accounts, terms: list[Term], values: list[Value]) -> list[Value]:
    """The values whose optional terms' cells were typed in (a blank optional cell is left out)."""
    kept = []
    for v in values:
        term = next((t for t in terms if t.table == v.table and v.cell is not None
                     and accounts[t.table].cell(t.row, t.column) == v.cell), None)
        table = accounts.get(v.table)
        row = table.row(term.row) if term is not None and table is not None and term.row else None
        if term is not None and term.optional and row is not None and term.column not in row.values:
            continue
        kept.append(v)
    return kept


def _columns(rule: Rule, accounts: Accounts) -> Iterator[Finding]:
    block = rule.params.get("block")
    left_terms, right_terms = rule.column_terms("left"), rule.column_terms("right")
    for key in rule.tables():
        table = accounts.get(key)
        if table is None:
            continue
        known = {c.key for c in _columns_of(table, block)}
        if any(t.column not in known for t in (*left_terms, *right_terms) if not t.optional):
            continue
        left_terms_t = [t for t in left_terms if t.column in known]
        right_terms_t = [t for t in right_terms if t.column in known]
        if not left_terms_t or not right_terms_t:
            continue
        for row in table.rows:
            if (block and row.block != block) or not row.values:
                continue
            got = row.values.get
            diff = ZERO
            for t in left_terms_t:
                diff = diff - got(t.column, ZERO) if t.negative else diff + got(t.column, ZERO)
            for t in right_terms_t:
                diff = diff + got(t.column, ZERO) if t.negative else diff - got(t.column, ZERO)
            if _holds(rule, diff):
                continue
            left = [_value(table, row, t.column, t.negative) for t in left_terms_t]
            right = [_value(table, row, t.column, t.negative) for t in right_terms_t]
            finding = compare(rule, left, right)
            if finding:
                yield finding


def _parent_of(code: str, by_code: dict[str, Row], level: int) -> str | None:
    """The nearest listed ancestor code of a classification code (204 ← 20402 ← 2040201)."""
    prefix = code[:-2]
    while len(prefix) >= 3:
        parent = by_code.get(prefix)
        if parent is not None and (parent.level or 0) < level:
            return prefix
        prefix = prefix[:-2]
    return None


def _tree(rule: Rule, accounts: Accounts) -> Iterator[Finding]:
    block = rule.params.get("block")
    for key in rule.tables():
        table = accounts.get(key)
        if table is None:
            continue
        # classification rows, and the named rows of a level (a 分单位 table's units) that sum to its total
        rows = [r for r in table.rows if (r.code is not None or r.level is not None) and (block is None or r.block == block)]
        by_code = {r.code: r for r in rows if r.code}
        children: dict[str, list[Row]] = {}
        top: list[Row] = []
        for row in rows:
            parent = _parent_of(row.code or "", by_code, row.level or 0)
            (children.setdefault(parent, []) if parent else top).append(row)
        columns = rule.params.get("columns") or [c.key for c in _columns_of(table, block)]
        total_key = rule.params.get("total")
        total_row = table.row(table.spec.item_key(block, total_key)) if total_key else None
        explained: set[str] = set()  # parents whose gap is a missing row, said once for all columns
        pairs = [(row, children.get(row.code or "")) for row in rows]
        if total_row is not None and top:
            pairs.append((total_row, top))
        for column in columns:
            if _column_spec(table, block, column) is None:
                continue
            for row, kids in pairs:
                if not kids or row.key in explained:
                    continue
                diff = row.values.get(column, ZERO) - sum((k.values.get(column, ZERO) for k in kids), ZERO)
                if _holds(rule, diff):
                    continue
                finding = compare(rule, [_value(table, row, column)], [_value(table, k, column) for k in kids])
                if finding is None:
                    continue
                if finding.severity != "notice" and diff > 0:
                    hint = _missing_child(accounts, table, row, set(by_code), diff, block)
                    if hint:
                        explained.add(row.key)
                        parent = _value(table, row, column)
                        total = parent.value - diff
                        message = (f"{parent.text()} 比其下各行之和 {format_amount(total)} 多 {format_amount(diff)} 万元："
                                   f"似乎缺少一行 {hint}。请补上这一行，不必改动其他行")
                        finding = replace(finding, message=message)
                yield finding


def _kind(table: Table, block: str | None) -> str:
    """The classification of a table's (or block's) code rows: function or economic."""
    for b in table.spec.blocks:
        if b.key == block and b.classification:
            return "economic" if b.classification == "economic" else "function"
    return "economic" if table.spec.classification == "economic" else "function"


def _missing_child(accounts: Accounts, table: Table, parent: Row, present: set[str], gap: Decimal,
                   block: str | None) -> str:
    """A child code one level below ``parent`` that this table lacks while another table of the year
    has it with exactly ``gap`` (or last year's same table had it): ``2040220 执法办案（收入决算表!C9 为
    35.00）``. Empty when no single such row stands out."""
    prefix = parent.code or ""
    length = len(prefix) + 2 if prefix else 3

    def absent(row: Row) -> bool:
        return bool(row.code) and len(row.code) == length and row.code.startswith(prefix) and row.code not in present

    kind = _kind(table, block)
    names: dict[str, str] = {}
    seen: dict[str, list[str]] = {}
    for other in accounts.tables.values():
        if other.key == table.key:
            continue
        for row in other.code_rows():
            if not absent(row) or _kind(other, row.block) != kind:  # 功能分类 with 功能分类 only
                continue
            hit = next((c for c, v in row.values.items() if v == gap and row.cells.get(c) is not None), None)
            if hit is not None:
                names.setdefault(row.code, row.label)
                seen.setdefault(row.code, []).append(f"{row.cells[hit]} 为 {format_amount(gap)}")
    if len(seen) == 1:
        code, where = next(iter(seen.items()))
        return f"{code} {names[code]}（{'；'.join(where[:3])}）"
    before = accounts.prior.get(table.key) if accounts.prior is not None else None
    gone = [r for r in before.code_rows(block=block) if absent(r)] if before is not None else []
    if len(gone) == 1:
        row = gone[0]
        return f"{row.code} {row.label}（{accounts.prior.year} 年{before.sheet}有这一行）"
    return ""


def _missing_row(table: Table, code: str) -> Value:
    name = classification_names().get("function_classes", {}).get(code, "")
    return Value(ZERO, None, f"无 {code} {name} 行".replace("  ", " "), table.sheet, table.key)


def _match(rule: Rule, accounts: Accounts) -> Iterator[Finding]:
    level = int(rule.params.get("level", 1))
    sides = []
    for spec in (rule.params["left"], rule.params["right"]):
        table_key, block, column = spec.split(":")
        table = accounts.get(table_key)
        if table is None or _column_spec(table, block or None, column) is None:
            return
        sides.append((table, column, {r.code: r for r in table.code_rows(level, block or None)}))
    (lt, lc, lrows), (rt, rc, rrows) = sides
    for code in sorted(set(lrows) | set(rrows)):
        left = _value(lt, lrows[code], lc) if code in lrows else _missing_row(lt, code)
        right = _value(rt, rrows[code], rc) if code in rrows else _missing_row(rt, code)
        finding = compare(rule, [left], [right])
        if finding:
            yield finding


def _nonzero_cells(table: Table) -> list[Value]:
    return [_value(table, row, col) for row in table.rows for col, v in row.values.items() if v != 0]


def _empty(rule: Rule, accounts: Accounts) -> Iterator[Finding]:
    table = accounts.get(rule.params["table"])
    funds = [v for v in (_resolve(accounts, t) for t in rule.terms("funds")) if v is not None]
    if table is None or not funds:
        return
    money = [v for v in funds if v.value != 0]
    filled = _nonzero_cells(table)
    blank = table.empty or not filled
    if blank and money:
        shown = "，".join(v.text() for v in money)
        message = f"{shown}，但{table.sheet}是空表：请补填该表，或核对上述金额"
        cells = _cells(money) + ((table.title_cell,) if table.title_cell else ())
        yield Finding(rule.severity, rule.id, message, cells, table.key, rule.description)
    elif not blank and not money:
        first = filled[0].text()
        more = f" 等 {len(filled)} 格" if len(filled) > 1 else ""
        fund_sheet = funds[0].sheet
        message = f"{first}{more}有数，但{fund_sheet}中该项资金各栏均为零：应为空表，或补填{fund_sheet}"
        yield Finding(rule.severity, rule.id, message, _cells(filled), table.key, rule.description)


def _chain(rule: Rule, accounts: Accounts, stated: str = "") -> Iterator[Finding]:
    """This year's opening balances against last year's closing ones: the same money carried over.
    ``stated`` is the unit's written reason for an adjustment (调整): the difference is then a warning."""
    prior = accounts.prior
    if prior is None:
        return
    left = [v for v in (_resolve(accounts, t) for t in rule.terms("left")) if v is not None]
    right = [replace(v, year=prior.year)
             for v in (_resolve(prior, t) for t in rule.terms("right")) if v is not None]
    finding = compare(rule, left, right)
    if finding is None:
        return
    reason = rule.params.get("reason", ADJUSTMENT_REASON)
    where = f"content/{accounts.unit}/{accounts.year}/reasons.toml"
    if "调整" in stated:
        message = (f"{finding.message}：{where} 中 {reason} 说明了调整（“{stated.strip()[:60]}”），"
                   "请确认调整后的年初数无误")
        yield replace(finding, severity="warning", message=message)
        return
    message = (f"{finding.message}：本年的年初数应等于上年的年末数。请核对这两个单元格；"
               f"如年初数确经调整，请在 {where} 的 [reasons] 中写 {reason} = \"……调整的原因\"")
    yield replace(finding, message=message)


def chain_findings(rule: Rule, accounts: Accounts, stated: str = "") -> list[Finding]:
    """The findings of one ``chain`` rule, given the adjustment the unit stated (if any)."""
    try:
        return list(_chain(rule, accounts, stated))
    except _Skip:
        return []


KIND_EVALUATORS: dict[str, Callable[[Rule, Accounts], Iterator[Finding]]] = {
    "equation": _equation,
    "columns": _columns,
    "tree": _tree,
    "match": _match,
    "empty": _empty,
    "chain": _chain,
}


def evaluate(rule: Rule, accounts: Accounts) -> list[Finding]:
    """Every finding of one rule; none when the tables, rows or columns it needs are absent."""
    try:
        return list(KIND_EVALUATORS[rule.kind](rule, accounts))
    except _Skip:
        return []
