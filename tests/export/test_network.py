"""The RDF store -> networkx conversion, GraphML, selection and layout, on hand-made datasets."""
from __future__ import annotations

import networkx as nx
import pyoxigraph as ox
import pytest

from kg.export.layout import layout
from kg.export.network import (article_sets, core, find_nodes, search_key, neighbourhood, to_networkx, vi_number,
                               write_graphml)

ID = "https://w3id.org/newskg/id/"
PREFIXES = """
@prefix nkg: <https://w3id.org/newskg/ontology#> .
@prefix article: <https://w3id.org/newskg/id/article/> .
@prefix person: <https://w3id.org/newskg/id/person/> .
@prefix membership: <https://w3id.org/newskg/id/membership/> .
@prefix org: <https://w3id.org/newskg/id/org/> .
@prefix event: <https://w3id.org/newskg/id/event/> .
@prefix statistic: <https://w3id.org/newskg/id/statistic/> .
@prefix place: <https://w3id.org/newskg/id/place/> .
@prefix country: <https://w3id.org/newskg/id/country/> .
@prefix project: <https://w3id.org/newskg/id/project/> .
@prefix award: <https://w3id.org/newskg/id/award/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#> .
@prefix itsrdf: <http://www.w3.org/2005/11/its/rdf#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""
DATASET = PREFIXES + """
article:a1 {
  article:a1 a nkg:Article ; nkg:fileName "a1.txt" ; nkg:headline "Techfest"@vi ; nkg:author person:nhu-quynh .
  person:nhu-quynh a nkg:Person ; rdfs:label "Như Quỳnh"@vi .
  person:le-xuan-dinh a nkg:Person ; rdfs:label "Lê Xuân Định"@vi ; skos:altLabel "Định"@vi ; nkg:holds membership:m1 .
  membership:m1 a nkg:Membership ; rdfs:label "Thứ trưởng, Bộ Khoa học và Công nghệ"@vi ;
      nkg:role "Thứ trưởng"@vi ; nkg:organisation org:bkhcn .
  org:bkhcn a nkg:Organisation ; rdfs:label "Bộ Khoa học và Công nghệ"@vi ; skos:altLabel "Bộ KH&CN"@vi .
  org:so-khcn a nkg:Organisation ; rdfs:label "Sở Khoa học và Công nghệ Hải Phòng"@vi ;
      nkg:subOrganisationOf org:bkhcn ; nkg:location place:hai-phong .
  event:techfest a nkg:Event ; rdfs:label "Techfest Hải Phòng 2023"@vi ; nkg:organiser org:bkhcn ;
      nkg:speaker person:le-xuan-dinh ; nkg:participant country:vn ; nkg:location place:hai-phong ;
      nkg:startDate "2023-09-18"^^xsd:date ; nkg:endDate "2023-09-21"^^xsd:date ; nkg:statistic statistic:s1 .
  statistic:s1 a nkg:Statistic ; nkg:value 110 ; nkg:unit "gian hàng"@vi .
  place:hai-phong a nkg:Place ; rdfs:label "Hải Phòng"@vi .
  country:vn a nkg:Country, nkg:Place ; rdfs:label "Việt Nam"@vi ; owl:sameAs <http://www.wikidata.org/entity/Q881> .
}
article:a2 {
  article:a2 a nkg:Article ; nkg:fileName "a2.txt" ; nkg:headline "Trao giải"@vi .
  org:bkhcn a nkg:Organisation ; rdfs:label "Bộ Khoa học và Công nghệ"@vi .
  event:techfest a nkg:Event ; rdfs:label "Techfest Hải Phòng 2023"@vi ; nkg:organiser org:bkhcn .
  event:contest a nkg:Event ; rdfs:label "Cuộc thi khởi nghiệp"@vi ; nkg:partOf event:techfest .
  project:kikai a nkg:Project ; rdfs:label "KiKai Factory"@vi .
  award:w1 a nkg:Award ; nkg:awardedAt event:contest ; nkg:recipient project:kikai ;
      nkg:rank "giải Nhất"@vi ; nkg:amount 50000000 ; nkg:currency "VND" .
  place:lonely a nkg:Place ; rdfs:label "Cát Bà"@vi .
}
"""


def store_of(trig: str) -> ox.Store:
    store = ox.Store()
    store.load(trig.encode(), format=ox.RdfFormat.TRIG)
    return store


def mention(store: ox.Store, article: str, begin: int, end: int, entity: str) -> None:
    nif = "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#"
    g, m = ox.NamedNode(ID + article), ox.NamedNode(f"{ID}{article}#char={begin},{end}")
    store.add(ox.Quad(m, ox.NamedNode(nif + "referenceContext"), g, g))
    store.add(ox.Quad(m, ox.NamedNode("http://www.w3.org/2005/11/its/rdf#taIdentRef"), ox.NamedNode(ID + entity), g))


@pytest.fixture(scope="module")
def graph() -> nx.MultiDiGraph:
    store = store_of(DATASET)
    for begin in (0, 10, 20):
        mention(store, "article/a1", begin, begin + 4, "country/vn")
    mention(store, "article/a1", 30, 40, "person/le-xuan-dinh")
    return to_networkx(store)


def edge(graph: nx.MultiDiGraph, source: str, target: str) -> list[dict]:
    return [data for _, t, data in graph.out_edges(ID + source, data=True) if t == ID + target]


def test_entities_become_nodes_with_the_most_specific_class(graph):
    kinds = {node.removeprefix(ID): kind for node, kind in graph.nodes(data="kind")}
    assert kinds["country/vn"] == "Country"
    assert kinds["place/hai-phong"] == "Place"
    assert kinds["project/kikai"] == "Project"
    assert not any(node.startswith(("membership/", "award/", "statistic/", "article/")) for node in kinds)


def test_node_keeps_label_names_wikidata_mentions_and_article_count(graph):
    vn = graph.nodes[ID + "country/vn"]
    assert (vn["label"], vn["wikidata"], vn["mentions"], vn["articles"]) == (
        "Việt Nam", "http://www.wikidata.org/entity/Q881", 3, 1)
    assert graph.nodes[ID + "org/bkhcn"]["names"] == ["Bộ Khoa học và Công nghệ", "Bộ KH&CN"]
    assert graph.nodes[ID + "org/bkhcn"]["articles"] == 2


def test_membership_is_an_edge_person_to_organisation_labelled_with_the_role(graph):
    assert [e["label"] for e in edge(graph, "person/le-xuan-dinh", "org/bkhcn")] == ["Thứ trưởng"]
    assert graph.nodes[ID + "person/le-xuan-dinh"]["roles"] == ["Thứ trưởng, Bộ Khoa học và Công nghệ"]


def test_award_is_an_edge_event_to_recipient_labelled_with_rank_and_amount(graph):
    (award,) = edge(graph, "event/contest", "project/kikai")
    assert (award["relation"], award["label"], award["amount"]) == ("recipient", "giải Nhất (50.000.000 VND)", 50000000)
    assert graph.nodes[ID + "project/kikai"]["awards"] == ["giải Nhất (50.000.000 VND), Cuộc thi khởi nghiệp"]


def test_relations_read_in_vietnamese_from_agent_to_event(graph):
    assert [e["label"] for e in edge(graph, "org/bkhcn", "event/techfest")] == ["tổ chức"]
    assert [e["label"] for e in edge(graph, "person/le-xuan-dinh", "event/techfest")] == ["phát biểu"]
    assert [e["label"] for e in edge(graph, "country/vn", "event/techfest")] == ["tham gia"]
    assert [e["label"] for e in edge(graph, "event/techfest", "place/hai-phong")] == ["diễn ra tại"]
    assert [e["label"] for e in edge(graph, "org/so-khcn", "place/hai-phong")] == ["đặt tại"]
    assert [e["label"] for e in edge(graph, "event/contest", "event/techfest")] == ["thuộc"]
    assert [e["label"] for e in edge(graph, "org/so-khcn", "org/bkhcn")] == ["trực thuộc"]


def test_an_edge_found_in_two_articles_is_one_edge_with_both(graph):
    (organiser,) = edge(graph, "org/bkhcn", "event/techfest")
    assert organiser["articles"] == {ID + "article/a1", ID + "article/a2"}


def test_figures_dates_and_authorship_are_node_details(graph):
    techfest = graph.nodes[ID + "event/techfest"]
    assert techfest["statistics"] == ["110 gian hàng"]
    assert techfest["dates"] == {"startDate": "2023-09-18", "endDate": "2023-09-21"}
    assert graph.nodes[ID + "person/nhu-quynh"]["authored"] == [ID + "article/a1"]


def test_article_sets_lists_the_named_graphs_of_each_node():
    sets = article_sets(store_of(DATASET), [ID + "org/bkhcn", ID + "place/lonely"])
    assert sets == {ID + "org/bkhcn": {ID + "article/a1", ID + "article/a2"}, ID + "place/lonely": {ID + "article/a2"}}


def test_core_keeps_the_most_connected_nodes_first(graph):
    chosen = core(graph, 3)
    assert chosen[0] == ID + "event/techfest"
    assert len(chosen) == 3 and ID + "place/lonely" not in chosen
    assert core(graph, 100) == core(graph, 100) and len(core(graph, 100)) == graph.number_of_nodes()


def test_neighbourhood_follows_edges_both_ways_up_to_depth(graph):
    one = set(neighbourhood(graph, ID + "org/bkhcn", 1, 100))
    assert one == {ID + n for n in ("org/bkhcn", "event/techfest", "person/le-xuan-dinh", "org/so-khcn")}
    two = neighbourhood(graph, ID + "org/bkhcn", 2, 100)
    assert ID + "project/kikai" not in two and ID + "event/contest" in two and two[0] == ID + "org/bkhcn"
    assert len(neighbourhood(graph, ID + "org/bkhcn", 2, 2)) == 2


def test_find_nodes_ignores_diacritics_and_prefers_exact_names(graph):
    assert search_key("Lê Xuân Định") == "le xuan dinh"
    assert find_nodes(graph, "le xuan dinh") == [ID + "person/le-xuan-dinh"]
    assert find_nodes(graph, "bo kh&cn") == [ID + "org/bkhcn"]
    assert find_nodes(graph, "khoa học") == [ID + "org/bkhcn", ID + "org/so-khcn"]
    assert find_nodes(graph, "nowhere") == []


def test_graphml_round_trips_through_networkx(graph, tmp_path):
    graph = graph.copy()
    graph.nodes[ID + "place/lonely"]["names"] = ["Cát Bà \x0b<&>"]
    write_graphml(graph, tmp_path / "g.graphml")
    back = nx.read_graphml(tmp_path / "g.graphml", force_multigraph=True)
    assert (back.number_of_nodes(), back.number_of_edges()) == (graph.number_of_nodes(), graph.number_of_edges())
    assert back.nodes[ID + "org/bkhcn"]["names"] == "Bộ Khoa học và Công nghệ | Bộ KH&CN"
    assert back.nodes[ID + "org/bkhcn"]["articles"] == 2
    assert back.nodes[ID + "place/lonely"]["names"] == "Cát Bà <&>"
    labels = {d["label"] for _, _, d in back.edges(data=True)}
    assert {"Thứ trưởng", "giải Nhất (50.000.000 VND)", "tổ chức"} <= labels


def test_vi_number_uses_vietnamese_separators():
    assert (vi_number(50000000), vi_number(1.5), vi_number(110)) == ("50.000.000", "1,5", "110")


def test_layout_places_every_node_apart_and_deterministically(graph):
    nodes = core(graph, 100)
    positions = layout(graph, nodes)
    assert set(positions) == set(nodes)
    assert len(set(positions.values())) == len(nodes)
    assert layout(graph, nodes) == positions
