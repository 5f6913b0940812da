"""The name grammar organisations, places and people share: gazetteer names, place words,
where a person's name starts in a run, and lower-case words that continue a name."""
from __future__ import annotations

from .base import Analysis


def gazetteer_at(a: Analysis, i: int):
    """(length, kind, entry) of a country or place name starting at token ``i``."""
    t = a.tok(i)
    if t is None or t.key not in a.lex.gazetteer_firsts:
        return None  # a quick test: most words start no name
    best = None
    for kind, table in (("Country", a.lex.countries), ("Place", a.lex.places)):
        hit = table.match(a.tokens, i)
        if hit and (best is None or hit[0] > best[0]):
            best = (hit[0], kind, hit[1])
    return best


def prefix_at(a: Analysis, i: int):
    """(length, level, prefix) of a place word at ``i`` (lower case, or sentence-initial)."""
    t = a.tok(i)
    if t is None or not t.is_word:
        return None
    hit = a.lex.place_prefixes.match(a.tokens, i) or (
        a.opens(i) and a.lex.place_prefixes.match(a.tokens, i, lower_first=True))
    if not hit:
        return None
    n, level = hit
    prefix = a.surface(i, i + n)
    if prefix[0].isupper() and not prefix.isupper() and not a.opens(i) and prefix not in ("TP", "Tp"):
        return None
    return n, level, prefix


def split_person(a: Analysis, i: int, j: int) -> int:
    """Where a person's name (surname first, 2-4 words) starts inside the run ``i:j``; else ``j``."""
    for k in range(i + 1, j):
        if a.tokens[k].key in a.lex.surnames and 2 <= j - k <= 4:
            return k
    return j


def lower_continues(a: Analysis, k: int) -> bool:
    """Does the lower-case word at ``k`` continue a capitalised word of a name ("Khoa học")?"""
    t = a.tok(k)
    if t is None or not t.is_word or not t.is_lower or t.is_number or not a.joined(k - 1, k):
        return False
    nxt = a.tok(k + 1)
    bigram = f"{t.key} {nxt.key}" if nxt else ""
    return t.key not in a.lex.common and bigram not in a.lex.common and not prefix_at(a, k)
