"""Scale-out: extract articles on a Dask cluster, results back in input order.

    pip install "kg[dask]"

>>> from kg.build import build
>>> build([Path("corpus")], Path("out"), runner=dask_runner("tcp://10.0.0.5:8786"))  # doctest: +SKIP

Articles travel in batches (``batch`` of them per task); at most ``window``
batches are out at a time (submitted or finished but not yet written), so the
memory of the client and of the cluster stays bounded however large the corpus.
Workers read the article files themselves: they need the corpus at the same path
(a shared or copied folder) and the same version of kg installed.
"""
from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import replace
from itertools import islice

from .articles import ArticleResult, process_article
from ..errors import UsageError

Job = tuple[str, str, str]
BATCH = 32


def process_batch(jobs: list[Job]) -> list[ArticleResult]:
    """``process_article`` over a batch; one Dask task."""
    return [process_article(job) for job in jobs]


def dask_runner(address, *, batch: int = BATCH, window: int | None = None,
                timeout: str = "30s") -> Callable[[list[Job]], Iterator[ArticleResult]]:
    """A ``runner`` for ``kg.build.build`` that sends the articles to a Dask scheduler.

    ``address`` is a scheduler address (``"tcp://host:8786"``), a ``LocalCluster`` or
    a ``distributed.Client``; a client passed in is used and left open. ``window``
    (batches in flight) defaults to twice the cluster's worker threads, at least 4;
    ``timeout`` is how long to try to reach the scheduler.
    """
    if batch < 1 or (window is not None and window < 1):
        raise UsageError(f"batch ({batch}) and window ({window}) must be at least 1")

    def run(jobs: list[Job]) -> Iterator[ArticleResult]:
        client, owned = _connect(address, timeout)
        try:
            size = window or max(4, 2 * sum(client.nthreads().values()))
            # workers have their own working folder: they get absolute paths, the caller its own back
            absolute = [(os.path.abspath(file), os.path.abspath(root), base) for file, root, base in jobs]
            pairs = zip(jobs, absolute)
            for results in _in_order(client, _batches(absolute, batch), size):
                for result in results:
                    (file, _, _), (shown, _, _) = next(pairs)
                    yield replace(result, path=file, error=result.error.replace(shown, file))
        finally:
            if owned:
                client.close()

    return run


def _connect(address, timeout: str):
    try:
        from distributed import Client
    except ImportError:
        raise UsageError('running on a Dask cluster needs dask: pip install "kg[dask]"') from None
    if isinstance(address, Client):
        return address, False
    try:
        return Client(address, timeout=timeout), True
    except (OSError, TimeoutError, ValueError) as exc:
        raise UsageError(f"cannot reach the Dask scheduler at {address}: {exc}; "
                         "start one with `dask scheduler` and pass its tcp:// address") from None


def _batches(jobs: list[Job], size: int) -> Iterator[list[Job]]:
    it = iter(jobs)
    while chunk := list(islice(it, size)):
        yield chunk


def _in_order(client, batches: Iterator[list[Job]], window: int) -> Iterator[list[ArticleResult]]:
    """Submit up to ``window`` batches, collect them as they finish, yield them in input order."""
    from distributed import as_completed

    pending = as_completed()
    index: dict[str, int] = {}
    sent: dict[int, list[Job]] = {}
    done: dict[int, list[ArticleResult]] = {}
    numbered = enumerate(batches)
    next_out = 0

    def refill() -> None:
        for i, chunk in islice(numbered, max(0, window - len(sent))):
            future = client.submit(process_batch, chunk, pure=False)
            index[future.key], sent[i] = i, chunk
            pending.add(future)

    refill()
    while sent:
        while next_out not in done:
            future = next(pending)
            i = index.pop(future.key)
            done[i] = _result(future, sent[i])
            future.release()
        del sent[next_out]
        yield done.pop(next_out)
        next_out += 1
        refill()


def _result(future, chunk: list[Job]) -> list[ArticleResult]:
    """The batch's results; a lost batch (a worker killed, out of memory) becomes one error per article."""
    try:
        return future.result()
    except Exception as exc:  # the cluster failed, not the articles: report them and go on
        reason = f"the Dask task for this article failed ({type(exc).__name__}: {exc})"
        return [ArticleResult(job[0], error=f"{job[0]}: {reason}") for job in chunk]
