"""The build state kept beside the site: each unit-year's input digest and what its build returned.

Kept in ``<out>/.disclosure-build/``: ``state.json`` (digests) and ``results/<unit>/<year>.json``
(what each unit-year's build returned, written by the worker that built it). A later build skips
unchanged unit-years and still hands the portal step the results of every published unit-year.
Everything is JSON, written atomically with sorted keys, so the same inputs give the same bytes.
Results are encoded generically (dataclasses by class path, Decimals, paths, tuples, sets).
"""
from __future__ import annotations

import dataclasses
import importlib
import json
import os
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path, PurePosixPath
from typing import Any, Sequence

STATE_DIR = ".disclosure-build"
STATE_NAME = "state.json"
STATE_VERSION = 2


def encode(obj: Any) -> Any:
    """A JSON-able form of a result: dataclasses, paths, Decimals, tuples, sets, dicts, lists."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        cls = type(obj)
        fields = {f.name: encode(getattr(obj, f.name)) for f in dataclasses.fields(obj) if f.init}
        return {"__dataclass__": f"{cls.__module__}:{cls.__qualname__}", "fields": fields}
    if isinstance(obj, Decimal):
        return {"__decimal__": str(obj)}
    if isinstance(obj, Path):
        return {"__path__": obj.as_posix()}
    if isinstance(obj, PurePosixPath):
        return {"__path__": str(obj)}
    if isinstance(obj, tuple):
        return {"__tuple__": [encode(v) for v in obj]}
    if isinstance(obj, (set, frozenset)):
        return {"__set__": sorted((encode(v) for v in obj), key=lambda v: json.dumps(v, sort_keys=True))}
    if isinstance(obj, dict):
        if all(isinstance(k, str) for k in obj):
            return {"__dict__": {k: encode(v) for k, v in obj.items()}}
        return {"__items__": [[encode(k), encode(v)] for k, v in obj.items()]}
    if isinstance(obj, list):
        return [encode(v) for v in obj]
    if obj is None or isinstance(obj, (str, int, float, bool)):
        return obj
    raise TypeError(f"cannot keep a {type(obj).__name__} in the build state")


def _class(path: str) -> type:
    module, _, name = path.partition(":")
    obj: Any = importlib.import_module(module)
    for part in name.split("."):
        obj = getattr(obj, part)
    return obj


def decode(data: Any) -> Any:
    """The inverse of :func:`encode`."""
    if isinstance(data, list):
        return [decode(v) for v in data]
    if not isinstance(data, dict):
        return data
    if "__dataclass__" in data:
        return _class(data["__dataclass__"])(**{k: decode(v) for k, v in data["fields"].items()})
    if "__decimal__" in data:
        return Decimal(data["__decimal__"])
    if "__path__" in data:
        return Path(data["__path__"])
    if "__tuple__" in data:
        return tuple(decode(v) for v in data["__tuple__"])
    if "__set__" in data:
        return {decode(v) for v in data["__set__"]}
    if "__dict__" in data:
        return {k: decode(v) for k, v in data["__dict__"].items()}
    if "__items__" in data:
        return {decode(k): decode(v) for k, v in data["__items__"]}
    raise ValueError("unknown entry in the build state")


@dataclass
class Entry:
    """One unit-year in the state: ``digest`` of the inputs of its last successful build (None
    after a failed attempt, so that it is tried again) and ``published``, the digest of the build
    whose pages are on the site (kept when a later attempt fails; None if never published)."""

    digest: str | None
    published: str | None = None


@dataclass
class BuildState:
    entries: dict[str, Entry] = field(default_factory=dict)  # "unit/year" → entry
    portal: str | None = None  # digest of the portal's inputs when it was last written

    @staticmethod
    def key(unit: str, year: int) -> str:
        return f"{unit}/{year}"


def state_dir(out_dir: Path) -> Path:
    return Path(out_dir) / STATE_DIR


def result_path(out_dir: Path, unit: str, year: int) -> Path:
    """Where a unit-year's build result is kept for the portal (written by the worker itself)."""
    return state_dir(out_dir) / "results" / unit / f"{year}.json"


def write_result(out_dir: Path, unit: str, year: int, result: Any) -> None:
    """Keep a unit-year's result beside the site, atomically."""
    path = result_path(out_dir, unit, year)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(encode(result), ensure_ascii=False, sort_keys=True, separators=(",", ":")), encoding="utf-8")
    os.replace(tmp, path)


def read_result(out_dir: Path, unit: str, year: int) -> Any:
    return decode(json.loads(result_path(out_dir, unit, year).read_text(encoding="utf-8")))


def remove_result(out_dir: Path, unit: str, year: int) -> None:
    path = result_path(out_dir, unit, year)
    path.unlink(missing_ok=True)
    try:
        path.parent.rmdir()
    except OSError:
        pass


class Results(Sequence):
    """The results of the published unit-years, read from disk one at a time when used."""

    def __init__(self, out_dir: Path, keys: list[tuple[str, int]]):
        self.out_dir = Path(out_dir)
        self.keys = keys

    def __len__(self) -> int:
        return len(self.keys)

    def __getitem__(self, index):  # type: ignore[override]
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        unit, year = self.keys[index]
        return read_result(self.out_dir, unit, year)


def load_state(out_dir: Path) -> BuildState:
    """The state of the last build into ``out_dir``; empty when missing or unreadable."""
    path = state_dir(out_dir) / STATE_NAME
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return BuildState()
    if not isinstance(data, dict) or data.get("version") != STATE_VERSION:
        return BuildState()
    entries = {k: Entry(v.get("digest"), v.get("published")) for k, v in data.get("unit_years", {}).items()}
    return BuildState(entries=entries, portal=data.get("portal"))


def save_state(out_dir: Path, state: BuildState) -> None:
    """Write the state atomically, keys sorted (same inputs, same bytes)."""
    data = {
        "version": STATE_VERSION,
        "portal": state.portal,
        "unit_years": {k: {"digest": e.digest, "published": e.published} for k, e in sorted(state.entries.items())},
    }
    path = state_dir(out_dir) / STATE_NAME
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1) + "\n", encoding="utf-8")
    os.replace(tmp, path)
