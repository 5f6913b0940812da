"""Records -> quads: the golden graph of a small article, compared by isomorphism."""
from __future__ import annotations

import os
from pathlib import Path

import pyoxigraph as ox
import rdflib
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from kg.graph import build_quads, date_literal
from kg.iris import DEFAULT_BASE, article_key, key_iri
from kg.extract import extract
from kg.text.read import read_document

GOLDEN = Path(__file__).parent / "golden"


def _dataset(quads) -> rdflib.Dataset:
    ds = rdflib.Dataset()
    ds.parse(data=ox.serialize(quads, format=ox.RdfFormat.N_QUADS).decode(), format="nquads")
    return ds


def _build(case: Path):
    doc = read_document(case / "input.txt", case)
    return build_quads(extract(doc), DEFAULT_BASE, key_iri(DEFAULT_BASE, article_key(doc.path)))


def test_golden_graphs_are_isomorphic():
    for case in sorted(p for p in GOLDEN.iterdir() if p.is_dir()):
        got = _dataset(_build(case))
        expected_file = case / "expected.trig"
        if os.environ.get("KG_UPDATE_GOLDEN"):
            expected_file.write_bytes(ox.serialize(_build(case), format=ox.RdfFormat.TRIG))
        expected = rdflib.Dataset()
        expected.parse(expected_file, format="trig")
        g1, g2 = rdflib.Graph(), rdflib.Graph()
        for s, p, o, _ in got.quads():
            g1.add((s, p, o))
        for s, p, o, _ in expected.quads():
            g2.add((s, p, o))
        if not isomorphic(g1, g2):
            _, only_got, only_expected = graph_diff(to_isomorphic(g1), to_isomorphic(g2))
            raise AssertionError(f"{case.name}: graphs differ\nonly built:\n{only_got.serialize(format='nt')}"
                                 f"\nonly expected:\n{only_expected.serialize(format='nt')}")


def test_every_quad_is_in_the_article_graph():
    quads = _build(GOLDEN / "minimal")
    graphs = {q.graph_name for q in quads}
    assert len(graphs) == 1 and next(iter(graphs)).value.startswith(DEFAULT_BASE + "article/")


def test_date_literals_carry_the_partial_type():
    assert date_literal("2023-09-18").datatype.value.endswith("#date")
    assert date_literal("2023-09").datatype.value.endswith("#gYearMonth")
    assert date_literal("2023").datatype.value.endswith("#gYear")
    assert date_literal("--09-18").datatype.value.endswith("#gMonthDay")
