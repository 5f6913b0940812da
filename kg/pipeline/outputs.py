"""The dataset's outputs from the staged article files: the store (loaded anew, or updated
graph by graph), the Turtle, the JSON-LD and the HTML page."""
from __future__ import annotations

import multiprocessing
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pyoxigraph as ox

from ..errors import StoreError
from ..export.html import write_html
from ..export.rdf import one_label_per_language, union_quads, write_union
from ..store.load import bulk_load_lines
from .cache import Manifest

MEMORY_QUADS = 1_000_000
"""Datasets of up to this many quads (about 1 GB of memory) are exported from a copy in memory."""


def update_store(current: Path, stage: Path, previous: Manifest, manifest: Manifest, changed: list[str]) -> ox.Store:
    """The new store as a cheap snapshot of the current one with only the changed graphs
    replaced, and the union (the default graph) loaded anew."""
    ox.Store.read_only(str(current)).backup(str(stage / "store"))
    store = ox.Store(str(stage / "store"))
    gone = [k for k in previous.articles if k not in manifest.articles or k in changed]
    for key in gone:
        store.remove_graph(ox.NamedNode(previous.articles[key]["iri"]))
    store.clear_graph(ox.DefaultGraph())
    if changed:
        bulk_load_lines(store, stage / "changed.nq", ox.RdfFormat.N_QUADS)
    bulk_load_lines(store, stage / "union.nt", ox.RdfFormat.N_TRIPLES)
    return store


def write_outputs(stage: Path, html: bool, make_store: Callable[[], ox.Store], quads: int,
            timings: dict[str, float]) -> None:
    """Store, Turtle, JSON-LD and HTML, overlapped where they do not wait on each other.

    The store holds the article graphs and, as its default graph, their union with one label
    per language. Reading an on-disk store term by term is about ten times slower than
    reading one in memory, so up to ``MEMORY_QUADS`` quads the exports are written from a
    working copy in memory while the store loads beside it (the loader releases the GIL);
    the page is drawn in a forked child from the same copy while this process writes the
    Turtle and the JSON-LD. Larger datasets are read back from the store, keeping memory flat.
    """
    clock = time.perf_counter()
    with ThreadPoolExecutor(max_workers=1) as pool:
        loading = pool.submit(_make_and_close, make_store, timings)
        in_memory = quads <= MEMORY_QUADS
        if in_memory:
            union = _working_copy(stage)
        else:
            loading.result()
            union = ox.Store.read_only(str(stage / "store"))
        timings["union"] = time.perf_counter() - clock
        page = multiprocessing.get_context("fork").Process(target=_write_page, args=(stage, union)) if html else None
        try:
            if page is not None:
                page.start()
            clock = time.perf_counter()
            write_union(union_quads(union, in_order=in_memory), stage / "graph.ttl", stage / "graph.jsonld")
            timings["turtle + json-ld"] = time.perf_counter() - clock
            del union
            loading.result()
        finally:
            if page is not None:
                page.join()
                timings["html (in parallel)"] = time.perf_counter() - clock
    if page is not None and page.exitcode != 0:
        raise StoreError(f"drawing graph.html failed (exit code {page.exitcode}); rerun with --no-html to skip it")


def _make_and_close(make_store: Callable[[], ox.Store], timings: dict[str, float]) -> None:
    clock = time.perf_counter()
    store = make_store()
    one_label_per_language(store)
    store.flush()
    timings["store (in parallel)"] = time.perf_counter() - clock


def _working_copy(stage: Path) -> ox.Store:
    """The dataset in memory: the article graphs, and their union with one label per language."""
    store = ox.Store()
    store.bulk_load(path=str(stage / "graph.nq"), format=ox.RdfFormat.N_QUADS)
    store.bulk_load(path=str(stage / "union.nt"), format=ox.RdfFormat.N_TRIPLES)
    one_label_per_language(store)
    return store


def _write_page(stage: Path, store: ox.Store) -> None:
    write_html(store, stage / "graph.html")
