"""Scoring on text in the PTC layout: a small invented sample, figures computed by hand."""

from __future__ import annotations

import subprocess
import sys

import pytest

from medialit.evaluate_ptc import PTCError, evaluate_ptc, merge_spans, overlap_score, read_ptc, span_measure

# Invented sentences (not from the corpus). Offsets:
# "The reckless plan was brutal. Officials met on Monday."
#      4      12 13 17     22   28 30      39
ARTICLE_1 = "The reckless plan was brutal. Officials met on Monday."
ARTICLE_2 = "The talks failed on Monday."
LABELS = ("1\tLoaded_Language\t4\t17\n"          # "reckless plan"
          "1\tName_Calling,Labeling\t30\t39\n"   # "Officials" (invented gold, never marked)
          "1\tSlogans\t0\t28\n")                 # another technique: not loaded language


def write_sample(root, labels=LABELS):
    (root / "train-articles").mkdir()
    (root / "train-articles" / "article1.txt").write_text(ARTICLE_1, encoding="utf-8")
    (root / "train-articles" / "article2.txt").write_text(ARTICLE_2, encoding="utf-8")
    (root / "train-task2-TC.labels").write_text(labels, encoding="utf-8")
    return root


def test_span_measure_gives_partial_credit_per_pair():
    # predicted (0,10) overlaps gold (5,15) by 5: precision 5/10 over 2 predictions, recall 5/10 over 1 gold
    m = span_measure({"a": [(5, 15)]}, {"a": [(0, 10), (20, 30)]})
    assert (m.precision, m.recall) == (0.25, 0.5)
    # one long prediction over two gold spans earns recall for both, precision as the share it covers
    m = span_measure({"a": [(0, 4), (6, 10)]}, {"a": [(0, 10)]})
    assert (m.precision, m.recall) == (0.8, 1.0)
    # overlapping gold spans are merged first, as the task's scorer does
    assert merge_spans([(0, 5), (3, 8), (8, 9)]) == [(0, 8), (8, 9)]
    assert span_measure({"a": [(0, 5), (3, 8)]}, {"a": [(0, 8)]}).recall == 1.0
    # an article without predictions still counts its gold spans
    assert span_measure({"a": [(0, 4)], "b": [(0, 4)]}, {"a": [(0, 4)]}).recall == 0.5
    assert span_measure({}, {}).f1 == 0.0


def test_overlap_score_counts_marks_and_gold_separately():
    s = overlap_score([(0, 5), (6, 9)], [(0, 9)])  # one mark finds two gold spans
    assert (s.precision, s.recall) == (1.0, 1.0)
    s = overlap_score([(0, 5)], [(1, 2), (3, 4), (7, 8)])
    assert (round(s.precision, 3), s.recall) == (0.667, 1.0)


def test_figures_on_a_small_sample_match_hand_computed_values(tmp_path):
    result = evaluate_ptc(write_sample(tmp_path))
    assert result.articles == 2
    medialit, baseline = result.scores["loaded_language"].values()
    # medialit marks "reckless" (4-12) and "brutal" (22-28); gold "reckless plan" (4-17), "Officials" (30-39)
    assert medialit.marks == 2 and medialit.span.gold == 2
    assert medialit.span.precision == pytest.approx(0.5)            # (8/8 + 0) / 2 marks
    assert medialit.span.recall == pytest.approx(8 / 13 / 2)        # (8/13 + 0) / 2 gold spans
    assert medialit.span.f1 == pytest.approx(2 * 0.5 * (4 / 13) / (0.5 + 4 / 13))
    assert (medialit.token.tp, medialit.token.fp, medialit.token.fn) == (1, 1, 2)  # reckless | brutal | plan, Officials
    assert (medialit.overlap.precision, medialit.overlap.recall) == (0.5, 0.5)
    # the baseline also marks "failed" (VADER -2.3) in the second article
    assert baseline.marks == 3
    assert baseline.span.precision == pytest.approx(1 / 3)
    assert baseline.span.recall == pytest.approx(4 / 13)
    assert (baseline.token.tp, baseline.token.fp, baseline.token.fn) == (1, 2, 2)
    assert (round(baseline.overlap.precision, 3), baseline.overlap.recall) == (0.333, 0.5)
    assert medialit.by_technique == {"Loaded_Language": [1, 1], "Name_Calling,Labeling": [0, 1]}
    table = result.table()
    assert "SemEval span" in table and "loaded_language: medialit" in table and "2 / 2" in table
    assert "Name_Calling,Labeling 0/1 (0.00)" in table


@pytest.mark.parametrize("breakage, message", [
    ("no articles", "has no train-articles/ folder"),
    ("no labels", "has no *-TC.labels file"),
    ("bad line", "train-task2-TC.labels:1: '1\\tLoaded_Language\\t4' is not"),
    ("unknown article", "article '7' has no file article7.txt"),
    ("span outside", "span 4-999 is outside article1.txt"),
])
def test_a_wrong_layout_gets_a_clear_error(tmp_path, breakage, message):
    labels = {"bad line": "1\tLoaded_Language\t4\n", "unknown article": "7\tLoaded_Language\t0\t3\n",
              "span outside": "1\tLoaded_Language\t4\t999\n"}.get(breakage, LABELS)
    write_sample(tmp_path, labels)
    if breakage == "no articles":
        for path in (tmp_path / "train-articles").iterdir():
            path.unlink()
        (tmp_path / "train-articles").rmdir()
    if breakage == "no labels":
        (tmp_path / "train-task2-TC.labels").unlink()
    with pytest.raises(PTCError) as error:
        read_ptc(tmp_path)
    assert message in str(error.value)
    assert "Expected the PTC layout" in str(error.value) or ":1:" in str(error.value)


def test_evaluate_command_with_ptc(tmp_path):
    out = subprocess.run([sys.executable, "-m", "medialit", "evaluate", "--ptc", str(write_sample(tmp_path))],
                         capture_output=True, text=True, check=True).stdout
    assert "(2 articles)" in out and "any overlap" in out and "baseline |VADER| >= 1.5" in out
    missing = subprocess.run([sys.executable, "-m", "medialit", "evaluate", "--ptc", str(tmp_path / "nowhere")],
                             capture_output=True, text=True)
    assert missing.returncode == 2 and "is not a directory" in missing.stderr and not missing.stdout
