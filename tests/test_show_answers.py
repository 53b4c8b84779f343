"""ShowAnswers alone, on hand-made notebooks: each kind of answer as text, refusals, no reference.

The real ``nbgrader autograde`` and ``generate_feedback`` run is in test_score_answers.py
(``test_formgrader_and_feedback_show_widget_answers_as_text``, and formgrader in a browser).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from nbformat.v4 import new_code_cell, new_notebook

from medialit.answers import AnswerStore, text_hash
from medialit.grader.show_answers import ShowAnswers, quiz_options
from medialit.text import read
from medialit.views.answers import answer_lines

PASSAGE = "The reckless plan failed. Officials said the vote is on Monday."


def _run(tmp_path: Path, kind: str, answer, source: str, text=PASSAGE, link=False, db_url=None):
    refs = tmp_path / "references"
    refs.mkdir(parents=True)
    question = {"cell": "t-q", "kind": kind, "points": 2, "reference": {"selected": ["a"]} if kind == "quiz"
                else {"spans": [[4, 12, "loaded_language"]]}}
    if kind == "spans":
        question["text"] = {"passage": PASSAGE}
    (refs / "01-demo.json").write_text(json.dumps({"schema": 1, "lesson": "01-demo", "questions": {"q": question}}))
    folder = tmp_path / "autograded"
    if answer is not None:
        sha = text_hash(read(text).text) if kind == "spans" else text_hash("Which?\n" + "\n".join(["a", "b"]))
        AnswerStore("q", kind, text_id=None, text_sha=sha, directory=folder / "answers").save(answer)
        path = folder / "answers" / "q.json"
        if link:
            target = tmp_path / "elsewhere.json"
            Path(path).rename(target)
            os.symlink(target, path)
    widget = new_code_cell(source, metadata={"nbgrader": {"grade": False, "grade_id": "q-q", "solution": True,
                                                          "locked": False}})
    test = new_code_cell('expect(load_answer("q") is not None, "Answer.")',
                         metadata={"nbgrader": {"grade": True, "grade_id": "t-q", "points": 2, "solution": False,
                                                "locked": True}})
    nb = new_notebook(cells=[widget, test])
    resources = {"nbgrader": {"assignment": "01-demo", "student": "s", "notebook": "demo", "db_url": db_url},
                 "metadata": {"path": str(folder)}}
    nb, _ = ShowAnswers(references_dir=str(refs)).preprocess(nb, resources)
    return nb


def test_a_quiz_answer_is_shown_below_the_widget_with_option_texts(tmp_path):
    nb = _run(tmp_path, "quiz", {"selected": ["b"]},
              'q = Quiz("q", "Which?", {"a": "may", "b": "<clearly>"})\ndisplay(q)')
    (output,) = nb.cells[0].outputs
    assert output.data["text/plain"].endswith("Chosen: (b) <clearly>")
    assert "(b) &lt;clearly&gt;" in output.data["text/html"] and "<clearly>" not in output.data["text/html"]
    assert nb.cells[1].outputs == []  # the test cell and its score are left alone


def test_marked_passages_are_quoted_with_their_labels(tmp_path):
    nb = _run(tmp_path, "spans", {"spans": [[4, 12, "loaded_language"], [26, 40, "vague_attribution"]]},
              'm = SpanMarker(question_id="q", text=PASSAGE)\nm')
    text = nb.cells[0].outputs[0].data["text/plain"]
    assert "“reckless”: loaded language" in text and "“Officials said”: vague attribution" in text


def test_no_answer_or_a_refused_file_says_so_and_the_widget_cell_is_found_or_not(tmp_path):
    nb = _run(tmp_path / "a", "quiz", None, "# the student deleted the widget")
    assert nb.cells[0].outputs == []
    assert "None shown: no saved answer was found." in nb.cells[1].outputs[0].data["text/plain"]
    nb = _run(tmp_path / "b", "quiz", {"selected": ["a"]}, 'q = Quiz("q", "Which?", {"a": "may", "b": "x"})', link=True)
    assert "is a link to another file" in nb.cells[0].outputs[0].data["text/plain"]


def test_every_kind_reads_as_text():
    doc = read("The plan failed. Critics said so. It will fail again.")
    assert answer_lines("sentences", {"labels": {"1": {"claim": "opinion", "unsupported": True}}}, document=doc) == [
        "Sentence 2 “critics said so.”: opinion, unsupported"]
    assert answer_lines("frame_map", {"functions": {"cause": [0, 2]}, "primary_frame": "security_and_defense"},
                        document=doc) == ["cause: sentence 1 “The plan failed.”; sentence 3 “It will fail again.”",
                                          "Primary frame: security and defense"]
    ledger = answer_lines("ledger", {"claims": {"2": {"source": "vague", "evidence": "", "missing": ["grounds"],
                                                      "question": None}}}, document=doc)
    assert ledger == ["Claim in sentence 3 “It will fail again.”: source vague; no evidence written; "
                      "missing grounds; no question chosen"]
    assert answer_lines("categories", {"labels": {"0": "whataboutism"}}, context={"items": ["But you..."]}) == [
        "Item 1 “but you...”: whataboutism"]
    assert answer_lines("quiz", {"selected": []}) == ["No option chosen."]
    assert quiz_options("Quiz(qid)") == {} and quiz_options("not python (") == {}
    assert quiz_options('widgets.Quiz(question_id="q", question="?", options={"a": "x"})') == {"q": {"a": "x"}}


def test_no_response_is_replaced_for_an_answered_widget_cell_and_options_come_from_the_release(tmp_path, monkeypatch):
    import sys

    from nbgrader.api import Gradebook

    monkeypatch.setenv("PATH", os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]))

    released = 'q = Quiz("q", "Which?", {"a": "may", "b": "clearly"})\nq'
    db_url = f"sqlite:///{tmp_path / 'gradebook.db'}"
    with Gradebook(db_url) as gb:
        gb.add_assignment("01-demo")
        gb.add_notebook("demo", "01-demo")
        gb.add_solution_cell("q-q", "demo", "01-demo")
        gb.add_source_cell("q-q", "demo", "01-demo", cell_type="code", source=released, locked=False)
        gb.add_student("s")
        gb.add_submission("01-demo", "s")
        gb.find_comment("q-q", "demo", "01-demo", "s").auto_comment = "No response."
        gb.db.commit()
    # the student edited the option's text in their copy: the grader sees the released text
    nb = _run(tmp_path / "course", "quiz", {"selected": ["b"]},
              'q = Quiz("q", "Which?", {"a": "may", "b": "the right answer"})\nq', db_url=db_url)
    assert nb.cells[0].outputs[0].data["text/plain"].endswith("Chosen: (b) clearly")
    with Gradebook(db_url) as gb:
        assert gb.find_comment("q-q", "demo", "01-demo", "s").auto_comment.startswith("Answered with the widget")
