"""Extractions -> RDF quads: the one place that writes triples.

Each article's facts go into a named graph whose name is the article's IRI.
Quads are pyoxigraph terms rather than an rdflib Dataset: a corpus build makes
millions of them, and pyoxigraph creates, sorts and serialises them natively.
"""
from __future__ import annotations

import pyoxigraph as ox

from .iris import digest, key_iri
from .records import (Award, EndDate, Extraction, Location, Membership, Organiser, Participant, PartOf, Relation,
                      Speaker, StartDate, Statistic, SubOrganisationOf)
from .vocab import (ITSRDF_TAIDENTREF, NIF_ANCHOROF, NIF_BEGININDEX, NIF_CONTEXT, NIF_ENDINDEX, NIF_ISSTRING,
                    NIF_PHRASE, NIF_REFERENCECONTEXT, OWL_SAME, RDF_TYPE, RDFS_LABEL, SKOS_ALT, WD_IRI, XSD,
                    XSD_DECIMAL, XSD_NNI, nkg)

_DATE_TYPES = {10: "date", 7: "gYearMonth", 4: "gYear"}
_DIRECT = (Organiser, Location, Participant, Speaker, PartOf, SubOrganisationOf)
"""Facts written as one triple: first argument, the property named by the kind, second argument."""


def vi(text: str) -> ox.Literal:
    return ox.Literal(text, language="vi")


def date_literal(value: str) -> ox.Literal:
    """ISO ``2023-09-18``, ``2023-09``, ``2023`` or ``--09-18`` with its XSD type."""
    kind = "gMonthDay" if value.startswith("--") else _DATE_TYPES[len(value)]
    return ox.Literal(value, datatype=ox.NamedNode(XSD + kind))


def number_literal(value: float | int) -> ox.Literal:
    text = str(int(value)) if float(value).is_integer() else repr(float(value))
    return ox.Literal(text, datatype=XSD_DECIMAL)


class GraphBuilder:
    """Turns one Extraction into quads in its article's named graph."""

    def __init__(self, base: str, article_iri: str, extraction: Extraction):
        self.base = base
        self.article = ox.NamedNode(article_iri)
        self.extraction = extraction
        self.quads: list[ox.Quad] = []

    def add(self, s, p, o) -> None:
        self.quads.append(ox.Quad(s, p, o, self.article))

    def node(self, key: str) -> ox.NamedNode:
        return ox.NamedNode(key_iri(self.base, key))

    def build(self) -> list[ox.Quad]:
        self._article()
        for entity in self.extraction.entities:
            self._entity(entity)
        for mention in self.extraction.mentions:
            self._mention(mention)
        for relation in self.extraction.relations:
            self._relation(relation)
        return sorted(set(self.quads), key=str)

    def _article(self) -> None:
        doc, a = self.extraction.document, self.article
        self.add(a, RDF_TYPE, nkg("Article"))
        self.add(a, RDF_TYPE, NIF_CONTEXT)
        self.add(a, nkg("fileName"), ox.Literal(doc.name))
        if doc.title:
            self.add(a, nkg("headline"), vi(doc.title))
            self.add(a, RDFS_LABEL, vi(doc.title))
        self.add(a, NIF_ISSTRING, ox.Literal(doc.text))
        self.add(a, NIF_BEGININDEX, ox.Literal("0", datatype=XSD_NNI))
        self.add(a, NIF_ENDINDEX, ox.Literal(str(len(doc.text)), datatype=XSD_NNI))
        if self.extraction.author:
            self.add(a, nkg("author"), self.node(self.extraction.author))

    def _entity(self, entity) -> None:
        node = self.node(entity.key)
        self.add(node, RDF_TYPE, nkg(entity.kind))
        if entity.kind == "Country":
            self.add(node, RDF_TYPE, nkg("Place"))
        self.add(node, RDFS_LABEL, vi(entity.label))
        for alias in entity.aliases:
            if alias != entity.label:
                self.add(node, SKOS_ALT, vi(alias))
        if entity.wikidata:
            self.add(node, OWL_SAME, ox.NamedNode(WD_IRI + entity.wikidata))
        if entity.iso_code:
            self.add(node, nkg("isoCode"), ox.Literal(entity.iso_code))

    def _mention(self, mention) -> None:
        node = ox.NamedNode(f"{self.article.value}#char={mention.begin},{mention.end}")
        self.add(node, RDF_TYPE, NIF_PHRASE)
        self.add(node, NIF_REFERENCECONTEXT, self.article)
        self.add(node, NIF_BEGININDEX, ox.Literal(str(mention.begin), datatype=XSD_NNI))
        self.add(node, NIF_ENDINDEX, ox.Literal(str(mention.end), datatype=XSD_NNI))
        self.add(node, NIF_ANCHOROF, ox.Literal(mention.text))
        self.add(node, ITSRDF_TAIDENTREF, self.node(mention.key))

    def _relation(self, rel: Relation) -> None:
        if isinstance(rel, _DIRECT):
            subject, target = rel.args
            self.add(self.node(subject), nkg(rel.kind), self.node(target))
        elif isinstance(rel, (StartDate, EndDate)):
            self.add(self.node(rel.subject), nkg(rel.kind), date_literal(rel.date))
        elif isinstance(rel, Membership):
            self._membership(rel.person, rel.role, rel.org)
        elif isinstance(rel, Award):
            self._award(*rel.args)
        elif isinstance(rel, Statistic):
            self._statistic(*rel.args)
        else:
            raise ValueError(f"no way to write relation kind {rel.kind!r}")

    def _membership(self, person: str, role: str, org: str) -> None:
        node = ox.NamedNode(f"{self.base}membership/{digest(person, role, org)}")
        org_label = next((e.label for e in self.extraction.entities if e.key == org), org)
        self.add(self.node(person), nkg("holds"), node)
        self.add(node, RDF_TYPE, nkg("Membership"))
        self.add(node, RDFS_LABEL, vi(f"{role}, {org_label}"))
        self.add(node, nkg("role"), vi(role))
        self.add(node, nkg("organisation"), self.node(org))

    def _award(self, event: str, recipient: str, rank: str, amount, currency: str) -> None:
        node = ox.NamedNode(f"{self.base}award/{digest(event, recipient, rank, amount)}")
        self.add(node, RDF_TYPE, nkg("Award"))
        self.add(node, RDFS_LABEL, vi(rank or "giải thưởng"))
        if event:
            self.add(node, nkg("awardedAt"), self.node(event))
        self.add(node, nkg("recipient"), self.node(recipient))
        if rank:
            self.add(node, nkg("rank"), vi(rank))
        if amount:
            self.add(node, nkg("amount"), number_literal(amount))
            self.add(node, nkg("currency"), ox.Literal(currency or "VND"))

    def _statistic(self, subject: str, value, unit: str) -> None:
        node = ox.NamedNode(f"{self.base}statistic/{digest(subject, value, unit)}")
        self.add(self.node(subject), nkg("statistic"), node)
        self.add(node, RDF_TYPE, nkg("Statistic"))
        self.add(node, RDFS_LABEL, vi(f"{number_literal(value).value} {unit}"))
        self.add(node, nkg("value"), number_literal(value))
        self.add(node, nkg("unit"), vi(unit))


def build_quads(extraction: Extraction, base: str, article_iri: str) -> list[ox.Quad]:
    """All quads of one article, sorted, in the named graph ``article_iri``."""
    return GraphBuilder(base, article_iri, extraction).build()
