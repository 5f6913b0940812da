"""``kg serve``: the store over HTTP, for YASGUI, SPARQLWrapper, notebooks and browsers.

    /sparql, /query       SPARQL 1.1 Protocol: GET or POST (form or application/sparql-query)
    /update               SPARQL 1.1 Update, refused (403) unless --allow-update
    /id/<path>            the entity <base><path>: HTML, Turtle, JSON-LD or N-Triples by Accept
    /.well-known/void     VoID description of the dataset
    /, /graph.html        the build's graph.html; /graph.ttl, .trig, .jsonld, .nq its dumps

The HTTP side is the standard library's ThreadingHTTPServer: a local tool that
serves one user or a small team needs no new dependency, and every request that
could be slow (queries, descriptions, VoID counts) runs in a worker process with
a deadline (serve_pool), so a thread of the HTTP server only ever waits. Each
query is refused before it runs if it calls SERVICE (the server makes no outbound
requests on a user's behalf), stopped at ``timeout`` seconds, and cut at
``max_rows`` rows, which the reply announces in an ``X-SPARQL-MaxRows`` header.

With ``allow_update`` the single worker opens the store read-write (RocksDB lets
one process write) and queries and updates take turns.
"""
from __future__ import annotations

import re
import shutil
import socket
from collections.abc import Callable
from dataclasses import dataclass, replace
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pyoxigraph as ox

from ..errors import KGError, UsageError
from ..iris import DEFAULT_BASE, check_base
from ..store.load import open_store
from .pages import describe_job, index_page, query_form, void_counts_job, void_reply
from .pool import PoolBusy, QueryTimeout, WorkerPool
from .sparql import Reply, accept_from_params, error, negotiate, query_job, update_job, uses_load, uses_service

DEFAULT_LICENSE = "https://creativecommons.org/licenses/by/4.0/"
DUMPS = ("graph.trig", "graph.ttl", "graph.jsonld", "graph.nq")
ROUTES: tuple[tuple[Callable[[str], bool], str, tuple[str, ...]], ...] = (
    (lambda path: path in ("/sparql", "/query"), "sparql", ("GET", "HEAD", "POST")),
    (lambda path: path == "/update", "update", ("POST",)),
    (lambda path: path.startswith("/id/") and len(path) > 4, "resource", ("GET", "HEAD")),
    (lambda path: path == "/.well-known/void", "void", ("GET", "HEAD")),
    (lambda path: path in ("/", "/graph.html") or path.lstrip("/") in DUMPS, "static", ("GET", "HEAD")),
)
"""The server's routes, the first that matches wins: the paths, the App method that answers
them, the HTTP methods it accepts."""
MAX_BODY = 4 * 1024 * 1024
_QUERY_TYPES = ("application/sparql-query", "application/sparql-update", "application/x-www-form-urlencoded")


@dataclass(frozen=True)
class ServeConfig:
    store: Path = Path("exports/store")
    host: str = "127.0.0.1"
    port: int = 7878
    base: str | None = None  # None: read from the store's article graphs, else DEFAULT_BASE
    timeout: float = 10.0
    max_rows: int = 10000
    workers: int = 2
    allow_update: bool = False
    license: str = DEFAULT_LICENSE
    quiet: bool = False


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    params: dict[str, list[str]]
    headers: Message
    body: bytes = b""

    @property
    def content_type(self) -> str:
        return (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()


def detect_base(store: ox.Store) -> str | None:
    """The base IRI a build used, read from the name of its first article graph."""
    for graph in store.named_graphs():
        cut = graph.value.find("article/") if isinstance(graph, ox.NamedNode) else -1
        return graph.value[:cut] if cut > 0 else None
    return None


class App:
    """Routes a Request to a Reply; owns the worker pool. No sockets here."""

    def __init__(self, config: ServeConfig):
        self.config = config
        store = open_store(Path(config.store))
        self.base = config.base or detect_base(store) or DEFAULT_BASE
        del store  # the workers open their own; a writer needs the lock free
        self.folder = Path(config.store).parent
        size = 1 if config.allow_update else config.workers
        self.pool = WorkerPool(Path(config.store), size=size, timeout=config.timeout, writable=config.allow_update)
        self._void: dict | None = None
        self.port = config.port  # the bound port, once serve() has bound it

    def close(self) -> None:
        self.pool.close()

    def dumps(self) -> list[str]:
        return [name for name in DUMPS if (self.folder / name).is_file()]

    def handle(self, req: Request) -> Reply:
        if req.method == "OPTIONS":  # a CORS preflight; never granted for updates
            reply = Reply(204, "text/plain", b"", (("Access-Control-Allow-Methods", "GET, HEAD, POST, OPTIONS"),
                                                   ("Access-Control-Allow-Headers", "Accept, Content-Type"),
                                                   ("Access-Control-Max-Age", "86400")))
            return _private(reply) if req.path == "/update" else reply
        route = self._route(req.path)
        if route is None:
            return error(404, f"no page at {req.path}; try /sparql, /id/..., /.well-known/void or /")
        handler, methods = route
        if req.method not in methods:
            return replace(error(405, f"{req.path} answers {', '.join(methods)}, not {req.method}"),
                           headers=(("Allow", ", ".join(methods)),))
        return handler(req)

    def _route(self, path: str) -> tuple[Callable[[Request], Reply], tuple[str, ...]] | None:
        for matches, name, methods in ROUTES:
            if matches(path):
                return getattr(self, name), methods
        return None

    # -- SPARQL -----------------------------------------------------------------------------

    def sparql(self, req: Request) -> Reply:
        if req.method == "POST" and req.content_type not in _QUERY_TYPES:
            return error(415, f"POST a body of type {', '.join(_QUERY_TYPES)}, not {req.content_type or 'nothing'}")
        if req.method == "POST" and req.content_type != "application/x-www-form-urlencoded":
            text = _text(req.body)
            if text is None:
                return error(400, "the request body is not UTF-8")
            is_update = req.content_type == "application/sparql-update"
            return self.run_update(req, text) if is_update else self.run_query(req, text)
        queries, updates = req.params.get("query", []), req.params.get("update", [])
        if len(queries) + len(updates) > 1:
            return error(400, "send exactly one query= or update= parameter")
        if updates:
            if req.method != "POST":
                return error(400, "updates must be sent with POST (update= in a form body, or to /update)")
            return self.run_update(req, updates[0])
        if queries:
            return self.run_query(req, queries[0])
        if negotiate(req.headers.get("Accept"), ["application/sparql-results+json", "text/html"]) == "text/html":
            return Reply(200, "text/html; charset=utf-8", query_form())
        return error(400, "no query: pass query=... (GET or a POST form) or POST an application/sparql-query body")

    def run_query(self, req: Request, text: str) -> Reply:
        if uses_service(text):
            return error(400, "federated queries (SERVICE) are refused: this server makes no outbound requests "
                              "on a user's behalf; run the remote part against its own endpoint")
        graphs = req.params.get("default-graph-uri", []), req.params.get("named-graph-uri", [])
        for iri in graphs[0] + graphs[1]:
            try:
                ox.NamedNode(iri)
            except ValueError:
                return error(400, f"default-graph-uri and named-graph-uri take IRIs, not {iri!r}")
        accept = accept_from_params(req.params, req.headers.get("Accept"))
        return self._job(query_job, text, accept, *graphs, self.config.max_rows)

    def update(self, req: Request) -> Reply:
        if req.content_type == "application/x-www-form-urlencoded":
            updates = req.params.get("update", [])
            if len(updates) != 1:
                return _private(error(400, "send exactly one update= parameter"))
            return self.run_update(req, updates[0])
        if req.content_type != "application/sparql-update":
            return _private(error(415, "POST an application/sparql-update body or an update= form"))
        text = _text(req.body)
        return self.run_update(req, text) if text is not None else _private(error(400, "the body is not UTF-8"))

    def run_update(self, req: Request, text: str) -> Reply:
        if not self.config.allow_update:
            return _private(error(403, "this endpoint is read-only: SPARQL updates are refused; "
                                       "start `kg serve --allow-update` to accept them on POST /update"))
        origin = req.headers.get("Origin")
        if origin and urlsplit(origin).netloc != req.headers.get("Host"):
            return _private(error(403, f"updates from another origin ({origin}) are refused"))
        if uses_service(text) or uses_load(text):
            return _private(error(400, "SERVICE and LOAD are refused: this server makes no outbound requests "
                                       "on a user's behalf; load files with `kg build` instead"))
        reply = self._job(update_job, text)
        if reply.status < 300:
            self._void = None
        return _private(reply)

    def _job(self, fn, *args) -> Reply:
        try:
            return self.pool.run(fn, *args)
        except KGError as exc:
            return self._failure(exc)

    def _failure(self, exc: KGError) -> Reply:
        if isinstance(exc, QueryTimeout):
            return error(503, f"the request ran past the {self.config.timeout:g} s time limit and was stopped; "
                              "narrow the query or add LIMIT (kg serve --timeout sets the limit)")
        if isinstance(exc, PoolBusy):
            return replace(error(503, str(exc)), headers=(("Retry-After", "1"),))
        return error(500, f"the request failed: {exc}")

    # -- pages -------------------------------------------------------------------------------

    def resource(self, req: Request) -> Reply:
        iri = self.base + req.path[len("/id/"):]
        try:
            ox.NamedNode(iri)
        except ValueError:
            return error(404, f"{req.path} does not name an IRI under {self.base}")
        accept = accept_from_params(req.params, req.headers.get("Accept"))
        return self._job(describe_job, iri, accept, self.base, self.config.max_rows)

    def void(self, req: Request) -> Reply:
        if self._void is None:
            try:
                self._void = self.pool.run(void_counts_job, self.base)
            except KGError as exc:
                return self._failure(exc)
        host = req.headers.get("Host") or ""
        if not re.fullmatch(r"[A-Za-z0-9.\-]+(:\d+)?|\[[0-9A-Fa-f:.]+\](:\d+)?", host):
            host = f"{self.config.host}:{self.port}"
        accept = accept_from_params(req.params, req.headers.get("Accept"))
        return void_reply(self._void, f"http://{host}", self.base, self.config.license, self.dumps(), accept)

    def static(self, req: Request) -> Reply:
        name = "graph.html" if req.path == "/" else req.path.lstrip("/")
        path = self.folder / name
        if path.is_file():
            types = {".html": "text/html", ".ttl": "text/turtle", ".trig": "application/trig",
                     ".jsonld": "application/ld+json", ".nq": "application/n-quads"}
            return Reply(200, types[path.suffix] + "; charset=utf-8", b"", file=str(path))
        if req.path == "/":
            return Reply(200, "text/html; charset=utf-8", index_page(self.dumps(), self.config.allow_update))
        return error(404, f"{name} is not in {self.folder}; `kg build` writes it")


def _private(reply: Reply) -> Reply:
    return replace(reply, cors=False)


def _text(body: bytes) -> str | None:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        return None


class Handler(BaseHTTPRequestHandler):
    """Reads the request, asks the App, writes the Reply; nothing else."""

    server_version = "kg-serve"
    protocol_version = "HTTP/1.1"
    timeout = 60  # seconds a connection may sit idle

    def _serve(self) -> None:
        app: App = self.server.app  # type: ignore[attr-defined]
        parts = urlsplit(self.path)
        params = parse_qs(parts.query, keep_blank_values=True)
        body, problem = self._body()
        if problem:
            self.close_connection = True
            return self._write(problem)
        form = (self.headers.get("Content-Type") or "").lower().startswith("application/x-www-form-urlencoded")
        if form and body:
            for key, values in parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True).items():
                params.setdefault(key, []).extend(values)
        req = Request(self.command, unquote(parts.path), params, self.headers, body)
        try:
            reply = app.handle(req)
        except Exception as exc:  # a bug answers 500 and the server keeps running
            self.log_error("internal error: %r", exc)
            reply = error(500, f"internal error: {type(exc).__name__}: {exc}")
        self._write(reply)

    do_GET = do_HEAD = do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = _serve

    def _body(self) -> tuple[bytes, Reply | None]:
        length = self.headers.get("Content-Length")
        if length is None:
            if self.headers.get("Transfer-Encoding"):
                return b"", error(411, "send a Content-Length; chunked bodies are not supported")
            return b"", None
        try:
            size = int(length)
        except ValueError:
            return b"", error(400, f"Content-Length {length!r} is not a number")
        if size > MAX_BODY:
            return b"", error(413, f"the body has {size} bytes; the limit is {MAX_BODY}")
        return self.rfile.read(size), None

    def _write(self, reply: Reply) -> None:
        size = Path(reply.file).stat().st_size if reply.file else len(reply.body)
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        self.send_header("Content-Length", str(size))
        for key, value in reply.headers:
            self.send_header(key, value)
        if reply.cors:
            self.send_header("Access-Control-Allow-Origin", "*")
            self.send_header("Access-Control-Expose-Headers", "X-SPARQL-MaxRows")
        self.end_headers()
        if self.command == "HEAD":
            return
        try:
            if reply.file:
                with open(reply.file, "rb") as stream:
                    shutil.copyfileobj(stream, self.wfile)
            else:
                self.wfile.write(reply.body)
        except ConnectionError:  # the client went away mid-answer
            self.close_connection = True

    def log_message(self, format: str, *args) -> None:
        if not self.server.app.config.quiet:  # type: ignore[attr-defined]
            super().log_message(format, *args)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # listen backlog; socketserver's 5 drops bursts of connections, and each
    # dropped one waits out a TCP retransmit (1 s or more) before it is even accepted


class _Server6(_Server):
    address_family = socket.AF_INET6


def serve(config: ServeConfig, on_ready: Callable[[str], None] | None = None) -> None:
    """Serve until interrupted; ``on_ready`` gets the URL once the socket listens (port 0 picks one).

    >>> serve(ServeConfig(Path("exports/store")), print)  # doctest: +SKIP
    http://127.0.0.1:7878/
    """
    if config.base:
        try:
            check_base(config.base)
        except ValueError as exc:
            raise UsageError(str(exc)) from None
    app = App(config)
    try:
        server = (_Server6 if ":" in config.host else _Server)((config.host, config.port), Handler)
    except OSError as exc:
        app.close()
        raise UsageError(f"cannot listen on {config.host}:{config.port} ({exc}); pick another --port") from None
    server.app = app  # type: ignore[attr-defined]
    app.port = server.server_address[1]
    try:
        host = f"[{config.host}]" if ":" in config.host else config.host
        if on_ready:
            on_ready(f"http://{host}:{server.server_address[1]}/")
        server.serve_forever()
    finally:
        server.server_close()
        app.close()
