"""kg push: into a real `oxigraph serve`, and against small stub servers for retries and refusals."""
from __future__ import annotations

import base64
import hashlib
import json
import shutil
import socket
import subprocess
import threading
import time
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.errors import UsageError
from kg.push import PushError, graph_store_url, push

BASE = "https://w3id.org/newskg/id/"
A1, A2 = BASE + "article/a1", BASE + "article/a2"
DATA = f"""
<{A1}> {{ <{A1}> a <https://w3id.org/newskg/ontology#Article> .
          <{BASE}person/le-xuan-dinh> <http://www.w3.org/2000/01/rdf-schema#label> "Lê Xuân Định"@vi .
          <{BASE}person/le-xuan-dinh> a <https://w3id.org/newskg/ontology#Person> . }}
<{A2}> {{ <{A2}> a <https://w3id.org/newskg/ontology#Article> .
          <{BASE}place/ha-noi> <http://www.w3.org/2000/01/rdf-schema#label> "Hà Nội"@vi . }}
"""
OXIGRAPH = shutil.which("oxigraph")
needs_oxigraph = pytest.mark.skipif(OXIGRAPH is None, reason="the `oxigraph` server is not installed (pip install oxigraph)")


@pytest.fixture
def store_dir(tmp_path) -> Path:
    store = ox.Store(str(tmp_path / "store"))
    store.load(DATA.encode(), format=ox.RdfFormat.TRIG)
    store.flush()
    del store
    return tmp_path / "store"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def oxigraph_server(tmp_path):
    port = free_port()
    log = (tmp_path / "oxigraph.log").open("w")
    proc = subprocess.Popen([OXIGRAPH, "serve", "--location", str(tmp_path / "remote"), "--bind", f"127.0.0.1:{port}"],
                            stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 15
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail(f"oxigraph serve did not start: {(tmp_path / 'oxigraph.log').read_text()}")
            time.sleep(0.1)
    yield url
    proc.terminate()
    proc.wait(10)


def remote_rows(url: str, sparql: str) -> list[dict]:
    request = urllib.request.Request(f"{url}/query?" + urllib.parse.urlencode({"query": sparql}),
                                     headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())["results"]["bindings"]


def graph_counts(url: str) -> dict[str, int]:
    rows = remote_rows(url, "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    return {r["g"]["value"]: int(r["n"]["value"]) for r in rows}


# -- into a real server ------------------------------------------------------------------------------

@needs_oxigraph
def test_push_puts_each_article_graph_into_oxigraph(store_dir, oxigraph_server):
    report = push(store_dir, oxigraph_server + "/store")
    assert (report.graphs, report.triples, report.failed) == (2, 5, [])
    assert graph_counts(oxigraph_server) == {A1: 3, A2: 2}
    rows = remote_rows(oxigraph_server, f"SELECT ?l WHERE {{ GRAPH <{A1}> {{ <{BASE}person/le-xuan-dinh> ?p ?l FILTER(isLiteral(?l)) }} }}")
    assert rows == [{"l": {"type": "literal", "value": "Lê Xuân Định", "xml:lang": "vi"}}]


@needs_oxigraph
def test_push_replaces_what_the_graph_held_before(store_dir, oxigraph_server):
    stale = f"<{BASE}person/old> <http://www.w3.org/2000/01/rdf-schema#label> \"cũ\"@vi ."
    request = urllib.request.Request(f"{oxigraph_server}/store?graph={urllib.parse.quote(A1, safe='')}",
                                     data=stale.encode(), method="POST", headers={"Content-Type": "application/n-triples"})
    urllib.request.urlopen(request, timeout=10).close()
    assert graph_counts(oxigraph_server)[A1] == 1
    push(store_dir, oxigraph_server + "/store", fmt="turtle")
    push(store_dir, oxigraph_server + "/store")  # twice: still no duplicates, nothing stale
    assert graph_counts(oxigraph_server) == {A1: 3, A2: 2}
    assert remote_rows(oxigraph_server, f"SELECT * WHERE {{ GRAPH ?g {{ <{BASE}person/old> ?p ?o }} }}") == []


@needs_oxigraph
def test_cli_push_finds_the_graph_store_beside_the_endpoint(store_dir, oxigraph_server):
    result = CliRunner().invoke(main, ["push", "--endpoint", oxigraph_server + "/query", "--store", str(store_dir), "-q"])
    assert result.exit_code == 0, result.output
    assert f"pushed 2 graph(s), 5 triples to {oxigraph_server}/store" in result.output
    assert sum(graph_counts(oxigraph_server).values()) == 5


# -- retries and refusals, against stub servers ------------------------------------------------------

NONCE = "6e1df3edb51389debbe9648a9edd9baa"


def digest_ok(header: str | None, credentials: tuple[str, str]) -> bool:
    """Checks an RFC 2617 digest answer (MD5, qop=auth) for a PUT, as Virtuoso would."""
    if not header or not header.startswith("Digest "):
        return False
    fields = urllib.request.parse_keqv_list(urllib.request.parse_http_list(header[len("Digest "):]))
    md5 = lambda text: hashlib.md5(text.encode()).hexdigest()  # noqa: E731
    ha1 = md5(f"{credentials[0]}:SPARQL:{credentials[1]}")
    ha2 = md5(f"PUT:{fields['uri']}")
    expected = md5(f"{ha1}:{NONCE}:{fields['nc']}:{fields['cnonce']}:auth:{ha2}")
    return fields["username"] == credentials[0] and fields["response"] == expected


class Stub:
    """A graph store that answers PUTs with the scripted statuses (the last one repeats)."""

    def __init__(self, statuses: list[int], require: str = "", digest: tuple[str, str] | None = None):
        self.statuses, self.require, self.digest, self.seen = list(statuses), require, digest, []
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def do_PUT(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                auth = self.headers.get("Authorization")
                stub.seen.append((self.path, auth, self.headers["Content-Type"], body))
                if (stub.require and auth != stub.require) or (stub.digest and not digest_ok(auth, stub.digest)):
                    status = 401
                else:
                    status = stub.statuses.pop(0) if len(stub.statuses) > 1 else stub.statuses[0]
                self.send_response(status)
                if status == 401:
                    self.send_header("WWW-Authenticate", f'Digest realm="SPARQL", nonce="{NONCE}", qop="auth", algorithm="MD5"'
                                     if stub.digest else 'Basic realm="kg"')
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/gsp"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def stub():
    made = []

    def make(statuses, require="", digest=None):
        made.append(Stub(statuses, require, digest))
        return made[-1]

    yield make
    for s in made:
        s.close()


def test_server_errors_are_retried_with_exponential_backoff(store_dir, stub):
    server, delays = stub([503, 502, 204]), []
    report = push(store_dir, server.url, sleep=delays.append)
    assert (report.graphs, report.retries, report.failed) == (2, 2, [])
    assert delays == [0.5, 1.0]
    graphs = [urllib.parse.parse_qs(urllib.parse.urlsplit(path).query)["graph"][0] for path, *_ in server.seen]
    assert graphs == [A1, A1, A1, A2]
    assert server.seen[0][2] == "application/n-triples" and "Lê Xuân Định".encode() in server.seen[0][3]


def test_retries_are_bounded_and_failures_reported(store_dir, stub):
    server, delays = stub([500]), []
    report = push(store_dir, server.url, retries=3, sleep=delays.append)
    assert report.graphs == 0 and [g for g, _ in report.failed] == [A1, A2]
    assert "HTTP 500" in report.failed[0][1] and report.summary().endswith("2 failed")
    assert len(server.seen) == 2 * 4 and delays == [0.5, 1.0, 2.0] * 2


def test_unauthorised_push_stops_at_once_and_names_the_fix(store_dir, stub):
    server = stub([401])
    with pytest.raises(PushError, match="--user"):
        push(store_dir, server.url, sleep=lambda s: None)
    assert len(server.seen) == 1


def test_basic_credentials_answer_the_challenge(store_dir, stub):
    expected = "Basic " + base64.b64encode(b"admin:secret").decode()
    server = stub([204], require=expected)
    report = push(store_dir, server.url, user="admin", password="secret", sleep=lambda s: None)
    assert report.graphs == 2 and [auth for _, auth, *_ in server.seen] == [None, expected, expected]  # then up front


def test_digest_credentials_answer_the_challenge_as_virtuoso_asks(store_dir, stub):
    server = stub([201], digest=("dba", "secret"))
    report = push(store_dir, server.url, user="dba", password="secret", sleep=lambda s: None)
    assert report.graphs == 2 and all(auth.startswith("Digest ") for _, auth, *_ in server.seen if auth)
    assert not any((auth or "").startswith("Basic") for _, auth, *_ in server.seen)  # never the password in clear
    with pytest.raises(PushError, match="refused the credentials"):
        push(store_dir, server.url, user="dba", password="wrong", sleep=lambda s: None)


def test_bearer_token_is_sent(store_dir, stub):
    server = stub([204])
    push(store_dir, server.url, token="t0ken")
    assert {auth for _, auth, *_ in server.seen} == {"Bearer t0ken"}


def test_unreachable_server_stops_without_waiting_for_every_graph(store_dir):
    delays = []
    with pytest.raises(PushError, match="cannot reach"):
        push(store_dir, f"http://127.0.0.1:{free_port()}/store", retries=2, sleep=delays.append)
    assert delays == [0.5, 1.0]


@pytest.mark.parametrize("endpoint, expected", [
    ("http://localhost:3030/ds/sparql", "http://localhost:3030/ds/data"),
    ("http://localhost:3030/ds/query", "http://localhost:3030/ds/data"),
    ("http://localhost:7200/repositories/news", "http://localhost:7200/repositories/news/rdf-graphs/service"),
    ("http://localhost:7878/query", "http://localhost:7878/store"),
    ("http://localhost:8890/sparql", "http://localhost:8890/sparql-graph-crud"),
])
def test_graph_store_url_of_known_servers(endpoint, expected):
    assert graph_store_url(endpoint) == expected


def test_graph_store_url_of_virtuoso_with_credentials_uses_the_auth_endpoint():
    assert graph_store_url("http://localhost:8890/sparql", authenticated=True) == "http://localhost:8890/sparql-graph-crud-auth"


def test_graph_store_url_unknown_asks_for_graph_store():
    with pytest.raises(UsageError, match="--graph-store"):
        graph_store_url("http://localhost:7001/")


def test_cli_push_without_a_target_exits_2(store_dir):
    result = CliRunner().invoke(main, ["push", "--store", str(store_dir)])
    assert result.exit_code == 2 and "--endpoint" in result.output
