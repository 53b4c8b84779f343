"""The whole nbgrader lifecycle, end to end, with a local exchange and three student homes.

generate -> release -> fetch -> submit -> collect -> autograde -> manual grading through the
nbgrader API -> generate and release feedback (no hidden tests) -> fetch feedback -> export CSV.
Alice submits full answers, Bob submits nothing filled in, Carol half; the scores are asserted.
"""

from __future__ import annotations

import csv
import subprocess
import sys
import shutil
from pathlib import Path

import nbformat
import pytest
from helpers import lifecycle_course, nbgrader, nbgrader_env

REPO = Path(__file__).resolve().parents[1]
LESSON = "00-orientation"
NOTEBOOK = "orientation.ipynb"

pytestmark = pytest.mark.skipif(not (REPO / "lessons" / LESSON).is_dir(), reason="lesson 00 is not in lessons/")


def _run(cwd: Path, home: Path, *args: str, user: str = "instructor") -> subprocess.CompletedProcess:
    # nbgrader takes the student id from the OS account; all fake students share one here, so
    # submit and fetch_feedback also get --student
    env = nbgrader_env(HOME=str(home), USER=user, LOGNAME=user, JUPYTER_DATA_DIR=str(home / ".local/share/jupyter"),
                       JUPYTER_CONFIG_DIR=str(home / ".jupyter"))
    result = nbgrader(cwd, *args, env=env)
    assert result.returncode == 0, f"nbgrader {' '.join(args)} failed:\n{result.stdout[-2000:]}\n{result.stderr[-4000:]}"
    return result


def test_full_lifecycle(tmp_path):
    course, exchange, instructor = lifecycle_course(tmp_path, LESSON)
    ex = f"--Exchange.root={exchange}"

    _run(course, instructor, "db", "student", "add", "alice")
    _run(course, instructor, "db", "student", "add", "bob")
    _run(course, instructor, "db", "student", "add", "carol")
    _run(course, instructor, "generate_assignment", LESSON, "--force")
    _run(course, instructor, "release_assignment", LESSON, ex, "--force")

    source = nbformat.read(course / "lessons" / LESSON / NOTEBOOK, as_version=4)
    solutions = {c.metadata["nbgrader"]["grade_id"]: c.source for c in source.cells
                 if c.metadata.get("nbgrader", {}).get("solution") and c.cell_type == "code"}
    for student, share in (("alice", 1.0), ("bob", 0.0), ("carol", 0.5)):
        home = tmp_path / "homes" / student
        home.mkdir(parents=True)
        _run(home, home, "fetch_assignment", LESSON, "--course", "medialit", ex, user=student)
        fetched = home / LESSON / NOTEBOOK
        assert fetched.is_file(), list(home.rglob("*"))
        nb = nbformat.read(fetched, as_version=4)
        keep = set(list(solutions)[: int(len(solutions) * share)])
        for cell in nb.cells:
            gid = cell.metadata.get("nbgrader", {}).get("grade_id")
            if gid in keep:
                cell.source = solutions[gid]
            if student == "alice" and cell.cell_type == "markdown" and gid == "w-plot":
                cell.source = "Beijing stresses sovereignty and dialogue; Kyiv stresses guarantees. This suggests different problems."
        nbformat.write(nb, fetched)
        if share:
            # the student answers with the widgets: their clicks save answer files to answers/
            # (here the key, for the first share of the widget questions)
            from medialit.references import write_model_answers

            key = write_model_answers(course, LESSON, dest=tmp_path / "keys" / student)
            answered = sorted(key.glob("*.json"))[: max(1, int(len(list(key.glob("*.json"))) * share))]
            (fetched.parent / "answers").mkdir(exist_ok=True)
            for path in answered:
                shutil.copy(path, fetched.parent / "answers" / path.name)
        _run(home, home, "submit", LESSON, "--course", "medialit", f"--student={student}", ex, user=student)

    _run(course, instructor, "collect", LESSON, ex, "--CollectApp.check_owner=False")
    assert (course / "submitted" / "alice" / LESSON / "answers" / "why-naive.json").is_file()
    _run(course, instructor, "autograde", LESSON, "--force")

    # the class report reads the collected widget answers
    report = subprocess.run([sys.executable, "-m", "medialit", "class-report", LESSON], cwd=course,
                            capture_output=True, text=True, env=nbgrader_env())
    assert report.returncode == 0, report.stderr
    assert "why-naive" in report.stdout and "how-notebooks" in report.stdout
    assert (course / "reports" / LESSON / "class-report.png").stat().st_size > 5000

    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", course_id="medialit") as gb:
        auto = {s: gb.find_submission(LESSON, s).score for s in ("alice", "bob", "carol")}
        # manual grading through the API: Alice's written answer gets 2 of 2
        grade = gb.find_grade("w-plot", NOTEBOOK[:-6], LESSON, "alice")
        grade.manual_score = 2
        gb.db.commit()
        totals = {s: gb.find_submission(LESSON, s).score for s in ("alice", "bob", "carol")}
    assert auto["alice"] == 10 and auto["bob"] == 0 and 0 < auto["carol"] < 10, auto
    assert totals["alice"] == 12 and totals["bob"] == 0, totals

    _run(course, instructor, "generate_feedback", LESSON, "--force")
    _run(course, instructor, "release_feedback", LESSON, ex)
    hidden = [line.strip() for cell in source.cells for line in cell.source.split("### BEGIN HIDDEN TESTS")[-1].split("### END HIDDEN TESTS")[0].splitlines()
              if "### BEGIN HIDDEN TESTS" in cell.source and len(line.strip()) > 20]
    for student in ("alice", "bob", "carol"):
        home = tmp_path / "homes" / student
        _run(home, home, "fetch_feedback", LESSON, "--course", "medialit", f"--student={student}", ex, user=student)
        pages = list((home / LESSON / "feedback").rglob("*.html"))
        assert pages, f"no feedback fetched for {student}"
        page = pages[0].read_text(encoding="utf-8")
        assert all(line not in page for line in hidden), f"hidden tests in {student}'s feedback"

    _run(course, instructor, "export", "--to=grades.csv")
    with (course / "grades.csv").open(newline="") as handle:
        rows = {row["student_id"]: row for row in csv.DictReader(handle)}
    assert float(rows["alice"]["score"]) == 12.0 and float(rows["bob"]["score"]) == 0.0
    assert 0 < float(rows["carol"]["score"]) < 10
