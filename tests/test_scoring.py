"""medialit.scoring: one copy of every scoring rule, shared by practice feedback and the grader;
medialit.spans: one word-overlap rule; answer files checked against the published schema."""

from __future__ import annotations

import json
import os

import jsonschema
import pytest

from medialit import corpus, scoring
from medialit.answers import AnswerStore, answer_schema, read_answer_file, text_hash
from medialit.exercises import (
    CategorySorterModel,
    ClaimLedgerModel,
    FrameMapModel,
    QuizModel,
    SentenceSorterModel,
    SpanMarkerModel,
    discernment,
    sorting_feedback,
)
from medialit.grading import load_answer, score_choice, span_f1
from medialit.spans import covered_words, word_labels
from medialit.text import read

DOC = corpus.document("ukr-beijing")
GOLD = [[s.start, s.end, s.label] for s in corpus.annotations("ukr-beijing").spans]


# -- the rules, kept as they were ------------------------------------------------------------------

def test_every_kind_keeps_its_rule():
    assert scoring.score_choice({"selected": ["a", "b"]}, ["a", "b"], points=2).points == 2.0
    assert scoring.score_choice({"selected": ["a", "b"]}, ["a"], points=2).points == 0.0  # one right, one wrong
    assert scoring.score_choice({"selected": ["a"]}, ["a", "c"], points=2).points == 1.0
    assert scoring.score_sentences({"labels": {"0": {"claim": "factual", "unsupported": False}, "1": {"claim": "opinion"}}},
                                   {"labels": {"0": {"claim": "factual", "unsupported": False},
                                               "1": {"claim": "factual"}}}, points=3).points == 2.0
    assert scoring.score_frame_map({"functions": {"problem": [0, 1], "remedy": [5]}, "primary_frame": "economic"},
                                   {"functions": {"problem": [0], "remedy": [5]}, "primary_frame": "economic"},
                                   points=3).points == 2.5
    assert scoring.score_ledger({"claims": {"1": {"source": "vague", "missing": ["grounds"]}}},
                                {"claims": {"1": {"source": "vague", "missing": ["grounds", "warrant"]}}},
                                points=2).points == 1.5
    flag_all = scoring.score_categories({"labels": {"0": "whataboutism", "1": "whataboutism", "2": "whataboutism"}},
                                        {"labels": {"0": "whataboutism", "1": "none", "2": "none"}}, points=3)
    assert flag_all.points == 0.0 and flag_all.details["false_alarms"] == 2  # every near-miss flagged: no discernment
    all_none = scoring.score_categories({"labels": {"0": "none", "1": "none", "2": "none"}},
                                        {"labels": {"0": "whataboutism", "1": "none", "2": "none"}}, points=3)
    assert all_none.points == 0.0  # nothing found
    one_alarm = scoring.score_categories({"labels": {"0": "whataboutism", "1": "straw_man", "2": "none"}},
                                         {"labels": {"0": "whataboutism", "1": "none", "2": "none"}}, points=4)
    assert one_alarm.points == 2.0  # every technique found, half the near-misses flagged
    half = scoring.score_spans({"spans": GOLD[: len(GOLD) // 2]}, GOLD, DOC.word_tokens, points=4)
    assert 0 < half.points < 4 and half.details["found"] == len(GOLD) // 2
    everything = [[w.start, w.end, "loaded_language"] for w in DOC.word_tokens]
    assert scoring.score_spans({"spans": everything}, GOLD, DOC.word_tokens, points=4).points < 1.5


def test_messages_never_show_the_reference():
    result = scoring.score("quiz", {"selected": ["b"]}, {"selected": ["a"]}, points=2)
    assert result.message == "0 of 1 right option chosen, 1 wrong -> 0 of 2 points" and "'a'" not in result.message
    spans = scoring.score("spans", {"spans": []}, {"spans": GOLD}, points=4, words=DOC.word_tokens)
    assert DOC.text[GOLD[0][0]:GOLD[0][1]] not in spans.message and "[" not in spans.message and spans.points == 0


def test_an_answer_of_the_wrong_shape_scores_zero_with_a_message():
    result = scoring.score("ledger", {"claims": ["not", "a", "dict"]}, {"claims": {"1": {"source": "vague"}}}, points=2)
    assert result.points == 0 and "shape of a ledger answer" in result.message
    with pytest.raises(ValueError, match="The kinds are: quiz, spans"):
        scoring.score("frames", {}, {}, points=1)


# -- practice feedback and grading agree -----------------------------------------------------------

@pytest.mark.parametrize("cut", [0, 3, 7, len(GOLD)])
def test_span_practice_feedback_counts_what_the_grader_counts(cut):
    answer = GOLD[:cut] + [[w.start, w.end, "loaded_language"] for w in DOC.word_tokens[:cut]]
    practice = discernment(answer, GOLD, DOC)
    graded = scoring.score_spans({"spans": answer}, GOLD, DOC.word_tokens, points=4)
    assert (practice.spans_found, practice.spans_total, practice.spans_false) == \
        (graded.details["found"], graded.details["total"], graded.details["false_alarms"])
    assert span_f1(answer, GOLD, DOC) == scoring.span_f1(answer, GOLD, DOC.word_tokens)


def test_sentence_and_quiz_practice_feedback_agree_with_the_grader():
    reference = {"labels": {"0": {"claim": "opinion"}, "1": {"claim": "factual", "unsupported": True}}}
    for answer in ({"labels": {}}, {"labels": {"0": {"claim": "opinion"}}},
                   {"labels": {"0": {"claim": "opinion"}, "1": {"claim": "factual", "unsupported": True}}}):
        assert sorting_feedback(answer, reference)[0] == scoring.score_sentences(answer, reference, points=1).fraction
    quiz = QuizModel("q", "?", {"a": "A", "b": "B", "c": "C"}, multiple=True, correct=["a", "b"],
                     feedback={"a": "-", "b": "-", "c": "-"})
    for chosen, verdict in ((["a", "b"], "Right."), (["a", "c"], "Partly right."), (["c"], "Not yet.")):
        quiz.select(chosen)
        quiz.check()
        assert quiz.feedback().startswith(verdict)
        assert (scoring.score_choice(quiz.answer(), ["a", "b"], points=1).fraction == 1) == (verdict == "Right.")


def test_one_word_overlap_rule():
    from medialit.evaluate import _token_set

    spans = [(s, e, lab) for s, e, lab in GOLD]
    assert _token_set(DOC, [(s, e) for s, e, _ in spans]) == set(covered_words(spans, DOC.word_tokens))
    labels = word_labels(spans, DOC.word_tokens)
    assert [k for k, found in enumerate(labels) if found] == covered_words(spans, DOC.word_tokens)
    # touching is not overlapping: a span that ends where a word starts does not cover it
    word = DOC.word_tokens[1]
    assert 1 not in covered_words([(word.start - 1, word.start)], DOC.word_tokens)
    assert 1 in covered_words([(word.start - 1, word.start + 1)], DOC.word_tokens)


# -- answer files ----------------------------------------------------------------------------------

def _models():
    doc = read("Prices rose 3% last year. Critics say the plan failed. It will fail again.")
    span = SpanMarkerModel("s", doc, labels=["loaded_language"])
    span.toggle(5, "loaded_language")
    sort = SentenceSorterModel("t", doc)
    sort.set(0, claim="factual", support="supported")
    frames = FrameMapModel("f", doc)
    frames.choose("problem", [1])
    ledger = ClaimLedgerModel("l", doc, claims=[1])
    ledger.update(1, source="vague", missing=["grounds"], evidence="none")
    quiz = QuizModel("q", "?", {"a": "A", "b": "B"})
    quiz.select(["a"])
    cats = CategorySorterModel("c", ["What about you?"], ["whataboutism", "none"])
    cats.set(0, "none")
    return [span, sort, frames, ledger, quiz, cats]


def test_what_every_widget_saves_meets_the_published_schema(tmp_path):
    for model in _models():
        store = AnswerStore(model.question_id, model.kind, text_id=model.text_id, text_sha=model.text_sha,
                            directory=tmp_path, context=model.context())
        store.save(model.answer())
        record = json.loads(store.path.read_text())
        jsonschema.validate(record, answer_schema())  # the schema file itself, not our helper
        assert read_answer_file(store.path, kind=model.kind, text_sha=model.text_sha).ok


def _file(tmp_path, **changes):
    record = {"schema": 1, "question_id": "q", "kind": "quiz", "text_id": None, "text_hash": "0" * 16,
              "answer": {"selected": ["a"]}}
    record.update(changes)
    for key in [k for k, v in changes.items() if v is ...]:
        del record[key]
    (tmp_path / "q.json").write_text(json.dumps(record))
    return tmp_path / "q.json"


def test_version_and_text_hash_are_required_by_the_widget_and_the_grader(tmp_path, capsys):
    found = read_answer_file(_file(tmp_path, text_hash=...))
    assert found.reason == "invalid" and "'text_hash' is a required property" in found.problem
    assert read_answer_file(_file(tmp_path, schema=99)).reason == "old-format"
    assert load_answer("q", directory=tmp_path) is None  # the grading helper refuses it too
    assert "format version 99" in capsys.readouterr().out
    assert "format version 99" in AnswerStore("q", "quiz", text_sha="0" * 16, directory=tmp_path).load().message
    with pytest.raises(ValueError, match="needs text_sha"):
        AnswerStore("q", "quiz", directory=tmp_path).save({"selected": ["a"]})


@pytest.mark.parametrize("answer, problem", [
    ({"selected": 5}, "selected: 5 is not of type 'array'"),
    ({"selected": [["a"]]}, "is not of type 'string'"),
    ({"selected": ["a"], "extra": 1}, "Additional properties"),
])
def test_types_are_checked(tmp_path, answer, problem):
    found = read_answer_file(_file(tmp_path, answer=answer))
    assert found.reason == "invalid" and problem in found.problem


def test_deep_nesting_is_reported_not_raised(tmp_path, capsys):
    path = tmp_path / "q.json"
    path.write_text('{"schema": 1, "answer": ' + "[" * 100_000 + "]" * 100_000 + "}")
    assert "nested too deeply" in read_answer_file(path).problem
    assert "nested too deeply" in AnswerStore("q", "quiz", text_sha="0" * 16, directory=tmp_path).load().message
    path.write_text('{"schema": 1, "answer": ' + "[" * 100_000 + "]" * 100_000 + "}")
    assert score_choice("q", ["a"], points=1, directory=tmp_path) == 0.0
    assert "nested too deeply" in capsys.readouterr().out
    _file(tmp_path, answer={"selected": ["a"]}, context=json.loads("[" * 500 + "]" * 500))
    assert "nested more than 20 levels" in read_answer_file(tmp_path / "q.json").problem


def test_links_and_special_files_are_not_read(tmp_path):
    target = _file(tmp_path)
    os.symlink(target, tmp_path / "link.json")
    assert read_answer_file(tmp_path / "link.json").reason == "not-a-file"
    os.mkfifo(tmp_path / "pipe.json")  # would block a plain open()
    assert read_answer_file(tmp_path / "pipe.json").reason == "not-a-file"
    (tmp_path / "folder.json").mkdir()
    assert read_answer_file(tmp_path / "folder.json").reason in ("not-a-file", "unreadable")
    assert read_answer_file(tmp_path / "none.json").reason == "missing"


def test_an_answer_for_another_text_says_so(tmp_path, capsys):
    doc = read("The reckless plan failed.")
    AnswerStore("q", "spans", text_id="old", text_sha=text_hash("An older version of the text."),
                directory=tmp_path).save({"spans": [[4, 12, "loaded_language"]]})
    assert load_answer("q", kind="spans", text=doc, directory=tmp_path) is None
    assert "made for a different text ('old')" in capsys.readouterr().out


def test_validate_data_checks_the_lessons_references(tmp_path):
    import shutil
    import subprocess
    import sys
    from pathlib import Path

    repo = Path(__file__).resolve().parents[1]
    shutil.copytree(repo / "lessons", tmp_path / "lessons")
    shutil.copytree(repo / "references", tmp_path / "references")
    command = [sys.executable, "-m", "medialit", "validate-data", "--course", str(tmp_path)]
    result = subprocess.run(command, capture_output=True, text=True)
    assert result.returncode == 0 and "every widget question" in result.stdout, result.stdout
    path = tmp_path / "references" / "01-loaded-language.json"
    data = json.loads(path.read_text())
    data["questions"]["loaded-readout"]["points"] = 3
    del data["questions"]["machine-wrong"]
    path.write_text(json.dumps(data))
    notebook = tmp_path / "lessons" / "02-framing" / "framing.ipynb"
    notebook.write_text(notebook.read_text().replace('load_answer(\\"frame-plot\\") is not None',
                                                     'score_choice(\\"frame-plot\\", [\\"a\\"], points=2)'))
    result = subprocess.run(command, capture_output=True, text=True)
    assert result.returncode == 1
    assert "'loaded-readout': 3 points, but cell 't-spans' has 4" in result.stdout
    assert "test cell 't-machine' checks widget 'machine-wrong' but has neither hidden tests nor an entry" in result.stdout
    assert "test cell 't-plot' scores a widget answer in the student's kernel" in result.stdout


def test_checking_an_answer_leaves_the_import_machinery_alone():
    """The grader withholds the scores of a notebook whose sys.meta_path changed while it ran;
    widgets check answer files in the student's kernel, so that check must not change it."""
    import subprocess
    import sys

    code = ("import sys; before = list(sys.meta_path)\n"
            "from medialit.answers import check_record\n"
            "check_record({'schema': 1})\n"
            "assert 'jsonschema' in sys.modules, 'the schema was not checked'\n"
            "assert sys.meta_path == before, sys.meta_path\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
