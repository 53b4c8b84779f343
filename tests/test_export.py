"""`medialit export`: the gradebook as CSV for Canvas, Moodle and nbgrader, with integrity status."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from medialit.export import ExportError, export, grade_rows, integrity_status


@pytest.fixture(scope="module")
def _built(tmp_path_factory) -> Path:
    import os

    saved = os.environ["PATH"]
    os.environ["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), saved])
    try:
        return _build(tmp_path_factory.mktemp("export"))
    finally:
        os.environ["PATH"] = saved


@pytest.fixture()
def course(_built, tmp_path) -> Path:
    """A copy of the module's gradebook and reports (made once: nbgrader's set-up is slow)."""
    import shutil

    return Path(shutil.copytree(_built, tmp_path / "course"))


def _build(tmp_path: Path) -> Path:
    """A gradebook with one lesson of 10 points: ann 10, bob 4 (flagged), cat nothing submitted,
    dan 7 (withheld), eve 3 (graded, no report); and a second lesson only ann submitted."""
    from nbgrader.api import Gradebook

    course = tmp_path / "course"
    course.mkdir()
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        for lesson in ("00-orientation", "01-loaded-language"):
            gb.update_or_create_assignment(lesson)
            gb.update_or_create_notebook("nb", lesson)
            gb.update_or_create_grade_cell("t1", "nb", lesson, max_score=6, cell_type="code")
            gb.update_or_create_grade_cell("t2", "nb", lesson, max_score=4, cell_type="code")
        for sid, first, last in (("ann", "Ann", "Ash"), ("bob", "Bob", "=cmd()"), ("cat", "Cat", "Cole"),
                                 ("dan", "Dan", "Dunn, Jr"), ("eve", "Eve", "Eng")):
            gb.add_student(sid, first_name=first, last_name=last, email=f"{sid}@example.org")
        for sid, (t1, t2) in {"ann": (6, 4), "bob": (4, 0), "dan": (3, 4), "eve": (3, 0)}.items():
            gb.add_submission("00-orientation", sid)
            for name, score in (("t1", t1), ("t2", t2)):
                grade = gb.find_grade(name, "nb", "00-orientation", sid)
                grade.auto_score = score
                grade.needs_manual_grade = False
            gb.db.commit()
        gb.add_submission("01-loaded-language", "ann")
        for name, score in (("t1", 5), ("t2", 0)):
            grade = gb.find_grade(name, "nb", "01-loaded-language", "ann")
            grade.auto_score, grade.needs_manual_grade = score, False
        gb.find_grade("t2", "nb", "00-orientation", "eve").needs_manual_grade = True  # a written answer
        gb.db.commit()
        gb.find_submission_notebook("nb", "00-orientation", "bob").flagged = True
        gb.db.commit()
    for sid, status in (("ann", "ok"), ("bob", "review"), ("dan", "withheld")):
        folder = course / "reports" / "00-orientation" / sid
        folder.mkdir(parents=True)
        (folder / "nb.integrity.json").write_text(json.dumps({"status": status, "findings": []}))
    # a second notebook's report of dan: the most serious status wins
    (course / "reports" / "00-orientation" / "dan" / "other.integrity.json").write_text('{"status": "ok"}')
    folder = course / "reports" / "01-loaded-language" / "ann"
    folder.mkdir(parents=True)
    (folder / "nb.integrity.json").write_text('{"status": "ok"}')
    return course


def _read(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))


def test_rows_carry_scores_and_integrity(course, tmp_path):
    rows = {(r.assignment, r.student_id): r for r in grade_rows(course)}
    assert len(rows) == 10  # 2 lessons x 5 students, as nbgrader export lists them
    first = {sid: rows["00-orientation", sid] for sid in ("ann", "bob", "cat", "dan", "eve")}
    assert [first[s].score for s in ("ann", "bob", "cat", "dan", "eve")] == [10, 4, 0, 7, 3]
    assert [first[s].integrity for s in ("ann", "bob", "cat", "dan", "eve")] == [
        "ok", "review", "not submitted", "withheld", "not graded"]
    assert first["bob"].flagged and not first["ann"].flagged
    assert first["ann"].max_score == 10
    assert rows["01-loaded-language", "ann"].score == 5


def test_unreadable_report_means_review(tmp_path):
    folder = tmp_path / "reports" / "00-x" / "ann"
    folder.mkdir(parents=True)
    (folder / "nb.integrity.json").write_text("{not json")
    assert integrity_status(tmp_path, "00-x", "ann") == "review"
    (folder / "nb.integrity.json").write_text('{"status": "something new"}')
    assert integrity_status(tmp_path, "00-x", "ann") == "review"


def test_three_files_for_one_lesson(course, tmp_path):
    result = export(course, "00-orientation", out=tmp_path / "out")
    assert sorted(p.name for p in result.paths) == [
        "00-orientation-canvas.csv", "00-orientation-moodle.csv", "00-orientation-nbgrader.csv"]

    nbg = _read(tmp_path / "out" / "00-orientation-nbgrader.csv")
    assert nbg[0][:11] == ["assignment", "duedate", "timestamp", "student_id", "last_name", "first_name", "email",
                           "raw_score", "late_submission_penalty", "score", "max_score"]
    assert nbg[0][11:] == ["needs_manual_grade", "flagged", "integrity"]
    by_id = {row[3]: row for row in nbg[1:]}
    assert by_id["bob"][9] == "4.0" and by_id["bob"][-1] == "review" and by_id["bob"][-2] == "True"
    assert by_id["cat"][9] == "0.0" and by_id["cat"][-1] == "not submitted"
    assert by_id["dan"][4] == "Dunn, Jr"  # quoted, not split

    canvas = _read(tmp_path / "out" / "00-orientation-canvas.csv")
    assert canvas[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "00-orientation"]
    assert canvas[1] == ["Points Possible", "", "", "", "", "10"]
    rows = {row[3]: row for row in canvas[2:]}
    assert rows["ann"] == ["Ash, Ann", "", "ann", "ann", "", "10"]
    assert rows["bob"][0] == "'=cmd(), Bob"  # a spreadsheet must not run a name as a formula
    assert rows["cat"][5] == "0"

    moodle = _read(tmp_path / "out" / "00-orientation-moodle.csv")
    assert moodle[0] == ["Username", "First name", "Last name", "Email address", "00-orientation",
                         "00-orientation feedback"]
    rows = {row[0]: row for row in moodle[1:]}
    assert rows["dan"][4] == "7" and rows["dan"][5].startswith("integrity: withheld")
    assert rows["ann"][5].startswith("integrity: ok")
    # what to look at before uploading: flagged, withheld, not graded; not the unsubmitted
    assert sorted(r.student_id for r in result.attention) == ["bob", "dan", "eve"]


def test_all_lessons_one_column_each(course, tmp_path):
    export(course, None, out=tmp_path / "out", formats=["canvas"])
    canvas = _read(tmp_path / "out" / "all-lessons-canvas.csv")
    assert canvas[0][5:] == ["00-orientation", "01-loaded-language"]
    rows = {row[3]: row for row in canvas[2:]}
    assert rows["ann"][5:] == ["10", "5"] and rows["cat"][5:] == ["0", "0"]


def test_clear_errors(course, tmp_path):
    with pytest.raises(ExportError, match="gradebook.db does not exist"):
        export(tmp_path / "nowhere", "00-orientation")
    with pytest.raises(ExportError, match="lesson '09-nothing' is not in the gradebook; lessons there: 00-orientation"):
        export(course, "09-nothing")
    with pytest.raises(ExportError, match="unknown export format 'xlsx'; valid: canvas, moodle, nbgrader"):
        export(course, "00-orientation", formats=["xlsx"])


def test_command_line(course, tmp_path):
    run = subprocess.run([sys.executable, "-m", "medialit", "export", "00-orientation", "--course", str(course)],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert (course / "exports" / "00-orientation-moodle.csv").is_file()
    assert "3 submission(s) to look at" in run.stdout and "dan: integrity withheld" in run.stdout
    assert "1 submission(s) still need a manual grade" in run.stdout
    both = subprocess.run([sys.executable, "-m", "medialit", "export", "00-orientation", "--all", "--course",
                           str(course)], capture_output=True, text=True)
    assert both.returncode == 2 and "not both" in both.stderr
