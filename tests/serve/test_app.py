"""kg serve: a real server in a subprocess, real clients (SPARQLWrapper and plain HTTP)."""
from __future__ import annotations

import csv
import io
import json
import selectors
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.serve.sparql import negotiate, uses_service

SPARQLWrapper = pytest.importorskip("SPARQLWrapper")
COMPETENCY = Path(__file__).resolve().parents[3] / "shared" / "spec" / "competency"
BASE = "https://w3id.org/newskg/id/"
NKG = "https://w3id.org/newskg/ontology#"
TIMEOUT = 2
MAX_ROWS = 100
FILLER = 300
DATA = """
@prefix nkg: <https://w3id.org/newskg/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix id: <https://w3id.org/newskg/id/> .
id:article\\/a1 {
  id:article\\/a1 a nkg:Article ; nkg:fileName "a1.txt" ; rdfs:label "Hội thảo khoa học"@vi ;
      nkg:author id:person\\/nguyen-van-an .
  id:person\\/le-xuan-dinh a nkg:Person ; rdfs:label "Lê Xuân Định"@vi ; nkg:holds id:membership\\/m1 .
  id:membership\\/m1 a nkg:Membership ; nkg:role "Thứ trưởng"@vi ; nkg:organisation id:org\\/bo-khcn .
  id:org\\/bo-khcn a nkg:Organisation ; rdfs:label "Bộ Khoa học và Công nghệ"@vi ; skos:altLabel "Bộ KH&CN"@vi .
  id:event\\/hoi-thao a nkg:Event ; rdfs:label "Hội thảo khoa học"@vi ; nkg:organiser id:org\\/bo-khcn ;
      nkg:location id:place\\/ha-noi ; nkg:startDate "2023-09-18"^^xsd:date ; nkg:speaker id:person\\/le-xuan-dinh .
  id:place\\/ha-noi a nkg:Place ; rdfs:label "Hà Nội"@vi .
  id:person\\/nguyen-van-an a nkg:Person ; rdfs:label "Nguyễn Văn An"@vi .
}
id:article\\/a2 {
  id:article\\/a2 a nkg:Article ; nkg:fileName "a2.txt" .
  id:org\\/bo-khcn a nkg:Organisation ; rdfs:label "Bộ Khoa học và Công nghệ"@vi ; nkg:location id:place\\/ha-noi ;
      owl:sameAs <http://www.wikidata.org/entity/Q10830537> .
  id:place\\/ha-noi a nkg:Place ; rdfs:label "Hà Nội"@vi .
}
"""


def make_dataset(folder: Path) -> Path:
    """A build-like folder: store/ with two article graphs and a filler graph, plus graph.html."""
    folder.mkdir(parents=True, exist_ok=True)
    store = ox.Store(str(folder / "store"))
    store.load(DATA.encode(), format=ox.RdfFormat.TRIG)
    filler = ox.NamedNode(BASE + "article/filler")
    store.bulk_extend(ox.Quad(ox.NamedNode(f"{BASE}statistic/s{i}"), ox.NamedNode(NKG + "value"),
                              ox.Literal(str(i), datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")),
                              filler) for i in range(FILLER))
    store.flush()
    del store
    (folder / "graph.html").write_text("<!doctype html><title>kg graph</title><p>the graph page", encoding="utf-8")
    return folder / "store"


def start_server(store: Path, log: Path, *extra: str) -> tuple[subprocess.Popen, str]:
    """``kg serve`` on a free loopback port; the URL is read from its first line of output."""
    args = [sys.executable, "-m", "kg", "serve", "--store", str(store), "--port", "0", "--quiet",
            "--timeout", str(TIMEOUT), "--max-rows", str(MAX_ROWS), *extra]
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=log.open("w"), text=True)
    selector = selectors.DefaultSelector()
    selector.register(proc.stdout, selectors.EVENT_READ)
    line = proc.stdout.readline() if selector.select(timeout=30) else ""
    if "http://" not in line:
        stop_server(proc)
        pytest.fail(f"kg serve did not start: {line!r} {log.read_text()}")
    return proc, line.split(" at ")[1].split()[0]


def stop_server(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(5)


@pytest.fixture(scope="module")
def dataset(tmp_path_factory) -> Path:
    return make_dataset(tmp_path_factory.mktemp("served"))


@pytest.fixture(scope="module")
def server(dataset, tmp_path_factory):
    proc, url = start_server(dataset, tmp_path_factory.mktemp("log") / "serve.log")
    yield url
    stop_server(proc)


@pytest.fixture(scope="module")
def local(dataset):
    """The same store opened directly, to compare answers with."""
    return ox.Store.read_only(str(dataset))


def get(url: str, accept: str | None = None, data: bytes | None = None, ctype: str | None = None,
        headers: dict | None = None) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, data=data, headers=headers or {})
    if accept:
        request.add_header("Accept", accept)
    if ctype:
        request.add_header("Content-Type", ctype)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def query_url(url: str, sparql: str, **params) -> str:
    return f"{url}sparql?" + urllib.parse.urlencode({"query": sparql, **params})


def rows_of(bindings: list[dict], names: list[str]) -> set[tuple]:
    return {tuple(b.get(n, {}).get("value") for n in names) for b in bindings}


def triples_of(body: bytes, fmt: ox.RdfFormat) -> set[ox.Triple]:
    return {ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(body, format=fmt)}


def local_rows(store: ox.Store, sparql: str) -> tuple[list[str], set[tuple]]:
    result = store.query(sparql, use_default_graph_as_union=True)
    names = [v.value for v in result.variables]
    return names, {tuple(None if s[n] is None else s[n].value for n in names) for s in result}


# -- queries through real clients ---------------------------------------------------------------

@pytest.mark.skipif(not COMPETENCY.is_dir(), reason="the shared competency queries (../shared/spec) are absent")
def test_competency_queries_through_sparqlwrapper_match_the_store(server, local):
    answered = 0
    for path in sorted(COMPETENCY.glob("*.rq")):
        sparql = path.read_text(encoding="utf-8")
        client = SPARQLWrapper.SPARQLWrapper(server + "sparql")
        client.setQuery(sparql)
        client.setReturnFormat(SPARQLWrapper.JSON)
        result = client.query().convert()
        names, expected = local_rows(local, sparql)
        assert result["head"]["vars"] == names, path.name
        assert rows_of(result["results"]["bindings"], names) == expected, path.name
        answered += bool(expected)
    assert answered >= 5  # entities, roles, organisers, places, dates, speakers, links have rows here


def test_own_query_through_sparqlwrapper_post_form_and_post_body(server):
    sparql = "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> SELECT DISTINCT ?l WHERE { <%sorg/bo-khcn> rdfs:label ?l }" % BASE
    for method in (SPARQLWrapper.URLENCODED, SPARQLWrapper.POSTDIRECTLY):
        client = SPARQLWrapper.SPARQLWrapper(server + "query")
        client.setMethod(SPARQLWrapper.POST)
        client.setRequestMethod(method)
        client.setQuery(sparql)
        client.setReturnFormat(SPARQLWrapper.JSON)
        bindings = client.query().convert()["results"]["bindings"]
        assert bindings == [{"l": {"type": "literal", "value": "Bộ Khoa học và Công nghệ", "xml:lang": "vi"}}]


SELECT_LABELS = "SELECT ?s ?l WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l }"


@pytest.mark.parametrize("accept, fmt", [("application/sparql-results+xml", ox.QueryResultsFormat.XML),
                                         ("text/tab-separated-values", ox.QueryResultsFormat.TSV),
                                         ("application/sparql-results+json", ox.QueryResultsFormat.JSON)])
def test_select_results_by_accept_parse_back_to_the_same_rows(server, local, accept, fmt):
    status, headers, body = get(query_url(server, SELECT_LABELS), accept)
    assert status == 200 and headers["Content-Type"].startswith(accept)
    parsed = ox.parse_query_results(body, format=fmt)
    got = {(s["s"].value, s["l"].value) for s in parsed}
    assert got == local_rows(local, SELECT_LABELS)[1]


def test_select_as_csv_has_header_and_plain_values(server, local):
    status, headers, body = get(query_url(server, SELECT_LABELS), "text/csv")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8"))))
    assert status == 200 and headers["Content-Type"].startswith("text/csv")
    assert rows[0] == ["s", "l"] and set(map(tuple, rows[1:])) == local_rows(local, SELECT_LABELS)[1]


def test_ask_answers_a_boolean(server):
    status, _, body = get(query_url(server, f"ASK {{ <{BASE}place/ha-noi> a ?t }}"), "application/sparql-results+json")
    assert status == 200 and json.loads(body)["boolean"] is True


CONSTRUCT = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{BASE}article/a2> {{ ?s ?p ?o }} }}"


@pytest.mark.parametrize("accept, fmt", [("text/turtle", ox.RdfFormat.TURTLE), ("application/ld+json", ox.RdfFormat.JSON_LD),
                                         ("application/n-triples", ox.RdfFormat.N_TRIPLES)])
def test_construct_by_accept_parses_to_the_same_triples(server, local, accept, fmt):
    status, headers, body = get(query_url(server, CONSTRUCT), accept)
    assert status == 200 and headers["Content-Type"].startswith(accept)
    assert triples_of(body, fmt) == set(local.query(CONSTRUCT)) != set()


def test_describe_answers_turtle_about_the_resource(server):
    status, _, body = get(query_url(server, f"DESCRIBE <{BASE}place/ha-noi>"), "text/turtle")
    label = ox.Triple(ox.NamedNode(BASE + "place/ha-noi"), ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"),
                      ox.Literal("Hà Nội", language="vi"))
    assert status == 200 and label in triples_of(body, ox.RdfFormat.TURTLE)


def test_browser_without_a_query_gets_a_form_and_a_tool_gets_400(server):
    status, headers, body = get(server + "sparql", "text/html")
    assert status == 200 and b"<form" in body
    status, _, body = get(server + "sparql", "application/sparql-results+json")
    assert status == 400 and b"no query" in body


def test_head_answers_headers_without_a_body(server):
    request = urllib.request.Request(server + "id/place/ha-noi", method="HEAD", headers={"Accept": "text/turtle"})
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 200 and int(response.headers["Content-Length"]) > 0 and response.read() == b""


def test_unacceptable_format_is_406(server):
    status, _, body = get(query_url(server, SELECT_LABELS), "image/png")
    assert status == 406 and b"application/sparql-results+json" in body


def test_invalid_query_is_400_with_the_parser_message(server):
    status, _, body = get(query_url(server, "SELEC ?x WHERE {}"))
    assert status == 400 and b"not valid SPARQL" in body


# -- what the server refuses or cuts ---------------------------------------------------------------

def test_update_is_refused_with_403_and_a_message(server, local):
    update = f"INSERT DATA {{ GRAPH <{BASE}article/a1> {{ <{BASE}x> <{BASE}y> <{BASE}z> }} }}"
    status, headers, body = get(server + "update", data=update.encode(), ctype="application/sparql-update")
    assert status == 403 and b"--allow-update" in body and "Access-Control-Allow-Origin" not in headers
    client = SPARQLWrapper.SPARQLWrapper(server + "sparql")
    client.setMethod(SPARQLWrapper.POST)
    client.setQuery(update)
    with pytest.raises(urllib.error.HTTPError) as refused:
        client.query()
    assert refused.value.code == 403
    assert not local.contains_named_graph(ox.NamedNode(BASE + "x")) and not list(
        local.quads_for_pattern(ox.NamedNode(BASE + "x"), None, None, None))


def test_service_is_refused_with_400(server):
    status, _, body = get(query_url(server, "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"))
    assert status == 400 and b"SERVICE" in body


def test_service_in_a_string_or_comment_is_not_refused(server):
    sparql = 'SELECT ?o WHERE { ?s ?p ?o FILTER(?o = "SERVICE <x> {}") } # SERVICE <http://example.org/>'
    assert get(query_url(server, sparql))[0] == 200


@pytest.mark.parametrize("sparql, refused", [
    ("SELECT * { SERVICE <http://x/s> { ?s ?p ?o } }", True),
    ("select * { service silent <http://x/s> { ?s ?p ?o } }", True),
    ("SELECT * { ?a ?b ?c . SERVICE?ep{ ?s ?p ?o } }", True),
    ("SELECT * { \\u0053ERVICE <http://x/s> { ?s ?p ?o } }", True),
    ("SELECT * { ?s ex:a\\# ?o . SERVICE <http://x/s> {} }", True),
    ('SELECT * { ?s ?p """SERVICE <x> { }""" }', False),
    ("SELECT * { ?s ?p 'SERVICE' }", False),
    ("SELECT * { ?s <http://x/SERVICE> ?o }", False),
    ("SELECT ?service { ?s ex:service ?service }", False),
    ("# SERVICE <http://x/s> {}\nSELECT * { ?s ?p ?o }", False),
])
def test_uses_service_ignores_strings_iris_comments_and_names(sparql, refused):
    assert uses_service(sparql) is refused


def test_time_limit_stops_a_huge_cross_join_and_the_server_keeps_answering(server):
    huge = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    started = time.monotonic()
    status, _, body = get(query_url(server, huge))
    assert status == 503 and b"time limit" in body
    assert time.monotonic() - started < TIMEOUT + 5
    assert get(query_url(server, f"ASK {{ <{BASE}place/ha-noi> ?p ?o }}"))[0] == 200


def test_row_limit_cuts_select_and_construct_and_says_so(server):
    status, headers, body = get(query_url(server, f"SELECT ?s WHERE {{ ?s <{NKG}value> ?v }}"))
    assert status == 200 and headers["X-SPARQL-MaxRows"] == str(MAX_ROWS)
    assert len(json.loads(body)["results"]["bindings"]) == MAX_ROWS < FILLER
    status, headers, body = get(query_url(server, "CONSTRUCT WHERE { ?s ?p ?o }"), "application/n-triples")
    assert headers["X-SPARQL-MaxRows"] == str(MAX_ROWS) and len(list(ox.parse(body, format=ox.RdfFormat.N_TRIPLES))) == MAX_ROWS


def test_small_answers_carry_no_row_limit_header(server):
    _, headers, _ = get(query_url(server, SELECT_LABELS))
    assert "X-SPARQL-MaxRows" not in headers


# -- entities, VoID and files ----------------------------------------------------------------------

def test_entity_page_for_browsers_links_related_entities_and_articles(server):
    status, headers, body = get(server + "id/person/le-xuan-dinh", "text/html,application/xhtml+xml,*/*;q=0.8")
    page = body.decode("utf-8")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert "<h1>Lê Xuân Định</h1>" in page and "nkg:Person" in page
    assert 'href="/id/membership/m1"' in page  # a related entity, rewritten to a local path
    assert 'href="/id/event/hoi-thao"' in page  # what points here: the event it spoke at
    assert 'href="/id/article/a1">Hội thảo khoa học</a>' in page  # the article it came from


@pytest.mark.parametrize("accept, fmt", [("text/turtle", ox.RdfFormat.TURTLE), ("application/ld+json", ox.RdfFormat.JSON_LD),
                                         ("application/n-triples", ox.RdfFormat.N_TRIPLES)])
def test_entity_by_content_negotiation(server, accept, fmt):
    status, headers, body = get(server + "id/org/bo-khcn", accept)
    triples = triples_of(body, fmt)
    org = ox.NamedNode(BASE + "org/bo-khcn")
    assert status == 200 and headers["Content-Type"].startswith(accept) and headers["Vary"] == "Accept"
    assert ox.Triple(org, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), ox.NamedNode(NKG + "Organisation")) in triples
    assert ox.Triple(ox.NamedNode(BASE + "event/hoi-thao"), ox.NamedNode(NKG + "organiser"), org) in triples


def test_entity_format_parameter_overrides_accept(server):
    status, headers, _ = get(server + "id/org/bo-khcn?format=text/turtle", "text/html")
    assert status == 200 and headers["Content-Type"].startswith("text/turtle")


def test_unknown_entity_is_404(server):
    status, _, body = get(server + "id/person/nobody", "text/turtle")
    assert status == 404 and b"nothing is known" in body


def test_void_describes_the_dataset(server, local):
    status, headers, body = get(server + ".well-known/void")
    assert status == 200 and headers["Content-Type"].startswith("text/turtle")
    store = ox.Store()
    store.load(body, format=ox.RdfFormat.TURTLE)
    row = next(iter(store.query("""PREFIX void: <http://rdfs.org/ns/void#> PREFIX dcterms: <http://purl.org/dc/terms/>
        SELECT * WHERE { ?d a void:Dataset ; void:triples ?t ; void:entities ?e ; void:classes ?c ;
                         void:sparqlEndpoint ?ep ; dcterms:license ?lic ; void:uriSpace ?space }""")))
    distinct = {(q.subject, q.predicate, q.object) for q in local}
    classes = {q.object for q in local.quads_for_pattern(None, ox.NamedNode(
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), None, None)}
    assert int(row["t"].value) == len(distinct)
    assert int(row["c"].value) == len(classes) == 6
    assert int(row["e"].value) == 8  # typed IRIs: 2 articles, 2 people, a membership, organisation, event, place
    assert row["ep"].value == server + "sparql" and row["space"].value == BASE
    assert row["lic"].value.startswith("https://")


def test_void_as_json_ld(server):
    status, _, body = get(server + ".well-known/void", "application/ld+json")
    triples = list(ox.parse(body, format=ox.RdfFormat.JSON_LD))
    assert status == 200 and any(t.predicate.value == "http://rdfs.org/ns/void#triples" for t in triples)


def test_graph_html_is_served_at_root_and_by_name(server):
    for path in ("", "graph.html"):
        status, headers, body = get(server + path)
        assert status == 200 and headers["Content-Type"].startswith("text/html") and b"kg graph" in body


def test_unknown_path_is_404_and_wrong_method_is_405(server):
    assert get(server + "nothing")[0] == 404
    status, headers, _ = get(server + "id/org/bo-khcn", data=b"x", ctype="text/plain")
    assert status == 405 and headers["Allow"] == "GET, HEAD"


def test_cors_lets_browser_tools_query_but_not_update(server):
    def preflight(path):
        request = urllib.request.Request(server + path, method="OPTIONS", headers={
            "Origin": "https://yasgui.example", "Access-Control-Request-Method": "POST"})
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers

    status, headers = preflight("sparql")
    assert status == 204 and headers["Access-Control-Allow-Origin"] == "*" and "POST" in headers["Access-Control-Allow-Methods"]
    assert "Access-Control-Allow-Origin" not in preflight("update")[1]


@pytest.mark.parametrize("accept, expected", [
    ("text/html,application/xhtml+xml,*/*;q=0.8", "text/html"),
    ("text/turtle;q=0.5, application/ld+json", "application/ld+json"),
    ("*/*", "text/html"), ("", "text/html"), ("text/*", "text/html"), ("image/png", None),
    ("text/turtle;q=0, */*", "text/html"),
])
def test_negotiate_follows_quality_and_specificity(accept, expected):
    assert negotiate(accept, ["text/html", "text/turtle", "application/ld+json"]) == expected


# -- updates when allowed, a real build, the command line ----------------------------------------------

def test_allow_update_accepts_updates_and_refuses_service_load_and_other_origins(tmp_path):
    store = make_dataset(tmp_path / "data")
    proc, url = start_server(store, tmp_path / "serve.log", "--allow-update")
    try:
        triple = f"<{BASE}person/x> <{NKG}holds> <{BASE}membership/y>"
        update = f"INSERT DATA {{ GRAPH <{BASE}article/a3> {{ {triple} }} }}"
        assert get(url + "update", data=update.encode(), ctype="application/sparql-update")[0] == 204
        _, _, body = get(query_url(url, f"ASK {{ {triple} }}"))
        assert json.loads(body)["boolean"] is True
        form = urllib.parse.urlencode({"update": f"DELETE DATA {{ GRAPH <{BASE}article/a3> {{ {triple} }} }}"}).encode()
        foreign = get(url + "update", data=form, ctype="application/x-www-form-urlencoded",
                      headers={"Origin": "https://evil.example"})
        assert foreign[0] == 403 and b"another origin" in foreign[2]
        load = get(url + "update", data=b"LOAD <http://127.0.0.1:9/x.ttl>", ctype="application/sparql-update")
        assert load[0] == 400 and b"LOAD" in load[2]
        assert get(url + "sparql", data=form, ctype="application/x-www-form-urlencoded")[0] == 204
        assert json.loads(get(query_url(url, f"ASK {{ {triple} }}"))[2])["boolean"] is False
    finally:
        stop_server(proc)


def test_serves_what_kg_build_wrote(tmp_path):
    from kg.pipeline.build import build

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "bai1.txt").write_text(
        "Hội thảo tại Hà Nội\n\nSáng 18/9, Bộ Khoa học và Công nghệ tổ chức hội thảo tại Hà Nội.\n", encoding="utf-8")
    build([tmp_path / "in"], tmp_path / "out")
    proc, url = start_server(tmp_path / "out" / "store", tmp_path / "serve.log")
    try:
        _, _, body = get(query_url(url, "SELECT ?a WHERE { ?a a <https://w3id.org/newskg/ontology#Article> }"))
        assert [b["a"]["value"] for b in json.loads(body)["results"]["bindings"]] == [BASE + "article/bai1"]
        status, _, page = get(url + "id/article/bai1", "text/html")
        assert status == 200 and "Hội thảo tại Hà Nội" in page.decode("utf-8")
        assert get(url)[0] == 200 and get(url + "graph.ttl", "text/turtle")[0] == 200
    finally:
        stop_server(proc)


def test_cli_serve_without_a_store_exits_2(tmp_path):
    result = CliRunner().invoke(main, ["serve", "--store", str(tmp_path / "missing")])
    assert result.exit_code == 2 and "no Oxigraph store" in result.output


def test_cli_serve_on_a_port_in_use_exits_2(dataset):
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        result = CliRunner().invoke(main, ["serve", "--store", str(dataset), "--port", str(taken.getsockname()[1])])
    assert result.exit_code == 2 and "pick another --port" in result.output
