"""Autograde every collected submission of a lesson in parallel: ``medialit grade LESSON``.

nbgrader's ``autograde`` grades one notebook after another and shows no progress. This runs
nbgrader's own ``Autograde`` converter (with the course's ``nbgrader_config.py`` and its
integrity checks) in several long-lived worker processes (``medialit._workers``):

* a progress bar, and a summary table at the end read from the gradebook (also
  ``reports/<lesson>/summary.csv``): automatic points apart from written (hand-graded) points;
* **one run at a time**: ``reports/<lesson>/grade.lock`` (``flock``); a second run stops at once
  and names the first. The kernel drops the lock when its holder dies, so it is never stale;
* **resumable**: ``reports/<lesson>/grading-journal.json`` records every finished submission
  with a fingerprint of its files; run the command again after an interruption and only the
  unfinished or changed submissions are graded (``--force`` grades all again);
* **nothing lost**: at the start of every run the gradebook and the lesson's submissions are
  copied to ``reports/<lesson>/backups/`` under a timestamped name that is never reused; a
  submission that crashes its worker, runs past ``--deadline`` seconds, or cannot be read
  (a file name that is not UTF-8, a file without read permission) is reported as failed, with
  the file named, and the batch goes on. Workers die with the command (even ``kill -9``);
* **verified**: every run ends by writing ``reports/<lesson>/verified-state.json`` (per student
  and grade cell: auto_score, manual_score, extra_credit, needs_manual_grade; per comment:
  manual_comment). The gradebook is compared with it at the start and at the end of each run,
  and every difference is listed in the output and in ``reports/<lesson>/tamper-log.json``.

The rule for differences (instructors legitimately grade by hand between runs, in formgrader):

* an **automatic score** (``auto_score``) that changed outside ``medialit grade`` is always put
  back, whether found at the start (changed since the last run) or at the end (changed during
  this run, for example by a student's code in a child process);
* **instructor values** (manual_score, extra_credit, needs_manual_grade, manual_comment) that
  changed *between* runs are reported as "changed since the last run" and kept, unless
  ``restore=True`` (``--restore``) puts them back; ``--restore`` on the next run also puts back
  what this run reported and kept (if still unchanged), so "run again with --restore" works
  after the report. *During* a run nobody may change them, so a change found at the end is put
  back (the log keeps the value that was overwritten);
* a grade row that disappeared cannot be put back: the student is graded again.

>>> from medialit.grade import fingerprint
>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "a.ipynb").write_text("{}")
>>> len(fingerprint(folder))
16
"""

from __future__ import annotations

import copy
import csv
import functools
import hashlib
import logging
import os
import shutil
import sqlite3
import tarfile
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Callable

from . import _gradebook as gbstate
from ._lock import LockedError, RunLock
from ._workers import WorkerPool
from .course import CourseLayout
from .grader.findings import SEVERITIES

#: A submission's integrity, least to most serious: one ranking, from the findings' severities
#: (``ok`` is a report with notes only); every status after ``ok`` flags the submission.
INTEGRITY = ("ok",) + SEVERITIES[1:]

__all__ = ["grade", "GradeResult", "GradingSummary", "fingerprint", "GradingError", "default_workers", "Journal",
           "SubmissionProblem", "GradeProgress"]

#: Seconds one submission may take in a worker before the worker is stopped. nbgrader's own
#: per-cell timeout (``Execute.timeout``, 60 s in this course) interrupts ordinary loops; this is
#: the backstop for code that ignores interrupts. Lessons take about 3 s each (benchmarks/).
DEFAULT_DEADLINE = 600.0


class GradingError(ValueError):
    """The grading cannot start (no course, no submissions, unknown lesson); the message says why."""


class SubmissionProblem(ValueError):
    """One submission cannot be graded as it is; the message names the file and what to do."""


def default_workers() -> int:
    """One worker per core, at most 8 (each runs a Python kernel; memory, not cores, binds beyond)."""
    return max(1, min(8, os.cpu_count() or 1))


def shown(name: str) -> str:
    """A file or folder name as printable text (bytes that are not UTF-8 as ``\\xNN``).

    >>> shown("caf\\udce9")
    'caf\\\\xe9'
    """
    return os.fsencode(name).decode("utf-8", "backslashreplace")


def _valid_name(name: str) -> bool:
    try:
        name.encode("utf-8")
        return True
    except UnicodeEncodeError:
        return False


def fingerprint(folder: Path) -> str:
    """A short hash of a submission's files (names and contents), to notice a resubmission.

    Raises ``SubmissionProblem`` naming the file if a name is not UTF-8 or a file cannot be read.
    """
    folder = Path(folder)
    if not _valid_name(str(folder)):
        raise SubmissionProblem(f"the folder name '{shown(str(folder))}' is not UTF-8: rename it "
                                "(nbgrader stores student ids as text), then run again")
    digest = hashlib.sha256()
    def refuse(error: OSError) -> None:
        raise error

    try:
        paths = sorted(Path(top, name) for top, _, names in os.walk(folder, onerror=refuse) for name in names)
    except OSError as error:
        raise SubmissionProblem(f"cannot list {shown(str(error.filename or folder))} ({error.strerror}): "
                                "make it readable, then run again") from None
    for path in paths:
        relative = str(path.relative_to(folder))
        if not _valid_name(relative):
            raise SubmissionProblem(f"the file name '{shown(relative)}' in {folder} is not UTF-8: rename or "
                                    "remove it, then run again")
        digest.update(relative.encode())
        try:
            digest.update(_read(path))
        except OSError as error:
            raise SubmissionProblem(f"cannot read {path} ({error.strerror or error}): make it readable "
                                    f"(chmod u+r) or remove it, then run again") from None
    return digest.hexdigest()[:16]


def _read(path: Path) -> bytes:
    return path.read_bytes()


@dataclass
class GradeResult:
    """How one student's submission was graded; the points are the gradebook's after the run."""

    student: str
    status: str  # "graded", "skipped" (up to date), "failed"
    integrity: str = ""  # "ok", "review", "withheld" (from the integrity report)
    score: float | None = None
    max_score: float | None = None
    findings: list[str] = field(default_factory=list)
    seconds: float = 0.0
    error: str = ""
    auto_scores: dict[str, float | None] = field(default_factory=dict)
    auto: float | None = None  # automatic points (test cells)
    auto_max: float = 0.0
    written: float | None = None  # points given by hand (written answers)
    written_max: float = 0.0
    ungraded: int = 0  # cells that need a manual grade and have none yet
    extra_credit: float = 0.0

    @property
    def flagged(self) -> bool:
        """The integrity report asks for a look (``review`` or ``withheld``)."""
        return self.integrity in INTEGRITY[1:]

    @property
    def urgency(self) -> int:
        """Where the row goes in the table: failed first, then the most serious integrity first."""
        if self.status == "failed":
            return 0
        return len(INTEGRITY) - INTEGRITY.index(self.integrity) if self.flagged else len(INTEGRITY) + 1

    def points(self) -> tuple[str, str]:
        """``("9 / 10", "2 / 4 (2 ungraded)")``, or dashes when the gradebook has no scores."""
        if self.auto is None:
            return "-", "-"
        written = f"{self.written:g} / {self.written_max:g}" + (f" ({self.ungraded} ungraded)" if self.ungraded else "")
        extra = f" +{self.extra_credit:g}" if self.extra_credit else ""
        return f"{self.auto:g} / {self.auto_max:g}{extra}", written


@dataclass
class GradingSummary:
    """The outcome of one ``grade`` run; ``table()`` is what the command prints."""

    assignment: str
    results: list[GradeResult]
    restored: list[str] = field(default_factory=list)
    interrupted: bool = False
    seconds: float = 0.0
    changed: list[str] = field(default_factory=list)  # instructor values changed since the last run, kept
    backups: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def failed(self) -> list[GradeResult]:
        return [r for r in self.results if r.status == "failed"]

    @property
    def flagged(self) -> list[GradeResult]:
        return [r for r in self.results if r.flagged]

    def table(self, limit: int = 20) -> str:
        """A short table: flagged and failed submissions first, then the others up to ``limit``."""
        rows = sorted(self.results, key=lambda r: (r.urgency, r.student))
        lines = [f"{'student':<20} {'automatic':>11} {'written':<18} {'status':<9} {'integrity':<9} {'time':>6}  "
                 "findings"]
        shown_rows = 0
        for r in rows:
            important = r.status == "failed" or r.flagged
            if not important and shown_rows >= limit:
                continue
            shown_rows += not important
            auto, written = r.points()
            detail = r.error or "; ".join(r.findings)
            lines.append(f"{r.student[:20]:<20} {auto:>11} {written:<18} {r.status:<9} {r.integrity or '-':<9} "
                         f"{r.seconds:>5.1f}s  {detail[:110]}")
        omitted = len(rows) - (len(lines) - 1)
        if omitted:
            lines.append(f"... ({omitted} rows omitted; all rows in reports/{self.assignment}/summary.csv)")
        counts = {s: sum(r.status == s for r in self.results) for s in ("graded", "skipped", "failed")}
        lines.append(f"{counts['graded']} graded, {counts['skipped']} up to date, {counts['failed']} failed, "
                     f"{len(self.flagged)} flagged for review, in {self.seconds:.1f} s")
        lines += [f"warning: {w}" for w in self.warnings]
        lines += _capped("restored: ", self.restored, self.assignment)
        if self.changed:
            lines.append(f"{len(self.changed)} instructor value(s) changed since the last run (kept; if you did "
                         f"not change them in formgrader, run `medialit grade {self.assignment} --restore` next, "
                         "before any other run, to put them back):")
            lines += _capped("changed: ", self.changed, self.assignment)
        if self.failed:
            lines.append("Failed submissions were not graded; the error says why (more in reports/"
                         f"{self.assignment}/<student>/autograde.log). Fix the cause or grade by hand, "
                         "then run the same command again.")
        if self.interrupted:
            lines.append("Interrupted: run the same command again to grade the rest.")
        return "\n".join(lines)


def _capped(prefix: str, items: list[str], assignment: str, cap: int = 10) -> list[str]:
    lines = [prefix + item for item in items[:cap]]
    if len(items) > cap:
        lines.append(f"... ({len(items) - cap} more in reports/{assignment}/tamper-log.json)")
    return lines


class Journal:
    """``reports/<lesson>/grading-journal.json``: what each finished submission was, so a run resumes.

    >>> import tempfile, pathlib
    >>> journal = Journal(pathlib.Path(tempfile.mkdtemp()) / "journal.json")
    >>> journal.record("ann", status="graded", fingerprint="abc")
    >>> Journal(journal.path).is_done("ann", "abc"), Journal(journal.path).is_done("ann", "new")
    (True, False)
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.entries: dict[str, dict] = gbstate.read_json(self.path, {})

    def is_done(self, student: str, print_: str, autograded: Path | None = None) -> bool:
        """Graded from exactly these files (and, if given, its autograded folder still exists)."""
        entry = self.entries.get(student, {})
        return (entry.get("status") == "graded" and entry.get("fingerprint") == print_
                and (autograded is None or autograded.is_dir()))

    def record(self, student: str, **entry: Any) -> None:
        self.entries[student] = entry
        self.save()

    def forget(self, student: str) -> None:
        if self.entries.pop(student, None) is not None:
            self.save()

    def save(self) -> None:
        gbstate.write_json(self.path, self.entries)


# --------------------------------------------------------------------------------------------
# the worker side


def _grade_one(layout: CourseLayout, assignment: str, student: str, nbgrader_args: list[str]) -> dict:
    """Autograde one submission in this process; never raises. The outcome carries the
    student's gradebook values as this worker saved them (``state``)."""
    from nbgrader.apps import AutogradeApp
    from nbgrader.converters import Autograde
    from nbgrader.converters.base import NbGraderException

    started = time.monotonic()
    folder = layout.reports_for(assignment, student)
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
        state = gbstate.read_state(CourseLayout.from_coursedir(app.coursedir).gradebook, assignment,
                                   student).get(student)
        outcome.update(status="graded", state=state)
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


def _worker_setup(layout: CourseLayout, assignment: str) -> None:
    """Run once in each new worker: work in the course folder, output to ``workers.log``."""
    os.chdir(layout.root)
    with open(layout.reports_for(assignment) / "workers.log", "a", encoding="utf-8") as log:
        os.dup2(log.fileno(), 1)
        os.dup2(log.fileno(), 2)


# --------------------------------------------------------------------------------------------
# the parent side: checks before anything is written


def _newest_backup(reports: Path) -> Path | None:
    found = sorted((reports / "backups").glob("gradebook-*.db"), key=lambda p: p.stat().st_mtime)
    return found[-1] if found else None


def _entries(path: Path) -> list[Path]:
    try:
        return list(path.iterdir())
    except OSError:
        return []


def _is_dir(path: Path) -> bool:
    """A folder, or something there that cannot be looked at (then the scan names the problem)."""
    try:
        return path.is_dir()
    except OSError:
        return True


def _check_course(layout: CourseLayout, assignment: str) -> list[str]:
    """The students with a submission of ``assignment`` (folder names as listed, maybe not UTF-8)."""
    root = layout.root
    if not (root / "nbgrader_config.py").is_file():
        raise GradingError(f"There is no nbgrader_config.py in {root}: run `medialit grade` in the course folder "
                           "(where nbgrader_config.py is) or pass --course DIR.")
    submitted = layout.submitted
    try:
        folders = sorted(os.listdir(submitted)) if submitted.is_dir() else []
    except OSError as error:
        raise GradingError(f"Cannot list {submitted} ({error.strerror}): make it readable.") from None
    students = [name for name in folders if _is_dir(submitted / name / assignment)]
    if not students:
        found = sorted({shown(p.name) for name in folders if _is_dir(submitted / name)
                        for p in _entries(submitted / name) if _is_dir(p)})
        hint = (f" Lessons with submissions: {', '.join(found)}." if found
                else " Run `nbgrader collect LESSON` first, or copy submissions to submitted/<student>/<lesson>/.")
        raise GradingError(f"There are no submissions of '{assignment}' in {submitted}.{hint}")
    if not layout.gradebook.is_file():
        raise GradingError(f"There is no gradebook in {root}: run `nbgrader generate_assignment {assignment}` first.")
    try:
        names = gbstate.check_readable(layout.gradebook)
    except gbstate.UnreadableGradebook as error:
        backup = _newest_backup(layout.reports_for(assignment))
        where = (f"restore it from {backup} (the newest backup)" if backup
                 else f"restore it from a backup (reports/{assignment}/backups/ has none)")
        raise GradingError(f"{layout.gradebook} is not a readable SQLite database ({error}): {where}, or move it "
                           "away and run `nbgrader generate_assignment` again. Nothing was graded.") from None
    if assignment not in names:
        raise GradingError(f"The lesson '{assignment}' is not in the gradebook. It contains: "
                           f"{', '.join(names) or '(nothing)'}. Run `nbgrader generate_assignment {assignment}` first.")
    return students


# --------------------------------------------------------------------------------------------
# backups


def _stamp() -> str:
    """Local time to the microsecond, so backups made in the same second still sort by name in the
    order they were made (``ls`` shows the newest last)."""
    return datetime.now().strftime("%Y%m%dT%H%M%S-%f")


def _unused(path: Path) -> Path:
    """``path``, or ``name-1.ext``, ``name-2.ext``, ... : a backup is never overwritten."""
    candidate, counter = path, 0
    while candidate.exists():
        counter += 1
        candidate = path.with_name(f"{path.name.split('.')[0]}-{counter}.{path.name.split('.', 1)[1]}")
    return candidate


def _backup(layout: CourseLayout, assignment: str, students: list[str]) -> list[str]:
    """Copy the gradebook (sqlite's backup API) and the lesson's submissions (tar.gz) to
    ``reports/<lesson>/backups/``; return notes on what could not be copied."""
    root = layout.root
    folder = layout.reports_for(assignment) / "backups"
    folder.mkdir(parents=True, exist_ok=True)
    stamp = _stamp()
    target = _unused(folder / f"gradebook-{stamp}.db")
    source, copy_ = gbstate.connect(layout.gradebook, readonly=True), sqlite3.connect(str(target))
    try:
        source.backup(copy_)
    finally:
        source.close()
        copy_.close()
    notes = []
    archive = _unused(folder / f"submitted-{stamp}.tar.gz")
    with tarfile.open(archive, "w:gz") as tar:
        for student in students:
            base = layout.submission(student, assignment)
            for path in sorted([base, *base.rglob("*")]):
                try:
                    tar.add(path, arcname=str(path.relative_to(root)), recursive=False)
                except (OSError, ValueError, UnicodeError) as error:
                    notes.append(f"not in the backup: {shown(str(path))} ({error})")
    for path in (target, archive):
        path.chmod(0o444)
    return [str(target.relative_to(root)), str(archive.relative_to(root))] + notes


# --------------------------------------------------------------------------------------------
# verification


class _Verifier:
    """Compares the gradebook with ``verified-state.json`` and puts back what must be put back."""

    def __init__(self, layout: CourseLayout, assignment: str) -> None:
        reports = layout.reports_for(assignment)
        self.db, self.assignment = layout.gradebook, assignment
        self.path = reports / "verified-state.json"
        self.log_path = reports / "tamper-log.json"
        self.restored: list[str] = []
        self.changed: list[str] = []
        self.warnings: list[str] = []
        self.kept: list[gbstate.Difference] = []  # reported and kept: the next run's --restore undoes them
        self.events: list[dict] = []
        self.baseline: dict[str, dict] = {}
        self.expected: dict[str, dict] = {}

    def _log(self, phase: str, action: str, diffs: list[gbstate.Difference]) -> None:
        when = time.strftime("%Y-%m-%d %H:%M:%S")
        self.events += [dict(gbstate.as_dict(d), time=when, phase=phase, action=action) for d in diffs]

    def start(self, restore: bool) -> set[str]:
        """Check against the last verified state; return the students whose rows went missing.

        With ``restore``, instructor values changed since the last run are put back, and so are
        those the last run reported and kept (if they still hold the value it found)."""
        data = gbstate.read_json(self.path, {})
        verified = data.get("students", {})
        if "students" not in data and (self.path.exists() or self.path.with_name("grading-journal.json").exists()):
            self.warnings.append(f"{self.path.name} is missing or unreadable although this lesson was graded "
                                 "before: changes made since the last run cannot be checked (compare with the "
                                 "newest file in backups/ if in doubt); this run verifies from now on.")
            self.events.append({"time": time.strftime("%Y-%m-%d %H:%M:%S"), "phase": "start",
                                "action": "verified state missing or unreadable"})
        current = gbstate.read_state(self.db, self.assignment)
        diffs = gbstate.differences(current, verified)
        auto = [d for d in diffs if d.field in gbstate.AUTO_FIELDS]
        manual = [d for d in diffs if not d.automatic]
        missing = [d for d in diffs if d.field == "row"]
        back = auto + (manual if restore else [])
        if restore:
            seen = {(d.student, d.cell, d.field) for d in diffs}
            for entry in data.get("kept", []):
                try:
                    earlier = gbstate.Difference(**{k: entry[k] for k in ("student", "cell", "field", "found",
                                                                          "expected")})
                except (KeyError, TypeError):
                    continue
                if (earlier.student, earlier.cell, earlier.field) not in seen \
                        and gbstate.value(current, earlier) == earlier.found:
                    back.append(earlier)
        gbstate.put_back(self.db, self.assignment, back)
        self._log("start", "restored", back)
        self._log("start", "regraded", missing)
        if not restore:
            self._log("start", "kept", manual)
            self.changed += [d.line(kept=True) for d in manual]
            self.kept = manual
        self.restored += [f"{d.line()} (changed outside medialit grade)" for d in back]
        self.restored += [f"{d.line()}: graded again" for d in missing]
        self.baseline = gbstate.read_state(self.db, self.assignment)
        self.expected = copy.deepcopy(self.baseline)
        return {d.student for d in missing}

    def graded(self, student: str, state: dict | None) -> None:
        """A worker saved ``state`` for ``student``: its automatic values are the new truth;
        instructor values stay as they were at the start of the run."""
        if state is None:
            return
        new = copy.deepcopy(state)
        before = self.baseline.get(student, {"grades": {}, "comments": {}})
        for cell, row in new["grades"].items():
            if cell in before["grades"]:
                row["manual_score"] = before["grades"][cell]["manual_score"]
                row["extra_credit"] = before["grades"][cell]["extra_credit"]
        for cell in new["comments"]:
            if cell in before["comments"]:
                new["comments"][cell] = before["comments"][cell]
        self.expected[student] = new
        self._save(self.expected)

    def end(self, failed: set[str]) -> set[str]:
        """Put back what changed during the run; write the verified state; return students with missing rows."""
        current = gbstate.read_state(self.db, self.assignment)
        diffs = [d for d in gbstate.differences(current, self.expected)
                 if not (d.student in failed and (d.automatic or d.field == "needs_manual_grade"))]
        back = [d for d in diffs if d.field != "row"]
        missing = [d for d in diffs if d.field == "row"]
        gbstate.put_back(self.db, self.assignment, back)
        self._log("end", "restored", back)
        self._log("end", "graded again next run", missing)
        self.restored += [f"{d.line()} (changed during this run)" for d in back]
        self.restored += [f"{d.line()}: will be graded again next run" for d in missing]
        self._save(gbstate.read_state(self.db, self.assignment))
        if self.events:
            log = gbstate.read_json(self.log_path, [])
            gbstate.write_json(self.log_path, log + self.events)
        return {d.student for d in missing}

    def _save(self, state: dict) -> None:
        gbstate.write_json(self.path, {"lesson": self.assignment, "written": time.strftime("%Y-%m-%d %H:%M:%S"),
                                       "students": state, "kept": [gbstate.as_dict(d) for d in self.kept]})


# --------------------------------------------------------------------------------------------
# the run


def _integrity(layout: CourseLayout, assignment: str, student: str) -> tuple[str, list[str]]:
    import json

    statuses, findings = [], []
    for path in sorted(layout.reports_for(assignment, student).glob("*.integrity.json")):
        try:
            report = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            statuses.append("review")
            findings.append(f"unreadable integrity report {path.name}")
            continue
        statuses.append(report["status"])
        findings += [(f["detail"] if f["severity"] == "withheld" else f["kind"])
                     + (f" ({f['cell']})" if f.get("cell") else "")
                     for f in report["findings"] if f["severity"] != "note"]
    return (max(statuses, key=_rank) if statuses else ""), findings


def _rank(status: str) -> int:
    """The seriousness of an integrity status (an unknown one counts as ``review``)."""
    return INTEGRITY.index(status) if status in INTEGRITY else INTEGRITY.index("review")


def _add_points(result: GradeResult, state: dict | None, cells: dict[str, tuple[float, bool]]) -> None:
    if not state:
        return
    result.auto = result.written = 0.0
    for cell, row in state["grades"].items():
        top, written = cells.get(cell, (0.0, False))
        value = row["manual_score"] if row["manual_score"] is not None else (row["auto_score"] or 0.0)
        if written:
            result.written += value
            result.written_max += top
        else:
            result.auto += value
            result.auto_max += top
            result.auto_scores[cell] = row["auto_score"]
        result.extra_credit += row["extra_credit"] or 0.0
        result.ungraded += bool(row["needs_manual_grade"]) and row["manual_score"] is None
    result.score = result.auto + result.written + result.extra_credit
    result.max_score = result.auto_max + result.written_max


def _write_summary_csv(path: Path, results: list[GradeResult]) -> None:
    """Written atomically (medialit's one atomic writer): a reader never sees half a table."""
    import io

    from ._atomic import write_text_atomic

    table = io.StringIO(newline="")
    writer = csv.writer(table)
    writer.writerow(["student", "status", "integrity", "score", "max_score", "auto", "auto_max", "written",
                     "written_max", "ungraded", "extra_credit", "seconds", "findings", "error"])
    for r in results:
        writer.writerow([r.student, r.status, r.integrity, r.score, r.max_score, r.auto, r.auto_max, r.written,
                         r.written_max, r.ungraded, r.extra_credit, f"{r.seconds:.1f}", "; ".join(r.findings),
                         r.error])
    write_text_atomic(path, table.getvalue())


class GradeProgress:
    """The progress bar of one ``grade`` run: ``[####----] 3/40 (1 flagged, 0 failed) student``."""

    def __init__(self) -> None:
        from ._progress import ProgressBar

        self.bar = ProgressBar(width=24)

    def __call__(self, done: int, total: int, name: str, failed: int, flagged: int) -> None:
        self.bar(done, total, name, note=f"{flagged} flagged, {failed} failed")


def grade(assignment: str, course: str | os.PathLike = ".", *, workers: int | None = None,
          students: list[str] | None = None, force: bool = False, deadline: float = DEFAULT_DEADLINE,
          timeout: int | None = None, restore: bool = False, sandbox: bool = True,
          progress: Callable[..., None] | None | str = "bar") -> GradingSummary:
    """Autograde the collected submissions of ``assignment`` (a lesson folder name).

    ``workers`` processes grade in parallel (default: one per core); ``students`` limits the run;
    ``force`` grades again what the journal says is done; ``timeout`` sets nbgrader's per-cell
    ``Execute.timeout``; ``deadline`` bounds one whole submission; ``restore`` also puts back
    instructor values changed since the last run (see the module's rule). ``sandbox=False`` grades
    without the sandbox (student code then runs with the grader's rights, beside the course);
    with ``sandbox=True`` grading refuses to start where the sandbox cannot run. ``progress`` is
    called as ``progress(done, total, student, failed, flagged)`` after each submission ("bar", the
    default: a :class:`GradeProgress` bar on stderr; None: silent).
    """
    if progress == "bar":
        progress = GradeProgress()
    started = time.monotonic()
    if sandbox:
        from .grader.sandbox import check_sandbox

        reason = check_sandbox()
        if reason is not None:
            raise GradingError(f"Cannot grade in a sandbox: {reason} Without one, student code runs with your "
                               "rights and can read the lesson sources, change the gradebook and other students' "
                               "files; if you accept that, run again with --unsafe-no-sandbox.")
    layout = CourseLayout.load(course)
    everyone = _check_course(layout, assignment)
    if students:
        unknown = sorted(set(students) - set(everyone))
        if unknown:
            raise GradingError(f"No submission of '{assignment}' from {', '.join(unknown)}. "
                               f"Submissions are from: {', '.join(shown(s) for s in everyone)}.")
        everyone = [s for s in everyone if s in students]
    reports = layout.reports_for(assignment)
    reports.mkdir(parents=True, exist_ok=True)
    try:
        lock = RunLock(reports / "grade.lock", assignment).acquire()
    except LockedError as error:
        raise GradingError(str(error)) from None
    try:
        return _Run(layout, assignment, everyone, started).go(
            workers=workers, force=force, deadline=deadline, timeout=timeout, restore=restore, progress=progress,
            sandbox=sandbox)
    except sqlite3.DatabaseError as error:  # locked for over a minute, or damaged during the run
        raise GradingError(f"{layout.gradebook} could not be read or written ({error}). If formgrader or an nbgrader "
                           "command is writing it, wait and run again; if it is damaged, restore the newest "
                           f"reports/{assignment}/backups/gradebook-*.db.") from None
    finally:
        lock.release()


class _Run:
    """One locked run: backups, start check, grading, end check, summary."""

    def __init__(self, layout: CourseLayout, assignment: str, students: list[str], started: float) -> None:
        self.layout, self.assignment, self.students, self.started = layout, assignment, students, started
        self.root, self.reports = layout.root, layout.reports_for(assignment)
        self.results: dict[str, GradeResult] = {}
        self.journal = Journal(self.reports / "grading-journal.json")
        self.verifier = _Verifier(layout, assignment)
        self.todo: list[str] = []
        self.prints: dict[str, str] = {}
        self.progress: Callable[..., None] | None = None

    def _fail(self, student: str, error: str, seconds: float = 0.0) -> None:
        self.results[student] = GradeResult(shown(student), "failed", seconds=seconds, error=error)

    def _triage(self, force: bool, regrade: set[str]) -> tuple[list[str], dict[str, str]]:
        """The students to grade now, and every readable submission's fingerprint."""
        todo, prints = [], {}
        for student in self.students:
            if not _valid_name(student):
                self._fail(student, f"the folder name submitted/{shown(student)} is not UTF-8 and nbgrader needs "
                                    "student ids as text: rename the folder (letters, digits, - and _), "
                                    "then run again")
                continue
            try:
                prints[student] = fingerprint(self.layout.submission(student, self.assignment))
            except SubmissionProblem as problem:
                self._fail(student, str(problem))
                continue
            autograded = self.layout.autograded(student, self.assignment)
            if force or student in regrade or not self.journal.is_done(student, prints[student], autograded):
                todo.append(student)
            else:
                integrity, findings = _integrity(self.layout, self.assignment, student)
                self.results[student] = GradeResult(student, "skipped", integrity, findings=findings)
        return todo, prints

    def go(self, *, workers, force, deadline, timeout, restore, progress, sandbox=True) -> GradingSummary:
        backups = _backup(self.layout, self.assignment, self.students)
        regrade = self.verifier.start(restore)
        self.todo, self.prints = self._triage(force, regrade)
        self.progress = progress
        nbgrader_args = ([f"--Execute.timeout={int(timeout)}"] if timeout else []) + \
            ([] if sandbox else ["--GuardedExecute.sandboxed=False"])
        interrupted = self._grade_all(workers, deadline, nbgrader_args)
        failed = {s for s, r in self.results.items() if r.status == "failed"} | (set(self.todo) - set(self.results))
        for student in self.verifier.end(failed):
            self.journal.forget(student)
        final = gbstate.read_state(self.layout.gradebook, self.assignment)
        cells = gbstate.read_cells(self.layout.gradebook, self.assignment)
        ordered = [self.results[s] for s in self.students if s in self.results]
        for student in self.students:
            if student in self.results:
                _add_points(self.results[student], final.get(student), cells)
        summary = GradingSummary(self.assignment, ordered, self.verifier.restored, interrupted,
                                 time.monotonic() - self.started, self.verifier.changed, backups,
                                 self.verifier.warnings)
        _write_summary_csv(self.reports / "summary.csv", ordered)
        return summary

    def _grade_all(self, workers: int | None, deadline: float, nbgrader_args: list[str]) -> bool:
        """Grade ``self.todo`` in a worker pool; return True if interrupted (Ctrl-C)."""
        interrupted = False
        pool = WorkerPool(functools.partial(_grade_one, self.layout, self.assignment, nbgrader_args=nbgrader_args),
                          min(workers or default_workers(), max(1, len(self.todo))), deadline,
                          setup=functools.partial(_worker_setup, self.layout, self.assignment))
        try:
            pool.run(self.todo, self._finish)
        except KeyboardInterrupt:
            interrupted = True
        finally:
            for student in pool.close(graceful=not interrupted):
                shutil.rmtree(self.layout.autograded(student, self.assignment), ignore_errors=True)
        return interrupted

    def _finish(self, student: str, outcome: dict) -> None:
        """A worker's outcome for ``student``: result, journal, verified state, progress bar."""
        status = outcome["status"]
        integrity, findings = _integrity(self.layout, self.assignment, student) if status == "graded" else ("", [])
        self.results[student] = GradeResult(student, status, integrity, findings=findings,
                                            seconds=outcome.get("seconds", 0.0), error=outcome.get("error", ""))
        if outcome.get("stopped"):  # no half-graded folder left behind
            shutil.rmtree(self.layout.autograded(student, self.assignment), ignore_errors=True)
        if status == "graded":
            self.verifier.graded(student, outcome.get("state"))
        self.journal.record(student, status=status, fingerprint=self.prints[student], integrity=integrity,
                            error=self.results[student].error)
        if self.progress:
            this_run = [self.results[s] for s in self.todo if s in self.results]
            self.progress(len(this_run), len(self.todo), student, sum(r.status == "failed" for r in this_run),
                          sum(r.flagged for r in this_run))
