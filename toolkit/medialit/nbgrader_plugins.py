"""nbgrader plug-ins for the medialit course (all enabled in ``nbgrader_config.py``).

Autograding runs a student's code with the instructor's tests in one Python process, so the
student's code can change how the tests run. nbgrader 0.9.6 does not notice when it does; these
plug-ins check each submission and write an **integrity report** for it:

* :class:`CheckSubmission` (before nbgrader's ``OverwriteCells``) records locked cells a student
  changed or deleted (nbgrader puts them back) and code that reaches into the grading machinery
  (input transformers, the grading helpers, ``NBGRADER_EXECUTION``, the gradebook, ``os._exit``).
* :class:`GuardedExecute` (replaces nbgrader's ``Execute``) runs the notebook between two probe
  cells. The first records the state of the kernel before any student code ran; the last
  checks it afterwards (input and AST transformers, event hooks, trace functions, the grading
  helpers and built-ins). Reads of ``NBGRADER_EXECUTION`` from student code are recorded. A
  kernel that dies is reported and the notebook is graded as far as it got; cells that time out
  or print huge outputs are reported (huge outputs are cut). Warnings a library prints to
  stderr in a test cell are kept as text but no longer zero the test. An audit hook refuses to
  open the gradebook from the student's kernel; instructor-owned gradebook values that change
  anyway while the notebook runs are reported.
* :class:`FlagForReview` (after ``SaveAutoGrades``) flags the submission in the gradebook for
  manual review and writes ``reports/<assignment>/<student>/<notebook>.integrity.json``.

Severity of a finding: ``withheld`` (evidence that the tests themselves were subverted: every
test cell of the notebook scores 0 with a message and is marked "needs manual grade"),
``review`` (scores stand, the submission is flagged in the gradebook), ``note`` (listed only).
The checks raise the cost of cheating and make it visible; they are not a sandbox: a
determined student with the same rights as the grader can evade any in-process check.

``ShortTracebacks`` is a feedback preprocessor. nbgrader's ``ClearHiddenTests`` removes hidden
tests from a test cell's *source*, but a failing test's traceback was recorded while the hidden
tests were still there, and IPython prints the lines around the failing one: hidden test code
then shows up in the feedback. This preprocessor keeps only the last line of the traceback of
test cells (``AssertionError: <hint>``); the printed hints stay.

>>> from nbformat.v4 import new_code_cell, new_output
>>> cell = new_code_cell("...", metadata={"nbgrader": {"grade": True, "solution": False}})
>>> cell.outputs = [new_output("error", ename="AssertionError", evalue="Keep the content.",
...                            traceback=["...", "----> 4 expect(...)", "      6 hidden_line()"])]
>>> ShortTracebacks().preprocess_cell(cell, {}, 0)[0].outputs[0].traceback
['AssertionError: Keep the content.']
"""

from __future__ import annotations

import json
import os
import re
import secrets
import sqlite3
from pathlib import Path
from typing import Any, Iterable

from nbconvert.preprocessors import Preprocessor
from traitlets import Bool, Integer

__all__ = [
    "ShortTracebacks",
    "CheckSubmission",
    "GuardedExecute",
    "FlagForReview",
    "scan_code",
    "compare_probes",
    "imported_helpers",
    "INTEGRITY_KEY",
    "MAX_OUTPUT_CHARS",
]

#: Where the integrity findings travel inside the notebook's metadata between the plug-ins.
INTEGRITY_KEY = "medialit_integrity"

#: Cut any single output larger than this many characters (text, HTML or base64 image) and flag
#: it. The largest legitimate output in lessons 00-06 is a figure of about 120,000 characters of
#: base64 PNG (measured with ``benchmarks/bench_lessons.py``); 2,000,000 leaves ample room.
MAX_OUTPUT_CHARS = 2_000_000

_SEVERITY_ORDER = {"note": 0, "review": 1, "withheld": 2}


def _is_test_cell(cell: Any) -> bool:
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return cell.get("cell_type") == "code" and bool(meta.get("grade")) and not meta.get("solution")


def _finding(kind: str, severity: str, detail: str, cell: str | None = None) -> dict:
    return {"kind": kind, "severity": severity, "cell": cell, "detail": detail}


def _report(nb: Any) -> dict:
    meta = nb.metadata.setdefault(INTEGRITY_KEY, {})
    meta.setdefault("findings", [])
    return meta


class ShortTracebacks(Preprocessor):
    """Reduce the tracebacks of test cells to their final line (the error and its hint)."""

    # nbconvert preprocessors are off unless enabled; nbgrader registers this one by name.
    enabled = Bool(True).tag(config=True)

    def preprocess_cell(self, cell, resources, index):
        if _is_test_cell(cell):
            for output in cell.get("outputs", []):
                if output.get("output_type") == "error":
                    output["traceback"] = [f"{output.get('ename', 'Error')}: {output.get('evalue', '')}"]
        return cell, resources


# --------------------------------------------------------------------------------------------
# Static scan of the student's code

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
                    r"|sys\.modules\s*\[",
     "replaces the grading helpers, Python's built-ins or loaded modules"),
    ("equality", r"def\s+__eq__|__eq__\s*=", "defines its own equality (an answer that equals everything)"),
)


def scan_code(source: str, helpers: Iterable[str] = ()) -> list[tuple[str, str, str]]:
    """Suspicious constructs in one cell of student code: ``(kind, matched text, meaning)``.
    ``helpers`` are the grading helpers the notebook's tests call; redefining one is suspicious.

    >>> scan_code("get_ipython().input_transformers_cleanup.append(f)")
    [('transformer', 'input_transformer', 'changes how later cells (the tests among them) are run')]
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


def _text(value: Any) -> str:
    return "".join(value) if isinstance(value, list) else str(value or "")


def _source(cell: Any) -> str:
    return _text(cell.get("source", ""))


class CheckSubmission(Preprocessor):
    """Record changed or deleted locked cells and suspicious student code (runs before
    nbgrader's ``OverwriteCells``, which restores the locked cells)."""

    enabled = Bool(True).tag(config=True)

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
        report = _report(nb)
        report["findings"] = []
        findings = report["findings"]
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
                    if source_cell.locked and _source(cell).strip() not in self._as_released(source_cell):
                        findings.append(_finding(
                            "changed-locked-cell", "review",
                            "A read-only cell was edited; the original was put back before grading.", grade_id))
                        continue  # its code is replaced, so it never runs
                    if source_cell.locked:
                        continue
                if cell.get("cell_type") != "code":
                    continue
                for kind, text, meaning in scan_code(_source(cell), helpers):
                    findings.append(_finding(f"code-{kind}", "review", f"Student code contains {text!r}: it {meaning}.",
                                             grade_id))
            for name, source_cell in source_cells.items():
                if name not in seen and (source_cell.locked or name in test_ids):
                    what = "test cell" if name in test_ids else "read-only cell"
                    findings.append(_finding(
                        "missing-locked-cell", "review",
                        f"The {what} is missing (deleted, or its nbgrader metadata removed); "
                        "the original was put back before grading.", name))
        return nb, resources


# --------------------------------------------------------------------------------------------
# Execution between two probes

_PROBE_MARK = "medialit-probe"

# The kernel state both probes print (defined inside each probe, so that student code cannot
# replace it between them).
_STATE = r'''
def state():
    import builtins, importlib, json, sys
    ip = get_ipython()
    # hooks that the lessons' own set-up installs (``%matplotlib inline``, ipywidgets) are expected
    trusted = ("matplotlib_inline.", "matplotlib.", "ipykernel.", "IPython.", "ipywidgets.")
    def ident(items, skip_trusted=False):
        names = (f"{getattr(f, '__module__', None) or '?'}.{getattr(f, '__qualname__', type(f).__name__)}@{id(f)}"
                 for f in items)
        return sorted(n for n in names if not (skip_trusted and n.startswith(trusted)))
    result = {
        "input_transformers_cleanup": ident(ip.input_transformers_cleanup),
        "input_transformers_post": ident(ip.input_transformers_post),
        "line_transforms": ident(getattr(ip.input_transformer_manager, "line_transforms", [])),
        "ast_transformers": ident(ip.ast_transformers),
        "events": {name: ident(cbs, skip_trusted=True) for name, cbs in sorted(ip.events.callbacks.items())},
        "custom_exceptions": repr(ip.custom_exceptions),
        "trace": repr(sys.gettrace()),
        "profile": repr(sys.getprofile()),
        "shell_methods": sorted(name for name in ("run_cell", "run_ast_nodes", "run_code", "showtraceback",
                                                  "transform_cell", "should_run_async") if name in vars(ip)),
        "builtins": {name: id(getattr(builtins, name, None)) for name in (
            "isinstance", "len", "float", "int", "str", "list", "dict", "set", "tuple", "sorted", "round", "abs",
            "print", "AssertionError", "Exception", "type", "repr", "sum", "min", "max", "any", "all", "zip",
            "range", "bool", "getattr", "hasattr", "__import__")},
    }
    for module_name in ("medialit.grading", "medialit.exercises", "medialit.answers"):
        try:
            module = importlib.import_module(module_name)
        except Exception as error:
            result[module_name] = {"error": type(error).__name__}
            continue
        result[module_name] = {"module": id(sys.modules.get(module_name)),
                               **{name: id(getattr(module, name, None)) for name in getattr(module, "__all__", [])}}
    return result
'''

# Runs first, before any student code: starts watching environment reads, prints the state.
_PROBE_START = r'''
def _medialit_probe_start():
STATE
    import json, os, sys
    base = type(os.environ)
    cell_files = ("ipykernel_", "<ipython-input")

    class _WatchedEnviron(base):
        reads = []

        def __getitem__(self, key):
            if isinstance(key, str) and key.startswith("NBGRADER"):
                frame = sys._getframe(1)
                for _ in range(6):
                    if frame is None:
                        break
                    if any(mark in frame.f_code.co_filename for mark in cell_files):
                        type(self).reads.append(key)
                        break
                    frame = frame.f_back
            return base.__getitem__(self, key)

    # The gradebook is off limits: an audit hook (which Python code cannot remove) refuses to
    # open it from this kernel and records the attempt.
    gradebook = GRADEBOOK
    if gradebook:
        attempts = _WatchedEnviron.gradebook = []

        def _guard(event, args, _path=os.path, _getcwd=os.getcwd, _attempts=attempts, _gradebook=gradebook):
            if event in ("open", "sqlite3.connect") and args and isinstance(args[0], (str, bytes, os.PathLike)):
                try:
                    target = _path.realpath(_path.join(_getcwd(), os.fsdecode(args[0])))
                except Exception:
                    return
                if target.startswith(_gradebook):
                    _attempts.append(event)
                    raise PermissionError("The gradebook cannot be opened while notebooks are graded.")

        sys.addaudithook(_guard)
    env = os.environ
    os.environ = _WatchedEnviron(env._data, env.encodekey, env.decodekey, env.encodevalue, env.decodevalue)
    sys.modules["_medialit_probe_environ"] = os.environ
    sys.stdout.write(NONCE + " " + json.dumps({"state": state()}) + "\n")

_medialit_probe_start()
del _medialit_probe_start
'''

# Runs last: prints the state again and the NBGRADER reads seen.
_PROBE_END = r'''
def _medialit_probe_end():
STATE
    import json, sys
    env = sys.modules.get("_medialit_probe_environ")
    reads = sorted(set(getattr(type(env), "reads", []))) if env is not None else ["(watcher removed)"]
    # the helpers that the notebook's read-only cells import, under the names they import
    user_ns, replaced = get_ipython().user_ns, []
    grading = sys.modules.get("medialit.grading")
    for name in HELPERS:
        if name in user_ns and user_ns[name] is not getattr(grading, name, None):
            replaced.append(name)
    gradebook = sorted(set(getattr(type(env), "gradebook", [])))
    sys.stdout.write(NONCE + " " + json.dumps({"state": state(), "reads": reads, "replaced": replaced,
                                               "gradebook": gradebook}) + "\n")

_medialit_probe_end()
'''


_GRADING_IMPORT = re.compile(r"from\s+medialit\.grading\s+import\s+(\([^)]*\)|[^\n#;]+)")


def imported_helpers(nb: Any) -> list[str]:
    """The ``medialit.grading`` names that the notebook's read-only cells import.

    >>> from nbformat.v4 import new_notebook, new_code_cell
    >>> cell = new_code_cell("from medialit.grading import expect, same", metadata={"nbgrader": {"locked": True}})
    >>> imported_helpers(new_notebook(cells=[cell]))
    ['expect', 'same']
    """
    from . import grading

    names: set[str] = set()
    for cell in nb.cells:
        if cell.get("cell_type") == "code" and cell.get("metadata", {}).get("nbgrader", {}).get("locked"):
            for group in _GRADING_IMPORT.findall(_source(cell)):
                for item in group.strip("()").split(","):
                    parts = item.split()
                    if parts and parts[0] in grading.__all__:
                        names.add(parts[-1])  # "expect" or "expect as check": the name bound
    return sorted(names)


def _probe_cell(code: str, nonce: str, gradebook: Path | None = None, helpers: list[str] | None = None) -> Any:
    from nbformat.v4 import new_code_cell

    import textwrap

    code = code.replace("STATE\n", textwrap.indent(_STATE.strip("\n"), "    ") + "\n")
    code = code.replace("GRADEBOOK", repr(str(gradebook.resolve())) if gradebook else "None")
    code = code.replace("HELPERS", repr(list(helpers or [])))
    cell = new_code_cell(code.replace("NONCE", repr(nonce)).strip("\n"))
    cell.metadata[_PROBE_MARK] = True
    return cell


def _probe_output(cell: Any, nonce: str) -> dict | None:
    """What the probe printed after its nonce, or None if it did not print it."""
    text = "".join(_text(o.get("text", "")) for o in cell.get("outputs", [])
                   if o.get("output_type") == "stream" and o.get("name") == "stdout")
    for line in text.splitlines():
        if line.startswith(nonce + " "):
            try:
                return json.loads(line[len(nonce) + 1:])
            except ValueError:
                return None
    return None


def compare_probes(before: dict, after: dict) -> list[tuple[str, str]]:
    """What changed in the kernel between the two probes: ``(severity, description)`` pairs.

    A hook or transformer defined in the notebook itself (module ``__main__``) is ``withheld``
    evidence; one added by an imported library (a plotting backend, say) is only ``review``.
    Replaced built-ins or grading helpers and overridden shell methods are always ``withheld``.

    >>> compare_probes({"ast_transformers": []}, {"ast_transformers": ["__main__.f@1"]})
    [('withheld', 'ast_transformers: added __main__.f@1')]
    >>> compare_probes({"events": {"post_execute": []}}, {"events": {"post_execute": ["ipympl.flush@2"]}})
    [('review', 'events post_execute: added ipympl.flush@2')]
    """

    def lists(key: str, old: list, new: list) -> list[tuple[str, str]]:
        added, removed = sorted(set(new) - set(old)), sorted(set(old) - set(new))
        if not added and not removed:
            return []
        parts = ([f"added {', '.join(added)}"] if added else []) + ([f"removed {', '.join(removed)}"] if removed else [])
        from_notebook = key == "shell_methods" or any(a.startswith(("__main__.", "?.")) for a in added)
        return [("withheld" if from_notebook else "review", f"{key}: {'; '.join(parts)}")]

    changes: list[tuple[str, str]] = []
    for key in sorted(set(before) | set(after)):
        old, new = before.get(key), after.get(key)
        if old == new:
            continue
        if isinstance(old, list) and isinstance(new, list):
            changes += lists(key, old, new)
        elif key == "events" and isinstance(old, dict) and isinstance(new, dict):
            for event in sorted(set(old) | set(new)):
                changes += lists(f"events {event}", old.get(event, []), new.get(event, []))
        elif isinstance(old, dict) and isinstance(new, dict):
            names = sorted(name for name in set(old) | set(new) if old.get(name) != new.get(name))
            changes.append(("withheld", f"{key} replaced: {', '.join(names)}"))
        else:
            changes.append(("withheld", f"{key} changed: {old!r} -> {new!r}"))
    return changes


def _sqlite_path(db_url: str) -> Path | None:
    if not db_url.startswith("sqlite:///"):
        return None
    path = db_url[len("sqlite:///"):].split("?", 1)[0]
    return Path(path) if path else None


#: Gradebook columns that autograding never writes: only an instructor may change them.
_INSTRUCTOR_COLUMNS = {
    "grade": ("manual_score", "extra_credit"),
    "comment": ("manual_comment",),
    "grade_cells": ("max_score",),
    "task_cells": ("max_score",),
    "source_cell": ("source", "checksum", "locked"),
    "submitted_assignment": ("extension",),
}


def _snapshot(path: Path | None) -> dict | None:
    if path is None or not path.exists():
        return None
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=60) as db:
        return {table: {row[0]: tuple(row[1:]) for row in db.execute(f"SELECT id, {', '.join(cols)} FROM {table}")}
                for table, cols in _INSTRUCTOR_COLUMNS.items()}


def _changes(path: Path, before: dict) -> list[str]:
    """The instructor-owned values that differ from ``before`` (reported, not reverted: an
    instructor may be grading by hand at the same time)."""
    now = _snapshot(path) or {}
    changed = []
    for table, rows in before.items():
        current = now.get(table, {})
        changed += [f"{table} {row_id} {'changed' if row_id in current else 'deleted'}"
                    for row_id, values in rows.items() if current.get(row_id) != values]
    return changed


def _error_output(ename: str, message: str) -> Any:
    from nbformat.v4 import new_output

    return new_output("error", ename=ename, evalue=message, traceback=[f"{ename}: {message}"])


try:  # nbgrader is only needed by instructors; the module must import without it
    from nbgrader.preprocessors import Execute as _Execute
except ImportError:  # pragma: no cover - exercised only without nbgrader installed
    _Execute = Preprocessor  # type: ignore[misc,assignment]


class GuardedExecute(_Execute):  # type: ignore[misc,valid-type]
    """nbgrader's ``Execute`` with the probes, kernel-death handling and output checks."""

    max_output_chars = Integer(MAX_OUTPUT_CHARS, help="Cut (and flag) any output larger than this.").tag(config=True)

    def preprocess(self, nb, resources=None, km=None):
        report = _report(nb)
        findings = report["findings"]
        start_nonce, end_nonce = secrets.token_hex(12), secrets.token_hex(12)
        db_path = _sqlite_path((resources or {}).get("nbgrader", {}).get("db_url", ""))
        start = _probe_cell(_PROBE_START, start_nonce, gradebook=db_path)
        end = _probe_cell(_PROBE_END, end_nonce, helpers=imported_helpers(nb))
        before = _snapshot(db_path)
        self._medialit_dead: int | None = None
        self._medialit_stop = ""
        nb.cells.insert(0, start)
        nb.cells.append(end)
        try:
            nb, resources = super().preprocess(nb, resources, km)
        finally:
            nb.cells = [cell for cell in nb.cells if not cell.get("metadata", {}).get(_PROBE_MARK)]

        withheld: list[str] = []
        first, last = _probe_output(start, start_nonce), _probe_output(end, end_nonce)
        if first is None:
            findings.append(_finding("probe-failed", "review",
                                     "The integrity check could not start; the submission was graded without it."))
        elif last is None:
            if self._medialit_dead is None:
                withheld.append("the final integrity check did not run as written (cells were rewritten before "
                                "running, or output was hijacked)")
        else:
            changes = compare_probes(first["state"], last["state"])
            if last.get("replaced"):
                changes.append(("withheld", f"grading helpers redefined in the notebook: {', '.join(last['replaced'])}"))
            serious = [text for severity, text in changes if severity == "withheld"]
            if serious:
                withheld.append("the student's code changed how cells run or replaced grading helpers: "
                                + "; ".join(serious))
            for severity, text in changes:
                if severity == "review":
                    findings.append(_finding("hook-added", "review",
                                             f"A library changed how cells run ({text}); check that it is harmless."))
            if last.get("gradebook"):
                withheld.append("the student's code tried to open the gradebook (refused)")
            reads = last.get("reads", [])
            if reads:
                findings.append(_finding("nbgrader-env-read", "review",
                                         f"Student code read {', '.join(reads)} (it can behave differently when graded)."))
        if self._medialit_dead is not None:
            where = self._cell_name(nb, self._medialit_dead)
            if self._medialit_stop == "died":
                findings.append(_finding("kernel-died", "review",
                                         "The kernel stopped (os._exit, a crash or running out of memory); the "
                                         "notebook was graded as far as it got and the cells after it scored 0.", where))
            else:
                findings.append(_finding("timeout", "review",
                                         f"A cell ran past {self.timeout} s and ignored the interrupt; the notebook "
                                         "was graded as far as it got and the cells after it scored 0.", where))
        self._check_outputs(nb, findings)
        if before is not None and db_path is not None:
            changed = _changes(db_path, before)
            if changed:
                shown = "; ".join(changed[:3]) + (f"; ... ({len(changed) - 3} more)" if len(changed) > 3 else "")
                findings.append(_finding(
                    "gradebook-changed", "review",
                    f"Instructor-owned gradebook values changed while this notebook ran ({len(changed)}: {shown}). "
                    "Python code here cannot open the gradebook, so another program did: this notebook's "
                    "subprocesses, another submission graded at the same time, or someone grading by hand. "
                    "Compare with the backup (medialit grade keeps reports/<lesson>/gradebook-before-grade.db)."))
        unique: dict[tuple, dict] = {}
        for finding in findings:
            unique.setdefault((finding["kind"], finding["cell"], finding["severity"]), finding)
        findings[:] = unique.values()
        for reason in withheld:
            findings.append(_finding("tampering", "withheld", reason[0].upper() + reason[1:] + "."))
        if withheld:
            message = ("Held for review: this notebook's automatic tests cannot be trusted because "
                       + withheld[0] + ". An instructor will grade it by hand.")
            for cell in nb.cells:
                if _is_test_cell(cell):
                    # first, so that nbgrader sees it before any numeric result (partial credit)
                    cell.setdefault("outputs", []).insert(0, _error_output("IntegrityError", message))
        return nb, resources

    def preprocess_cell(self, cell, resources, index):
        if self._medialit_dead is not None:
            if cell.get("cell_type") == "code" and not cell.get("metadata", {}).get(_PROBE_MARK):
                cell.outputs = [_error_output(
                    "NotRun", "Not run: the notebook stopped in an earlier cell (see that cell).")]
            return cell, self.resources
        try:
            return super().preprocess_cell(cell, resources, index)
        except Exception as error:  # nbclient's errors for a dead or stuck kernel; others re-raised
            from nbclient.exceptions import CellTimeoutError, DeadKernelError

            if isinstance(error, DeadKernelError):
                self._medialit_dead, self._medialit_stop = index, "died"
                message = ("The kernel stopped while running this cell (for example os._exit(), a crash or "
                           "running out of memory); the cells after it were not run.")
                cell.outputs.append(_error_output("KernelDied", message))
            elif isinstance(error, CellTimeoutError):
                self._medialit_dead, self._medialit_stop = index, "stuck"
                message = (f"This cell ran longer than {self.timeout} s and did not stop when interrupted; "
                           "the cells after it were not run.")
                cell.outputs.append(_error_output("CellTimeoutError", message))
            else:
                raise
            return cell, self.resources

    @staticmethod
    def _cell_name(nb, index: int) -> str | None:
        # index counts the start probe, which has been removed again
        cells = nb.cells
        if 0 < index <= len(cells):
            return cells[index - 1].get("metadata", {}).get("nbgrader", {}).get("grade_id") or f"cell {index}"
        return None

    def _check_outputs(self, nb, findings: list[dict]) -> None:
        for number, cell in enumerate(nb.cells, start=1):
            if cell.get("cell_type") != "code":
                continue
            name = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") or f"cell {number}"
            for output in cell.get("outputs", []):
                kind = output.get("output_type")
                if kind == "error" and output.get("ename") in ("CellTimeoutError", "KeyboardInterrupt"):
                    findings.append(_finding(
                        "timeout", "review",
                        f"The cell ran longer than {self.timeout} s and was interrupted; grading went on.", name))
                size = len(json.dumps(output.get("data", output.get("text", "")), ensure_ascii=False))
                if size > self.max_output_chars:
                    findings.append(_finding("huge-output", "review",
                                             f"An output of {size:,} characters was cut to a notice.", name))
                    output.clear()
                    output.update({"output_type": "stream", "name": "stdout",
                                   "text": f"[output of {size:,} characters removed by the grader]\n"})
                elif kind == "stream" and output.get("name") == "stderr" and _is_test_cell(cell):
                    # nbgrader scores a test cell 0 for any stderr text, so one library warning
                    # would cost a correct answer. Tests fail by raising, so stderr is only noise.
                    output["name"] = "stdout"
                    output["text"] = "[printed to stderr, not counted against you]\n" + _text(output.get("text", ""))
                    findings.append(_finding("stderr-in-test", "note",
                                             "A test cell printed to stderr (usually a library warning); "
                                             "kept as text, not counted as a failure.", name))


class FlagForReview(Preprocessor):
    """After ``SaveAutoGrades``: flag the submission and write its integrity report."""

    enabled = Bool(True).tag(config=True)

    def preprocess(self, nb, resources):
        from nbgrader.api import Gradebook

        info = resources["nbgrader"]
        report = nb.metadata.get(INTEGRITY_KEY, {"findings": []})
        findings = report.get("findings", [])
        severity = max((_SEVERITY_ORDER[f["severity"]] for f in findings), default=-1)
        status = {-1: "ok", 0: "ok", 1: "review", 2: "withheld"}[severity]
        if status != "ok":
            with Gradebook(info["db_url"]) as gb:
                submitted = gb.find_submission_notebook(info["notebook"], info["assignment"], info["student"])
                submitted.flagged = True
                if status == "withheld":  # the scores were zeroed: a human must give them
                    for grade in submitted.grades:
                        if grade.cell.cell_type == "code" and grade.auto_score is not None:
                            grade.needs_manual_grade = True
                gb.db.commit()
        # the preprocessor's parent is nbconvert's exporter, whose parent is nbgrader's converter
        coursedir = getattr(getattr(getattr(self, "parent", None), "parent", None), "coursedir", None)
        root = Path(coursedir.root) if coursedir is not None else Path.cwd()
        folder = root / "reports" / info["assignment"] / info["student"]
        folder.mkdir(parents=True, exist_ok=True)
        record = {"assignment": info["assignment"], "student": info["student"], "notebook": info["notebook"],
                  "status": status, "findings": findings}
        target = folder / f"{info['notebook']}.integrity.json"
        temporary = target.with_suffix(".tmp")
        temporary.write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        os.replace(temporary, target)
        return nb, resources
