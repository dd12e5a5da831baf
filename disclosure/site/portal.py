"""The site-wide pages built over every unit-year's result: the portal, search page and index, assets.

The results are read one at a time (a ``Results`` sequence reads each from disk when used) and only
their slim form is held (``KeptResult``: names, pages, a few figures); the search index is merged
from the unit-years' own parts (``disclosure.site.search_index``), incrementally when the results
carry a cache folder.
"""
from __future__ import annotations

import hashlib
import json
import pickle
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, NamedTuple

from disclosure.errors import ConfigError
from disclosure.money import format_amount
from disclosure.project import Project
from disclosure.site import prefix
from disclosure.site.charts import chart_specs, trend_charts
from disclosure.site.output import StagedFile, copy, write
from disclosure.site.kept import KeptResult, keep
from disclosure.site.public_check import (PageCheck, closed, cut_point, link_leaks, refuse, require_public,
                                          require_public_code, require_public_text)
from disclosure.site.search import PORTAL_KEY, PageText, SearchDoc, SearchPart, doc_path, make_part, page_text
from disclosure.site.search_index import write_search_index
from disclosure.site.theme import asset_files, environment, theme_dirs

#: Theme files read as text for the public check (scripts, styles, drawings, pages).
_TEXT_ASSETS = (".css", ".js", ".svg", ".html", ".htm", ".txt")


def _check_asset(name: str, src: Path) -> None:
    """A public site's asset is a file kind the site publishes, and a text one holds no internal text."""
    rel = f"assets/{name}"
    refuse(link_leaks(rel, rel), "网站的样式与脚本")
    if src.suffix.lower() in _TEXT_ASSETS:
        text = src.read_text(encoding="utf-8", errors="replace")
        if src.suffix.lower() in (".html", ".htm"):
            require_public(text, rel, "网站的样式与脚本")
        else:
            require_public_code(text, rel)


def write_assets(project: Project, out: Path, *, public: bool = False) -> list[str]:
    """Copy the theme's assets once into ``<out>/assets/`` (charts are inline SVG: no chart library);
    for the public site each is checked first (``public_check``), and none is written if one fails."""
    names = []
    css_prefix = prefix.checked(project.site.css_prefix)
    files = asset_files(theme_dirs(project.root))
    if public:
        for name, src in files.items():
            _check_asset(name, src)
    for name, src in files.items():
        if css_prefix != prefix.THEME and src.suffix in (".css", ".js"):
            write(out / "assets" / name, prefix.asset(src.read_text(encoding="utf-8"), css_prefix))
        else:
            copy(src, out / "assets" / name)
        names.append(name)
    return sorted(names)


def _compare(results: list[KeptResult]) -> dict | None:
    """A year-over-year table of a unit's main figures (from facts), newest year last."""
    with_facts = sorted((r for r in results if r.facts), key=lambda r: r.year)
    if len(with_facts) < 2:
        return None
    rows = []
    for spec in chart_specs().get("compare", []):
        vals = []
        for r in with_facts:
            fact = r.facts.get(spec["fact"])
            vals.append(format_amount(fact.value) if fact is not None else "—")
        if any(v != "—" for v in vals):
            rows.append((spec["label"], vals))
    if not rows:
        return None
    return {"years": [r.year for r in with_facts], "rows": rows}


class PortalRow(NamedTuple):
    """What the portal's list shows of one published unit-year (``portal/rows.pickle`` keeps these
    by the unit-year's input digest, so that a rebuild reads again only the results that changed)."""

    unit: str
    year: int
    unit_name: str
    status: str
    extras: tuple[tuple[str, str], ...]  # (title, path) of the extra pages
    search_digest: str


def _row(k: KeptResult) -> PortalRow:
    return PortalRow(k.unit, k.year, k.unit_name, k.status, tuple((p.title, p.path) for p in k.pages if p.kind == "extra"),
                     k.search_digest)


def _units(rows: Sequence[PortalRow], public: bool) -> list[dict[str, Any]]:
    """Each unit with its years, newest first (the unit's views, ``compare`` and ``charts``, are
    added by ``_add_views`` only where a page shows them)."""
    by_unit: dict[str, list[PortalRow]] = {}
    for r in rows:
        if r.status != "refused":
            by_unit.setdefault(r.unit, []).append(r)
    return [_unit(slug, by_unit[slug], public) for slug in sorted(by_unit)]


class _Units(Sequence):
    """``_units(rows, public)`` made one unit at a time as it is read (``rows`` sorted by unit), each
    read a new dict: a large bureau's portal and unit pages go through the list once each, and one
    dict per unit-year of the whole list is not held."""

    def __init__(self, rows: Sequence[PortalRow], public: bool) -> None:
        self.rows, self.public = rows, public
        self.spans: list[tuple[int, int]] = []
        start = 0
        for i in range(1, len(rows) + 1):
            if i == len(rows) or rows[i].unit != rows[start].unit:
                if any(r.status != "refused" for r in rows[start:i]):
                    self.spans.append((start, i))
                start = i

    def __len__(self) -> int:
        return len(self.spans)

    def __getitem__(self, index):  # type: ignore[override]
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        start, end = self.spans[index]
        rs = [r for r in self.rows[start:end] if r.status != "refused"]
        return _unit(rs[0].unit, rs, self.public)


def _unit(slug: str, unit_rows: list[PortalRow], public: bool) -> dict[str, Any]:
    rs = sorted(unit_rows, key=lambda r: r.year, reverse=True)
    years = []
    for r in rs:
        base = f"{r.unit}/{r.year}/"
        years.append({
            "year": r.year,
            "name": r.unit_name,  # the unit's name that year (a unit renamed keeps its old name there)
            "status": r.status,
            "href": base + "index.html",
            "tables_href": base + "tables/index.html",
            "review_href": "" if public else base + "review.html",
            "extras": list(r.extras),
        })
    return {"slug": slug, "name": rs[0].unit_name, "years": years, "compare": None, "charts": []}


def _add_views(u: dict[str, Any], results: list[KeptResult]) -> None:
    """A unit's year-over-year table and trend charts, from its published results."""
    rs = sorted((r for r in results if r.status != "refused"), key=lambda r: r.year, reverse=True)
    u["charts"] = trend_charts(u["name"], [(r.year, r.facts) for r in rs])
    u["compare"] = _compare(rs)


#: Up to this many units the portal shows each unit's year-over-year view itself; a larger bureau's
#: portal lists the units and years only, and each unit's view is on its own page (<unit>/index.html).
INLINE_UNITS = 20


_UNIT_PAGES = "unit-pages.json"  # in the portal's cache: what each unit page was last rendered from


def _write_unit_pages(env: Any, units: list[dict[str, Any]], out: Path, common: dict, css_prefix: str,
                      keys: dict[str, str] | None = None, cache: Path | None = None,
                      views: Callable[[dict[str, Any]], None] | None = None) -> int:
    """Each unit's own page (its years and 历年对比); a page whose bytes would not change is not
    rewritten, so a rebuild after one unit changed touches one page. With ``keys`` (slug → what the
    page is made from: its unit-years' input digests and the site-wide flags) and a ``cache`` folder,
    a page whose key is the one it was last written with, and that is still there, is not rendered
    again. ``views(u)`` adds a unit's views before its page is rendered. Returns pages written."""
    site = common["site"]
    written = 0
    template = env.get_template("unit.html")
    old: dict[str, str] = {}
    if keys is not None and cache is not None:
        try:
            loaded = json.loads((cache / _UNIT_PAGES).read_text(encoding="utf-8"))
            old = loaded if isinstance(loaded, dict) else {}
        except (OSError, ValueError):
            old = {}
    done: dict[str, str] = {}
    for u in units:
        path = out / u["slug"] / "index.html"
        key = keys.get(u["slug"]) if keys is not None else None
        if key is not None and old.get(u["slug"]) == key and path.is_file():
            done[u["slug"]] = key
            continue
        if views is not None:
            views(u)
        html = template.render(
            **{**common, "root": "../", "unit_name": u["name"], "source": u["name"]},
            title=f"{u['name']}历年部门决算", crumbs=[(site.name, "../index.html")], u=u,
        )
        if common["review_build"] is False:
            require_public(html, f"{u['slug']}/index.html", "门户首页与站内搜索")
        data = prefix.html(html, css_prefix)
        if key is not None:
            done[u["slug"]] = key
        try:
            if path.read_text(encoding="utf-8") == data:
                continue
        except OSError:
            pass
        write(path, data)
        written += 1
    if keys is not None and cache is not None and done != old:
        cache.mkdir(parents=True, exist_ok=True)
        write(cache / _UNIT_PAGES, json.dumps(done, sort_keys=True, ensure_ascii=False))
    return written


def _unit_page_keys(results: Sequence[Any], common: dict, inline: bool) -> dict[str, str] | None:
    """What each unit's page is made from, when the results say (``Results.digests``): the input
    digests of the unit's published unit-years (they cover the package, the theme, the settings and
    the build options) and the site-wide flags the page shows."""
    keys, digests = getattr(results, "keys", None), getattr(results, "digests", None)
    if not isinstance(keys, list) or not isinstance(digests, list) or len(digests) != len(keys):
        return None
    by_unit: dict[str, list] = {}
    for (unit, year), digest in zip(keys, digests):
        by_unit.setdefault(unit, []).append([year, digest])
    flags = [bool(common["draft"]), bool(common["review_build"]), inline]
    return {unit: hashlib.blake2b(json.dumps([flags, rows]).encode(), digest_size=16).hexdigest()
            for unit, rows in by_unit.items()}


_ROWS = "rows.pickle"  # in the portal's cache: each published unit-year's PortalRow by its input digest
_ROWS_VERSION = 1


class _Slim:
    """The published results as the portal uses them: a ``PortalRow`` of each (from the cache when
    the unit-year's digest is the one it was kept with, else read from its result), sorted by unit
    and year; the search parts that came with them (results built in this process) by key; and a
    unit's whole results (``of``), read again only for the pages that show its figures."""

    def __init__(self, results: Sequence[Any], out: Path) -> None:
        self.results, self.out = results, out
        self.parts: dict[str, SearchPart] = {}
        self._kept: dict[str, list[KeptResult]] = {}  # results held here (not read from disk by index)
        self._index: dict[str, list[int]] = {}
        keys, digests = getattr(results, "keys", None), getattr(results, "digests", None)
        cache = getattr(results, "cache", None)
        if isinstance(keys, list) and isinstance(digests, list) and len(digests) == len(keys) and cache is not None:
            self.rows = self._cached(results, keys, digests, Path(cache), out)
            for i, (unit, _) in enumerate(keys):
                self._index.setdefault(unit, []).append(i)
        else:
            self.rows = []
            for i in range(len(results)):
                k = self._keep(results[i], out)
                if k is not None:
                    self._kept.setdefault(k.unit, []).append(k)
                    self.rows.append(_row(k))
        self.rows.sort(key=lambda r: (r.unit, r.year))

    def _keep(self, r: Any, out: Path) -> KeptResult | None:
        if getattr(r, "status", None) == "refused":
            return None
        k = keep(r, None if isinstance(r, KeptResult) else out)
        if k.search is not None:
            self.parts[f"{k.unit}/{k.year}"] = k.search
            k = k.kept_apart()[0]
        return k

    def _cached(self, results: Sequence[Any], keys: list, digests: list, cache: Path, out: Path) -> list[PortalRow]:
        try:
            data = pickle.loads((cache / _ROWS).read_bytes())
            old = data["rows"] if isinstance(data, dict) and data.get("version") == _ROWS_VERSION else {}
        except (OSError, EOFError, ValueError, KeyError, TypeError, pickle.UnpicklingError, AttributeError):
            old = {}
        rows, new = [], {}
        for i, (unit, year) in enumerate(keys):
            key = f"{unit}/{year}"
            hit = old.get(key) if isinstance(old, dict) else None
            if isinstance(hit, tuple) and len(hit) == 2 and hit[0] == digests[i] and isinstance(hit[1], tuple):
                row = PortalRow._make(hit[1]) if hit[1] else None
            else:
                k = self._keep(results[i], out)
                row = None if k is None else _row(k)
            new[key] = (digests[i], tuple(row) if row is not None else ())
            if row is not None:
                rows.append(row)
        if new != old:
            cache.mkdir(parents=True, exist_ok=True)
            staged = StagedFile(cache / _ROWS)  # pickled into the file: the same bytes, not held once more
            try:
                pickle.dump({"version": _ROWS_VERSION, "rows": new}, staged.file, protocol=pickle.HIGHEST_PROTOCOL)
            except BaseException:
                staged.discard()
                raise
            staged.commit()
        return rows

    def of(self, unit: str) -> list[KeptResult]:
        """The unit's published results (refused ones left out)."""
        if unit in self._kept:
            return self._kept[unit]
        found = []
        for i in self._index.get(unit, []):
            k = self._keep(self.results[i], self.out)
            if k is not None:
                found.append(k)
        return found


@dataclass
class RenderedPortal:
    """The portal step's pages, rendered and (for the public site) checked, not yet written; or, when
    ``portal`` is None, found to be the pages already written (``portal_digest``: their search part's)."""

    slim: _Slim
    units: list[dict[str, Any]]
    common: dict[str, Any]
    portal: str | None
    search: str | None
    portal_part: SearchPart | None
    inline: bool
    css_prefix: str
    env: Any
    portal_digest: str = ""
    public: bool = True
    key: str | None = None  # what the two pages are made from, when known (``_PAGES``)
    staged: StagedFile | None = None  # index.html, written as it was rendered (``render(out)``)

    def render(self, out: Path | None = None) -> None:
        """Render and check the two pages (when they were found written); with ``out``, index.html
        is written beside ``<out>/index.html`` as it is rendered (``staged``), for ``write_portal``
        to put in place."""
        if self.portal is None:
            self.staged = StagedFile(out / "index.html") if out is not None else None
            try:
                portal, self.search, self.portal_part = _render_pages(self.env, self.common, self.units, self.inline,
                                                                      self.public, self.css_prefix, self.staged)
            except BaseException:
                if self.staged is not None:
                    self.staged.discard()
                raise
            self.portal = "" if portal is None else portal  # "": in ``staged`` (or not kept)
            self.portal_digest = self.portal_part.digest


_PAGES = "pages.json"  # in the portal's cache: what index.html and search.html were last written from


def _pages_key(results: Sequence[Any], slim: _Slim, public: bool) -> str | None:
    """What ``index.html`` and ``search.html`` are made from, when the results say: the digest all
    unit-years share (package, theme, settings, build options: ``Results.shared``), the kind of site
    and every published unit-year's row but its search digest."""
    shared = getattr(results, "shared", None)
    if not isinstance(shared, str) or getattr(results, "cache", None) is None:
        return None
    rows = [r[:-1] for r in slim.rows]  # all but the search digest: the pages do not show it
    data = json.dumps([shared, public, rows], ensure_ascii=False).encode("utf-8")
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _written_pages(out: Path, cache: Path, key: str) -> str | None:
    """The portal's search digest when the pages written were made from ``key`` and are all there."""
    try:
        data = json.loads((cache / _PAGES).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("key") != key or not isinstance(data.get("digest"), str):
        return None
    docs = data.get("docs")
    if not isinstance(docs, int) or not all((out / doc_path(PORTAL_KEY, n)).is_file() for n in range(docs)):
        return None
    if not (out / "index.html").is_file() or not (out / "search.html").is_file():
        return None
    return data["digest"]


#: Characters of the portal page read at a time (it lists every unit-year: 35 MB at 10⁵).
PIECE_CHARS = 1 << 18


def _pieces(chunks: Any, size: int) -> Any:
    """The text of ``chunks`` (a template's ``generate()``) in pieces of about ``size`` characters or
    more, each cut where ``cut_point`` finds a place (a page that has none is one piece)."""
    buf: list[str] = []
    held, wanted = 0, size
    for chunk in chunks:
        buf.append(chunk)
        held += len(chunk)
        if held >= wanted:
            text = "".join(buf)
            cut = cut_point(text)
            if cut:
                yield text[:cut]
                text = text[cut:]
                wanted = size
            else:
                wanted = 2 * len(text)  # no place near the end: try again with twice as much
            buf, held = [text], len(text)
    yield "".join(buf)


def _render_pages(env: Any, common: dict[str, Any], units: Sequence[dict[str, Any]], inline: bool,
                  public: bool, css_prefix: str = prefix.THEME, staged: StagedFile | None = None,
                  piece_chars: int = PIECE_CHARS) -> tuple[str | None, str, SearchPart]:
    """The portal page (None when it went to ``staged``, with the class prefix, as it was rendered:
    it is read in pieces, for its search text and the public check, and not held whole), the search
    page and the portal's search part; the public site's are checked (``require_public``)."""
    site = common["site"]
    template = env.get_template("portal.html")
    context = dict(title=site.name, crumbs=[], units=units, inline=inline, **common)
    check, text = PageCheck(), PageText(closed)
    for piece in _pieces(template.generate(**context), piece_chars):
        if public:
            check.feed(piece)
        text.feed(piece)
        if staged is not None:
            staged.add(prefix.html(piece, css_prefix))
    portal: str | None = None
    if text.failed or (public and check.suspect):  # read whole: the same text, the check's own message
        portal = template.render(**context)
        if public:
            require_public(portal, "index.html", "门户首页与站内搜索")
        doc = SearchDoc("index.html", site.name, page_text(portal))
        portal_part = make_part(PORTAL_KEY, [doc])
        if staged is not None:
            staged.restart()
            staged.add(prefix.html(portal, css_prefix))
            portal = None
    else:
        portal_part = make_part(PORTAL_KEY, [SearchDoc("index.html", site.name, text.snippet)], {"index.html": text.runs})
    search = env.get_template("search.html").render(
        title="站内搜索", crumbs=[(site.name, "index.html")], **common
    )
    if public:
        require_public(search, "search.html", "门户首页与站内搜索")
        for n, script in enumerate(portal_part.doc_scripts):
            require_public_text(script.decode("utf-8") if isinstance(script, bytes) else script, doc_path(PORTAL_KEY, n))
    return portal, search, portal_part


def _common(site: Any, draft: bool, public: bool) -> dict[str, Any]:
    """What the portal's pages share of the base template's context."""
    return dict(
        site=site, root="", here="", unit_name=site.organizer or site.name, year="", draft=draft,
        draft_link="", print_css="", keywords=f"部门决算,决算公开,{site.column_name}",
        description=f"{site.name}：各部门（单位）年度部门决算公开", source=site.organizer or site.name,
        publisher=site.organizer or site.name, publish_date=site.publish_date, review_build=not public,
    )


def _render_portal(project: Project, out: Path, results: Sequence[Any], public: bool, *,
                   reuse: bool = False, stage: bool = False) -> RenderedPortal:
    """Render ``index.html`` and ``search.html`` over the published results; the public site's pages
    and search scripts are checked here, before anything is written. With ``reuse``, pages already
    written from the same inputs (``_pages_key``) are not rendered again."""
    env = environment(theme_dirs(project.root))
    site = project.site
    slim = _Slim(results, out)
    common = _common(site, any(r.status == "draft" for r in slim.rows), public)
    units: Sequence[dict[str, Any]] = _Units(slim.rows, public)
    inline = len(units) <= INLINE_UNITS
    if inline:  # the portal shows each unit's views itself
        units = list(units)
        for u in units:
            _add_views(u, slim.of(u["slug"]))
    css_prefix = prefix.checked(site.css_prefix)
    key = _pages_key(results, slim, public) if reuse else None
    written = _written_pages(out, Path(getattr(results, "cache")), key) if key is not None else None
    rendered = RenderedPortal(slim, units, common, None, None, None, inline, css_prefix, env,
                              written or "", public, key)
    if written is None:
        rendered.render(out if stage else None)
    return rendered


def check_portal(project: Project, out: Path, results: Sequence[Any]) -> None:
    """The public site's portal step tried without writing: the theme's assets and the portal and
    search pages over ``results``. Raises the public check's error (a build runs this before it
    publishes any unit-year, so a refused portal never leaves new unit pages without their portal)."""
    for name, src in asset_files(theme_dirs(project.root)).items():
        _check_asset(name, src)
    _render_portal(project, out, _sample(results), public=True)


def _sample(results: Sequence[Any]) -> Sequence[Any]:
    """Enough of the published results for the portal's shape (each unit's view inline, or the list of
    a large bureau): every unit-year of the first ``INLINE_UNITS + 1`` units, not a thousand read again."""
    keys = getattr(results, "keys", None)
    if not isinstance(keys, list):
        return results
    wanted = set(sorted({unit for unit, _ in keys})[: INLINE_UNITS + 1])
    return [results[i] for i, (unit, _) in enumerate(keys) if unit in wanted]


def write_portal(project: Project, out: Path, results: Sequence[Any], *, public: bool) -> dict[str, int]:
    """Write ``index.html`` (portal), ``search.html`` and the search index (``assets/search/``) over
    the published results (``KeptResult`` or ``RenderedUnitYear``, refused ones left out). Returns the
    search merge's counts. The two pages are not rendered again when what they are made from is what
    they were written from (``_pages_key``: a rebuild after a unit's text changed leaves them)."""
    rendered = _render_portal(project, out, results, public, reuse=True, stage=True)
    try:
        return _write_rendered(out, results, rendered)
    finally:
        if rendered.staged is not None:
            rendered.staged.discard()  # nothing when it was put in place


def _write_rendered(out: Path, results: Sequence[Any], rendered: RenderedPortal) -> dict[str, int]:
    slim, units, common = rendered.slim, rendered.units, rendered.common
    kept, parts = slim.rows, slim.parts
    inline, css_prefix, env = rendered.inline, rendered.css_prefix, rendered.env
    cache = getattr(results, "cache", None)
    if not inline:
        _write_unit_pages(env, units, out, common, css_prefix, _unit_page_keys(results, common, inline),
                          cache, lambda u: _add_views(u, slim.of(u["slug"])))
    fresh = rendered.portal is not None
    if fresh:
        if rendered.staged is not None:
            rendered.staged.commit()
        else:
            write(out / "index.html", prefix.html(rendered.portal, css_prefix))  # type: ignore[arg-type]
        write(out / "search.html", prefix.html(rendered.search, css_prefix))  # type: ignore[arg-type]
    positions: dict[tuple, int] = {}  # by the results' own (unit, year) tuples: no key string made for it
    if hasattr(results, "part"):
        positions = {k: i for i, k in enumerate(getattr(results, "keys"))}

    def position(key: str) -> int:
        unit, year = key.rsplit("/", 1)
        found = positions.get((unit, int(year))) if year.isdigit() else None
        return positions[(unit, year)] if found is None else found

    def load(key: str) -> SearchPart:
        if key == PORTAL_KEY:
            rendered.render()  # a full merge needs the portal's own part
            return rendered.portal_part  # type: ignore[return-value]
        if key in parts:
            return parts[key]
        try:
            return results.part(position(key), "search")  # type: ignore[attr-defined]
        except (OSError, EOFError, ValueError, pickle.UnpicklingError) as exc:
            raise ConfigError(f"{key} 保存的搜索索引部分缺失或已损坏，无法更新站内搜索。请加 --force 重新生成全部单位。") from exc

    entries = [(PORTAL_KEY, rendered.portal_digest)]
    for i, r in enumerate(kept):  # sorted by unit and year: a unit-year given twice is one entry, its last row's
        if i + 1 < len(kept) and kept[i + 1].unit == r.unit and kept[i + 1].year == r.year:
            continue
        entries.append((f"{r.unit}/{r.year}", r.search_digest))
    counts = write_search_index(out, entries, load, cache)
    part = rendered.portal_part
    if part is not None:  # rendered now (a full merge also removed the portal's doc scripts)
        for n, script in enumerate(part.doc_scripts):  # type: ignore[union-attr]
            write(out / doc_path(PORTAL_KEY, n), script)
        if rendered.key is not None and cache is not None:
            Path(cache).mkdir(parents=True, exist_ok=True)
            write(Path(cache) / _PAGES, json.dumps({"key": rendered.key, "digest": part.digest,  # type: ignore[union-attr]
                                                    "docs": len(part.doc_scripts)}))  # type: ignore[union-attr]
    return counts
