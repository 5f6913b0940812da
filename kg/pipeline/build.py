"""The build: article files -> extractions -> quads -> every output, written atomically.

Each article is read, extracted and serialised on its own (in a worker process
with ``jobs > 1``); the results stream, in file order, into an N-Quads and a
TriG file in a staging folder. The store is bulk-loaded from the N-Quads, with
the union of the article graphs as its default graph; the Turtle, the JSON-LD
and the HTML page are written from the store, and only then is every output renamed into place: a crash at any point leaves the
previous outputs whole.
"""
from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
import multiprocessing
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from functools import partial
from dataclasses import dataclass, field, replace
from pathlib import Path

import pyoxigraph as ox

from ..errors import InputError, KGError, StoreError, UsageError
from .cache import CACHE_DIR, MANIFEST, ArticleCache, Manifest, article_digest, code_fingerprint
from ..export.html import write_html
from ..export.rdf import TrigWriter, one_label_per_language, union_quads, write_union
from ..store.load import bulk_load_lines, load_store, recover, swap_in
from ..extract import extract
from ..graph import build_quads
from ..iris import DEFAULT_BASE, article_key, check_base, key_iri
from ..text.read import find_articles, read_document
from ..vocab import PREFIXES

OUTPUT_FILES = ("graph.trig", "graph.nq", "graph.ttl", "graph.jsonld", "graph.html", "graph.graphml", MANIFEST)
"""Published in this order; the manifest must stay last."""
STAGING = ".kg-build-"
MEMORY_QUADS = 1_000_000
"""Datasets of up to this many quads (about 1 GB of memory) are exported from a copy in memory."""


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
    _remove_abandoned_stages(out)
    stage = Path(tempfile.mkdtemp(prefix=f"{STAGING}{os.getpid()}-", dir=out))
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
            make_store = partial(_update_store, out / "store", stage, previous, manifest, changed)
        else:
            make_store = partial(load_store, stage / "graph.nq", stage / "union.nt", stage / "store")
        _finish(stage, html, make_store, report.quads, report.timings)
        started = time.perf_counter()
        _publish(stage, out)
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


def _update_store(current: Path, stage: Path, previous: Manifest, manifest: Manifest, changed: list[str]) -> ox.Store:
    """The new store as a cheap snapshot of the current one with only the changed graphs
    replaced, and the union (the default graph) loaded anew."""
    ox.Store.read_only(str(current)).backup(str(stage / "store"))
    store = ox.Store(str(stage / "store"))
    gone = [k for k in previous.articles if k not in manifest.articles or k in changed]
    for key in gone:
        store.remove_graph(ox.NamedNode(previous.articles[key]["iri"]))
    store.clear_graph(ox.DefaultGraph())
    if changed:
        bulk_load_lines(store, stage / "changed.nq", ox.RdfFormat.N_QUADS)
    bulk_load_lines(store, stage / "union.nt", ox.RdfFormat.N_TRIPLES)
    return store


def _finish(stage: Path, html: bool, make_store: Callable[[], ox.Store], quads: int,
            timings: dict[str, float]) -> None:
    """Store, Turtle, JSON-LD and HTML, overlapped where they do not wait on each other.

    The store holds the article graphs and, as its default graph, their union with one label
    per language. Reading an on-disk store term by term is about ten times slower than
    reading one in memory, so up to ``MEMORY_QUADS`` quads the exports are written from a
    working copy in memory while the store loads beside it (the loader releases the GIL);
    the page is drawn in a forked child from the same copy while this process writes the
    Turtle and the JSON-LD. Larger datasets are read back from the store, keeping memory flat.
    """
    clock = time.perf_counter()
    with ThreadPoolExecutor(max_workers=1) as pool:
        loading = pool.submit(_make_and_close, make_store, timings)
        in_memory = quads <= MEMORY_QUADS
        if in_memory:
            union = _working_copy(stage)
        else:
            loading.result()
            union = ox.Store.read_only(str(stage / "store"))
        timings["union"] = time.perf_counter() - clock
        page = multiprocessing.get_context("fork").Process(target=_write_page, args=(stage, union)) if html else None
        try:
            if page is not None:
                page.start()
            clock = time.perf_counter()
            write_union(union_quads(union, in_order=in_memory), stage / "graph.ttl", stage / "graph.jsonld")
            timings["turtle + json-ld"] = time.perf_counter() - clock
            del union
            loading.result()
        finally:
            if page is not None:
                page.join()
                timings["html (in parallel)"] = time.perf_counter() - clock
    if page is not None and page.exitcode != 0:
        raise StoreError(f"drawing graph.html failed (exit code {page.exitcode}); rerun with --no-html to skip it")


def _make_and_close(make_store: Callable[[], ox.Store], timings: dict[str, float]) -> None:
    clock = time.perf_counter()
    store = make_store()
    one_label_per_language(store)
    store.flush()
    timings["store (in parallel)"] = time.perf_counter() - clock


def _working_copy(stage: Path) -> ox.Store:
    """The dataset in memory: the article graphs, and their union with one label per language."""
    store = ox.Store()
    store.bulk_load(path=str(stage / "graph.nq"), format=ox.RdfFormat.N_QUADS)
    store.bulk_load(path=str(stage / "union.nt"), format=ox.RdfFormat.N_TRIPLES)
    one_label_per_language(store)
    return store


def _write_page(stage: Path, store: ox.Store) -> None:
    write_html(store, stage / "graph.html")


def _remove_abandoned_stages(out: Path) -> None:
    """Delete staging folders of builds that were killed (their process is gone)."""
    for folder in out.glob(f"{STAGING}*"):
        pid = folder.name[len(STAGING):].split("-", 1)[0]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _publish(stage: Path, out: Path) -> None:
    """Move every finished output into ``out``: the store by swap, files by atomic rename,
    and the manifest last, so that a build killed on the way leaves the old manifest, and the
    next build, trusting only that, redoes what it cannot be sure of."""
    try:
        swap_in(stage / "store", out / "store")
        for name in OUTPUT_FILES:
            if (stage / name).exists():
                os.replace(stage / name, out / name)
    except OSError as exc:
        raise StoreError(f"cannot move the new outputs into {out}: {exc}") from None
