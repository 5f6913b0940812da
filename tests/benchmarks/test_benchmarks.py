"""The benchmark's pure parts: counting, sampling, formatting, span mapping, measuring a child."""
from __future__ import annotations

import sys

from benchmarks.speed import (check, copy_corpus, count_syllables, fmt_bytes, fmt_ratio, ratio, run_measured, spread_sample,
                      table)
from benchmarks.quality import bio_spans, tone_neutral_lower


def test_syllables_are_whitespace_separated_runs():
    assert count_syllables("Bộ trưởng  Bộ Y tế\nphát biểu.\t") == 7
    assert count_syllables(" \n ") == 0


def test_ratio_formatting_and_missing_values():
    assert (fmt_ratio(0.734), fmt_ratio(12.345), fmt_ratio(None), fmt_ratio(float("inf"))) == ("0.73x", "12.3x", "n/a", "n/a")
    assert ratio(3.0, 2.0) == 1.5 and ratio(None, 2.0) is None and ratio(1.0, 0.0) is None
    assert fmt_bytes(512 * 2**20) == "512 MB" and fmt_bytes(None) == "n/a"


def test_targets_are_judged_in_their_direction():
    assert check("extraction vs underthesea (CPU)", 30.0)[3] == "ok"
    assert check("extraction vs underthesea (CPU)", 20.0)[3] == "MISSED"
    assert check("full build --jobs 2, wall s", 31.0)[1:] == ("31.00", "<= 30", "MISSED")
    assert check("growth 1x->4x, peak memory", None)[1:] == ("n/a", "<= 1.5", "MISSED")


def test_table_aligns_columns():
    assert table(("a", "bb"), [("ccc", 1)]).splitlines() == ["a    bb", "ccc  1"]


def test_sample_spreads_over_the_corpus_within_budget():
    assert spread_sample([10] * 10, 30) == [0, 3, 6, 9]
    assert spread_sample([10] * 3, 100) == [0, 1, 2]


def test_corpus_copies_get_other_names(tmp_path):
    src = tmp_path / "a.txt"
    src.write_text("Tin\n", encoding="utf-8")
    dest = copy_corpus([src], tmp_path / "x3", 3)
    assert sorted(p.name for p in dest.iterdir()) == ["c0-a.txt", "c1-a.txt", "c2-a.txt"]


def test_measured_child_reports_its_own_memory():
    big = run_measured([sys.executable, "-c", "x = bytearray(200 * 2**20); x[::4096] = b'1' * len(x[::4096])"])
    small = run_measured([sys.executable, "-c", "print('hi')"])
    assert big.returncode == 0 and small.output.strip() == "hi"
    assert big.max_rss > 200 * 2**20 > small.max_rss  # wait4 of each child, not the maximum so far


def test_bio_tags_become_spans_whatever_the_tone_placement():
    line = "Chị Thuỷ gặp Công ty Inmasco ở Hà Nội"
    tagged = [("Chị", "O"), ("Thủy", "B-PER"), ("gặp", "O"), ("Công ty", "B-ORG"), ("Inmasco", "I-ORG"),
              ("ở", "O"), ("Hà Nội", "B-LOC")]
    assert bio_spans(line, tagged, 100) == {(104, 108, "PER"), (113, 128, "ORG"), (131, 137, "LOC")}
    assert tone_neutral_lower("Thuỷ HOẢ") == "thủy hỏa"


def test_a_new_begin_tag_splits_adjacent_names():
    assert bio_spans("Hà Nội Hải Phòng", [("Hà Nội", "B-LOC"), ("Hải Phòng", "B-LOC")]) == {(0, 6, "LOC"), (7, 16, "LOC")}
