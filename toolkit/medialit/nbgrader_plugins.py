"""nbgrader plug-ins for the medialit course (enabled in ``nbgrader_config.py``).

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

from nbconvert.preprocessors import Preprocessor
from traitlets import Bool

__all__ = ["ShortTracebacks"]


class ShortTracebacks(Preprocessor):
    """Reduce the tracebacks of test cells to their final line (the error and its hint)."""

    # nbconvert preprocessors are off unless enabled; nbgrader registers this one by name.
    enabled = Bool(True).tag(config=True)

    def preprocess_cell(self, cell, resources, index):
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if cell.get("cell_type") == "code" and meta.get("grade") and not meta.get("solution"):
            for output in cell.get("outputs", []):
                if output.get("output_type") == "error":
                    output["traceback"] = [f"{output.get('ename', 'Error')}: {output.get('evalue', '')}"]
        return cell, resources
