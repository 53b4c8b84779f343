"""The evaluation command and the benchmark run (on small inputs) and report real figures."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from medialit import analyze, corpus
from medialit.evaluate import Score, evaluate, select


def test_scores_are_computed_correctly():
    s = Score(tp=3, fp=1, fn=2)
    assert (round(s.precision, 2), round(s.recall, 2), round(s.f1, 3)) == (0.75, 0.6, 0.667)
    assert Score().f1 == 0.0


def test_evaluation_on_a_small_set_has_every_row():
    result = evaluate(["ukr-wire", "housing-residents"])
    assert set(result.rows) == {"loaded_language", "vague_attribution", "named_attribution", "hedge", "booster",
                                "unsupported", "baseline"}
    table = result.table()
    assert "baseline: |VADER| >= 1.5" in table and "primary frame top-1 accuracy" in table
    assert result.neutral_texts == ["ukr-wire"]
    assert result.rows["loaded_language"].score.f1 > result.rows["baseline"].score.f1


def test_splits_partition_the_corpus():
    dev, heldout, everything = select("dev"), select("heldout"), select("all")
    assert dev and heldout and sorted(dev + heldout) == sorted(everything)


def test_evaluate_command():
    out = subprocess.run([sys.executable, "-m", "medialit", "evaluate", "--texts", "ukr-wire", "energy-con"],
                         capture_output=True, text=True, check=True).stdout
    assert "loaded_language" in out and "(2 texts, 1 of them neutral)" in out


def test_benchmark_runs_on_a_small_input(repo):
    out = subprocess.run([sys.executable, str(repo / "benchmarks" / "bench_analyze.py"), "--megabytes", "0.05",
                          "--repeat", "2"], capture_output=True, text=True, check=True).stdout
    assert "imports matplotlib: False, ipywidgets: False" in out
    # one ratio per run (tokenization and analysis timed alternately, document by document) and their median
    runs = re.findall(r"^run \d+: .* ratio (\d+\.\d+)x$", out, re.MULTILINE)
    median = re.search(r"^analysis / tokenization: (\d+\.\d+)x median of 2 runs \(([\d., ]+); target: at most 3x\)$",
                       out, re.MULTILINE)
    assert len(runs) == 2 and median, out
    assert median.group(2) == ", ".join(runs)
    assert abs(float(median.group(1)) - sum(map(float, runs)) / 2) <= 0.01


def test_issue_frames_tell_the_sides_apart():
    from medialit.analyzers.issue_frames import issue_frame_names, issue_frames
    from medialit.evaluate_frames import evaluate_issue_frames, issue_frame_gold

    result = evaluate_issue_frames()
    assert len(result.rows) >= 6
    assert result.top1_accuracy >= 0.7, result.table()
    assert result.identical_profiles() == []
    for gold in issue_frame_gold().values():
        names = issue_frame_names(gold["event"])
        assert gold["primary"] in names and set(gold["secondary"]) <= set(names) - {gold["primary"]}
    names = issue_frame_names("ukraine-security-guarantees")
    top = issue_frames("Weakness invites attack; a credible guarantor would deter it.", "ukraine-security-guarantees")
    assert top[0].frame == "deterrence" and top[0].cues == ("credible", "deter", "guarantor", "weakness invites")
    assert [f.score for f in issue_frames("The council met.", "ukraine-security-guarantees")] == [0.0] * len(names)
    with pytest.raises(ValueError, match="'housing' has no issue frames. Events with issue frames: ukraine"):
        issue_frames("text", "housing")


def test_every_event_of_the_corpus_has_issue_frames_with_cues_and_gold():
    from medialit.analyzers.issue_frames import _cues, events_with_issue_frames, issue_frame_names
    from medialit.evaluate_frames import evaluate_issue_frames, issue_frame_gold

    gold = issue_frame_gold()
    for event in events_with_issue_frames():
        cued = {frame for values in _cues(event).phrases().values() for frame in values.split(",")}
        cued |= {frame for values in _cues(event).single_words().values() for frame in values.split(",")}
        assert cued == set(issue_frame_names(event)), event  # every frame has cues, no cue names a stranger
    assert {row.event for row in corpus.catalog()} <= set(events_with_issue_frames())
    for event in ("boiler-phase-out", "neurovita-launch", "riverside-commons"):
        rows = evaluate_issue_frames([t for t, g in gold.items() if g["event"] == event]).rows
        assert len(rows) == 4 and len({r.ranked[:3] for r in rows}) == 4, event  # the sides' profiles differ
    top = analyze("Heat pumps work, but who pays the bills? The grants will not cover the cost.").issue_frames(
        "boiler-phase-out")
    assert top[0].frame == "cost_to_households" and top[0].cues[:2] == ("bills", "cost")


def test_real_events_have_issue_frames_and_one_issue_shares_one_frame_set():
    from medialit.analyzers.issue_frames import issue_frame_names, issue_frames
    from medialit.evaluate_frames import evaluate_issue_frames, issue_frame_gold

    assert issue_frame_names("security-guarantees-2021-22") == issue_frame_names("ukraine-security-guarantees")
    top = issue_frames("The fake was staged: a provocation, not a crime.", "istanbul-bucha-2022")[0]
    assert top.frame == "staged_provocation" and top.cues == ("fake", "provocation", "staged")
    top = issue_frames("Safe navigation in the Black Sea, and no strikes on energy facilities.", "us-brokered-talks-2025")
    assert top[0].frame == "maritime_and_energy_ceasefire"
    gold = issue_frame_gold()
    real = [t for t in gold if t.startswith("real-")]
    assert len(real) == 24 and {gold[t]["event"] for t in real} == {
        "security-guarantees-2021-22", "istanbul-bucha-2022", "energy-sanctions-2022", "us-brokered-talks-2025"}
    known = {row.id for row in corpus.catalog()}
    # texts with gold but not (yet) in the corpus are skipped, not an error
    assert [r.text_id for r in evaluate_issue_frames(real).rows] == [t for t in real if t in known]


def test_balance_report_per_perspective_on_the_corpus():
    from medialit.evaluate_balance import balance

    result = balance()
    events = {row.event for row in result.rows}
    table = result.table()
    for event in events:
        sides = {p for p in result.span_recall_by_perspective(event) if p != "neutral"}
        if len(sides) > 1:
            assert f"span recall by perspective, {event}:" in table
            # the issue's target is a gap of at most 0.1; this guard catches a side falling far behind
            assert result.largest_gap(event, spans=True) <= 0.25, table
    # issue 14's target, a token-recall gap of at most 0.1, on the mirror sets of the Ukraine events
    # (boiler-phase-out misses the target by tokens: 0.12, where "rip out" covers half of the gold
    # "rip out your stove"; by spans 0.00; see the README)
    for event in ("ukraine-security-guarantees", "security-guarantees-2021-22", "istanbul-bucha-2022",
                  "energy-sanctions-2022"):
        if event in events:
            assert result.largest_gap(event) <= 0.1, (event, table)
    for row in result.rows:
        if row.perspective == "neutral" or row.genre == "neutral rewrite":
            assert row.false_marks <= 1, (row.text_id, table)
    assert all(0 <= row.spans_found <= row.spans_gold for row in result.rows)


def test_balance_command_prints_recall_by_side_and_the_mirror_set_stays_near_the_token_target():
    out = subprocess.run([sys.executable, "-m", "medialit", "evaluate", "--texts", "ukr-washington", "ukr-moscow",
                          "ukr-kyiv", "ukr-beijing", "--balance"], capture_output=True, text=True, check=True).stdout
    assert "span recall by perspective, ukraine-security-guarantees:" in out
    from medialit.evaluate_balance import balance

    # issue 14's target is a gap of at most 0.1 in token recall; on the corpus's Ukraine mirror texts
    # it is 0.08 today (Moscow 0.85, Washington 0.92)
    result = balance(["ukr-washington", "ukr-moscow", "ukr-kyiv", "ukr-beijing"])
    assert result.largest_gap("ukraine-security-guarantees") <= 0.1, result.table()
