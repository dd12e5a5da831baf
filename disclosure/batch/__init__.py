"""Batch builds of a whole finance bureau: a parallel, incremental map over unit-years, then one
portal step (``disclosure build`` runs through it).

    run_batch(project, out_dir, BatchOptions(jobs=None, force=False, scheduler=None,
              builder="module:function", portal="module:function", options=None,
              options_key=None, only=None), reporter=None) -> BatchSummary
    make_reporter(stream=None, *, verbose=False, quiet=False)  rich bar on a terminal, plain lines otherwise

Modules: ``digest`` (what a unit-year's pages are made from), ``state`` (digests and kept results
beside the site, one build at a time), ``worker`` (one unit-year into a staging folder, swapped in),
``executors`` (inline, process pool, Dask), ``runner`` (plan → map → portal), ``progress``,
``cli`` (--jobs/--force/--scheduler/--verbose), ``site`` (the themed site's builder and portal),
``simple`` (a plain builder used by the tests and ``python -m disclosure.batch``).
"""
from disclosure.batch.runner import BatchOptions, BatchSummary, default_jobs, run_batch
from disclosure.batch.worker import Outcome

__all__ = ["BatchOptions", "BatchSummary", "Outcome", "default_jobs", "run_batch", "make_reporter"]


def make_reporter(*args, **kwargs):
    """See :func:`disclosure.batch.progress.make_reporter` (imported lazily: rich is slow to import)."""
    from disclosure.batch.progress import make_reporter as make

    return make(*args, **kwargs)
