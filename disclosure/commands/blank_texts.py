"""The blank guidance texts ``disclosure init`` writes for a unit's first year (unit.toml and the
unit's own sections), each marked “请填写” where a person must write."""
from __future__ import annotations

from disclosure.content import PLACEHOLDER

UNIT_TOML = """\
# 单位信息。name 为单位全称，须与公开表“编制单位”一致。
name = "{name}"{hint}
contact_person = ""   # {placeholder}决算公开联系人
contact_phone = ""    # {placeholder}联系电话，如 0478-1234567
"""

CONTENT_TEXTS: dict[str, str] = {
    "duties.md": """\
# 主要职能职责

> {placeholder}本单位的主要职能职责（来源：“三定”方案），写完后删除本提示行。

## （一）单位职能

{placeholder}：一段话说明本单位的性质和职能。

## （二）主要职责

1. {placeholder}：第一项职责。
2. {placeholder}：第二项职责。
""",
    "organization.md": """\
# 机构设置及决算单位构成情况

> {placeholder}本单位的机构设置和纳入决算编制范围的单位，写完后删除本提示行。

{placeholder}：内设机构、编制人数、实有人数。

| 序号 | 单位名称 | 单位性质 |
|---|---|---|
| 1 | {placeholder}：单位名称 | {placeholder}：如“财政拨款的行政单位” |
""",
    "contact.md": """\
# 决算公开联系方式及信息反馈渠道

> {placeholder}联系人和电话，写完后删除本提示行。

本单位决算公开信息反馈和联系方式：

- 联系人：{placeholder}
- 联系电话：{placeholder}
""",
}


def toml_string(text: str) -> str:
    """A text as the inside of a TOML basic string."""
    return text.replace("\\", "\\\\").replace('"', '\\"')


def blank_unit_toml(name: str | None) -> str:
    """unit.toml for a unit's first year: its name when known, else a 请填写 hint."""
    quoted = toml_string(name) if name else ""
    hint = "" if quoted else f"   # {PLACEHOLDER}单位全称"
    return UNIT_TOML.format(name=quoted, hint=hint, placeholder=PLACEHOLDER)


def blank_texts() -> dict[str, str]:
    """``{file name: text}`` of the unit's own sections, blank with guidance."""
    return {fname: text.format(placeholder=PLACEHOLDER) for fname, text in CONTENT_TEXTS.items()}
