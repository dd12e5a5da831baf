"""A project folder: its settings (disclosure.toml) and where each unit-year's inputs are."""
from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from disclosure.errors import ConfigError, InputError, Problem, describe_toml_error
from disclosure.safe_files import TEXT_LIMIT, kind_problem, read_bytes, require

CONFIG_NAME = "disclosure.toml"
PROJECT_FOLDERS = ("tables", "content", "theme")  # each a folder when it is there at all
SPREADSHEET_SUFFIXES = (".xlsx", ".xls", ".ods", ".xlsm")
UNIT_SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
YEAR = re.compile(r"^(19|20)\d\d$")


@dataclass(frozen=True)
class SiteConfig:
    """Site identity shown in every page's header, footer and gov metadata."""

    name: str = "部门决算公开专栏"
    organizer: str = ""  # 开办单位 / 主办单位
    site_code: str = ""  # 网站标识码 (SiteIDCode)
    domain: str = ""  # SiteDomain, e.g. czj.example.gov.cn
    icp: str = ""  # ICP备案号
    police_record: str = ""  # 公安机关备案号
    column_name: str = "决算公开"
    publish_date: str = ""  # PubDate; empty means no date is printed (reproducible builds)
    contact: str = ""  # the column's contact line in every page's footer (电话、邮箱)
    css_prefix: str = "dc-"


#: The 政府信息公开 fields of the published article (``[publication]``, each optional and never
#: invented); a unit's ``unit.toml`` may set any of them for itself. Key → what it is.
PUBLICATION_FIELDS: dict[str, str] = {
    "index_no": "索引号",
    "publisher": "发布机构",
    "written_date": "成文日期",
    "publish_date": "发布日期",
    "topic": "主题分类",
    "genre": "体裁分类",
    "document_no": "文号",
    "validity": "有效性",
}


@dataclass(frozen=True)
class Project:
    """Settings of one project; every key has a default so an empty folder is a valid project."""

    root: Path
    table_set: str = "neimenggu-11"
    style: str = ""  # report style (disclosure/wording/styles.toml); "" = the table set's
    percent_places: int = 2
    change_threshold: Decimal = Decimal("10")  # % change against the prior year that needs a reason
    monitoring_target: Decimal | None = None  # 序时进度 set by the finance department
    site: SiteConfig = field(default_factory=SiteConfig)
    publication: dict[str, str] = field(default_factory=dict, compare=False, hash=False)  # [publication]
    year_table_sets: dict[int, str] = field(default_factory=dict, compare=False, hash=False)  # [years.N] table_set
    year_styles: dict[int, str] = field(default_factory=dict, compare=False, hash=False)  # [years.N] style
    # single sentence switches over the style's (wording/styles.toml [switch.*]): [project.switches]
    # for the years that follow the project's style, [years.N.switches] for one year
    switches: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)
    year_switches: dict[int, dict[str, Any]] = field(default_factory=dict, compare=False, hash=False)
    # texts a published unit-year keeps ("unit/year" → {project-relative path: text}); set by the batch
    # build for earlier years so that a changed shared text does not change them (see disclosure.content)
    text_pins: dict[str, dict[str, str]] = field(default_factory=dict, compare=False, hash=False)

    def publication_fields(self, settings: dict | None = None) -> dict[str, str]:
        """The 政务公开 fields of one unit-year, in PUBLICATION_FIELDS order, only those set: the
        unit's ``unit.toml`` first, then ``[publication]``; the date falls back to ``[site] publish_date``."""
        out: dict[str, str] = {}
        for key in PUBLICATION_FIELDS:
            value = _text((settings or {}).get(key)) or self.publication.get(key, "")
            if key == "publish_date" and not value:
                value = self.site.publish_date.strip()
            if value:
                out[key] = value
        return out

    def table_set_for(self, year: int) -> str:
        """The table set of a report year: ``[years.<year>] table_set`` when pinned, else the project's."""
        return self.year_table_sets.get(int(year), self.table_set)

    def style_of(self, year: int) -> str:
        """The report style of a report year: ``[years.<year>] style`` when pinned, else the project's
        (``""``: the one named after the year's table set)."""
        return self.year_styles.get(int(year), self.style)

    @property
    def tables_dir(self) -> Path:
        return self.root / "tables"

    @property
    def content_dir(self) -> Path:
        return self.root / "content"

    def units(self) -> list[str]:
        """Unit slugs that have a folder under tables/, sorted. A folder whose name cannot be a slug
        (it becomes part of every URL) is an error naming it."""
        names, bad = self.unit_folders()
        if bad:
            raise ConfigError([self.bad_unit_problem(n) for n in bad])
        return names

    def unit_folders(self) -> tuple[list[str], list[str]]:
        """Folders under tables/ (hidden ones left out): those usable as unit slugs, and the others.
        Among the others: an entry named like a unit that is not a folder, and a link that leads
        nowhere (each fails alone, never taken for a unit that is gone)."""
        if not self.tables_dir.is_dir():
            return [], []
        names, broken = [], []
        for p in self.tables_dir.iterdir():
            if p.name.startswith("."):
                continue
            if p.is_dir():
                names.append(p.name)
            elif UNIT_SLUG.match(p.name) or (p.is_symlink() and not p.exists()):
                broken.append(p.name)
        names.sort()
        return [n for n in names if UNIT_SLUG.match(n)], sorted([n for n in names if not UNIT_SLUG.match(n)] + broken)

    def bad_unit_problem(self, name: str) -> Problem:
        """Why tables/<name> cannot be a unit, naming only the folders that exist."""
        shown = f"tables/{name}"
        problem = kind_problem(self.tables_dir / name, shown, folder=True)
        if problem is not None:  # not a folder: a file, a link that leads nowhere
            kept = "" if "已发布的页面保持不变" in problem.message else "这个单位已发布的页面保持不变。"
            return Problem(problem.message + kept, file=shown)
        folders = [shown] + ([f"content/{name}"] if (self.content_dir / name).is_dir() else [])
        return Problem(
            f"文件夹名“{name}”不能用作单位代号：单位代号会出现在网址中，只能用小写英文字母、数字、-、_"
            f"（以字母或数字开头）。请把 {' 和 '.join(folders)} 改名，例如 unit-01；"
            "单位中文名写在 content/<单位代号>/unit.toml 的 name 中。",
            file=shown,
        )

    def year_sources(self, unit: str, listing: Any = None) -> dict[int, list[Path]]:
        """Year → every entry of ``tables/<unit>/`` that holds it, the one used first: the folder
        ``<year>/``, then ``<year>.xlsx``, ``.xls``, ``.ods``, ``.xlsm`` (extensions in any case). An
        entry named like a workbook that is a folder (``2021.xlsx/``) still claims its year, so that
        reading it fails with a message instead of the year vanishing. Raises OSError when the
        folder cannot be listed. ``listing``: the build's ``disclosure.listing.Listing``."""
        folder = self.tables_dir / unit
        found: dict[int, list[tuple[int, str, Path]]] = {}
        listed = listing.entries(folder) if listing is not None else None
        if listed is None:  # not listed here: look at the folder itself (an error is raised)
            if not folder.is_dir():
                return {}
            listed = {p.name: (False, p.is_dir(), p.is_symlink()) for p in folder.iterdir()}
        for name, kind in listed.items():
            if (kind[1] or kind[2]) and YEAR.match(name):  # a year's folder, or a link in its place that leads nowhere
                found.setdefault(int(name), []).append((-1, name, folder / name))
                continue
            stem, suffix = os.path.splitext(name)  # as PurePath's stem and suffix for every name that can match
            suffix = suffix.lower()
            if YEAR.match(stem) and suffix in SPREADSHEET_SUFFIXES:
                found.setdefault(int(stem), []).append((SPREADSHEET_SUFFIXES.index(suffix), name, folder / name))
        return {y: [p for _, _, p in sorted(entries)] for y, entries in sorted(found.items())}

    def years(self, unit: str) -> list[int]:
        """Years with tables for a unit, ascending."""
        return list(self.year_sources(unit))

    def unit_years(self) -> list[tuple[str, int]]:
        return [(u, y) for u in self.units() for y in self.years(u)]

    def select(self, unit: str | None = None, year: int | None = None) -> list[tuple[str, int]]:
        """The unit-years ``check`` and ``build`` work on, sorted: all of them, or those of the named
        unit and/or year. Folders that cannot be units are left out (each command reports them on its
        own); a named unit or year that has no tables is an InputError naming what there is."""
        units = self.unit_folders()[0]
        pairs = [(u, y) for u in units for y in self.years(u)]
        if unit is not None:
            if unit not in units:
                known = "、".join(units) or "无"
                raise InputError(Problem(f"没有单位“{unit}”的公开表。已有的单位：{known}。", file="tables"))
            pairs = [p for p in pairs if p[0] == unit]
        if year is not None:
            pairs = [p for p in pairs if p[1] == year]
            if not pairs:
                where = f"单位“{unit}”" if unit else "任何单位"
                raise InputError(Problem(f"{where}都没有 {year} 年的公开表（应放在 tables/<单位>/{year}.xlsx）。", file="tables"))
        return sorted(pairs)

    def source(self, unit: str, year: int) -> Path | None:
        """The workbook or folder holding a unit-year's tables, or None."""
        try:
            entries = self.year_sources(unit).get(year)
        except OSError:
            return None
        return entries[0] if entries else None

    def relative(self, path: Path) -> str:
        """A path as the user sees it in messages: relative to the project when inside it."""
        try:
            return path.resolve().relative_to(self.root.resolve()).as_posix()
        except (ValueError, OSError, RuntimeError):  # a link that leads out (to /dev/zero): where it sits
            pass
        try:
            return Path(os.path.abspath(path)).relative_to(Path(os.path.abspath(self.root))).as_posix()
        except ValueError:
            return str(path)


def _text(value: object) -> str:
    """A setting as text (a TOML date as 2022-05-30); anything else (a table, a list) as nothing."""
    return str(value).strip() if isinstance(value, (str, int, date)) and not isinstance(value, bool) else ""


def load_project(root: Path | str = ".") -> Project:
    """Read ``disclosure.toml`` (optional) of a project folder."""
    root = Path(root)
    if not root.is_dir():
        raise ConfigError(f"找不到项目文件夹“{root}”。请检查路径，或先运行 disclosure init 创建项目。")
    for name in PROJECT_FOLDERS:  # a file, a link that leads nowhere or a loop where a folder belongs
        require(root / name, name, folder=True)
    path = root / CONFIG_NAME
    data: dict = {}
    if require(path, CONFIG_NAME, folder=False):  # a regular file, read with a size cap (never a FIFO)
        try:
            data = tomllib.loads(read_bytes(path, limit=TEXT_LIMIT, display=CONFIG_NAME).decode("utf-8-sig"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(Problem(f"配置文件格式有误：{describe_toml_error(exc)}。", file=CONFIG_NAME)) from exc
    validate_config(data)
    proj = data.get("project", {})
    site = data.get("site", {})
    target = proj.get("monitoring_target")
    year_table_sets, year_styles, year_switches = _year_pins(data.get("years", {}))
    style = str(proj.get("style", "") or "")
    if style:
        _check_style(style, "[project]")
    switches = dict(proj.get("switches", {}))
    _check_switches(switches, "[project.switches]")
    try:
        return Project(
            root=root,
            table_set=str(proj.get("table_set", Project.table_set)),
            style=str(proj.get("style", Project.style)),
            percent_places=int(proj.get("percent_places", Project.percent_places)),
            change_threshold=Decimal(str(proj.get("change_threshold", Project.change_threshold))),
            monitoring_target=Decimal(str(target)) if target is not None else None,
            site=SiteConfig(**{k: str(v) for k, v in site.items()}),
            publication={k: _text(v) for k, v in data.get("publication", {}).items() if _text(v)},
            year_table_sets=year_table_sets,
            year_styles=year_styles,
            switches=switches,
            year_switches=year_switches,
        )
    except (ValueError, ArithmeticError) as exc:
        raise ConfigError(Problem(f"[project] 中的数值设置有误：{exc}。", file=CONFIG_NAME)) from exc


_NUMBER = (int, float, str)  # a number may be typed as 10, 10.5 or "10.5"

#: Every setting of disclosure.toml, declared once: section → key → (TOML kinds accepted, what it is).
#: ``[site]`` takes the fields of SiteConfig; each ``[years.<year>]`` takes YEAR_SETTINGS.
CONFIG_KEYS: dict[str, dict[str, tuple[tuple[type, ...], str]]] = {
    "project": {
        "table_set": ((str,), "公开表套表"),
        "style": ((str,), "报告样式"),
        "percent_places": ((int,), "百分比保留的小数位数"),
        "change_threshold": (_NUMBER, "须说明原因的增减幅度（%）"),
        "monitoring_target": (_NUMBER, "财政部门规定的序时进度（%）"),
        "switches": ((dict,), "单项句式开关（[project.switches]）"),
    },
    "site": {name: ((str, int), "网站设置") for name in SiteConfig.__dataclass_fields__},
    "publication": {name: ((str, date), meaning) for name, meaning in PUBLICATION_FIELDS.items()},
    "years": {},
}

#: What a ``[years.<year>]`` section may set: the table set, report style and switches the year keeps.
YEAR_SETTINGS: dict[str, tuple[tuple[type, ...], str]] = {
    "table_set": ((str,), "该年度的公开表套表"),
    "style": ((str,), "该年度的报告样式"),
    "switches": ((dict,), "该年度的单项句式开关"),
}


def _closest(word: str, known: list[str]) -> str:
    """ ``，是否想写 xxx？`` for the nearest known name, or nothing."""
    import difflib

    match = difflib.get_close_matches(word, known, n=1, cutoff=0.7)
    return f"，是否想写 {match[0]}？" if match else "。"


def validate_config(data: dict) -> None:
    """Every section and key of disclosure.toml is one this program knows and of the kind it takes;
    otherwise one ConfigError listing each mistake with the nearest known name."""
    problems: list[Problem] = []
    sections = list(CONFIG_KEYS)
    for name, value in data.items():
        if name not in CONFIG_KEYS:
            what = f"[{name}]" if isinstance(value, dict) else name
            problems.append(Problem(f"有不认识的一节或设置“{what}”{_closest(name, sections)}可用的节：{'、'.join(f'[{s}]' for s in sections)}。",
                                    file=CONFIG_NAME))
        elif name == "years":  # the years themselves (four digits, each a section) are checked by _year_pins
            for year, table in value.items() if isinstance(value, dict) else ():
                if isinstance(table, dict):
                    problems += _setting_problems(f"years.{year}", table, YEAR_SETTINGS)
        elif not isinstance(value, dict):
            problems.append(Problem(f"{name} 须写成一节 [{name}]，其下每行一个设置。", file=CONFIG_NAME))
        else:
            problems += _setting_problems(name, value, CONFIG_KEYS[name])
    if problems:
        raise ConfigError(problems)


def _setting_problems(section: str, value: dict, keys: dict[str, tuple[tuple[type, ...], str]]) -> list[Problem]:
    """Each key of ``[section]`` that ``keys`` does not declare (with the nearest one), or whose value
    is not of a kind it takes."""
    problems = []
    for key, setting in value.items():
        if key not in keys:
            problems.append(Problem(f"[{section}] 中有不认识的设置：{key}{_closest(key, sorted(keys))}"
                                    f"可用：{'、'.join(sorted(keys))}。", file=CONFIG_NAME))
            continue
        kinds, meaning = keys[key]
        if isinstance(setting, bool) or not isinstance(setting, kinds):
            shown = ("文字（加英文双引号）" if kinds[0] is str else
                     f"成一节 [{section}.{key}]，其下每行一个设置" if kinds[0] is dict else "数字")
            problems.append(Problem(f"[{section}] {key}（{meaning}）须写{shown}，现在写的是“{setting}”。", file=CONFIG_NAME))
    return problems


def _check_style(style: str, where: str) -> None:
    from disclosure.wording.style import style_names  # only a project that names a style: see _year_pins

    if style not in style_names():
        raise ConfigError(Problem(f"{where} style = “{style}” 不是已有的报告样式，可用：{'、'.join(style_names())}。",
                                  file=CONFIG_NAME))


def _check_switches(switches: object, where: str) -> None:
    """Each switch one the templates read, set to a value it takes (one ConfigError for all)."""
    if not isinstance(switches, dict):
        raise ConfigError(Problem(f"{where} 须写成一节，其下每行一个开关，如 list_zero = true。", file=CONFIG_NAME))
    if not switches:
        return
    from disclosure.wording.style import switch_problems  # only a project that sets switches

    problems = switch_problems(switches)
    if problems:
        raise ConfigError([Problem(f"{where} 中{p}。", file=CONFIG_NAME) for p in problems])


def _year_pins(years: object) -> tuple[dict[int, str], dict[int, str], dict[int, dict[str, Any]]]:
    """``[years.2019] table_set = "…"``, ``style = "…"`` and ``[years.2019.switches]``: the table set,
    report style and sentence switches a report year keeps whatever the project's defaults become (by
    year). Each year must be a four-digit year, each set and style one the package knows, each switch
    one the templates read."""
    if not isinstance(years, dict):
        raise ConfigError(Problem("[years] 须写成 [years.2019] 这样的表，每个年度一节。", file=CONFIG_NAME))
    pins: dict[int, str] = {}
    styles: dict[int, str] = {}
    switches: dict[int, dict[str, Any]] = {}
    if not years:
        return pins, styles, switches
    # imported here: the table standards and report styles cost a no-change rebuild about 12 ms to
    # import, and only a project that pins its years needs them
    from disclosure.standard import available_table_sets

    known = available_table_sets()
    for year, table in sorted(years.items()):
        where = f"[years.{year}]"
        if not YEAR.match(str(year)) or not isinstance(table, dict):
            raise ConfigError(Problem(f"{where} 不可用：年度须为四位数字年份，并写成一节，如 [years.2019]。", file=CONFIG_NAME))
        if "table_set" in table:  # each key and its kind: validate_config
            name = table["table_set"]
            if name not in known and not (name.endswith(".toml") and Path(name).is_file()):
                raise ConfigError(Problem(
                    f"{where} table_set = “{name}”不是已知的公开表套表。可用：{'、'.join(known)}。", file=CONFIG_NAME))
            pins[int(year)] = name
        if "style" in table:
            _check_style(table["style"], where)
            styles[int(year)] = table["style"]
        if "switches" in table:
            _check_switches(table["switches"], f"[years.{year}.switches]")
            switches[int(year)] = dict(table["switches"])
    return pins, styles, switches
