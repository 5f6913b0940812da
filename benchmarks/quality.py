"""``python -m benchmarks.quality``: the shared scorers on fresh builds, underthesea beside kg.

score_kg.py on a build of seeds/ against spec/gold; score_ner.py on a build of the
VLSP 2016 NER test text (written into a temp folder, never into the repository);
the same scorer's figures for underthesea's ``ner`` on the same text when installed.
"""
from __future__ import annotations

import argparse
import importlib.util
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks import default_shared

from kg.pipeline.build import build

ROOT = Path(__file__).resolve().parents[1]
TAGS = {"PER": "PER", "ORG": "ORG", "LOC": "LOC"}
_OLD_TONES = {"oà": "òa", "oá": "óa", "oả": "ỏa", "oã": "õa", "oạ": "ọa", "oè": "òe", "oé": "óe", "oẻ": "ỏe",
              "oẽ": "õe", "oẹ": "ọe", "uỳ": "ùy", "uý": "úy", "uỷ": "ủy", "uỹ": "ũy", "uỵ": "ụy"}


def tone_neutral_lower(text: str) -> str:
    """Lower case, old tone placement made new ("Thuỷ" -> "thủy"), the length kept.

    underthesea rewrites the tone placement of the words it returns; matching them
    back to the text needs both spelt one way.
    """
    low = text.lower()
    if len(low) != len(text):
        return text
    for old, new in _OLD_TONES.items():
        low = low.replace(old, new)
    return low


def bio_spans(line: str, tagged: list[tuple[str, str]], offset: int = 0) -> set[tuple[int, int, str]]:
    """(word, BIO tag) pairs -> code-point spans of PER/ORG/LOC in ``line``, shifted by ``offset``.

    Words are found left to right, whatever their tone placement; a word that cannot
    be found ends the current name.

    >>> sorted(bio_spans("Ông Lê Văn A ở Hà Nội", [("Ông", "O"), ("Lê Văn A", "B-PER"), ("ở", "O"), ("Hà Nội", "B-LOC")]))
    [(4, 12, 'PER'), (15, 21, 'LOC')]
    """
    spans, current, cursor, folded = set(), None, 0, tone_neutral_lower(line)
    for word, tag in tagged:
        at = folded.find(tone_neutral_lower(word), cursor)
        kind = TAGS.get(tag[2:]) if tag[:2] in ("B-", "I-") else None
        if at < 0 or kind is None or tag.startswith("B-") or current is None or current[2] != kind:
            if current:
                spans.add(current)
            current = None
        if at < 0:
            continue
        cursor = at + len(word)
        if kind and current is None:
            current = (offset + at, offset + cursor, kind)
        elif kind:
            current = (current[0], offset + cursor, kind)
    if current:
        spans.add(current)
    return spans


def underthesea_mentions(gold: dict[str, dict]) -> tuple[dict[str, set], float, int]:
    """underthesea's ``ner`` on each line of each document: spans, seconds, sentences."""
    from underthesea import ner

    found: dict[str, set] = {}
    start, sentences = time.perf_counter(), 0
    for doc_id, doc in gold.items():
        spans, offset = set(), 0
        for line in doc["text"].split("\n"):
            if line.strip():
                sentences += 1
                spans |= bio_spans(line, [(row[0], row[-1]) for row in ner(line)], offset)
            offset += len(line) + 1
        found[doc_id] = spans
    return found, time.perf_counter() - start, sentences


def load_scorer(path: Path):
    spec = importlib.util.spec_from_file_location("score_ner", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def side_by_side(scorer, columns: dict[str, dict]) -> str:
    """One line per level and type, P/R/F1 of each system, as score_ner.py prints them."""
    lines = [(f"{'':8}" + "".join(f"   {name:<27}" for name in columns)).rstrip()]
    for level in ("doc", "span"):
        for t in (*scorer.TYPES, "ALL"):
            cells = "".join("   P=%.3f R=%.3f F1=%.3f" % scorer.prf(c[level], t) for c in columns.values())
            lines.append(f"{level:4} {t:3} {cells}")
    return "\n".join(lines)


def run_script(*args) -> str:
    done = subprocess.run([sys.executable, *map(str, args)], capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"{' '.join(map(str, args))} exited with {done.returncode}:\n{done.stderr[-2000:]}")
    return done.stdout.rstrip()


def seed_score(shared: Path, work: Path) -> None:
    seeds = ROOT / "seeds" if (ROOT / "seeds").is_dir() else shared / "seeds"
    report = build([seeds], work / "seed", html=False)
    print(f"== score_kg: fresh build of {seeds} ({report.articles} article(s), {report.quads} quads) "
          f"against {shared / 'spec' / 'gold'} ==", flush=True)
    print(run_script(shared / "eval" / "score_kg.py", work / "seed" / "graph.trig", shared / "spec" / "gold"), "\n")


def ner_score(shared: Path, work: Path) -> None:
    gold_file = shared / "data" / "ner" / "vlsp2016-test.jsonl"
    scorer_file = shared / "eval" / "score_ner.py"
    run_script(scorer_file, "write-texts", gold_file, work / "vlsp")
    start = time.perf_counter()
    report = build([work / "vlsp"], work / "vlsp-out", html=False)
    took = time.perf_counter() - start
    print(f"== score_ner: kg build of the VLSP 2016 NER test text ({report.articles} documents, {took:.1f} s "
          "with every export but HTML) ==", flush=True)
    print(run_script(scorer_file, "score", gold_file, work / "vlsp-out" / "graph.trig"), "\n")
    scorer = load_scorer(scorer_file)
    gold = scorer.load_gold(gold_file)
    columns = {"kg": scorer.score(gold, scorer.graph_mentions(work / "vlsp-out" / "graph.trig", gold))}
    try:
        found, seconds, sentences = underthesea_mentions(gold)
    except ImportError:
        print("underthesea is not installed (pip install 'kg[bench]'): kg alone\n" + side_by_side(scorer, columns))
        return
    columns["underthesea 9.5 ner"] = scorer.score(gold, found)
    print(f"== the same scorer, kg beside underthesea's ner ({sentences:,} sentences, one ner call each, "
          f"{seconds:.1f} s) ==")
    print(side_by_side(scorer, columns))
    print("underthesea tags each line on its own (MISC not judged, as for kg); kg reads each document whole.")


def quality(shared: Path) -> int:
    needed = [shared / "eval" / "score_kg.py", shared / "eval" / "score_ner.py", shared / "spec" / "gold",
              shared / "data" / "ner" / "vlsp2016-test.jsonl"]
    missing = [str(p) for p in needed if not p.exists()]
    if not shared.is_dir() or len(missing) == len(needed):
        print(f"skipped: no shared folder at {shared} (pass --shared DIR or set KG_SHARED); "
              "the quality benchmark needs its eval/, spec/gold and data/ner")
        return 0
    with tempfile.TemporaryDirectory(prefix="kg-quality-") as tmp:
        work = Path(tmp)
        if (shared / "spec" / "gold").is_dir() and (shared / "eval" / "score_kg.py").is_file():
            seed_score(shared, work)
        else:
            print("skipped score_kg: no spec/gold or eval/score_kg.py in", shared)
        if all((shared / p).exists() for p in ("data/ner/vlsp2016-test.jsonl", "eval/score_ner.py")):
            ner_score(shared, work)
        else:
            print("skipped score_ner: no data/ner/vlsp2016-test.jsonl or eval/score_ner.py in", shared)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.quality", description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=default_shared(), help="the shared/ folder (spec, eval, data)")
    return quality(parser.parse_args(argv).shared)


if __name__ == "__main__":
    sys.exit(main())
