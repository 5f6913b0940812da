"""The build: article files -> extractions -> quads -> every output, written atomically.

Each article is read, extracted and serialised on its own (kg.pipeline.articles, in a
worker process with ``jobs > 1``, or on Dask with kg.pipeline.distributed), or taken from
the cache (kg.pipeline.cache); the results stream, in file order, into an N-Quads and a
TriG file in a staging folder (kg.pipeline.staging). The store is bulk-loaded from the
N-Quads, or updated graph by graph, with the union of the article graphs as its default
graph; the Turtle, the JSON-LD and the HTML page are written (kg.pipeline.outputs), and
only then is every output renamed into place: a crash at any point leaves the previous
outputs whole.
"""
from __future__ import annotations

import shutil
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path

from ..errors import InputError, UsageError
from ..export.rdf import TrigWriter
from ..iris import DEFAULT_BASE, check_base
from ..store.load import load_store, recover
from ..text.read import find_articles
from .articles import ArticleResult, process_article, run_jobs
from .cache import CACHE_DIR, MANIFEST, ArticleCache, Manifest, article_digest, code_fingerprint
from .outputs import update_store, write_outputs
from .staging import new_stage, publish, remove_abandoned_stages

__all__ = ["ArticleResult", "BuildReport", "build", "process_article"]


@dataclass
class BuildReport:
    out: Path
    articles: int = 0
    quads: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    extracted: int = 0  # articles read and extracted in this run (the others came from the cache)
    removed: int = 0  # articles pruned from the dataset
    incremental: bool = False  # the store was updated graph by graph rather than loaded anew
    timings: dict[str, float] = field(default_factory=dict)  # seconds per phase of the build


def build(
    paths: Iterable[Path],
    out: Path,
    *,
    base: str = DEFAULT_BASE,
    jobs: int = 1,
    html: bool = True,
    progress: Callable[[int], None] | None = None,
    runner: Callable[[list], Iterator[ArticleResult]] | None = None,
    incremental: bool = True,
    prune: bool = False,
) -> BuildReport:
    """Build every output for the articles under ``paths`` into ``out``.

    When ``out`` already holds a dataset built by the same kg with the same base, only
    new and changed articles are extracted, and the store is updated graph by graph;
    articles of the earlier build that are not among ``paths`` stay unless ``prune``.

    >>> build([Path("seeds")], Path("exports"))  # doctest: +SKIP
    """
    check_base(base)
    articles = find_articles([Path(p) for p in paths])
    if not articles:
        raise UsageError(f"no .txt articles under {', '.join(map(str, paths))}")
    out.mkdir(parents=True, exist_ok=True)
    recover(out / "store")
    previous = Manifest.load(out) if incremental else Manifest()
    reuse_store = incremental and previous.compatible(base) and (out / "store" / "CURRENT").exists()
    if not previous.compatible(base):
        previous = Manifest()
    plan = _plan(articles, base, previous, prune)
    report = BuildReport(out, incremental=reuse_store, removed=len(plan.removed))
    cache = ArticleCache(out / CACHE_DIR)
    remove_abandoned_stages(out)
    stage = new_stage(out)
    try:
        results = _results(plan, cache if incremental else None, runner or (lambda j: run_jobs(j, jobs)), report)
        manifest = Manifest(base, code_fingerprint(), {})
        started = time.perf_counter()
        changed = _write_articles(results, stage, report, progress, previous, manifest)
        report.timings["articles"] = time.perf_counter() - started
        if report.articles == 0:
            raise InputError(f"none of the {len(articles)} articles could be built; first error: {report.failed[0][1]}")
        manifest.save(stage / MANIFEST)
        if reuse_store:
            make_store = partial(update_store, out / "store", stage, previous, manifest, changed)
        else:
            make_store = partial(load_store, stage / "graph.nq", stage / "union.nt", stage / "store")
        write_outputs(stage, html, make_store, report.quads, report.timings)
        started = time.perf_counter()
        publish(stage, out)
        report.timings["publish"] = time.perf_counter() - started
        cache.keep_only({entry["digest"] for entry in manifest.articles.values()})
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    return report


@dataclass
class _Plan:
    entries: list[tuple[str, tuple[str, str, str], str]]  # (manifest key, job, cache key), in output order
    removed: list[str]  # manifest keys of articles pruned away


def _plan(articles, base: str, previous: Manifest, prune: bool) -> _Plan:
    entries = {}
    for file, root in articles:
        key = str(file.resolve())
        entries[key] = (key, (str(file), str(root), base), article_digest(file, str(file.relative_to(root)), base))
    removed = []
    for key, entry in previous.articles.items():
        if key in entries:
            continue
        if prune:
            removed.append(key)
        else:  # kept from the earlier build: served from the cache
            entries[key] = (key, (entry["file"], entry["root"], base), entry["digest"])
    return _Plan([entries[k] for k in sorted(entries)], removed)


def _results(plan: _Plan, cache: ArticleCache | None, run, report: BuildReport) -> Iterator[tuple]:
    """(manifest key, cache key, input root, result) in plan order: cached results, or extracted ones."""
    cached = {digest: cache.get(digest) for _, _, digest in plan.entries} if cache else {}
    misses = [(key, job, digest) for key, job, digest in plan.entries if cached.get(digest) is None]
    fresh = run([job for _, job, _ in misses])
    for key, job, digest in plan.entries:
        result = cached.get(digest)
        if result is None:
            result = next(fresh)
            report.extracted += 1
            if cache is not None and not result.error:
                cache.put(digest, result)
        yield key, digest, job[1], replace(result, path=job[0])


def _write_articles(results, stage: Path, report: BuildReport, progress, previous: Manifest,
                   manifest: Manifest) -> list[str]:
    """Stream every article into the staging files; return the manifest keys whose graph changed."""
    changed = []
    with (stage / "graph.nq").open("wb") as nq, (stage / "graph.trig").open("wb") as trig, \
            (stage / "union.nt").open("wb") as nt, (stage / "changed.nq").open("wb") as delta:
        writer = TrigWriter(trig)
        for key, digest, root, result in results:
            if result.error:
                report.failed.append((result.path, result.error))
            else:
                nq.write(result.nquads)
                nt.write(result.ntriples)
                writer.write_bytes(result.trig)
                report.articles += 1
                report.quads += result.triples
                manifest.articles[key] = {"digest": digest, "iri": result.iri, "file": result.path, "root": root}
                if previous.articles.get(key, {}).get("digest") != digest:
                    delta.write(result.nquads)
                    changed.append(key)
            if progress:
                progress(1)
    return changed
