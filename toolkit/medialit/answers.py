"""The answer-file format: where answers live, atomic saving, loading with clear messages.

A widget saves its answer to ``answers/<question_id>.json`` beside the notebook. Each file holds
a schema version, the question id and kind, the id of the text and a hash of it (so an answer
to a different text is detected; a quiz hashes its question and options, a category sorter its
items), the answer itself as plain JSON and, optionally, a ``context`` (the text, options or
items the question showed) so that ``medialit class-report`` can read the class's answers
without the notebook. The format is published as a JSON schema,
``medialit/schemas/answer.schema.json``; the widgets, the grader and the class report all read
files with :func:`read_answer_file`, which checks it.

>>> import tempfile
>>> folder = tempfile.mkdtemp()
>>> store = AnswerStore("q1", "quiz", text_sha=text_hash("Which?"), directory=folder)
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
import stat
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from ._atomic import write_text_atomic

__all__ = [
    "SCHEMA_VERSION",
    "LoadResult",
    "AnswerStore",
    "answers_dir",
    "text_hash",
    "check_question_id",
    "INSTRUCTOR_ANSWERS",
    "MAX_ANSWER_BYTES",
    "AnswerFile",
    "read_answer_file",
    "check_record",
    "answer_schema",
    "schema_problem",
    "kind_schema",
]

#: Version of the answer-file format; bump it when the format changes.
SCHEMA_VERSION = 1
#: Where answers go when a lesson *source* notebook is run (never beside the sources).
INSTRUCTOR_ANSWERS = ".instructor-answers"
_QUESTION_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
#: The largest answer file that is read (a real one is a few kilobytes).
MAX_ANSWER_BYTES = 1_000_000
#: The deepest nesting of lists and dicts in a usable answer file (a real one has 5 levels).
MAX_DEPTH = 20


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
        if not self.text_sha:
            raise ValueError(f"Cannot save {self.question_id}: an answer file needs text_sha, the text_hash() of "
                             "the question's text, options or items.")
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
        write_text_atomic(self.path, json.dumps(record, ensure_ascii=False, indent=1))

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
        found = read_answer_file(self.path, question_id=self.question_id, kind=self.kind, text_sha=self.text_sha)
        if found.reason == "missing":
            return LoadResult(None, f"No saved answer for {self.question_id} yet.", True)
        if found.problem:
            kept = self._set_aside(found.reason)
            return LoadResult(None, f"The saved answer for {self.question_id} {found.problem}; starting with an "
                                    f"empty answer.{kept}", False)
        return LoadResult(found.record["answer"], f"Restored your saved answer for {self.question_id}.", True)

    def read(self, *, text_sha: str | None = None) -> "AnswerFile":
        """The answer file checked as the grader checks it (see :func:`read_answer_file`)."""
        return read_answer_file(self.path, question_id=self.question_id,
                                kind=None if self.kind == "any" else self.kind, text_sha=text_sha)


@dataclass(frozen=True)
class AnswerFile:
    """What reading an answer file gave: the ``record`` (None unless usable), and if it is not
    usable, a ``problem`` (a phrase that follows "The saved answer for <question>") and a
    ``reason``: ``missing``, ``not-a-file``, ``too-large``, ``unreadable``, ``old-format``,
    ``invalid``, ``other-question``, ``other-kind`` or ``other-text``."""

    record: dict | None
    problem: str = ""
    reason: str = ""

    @property
    def ok(self) -> bool:
        return not self.problem


@lru_cache(maxsize=1)
def answer_schema() -> dict:
    """The answer-file format as a JSON schema (``medialit/schemas/answer.schema.json``)."""
    return json.loads((Path(__file__).parent / "schemas" / "answer.schema.json").read_text(encoding="utf-8"))


#: Optional libraries that jsonschema's format checkers import if they are installed. medialit checks
#: no formats; one of them (isoduration, through arrow and dateutil) imports ``six``, which adds an
#: import hook to ``sys.meta_path``, and the grader's integrity probe rightly withholds the scores of
#: a notebook whose import machinery changed while it ran (widgets load answers in the student's kernel).
_FORMAT_LIBRARIES = ("fqdn", "idna", "rfc3987", "rfc3986_validator", "rfc3987_syntax", "rfc3339_validator",
                     "webcolors", "jsonpointer", "uri_template", "isoduration")


def _jsonschema():
    """``jsonschema``, imported without its optional format-checker libraries (see above)."""
    import sys

    if "jsonschema" in sys.modules:
        return sys.modules["jsonschema"]
    blocked = [name for name in _FORMAT_LIBRARIES if name not in sys.modules]
    for name in blocked:
        sys.modules[name] = None  # makes `import name` raise ImportError, which jsonschema expects
    try:
        import jsonschema
    finally:
        for name in blocked:
            if name in sys.modules and sys.modules[name] is None:
                del sys.modules[name]
    return jsonschema


def kind_schema(kind: str) -> dict:
    """The JSON schema of one kind's answer (the ``answer`` of an answer file, or a reference)."""
    schema = answer_schema()
    if kind not in schema["$defs"] or kind in ("index", "key", "name"):
        raise ValueError(f"{kind!r} is not a kind of question. The kinds are: quiz, spans, sentences, frame_map, "
                         "ledger, categories.")
    return {"$defs": schema["$defs"], "$ref": f"#/$defs/{kind}"}


def _depth(value: Any, limit: int) -> int:
    """How deeply lists and dicts nest in ``value`` (iterative; stops counting past ``limit``)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, (list, dict)):
            deepest = max(deepest, level)
            if level > limit:
                return level
            stack.extend((child, level + 1) for child in (item.values() if isinstance(item, dict) else item))
    return deepest


def schema_problem(value: Any, schema: dict, max_depth: int = MAX_DEPTH) -> str:
    """The first problem of ``value`` against a JSON schema, as a short phrase, or "".

    >>> schema_problem({"selected": 5}, kind_schema("quiz"))
    "selected: 5 is not of type 'array'"
    """
    jsonschema = _jsonschema()
    if _depth(value, max_depth) > max_depth:
        return f"it is nested more than {max_depth} levels deep"
    cls = jsonschema.validators.validator_for(schema)
    error = jsonschema.exceptions.best_match(cls(schema).iter_errors(value))
    if error is None:
        return ""
    where = "/".join(str(p) for p in error.absolute_path)
    message = error.message if len(error.message) <= 160 else error.message[:157] + "..."
    return f"{where}: {message}" if where else message


def check_record(record: Any, *, question_id: str | None = None, kind: str | None = None,
                 text_sha: str | None = None) -> AnswerFile:
    """Check a decoded answer file: format version, schema (per kind), question, kind and text.

    >>> check_record({"schema": 99}).problem
    'has format version 99, not 1'
    >>> good = {"schema": 1, "question_id": "q", "kind": "quiz", "text_hash": "0" * 16, "answer": {"selected": ["a"]}}
    >>> check_record(good, kind="quiz").ok, check_record(good, text_sha="1" * 16).reason
    (True, 'other-text')
    """
    if not isinstance(record, dict):
        return AnswerFile(None, f"is not an answer file (it holds a {type(record).__name__}, not an object)", "invalid")
    if record.get("schema") != SCHEMA_VERSION:
        return AnswerFile(None, f"has format version {record.get('schema')!r}, not {SCHEMA_VERSION}", "old-format")
    problem = schema_problem(record, answer_schema())
    if problem:
        return AnswerFile(None, f"is not a valid answer file ({problem})", "invalid")
    if question_id is not None and record["question_id"] != question_id:
        return AnswerFile(None, f"belongs to another question ({record['question_id']})", "other-question")
    if kind is not None and record["kind"] != kind:
        return AnswerFile(None, f"belongs to a different kind of question ({record['kind']}, not {kind})",
                          "other-kind")
    if text_sha is not None and record["text_hash"] != text_sha:
        return AnswerFile(None, f"was made for a different text ({record.get('text_id')!r})", "other-text")
    return AnswerFile(record)


def read_answer_file(path: str | os.PathLike, *, question_id: str | None = None, kind: str | None = None,
                     text_sha: str | None = None, max_bytes: int = MAX_ANSWER_BYTES) -> AnswerFile:
    """Read and check one answer file; never raises for a bad file.

    Only a regular file is read (a symbolic link, folder, pipe or device is refused without
    opening what it points to), at most ``max_bytes``; then :func:`check_record`.

    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "q.json"
    >>> _ = path.write_text("[" * 100000 + "]" * 100000)
    >>> read_answer_file(path).problem
    'could not be read (it is nested too deeply)'
    """
    path = Path(path)
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        if path.is_symlink():
            return AnswerFile(None, "is a link to another file, not a file", "not-a-file")
        return AnswerFile(None, "was not found", "missing")
    except OSError as error:
        if path.is_symlink():
            return AnswerFile(None, "is a link to another file, not a file", "not-a-file")
        return AnswerFile(None, f"could not be opened ({error.strerror or error})", "unreadable")
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return AnswerFile(None, "is not a regular file", "not-a-file")
        if info.st_size > max_bytes:
            return AnswerFile(None, f"is {info.st_size:,} bytes, more than the {max_bytes:,} bytes an answer "
                                    "can be", "too-large")
        with os.fdopen(os.dup(fd), "rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as error:
        return AnswerFile(None, f"could not be read ({error.strerror or error})", "unreadable")
    finally:
        os.close(fd)
    if len(data) > max_bytes:
        return AnswerFile(None, f"is more than the {max_bytes:,} bytes an answer can be", "too-large")
    try:
        record = json.loads(data.decode("utf-8"))
    except RecursionError:
        return AnswerFile(None, "could not be read (it is nested too deeply)", "unreadable")
    except (UnicodeDecodeError, ValueError) as error:
        return AnswerFile(None, f"could not be read ({str(error)[:120]})", "unreadable")
    try:
        return check_record(record, question_id=question_id, kind=kind, text_sha=text_sha)
    except RecursionError:
        return AnswerFile(None, "could not be read (it is nested too deeply)", "unreadable")
