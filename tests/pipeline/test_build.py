"""The whole build: outputs, determinism, atomic replacement, bad input, the seed's score floor."""
from __future__ import annotations

import importlib
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.pipeline.build import build
from kg.errors import InputError, UsageError

ROOT = Path(__file__).parents[2]
SHARED = ROOT.parent / "shared"
SEEDS = ROOT / "seeds"


def _articles(folder: Path, n: int = 6) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        (folder / f"a{i:02d}.txt").write_text(
            f"Tin số {i}\nBộ trưởng Bộ Tài chính Hồ Đức Phớc làm việc với UBND tỉnh Nghệ An ngày {i + 1}/5/2024.\n"
            f"Hội chợ Thương mại Vinh {2020 + i} thu hút {100 + i} gian hàng.\nThu Hà\n", encoding="utf-8")
    return folder


def test_build_writes_every_output(tmp_path):
    out = tmp_path / "out"
    report = build([_articles(tmp_path / "in")], out)
    assert report.articles == 6 and not report.failed
    for name in ("graph.trig", "graph.ttl", "graph.jsonld", "graph.html", "graph.nq"):
        assert (out / name).stat().st_size > 0, name
    store = ox.Store.read_only(str(out / "store"))
    assert len(list(store.named_graphs())) == 6


def test_store_default_graph_is_the_union_in_graph_ttl(tmp_path):
    """Plain SPARQL on the store sees the union once: the triples of graph.ttl, no more."""
    out = tmp_path / "out"
    build([_articles(tmp_path / "in")], out)
    store = ox.Store.read_only(str(out / "store"))
    default = {q.triple for q in store.quads_for_pattern(None, None, None, ox.DefaultGraph())}
    assert default == {q.triple for q in ox.parse(path=str(out / "graph.ttl"), format=ox.RdfFormat.TURTLE)}
    per_article = sum(1 for q in store.quads_for_pattern(None, None, None, None) if q.graph_name != ox.DefaultGraph())
    assert len(default) < per_article  # the minister's triples, stated by every article, are there once
    minister = "SELECT ?p WHERE { ?p <http://www.w3.org/2000/01/rdf-schema#label> \"Hồ Đức Phớc\"@vi }"
    assert len(list(store.query(minister))) == 1
    assert len(list(store.query(minister, use_default_graph_as_union=True))) == 7  # six articles + the union


def test_build_is_deterministic_in_any_order(tmp_path):
    src = _articles(tmp_path / "in", 8)
    files = sorted(src.glob("*.txt"))
    random.Random(1).shuffle(files)
    build([src], tmp_path / "one")
    build(files, tmp_path / "two")
    for name in ("graph.trig", "graph.ttl", "graph.jsonld"):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes(), name


def test_same_entity_in_two_articles_is_one_node(tmp_path):
    out = tmp_path / "out"
    build([_articles(tmp_path / "in", 3)], out)
    store = ox.Store.read_only(str(out / "store"))
    rows = list(store.query(
        'SELECT DISTINCT ?o WHERE { GRAPH ?g { ?o <http://www.w3.org/2000/01/rdf-schema#label> "Bộ Tài chính"@vi } }'))
    assert len(rows) == 1


def test_bad_article_is_reported_and_the_others_build(tmp_path):
    src = _articles(tmp_path / "in", 2)
    (src / "broken.txt").write_bytes(b"Ti\xffu de\nbody")
    (src / "empty.txt").write_bytes(b"   \n")
    report = build([src], tmp_path / "out")
    assert report.articles == 2
    messages = dict(report.failed)
    assert "not UTF-8" in messages[str(src / "broken.txt")] and "broken.txt" in messages[str(src / "broken.txt")]
    assert "empty" in messages[str(src / "empty.txt")]


def test_rebuild_replaces_outputs_and_a_failed_build_keeps_them(tmp_path):
    out = tmp_path / "out"
    build([_articles(tmp_path / "in", 2)], out)
    before = (out / "graph.trig").read_bytes()
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "x.txt").write_bytes(b"\xff\xfe\xff")
    with pytest.raises(InputError):
        build([bad], out, prune=True)
    assert (out / "graph.trig").read_bytes() == before
    assert not list(out.glob(".kg-build-*")), "staging folders are cleaned up"


def test_missing_path_is_a_usage_error(tmp_path):
    with pytest.raises(UsageError, match="does not exist"):
        build([tmp_path / "nowhere"], tmp_path / "out")


@pytest.mark.skipif(not (SHARED / "eval" / "score_kg.py").exists(), reason="../shared (eval scripts, gold) is absent")
def test_seed_competency_score_floor(tmp_path):
    out = tmp_path / "out"
    build([SEEDS], out)
    result = subprocess.run([sys.executable, str(SHARED / "eval" / "score_kg.py"), str(out / "graph.trig"),
                             str(SHARED / "spec" / "gold")], capture_output=True, text=True, check=True)
    last = result.stdout.strip().splitlines()[-1]
    f1 = float(last.rsplit("F1=", 1)[1])
    assert f1 >= 0.95, result.stdout


def _store_quads(folder: Path) -> set[str]:
    store = ox.Store.read_only(str(folder))
    return {str(q) for q in store.quads_for_pattern(None, None, None, None)}


def test_incremental_rebuild_extracts_only_the_changed_article_and_equals_a_clean_build(tmp_path):
    src, out, clean = _articles(tmp_path / "in", 5), tmp_path / "out", tmp_path / "clean"
    first = build([src], out)
    assert first.extracted == 5 and not first.incremental
    (src / "a02.txt").write_text("Tin mới\nThứ trưởng Bộ Y tế Đỗ Xuân Tuyên thăm Đà Nẵng.\nMai Anh\n", encoding="utf-8")
    (src / "z.txt").write_text("Tin thêm\nÔng Lê Văn Hùng phát biểu tại Hà Nội.\n", encoding="utf-8")
    again = build([src], out)
    assert again.incremental and again.extracted == 2 and again.articles == 6
    build([src], clean, incremental=False)
    assert _store_quads(out / "store") == _store_quads(clean / "store")
    for name in ("graph.trig", "graph.ttl", "graph.nq"):
        assert (out / name).read_bytes() == (clean / name).read_bytes(), name


def test_incremental_keeps_missing_articles_unless_pruned(tmp_path):
    src, out = _articles(tmp_path / "in", 3), tmp_path / "out"
    build([src], out)
    (src / "a01.txt").unlink()
    kept = build([src], out)
    assert kept.articles == 3 and kept.extracted == 0
    pruned = build([src], out, prune=True)
    assert pruned.articles == 2 and pruned.removed == 1
    graphs = {g.value for g in ox.Store.read_only(str(out / "store")).named_graphs()}
    assert len(graphs) == 2 and not any(g.endswith("/a01") for g in graphs)


def test_large_datasets_read_back_from_the_store_give_the_same_outputs(tmp_path, monkeypatch):
    """Above MEMORY_QUADS the exports are read from the on-disk store instead of a copy in
    memory: the same triples, the same page; only the order of graph.ttl may differ."""
    src = _articles(tmp_path / "in", 4)
    build([src], tmp_path / "memory")
    monkeypatch.setattr(importlib.import_module("kg.pipeline.outputs"), "MEMORY_QUADS", 0)
    build([src], tmp_path / "disk")
    for name in ("graph.html", "graph.graphml", "graph.trig", "graph.nq"):
        assert (tmp_path / "memory" / name).read_bytes() == (tmp_path / "disk" / name).read_bytes(), name
    for name, fmt in (("graph.ttl", ox.RdfFormat.TURTLE), ("graph.jsonld", ox.RdfFormat.JSON_LD)):
        memory, disk = (set(ox.parse(path=str(tmp_path / d / name), format=fmt)) for d in ("memory", "disk"))
        assert memory == disk and memory, name
