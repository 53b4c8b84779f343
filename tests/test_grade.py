"""`medialit grade`: parallel autograding with progress, resumable, consistent gradebook (issue 7)."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from helpers import model_answers, nbgrader, nbgrader_env, submit_answers

from medialit.grade import GradingError, grade

REPO = Path(__file__).resolve().parents[1]
LESSON, NOTEBOOK = "00-orientation", "orientation.ipynb"

pytestmark = pytest.mark.skipif(not (REPO / "lessons" / LESSON).is_dir(), reason="lesson 00 is not in lessons/")

# A cell that ignores interrupts: nbgrader's per-cell timeout cannot stop it.
HANG = "import signal, time\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    time.sleep(0.1)\n"
# Python in the kernel cannot open the gradebook (audit hook), but a child process can: it zeroes
# every automatic score in the gradebook, other students' included.
ZERO_ALL = ("import subprocess, sys\nsubprocess.run([sys.executable, '-c', \"import sqlite3; "
            "db = sqlite3.connect('../../../gradebook.db'); db.execute('update grade set auto_score = 0'); "
            "db.commit()\"])\nmirror_id = 'real-a04-whitehouse-2021-12-30'\n")


def _submit(course: Path, student: str, mirror_cell: str | None = None) -> None:
    nb = nbformat.read(course / "lessons" / LESSON / NOTEBOOK, as_version=4)
    for cell in nb.cells:
        if mirror_cell and cell.metadata.get("nbgrader", {}).get("grade_id") == "q-mirror":
            cell.source = mirror_cell
    folder = course / "submitted" / student / LESSON
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, folder / NOTEBOOK)
    submit_answers(model_answers(course, LESSON), folder)


def _course(root: Path) -> Path:
    course = root / "course"
    (course / "lessons").mkdir(parents=True)
    shutil.copytree(REPO / "lessons" / LESSON, course / "lessons" / LESSON)
    shutil.copy(REPO / "nbgrader_config.py", course / "nbgrader_config.py")
    shutil.copytree(REPO / "references", course / "references")
    result = nbgrader(course, "generate_assignment", LESSON, "--force")
    assert result.returncode == 0, result.stderr[-2000:]
    return course


def _auto_total(course: Path, student: str) -> float:
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        return sum(g.auto_score or 0 for nb in gb.find_submission(LESSON, student).notebooks for g in nb.grades)


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    course = _course(tmp_path_factory.mktemp("grade"))
    _submit(course, "alice")
    _submit(course, "bob")
    _submit(course, "hanger", HANG)
    _submit(course, "zed", ZERO_ALL)
    run = subprocess.run([sys.executable, "-m", "medialit", "grade", LESSON, "--workers", "2", "--timeout", "5"],
                         cwd=course, env=nbgrader_env(), capture_output=True, text=True, timeout=300)
    rows = {row["student"]: row for row in csv.DictReader(open(course / "reports" / LESSON / "summary.csv"))}
    return course, run, rows


def test_the_batch_grades_everyone_with_a_progress_bar_and_a_table(graded):
    course, run, rows = graded
    assert run.returncode == 0, run.stdout + run.stderr[-2000:]
    assert "4/4" in run.stderr and "[####" in run.stderr  # the progress bar
    assert "4 graded, 0 up to date, 0 failed" in run.stdout
    assert {r["status"] for r in rows.values()} == {"graded"}
    assert float(rows["alice"]["score"]) == 10 and rows["alice"]["integrity"] == "ok"
    assert len(list((course / "reports" / LESSON / "backups").glob("gradebook-*.db"))) == 1


def test_a_cell_that_ignores_interrupts_is_stopped_and_the_rest_graded(graded):
    _, _, rows = graded
    hanger = rows["hanger"]
    assert hanger["status"] == "graded" and hanger["integrity"] == "review"
    assert "timeout (q-mirror)" in hanger["findings"]
    assert 0 < float(hanger["score"]) < 10  # graded as far as it got


def test_another_submissions_child_process_cannot_touch_the_gradebook(graded):
    course, run, rows = graded
    for student in ("alice", "bob"):
        assert _auto_total(course, student) == 10, student
    # zed's child process runs in zed's sandbox, where there is no gradebook: nothing to put back
    # (tests/test_grade_robust.py shows the repair when a process outside the sandbox does it)
    assert "restored:" not in run.stdout
    assert rows["zed"]["integrity"] == "review" and "code-gradebook" in rows["zed"]["findings"]


def test_a_second_run_resumes_grading_only_what_is_new_or_unfinished(graded):
    course, _, _ = graded
    summary = grade(LESSON, course, workers=1, progress=None)
    assert {r.student: r.status for r in summary.results} == dict.fromkeys(["alice", "bob", "hanger", "zed"], "skipped")
    # an interrupted run: alice's entry never reached the journal; bob resubmitted
    journal_path = course / "reports" / LESSON / "grading-journal.json"
    journal = json.loads(journal_path.read_text())
    del journal["alice"]
    journal_path.write_text(json.dumps(journal))
    nb = nbformat.read(course / "submitted" / "bob" / LESSON / NOTEBOOK, as_version=4)
    nb.cells.append(nbformat.v4.new_markdown_cell("A late thought."))
    nbformat.write(nb, course / "submitted" / "bob" / LESSON / NOTEBOOK)
    calls = []
    summary = grade(LESSON, course, workers=2, progress=lambda *args: calls.append(args))
    status = {r.student: r.status for r in summary.results}
    assert status == {"alice": "graded", "bob": "graded", "hanger": "skipped", "zed": "skipped"}
    assert [c[:2] for c in calls] == [(1, 2), (2, 2)]
    assert _auto_total(course, "alice") == 10


@pytest.mark.slow
def test_a_submission_past_the_deadline_is_stopped_and_the_batch_goes_on(tmp_path):
    course = _course(tmp_path)
    _submit(course, "alice")
    _submit(course, "sleeper", "import time\ntime.sleep(120)\nmirror_id = 'real-a04-whitehouse-2021-12-30'\n")
    summary = grade(LESSON, course, workers=1, deadline=20, timeout=300, progress=None)
    status = {r.student: r for r in summary.results}
    assert status["sleeper"].status == "failed" and "stopped after 20 s" in status["sleeper"].error
    assert status["alice"].status == "graded" and status["alice"].score == 10  # graded by a fresh worker
    assert not (course / "autograded" / "sleeper" / LESSON).exists()  # no half-graded folder left
    assert "1 failed" in summary.table() and "run the same command again" in summary.table()


def test_clear_errors_before_anything_is_graded(tmp_path):
    with pytest.raises(GradingError, match="no nbgrader_config.py"):
        grade(LESSON, tmp_path, progress=None)
    (tmp_path / "nbgrader_config.py").write_text("")
    (tmp_path / "submitted" / "alice" / "01-loaded-language").mkdir(parents=True)
    with pytest.raises(GradingError, match="no submissions of '00-orientation'.*Lessons with submissions: "
                                           "01-loaded-language"):
        grade(LESSON, tmp_path, progress=None)
    with pytest.raises(GradingError, match="no gradebook"):
        grade("01-loaded-language", tmp_path, progress=None)
