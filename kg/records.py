"""Frozen records passed between the stages: documents, mentions, entities and facts.

Offsets are end-exclusive code points into ``Document.text``.
"""
from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any, ClassVar

ENTITY_KINDS = ("Person", "Organisation", "Event", "Project", "Country", "Place")
"""The kinds of entity, each an nkg class; the most specific first (a Country is also typed Place)."""


@dataclass(frozen=True)
class Document:
    """One article: its file name, NFC text and where the title line ends.

    >>> Document("a.txt", "Tiêu đề\\nThân bài").title
    'Tiêu đề'
    """

    name: str
    text: str
    path: str = ""

    @property
    def title(self) -> str:
        return self.text.split("\n", 1)[0].strip()


@dataclass(frozen=True)
class Mention:
    """A span of the text naming an entity, identified by the entity's key."""

    begin: int
    end: int
    text: str
    kind: str
    key: str

    def __post_init__(self) -> None:
        if not 0 <= self.begin < self.end:
            raise ValueError(f"bad mention span {self.begin}:{self.end} for {self.text!r}")
        if self.kind not in ENTITY_KINDS:
            raise ValueError(f"unknown entity kind {self.kind!r}; expected one of {ENTITY_KINDS}")
        if len(self.text) != self.end - self.begin:
            raise ValueError(f"mention text {self.text!r} does not span {self.begin}:{self.end}")


@dataclass(frozen=True)
class Entity:
    """A thing the article names: a key that makes its IRI, a label and its other names."""

    key: str
    kind: str
    label: str
    aliases: tuple[str, ...] = ()
    wikidata: str = ""
    iso_code: str = ""


EntityRef = Any
"""An entity's key (``person:le-xuan-dinh``). While extraction runs, the extractors fill
these fields with the spans that name the entities; ``kg.extract.extract`` puts the keys in."""


@dataclass(frozen=True)
class Relation:
    """A fact between entities, or between an entity and values: one subclass per kind.

    ``kind`` is the fact's name in the ontology; ``args`` its fields in the order of the
    competency questions, e.g. ("person:le-xuan-dinh", "Thứ trưởng", "org:bo-khoa-hoc-va-cong-nghe").
    """

    kind: ClassVar[str] = ""

    @property
    def args(self) -> tuple:
        return tuple(getattr(self, f.name) for f in fields(self))


@dataclass(frozen=True)
class Membership(Relation):
    """A person holds a post (``role``) in an organisation."""

    kind: ClassVar[str] = "membership"
    person: EntityRef
    role: str
    org: EntityRef


@dataclass(frozen=True)
class Organiser(Relation):
    kind: ClassVar[str] = "organiser"
    event: EntityRef
    organiser: EntityRef


@dataclass(frozen=True)
class Location(Relation):
    kind: ClassVar[str] = "location"
    subject: EntityRef
    place: EntityRef


@dataclass(frozen=True)
class Participant(Relation):
    kind: ClassVar[str] = "participant"
    event: EntityRef
    participant: EntityRef


@dataclass(frozen=True)
class Speaker(Relation):
    kind: ClassVar[str] = "speaker"
    event: EntityRef
    speaker: EntityRef


@dataclass(frozen=True)
class PartOf(Relation):
    kind: ClassVar[str] = "partOf"
    part: EntityRef
    whole: EntityRef


@dataclass(frozen=True)
class SubOrganisationOf(Relation):
    kind: ClassVar[str] = "subOrganisationOf"
    part: EntityRef
    parent: EntityRef


@dataclass(frozen=True)
class Award(Relation):
    """A prize (``rank``, e.g. "giải Nhất") given at an event (``""`` when none is named)."""

    kind: ClassVar[str] = "award"
    event: EntityRef
    recipient: EntityRef
    rank: str
    amount: float | int | None
    currency: str


@dataclass(frozen=True)
class Statistic(Relation):
    kind: ClassVar[str] = "statistic"
    subject: EntityRef
    value: float | int
    unit: str


@dataclass(frozen=True)
class StartDate(Relation):
    kind: ClassVar[str] = "startDate"
    subject: EntityRef
    date: str  # ISO: 2023-09-18, or --09-18 when no year is known


@dataclass(frozen=True)
class EndDate(Relation):
    kind: ClassVar[str] = "endDate"
    subject: EntityRef
    date: str


# Clues: what extractors note on the way, which extract() turns into the facts above.

@dataclass(frozen=True)
class DateClue(Relation):
    """A date written near an event: (day, month, year) strings, an end for a range, and
    ``precision`` "range", "day" or "opening"; the event's StartDate and EndDate come from these."""

    kind: ClassVar[str] = "dates"
    subject: EntityRef
    start: tuple
    end: tuple | None
    precision: str


@dataclass(frozen=True)
class PlaceInName(Relation):
    """A gazetteer place named inside an event's name: a Location, and a Place entity."""

    kind: ClassVar[str] = "location_entry"
    subject: EntityRef
    entry: Any  # kg.extract.lexicon.Place


@dataclass(frozen=True)
class Extraction:
    """Everything extracted from one document."""

    document: Document
    entities: tuple[Entity, ...] = ()
    mentions: tuple[Mention, ...] = ()
    relations: tuple[Relation, ...] = ()
    author: str = ""
    extras: dict = field(default_factory=dict, compare=False, hash=False)
