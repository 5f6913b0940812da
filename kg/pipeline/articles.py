"""One article's part of a build: read, extract, turn into quads and serialise, on its own,
so that it can run in a worker process or on a Dask worker."""
from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from ..errors import KGError
from ..extract import extract
from ..graph import build_quads
from ..iris import article_key, key_iri
from ..text.read import read_document
from ..vocab import PREFIXES


@dataclass(frozen=True)
class ArticleResult:
    """One article's serialised quads, or the error that stopped it."""

    path: str
    iri: str = ""
    nquads: bytes = b""
    trig: bytes = b""
    ntriples: bytes = b""
    triples: int = 0
    error: str = ""


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
        return ArticleResult(file, iri, nq, trig, nt, len(quads))
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
