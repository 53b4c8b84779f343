"""The class roster: a CSV of student ids (account names) and, optionally, names and e-mail.

The columns are nbgrader's (``nbgrader db student import`` reads the same file): ``id``
(required; ``student_id`` is accepted too), ``first_name``, ``last_name``, ``email``.

>>> rows = parse_roster("id,first_name\\ns-001,Ada\\ns-002,\\n")
>>> [(s.id, s.first_name) for s in rows]
[('s-001', 'Ada'), ('s-002', '')]
>>> parse_roster("id\\ns-001\\ns-001\\n")
Traceback (most recent call last):
...
ValueError: roster line 3: 's-001' is listed twice (first on line 2)
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from .config import check_username

__all__ = ["Student", "parse_roster", "read_roster"]

_OPTIONAL = ("first_name", "last_name", "email")


@dataclass(frozen=True)
class Student:
    """One row of the roster."""

    id: str
    first_name: str = ""
    last_name: str = ""
    email: str = ""


def parse_roster(text: str) -> list[Student]:
    """The students of a roster given as CSV text (see the module's description)."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [h.strip() for h in (reader.fieldnames or [])]
    key = "id" if "id" in header else "student_id" if "student_id" in header else None
    if key is None:
        raise ValueError(f"roster: the first line must name the columns, with 'id' (or 'student_id') among them; "
                         f"found {header or 'nothing'}. Optional: {', '.join(_OPTIONAL)}")
    students: list[Student] = []
    seen: dict[str, int] = {}
    for line, row in enumerate(reader, start=2):
        row = {(k or "").strip(): (v or "").strip() for k, v in row.items() if k is not None}
        if not any(row.values()):
            continue
        sid = check_username(row.get(key, ""), f"roster line {line}: ")
        if sid in seen:
            raise ValueError(f"roster line {line}: {sid!r} is listed twice (first on line {seen[sid]})")
        seen[sid] = line
        students.append(Student(sid, *(row.get(name, "") for name in _OPTIONAL)))
    if not students:
        raise ValueError("roster: no students in it (one line per student after the header)")
    return students


def read_roster(path: str | Path) -> list[Student]:
    """The students of a roster file; errors name the file and the line."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"roster {path} does not exist (a CSV with an 'id' column, one student per line)")
    try:
        return parse_roster(path.read_text(encoding="utf-8"))
    except ValueError as error:
        raise ValueError(f"{path}: {error}") from None
