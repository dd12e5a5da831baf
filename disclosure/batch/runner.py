"""The batch build: plan (digests decide what to rebuild), map over unit-years, then the portal.

    plan    every unit-year of the project; unchanged ones (same input digest, pages present) are
            skipped unless forced; unit-years no longer in the project are removed from the site
    map     build the rest inline, in a local process pool or on a Dask cluster
    portal  called with the results of every published unit-year (built now or kept from before),
            read one at a time from disk; ``results.cache`` is a folder it may keep between builds
            (the search merge keeps its shards there, so one changed unit-year re-merges cheaply)
    state   digests and results saved for the next build
"""
from __future__ import annotations

import hashlib
import json
import os
import pickle
import shutil
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable, Iterator, Protocol

from disclosure.batch.digest import shared_digest, unit_year_digest
from disclosure.batch.filecache import FileCache
from disclosure.batch.outdir import check_out_dir
from disclosure.batch.state import (
    BuildState,
    Entry,
    Results,
    build_lock,
    clean_stale_temporaries,
    load_state,
    read_result,
    remove_result,
    result_path,
    save_state,
    state_dir,
)
from disclosure.batch.pins import KeptTexts, plan_texts, record_published
from disclosure.batch.summary import NAME as SUMMARIES, Summaries, pins_paths, project_paths, unit_paths
from disclosure.batch.worker import Builder, Outcome, Setup, Task, commit, staging_root
from disclosure.errors import InputError, Problem, folder_message, input_read_message, system_message
from disclosure.file_modes import TMP_MARK, make_dirs
from disclosure.listing import Listing
from disclosure.inventory import content_notices, table_notices, year_notices
from disclosure.project import Project
from disclosure.safe_files import check_tree

PORTAL_FILES = "portal"  # the key under which the state lists the files the portal step wrote
SHARED_FILES = "files-shared.json"  # the stat-data cache of the files every unit-year shares
WRITING = "writing"  # in the state folder while a build writes the site (a killed build leaves it)

#: The portal step and its check: ``step(project, out_dir, results[, options]) -> None``.
PortalStep = Callable[..., None]


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)


@dataclass
class BatchOptions:
    """How to run a batch. ``builder``, ``portal`` and ``portal_check`` are module-level functions
    (a pool or Dask worker receives them by module and name):

    builder(project, unit, year, out_dir[, options]) -> result  (one unit-year, writes only
                                                                 out_dir/<unit>/<year>/)
    portal(project, out_dir, results[, options]) -> None          (results of published unit-years)
    portal_check(project, out_dir, results[, options]) -> None    (before any unit-year is built: raises
                                                                 when the portal step would be refused)
    prepare() -> object                                          (once per process before its first
                                                                 unit-year; before a pool forks)

    ``options`` is passed only when it is not None. A result whose ``status`` is ``refused`` counts
    as a failure with its ``errors`` (check findings) as the problems.
    """

    builder: Builder
    jobs: int | None = None  # None: one per CPU core
    force: bool = False
    scheduler: str | None = None  # Dask scheduler address
    portal: PortalStep | None = None
    portal_check: PortalStep | None = None
    prepare: Callable[[], object] | None = None
    options: Any = None  # handed to builder and portal unchanged (must pickle)
    options_key: str | None = None  # what of the options changes the pages; default repr(options)
    only: set[tuple[str, int]] | None = None  # build only these unit-years (others are left alone)
    republish: frozenset[int] = frozenset()  # earlier years to rebuild with the shared texts as they are now


@dataclass
class BatchSummary:
    total: int = 0  # unit-years in the project
    built: list[Outcome] = field(default_factory=list)
    failed: list[Outcome] = field(default_factory=list)
    skipped: int = 0
    removed: list[str] = field(default_factory=list)
    held: list[Outcome] = field(default_factory=list)  # built, not published: the unit had an unreadable file
    kept: list[str] = field(default_factory=list)  # gone from the project, pages kept for the same reason
    notices: list[str] = field(default_factory=list)  # files and folders not read, and why
    units: set[str] = field(default_factory=set)  # units selected for this build
    portal_written: bool = False
    seconds: float = 0.0
    portal_seconds: float = 0.0  # of the whole time, writing the portal and search (the reduce)
    texts_kept: list[KeptTexts] = field(default_factory=list)  # published years keeping their shared texts

    @property
    def worker_peak_mb(self) -> float:
        """The largest peak memory of a process that built a unit-year (flat in the number of units)."""
        return max((o.peak_mb for o in (*self.built, *self.failed)), default=0.0)

    @property
    def exit_code(self) -> int:
        """0 when nothing failed; 2 when the input could not be read and no other unit was published
        (a unit's own broken workbook); 1 when some units failed while other units were published."""
        if not self.failed:
            return 0
        failed_units = {o.unit for o in self.failed}
        every_unit_failed = not (self.units - failed_units)
        if every_unit_failed and all(o.exit_code == 2 for o in self.failed):
            return 2
        return 1


class Reporter(Protocol):
    def plan(self, total: int, todo: int, skipped: int) -> None: ...
    def started(self) -> None: ...
    def current(self, task: Task) -> None: ...
    def done(self, outcome: Outcome) -> None: ...
    def portal(self) -> None: ...
    def finish(self, summary: BatchSummary) -> None: ...


class SilentReporter:
    def plan(self, total: int, todo: int, skipped: int) -> None: ...
    def started(self) -> None: ...
    def current(self, task: Task) -> None: ...
    def done(self, outcome: Outcome) -> None: ...
    def portal(self) -> None: ...
    def finish(self, summary: BatchSummary) -> None: ...


def plan(project: Project, out_dir: Path, state: BuildState, batch: BatchOptions,
         units: list[str] | None = None, texts: dict[str, dict[str, str]] | None = None, *,
         cache: FileCache | None = None, sources: dict[str, dict[int, list[Path]]] | None = None,
         listing: Listing | None = None, shared: str | None = None,
         digests: dict[str, str] | None = None) -> tuple[list[Task], int, int]:
    """Tasks to run, number skipped, number of unit-years in the project (of ``units``, default
    every unit; a unit whose folder cannot be listed is left to the caller); ``texts``: the digests
    of each unit-year's shared texts when already known (``TextPlan.digests``); ``cache``: digests of
    the files whose stat data did not change since an earlier build; ``sources``: each unit's
    ``Project.year_sources`` when already listed; ``shared``: ``shared_digest`` when already made;
    ``digests``: filled with every unit-year's input digest (``unit/year`` → digest)."""
    if shared is None:
        shared = shared_digest(project, _options_key(batch), cache)
    tasks: list[Task] = []
    skipped = total = 0
    results = state_dir(out_dir) / "results"
    for unit in project.units() if units is None else units:
        found = sources.get(unit) if sources is not None else None
        if found is None:
            found = project.year_sources(unit)
        years = list(found)
        for year in years:
            total += 1
            if batch.only is not None and (unit, year) not in batch.only:
                continue
            key = BuildState.key(unit, year)
            known = (texts or {}).get(key)
            digest = unit_year_digest(project, unit, year, shared, years, text_digests=known, sources=found,
                                      cache=cache, listing=listing)
            if digests is not None:
                digests[key] = digest
            entry = state.entries.get(key)
            fresh = entry is not None and entry.digest == digest and entry.published == digest
            if fresh and not batch.force and os.path.isdir(out_dir / unit / str(year)) and os.path.isfile(results / unit / f"{year}.pickle"):
                skipped += 1
            else:
                tasks.append(Task(unit, year, digest))
    return tasks, skipped, total


def _options_key(batch: BatchOptions) -> str:
    return batch.options_key if batch.options_key is not None else repr(batch.options)


def _remove_owned(out_dir: Path, state: BuildState, key: str) -> None:
    """Delete the files a build wrote for ``key`` (a unit-year), then the folders left empty. Files
    nobody listed (the user's own) stay. A state from before the list was kept removes the folder."""
    unit, _, year = key.partition("/")
    folder = out_dir / unit / year
    owned = state.files.pop(key, None)
    if owned is None:
        shutil.rmtree(folder, ignore_errors=True)
    else:
        for rel in owned:
            path = out_dir / rel
            if path.is_relative_to(folder):
                path.unlink(missing_ok=True)
        _prune_empty(folder)
    remove_result(out_dir, unit, int(year))
    _remove_unit_folder_if_empty(out_dir / unit)


def _prune_empty(folder: Path) -> None:
    """Remove ``folder`` and the folders below it that hold nothing."""
    if not folder.is_dir() or folder.is_symlink():
        return
    for sub in sorted((p for p in folder.rglob("*") if p.is_dir() and not p.is_symlink()), key=lambda p: -len(p.parts)):
        try:
            sub.rmdir()
        except OSError:
            pass
    try:
        folder.rmdir()
    except OSError:
        pass


def _remove_unit_folder_if_empty(folder: Path) -> None:
    """A unit folder with no year left (at most its own index page, written by the portal) goes too."""
    if not folder.is_dir():
        return
    rest = [p for p in folder.iterdir() if p.name != "index.html"]
    if not rest:
        (folder / "index.html").unlink(missing_ok=True)
        try:
            folder.rmdir()
        except OSError:
            pass


def _unpublishable(out_dir: Path, unit: str, year: int, options: Any) -> bool:
    """Kept pages that this build would not publish: a draft (made with --allow-errors) when errors
    are no longer allowed, or pages with a review page in a --public build."""
    folder = out_dir / unit / str(year)
    if not folder.is_dir():
        return False
    if getattr(options, "public", False) and (folder / "review.html").exists():
        return True
    if getattr(options, "allow_errors", False):
        return False
    try:
        return getattr(read_result(out_dir, unit, year), "status", "") == "draft"
    except (OSError, EOFError, ValueError, pickle.UnpicklingError, AttributeError):
        return False


def _withdraw(out_dir: Path, state: BuildState, unit: str, year: int) -> None:
    """Take a unit-year's pages off the site (the portal stops linking it)."""
    _remove_owned(out_dir, state, BuildState.key(unit, year))


def _remove_stale(project_keys: set[str], out_dir: Path, state: BuildState, held_units: set[str],
                  hold_all: bool) -> tuple[list[str], list[str]]:
    """Delete the pages of unit-years that are no longer in the project, except those of a unit
    with a file this run could not read (or of any unit, when a unit folder could not be read:
    it may be a renamed one). Returns the keys removed and the keys kept."""
    removed, kept = [], []
    for key in sorted(set(state.entries) - project_keys):
        unit = key.partition("/")[0]
        if hold_all or unit in held_units:
            if state.entries[key].published:
                kept.append(key)
            continue
        _remove_owned(out_dir, state, key)
        del state.entries[key]
        removed.append(key)
    return removed, kept


def _outcomes(setup: Setup, tasks: list[Task], batch: BatchOptions, reporter: Reporter) -> Iterator[Outcome]:
    from disclosure.batch.executors import run_dask, run_inline, run_pool  # multiprocessing only when needed

    if batch.scheduler:
        reporter.started()
        return run_dask(setup, tasks, batch.scheduler, reporter.current)
    jobs = min(batch.jobs or default_jobs(), len(tasks))
    if jobs <= 1:
        reporter.started()
        return run_inline(setup, tasks, reporter.current)
    return run_pool(setup, tasks, jobs, reporter.current, started=reporter.started)


def _published(state: BuildState) -> list[tuple[str, int]]:
    """Unit-years whose pages are on the site, sorted by unit then year."""
    keys = [k.rpartition("/") for k, e in state.entries.items() if e.published]
    return sorted((unit, int(year)) for unit, _, year in keys)


def _portal_key(state: BuildState, portal: PortalStep) -> str:
    published = {k: e.published for k, e in state.entries.items() if e.published}
    data = json.dumps([f"{portal.__module__}:{portal.__qualname__}", published], sort_keys=True, ensure_ascii=False).encode()
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def run_batch(project: Project, out_dir: Path, batch: BatchOptions, reporter: Reporter | None = None) -> BatchSummary:
    """Build every unit-year of a project into ``out_dir``; one bad unit fails only itself.

    Raises ConfigError when another build holds the same output folder or the folder may not be
    written (``outdir.check_out_dir``), InputError when the disk is full or cannot be written."""
    out_dir = check_out_dir(project, Path(out_dir))
    if (project.root / "theme").is_dir():  # its templates and assets are published: regular files, inside the project
        check_tree(project.root / "theme", project.root)
    mask = os.umask(0o022)  # published files world-readable, also those written by libraries
    try:
        with build_lock(out_dir):
            return _run_batch(project, out_dir, batch, reporter or SilentReporter())
    except OSError as exc:  # a full disk, a folder that cannot be written: a message, not a traceback
        said = input_read_message(exc, project.root) or system_message(exc, f"写入 {out_dir}")
        raise InputError(said) from exc
    finally:
        os.umask(mask)


def _project_units(project: Project, summary: BatchSummary, listing: Listing) -> tuple[list[str], list[str], list[str]]:
    """The unit folders under tables/ that can be units, the others (each fails alone: a name that
    cannot be a slug) and the project-wide notices (tables/ and content/ themselves)."""
    try:
        names, bad = project.unit_folders()
    except OSError as exc:
        raise InputError(Problem(folder_message(exc), file="tables")) from exc
    for name in bad:
        summary.failed.append(Outcome(name, 0, "", ok=False, problems=[str(project.bad_unit_problem(name))], exit_code=2))
    return names, bad, table_notices(project) + content_notices(project, None, listing)


def _read_units(project: Project, names: list[str], summary: BatchSummary,
                listing: Listing) -> tuple[dict[str, dict[int, list[Path]]], dict[str, list[str]]]:
    """The units of ``names`` that can be read, with their ``year_sources`` and their notices; a unit
    whose folder cannot be listed fails alone."""
    readable, notices = {}, {}
    for name in names:
        try:
            readable[name] = project.year_sources(name, listing)
        except OSError as exc:
            problem = str(Problem(folder_message(exc), file=f"tables/{name}"))
            summary.failed.append(Outcome(name, 0, "", ok=False, problems=[problem], exit_code=2))
            continue
        notices[name] = year_notices(project, name, readable[name], listing) + content_notices(project, name, listing)
    return readable, notices


def _under_units(folders: list[str], units: set[str]) -> Callable[[str], bool]:
    """Whether a path is inside ``<folder>/<unit>/`` for one of ``folders`` and ``units``."""
    prefixes = [os.path.join(f, "") for f in folders]

    def test(key: str) -> bool:
        for prefix in prefixes:
            if key.startswith(prefix):
                return key[len(prefix):].split(os.sep, 1)[0] in units
        return False

    return test


def _unchanged_unit(record: dict | None, unit: str, site: str, results: str, state: BuildState) -> list[int] | None:
    """The years of a unit whose summary matched, when every one of its unit-years is published with
    the recorded digest and its pages and result are there (else None: the unit is planned in full)."""
    if record is None:
        return None
    sep = os.sep
    try:
        years = [int(y) for y in record["years"]]
        digests = record["digests"]
        for year in years:
            entry = state.entries.get(f"{unit}/{year}")
            digest = digests[str(year)]
            if entry is None or entry.digest != digest or entry.published != digest:
                return None
            if not os.path.isdir(f"{site}{sep}{unit}{sep}{year}") or not os.path.isfile(f"{results}{sep}{unit}{sep}{year}.pickle"):
                return None
    except (KeyError, TypeError, ValueError):
        return None
    return years


def _site_files(out_dir: Path, unit_years: set[str]) -> set[str]:
    """Files of the site outside its unit-year folders (what the portal step writes among); a
    temporary file an interrupted write left behind is removed on the way. As ``os.walk``: a link
    to a folder is neither listed nor followed, a folder that cannot be listed is passed over."""
    files: set[str] = set()
    stack = [(os.fspath(out_dir), "", 0)]
    while stack:
        folder, rel, depth = stack.pop()
        try:
            listed = os.scandir(folder)
        except OSError:
            continue
        with listed:
            for entry in listed:
                name = entry.name
                path = f"{rel}/{name}" if rel else name
                try:
                    is_dir = entry.is_dir()
                except OSError:
                    is_dir = False
                if is_dir:
                    if (depth == 1 and path in unit_years) or entry.is_symlink():
                        continue
                    stack.append((entry.path, path, depth + 1))
                elif TMP_MARK in name:
                    try:
                        os.unlink(entry.path)
                    except OSError:
                        pass
                else:
                    files.add(path)
    return files


def _clean_interrupted(out_dir: Path, unit_years: set[str]) -> None:
    """What a killed build left: folders swapped out of a unit-year (``<unit>/.<year>.old-<pid>``),
    its staging folders and half-written files outside the unit-year folders (the portal step's,
    ``*.dc-tmp-*``), in one look at each folder: nothing else can be writing, the build lock is held."""
    stack = [(os.fspath(out_dir), 0, "")]
    while stack:
        folder, depth, top = stack.pop()
        try:
            listed = list(os.scandir(folder))
        except OSError:
            continue
        for entry in listed:
            name = entry.name
            try:
                is_dir = entry.is_dir(follow_symlinks=False)
            except OSError:
                is_dir = False
            if depth == 1 and name.startswith(".") and ".old-" in name:
                shutil.rmtree(entry.path, ignore_errors=True)
            elif is_dir:
                if depth == 1 and f"{top}/{name}" in unit_years:
                    continue  # a unit-year's own folder: written whole, then swapped in
                stack.append((entry.path, depth + 1, name if depth == 0 else top))
            elif TMP_MARK in name:
                try:
                    os.unlink(entry.path)
                except OSError:
                    pass
    shutil.rmtree(staging_root(out_dir), ignore_errors=True)


def _call_portal(step: PortalStep, project: Project, out_dir: Path, results: Results, batch: BatchOptions) -> None:
    """Call a portal step (``portal`` or ``portal_check``) with the batch's options when it has any."""
    if batch.options is None:
        step(project, out_dir, results)
    else:
        step(project, out_dir, results, batch.options)


@dataclass
class _Plan:
    """What planning decided: the units read, what to build and what each unit's pins keep."""
    units: list[str]  # readable units, in the project's order (narrowed by ``--only``)
    years_of: dict[str, list[int]]  # the years of every readable unit
    tasks: list[Task]
    texts: Any  # the shared-text plan (pins.TextPlan)
    shared: str  # digest of the inputs every unit-year shares
    unreadable_folder: bool  # a unit folder (or a unit's file) could not be read
    summaries: Summaries | None  # per-unit plan summaries, when this build keeps them
    planned_whole: bool  # planning finished, so the summaries may be saved

    @property
    def current(self) -> set[str]:
        """State keys of every unit-year the project holds now."""
        return {BuildState.key(u, y) for u in self.units for y in self.years_of[u]}


def _run_batch(project: Project, out_dir: Path, batch: BatchOptions, reporter: Reporter) -> BatchSummary:
    start = time.perf_counter()
    project = replace(project, root=Path(os.path.abspath(project.root)))  # its files named once, whatever the working folder
    make_dirs(out_dir)
    writing = state_dir(out_dir) / WRITING
    # what a killed build left is looked for when one was writing (or the state is from before the mark)
    interrupted = batch.force or writing.exists() or not (state_dir(out_dir) / SUMMARIES).exists()
    clean_stale_temporaries(out_dir, results=interrupted)
    state = load_state(out_dir)
    if interrupted:
        _clean_interrupted(out_dir, set(state.files) | set(state.entries))
    summary = BatchSummary()
    found = _plan_build(project, out_dir, state, batch, summary)
    found.texts.load(project, out_dir, [BuildState.key(t.unit, t.year) for t in found.tasks])
    project = replace(project, text_pins=found.texts.pins)
    summary.units = set(found.units) | {o.unit for o in summary.failed}
    reporter.plan(summary.total, len(found.tasks), summary.skipped)
    current = found.current
    idle = (not found.tasks and not (batch.only is None and set(state.entries) - current)
            and (batch.portal is None or (not batch.force and _portal_key(state, batch.portal) == state.portal
                                          and (out_dir / "index.html").exists())))
    if not idle:  # from here on the site is written: a build killed before the end leaves the mark
        writing.touch()
    if batch.portal_check and found.tasks:  # a portal that would be refused stops the build before anything is published
        _call_portal(batch.portal_check, project, out_dir, Results(out_dir, _published(state)), batch)
    try:
        unreadable = _publish_built(project, out_dir, state, batch, found.tasks, summary, reporter)
        if batch.only is None:
            summary.removed, summary.kept = _remove_stale(current, out_dir, state, unreadable, found.unreadable_folder)
        if batch.portal:
            _write_portal(batch.portal, project, out_dir, state, batch, found.shared, summary, reporter)
    finally:
        save_state(out_dir, state)
        record_published(out_dir, found.texts, state, summary.built)
        if found.summaries is not None and found.planned_whole:
            for unit in {o.unit for o in summary.built}:
                found.summaries.pins_written(unit, str(state_dir(out_dir)))
            found.summaries.save()
        shutil.rmtree(staging_root(out_dir), ignore_errors=True)
    writing.unlink(missing_ok=True)  # finished: nothing half-written is left
    summary.built.sort(key=lambda o: (o.unit, o.year))
    summary.failed.sort(key=lambda o: (o.unit, o.year))
    summary.seconds = time.perf_counter() - start
    reporter.finish(summary)
    return summary


def _plan_build(project: Project, out_dir: Path, state: BuildState, batch: BatchOptions,
                summary: BatchSummary) -> _Plan:
    """Decide what to build: units whose recorded plan still holds (their folders' stat data unchanged)
    are taken as recorded; the others are listed, read and digested. Fills the summary's counts,
    notices and failures; the stat-data caches are saved whatever happens."""
    listing = Listing()  # each folder of the project listed once
    root, folder = str(project.root), str(state_dir(out_dir))
    site_folder, results_folder = os.fspath(out_dir), os.path.join(folder, "results")
    summaries, planned_whole = None, False
    if batch.only is None and not batch.force and not batch.republish:
        summaries = Summaries(state_dir(out_dir), root, _options_key(batch))
    else:  # planned in full; the next build too
        (state_dir(out_dir) / SUMMARIES).unlink(missing_ok=True)
    # digests of unchanged files are not made again: the package's, theme's and settings' (looked at
    # on every build) apart from the units' (read only when a unit is planned in full)
    shared_cache = FileCache(state_dir(out_dir), root, name=SHARED_FILES)
    cache = FileCache(state_dir(out_dir), root, lazy=True)
    try:
        shared = shared_digest(project, _options_key(batch), shared_cache)  # every input of it is looked at every build
        recorded = summaries.project_unchanged(shared) if summaries is not None else None
        # looked at before anything they cover is read (content/*.md by the text plan)
        project_paths_now = project_paths(root) if summaries is not None and recorded is None else None
        unit_notices: dict[str, list[str]] = {}
        years_of: dict[str, list[int]] = {}  # of every readable unit
        same: dict[str, dict] = {}  # units whose recorded plan holds
        if recorded is not None:
            names, bad, project_notices = list(recorded["units"]), [], list(recorded["notices"])
            for name in names:
                record = summaries.unit(name)  # type: ignore[union-attr]
                years = _unchanged_unit(record, name, site_folder, results_folder, state)
                if years is not None:
                    same[name] = record  # type: ignore[assignment]
                    years_of[name] = years
                    unit_notices[name] = list(record["notices"])  # type: ignore[index]
        else:
            names, bad, project_notices = _project_units(project, summary, listing)
        todo = [n for n in names if n not in same]
        paths = {n: (unit_paths(root, folder, n), pins_paths(folder, n)) for n in todo} if summaries is not None else {}
        sources, notices = _read_units(project, todo, summary, listing)
        unit_notices.update(notices)
        unreadable_folder = bool(bad) or len(sources) < len(todo)
        for name, found in sources.items():
            years_of[name] = list(found)
        summary.notices += project_notices
        for name in names:
            summary.notices += unit_notices.get(name, [])
        units = [n for n in names if n in years_of]
        if batch.only is not None:
            units = [u for u in units if any(u == o for o, _ in batch.only)]
            summary.failed = [o for o in summary.failed if any(o.unit == u for u, _ in batch.only)]
        planned = [u for u in units if u not in same]
        # earlier published years keep their shared texts
        texts = plan_texts(project, out_dir, batch.republish, planned, cache=cache, listing=listing, sources=sources)
        digests: dict[str, str] = {}
        tasks, skipped, total = plan(project, out_dir, state, batch, planned, texts.digests,
                                     cache=cache, sources=sources, listing=listing, shared=shared, digests=digests)
        kept_by_unit: dict[str, list[KeptTexts]] = {}
        for kept in texts.kept:
            kept_by_unit.setdefault(kept.unit, []).append(kept)
        for name, record in same.items():
            kept_by_unit[name] = [KeptTexts(name, int(y), tuple(changed)) for y, changed in record["kept"]]
            skipped += len(years_of[name])
            total += len(years_of[name])
        summary.skipped, summary.total = skipped, total
        summary.texts_kept = [k for u in units for k in kept_by_unit.get(u, [])]
        if summaries is not None:
            for name in units:
                if name in same:
                    summaries.keep_unit(name, same[name])
                else:
                    summaries.record_unit(name, *paths.get(name, (None, None)), years_of[name],
                                          {str(y): digests[BuildState.key(name, y)] for y in years_of[name]},
                                          unit_notices.get(name, []),
                                          [[k.year, list(k.changed)] for k in kept_by_unit.get(name, [])])
            if recorded is not None:
                summaries.project = recorded
            elif not bad and not unreadable_folder:
                summaries.record_project(project_paths_now, shared, names, project_notices)
            cache.retain(_under_units([os.path.join(root, "tables"), os.path.join(root, "content"),
                                       os.path.join(folder, "texts")], set(same)))
            planned_whole = True
    finally:
        shared_cache.save()
        cache.save()
    return _Plan(units, years_of, tasks, texts, shared, unreadable_folder, summaries, planned_whole)


def _publish_built(project: Project, out_dir: Path, state: BuildState, batch: BatchOptions, tasks: list[Task],
                   summary: BatchSummary, reporter: Reporter) -> set[str]:
    """Build the tasks and publish each unit's unit-years once all of them are in; returns the units
    that could not be read (their published pages are held as they are)."""
    unreadable = {o.unit for o in summary.failed}
    if not tasks:
        return unreadable
    setup = Setup(replace(project, root=project.root.resolve()), str(out_dir), batch.builder, batch.options, batch.prepare)
    pending: dict[str, int] = {}
    for task in tasks:
        pending[task.unit] = pending.get(task.unit, 0) + 1
    waiting: dict[str, list[Outcome]] = {}
    owned: list[set[str]] = []  # the files earlier builds published (commit keeps the others), made at the first commit

    def settle(unit: str) -> None:
        """Publish a unit's built unit-years once all of them are in. When one could not be read,
        pages already published stay exactly as they are (only never-published years are added)."""
        for outcome in waiting.pop(unit, []):
            key = BuildState.key(outcome.unit, outcome.year)
            previous = state.entries.get(key)
            if (unit in unreadable and previous is not None and previous.published
                    and not _unpublishable(out_dir, outcome.unit, outcome.year, batch.options)):
                state.entries[key] = Entry(None, previous.published)
                summary.held.append(outcome)
                continue
            if not owned:
                owned.append({f for files in state.files.values() for f in files})
            state.files[key] = commit(out_dir, outcome, owned[0])
            state.entries[key] = Entry(outcome.digest, outcome.digest)
            summary.built.append(outcome)

    for outcome in _outcomes(setup, tasks, batch, reporter):
        key = BuildState.key(outcome.unit, outcome.year)
        if outcome.ok:
            waiting.setdefault(outcome.unit, []).append(outcome)
        else:
            if outcome.exit_code == 2:
                unreadable.add(outcome.unit)
            previous = state.entries.get(key)
            kept = previous.published if previous else None
            if kept and _unpublishable(out_dir, outcome.unit, outcome.year, batch.options):
                _withdraw(out_dir, state, outcome.unit, outcome.year)
                kept = None
            state.entries[key] = Entry(None, kept)
            summary.failed.append(outcome)
        reporter.done(outcome)
        pending[outcome.unit] -= 1
        if not pending[outcome.unit]:
            settle(outcome.unit)
    return unreadable


def _write_portal(step: PortalStep, project: Project, out_dir: Path, state: BuildState, batch: BatchOptions,
                  shared: str, summary: BatchSummary, reporter: Reporter) -> None:
    """Run the portal step when what it is made from changed (or its page is missing), and record
    the files it wrote as the portal's own."""
    key = _portal_key(state, step)
    if batch.force or key != state.portal or summary.removed or not (out_dir / "index.html").exists():
        reporter.portal()
        portal_start = time.perf_counter()
        published = _published(state)
        results = Results(out_dir, published, [state.entries[BuildState.key(u, y)].published for u, y in published],
                          shared)
        if batch.force:  # the portal's incremental cache too: everything merged afresh
            shutil.rmtree(results.cache, ignore_errors=True)
        unit_years = set(state.files) | set(state.entries)
        before = _site_files(out_dir, unit_years)
        foreign = before - set(state.files.get(PORTAL_FILES, []))
        _call_portal(step, project, out_dir, results, batch)
        state.files[PORTAL_FILES] = sorted(_site_files(out_dir, unit_years) - foreign)
        summary.portal_written = True
        summary.portal_seconds = time.perf_counter() - portal_start
    state.portal = key
