"""The RDF store -> a networkx MultiDiGraph of named entities, and GraphML for Gephi.

Nodes are the entities (Person, Organisation, Event, Country, Place, Project),
keyed by IRI. What RDF spells with an intermediate node becomes an edge or a
node attribute: a membership is an edge person -> organisation labelled with the
role, an award an edge event -> recipient labelled with the rank, a figure a
line in the subject's ``statistics``. Every edge runs in the reading direction
of its Vietnamese label ("Bộ Khoa học và Công nghệ" -tổ chức-> "Techfest") and
names the nkg property it comes from in ``relation``. Each node counts the articles
(named graphs) it was found in (``article_sets`` lists them), each edge keeps
the set of them.

All reads are SPARQL queries that return one row per fact and graph, so a corpus
of millions of quads converts in seconds.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

import networkx as nx
import pyoxigraph as ox

from ..records import ENTITY_KINDS
from ..vocab import ITSRDF_IRI, NKG_IRI, OWL, RDF_TYPE, RDFS, SKOS, WD_IRI
from ..store.load import union_options

CLASSES = ENTITY_KINDS  # most specific first
RELATION_WORDS = {  # nkg property -> (label, edge runs from the RDF object to its subject)
    "organiser": ("tổ chức", True),
    "participant": ("tham gia", True),
    "speaker": ("phát biểu", True),
    "location": ("diễn ra tại", False),
    "partOf": ("thuộc", False),
    "subOrganisationOf": ("trực thuộc", False),
}
_TYPE = RDF_TYPE
_PREFIXES = f"""PREFIX nkg: <{NKG_IRI}>
PREFIX rdfs: <{RDFS}>
PREFIX skos: <{SKOS}>
PREFIX owl: <{OWL}>
PREFIX itsrdf: <{ITSRDF_IRI}>
"""
_CLASS_VALUES = " ".join(f"nkg:{name}" for name in CLASSES)
Q_KIND = "SELECT ?e (COUNT(DISTINCT ?g) AS ?n) WHERE {{ GRAPH ?g {{ ?e a nkg:{kind} }} }} GROUP BY ?e"
Q_NAMES = "SELECT DISTINCT ?e ?p ?n WHERE { ?e ?p ?n VALUES ?p { rdfs:label skos:altLabel owl:sameAs } }"
Q_MENTIONS = "SELECT ?e (COUNT(?m) AS ?n) WHERE { ?m itsrdf:taIdentRef ?e } GROUP BY ?e"
Q_RELATIONS = ("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o VALUES ?p { "
               + " ".join(f"nkg:{p}" for p in RELATION_WORDS) + " } } }")
Q_MEMBERSHIPS = """SELECT ?person ?role ?rl ?org ?g WHERE { GRAPH ?g {
  ?person nkg:holds ?m . ?m nkg:role ?role ; nkg:organisation ?org . OPTIONAL { ?role rdfs:label ?rl } } }"""
Q_AWARDS = """SELECT ?award ?event ?who ?rank ?amount ?currency ?g WHERE { GRAPH ?g {
  ?award a nkg:Award ; nkg:recipient ?who . OPTIONAL { ?award nkg:awardedAt ?event }
  OPTIONAL { ?award nkg:rank ?rank } OPTIONAL { ?award nkg:amount ?amount }
  OPTIONAL { ?award nkg:currency ?currency } } }"""
Q_FIGURES = """SELECT DISTINCT ?s ?value ?unit WHERE {
  ?s nkg:statistic ?st . ?st nkg:value ?value . OPTIONAL { ?st nkg:unit ?unit } }"""
Q_DATES = "SELECT DISTINCT ?e ?p ?d WHERE { ?e ?p ?d VALUES ?p { nkg:startDate nkg:endDate } }"
Q_AUTHORS = "SELECT DISTINCT ?a ?person WHERE { ?a nkg:author ?person }"


def search_key(text: str) -> str:
    """Lower case without diacritics, for search.

    >>> search_key("Lê Xuân Định")
    'le xuan dinh'
    """
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in text if not unicodedata.combining(c)).lower()


def _rows(store: ox.Store, query: str) -> Iterable[ox.QuerySolution]:
    return store.query(_PREFIXES + query, **union_options(store))


def _local(term: ox.NamedNode) -> str:
    return term.value.rsplit("#", 1)[-1]


def vi_number(value: int | float) -> str:
    """A number as Vietnamese writes it: ``50.000.000``, ``1,5``."""
    return f"{value:,}".translate(str.maketrans(",.", ".,"))


def _number(term: ox.Literal | None) -> int | float | None:
    if term is None:
        return None
    value = float(term.value)
    return int(value) if value.is_integer() else value


def to_networkx(store: ox.Store) -> nx.MultiDiGraph:
    """Every entity of the store and the relations between them.

    >>> graph = to_networkx(open_store(Path("exports/store")))  # doctest: +SKIP
    >>> graph.nodes["https://w3id.org/newskg/id/person/le-xuan-dinh"]["roles"]  # doctest: +SKIP
    ['Thứ trưởng, Bộ Khoa học và Công nghệ']
    """
    nodes = _entities(store)
    _add_names(nodes, store)
    for e, n in _rows(store, Q_MENTIONS):
        if e.value in nodes:
            nodes[e.value]["mentions"] = int(n.value)
    _add_details(nodes, store)
    edges: dict[tuple[str, str, str], dict] = {}
    for s, p, o, g in _rows(store, Q_RELATIONS):
        relation = _local(p)
        label, inverse = RELATION_WORDS[relation]
        if relation == "location" and nodes.get(s.value, {}).get("kind") != "Event":
            label = "đặt tại"
        source, target = (o, s) if inverse else (s, o)
        _add_edge(nodes, edges, source.value, target.value, relation, label, g.value)
    _add_memberships(nodes, edges, store)
    _add_awards(nodes, edges, store)
    for data in nodes.values():  # the store's row order is not the same for the same facts loaded in another order
        data["roles"].sort()
        data["awards"].sort()
    graph = nx.MultiDiGraph()
    graph.add_nodes_from(nodes.items())
    graph.add_edges_from((s, t, k, edges[s, t, k]) for s, t, k in sorted(edges))
    return graph


def _entities(store: ox.Store) -> dict[str, dict]:
    nodes: dict[str, dict] = {}
    for kind in CLASSES:  # most specific first: a country is also typed Place
        for e, n in _rows(store, Q_KIND.format(kind=kind)):
            if e.value not in nodes:
                nodes[e.value] = dict(kind=kind, label="", names=[], wikidata="", mentions=0, roles=[], awards=[],
                                      statistics=[], dates={}, authored=[], articles=int(n.value))
    return dict(sorted(nodes.items()))


def article_sets(store: ox.Store, nodes: Iterable[str]) -> dict[str, set[str]]:
    """The articles (named graphs) that type each of ``nodes``."""
    return {node: {quad.graph_name.value for quad in store.quads_for_pattern(ox.NamedNode(node), _TYPE, None, None)
                   if isinstance(quad.graph_name, ox.NamedNode)}
            for node in nodes}


def _add_names(nodes: dict[str, dict], store: ox.Store) -> None:
    labels: dict[str, list[str]] = {}
    for e, p, n in _rows(store, Q_NAMES):
        node = nodes.get(e.value)
        if node is None:
            continue
        prop, value = _local(p), n.value
        if prop == "sameAs":
            if value.startswith(WD_IRI):
                node["wikidata"] = value
        elif prop == "label":
            labels.setdefault(e.value, []).append(value)
        else:
            node["names"].append(value)
    for iri, data in nodes.items():
        found = sorted(labels.get(iri, ()))
        data["label"] = found[0] if found else iri.rstrip("/").rsplit("/", 1)[-1]
        data["names"] = [data["label"]] + sorted(set(found[1:] + data["names"]) - {data["label"]})


def _add_edge(nodes, edges, source: str, target: str, relation: str, label: str, article: str, **extra) -> None:
    if source not in nodes or target not in nodes or source == target:
        return
    key = (source, target, f"{relation}:{label}")
    if key in edges:
        edges[key]["articles"].add(article)
    else:
        edges[key] = dict(relation=relation, label=label, articles={article}, **extra)


def _add_memberships(nodes, edges, store: ox.Store) -> None:
    for person, role, role_label, org, g in _rows(store, Q_MEMBERSHIPS):
        role = (role_label or role).value
        if person.value in nodes and org.value in nodes:
            line = f"{role}, {nodes[org.value]['label']}"
            if line not in nodes[person.value]["roles"]:
                nodes[person.value]["roles"].append(line)
        _add_edge(nodes, edges, person.value, org.value, "holds", role, g.value)


def _add_awards(nodes, edges, store: ox.Store) -> None:
    for _, event, who, rank, amount, currency, g in _rows(store, Q_AWARDS):
        value = _number(amount)
        prize = (rank.value if rank else "giải thưởng") + (
            f" ({vi_number(value)} {currency.value if currency else 'VND'})" if value else "")
        if who.value in nodes:
            line = prize + (f", {nodes[event.value]['label']}" if event and event.value in nodes else "")
            if line not in nodes[who.value]["awards"]:
                nodes[who.value]["awards"].append(line)
        if event:
            _add_edge(nodes, edges, event.value, who.value, "recipient", prize, g.value, amount=value or 0)


def _add_details(nodes: dict[str, dict], store: ox.Store) -> None:
    for s, value, unit in _rows(store, Q_FIGURES):
        if s.value in nodes:
            nodes[s.value]["statistics"].append(f"{vi_number(_number(value))} {unit.value if unit else ''}".strip())
    for e, p, d in _rows(store, Q_DATES):  # articles may disagree: the earliest start, the latest end
        if e.value in nodes:
            dates, prop = nodes[e.value]["dates"], _local(p)
            known = dates.get(prop)
            dates[prop] = d.value if known is None else (min if prop == "startDate" else max)(known, d.value)
    for a, person in _rows(store, Q_AUTHORS):
        if person.value in nodes:
            nodes[person.value]["authored"].append(a.value)
    for data in nodes.values():
        for key in ("statistics", "authored"):
            data[key].sort()


def core(graph: nx.MultiDiGraph, limit: int) -> list[str]:
    """The ``limit`` most connected nodes: by distinct neighbours, then mentions, then label."""
    def rank(node: str) -> tuple:
        data = graph.nodes[node]
        neighbours = len(set(graph.successors(node)) | set(graph.predecessors(node)))
        return (-neighbours, -data["mentions"], data["label"], node)
    return sorted(graph, key=rank)[:max(limit, 0)]


def neighbourhood(graph: nx.MultiDiGraph, centre: str, depth: int, limit: int) -> list[str]:
    """Nodes within ``depth`` steps of ``centre`` (either direction), nearest first, at most ``limit``."""
    distances = nx.single_source_shortest_path_length(graph.to_undirected(as_view=True), centre, cutoff=depth)
    order = sorted(distances, key=lambda n: (distances[n], -graph.degree(n), graph.nodes[n]["label"], n))
    return order[:max(limit, 1)]


def find_nodes(graph: nx.MultiDiGraph, name: str) -> list[str]:
    """Nodes one of whose names equals ``name`` (diacritics optional), else contains it; most mentioned first."""
    wanted = search_key(name).strip()
    exact, partial = [], []
    for node, data in graph.nodes(data=True):
        names = [search_key(n) for n in data["names"]]
        if wanted in names or search_key(node) == wanted:
            exact.append(node)
        elif any(wanted in n for n in names):
            partial.append(node)
    return sorted(exact or partial, key=lambda n: (-graph.nodes[n]["mentions"], graph.nodes[n]["label"], n))


def write_graphml(graph: nx.MultiDiGraph, path: Path) -> None:
    """GraphML for Gephi, yEd or Cytoscape: lists joined by " | ", article sets as counts.

    Written as a stream: networkx's writer takes seconds for a corpus graph.
    """
    node_keys = _keys(data for _, data in graph.nodes(data=True))
    edge_keys = _keys(data for _, _, data in graph.edges(data=True))
    with path.open("w", encoding="utf-8") as out:
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n<graphml xmlns="http://graphml.graphdrawing.org/xmlns">\n')
        for where, keys in (("node", node_keys), ("edge", edge_keys)):
            for name, kind in keys.items():
                out.write(f'<key id="{where}_{name}" for="{where}" attr.name="{name}" attr.type="{kind}"/>\n')
        out.write('<graph id="kg" edgedefault="directed">\n')
        for node, data in graph.nodes(data=True):
            out.write(f"<node id={_attr(node)}>{_data('node', data, node_keys)}</node>\n")
        for n, (source, target, data) in enumerate(graph.edges(data=True)):
            ends = f"source={_attr(source)} target={_attr(target)}"
            out.write(f"<edge id=\"e{n}\" {ends}>{_data('edge', data, edge_keys)}</edge>\n")
        out.write("</graph>\n</graphml>\n")


_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _keys(items: Iterable[dict]) -> dict[str, str]:
    keys: dict[str, str] = {}
    for data in items:
        for name, value in data.items():
            kind = "int" if isinstance(value, (set, int)) and not isinstance(value, bool) else (
                "double" if isinstance(value, float) else "string")
            if keys.get(name, kind) != kind:
                kind = "double" if {kind, keys[name]} == {"int", "double"} else "string"
            keys[name] = kind
    return dict(sorted(keys.items()))


def _data(where: str, data: dict, keys: dict[str, str]) -> str:
    parts = []
    for name in keys:
        value = _flatten(data.get(name, ""))
        if value != "":
            parts.append(f'<data key="{where}_{name}">{escape(_XML_INVALID.sub("", str(value)))}</data>')
    return "".join(parts)


def _flatten(value):
    if isinstance(value, set):
        return len(value)
    if isinstance(value, dict):
        return " | ".join(f"{k}={v}" for k, v in sorted(value.items()))
    if isinstance(value, list):
        return " | ".join(map(str, value))
    return value


def _attr(value: str) -> str:
    return quoteattr(_XML_INVALID.sub("", value))

