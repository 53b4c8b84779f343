"""The answer-file format: where answers live, atomic saving, loading with clear messages.

A widget saves its answer to ``answers/<question_id>.json`` beside the notebook. Each file holds
a schema version, the question id and kind, the id of the text and a hash of it (so an answer
to a different text is detected), the answer itself as plain JSON and, optionally, a
``context`` (the text, options or items the question showed) so that ``medialit class-report``
can read the class's answers without the notebook.

>>> import tempfile
>>> folder = tempfile.mkdtemp()
>>> store = AnswerStore("q1", "quiz", directory=folder)
>>> store.save({"selected": ["b"]})
>>> store.load().answer
{'selected': ['b']}
>>> AnswerStore("q2", "quiz", directory=folder).load().message
'No saved answer for q2 yet.'
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = [
    "SCHEMA_VERSION",
    "LoadResult",
    "AnswerStore",
    "answers_dir",
    "text_hash",
    "check_question_id",
    "INSTRUCTOR_ANSWERS",
]

#: Version of the answer-file format; bump it when the format changes.
SCHEMA_VERSION = 1
#: Where answers go when a lesson *source* notebook is run (never beside the sources).
INSTRUCTOR_ANSWERS = ".instructor-answers"
_QUESTION_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")


def check_question_id(question_id: object) -> str:
    """Return the id if it is usable as a file name, else raise a ValueError that says why.

    >>> check_question_id("Loaded 1")
    Traceback (most recent call last):
    ...
    ValueError: 'Loaded 1' is not a valid question id: use 1-64 lower-case letters, digits, '-' or '_', starting with a letter or digit (for example 'loaded-1').
    """
    if not isinstance(question_id, str) or not _QUESTION_ID.match(question_id):
        raise ValueError(
            f"{question_id!r} is not a valid question id: use 1-64 lower-case letters, digits, '-' or '_', "
            "starting with a letter or digit (for example 'loaded-1')."
        )
    return question_id


def text_hash(text: str) -> str:
    """A short, stable fingerprint of a text (SHA-256, first 16 hex digits)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def answers_dir(directory: str | os.PathLike | None = None, cwd: Path | None = None) -> Path:
    """The folder for answer files.

    In order: the ``directory`` given; the ``MEDIALIT_ANSWERS_DIR`` environment variable;
    ``<course>/.instructor-answers/<lesson>`` when the notebook runs inside a lesson *source*
    folder (``<course>/lessons/<lesson>`` with ``<course>/nbgrader_config.py``), so that a
    solution run never leaves answer files where nbgrader would copy them to students;
    otherwise ``answers/`` beside the notebook (the current folder).
    """
    if directory is not None:
        return Path(directory)
    env = os.environ.get("MEDIALIT_ANSWERS_DIR")
    if env:
        return Path(env)
    here = (cwd or Path.cwd()).resolve()
    if here.parent.name == "lessons" and (here.parent.parent / "nbgrader_config.py").is_file():
        return here.parent.parent / INSTRUCTOR_ANSWERS / here.name
    return here / "answers"


@dataclass(frozen=True)
class LoadResult:
    """What loading an answer file gave: the answer (or None) and a message for the student."""

    answer: dict | None
    message: str
    ok: bool


class AnswerStore:
    """Saves and loads one question's answer file."""

    def __init__(self, question_id: str, kind: str, *, text_id: str | None = None,
                 text_sha: str | None = None, directory: str | os.PathLike | None = None,
                 context: dict | None = None) -> None:
        self.question_id = check_question_id(question_id)
        self.context = context
        self.kind = kind
        self.text_id = text_id
        self.text_sha = text_sha
        self.directory = answers_dir(directory)

    @property
    def path(self) -> Path:
        return self.directory / f"{self.question_id}.json"

    def save(self, answer: dict) -> None:
        """Write the answer atomically: a crash mid-write never leaves half a file."""
        record = {
            "schema": SCHEMA_VERSION,
            "question_id": self.question_id,
            "kind": self.kind,
            "text_id": self.text_id,
            "text_hash": self.text_sha,
            "saved_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "answer": answer,
        }
        if self.context is not None:  # optional: the text or options, for the class report
            record["context"] = self.context
        self.directory.mkdir(parents=True, exist_ok=True)
        handle, tmp = tempfile.mkstemp(prefix=f".{self.question_id}.", suffix=".tmp", dir=self.directory)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump(record, out, ensure_ascii=False, indent=1)
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise

    def _set_aside(self, why: str) -> str:
        """Keep a file we cannot use under another name, so that nothing is lost."""
        stamp = time.strftime("%Y%m%d-%H%M%S")
        backup = self.path.with_name(f"{self.path.stem}.{why}-{stamp}.json")
        n = 1
        while backup.exists():  # never replace an earlier backup
            n += 1
            backup = self.path.with_name(f"{self.path.stem}.{why}-{stamp}-{n}.json")
        try:
            os.replace(self.path, backup)
        except OSError:
            return ""
        return f" The old file was kept as {backup.name}."

    def load(self) -> LoadResult:
        """Read the saved answer; problems give a message and an empty answer, never an exception."""
        if not self.path.exists():
            return LoadResult(None, f"No saved answer for {self.question_id} yet.", True)
        try:
            record = json.loads(self.path.read_text(encoding="utf-8"))
            if not isinstance(record, dict) or not isinstance(record.get("answer"), dict):
                raise ValueError("the file has no answer in it")
        except (OSError, ValueError) as error:
            kept = self._set_aside("unreadable")
            return LoadResult(None, f"The saved answer for {self.question_id} could not be read ({error}); "
                                    f"starting with an empty answer.{kept}", False)
        if record.get("schema") != SCHEMA_VERSION:
            kept = self._set_aside("old-format")
            return LoadResult(None, f"The saved answer for {self.question_id} has format version "
                                    f"{record.get('schema')!r}, not {SCHEMA_VERSION}; starting with an empty "
                                    f"answer.{kept}", False)
        if record.get("kind") not in (None, self.kind):
            kept = self._set_aside("other-question")
            return LoadResult(None, f"The saved answer for {self.question_id} belongs to a different kind of "
                                    f"question ({record.get('kind')}); starting with an empty answer.{kept}", False)
        if self.text_sha and record.get("text_hash") not in (None, self.text_sha):
            kept = self._set_aside("other-text")
            return LoadResult(None, f"The saved answer for {self.question_id} was made for a different text "
                                    f"({record.get('text_id')!r}); starting with an empty answer.{kept}", False)
        return LoadResult(record["answer"], f"Restored your saved answer for {self.question_id}.", True)

    def read_record(self) -> dict[str, Any] | None:
        """The whole record, or None if there is no readable file (for grading)."""
        try:
            record = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return record if isinstance(record, dict) else None
