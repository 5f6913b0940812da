"""The on-disk store: load, open, query; a missing store and a bad query are usage errors."""
from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.errors import StoreError, UsageError
from kg.store.load import holds_union, load_store, open_store
from kg.store.query import run_query

NKG = "https://w3id.org/newskg/ontology#"
A, B = "https://w3id.org/newskg/id/article/a", "https://w3id.org/newskg/id/article/b"
PERSON = "https://w3id.org/newskg/id/person/an"


@pytest.fixture
def store_dir(tmp_path) -> Path:
    label = ox.Literal("An", language="vi")
    quads = [ox.Quad(ox.NamedNode(PERSON), ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"), label,
                     ox.NamedNode(g)) for g in (A, B)]
    (tmp_path / "graph.nq").write_bytes(ox.serialize(quads, format=ox.RdfFormat.N_QUADS))
    (tmp_path / "union.nt").write_bytes(ox.serialize([quads[0].triple], format=ox.RdfFormat.N_TRIPLES))
    load_store(tmp_path / "graph.nq", tmp_path / "union.nt", tmp_path / "store")
    return tmp_path / "store"


def test_loaded_store_holds_each_graph_and_their_union(store_dir):
    store = open_store(store_dir)
    assert sorted(g.value for g in store.named_graphs()) == [A, B]
    assert holds_union(store)


def test_queries_read_the_union_in_each_format(store_dir):
    sparql = "SELECT ?label WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?label }"
    assert run_query(store_dir, sparql).endswith("(1 row)\n")
    assert run_query(store_dir, sparql, "csv") == "label\nAn\n"
    assert json.loads(run_query(store_dir, sparql, "json")) == [{"label": "An"}]
    assert run_query(store_dir, "ASK { ?s ?p ?o }") == "True\n"


def test_missing_store_and_bad_query_are_usage_errors(store_dir, tmp_path):
    with pytest.raises(StoreError, match="no Oxigraph store"):
        open_store(tmp_path / "missing")
    with pytest.raises(UsageError, match="not valid SPARQL"):
        run_query(store_dir, "SELECT WHERE")
