"""Countries and places: gazetteer names, and names after a place word (tỉnh, xã, đường ...)."""
from __future__ import annotations

from .base import Analysis, Span
from .names import gazetteer_at, lower_continues, prefix_at, split_person

# Single-word country names that are also given names or common words: a country only alone.
_NAME_LIKE = frozenset({"Anh", "Nga", "Đức", "Mỹ", "Ý", "Áo", "Bỉ", "Lào", "Séc", "Síp", "Úc", "Pháp", "Sát", "Nhật"})
# Mentions keep these place words inside their span (a village is "xã Cương Gián" in running text).
_KEEP_PREFIX = frozenset({"admin", "geo"})
_NUMBERED = frozenset({"quận", "phường", "Q.", "P.", "thôn", "khu phố", "tổ dân phố", "ấp", "đường", "Quận", "Phường"})








def _prefix_stands_alone(a: Analysis, i: int) -> bool:
    """A place word inside a capitalised name ("Thành phố Đổi mới") introduces no place."""
    longer = a.lex.place_prefixes.match(a.tokens, i - 1, lower_first=True) if i > 0 else None
    return not (longer and longer[0] >= 2 and a.tokens[i - 1].is_cap)


def place_at(a: Analysis, i: int) -> Span | None:
    """A place or country named at ``i``, with or without a place word before it."""
    pre = prefix_at(a, i)
    start = i + pre[0] if pre else i
    if not pre and a.tok(i) is not None and a.tokens[i].is_lower:
        hit = gazetteer_at(a, i)  # names that start in lower case: "miền Nam", "châu Á"
        if hit and a.is_name_word(i + hit[0] - 1):
            n, kind, entry = hit
            return Span(i, i + n, kind, entry.label, aliases=(a.surface(i, i + n),), entry=entry)
        return None
    if pre and pre[2] in _NUMBERED and a.tok(start) is not None and a.tokens[start].is_number \
            and a.joined(start - 1, start) and len(a.tokens[start].text) <= 3:
        name = f"{pre[2]} {a.tokens[start].text}"  # "quận 3", "phường 9": the number is the name
        return Span(i, start + 1, "Place", name, aliases=(a.surface(i, start + 1),), prefix=pre[2])
    if not a.is_name_word(start) and not (pre and a.tok(start) and a.tok(start).is_cap):
        return None
    if pre and not a.joined(start - 1, start):
        return None
    hit = gazetteer_at(a, start)
    run_end = a.cap_run(start)
    if hit and (hit[0] == run_end - start or pre or split_person(a, start, run_end) == start + hit[0]):
        n, kind, entry = hit
        end = start + n
        name, aliases = entry.label, (a.surface(start, end),)
        span = Span(i if pre else start, end, kind, name, aliases=aliases, entry=entry)
    elif pre and run_end > start and _prefix_stands_alone(a, i):
        end = split_person(a, start, run_end)
        if end - start == 1 and lower_continues(a, end):
            return None
        name = a.surface(start, end)
        span = Span(i, end, "Place", name, aliases=(name,))
    else:
        return None
    if pre:
        span.prefix = pre[2]
        span.name_from = start
        span.aliases = span.aliases + (a.surface(i, end),)
        if pre[1] not in _KEEP_PREFIX:
            span.mention_from = start
    return span


def _country_ok(a: Analysis, span: Span) -> bool:
    """A one-word country that is also a given name must stand alone, with no person cue before;
    "người Việt", "tiếng Anh" name a people or a language, not the country."""
    before, after = a.tok(span.i - 1), a.tok(span.j)
    if span.kind == "Country" and before is not None and before.key.lower() in ("người", "tiếng", "dân"):
        return False
    if span.kind != "Country" or span.j - span.i > 1 or a.tokens[span.i].text not in _NAME_LIKE:
        return True
    if a.opens(span.i) and after is not None and after.is_lower and a.joined(span.i, span.j):
        return False
    if after is not None and after.is_cap and a.joined(span.j - 1, span.j):
        return False
    if before is not None and a.joined(span.i - 1, span.i):
        if before.is_cap and not a.opens(span.i - 1):
            return False
        if a.lex.cues.match(a.tokens, span.i - 1) or before.key.lower() in ("tiếng", "người"):
            return False
    return True


def find_places(a: Analysis) -> None:
    """Add every country and place span on tokens nothing else has claimed."""
    lex, end = a.lex, 0
    # only capitalised tokens and those a place word or a gazetteer name may start with
    candidates = sorted({*a.capitalised, *lex.place_prefixes.positions(a.tokens, a.word_index),
                         *lex.places.positions(a.tokens, a.word_index)})
    for i in candidates:
        if i < end or a.taken[i] is not None:
            continue
        span = place_at(a, i)
        if span and a.free(span.i, span.j) and _country_ok(a, span) and _alone(a, span):
            a.add(span)
            end = span.j


def _alone(a: Analysis, span: Span) -> bool:
    """A gazetteer name inside a longer capitalised run is part of another name."""
    if span.prefix:
        return True
    before = a.tok(span.i - 1)
    if before and before.is_cap and before.is_word and a.joined(span.i - 1, span.i) and a.is_name_word(span.i - 1):
        return a.span_at(span.i - 1) is not None
    return True
