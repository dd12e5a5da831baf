"""The one normalisation of row labels and column headers, so that a label matches its spec by rule
instead of by a growing list of aliases.

Real exports write the same row in many ways: ``车辆数合计（辆）``, ``（一）其中：一般公共预算财政拨款收入``,
``合　计``, ``“三公”经费``, ``①行政运行``. `normalize_label` reduces every one of them to one canonical
text (the rules are the constants below, applied in this order):

1. circled and parenthesised numbers (①, ⑴, ⒈) are numbering, dropped before NFKC turns them into digits;
2. NFKC (full-width letters, digits, brackets and colons become half-width), quotes 「」“”"'‘’『』 and the
   title marks 《》〈〉 dropped,
   every kind of space dropped;
3. leading numbering dropped, repeatedly: 一、 （一） (1) 1. 1、 1） A. 第一部分 第一节 第一, and 其中 / 其中：;
4. a unit at the end dropped: （辆） （台、套） （台/套） （个） （人次） （万元） （元）, and the level marks
   （类） （款） （项） (all in `UNIT_WORDS`, alone or joined by 、 / ，); so is a qualifier at the end that says
   what the rows are listed by: 项目（按功能分类） 项目(按经济分类) 科目名称（按支出功能分类科目）;
5. trailing colons dropped.

`loose_key` is the second, weaker form used only when it picks one item out of a table's items:
the 本年 prefix dropped and 总计 / 小计 read as 合计. `is_note`, `is_spacer` and `NUMBERING_WORDS` say
which lines are not data at all (注 / 说明 / 备注 lines, signatures, the sentence under an empty table
(`says_empty`: 故本表为空表 / 本表无数据 / 此表为空 …), 栏次 / 行次 rows, blank rows).

This module imports nothing from the rest of the package, so `disclosure.standard` can use it too.
"""
from __future__ import annotations

import re
import unicodedata

# Count and money units seen in the labels and headers of published 决算公开表.
UNIT_WORDS = (
    "辆", "台", "套", "台套", "台(套)", "件", "个", "人", "人次", "次", "批", "批次", "团组", "个团组", "家", "户",
    "项", "份", "张", "处", "座", "所", "平方米", "㎡", "m2", "亩", "公里", "元", "万元", "千元", "亿元", "%",
    "类", "款",  # level marks of the narrative form 公安（款）行政运行（项）
)
MONEY_UNITS = ("元", "万元", "千元", "亿元")
NUMBERING_WORDS = frozenset({"栏次", "行次", "序号"})

_CIRCLED = re.compile(r"^\s*[\u2460-\u249b\u24ea-\u24ff\u2776-\u2793\u3251-\u325f\u32b1-\u32bf]\s*")
_QUOTES = str.maketrans("", "", "\"'“”‘’「」『』〝〞《》〈〉")
_SPACES = re.compile(r"\s+")
_CN_NUM = "一二三四五六七八九十百零〇"
_NUMBERING = re.compile(
    rf"^(?:"
    rf"第[{_CN_NUM}\d]+(?:(?:部分|节|章)[、.:：]?|[、.:：])"  # 第一部分 / 第三节 / 第一、
    rf"|[{_CN_NUM}]+[、.:：]"  # 一、 / 二十七、 / 三.
    rf"|[(\[【〔][{_CN_NUM}\d]+[)\]】〕][、.]?"  # （一） (1) 【一】
    rf"|\d{{1,2}}[)）][、.]?"  # 1） 2)
    rf"|\d{{1,2}}[.、](?!\d)"  # 1. 1、 (not 1.5)
    rf"|[a-zA-Z][.、)]"  # A. a)
    rf")"
)
_WHEREOF = re.compile(r"^其中[:：,，]?")
_UNIT_GROUP = "|".join(re.escape(u) for u in sorted(UNIT_WORDS, key=len, reverse=True))
_UNIT_END = re.compile(
    rf"[(\[【]\s*(?:金额)?(?:计量)?(?:单位)?[:：]?\s*((?:{_UNIT_GROUP})(?:\s*[、/,，]\s*(?:{_UNIT_GROUP}))*)\s*[)\]】]$"
)
# a trailing （按…） names the basis of the list (项目（按功能分类）), not the column
_QUALIFIER_END = re.compile(r"[(\[【]按[^()\[\]【】]{1,24}[)\]】]$")
_TRAILING = ":：,，;；。"
_NOTE = re.compile(
    r"^(?:(?:注|说明|备注|附注|填表说明|补充说明)\s*[0-9一二三四五六七八九]?\s*[:：.、]"
    r"|(?:单位|财务|部门|主管会计工作)?负责人\s*[:：]|(?:制表|填表|审核|经办|复核)人?\s*[:：]"
    r"|(?:填报|制表|报送)日期\s*[:：])"
)
# a line saying that the table has no figures, as published tables write it under an empty table, with or
# without 注：: 故本表为空表 / 本表无数据 / 此表为空 / 该表无内容 / 本单位2021年度无（没有）…收入、支出
_SAYS_EMPTY = re.compile(
    r"空表|(?:本|此|该)表(?:为空|无数据|没有数据|数据为空|无内容|不涉及)|(?:无|没有)(?:相关)?(?:数据|内容)(?:$|[。.;；,，])"
    r"|^(?:注[:：])?本(?:单位|部门)(?:(?:19|20)\d{2}年度?)?(?:无|没有|未)"
)


def _strip_numbering(s: str) -> str:
    """Leading numbering and 其中, as many layers as are written (（一）其中：1.…)."""
    while True:
        t = _WHEREOF.sub("", _NUMBERING.sub("", s, count=1), count=1)
        if t == s:
            return s
        s = t


def _canonical(text: object) -> str:
    """Steps 1–2: circled numbers dropped, NFKC, no quotes, no spaces."""
    s = "" if text is None else str(text)
    s = _CIRCLED.sub("", s)
    s = unicodedata.normalize("NFKC", s).translate(_QUOTES)
    return _SPACES.sub("", s)


def normalize_label(text: object) -> str:
    """Canonical form of a row label or column header (rules 1–5 of the module docstring)."""
    s = _strip_numbering(_canonical(text))
    s = s.rstrip(_TRAILING)
    while (m := _UNIT_END.search(s) or _QUALIFIER_END.search(s)) and m.start() > 0:
        s = s[: m.start()].rstrip(_TRAILING)
    return s.rstrip(_TRAILING)


def label_unit(text: object) -> str | None:
    """The unit written at the end of a label (车辆数合计（辆） → 辆, 机关运行经费（元） → 元), if any."""
    s = _strip_numbering(_canonical(text)).rstrip(_TRAILING)
    m = _UNIT_END.search(s)
    if not m or m.start() == 0:
        return None
    return m.group(1)


def money_unit(text: object) -> str | None:
    """The money unit (元 / 万元 / 千元 / 亿元) written at the end of a label, if any."""
    unit = label_unit(text)
    return unit if unit in MONEY_UNITS else None


def loose_key(normalised: str) -> str:
    """The weaker key of a normalised label: no 本年 prefix, 总计 and 小计 read as 合计."""
    s = normalised.removeprefix("本年")
    for word in ("总计", "小计"):
        if s.endswith(word):
            s = s[: -len(word)] + "合计"
    return s


def strip_numbering(name: str) -> str:
    """A printed name without its leading ordinal (二十七、抗疫特别国债安排的支出 → 抗疫特别国债安排的支出),
    spacing and width kept as written."""
    s = _CIRCLED.sub("", name)
    while True:
        t = re.sub(
            rf"^\s*(?:[{_CN_NUM}]+[、.．:：]|[（(【〔][{_CN_NUM}\d]+[)）】〕][、.．]?|\d{{1,2}}[)）][、.．]?"
            rf"|\d{{1,2}}[、.．](?!\d)|第[{_CN_NUM}\d]+(?:部分|节)[、.．:：]?|其中[:：]?)\s*",
            "",
            s,
            count=1,
        )
        if t == s:
            return s
        s = t


def says_empty(text: str) -> bool:
    """The line says its table has no figures (故本表为空表 / 本表无数据 / 此表为空 / 本单位无…收入、支出)."""
    return bool(_SAYS_EMPTY.search(_canonical(text)))


def is_note(text: str) -> bool:
    """A note or signature line (注：… / 说明：… / 备注：… / 单位负责人：…), or a line saying that the table
    is empty (`says_empty`), not data."""
    canonical = _canonical(text)
    return bool(_NOTE.match(canonical) or _SAYS_EMPTY.search(canonical))


def is_spacer(texts: list[str]) -> bool:
    """A row with nothing in it but spaces, or only a bare 其中 / 其中：."""
    return all(not normalize_label(t) for t in texts)


__all__ = [
    "UNIT_WORDS",
    "MONEY_UNITS",
    "NUMBERING_WORDS",
    "normalize_label",
    "label_unit",
    "money_unit",
    "loose_key",
    "strip_numbering",
    "is_note",
    "says_empty",
    "is_spacer",
]
