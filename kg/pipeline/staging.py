"""The staging folder a build writes into, and publishing it: every output is moved into
place only when all are complete, the manifest last, so that a build killed at any point
leaves the previous outputs whole."""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from ..errors import StoreError
from ..store.load import swap_in
from .cache import MANIFEST

OUTPUT_FILES = ("graph.trig", "graph.nq", "graph.ttl", "graph.jsonld", "graph.html", "graph.graphml", MANIFEST)
"""Published in this order; the manifest must stay last."""
STAGING = ".kg-build-"


def new_stage(out: Path) -> Path:
    """A fresh staging folder in ``out``, named after this process so that a later build can
    tell an abandoned one (its process is gone) from one in use."""
    return Path(tempfile.mkdtemp(prefix=f"{STAGING}{os.getpid()}-", dir=out))


def remove_abandoned_stages(out: Path) -> None:
    """Delete staging folders of builds that were killed (their process is gone)."""
    for folder in out.glob(f"{STAGING}*"):
        pid = folder.name[len(STAGING):].split("-", 1)[0]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def publish(stage: Path, out: Path) -> None:
    """Move every finished output into ``out``: the store by swap, files by atomic rename,
    and the manifest last, so that a build killed on the way leaves the old manifest, and the
    next build, trusting only that, redoes what it cannot be sure of."""
    try:
        swap_in(stage / "store", out / "store")
        for name in OUTPUT_FILES:
            if (stage / name).exists():
                os.replace(stage / name, out / name)
    except OSError as exc:
        raise StoreError(f"cannot move the new outputs into {out}: {exc}") from None
