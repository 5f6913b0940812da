"""What makes a rebuild incremental: a cache of each article's serialised quads, and a
manifest of the articles the dataset in an output folder holds.

An article is re-extracted only when its bytes, its path, the base IRI or kg's own
code and data have changed (all are in its cache key). The manifest lets the
store be updated graph by graph: changed articles replace their named graph, new ones
add theirs, and with ``prune`` the ones no longer among the inputs are removed.
"""
from __future__ import annotations

import hashlib
import json
import os
import pickle
import tempfile
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

MANIFEST = "manifest.json"
CACHE_DIR = ".kg-cache"
_KINDS = (".py", ".tsv", ".ttl", ".jsonld")


@cache
def code_fingerprint() -> str:
    """A hash of the code and data that decide what an article yields: every source and data
    file of the kg package, by path relative to it, so a moved or added file counts too."""
    root = Path(__file__).resolve().parents[1]
    h = hashlib.blake2b(digest_size=16)
    for path in sorted(p for p in root.rglob("*") if p.is_file() and p.suffix in _KINDS):
        h.update(path.relative_to(root).as_posix().encode())
        h.update(b"\0")
        h.update(path.read_bytes())
    return h.hexdigest()


def article_digest(file: Path, relative: str, base: str) -> str:
    """The cache key of one article: its bytes, its path, the base IRI and the code fingerprint."""
    h = hashlib.blake2b(digest_size=16)
    for part in (code_fingerprint(), base, relative):
        h.update(part.encode("utf-8", "surrogatepass"))  # a file name that is not UTF-8 hashes too
        h.update(b"\0")
    try:
        h.update(file.read_bytes())
    except OSError:
        return ""  # unreadable: never cached; the build reports it
    return h.hexdigest()


@dataclass
class Manifest:
    """The articles an output folder's dataset holds: file -> (cache key, article IRI)."""

    base: str = ""
    fingerprint: str = ""
    articles: dict[str, dict] = field(default_factory=dict)

    @classmethod
    def load(cls, out: Path) -> Manifest:
        try:
            data = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
            return cls(data["base"], data["fingerprint"], data["articles"])
        except (OSError, ValueError, KeyError, TypeError):
            return cls()

    def compatible(self, base: str) -> bool:
        return self.base == base and self.fingerprint == code_fingerprint()

    def save(self, path: Path) -> None:
        data = {"base": self.base, "fingerprint": self.fingerprint, "articles": self.articles}
        path.write_text(json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8")


class ArticleCache:
    """Serialised results of articles by cache key, one pickle file each, written atomically."""

    def __init__(self, folder: Path):
        self.folder = folder

    def get(self, key: str):
        if not key:
            return None
        try:
            return pickle.loads((self.folder / f"{key}.pkl").read_bytes())
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError):
            return None

    def put(self, key: str, result) -> None:
        if not key:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.folder, suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            pickle.dump(result, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, self.folder / f"{key}.pkl")

    def keep_only(self, keys: set[str]) -> None:
        """Drop entries of articles the dataset no longer holds."""
        if not self.folder.is_dir():
            return
        for path in self.folder.iterdir():
            if path.suffix in (".pkl", ".tmp") and path.stem not in keys:
                path.unlink(missing_ok=True)
