"""graph.html from hand-made datasets: what the page holds, escaping, limits, focus and the CLI."""
from __future__ import annotations

import json
import random
import re
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.errors import UsageError
from kg.export import html as html_module
from kg.export.html import write_html

ID = "https://w3id.org/newskg/id/"
NKG = "https://w3id.org/newskg/ontology#"
NIF = "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
EVIL = "<script>window.kgPwned=1;alert(1)</script>"
TEXT_1 = ("Techfest mở màn\nThứ trưởng Lê Xuân Định phát biểu tại Techfest Hải Phòng 2023. "
          "Bộ Khoa học và Công nghệ tổ chức sự kiện.")
TEXT_2 = f"Tin {EVIL}\nÔng {EVIL} đến Techfest Hải Phòng 2023."


def n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri if "://" in iri else ID + iri)


def vi(text: str) -> ox.Literal:
    return ox.Literal(text, language="vi")


def article(quads: list, key: str, text: str, entities: dict[str, tuple[str, str]], facts=(), mentions=()) -> None:
    """One article's named graph: its text, typed and labelled entities, facts and NIF mentions of anchors."""
    g = n(key)
    add = lambda s, p, o: quads.append(ox.Quad(s, p, o, g))  # noqa: E731
    add(g, n(RDF_TYPE), n(NKG + "Article"))
    add(g, n(NKG + "fileName"), ox.Literal(key.split("/")[-1] + ".txt"))
    add(g, n(NKG + "headline"), vi(text.split("\n")[0]))
    add(g, n(NIF + "isString"), ox.Literal(text))
    for entity, (kind, label) in entities.items():
        add(n(entity), n(RDF_TYPE), n(NKG + kind))
        add(n(entity), n(LABEL), vi(label))
    for s, p, o in facts:
        add(s if isinstance(s, ox.NamedNode) else n(s), n(NKG + p) if ":" not in p else n(p), o)
    for anchor, entity in mentions:
        begin = text.index(anchor)
        m = n(f"{g.value}#char={begin},{begin + len(anchor)}")
        add(m, n(NIF + "referenceContext"), g)
        add(m, n(NIF + "beginIndex"), ox.Literal(str(begin), datatype=n("http://www.w3.org/2001/XMLSchema#nonNegativeInteger")))
        add(m, n(NIF + "endIndex"), ox.Literal(str(begin + len(anchor)), datatype=n("http://www.w3.org/2001/XMLSchema#nonNegativeInteger")))
        add(m, n(NIF + "anchorOf"), ox.Literal(anchor))
        add(m, n("http://www.w3.org/2005/11/its/rdf#taIdentRef"), n(entity))


def sample_quads() -> list[ox.Quad]:
    quads: list[ox.Quad] = []
    article(quads, "article/a1", TEXT_1, {
        "person/le-xuan-dinh": ("Person", "Lê Xuân Định"), "org/bkhcn": ("Organisation", "Bộ Khoa học và Công nghệ"),
        "event/techfest": ("Event", "Techfest Hải Phòng 2023"), "country/vn": ("Country", "Việt Nam"),
    }, facts=[
        ("person/le-xuan-dinh", "holds", n("membership/m1")), ("membership/m1", RDF_TYPE, n(NKG + "Membership")),
        ("membership/m1", "role", vi("Thứ trưởng")), ("membership/m1", "organisation", n("org/bkhcn")),
        ("event/techfest", "organiser", n("org/bkhcn")), ("event/techfest", "speaker", n("person/le-xuan-dinh")),
        ("country/vn", "http://www.w3.org/2002/07/owl#sameAs", n("http://www.wikidata.org/entity/Q881")),
        ("award/w1", RDF_TYPE, n(NKG + "Award")), ("award/w1", "awardedAt", n("event/techfest")),
        ("award/w1", "recipient", n("person/le-xuan-dinh")), ("award/w1", "rank", vi("giải Nhất")),
    ], mentions=[("Lê Xuân Định", "person/le-xuan-dinh"), ("Bộ Khoa học và Công nghệ", "org/bkhcn"),
                 ("Techfest Hải Phòng 2023", "event/techfest")])
    article(quads, "article/a2", TEXT_2, {
        "person/evil": ("Person", EVIL), "event/techfest": ("Event", "Techfest Hải Phòng 2023"),
    }, facts=[("event/techfest", "participant", n("person/evil"))],
        mentions=[(EVIL, "person/evil")])
    return quads


def make_store(path: Path | None = None, quads: list[ox.Quad] | None = None) -> ox.Store:
    store = ox.Store(str(path)) if path else ox.Store()
    store.extend(quads if quads is not None else sample_quads())
    return store


def page_parts(html: str) -> tuple[list[dict], list[dict], dict]:
    nodes = json.loads(re.search(r"var nodes = new vis\.DataSet\((.*)\);\n", html).group(1))
    edges = json.loads(re.search(r"var edges = new vis\.DataSet\((.*)\);\n", html).group(1))
    data = json.loads(re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', html, re.S).group(1))
    return nodes, edges, data


@pytest.fixture()
def page(tmp_path) -> tuple[str, Path]:
    path = tmp_path / "graph.html"
    write_html(make_store(), path)
    return path.read_text(encoding="utf-8"), path


def test_page_loads_nothing_from_the_network(page):
    html, _ = page
    assert not re.search(r"<script[^>]*\bsrc=", html, re.I)
    assert not re.search(r"<link[^>]*\bhref=[\"']?https?:", html, re.I)
    assert "@version 9.1.2" in html  # vis-network inlined
    assert "default-src 'none'" in html


def test_nodes_are_styled_by_class_sized_by_mentions_and_labelled(page):
    nodes, _, _ = page_parts(page[0])
    by_label = {node["label"]: node for node in nodes}
    assert set(by_label) == {"Lê Xuân Định", "Bộ Khoa học và Công nghệ", "Techfest Hải Phòng 2023", "Việt Nam", EVIL}
    assert (by_label["Lê Xuân Định"]["shape"], by_label["Lê Xuân Định"]["kind"]) == ("dot", "Person")
    assert by_label["Bộ Khoa học và Công nghệ"]["shape"] == "square"
    assert by_label["Việt Nam"]["shape"] == "triangle"
    assert by_label["Techfest Hải Phòng 2023"]["value"] == 1 and by_label["Việt Nam"]["value"] == 1


def test_edges_carry_relations_in_words(page):
    nodes, edges, _ = page_parts(page[0])
    label = {node["id"]: node["label"] for node in nodes}
    drawn = {(label[e["from"]], e["label"], label[e["to"]]) for e in edges}
    assert drawn == {
        ("Lê Xuân Định", "Thứ trưởng", "Bộ Khoa học và Công nghệ"),
        ("Bộ Khoa học và Công nghệ", "tổ chức", "Techfest Hải Phòng 2023"),
        ("Lê Xuân Định", "phát biểu", "Techfest Hải Phòng 2023"),
        ("Techfest Hải Phòng 2023", "giải Nhất", "Lê Xuân Định"),
        (EVIL, "tham gia", "Techfest Hải Phòng 2023"),
    }


def test_details_give_roles_wikidata_and_the_sentences_with_their_article(page):
    nodes, _, data = page_parts(page[0])
    ids = {node["label"]: node["id"] for node in nodes}
    dinh = data["details"][ids["Lê Xuân Định"]]
    assert dinh["roles"] == ["Thứ trưởng, Bộ Khoa học và Công nghệ"]
    assert dinh["awards"] == ["giải Nhất, Techfest Hải Phòng 2023"]
    ((art, before, anchor, after),) = dinh["sentences"]
    assert (before, anchor, after) == ("Thứ trưởng ", "Lê Xuân Định", " phát biểu tại Techfest Hải Phòng 2023.")
    assert data["articles"][art] == ["Techfest mở màn", "a1.txt"]
    assert data["details"][ids["Việt Nam"]]["wikidata"] == "http://www.wikidata.org/entity/Q881"
    techfest = nodes[ids["Techfest Hải Phòng 2023"]]
    assert len(techfest["arts"]) == 2 and len(nodes[ids["Việt Nam"]]["arts"]) == 1


def test_search_keys_drop_diacritics(page):
    nodes, _, _ = page_parts(page[0])
    assert "le xuan dinh" in {node["search"] for node in nodes}


def test_article_text_cannot_break_out_of_the_script(page):
    html, _ = page
    assert "<script>window.kgPwned" not in html
    assert html.count("</script>") == 3  # vis-network, the data, the app: no closing tag from the payload
    nodes, _, data = page_parts(html)
    evil = next(node for node in nodes if node["kind"] == "Person" and "kgPwned" in node["label"])
    assert evil["label"] == EVIL
    assert data["details"][evil["id"]]["sentences"][0][2] == EVIL


def test_graphml_is_written_beside_the_page(page):
    _, path = page
    graph = nx.read_graphml(path.with_suffix(".graphml"), force_multigraph=True)
    assert graph.number_of_nodes() == 5 and graph.number_of_edges() == 5


def test_limit_keeps_the_most_connected_and_says_what_is_left_out(tmp_path, monkeypatch):
    monkeypatch.setattr(html_module, "PHYSICS_LIMIT", 2)
    report = write_html(make_store(), tmp_path / "g.html", limit=3)
    html = (tmp_path / "g.html").read_text(encoding="utf-8")
    nodes, edges, _ = page_parts(html)
    assert (report.nodes, report.entities, len(nodes)) == (3, 5, 3)
    assert {node["label"] for node in nodes} == {"Lê Xuân Định", "Techfest Hải Phòng 2023", "Bộ Khoa học và Công nghệ"}
    assert "Showing 3 of 5 entities, the most connected" in html and "kg html --focus" in html
    assert all("x" in node and "y" in node for node in nodes)  # laid out in Python, physics off
    assert '"physics": {"enabled": false' in html
    assert nx.read_graphml(tmp_path / "g.graphml").number_of_nodes() == 5


def test_page_and_graphml_do_not_depend_on_load_order(tmp_path):
    quads = sample_quads()
    random.Random(3).shuffle(quads)
    write_html(make_store(), tmp_path / "one.html")
    write_html(make_store(quads=quads), tmp_path / "two.html")
    for name in ("one", "two"):
        assert (tmp_path / f"{name}.html").stat().st_size > 0
    assert (tmp_path / "one.html").read_bytes() == (tmp_path / "two.html").read_bytes()
    assert (tmp_path / "one.graphml").read_bytes() == (tmp_path / "two.graphml").read_bytes()


def test_focus_shows_the_neighbourhood_of_a_name(tmp_path):
    report = write_html(make_store(), tmp_path / "f.html", focus="viet nam", depth=1)
    nodes, _, _ = page_parts((tmp_path / "f.html").read_text(encoding="utf-8"))
    assert [node["label"] for node in nodes] == ["Việt Nam"] and report.nodes == 1
    write_html(make_store(), tmp_path / "f.html", focus="bo khoa hoc va cong nghe", depth=1)
    nodes, _, _ = page_parts((tmp_path / "f.html").read_text(encoding="utf-8"))
    assert {node["label"] for node in nodes} == {"Bộ Khoa học và Công nghệ", "Lê Xuân Định", "Techfest Hải Phòng 2023"}


def test_focus_on_an_unknown_name_is_a_usage_error(tmp_path):
    with pytest.raises(UsageError, match="no entity named 'Atlantis'"):
        write_html(make_store(), tmp_path / "f.html", focus="Atlantis")


def test_cli_html_writes_a_focus_page_from_a_store_folder(tmp_path):
    store = make_store(tmp_path / "store")
    store.flush()
    del store
    result = CliRunner().invoke(main, ["html", "--store", str(tmp_path / "store"), "--focus", "Lê Xuân Định"])
    assert result.exit_code == 0, result.output
    assert "4 of 5 entities" in result.output
    assert (tmp_path / "graph-le-xuan-dinh.html").is_file() and (tmp_path / "graph-le-xuan-dinh.graphml").is_file()


def test_cli_html_without_a_store_exits_2(tmp_path):
    result = CliRunner().invoke(main, ["html", "--store", str(tmp_path / "missing")])
    assert result.exit_code == 2
    assert "no Oxigraph store" in result.output


def test_seed_article_page_shows_every_entity(tmp_path):
    """The seed through extraction and the store to the page (the other exports are not needed here)."""
    from kg.pipeline.articles import process_article
    from kg.store.load import load_store
    from kg.iris import DEFAULT_BASE

    seed = sorted((Path(__file__).parents[2] / "seeds").glob("*.txt"))[0]
    result = process_article((str(seed), str(seed.parent), DEFAULT_BASE))
    assert not result.error
    (tmp_path / "seed.nq").write_bytes(result.nquads)
    (tmp_path / "seed.nt").write_bytes(result.ntriples)
    store = load_store(tmp_path / "seed.nq", tmp_path / "seed.nt", tmp_path / "store")
    report = write_html(store, tmp_path / "graph.html")
    if report.entities == 0:
        pytest.skip("the extractors found no entities in the seed article")
    nodes, edges, data = page_parts((tmp_path / "graph.html").read_text(encoding="utf-8"))
    assert len(nodes) == report.entities and len(edges) == report.edges
    assert data["articles"][0][1] == seed.name
    assert any(detail["sentences"] for detail in data["details"])
