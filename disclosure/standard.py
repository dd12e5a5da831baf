"""The 公开表 standard as data: table specs loaded from the TOML files in ``standards/``."""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Iterator

from disclosure.labels import normalize_label  # the one normalisation, re-exported for the specs
from disclosure.package_data import package_toml

STANDARDS_DIR = Path(__file__).parent / "standards"
DEFAULT_TABLE_SET = "neimenggu-11"


@dataclass(frozen=True)
class ColumnSpec:
    """A value column: key, header path (top to bottom), aliases of its last element."""

    key: str
    header: tuple[str, ...]
    aliases: tuple[str, ...] = ()
    required: bool = True
    unit: str | None = None  # a unit other than money (分, %, 辆): figures read as written

    @property
    def label(self) -> str:
        return self.header[-1]


@dataclass(frozen=True)
class ItemSpec:
    """A fixed row: key, printed label, aliases; ``unit`` is a count unit for non-money rows."""

    key: str
    label: str
    aliases: tuple[str, ...] = ()
    required: bool = True
    unit: str | None = None
    template: bool = True  # init writes the row; False: a row only older exports print (read when present)

    @cached_property
    def label_keys(self) -> frozenset[str]:
        """The label and its aliases normalised, as a row's label is compared with them (made once)."""
        return frozenset({normalize_label(self.label), *(normalize_label(a) for a in self.aliases)})

    def matches(self, label: str) -> bool:
        return normalize_label(label) in self.label_keys


@dataclass(frozen=True)
class BlockSpec:
    """One of the side-by-side blocks of a ``blocks`` table (收入 | 支出, 人员经费 | 公用经费)."""

    key: str
    title: str
    columns: tuple[ColumnSpec, ...]
    items: tuple[ItemSpec, ...] = ()
    classification: str | None = None  # "function-class" (类 rows by name) or "economic"
    repeat: bool = False  # may occupy several physical blocks (公用经费 over two)


@dataclass(frozen=True)
class TableSpec:
    """One 公开表: number, title and variants, layout, columns, fixed rows, unit."""

    id: str
    key: str
    number: int
    title: str
    layout: str
    aliases: tuple[str, ...] = ()
    classification: str | None = None  # "function" (3/5/7) or "economic" (3/5)
    columns: tuple[ColumnSpec, ...] = ()
    items: tuple[ItemSpec, ...] = ()
    blocks: tuple[BlockSpec, ...] = ()
    unit: str = "万元"
    published: bool = True
    required: bool = True
    empty_note: str | None = None
    supplementary: bool = False  # an unpublished sheet of stated facts; wholly blank = absent

    @property
    def marker(self) -> str | None:
        """The corner code printed on the table (公开01表), or None for unpublished sheets."""
        return f"公开{self.number:02d}表" if self.number else None

    def titles(self) -> tuple[str, ...]:
        return (self.title, *self.aliases)

    @cached_property
    def title_keys(self) -> tuple[str, ...]:
        """The titles normalised, as a sheet's cells are compared with them (made once)."""
        return tuple(t for t in (normalize_label(x) for x in self.titles()) if t)

    @cached_property
    def item_units(self) -> dict[str, str | None]:
        """Row key → its fixed row's count unit (None for money), the first item of each key."""
        units: dict[str, str | None] = {}
        for block, item in self.all_items():
            units.setdefault(self.item_key(block, item.key), item.unit)
        return units

    def all_columns(self) -> list[ColumnSpec]:
        """Every value column, blocks flattened, each key once."""
        seen: dict[str, ColumnSpec] = {}
        for col in (*self.columns, *(c for b in self.blocks for c in b.columns)):
            seen.setdefault(col.key, col)
        return list(seen.values())

    def all_items(self) -> list[tuple[str | None, ItemSpec]]:
        """Every fixed row as (block key or None, item)."""
        out: list[tuple[str | None, ItemSpec]] = [(None, i) for i in self.items]
        out += [(b.key, i) for b in self.blocks for i in b.items]
        return out

    def item_key(self, block: str | None, item: str) -> str:
        return f"{block}.{item}" if block else item


@dataclass(frozen=True)
class TableSet:
    """A province's list of tables, in publishing order."""

    id: str
    name: str
    region: str
    tables: tuple[TableSpec, ...] = field(default_factory=tuple)

    def __iter__(self) -> Iterator[TableSpec]:
        return iter(self.tables)

    def get(self, key: str) -> TableSpec | None:
        return next((t for t in self.tables if t.key == key), None)

    def published(self) -> list[TableSpec]:
        return [t for t in self.tables if t.published]


def _column(d: dict) -> ColumnSpec:
    return ColumnSpec(
        key=d["key"],
        header=tuple(d["header"]),
        aliases=tuple(d.get("aliases", ())),
        required=d.get("required", True),
        unit=d.get("unit"),
    )


def _item(d: dict) -> ItemSpec:
    return ItemSpec(
        key=d["key"],
        label=d["label"],
        aliases=tuple(d.get("aliases", ())),
        required=d.get("required", True),
        unit=d.get("unit"),
        template=d.get("template", True),
    )


def _table(d: dict) -> TableSpec:
    blocks = tuple(
        BlockSpec(
            key=b["key"],
            title=b["title"],
            columns=tuple(_column(c) for c in b["columns"]),
            items=tuple(_item(i) for i in b.get("items", ())),
            classification=b.get("classification"),
            repeat=b.get("repeat", False),
        )
        for b in d.get("blocks", ())
    )
    return TableSpec(
        id=d["id"],
        key=d["key"],
        number=d.get("number", 0),
        title=d["title"],
        layout=d["layout"],
        aliases=tuple(d.get("aliases", ())),
        classification=d.get("classification"),
        columns=tuple(_column(c) for c in d.get("columns", ())),
        items=tuple(_item(i) for i in d.get("items", ())),
        blocks=blocks,
        unit=d.get("unit", "万元"),
        published=d.get("published", True),
        required=d.get("required", True),
        empty_note=d.get("empty_note"),
        supplementary=d.get("supplementary", False),
    )


@lru_cache(maxsize=None)
def table_library(path: Path = STANDARDS_DIR / "tables.toml") -> dict[str, TableSpec]:
    """Every table definition of the library, by id."""
    with open(path, "rb") as f:
        data = tomllib.load(f)
    return {d["id"]: _table(d) for d in data["table"]}


_OVERRIDABLE = {"number", "title", "aliases", "key", "required", "published", "empty_note", "supplementary"}


@lru_cache(maxsize=None)
def load_table_set(name_or_path: str = DEFAULT_TABLE_SET) -> TableSet:
    """A table set by name (``neimenggu-11``) or by the path of its TOML file."""
    path = Path(name_or_path)
    if path.suffix != ".toml":
        path = STANDARDS_DIR / f"{name_or_path}.toml"
    if not path.exists():
        known = "、".join(available_table_sets())
        raise ValueError(f"未知的公开表套表“{name_or_path}”；可用：{known}")
    with open(path, "rb") as f:
        data = tomllib.load(f)
    library = table_library()
    local = path.parent / "tables.toml"
    if local.exists() and local.resolve() != (STANDARDS_DIR / "tables.toml").resolve():
        library = {**library, **table_library(local)}
    tables = []
    for entry in data["set"]["tables"]:
        base = library[entry["use"]]
        changes = {k: v for k, v in entry.items() if k in _OVERRIDABLE}
        if "aliases" in changes:
            changes["aliases"] = tuple(changes["aliases"])
        tables.append(replace(base, **changes))
    meta = data["set"]
    return TableSet(id=meta["id"], name=meta["name"], region=meta.get("region", ""), tables=tuple(tables))


def available_table_sets() -> list[str]:
    """Names of the set files in ``standards/`` (the table library and classification data excluded)."""
    return sorted(
        p.stem for p in STANDARDS_DIR.glob("*.toml") if p.stem != "tables" and not p.stem.startswith("classification")
    )


def classification_names() -> dict[str, dict[str, str]]:
    """``function_classes``, ``economic_classes`` (code → name) and name → code aliases."""
    return package_toml("standards/classification.toml")


def function_class_code(name: str) -> str | None:
    """The 3-digit 功能分类 类 code for a class name written without its code, if known."""
    norm = normalize_label(name)
    data = classification_names()
    for code, cname in data["function_classes"].items():
        if normalize_label(cname) == norm:
            return code
    for code, aliases in data.get("function_class_aliases", {}).items():
        if norm in {normalize_label(a) for a in aliases}:
            return code
    return None
