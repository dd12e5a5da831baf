"""``metadata.json`` and ``metadata.xml``: the 政府信息公开 fields of the published article.

Exactly the fields configured for the unit-year (``Project.publication_fields``: its ``unit.toml``,
then ``[publication]``, the date falling back to ``[site] publish_date``), in the order of
``PUBLICATION_FIELDS``, under their Chinese names; a field nobody configured is absent, never guessed.
"""
from __future__ import annotations

import json
from xml.sax.saxutils import escape

from disclosure.project import PUBLICATION_FIELDS


def labelled(fields: dict[str, str]) -> dict[str, str]:
    """Configured fields under their Chinese names (索引号, 发布机构 …), in the declared order."""
    return {label: fields[key] for key, label in PUBLICATION_FIELDS.items() if fields.get(key)}


def metadata_json(fields: dict[str, str]) -> str:
    return json.dumps(labelled(fields), ensure_ascii=False, indent=2) + "\n"


def metadata_xml(fields: dict[str, str]) -> str:
    """The same fields as XML elements named in Chinese (valid XML names) under ``<政府信息公开>``."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', "<政府信息公开>"]
    lines += [f"  <{label}>{escape(value)}</{label}>" for label, value in labelled(fields).items()]
    lines.append("</政府信息公开>")
    return "\n".join(lines) + "\n"
