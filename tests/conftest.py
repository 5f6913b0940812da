"""What the robustness tests share: a built seed, the outputs of a build read by two
RDF parsers (pyoxigraph and raptor's ``rapper``), SHACL, and the NIF offset check.

``Outputs(folder)`` reads one build folder; each reading is done once and kept.
"""
from __future__ import annotations

import json
import shutil
import subprocess
import unicodedata
from functools import cached_property
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kg.pipeline.build import build
from kg.cli import main

ROOT = Path(__file__).parent.parent
SEEDS = ROOT / "seeds"
NIF = "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#"
RDFS_LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
SKOS_ALT = ox.NamedNode("http://www.w3.org/2004/02/skos/core#altLabel")
XSD = "http://www.w3.org/2001/XMLSchema#"
XSD_INTEGER = ox.NamedNode(XSD + "integer")
INTEGER_TYPES = {XSD + name for name in (
    "nonNegativeInteger", "positiveInteger", "nonPositiveInteger", "negativeInteger", "long", "int", "short",
    "byte", "unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte")}
FORMATS = {  # file -> (rapper's name, pyoxigraph's format)
    "graph.ttl": ("turtle", ox.RdfFormat.TURTLE),
    "graph.trig": ("trig", ox.RdfFormat.TRIG),
    "graph.nq": ("nquads", ox.RdfFormat.N_QUADS),
}
HAS_RAPPER = shutil.which("rapper") is not None
NEEDS_RAPPER = pytest.mark.skipif(not HAS_RAPPER,
                                  reason="rapper is missing: apt-get install -y raptor2-utils")
ANCHORS = f"""
SELECT ?m ?text ?begin ?end ?anchor ?length WHERE {{ GRAPH ?g {{
  ?m <{NIF}referenceContext> ?a ; <{NIF}beginIndex> ?begin ; <{NIF}endIndex> ?end ; <{NIF}anchorOf> ?anchor .
  ?a <{NIF}isString> ?text ; <{NIF}endIndex> ?length .
}} }}"""


def pytest_configure(config) -> None:
    config.addinivalue_line("markers", "slow: takes more than a few seconds; still part of the default run")
    config.addinivalue_line("markers", "load: a load test of kg serve (about 30 s); deselect with -m 'not load'")


def pytest_terminal_summary(terminalreporter) -> None:
    """Print what tests recorded with ``record_property`` (the load test's figures), even under -q."""
    reports = [r for key in ("passed", "failed") for r in terminalreporter.stats.get(key, [])
               if r.when == "call" and r.user_properties]
    if reports:
        terminalreporter.section("recorded figures")
    for report in reports:
        terminalreporter.write_line(f"{report.nodeid}: " + ", ".join(f"{k}={v}" for k, v in report.user_properties))


def cli_build(*args: str):
    """``kg build ARGS`` through CliRunner; the result has exit_code, stdout and stderr."""
    return CliRunner().invoke(main, ["build", "--quiet", *map(str, args)])


def expected_text(source: str) -> str:
    """The document text the contract promises for a file holding ``source``: BOM dropped,
    newlines ``\\n``, NFC; and kg's own rules: U+FFFE and U+FFFF become U+FFFD, NUL a space."""
    text = source.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFC", text)
    return text.replace("\ufffe", "\ufffd").replace("\uffff", "\ufffd").replace("\x00", " ")


def nul_heavy(data: bytes) -> bool:
    """Whether kg refuses these bytes as binary: more than one NUL in eight among the first 4096."""
    sample = data[:4096]
    return not sample.startswith((b"\xff\xfe", b"\xfe\xff")) and sample.count(0) > len(sample) // 8


def triples(quads) -> set[ox.Triple]:
    return {ox.Triple(q.subject, q.predicate, q.object) for q in quads}


def as_stored(quads) -> set[ox.Quad]:
    """The quads as Oxigraph keeps them: it types every integer (``xsd:nonNegativeInteger``
    included) ``xsd:integer``, in the store and in every export read from it."""
    return {ox.Quad(q.subject, q.predicate, _stored(q.object), q.graph_name) for q in quads}


def _stored(term):
    if isinstance(term, ox.Literal) and term.datatype.value in INTEGER_TYPES:
        return ox.Literal(term.value, datatype=XSD_INTEGER)
    return term


def named_graph_violations(trig: Path) -> list[str]:
    """SHACL reports of the named graphs of ``trig`` that do not conform, each checked alone."""
    from rdflib import Dataset, Graph

    from kg.validate import validate_graph

    dataset = Dataset()
    dataset.parse(trig, format="trig")
    reports = []
    for named in dataset.graphs():
        graph = Graph()
        for triple in named:
            graph.add(triple)
        conforms, report = validate_graph(graph)
        if not conforms:
            reports.append(f"{named.identifier}: {report}")
    return reports


def rapper_quads(path: Path) -> set[ox.Quad]:
    """Parse ``path`` with raptor (a C parser independent of pyoxigraph); fail on any error."""
    syntax = FORMATS[path.name][0]
    done = subprocess.run(["rapper", "--quiet", "-i", syntax, "-o", "nquads", str(path)],
                          capture_output=True, timeout=300)
    assert done.returncode == 0 and not done.stderr, f"rapper cannot read {path}: {done.stderr.decode()[:2000]}"
    return set(ox.parse(done.stdout, format=ox.RdfFormat.N_QUADS))


def nif_errors(store: ox.Store) -> list[str]:
    """Mentions whose ``nif:anchorOf`` is not the article text between their offsets."""
    wrong = []
    for row in store.query(ANCHORS):
        begin, end = int(row["begin"].value), int(row["end"].value)
        text = row["text"].value
        if not (0 <= begin < end <= int(row["length"].value) == len(text)) or text[begin:end] != row["anchor"].value:
            wrong.append(f"{row['m'].value}: {row['anchor'].value!r} != {text[begin:end]!r}")
    return wrong


class Outputs:
    """The files of one build folder, each read once."""

    def __init__(self, folder: Path):
        self.folder = folder
        self._parsed: dict[str, set[ox.Quad]] = {}

    def quads(self, name: str) -> set[ox.Quad]:
        """pyoxigraph's reading of ``graph.ttl``, ``graph.trig`` or ``graph.nq``."""
        if name not in self._parsed:
            self._parsed[name] = set(ox.parse(path=str(self.folder / name), format=FORMATS[name][1]))
        return self._parsed[name]

    @cached_property
    def store(self) -> ox.Store:
        return ox.Store.read_only(str(self.folder / "store"))

    @cached_property
    def store_quads(self) -> set[ox.Quad]:
        """The article graphs in the store (its default graph holds their union: ``store_union``)."""
        return {q for q in self.store.quads_for_pattern(None, None, None, None)
                if not isinstance(q.graph_name, ox.DefaultGraph)}

    @cached_property
    def store_union(self) -> set[ox.Triple]:
        return {q.triple for q in self.store.quads_for_pattern(None, None, None, ox.DefaultGraph())}

    @cached_property
    def jsonld_triples(self) -> set[ox.Triple]:
        """graph.jsonld expanded and turned into RDF by pyld (a third, independent reader)."""
        from pyld import jsonld

        document = json.loads((self.folder / "graph.jsonld").read_text(encoding="utf-8"))
        nquads = jsonld.to_rdf(document, {"format": "application/n-quads"})
        return triples(ox.parse(nquads.encode(), format=ox.RdfFormat.N_QUADS))


def union_mismatches(trig: set[ox.Quad], ttl: set[ox.Quad]) -> list[str]:
    """How graph.ttl differs from the union of graph.trig's named graphs.

    The union keeps one ``rdfs:label`` per language and turns the others into
    ``skos:altLabel``; any other difference is an error.
    """
    named, union = triples(trig), triples(ttl)
    problems = [f"only in graph.ttl: {t}" for t in union - named
                if not (t.predicate == SKOS_ALT and ox.Triple(t.subject, RDFS_LABEL, t.object) in named)]
    problems += [f"only in graph.trig: {t}" for t in named - union
                 if not (t.predicate == RDFS_LABEL and ox.Triple(t.subject, SKOS_ALT, t.object) in union)]
    return problems


@pytest.fixture(scope="session")
def seed_out(tmp_path_factory) -> Outputs:
    """The seed article built once, through the library."""
    out = tmp_path_factory.mktemp("seed") / "out"
    report = build([SEEDS], out)
    assert report.articles == 1 and not report.failed, report.failed
    return Outputs(out)
