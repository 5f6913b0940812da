"""The on-disk Oxigraph store, built beside the old one and swapped in by rename."""
from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox

from ..errors import StoreError


def load_store(nquads: Path, folder: Path) -> ox.Store:
    """Bulk-load an N-Quads file into a new store at ``folder`` (which must not exist)."""
    store = ox.Store(str(folder))
    store.bulk_load(path=str(nquads), format=ox.RdfFormat.N_QUADS)
    store.flush()
    return store


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
