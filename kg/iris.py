"""Deterministic IRIs: the same entity gets the same IRI in every article and run."""
from __future__ import annotations

import hashlib
from functools import lru_cache
import re
import unicodedata

DEFAULT_BASE = "https://w3id.org/newskg/id/"
_PATHS = {
    "Person": "person", "Organisation": "org", "Event": "event", "Country": "country",
    "Place": "place", "Project": "project",
}


@lru_cache(maxsize=65536)
def slug(text: str) -> str:
    """ASCII slug of a Vietnamese name.

    >>> slug("Bộ Khoa học & Công nghệ")
    'bo-khoa-hoc-cong-nghe'
    """
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:80] or "x"


def digest(*parts: object) -> str:
    """A short stable hash of the parts, for nodes that have no name of their own."""
    return hashlib.blake2b("\x1f".join(map(str, parts)).encode(), digest_size=8).hexdigest()


def entity_key(kind: str, name: str) -> str:
    """The key that names an entity across articles, e.g. ``person:le-xuan-dinh``."""
    return f"{_PATHS[kind]}:{slug(name)}"


def check_base(base: str) -> str:
    """A base IRI must be absolute and end with / or #."""
    if not re.fullmatch(r"[a-zA-Z][a-zA-Z0-9+.-]*://[^\s<>\"{}|\\^`]+[/#]", base):
        raise ValueError(f"base IRI {base!r} must be an absolute http(s) IRI ending in / or #")
    return base


def key_iri(base: str, key: str) -> str:
    """``person:le-xuan-dinh`` -> ``<base>person/le-xuan-dinh``."""
    return base + key.replace(":", "/", 1)


def article_key(path: str) -> str:
    """An article's key from its path relative to the input folder."""
    stem = path[:-4] if path.endswith(".txt") else path
    if re.fullmatch(r"[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*", stem):
        return f"article:{stem}"
    return f"article:{slug(stem)}-{digest(path)[:6]}"
