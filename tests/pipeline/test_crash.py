"""Crash safety and rebuilds: a build killed at any point leaves the previous outputs
whole and usable, the next build succeeds, and building the same inputs again, in any
order, in another process, gives the same bytes and the same store.

A corpus of synthetic articles is built (edition A), then edited in place (edition B:
a third of the articles rewritten, a few added) and rebuilt into a copy of A's
outputs while ``kill -9`` strikes at random moments, or at each step of publishing.
"""
from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
import pytest

from conftest import FORMATS
from kg.pipeline.build import build
from kg.store.load import open_store

OUTPUTS = ("graph.trig", "graph.nq", "graph.ttl", "graph.jsonld", "graph.html", "graph.graphml", "manifest.json")
SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng"]
MIDDLE = ["Văn", "Thị", "Minh", "Thanh", "Đức", "Quốc", "Hữu"]
GIVEN = ["An", "Bình", "Hòa", "Hoà", "Dũng", "Hà", "Lan", "Phúc", "Tâm", "Sơn", "Thủy", "Thuỷ"]
ORGS = ["Bộ Y tế", "Bộ Tài chính", "Bộ Khoa học và Công nghệ", "UBND tỉnh Nghệ An", "UBND TP Hải Phòng",
        "Công ty TNHH Sao Mai", "Tập đoàn Viettel", "Trường Đại học Bách khoa Hà Nội"]
TITLES = ["Bộ trưởng", "Thứ trưởng", "Chủ tịch", "Phó Chủ tịch", "Giám đốc"]
PLACES = ["Hà Nội", "TP Vinh", "Hải Phòng", "Đà Nẵng", "Cần Thơ"]
COUNT_QUADS = "SELECT (COUNT(*) AS ?n) WHERE { { GRAPH ?g { ?s ?p ?o } } UNION { ?s ?p ?o } }"  # articles + union


def synthetic_article(i: int, edition: int) -> str:
    """A short news article; people's names vary in tone-mark placement (Hòa/Hoà) across articles."""
    r = random.Random(i * 7919 + edition)
    person = lambda: f"{r.choice(SURNAMES)} {r.choice(MIDDLE)} {r.choice(GIVEN)}"  # noqa: E731
    event = f"Hội nghị {r.choice(['Chuyển đổi số', 'Khởi nghiệp', 'Đổi mới sáng tạo'])} {2020 + i % 5}"
    return "\n".join([
        f"Tin số {i}: {event} khai mạc" + (" (cập nhật)" if edition else ""),
        f"Ngày {1 + i % 28}/{1 + i % 12}/2024, {r.choice(TITLES)} {r.choice(ORGS)} {person()} dự {event} "
        f"do {r.choice(ORGS)} tổ chức tại {r.choice(PLACES)}.",
        f"{event} thu hút {100 + r.randrange(900)} gian hàng và {r.randrange(50)} doanh nghiệp.",
        f"Công ty TNHH {r.choice(['Ánh Dương', 'Sao Mai', 'Hòa Bình'])} đạt giải Nhất trị giá "
        f"{r.choice([20, 50, 100])} triệu đồng.",
        person(), ""])


def write_edition(folder: Path, n: int, edition: int) -> None:
    """Edition 0: ``n`` articles. Edition 1: every third one rewritten and ``n // 10`` added."""
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n + (n // 10 if edition else 0)):
        (folder / f"a{i:03d}.txt").write_text(synthetic_article(i, edition if i % 3 == 0 else 0), encoding="utf-8")


def kg_build_process(src: Path, out: Path, **env: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "kg", "build", str(src), "--out", str(out), "--quiet"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, **env})


@dataclass
class Editions:
    """A source folder now holding edition 1, and the outputs of a clean build of each edition."""

    src: Path
    before: Path
    after: Path
    seconds: float  # how long the clean build of edition 1 took, in a fresh process
    _files: dict = field(default_factory=dict)
    _quads: dict = field(default_factory=dict)

    def files(self, folder: Path) -> dict[str, bytes]:
        if folder not in self._files:
            self._files[folder] = {name: (folder / name).read_bytes() for name in OUTPUTS}
        return self._files[folder]

    def quads(self, folder: Path) -> set[ox.Quad]:
        if folder not in self._quads:
            self._quads[folder] = store_quads(folder)
        return self._quads[folder]

    def start(self, out: Path) -> Path:
        """``out`` as the build of edition 0 left it."""
        shutil.copytree(self.before, out, symlinks=True)
        return out


def make_editions(root: Path, n: int) -> Editions:
    src = root / "src"
    write_edition(src, n, 0)
    report = build([src], root / "before")
    assert report.articles == n and not report.failed
    write_edition(src, n, 1)
    started = time.monotonic()
    done = kg_build_process(src, root / "after", PYTHONHASHSEED="1")
    stdout, stderr = done.communicate(timeout=300)
    assert done.returncode == 0, stderr.decode()
    return Editions(src, root / "before", root / "after", time.monotonic() - started)


@pytest.fixture(scope="module")
def editions(tmp_path_factory) -> Editions:
    return make_editions(tmp_path_factory.mktemp("crash"), 200)


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> Editions:
    return make_editions(tmp_path_factory.mktemp("publish"), 4)


def store_quads(folder: Path) -> set[ox.Quad]:
    """The quads of ``folder/store``, opened as kg opens it; it must answer a query."""
    store = open_store(folder / "store")
    try:
        count = int(next(iter(store.query(COUNT_QUADS)))["n"].value)
        quads = set(store.quads_for_pattern(None, None, None, None))
        assert count == len(quads)
        return quads
    finally:
        del store


def assert_whole(out: Path, editions: Editions) -> None:
    """Every output is the one of edition 0 or of edition 1, parses, and the store is one of the two."""
    before, after = editions.files(editions.before), editions.files(editions.after)
    for name in OUTPUTS:
        data = (out / name).read_bytes()
        assert data in (before[name], after[name]), f"{name} is neither the old nor the new version"
    for name, (_, fmt) in FORMATS.items():
        assert sum(1 for _ in ox.parse(path=str(out / name), format=fmt)) > 0
    assert store_quads(out) in (editions.quads(editions.before), editions.quads(editions.after))


def assert_rebuilt(out: Path, editions: Editions) -> None:
    """The next build succeeds and leaves exactly what a clean build of edition 1 gives."""
    report = build([editions.src], out)
    assert not report.failed
    assert store_quads(out) == editions.quads(editions.after), "the store differs from a clean build"
    after = editions.files(editions.after)
    for name in OUTPUTS:
        assert (out / name).read_bytes() == after[name], f"{name} differs from a clean build"


@pytest.mark.slow
def test_build_killed_at_random_moments_leaves_outputs_whole(editions, tmp_path):
    rng = random.Random(20240518)
    runs, killed = 5, 0
    for run in range(runs):
        out = editions.start(tmp_path / f"run{run}")
        delay = editions.seconds * (run + rng.random()) / runs  # one moment in each fifth of a build
        process = kg_build_process(editions.src, out)
        try:
            process.wait(timeout=delay)
        except subprocess.TimeoutExpired:
            process.kill()  # SIGKILL: no cleanup runs
            killed += process.wait() == -9
        assert_whole(out, editions)
        assert_rebuilt(out, editions)
    assert killed >= 3, "most builds were killed before they finished"


_KILL_AT_STEP = r"""
import importlib, os, shutil, signal, sys
from pathlib import Path

builder, store = importlib.import_module("kg.pipeline.build"), importlib.import_module("kg.store.load")
staging = importlib.import_module("kg.pipeline.staging")

kill_at, step, publishing = int(sys.argv[3]), 0, False

def point():
    global step
    if publishing:
        step += 1
        if step == kill_at:
            os.kill(os.getpid(), signal.SIGKILL)

class Proxy:
    def __init__(self, module, name):
        self.module, self.name = module, name
    def __getattr__(self, attr):
        original = getattr(self.module, attr)
        if attr != self.name:
            return original
        def counted(*args, **kwargs):
            point()
            return original(*args, **kwargs)
        return counted

staging.os = Proxy(os, "replace")
store.shutil = Proxy(shutil, "rmtree")
rename = Path.rename
def counted_rename(self, target):
    point()
    return rename(self, target)
Path.rename = counted_rename
publish = builder.publish
def counted_publish(stage, out):
    global publishing
    publishing = True
    publish(stage, out)
    point()
builder.publish = counted_publish
builder.build([Path(sys.argv[1])], Path(sys.argv[2]))
"""
# Steps while publishing: 1 renames the old store aside, 2 moves the new one in, 3 deletes the old;
# 4-10 move graph.trig, .nq, .ttl, .jsonld, .html, .graphml and, last, manifest.json into place;
# 11 is after.
MANIFEST_STEP = 10
STORE_STEPS = (1, 2)


@pytest.mark.parametrize("step", [
    1, 2, 3, 4, 8, MANIFEST_STEP, 11])
def test_build_killed_while_publishing_leaves_outputs_whole(small, tmp_path, step):
    out = small.start(tmp_path / "out")
    done = subprocess.run([sys.executable, "-c", _KILL_AT_STEP, str(small.src), str(out), str(step)],
                          capture_output=True, timeout=300)
    assert done.returncode == -9, done.stderr.decode()
    assert_whole(out, small)
    assert_rebuilt(out, small)


def test_next_build_removes_what_a_killed_build_left(small, tmp_path):
    out = small.start(tmp_path / "out")
    done = subprocess.run([sys.executable, "-c", _KILL_AT_STEP, str(small.src), str(out), "4"],
                          capture_output=True, timeout=300)
    assert done.returncode == -9 and list(out.glob(".kg-build-*"))
    build([small.src], out)
    assert list(out.glob(".kg-build-*")) == []


def test_same_inputs_in_any_order_give_the_same_bytes_and_store(editions, tmp_path):
    files = sorted(editions.src.glob("*.txt"))
    random.Random(3).shuffle(files)
    out = tmp_path / "shuffled"
    build(files, out, jobs=2)
    after = editions.files(editions.after)  # built in another process, with another hash seed
    for name in ("graph.trig", "graph.nq", "graph.ttl", "graph.jsonld"):
        assert (out / name).read_bytes() == after[name], name
    assert store_quads(out) == editions.quads(editions.after)
    again = build(list(reversed(files)), out)  # the same inputs again, into the same folder
    assert again.extracted == 0 and not again.failed
    for name in ("graph.trig", "graph.nq", "graph.ttl", "graph.jsonld"):
        assert (out / name).read_bytes() == after[name], name
    assert store_quads(out) == editions.quads(editions.after)


def test_full_rebuild_equals_the_incremental_one(editions, tmp_path):
    out = editions.start(tmp_path / "incremental")
    report = build([editions.src], out)
    assert report.incremental and 0 < report.extracted < report.articles
    full = build([editions.src], tmp_path / "full", incremental=False)
    assert not full.failed
    for name in ("graph.trig", "graph.nq", "graph.ttl", "graph.jsonld"):
        assert (out / name).read_bytes() == (tmp_path / "full" / name).read_bytes(), name
    assert store_quads(out) == store_quads(tmp_path / "full")
