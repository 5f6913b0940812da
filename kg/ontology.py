"""The nkg ontology terms, checked against ontology/kg.ttl by tests/test_ontology.py."""
from __future__ import annotations

from rdflib.namespace import DefinedNamespace, Namespace
from rdflib.term import URIRef

NKG_IRI = "https://w3id.org/newskg/ontology#"


class NKG(DefinedNamespace):
    """Terms of the news knowledge-graph ontology (prefix ``nkg:``)."""

    _fail = True
    _NS = Namespace(NKG_IRI)

    # classes
    Article: URIRef
    Award: URIRef
    Country: URIRef
    Event: URIRef
    Membership: URIRef
    Organisation: URIRef
    Person: URIRef
    Place: URIRef
    Project: URIRef
    Statistic: URIRef
    # object properties
    author: URIRef
    awardedAt: URIRef
    holds: URIRef
    location: URIRef
    organisation: URIRef
    organiser: URIRef
    partOf: URIRef
    participant: URIRef
    recipient: URIRef
    speaker: URIRef
    statistic: URIRef
    subOrganisationOf: URIRef
    # datatype properties
    amount: URIRef
    currency: URIRef
    endDate: URIRef
    fileName: URIRef
    headline: URIRef
    isoCode: URIRef
    rank: URIRef
    role: URIRef
    startDate: URIRef
    unit: URIRef
    value: URIRef


CLASSES = ("Person", "Organisation", "Event", "Country", "Place", "Project")
"""Entity classes, in the order a mention's type is preferred."""

NIF = Namespace("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#")
ITSRDF = Namespace("http://www.w3.org/2005/11/its/rdf#")
WD = Namespace("http://www.wikidata.org/entity/")
