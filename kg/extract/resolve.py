"""Spans -> entities: one key per real-world thing, its label and its other names.

Keys are built from normalised names (kg.iris.entity_key), so the same ministry or
country gets the same key, and so the same IRI, in every article. Within an article,
short references are tied to the full name they abbreviate: "ông Cường" to
"Hoàng Minh Cường", "Techfest 2023" to "Techfest Hải Phòng 2023".
"""
from __future__ import annotations

from collections import defaultdict

from .base import Analysis, Span
from ..iris import entity_key, slug
from ..records import ENTITY_KINDS, Entity


def _key(span: Span) -> str:
    if span.kind == "Country":
        return f"country:{span.entry.iso.lower()}"
    return entity_key(span.kind, span.key_name or span.name)


def _words(name: str) -> list[str]:
    return slug(name).split("-")


def _person_target(span: Span, people: list[Span]) -> Span | None:
    """The full name a short reference stands for: the nearest earlier one ending with it, else a later one."""
    words = _words(span.name)
    fits = [p for p in people if p is not span and len(_words(p.name)) > len(words)
            and _words(p.name)[-len(words):] == words]
    earlier = [p for p in fits if p.i < span.i]
    if earlier:
        return earlier[-1]
    return fits[0] if fits else None


def _event_target(span: Span, events: list[Span]) -> Span | None:
    """``Techfest 2023`` stands for ``Techfest Hải Phòng 2023`` (same first word and year, more
    words); ``Cuộc thi WiTeach`` for the contest declared as ``(WiTeach)``."""
    words = _words(span.name)
    head = _words(span.head)
    if head and words[:len(head)] == head and len(words) > len(head):
        short = words[len(head):]
        for other in events:
            if other is not span and any(_words(alias) == short for alias in other.aliases):
                return other
    if len(words) < 2:
        return None
    for other in events:
        theirs = _words(other.name)
        if (other is not span and len(theirs) > len(words) and theirs[0] == words[0]
                and theirs[-1] == words[-1] and set(words) <= set(theirs)):
            return other
    return None


def resolve(a: Analysis) -> dict[str, Entity]:
    """Give every entity span its ``key``; return the entities by key."""
    spans = [s for s in a.spans if s.kind in ENTITY_KINDS]
    people = [s for s in spans if s.kind == "Person"]
    events = [s for s in spans if s.kind == "Event"]
    canonical: dict[int, Span] = {}
    for s in people:
        target = _person_target(s, people) if len(_words(s.name)) <= 2 else None
        if target is not None and len(_words(s.name)) < len(_words(target.name)):
            canonical[id(s)] = target
    for s in events:
        target = _event_target(s, events)
        if target is not None:
            canonical[id(s)] = target
    for s in spans:
        if s.same_as is not None:
            canonical[id(s)] = s.same_as
    names: dict[str, list[str]] = defaultdict(list)
    first: dict[str, Span] = {}
    for s in spans:
        root = s
        while id(root) in canonical and canonical[id(root)] is not root:
            root = canonical[id(root)]
        key = _key(root)
        s.key = key
        first.setdefault(key, root)
        names[key] += [root.name, *s.aliases]
    return {key: _entity(key, first[key], names[key]) for key in first}


def _entity(key: str, span: Span, names: list[str]) -> Entity:
    label = span.name
    aliases = tuple(sorted({n for n in names if n and n != label}))
    if span.kind == "Country":
        entry = span.entry
        return Entity(key, "Country", entry.label, tuple(sorted(set(aliases) | set(entry.names[1:2]) - {entry.label})),
                      wikidata=entry.wikidata, iso_code=entry.iso)
    return Entity(key, span.kind, label, aliases)
