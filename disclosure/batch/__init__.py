"""Batch builds of a whole finance bureau: a parallel, incremental map over unit-years, then one
portal step (``disclosure build`` runs through it, handing it the site's steps).

    run_batch(project, out_dir, BatchOptions(builder, jobs=None, force=False, scheduler=None,
              portal=None, portal_check=None, prepare=None, options=None, options_key=None,
              only=None), reporter=None) -> BatchSummary
    make_reporter(stream=None, *, verbose=False, quiet=False)  rich bar on a terminal, plain lines otherwise

``builder``, ``portal`` and ``portal_check`` are module-level functions; the batch knows nothing of
what they write. Modules: ``digest`` (what a unit-year's pages are made from), ``state`` (digests and
kept results beside the site, one build at a time), ``worker`` (one unit-year into a staging folder,
swapped in), ``executors`` (inline, process pool, Dask), ``runner`` (plan → map → portal),
``progress``, ``pins`` (the shared texts a published year keeps), ``filecache`` (digests of files
unchanged since an earlier build), ``outdir`` (where a build may write).
"""
from disclosure.batch.runner import BatchOptions, BatchSummary, default_jobs, run_batch
from disclosure.batch.worker import Outcome

__all__ = ["BatchOptions", "BatchSummary", "Outcome", "default_jobs", "run_batch", "make_reporter"]


def make_reporter(*args, **kwargs):
    """See :func:`disclosure.batch.progress.make_reporter` (imported lazily: rich is slow to import)."""
    from disclosure.batch.progress import make_reporter as make

    return make(*args, **kwargs)
