"""Speed on real text: ``python -m benchmarks.speed CORPUS``.

It measures, in one run on the same texts: extraction throughput against
underthesea's ``ner``; the store load against a bare ``pyoxigraph.Store.bulk_load``;
TriG, Turtle and JSON-LD writing against pyoxigraph's serializers; wall time and peak
memory of ``kg build`` with 1 and 2 jobs; how both grow on 1x, 2x and 4x the corpus;
the latency of the competency queries. The quality scores, of the seed and of the VLSP 2016
NER test text, are benchmarks.quality's. Every time is printed beside a ratio: on a shared,
noisy machine the ratios (and CPU seconds) carry over, wall seconds do not.

    python -m benchmarks.speed ../shared/corpus/dantri --sizes 1,2,4
"""
from __future__ import annotations

import argparse
import io
import math
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path

from benchmarks import default_shared

TARGETS = {  # name -> (bound, True when the figure must be at least the bound)
    "extraction vs underthesea (CPU)": (25.0, True),
    "full build --jobs 2, wall s": (30.0, False),
    "store load vs bare bulk_load": (0.7, True),
    "growth 1x->4x, wall time": (4.4, False),
    "growth 1x->4x, CPU time": (4.4, False),
    "growth 1x->4x, peak memory": (1.5, False),
    "slowest competency query median, ms": (100.0, False),
}


# -- pure helpers -------------------------------------------------------------

def count_syllables(text: str) -> int:
    """Whitespace-separated syllables, the unit of Vietnamese text throughput.

    >>> count_syllables("Bộ trưởng  Bộ Y tế\\nphát biểu.")
    7
    """
    return len(text.split())


def fmt_ratio(value: float | None) -> str:
    """``12.345`` -> ``'12.3x'``; missing or infinite -> ``'n/a'``."""
    if value is None or not math.isfinite(value):
        return "n/a"
    return f"{value:.2f}x" if value < 10 else f"{value:.1f}x"


def fmt_bytes(n: int | None) -> str:
    return "n/a" if n is None else f"{n / 2**20:,.0f} MB"


def ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a is not None and b else None


def check(name: str, value: float | None) -> tuple[str, str, str, str]:
    """One row of the targets table: name, measured, target, verdict."""
    bound, at_least = TARGETS[name]
    sign = ">=" if at_least else "<="
    ok = value is not None and (value >= bound if at_least else value <= bound)
    return name, "n/a" if value is None else f"{value:,.2f}", f"{sign} {bound:g}", "ok" if ok else "MISSED"


def table(header: Sequence[str], rows: Sequence[Sequence]) -> str:
    """Rows as left-aligned text columns."""
    cells = [[str(c) for c in header], *([str(c) for c in row] for row in rows)]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in cells)


def spread_sample(weights: Sequence[int], budget: int) -> list[int]:
    """Indices spread evenly over the items whose weights add up to about ``budget``.

    >>> spread_sample([10] * 10, 30)
    [0, 3, 6, 9]
    """
    total = sum(weights)
    if total <= budget:
        return list(range(len(weights)))
    step = max(1, round(total / budget))
    return list(range(0, len(weights), step))


def copy_corpus(files: Sequence[Path], dest: Path, times: int) -> Path:
    """``times`` copies of ``files`` in ``dest``, each copy's names prefixed ``c<k>-``."""
    dest.mkdir(parents=True, exist_ok=True)
    for k in range(times):
        for f in files:
            shutil.copyfile(f, dest / f"c{k}-{f.name}")
    return dest


# -- measuring ----------------------------------------------------------------

@dataclass
class Timing:
    wall: float = 0.0
    cpu: float = 0.0

    def __add__(self, other: Timing) -> Timing:
        return Timing(self.wall + other.wall, self.cpu + other.cpu)


def timed(fn: Callable, *args) -> tuple[Timing, object]:
    wall, cpu = time.perf_counter(), time.process_time()
    value = fn(*args)
    return Timing(time.perf_counter() - wall, time.process_time() - cpu), value


@dataclass
class Run:
    """One measured subprocess: wall and CPU seconds (children included) and peak memory."""

    wall: float
    cpu: float
    max_rss: int  # the largest single process of the tree (wait4's ru_maxrss)
    tree_rss: int | None  # the largest sum over the process and its children (psutil, every 20 ms)
    returncode: int
    output: str


def run_measured(cmd: list[str]) -> Run:
    """Run ``cmd``; its rusage comes from wait4 on it alone, so earlier runs do not leak in."""
    with tempfile.TemporaryFile() as log:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT)
        peak: list[int | None] = [None]
        sampler = threading.Thread(target=_sample_tree, args=(proc.pid, peak), daemon=True)
        sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        sampler.join()
        log.seek(0)
        output = log.read().decode(errors="replace")
    largest = usage.ru_maxrss * 1024
    tree = None if peak[0] is None else max(peak[0], largest)  # a sample can miss a short peak
    return Run(wall, usage.ru_utime + usage.ru_stime, largest, tree, proc.returncode, output)


def _sample_tree(pid: int, peak: list) -> None:
    try:
        import psutil
    except ImportError:
        return
    try:
        root = psutil.Process(pid)
        while root.status() != psutil.STATUS_ZOMBIE:
            total = 0
            for p in [root, *root.children(recursive=True)]:
                try:
                    total += p.memory_info().rss
                except psutil.Error:
                    pass
            peak[0] = max(peak[0] or 0, total)
            time.sleep(0.02)
    except psutil.Error:
        pass


def kg_build(paths: Sequence[Path], out: Path, jobs: int) -> Run:
    cmd = [sys.executable, "-m", "kg", "build", *map(str, paths), "--out", str(out), "--jobs", str(jobs), "-q"]
    run = run_measured(cmd)
    if run.returncode not in (0, 1):
        raise RuntimeError(f"`{' '.join(cmd)}` failed with exit code {run.returncode}:\n{run.output[-2000:]}")
    return run


def say(*lines: str) -> None:
    print(*lines, sep="\n", flush=True)


# -- the sections of ``speed`` ------------------------------------------------

def bench_extraction(docs: list, peer_syllables: int) -> tuple[str, float | None]:
    from kg.extract import extract

    extract(docs[0])  # loads the lexicons: not part of the throughput
    syllables = [count_syllables(d.text) for d in docs]
    per_doc = [timed(extract, d)[0] for d in docs]
    kg_all = sum(per_doc, Timing())
    total = sum(syllables)
    rows = [("kg extract, every article", f"{len(docs):,} articles", f"{total:,}",
             f"{kg_all.wall:.1f}", f"{kg_all.cpu:.1f}", f"{total / kg_all.wall:,.0f}", f"{total / kg_all.cpu:,.0f}")]
    sample = spread_sample(syllables, peer_syllables)
    s_syl = sum(syllables[i] for i in sample)
    kg_s = sum((per_doc[i] for i in sample), Timing())
    rows.append(("kg extract, sample", f"{len(sample):,} articles", f"{s_syl:,}", f"{kg_s.wall:.2f}", f"{kg_s.cpu:.2f}",
                 f"{s_syl / kg_s.wall:,.0f}", f"{s_syl / kg_s.cpu:,.0f}"))
    peer = _underthesea([docs[i] for i in sample])
    speedup = None
    if peer is not None:
        ut, sents, failed = peer
        rows.append((f"underthesea 9.5 ner, sample ({sents:,} sentences{f', {failed} failed' if failed else ''})",
                     f"{len(sample):,} articles", f"{s_syl:,}", f"{ut.wall:.1f}", f"{ut.cpu:.1f}",
                     f"{s_syl / ut.wall:,.0f}", f"{s_syl / ut.cpu:,.0f}"))
        speedup = ratio(ut.cpu, kg_s.cpu)
        extra = (f"underthesea on the whole corpus, extrapolated per syllable: {total * ut.wall / s_syl:,.0f} s wall, "
                 f"{total * ut.cpu / s_syl:,.0f} s CPU (kg: {kg_all.wall:,.0f} s, {kg_all.cpu:,.0f} s)\n"
                 f"kg / underthesea throughput on the same sample: {fmt_ratio(speedup)} by CPU time, "
                 f"{fmt_ratio(ratio(ut.wall, kg_s.wall))} by wall time")
    else:
        extra = "underthesea is not installed (pip install 'kg[bench]'): no peer figure"
    head = ("run", "texts", "syllables", "wall s", "CPU s", "syl/s wall", "syl/s CPU")
    return table(head, rows) + "\n" + extra, speedup


def _underthesea(docs: list) -> tuple[Timing, int, int] | None:
    try:
        from underthesea import ner
    except ImportError:
        return None
    from kg.text.tokens import sentences

    texts = [d.text[b:e].strip() for d in docs for b, e in sentences(d.text)]
    texts = [t for t in texts if t]
    ner(texts[0])  # loads the model
    failed = 0

    def run_all() -> None:
        nonlocal failed
        for t in texts:
            try:
                ner(t)
            except Exception:  # a peer's crash on one sentence is counted, not fatal
                failed += 1

    return timed(run_all)[0], len(texts), failed


def bench_store(nq: Path, work: Path, repeats: int) -> tuple[str, float | None]:
    import pyoxigraph as ox

    from kg.store.load import load_store

    union = union_triples(nq, work / "union.nt")

    def bare(i: int) -> Timing:
        store = ox.Store(str(work / f"bare{i}"))
        return timed(lambda: (store.bulk_load(path=str(nq), format=ox.RdfFormat.N_QUADS),
                              store.bulk_load(path=str(union), format=ox.RdfFormat.N_TRIPLES)))[0]

    def kg(i: int) -> Timing:
        return timed(load_store, nq, union, work / f"kg{i}")[0]

    runs = {"bare": [], "kg": []}
    for i in range(repeats):  # interleaved, so that a noisy minute hurts both
        runs["bare"].append(bare(i))
        runs["kg"].append(kg(i))
    b = Timing(min(r.wall for r in runs["bare"]), min(r.cpu for r in runs["bare"]))
    k = Timing(min(r.wall for r in runs["kg"]), min(r.cpu for r in runs["kg"]))
    memory = ox.Store()
    mem = timed(lambda: (memory.bulk_load(path=str(nq), format=ox.RdfFormat.N_QUADS),
                         memory.bulk_load(path=str(union), format=ox.RdfFormat.N_TRIPLES)))[0]
    quads = len(memory)
    del memory
    rows = [("bare Store(path).bulk_load, whole files", f"{b.wall:.1f}", f"{b.cpu:.1f}", f"{quads / b.wall:,.0f}", "1.00x"),
            ("kg load_store (chunked, side by side)", f"{k.wall:.1f}", f"{k.cpu:.1f}", f"{quads / k.wall:,.0f}",
             fmt_ratio(ratio(b.wall, k.wall))),
            ("(reference) in-memory Store().bulk_load", f"{mem.wall:.1f}", f"{mem.cpu:.1f}", f"{quads / mem.wall:,.0f}",
             fmt_ratio(ratio(b.wall, mem.wall)))]
    for p in work.glob("*"):
        shutil.rmtree(p, ignore_errors=True) if p.is_dir() else p.unlink()
    head = (f"load of {quads:,} quads: article graphs + union (best of {repeats})", "wall s", "CPU s", "quads/s", "speed vs bare")
    return table(head, rows), ratio(b.wall, k.wall)


def union_triples(nq: Path, out: Path) -> Path:
    """The triples of an N-Quads file as N-Triples (what a build writes beside its N-Quads)."""
    import pyoxigraph as ox

    ox.serialize((q.triple for q in ox.parse(path=str(nq), format=ox.RdfFormat.N_QUADS)),
                 output=str(out), format=ox.RdfFormat.N_TRIPLES)
    return out


def bench_writers(nq: Path, work: Path) -> str:
    import pyoxigraph as ox

    from kg.export.rdf import (TrigWriter, one_label_per_language, union_groups, union_quads, write_jsonld,
                              write_union, write_union_turtle)
    from kg.store.load import load_store
    from kg.graph import PREFIXES

    quads = list(ox.parse(path=str(nq), format=ox.RdfFormat.N_QUADS))
    groups = [list(g) for _, g in groupby(quads, key=lambda q: q.graph_name)]
    union = load_store(nq, union_triples(nq, work / "union.nt"), work / "store")

    def kg_trig() -> None:
        writer = TrigWriter(io.BytesIO())
        for group in groups:
            writer.write(group)

    rows = []
    t_kg = timed(kg_trig)[0]
    t_ox = timed(lambda: ox.serialize(quads, format=ox.RdfFormat.TRIG, prefixes=PREFIXES))[0]
    rows.append((f"TriG, {len(groups):,} graphs", "per-article serialize + TrigWriter", f"{t_kg.wall:.2f}",
                 "ox.serialize(dataset)", f"{t_ox.wall:.2f}", fmt_ratio(ratio(t_ox.wall, t_kg.wall))))
    t_union = timed(one_label_per_language, union)[0]
    triples = [q.triple for q in union.quads_for_pattern(None, None, None, ox.DefaultGraph())]
    t_kg = timed(lambda: write_union_turtle(union_quads(union, in_order=False), work / "graph.ttl"))[0]
    t_dump_ttl = timed(lambda: union.dump(str(work / "dump.ttl"), format=ox.RdfFormat.TURTLE,
                                          from_graph=ox.DefaultGraph(), prefixes=PREFIXES))[0]
    t_ox = timed(lambda: ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES))[0]
    rows.append((f"Turtle, {len(triples):,} triples", "write_union_turtle (from the store)", f"{t_kg.wall:.2f}",
                 "Store.dump(default graph)", f"{t_dump_ttl.wall:.2f}", fmt_ratio(ratio(t_dump_ttl.wall, t_kg.wall))))
    rows.append(("  + label fixes before it", "one_label_per_language", f"{t_union.wall:.2f}",
                 "", "", fmt_ratio(ratio(t_dump_ttl.wall, t_kg.wall + t_union.wall))))
    rows.append(("  (reference) no store", "", "", "ox.serialize(list of triples)", f"{t_ox.wall:.2f}",
                 fmt_ratio(ratio(t_ox.wall, t_kg.wall))))
    t_kg = timed(lambda: write_jsonld(union_groups(union_quads(union, in_order=False)), work / "graph.jsonld"))[0]
    t_dump_jsonld = timed(lambda: union.dump(str(work / "dump.jsonld"), format=ox.RdfFormat.JSON_LD,
                                             from_graph=ox.DefaultGraph()))[0]
    rows.append(("JSON-LD", "write_jsonld (compacted)", f"{t_kg.wall:.2f}", "Store.dump (expanded)",
                 f"{t_dump_jsonld.wall:.2f}", fmt_ratio(ratio(t_dump_jsonld.wall, t_kg.wall))))
    t_kg = timed(lambda: write_union(union_quads(union, in_order=False), work / "graph.ttl", work / "graph.jsonld"))[0]
    t_dumps = t_dump_ttl.wall + t_dump_jsonld.wall
    rows.append(("Turtle + JSON-LD (as a build)", "write_union (one pass)", f"{t_kg.wall:.2f}",
                 "the two Store.dump above", f"{t_dumps:.2f}", fmt_ratio(ratio(t_dumps, t_kg.wall))))
    head = ("output", "kg", "wall s", "pyoxigraph", "wall s", "kg speed vs pyoxigraph")
    return table(head, rows)


def bench_queries(store_dir: Path, queries: Path, repeats: int) -> tuple[str, float | None]:
    import pyoxigraph as ox

    from kg.store.load import union_options

    store = ox.Store.read_only(str(store_dir))
    options = union_options(store)
    rows, medians = [], []
    for rq in sorted(queries.glob("*.rq")):
        text = rq.read_text(encoding="utf-8")
        n = len(list(store.query(text, **options)))  # warm the caches
        unique = re.sub(r"SELECT\s+(?!\s|DISTINCT|REDUCED)", "SELECT DISTINCT ", text, count=1, flags=re.I)
        distinct = len(list(store.query(unique, **options)))
        times = [timed(lambda: list(store.query(text, **options)))[0].wall * 1000
                 for _ in range(repeats)]
        medians.append(statistics.median(times))
        rows.append((rq.stem, f"{n:,}", f"{distinct:,}", f"{medians[-1]:.1f}", f"{max(times):.1f}",
                     fmt_ratio(medians[-1] / 100)))
    head = ("query", "rows", "distinct rows", "median ms", "max ms", "median / 100 ms")
    return table(head, rows), max(medians) if medians else None


def build_row(label: str, run: Run, articles: int) -> tuple:
    return (label, f"{articles:,}", f"{run.wall:.1f}", f"{run.cpu:.1f}", f"{1000 * run.wall / articles:.1f}",
            fmt_bytes(run.max_rss), fmt_bytes(run.tree_rss))


BUILD_HEAD = ("build", "articles", "wall s", "CPU s", "wall ms/article", "peak RSS (largest process)",
              "peak RSS (process + children)")


def speed(corpus: Path, sizes: list[int], peer_syllables: int, repeats: int, limit: int | None, shared: Path) -> int:
    from kg.text.read import find_articles, read_document

    files = [f for f, _ in find_articles([corpus])][:limit]
    docs = [read_document(f, f.parent) for f in files]
    say(machine(), capacity_line(), f"corpus: {corpus} ({len(files):,} articles)", "")
    targets = []
    with tempfile.TemporaryDirectory(prefix="kg-bench-") as tmp:
        work = Path(tmp)
        src = copy_corpus(files, work / "x1", 1) if limit else corpus
        say("== extraction throughput (syllables/s) ==")
        text, speedup = bench_extraction(docs, peer_syllables)
        targets.append(check("extraction vs underthesea (CPU)", speedup))
        say(text, "")
        say("== full build, all exports ==")
        runs = {jobs: kg_build([src], work / f"out-j{jobs}", jobs) for jobs in (2, 1)}
        say(table(BUILD_HEAD, [build_row(f"--jobs {j}", runs[j], len(files)) for j in (1, 2)]),
            f"--jobs 2 vs --jobs 1: {fmt_ratio(ratio(runs[1].wall, runs[2].wall))} faster (wall), "
            f"{fmt_ratio(ratio(runs[2].cpu, runs[1].cpu))} the CPU; "
            f"--jobs 2 wall vs the 30 s target: {fmt_ratio(runs[2].wall / 30)}", "")
        targets.append(check("full build --jobs 2, wall s", runs[2].wall))
        shutil.rmtree(work / "out-j1")
        out = work / "out-j2"
        (work / "load").mkdir()
        say("== store load ==")
        text, load_ratio = bench_store(out / "graph.nq", work / "load", repeats)
        targets.append(check("store load vs bare bulk_load", load_ratio))
        say(text, "", "== writing TriG, Turtle, JSON-LD (same dataset) ==", bench_writers(out / "graph.nq", work / "load"), "")
        say("== competency queries against the corpus store (union default graph) ==")
        if (shared / "spec" / "competency").is_dir():
            text, slowest = bench_queries(out / "store", shared / "spec" / "competency", 9)
            targets.append(check("slowest competency query median, ms", slowest))
            say(text, "")
        else:
            say(f"skipped: no {shared}/spec/competency (pass --shared DIR, the shared/ folder)", "")
        growth = growth_table(files, sizes, work)
        targets += growth[1]
        say(*growth[0])
    say("== targets ==", table(("target", "measured", "bound", "verdict"), targets), "", "at the end: " + capacity_line())
    return 0


def growth_table(files: list[Path], sizes: list[int], work: Path) -> tuple[list[str], list]:
    """Builds with --jobs 2 on ``k`` copies of the corpus, one after the other, 1x included."""
    rows, found = [], {}
    for k in sizes:
        src = copy_corpus(files, work / f"x{k}", k)
        found[k] = run = kg_build([src], work / f"out-x{k}", 2)
        shutil.rmtree(src)
        shutil.rmtree(work / f"out-x{k}")
        one = found[1]
        rows.append((*build_row(f"{k}x", run, k * len(files)),
                     fmt_ratio(ratio(run.wall, one.wall)), fmt_ratio(ratio(run.cpu, one.cpu)),
                     fmt_ratio(ratio(run.max_rss, one.max_rss)), fmt_ratio(ratio(run.tree_rss, one.tree_rss))))
    head = (*BUILD_HEAD, "wall vs 1x", "CPU vs 1x", "peak (largest) vs 1x", "peak (tree) vs 1x")
    lines = ["== growth: kg build --jobs 2 on copies of the corpus ==", table(head, rows), ""]
    checks = []
    if 4 in found:
        one, four = found[1], found[4]
        checks = [check("growth 1x->4x, wall time", ratio(four.wall, one.wall)),
                  check("growth 1x->4x, CPU time", ratio(four.cpu, one.cpu)),
                  check("growth 1x->4x, peak memory", ratio(four.tree_rss or four.max_rss, one.tree_rss or one.max_rss))]
    return lines, checks


def _spin(n: int) -> float:
    wall, cpu = time.perf_counter(), time.process_time()
    total = 0
    for i in range(n):
        total += i
    return (time.process_time() - cpu) / (time.perf_counter() - wall)


def capacity(processes: int = 2, loops: int = 10**7) -> list[float]:
    """CPU seconds each of ``processes`` busy processes gets per wall second (1.0: a whole core).

    On a shared virtual machine this is well under 1: wall times there are stretched by it.
    """
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(processes) as pool:
        return list(pool.map(_spin, [loops] * processes))


def capacity_line() -> str:
    one, two = capacity(1), capacity(2)
    return (f"CPU this machine gives now (CPU s per wall s, 1.00 = a whole core): one busy process {one[0]:.2f}, "
            f"two busy processes {' and '.join(f'{x:.2f}' for x in two)}")


def machine() -> str:
    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), "unknown CPU") if Path("/proc/cpuinfo").exists() else "unknown CPU"
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return f"machine: {os.cpu_count()} CPUs ({model}), {mem / 2**30:.1f} GiB RAM, load average {load}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.speed", description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--sizes", default="1,2,4", help="corpus multiples for the growth table (default 1,2,4)")
    parser.add_argument("--peer-syllables", type=int, default=30000,
                        help="syllables of the sample that underthesea runs on (default 30000)")
    parser.add_argument("--repeats", type=int, default=2, help="runs of each store load; the best counts (default 2)")
    parser.add_argument("--limit", type=int, help="only the first N articles (a quick run)")
    parser.add_argument("--shared", type=Path, default=default_shared(), help="the shared/ folder (spec, eval, data)")
    args = parser.parse_args(argv)
    if not args.corpus.is_dir():
        parser.error(f"{args.corpus} is not a folder of .txt articles")
    sizes = sorted({int(s) for s in args.sizes.split(",")} | {1})
    return speed(args.corpus, sizes, args.peer_syllables, args.repeats, args.limit, args.shared)


if __name__ == "__main__":
    sys.exit(main())
