"""`medialit grade` keeps its promises against bad input, tampering and killed runs (issue: grade
robustness). One small course of lesson 00 per fixture; the two slow scenarios build their own."""

from __future__ import annotations

import csv
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers import nbgrader_env
from test_grade import LESSON, NOTEBOOK, REPO, _course, _submit

from medialit import grade as grade_module
from medialit._lock import RunLock
from medialit.course import CourseLayout
from medialit.grade import _Verifier, grade

pytestmark = pytest.mark.skipif(not (REPO / "lessons" / LESSON).is_dir(), reason="lesson 00 is not in lessons/")

CAFE = os.fsdecode(b"caf\xe9")  # a folder name that is not UTF-8 (Latin-1 bytes)


def _set(course: Path, student: str, cell: str, **values) -> None:
    """Change a student's grade row behind the grader's back (formgrader, or a student's child process)."""
    assignments = ", ".join(f"{name} = ?" for name in values)
    with sqlite3.connect(course / "gradebook.db") as db:
        db.execute(f"UPDATE grade SET {assignments} WHERE id IN (SELECT g.id FROM grade g "
                   "JOIN submitted_notebook sn ON g.notebook_id = sn.id JOIN submitted_assignment sa ON "
                   "sn.assignment_id = sa.id JOIN base_cell b ON g.cell_id = b.id WHERE sa.student_id = ? "
                   "AND b.name = ?)", (*values.values(), student, cell))
    db.close()


def _row(course: Path, student: str, cell: str) -> tuple:
    with sqlite3.connect(course / "gradebook.db") as db:
        found = db.execute("SELECT g.auto_score, g.manual_score FROM grade g JOIN submitted_notebook sn ON "
                           "g.notebook_id = sn.id JOIN submitted_assignment sa ON sn.assignment_id = sa.id JOIN "
                           "base_cell b ON g.cell_id = b.id WHERE sa.student_id = ? AND b.name = ?",
                           (student, cell)).fetchone()
    db.close()
    return found


@pytest.fixture(scope="module")
def mixed(tmp_path_factory):
    """alice is fine; bob has a file whose name is not UTF-8; café's folder name is not UTF-8;
    carol's notebook cannot be read; dora's saved answer file is garbage."""
    course = _course(tmp_path_factory.mktemp("mixed"))
    for student in ("alice", "bob", CAFE, "carol", "dora"):
        _submit(course, student)
    (course / "submitted" / "bob" / LESSON / os.fsdecode(b"notes-\xff.txt")).write_text("x")
    answers = course / "submitted" / "dora" / LESSON / "answers"
    answers.mkdir(exist_ok=True)
    (answers / "why-naive.json").write_text("{this is not json")
    unreadable = course / "submitted" / "carol" / LESSON / NOTEBOOK
    unreadable.chmod(0)
    real_read = grade_module._read

    def read(path):  # tests run as root, where mode 000 does not stop a read: refuse as the OS would
        if Path(path) == unreadable:
            raise PermissionError(13, "Permission denied", str(path))
        return real_read(path)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(grade_module, "_read", read)
        summary = grade(LESSON, course, workers=2, progress=None)
    unreadable.chmod(0o644)
    return course, summary


def test_one_bad_submission_fails_alone_with_the_file_named(mixed):
    course, summary = mixed
    results = {r.student: r for r in summary.results}
    assert set(results) == {"alice", "bob", "caf\\xe9", "carol", "dora"}
    assert results["alice"].status == "graded" and results["alice"].auto == 10
    assert results["bob"].status == "failed"
    assert "file name 'notes-\\xff.txt' in " in results["bob"].error
    assert "is not UTF-8: rename or remove it" in results["bob"].error
    assert results["caf\\xe9"].status == "failed"
    assert "submitted/caf\\xe9 is not UTF-8" in results["caf\\xe9"].error and "rename the folder" in results["caf\\xe9"].error
    assert results["carol"].status == "failed" and f"{NOTEBOOK} (Permission denied)" in results["carol"].error
    assert results["dora"].status == "graded" and results["dora"].auto is not None  # graded like anyone
    table = summary.table()
    table.encode("utf-8")  # printable: no lone surrogates
    assert "2 graded, 0 up to date, 3 failed" in table
    rows = {row["student"]: row for row in csv.DictReader(open(course / "reports" / LESSON / "summary.csv",
                                                               encoding="utf-8"))}
    assert rows["caf\\xe9"]["status"] == "failed" and rows["alice"]["auto"] == "10.0"


def test_the_table_separates_automatic_and_written_points(mixed):
    course, _ = mixed
    _set(course, "alice", "w-plot", manual_score=1.5, needs_manual_grade=0)  # graded by hand in formgrader
    summary = grade(LESSON, course, progress=None)
    alice = next(r for r in summary.results if r.student == "alice")
    assert alice.status == "skipped" and alice.points() == ("10 / 10", "1.5 / 4 (1 ungraded)")
    assert "10 / 10 1.5 / 4 (1 ungraded)" in summary.table()
    assert alice.score == 11.5 and alice.max_score == 14
    carol = next(r for r in summary.results if r.student == "carol")
    assert carol.status == "graded" and carol.auto == 10  # readable again: graded on the next run


def test_an_automatic_score_changed_between_runs_is_put_back_and_manual_ones_kept(mixed):
    course, _ = mixed
    grade(LESSON, course, progress=None)  # everything verified as it is now
    _set(course, "alice", "t-words", auto_score=0)  # nobody but the grader writes auto_score
    _set(course, "alice", "w-limits", manual_score=2, needs_manual_grade=0)  # an instructor, or not
    summary = grade(LESSON, course, progress=None)
    alice = next(r for r in summary.results if r.student == "alice")
    assert alice.status == "skipped" and alice.auto == 10  # the restored score, read from the gradebook
    assert _row(course, "alice", "t-words")[0] == 1
    assert any(line.startswith("alice orientation/t-words auto_score: 0.0 -> 1.0") for line in summary.restored)
    assert _row(course, "alice", "w-limits")[1] == 2  # kept, but reported
    assert summary.changed == ["alice orientation/w-limits manual_score: None at the last run, now 2.0",
                               "alice orientation/w-limits needs_manual_grade: True at the last run, now False"]
    assert "--restore" in summary.table()
    log = json.loads((course / "reports" / LESSON / "tamper-log.json").read_text())
    assert {(e["cell"], e["field"], e["action"], e["phase"]) for e in log[-3:]} == {
        ("orientation/t-words", "auto_score", "restored", "start"),
        ("orientation/w-limits", "manual_score", "kept", "start"),
        ("orientation/w-limits", "needs_manual_grade", "kept", "start")}
    # the kept value is now the verified one: erasing it is reported, and --restore undoes it
    _set(course, "alice", "w-limits", manual_score=None)
    summary = grade(LESSON, course, restore=True, progress=None)
    assert _row(course, "alice", "w-limits")[1] == 2 and not summary.changed
    assert any("w-limits manual_score: None -> 2.0" in line for line in summary.restored)
    quiet = grade(LESSON, course, progress=None)
    assert not quiet.changed and not quiet.restored  # nothing changed: nothing to say
    # --restore undoes what the run before it reported, not what an older run accepted
    _set(course, "alice", "w-limits", manual_score=1)
    assert grade(LESSON, course, progress=None).changed
    grade(LESSON, course, progress=None)
    late = grade(LESSON, course, restore=True, progress=None)
    assert not late.restored and _row(course, "alice", "w-limits")[1] == 1


def test_during_a_run_every_change_is_put_back(mixed):
    course, _ = mixed
    grade(LESSON, course, progress=None)
    reports = course / "reports" / LESSON
    verifier = _Verifier(CourseLayout.load(course), LESSON)
    verifier.start(restore=False)
    before = _row(course, "dora", "w-plot"), _row(course, "dora", "t-naive")
    _set(course, "dora", "w-plot", manual_score=0.5)  # nobody may grade by hand while the grader runs
    _set(course, "dora", "t-naive", auto_score=0.25)
    verifier.end(failed=set())
    assert (_row(course, "dora", "w-plot"), _row(course, "dora", "t-naive")) == before
    assert sorted(line.split(" (")[0] for line in verifier.restored) == [
        "dora orientation/t-naive auto_score: 0.25 -> " + repr(before[1][0]),
        "dora orientation/w-plot manual_score: 0.5 -> None"]
    log = json.loads((reports / "tamper-log.json").read_text())
    assert [e["phase"] for e in log[-2:]] == ["end", "end"]


def test_a_deleted_verified_state_is_reported(mixed):
    course, _ = mixed
    (course / "reports" / LESSON / "verified-state.json").unlink()
    summary = grade(LESSON, course, progress=None)
    assert "warning: verified-state.json is missing or unreadable" in summary.table()
    assert not grade(LESSON, course, progress=None).warnings  # written again by that run


def test_a_second_run_at_the_same_time_stops_at_once_naming_the_first(mixed):
    course, _ = mixed
    with RunLock(course / "reports" / LESSON / "grade.lock", LESSON):
        started = time.monotonic()
        run = subprocess.run([sys.executable, "-m", "medialit", "grade", LESSON], cwd=course, env=nbgrader_env(),
                             capture_output=True, text=True, timeout=120)
        assert time.monotonic() - started < 30
    assert run.returncode == 2
    assert f"is running (pid {os.getpid()}, started " in run.stderr and "Wait for it to finish" in run.stderr
    assert "Traceback" not in run.stderr


def test_every_run_keeps_its_own_backups(mixed, monkeypatch):
    course, _ = mixed
    backups = course / "reports" / LESSON / "backups"
    before = {p.name: p.read_bytes() for p in backups.iterdir()}
    monkeypatch.setattr(grade_module, "_stamp", lambda: "20260101T000000")  # two runs within one second
    grade(LESSON, course, progress=None)
    _set(course, "alice", "w-plot", extra_credit=1)  # so that the second backup differs from the first
    grade(LESSON, course, progress=None)
    after = {p.name: p.read_bytes() for p in backups.iterdir()}
    assert {name: after[name] for name in before} == before
    assert {"gradebook-20260101T000000.db", "gradebook-20260101T000000-1.db", "submitted-20260101T000000.tar.gz",
            "submitted-20260101T000000-1.tar.gz"} == set(after) - set(before)
    with sqlite3.connect(backups / "gradebook-20260101T000000.db") as db:  # the first is not the second
        assert db.execute("SELECT count(*) FROM grade WHERE extra_credit = 1").fetchone()[0] == 0
    with sqlite3.connect(backups / "gradebook-20260101T000000-1.db") as db:
        assert db.execute("SELECT count(*) FROM grade WHERE extra_credit = 1").fetchone()[0] == 1
    import tarfile

    newest = max((p for p in backups.glob("submitted-*.tar.gz")), key=lambda p: p.stat().st_mtime_ns)
    with tarfile.open(newest) as tar:
        names = tar.getnames()
    assert f"submitted/alice/{LESSON}/{NOTEBOOK}" in names and f"submitted/dora/{LESSON}/answers/why-naive.json" in names


# --------------------------------------------------------------------------------------------
# slow scenarios: a patient detached child process, and `kill -9` of the command


# Started by the student's code in its own session, it outlives the kernel and the run, waits until
# the NEXT run has written summary.csv, then zeroes every automatic score, erases every manual score
# and overwrites the backups.
PATIENT = '''import subprocess, sys
subprocess.Popen([sys.executable, '-c', """
import glob, os, sqlite3, time
summary = '../../../reports/00-orientation/summary.csv'
give_up = time.time() + 300  # never outlive a failed test by long
while not os.path.exists(summary) and time.time() < give_up:
    time.sleep(0.2)
first = os.stat(summary).st_mtime_ns
open('../../../child-waiting', 'w').write('')
while os.stat(summary).st_mtime_ns == first and time.time() < give_up:
    time.sleep(0.2)
time.sleep(0.5)
db = sqlite3.connect('../../../gradebook.db')
db.execute('update grade set auto_score = 0, manual_score = NULL')
db.commit()
for path in glob.glob('../../../reports/00-orientation/backups/*'):
    os.chmod(path, 0o644)
    open(path, 'w').write('gone')
open('../../../child-done', 'w').write('')
"""], start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
mirror_id = 'real-a04-whitehouse-2021-12-30'
'''


@pytest.mark.slow
def test_a_detached_child_that_tampers_after_the_run_is_undone_by_the_next(tmp_path):
    """medialit grade's own repair, for a tamperer outside the sandbox (the sandbox alone kills
    such a child and hides the gradebook: tests/test_attacks.py); here grading runs unsandboxed."""
    course = _course(tmp_path)
    _submit(course, "alice")
    _submit(course, "lurker", PATIENT)
    first = grade(LESSON, course, workers=2, progress=None, sandbox=False)
    assert {r.status for r in first.results} == {"graded"}
    _set(course, "alice", "w-plot", manual_score=2, needs_manual_grade=0)  # the instructor grades by hand
    for _ in range(600):
        if (course / "child-waiting").exists():
            break
        time.sleep(0.1)
    assert (course / "child-waiting").exists(), "the child process did not start"
    assert not (course / "child-done").exists()
    grade(LESSON, course, progress=None, sandbox=False)  # a later run (say, for a late submission) verifies it
    for _ in range(600):
        if (course / "child-done").exists():
            break
        time.sleep(0.1)
    assert (course / "child-done").exists(), "the child process did not run"
    assert _row(course, "alice", "t-words") == (0, None)
    summary = grade(LESSON, course, progress=None, sandbox=False)
    alice = next(r for r in summary.results if r.student == "alice")
    assert alice.status == "skipped" and alice.auto == 10  # automatic scores are always put back
    assert _row(course, "alice", "t-words")[0] == 1
    assert "restored: alice orientation/" in summary.table()
    assert "alice orientation/w-plot manual_score: 2.0 at the last run, now None" in summary.changed
    summary = grade(LESSON, course, restore=True, progress=None, sandbox=False)
    assert _row(course, "alice", "w-plot")[1] == 2 and alice.written == 0
    assert "alice orientation/w-plot manual_score: None -> 2.0 (changed outside medialit grade)" in summary.restored
    assert next(r for r in summary.results if r.student == "alice").written == 2
    backups = sorted((course / "reports" / LESSON / "backups").glob("gradebook-*.db"))
    assert sqlite3.connect(backups[-1]).execute("SELECT count(*) FROM grade").fetchone()[0] > 0  # a new, real one


def _course_processes(course: Path) -> list[int]:
    """Processes whose working folder is inside the course (the command, its workers, their kernels)."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit() and int(entry) != os.getpid():
            try:
                cwd = os.readlink(f"/proc/{entry}/cwd")
                with open(f"/proc/{entry}/stat", "rb") as handle:
                    zombie = handle.read().rsplit(b")", 1)[1].split()[0] == b"Z"
            except OSError:
                continue
            if not zombie and (cwd == str(course) or cwd.startswith(str(course) + os.sep)):
                found.append(int(entry))
    return found


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_kill_9_of_the_command_leaves_no_worker_and_no_overwritten_backup(tmp_path):
    course = _course(tmp_path)
    hold = course / "hold"
    hold.write_text("")
    _submit(course, "alice")
    _submit(course, "waiter", "import os, time\nwhile os.path.exists('../../../hold'):\n    time.sleep(0.1)\n"
                              "mirror_id = 'real-a04-whitehouse-2021-12-30'\n")
    # unsandboxed, so that the waiting kernel can see the course's "hold" file and is found by
    # its working folder (a sandboxed kernel dies with its worker too: tests/test_sandbox.py)
    command = subprocess.Popen([sys.executable, "-m", "medialit", "grade", LESSON, "--workers", "2", "--timeout",
                                "300", "--quiet", "--unsafe-no-sandbox"], cwd=course, env=nbgrader_env(),
                               stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    journal = course / "reports" / LESSON / "grading-journal.json"
    try:
        for _ in range(600):  # alice done, waiter's kernel waiting
            if journal.exists() and "alice" in journal.read_text():
                break
            time.sleep(0.1)
        assert "alice" in journal.read_text()
        assert len(_course_processes(course)) >= 3  # the command, a worker, waiter's kernel
        backups = course / "reports" / LESSON / "backups"
        first = {p.name: p.read_bytes() for p in backups.iterdir()}
    finally:
        command.send_signal(signal.SIGKILL)
        command.wait()
    for _ in range(50):
        if not _course_processes(course):
            break
        time.sleep(0.1)
    left = _course_processes(course)
    for pid in left:  # do not leave them behind if the test fails
        os.kill(pid, signal.SIGKILL)
    assert not left, "processes outlived the killed command"
    hold.unlink()
    summary = grade(LESSON, course, workers=1, progress=None)  # the lock died with its holder
    assert {r.student: r.status for r in summary.results} == {"alice": "skipped", "waiter": "graded"}
    assert {r.student: r.auto for r in summary.results} == {"alice": 10, "waiter": 10}
    after = {p.name: p.read_bytes() for p in backups.iterdir()}
    assert {name: after[name] for name in first} == first and len(after) == len(first) + 2
