"""Synthetic but consistent 决算 accounts, written into the canonical template workbook.

Each unit-year is drawn from a seeded random generator: a main 功能分类 (公共安全, 教育, 农林水 …)
with 2–6 项, the pension / medical / housing 项 every unit has, sometimes 政府性基金 projects, project
balances carried over, a 基本支出 split into 经济分类 lines, 三公经费 (or a 空表), assets and
procurement. Amounts are whole 分, so every identity the check stage verifies holds exactly:
01 = 02/03 totals, 04 flows, 05 row flows, 06 = 07 totals, 三公 = the matching 经济分类 lines …

``distinct_workbooks`` writes N different filled workbooks per year with a placeholder unit name;
``unit_copy`` gives one unit its own copy with its own name (a byte replacement inside the zip).
"""
from __future__ import annotations

import random
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

PLACEHOLDER = "SYNTHUNITNAMEPLACEHOLDER"

# 功能分类: 类 → (款, 款名, [(项, 项名, kind)]); kind: basic, project or mixed.
MAIN_CLASSES = {
    "201": ("20103", "政府办公厅（室）及相关机构事务", [("2010301", "行政运行", "basic"), ("2010302", "一般行政管理事务", "project"), ("2010350", "事业运行", "basic"), ("2010399", "其他政府办公厅（室）及相关机构事务支出", "project")]),
    "204": ("20402", "公安", [("2040201", "行政运行", "basic"), ("2040202", "一般行政管理事务", "project"), ("2040219", "信息化建设", "project"), ("2040220", "执法办案", "project"), ("2040221", "特别业务", "project"), ("2040299", "其他公安支出", "mixed")]),
    "205": ("20502", "普通教育", [("2050201", "学前教育", "mixed"), ("2050202", "小学教育", "mixed"), ("2050203", "初中教育", "mixed"), ("2050204", "高中教育", "mixed"), ("2050299", "其他普通教育支出", "project")]),
    "213": ("21301", "农业农村", [("2130101", "行政运行", "basic"), ("2130104", "事业运行", "basic"), ("2130108", "病虫害控制", "project"), ("2130153", "农田建设", "project"), ("2130199", "其他农业农村支出", "project")]),
    "214": ("21401", "公路水路运输", [("2140101", "行政运行", "basic"), ("2140104", "公路建设", "project"), ("2140106", "公路养护", "project"), ("2140112", "公路运输管理", "mixed")]),
}
COMMON = [
    ("208", "20805", "行政事业单位养老支出", [("2080505", "机关事业单位基本养老保险缴费支出", "basic"), ("2080506", "机关事业单位职业年金缴费支出", "basic")]),
    ("210", "21011", "行政事业单位医疗", [("2101101", "行政单位医疗", "basic"), ("2101103", "公务员医疗补助", "basic")]),
    ("221", "22102", "住房改革支出", [("2210201", "住房公积金", "basic")]),
]
RETIRED = ("208", "20805", "行政事业单位养老支出", [("2080501", "行政单位离退休", "basic")])
GOV_FUND = ("212", "21208", "国有土地使用权出让收入安排的支出", [("2120801", "征地和拆迁补偿支出", "project"), ("2120802", "土地开发支出", "project")])
PERSONNEL = [("30101", "基本工资"), ("30102", "津贴补贴"), ("30103", "奖金"), ("30107", "绩效工资"), ("30108", "机关事业单位基本养老保险缴费"),
             ("30109", "职业年金缴费"), ("30110", "职工基本医疗保险缴费"), ("30112", "其他社会保障缴费"), ("30113", "住房公积金"), ("30199", "其他工资福利支出")]
FAMILY = [("30302", "退休费"), ("30305", "生活补助"), ("30309", "奖励金")]
PUBLIC = [("30201", "办公费"), ("30202", "印刷费"), ("30205", "水费"), ("30206", "电费"), ("30207", "邮电费"), ("30211", "差旅费"),
          ("30213", "维修（护）费"), ("30215", "会议费"), ("30216", "培训费"), ("30226", "劳务费"), ("30228", "工会经费"), ("30229", "福利费"),
          ("30239", "其他交通费用"), ("30299", "其他商品和服务支出")]
THREE_CODES = {"abroad": ("30212", "因公出国（境）费用"), "reception": ("30217", "公务接待费"), "vehicle_operation": ("30231", "公务用车运行维护费")}
CAPITAL = [("31002", "办公设备购置")]
VEHICLE_PURCHASE = ("31013", "公务用车购置")


def money(cents: int) -> Decimal:
    return Decimal(cents).scaleb(-2)


def split(rng: random.Random, total: int, parts: int) -> list[int]:
    """``total`` cents in ``parts`` positive random shares that add up exactly."""
    if parts == 1:
        return [total]
    weights = [rng.uniform(0.2, 1.0) for _ in range(parts)]
    s = sum(weights)
    shares = [int(total * w / s) for w in weights[:-1]]
    return shares + [total - sum(shares)]


@dataclass
class Line:
    code: str
    name: str
    fund: str  # general | gov_fund
    basic: int = 0
    project: int = 0
    opening: int = 0
    closing: int = 0

    @property
    def spent(self) -> int:
        return self.basic + self.project

    @property
    def income(self) -> int:
        return self.spent + self.closing - self.opening


@dataclass
class Fill:
    """Values for one sheet: fixed cells by (row key, column) and code rows per block."""

    cells: dict[tuple[str, str], Decimal | int] = field(default_factory=dict)
    codes: dict[str | None, list[tuple[str, str, dict[str, Decimal]]]] = field(default_factory=dict)


def _lines(rng: random.Random) -> tuple[list[Line], dict[str, str]]:
    names: dict[str, str] = {}
    groups = []
    main = rng.choice(sorted(MAIN_CLASSES))
    kuan, kuan_name, items = MAIN_CLASSES[main]
    groups.append((main, kuan, kuan_name, rng.sample(items, rng.randint(2, len(items))), "general"))
    groups += [(c, k, n, its, "general") for c, k, n, its in COMMON]
    if rng.random() < 0.4:
        groups.append((*RETIRED[:3], RETIRED[3], "general"))
    if rng.random() < 0.3:
        c, k, n, its = GOV_FUND
        groups.append((c, k, n, rng.sample(its, rng.randint(1, 2)), "gov_fund"))
    size = rng.choice([1, 1, 2, 3, 5])  # small bureau units to large ones
    lines = []
    for cls, kuan, kuan_name, items, fund in groups:
        names[kuan] = kuan_name
        for code, name, kind in sorted(items):
            names[code] = name
            line = Line(code, name, fund)
            scale = size * (3 if code.startswith(("204", "205", "213", "214", "201")) else 1)
            if kind in ("basic", "mixed"):
                line.basic = rng.randint(5_000, 400_000) * 10 * scale // 3
            if kind in ("project", "mixed"):
                line.project = rng.randint(1_000, 150_000) * 10 * scale // 3 + rng.randint(0, 99)
                if rng.random() < 0.5:
                    line.opening = rng.randint(0, line.project // 4)
                if rng.random() < 0.5:
                    line.closing = rng.randint(0, line.project // 5)
            lines.append(line)
    return lines, names


def _tree(lines: list[Line], names: dict[str, str], class_names: dict[str, str], columns: dict[str, callable]) -> list[tuple[str, str, dict[str, Decimal]]]:
    """类/款/项 rows (in code order) with each column summed over the 项 below."""
    codes = sorted({l.code[:n] for l in lines for n in (3, 5, 7)}, key=lambda c: (c[:3], c[:5], len(c), c))
    rows = []
    for code in codes:
        under = [l for l in lines if l.code.startswith(code)]
        name = class_names.get(code) or names[code]
        rows.append((code, name, {col: money(sum(f(l) for l in under)) for col, f in columns.items()}))
    return rows


def _total(lines: list[Line], f) -> Decimal:
    return money(sum(f(l) for l in lines))


def synth_accounts(seed: int, year: int) -> dict[str, Fill]:
    """One consistent unit-year, as fills for the sheets of the neimenggu-11 set."""
    from disclosure.standard import classification_names

    rng = random.Random(f"{seed}-{year}")
    cls_names = classification_names()
    fnames, enames = cls_names["function_classes"], cls_names["economic_classes"]
    lines, names = _lines(rng)
    gen = [l for l in lines if l.fund == "general"]
    gf = [l for l in lines if l.fund == "gov_fund"]
    fills: dict[str, Fill] = {}

    inc = lambda l: l.income  # noqa: E731
    spent = lambda l: l.spent  # noqa: E731
    fills["income"] = Fill(
        cells={("total", "total"): _total(lines, inc), ("total", "fiscal"): _total(lines, inc)},
        codes={None: _tree(lines, names, fnames, {"total": inc, "fiscal": inc})},
    )
    fills["expenditure"] = Fill(
        cells={("total", "total"): _total(lines, spent), ("total", "basic"): _total(lines, lambda l: l.basic), ("total", "project"): _total(lines, lambda l: l.project)},
        codes={None: _tree(lines, names, fnames, {"total": spent, "basic": lambda l: l.basic, "project": lambda l: l.project})},
    )
    proj = [l for l in gen if l.project]
    pcols = {"opening": lambda l: l.opening, "income": lambda l: l.project + l.closing - l.opening, "income_fiscal": lambda l: l.project + l.closing - l.opening,
             "expenditure": lambda l: l.project, "closing": lambda l: l.closing}
    fills["projects"] = Fill(cells={("total", c): _total(proj, f) for c, f in pcols.items()}, codes={None: _tree(proj, names, fnames, pcols)})
    gcols = {"total": spent, "basic": lambda l: l.basic, "project": lambda l: l.project}
    fills["general_budget"] = Fill(cells={("total", c): _total(gen, f) for c, f in gcols.items()}, codes={None: _tree(gen, names, fnames, gcols)})
    if gf:
        fcols = {"opening": lambda l: l.opening, "income": inc, "expenditure": spent, "basic": lambda l: l.basic, "project": lambda l: l.project, "closing": lambda l: l.closing}
        fills["gov_fund"] = Fill(cells={("total", c): _total(gf, f) for c, f in fcols.items()}, codes={None: _tree(gf, names, fnames, fcols)})

    i_gen, i_gf = sum(l.income for l in gen), sum(l.income for l in gf)
    o_gen, o_gf = sum(l.opening for l in gen), sum(l.opening for l in gf)
    c_gen, c_gf = sum(l.closing for l in gen), sum(l.closing for l in gf)
    e_gen, e_gf = sum(l.spent for l in gen), sum(l.spent for l in gf)
    classes = sorted({l.code[:3] for l in lines})
    s = Fill()
    s.cells.update({("income.general_budget", "amount"): money(i_gen), ("income.year_total", "amount"): money(i_gen + i_gf),
                    ("income.opening_balance", "amount"): money(o_gen + o_gf), ("income.grand_total", "amount"): money(i_gen + i_gf + o_gen + o_gf),
                    ("expenditure.year_total", "amount"): money(e_gen + e_gf), ("expenditure.closing_balance", "amount"): money(c_gen + c_gf),
                    ("expenditure.grand_total", "amount"): money(e_gen + e_gf + c_gen + c_gf)})
    if gf:
        s.cells[("income.gov_fund", "amount")] = money(i_gf)
    for c in classes:
        s.cells[(f"expenditure.{c}", "amount")] = _total([l for l in lines if l.code.startswith(c)], spent)
    fills["summary"] = s
    f = Fill()
    f.cells.update({("income.general_budget", "amount"): money(i_gen), ("income.gov_fund", "amount"): money(i_gf), ("income.year_total", "amount"): money(i_gen + i_gf),
                    ("income.opening_balance", "amount"): money(o_gen + o_gf), ("income.opening_general", "amount"): money(o_gen),
                    ("income.opening_gov_fund", "amount"): money(o_gf), ("income.grand_total", "amount"): money(i_gen + i_gf + o_gen + o_gf)})
    for key, g, v in (("year_total", e_gen, e_gf), ("closing_balance", c_gen, c_gf), ("grand_total", e_gen + c_gen, e_gf + c_gf)):
        f.cells.update({(f"expenditure.{key}", "total"): money(g + v), (f"expenditure.{key}", "general"): money(g), (f"expenditure.{key}", "gov_fund"): money(v)})
    for c in classes:
        under = [l for l in lines if l.code.startswith(c)]
        f.cells.update({(f"expenditure.{c}", "total"): _total(under, spent), (f"expenditure.{c}", "general"): _total([l for l in under if l.fund == "general"], spent),
                        (f"expenditure.{c}", "gov_fund"): _total([l for l in under if l.fund == "gov_fund"], spent)})
    fills["fiscal_summary"] = f

    basic_total = sum(l.basic for l in gen)
    personnel_total = basic_total * rng.randint(72, 86) // 100
    public_total = basic_total - personnel_total
    family = rng.sample(FAMILY, rng.randint(0, len(FAMILY)))
    pers_items = sorted(rng.sample(PERSONNEL, rng.randint(6, len(PERSONNEL)))) + sorted(family)
    pers = dict(zip([c for c, _ in pers_items], split(rng, personnel_total, len(pers_items))))
    three = {}
    if rng.random() < 0.75:
        three["reception"] = public_total * rng.randint(5, 30) // 1000
        three["vehicle_operation"] = public_total * rng.randint(20, 80) // 1000
        if rng.random() < 0.1:
            three["abroad"] = public_total * rng.randint(5, 30) // 1000
    purchase = public_total * rng.randint(30, 90) // 1000 if three and rng.random() < 0.15 else 0
    equipment = public_total * rng.randint(5, 40) // 1000 if rng.random() < 0.5 else 0
    rest = public_total - sum(three.values()) - purchase - equipment
    pub_items = sorted(rng.sample(PUBLIC, rng.randint(6, len(PUBLIC))))
    pub = dict(zip([c for c, _ in pub_items], split(rng, rest, len(pub_items))))
    pub.update({THREE_CODES[k][0]: v for k, v in three.items()})
    pub_names = dict(PUBLIC) | {c: n for c, n in THREE_CODES.values()} | dict(CAPITAL) | dict([VEHICLE_PURCHASE])
    if equipment:
        pub["31002"] = equipment
    if purchase:
        pub["31013"] = purchase

    def econ(values: dict[str, int], item_names: dict[str, str]) -> list[tuple[str, str, dict[str, Decimal]]]:
        rows = []
        for cls in sorted({c[:3] for c in values}):
            rows.append((cls, enames[cls], {"amount": money(sum(v for c, v in values.items() if c.startswith(cls)))}))
            rows += [(c, item_names[c], {"amount": money(values[c])}) for c in sorted(values) if c.startswith(cls)]
        return rows

    fills["basic"] = Fill(
        cells={("personnel.total", "amount"): money(personnel_total), ("public.total", "amount"): money(public_total)},
        codes={"personnel": econ(pers, dict(PERSONNEL) | dict(FAMILY)), "public": econ(pub, pub_names)},
    )
    if three or purchase:
        actual = {"abroad": three.get("abroad", 0), "vehicle_purchase": purchase, "vehicle_operation": three.get("vehicle_operation", 0), "reception": three.get("reception", 0)}
        budget = {k: v * rng.randint(100, 130) // 100 for k, v in actual.items()}
        rec = {}
        for side, vals in (("actual", actual), ("budget", budget)):
            vehicle = vals["vehicle_purchase"] + vals["vehicle_operation"]
            rec.update({f"{side}_abroad": vals["abroad"], f"{side}_vehicle_purchase": vals["vehicle_purchase"], f"{side}_vehicle_operation": vals["vehicle_operation"],
                        f"{side}_reception": vals["reception"], f"{side}_vehicle": vehicle, f"{side}_total": vals["abroad"] + vehicle + vals["reception"]})
        fills["three_public"] = Fill(cells={("record", k): money(v) for k, v in rec.items()})

    goods, works, services = (rng.randint(0, 300_000) * 100 for _ in range(3))
    enforcement, general = rng.randint(0, 40), rng.randint(0, 6)
    info = {"operating_cost": money(public_total), "procurement_total": money(goods + works + services), "procurement_goods": money(goods),
            "procurement_works": money(works), "procurement_services": money(services), "sme_contracts": money((goods + works + services) * 7 // 10),
            "vehicles_total": enforcement + general, "vehicles_law_enforcement": enforcement, "vehicles_general": general,
            "equipment_general_50": rng.randint(0, 3), "equipment_special_100": rng.randint(0, 2),
            "reception_batches": rng.randint(0, 40) if three.get("reception") else 0}
    info["reception_people"] = info["reception_batches"] * rng.randint(2, 8)
    fills["info"] = Fill(cells={(k, "amount"): v for k, v in info.items()})

    initial = {l.code: l.spent * rng.randint(85, 105) // 100 for l in gen}
    adjusted = {l.code: l.spent for l in gen}
    bcols = {"initial": lambda l: initial[l.code], "adjusted": lambda l: adjusted[l.code]}
    b = Fill(codes={None: _tree(gen, names, fnames, bcols)})
    for col, vals in (("initial", initial), ("adjusted", adjusted)):
        total = sum(vals.values())
        b.cells.update({("total", col): money(total), ("fiscal_grand_total", col): money(total + (c_gen if col == "adjusted" else 0)),
                        ("grand_total", col): money(total + (c_gen if col == "adjusted" else 0))})
    fills["budget"] = b
    return fills


def write_filled_workbook(path: Path, seed: int, year: int, unit_name: str = PLACEHOLDER) -> None:
    """A template workbook (from ``disclosure.blank_workbook``) filled with one synthetic unit-year."""
    from openpyxl import load_workbook

    from disclosure.standard import load_table_set
    from disclosure.blank_workbook import sheet_layout, write_blank_workbook

    table_set = load_table_set("neimenggu-11")
    write_blank_workbook(path, table_set, unit_name=unit_name, year=year)
    wb = load_workbook(path)
    for key, fill in synth_accounts(seed, year).items():
        spec = table_set.get(key)
        lay = sheet_layout(spec, table_set)
        ws = wb[lay.sheet]
        for (row_key, col), value in fill.cells.items():
            if row_key in lay.cells and col in lay.cells[row_key]:
                r, c = lay.cells[row_key][col]
                ws.cell(r, c, value)
        for block, rows in fill.codes.items():
            slots = lay.code_slots(block)
            if len(rows) > len(slots):
                raise ValueError(f"{key}: {len(rows)} code rows, template has {len(slots)}")
            for slot, (code, name, values) in zip(slots, rows):
                ws[slot.code_address] = code
                ws[slot.name_address] = name
                for col, value in values.items():
                    if col in slot.value_cols:
                        ws[slot.address(col)] = value
    wb.save(path)


def unit_copy(template: bytes, unit_name: str) -> bytes:
    """The bytes of a filled workbook with the placeholder unit name replaced (zip rewritten)."""
    import io

    src = zipfile.ZipFile(io.BytesIO(template))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename.startswith("xl/worksheets/") or info.filename == "xl/sharedStrings.xml":
                data = data.replace(PLACEHOLDER.encode(), unit_name.encode())
            dst.writestr(info, data)
    return out.getvalue()
