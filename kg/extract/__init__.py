"""Extraction: one document -> its entities, mentions and facts (kg.records).

``PIPELINE`` lists the stages in the order they run. Each declares what it needs from
the shared ``Analysis`` and what it adds to it, as spaCy's components declare
``requires`` and ``assigns``: names are found first (events, organisations, places,
people, projects, then the fallbacks), then resolved to entities (kg.extract.resolve),
then the facts between those entities are found (relations, figures).

>>> from kg.records import Document
>>> ex = extract(Document("a.txt", "Tin\\nBộ trưởng Bộ Y tế Nguyễn Văn An phát biểu."))
>>> sorted(e.label for e in ex.entities)
['Bộ Y tế', 'Nguyễn Văn An']
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace

from ..iris import entity_key
from ..records import (ENTITY_KINDS, Award, DateClue, Document, EndDate, Entity, Extraction, Location, Membership, Mention, PlaceInName,
                       Relation, StartDate, Statistic)
from .resolve import resolve
from .base import Analysis, Span
from .events import find_events, find_projects
from .fallback import find_listed, find_repeated, find_unknown
from .figures import find_awards, find_dates, find_statistics
from .organisations import find_known_abbreviations, find_organisations
from .people import find_people
from .places import find_places
from .relations import Facts

__all__ = ["PIPELINE", "Stage", "extract"]

_YEAR = re.compile(r"\b(?:năm\s+)?((?:19|20)\d\d)\b")

GIVEN = ("tokens",)
"""What ``Analysis`` holds before any stage runs: the tokens, sentences and lexicon."""


@dataclass(frozen=True)
class Stage:
    """One step of extraction: ``run`` reads what ``requires`` names and adds what ``assigns`` names.

    The names: ``tokens``; ``spans`` (names found); ``author`` (the byline's span);
    ``keys`` (each span's entity key) and ``entities``; ``facts`` (the finder of the event
    or subject a sentence is about); ``relations`` (facts noted, kg.records).
    """

    name: str
    run: Callable[[Analysis], None]
    requires: tuple[str, ...]
    assigns: tuple[str, ...]


def _organisation_places(a: Analysis) -> None:
    """The place that ends an organisation's name ("Sở Y tế Hà Nội") is an entity too, without a mention."""
    for s in list(a.spans):
        place = s.place
        if place is not None:
            place.mention = False
            a.spans.append(place)


def _resolve(a: Analysis) -> None:
    a.entities = resolve(a)


def _relations_between(a: Analysis) -> None:
    a.facts = Facts(a)
    a.facts.all()


NAMES = ("tokens", "spans")
PIPELINE: tuple[Stage, ...] = (
    Stage("events", find_events, ("tokens",), ("spans",)),
    Stage("organisations", find_organisations, NAMES, ("spans",)),
    Stage("places", find_places, NAMES, ("spans",)),
    Stage("people", find_people, NAMES, ("spans", "relations", "author")),
    Stage("projects", find_projects, NAMES, ("spans",)),
    Stage("abbreviations", find_known_abbreviations, NAMES, ("spans",)),
    Stage("listed", find_listed, NAMES, ("spans",)),
    Stage("repeated", find_repeated, NAMES, ("spans",)),
    Stage("unknown", find_unknown, NAMES, ("spans",)),
    Stage("organisation_places", _organisation_places, ("spans",), ("spans",)),
    Stage("resolve", _resolve, ("spans",), ("keys", "entities")),
    Stage("relations", _relations_between, ("keys",), ("facts", "relations")),
    Stage("statistics", lambda a: find_statistics(a, a.facts.subject_of), ("facts",), ("relations",)),
    Stage("awards", lambda a: find_awards(a, a.facts.prize_event_of), ("facts",), ("relations",)),
    Stage("dates", lambda a: find_dates(a, a.facts.event_of), ("facts",), ("relations",)),
)


def extract(doc: Document) -> Extraction:
    """Everything one article says that the graph records."""
    a = Analysis(doc)
    for stage in PIPELINE:
        stage.run(a)
    relations = _relations(a, a.entities)
    mentions = _mentions(a)
    author = a.author_span.key if a.author_span is not None else ""
    return Extraction(doc, tuple(a.entities[k] for k in sorted(a.entities)), mentions, relations, author)


def _mentions(a: Analysis) -> tuple[Mention, ...]:
    found = set()
    for s in a.spans:
        if s.mention and s.kind in ENTITY_KINDS and s.key is not None:
            begin = a.tokens[s.i if s.mention_from is None else s.mention_from].begin
            end = a.tokens[s.j - 1].end if s.end_offset is None else s.end_offset
            found.add(Mention(begin, end, a.text[begin:end], s.kind, s.key))
    return tuple(sorted(found, key=lambda m: (m.begin, m.end, m.key)))


def _key(x) -> str | None:
    return x.key if isinstance(x, Span) else x


def _relations(a: Analysis, entities: dict[str, Entity]) -> tuple[Relation, ...]:
    """The facts the extractors noted, with keys for spans; date clues become start and end dates."""
    out: set[Relation] = set()
    dates: dict[str, list[DateClue]] = {}
    for fact in a.relations:
        if isinstance(fact, DateClue):
            dates.setdefault(_key(fact.subject), []).append(fact)
        elif isinstance(fact, PlaceInName):
            label = fact.entry.label
            place = entity_key("Place", label)
            entities.setdefault(place, Entity(place, "Place", label, tuple(n for n in fact.entry.names[1:])))
            out.add(Location(_key(fact.subject), place))
        elif isinstance(fact, Statistic):
            if _key(fact.subject):
                out.add(replace(fact, subject=_key(fact.subject)))
        elif isinstance(fact, Award):
            out.add(replace(fact, event=_key(fact.event) or "", recipient=_key(fact.recipient)))
        elif isinstance(fact, Membership):
            out.add(replace(fact, person=_key(fact.person), org=_key(fact.org)))
        else:
            args = tuple(_key(x) for x in fact.args)
            if all(args) and len(set(args)) == len(args):
                out.add(type(fact)(*args))
    out |= _date_relations(a, dates)
    return tuple(sorted((r for r in out if all(x is not None for x in r.args[:2])), key=lambda r: (r.kind, repr(r.args))))


def _date_relations(a: Analysis, dates: dict[str, list[DateClue]]) -> set[Relation]:
    if not dates:
        return set()  # and no need to count the years in the text
    years = Counter(m.group(1) for m in _YEAR.finditer(a.text))
    doc_year = years.most_common(1)[0][0] if years else None
    out: set[Relation] = set()
    for key, found in dates.items():
        if key is None:
            continue
        year = key.rsplit("-", 1)[-1] if re.fullmatch(r"(19|20)\d\d", key.rsplit("-", 1)[-1]) else doc_year
        ranges = [f for f in found if f.precision == "range"]
        chosen = ranges[0] if ranges else found[0]
        start = _iso(chosen.start, year)
        end = _iso(chosen.end, year) if chosen.end else (start if chosen.precision == "day" else None)
        if start:
            out.add(StartDate(key, start))
        if end:
            out.add(EndDate(key, end))
    return out


def _iso(parts, year: str | None) -> str | None:
    day, month, y = parts
    if not month:
        return None
    d, m = int(day), int(month)
    if not (1 <= d <= 31 and 1 <= m <= 12):
        return None
    y = y or year
    return f"{y}-{m:02d}-{d:02d}" if y else f"--{m:02d}-{d:02d}"
