"""Autograde preprocessor: show each widget question's saved answer as text to the grader.

A widget keeps no state in the notebook, so formgrader and the feedback would show an empty
widget cell, and nbgrader's ``SaveAutoGrades`` comments "No response." on every widget cell the
student did not edit (its checksum is the released one: ``nbgrader.utils.compute_checksum``)
although the answer was saved in ``answers/<question>.json`` and scored.

Runs after ``SaveAutoGrades``. For each question of the lesson's reference file it reads the
submission's answer file the way :class:`~medialit.grader.score_answers.ScoreAnswers` does
(:func:`medialit.answers.read_answer_file`: a regular file only, at most ``max_answer_bytes``,
checked against the answer schema), and:

- appends the answer as readable text (the marked passages, the chosen options with their
  text, ...; :mod:`medialit.views.answers`) to the outputs of the cell that creates the widget
  (found by parsing the cells' code), or of the question's test cell when there is none;
- replaces the "No response." auto comment of that cell in the gradebook with a short note
  that the answer was given with the widget. An unanswered question keeps "No response.".

The text is escaped and never includes the reference.

>>> ShowAnswers().enabled
True
"""

from __future__ import annotations

import ast

from nbconvert.preprocessors import Preprocessor
from traitlets import Bool, Integer, Unicode

from ..answers import MAX_ANSWER_BYTES, read_answer_file, text_hash
from ..course import parse_cell, widget_calls
from ..references import REFERENCES_DIR, load_references, reference_text
from ..views.answers import answer_html, answer_lines
from .findings import is_test_cell, source_of
from .score_answers import references_path, submission_folder

__all__ = ["ShowAnswers", "quiz_options"]

NO_RESPONSE = "No response."  # nbgrader.preprocessors.SaveAutoGrades._add_comment


def quiz_options(source: str) -> dict[str, dict[str, str]]:
    """The options of every quiz a cell's code creates with a literal dict: ``{question_id: {key: text}}``
    (the widgets themselves are found by :func:`medialit.course.widget_calls`).

    >>> quiz_options('q = Quiz("q1", "Which?", {"a": "may", "b": "clearly"})\\nq')
    {'q1': {'a': 'may', 'b': 'clearly'}}
    """
    found: dict[str, dict[str, str]] = {}
    tree = parse_cell(source)
    for node in ast.walk(tree) if tree else ():
        if not (isinstance(node, ast.Call) and (getattr(node.func, "id", None) or getattr(node.func, "attr", None)) == "Quiz"):
            continue
        args = {k.arg: k.value for k in node.keywords if k.arg}
        qid = node.args[0] if node.args else args.get("question_id")
        options = node.args[2] if len(node.args) > 2 else args.get("options")
        try:
            value = ast.literal_eval(options) if options is not None else None
        except (ValueError, SyntaxError, TypeError):
            continue
        if isinstance(qid, ast.Constant) and isinstance(value, dict) and all(isinstance(v, str) for v in value.values()):
            found[str(qid.value)] = {str(k): v for k, v in value.items()}
    return found


class ShowAnswers(Preprocessor):
    """Write each widget answer as text into the notebook, and no "No response." for it."""

    enabled = Bool(True, help="Whether to show widget answers as text (on: nbgrader lists it by name).").tag(config=True)
    references_dir = Unicode(REFERENCES_DIR, help="Folder of the reference files (<lesson>.json), relative to the "
                                                  "course root unless absolute (as for ScoreAnswers).").tag(config=True)
    max_answer_bytes = Integer(MAX_ANSWER_BYTES, help="Largest answer file read, in bytes (as for ScoreAnswers)."
                               ).tag(config=True)

    def preprocess(self, nb, resources):
        info = resources["nbgrader"]
        path = references_path(self, self.references_dir, info["assignment"])
        if not path.is_file():
            return nb, resources
        questions = load_references(path)["questions"]
        answers = submission_folder(self, info, resources) / "answers"
        released = self._released_sources(info)
        creators: dict[str, tuple[object, dict]] = {}
        for cell in nb.cells:
            if cell.get("cell_type") != "code":
                continue
            grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
            source = released.get(grade_id) or source_of(cell)
            options = quiz_options(source)
            for _, qid in widget_calls(source):
                creators.setdefault(qid, (cell, {"options": options.get(qid)}))
        answered: list[tuple[str, str]] = []
        for qid, question in questions.items():
            cell, call = creators.get(qid, (None, {}))
            if cell is None:
                cell = next((c for c in nb.cells if is_test_cell(c)
                             and c.get("metadata", {}).get("nbgrader", {}).get("grade_id") == question["cell"]), None)
            if cell is None:
                continue
            document = reference_text(question)
            found = read_answer_file(answers / f"{qid}.json", question_id=qid, kind=question["kind"],
                                     text_sha=text_hash(document.text) if document is not None else None,
                                     max_bytes=self.max_answer_bytes)
            if found.ok:
                record = found.record
                lines = answer_lines(question["kind"], record["answer"], document=document,
                                     context=record.get("context"), options=call.get("options"))
            else:
                what = "no saved answer was found" if found.reason == "missing" else f"the saved answer {found.problem}"
                lines = [f"None shown: {what}."]
            cell.setdefault("outputs", []).append(self._output(qid, lines))
            grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
            if found.ok and grade_id:
                answered.append((grade_id, f"Answered with the widget; the answer is shown below the cell "
                                           f"(answers/{qid}.json)."))
        self._replace_no_response(info, answered)
        return nb, resources

    @staticmethod
    def _output(qid: str, lines: list[str]):
        from nbformat.v4 import new_output

        plain = f"Answer saved with the widget: {qid} (answers/{qid}.json)\n" + "\n".join(f"  {line}" for line in lines)
        return new_output("display_data", data={"text/html": answer_html(qid, lines), "text/plain": plain})

    def _gradebook(self, info: dict):
        if not info.get("db_url"):
            return None
        from nbgrader.api import Gradebook

        return Gradebook(info["db_url"])

    def _released_sources(self, info: dict) -> dict[str, str]:
        """The released source of every graded or solution cell (the instructor's code, which the
        student saw: a quiz's options are read from it rather than from the student's copy)."""
        gradebook = self._gradebook(info)
        if gradebook is None:
            return {}
        try:
            with gradebook as gb:
                notebook = gb.find_notebook(info["notebook"], info["assignment"])
                return {cell.name: cell.source for cell in notebook.source_cells}
        except Exception as error:  # noqa: BLE001 - no gradebook entry: use the cells as they are
            self.log.debug("No released sources for %s: %s", info.get("notebook"), error)
            return {}

    def _replace_no_response(self, info: dict, answered: list[tuple[str, str]]) -> None:
        gradebook = self._gradebook(info)
        if gradebook is None or not answered:
            return
        from nbgrader.api import MissingEntry

        with gradebook as gb:
            for grade_id, note in answered:
                try:
                    comment = gb.find_comment(grade_id, info["notebook"], info["assignment"], info["student"])
                except MissingEntry:
                    continue
                if comment.auto_comment == NO_RESPONSE:
                    comment.auto_comment = note
            gb.db.commit()
