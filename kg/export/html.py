"""graph.html: the entity graph as an interactive page that works offline.

The store becomes a networkx graph (kg.export.network), the shown part of it a
pyvis Network rendered through kg's own template with vis-network inlined.
A corpus has far more entities than a browser lays out in seconds, so the page
shows the ``limit`` most connected ones (or, with ``focus``, a neighbourhood)
and says what it leaves out; graph.graphml beside it holds everything.

>>> write_html(store, Path("exports/graph.html"))  # doctest: +SKIP
PageReport(nodes=25, edges=18, entities=25, relations=18, articles=1)
"""
from __future__ import annotations

import math
from bisect import bisect_right
from dataclasses import dataclass
from pathlib import Path

import jinja2
import markupsafe
import networkx as nx
import pyoxigraph as ox
import pyvis
from pyvis.network import Network

from ..errors import StoreError, UsageError
from ..vocab import ITSRDF_TAIDENTREF, NIF_BEGININDEX, NIF_ENDINDEX, NIF_ISSTRING, NKG_IRI, RDF_TYPE
from ..text.tokens import sentences
from . import html_assets
from .layout import layout
from .network import CLASSES, article_sets, core, find_nodes, search_key, neighbourhood, to_networkx, write_graphml

DEFAULT_LIMIT = 1500
PHYSICS_LIMIT = 300  # larger pages arrive laid out by kg.export.layout, physics off
HEADLINE_LABELS = 40  # on larger pages, the most mentioned entities get labels big enough to read unzoomed
SENTENCES_PER_NODE = 3
CONTEXT_CHARS = 160
STYLES = {  # class -> (vis shape, colour)
    "Person": ("dot", "#e15759"), "Organisation": ("square", "#4e79a7"), "Event": ("star", "#f28e2b"),
    "Project": ("diamond", "#b07aa1"), "Country": ("triangle", "#59a14f"), "Place": ("triangleDown", "#76b7b2"),
}
EDGE_COLOURS = {"holds": "#4e79a7", "recipient": "#c9a227"}
VIS_JS = Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2" / "vis-network.min.js"
_BEGIN, _END = NIF_BEGININDEX, NIF_ENDINDEX
_TEXT, _IDENT = NIF_ISSTRING, ITSRDF_TAIDENTREF
_HEADLINE, _FILE = ox.NamedNode(NKG_IRI + "headline"), ox.NamedNode(NKG_IRI + "fileName")
_ARTICLE, _TYPE = ox.NamedNode(NKG_IRI + "Article"), RDF_TYPE


@dataclass(frozen=True)
class PageReport:
    """What the page shows (nodes, edges) out of what the store holds (entities, relations)."""

    nodes: int
    edges: int
    entities: int
    relations: int
    articles: int


def write_html(store: ox.Store, path: Path, *, focus: str | None = None, depth: int = 2,
               limit: int = DEFAULT_LIMIT) -> PageReport:
    """Write the page at ``path`` and its graph as GraphML at ``path.with_suffix(".graphml")``.

    Without ``focus`` the page shows the ``limit`` most connected entities and the
    GraphML holds every entity; with it, both hold the entities within ``depth``
    steps of the one named ``focus`` (the page at most ``limit`` of them, nearest first).
    """
    if limit < 1 or depth < 0:
        raise UsageError(f"--limit must be at least 1 and --depth at least 0, not {limit} and {depth}")
    graph = to_networkx(store)
    articles, relations = _articles(store), graph.number_of_edges()
    if focus:
        title, whole, shown, note = _focus(graph, focus, depth, limit)
    else:
        title, whole, shown = _title(articles), graph, core(graph, limit)
        note = _core_note(graph, shown, len(articles))
    try:
        write_graphml(whole, path.with_suffix(".graphml"))
    except OSError as exc:
        raise StoreError(f"cannot write {path.with_suffix('.graphml')}: {exc}") from None
    page = nx.MultiDiGraph(graph.subgraph(shown))  # a copy: counting a view's edges walks the whole graph
    text = render(store, page, shown, articles, note, title)
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise StoreError(f"cannot write the page {path}: {exc}") from None
    return PageReport(page.number_of_nodes(), page.number_of_edges(), graph.number_of_nodes(), relations,
                      len(articles))


def _focus(graph: nx.MultiDiGraph, name: str, depth: int, limit: int) -> tuple[str, nx.MultiDiGraph, list[str], str]:
    """Title, whole neighbourhood, the part shown and the note for the entity called ``name``."""
    found = find_nodes(graph, name)
    if not found:
        raise UsageError(f"no entity named {name!r} among the {graph.number_of_nodes():,} in the store; "
                         "give a name as written in an article (diacritics optional)")
    centre = graph.nodes[found[0]]
    everything = neighbourhood(graph, found[0], depth, graph.number_of_nodes())
    shown = everything[:limit]
    note = (f"Showing {len(shown):,} entities within {depth} step(s) of “{centre['label']}” ({centre['kind']})"
            + (f", the nearest {limit:,} of {len(everything):,}" if len(everything) > limit else "")
            + f"; the store holds {graph.number_of_nodes():,} entities.")
    if len(found) > 1:
        note += f" {len(found) - 1} other entit{'y' if len(found) == 2 else 'ies'} also match “{name}”."
    return f"kg: {centre['label']} and its neighbours", graph.subgraph(everything), shown, note


def _core_note(graph: nx.MultiDiGraph, shown: list[str], articles: int) -> str:
    edges = nx.MultiDiGraph(graph.subgraph(shown)).number_of_edges()
    source = f"{articles:,} article{'s' if articles != 1 else ''}"
    if not shown:
        return f"No entities were found in {source}."
    if len(shown) == graph.number_of_nodes():
        return f"Showing all {len(shown):,} entities and {edges:,} relations found in {source}."
    return (f"Showing {len(shown):,} of {graph.number_of_nodes():,} entities, the most connected, and the {edges:,} "
            f"of {graph.number_of_edges():,} relations among them, from {source}. "
            f"{graph.number_of_nodes() - len(shown):,} entities are left out: "
            "use kg html --focus \"NAME\" --depth 2 for one entity's neighbourhood, "
            "or open graph.graphml (every entity) in Gephi.")


def _articles(store: ox.Store) -> dict[str, tuple[str, str]]:
    """Article IRI -> (headline, file name), for every article in the store."""
    found: dict[str, tuple[str, str]] = {}
    for quad in store.quads_for_pattern(None, _TYPE, _ARTICLE, None):
        iri = quad.subject.value
        if iri not in found:
            headline = next(store.quads_for_pattern(quad.subject, _HEADLINE, None, quad.graph_name), None)
            name = next(store.quads_for_pattern(quad.subject, _FILE, None, quad.graph_name), None)
            found[iri] = (headline.object.value if headline else "", name.object.value if name else iri)
    return found


def render(store: ox.Store, page: nx.MultiDiGraph, shown: list[str], articles: dict, note: str, title: str) -> str:
    """The page's HTML for the nodes ``shown`` (in that order) of ``page``."""
    found_in = article_sets(store, shown)
    used = sorted({a for iri in shown for a in found_in[iri] | set(page.nodes[iri]["authored"])},
                  key=lambda a: (articles.get(a, ("", a))[1], a))
    art_ids = {a: i for i, a in enumerate(used)}
    net = Network(height="100%", width="100%", directed=True, cdn_resources="in_line")
    details = _add_nodes(net, store, page, shown, found_in, art_ids)
    _add_edges(net, page, {iri: i for i, iri in enumerate(shown)}, art_ids)
    net.options = _options(len(shown))
    data = {"kinds": list(CLASSES), "colors": {k: c for k, (_, c) in STYLES.items()}, "details": details,
            "articles": [list(articles.get(a, ("", a))) for a in used],
            "order": sorted(range(len(used)), key=lambda i: (search_key(articles.get(used[i], ("", ""))[0]), i))}
    return _render(net, data, note, title, page)


def _add_nodes(net: Network, store, page, shown: list[str], found_in: dict, art_ids: dict) -> list[dict]:
    """One vis node per entity (id = its place in ``shown``); returns the details the panel shows."""
    texts, details = _Texts(store), []
    positions = layout(page, shown) if len(shown) > PHYSICS_LIMIT else {}
    headline = set(sorted(shown, key=lambda n: -page.nodes[n]["mentions"])[:HEADLINE_LABELS]) if positions else set()
    for i, iri in enumerate(shown):
        data = page.nodes[iri]
        shape, colour = STYLES[data["kind"]]
        where = dict(zip("xy", positions[iri])) if positions else {}
        if iri in headline:  # readable on the whole-corpus overview; the others appear on zooming in
            where["font"] = {"size": 80}
        net.add_node(i, label=data["label"], shape=shape, color=colour, value=round(math.sqrt(max(data["mentions"], 1)), 2),
                     title=_tooltip(data), kind=data["kind"], search="\n".join(map(search_key, data["names"])),
                     arts=sorted(art_ids[a] for a in found_in[iri]), **where)
        details.append(_details(data, iri, texts, art_ids))
    return details


def _add_edges(net: Network, page, ids: dict[str, int], art_ids: dict) -> None:
    edges = sorted(page.edges(data=True), key=lambda e: (ids[e[0]], ids[e[1]], e[2]["label"]))
    for n, (source, target, data) in enumerate(edges):
        net.add_edge(ids[source], ids[target], id=n, label=data["label"], relation=data["relation"],
                     title=f"{page.nodes[source]['label']} — {data['label']} → {page.nodes[target]['label']}",
                     color=EDGE_COLOURS.get(data["relation"], "#9aa5b1"),
                     arts=sorted(art_ids[a] for a in data["articles"] if a in art_ids))
    _curve_parallel(net.edges)


class _Texts:
    """Article texts read from the store once each, and the sentence around a mention."""

    def __init__(self, store: ox.Store):
        self.store = store
        self.cache: dict[ox.NamedNode, str] = {}

    def get(self, article: ox.NamedNode) -> str:
        if article not in self.cache:
            quad = next(self.store.quads_for_pattern(article, _TEXT, None, None), None)
            self.cache[article] = quad.object.value if quad else ""
        return self.cache[article]

    def snippet(self, article: ox.NamedNode, begin: int, end: int) -> tuple[str, str, str] | None:
        """(before, anchor, after) within the anchor's sentence, each side cut to CONTEXT_CHARS."""
        text = self.get(article)
        if not 0 <= begin < end <= len(text):
            return None
        offset = max(begin - 2 * CONTEXT_CHARS, 0)
        window = text[offset:end + 2 * CONTEXT_CHARS]
        spans = list(sentences(window))
        i = max(bisect_right([b for b, _ in spans], begin - offset) - 1, 0)
        start, stop = (spans[i][0] + offset, spans[i][1] + offset) if spans else (begin, end)
        before, after = text[min(start, begin):begin], text[end:max(stop, end)]
        if len(before) > CONTEXT_CHARS or (start == offset and offset > 0):
            before = "…" + before[-CONTEXT_CHARS:]
        if len(after) > CONTEXT_CHARS:
            after = after[:CONTEXT_CHARS] + "…"
        return before, text[begin:end], after


def _sentences(iri: str, texts: _Texts, art_ids: dict[str, int]) -> list[list]:
    """Up to SENTENCES_PER_NODE sentences that mention ``iri``, from as many articles as possible
    (the first articles and mentions in IRI order, so that the page does not depend on the
    order a store keeps its quads in)."""
    by_article: dict[ox.NamedNode, list[ox.NamedNode]] = {}
    for quad in texts.store.quads_for_pattern(None, _IDENT, ox.NamedNode(iri), None):
        article = quad.graph_name  # one named graph per article, named by the article's IRI
        if isinstance(article, ox.NamedNode) and article.value in art_ids:
            by_article.setdefault(article, []).append(quad.subject)
    ordered = sorted(by_article.items(), key=lambda item: item[0].value)[:SENTENCES_PER_NODE]
    mentions = [(a, sorted(ms, key=lambda m: m.value)) for a, ms in ordered]
    chosen = [(a, ms[k]) for k in range(SENTENCES_PER_NODE) for a, ms in mentions if k < len(ms)][:SENTENCES_PER_NODE]
    found = []
    for article, mention in chosen:
        begin = next(texts.store.quads_for_pattern(mention, _BEGIN, None, article), None)
        end = next(texts.store.quads_for_pattern(mention, _END, None, article), None)
        snippet = begin and end and texts.snippet(article, int(begin.object.value), int(end.object.value))
        if snippet:
            found.append([art_ids[article.value], *snippet])
    return found


def _details(data: dict, iri: str, texts: _Texts, art_ids: dict[str, int]) -> dict:
    dates = [f"{'from' if k == 'startDate' else 'to'} {v}" for k, v in sorted(data["dates"].items(), reverse=True)]
    return {"names": _capped(data["names"]), "roles": _capped(data["roles"]), "awards": _capped(data["awards"]),
            "figures": _capped(data["statistics"]), "dates": dates, "wikidata": data["wikidata"],
            "mentions": data["mentions"], "iri": iri, "authored": [art_ids[a] for a in data["authored"] if a in art_ids],
            "sentences": _sentences(iri, texts, art_ids)}


def _capped(items: list[str], most: int = 20) -> list[str]:
    return items if len(items) <= most else items[:most] + [f"… and {len(items) - most} more (see graph.graphml)"]


def _tooltip(data: dict) -> str:
    lines = [f"{data['kind']}: {data['label']}"]
    lines += [f"also: {name}" for name in data["names"][1:4]]
    lines += data["roles"][:3] + data["awards"][:2]
    if data["wikidata"]:
        lines.append("Wikidata: " + data["wikidata"].rsplit("/", 1)[-1])
    lines.append(f"{data['mentions']} mention(s) in {data['articles']} article(s); click for the sentences")
    return "\n".join(lines)


def _curve_parallel(edges: list[dict]) -> None:
    """Bend the second and later edges between the same two nodes so their labels stay apart."""
    seen: dict[frozenset, int] = {}
    for edge in edges:
        pair = frozenset((edge["from"], edge["to"]))
        k = seen[pair] = seen.get(pair, -1) + 1
        if k:
            bend = "curvedCW" if k % 2 else "curvedCCW"
            edge["smooth"] = {"enabled": True, "type": bend, "roundness": 0.2 * ((k + 1) // 2)}


def _options(n: int) -> dict:
    big = n > PHYSICS_LIMIT
    return {
        "nodes": {"borderWidth": 1,
                  "font": {"size": 14, "face": "system-ui, sans-serif", "strokeWidth": 3, "strokeColor": "#ffffff"},
                  "scaling": {"min": 8, "max": 48 if big else 36,  # node values are sqrt(mentions)
                              "label": {"enabled": not big, "min": 12, "max": 28, "drawThreshold": 5, "maxVisible": 30}}},
        "edges": {"arrows": {"to": {"enabled": True, "scaleFactor": 0.5}}, "width": 1, "selectionWidth": 2, "smooth": False,
                  "font": {"size": 11, "color": "#374151", "strokeWidth": 3, "align": "middle"}},
        "physics": {"enabled": not big, "solver": "barnesHut",
                    "barnesHut": {"gravitationalConstant": -6000, "centralGravity": 0.25, "springLength": 140,
                                  "springConstant": 0.03, "damping": 0.35, "avoidOverlap": 0.1},
                    "stabilization": {"enabled": True, "iterations": 150 if big else 400, "updateInterval": 25, "fit": True}},
        "layout": {"improvedLayout": not big, "randomSeed": 7},
        "interaction": {"hover": True, "tooltipDelay": 150, "hideEdgesOnDrag": big, "hideEdgesOnZoom": big},
    }


def _title(articles: dict) -> str:
    if len(articles) == 1:
        headline, name = next(iter(articles.values()))
        return f"kg: {headline or name}"
    return f"kg: {len(articles):,} articles"


def _legend(page: nx.MultiDiGraph) -> list[dict]:
    counts = {kind: 0 for kind in CLASSES}
    for _, kind in page.nodes(data="kind"):
        counts[kind] += 1
    return [{"kind": kind, "count": counts[kind], "svg": markupsafe.Markup(html_assets.glyph(*STYLES[kind]))} for kind in CLASSES]


def _render(net: Network, data: dict, note: str, title: str, page: nx.MultiDiGraph) -> str:
    env = jinja2.Environment(loader=jinja2.DictLoader({"kg.html": html_assets.TEMPLATE}), autoescape=True)
    edge_words = sorted({d["label"] for _, _, d in page.edges(data=True) if d["relation"] not in ("holds", "recipient")})
    env.globals["kg"] = {
        "title": title, "note": note, "data": data, "legend": _legend(page), "article_count": len(data["articles"]),
        "edge_words": ", ".join(edge_words + ["roles (person → organisation)", "prizes (event → recipient)"]),
        "css": markupsafe.Markup(html_assets.CSS), "app_js": markupsafe.Markup(html_assets.APP_JS),
        "vis_js": markupsafe.Markup(VIS_JS.read_text(encoding="utf-8")),
    }
    net.templateEnv, net.path = env, "kg.html"
    return net.generate_html("graph.html")
