"""Feedback preprocessor: no hidden-test line in any output, whatever student code printed.

nbgrader's ``ClearHiddenTests`` removes hidden tests from the test cells' *source*. Student
code can still print them: from a hook that sees each cell's code, from ``In`` or ``linecache``
in a later cell. This preprocessor (listed *before* ``ClearHiddenTests``) collects the lines
between the hidden-test delimiters of every test cell, then removes every output line that
contains one of them (compared without white space; lines shorter than ``min_chars`` after
that, such as ``)``, are too common to matter and are left alone). In a notebook whose scores
were withheld for tampering, no output of the student's kernel is shown at all, only the reason
(the tampering code could have printed the tests in any encoding).

>>> from nbformat.v4 import new_notebook, new_code_cell, new_output
>>> test = new_code_cell("check()\\n### BEGIN HIDDEN TESTS\\nassert answer == 42, 'secret'\\n### END HIDDEN TESTS",
...                      metadata={"nbgrader": {"grade": True, "solution": False}})
>>> student = new_code_cell("print(In)")
>>> student.outputs = [new_output("stream", name="stdout", text="ok\\n['assert answer == 42, \\'secret\\'']\\n")]
>>> nb, _ = ScrubFeedback().preprocess(new_notebook(cells=[test, student]), {})
>>> nb.cells[1].outputs[0].text
'ok\\n[line removed: it quoted a hidden test]\\n'
"""

from __future__ import annotations

import re

from nbconvert.preprocessors import Preprocessor
from traitlets import Bool, Integer, Unicode

from .findings import is_test_cell, source_of, text_of

__all__ = ["ScrubFeedback", "hidden_lines"]

_NOTICE = "[line removed: it quoted a hidden test]"
_SPACE = re.compile(r"\s+")


def _squeeze(text: str) -> str:
    return _SPACE.sub("", text)


def hidden_lines(nb, begin: str = "BEGIN HIDDEN TESTS", end: str = "END HIDDEN TESTS",
                 min_chars: int = 8) -> set[str]:
    """The hidden-test lines of a notebook's test cells, white space removed."""
    found: set[str] = set()
    for cell in nb.cells:
        if not is_test_cell(cell):
            continue
        inside = False
        for line in source_of(cell).splitlines():
            if begin in line:
                inside = True
            elif end in line:
                inside = False
            elif inside and len(_squeeze(line)) >= min_chars:
                found.add(_squeeze(line))
    return found


def _withheld(nb) -> bool:
    """Whether the grader withheld this notebook's scores (its test cells carry an IntegrityError)."""
    return any(output.get("ename") == "IntegrityError" for cell in nb.cells if is_test_cell(cell)
               for output in cell.get("outputs", []))


class ScrubFeedback(Preprocessor):
    """Remove output lines that quote hidden tests (list it before ``ClearHiddenTests``)."""

    enabled = Bool(True, help="Whether to scrub feedback (on: nbgrader lists it by name).").tag(config=True)
    begin_test_delimeter = Unicode("BEGIN HIDDEN TESTS", help="nbgrader's delimiter (same spelling as "
                                                              "ClearHiddenTests).").tag(config=True)
    end_test_delimeter = Unicode("END HIDDEN TESTS", help="nbgrader's end delimiter.").tag(config=True)
    min_chars = Integer(8, help="Hidden lines shorter than this (without white space) are not searched for.").tag(
        config=True)

    def preprocess(self, nb, resources):
        if _withheld(nb):
            # the student's code subverted the tests: none of what it printed is shown, only why
            for cell in nb.cells:
                if cell.get("cell_type") == "code":
                    cell["outputs"] = [o for o in cell.get("outputs", []) if o.get("ename") == "IntegrityError"]
            return nb, resources
        secret = hidden_lines(nb, self.begin_test_delimeter, self.end_test_delimeter, self.min_chars)
        if not secret:
            return nb, resources
        for cell in nb.cells:
            for output in cell.get("outputs", []) if cell.get("cell_type") == "code" else []:
                self._scrub(output, secret)
        return nb, resources

    def _clean(self, text: str, secret: set[str]) -> str:
        lines = text.splitlines(keepends=True)
        out = []
        for line in lines:
            squeezed = _squeeze(line)
            if any(s in squeezed for s in secret) or (len(squeezed) >= self.min_chars
                                                       and any(squeezed in s for s in secret)):
                out.append(_NOTICE + ("\n" if line.endswith("\n") else ""))
            else:
                out.append(line)
        return "".join(out)

    def _scrub(self, output, secret: set[str]) -> None:
        kind = output.get("output_type")
        if kind == "stream":
            output["text"] = self._clean(text_of(output.get("text", "")), secret)
        elif kind == "error":
            output["evalue"] = self._clean(str(output.get("evalue", "")), secret)
            output["traceback"] = [self._clean(text_of(line), secret) for line in output.get("traceback", [])]
        elif kind in ("execute_result", "display_data"):
            data = output.get("data", {})
            for mime in list(data):
                if mime.startswith("text/") or mime.endswith("json"):
                    value = data[mime]
                    if isinstance(value, (str, list)):
                        data[mime] = self._clean(text_of(value), secret)
