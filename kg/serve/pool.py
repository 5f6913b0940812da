"""Worker processes that run store jobs with a deadline; one that overruns is killed and replaced.

Why processes and not threads: pyoxigraph evaluates a query in native code and
offers no way to cancel it. A COUNT, ORDER BY or GROUP BY over a huge join is
computed inside one call that no Python thread can interrupt, so a thread left
behind at the deadline would keep its CPU and memory until it finished on its
own, and a few such queries would take the server down. A process can be killed
at the deadline, which frees everything it held; a fresh one opens the store
(read-only, which RocksDB lets many processes do at once) in well under a second.

Workers come from the ``forkserver`` start method where the platform has it (a
clean, single-threaded parent, unlike forking the threaded HTTP server) and
``spawn`` elsewhere. A worker that dies or is killed is replaced lazily, by the
next request that needs it.
"""
from __future__ import annotations

import multiprocessing
import queue
import signal
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..errors import KGError, StoreError
from ..store.load import open_store

STARTUP_SECONDS = 60.0


class QueryTimeout(KGError, TimeoutError):
    """A job ran past its deadline and its worker was killed."""


class PoolBusy(KGError, RuntimeError):
    """Every worker stayed busy for as long as a job may run."""


class WorkerFailed(KGError, RuntimeError):
    """A worker died or raised while running a job."""


def _work(conn, store_dir: str, writable: bool) -> None:
    """A worker's life: open the store, then answer jobs until the pipe closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    try:
        store = open_store(Path(store_dir), read_only=not writable)
    except KGError as exc:
        conn.send(("error", str(exc)))
        return
    conn.send(("ready", None))
    while True:
        try:
            fn, args = conn.recv()
        except (EOFError, OSError):
            return
        try:
            conn.send(("ok", fn(store, *args)))
        except Exception as exc:  # a bug in one job must not end the worker
            conn.send(("error", f"{type(exc).__name__}: {exc}"))


@dataclass(eq=False)  # compared and hashed by identity, kept in a set
class _Worker:
    process: multiprocessing.Process
    conn: object

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.conn.close()


class WorkerPool:
    """``size`` processes with the store open; ``run(fn, *args)`` calls ``fn(store, *args)`` in one.

    >>> pool = WorkerPool(Path("exports/store"), size=2, timeout=10)  # doctest: +SKIP
    >>> pool.run(len)  # doctest: +SKIP
    """

    def __init__(self, store_dir: Path, *, size: int = 2, timeout: float = 10.0, writable: bool = False):
        methods = multiprocessing.get_all_start_methods()
        self._ctx = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
        if "forkserver" in methods:  # imported once in the fork server, not in every new worker
            self._ctx.set_forkserver_preload(["kg.serve_sparql", "kg.serve_pages", "kg.graph"])
        self.store_dir, self.size, self.timeout, self.writable = Path(store_dir), size, timeout, writable
        self._idle: queue.Queue[_Worker | None] = queue.Queue()
        self._live: set[_Worker] = set()
        self._lock = threading.Lock()
        for _ in range(size):
            self._idle.put(self._start())

    def _start(self) -> _Worker:
        parent, child = self._ctx.Pipe()
        process = self._ctx.Process(target=_work, args=(child, str(self.store_dir), self.writable),
                                    name="kg-serve-worker", daemon=True)
        process.start()
        child.close()
        worker = _Worker(process, parent)
        try:
            ready = parent.poll(STARTUP_SECONDS)
            kind, message = parent.recv() if ready else ("error", f"no answer in {STARTUP_SECONDS:.0f} s")
        except (EOFError, OSError) as exc:
            kind, message = "error", f"the worker exited ({exc or 'no message'})"
        if kind != "ready":
            worker.kill()
            raise StoreError(f"a query worker could not open the store at {self.store_dir}: {message}")
        with self._lock:
            self._live.add(worker)
        return worker

    def _retire(self, worker: _Worker) -> None:
        worker.kill()
        with self._lock:
            self._live.discard(worker)

    def run(self, fn: Callable, *args, timeout: float | None = None):
        """``fn(store, *args)`` in a worker; QueryTimeout past ``timeout`` seconds (the pool's by default)."""
        limit = self.timeout if timeout is None else timeout
        try:
            worker = self._idle.get(timeout=limit)
        except queue.Empty:
            raise PoolBusy(f"all {self.size} query workers stayed busy for {limit:g} s; try again") from None
        try:
            if worker is None:
                worker = self._start()
            return self._call(worker, fn, args, limit)
        except (QueryTimeout, WorkerFailed, StoreError):
            if worker is not None and not worker.process.is_alive():
                self._retire(worker)
                worker = None
            raise
        finally:
            self._idle.put(worker)

    def _call(self, worker: _Worker, fn: Callable, args: tuple, limit: float):
        try:
            worker.conn.send((fn, args))
            finished = worker.conn.poll(limit)
            kind, value = worker.conn.recv() if finished else ("timeout", None)
        except (EOFError, OSError) as exc:
            worker.kill()
            raise WorkerFailed(f"the query worker died ({exc or 'no message'})") from None
        if kind == "timeout":
            worker.kill()
            raise QueryTimeout(f"stopped after the {limit:g} s time limit")
        if kind == "error":
            raise WorkerFailed(value)
        return value

    def close(self) -> None:
        """Stop every worker: close their pipes, give them a moment, then kill what is left."""
        with self._lock:
            workers, self._live = list(self._live), set()
        for worker in workers:
            worker.conn.close()
        for worker in workers:
            worker.process.join(2)
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join(2)
