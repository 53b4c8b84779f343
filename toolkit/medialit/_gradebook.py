"""The part of an nbgrader gradebook that ``medialit grade`` verifies, read and written with sqlite3.

A *state* is plain JSON-able data, per student and per cell of one lesson::

    {student: {"grades": {"notebook/cell": {"auto_score": 1.0, "manual_score": None,
                                            "extra_credit": None, "needs_manual_grade": False}},
               "comments": {"notebook/cell": manual_comment}}}

``differences(found, expected)`` lists what differs; ``put_back`` writes the expected values.

>>> expected = {"ann": {"grades": {"nb/t1": {"auto_score": 1.0}}, "comments": {}}}
>>> found = {"ann": {"grades": {"nb/t1": {"auto_score": 0.0}}, "comments": {}}}
>>> [c.line() for c in differences(found, expected)]
['ann nb/t1 auto_score: 0.0 -> 1.0']
"""

from __future__ import annotations

import json
import os
import sqlite3
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

#: Written by the autograder only: changed outside ``medialit grade``, they are always put back.
AUTO_FIELDS = ("auto_score",)
#: Written by instructors (formgrader) between runs; during a run nobody may change them.
MANUAL_FIELDS = ("manual_score", "extra_credit", "needs_manual_grade")
GRADE_FIELDS = AUTO_FIELDS + MANUAL_FIELDS

_GRADES = """
SELECT sa.student_id, n.name, b.name, g.auto_score, g.manual_score, g.extra_credit, g.needs_manual_grade
FROM grade g
JOIN submitted_notebook sn ON g.notebook_id = sn.id
JOIN submitted_assignment sa ON sn.assignment_id = sa.id
JOIN assignment a ON sa.assignment_id = a.id
JOIN base_cell b ON g.cell_id = b.id
JOIN notebook n ON b.notebook_id = n.id
WHERE a.name = ?"""

_COMMENTS = """
SELECT sa.student_id, n.name, b.name, c.manual_comment
FROM comment c
JOIN submitted_notebook sn ON c.notebook_id = sn.id
JOIN submitted_assignment sa ON sn.assignment_id = sa.id
JOIN assignment a ON sa.assignment_id = a.id
JOIN base_cell b ON c.cell_id = b.id
JOIN notebook n ON b.notebook_id = n.id
WHERE a.name = ?"""

_CELLS = """
SELECT n.name, b.name, COALESCE(gc.max_score, tc.max_score, 0),
       b.type = 'TaskCell' OR EXISTS (SELECT 1 FROM base_cell s WHERE s.notebook_id = b.notebook_id
                                      AND s.name = b.name AND s.type = 'SolutionCell')
FROM base_cell b
JOIN notebook n ON b.notebook_id = n.id
JOIN assignment a ON n.assignment_id = a.id
LEFT JOIN grade_cells gc ON gc.id = b.id
LEFT JOIN task_cells tc ON tc.id = b.id
WHERE a.name = ? AND b.type IN ('GradeCell', 'TaskCell')"""


class UnreadableGradebook(Exception):
    """The file is not a readable SQLite gradebook."""


def connect(path: Path, readonly: bool = False) -> sqlite3.Connection:
    uri = f"file:{Path(path)}?mode=ro" if readonly else f"file:{Path(path)}"
    return sqlite3.connect(uri, uri=True, timeout=60)


def check_readable(path: Path) -> list[str]:
    """Raise ``UnreadableGradebook`` unless ``path`` is an intact SQLite database; return its lessons."""
    try:
        with connect(path, readonly=True) as db:
            verdict = db.execute("PRAGMA quick_check").fetchone()
            if not verdict or verdict[0] != "ok":
                raise UnreadableGradebook(f"integrity check says {verdict[0] if verdict else 'nothing'}")
            return [row[0] for row in db.execute("SELECT name FROM assignment ORDER BY name")]
    except sqlite3.Error as error:
        raise UnreadableGradebook(str(error)) from None


def read_state(path: Path, assignment: str, student: str | None = None) -> dict[str, dict]:
    """Every student's (or one ``student``'s) verified values for ``assignment``."""
    state: dict[str, dict] = {}
    where, args = (" AND sa.student_id = ?", (assignment, student)) if student is not None else ("", (assignment,))
    with connect(path, readonly=True) as db:
        for student, notebook, cell, *values in db.execute(_GRADES + where, args):
            entry = state.setdefault(student, {"grades": {}, "comments": {}})
            row = dict(zip(GRADE_FIELDS, values))
            row["needs_manual_grade"] = bool(row["needs_manual_grade"])
            entry["grades"][f"{notebook}/{cell}"] = row
        for student, notebook, cell, comment in db.execute(_COMMENTS + where, args):
            state.setdefault(student, {"grades": {}, "comments": {}})["comments"][f"{notebook}/{cell}"] = comment
    return state


def read_cells(path: Path, assignment: str) -> dict[str, tuple[float, bool]]:
    """``{"notebook/cell": (max_score, written)}``; written cells are graded by hand."""
    with connect(path, readonly=True) as db:
        return {f"{nb}/{cell}": (float(top), bool(written)) for nb, cell, top, written in db.execute(_CELLS, (assignment,))}


@dataclass
class Difference:
    """One value that is not what it should be."""

    student: str
    cell: str
    field: str  # a grade field, "manual_comment", or "row" (the row is missing)
    found: Any
    expected: Any

    @property
    def automatic(self) -> bool:
        return self.field in AUTO_FIELDS or self.field == "row"

    def line(self, kept: bool = False) -> str:
        """``ann nb/t1 auto_score: 0.0 -> 1.0`` (found, then put back), or for a value kept,
        ``ann nb/w1 manual_score: 2.0 at the last run, now None``."""
        if self.field == "row":
            return f"{self.student} {self.cell}: missing from the gradebook"
        if kept:
            return f"{self.student} {self.cell} {self.field}: {self.expected!r} at the last run, now {self.found!r}"
        return f"{self.student} {self.cell} {self.field}: {self.found!r} -> {self.expected!r}"


def differences(found: dict, expected: dict, students: set[str] | None = None,
                fields: tuple[str, ...] = GRADE_FIELDS + ("manual_comment",)) -> list[Difference]:
    """What in ``found`` differs from ``expected`` (only ``students`` and ``fields``, if given)."""
    out = []
    for student in sorted(expected if students is None else set(expected) & students):
        want, have = expected[student], found.get(student, {"grades": {}, "comments": {}})
        for cell, values in sorted(want.get("grades", {}).items()):
            current = have["grades"].get(cell)
            if current is None:
                out.append(Difference(student, cell, "row", None, values))
                continue
            out += [Difference(student, cell, name, current.get(name), values[name])
                    for name in GRADE_FIELDS if name in fields and name in values and current.get(name) != values[name]]
        if "manual_comment" in fields:
            for cell, comment in sorted(want.get("comments", {}).items()):
                if cell in have["comments"] and have["comments"][cell] != comment:
                    out.append(Difference(student, cell, "manual_comment", have["comments"][cell], comment))
    return out


def value(state: dict, change: Difference) -> Any:
    """The value ``change`` is about, as it is in ``state`` (``None`` if there is no such row)."""
    entry = state.get(change.student, {"grades": {}, "comments": {}})
    if change.field == "manual_comment":
        return entry["comments"].get(change.cell)
    return (entry["grades"].get(change.cell) or {}).get(change.field)


def put_back(path: Path, assignment: str, changes: list[Difference]) -> None:
    """Write the expected values of ``changes`` into the gradebook (missing rows cannot be)."""
    changes = [c for c in changes if c.field != "row"]
    if not changes:
        return
    key = ("WHERE id = (SELECT x.id FROM {table} x JOIN submitted_notebook sn ON x.notebook_id = sn.id "
           "JOIN submitted_assignment sa ON sn.assignment_id = sa.id JOIN assignment a ON sa.assignment_id = a.id "
           "JOIN base_cell b ON x.cell_id = b.id JOIN notebook n ON b.notebook_id = n.id "
           "WHERE a.name = ? AND sa.student_id = ? AND n.name = ? AND b.name = ?)")
    with connect(path) as db:
        for c in changes:
            table = "comment" if c.field == "manual_comment" else "grade"
            notebook, cell = c.cell.rsplit("/", 1)
            db.execute(f"UPDATE {table} SET {c.field} = ? " + key.format(table=table),
                       (c.expected, assignment, c.student, notebook, cell))


def write_json(path: Path, data: Any) -> None:
    """Write JSON atomically and durably (medialit's one atomic writer, then an fsync of the folder)."""
    from ._atomic import write_text_atomic

    path = Path(path)
    write_text_atomic(path, json.dumps(data, indent=1, ensure_ascii=False, sort_keys=True) + "\n")
    try:
        fd = os.open(path.parent, os.O_RDONLY)
    except OSError:  # pragma: no cover - folders cannot be opened on some systems
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def read_json(path: Path, default: Any) -> Any:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return default
    return data if isinstance(data, type(default)) else default


def as_dict(change: Difference) -> dict:
    return asdict(change)
