"""Grades out: ``medialit export LESSON`` (or ``--all``) writes the gradebook as CSV files.

Three files from one table of rows (:func:`grade_rows`), one row per student and lesson:

* ``<name>-nbgrader.csv``: nbgrader's own columns (as ``nbgrader export`` writes them), then
  ``needs_manual_grade``, ``flagged`` and ``integrity``;
* ``<name>-canvas.csv``: Canvas's gradebook import (Student, ID, SIS User ID, SIS Login ID,
  Section, one column per lesson, and a "Points Possible" row). Canvas matches students by
  SIS Login ID, here the roster id; a lesson column that Canvas does not know becomes a new
  assignment on import;
* ``<name>-moodle.csv``: Moodle's grade import (Username, names, Email address, one column per
  lesson and one "<lesson> feedback" column, which Moodle can map to the grade item's feedback).

The integrity status of a submission is the most serious status of its notebooks' integrity
reports, ``reports/<lesson>/<student>/<notebook>.integrity.json`` (written by the grader's
``FlagForReview``): ``ok``, ``review`` (flagged; scores stand), ``withheld`` (test scores zeroed
until a person grades them), ``not graded`` (submitted, no report yet) or ``not submitted``.

>>> row = GradeRow("00-orientation", "s-001", score=8.0, max_score=10.0, integrity="review")
>>> row.moodle_feedback()
'integrity: review (flagged for review; the score stands until you look)'
"""

from __future__ import annotations

import csv
import io
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from ._atomic import write_text_atomic

__all__ = ["GradeRow", "Exported", "grade_rows", "integrity_status", "export", "needs_attention", "FORMATS", "ExportError"]

FORMATS = ("canvas", "moodle", "nbgrader")
NBGRADER_COLUMNS = ("assignment", "duedate", "timestamp", "student_id", "last_name", "first_name", "email",
                    "raw_score", "late_submission_penalty", "score", "max_score")
_MEANING = {"ok": "no findings", "review": "flagged for review; the score stands until you look",
            "withheld": "test scores withheld until a person grades them",
            "not graded": "submitted but not graded yet", "not submitted": "nothing submitted"}
_ORDER = ("ok", "review", "withheld")


class ExportError(ValueError):
    """The export cannot run; the message names the problem and what to do."""


@dataclass(frozen=True)
class GradeRow:
    """One student's result in one lesson."""

    assignment: str
    student_id: str
    last_name: str = ""
    first_name: str = ""
    email: str = ""
    duedate: str = ""
    timestamp: str = ""
    raw_score: float = 0.0
    late_submission_penalty: float = 0.0
    score: float = 0.0
    max_score: float = 0.0
    submitted: bool = True
    needs_manual_grade: bool = False
    flagged: bool = False
    integrity: str = "ok"

    def moodle_feedback(self) -> str:
        return f"integrity: {self.integrity} ({_MEANING.get(self.integrity, self.integrity)})"


def integrity_status(course: Path, assignment: str, student: str) -> str | None:
    """The most serious status among a submission's integrity reports, or None without any.

    >>> import tempfile
    >>> course = Path(tempfile.mkdtemp())
    >>> folder = course / "reports" / "00-x" / "ann"
    >>> folder.mkdir(parents=True)
    >>> _ = (folder / "x.integrity.json").write_text('{"status": "review"}')
    >>> integrity_status(course, "00-x", "ann"), integrity_status(course, "00-x", "bob")
    ('review', None)
    """
    folder = Path(course) / "reports" / assignment / student
    statuses = []
    for path in sorted(folder.glob("*.integrity.json")):
        try:
            status = json.loads(path.read_text(encoding="utf-8")).get("status")
        except (OSError, ValueError, AttributeError):
            status = "review"  # an unreadable report is itself a reason to look
        statuses.append(status if status in _ORDER else "review")
    if not statuses:
        return None
    return max(statuses, key=_ORDER.index)


def grade_rows(course: str | os.PathLike, assignments: Iterable[str] | None = None) -> list[GradeRow]:
    """Every (lesson, student) of the gradebook as a :class:`GradeRow`; ``assignments`` limits
    the lessons (None: all). Students who submitted nothing score 0, as in ``nbgrader export``."""
    from nbgrader.api import Gradebook, MissingEntry

    course = Path(course)
    db = course / "gradebook.db"
    if not db.is_file():
        raise ExportError(f"{db} does not exist: run this in the course folder (or pass --course), after grading")
    rows: list[GradeRow] = []
    with Gradebook(f"sqlite:///{db}") as gb:
        known = [a.name for a in gb.assignments]
        wanted = list(assignments) if assignments is not None else known
        for name in wanted:
            if name not in known:
                raise ExportError(f"lesson {name!r} is not in the gradebook; lessons there: "
                                  f"{', '.join(known) or 'none (nothing was released or graded yet)'}")
        for assignment in gb.assignments:
            if assignment.name not in wanted:
                continue
            for student in gb.students:
                common = dict(assignment=assignment.name, student_id=student.id, last_name=student.last_name or "",
                              first_name=student.first_name or "", email=student.email or "",
                              duedate=str(assignment.duedate or ""), max_score=float(assignment.max_score or 0))
                try:
                    sub = gb.find_submission(assignment.name, student.id)
                except MissingEntry:
                    rows.append(GradeRow(**common, submitted=False, integrity="not submitted"))
                    continue
                penalty = float(sub.late_submission_penalty or 0)
                status = integrity_status(course, assignment.name, student.id)
                rows.append(GradeRow(**common, timestamp=str(sub.timestamp or ""), raw_score=float(sub.score or 0),
                                     late_submission_penalty=penalty, score=max(0.0, float(sub.score or 0) - penalty),
                                     needs_manual_grade=bool(sub.needs_manual_grade),
                                     flagged=any(nb.flagged for nb in sub.notebooks),
                                     integrity=status or "not graded"))
    return rows


def _safe(text: str) -> str:
    """A text cell a spreadsheet will not run as a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _number(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".") if value != int(value) else str(int(value))


def _csv(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def nbgrader_csv(rows: list[GradeRow]) -> str:
    """nbgrader's export columns, then needs_manual_grade, flagged and integrity."""
    table = [[*NBGRADER_COLUMNS, "needs_manual_grade", "flagged", "integrity"]]
    for r in rows:
        table.append([r.assignment, r.duedate, r.timestamp, r.student_id, r.last_name, r.first_name, r.email,
                      str(r.raw_score), str(r.late_submission_penalty), str(r.score), str(r.max_score),
                      str(r.needs_manual_grade), str(r.flagged), r.integrity])
    return _csv(table)


def _by_student(rows: list[GradeRow]) -> tuple[list[str], dict[str, dict[str, GradeRow]]]:
    lessons = sorted({r.assignment for r in rows})
    students: dict[str, dict[str, GradeRow]] = {}
    for r in rows:
        students.setdefault(r.student_id, {})[r.assignment] = r
    return lessons, students


def canvas_csv(rows: list[GradeRow]) -> str:
    """Canvas's gradebook import: one row per student, one column per lesson, points possible."""
    lessons, students = _by_student(rows)
    maxima = {r.assignment: r.max_score for r in rows}
    table = [["Student", "ID", "SIS User ID", "SIS Login ID", "Section", *lessons],
             ["Points Possible", "", "", "", "", *(_number(maxima[name]) for name in lessons)]]
    for sid, results in sorted(students.items()):
        any_row = next(iter(results.values()))
        name = ", ".join(p for p in (any_row.last_name, any_row.first_name) if p) or sid
        table.append([_safe(name), "", _safe(sid), _safe(sid), "",
                      *(_number(results[name_].score) if name_ in results else "" for name_ in lessons)])
    return _csv(table)


def moodle_csv(rows: list[GradeRow]) -> str:
    """Moodle's grade import: identity columns, then per lesson its score and a feedback column."""
    lessons, students = _by_student(rows)
    header = ["Username", "First name", "Last name", "Email address"]
    for name in lessons:
        header += [name, f"{name} feedback"]
    table = [header]
    for sid, results in sorted(students.items()):
        any_row = next(iter(results.values()))
        line = [_safe(sid), _safe(any_row.first_name), _safe(any_row.last_name), _safe(any_row.email)]
        for name in lessons:
            r = results.get(name)
            line += [_number(r.score), r.moodle_feedback()] if r else ["", ""]
        table.append(line)
    return _csv(table)


_WRITERS = {"canvas": canvas_csv, "moodle": moodle_csv, "nbgrader": nbgrader_csv}


@dataclass(frozen=True)
class Exported:
    """What :func:`export` wrote, and the submissions to look at before uploading."""

    paths: list[Path]
    attention: list[GradeRow]
    manual: int = 0  # submissions with written answers still to grade by hand


def export(course: str | os.PathLike = ".", lesson: str | None = None, *, out: str | os.PathLike | None = None,
           formats: Iterable[str] = FORMATS) -> Exported:
    """Write the CSV files for one lesson (or every lesson with ``lesson=None``)."""
    formats = list(formats)
    for name in formats:
        if name not in _WRITERS:
            raise ExportError(f"unknown export format {name!r}; valid: {', '.join(FORMATS)}")
    rows = grade_rows(course, None if lesson is None else [lesson])
    target = Path(out) if out is not None else Path(course) / "exports"
    target.mkdir(parents=True, exist_ok=True)
    stem = lesson or "all-lessons"
    written = []
    for name in formats:
        path = target / f"{stem}-{name}.csv"
        write_text_atomic(path, _WRITERS[name](rows))
        written.append(path)
    return Exported(written, needs_attention(rows), sum(r.needs_manual_grade for r in rows))


def needs_attention(rows: list[GradeRow]) -> list[GradeRow]:
    """Submissions to look at before uploading: flagged for review, withheld or not graded yet
    (written answers awaiting a manual grade are counted apart: ``needs_manual_grade``)."""
    return [r for r in rows if r.submitted and r.integrity != "ok"]
