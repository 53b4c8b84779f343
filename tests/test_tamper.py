"""Tampered submissions: deleted or stripped test cells are restored and graded (part of issue 7)."""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pytest
from helpers import model_answers, nbgrader, submit_answers

REPO = Path(__file__).resolve().parents[1]
LESSON, NOTEBOOK = "00-orientation", "orientation.ipynb"

pytestmark = pytest.mark.skipif(not (REPO / "lessons" / LESSON).is_dir(), reason="lesson 00 is not in lessons/")


def _nbgrader(root: Path, *args: str) -> None:
    result = nbgrader(root, *args)
    assert result.returncode == 0, result.stderr[-3000:]


def _course(tmp_path: Path) -> Path:
    """A course with lesson 00 and the repository's nbgrader configuration, assignment generated."""
    course = tmp_path / "course"
    (course / "lessons").mkdir(parents=True)
    shutil.copytree(REPO / "lessons" / LESSON, course / "lessons" / LESSON)
    shutil.copy(REPO / "nbgrader_config.py", course / "nbgrader_config.py")
    shutil.copytree(REPO / "references", course / "references")
    _nbgrader(course, "generate_assignment", LESSON, "--force")
    return course


def test_deleted_and_stripped_test_cells_are_restored_and_graded(tmp_path):
    course = _course(tmp_path)
    source = nbformat.read(course / "lessons" / LESSON / NOTEBOOK, as_version=4)
    for student, tamper in (("deleter", "delete"), ("stripper", "strip"), ("control", "delete")):
        nb = nbformat.from_dict(source)
        if tamper == "delete":
            nb.cells = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") != "t-top"]
        else:
            for cell in nb.cells:
                if cell.metadata.get("nbgrader", {}).get("grade_id") == "t-top":
                    del cell.metadata["nbgrader"]
                    cell.source = "pass  # a student replaced the test"
        folder = course / "submitted" / student / LESSON
        folder.mkdir(parents=True)
        nbformat.write(nb, folder / NOTEBOOK)
        submit_answers(model_answers(course, LESSON), folder)
    _nbgrader(course, "autograde", LESSON, "--force", "--student=deleter")
    _nbgrader(course, "autograde", LESSON, "--force", "--student=stripper")
    # control: nbgrader's default, without the configured guard
    _nbgrader(course, "autograde", LESSON, "--force", "--student=control", "--OverwriteCells.add_missing_cells=False")

    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        for student in ("deleter", "stripper"):
            grade = gb.find_grade("t-top", NOTEBOOK[:-6], LESSON, student)
            assert grade.auto_score == 1 and not grade.needs_manual_grade, student
            assert gb.find_submission(LESSON, student).score == 10
        control = gb.find_grade("t-top", NOTEBOOK[:-6], LESSON, "control")
        assert control.needs_manual_grade  # what the guard prevents: a silent "needs manual grade"


def test_an_answer_whose_equality_always_says_yes_earns_nothing(tmp_path):
    """A function that returns an object whose __eq__ is always True passes a plain `==` test in
    nbgrader; the lessons compare through medialit.grading.same, which refuses it."""
    course = _course(tmp_path)
    nb = nbformat.read(course / "lessons" / LESSON / NOTEBOOK, as_version=4)
    cheat = ("STOP = medialit.stopwords()\n\nclass AlwaysEqual(set):\n    def __eq__(self, other):\n        return True\n\n"
             "def content_words(doc):\n    return AlwaysEqual({'plan', 'vote', 'nato'})\n")
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "q-top":
            cell.source = cheat
    folder = course / "submitted" / "cheater" / LESSON
    folder.mkdir(parents=True)
    nbformat.write(nb, folder / NOTEBOOK)
    submit_answers(model_answers(course, LESSON), folder)
    _nbgrader(course, "autograde", LESSON, "--force")

    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        assert gb.find_grade("t-top", NOTEBOOK[:-6], LESSON, "cheater").auto_score == 0
        assert gb.find_submission(LESSON, "cheater").score == 8  # t-top and t-only (built on content_words) lose a point each; the rest counts
