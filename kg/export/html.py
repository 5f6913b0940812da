"""Interactive HTML graph (placeholder until the full explorer lands)."""
from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox


def write_html(store: ox.Store, path: Path) -> None:
    path.write_text("<!doctype html><title>kg</title><p>graph</p>", encoding="utf-8")
