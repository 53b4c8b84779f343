"""Lesson 07-your-text end to end with nbgrader: a student's own text file and saved widget answers
travel through fetch, submit, collect and autograde; the graded notebook runs top to bottom on that
file (in the grading sandbox) and shows the student's marks to the grader; a bad file stops with a
clear message; the project gives no automatic points.

(The file name starts with ``test_lifecycle`` so that ``conftest.py`` skips it without the sandbox.)
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import nbformat
import pytest
from helpers import lifecycle_course, nbgrader, nbgrader_env

REPO = Path(__file__).resolve().parents[1]
LESSON = "07-your-text"
NOTEBOOK = "your_text.ipynb"

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not (REPO / "lessons" / LESSON).is_dir(), reason="lesson 07 is not in lessons/")]

ARTICLE = ("Council votes on the bridge — “a disgrace”, say critics\n\n"
           "The city council will vote on Tuesday on the new bridge, which would cost €40 million. "
           "Officials said the old bridge is safe until 2030. Critics call the plan a reckless vanity project.\n\n"
           "Mayor Ana Ruiz said the bridge would cut journeys by ten minutes. Café owners 🍰 near the river "
           "worry about two years of building work.\n")


def _run(cwd: Path, home: Path, *args: str, user: str = "instructor") -> subprocess.CompletedProcess:
    env = nbgrader_env(HOME=str(home), USER=user, LOGNAME=user, JUPYTER_DATA_DIR=str(home / ".local/share/jupyter"),
                       JUPYTER_CONFIG_DIR=str(home / ".jupyter"))
    result = nbgrader(cwd, *args, env=env)
    assert result.returncode == 0, f"nbgrader {' '.join(args)} failed:\n{result.stdout[-2000:]}\n{result.stderr[-4000:]}"
    return result


def _grade_id(cell) -> str | None:
    return cell.metadata.get("nbgrader", {}).get("grade_id")


def _answer_with_widgets(folder: Path, my_text: str, source: str, loaded: str, vague: str) -> None:
    """What the student does in the widgets: their clicks save answers/<question>.json."""
    import os

    from medialit.own_text import OWN_LABELS, passage, read_own
    from medialit.widgets import SentenceSorter, SpanMarker

    here = Path.cwd()
    os.chdir(folder)  # the notebook reads MY_TEXT relative to its folder
    try:
        part = passage(read_own(my_text, source))
        marks = SpanMarker("own-marks", part, labels=list(OWN_LABELS), directory=folder / "answers")
        spans = []
        for phrase, label in ((loaded, "loaded_language"), (vague, "vague_attribution")):
            start = part.text.index(phrase)
            spans.append((start, start + len(phrase), label))
        marks.set_answer(spans)
        claims = SentenceSorter("own-claims", part, sentences=list(range(min(10, len(part.sentences)))),
                                directory=folder / "answers")
        claims.set_answer({"labels": {"1": {"claim": "factual", "unsupported": False},
                                      "3": {"claim": "opinion", "unsupported": True}}})
    finally:
        os.chdir(here)


def test_own_text_and_answers_travel_through_submit_collect_and_autograde(tmp_path):
    course, exchange, instructor = lifecycle_course(tmp_path, LESSON)
    ex = f"--Exchange.root={exchange}"
    for student in ("alice", "bob"):
        _run(course, instructor, "db", "student", "add", student)
    _run(course, instructor, "generate_assignment", LESSON, "--force")
    _run(course, instructor, "release_assignment", LESSON, ex, "--force")

    for student, filename, content in (("alice", "my-article.txt", ARTICLE.encode("utf-8")),
                                       ("bob", "my-article.pdf.txt", b"%PDF-1.7 not really text")):
        home = tmp_path / "homes" / student
        home.mkdir(parents=True)
        _run(home, home, "fetch_assignment", LESSON, "--course", "medialit", ex, user=student)
        folder = home / LESSON
        (folder / filename).write_bytes(content)  # the student uploads a file next to the notebook
        nb = nbformat.read(folder / NOTEBOOK, as_version=4)
        for cell in nb.cells:
            if _grade_id(cell) == "my-text":
                cell.source = (f'MY_TEXT = "{filename}"\nMY_SOURCE = "City Post, 3 May 2024, https://example.org/bridge"\n'
                               "START_PARAGRAPH = 0\n")
            if _grade_id(cell) == "w-machine":
                cell.source = "The analyzer marked “Officials said” as vague; I agree: no name is given."
        nbformat.write(nb, folder / NOTEBOOK)
        if student == "alice":
            _answer_with_widgets(folder, filename, "City Post, 3 May 2024, https://example.org/bridge",
                                 loaded="reckless vanity project", vague="Officials said")
        _run(home, home, "submit", LESSON, "--course", "medialit", f"--student={student}", ex, user=student)

    _run(course, instructor, "collect", LESSON, ex, "--CollectApp.check_owner=False")
    alice = course / "submitted" / "alice" / LESSON
    assert (alice / "my-article.txt").read_bytes() == ARTICLE.encode("utf-8")
    assert (alice / "answers" / "own-marks.json").is_file() and (alice / "answers" / "own-claims.json").is_file()
    _run(course, instructor, "autograde", LESSON, "--force")

    graded_folder = course / "autograded" / "alice" / LESSON
    assert (graded_folder / "my-article.txt").read_bytes() == ARTICLE.encode("utf-8")
    saved = json.loads((graded_folder / "answers" / "own-marks.json").read_text(encoding="utf-8"))
    assert len(saved["answer"]["spans"]) == 2
    graded = nbformat.read(graded_folder / NOTEBOOK, as_version=4)
    outputs = {_grade_id(c) or f"cell-{k}": c.get("outputs", []) for k, c in enumerate(graded.cells) if c.cell_type == "code"}
    errors = [(gid, o) for gid, outs in outputs.items() for o in outs if o.output_type == "error"]
    assert not errors, errors
    printed = "".join(o.get("text", "") for o in outputs["compare"] if o.output_type == "stream")
    # the grader sees the student's marks, read back from answers/ by the kernel that read their file
    assert "City Post, 3 May 2024" in printed
    assert "reckless vanity project" in printed and "Officials said" in printed
    assert "opinion, unsupported" in printed
    loaded = "".join(o.get("text", "") for o in outputs["load"] if o.output_type == "stream")
    assert "Your text:" in loaded and "Source: City Post" in loaded

    # Bob's "text" is a PDF: the load cell stops with a message that says what to do, and nothing is lost
    bob = nbformat.read(course / "autograded" / "bob" / LESSON / NOTEBOOK, as_version=4)
    (load,) = [c for c in bob.cells if _grade_id(c) == "load"]
    (error,) = [o for o in load.outputs if o.output_type == "error"]
    assert error.ename == "TextInputError" and "looks like a PDF file" in error.evalue and "plain text" in error.evalue
    assert (course / "autograded" / "bob" / LESSON / "my-article.pdf.txt").is_file()

    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", course_id="medialit") as gb:
        submission = gb.find_submission(LESSON, "alice")
        assert submission.max_score == 10 and submission.max_code_score == 0  # all points are the rubric's
        assert submission.needs_manual_grade
        grade = gb.find_grade("w-machine", NOTEBOOK[:-6], LESSON, "alice")
        grade.manual_score = 3
        gb.db.commit()
        assert gb.find_submission(LESSON, "alice").score == 3
    for student in ("alice", "bob"):
        (report,) = (course / "reports" / LESSON / student).glob("*.integrity.json")
        assert json.loads(report.read_text())["status"] == "ok", report.read_text()
