"""Autograde every collected submission of a lesson in parallel: ``medialit grade LESSON``.

nbgrader's ``autograde`` grades one notebook after another and shows no progress. This runs
nbgrader's own ``Autograde`` converter (with the course's ``nbgrader_config.py`` and its
integrity checks) in several long-lived worker processes:

* a progress bar, and a summary table at the end (also ``reports/<lesson>/summary.csv``);
* **resumable**: ``reports/<lesson>/grading-journal.json`` records every finished submission
  with a fingerprint of its files; run the command again after an interruption and only the
  unfinished or changed submissions are graded (``--force`` grades all again);
* **nothing lost**: the gradebook is backed up to ``reports/<lesson>/gradebook-before-grade.db``
  before anything is written; a submission that crashes its worker or runs past ``--deadline``
  seconds is reported as failed and the batch goes on;
* **consistent**: after the batch, every automatic score is compared with the score its worker
  saved; a score changed since (by another submission's code) is put back and reported.

>>> from medialit.grade import fingerprint
>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "a.ipynb").write_text("{}")
>>> len(fingerprint(folder))
16
"""

from __future__ import annotations

import csv
import hashlib
import json
import logging
import multiprocessing
import os
import shutil
import signal
import sqlite3
import sys
import time
from dataclasses import dataclass, field
from multiprocessing.connection import wait
from pathlib import Path
from typing import Any, Callable

__all__ = ["grade", "GradeResult", "GradingSummary", "fingerprint", "GradingError", "default_workers"]

#: Seconds one submission may take in a worker before the worker is stopped. nbgrader's own
#: per-cell timeout (``Execute.timeout``, 60 s in this course) interrupts ordinary loops; this is
#: the backstop for code that ignores interrupts. Lessons take about 3 s each (benchmarks/).
DEFAULT_DEADLINE = 600.0


class GradingError(ValueError):
    """The grading cannot start (no course, no submissions, unknown lesson); the message says why."""


def default_workers() -> int:
    """One worker per core, at most 8 (each runs a Python kernel; memory, not cores, binds beyond)."""
    return max(1, min(8, os.cpu_count() or 1))


def fingerprint(folder: Path) -> str:
    """A short hash of a submission's files (names and contents), to notice a resubmission."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(folder)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@dataclass
class GradeResult:
    """How one student's submission was graded."""

    student: str
    status: str  # "graded", "skipped" (up to date), "failed"
    integrity: str = ""  # "ok", "review", "withheld" (from the integrity report)
    score: float | None = None
    max_score: float | None = None
    findings: list[str] = field(default_factory=list)
    seconds: float = 0.0
    error: str = ""
    auto_scores: dict[str, float | None] = field(default_factory=dict)


@dataclass
class GradingSummary:
    """The outcome of one ``grade`` run; ``table()`` is what the command prints."""

    assignment: str
    results: list[GradeResult]
    restored: list[str] = field(default_factory=list)
    interrupted: bool = False
    seconds: float = 0.0

    @property
    def failed(self) -> list[GradeResult]:
        return [r for r in self.results if r.status == "failed"]

    @property
    def flagged(self) -> list[GradeResult]:
        return [r for r in self.results if r.integrity in ("review", "withheld")]

    def table(self, limit: int = 20) -> str:
        """A short table: flagged and failed submissions first, then the others up to ``limit``."""
        order = {"failed": 0, "withheld": 1, "review": 2}
        rows = sorted(self.results, key=lambda r: (order.get(r.status, order.get(r.integrity, 3)), r.student))
        lines = [f"{'student':<20} {'score':>11} {'status':<9} {'integrity':<9} {'time':>6}  findings"]
        shown = 0
        for r in rows:
            important = r.status == "failed" or r.integrity in ("review", "withheld")
            if not important and shown >= limit:
                continue
            shown += not important
            score = f"{r.score:g} / {r.max_score:g}" if r.score is not None and r.max_score else "-"
            detail = r.error or "; ".join(r.findings)
            lines.append(f"{r.student[:20]:<20} {score:>11} {r.status:<9} {r.integrity or '-':<9} "
                         f"{r.seconds:>5.1f}s  {detail[:90]}")
        omitted = len(rows) - (len(lines) - 1)
        if omitted:
            lines.append(f"... ({omitted} rows omitted; all rows in reports/{self.assignment}/summary.csv)")
        counts = {s: sum(r.status == s for r in self.results) for s in ("graded", "skipped", "failed")}
        lines.append(f"{counts['graded']} graded, {counts['skipped']} up to date, {counts['failed']} failed, "
                     f"{len(self.flagged)} flagged for review, in {self.seconds:.1f} s")
        for line in self.restored:
            lines.append(f"restored: {line}")
        if self.failed:
            lines.append("Failed submissions were not graded; see reports/"
                         f"{self.assignment}/<student>/autograde.log, fix the cause or grade by hand, "
                         "then run the same command again.")
        if self.interrupted:
            lines.append("Interrupted: run the same command again to grade the rest.")
        return "\n".join(lines)


# --------------------------------------------------------------------------------------------
# the worker side


def _auto_scores(db_url: str, assignment: str, student: str) -> tuple[dict, float, float]:
    from nbgrader.api import Gradebook

    with Gradebook(db_url) as gb:
        submission = gb.find_submission(assignment, student)
        scores = {f"{nb.name}/{g.name}": g.auto_score for nb in submission.notebooks for g in nb.grades}
        return scores, submission.score, submission.max_score


def _grade_one(root: Path, assignment: str, student: str, nbgrader_args: list[str]) -> dict:
    """Autograde one submission in this process; never raises."""
    from nbgrader.apps import AutogradeApp
    from nbgrader.converters import Autograde
    from nbgrader.converters.base import NbGraderException

    started = time.monotonic()
    folder = root / "reports" / assignment / student
    folder.mkdir(parents=True, exist_ok=True)
    outcome: dict[str, Any] = {"student": student}
    app = AutogradeApp()
    handler: logging.Handler | None = None
    try:
        app.initialize([f"--student={student}", "--force", *nbgrader_args])
        app.coursedir.assignment_id = assignment
        # attached after initialize(): traitlets' logging set-up closes the handlers that exist then
        handler = logging.FileHandler(folder / "autograde.log", mode="w", encoding="utf-8")
        handler.setFormatter(logging.Formatter("[%(levelname)s] %(message)s"))
        handler.setLevel(logging.INFO)
        for old in list(app.log.handlers):
            app.log.removeHandler(old)
        app.log.addHandler(handler)
        app.log.propagate = False
        converter = Autograde(coursedir=app.coursedir, parent=app)
        converter.start()
        scores, score, max_score = _auto_scores(app.coursedir.db_url, assignment, student)
        outcome.update(status="graded", auto_scores=scores, score=score, max_score=max_score)
    except (NbGraderException, SystemExit) as error:
        app.log.error("nbgrader stopped: %s", error)
        outcome.update(status="failed", error="nbgrader could not grade it (see its autograde.log)")
    except Exception as error:  # noqa: BLE001 - a worker reports every failure instead of dying
        app.log.exception("grading failed")
        outcome.update(status="failed", error=f"{type(error).__name__}: {error}")
    finally:
        if handler is None:  # failed before the log file was attached: keep the reason anyway
            import traceback

            (folder / "autograde.log").write_text(traceback.format_exc(), encoding="utf-8")
        else:
            handler.close()
            app.log.removeHandler(handler)
        app.clear_instance()
    outcome["seconds"] = time.monotonic() - started
    return outcome


def _worker(root: str, assignment: str, nbgrader_args: list[str], conn) -> None:
    """A worker process: grade the students the parent sends, one at a time."""
    os.setsid()  # its own process group, so that a stuck submission can be stopped with its kernel
    os.chdir(root)
    log = open(Path(root) / "reports" / assignment / f".worker-{os.getpid()}.log", "a", encoding="utf-8")
    os.dup2(log.fileno(), 1)
    os.dup2(log.fileno(), 2)
    while True:
        student = conn.recv()
        if student is None:
            break
        conn.send(_grade_one(Path(root), assignment, student, nbgrader_args))
    log.close()
    Path(log.name).unlink(missing_ok=True)


# --------------------------------------------------------------------------------------------
# the parent side


def _journal_path(root: Path, assignment: str) -> Path:
    return root / "reports" / assignment / "grading-journal.json"


def _read_journal(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def _write_json(path: Path, data: Any) -> None:
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(temporary, path)


def _db_path(root: Path) -> Path:
    return root / "gradebook.db"


def _check_course(root: Path, assignment: str) -> list[str]:
    if not (root / "nbgrader_config.py").is_file():
        raise GradingError(f"There is no nbgrader_config.py in {root}: run `medialit grade` in the course folder "
                           "(where nbgrader_config.py is) or pass --course DIR.")
    submitted = root / "submitted"
    students = sorted(p.parent.name for p in submitted.glob(f"*/{assignment}") if p.is_dir()) \
        if submitted.is_dir() else []
    if not students:
        found = sorted({p.name for p in submitted.glob("*/*") if p.is_dir()}) if submitted.is_dir() else []
        hint = (f" Lessons with submissions: {', '.join(found)}." if found
                else " Run `nbgrader collect LESSON` first, or copy submissions to submitted/<student>/<lesson>/.")
        raise GradingError(f"There are no submissions of '{assignment}' in {submitted}.{hint}")
    if not _db_path(root).is_file():
        raise GradingError(f"There is no gradebook in {root}: run `nbgrader generate_assignment {assignment}` first.")
    with sqlite3.connect(f"file:{_db_path(root)}?mode=ro", uri=True) as db:
        names = [row[0] for row in db.execute("SELECT name FROM assignment ORDER BY name")]
    if assignment not in names:
        raise GradingError(f"The lesson '{assignment}' is not in the gradebook. It contains: "
                           f"{', '.join(names) or '(nothing)'}. Run `nbgrader generate_assignment {assignment}` first.")
    return students


def _backup(root: Path, target: Path) -> None:
    with sqlite3.connect(str(_db_path(root))) as source, sqlite3.connect(str(target)) as copy:
        source.backup(copy)


def _integrity(root: Path, assignment: str, student: str) -> tuple[str, list[str]]:
    statuses, findings = [], []
    for path in sorted((root / "reports" / assignment / student).glob("*.integrity.json")):
        report = json.loads(path.read_text(encoding="utf-8"))
        statuses.append(report["status"])
        findings += [(f["detail"] if f["severity"] == "withheld" else f["kind"])
                     + (f" ({f['cell']})" if f.get("cell") else "")
                     for f in report["findings"] if f["severity"] != "note"]
    rank = {"ok": 0, "review": 1, "withheld": 2}
    return (max(statuses, key=rank.get) if statuses else ""), findings


def _restore_scores(root: Path, assignment: str, saved: dict[str, dict]) -> list[str]:
    """Put back automatic scores that changed after their worker saved them."""
    from nbgrader.api import Gradebook

    restored = []
    with Gradebook(f"sqlite:///{_db_path(root)}") as gb:
        for student, scores in saved.items():
            for submitted_nb in gb.find_submission(assignment, student).notebooks:
                for g in submitted_nb.grades:
                    key = f"{submitted_nb.name}/{g.name}"
                    if key in scores and g.auto_score != scores[key]:
                        restored.append(f"{student} {key}: {g.auto_score} -> {scores[key]} (changed after grading)")
                        g.auto_score = scores[key]
        gb.db.commit()
    return restored


def _progress_line(done: int, total: int, name: str, failed: int, flagged: int) -> None:
    from ._progress import progress_bar

    progress_bar(done, total, name, note=f"{flagged} flagged, {failed} failed", width=24)


def grade(assignment: str, course: str | os.PathLike = ".", *, workers: int | None = None,
          students: list[str] | None = None, force: bool = False, deadline: float = DEFAULT_DEADLINE,
          timeout: int | None = None, progress: Callable[..., None] | None = _progress_line) -> GradingSummary:
    """Autograde the collected submissions of ``assignment`` (a lesson folder name).

    ``workers`` processes grade in parallel (default: one per core); ``students`` limits the run;
    ``force`` grades again what the journal says is done; ``timeout`` sets nbgrader's per-cell
    ``Execute.timeout``; ``deadline`` bounds one whole submission.
    """
    started = time.monotonic()
    root = Path(course).resolve()
    everyone = _check_course(root, assignment)
    if students:
        unknown = sorted(set(students) - set(everyone))
        if unknown:
            raise GradingError(f"No submission of '{assignment}' from {', '.join(unknown)}. "
                               f"Submissions are from: {', '.join(everyone)}.")
        everyone = [s for s in everyone if s in students]
    reports = root / "reports" / assignment
    reports.mkdir(parents=True, exist_ok=True)
    journal_path = _journal_path(root, assignment)
    journal = _read_journal(journal_path)
    prints = {s: fingerprint(root / "submitted" / s / assignment) for s in everyone}
    results: dict[str, GradeResult] = {}
    todo = []
    for student in everyone:
        entry = journal.get(student, {})
        done = (entry.get("status") == "graded" and entry.get("fingerprint") == prints[student]
                and (root / "autograded" / student / assignment).is_dir())
        if done and not force:
            integrity, findings = _integrity(root, assignment, student)
            results[student] = GradeResult(student, "skipped", integrity, entry.get("score"), entry.get("max_score"),
                                           findings)
        else:
            todo.append(student)
    if todo:
        _backup(root, reports / "gradebook-before-grade.db")
    nbgrader_args = [f"--Execute.timeout={int(timeout)}"] if timeout else []
    saved: dict[str, dict] = {}
    interrupted = False
    context = multiprocessing.get_context("fork" if sys.platform != "win32" else "spawn")
    pool: dict[Any, tuple[Any, str | None, float]] = {}  # connection -> (process, student, start time)

    def start_worker():
        parent_end, child_end = context.Pipe()
        process = context.Process(target=_worker, args=(str(root), assignment, nbgrader_args, child_end),
                                  daemon=True)
        process.start()
        child_end.close()
        pool[parent_end] = (process, None, 0.0)
        return parent_end

    def stop(process) -> None:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            process.kill()
        process.join(5)

    def finish(student: str, outcome: dict) -> None:
        integrity, findings = _integrity(root, assignment, student) if outcome["status"] == "graded" else ("", [])
        result = GradeResult(student, outcome["status"], integrity, outcome.get("score"), outcome.get("max_score"),
                             findings, outcome.get("seconds", 0.0), outcome.get("error", ""),
                             outcome.get("auto_scores", {}))
        results[student] = result
        if result.status == "graded":
            saved[student] = result.auto_scores
        journal[student] = {"status": result.status, "fingerprint": prints[student], "score": result.score,
                            "max_score": result.max_score, "integrity": integrity, "error": result.error}
        _write_json(journal_path, journal)
        if progress:
            this_run = [results[s] for s in todo if s in results]
            progress(len(this_run), len(todo), student, sum(r.status == "failed" for r in this_run),
                     sum(r.integrity in ("review", "withheld") for r in this_run))

    queue = list(todo)

    def assign(conn) -> None:
        """Give an idle worker the next submission, if any is left."""
        process = pool[conn][0]
        if queue:
            student = queue.pop(0)
            conn.send(student)
            pool[conn] = (process, student, time.monotonic())
        else:
            pool[conn] = (process, None, 0.0)

    def replace(conn, process) -> None:
        """Stop a worker; start a fresh one if work is left."""
        del pool[conn]
        stop(process)
        if queue:
            assign(start_worker())

    try:
        for _ in range(min(workers or default_workers(), len(queue))):
            assign(start_worker())
        while any(student for _, student, _ in pool.values()):
            for conn in wait(list(pool), timeout=1.0):
                process, student, _ = pool[conn]
                try:
                    outcome = conn.recv()
                except (EOFError, OSError):  # the worker died (a crash outside the kernel)
                    replace(conn, process)
                    if student:
                        finish(student, {"student": student, "status": "failed", "error": "the grading process "
                                         f"stopped unexpectedly (exit code {process.exitcode})"})
                    continue
                finish(student, outcome)
                assign(conn)
            now = time.monotonic()
            for conn, (process, student, since) in list(pool.items()):
                if student and now - since > deadline:
                    replace(conn, process)
                    shutil.rmtree(root / "autograded" / student / assignment, ignore_errors=True)
                    finish(student, {"student": student, "status": "failed", "seconds": now - since,
                                     "error": f"stopped after {deadline:g} s (for example, code that ignores "
                                              "interrupts); not graded"})
    except KeyboardInterrupt:
        interrupted = True
    finally:
        for conn, (process, student, _) in list(pool.items()):
            if student is None and not interrupted:
                try:
                    conn.send(None)
                except OSError:
                    pass
                process.join(10)
            if process.is_alive():
                stop(process)
                if student:
                    shutil.rmtree(root / "autograded" / student / assignment, ignore_errors=True)
    restored = _restore_scores(root, assignment, saved) if saved else []
    summary = GradingSummary(assignment, [results[s] for s in everyone if s in results], restored, interrupted,
                             time.monotonic() - started)
    with open(reports / "summary.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["student", "status", "integrity", "score", "max_score", "seconds", "findings", "error"])
        for r in summary.results:
            writer.writerow([r.student, r.status, r.integrity, r.score, r.max_score, f"{r.seconds:.1f}",
                             "; ".join(r.findings), r.error])
    return summary
