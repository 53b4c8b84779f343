"""Grading helpers: plain types only, partial credit, messages on stdout never stderr."""

from __future__ import annotations

import pytest

from medialit import corpus
from medialit.answers import AnswerStore
from medialit.grading import (
    load_answer,
    same,
    score_choice,
    score_frame_map,
    score_ledger,
    score_sentences,
    score_spans,
    span_f1,
    to_builtin,
)


SHA = "0123456789abcdef"  # any text fingerprint: these questions have no text to check


class AlwaysEqual:
    def __eq__(self, other):
        return True

    __hash__ = object.__hash__


class SneakyList(list):
    def __eq__(self, other):
        return True


def test_fake_equality_objects_do_not_pass(capsys):
    assert AlwaysEqual() == ["anything"]  # the trick nbgrader alone falls for
    assert not same(AlwaysEqual(), ["anything"])
    assert not same(SneakyList(), [1, 2])
    assert not same({"a": AlwaysEqual()}, {"a": 1})
    out = capsys.readouterr()
    assert "Not graded" in out.out and out.err == ""
    with pytest.raises(TypeError):
        to_builtin(float("nan"))
    assert same((1, "a", None, True), [1, "a", None, True])


def test_span_scoring_partial_credit(tmp_path, capsys):
    doc = corpus.document("ukr-beijing")
    reference = [[s.start, s.end, s.label] for s in corpus.annotations("ukr-beijing").spans_with("loaded_language")]
    store = AnswerStore("spans-q", "spans", text_id="ukr-beijing",
                        text_sha=__import__("medialit.answers", fromlist=["text_hash"]).text_hash(doc.text),
                        directory=tmp_path)
    store.save({"spans": reference[: len(reference) // 2]})
    half = score_spans("spans-q", reference, doc, points=4, directory=tmp_path)
    assert 0 < half < 4
    store.save({"spans": reference})
    assert score_spans("spans-q", reference, doc, points=4, directory=tmp_path) == 4.0
    everything = [[w.start, w.end, "loaded_language"] for w in doc.word_tokens]
    store.save({"spans": everything})
    assert score_spans("spans-q", reference, doc, points=4, directory=tmp_path) < 1.5  # flagging all is penalised
    out = capsys.readouterr()
    assert "F1" in out.out and out.err == ""


def test_span_f1_needs_matching_labels():
    doc = corpus.document("ukr-wire")
    assert span_f1([[0, 10, "hedge"]], [[0, 10, "booster"]], doc)[2] == 0.0
    assert span_f1([], [], doc) == (1.0, 1.0, 1.0)


def test_answers_for_another_text_or_missing_score_zero(tmp_path, capsys):
    doc = corpus.document("ukr-wire")
    AnswerStore("q", "spans", text_id="x", text_sha="0" * 16, directory=tmp_path).save({"spans": [[0, 10, "hedge"]]})
    assert score_spans("q", [[0, 10, "hedge"]], doc, points=2, directory=tmp_path) == 0.0
    assert score_spans("missing", [[0, 10, "hedge"]], doc, points=2, directory=tmp_path) == 0.0
    out = capsys.readouterr().out
    assert "different text" in out and "missing: not answered yet" in out and "answers/missing.json" in out
    (tmp_path / "broken.json").write_text("{oops")
    assert load_answer("broken", directory=tmp_path) is None


def test_other_scorers(tmp_path):
    AnswerStore("s", "sentences", text_sha=SHA, directory=tmp_path).save(
        {"labels": {"0": {"claim": "factual", "unsupported": False}, "1": {"claim": "opinion"}}})
    assert score_sentences("s", {"labels": {"0": {"claim": "factual", "unsupported": False},
                                            "1": {"claim": "factual"}}}, points=3, directory=tmp_path) == 2.0
    AnswerStore("c", "quiz", text_sha=SHA, directory=tmp_path).save({"selected": ["a", "b"]})
    assert score_choice("c", ["a", "b"], points=2, directory=tmp_path) == 2.0
    assert score_choice("c", ["a"], points=2, directory=tmp_path) == 0.0  # one right, one wrong
    AnswerStore("f", "frame_map", text_sha=SHA, directory=tmp_path).save(
        {"functions": {"problem": [0, 1], "remedy": [5]}, "primary_frame": "economic"})
    assert score_frame_map("f", {"functions": {"problem": [0], "remedy": [5]}, "primary_frame": "economic"},
                           points=3, directory=tmp_path) == 2.5
    AnswerStore("l", "ledger", text_sha=SHA, directory=tmp_path).save(
        {"claims": {"1": {"source": "vague", "missing": ["grounds"], "evidence": "", "question": None}}})
    assert score_ledger("l", {"claims": {"1": {"source": "vague", "missing": ["grounds", "warrant"]}}},
                        points=2, directory=tmp_path) == 1.5
    AnswerStore("k", "quiz", text_sha=SHA, directory=tmp_path).save({"selected": ["a"]})
    assert score_sentences("k", {"labels": {}}, points=1, directory=tmp_path) == 0.0  # wrong kind
