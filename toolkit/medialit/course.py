"""Course configuration helpers used by ``nbgrader_config.py``.

nbgrader's autograde copies every non-notebook file of a lesson's *source* folder over the
student's submission ("Overwriting files with master versions from the source directory").
Answer files must never be in the source folder (medialit's widgets save elsewhere when run
there); as a second guard, :func:`exclude_overwriting` lists every answer file a lesson can
have, so that autograde never replaces a student's saved answers.

>>> import tempfile, pathlib, json
>>> root = pathlib.Path(tempfile.mkdtemp())
>>> (root / "01-demo").mkdir()
>>> cell = {"cell_type": "code", "source": 'marker = SpanMarker("loaded-1", "ukr-beijing")', "metadata": {}}
>>> _ = (root / "01-demo" / "demo.ipynb").write_text(json.dumps({"cells": [cell]}))
>>> exclude_overwriting(root)
{'01-demo': ['answers/loaded-1.json']}
"""

from __future__ import annotations

import ast
import json
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from .answers import INSTRUCTOR_ANSWERS

__all__ = ["question_ids", "exclude_overwriting", "widget_calls", "parse_cell", "WIDGET_KINDS", "WIDGET_CLASSES",
           "CourseLayout", "REFERENCES_DIR"]

#: The folder of the lessons' reference files (the grader's answers), relative to the course root.
REFERENCES_DIR = "references"

#: The kind of answer each widget class saves (one table: the reference check reads it too).
WIDGET_KINDS = {"SpanMarker": "spans", "SentenceSorter": "sentences", "FrameMap": "frame_map",
                "ClaimLedger": "ledger", "Quiz": "quiz", "CategorySorter": "categories"}
WIDGET_CLASSES = tuple(WIDGET_KINDS)


def parse_cell(source: str | list[str]) -> ast.Module | None:
    """A code cell's source as a Python syntax tree (IPython's ``%magic`` and ``!shell`` lines
    left out), or None when it is not Python.

    >>> type(parse_cell(["%matplotlib inline\\n", "x = 1"])).__name__, parse_cell("x = (")
    ('Module', None)
    """
    text = "".join(source) if isinstance(source, list) else str(source)
    code = "\n".join("" if line.lstrip().startswith(("%", "!")) else line for line in text.splitlines())
    try:
        return ast.parse(code)
    except SyntaxError:
        return None


def widget_calls(source: str | list[str]) -> list[tuple[str, str]]:
    """``(widget class, question id)`` of every widget a code cell creates, read from its syntax
    tree: positional or keyword, any quoting, ``medialit.widgets.Quiz(...)`` as well.

    >>> widget_calls('m = SpanMarker(question_id="x", text=doc)\\nq = widgets.Quiz("q2", "?", {})')
    [('SpanMarker', 'x'), ('Quiz', 'q2')]
    """
    tree = parse_cell(source)
    found: list[tuple[int, int, str, str]] = []
    for node in ast.walk(tree) if tree else ():
        if not isinstance(node, ast.Call):
            continue
        name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
        if name not in WIDGET_KINDS:
            continue
        first = node.args[0] if node.args else next((k.value for k in node.keywords if k.arg == "question_id"), None)
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            found.append((node.lineno, node.col_offset, name, first.value))
    return [(name, qid) for _, _, name, qid in sorted(found)]  # in the order they are written


def question_ids(notebook: Path) -> list[str]:
    """The question ids of the widgets a notebook creates (from its code cells)."""
    try:
        cells = json.loads(notebook.read_text(encoding="utf-8")).get("cells", [])
    except (OSError, ValueError):
        return []
    found: list[str] = []
    for cell in cells:
        if cell.get("cell_type") != "code":
            continue
        for _, qid in widget_calls(cell.get("source", "")):
            if qid not in found:
                found.append(qid)
    return found


def exclude_overwriting(source_root: Path) -> dict[str, list[str]]:
    """For ``Autograde.exclude_overwriting``: every lesson's possible answer files."""
    result: dict[str, list[str]] = {}
    if not source_root.is_dir():
        return result
    for lesson in sorted(p for p in source_root.iterdir() if p.is_dir()):
        names = {f"answers/{qid}.json" for nb in lesson.glob("*.ipynb") for qid in question_ids(nb)}
        answers = lesson / "answers"
        if answers.is_dir():
            names |= {f"answers/{p.name}" for p in answers.iterdir() if p.is_file()}
        if names:
            result[lesson.name] = sorted(names)
    return result


@dataclass(frozen=True)
class CourseLayout:
    """Where a course keeps each kind of file: one object instead of ``"submitted"``,
    ``"reports"``, ``"gradebook.db"`` written out in every module.

    The nbgrader folders are nbgrader's ``CourseDirectory`` settings, read from the course's
    ``nbgrader_config.py`` (:meth:`load`) or taken from a ``CourseDirectory`` an nbgrader app
    already has (:meth:`from_coursedir`); the defaults are nbgrader's (a test compares them).
    ``reports``, ``instructor_answers`` and ``references`` are medialit's own folders.

    >>> layout = CourseLayout(Path("/course"))
    >>> str(layout.submission("ann", "01-x")), str(layout.gradebook)
    ('/course/submitted/ann/01-x', '/course/gradebook.db')
    >>> str(layout.reports_for("01-x", "ann"))
    '/course/reports/01-x/ann'
    """

    root: Path
    source_directory: str = "source"
    release_directory: str = "release"
    submitted_directory: str = "submitted"
    autograded_directory: str = "autograded"
    feedback_directory: str = "feedback"
    db_url: str = ""  # nbgrader's default: sqlite:///<root>/gradebook.db
    reports_directory: str = "reports"
    instructor_answers_directory: str = INSTRUCTOR_ANSWERS
    references_directory: str = REFERENCES_DIR

    #: the CourseDirectory traits this layout reads
    NBGRADER_TRAITS = ("source_directory", "release_directory", "submitted_directory", "autograded_directory",
                       "feedback_directory", "db_url")

    @classmethod
    def from_coursedir(cls, coursedir: Any) -> "CourseLayout":
        """The layout of an nbgrader ``CourseDirectory`` (for code that runs inside an nbgrader app)."""
        return cls(Path(coursedir.root), **{name: getattr(coursedir, name) for name in cls.NBGRADER_TRAITS})

    @classmethod
    def load(cls, root: str | Path = ".") -> "CourseLayout":
        """The layout of the course at ``root``: its ``nbgrader_config.py``'s ``CourseDirectory``
        settings, nbgrader's defaults for the rest (read with traitlets, without importing
        nbgrader, which takes seconds)."""
        layout = cls(Path(root).resolve())
        config_file = layout.root / "nbgrader_config.py"
        if not config_file.is_file():
            return layout
        from traitlets.config.loader import PyFileConfigLoader

        try:
            config = PyFileConfigLoader(config_file.name, path=str(layout.root)).load_config()
        except Exception as error:  # noqa: BLE001 - any error in the config file is the course's to fix
            raise ValueError(f"{config_file} could not be read ({type(error).__name__}: {error}); fix it, then "
                             "run again (nbgrader would stop on it too).") from None
        section = config.get("CourseDirectory", {})
        settings = {name: str(section[name]) for name in cls.NBGRADER_TRAITS if name in section}
        return replace(layout, **settings)

    def _folder(self, name: str) -> Path:
        return self.root / name

    @property
    def gradebook(self) -> Path:
        """The SQLite gradebook file (``db_url`` must be an ``sqlite:///`` URL)."""
        url = self.db_url or "sqlite:///gradebook.db"
        if not url.startswith("sqlite:///"):
            raise ValueError(f"CourseDirectory.db_url is {url!r}: medialit reads only SQLite gradebooks "
                             "(sqlite:///gradebook.db).")
        path = Path(url[len("sqlite:///"):])
        return path if path.is_absolute() else self.root / path

    @property
    def source(self) -> Path:
        """The lesson sources (with solutions): ``lessons/`` in this course."""
        return self._folder(self.source_directory)

    @property
    def submitted(self) -> Path:
        return self._folder(self.submitted_directory)

    @property
    def references(self) -> Path:
        return self._folder(self.references_directory)

    def submission(self, student: str, lesson: str) -> Path:
        """``submitted/<student>/<lesson>``."""
        return self.submitted / student / lesson

    def autograded(self, student: str, lesson: str) -> Path:
        """``autograded/<student>/<lesson>``."""
        return self._folder(self.autograded_directory) / student / lesson

    def reports_for(self, lesson: str, student: str | None = None) -> Path:
        """``reports/<lesson>`` (medialit's grading reports), or a student's folder in it."""
        folder = self._folder(self.reports_directory) / lesson
        return folder / student if student is not None else folder

    def instructor_answers(self, lesson: str) -> Path:
        """``.instructor-answers/<lesson>``: the model answers saved by running a lesson's source."""
        return self._folder(self.instructor_answers_directory) / lesson

    def names(self) -> dict[str, str]:
        """Every folder setting by name (for messages and tests)."""
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name != "root"}
