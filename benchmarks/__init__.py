"""Benchmarks on real text, outside the kg package: ``python -m benchmarks.speed CORPUS``
and ``python -m benchmarks.quality``."""

from __future__ import annotations

import os
from pathlib import Path


def default_shared() -> Path:
    """The shared/ folder (spec, eval, data): ``$KG_SHARED``, else the repository's sibling."""
    return Path(os.environ.get("KG_SHARED", Path(__file__).resolve().parents[2] / "shared"))
