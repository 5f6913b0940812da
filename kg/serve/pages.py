"""What ``kg serve`` answers besides SPARQL: an entity's description (HTML, Turtle,
JSON-LD, N-Triples) and the VoID description of the dataset.

``describe_job`` and ``void_counts_job`` run inside a worker process, under the
same time limit as queries; the rest is pure.
"""
from __future__ import annotations

import html
from itertools import islice
from urllib.parse import quote

import pyoxigraph as ox

from ..store.load import holds_union, union_options
from ..vocab import DCTERMS, NKG_IRI, PREFIXES, RDF, RDFS, RDFS_LABEL, SKOS, VOID, XSD, XSD_INTEGER
from .sparql import GRAPH_TYPES, Reply, error, negotiate, serialize_triples

RDF_TYPE = RDF + "type"
SKOS_ALT = SKOS + "altLabel"
PAGE_TYPES = ["text/html", "text/turtle", "application/ld+json", "application/n-triples"]
VOID_TYPES = ["text/turtle", "application/ld+json", "application/n-triples"]
_STYLE = """body{font:15px/1.5 system-ui,sans-serif;max-width:64rem;margin:2rem auto;padding:0 1rem;color:#222}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.3rem .5rem;
text-align:left;vertical-align:top}.iri{color:#666;font-size:.85em;word-break:break-all}
.lit{white-space:pre-wrap}.tag{color:#888;font-size:.8em}"""


def local_path(iri: str, base: str) -> str | None:
    """``<base>person/x`` -> ``/id/person/x``; None for an IRI outside the base.

    >>> local_path("https://w3id.org/newskg/id/person/le-xuan-dinh", "https://w3id.org/newskg/id/")
    '/id/person/le-xuan-dinh'
    """
    if not iri.startswith(base) or len(iri) == len(base):
        return None
    return "/id/" + quote(iri[len(base):], safe="/:#,=-._~!$&'()*+;@")


def _prefixes() -> dict[str, str]:
    return {**PREFIXES, "dcterms": DCTERMS, "void": VOID}


def curie(iri: str) -> str:
    for name, namespace in _prefixes().items():
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{name}:{iri[len(namespace):]}"
    return iri


# -- an entity's description ---------------------------------------------------------------

def describe_job(store: ox.Store, iri: str, accept: str, base: str, max_rows: int) -> Reply:
    """The triples about ``iri`` (as subject, then as object) in the negotiated format; 404 if none."""
    node = ox.NamedNode(iri)
    graph = ox.DefaultGraph() if holds_union(store) else None  # the union, else every graph
    out = list(islice(store.quads_for_pattern(node, None, None, graph), max_rows))
    inc = list(islice(store.quads_for_pattern(None, None, node, graph), max_rows))
    if not out and not inc:
        return error(404, f"nothing is known about <{iri}> in this dataset")
    media = negotiate(accept, PAGE_TYPES)
    if media is None:
        return error(406, f"cannot describe a resource as {accept}; ask for one of: {', '.join(PAGE_TYPES)}")
    headers = (("Vary", "Accept"),)
    if media == "text/html":
        return Reply(200, "text/html; charset=utf-8", render_page(store, node, out, inc, base), headers)
    triples = sorted({ox.Triple(q.subject, q.predicate, q.object) for q in out + inc}, key=str)
    return Reply(200, f"{media}; charset=utf-8", serialize_triples(triples, GRAPH_TYPES[media]), headers)


def _label(store: ox.Store, node) -> str | None:
    graph = ox.DefaultGraph() if holds_union(store) else None
    labels = [q.object for q in islice(store.quads_for_pattern(node, RDFS_LABEL, None, graph), 20)]
    labels.sort(key=lambda o: (getattr(o, "language", "") != "vi", o.value))
    return labels[0].value if labels else None


def _link(store: ox.Store, term, base: str) -> str:
    if isinstance(term, ox.Literal):
        tag = f"@{term.language}" if term.language else (
            "" if term.datatype.value.endswith("#string") else f"^^{curie(term.datatype.value)}")
        return f'<span class="lit">{html.escape(term.value)}</span> <span class="tag">{html.escape(tag)}</span>'
    if not isinstance(term, ox.NamedNode):
        return html.escape(str(term))
    href = local_path(term.value, base) or term.value
    text = _label(store, term) if href.startswith("/id/") else None
    return f'<a href="{html.escape(href)}">{html.escape(text or curie(term.value))}</a>'


def _rows(cells: list[tuple[str, str]]) -> str:
    return "".join(f"<tr><td>{a}</td><td>{b}</td></tr>" for a, b in cells)


def render_page(store: ox.Store, node: ox.NamedNode, out: list[ox.Quad], inc: list[ox.Quad], base: str) -> bytes:
    """An HTML page: label, types, other names, every statement, what points here and the source articles."""
    out_t = sorted({(q.predicate, q.object) for q in out}, key=lambda t: (t[0].value != RDF_TYPE, str(t[0]), str(t[1])))
    inc_t = sorted({(q.subject, q.predicate) for q in inc}, key=lambda t: (str(t[1]), str(t[0])))
    stated = islice(store.quads_for_pattern(node, None, None, None), 5000)  # in the article graphs too
    graphs = sorted({q.graph_name for q in (*out, *inc, *stated) if isinstance(q.graph_name, ox.NamedNode)}, key=str)
    title = _label(store, node) or curie(node.value)
    types = [_link(store, o, base) for p, o in out_t if p.value == RDF_TYPE]
    alts = sorted({html.escape(o.value) for p, o in out_t if p.value == SKOS_ALT})
    parts = [
        f'<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>{html.escape(title)}</title>',
        *(f'<link rel="alternate" type="{m}" href="?format={quote(m)}">' for m in PAGE_TYPES[1:]),
        f"<style>{_STYLE}</style></head><body>",
        f'<p class="iri">{html.escape(node.value)}</p><h1>{html.escape(title)}</h1>',
        f"<p>Types: {', '.join(types)}</p>" if types else "",
        f"<p>Also called: {', '.join(alts)}</p>" if alts else "",
        "<h2>Statements</h2><table><tr><th>property</th><th>value</th></tr>",
        _rows([(_link(store, p, base), _link(store, o, base)) for p, o in out_t]), "</table>",
    ]
    if inc_t:
        parts += ["<h2>Referenced by</h2><table><tr><th>subject</th><th>property</th></tr>",
                  _rows([(_link(store, s, base), _link(store, p, base)) for s, p in inc_t]), "</table>"]
    if graphs:
        parts += ["<h2>Articles</h2><ul>", *(f"<li>{_link(store, g, base)}</li>" for g in graphs), "</ul>"]
    formats = " · ".join(f'<a href="?format={quote(m)}">{m}</a>' for m in PAGE_TYPES[1:])
    parts.append(f'<p>Also as {formats} · <a href="/sparql">SPARQL endpoint</a></p></body></html>\n')
    return "".join(parts).encode()


# -- VoID -------------------------------------------------------------------------------------

_COUNTS = {
    "triples": "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }",
    "entities": """SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c
        FILTER(isIRI(?s) && STRSTARTS(STR(?s), BASE) && !CONTAINS(STRAFTER(STR(?s), BASE), "#")) }""",
    "classes": "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?s a ?c }",
    "properties": "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?s ?p ?o }",
}
_EXAMPLE = f"SELECT ?s WHERE {{ ?s a <{NKG_IRI}Person> }} LIMIT 1"


def void_counts_job(store: ox.Store, base: str) -> dict:
    """The statistics VoID reports, over the union of the article graphs.

    Entities are the typed IRIs under ``base``, without the ``#char=`` mention nodes.
    """
    counts: dict = {}
    for key, sparql in _COUNTS.items():
        sparql = sparql.replace("BASE", str(ox.Literal(base)))  # a quoted, escaped SPARQL string
        row = next(iter(store.query(sparql, **union_options(store))))
        counts[key] = int(row["n"].value)
    example = list(store.query(_EXAMPLE, **union_options(store)))
    counts["example"] = example[0]["s"].value if example else None
    return counts


def void_triples(counts: dict, root: str, base: str, license_iri: str, dumps: list[str]) -> list[ox.Triple]:
    """The VoID description of the dataset served at ``root`` (e.g. ``http://127.0.0.1:7878``)."""
    ds = ox.NamedNode(f"{root}/.well-known/void#dataset")

    def add(prop: str, obj) -> None:
        triples.append(ox.Triple(ds, ox.NamedNode(prop), obj))

    triples: list[ox.Triple] = []
    add(RDF_TYPE, ox.NamedNode(VOID + "Dataset"))
    add(DCTERMS + "title", ox.Literal("Knowledge graph of Vietnamese news", language="en"))
    add(DCTERMS + "license", ox.NamedNode(license_iri))
    add(VOID + "sparqlEndpoint", ox.NamedNode(f"{root}/sparql"))
    add(VOID + "uriSpace", ox.Literal(base))
    add(VOID + "vocabulary", ox.NamedNode(NKG_IRI))
    for key in ("triples", "entities", "classes", "properties"):
        add(VOID + key, ox.Literal(str(counts[key]), datatype=XSD_INTEGER))
    if counts.get("example"):
        add(VOID + "exampleResource", ox.NamedNode(counts["example"]))
    for name in dumps:
        add(VOID + "dataDump", ox.NamedNode(f"{root}/{name}"))
    return triples


def void_reply(counts: dict, root: str, base: str, license_iri: str, dumps: list[str], accept: str) -> Reply:
    media = negotiate(accept, VOID_TYPES)
    if media is None:
        return error(406, f"VoID is available as {', '.join(VOID_TYPES)}, not {accept}")
    triples = void_triples(counts, root, base, license_iri, dumps)
    fmt = GRAPH_TYPES[media]
    if fmt == ox.RdfFormat.TURTLE:
        prefixes = {"void": VOID, "dcterms": DCTERMS, "nkg": NKG_IRI, "xsd": XSD}
        body = ox.serialize(triples, format=fmt, prefixes=prefixes)
    else:
        body = serialize_triples(triples, fmt)
    return Reply(200, f"{media}; charset=utf-8", body, (("Vary", "Accept"),))


# -- small pages --------------------------------------------------------------------------------

def index_page(dumps: list[str], writable: bool) -> bytes:
    """The home page when the build made no graph.html."""
    links = "".join(f'<li><a href="/{d}">{d}</a></li>' for d in dumps)
    mode = "accepts updates at POST /update" if writable else "is read-only"
    return (f"<!doctype html><meta charset=utf-8><title>kg</title><style>{_STYLE}</style>"
            f"<h1>Knowledge graph of Vietnamese news</h1><p>This server {mode}.</p><ul>"
            '<li><a href="/sparql">SPARQL endpoint</a> (/sparql, also /query)</li>'
            '<li><a href="/.well-known/void">VoID description</a></li>'
            f"{links}</ul>\n").encode()


def query_form() -> bytes:
    """What a browser gets at /sparql without a query: a form that sends one."""
    return (f"<!doctype html><meta charset=utf-8><title>SPARQL</title><style>{_STYLE}</style>"
            '<h1>SPARQL endpoint</h1><form method="get" action="/sparql">'
            '<textarea name="query" rows="12" style="width:100%;font-family:monospace">'
            f"PREFIX rdfs: &lt;{RDFS}&gt;\n"
            "SELECT ?s ?label WHERE { ?s rdfs:label ?label } LIMIT 20</textarea>"
            '<p><select name="format"><option>json</option><option>xml</option><option>csv</option>'
            '<option>tsv</option><option>turtle</option><option>json-ld</option></select> '
            '<button>Run</button></p></form>\n').encode()
