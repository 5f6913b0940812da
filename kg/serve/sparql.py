"""SPARQL for ``kg serve``: checks made before a query runs, content negotiation, and
result writers that stop at the row limit.

``query_job`` and ``update_job`` run inside a worker process (see serve_pool); they
take the open store first and return a ``Reply``. The result writers are our own
rather than pyoxigraph's ``QuerySolutions.serialize`` because that one always
writes every row, and the server must stop at ``--max-rows``.
"""
from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import islice
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from ..store.load import union_options
from ..vocab import PREFIXES, XSD

XSD_STRING = XSD + "string"
RESULT_TYPES = {  # media type -> writer
    "application/sparql-results+json": "json", "application/json": "json",
    "application/sparql-results+xml": "xml", "application/xml": "xml", "text/xml": "xml",
    "text/csv": "csv", "text/tab-separated-values": "tsv",
}
GRAPH_TYPES = {
    "text/turtle": ox.RdfFormat.TURTLE, "application/x-turtle": ox.RdfFormat.TURTLE,
    "application/ld+json": ox.RdfFormat.JSON_LD, "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}
_CANONICAL = {"application/json": "application/sparql-results+json", "application/xml": "application/sparql-results+xml",
              "text/xml": "application/sparql-results+xml", "application/x-turtle": "text/turtle"}
SHORT_NAMES = {  # values of the format=, output= and results= parameters that tools send
    "json": "application/sparql-results+json, application/ld+json;q=0.9",
    "xml": "application/sparql-results+xml, application/rdf+xml;q=0.9",
    "csv": "text/csv", "tsv": "text/tab-separated-values",
    "turtle": "text/turtle", "ttl": "text/turtle", "n3": "text/turtle",
    "json-ld": "application/ld+json", "jsonld": "application/ld+json",
    "nt": "application/n-triples", "ntriples": "application/n-triples", "n-triples": "application/n-triples",
    "rdf+xml": "application/rdf+xml", "rdfxml": "application/rdf+xml", "html": "text/html",
}


@dataclass(frozen=True)
class Reply:
    """An HTTP answer: what the worker sends back and the handler writes out."""

    status: int
    content_type: str
    body: bytes
    headers: tuple[tuple[str, str], ...] = ()
    file: str = ""  # a file to send instead of body
    cors: bool = True  # any web page may read it (not so for updates)


def error(status: int, message: str) -> Reply:
    return Reply(status, "text/plain; charset=utf-8", (message.rstrip() + "\n").encode())


# -- checks made before a query runs ------------------------------------------------

_UNICODE_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_NOT_CODE = re.compile(  # strings, IRIs, escaped local-name characters and comments, leftmost first
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n\r]|\\.)*"'
    r"|'(?:[^'\\\n\r]|\\.)*'"
    r'|<[^<>"{}|^`\\\x00-\x20]*>'
    r"|\\[_~.\-!$&'()*+,;=/?#@%]"
    r"|#[^\n\r]*",
    re.S,
)
_UPDATE_WORDS = ("INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH")


def code_only(text: str) -> str:
    """The query with its strings, IRIs and comments blanked, so keywords can be searched.

    >>> code_only('SELECT * { ?s <http://x/SERVICE> "SERVICE" } # SERVICE')
    'SELECT * { ?s <> "" }  '
    """
    def blank(match: re.Match) -> str:
        token = match.group()
        if token[0] == "<":
            return "<>"
        return token[0] * 2 if token[0] in "\"'" else "_" if token[0] == "\\" else " "

    return _NOT_CODE.sub(blank, text)


def _keyword(text: str, word: str) -> bool:
    pattern = re.compile(rf"(?<![\w:?$\-]){word}(?![\w:\-])", re.I)
    decoded = _UNICODE_ESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), text)
    return any(pattern.search(code_only(t)) for t in {text, decoded})


def uses_service(text: str) -> bool:
    """True when the query calls a remote endpoint with ``SERVICE``; strings and comments don't count.

    ``\\u`` escapes are decoded first too, and a prefixed name such as ``ex:service``
    is not the keyword. False positives only refuse a query; false negatives would
    make the server fetch a URL, so the test errs towards refusing.

    >>> uses_service('SELECT * { SERVICE <http://example.org/sparql> { ?s ?p ?o } }')
    True
    >>> uses_service('SELECT * { ?s ?p "SERVICE" }  # SERVICE in a comment')
    False
    """
    return _keyword(text, "SERVICE")


def uses_load(text: str) -> bool:
    """True when an update has ``LOAD``, which fetches a document from a URL."""
    return _keyword(text, "LOAD")


def looks_like_update(text: str) -> bool:
    """True when the text, past its PREFIX and BASE lines, starts with an update keyword."""
    body = re.sub(r"^\s*((PREFIX\s+\S*\s*<>|BASE\s*<>)\s*)*", "", code_only(text), flags=re.I)
    return body.lstrip().upper().startswith(_UPDATE_WORDS)


# -- content negotiation --------------------------------------------------------------

def _ranges(accept: str) -> list[tuple[str, float]]:
    ranges = []
    for part in accept.split(","):
        media, *params = part.split(";")
        q = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if media.strip():
            ranges.append((media.strip().lower(), q))
    return ranges


def _quality(media: str, ranges: list[tuple[str, float]]) -> float:
    best, rank = 0.0, -1
    kind = media.split("/")[0] + "/*"
    for pattern, q in ranges:
        specificity = 2 if pattern == media else 1 if pattern == kind else 0 if pattern == "*/*" else -1
        if specificity > rank:
            best, rank = q, specificity
    return best if rank >= 0 else 0.0


def negotiate(accept: str | None, offered: Sequence[str]) -> str | None:
    """The offered media type the client prefers; the first offered wins ties; None if none is acceptable.

    >>> negotiate("text/html,application/xhtml+xml,*/*;q=0.8", ["text/turtle", "text/html"])
    'text/html'
    """
    ranges = _ranges(accept or "*/*") or [("*/*", 1.0)]
    chosen, chosen_q = None, 0.0
    for media in offered:
        q = _quality(media, ranges)
        if q > chosen_q:
            chosen, chosen_q = media, q
    return chosen


def accept_from_params(params: dict[str, list[str]], header: str | None) -> str:
    """The Accept value to negotiate with: ``format=``/``output=``/``results=`` win over the header."""
    wanted = [SHORT_NAMES.get(v.strip().lower(), v) for key in ("format", "output", "results")
              for v in params.get(key, []) if v.strip()]
    wanted = [w for w in wanted if "/" in w]
    return ", ".join(wanted) if wanted else (header or "*/*")


# -- running queries and updates (inside a worker) --------------------------------------

def query_job(store: ox.Store, text: str, accept: str, default_graphs: list[str], named_graphs: list[str],
              max_rows: int) -> Reply:
    """Evaluate a query and write at most ``max_rows`` rows (or triples) in the negotiated format."""
    options: dict = {} if default_graphs else union_options(store)
    if default_graphs:
        options["default_graph"] = [ox.NamedNode(g) for g in default_graphs]
    if named_graphs:
        options["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
    try:
        result = store.query(text, **options)
    except SyntaxError as exc:
        hint = "; updates go to POST /update" if looks_like_update(text) else ""
        return error(400, f"the query is not valid SPARQL: {exc}{hint}")
    if isinstance(result, ox.QueryTriples):
        return _graph_reply(result, accept, max_rows)
    media = negotiate(accept, list(RESULT_TYPES))
    if media is None:
        return error(406, f"cannot answer a SELECT or ASK as {accept}; ask for one of: {', '.join(RESULT_TYPES)}")
    writer = RESULT_TYPES[media]
    ctype = _CANONICAL.get(media, media) + "; charset=utf-8"
    if isinstance(result, ox.QueryBoolean):
        return Reply(200, ctype, write_boolean(bool(result), writer))
    names = [v.value for v in result.variables]
    rows = list(islice(result, max_rows + 1))
    headers = _truncated(len(rows) > max_rows, max_rows)
    return Reply(200, ctype, WRITERS[writer](names, rows[:max_rows]), headers)


def _truncated(cut: bool, max_rows: int) -> tuple[tuple[str, str], ...]:
    return (("X-SPARQL-MaxRows", str(max_rows)),) if cut else ()


def _graph_reply(triples: Iterable[ox.Triple], accept: str, max_rows: int) -> Reply:
    media = negotiate(accept, list(GRAPH_TYPES))
    if media is None:
        return error(406, f"cannot answer a CONSTRUCT or DESCRIBE as {accept}; ask for one of: {', '.join(GRAPH_TYPES)}")
    kept = list(islice(triples, max_rows + 1))
    body = serialize_triples(kept[:max_rows], GRAPH_TYPES[media])
    return Reply(200, _CANONICAL.get(media, media) + "; charset=utf-8", body, _truncated(len(kept) > max_rows, max_rows))


def serialize_triples(triples: list[ox.Triple], fmt: ox.RdfFormat) -> bytes:
    if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML):
        return ox.serialize(triples, format=fmt, prefixes=PREFIXES)
    return ox.serialize(triples, format=fmt)


def update_job(store: ox.Store, text: str) -> Reply:
    """Apply an update in one transaction; 204 when done."""
    try:
        store.update(text)
    except SyntaxError as exc:
        return error(400, f"the update is not valid SPARQL: {exc}")
    store.flush()
    return Reply(204, "text/plain; charset=utf-8", b"")


# -- result writers ----------------------------------------------------------------------

def _json_term(term) -> dict:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Triple):
        return {"type": "triple", "value": {"subject": _json_term(term.subject),
                                            "predicate": _json_term(term.predicate), "object": _json_term(term.object)}}
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype.value != XSD_STRING:
        out["datatype"] = term.datatype.value
    return out


def write_json(names: list[str], rows: list[ox.QuerySolution]) -> bytes:
    bindings = [{n: _json_term(row[n]) for n in names if row[n] is not None} for row in rows]
    return json.dumps({"head": {"vars": names}, "results": {"bindings": bindings}}, ensure_ascii=False).encode()


def _xml_term(term) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Triple):
        parts = zip(("subject", "predicate", "object"), (term.subject, term.predicate, term.object))
        return "<triple>" + "".join(f"<{k}>{_xml_term(t)}</{k}>" for k, t in parts) + "</triple>"
    if term.language:
        return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
    if term.datatype.value != XSD_STRING:
        return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
    return f"<literal>{escape(term.value)}</literal>"


_XML_HEAD = '<?xml version="1.0" encoding="utf-8"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'


def write_xml(names: list[str], rows: list[ox.QuerySolution]) -> bytes:
    out = [_XML_HEAD, "<head>", *(f"<variable name={quoteattr(n)}/>" for n in names), "</head><results>"]
    for row in rows:
        cells = (f"<binding name={quoteattr(n)}>{_xml_term(row[n])}</binding>" for n in names if row[n] is not None)
        out.append("<result>" + "".join(cells) + "</result>")
    out.append("</results></sparql>\n")
    return "\n".join(out).encode()


def _csv_cell(term) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return str(term) if isinstance(term, ox.Triple) else term.value


def write_csv(names: list[str], rows: list[ox.QuerySolution]) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(names)
    writer.writerows([_csv_cell(row[n]) for n in names] for row in rows)
    return buf.getvalue().encode()


def write_tsv(names: list[str], rows: list[ox.QuerySolution]) -> bytes:
    lines = ["\t".join("?" + n for n in names)]
    lines += ["\t".join("" if row[n] is None else str(row[n]) for n in names) for row in rows]
    return ("\n".join(lines) + "\n").encode()


def write_boolean(value: bool, writer: str) -> bytes:
    word = "true" if value else "false"
    if writer == "json":
        return json.dumps({"head": {}, "boolean": value}).encode()
    if writer == "xml":
        return f"{_XML_HEAD}<head/><boolean>{word}</boolean></sparql>\n".encode()
    return f"{word}\n".encode()


WRITERS = {"json": write_json, "xml": write_xml, "csv": write_csv, "tsv": write_tsv}
