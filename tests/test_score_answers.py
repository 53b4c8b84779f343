"""ScoreAnswers: widget answers scored on the grader's side against references/<lesson>.json.

One course with lesson 00 (two graded quizzes, 2 points each, and 6 points of code), the
instructor's answers made by running the source once, and one `nbgrader autograde` of several
students who all submit the source notebook (so the code scores 6) with different answer files.
Then ScoreAnswers alone, on hand-made notebooks: another text, links, large files, withheld
scores and a failed visible check.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import nbformat
import pytest

from medialit.references import write_model_answers
from helpers import nbgrader
from nbformat.v4 import new_code_cell, new_notebook, new_output

from medialit.answers import AnswerStore, text_hash
from medialit.grader.findings import INTEGRITY_KEY
from medialit.grader.score_answers import ScoreAnswers
from medialit.text import read

REPO = Path(__file__).resolve().parents[1]
LESSON, NOTEBOOK = "00-orientation", "orientation.ipynb"
CODE_POINTS = 6.0

pytestmark = pytest.mark.skipif(not (REPO / "lessons" / LESSON).is_dir(), reason="lesson 00 is not in lessons/")


def _answers(folder: Path) -> dict[str, dict]:
    return {p.stem: json.loads(p.read_text()) for p in folder.glob("*.json")}


def _deep(depth: int) -> str:
    return "[" * depth + "]" * depth


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    from nbgrader.api import Gradebook

    course = tmp_path_factory.mktemp("scoring") / "course"
    (course / "lessons").mkdir(parents=True)
    shutil.copytree(REPO / "lessons" / LESSON, course / "lessons" / LESSON)
    shutil.copytree(REPO / "references", course / "references")
    shutil.copy(REPO / "nbgrader_config.py", course / "nbgrader_config.py")
    result = nbgrader(course, "generate_assignment", LESSON, "--force")
    assert result.returncode == 0, result.stderr[-3000:]
    source_path = course / "lessons" / LESSON / NOTEBOOK
    source = nbformat.read(source_path, as_version=4)
    write_model_answers(course, LESSON)  # the key, as answer files
    model = _answers(course / ".instructor-answers" / LESSON)
    assert set(model) == {"why-naive", "how-notebooks"}

    released = nbformat.read(course / "release" / LESSON / NOTEBOOK, as_version=4)

    def submit(student: str, files: dict[str, str | dict | None], edit=None, notebook=None) -> None:
        folder = course / "submitted" / student / LESSON
        (folder / "answers").mkdir(parents=True)
        nb = nbformat.from_dict(json.loads(json.dumps(notebook or source)))
        if edit:
            edit(nb)
        nbformat.write(nb, folder / NOTEBOOK)
        for qid, content in files.items():
            path = folder / "answers" / f"{qid}.json"
            if isinstance(content, dict):
                path.write_text(json.dumps(content))
            elif isinstance(content, str):
                path.write_text(content)

    wrong = json.loads(json.dumps(model["why-naive"]))
    wrong["answer"]["selected"] = ["b"]
    future = json.loads(json.dumps(model["how-notebooks"]))
    future["schema"] = 99
    malformed = json.loads(json.dumps(model["how-notebooks"]))
    malformed["answer"]["selected"] = 5
    submit("honest", dict(model))
    submit("wrong", {"why-naive": wrong, "how-notebooks": model["how-notebooks"]})
    submit("noanswers", {})  # the solution cells still save answers, but only inside the kernel's sandbox
    submit("hostile", {"why-naive": _deep(100_000), "how-notebooks": future})
    submit("malformed", {"why-naive": model["why-naive"], "how-notebooks": malformed})
    link_target = course / "elsewhere.json"
    link_target.write_text(json.dumps(model["why-naive"]))
    submit("linker", {"how-notebooks": model["how-notebooks"]})
    os.symlink(link_target, course / "submitted" / "linker" / LESSON / "answers" / "why-naive.json")

    def transformer(nb):  # withheld: every test cell scores 0 whatever the answers
        cell = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "q-words")
        cell.source += '\nget_ipython().input_transformers_cleanup.append(lambda lines: lines)'

    submit("tamperer", dict(model), transformer)
    # the student's copy as released, widget cells untouched (nbgrader would say "No response.")
    submit("student-copy", dict(model), notebook=released)
    submit("student-copy-blank", {}, notebook=released)
    result = nbgrader(course, "autograde", LESSON, "--force")
    assert result.returncode == 0, result.stderr[-3000:]
    result = nbgrader(course, "generate_feedback", LESSON, "--force")
    assert result.returncode == 0, result.stderr[-3000:]
    scores: dict[str, dict[str, float]] = {}
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        for student in ("honest", "wrong", "noanswers", "hostile", "malformed", "linker", "tamperer",
                        "student-copy", "student-copy-blank"):
            submission = gb.find_submission(LESSON, student)
            scores[student] = {g.name: g.auto_score for nb in submission.notebooks for g in nb.grades
                               if g.cell.cell_type == "code"}
    return course, scores


def _cell(course: Path, student: str, grade_id: str):
    nb = nbformat.read(course / "autograded" / student / LESSON / NOTEBOOK, as_version=4)
    return next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)


def _line(cell, qid: str) -> str:
    return [o.text for o in cell.outputs if o.output_type == "stream" and o.text.startswith(f"{qid}: ")][-1]


def _findings(course: Path, student: str) -> list[dict]:
    (path,) = (course / "reports" / LESSON / student).glob("*.integrity.json")
    return json.loads(path.read_text())["findings"]


def test_the_model_answers_score_full_marks_from_the_grader(graded):
    course, scores = graded
    assert scores["honest"]["t-why"] == 2 and scores["honest"]["t-notebook"] == 2
    assert sum(scores["honest"].values()) == CODE_POINTS + 4
    cell = _cell(course, "honest", "t-why")
    assert _line(cell, "why-naive").splitlines()[0] == "why-naive: 1 of 1 right option chosen, 0 wrong -> 2 of 2 points"
    assert cell.outputs[-1].output_type == "execute_result" and cell.outputs[-1].data["text/plain"] == "2"
    assert _findings(course, "honest") == []


def test_a_wrong_choice_scores_zero_and_the_reference_is_not_shown(graded):
    course, scores = graded
    assert scores["wrong"]["t-why"] == 0 and scores["wrong"]["t-notebook"] == 2
    line = _line(_cell(course, "wrong", "t-why"), "why-naive")
    assert "0 of 1 right option chosen, 1 wrong -> 0 of 2 points" in line and "'a'" not in line


def test_feedback_says_why_and_never_shows_the_reference(graded):
    course, _ = graded
    import html as html_module

    wrong = html_module.unescape((course / "feedback" / "wrong" / LESSON / "orientation.html").read_text())
    assert "why-naive: 0 of 1 right option chosen, 1 wrong -&gt; 0 of 2 points" in wrong or \
        "why-naive: 0 of 1 right option chosen, 1 wrong -> 0 of 2 points" in wrong
    hostile = html_module.unescape((course / "feedback" / "hostile" / LESSON / "orientation.html").read_text())
    assert "how-notebooks: the saved answer has format version 99, not 1" in hostile
    for page in (wrong, hostile):
        assert "score_choice" not in page and '"a", "c", "d"' not in page


def test_formgrader_and_feedback_show_widget_answers_as_text(graded):
    course, scores = graded
    assert scores["student-copy"]["t-why"] == 2 and scores["student-copy"]["t-notebook"] == 2
    shown = [o for o in _cell(course, "student-copy", "q-why").outputs if o.output_type == "display_data"
             and "Answer saved with the widget" in o.data.get("text/plain", "")]
    assert len(shown) == 1
    assert "Chosen: (a) It treats every period as the end of a sentence" in shown[0].data["text/plain"]
    assert "Chosen: (a) It treats every period" in shown[0].data["text/html"]
    multi = _cell(course, "student-copy", "q-notebook").outputs[-1].data["text/plain"]
    assert "(a) Run the cells from the top" in multi and "(c) Some tests are hidden" in multi
    blank = _cell(course, "student-copy-blank", "q-why").outputs[-1].data["text/plain"]
    assert "None shown: no saved answer was found." in blank
    import html as html_module

    page = html_module.unescape((course / "feedback" / "student-copy" / LESSON / "orientation.html").read_text())
    assert "Chosen: (a) It treats every period" in page and "(c) Some tests are hidden" in page
    blank = html_module.unescape((course / "feedback" / "student-copy-blank" / LESSON / "orientation.html").read_text())
    assert "None shown: no saved answer was found." in blank


def test_answers_saved_only_inside_the_kernel_do_not_count(graded):
    course, scores = graded
    assert scores["noanswers"]["t-why"] == 0 and scores["noanswers"]["t-notebook"] == 0
    assert sum(scores["noanswers"].values()) == CODE_POINTS
    line = _line(_cell(course, "noanswers", "t-why"), "why-naive")
    assert "no saved answer was found" in line and "answers/why-naive.json" in line
    assert _findings(course, "noanswers") == []  # not answering is no integrity problem


def test_hostile_and_malformed_files_score_zero_and_are_flagged(graded):
    course, scores = graded
    assert scores["hostile"]["t-why"] == 0 and scores["hostile"]["t-notebook"] == 0
    assert "nested too deeply" in _line(_cell(course, "hostile", "t-why"), "why-naive")
    assert "format version 99" in _line(_cell(course, "hostile", "t-notebook"), "how-notebooks")
    found = {(f["kind"], f["cell"], f["severity"]) for f in _findings(course, "hostile")}
    assert {("answer-file-invalid", "t-why", "review"), ("answer-file-invalid", "t-notebook", "review")} <= found
    assert scores["malformed"]["t-why"] == 2 and scores["malformed"]["t-notebook"] == 0
    assert "selected: 5 is not of type 'array'" in _line(_cell(course, "malformed", "t-notebook"), "how-notebooks")


def test_a_linked_answer_file_is_not_scored(graded):
    course, scores = graded
    assert scores["linker"]["t-why"] == 0 and scores["linker"]["t-notebook"] == 2
    assert any(f["kind"] == "linked-file" for f in _findings(course, "linker"))


def test_withheld_scores_stay_withheld(graded):
    course, scores = graded
    assert scores["tamperer"]["t-why"] == 0 and scores["tamperer"]["t-notebook"] == 0
    cell = _cell(course, "tamperer", "t-why")
    assert cell.outputs[0].output_type == "error" and cell.outputs[0].ename == "IntegrityError"
    assert not any(o.output_type == "execute_result" for o in cell.outputs)


def test_the_kernel_never_saw_a_reference(graded):
    course, _ = graded
    nb = nbformat.read(course / "autograded" / "honest" / LESSON / NOTEBOOK, as_version=4)
    tests = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade") and not
             c.metadata.get("nbgrader", {}).get("solution")]
    assert not any("score_" in c.source or '["a", "c", "d"]' in c.source for c in tests)
    assert not (course / "release" / LESSON / "references").exists()


# -- ScoreAnswers alone, on hand-made notebooks ---------------------------------------------------

PASSAGE = "The reckless plan failed. Officials said the vote is on Monday."
SPANS = [[4, 12, "loaded_language"]]


def _setup(tmp_path: Path, outputs=None, answer=None, text=PASSAGE):
    refs = tmp_path / "references"
    refs.mkdir()
    (refs / "01-demo.json").write_text(json.dumps({"schema": 1, "lesson": "01-demo", "questions": {
        "marks": {"cell": "t-marks", "kind": "spans", "points": 4, "text": {"passage": PASSAGE},
                  "reference": {"spans": SPANS}}}}))
    folder = tmp_path / "autograded"
    if answer is not None:
        AnswerStore("marks", "spans", text_id=None, text_sha=text_hash(read(text).text),
                    directory=folder / "answers").save(answer)
    cell = new_code_cell('expect(load_answer("marks") is not None, "Mark the words.")',
                         metadata={"nbgrader": {"grade": True, "grade_id": "t-marks", "points": 4, "solution": False,
                                                "locked": True}})
    cell.outputs = outputs or []
    nb = new_notebook(cells=[cell])
    resources = {"nbgrader": {"assignment": "01-demo", "student": "s", "notebook": "demo"},
                 "metadata": {"path": str(folder)}}
    return ScoreAnswers(references_dir=str(refs)), nb, resources, folder


def _run(tmp_path, **kwargs):
    pre, nb, resources, _ = _setup(tmp_path, **kwargs)
    nb, _ = pre.preprocess(nb, resources)
    return nb.cells[0], nb.metadata.get(INTEGRITY_KEY, {}).get("findings", [])


def test_spans_are_scored_with_the_rule_of_practice_feedback(tmp_path):
    from nbgrader.utils import determine_grade

    cell, findings = _run(tmp_path, answer={"spans": SPANS + [[26, 35, "loaded_language"]]})
    assert "1 of 1 marked passage found, 1 false alarm" in cell.outputs[0].text
    assert determine_grade(cell) == (2.67, 4.0) and findings == []


def test_an_answer_for_another_text_says_so_and_is_a_note(tmp_path):
    cell, findings = _run(tmp_path, answer={"spans": SPANS}, text="Another text entirely, with other words.")
    assert "made for a different text" in cell.outputs[0].text and cell.outputs[-1].data["text/plain"] == "0"
    assert [(f["kind"], f["severity"]) for f in findings] == [("answer-other-text", "note")]


def test_links_folders_and_large_files_are_refused_without_reading_them(tmp_path):
    pre, nb, resources, folder = _setup(tmp_path)
    (folder / "answers").mkdir(parents=True)
    secret = tmp_path / "secret.json"
    secret.write_text("{}")
    os.symlink(secret, folder / "answers" / "marks.json")
    nb, _ = pre.preprocess(nb, resources)
    assert "link" in nb.cells[0].outputs[0].text
    (folder / "answers" / "marks.json").unlink()
    (folder / "answers" / "marks.json").write_text(" " * 1_000_001)
    nb.cells[0].outputs = []
    nb, _ = pre.preprocess(nb, resources)
    assert "1,000,001 bytes, more than the 1,000,000" in nb.cells[0].outputs[0].text
    kinds = [f["severity"] for f in nb.metadata[INTEGRITY_KEY]["findings"]]
    assert kinds == ["review", "review"]


def test_a_failed_visible_check_scores_zero_and_says_why(tmp_path):
    from nbgrader.utils import determine_grade

    error = new_output("error", ename="AssertionError", evalue="Mark the words.", traceback=[])
    cell, _ = _run(tmp_path, answer={"spans": SPANS}, outputs=[error])
    assert determine_grade(cell) == (0, 4.0)
    assert "the check above failed" in cell.outputs[1].text


def test_an_integrity_error_stays_first(tmp_path):
    from nbgrader.utils import determine_grade

    withheld = new_output("error", ename="IntegrityError", evalue="Held for review", traceback=[])
    cell, _ = _run(tmp_path, answer={"spans": SPANS}, outputs=[withheld])
    assert cell.outputs[0].ename == "IntegrityError" and determine_grade(cell) == (0, 4.0)


def test_a_broken_reference_file_stops_grading_with_its_name(tmp_path):
    pre, nb, resources, _ = _setup(tmp_path)
    (tmp_path / "references" / "01-demo.json").write_text('{"schema": 1, "lesson": "01-demo", "questions": {"marks": {}}}')
    with pytest.raises(ValueError, match="01-demo.json: not a valid reference file"):
        pre.preprocess(nb, resources)


def test_model_answers_command_writes_the_key_and_names_valid_lessons(tmp_path):
    import subprocess
    import sys

    shutil.copytree(REPO / "references", tmp_path / "references")
    shutil.copytree(REPO / "lessons", tmp_path / "lessons")
    run = subprocess.run([sys.executable, "-m", "medialit", "model-answers", LESSON, "--course", str(tmp_path)],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert sorted(p.name for p in (tmp_path / ".instructor-answers" / LESSON).iterdir()) == \
        ["how-notebooks.json", "why-naive.json"]
    run = subprocess.run([sys.executable, "-m", "medialit", "model-answers", "09-nope", "--course", str(tmp_path)],
                         capture_output=True, text=True)
    assert run.returncode == 2 and "Lessons with references: 00-orientation" in run.stderr and "Traceback" not in run.stderr


# -- formgrader in a real browser -----------------------------------------------------------------

CHROMIUM = "/usr/bin/chromium"


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed; .ci/run installs it")
def test_formgrader_shows_each_widget_answer_as_text_in_the_browser(graded):
    from helpers import jupyter_server, nbgrader_env
    from nbgrader.api import Gradebook

    sync_api = pytest.importorskip("playwright.sync_api", reason="Python Playwright is not installed")
    course, _ = graded
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        notebook_id = gb.find_submission_notebook("orientation", LESSON, "student-copy").id
    token = "medialit-formgrader-test"
    env = nbgrader_env(JUPYTER_CONFIG_DIR=str(course.parent / "cfg"), JUPYTER_RUNTIME_DIR=str(course.parent / "rt"))
    with jupyter_server(["server", f"--ServerApp.root_dir={course}",
                         "--ServerApp.jpserver_extensions=nbgrader.server_extensions.formgrader=True"],
                        course, env, token, "jupyter server") as base:
        with sync_api.sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True,
                                        args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
            try:
                page = browser.new_page(viewport={"width": 1280, "height": 1000})
                page.goto(f"{base}/formgrader/submissions/{notebook_id}/?token={token}", timeout=90_000)
                answer = page.locator(".medialit-answer", has_text="why-naive")
                answer.wait_for(timeout=90_000)
                assert "Chosen: (a) It treats every period as the end of a sentence" in answer.inner_text()
                several = page.locator(".medialit-answer", has_text="how-notebooks").inner_text()
                assert "(a) Run the cells from the top" in several and "(d) Widget answers are saved" in several
                artifacts = REPO / "test-artifacts"
                artifacts.mkdir(exist_ok=True)
                answer.scroll_into_view_if_needed()
                page.screenshot(path=str(artifacts / "formgrader.png"), full_page=False)
            finally:
                browser.close()
