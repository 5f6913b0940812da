"""The on-disk Oxigraph store, built beside the old one and swapped in by rename."""
from __future__ import annotations

import shutil
from concurrent.futures import ThreadPoolExecutor
from itertools import islice
from pathlib import Path

import pyoxigraph as ox

from ..errors import StoreError


CHUNK_LINES = 100_000
"""Lines per bulk load: Oxigraph's bulk loader holds what it is given in memory, so a whole
file would make the build's peak memory grow with the corpus; chunks keep it flat."""


def bulk_load_lines(store: ox.Store, path: Path, fmt: ox.RdfFormat) -> None:
    """Bulk-load an N-Quads or N-Triples file (triples into the default graph), chunk by chunk."""
    with path.open("rb") as lines:
        while chunk := b"".join(islice(lines, CHUNK_LINES)):
            store.bulk_load(chunk, format=fmt)


def load_store(nquads: Path, union: Path, folder: Path) -> ox.Store:
    """A new store at ``folder``: the article graphs from ``nquads``, and the union of them
    (``union``, N-Triples) as the default graph; both loads run side by side."""
    store = ox.Store(str(folder))
    with ThreadPoolExecutor(max_workers=2) as pool:  # the loader releases the GIL
        loads = [pool.submit(bulk_load_lines, store, nquads, ox.RdfFormat.N_QUADS),
                 pool.submit(bulk_load_lines, store, union, ox.RdfFormat.N_TRIPLES)]
        for load in loads:
            load.result()
    return store


def holds_union(store: ox.Store) -> bool:
    """Does the default graph hold the union of the article graphs? (Stores of kg builds do;
    a store filled by other tools or by earlier kg keeps only named graphs.)"""
    return next(store.quads_for_pattern(None, None, None, ox.DefaultGraph()), None) is not None


def union_options(store: ox.Store) -> dict:
    """Query options that make the default graph the union of the article graphs: the stored
    union when there is one (each triple once, one label per language: fast), else Oxigraph's
    union of every graph (a triple once per article that states it)."""
    return {} if holds_union(store) else {"use_default_graph_as_union": True}


def swap_in(new: Path, target: Path) -> None:
    """Replace ``target`` by ``new``: rename the old aside, rename the new in, delete the old.

    A crash between the renames leaves ``target.old`` holding the previous store;
    ``recover`` puts it back on the next run.
    """
    old = target.with_name(target.name + ".old")
    if old.exists():
        shutil.rmtree(old)
    if target.exists():
        target.rename(old)
    new.rename(target)
    shutil.rmtree(old, ignore_errors=True)


def recover(target: Path) -> None:
    """Undo a swap that a crash interrupted between its two renames."""
    old = target.with_name(target.name + ".old")
    if old.exists() and not target.exists():
        old.rename(target)


def open_store(folder: Path, read_only: bool = True) -> ox.Store:
    """Open an existing store; StoreError says how to make one when it is missing."""
    recover(folder)
    if not (folder / "CURRENT").exists():
        raise StoreError(f"no Oxigraph store at {folder}; run `kg build PATH --out {folder.parent}` first")
    try:
        return ox.Store.read_only(str(folder)) if read_only else ox.Store(str(folder))
    except OSError as exc:
        raise StoreError(f"cannot open the store at {folder}: {exc}") from None
