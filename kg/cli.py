"""Command line: thin wrappers that call the library and turn KGError into exit codes.

Exit codes: 0 ok, 1 invalid data (some articles failed, SHACL violations), 2 bad usage.
"""
from __future__ import annotations

import sys
from pathlib import Path

import click

from .errors import InputError, KGError, StoreError, UsageError
from .iris import DEFAULT_BASE


class _Group(click.Group):
    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except (UsageError, InputError, StoreError) as exc:
            click.echo(f"kg: error: {exc}", err=True)
            ctx.exit(2)
        except KGError as exc:
            click.echo(f"kg: error: {exc}", err=True)
            ctx.exit(1)


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
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
def build(paths, out, base, jobs, no_html, quiet) -> None:
    """Build the graph of the articles in PATHS (files or folders of .txt)."""
    from tqdm import tqdm

    from .build import build as run_build
    from .text import find_articles

    try:
        from .iris import check_base

        check_base(base)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    total = len(find_articles(paths))
    with tqdm(total=total, unit="article", disable=quiet or total < 2, file=sys.stderr) as bar:
        report = run_build(paths, out, base=base, jobs=jobs, html=not no_html, progress=bar.update)
    for path, error in report.failed:
        click.echo(f"kg: skipped {path}: {error}", err=True)
    click.echo(f"built {report.articles} article(s), {report.quads} quads -> {out}"
               + (f"; {len(report.failed)} failed" if report.failed else ""))
    if report.failed:
        sys.exit(1)


@main.command()
@click.argument("query")
@click.option("--store", default=Path("exports/store"), show_default=True, type=click.Path(path_type=Path))
@click.option("--format", "fmt", default="table", show_default=True, type=click.Choice(["table", "csv", "json"]))
def query(query, store, fmt) -> None:
    """Run a SPARQL QUERY (text or a .rq file) against the store."""
    from .query import run_query

    text = Path(query).read_text(encoding="utf-8") if query.endswith((".rq", ".sparql")) and Path(query).is_file() else query
    click.echo(run_query(store, text, fmt), nl=False)


@main.command()
@click.argument("file", type=click.Path(path_type=Path, exists=True, dir_okay=False))
def validate(file) -> None:
    """Check FILE (.ttl, .trig, .jsonld, .nq) against the SHACL shapes; exit 1 on violations."""
    from .validate import validate as run_validate

    conforms, report = run_validate(file)
    click.echo(report)
    sys.exit(0 if conforms else 1)


if __name__ == "__main__":
    main()
