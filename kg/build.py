"""The build: article files -> extractions -> quads -> every output, written atomically.

Each article is read, extracted and serialised on its own (in a worker process
with ``jobs > 1``); the results stream, in file order, into an N-Quads and a
TriG file in a staging folder. The store is bulk-loaded from the N-Quads, the
Turtle and JSON-LD union and the HTML page are written from the store, and
only then is every output renamed into place: a crash at any point leaves the
previous outputs whole.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from .errors import InputError, KGError, StoreError
from .export.rdf import TrigWriter, build_union, union_groups, write_jsonld, write_union_turtle
from .export.store import load_store, recover, swap_in
from .extract import extract
from .graph import PREFIXES, build_quads
from .iris import DEFAULT_BASE, article_key, check_base, key_iri
from .text import find_articles, read_document

OUTPUT_FILES = ("graph.trig", "graph.nq", "graph.ttl", "graph.jsonld", "graph.html", "graph.graphml")


@dataclass(frozen=True)
class ArticleResult:
    """One article's serialised quads, or the error that stopped it."""

    path: str
    nquads: bytes = b""
    trig: bytes = b""
    ntriples: bytes = b""
    triples: int = 0
    error: str = ""


@dataclass
class BuildReport:
    out: Path
    articles: int = 0
    quads: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)


def process_article(job: tuple[str, str, str]) -> ArticleResult:
    """Read, extract and serialise one article; never raises for a bad article."""
    file, root, base = job
    try:
        doc = read_document(Path(file), Path(root))
        iri = key_iri(base, article_key(doc.path))
        quads = build_quads(extract(doc), base, iri)
        nq = ox.serialize(quads, format=ox.RdfFormat.N_QUADS)
        trig = ox.serialize(quads, format=ox.RdfFormat.TRIG, prefixes=PREFIXES)
        nt = ox.serialize([q.triple for q in quads], format=ox.RdfFormat.N_TRIPLES)
        return ArticleResult(file, nq, trig, nt, len(quads))
    except KGError as exc:
        return ArticleResult(file, error=str(exc))
    except Exception as exc:  # an extractor bug must not lose the other articles
        return ArticleResult(file, error=f"{file}: internal error while extracting ({type(exc).__name__}: {exc})")


def run_jobs(jobs: list[tuple[str, str, str]], workers: int) -> Iterator[ArticleResult]:
    """Results in input order, from ``workers`` processes when more than one."""
    if workers <= 1 or len(jobs) < 2:
        yield from map(process_article, jobs)
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        yield from pool.map(process_article, jobs, chunksize=8)


def build(
    paths: Iterable[Path],
    out: Path,
    *,
    base: str = DEFAULT_BASE,
    jobs: int = 1,
    html: bool = True,
    progress: Callable[[int], None] | None = None,
    runner: Callable[[list], Iterator[ArticleResult]] | None = None,
) -> BuildReport:
    """Build every output for the articles under ``paths`` into ``out``.

    >>> build([Path("seeds")], Path("exports"))  # doctest: +SKIP
    """
    check_base(base)
    articles = find_articles([Path(p) for p in paths])
    if not articles:
        raise InputError(f"no .txt articles under {', '.join(map(str, paths))}")
    out.mkdir(parents=True, exist_ok=True)
    recover(out / "store")
    report = BuildReport(out)
    stage = Path(tempfile.mkdtemp(prefix=".kg-build-", dir=out))
    try:
        job_list = [(str(f), str(r), base) for f, r in articles]
        results = runner(job_list) if runner else run_jobs(job_list, jobs)
        _write_articles(results, stage, report, progress)
        if report.articles == 0:
            raise InputError(f"none of the {len(articles)} articles could be built; first error: {report.failed[0][1]}")
        _finish(stage, html)
        _publish(stage, out)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    return report


def _write_articles(results, stage: Path, report: BuildReport, progress) -> None:
    with (stage / "graph.nq").open("wb") as nq, (stage / "graph.trig").open("wb") as trig, \
            (stage / "union.nt").open("wb") as nt:
        writer = TrigWriter(trig)
        for result in results:
            if result.error:
                report.failed.append((result.path, result.error))
            else:
                nq.write(result.nquads)
                nt.write(result.ntriples)
                writer.write_bytes(result.trig)
                report.articles += 1
                report.quads += result.triples
            if progress:
                progress(1)


def _finish(stage: Path, html: bool) -> None:
    store = load_store(stage / "graph.nq", stage / "store")
    union = build_union(stage / "union.nt", stage / "union")
    write_union_turtle(union, stage / "graph.ttl")
    write_jsonld(union_groups(union), stage / "graph.jsonld")
    del union
    if html:
        from .export.html import write_html

        write_html(store, stage / "graph.html")
    del store


def _publish(stage: Path, out: Path) -> None:
    """Move every finished output into ``out``: files by atomic rename, the store by swap."""
    try:
        for name in OUTPUT_FILES:
            if (stage / name).exists():
                os.replace(stage / name, out / name)
        swap_in(stage / "store", out / "store")
    except OSError as exc:
        raise StoreError(f"cannot move the new outputs into {out}: {exc}") from None
