"""Answer files never reach students from the source folder, and autograde never overwrites them.

First guard: a widget run inside a lesson *source* folder saves to .instructor-answers/, never
to answers/ beside the source. Second guard: Autograde.exclude_overwriting (computed from the
lessons' widgets by nbgrader_config.py) keeps a student's answers even if an answer file did end
up in the source folder. The control run shows the overwrite nbgrader does without it.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import nbformat
import pytest
from helpers import nbgrader
from nbformat.v4 import new_code_cell, new_notebook

from medialit.answers import text_hash

QUIZ = 'from medialit.widgets import Quiz\nquiz = Quiz("pick-1", "Which word is a hedge?", {"a": "may", "b": "clearly"})'


QUIZ_HASH = text_hash("Which word is a hedge?\na\nb")  # what the quiz's answer files carry


def _notebook(solution: bool) -> nbformat.NotebookNode:
    widget = QUIZ + ("\n### BEGIN SOLUTION\nquiz.set_answer({'selected': ['a']})\n### END SOLUTION" if solution else "")
    cells = [
        new_code_cell(widget + "\nquiz", metadata={"nbgrader": {
            "grade": False, "grade_id": "quiz-widget", "locked": False, "schema_version": 3,
            "solution": True, "task": False}}),
        new_code_cell('from medialit.grading import expect, load_answer\n'
                      'expect(load_answer("pick-1") is not None, "Choose an answer in the quiz above.")',
                      metadata={"nbgrader": {"grade": True, "grade_id": "quiz-test", "locked": True,
                                             "points": 1, "schema_version": 3, "solution": False, "task": False}}),
    ]
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python", "name": "python3"}
    return nb


@pytest.fixture()
def course(tmp_path, repo):
    root = tmp_path / "course"
    lesson = root / "lessons" / "01-demo"
    lesson.mkdir(parents=True)
    (root / "references").mkdir()
    (root / "references" / "01-demo.json").write_text(json.dumps({"schema": 1, "lesson": "01-demo", "questions": {
        "pick-1": {"cell": "quiz-test", "kind": "quiz", "points": 1, "reference": {"selected": ["a"]}}}}))
    shutil.copy(repo / "nbgrader_config.py", root / "nbgrader_config.py")
    nbformat.write(_notebook(solution=True), lesson / "demo.ipynb")
    return root


def test_running_a_source_notebook_never_writes_answers_beside_it(course):
    from nbclient import NotebookClient

    lesson = course / "lessons" / "01-demo"
    nb = nbformat.read(lesson / "demo.ipynb", as_version=4)
    env_before = os.environ.pop("MEDIALIT_ANSWERS_DIR", None)
    try:
        NotebookClient(nb, resources={"metadata": {"path": str(lesson)}}, timeout=120).execute()
    finally:
        if env_before is not None:
            os.environ["MEDIALIT_ANSWERS_DIR"] = env_before
    assert not (lesson / "answers").exists()
    saved = course / ".instructor-answers" / "01-demo" / "pick-1.json"
    assert json.loads(saved.read_text())["answer"] == {"selected": ["a"]}


def _autograde_with_rogue_file(course: Path, keep_guard: bool) -> tuple[list[str], float]:
    lesson = course / "lessons" / "01-demo"
    result = nbgrader(course, "generate_assignment", "01-demo", "--force")
    assert result.returncode == 0, result.stderr
    # an answer file that should never be in the source folder, but is
    (lesson / "answers").mkdir()
    (lesson / "answers" / "pick-1.json").write_text(json.dumps({
        "schema": 1, "question_id": "pick-1", "kind": "quiz", "text_id": None, "text_hash": QUIZ_HASH,
        "answer": {"selected": ["a"]}}))
    if not keep_guard:
        config = course / "nbgrader_config.py"
        config.write_text(config.read_text() + "\nc.Autograde.exclude_overwriting = {}\n")
    submission = course / "submitted" / "student1" / "01-demo"
    (submission / "answers").mkdir(parents=True)
    shutil.copy(course / "release" / "01-demo" / "demo.ipynb", submission / "demo.ipynb")
    (submission / "answers" / "pick-1.json").write_text(json.dumps({
        "schema": 1, "question_id": "pick-1", "kind": "quiz", "text_id": None, "text_hash": QUIZ_HASH,
        "answer": {"selected": ["b"]}}))
    result = nbgrader(course, "autograde", "01-demo", "--force")
    assert result.returncode == 0, result.stderr
    graded = json.loads((course / "autograded" / "student1" / "01-demo" / "answers" / "pick-1.json").read_text())
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        score = gb.find_submission("01-demo", "student1").score
    return graded["answer"]["selected"], score


def test_exclude_overwriting_keeps_the_students_answers(course):
    selected, score = _autograde_with_rogue_file(course, keep_guard=True)
    assert selected == ["b"] and score == 0.0  # the student's own (wrong) answer was graded


def test_without_the_guard_nbgrader_hands_out_the_source_answer(course):
    selected, score = _autograde_with_rogue_file(course, keep_guard=False)
    assert selected == ["a"] and score == 1.0  # what the guard prevents


def test_repository_lessons_hold_no_answer_files(repo):
    assert not [p for p in (repo / "lessons").rglob("answers") if p.is_dir()]
    assert not list((repo / "lessons").rglob("*.json"))
