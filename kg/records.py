"""Frozen records passed between the stages: documents, mentions, entities, relations.

Offsets are end-exclusive code points into ``Document.text``.
"""
from __future__ import annotations

from dataclasses import dataclass, field

ENTITY_KINDS = ("Person", "Organisation", "Event", "Country", "Place", "Project")


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


@dataclass(frozen=True)
class Relation:
    """A fact between entities (by key) or between an entity and values.

    ``kind`` is one of: membership, organiser, location, startDate, endDate,
    participant, speaker, partOf, award, author, subOrganisationOf, statistic.
    ``args`` holds the arguments in the order of the competency questions, e.g.
    ("person:le-xuan-dinh", "Thứ trưởng", "org:bo-khoa-hoc-va-cong-nghe").
    """

    kind: str
    args: tuple = ()


@dataclass(frozen=True)
class Extraction:
    """Everything extracted from one document."""

    document: Document
    entities: tuple[Entity, ...] = ()
    mentions: tuple[Mention, ...] = ()
    relations: tuple[Relation, ...] = ()
    author: str = ""
    extras: dict = field(default_factory=dict, compare=False, hash=False)
