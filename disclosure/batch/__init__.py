"""Batch builds of a whole finance bureau: a parallel, incremental map over unit-years.

    run_batch(project, out_dir, BatchOptions(jobs=…, force=…, scheduler=…, builder=…, portal=…,
              options=…), reporter) -> BatchSummary
    make_reporter(stream, verbose=…, quiet=…)   rich progress on a terminal, plain lines otherwise
"""
from disclosure.batch.runner import BatchOptions, BatchSummary, default_jobs, run_batch
from disclosure.batch.worker import Outcome

__all__ = ["BatchOptions", "BatchSummary", "Outcome", "default_jobs", "run_batch", "make_reporter"]


def make_reporter(*args, **kwargs):
    from disclosure.batch.progress import make_reporter as make

    return make(*args, **kwargs)
