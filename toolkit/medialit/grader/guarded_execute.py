"""Execution preprocessor: nbgrader's ``Execute`` in a sandbox, between two probes, with a
receipt from every test cell.

* The kernel runs in :class:`~medialit.grader.sandbox.SandboxKernelManager` (unless
  ``GuardedExecute.sandboxed`` is off, which ``medialit grade --unsafe-no-sandbox`` does).
* A probe cell runs first (before any student code) and one last; they record the kernel's
  state (input and AST transformers, event hooks, trace functions, shell methods, built-ins,
  the grading helpers and their code objects). See :mod:`medialit.grader.probe_kernel`.
* Every test cell is sent with one extra first line that prints a nonce and a digest of that
  state. A test cell whose receipt is missing did not run as written (an input transformer
  emptied or rewrote it); one whose digest differs ran in a kernel the student's code had
  changed. Both withhold the notebook's automatic scores for review. The line is removed from
  the cell and its output again afterwards.
* A kernel that dies, or a cell that ignores the interrupt at the timeout, is reported and the
  notebook is graded as far as it got. Warnings a library prints to stderr in a test cell are
  kept as text but do not zero the test.
* Instructor-owned gradebook values that change while the notebook runs are reported.
"""

from __future__ import annotations

import json
import secrets
from typing import Any

from nbconvert.preprocessors import Preprocessor
from traitlets import Bool

from . import probe_kernel
from .check_submission import imported_helpers
from .findings import finding, is_test_cell, report, text_of
from .gradebook_watch import changes, snapshot, sqlite_path

__all__ = ["GuardedExecute", "compare_probes"]

_PROBE_MARK = "medialit-probe"

try:  # nbgrader is only needed by instructors; the module must import without it
    from nbgrader.preprocessors import Execute as _Execute
except ImportError:  # pragma: no cover - exercised only without nbgrader installed
    _Execute = Preprocessor  # type: ignore[misc,assignment]


def _probe_cell(call: str) -> Any:
    from nbformat.v4 import new_code_cell

    cell = new_code_cell(probe_kernel.cell_code(call) if call else "")
    cell.metadata[_PROBE_MARK] = True
    return cell


def _first_student_cell(nb) -> int:
    """Where the first probe goes: before the first code cell a student can edit (an answer
    cell, or a cell without nbgrader metadata), so the lesson's own set-up is the baseline."""
    from nbgrader.utils import is_locked, is_solution

    for index, cell in enumerate(nb.cells):
        if cell.get("cell_type") == "code" and (is_solution(cell) or not is_locked(cell)):
            return index
    return len(nb.cells)


def _nonce_lines(cell: Any, nonce: str, remove: bool = False) -> list[str]:
    """What the cell printed after ``nonce`` on its standard output (and, with ``remove``,
    those lines taken out of the outputs)."""
    found = []
    for output in cell.get("outputs", []):
        if output.get("output_type") != "stream" or output.get("name") != "stdout":
            continue
        kept = []
        for line in text_of(output.get("text", "")).splitlines(keepends=True):
            if line.startswith(nonce + " "):
                found.append(line[len(nonce) + 1:].rstrip("\n"))
            else:
                kept.append(line)
        if remove:
            output["text"] = "".join(kept)
    if remove:
        cell["outputs"] = [o for o in cell.get("outputs", [])
                           if not (o.get("output_type") == "stream" and not o.get("text"))]
    return found


def _probe_output(cell: Any, nonce: str) -> dict | None:
    for line in _nonce_lines(cell, nonce):
        try:
            return json.loads(line)
        except ValueError:
            return None
    return None


def compare_probes(before: dict, after: dict) -> list[tuple[str, str]]:
    """What changed in the kernel between the two probes: ``(severity, description)`` pairs.

    A hook or transformer defined in the notebook itself (module ``__main__``) is ``withheld``
    evidence; one added by an imported library (a plotting backend, say) is only ``review``.
    Replaced built-ins or grading helpers and overridden shell methods are always ``withheld``.

    >>> compare_probes({"ast_transformers": []}, {"ast_transformers": ["__main__.f@1/2"]})
    [('withheld', 'ast_transformers: added __main__.f@1/2')]
    >>> compare_probes({"events": {"post_execute": []}}, {"events": {"post_execute": ["ipympl.flush@2/3"]}})
    [('review', 'events post_execute: added ipympl.flush@2/3')]
    >>> compare_probes({"medialit.grading": {"expect": "1/2"}}, {"medialit.grading": {"expect": "1/3"}})
    [('withheld', 'medialit.grading replaced: expect')]
    """

    def lists(key: str, old: list, new: list) -> list[tuple[str, str]]:
        added, removed = sorted(set(new) - set(old)), sorted(set(old) - set(new))
        if not added and not removed:
            return []
        parts = ([f"added {', '.join(added)}"] if added else []) + ([f"removed {', '.join(removed)}"] if removed else [])
        from_notebook = key == "shell_methods" or any(a.startswith(("__main__.", "?.")) for a in added)
        return [("withheld" if from_notebook else "review", f"{key}: {'; '.join(parts)}")]

    found: list[tuple[str, str]] = []
    for key in sorted(set(before) | set(after)):
        old, new = before.get(key), after.get(key)
        if old == new:
            continue
        if isinstance(old, list) and isinstance(new, list):
            found += lists(key, old, new)
        elif key == "events" and isinstance(old, dict) and isinstance(new, dict):
            for event in sorted(set(old) | set(new)):
                found += lists(f"events {event}", old.get(event, []), new.get(event, []))
        elif isinstance(old, dict) and isinstance(new, dict):
            names = sorted(name for name in set(old) | set(new) if old.get(name) != new.get(name))
            found.append(("withheld", f"{key} replaced: {', '.join(names)}"))
        else:
            found.append(("withheld", f"{key} changed: {old!r} -> {new!r}"))
    return found


def _error_output(ename: str, message: str) -> Any:
    from nbformat.v4 import new_output

    return new_output("error", ename=ename, evalue=message, traceback=[f"{ename}: {message}"])


def _cell_name(cell: Any, number: int) -> str:
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") or f"cell {number}"


class GuardedExecute(_Execute):  # type: ignore[misc,valid-type]
    """nbgrader's ``Execute`` in the sandbox, with probes, receipts and kernel-death handling."""

    sandboxed = Bool(True, help="Run each submission's kernel in the bubblewrap sandbox "
                                "(medialit.grader.sandbox). Turning this off lets student code reach the "
                                "course folder, the gradebook and other students.").tag(config=True)
    receipts = Bool(True, help="Prepend a receipt line to every test cell and withhold scores when one is "
                               "missing or shows a changed kernel.").tag(config=True)

    def create_kernel_manager(self):
        if self.sandboxed:
            from .sandbox import SandboxKernelManager

            self.kernel_manager_class = SandboxKernelManager
        return super().create_kernel_manager()

    def preprocess(self, nb, resources=None, km=None):
        findings = report(nb)["findings"]
        start_nonce, self._end_nonce = secrets.token_hex(12), secrets.token_hex(12)
        self._receipt_nonce = secrets.token_hex(12)
        self._receipts: dict[int, list[str]] = {}
        self._scope: dict | None = None
        self._record_nonce = secrets.token_hex(12)
        self._expected: dict[str, str] = {}  # names read-only cells bound -> their identity then
        self._expected_at: dict[int, dict] = {}  # test cell -> the names expected when it ran
        db_path = sqlite_path((resources or {}).get("nbgrader", {}).get("db_url", ""))
        gradebook = str(db_path.resolve()) if db_path else None
        start = _probe_cell(f"_medialit_probe_start({start_nonce!r}, {gradebook!r})")
        start.metadata[_PROBE_MARK] = "start"
        self._start, self._start_nonce = start, start_nonce
        end = _probe_cell("")  # its code is written once the first probe has said what to watch
        end.metadata[_PROBE_MARK] = "end"
        self._helpers = imported_helpers(nb)
        before = snapshot(db_path)
        self._medialit_dead: Any = None
        self._medialit_stop = ""
        nb.cells.insert(_first_student_cell(nb), start)
        nb.cells.append(end)
        self._insert_records(nb)
        try:
            nb, resources = super().preprocess(nb, resources, km)
        finally:
            nb.cells = [cell for cell in nb.cells if not cell.get("metadata", {}).get(_PROBE_MARK)]

        withheld: list[str] = []
        first, last = _probe_output(start, start_nonce), _probe_output(end, self._end_nonce)
        if first is None:
            findings.append(finding("probe-failed", "review",
                                    "The integrity check could not start; the submission was graded without it."))
        else:
            withheld += self._check_receipts(nb, first.get("digest"))
            if last is None:
                if self._medialit_dead is None:
                    withheld.append("the final integrity check did not run as written (cells were rewritten before "
                                    "running, or output was hijacked)")
            else:
                withheld += self._check_end(first, last, findings)
        if self._medialit_dead is not None:
            where = _cell_name(self._medialit_dead, nb.cells.index(self._medialit_dead) + 1) \
                if self._medialit_dead in nb.cells else None
            if self._medialit_stop == "died":
                findings.append(finding("kernel-died", "review",
                                        "The kernel stopped (os._exit, a crash or running out of memory); the "
                                        "notebook was graded as far as it got and the cells after it scored 0.", where))
            else:
                findings.append(finding("timeout", "review",
                                        f"A cell ran past {self.timeout} s and ignored the interrupt; the notebook "
                                        "was graded as far as it got and the cells after it scored 0.", where))
        self._check_outputs(nb, findings)
        if before is not None and db_path is not None:
            changed = changes(db_path, before)
            if changed:
                shown = "; ".join(changed[:3]) + (f"; ... ({len(changed) - 3} more)" if len(changed) > 3 else "")
                findings.append(finding(
                    "gradebook-changed", "review",
                    f"Instructor-owned gradebook values changed while this notebook ran ({len(changed)}: {shown}). "
                    "The sandboxed kernel cannot see the gradebook, so another program did: another grading run, "
                    "or someone grading by hand. Compare with the backups in reports/<lesson>/backups/."))
        unique: dict[tuple, dict] = {}
        for item in findings:
            unique.setdefault((item["kind"], item["cell"], item["severity"]), item)
        findings[:] = unique.values()
        for reason in withheld:
            findings.append(finding("tampering", "withheld", reason[0].upper() + reason[1:] + "."))
        if withheld:
            message = ("Held for review: this notebook's automatic tests cannot be trusted because "
                       + withheld[0] + ". An instructor will grade it by hand.")
            for cell in nb.cells:
                if is_test_cell(cell):
                    # first, so that nbgrader sees it before any numeric result (partial credit)
                    cell.setdefault("outputs", []).insert(0, _error_output("IntegrityError", message))
        return nb, resources

    def _insert_records(self, nb) -> None:
        """After every read-only cell that binds names (imports, functions, constants), a cell
        that records their identity; later receipts must show the same."""
        from nbformat.v4 import new_code_cell
        from nbgrader.utils import is_locked

        cells = []
        for cell in nb.cells:
            cells.append(cell)
            if cell.get("cell_type") == "code" and is_locked(cell) and not is_test_cell(cell) \
                    and not cell.get("metadata", {}).get(_PROBE_MARK):
                names = probe_kernel.bound_names(cell.source)
                if names:
                    record = new_code_cell(probe_kernel.record_code(self._record_nonce, names))
                    record.metadata[_PROBE_MARK] = "record"
                    cells.append(record)
        nb.cells = cells

    def _check_end(self, first: dict, last: dict, findings: list[dict]) -> list[str]:
        withheld = []
        found = compare_probes(first["state"], last["state"])
        if last.get("replaced"):
            found.append(("withheld", f"grading helpers redefined in the notebook: {', '.join(last['replaced'])}"))
        serious = [text for severity, text in found if severity == "withheld"]
        if serious:
            withheld.append("the student's code changed how cells run or replaced grading helpers: "
                            + "; ".join(serious))
        for severity, text in found:
            if severity == "review":
                findings.append(finding("hook-added", "review",
                                        f"A library changed how cells run ({text}); check that it is harmless."))
        if last.get("gradebook"):
            withheld.append("the student's code tried to open the gradebook (refused)")
        reads = last.get("reads", [])
        if reads:
            findings.append(finding("nbgrader-env-read", "review",
                                    f"Student code read {', '.join(reads)} (it can behave differently when graded)."))
        return withheld

    def _check_receipts(self, nb, digest: str | None) -> list[str]:
        """Every test cell that ran must have printed one receipt with the first probe's digest."""
        if not self.receipts:
            return []
        missing, changed, rebound = [], [], set()
        for number, cell in enumerate(nb.cells, start=1):
            if not is_test_cell(cell) or id(cell) not in self._receipts:
                continue
            got = self._receipts[id(cell)]
            if not got:
                missing.append(_cell_name(cell, number))
                continue
            for line in got:
                try:
                    receipt = json.loads(line)
                except ValueError:
                    receipt = {}
                if receipt.get("digest") != digest:
                    changed.append(_cell_name(cell, number))
                expected = self._expected_at.get(id(cell), {})
                rebound |= {name for name, value in expected.items() if receipt.get("watched", {}).get(name) != value}
        reasons = []
        if missing:
            reasons.append(f"test cells did not run as written ({', '.join(missing)}): student code rewrote or "
                           "emptied them")
        if changed:
            reasons.append(f"test cells ran in a kernel the student's code had changed ({', '.join(changed)}): "
                           "transformers, hooks, built-ins or grading helpers were replaced")
        if rebound:
            reasons.append(f"names the tests rely on were redefined by the student's code ({', '.join(sorted(rebound))})")
        return reasons

    def preprocess_cell(self, cell, resources, index):
        probe = cell.get("metadata", {}).get(_PROBE_MARK)
        if self._medialit_dead is not None:
            if cell.get("cell_type") == "code" and not probe:
                cell.outputs = [_error_output(
                    "NotRun", "Not run: the notebook stopped in an earlier cell (see that cell).")]
            return cell, self.resources
        if probe == "end":
            scope = self._scope or {}
            cell.source = probe_kernel.cell_code(
                f"_medialit_probe_end({self._end_nonce!r}, {self._helpers!r}, {scope.get('modules')!r}, "
                f"{scope.get('names')!r}, {scope.get('pinned')!r})")
        with_receipt = self.receipts and self._scope is not None and is_test_cell(cell)
        original = cell.source
        if with_receipt:
            self._expected_at[id(cell)] = dict(self._expected)
            cell.source = probe_kernel.receipt_line(self._receipt_nonce, self._scope["modules"],
                                                    self._scope["names"], self._scope["pinned"],
                                                    sorted(self._expected)) + "\n" + original
        try:
            return super().preprocess_cell(cell, resources, index)
        except Exception as error:  # nbclient's errors for a dead or stuck kernel; others re-raised
            from nbclient.exceptions import CellTimeoutError, DeadKernelError

            if isinstance(error, DeadKernelError):
                self._medialit_dead, self._medialit_stop = cell, "died"
                message = ("The kernel stopped while running this cell (for example os._exit(), a crash or "
                           "running out of memory); the cells after it were not run.")
                cell.outputs.append(_error_output("KernelDied", message))
            elif isinstance(error, CellTimeoutError):
                self._medialit_dead, self._medialit_stop = cell, "stuck"
                message = (f"This cell ran longer than {self.timeout} s and did not stop when interrupted; "
                           "the cells after it were not run.")
                cell.outputs.append(_error_output("CellTimeoutError", message))
            else:
                raise
            return cell, self.resources
        finally:
            if probe == "start":
                first = _probe_output(cell, self._start_nonce)
                self._scope = first.get("scope") if first else None
            elif probe == "record":
                recorded = _probe_output(cell, self._record_nonce)
                if isinstance(recorded, dict):
                    self._expected.update({k: v for k, v in recorded.items() if v != "missing"})
            if with_receipt:
                cell.source = original
                got = _nonce_lines(cell, self._receipt_nonce, remove=True)
                if self._medialit_dead is not cell:  # a cell that killed the kernel has no say
                    self._receipts[id(cell)] = got

    def _check_outputs(self, nb, findings: list[dict]) -> None:
        for number, cell in enumerate(nb.cells, start=1):
            if cell.get("cell_type") != "code":
                continue
            name = _cell_name(cell, number)
            for output in cell.get("outputs", []):
                kind = output.get("output_type")
                if kind == "error" and output.get("ename") in ("CellTimeoutError", "KeyboardInterrupt"):
                    findings.append(finding(
                        "timeout", "review",
                        f"The cell ran longer than {self.timeout} s and was interrupted; grading went on.", name))
                elif kind == "stream" and output.get("name") == "stderr" and is_test_cell(cell):
                    # nbgrader scores a test cell 0 for any stderr text, so one library warning
                    # would cost a correct answer. Tests fail by raising, so stderr is only noise.
                    output["name"] = "stdout"
                    output["text"] = "[printed to stderr, not counted against you]\n" + text_of(output.get("text", ""))
                    findings.append(finding("stderr-in-test", "note",
                                            "A test cell printed to stderr (usually a library warning); "
                                            "kept as text, not counted as a failure.", name))
