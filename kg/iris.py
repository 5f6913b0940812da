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


SLUG_MAX = 80
_D = str.maketrans("đĐðÐ", "dDdD")  # Ð (eth) is a look-alike of Đ in Vietnamese text


@lru_cache(maxsize=65536)
def slug(text: str) -> str:
    """ASCII slug of a Vietnamese name.

    Invisible format characters (zero-width, soft hyphen, bidi controls) are dropped, so
    ``"B\\u200bộ"`` and ``"Bộ"`` share a slug. A name that ASCII cannot tell apart from
    others (letters or digits of another script, no letter at all, a slug longer than
    ``SLUG_MAX``) ends with a hash of the name, so two such names never share a slug.

    >>> slug("Bộ Khoa học & Công nghệ")
    'bo-khoa-hoc-cong-nghe'
    >>> slug("Иван Петров") != slug("Сергей Лавров")
    True
    """
    visible = "".join(c for c in text if unicodedata.category(c) != "Cf")
    folded, lossy = _ascii_words(visible)
    if folded and len(folded) <= SLUG_MAX and not lossy:
        return folded
    tail = digest(unicodedata.normalize("NFC", visible).casefold())[:8]
    return f"{folded[:SLUG_MAX - 9].rstrip('-') or 'x'}-{tail}"


def _ascii_words(text: str) -> tuple[str, bool]:
    """Lower-case ASCII words joined by ``-``; and whether letters or digits of another script were lost."""
    bare = unicodedata.normalize("NFD", text.translate(_D))
    bare = "".join(c for c in bare if not unicodedata.combining(c) and unicodedata.category(c) != "Cf").lower()
    return re.sub(r"[^a-z0-9]+", "-", bare).strip("-"), any(c.isalnum() and not c.isascii() for c in bare)


def digest(*parts: object) -> str:
    """A short stable hash of the parts, for nodes that have no name of their own.

    Lone surrogates (from file names that are not UTF-8) are hashed as they are.
    """
    text = "\x1f".join(map(str, parts))
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=8).hexdigest()


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
    return f"article:{_ascii_words(stem)[0][:SLUG_MAX] or 'x'}-{digest(path)[:6]}"  # the hash tells them apart
