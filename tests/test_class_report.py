"""`medialit class-report`: the class's agreement and disagreements per question (issue 7)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest

from medialit.agreement import krippendorff_alpha
from medialit.answers import AnswerStore
from medialit.class_report import answer_units, class_report, write_class_report
from medialit.exercises import QuizModel, SpanMarkerModel
from medialit.text import read

LESSON = "01-loaded-language"
PASSAGE = "The regime rammed the reckless plan through parliament on Tuesday, officials said."


def test_alpha_matches_krippendorffs_published_example():
    # Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", reliability data with
    # 4 observers, 12 units and missing values: nominal alpha = 0.743
    rows = {"A": [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
            "B": [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
            "C": [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
            "D": [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None]}
    units = {u: {coder: rows[coder][u] for coder in rows} for u in range(12)}
    assert round(krippendorff_alpha(units), 3) == 0.743


def _save(folder, model):
    AnswerStore(model.question_id, model.kind, text_id=model.text_id, text_sha=model.text_sha,
                directory=folder, context=model.context()).save(model.answer())


def _words(*wanted):
    doc = read(PASSAGE)
    return [i for i, t in enumerate(doc.word_tokens) if t.text in wanted]


@pytest.fixture
def course(tmp_path):
    doc = read(PASSAGE)
    # model answer: "regime" and "reckless" are loaded; the quiz answer is b
    marks = {
        "model": ["regime", "reckless"],
        "ann": ["regime", "reckless"],
        "ben": ["regime", "reckless"],
        "cem": ["regime", "rammed"],
        "dia": ["regime"],
        "eli": [t.text for t in doc.word_tokens],  # flags every word
    }
    for student, words in marks.items():
        folder = tmp_path / (".instructor-answers/" + LESSON if student == "model"
                             else f"submitted/{student}/{LESSON}/answers")
        model = SpanMarkerModel("loaded-passage", doc, labels=["loaded_language"])
        for index in _words(*words):
            model.toggle(index, "loaded_language")
        _save(folder, model)
        quiz = QuizModel("connotation", "Which word is neutral?", {"a": "regime", "b": "government", "c": "junta"})
        quiz.select(["b"] if student in ("model", "ann", "ben", "cem") else ["a"])
        _save(folder, quiz)
    (tmp_path / f"submitted/ann/{LESSON}/answers/broken.json").write_text("{not json")
    return tmp_path


def test_span_agreement_missed_and_over_flagged(course):
    report = class_report(LESSON, course)
    assert report.students == ["ann", "ben", "cem", "dia", "eli"]
    span = next(q for q in report.questions if q.question_id == "loaded-passage")
    assert span.students == 5 and span.has_reference
    # alpha over words equals a direct computation from the students' word labels
    doc = read(PASSAGE)
    words = list(doc.word_tokens)
    table = {}
    for student in report.students:
        record = json.loads((course / f"submitted/{student}/{LESSON}/answers/loaded-passage.json").read_text())
        for unit, value in answer_units("spans", record["answer"], None, words).items():
            table.setdefault(unit, {})[student] = value
    assert span.alpha == pytest.approx(krippendorff_alpha(table))
    assert span.alpha < 0.667 and span.verdict == "low"
    # "reckless" was found by 3 of 5, "regime" by all but... everyone: reckless is the most missed
    assert span.missed[0][0].startswith("“reckless”") and span.missed[0][1] == pytest.approx(0.6)
    # "regime" was found by the whole class: it is not missed, so not listed
    assert all(share < 1 for _, share in span.missed) and not any("regime" in what for what, _ in span.missed)
    # "rammed" (cem and eli) is the most over-flagged; the rest only by eli
    assert span.over_flagged[0] == ("“rammed”", pytest.approx(0.4))
    assert any("broken.json" in problem for problem in report.problems)


def test_choice_questions_report_the_options_most_missed(course):
    report = class_report(LESSON, course)
    quiz = next(q for q in report.questions if q.question_id == "connotation")
    assert quiz.missed[0] == ("option b", pytest.approx(0.6))
    assert ("option a", pytest.approx(0.4)) in quiz.over_flagged
    assert quiz.alpha is not None and quiz.alpha < 0.8


def test_files_and_command(course):
    report = class_report(LESSON, course)
    paths = write_class_report(report, course / "out")
    assert [p.name for p in paths] == ["class-report.json", "class-report.png", "class-report.html"]
    assert paths[1].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    page = paths[2].read_text()
    assert "data:image/png;base64," in page and "reckless" in page
    assert json.loads(paths[0].read_text())["questions"][0]["question_id"] == "connotation"
    fig = report.figure()
    assert len(fig.axes) == 2  # agreement per question, and who marked which word
    result = subprocess.run([sys.executable, "-m", "medialit", "class-report", LESSON, "--course", str(course)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "loaded-passage" in result.stdout and "most missed: “reckless”" in result.stdout
    assert (course / "reports" / LESSON / "class-report.html").is_file()


def test_without_model_answers_it_still_reports_agreement(course):

    shutil.rmtree(course / ".instructor-answers")
    report = class_report(LESSON, course)
    assert all(not q.has_reference for q in report.questions)
    assert any("No model answers" in p and "--reference" in p for p in report.problems)
    assert next(q for q in report.questions if q.question_id == "connotation").alpha is not None
    # no verdict without a reference: nothing missed or over-flagged, only what the class marked most
    assert all(not q.missed and not q.over_flagged for q in report.questions)
    span = next(q for q in report.questions if q.question_id == "loaded-passage")
    assert span.most_marked[0] == ("“regime”", pytest.approx(1.0))
    table = report.table()
    assert "over-flagged: " not in table and "most missed: " not in table and "most marked: “regime”" in table
    page = report.html()
    assert "over-flagged: " not in page and "(no model answer)" in page


def test_the_passage_is_shown_inline_not_one_word_per_line(course):
    report = class_report(LESSON, course)
    span = next(q for q in report.questions if q.question_id == "loaded-passage")
    assert "".join(text for text, _, _ in span.segments()) == span.text
    page = report.html()
    passage = page.split('<p class="passage">', 1)[1].split("</p>", 1)[0]
    assert passage.count("\n") == span.text.count("\n")  # no line break of the page's own


def test_a_clear_error_for_a_lesson_without_submissions(course):
    with pytest.raises(LookupError, match="no submissions of '02-framing'.*Lessons with submissions: 01-loaded"):
        class_report("02-framing", course)


def test_widgets_save_what_the_report_needs():
    doc = read(PASSAGE)
    model = SpanMarkerModel("q", doc, labels=["loaded_language"])
    assert model.context()["text"] == doc.text
    assert QuizModel("q", "?", {"a": "x", "b": "y"}).context()["options"] == ["a", "b"]


def test_one_malformed_file_is_skipped_and_named_not_fatal(course):
    answers = course / f"submitted/dia/{LESSON}/answers"
    quiz = json.loads((answers / "connotation.json").read_text())
    quiz["answer"]["selected"] = 5
    (answers / "connotation.json").write_text(json.dumps(quiz))
    spans = json.loads((answers / "loaded-passage.json").read_text())
    spans["answer"]["spans"] = [[4, 10]]  # a span without its label
    (answers / "loaded-passage.json").write_text(json.dumps(spans))
    (answers / "connotation.other-text-20260101-000000.json").write_text("{}")  # a file the widget set aside
    report = class_report(LESSON, course)
    assert {q.question_id: q.students for q in report.questions} == {"connotation": 4, "loaded-passage": 4}
    named = [p for p in report.problems if "/dia/" in p]
    assert len(named) == 2 and any("connotation.json" in p and "selected: 5" in p for p in named)
    assert any("loaded-passage.json" in p for p in named)
    assert not any("other-text-2026" in p for p in report.problems)
    result = subprocess.run([sys.executable, "-m", "medialit", "class-report", LESSON, "--course", str(course)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "connotation.json" in result.stdout


@pytest.mark.parametrize("kind", ["sentences", "frame_map", "ledger", "categories"])
def test_every_kind_of_answer_is_reported(tmp_path, kind):
    from medialit.exercises import CategorySorterModel, ClaimLedgerModel, FrameMapModel, SentenceSorterModel

    doc = read("Prices rose 3% last year. Critics say the plan failed. It will fail again. Nobody asked us.")
    for n, student in enumerate(["model", "ann", "ben", "cem"]):
        if kind == "sentences":
            model = SentenceSorterModel("q", doc)
            model.set(0, claim="factual" if n < 3 else "opinion", support="supported")
        elif kind == "frame_map":
            model = FrameMapModel("q", doc)
            model.choose("problem", [1] if n < 3 else [2])
            model.set_frame("economic")
        elif kind == "ledger":
            model = ClaimLedgerModel("q", doc, claims=[1, 2])
            model.update(1, source="vague" if n < 3 else "named", missing=["grounds"])
        else:
            model = CategorySorterModel("q", ["What about you?", "Prices rose."], ["whataboutism", "none"])
            model.set(0, "whataboutism" if n < 3 else "none")
        folder = tmp_path / (f".instructor-answers/{LESSON}" if student == "model"
                             else f"submitted/{student}/{LESSON}/answers")
        _save(folder, model)
    report = class_report(LESSON, tmp_path)
    (question,) = report.questions
    assert question.kind == kind and question.students == 3 and question.units > 0 and question.has_reference
    assert question.missed and question.missed[0][1] < 1  # cem disagrees with the model answer
    assert not report.problems
    shutil.rmtree(tmp_path / ".instructor-answers")
    (question,) = class_report(LESSON, tmp_path).questions
    assert not question.missed and not question.over_flagged  # no verdict without a model answer
    assert question.split and question.split[0][1] == pytest.approx(2 / 3)  # where the class split
