"""Autograde preprocessor: outputs capped per output *and* per notebook.

One output over ``max_output_chars`` is replaced by a notice; once the notebook's outputs add up
to ``max_notebook_chars``, every later output is replaced too. Test cells' outputs are kept
first (they carry the scores), so a flood of output in student cells cannot push them out.

>>> from nbformat.v4 import new_notebook, new_code_cell, new_output
>>> nb = new_notebook(cells=[new_code_cell("print('x' * 50)")])
>>> nb.cells[0].outputs = [new_output("stream", name="stdout", text="x" * 50)]
>>> nb, _ = CapOutputs(max_output_chars=10).preprocess(nb, {})
>>> nb.cells[0].outputs[0].text
'[output of 52 characters removed by the grader]\\n'
"""

from __future__ import annotations

import json

from nbconvert.preprocessors import Preprocessor
from traitlets import Bool, Integer

from .findings import finding, is_test_cell, report

__all__ = ["CapOutputs", "MAX_OUTPUT_CHARS", "MAX_NOTEBOOK_CHARS"]

#: The largest legitimate output in lessons 00-06 is a figure of about 120,000 characters of
#: base64 PNG (``benchmarks/bench_lessons.py``); 2,000,000 leaves ample room.
MAX_OUTPUT_CHARS = 2_000_000
#: A whole lesson's outputs are under 1,500,000 characters; 8,000,000 per notebook.
MAX_NOTEBOOK_CHARS = 8_000_000


def _size(output) -> int:
    return len(json.dumps(output.get("data", output.get("text", output.get("traceback", ""))), ensure_ascii=False))


class CapOutputs(Preprocessor):
    """Replace outputs that are too large, alone or together, by a short notice."""

    enabled = Bool(True, help="Whether to cap outputs (on: nbgrader lists it by name).").tag(config=True)
    max_output_chars = Integer(MAX_OUTPUT_CHARS, help="Largest single output kept, in characters.").tag(config=True)
    max_notebook_chars = Integer(MAX_NOTEBOOK_CHARS, help="Largest total of a notebook's outputs kept, "
                                                          "in characters.").tag(config=True)

    def preprocess(self, nb, resources):
        findings = report(nb)["findings"]
        numbered = list(enumerate(nb.cells, start=1))
        # test cells first: their outputs carry the scores and are small
        order = [item for item in numbered if is_test_cell(item[1])] + \
                [item for item in numbered if not is_test_cell(item[1])]
        total = 0
        for number, cell in order:
            if cell.get("cell_type") != "code":
                continue
            name = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") or f"cell {number}"
            for output in cell.get("outputs", []):
                size = _size(output)
                too_big = size > self.max_output_chars
                over_total = total + size > self.max_notebook_chars
                if not (too_big or over_total):
                    total += size
                    continue
                if output.get("output_type") == "error":  # keep the error (it decides the score), cut its text
                    output["traceback"] = [f"{output.get('ename', 'Error')}: [long message removed by the grader]"]
                    output["evalue"] = "[long message removed by the grader]"
                else:
                    output.clear()
                    output.update({"output_type": "stream", "name": "stdout",
                                   "text": f"[output of {size:,} characters removed by the grader]\n"})
                why = "too large" if too_big else "over the notebook's total"
                findings.append(finding("huge-output", "review",
                                        f"An output of {size:,} characters was cut ({why}).", name))
        return nb, resources
