"""Every IRI kg writes or reads: the namespaces, the prefixes the outputs declare, the terms.

The nkg terms are checked against ontology/kg.ttl by tests/test_vocab.py.
"""
from __future__ import annotations

import pyoxigraph as ox
from rdflib.namespace import DefinedNamespace, Namespace
from rdflib.term import URIRef

NKG_IRI = "https://w3id.org/newskg/ontology#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
OWL = "http://www.w3.org/2002/07/owl#"
XSD = "http://www.w3.org/2001/XMLSchema#"
NIF_IRI = "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#"
ITSRDF_IRI = "http://www.w3.org/2005/11/its/rdf#"
WD_IRI = "http://www.wikidata.org/entity/"
PROV = "http://www.w3.org/ns/prov#"
VOID = "http://rdfs.org/ns/void#"
DCAT = "http://www.w3.org/ns/dcat#"
DCTERMS = "http://purl.org/dc/terms/"


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


NIF = Namespace(NIF_IRI)
ITSRDF = Namespace(ITSRDF_IRI)
WD = Namespace(WD_IRI)

PREFIXES = {
    "nkg": NKG_IRI,
    "rdf": RDF,
    "rdfs": RDFS,
    "skos": SKOS,
    "owl": OWL,
    "xsd": XSD,
    "nif": NIF_IRI,
    "itsrdf": ITSRDF_IRI,
    "wd": WD_IRI,
}
"""The prefixes every RDF output declares, in this order."""

SPARQL_PREFIXES = "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in PREFIXES.items())
"""``PREFIXES`` as a SPARQL prologue."""


def nkg(name: str) -> ox.NamedNode:
    """The nkg term ``name`` as a pyoxigraph node."""
    return ox.NamedNode(NKG_IRI + name)


RDF_TYPE = ox.NamedNode(RDF + "type")
RDFS_LABEL = ox.NamedNode(RDFS + "label")
SKOS_ALT = ox.NamedNode(SKOS + "altLabel")
OWL_SAME = ox.NamedNode(OWL + "sameAs")
XSD_STRING = ox.NamedNode(XSD + "string")
XSD_INTEGER = ox.NamedNode(XSD + "integer")
XSD_DECIMAL = ox.NamedNode(XSD + "decimal")
XSD_NNI = ox.NamedNode(XSD + "nonNegativeInteger")
ITSRDF_TAIDENTREF = ox.NamedNode(ITSRDF_IRI + "taIdentRef")
NIF_CONTEXT = ox.NamedNode(NIF_IRI + "Context")
NIF_PHRASE = ox.NamedNode(NIF_IRI + "Phrase")
NIF_ANCHOROF = ox.NamedNode(NIF_IRI + "anchorOf")
NIF_BEGININDEX = ox.NamedNode(NIF_IRI + "beginIndex")
NIF_ENDINDEX = ox.NamedNode(NIF_IRI + "endIndex")
NIF_ISSTRING = ox.NamedNode(NIF_IRI + "isString")
NIF_REFERENCECONTEXT = ox.NamedNode(NIF_IRI + "referenceContext")
