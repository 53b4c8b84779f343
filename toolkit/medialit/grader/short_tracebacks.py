"""Feedback preprocessor: test cells' tracebacks reduced to their last line.

nbgrader's ``ClearHiddenTests`` removes hidden tests from a test cell's *source*, but a failing
test's traceback was recorded while the hidden tests were still there, and IPython prints the
lines around the failing one: hidden test code would show in the feedback. This keeps only the
last line of the traceback of test cells (``AssertionError: <hint>``); printed hints stay.

>>> from nbformat.v4 import new_code_cell, new_output
>>> cell = new_code_cell("...", metadata={"nbgrader": {"grade": True, "solution": False}})
>>> cell.outputs = [new_output("error", ename="AssertionError", evalue="Keep the content.",
...                            traceback=["...", "----> 4 expect(...)", "      6 hidden_line()"])]
>>> ShortTracebacks().preprocess_cell(cell, {}, 0)[0].outputs[0].traceback
['AssertionError: Keep the content.']
"""

from __future__ import annotations

from nbconvert.preprocessors import Preprocessor
from traitlets import Bool

from .findings import is_test_cell

__all__ = ["ShortTracebacks"]


class ShortTracebacks(Preprocessor):
    """Reduce the tracebacks of test cells to their final line (the error and its hint)."""

    # nbconvert preprocessors are off unless enabled; nbgrader registers this one by name.
    enabled = Bool(True, help="Whether to shorten tracebacks (on: nbgrader lists it by name).").tag(config=True)

    def preprocess_cell(self, cell, resources, index):
        if is_test_cell(cell):
            for output in cell.get("outputs", []):
                if output.get("output_type") == "error":
                    output["traceback"] = [f"{output.get('ename', 'Error')}: {output.get('evalue', '')}"]
        return cell, resources
