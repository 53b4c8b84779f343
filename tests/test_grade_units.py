"""`medialit grade`'s parts without nbgrader: the lock, the worker pool, the journal, the
submission scan and the gradebook checks that run before anything is written."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time

import pytest

from medialit import grade as grade_module
from medialit._lock import LockedError, RunLock
from medialit._workers import WorkerPool
from medialit.grade import GradingError, Journal, SubmissionProblem, fingerprint, grade


def _alive(pid: int) -> bool:
    """Running (a zombie waiting for a reaper counts as dead)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            return handle.read().rsplit(b")", 1)[1].split()[0] != b"Z"
    except OSError:
        return False


def _wait(condition, seconds: float) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


HOLD_LOCK = textwrap.dedent("""
    import sys, time
    from medialit._lock import RunLock
    RunLock(sys.argv[1], "00-orientation").acquire()
    print("locked", flush=True)
    time.sleep(60)
""")


def test_a_second_run_is_refused_naming_the_first_and_a_dead_holder_blocks_nothing(tmp_path):
    path = tmp_path / "grade.lock"
    holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(path)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(LockedError, match=rf"is running \(pid {holder.pid}, started 20.*kill {holder.pid}"):
            RunLock(path, "00-orientation").acquire()
    finally:
        holder.kill()  # kill -9: no clean-up ran
        holder.wait()
    assert path.exists()  # the stale lock file is still there ...
    with RunLock(path, "00-orientation") as lock:  # ... and blocks nothing
        assert lock.fd is not None


def _crash(item):
    if item == "crash":
        os._exit(3)
    if item == "hang":
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        time.sleep(60)
    return {"status": "graded", "item": item}


def test_the_pool_reports_a_crash_and_a_deadline_as_failures_and_goes_on():
    seen = {}
    pool = WorkerPool(_crash, size=2, deadline=2)
    try:
        pool.run(["a", "crash", "hang", "b", "c"], lambda item, outcome: seen.update({item: outcome}))
    finally:
        assert pool.close() == []
    assert {item: o["status"] for item, o in seen.items()} == {"a": "graded", "crash": "failed", "hang": "failed",
                                                                "b": "graded", "c": "graded"}
    assert "exit code 3" in seen["crash"]["error"] and seen["crash"]["stopped"]
    assert "stopped after 2 s" in seen["hang"]["error"]


POOL_PARENT = textwrap.dedent("""
    import os, sys, time
    from pathlib import Path
    import medialit._workers as workers
    if sys.argv[2] == "no-prctl":  # only the fallback: an idle worker watches os.getppid()
        workers.die_with_parent = lambda parent: None
    def task(item):
        Path(sys.argv[1], f"{item}-{os.getpid()}").write_text("")
        if item == "slow":
            time.sleep(60)
        return {"status": "graded"}
    workers.WorkerPool(task, size=2).run(["quick", "slow"], lambda item, outcome: None)
""")


@pytest.mark.parametrize("mode", ["prctl", "no-prctl"])
def test_workers_die_with_their_parent(tmp_path, mode):
    parent = subprocess.Popen([sys.executable, "-c", POOL_PARENT, str(tmp_path), mode])
    try:
        assert _wait(lambda: len(list(tmp_path.iterdir())) == 2, 20), "the workers did not start"
        time.sleep(0.5)  # the quick one is idle now, the slow one busy
        pids = {p.name.split("-")[0]: int(p.name.split("-")[1]) for p in tmp_path.iterdir()}
        assert all(_alive(pid) for pid in pids.values())
    finally:
        parent.kill()  # kill -9
        parent.wait()
    try:
        if mode == "prctl":
            assert _wait(lambda: not any(_alive(pid) for pid in pids.values()), 5), "a worker outlived its parent"
        else:  # without prctl, an idle worker still notices (end of file on its pipe, or a new parent pid)
            assert _wait(lambda: not _alive(pids["quick"]), 5), "an idle worker outlived its parent"
    finally:
        for pid in pids.values():  # a busy worker without prctl lives on: do not leave it behind
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)


def test_the_journal_knows_what_is_done(tmp_path):
    journal = Journal(tmp_path / "journal.json")
    journal.record("ann", status="graded", fingerprint="f1")
    journal.record("ben", status="failed", fingerprint="f2")
    again = Journal(tmp_path / "journal.json")
    assert again.is_done("ann", "f1") and not again.is_done("ben", "f2") and not again.is_done("cid", "f3")
    assert not again.is_done("ann", "f1", tmp_path / "no-autograded-folder")
    again.forget("ann")
    assert Journal(tmp_path / "journal.json").entries.keys() == {"ben"}
    (tmp_path / "journal.json").write_text("{not json")
    assert Journal(tmp_path / "journal.json").entries == {}  # a damaged journal means: grade again


def test_a_submission_that_cannot_be_read_is_named(tmp_path, monkeypatch):
    folder = tmp_path / "submitted" / "ann" / "00-orientation"
    folder.mkdir(parents=True)
    (folder / "orientation.ipynb").write_text("{}")
    first = fingerprint(folder)
    bad = os.fsdecode(b"caf\xe9.txt")
    (folder / bad).write_text("x")
    with pytest.raises(SubmissionProblem, match=r"file name 'caf\\xe9.txt' in .*00-orientation is not UTF-8: rename or remove it"):
        fingerprint(folder)
    (folder / bad).unlink()
    assert fingerprint(folder) == first

    def refuse(path):
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(grade_module, "_read", refuse)
    with pytest.raises(SubmissionProblem, match=r"cannot read .*orientation.ipynb \(Permission denied\): make it "
                                                r"readable \(chmod u\+r\)"):
        fingerprint(folder)


def test_a_corrupt_gradebook_is_a_clear_error_and_nothing_is_written(tmp_path):
    (tmp_path / "nbgrader_config.py").write_text("")
    (tmp_path / "submitted" / "ann" / "00-orientation").mkdir(parents=True)
    (tmp_path / "gradebook.db").write_bytes(b"this is not a database, it was overwritten by mistake" * 100)
    before = sorted(p for p in tmp_path.rglob("*"))
    with pytest.raises(GradingError, match=r"gradebook.db is not a readable SQLite database .*restore it from a "
                                           r"backup \(reports/00-orientation/backups/ has none\), or move it away"):
        grade("00-orientation", tmp_path, progress=None)
    assert sorted(p for p in tmp_path.rglob("*")) == before
    run = subprocess.run([sys.executable, "-m", "medialit", "grade", "00-orientation", "--course", str(tmp_path)],
                         capture_output=True, text=True)
    assert run.returncode == 2 and "Traceback" not in run.stderr and "not a readable SQLite" in run.stderr
    # with a backup, the message names it
    backups = tmp_path / "reports" / "00-orientation" / "backups"
    backups.mkdir(parents=True)
    sqlite3.connect(backups / "gradebook-20260101T000000.db").close()
    with pytest.raises(GradingError, match=r"restore it from .*gradebook-20260101T000000.db \(the newest backup\)"):
        grade("00-orientation", tmp_path, progress=None)


def test_backups_never_overwrite_each_other(tmp_path):
    target = tmp_path / "gradebook-20260101T000000.db"
    target.write_text("first")
    assert grade_module._unused(target).name == "gradebook-20260101T000000-1.db"
    archive = tmp_path / "submitted-20260101T000000.tar.gz"
    archive.write_text("")
    assert grade_module._unused(archive).name == "submitted-20260101T000000-1.tar.gz"


def test_backup_names_sort_in_the_order_they_were_made():
    """Two runs in the same second: ``ls`` (and a sort by name) still shows the newer one last."""
    stamps = [grade_module._stamp() for _ in range(50)]
    assert stamps == sorted(stamps) and len(set(stamps)) > 1


def test_the_command_line_has_restore(tmp_path):
    from medialit.cli import build_parser

    args = build_parser().parse_args(["grade", "00-orientation", "--restore"])
    assert args.restore is True and build_parser().parse_args(["grade", "00-orientation"]).restore is False


def test_a_gradebook_error_during_the_run_is_a_clear_error_and_releases_the_lock(tmp_path):
    (tmp_path / "nbgrader_config.py").write_text("")
    (tmp_path / "submitted" / "ann" / "00-orientation").mkdir(parents=True)
    with sqlite3.connect(tmp_path / "gradebook.db") as db:  # readable, but not nbgrader's tables
        db.execute("CREATE TABLE assignment (name TEXT)")
        db.execute("INSERT INTO assignment VALUES ('00-orientation')")
    db.close()
    with pytest.raises(GradingError, match=r"gradebook.db could not be read or written \(no such table: grade\)"):
        grade("00-orientation", tmp_path, progress=None)
    with RunLock(tmp_path / "reports" / "00-orientation" / "grade.lock", "00-orientation") as lock:
        assert lock.fd is not None


def test_grading_refuses_to_start_without_a_working_sandbox(tmp_path, monkeypatch):
    from medialit.grader import sandbox

    monkeypatch.setattr(sandbox, "check_sandbox", lambda: "bubblewrap (bwrap) is not installed.")
    with pytest.raises(GradingError, match="bwrap.*--unsafe-no-sandbox"):
        grade("00-orientation", tmp_path)
    with pytest.raises(GradingError) as error:  # without the sandbox it goes on to the course checks
        grade("00-orientation", tmp_path, sandbox=False)
    assert "sandbox" not in str(error.value)


def test_the_command_line_names_the_unsafe_option(capsys):
    from medialit.cli import main

    with pytest.raises(SystemExit):
        main(["grade", "--help"])
    assert "--unsafe-no-sandbox" in capsys.readouterr().out


def test_statuses_are_ranked_once_failed_then_the_most_serious_integrity_first():
    from medialit.grade import INTEGRITY, GradeResult, GradingSummary, _rank

    assert INTEGRITY == ("ok", "review", "withheld")
    rows = [GradeResult("ann", "graded", "ok"), GradeResult("ben", "graded", "review"),
            GradeResult("cem", "failed", error="crashed"), GradeResult("dia", "graded", "withheld"),
            GradeResult("eli", "skipped", "")]
    summary = GradingSummary("01-x", rows)
    assert [r.student for r in sorted(rows, key=lambda r: (r.urgency, r.student))] == ["cem", "dia", "ben", "ann", "eli"]
    assert [r.student for r in summary.flagged] == ["ben", "dia"]
    table = summary.table(limit=0)  # flagged and failed rows are always shown, the others up to the limit
    assert [line.split()[0] for line in table.splitlines()[1:4]] == ["cem", "dia", "ben"]
    assert "ann" not in table.split("omitted")[0].splitlines()[-1]
    assert max(["ok", "withheld", "review"], key=_rank) == "withheld" and _rank("something new") == _rank("review")
