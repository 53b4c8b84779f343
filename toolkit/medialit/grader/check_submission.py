"""Sanitize preprocessor: what a student changed that nbgrader is about to put back, and
files that are not what they seem.

Runs before nbgrader's ``OverwriteCells`` (which restores the read-only cells) and records:

* read-only or test cells that were edited or deleted (``review``; nbgrader restores them);
* student code that reaches into the grading machinery (a static scan, ``review``);
* files in the submission that are symbolic links: nbgrader copied their *targets* into the
  autograded folder; those copies are removed again (``review``);
* the text ``### BEGIN HIDDEN TESTS`` (or another nbgrader delimiter) in a student's own cell,
  which would break feedback: it is neutralised (``note``).

>>> scan_code("get_ipython().input_transformers_cleanup.append(f)")[0][0]
'transformer'
"""

from __future__ import annotations

import ast
import os
import re
from pathlib import Path
from typing import Any, Iterable

from nbconvert.preprocessors import Preprocessor
from traitlets import Bool

from .findings import finding, report, source_of

__all__ = ["CheckSubmission", "scan_code", "imported_helpers", "SUSPICIOUS_CODE", "course_root"]

#: Patterns in a student's own code that reach into the grading machinery, with what they mean.
#: None of them is needed in this course; each match is flagged for review, not punished.
SUSPICIOUS_CODE: tuple[tuple[str, str, str], ...] = (
    ("transformer", r"input_transformer|ast_transformers|input_transformer_manager|events\.register"
                    r"|set_custom_exc|sys\.settrace|sys\.setprofile|register_cell_magic|run_cell\s*=",
     "changes how later cells (the tests among them) are run"),
    ("nbgrader-env", r"NBGRADER", "refers to nbgrader's grading environment (NBGRADER_EXECUTION)"),
    ("gradebook", r"gradebook|sqlite", "refers to the gradebook or a database"),
    ("kernel-exit", r"os\._exit|os\.kill|sys\.exit|os\.abort|signal\.", "can stop the kernel"),
    ("monkeypatch", r"\bgrading\s*\.\s*\w+\s*=(?!=)|setattr\(\s*(?:medialit\.)?grading\b|__builtins__|\bbuiltins\b"
                    r"|sys\.modules\s*\[|__code__|__globals__|__defaults__",
     "replaces the grading helpers, Python's built-ins or loaded modules"),
    ("equality", r"def\s+__eq__|__eq__\s*=", "defines its own equality (an answer that equals everything)"),
    ("escape", r"\.\./\.\.|/lessons/|\.instructor-answers|nbgrader_config|MEDIALIT_ANSWERS_DIR|linecache",
     "reaches for files outside the submission (other students, the lesson sources, the course)"),
)

#: nbgrader's hidden-test delimiters: in a student's own cell they break feedback generation.
_DELIMITERS = re.compile(r"(BEGIN|END)( HIDDEN TESTS)")


def scan_code(source: str, helpers: Iterable[str] = ()) -> list[tuple[str, str, str]]:
    """Suspicious constructs in one cell of student code: ``(kind, matched text, meaning)``.
    ``helpers`` are the grading helpers the notebook's tests call; redefining one is suspicious.

    >>> scan_code("expect = print", helpers=["expect"])[0][:2]
    ('monkeypatch', 'expect =')
    >>> scan_code("same = a == b")
    []
    """
    names = "|".join(re.escape(h) for h in helpers)
    patterns = SUSPICIOUS_CODE + ((("monkeypatch", rf"^\s*(?:def\s+(?:{names})\s*\(|(?:{names})\s*=(?!=))",
                                    "redefines a grading helper that the tests call"),) if names else ())
    found = []
    for kind, pattern, meaning in patterns:
        match = re.search(pattern, source, re.MULTILINE)
        if match:
            found.append((kind, match.group(0), meaning))
    return found


def imported_helpers(nb: Any) -> list[str]:
    """The ``medialit.grading`` names that the notebook's read-only cells import (parsed with
    :mod:`ast`, so ``as`` names and parenthesised lists count; IPython magics are skipped).

    >>> from nbformat.v4 import new_notebook, new_code_cell
    >>> cell = new_code_cell("%matplotlib inline\\nfrom medialit.grading import (expect,\\n  same as eq)",
    ...                      metadata={"nbgrader": {"locked": True}})
    >>> imported_helpers(new_notebook(cells=[cell]))
    ['eq', 'expect']
    """
    from .. import grading

    names: set[str] = set()
    for cell in nb.cells:
        if cell.get("cell_type") != "code" or not cell.get("metadata", {}).get("nbgrader", {}).get("locked"):
            continue
        code = "\n".join("" if line.lstrip().startswith(("%", "!")) else line
                         for line in source_of(cell).splitlines())
        try:
            tree = ast.parse(code)
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module == "medialit.grading":
                names |= {alias.asname or alias.name for alias in node.names if alias.name in grading.__all__}
    return sorted(names)


def course_root(preprocessor: Preprocessor) -> Path:
    """The course folder of the nbgrader run this preprocessor belongs to (its parent is
    nbconvert's exporter, whose parent is nbgrader's converter with the course directory)."""
    coursedir = getattr(getattr(getattr(preprocessor, "parent", None), "parent", None), "coursedir", None)
    return Path(coursedir.root) if coursedir is not None else Path.cwd()


def _converter_paths(preprocessor: Preprocessor, info: dict) -> tuple[Path, Path] | None:
    """The submitted and autograded folders of this submission, if the converter says."""
    converter = getattr(getattr(preprocessor, "parent", None), "parent", None)
    try:
        source = converter._format_source(info["assignment"], info["student"])
        dest = converter._format_dest(info["assignment"], info["student"])
    except (AttributeError, KeyError, TypeError):
        return None
    return Path(source), Path(dest)


class CheckSubmission(Preprocessor):
    """Record changed or deleted locked cells, suspicious student code and linked files (runs
    before nbgrader's ``OverwriteCells``, which restores the locked cells)."""

    enabled = Bool(True, help="Whether to check submissions (on: nbgrader lists it by name).").tag(config=True)

    def _as_released(self, source_cell) -> set[str]:
        """The cell's source as the gradebook has it and as students received it (hidden tests
        removed by nbgrader's own ``ClearHiddenTests``, with the course's delimiters)."""
        from nbformat.v4 import new_code_cell
        from nbgrader.preprocessors import ClearHiddenTests

        full = source_cell.source or ""
        cell = new_code_cell(full)
        ClearHiddenTests(parent=self.parent)._remove_hidden_test_region(cell)
        return {full.strip(), cell.source.strip()}

    def preprocess(self, nb, resources):
        from nbgrader.api import Gradebook, MissingEntry

        info = resources["nbgrader"]
        record = report(nb)
        record["findings"] = []
        findings = record["findings"]
        findings += self._linked_files(info)
        seen: set[str] = set()
        helpers = imported_helpers(nb)
        with Gradebook(info["db_url"]) as gb:
            try:
                notebook = gb.find_notebook(info["notebook"], info["assignment"])
            except MissingEntry:
                return nb, resources
            source_cells = {cell.name: cell for cell in notebook.source_cells}
            test_ids = {cell.name for cell in notebook.grade_cells} - {c.name for c in notebook.solution_cells}
            for cell in nb.cells:
                grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
                source_cell = source_cells.get(grade_id) if grade_id else None
                if source_cell is not None:
                    seen.add(grade_id)
                    if source_cell.locked:
                        if source_of(cell).strip() not in self._as_released(source_cell):
                            findings.append(finding(
                                "changed-locked-cell", "review",
                                "A read-only cell was edited; the original was put back before grading.", grade_id))
                        continue  # its code is replaced, so it never runs
                if _DELIMITERS.search(source_of(cell)):
                    cell.source = _DELIMITERS.sub(lambda m: m.group(1).lower() + m.group(2).lower(), source_of(cell))
                    findings.append(finding("delimiter-in-answer", "note",
                                            "An answer contained an nbgrader delimiter line; it was made harmless.",
                                            grade_id))
                if cell.get("cell_type") != "code":
                    continue
                for kind, text, meaning in scan_code(source_of(cell), helpers):
                    findings.append(finding(f"code-{kind}", "review", f"Student code contains {text!r}: it {meaning}.",
                                            grade_id))
            for name, source_cell in source_cells.items():
                if name not in seen and (source_cell.locked or name in test_ids):
                    what = "test cell" if name in test_ids else "read-only cell"
                    findings.append(finding(
                        "missing-locked-cell", "review",
                        f"The {what} is missing (deleted, or its nbgrader metadata removed); "
                        "the original was put back before grading.", name))
        return nb, resources

    def _linked_files(self, info: dict) -> list[dict]:
        """Symbolic links in the submission: nbgrader's copy followed them, so the autograded
        folder holds copies of their targets. Remove those copies and report the links."""
        paths = _converter_paths(self, info)
        if paths is None:
            return []
        submitted, autograded = paths
        found = []
        for folder, dirnames, filenames in os.walk(submitted):
            for name in dirnames + filenames:
                path = Path(folder) / name
                if not path.is_symlink():
                    continue
                relative = path.relative_to(submitted)
                copy = autograded / relative
                if copy.is_file() and not copy.is_symlink() and name in filenames:
                    copy.unlink()
                found.append(finding("linked-file", "review",
                                     f"{os.fsdecode(relative)!s} is a link to another file, not a file; "
                                     "it was not used for grading.", None))
        return found
