"""Instructor-owned gradebook values, snapshotted before a notebook runs and compared after.

>>> sqlite_path("sqlite:///gradebook.db")
PosixPath('gradebook.db')
>>> sqlite_path("postgresql://host/db") is None
True
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

__all__ = ["INSTRUCTOR_COLUMNS", "sqlite_path", "snapshot", "changes"]

#: Gradebook columns that autograding never writes: only an instructor may change them.
INSTRUCTOR_COLUMNS = {
    "grade": ("manual_score", "extra_credit"),
    "comment": ("manual_comment",),
    "grade_cells": ("max_score",),
    "task_cells": ("max_score",),
    "source_cell": ("source", "checksum", "locked"),
    "submitted_assignment": ("extension",),
}


def sqlite_path(db_url: str) -> Path | None:
    """The file of a ``sqlite:///`` gradebook URL, or None for another database."""
    if not db_url.startswith("sqlite:///"):
        return None
    path = db_url[len("sqlite:///"):].split("?", 1)[0]
    return Path(path) if path else None


def snapshot(path: Path | None) -> dict | None:
    """The instructor-owned values of the gradebook at ``path`` (None if there is none)."""
    if path is None or not path.exists():
        return None
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=60) as db:
        return {table: {row[0]: tuple(row[1:]) for row in db.execute(f"SELECT id, {', '.join(cols)} FROM {table}")}
                for table, cols in INSTRUCTOR_COLUMNS.items()}


def changes(path: Path, before: dict) -> list[str]:
    """The instructor-owned values that differ from ``before`` (reported, not reverted: an
    instructor may be grading by hand at the same time)."""
    now = snapshot(path) or {}
    changed = []
    for table, rows in before.items():
        current = now.get(table, {})
        changed += [f"{table} {row_id} {'changed' if row_id in current else 'deleted'}"
                    for row_id, values in rows.items() if current.get(row_id) != values]
    return changed
