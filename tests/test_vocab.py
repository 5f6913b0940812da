"""ontology/kg.ttl, shapes.ttl and context.jsonld agree with kg.vocab.NKG and with built graphs."""
from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from pyshacl import validate
from rdflib import OWL, RDF, RDFS, Graph, Literal, URIRef

from kg.vocab import NKG, NKG_IRI

ONTOLOGY = Path(__file__).parent.parent / "ontology"
KINDS = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)


@pytest.fixture(scope="module")
def kg_ttl() -> Graph:
    return Graph().parse(ONTOLOGY / "kg.ttl")


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(ONTOLOGY / "shapes.ttl")


def declared(graph: Graph, kind: URIRef | None = None) -> set[str]:
    kinds = KINDS if kind is None else (kind,)
    return {
        str(s)[len(NKG_IRI):]
        for k in kinds
        for s in graph.subjects(RDF.type, k)
        if isinstance(s, URIRef) and str(s).startswith(NKG_IRI)
    }


def test_kg_ttl_declares_exactly_the_python_terms(kg_ttl):
    in_ttl, in_python = declared(kg_ttl), set(NKG.__annotations__)
    assert not in_python - in_ttl, f"in kg/ontology.py but not declared in kg.ttl: {sorted(in_python - in_ttl)}"
    assert not in_ttl - in_python, f"declared in kg.ttl but not in kg/ontology.py: {sorted(in_ttl - in_python)}"


def test_each_term_has_one_kind(kg_ttl):
    kinds = [declared(kg_ttl, k) for k in KINDS]
    both = (kinds[0] & kinds[1]) | (kinds[0] & kinds[2]) | (kinds[1] & kinds[2])
    assert not both, f"terms declared with two kinds: {sorted(both)}"


@pytest.mark.parametrize("name", sorted(NKG.__annotations__))
def test_term_has_english_and_vietnamese_label_and_comment(kg_ttl, name):
    term = NKG[name]
    for prop in (RDFS.label, RDFS.comment):
        langs = {o.language for o in kg_ttl.objects(term, prop) if isinstance(o, Literal)}
        assert {"en", "vi"} <= langs, f"nkg:{name} {prop.n3(kg_ttl.namespace_manager)} languages: {sorted(map(str, langs))}"


def test_ontology_header(kg_ttl):
    onto = URIRef("https://w3id.org/newskg/ontology")
    assert (onto, RDF.type, OWL.Ontology) in kg_ttl
    assert kg_ttl.value(onto, OWL.versionInfo) is not None
    dct = "http://purl.org/dc/terms/"
    assert kg_ttl.value(onto, URIRef(dct + "license")) == URIRef("https://creativecommons.org/licenses/by/4.0/")
    assert kg_ttl.value(onto, URIRef(dct + "title")) is not None


def test_speaker_is_a_participant(kg_ttl):
    assert (NKG.speaker, RDFS.subPropertyOf, NKG.participant) in kg_ttl


def test_country_is_a_place(kg_ttl):
    assert (NKG.Country, RDFS.subClassOf, NKG.Place) in kg_ttl


@pytest.mark.parametrize("name", ["kg.ttl", "shapes.ttl"])
def test_ontology_files_parse_with_rdflib_and_oxigraph(name):
    path = ONTOLOGY / name
    rdflib_count = len(Graph().parse(path, format="turtle"))
    with path.open("rb") as f:
        ox_count = len(list(ox.parse(f, ox.RdfFormat.TURTLE)))
    assert rdflib_count > 0 and ox_count == rdflib_count


def test_context_names_every_term(kg_ttl):
    context = json.loads((ONTOLOGY / "context.jsonld").read_text(encoding="utf-8"))["@context"]
    objects, datatypes = declared(kg_ttl, OWL.ObjectProperty), declared(kg_ttl, OWL.DatatypeProperty)
    for name in declared(kg_ttl, OWL.Class):
        assert context.get(name) == f"nkg:{name}", name
    for name in objects:
        assert context.get(name) == {"@id": f"nkg:{name}", "@type": "@id"}, name
    for name in datatypes:
        assert context.get(name) == {"@id": f"nkg:{name}"}, name
    assert context["sameAs"] == {"@id": "owl:sameAs", "@type": "@id"}
    assert context["nkg"] == NKG_IRI


def test_context_expands_a_node_to_nkg_iris():
    context = json.loads((ONTOLOGY / "context.jsonld").read_text(encoding="utf-8"))
    doc = dict(context, **{
        "@id": "https://w3id.org/newskg/id/event/e", "@type": "Event",
        "label": {"@value": "Hội chợ", "@language": "vi"}, "organiser": "https://w3id.org/newskg/id/org/o",
    })
    graph = Graph().parse(data=json.dumps(doc), format="json-ld")
    event = URIRef("https://w3id.org/newskg/id/event/e")
    assert (event, RDF.type, NKG.Event) in graph
    assert (event, NKG.organiser, URIRef("https://w3id.org/newskg/id/org/o")) in graph
    assert (event, RDFS.label, Literal("Hội chợ", lang="vi")) in graph


PREFIXES = """
@prefix nkg: <https://w3id.org/newskg/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#> .
@prefix itsrdf: <http://www.w3.org/2005/11/its/rdf#> .
@base <https://w3id.org/newskg/id/> .
"""

VALID = PREFIXES + """
<person/le-xuan-dinh> a nkg:Person ; rdfs:label "Lê Xuân Định"@vi ; nkg:holds <membership/abc123> .
<membership/abc123> a nkg:Membership ; rdfs:label "Thứ trưởng, Bộ Khoa học và Công nghệ"@vi ;
    nkg:role "Thứ trưởng"@vi ; nkg:organisation <org/bo-khoa-hoc-va-cong-nghe> .
<org/bo-khoa-hoc-va-cong-nghe> a nkg:Organisation ; rdfs:label "Bộ Khoa học và Công nghệ"@vi ;
    skos:altLabel "Bộ KH&CN"@vi ; nkg:location <place/ha-noi> .
<place/ha-noi> a nkg:Place ; rdfs:label "Hà Nội"@vi .
<country/kr> a nkg:Country, nkg:Place ; rdfs:label "Hàn Quốc"@vi ; skos:altLabel "Nam Hàn"@vi ;
    owl:sameAs <http://www.wikidata.org/entity/Q884> ; nkg:isoCode "KR" .
<person/nhu-quynh> a nkg:Person ; rdfs:label "Như Quỳnh"@vi .
<event/techfest> a nkg:Event ; rdfs:label "Techfest 2023"@vi ; nkg:startDate "2023-09-18"^^xsd:date ;
    nkg:endDate "2023-09"^^xsd:gYearMonth ; nkg:organiser <org/bo-khoa-hoc-va-cong-nghe> ;
    nkg:location <country/kr> ; nkg:participant <country/kr> ; nkg:statistic <statistic/s1> .
<statistic/s1> a nkg:Statistic ; rdfs:label "110 gian hàng"@vi ; nkg:value "110"^^xsd:decimal ; nkg:unit "gian hàng"@vi .
<award/a1> a nkg:Award ; rdfs:label "giải Nhất"@vi ; nkg:awardedAt <event/techfest> ; nkg:recipient <person/nhu-quynh> ;
    nkg:rank "giải Nhất"@vi ; nkg:amount "50000000"^^xsd:decimal ; nkg:currency "VND" .
<article/x> a nkg:Article, nif:Context ; nkg:fileName "x.txt" ; nkg:headline "Tin"@vi ; rdfs:label "Tin"@vi ;
    nif:isString "Tin\\nLê Xuân Định phát biểu." ; nif:beginIndex "0"^^xsd:nonNegativeInteger ;
    nif:endIndex "26"^^xsd:nonNegativeInteger ; nkg:author <person/nhu-quynh> .
<article/x#char=4,16> a nif:Phrase ; nif:referenceContext <article/x> ;
    nif:beginIndex "4"^^xsd:nonNegativeInteger ; nif:endIndex "16"^^xsd:nonNegativeInteger ;
    nif:anchorOf "Lê Xuân Định" ; itsrdf:taIdentRef <person/le-xuan-dinh> .
"""


def check(turtle: str, kg_ttl: Graph, shapes: Graph) -> tuple[bool, str]:
    data = Graph().parse(data=turtle, format="turtle")
    conforms, _, text = validate(data, shacl_graph=shapes, ont_graph=kg_ttl, inference="none")
    return conforms, text


def test_valid_graph_conforms(kg_ttl, shapes):
    conforms, text = check(VALID, kg_ttl, shapes)
    assert conforms, text


BROKEN = {  # case: (text of VALID to replace, or "" to append; replacement or addition; path in the report)
    "person-without-label": ('<person/nhu-quynh> a nkg:Person ; rdfs:label "Như Quỳnh"@vi .',
                             '<person/nhu-quynh> a nkg:Person .', "rdfs:label"),
    "statistic-value-string": ('"110"^^xsd:decimal', '"110"', "nkg:value"),
    "two-anchors": ("", '<article/x#char=4,16> nif:anchorOf "Lê Xuân" .', "nif:anchorOf"),
    "two-vi-labels": ("", '<person/nhu-quynh> rdfs:label "Quỳnh"@vi .', "rdfs:label"),
    "untagged-label": ('rdfs:label "Hà Nội"@vi', 'rdfs:label "Hà Nội"', "rdfs:label"),
    "two-roles": ("", '<membership/abc123> nkg:role "Phó Giám đốc"@vi .', "nkg:role"),
    "membership-without-organisation": ('nkg:organisation <org/bo-khoa-hoc-va-cong-nghe> .', ".", "nkg:organisation"),
    "bad-currency": ('nkg:currency "VND"', 'nkg:currency "đồng"', "nkg:currency"),
    "bad-iso-code": ('nkg:isoCode "KR"', 'nkg:isoCode "kor"', "nkg:isoCode"),
    "bad-date": ('"2023-09-18"^^xsd:date', '"18/9/2023"', "nkg:startDate"),
    "location-not-place": ("", "<event/techfest> nkg:location <person/nhu-quynh> .", "nkg:location"),
    "begin-after-end": ('"16"^^xsd:nonNegativeInteger', '"3"^^xsd:nonNegativeInteger', "nif:beginIndex"),
    "mention-without-entity": ("itsrdf:taIdentRef <person/le-xuan-dinh> .", ".", "itsrdf:taIdentRef"),
    "article-without-file-name": ('nkg:fileName "x.txt" ;', "", "nkg:fileName"),
    "author-not-person": ("nkg:author <person/nhu-quynh>", "nkg:author <org/bo-khoa-hoc-va-cong-nghe>", "nkg:author"),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_graph_fails_naming_the_property(kg_ttl, shapes, case):
    old, new, path = BROKEN[case]
    if old:
        assert VALID.count(old) == 1, f"case {case}: {old!r} must occur once in VALID"
    turtle = VALID.replace(old, new) if old else VALID + new
    conforms, text = check(turtle, kg_ttl, shapes)
    assert conforms is False
    assert f"Result Path: {path}" in text, text


def test_holds_only_from_a_person(kg_ttl, shapes):
    turtle = VALID + "<org/bo-khoa-hoc-va-cong-nghe> nkg:holds <membership/abc123> ."
    conforms, text = check(turtle, kg_ttl, shapes)
    assert conforms is False
    assert "HolderShape" in text and "nkg:Person" in text, text


def test_country_only_typed_country_is_a_location(kg_ttl, shapes):
    turtle = VALID.replace("<country/kr> a nkg:Country, nkg:Place ;", "<country/kr> a nkg:Country ;")
    assert turtle != VALID
    conforms, text = check(turtle, kg_ttl, shapes)
    assert conforms, text
