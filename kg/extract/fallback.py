"""Names no rule has typed yet: typed by the names they are listed with, or by the word before them."""
from __future__ import annotations

from .base import Analysis, Span
from .names import lower_continues

_LIST_JOINERS = frozenset({",", "và", "hoặc"})
_LIST_ENDS = frozenset({",", "và", "hoặc", ".", ")", ";", "…", "!", "?", "("})
_PLACE_CUES = frozenset({"ở", "tại", "từ", "đến", "về", "sang", "tới", "khỏi", "quê", "miền", "vùng", "xứ"})
_TYPED = ("Person", "Place", "Country", "Organisation")


def _free_run(a: Analysis, i: int, limit: int = 4) -> int:
    """End of a run of capitalised, untyped words at ``i`` (``i`` when there is none)."""
    if not a.is_name_word(i) or a.span_at(i) is not None:
        return i
    end = a.cap_run(i, limit + 1)
    if end - i > limit or not a.free(i, end):
        return i
    return end


def _run_before(a: Analysis, k: int, limit: int = 4) -> int:
    """Start of a run of capitalised, untyped words ending just before ``k``."""
    i = k
    while i > 0 and k - i < limit and a.is_name_word(i - 1) and a.span_at(i - 1) is None \
            and (i == k or a.joined(i - 1, i)):
        i -= 1
    return i


def _listed(a: Analysis, i: int, end: int) -> bool:
    """A list item: it starts no title or head noun, and a list mark or the sentence end follows it."""
    after = a.tok(end)
    return not a.starts_phrase(i) and (after is None or after.text in _LIST_ENDS or a.starts[end])


def _like(span: Span) -> str:
    return "Place" if span.kind == "Country" else span.kind


def find_listed(a: Analysis) -> None:
    """``Hoà, Tiết, Được và Như Mai``: names listed with a typed name share its type."""
    changed = True
    while changed:
        changed = False
        for s in [s for s in a.spans if s.kind in _TYPED and s.mention]:
            joiner = a.tok(s.j)
            if joiner is not None and joiner.text in _LIST_JOINERS:
                end = _free_run(a, s.j + 1)
                if end > s.j + 1 and _listed(a, s.j + 1, end):
                    a.add(Span(s.j + 1, end, _like(s), a.surface(s.j + 1, end), aliases=(a.surface(s.j + 1, end),)))
                    changed = True
            before = a.tok(s.i - 1)
            if before is not None and before.text in (",", "và"):
                start = _run_before(a, s.i - 1)
                if start < s.i - 1 and a.is_name_word(start) and _listed(a, start, s.i - 1) and (
                        start == 0 or a.tokens[start - 1].text in _LIST_ENDS or a.opens(start)):
                    a.add(Span(start, s.i - 1, _like(s), a.surface(start, s.i - 1), aliases=(a.surface(start, s.i - 1),)))
                    changed = True


def find_repeated(a: Analysis) -> None:
    """A name typed once keeps its type wherever else the article uses it."""
    typed: dict[tuple[str, ...], Span] = {}
    lengths: dict[str, set[int]] = {}
    for s in a.spans:
        if s.kind in _TYPED and s.mention:
            keys = tuple(t.key for t in a.tokens[s.i if s.name_from is None else s.name_from:s.j])
            typed.setdefault(keys, s)
            lengths.setdefault(keys[0], set()).add(len(keys))
    longest_first = {first: sorted(ns, reverse=True) for first, ns in lengths.items()}
    words, end = [t.key for t in a.tokens], 0
    for i, key in enumerate(words):
        if i < end or key not in longest_first:
            continue
        for n in longest_first[key]:
            s = typed.get(tuple(words[i:i + n]))
            if s is not None and a.free(i, i + n) and a.is_name_word(i) \
                    and not (a.tok(i + n) and a.tokens[i + n].is_cap and a.joined(i + n - 1, i + n)):
                a.add(Span(i, i + n, s.kind, s.name, key_name=s.key_name, aliases=(a.surface(i, i + n),),
                           entry=s.entry))
                end = i + n
                break


def find_unknown(a: Analysis) -> None:
    """Other capitalised names inside a sentence are places when ở/tại/từ ... comes before them.

    Measured on news NER data, typing the remaining names as people (or foreign-looking
    ones as people) lost more precision than it gained recall, so they stay untyped.
    """
    after_run = 0
    for i in a.capitalised:  # a name starts with a capital
        if i < after_run:
            continue
        end = _free_run(a, i, 4)
        if end == i or a.opens(i):
            continue
        prev = a.tok(i - 1)
        words = a.surface(i, end)
        after = a.tok(end)
        if prev is not None and prev.key.lower() in _PLACE_CUES and not a.starts_phrase(i) \
                and not lower_continues(a, end) and not words.isupper():
            a.add(Span(i, end, "Place", words, aliases=(words,)))
        elif prev is not None and prev.text == "(" and after is not None and after.text == ")" \
                and not words.isupper() and a.span_at(i - 2) is not None \
                and a.span_at(i - 2).kind in ("Person", "Place", "Country"):
            a.add(Span(i, end, "Place", words, aliases=(words,)))  # "xã Hoàng Tiến (Chí Linh)"
        after_run = end
