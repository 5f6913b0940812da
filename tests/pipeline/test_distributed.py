"""The Dask runner: the same bytes as a local build, results in input order, bounded batches."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kg.pipeline.build import build
from kg.errors import UsageError

pytest.importorskip("distributed", reason='the Dask runner needs dask: pip install "kg[dask]"')

from kg.pipeline.distributed import _batches, dask_runner  # noqa: E402

from test_jobs import write_articles  # noqa: E402

SEEDS = Path(__file__).parents[2] / "seeds"


@pytest.fixture(scope="module")
def cluster():
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, processes=True, threads_per_worker=1, dashboard_address=":0") as c:
        yield c


@pytest.fixture()
def corpus(tmp_path) -> Path:
    folder = write_articles(tmp_path / "in", 12)
    for seed in SEEDS.glob("*.txt"):
        shutil.copy(seed, folder / seed.name)
    return folder


def test_dask_build_writes_the_same_bytes_as_a_local_build(cluster, corpus, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # a relative input path: the workers run in another folder
    local = build([Path("in")], tmp_path / "local", html=False)
    remote = build([Path("in")], tmp_path / "dask", html=False, runner=dask_runner(cluster.scheduler_address, batch=3))
    assert (remote.articles, remote.quads, remote.failed) == (local.articles, local.quads, local.failed)
    assert remote.articles == 12 + len(list(SEEDS.glob("*.txt"))) and len(remote.failed) == 1
    for name in ("graph.trig", "graph.ttl", "graph.nq", "graph.jsonld"):
        assert (tmp_path / "dask" / name).read_bytes() == (tmp_path / "local" / name).read_bytes(), name


def test_results_come_back_in_input_order_through_a_small_window(cluster, corpus):
    from distributed import Client

    jobs = [(str(f), str(corpus), "https://example.org/id/") for f in sorted(corpus.glob("*.txt"))]
    jobs.insert(4, (str(corpus / "missing.txt"), str(corpus), "https://example.org/id/"))
    with Client(cluster) as client:
        results, in_flight = [], []
        for result in dask_runner(client, batch=2, window=2)(jobs):
            results.append(result)
            in_flight.append(len(client.futures))
        assert client.status == "running"  # a client passed in is left open
    assert max(in_flight) <= 2
    assert [r.path for r in results] == [job[0] for job in jobs]
    assert "cannot read" in results[4].error and all(r.nquads for i, r in enumerate(results) if i != 4 and "hong" not in r.path)


def test_batches_cover_every_job_once_in_order():
    jobs = [(str(i), "", "") for i in range(70)]
    chunks = list(_batches(jobs, 32))
    assert [len(c) for c in chunks] == [32, 32, 6] and [j for c in chunks for j in c] == jobs


def test_bad_batch_size_is_refused():
    with pytest.raises(UsageError, match="at least 1"):
        dask_runner("tcp://127.0.0.1:8786", batch=0)


def test_unreachable_scheduler_is_a_usage_error(corpus, tmp_path):
    with pytest.raises(UsageError, match="cannot reach the Dask scheduler"):
        build([corpus], tmp_path / "out", runner=dask_runner("tcp://127.0.0.1:9", timeout="2s"))
