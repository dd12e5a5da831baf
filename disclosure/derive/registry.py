"""The registry of facts: every figure the report states, as data.

Each entry gives the fact's key, its label (used in formulas and tooltips), a description, and
where it comes from: cells (``Cell`` with ``Source``s, first applicable wins), or other facts
(``Sum``, ``Difference``, ``Ratio``). ``compare`` adds the change against the prior year;
``reason_key`` names the 变动原因 entry in ``reasons.toml``. Entries resolve in order.

A key starts with the table it is read from (``summary.``, ``income.``, ``gov_fund.`` …), but two
are short: ``gb.`` is 一般公共预算财政拨款 (table ``general_budget``, 05表) and ``tp.`` is “三公”经费
(table ``three_public``, 07表). The keys are the words units write their ``reasons.toml`` in (and
that ``check`` asks for), and a published year is rebuilt from its own ``reasons.toml``: renaming a
key would silently drop every reason written under the old one, so the keys stay as they are.
"""
from __future__ import annotations

from disclosure.derive.entry_kinds import (Cell, Difference, EmptyTable, Family, Ratio, Registry, Source, Sum, TableGiven,
                                           Unfilled)
from disclosure.load.classification import year_list
from disclosure.model import Row, Table

M = "万元"


def official_name(scheme: str, year: int | None, code: str, label: str) -> str:
    """The name of a 科目 in the report year's 政府收支分类 (``function`` or ``economic``), or the
    row's label when the year's list does not have the code (the loader warns when they differ)."""
    return (year_list(scheme, year).name(code) if code else None) or label.strip()


def _item_name(table: Table, row: Row, year: int | None = None) -> str:
    """``公安（款）行政运行（项）`` from a 项 row and its 款 row, by the year's official names."""
    name = official_name("function", year, row.code, row.label)
    parent = table.row(row.key[: -len(row.code)] + row.code[:5]) if row.code else None
    if parent is None:
        official_parent = year_list("function", year).name(row.code[:5]) if row.code else None
        return f"{official_parent}（款）{name}（项）" if official_parent else f"{name}（项）"
    return f"{official_name('function', year, parent.code, parent.label)}（款）{name}（项）"


def _class_name(table: Table, row: Row, year: int | None = None) -> str:
    """A 功能分类 类 by the year's official name."""
    return official_name("function", year, row.code, row.label)


def _economic_name(table: Table, row: Row, year: int | None = None) -> str:
    """An 经济分类 款 by the year's official name."""
    return official_name("economic", year, row.code, row.label)


def cell(key: str, label: str, description: str, *sources: tuple[str, str | None, str], **kw) -> Cell:
    return Cell(key=key, label=label, description=description, sources=tuple(Source(*s) for s in sources), **kw)


def share(key: str, label: str, part: str, whole: str, description: str, **kw) -> Ratio:
    return Ratio(key=key, label=label, description=description, part=part, whole=whole, **kw)


def _summary() -> list:
    s = "summary"
    income = [
        ("year_total", "本年收入合计"), ("general_budget", "一般公共预算财政拨款收入"),
        ("gov_fund", "政府性基金预算财政拨款收入"), ("state_capital", "国有资本经营预算财政拨款收入"),
        ("non_fiscal_balance", "使用非财政拨款结余"), ("opening_balance", "年初结转和结余"),
        ("grand_total", "收入总计"),
    ]
    expenditure = [
        ("year_total", "本年支出合计"), ("surplus_distribution", "结余分配"),
        ("closing_balance", "年末结转和结余"), ("grand_total", "支出总计"),
    ]
    out: list = [
        cell(f"{s}.income.{k}", label, f"收入支出决算总表收入栏的“{label}”。", (s, f"income.{k}", "amount"),
             compare="pct", ask_reason=k == "grand_total")
        for k, label in income
    ]
    out += [
        cell(f"{s}.expenditure.{k}", label, f"收入支出决算总表支出栏的“{label}”。", (s, f"expenditure.{k}", "amount"))
        for k, label in expenditure  # 支出总计 = 收入总计: its change is the income side's
    ]
    return out


def _budget_execution() -> list:
    return [
        cell("budget.grand_total", "年初预算收支总计", "年初预算数表中的收入支出总计（年初预算数）。",
             ("budget", "grand_total", "initial")),
        Difference(key="budget.grand_total.diff", label="收支总计决算数与年初预算之差",
                   description="收入支出总计决算数减年初预算收支总计。",
                   minuend="summary.income.grand_total", subtrahend="budget.grand_total",
                   reason_key="budget.grand_total.diff"),
        share("budget.grand_total.diff_pct", "收支总计决算数与年初预算差异率", "budget.grand_total.diff",
              "budget.grand_total", "收支总计决算数与年初预算之差除以年初预算的百分比。",
              reason_key="budget.grand_total.diff"),
        cell("budget.fiscal_grand_total", "年初预算财政拨款收支总计",
             "年初预算数表中的财政拨款收入支出总计（年初预算数）。", ("budget", "fiscal_grand_total", "initial")),
        Difference(key="budget.fiscal_grand_total.diff", label="财政拨款收支总计决算数与年初预算之差",
                   description="财政拨款收入总计决算数减年初预算财政拨款收支总计。",
                   minuend="fiscal.income.grand_total", subtrahend="budget.fiscal_grand_total",
                   reason_key="budget.fiscal_grand_total.diff"),
        share("budget.fiscal_grand_total.diff_pct", "财政拨款收支总计决算数与年初预算差异率",
              "budget.fiscal_grand_total.diff", "budget.fiscal_grand_total",
              "财政拨款收支总计决算数与年初预算之差除以年初预算的百分比。",
              reason_key="budget.fiscal_grand_total.diff"),
    ]


INCOME_SOURCES = [
    ("fiscal", "财政拨款收入"), ("superior", "上级补助收入"), ("business", "事业收入"),
    ("operating", "经营收入"), ("affiliated", "附属单位上缴收入"), ("other", "其他收入"),
]
EXPENDITURE_KINDS = [
    ("basic", "基本支出"), ("project", "项目支出"), ("remit", "上缴上级支出"),
    ("operating", "经营支出"), ("subsidy", "对附属单位补助支出"),
]


FISCAL_SOURCES = [
    ("general_budget", "一般公共预算财政拨款收入"), ("gov_fund", "政府性基金预算财政拨款收入"),
    ("state_capital", "国有资本经营预算财政拨款收入"),
]


def _income_expenditure() -> list:
    out: list = [cell("income.total", "本年收入合计", "收入决算表合计行的本年收入合计。", ("income", "total", "total"),
                      compare="pct")]
    for k, label in INCOME_SOURCES:
        out.append(cell(f"income.{k}", label, f"收入决算表合计行的{label}。", ("income", "total", k),
                        compare="pct", ask_reason=False))
        out.append(share(f"income.{k}.share", f"{label}占本年收入合计的比重", f"income.{k}", "income.total",
                         f"{label}除以本年收入合计的百分比。"))
    for k, label in FISCAL_SOURCES:  # the three funds of 财政拨款收入, from 收入支出决算总表
        out.append(cell(f"income.{k}", label, f"收入支出决算总表收入栏的“{label}”。", ("summary", f"income.{k}", "amount"),
                        compare="pct", ask_reason=False))
        out.append(share(f"income.{k}.share", f"{label}占本年收入合计的比重", f"income.{k}", "income.total",
                         f"{label}除以本年收入合计的百分比。"))
    out.append(cell("expenditure.total", "本年支出合计", "支出决算表合计行的本年支出合计。",
                    ("expenditure", "total", "total"), compare="pct"))
    for k, label in EXPENDITURE_KINDS:
        out.append(cell(f"expenditure.{k}", label, f"支出决算表合计行的{label}。", ("expenditure", "total", k),
                        compare="pct", ask_reason=False))
        out.append(share(f"expenditure.{k}.share", f"{label}占本年支出合计的比重", f"expenditure.{k}",
                         "expenditure.total", f"{label}除以本年支出合计的百分比。"))
    out += [
        Family(key="expenditure.class", label="本年支出的类", description="支出决算表中有数的类级科目（各项资金）。",
               tables=("expenditure",), level=1, name=_class_name),
        cell("expenditure.class.{code}.actual", "{name}", "某一类级科目的本年支出合计（支出决算表，各项资金）。",
             ("expenditure", "{code}", "total"), family="expenditure.class", compare="pct", ask_reason=False),
        share("expenditure.class.{code}.share", "{name}占本年支出合计的比重", "expenditure.class.{code}.actual",
              "expenditure.total", "类级科目支出除以本年支出合计的百分比。", family="expenditure.class"),
    ]
    return out


def _fiscal() -> list:
    f = "fiscal_summary"
    rows = [
        ("income.year_total", "本年财政拨款收入"), ("income.general_budget", "一般公共预算财政拨款收入"),
        ("income.gov_fund", "政府性基金预算财政拨款收入"), ("income.state_capital", "国有资本经营预算财政拨款收入"),
        ("income.opening_balance", "年初财政拨款结转和结余"), ("income.grand_total", "财政拨款收入总计"),
    ]
    out: list = [
        cell(f"fiscal.{k}", label, f"财政拨款收入支出决算总表的“{label}”。", (f, k, "amount"),
             compare="pct", ask_reason=k == "income.grand_total")
        for k, label in rows
    ]
    out += [
        cell("fiscal.expenditure.year_total", "本年财政拨款支出", "财政拨款收入支出决算总表支出栏的本年支出合计。",
             (f, "expenditure.year_total", "total"), compare="pct", ask_reason=False),
        cell("fiscal.expenditure.closing_balance", "年末财政拨款结转和结余",
             "财政拨款收入支出决算总表的年末财政拨款结转和结余。", (f, "expenditure.closing_balance", "total")),
        cell("fiscal.expenditure.grand_total", "财政拨款支出总计", "财政拨款收入支出决算总表的支出总计。",
             (f, "expenditure.grand_total", "total")),
    ]
    return out


def _general_budget() -> list:
    g = "general_budget"
    return [
        cell("gb.total", "一般公共预算财政拨款支出", "一般公共预算财政拨款支出决算表合计行的本年支出。",
             (g, "total", "total"), compare="pct"),
        cell("gb.basic", "一般公共预算财政拨款基本支出", "一般公共预算财政拨款支出决算表合计行的基本支出。",
             (g, "total", "basic")),
        cell("gb.project", "一般公共预算财政拨款项目支出", "一般公共预算财政拨款支出决算表合计行的项目支出。",
             (g, "total", "project")),
        share("gb.basic.share", "基本支出占一般公共预算财政拨款支出的比重", "gb.basic", "gb.total",
              "一般公共预算财政拨款基本支出除以其支出合计的百分比。"),
        share("gb.project.share", "项目支出占一般公共预算财政拨款支出的比重", "gb.project", "gb.total",
              "一般公共预算财政拨款项目支出除以其支出合计的百分比。"),
        share("gb.total.share", "一般公共预算财政拨款支出占本年支出合计的比重", "gb.total", "expenditure.total",
              "一般公共预算财政拨款支出除以支出决算表本年支出合计的百分比。"),
        cell("gb.budget", "一般公共预算财政拨款支出年初预算",
             "年初预算数表（或本表年初预算数栏）的一般公共预算财政拨款支出合计。",
             ("budget", "total", "initial"), (g, "total", "budget_initial")),
        Difference(key="gb.total.diff", label="一般公共预算财政拨款支出决算数与年初预算之差",
                   description="一般公共预算财政拨款支出决算数减年初预算数。",
                   minuend="gb.total", subtrahend="gb.budget", reason_key="gb.total.diff"),
        share("gb.total.diff_pct", "一般公共预算财政拨款支出决算数与年初预算差异率", "gb.total.diff", "gb.budget",
              "决算数与年初预算之差除以年初预算的百分比。", reason_key="gb.total.diff"),
        share("gb.total.completion", "一般公共预算财政拨款支出完成年初预算的比例", "gb.total", "gb.budget",
              "一般公共预算财政拨款支出决算数除以年初预算数的百分比。", reason_key="gb.total.diff"),
        Family(key="gb.class", label="一般公共预算财政拨款支出的类",
               description="决算或年初预算有数的类级科目（一般公共预算财政拨款支出决算表在前）。",
               tables=(g, "budget"), level=1, name=_class_name),
        cell("gb.class.{code}.actual", "{name}", "某一类级科目的一般公共预算财政拨款支出决算数。",
             (g, "{code}", "total"), family="gb.class", compare="pct", ask_reason=False),
        share("gb.class.{code}.share", "{name}占一般公共预算财政拨款支出的比重", "gb.class.{code}.actual", "gb.total",
              "类级科目支出除以一般公共预算财政拨款支出合计的百分比。", family="gb.class"),
        cell("gb.class.{code}.budget", "{name}年初预算数", "类级科目的年初预算数（年初预算数表或本表年初预算数栏）。",
             ("budget", "{code}", "initial"), (g, "{code}", "budget_initial"), family="gb.class"),
        share("gb.class.{code}.completion", "{name}完成年初预算的比例", "gb.class.{code}.actual",
              "gb.class.{code}.budget", "类级科目决算数除以年初预算数的百分比；年初预算为零时不计算。",
              family="gb.class"),
        Family(key="gb.item", label="一般公共预算财政拨款支出的项", description="决算或年初预算有数的项级科目。",
               tables=(g, "budget"), level=3, name=_item_name),
        cell("gb.item.{code}.actual", "{name}决算数", "项级科目的一般公共预算财政拨款支出决算数。",
             (g, "{code}", "total"), family="gb.item"),
        cell("gb.item.{code}.budget", "{name}年初预算数", "项级科目的年初预算数（年初预算数表或本表年初预算数栏）。",
             ("budget", "{code}", "initial"), (g, "{code}", "budget_initial"), family="gb.item"),
        Difference(key="gb.item.{code}.diff", label="{name}决算数与年初预算之差",
                   description="项级科目决算数减年初预算数。", minuend="gb.item.{code}.actual",
                   subtrahend="gb.item.{code}.budget", family="gb.item", reason_key="gb.item.{code}.completion"),
        share("gb.item.{code}.completion", "{name}完成年初预算的比例", "gb.item.{code}.actual", "gb.item.{code}.budget",
              "项级科目决算数除以年初预算数的百分比；年初预算为零时不计算。", family="gb.item",
              reason_key="gb.item.{code}.completion"),
    ]


def _basic() -> list:
    b = "basic"
    out: list = [
        cell("basic.personnel", "人员经费", "基本支出决算明细表的人员经费合计。", (b, "personnel.total", "amount"),
             compare="pct"),
        cell("basic.public", "公用经费", "基本支出决算明细表的公用经费合计。", (b, "public.total", "amount"),
             compare="pct"),
        Sum(key="basic.total", label="一般公共预算财政拨款基本支出", description="人员经费合计加公用经费合计。",
            parts=("basic.personnel", "basic.public")),
    ]
    for block, title in (("personnel", "人员经费"), ("public", "公用经费")):
        out += [
            Family(key=f"basic.{block}.item", label=f"{title}的款", description=f"{title}中有数的经济分类款级科目。",
                   tables=(b,), level=2, block=block, name=_economic_name),
            cell(f"basic.{block}.item.{{code}}", "{name}", f"{title}中一个款级科目的决算数。",
                 (b, f"{block}.{{code}}", "amount"), family=f"basic.{block}.item"),
        ]
    return out


THREE_PUBLIC = [
    ("total", "“三公”经费"), ("abroad", "因公出国（境）费"), ("vehicle", "公务用车购置及运行维护费"),
    ("vehicle_purchase", "公务用车购置费"), ("vehicle_operation", "公务用车运行维护费"), ("reception", "公务接待费"),
]


def _budget_and_actual(k: str, label: str, table_title: str) -> list:
    """预算数, 决算数 (against the prior year) and 完成预算的比例 of one item of the 三公 table."""
    t = "three_public"
    return [
        cell(f"tp.{k}.budget", f"{label}预算数", f"{table_title}中{label}的预算数。", (t, None, f"budget_{k}")),
        cell(f"tp.{k}.actual", f"{label}决算数", f"{table_title}中{label}的决算数。", (t, None, f"actual_{k}"),
             compare="pct"),
        share(f"tp.{k}.completion", f"{label}完成预算的比例", f"tp.{k}.actual", f"tp.{k}.budget",
              f"{label}决算数除以预算数的百分比；预算为零时不计算。", reason_key=f"tp.{k}.completion"),
    ]


def _three_public() -> list:
    t = "three_public"
    out: list = []
    for k, label in THREE_PUBLIC:
        out += _budget_and_actual(k, label, "财政拨款“三公”经费支出决算表")
        out += [
            Difference(key=f"tp.{k}.diff", label=f"{label}决算数与预算数之差", description=f"{label}决算数减预算数。",
                       minuend=f"tp.{k}.actual", subtrahend=f"tp.{k}.budget", reason_key=f"tp.{k}.completion"),
            share(f"tp.{k}.diff_pct", f"{label}决算数与预算数的差异率", f"tp.{k}.diff", f"tp.{k}.budget",
                  f"{label}决算数与预算数之差除以预算数的百分比；预算为零时不计算。", reason_key=f"tp.{k}.completion"),
        ]
        if k != "total":
            out.append(share(f"tp.{k}.share", f"{label}占“三公”经费的比重", f"tp.{k}.actual", "tp.total.actual",
                             f"{label}决算数除以“三公”经费决算数合计的百分比。"))
    # 陕西 七 (three_public_meetings): 会议费 and 培训费 beside the 三公 columns, outside the 三公 total
    for k, label in (("meeting", "会议费"), ("training", "培训费")):
        out += _budget_and_actual(k, label, "“三公”经费及会议费、培训费支出决算表")
    out += [
        cell("tp.vehicles_held", "公务用车保有量", "信息表中财政拨款开支的公务用车保有量。",
             ("info", "vehicles_held", "amount"), unit="辆"),
        Ratio(key="tp.vehicle_operation.per_vehicle", label="车均运行维护费",
              description="公务用车运行维护费决算数除以公务用车保有量；按四舍五入写出（万元两位小数，以元计时到分），"
                          "所以这里不先取两位（19,550.15元不会写成19,600元）。",
              part="tp.vehicle_operation.actual", whole="tp.vehicles_held", as_percent=False, unit=M, places=12),
    ]
    counts = [
        ("abroad_groups", "因公出国（境）团组数", "个"), ("abroad_people", "因公出国（境）人次数", "人次"),
        ("vehicles_purchased", "公务用车购置数", "辆"), ("reception_batches", "国内公务接待批次", "批次"),
        ("reception_people", "国内公务接待人次", "人次"),
        ("foreign_reception_batches", "国（境）外公务接待批次", "批次"),
        ("foreign_reception_people", "国（境）外公务接待人次", "人次"),
    ]
    out += [cell(f"tp.{k}", label, f"信息表中的{label}。", ("info", k, "amount"), unit=unit) for k, label, unit in counts]
    return out


def _funds() -> list:
    out: list = []
    for key, table, name in (("gov_fund", "gov_fund", "政府性基金预算财政拨款"),
                             ("state_capital", "state_capital", "国有资本经营预算财政拨款")):
        out += [
            EmptyTable(key=f"{key}.empty", label=f"{name}收入支出决算表", description=f"{name}收支表是否为空表（1为空表）。",
                       table=table),
            cell(f"{key}.income", f"{name}收入", f"{name}收入支出决算表合计行的本年收入。", (table, "total", "income"),
                 compare="pct"),
            cell(f"{key}.expenditure", f"{name}支出", f"{name}收入支出决算表合计行的本年支出。",
                 (table, "total", "expenditure"), compare="pct"),
            cell(f"{key}.opening", f"{name}年初结转和结余", f"{name}收入支出决算表合计行的年初结转和结余。",
                 (table, "total", "opening")),
            cell(f"{key}.closing", f"{name}年末结转和结余", f"{name}收入支出决算表合计行的年末结转和结余。",
                 (table, "total", "closing")),
        ]
    return out


def _projects() -> list:
    p = "projects"
    return [
        cell("projects.planned", "预算安排项目数", "信息表中的预算安排项目数。", ("info", "projects_planned", "amount"), unit="个"),
        cell("projects.implemented", "实施项目数", "信息表中的实施项目数。", ("info", "projects_implemented", "amount"), unit="个"),
        cell("projects.completed", "完成项目数", "信息表中的完成项目数。", ("info", "projects_completed", "amount"), unit="个"),
        cell("projects.expenditure", "项目支出总金额", "项目收入支出决算表合计行的本年支出。",
             (p, "total", "expenditure"), ("expenditure", "total", "project")),
        cell("projects.income_fiscal", "项目财政本年拨款金额", "项目收入支出决算表合计行本年收入中的财政拨款收入。",
             (p, "total", "income_fiscal")),
        cell("projects.income", "项目本年收入", "项目收入支出决算表合计行的本年收入。", (p, "total", "income")),
        cell("projects.opening", "项目年初结转和结余", "项目收入支出决算表合计行的年初结转和结余。", (p, "total", "opening")),
        cell("projects.closing", "项目年末结转和结余", "项目收入支出决算表合计行的年末结转和结余。", (p, "total", "closing")),
    ]


def _info() -> list:
    i = "info"
    procurement = [("total", "政府采购支出"), ("goods", "政府采购货物支出"), ("works", "政府采购工程支出"),
                   ("services", "政府采购服务支出")]
    out: list = [
        cell(f"procurement.{k}", label, f"信息表中的{label}。", (i, f"procurement_{k}", "amount"), compare="pct")
        for k, label in procurement
    ]
    for k, label in (("sme", "授予中小企业合同金额"), ("small_micro", "授予小微企业合同金额")):
        row = "sme_contracts" if k == "sme" else "small_micro_contracts"
        out += [
            cell(f"procurement.{k}", label, f"信息表中的{label}。", (i, row, "amount")),
            share(f"procurement.{k}.share", f"{label}占政府采购支出的比重", f"procurement.{k}", "procurement.total",
                  f"{label}除以政府采购支出总额的百分比。"),
        ]
    out.append(TableGiven(key="tables.info", label="机关运行经费支出、国有资产占用情况及政府采购支出信息表",
                          description="本套公开表含信息表时为1（不论是否填写）；不含时无此项。", table=i))
    out.append(cell("operating_cost", "机关运行经费支出",
                    "信息表中的机关运行经费支出（云南等地的“三公”经费、机关运行经费情况表中的机关运行经费栏）。",
                    (i, "operating_cost", "amount"), ("three_public", None, "operating_cost"), compare="pct"))
    vehicles = [
        ("total", "车辆"), ("ministerial", "副部（省）级及以上领导用车"), ("leaders", "主要领导干部用车"),
        ("confidential", "机要通信用车"), ("emergency", "应急保障用车"), ("law_enforcement", "执法执勤用车"),
        ("special", "特种专业技术用车"), ("retired", "离退休干部用车"), ("general", "一般公务用车"), ("other", "其他用车"),
    ]
    out += [
        cell(f"assets.vehicles.{k}", label, f"信息表中的{label}数量。", (i, f"vehicles_{k}", "amount"), unit="辆",
             compare="count" if k == "total" else None)
        for k, label in vehicles
    ]
    out += [
        cell("assets.equipment_general_50", "单位价值50万元以上通用设备", "信息表中单位价值50万元以上通用设备的数量。",
             (i, "equipment_general_50", "amount"), unit="台（套）", compare="count"),
        cell("assets.equipment_special_100", "单位价值100万元以上专用设备", "信息表中单位价值100万元以上专用设备的数量。",
             (i, "equipment_special_100", "amount"), unit="台（套）", compare="count"),
    ]
    return out


ASSET_PARTS = [  # 国有资产使用情况表 (云南 十二), in the table's order; fixed_* are parts of 固定资产
    ("current", "流动资产"), ("fixed", "固定资产"), ("fixed_buildings", "房屋构筑物"), ("fixed_vehicles", "车辆"),
    ("fixed_other", "其他固定资产"), ("investment", "对外投资"), ("construction", "在建工程"), ("intangible", "无形资产"),
    ("other", "其他资产"),
]


def _asset_holdings() -> list:
    """资产总额 and its parts at year end, each from its cell of the 国有资产使用情况表, with each part's
    share of 资产总额 (固定资产's own parts: of 固定资产). A blank cell is 未填报 (``.unfilled``), not 0."""
    a = "assets"
    title = "国有资产使用情况表"
    out: list = []
    for k, label in [("total", "资产总额"), *ASSET_PARTS]:
        out += [
            cell(f"assets.{k}", label, f"{title}中的{label}（年末数）。", (a, None, k), unit=M, blank_is_zero=False,
                 compare="pct" if k == "total" else None, ask_reason=False),
            Unfilled(key=f"assets.{k}.unfilled", label=f"{label}未填报",
                     description=f"{title}有“{label}”栏而未填数时为1（未填报，不按0计）。", source=Source(a, None, k)),
        ]
        if k == "total":
            continue
        whole, whole_label = ("assets.fixed", "固定资产") if k.startswith("fixed_") else ("assets.total", "资产总额")
        out.append(share(f"assets.{k}.share", f"{label}占{whole_label}的比重", f"assets.{k}", whole,
                         f"{label}除以{whole_label}的百分比。"))
    return out


REGISTRY = Registry(entries=tuple(
    _summary() + _fiscal() + _budget_execution() + _income_expenditure() + _general_budget() + _basic()
    + _three_public() + _funds() + _projects() + _info() + _asset_holdings()
))
