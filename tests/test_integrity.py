"""Tamper cases against autograding with the course configuration (issue 7).

One course with lesson 00; one honest student is graded and given a manual score first, then
nine tampering students and one innocent look-alike are autograded in one `nbgrader autograde`
batch. Every tamper case
must end without silent full marks, with a report, and without touching other students.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import nbformat
import pytest
from helpers import model_answers, nbgrader, submit_answers

REPO = Path(__file__).resolve().parents[1]
LESSON, NOTEBOOK = "00-orientation", "orientation.ipynb"
FULL = 10.0  # automatic points of lesson 00

pytestmark = pytest.mark.skipif(not (REPO / "lessons" / LESSON).is_dir(), reason="lesson 00 is not in lessons/")


def _append(code):
    return lambda source: source + "\n" + code


# student -> {grade_id of a cell: edit of its source}; the unedited source notebook scores FULL
TAMPERED = {
    "transformer": {"q-words": _append('get_ipython().input_transformers_cleanup.append(lambda lines: ["pass\\n"])')},
    "patcher": {"q-words": lambda s: "expect = lambda *args, **kwargs: None\nn_words = -1\n"},
    "exiter": {"q-naive": _append("import os\nos._exit(1)")},
    "looper": {"q-mirror": lambda s: "while True:\n    pass\nmirror_id = 'real-a04-whitehouse-2021-12-30'\n"},
    "envreader": {"q-mirror": _append("import os\nif os.environ.get('NBGRADER_EXECUTION'):\n    print('graded')")},
    "dbwriter": {"q-mirror": _append("import sqlite3\ndb = sqlite3.connect('../../../gradebook.db')\n"
                                     "db.execute('update grade set manual_score = 99')\ndb.commit()")},
    "shouter": {"q-mirror": _append("print('x' * 3_000_000)")},
    "warner": {"q-top": _append("import sys\n_content = content_words\ndef content_words(doc):\n"
                                "    sys.stderr.write('DeprecationWarning: this API is old\\n')\n"
                                "    return _content(doc)")},
    "editor": {"t-top": lambda s: "pass  # a student emptied the test"},
    # not tampering: names that happen to match helpers the tests do not import
    "namer": {"q-mirror": _append("say = 'hello'\nscore_spans = 3\nlabels = ['a']")},
}


def _submit(course: Path, source, student: str, edits: dict) -> None:
    nb = nbformat.from_dict(json.loads(json.dumps(source)))
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in edits:
            cell.source = edits[grade_id](cell.source)
    folder = course / "submitted" / student / LESSON
    folder.mkdir(parents=True)
    nbformat.write(nb, folder / NOTEBOOK)
    submit_answers(model_answers(course, LESSON), folder)  # the widget answers, as a student submits them


def _run(course: Path, *args: str) -> str:
    result = nbgrader(course, *args)
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stderr


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    from nbgrader.api import Gradebook

    course = tmp_path_factory.mktemp("integrity") / "course"
    (course / "lessons").mkdir(parents=True)
    shutil.copytree(REPO / "lessons" / LESSON, course / "lessons" / LESSON)
    shutil.copy(REPO / "nbgrader_config.py", course / "nbgrader_config.py")
    shutil.copytree(REPO / "references", course / "references")
    _run(course, "generate_assignment", LESSON, "--force")
    source = nbformat.read(course / "lessons" / LESSON / NOTEBOOK, as_version=4)
    _submit(course, source, "alice", {})
    _run(course, "autograde", LESSON, "--student=alice")
    url = f"sqlite:///{course / 'gradebook.db'}"
    with Gradebook(url) as gb:
        gb.find_grade("w-plot", NOTEBOOK[:-6], LESSON, "alice").manual_score = 2
        gb.db.commit()
    for student, edits in TAMPERED.items():
        _submit(course, source, student, edits)
    log = _run(course, "autograde", LESSON, "--Execute.timeout=10")  # the whole batch, one command
    results = {}
    with Gradebook(url) as gb:
        for submission in gb.assignment_submissions(LESSON):
            notebook = submission.notebooks[0]
            tests = {g.name: g for g in notebook.grades if g.cell.cell_type == "code" and g.name.startswith("t-")}
            report = json.loads((course / "reports" / LESSON / submission.student_id /
                                 f"{NOTEBOOK[:-6]}.integrity.json").read_text())
            results[submission.student_id] = {
                "auto": sum(g.auto_score or 0 for g in tests.values()),
                "needs_review": all(g.needs_manual_grade for g in tests.values()),
                "flagged": notebook.flagged,
                "status": report["status"],
                "kinds": {f["kind"] for f in report["findings"]},
                "scores": {name: g.auto_score for name, g in tests.items()},
                "manual": {g.name: g.manual_score for g in notebook.grades},
            }
    return results, log, course / "autograded"


def test_the_honest_student_is_untouched(graded):
    results, _, _ = graded
    alice = results["alice"]
    assert alice["auto"] == FULL and alice["status"] == "ok" and not alice["flagged"]
    assert alice["manual"]["w-plot"] == 2  # the manual grade survived the dbwriter's update


def test_innocent_names_raise_no_alarm(graded):
    results, _, _ = graded
    student = results["namer"]
    assert student["auto"] == FULL and student["status"] == "ok" and not student["kinds"]


def test_an_input_transformer_earns_nothing_and_is_held_for_review(graded):
    results, _, _ = graded
    student = results["transformer"]
    # without the guard every later cell becomes `pass` and the student gets full marks
    assert student["auto"] == 0 and student["status"] == "withheld"
    assert student["flagged"] and student["needs_review"]
    assert {"tampering", "code-transformer"} <= student["kinds"]


def test_redefining_a_grading_helper_is_withheld(graded):
    results, _, _ = graded
    student = results["patcher"]
    assert student["auto"] == 0 and student["status"] == "withheld" and student["needs_review"]
    assert "tampering" in student["kinds"]


def test_a_dead_kernel_is_graded_as_far_as_it_got_and_the_batch_goes_on(graded):
    results, _, autograded = graded
    student = results["exiter"]
    assert student["scores"]["t-words"] == 1  # before os._exit
    assert student["auto"] == 1 and student["status"] == "review" and student["flagged"]
    assert "kernel-died" in student["kinds"]
    nb = nbformat.read(autograded / "exiter" / LESSON / NOTEBOOK, as_version=4)
    names = {o.get("ename") for c in nb.cells if c.cell_type == "code" for o in c.outputs}
    assert "KernelDied" in names
    # students graded after the crash in the same batch were graded (alphabetical order)
    assert results["looper"]["auto"] > 0 and results["warner"]["auto"] == FULL


def test_a_looping_cell_is_interrupted_and_the_rest_graded(graded):
    results, _, _ = graded
    student = results["looper"]
    assert student["scores"]["t-mirror"] == 0  # the line after the loop never ran
    assert student["auto"] == FULL - 1 and student["status"] == "review"
    assert "timeout" in student["kinds"]


def test_reading_nbgrader_execution_is_reported(graded):
    results, _, _ = graded
    student = results["envreader"]
    assert student["auto"] == FULL and student["status"] == "review" and student["flagged"]
    assert {"nbgrader-env-read", "code-nbgrader-env"} <= student["kinds"]


def test_the_gradebook_is_out_of_reach_of_student_code(graded):
    results, _, _ = graded
    student = results["dbwriter"]
    # the sandbox shows no gradebook: the update fails in the student's own cell (after their
    # answers, which are right and keep their points) and the code is flagged for review
    assert student["status"] == "review" and "code-gradebook" in student["kinds"]
    for name, other in results.items():  # nobody keeps the 99 the student wrote
        assert all(score in (None, 2) for score in other["manual"].values()), name


def test_huge_outputs_are_cut_and_reported(graded):
    results, _, autograded = graded
    student = results["shouter"]
    assert student["auto"] == FULL and "huge-output" in student["kinds"] and student["status"] == "review"
    size = (autograded / "shouter" / LESSON / NOTEBOOK).stat().st_size
    assert size < 500_000


def test_a_warning_on_stderr_does_not_zero_a_correct_answer(graded):
    results, _, _ = graded
    student = results["warner"]
    # nbgrader alone scores a test cell 0 for any stderr text
    assert student["scores"]["t-top"] == 1 and student["auto"] == FULL
    assert student["status"] == "ok" and "stderr-in-test" in student["kinds"]


def test_an_edited_test_cell_is_restored_and_reported(graded):
    results, _, _ = graded
    student = results["editor"]
    assert student["scores"]["t-top"] == 1  # the real test ran
    assert student["status"] == "review" and "changed-locked-cell" in student["kinds"]


def test_feedback_shows_why_scores_were_held_and_no_hidden_tests(graded):
    _, _, autograded = graded
    course = autograded.parent
    _run(course, "generate_feedback", LESSON, "--student=transformer", "--force")
    (page,) = (course / "feedback" / "transformer" / LESSON).glob("*.html")
    text = page.read_text(encoding="utf-8")
    assert "Held for review" in text
    source = nbformat.read(course / "lessons" / LESSON / NOTEBOOK, as_version=4)
    hidden = [line.strip() for cell in source.cells if "### BEGIN HIDDEN TESTS" in cell.source
              for line in cell.source.split("### BEGIN HIDDEN TESTS")[1].split("### END HIDDEN TESTS")[0].splitlines()
              if len(line.strip()) > 20]
    assert hidden and not [line for line in hidden if line in text]


def test_control_without_the_checks_an_input_transformer_gets_full_marks(tmp_path):
    """What the checks prevent: nbgrader's default preprocessors give the transformer full marks."""
    from nbgrader.api import Gradebook

    course = tmp_path / "course"
    (course / "lessons").mkdir(parents=True)
    shutil.copytree(REPO / "lessons" / LESSON, course / "lessons" / LESSON)
    shutil.copytree(REPO / "references", course / "references")  # the widget answers the student submits
    stock = ('\nc.Autograde.sanitize_preprocessors = ["nbgrader.preprocessors.ClearOutput", '
             '"nbgrader.preprocessors.DeduplicateIds", "nbgrader.preprocessors.OverwriteKernelspec", '
             '"nbgrader.preprocessors.OverwriteCells", "nbgrader.preprocessors.CheckCellMetadata"]\n'
             'c.Autograde.autograde_preprocessors = ["nbgrader.preprocessors.Execute", '
             '"nbgrader.preprocessors.LimitOutput", "nbgrader.preprocessors.SaveAutoGrades"]\n')
    (course / "nbgrader_config.py").write_text((REPO / "nbgrader_config.py").read_text() + stock)
    _run(course, "generate_assignment", LESSON, "--force")
    source = nbformat.read(course / "lessons" / LESSON / NOTEBOOK, as_version=4)
    # the transformer student answers nothing correctly: every answer cell after it is emptied
    edits = {gid: (lambda s: "pass\n") for gid in ("q-naive", "q-top", "q-mirror")}
    edits.update(TAMPERED["transformer"])
    _submit(course, source, "transformer", edits)
    _run(course, "autograde", LESSON)
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        assert gb.find_submission(LESSON, "transformer").score == FULL
