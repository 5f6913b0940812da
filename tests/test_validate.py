"""kg.validate: read any RDF file kg writes and check it against the SHACL shapes."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, URIRef

from kg.errors import InputError, UsageError
from kg.validate import load_graph, validate

PREFIXES = """\
@prefix nkg: <https://w3id.org/newskg/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#> .
@prefix itsrdf: <http://www.w3.org/2005/11/its/rdf#> .
@base <https://w3id.org/newskg/id/> .
"""

PERSON = '<person/le-xuan-dinh> a nkg:Person ; rdfs:label "Lê Xuân Định"@vi ; nkg:holds <membership/m1> .\n'
MEMBERSHIP = """<membership/m1> a nkg:Membership ; rdfs:label "Thứ trưởng, Bộ Khoa học và Công nghệ"@vi ;
    nkg:role "Thứ trưởng"@vi ; nkg:organisation <org/bkhcn> .
<org/bkhcn> a nkg:Organisation ; rdfs:label "Bộ Khoa học và Công nghệ"@vi .
"""
MENTION = """<article/a#char=0,12> nif:referenceContext <article/a> ;
    nif:beginIndex "0"^^xsd:nonNegativeInteger ; nif:endIndex "12"^^xsd:nonNegativeInteger ;
    nif:anchorOf "Lê Xuân Định" ; itsrdf:taIdentRef <person/le-xuan-dinh> .
"""
VALID = PREFIXES + PERSON + MEMBERSHIP + MENTION


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def trig(*graphs: tuple[str, str]) -> str:
    """TriG with one named graph per (article key, Turtle body)."""
    return PREFIXES + "".join(f"<article/{key}> {{\n{body}}}\n" for key, body in graphs)


def test_valid_turtle_conforms(tmp_path):
    conforms, text = validate(write(tmp_path, "g.ttl", VALID))
    assert conforms is True, text
    assert "Conforms: True" in text


def test_violation_is_reported_with_the_property(tmp_path):
    bad = VALID.replace('nkg:role "Thứ trưởng"@vi', 'nkg:role "Thứ trưởng"@vi, "Bộ trưởng"@vi')
    conforms, text = validate(write(tmp_path, "g.ttl", bad))
    assert conforms is False
    assert "Conforms: False" in text and "nkg:role" in text


def test_trig_validates_each_named_graph_on_its_own(tmp_path):
    # Two articles label the same person differently: each graph conforms on its own,
    # while their union would hold two @vi labels.
    other = PERSON.replace('"Lê Xuân Định"@vi', '"Lê X. Định"@vi')
    assert other != PERSON
    path = write(tmp_path, "g.trig", trig(("a", PERSON + MEMBERSHIP), ("b", other + MEMBERSHIP)))
    conforms, text = validate(path)
    assert conforms is True, text
    assert "2 named graphs" in text


def test_trig_violation_inside_a_named_graph_is_found(tmp_path):
    path = write(tmp_path, "g.trig", trig(("a", PERSON + MEMBERSHIP), ("b", "<person/x> a nkg:Person .\n")))
    conforms, text = validate(path)
    assert conforms is False
    assert "person/x" in text and "rdfs:label" in text


def test_nquads_conform_like_the_trig_they_came_from(tmp_path):
    dataset = Dataset().parse(data=trig(("a", PERSON + MEMBERSHIP + MENTION), ("b", MEMBERSHIP)), format="trig")
    path = tmp_path / "g.nq"
    dataset.serialize(path, format="nquads")
    assert validate(path)[0] is True
    bad = tmp_path / "bad.nq"
    bad.write_text(path.read_text(encoding="utf-8").replace("nif-core#anchorOf", "nif-core#isString"),
                   encoding="utf-8")
    conforms, text = validate(bad)
    assert conforms is False and "nif:anchorOf" in text


def test_jsonld_with_the_project_context_is_validated(tmp_path):
    context = json.loads((Path(__file__).parent.parent / "ontology" / "context.jsonld").read_text(encoding="utf-8"))
    statistic = {"@id": "https://w3id.org/newskg/id/statistic/s1", "@type": "Statistic",
                 "label": {"@value": "110 gian hàng", "@language": "vi"},
                 "value": {"@value": "110", "@type": "xsd:decimal"},
                 "unit": {"@value": "gian hàng", "@language": "vi"}}
    good = write(tmp_path, "good.jsonld", json.dumps(dict(context, **{"@graph": [statistic]})))
    conforms, text = validate(good)
    assert conforms is True, text
    statistic["value"] = "110"
    bad = write(tmp_path, "bad.jsonld", json.dumps(dict(context, **{"@graph": [statistic]})))
    conforms, text = validate(bad)
    assert conforms is False and "nkg:value" in text


def test_offsets_read_back_from_the_store_as_integers_conform(tmp_path):
    as_integers = VALID.replace("^^xsd:nonNegativeInteger", "^^xsd:integer")
    assert validate(write(tmp_path, "g.ttl", as_integers))[0] is True
    negative = VALID.replace('"0"^^xsd:nonNegativeInteger', '"-1"^^xsd:integer')
    conforms, text = validate(write(tmp_path, "neg.ttl", negative))
    assert conforms is False and "nif:beginIndex" in text


def test_golden_graph_conforms():
    conforms, text = validate(Path(__file__).parent / "golden" / "minimal" / "expected.trig")
    assert conforms is True, text


def test_unparsable_file_is_an_input_error_naming_it(tmp_path):
    path = write(tmp_path, "broken.ttl", PREFIXES + '<person/x> rdfs:label "unterminated .\n')
    with pytest.raises(InputError, match="broken.ttl"):
        validate(path)


def test_turtle_under_a_jsonld_suffix_is_an_input_error(tmp_path):
    path = write(tmp_path, "g.jsonld", VALID)
    with pytest.raises(InputError, match=r"g\.jsonld.*json-ld"):
        validate(path)


def test_unknown_suffix_lists_the_allowed_ones(tmp_path):
    path = write(tmp_path, "g.rdfx", VALID)
    with pytest.raises(UsageError, match=r"g\.rdfx.*\.trig"):
        validate(path)


def test_missing_file_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="absent.ttl"):
        validate(tmp_path / "absent.ttl")


def test_input_error_is_a_value_error(tmp_path):
    with pytest.raises(ValueError):
        validate(write(tmp_path, "broken.trig", "<a> { <b> "))


def test_load_graph_keeps_every_triple_once(tmp_path):
    body = '<person/x> a nkg:Person ; rdfs:label "X"@vi .\n'
    graph = load_graph(write(tmp_path, "g.trig", trig(("a", body), ("b", body))))
    assert len(graph) == 2
    assert (URIRef("https://w3id.org/newskg/id/person/x"), None, None) in graph
