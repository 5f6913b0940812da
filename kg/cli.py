"""Command line: thin wrappers that call the library and turn KGError into exit codes.

The only code of kg that prints or exits. Exit codes, as README gives them: 0 ok;
1 invalid data (articles that cannot be read, SHACL violations); 2 bad usage (a missing
store or path, a bad query, a bad option).
"""
from __future__ import annotations

import signal
import sys
from pathlib import Path

import click
from tqdm import tqdm

from .errors import InputError, KGError, StoreError, UsageError
from .export.html import write_html
from .iris import DEFAULT_BASE, check_base, slug
from .pipeline.build import build as run_build
from .pipeline.distributed import dask_runner
from .push import count_graphs, graph_store_url
from .push import push as run_push
from .serve.app import DEFAULT_LICENSE, ServeConfig
from .serve.app import serve as run_serve
from .store.load import open_store
from .store.query import run_query
from .text.read import find_articles
from .validate import validate as run_validate


OK, INVALID_DATA, BAD_USAGE = 0, 1, 2
EXIT_CODES: dict[type[KGError], int] = {
    InputError: INVALID_DATA,
    UsageError: BAD_USAGE,
    StoreError: BAD_USAGE,
    KGError: INVALID_DATA,
}
"""Each error class -> its exit code; an error takes the code of its nearest listed class."""


def exit_code(exc: KGError) -> int:
    return next(EXIT_CODES[cls] for cls in type(exc).__mro__ if cls in EXIT_CODES)


class _Group(click.Group):
    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except KGError as exc:
            click.echo(f"kg: error: {exc}", err=True)
            ctx.exit(exit_code(exc))


@click.group(cls=_Group)
@click.version_option(package_name="kg")
def main() -> None:
    """Build a knowledge graph of news articles and query it."""


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--out", default=Path("exports"), show_default=True, type=click.Path(path_type=Path, file_okay=False),
              help="Folder that receives graph.trig, graph.ttl, graph.jsonld, graph.html and store/.")
@click.option("--base", default=DEFAULT_BASE, show_default=True, help="Base IRI for minted entity IRIs.")
@click.option("--jobs", "-j", default=1, show_default=True, type=click.IntRange(1, 256),
              help="Worker processes for extraction.")
@click.option("--no-html", is_flag=True, help="Skip the HTML graph.")
@click.option("--prune", is_flag=True, help="Drop articles of an earlier build into --out that are not among PATHS.")
@click.option("--full", is_flag=True, help="Re-extract every article and load the store anew (no incremental update).")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@click.option("--timings", is_flag=True, help="Print how long each phase of the build took.")
@click.option("--scheduler", metavar="ADDRESS",
              help="Extract on a Dask cluster (tcp://host:8786); needs kg[dask] and PATHS at the same path on workers.")
def build(paths, out, base, jobs, no_html, prune, full, quiet, timings, scheduler) -> None:
    """Build the graph of the articles in PATHS (files or folders of .txt)."""
    try:
        check_base(base)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    runner = None
    if scheduler:
        if jobs != 1:
            raise UsageError("--jobs and --scheduler exclude each other: the cluster's workers do the extraction")
        runner = dask_runner(scheduler)
    total = len(find_articles(paths))
    with tqdm(total=total, unit="article", disable=quiet or total < 2, file=sys.stderr) as bar:
        report = run_build(paths, out, base=base, jobs=jobs, html=not no_html, progress=bar.update,
                           incremental=not full, prune=prune, runner=runner)
    for path, error in report.failed:
        shown = path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
        click.echo(f"kg: skipped {shown}: {error}", err=True)
    notes = [f"{len(report.failed)} failed"] if report.failed else []
    if report.incremental:
        notes.append(f"{report.extracted} extracted, the rest unchanged")
    if report.removed:
        notes.append(f"{report.removed} pruned")
    click.echo(f"built {report.articles} article(s), {report.quads} quads -> {out}"
               + (f" ({'; '.join(notes)})" if notes else ""))
    if timings:
        click.echo("  ".join(f"{phase} {seconds:.1f}s" for phase, seconds in report.timings.items()), err=True)
    if report.failed:
        sys.exit(INVALID_DATA)


@main.command()
@click.argument("query")
@click.option("--store", default=Path("exports/store"), show_default=True, type=click.Path(path_type=Path))
@click.option("--format", "fmt", default="table", show_default=True, type=click.Choice(["table", "csv", "json"]))
def query(query, store, fmt) -> None:
    """Run a SPARQL QUERY (text or a .rq file) against the store."""
    text = Path(query).read_text(encoding="utf-8") if query.endswith((".rq", ".sparql")) and Path(query).is_file() else query
    click.echo(run_query(store, text, fmt), nl=False)


@main.command()
@click.argument("file", type=click.Path(path_type=Path, exists=True, dir_okay=False))
def validate(file) -> None:
    """Check FILE (.ttl, .trig, .jsonld, .nq) against the SHACL shapes; exit 1 on violations."""
    conforms, report = run_validate(file)
    click.echo(report)
    sys.exit(OK if conforms else INVALID_DATA)


@main.command()
@click.option("--store", "store_dir", default=Path("exports/store"), show_default=True,
              type=click.Path(path_type=Path, file_okay=False), help="The store that kg build wrote.")
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False),
              help="Page to write (GraphML beside it); default graph.html beside the store, graph-NAME.html with --focus.")
@click.option("--focus", help="Show the neighbourhood of the entity of this name (diacritics optional).")
@click.option("--depth", default=2, show_default=True, type=click.IntRange(0, 20), help="Steps from the --focus entity.")
@click.option("--limit", default=1500, show_default=True, type=click.IntRange(1), help="Most entities on the page.")
def html(store_dir, out, focus, depth, limit) -> None:
    """Write the interactive graph page and its GraphML from a built store."""
    out = out or store_dir.parent / (f"graph-{slug(focus)}.html" if focus else "graph.html")
    report = write_html(open_store(store_dir), out, focus=focus, depth=depth, limit=limit)
    click.echo(f"wrote {out} ({report.nodes:,} of {report.entities:,} entities, {report.edges:,} of "
               f"{report.relations:,} relations) and {out.with_suffix('.graphml')}")


@main.command()
@click.option("--store", default=Path("exports/store"), show_default=True, type=click.Path(path_type=Path))
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Interface to listen on; loopback keeps the server private to this machine.")
@click.option("--port", default=7878, show_default=True, type=click.IntRange(0, 65535), help="0 picks a free port.")
@click.option("--base", default=None, help="Base IRI of the entities; /id/X serves <base>X. [default: from the store]")
@click.option("--timeout", default=10.0, show_default=True, type=click.FloatRange(0.1), help="Seconds a query may run.")
@click.option("--max-rows", default=10000, show_default=True, type=click.IntRange(1), help="Rows or triples per answer.")
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 64), help="Query worker processes.")
@click.option("--allow-update", is_flag=True, help="Accept SPARQL updates on POST /update (one worker, read-write).")
@click.option("--license", "license_iri", default=None, help="dcterms:license of the dataset in the VoID description.")
@click.option("--quiet", "-q", is_flag=True, help="Do not log requests.")
def serve(store, host, port, base, timeout, max_rows, workers, allow_update, license_iri, quiet) -> None:
    """Serve the store: SPARQL at /sparql, entity pages at /id/..., VoID at /.well-known/void."""
    def stop(signum, frame):
        raise KeyboardInterrupt

    def ready(url: str) -> None:
        mode = "updates allowed at POST /update" if allow_update else "read-only"
        click.echo(f"kg: serving {store} at {url} (SPARQL: {url}sparql; {mode}); Ctrl-C stops")

    if host not in ("127.0.0.1", "localhost", "::1"):
        click.echo(f"kg: warning: listening on {host}; anyone who can reach it can query the store", err=True)
    signal.signal(signal.SIGTERM, stop)
    config = ServeConfig(store, host, port, base, timeout, max_rows, workers, allow_update,
                         license_iri or DEFAULT_LICENSE, quiet)
    try:
        run_serve(config, on_ready=ready)
    except KeyboardInterrupt:
        click.echo("kg: stopped", err=True)


@main.command()
@click.option("--endpoint", help="The server's SPARQL endpoint; the graph store is found beside it when known.")
@click.option("--graph-store", help="The Graph Store Protocol URL (e.g. Fuseki's /ds/data); overrides the guess.")
@click.option("--store", default=Path("exports/store"), show_default=True, type=click.Path(path_type=Path))
@click.option("--user", help="User name for basic or digest authentication.")
@click.option("--password", help="Password for --user (or set KG_PUSH_PASSWORD).", envvar="KG_PUSH_PASSWORD")
@click.option("--token", help="Bearer token (QLever's access token).", envvar="KG_PUSH_TOKEN")
@click.option("--format", "fmt", default="ntriples", show_default=True, type=click.Choice(["ntriples", "turtle"]))
@click.option("--retries", default=4, show_default=True, type=click.IntRange(0, 10), help="Retries per graph.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
def push(endpoint, graph_store, store, user, password, token, fmt, retries, quiet) -> None:
    """Load every article graph into a SPARQL server (Graph Store Protocol PUT, one graph each)."""
    if not endpoint and not graph_store:
        raise UsageError("pass --endpoint (a SPARQL endpoint) or --graph-store (a Graph Store Protocol URL)")
    target = graph_store or graph_store_url(endpoint, authenticated=user is not None)
    total = count_graphs(store)
    with tqdm(total=total, unit="graph", disable=quiet or total < 2, file=sys.stderr) as bar:
        report = run_push(store, target, user=user, password=password, token=token, fmt=fmt, retries=retries,
                          progress=bar.update)
    for graph, reason in report.failed:
        click.echo(f"kg: failed {graph}: {reason}", err=True)
    click.echo(report.summary())
    if report.failed:
        sys.exit(INVALID_DATA)


if __name__ == "__main__":
    main()
