"""Autograde preprocessor: score widget answers on the grader's side, not in the student's kernel.

Runs after ``GuardedExecute`` and ``CapOutputs`` and before nbgrader's ``SaveAutoGrades``. For
each test cell that a lesson's reference file (``references/<lesson>.json`` at the course root)
names, it reads that submission's ``answers/<question>.json`` from the autograded folder (a
regular file only, at most ``max_answer_bytes``), checks it against the answer schema, scores it
with :mod:`medialit.scoring` and sets the cell's outputs so that ``SaveAutoGrades`` records the
score: one short line for the student (never the reference) and the points as the cell's result,
which nbgrader takes as partial credit (``nbgrader.utils.determine_grade``: an ``error`` output
first means 0, else the first ``execute_result`` that is a number). The kernel ran the cell's
visible check (an answer was saved); its error, if any, stays and the cell scores 0.

A cell whose scores ``GuardedExecute`` withheld (an ``IntegrityError`` first) keeps it first
and scores 0. A file that is invalid, a link, too large, for another kind of question or from
another version of the text scores 0 with a message that names the problem, and is recorded
as an integrity finding (``note`` for another text, ``review`` for the rest).

>>> result_output(2.5).data["text/plain"]
'2.5'
"""

from __future__ import annotations

from pathlib import Path

from nbconvert.preprocessors import Preprocessor
from traitlets import Bool, Integer, Unicode

from ..answers import MAX_ANSWER_BYTES, read_answer_file, text_hash
from ..references import REFERENCES_DIR, load_references, reference_text
from ..scoring import score
from .check_submission import _converter_paths, course_root
from .findings import finding, is_test_cell, report

__all__ = ["ScoreAnswers", "result_output", "references_path", "submission_folder"]

#: What to tell the student per problem with the answer file (after "<question>: the saved answer ...").
_ADVICE = {
    "missing": "Answer the question with its widget (it saves itself to answers/{qid}.json) and submit the "
               "answers folder with the notebook.",
    "other-text": "Run the widget's cell again in your current lesson notebook and answer again.",
    "other-kind": "Answer again with this question's widget.",
    "other-question": "Answer again with this question's widget.",
}
_DEFAULT_ADVICE = "Answer again with the widget (it replaces the file), or ask your instructor."


def result_output(points: float, execution_count: int | None = None):
    """The ``execute_result`` that nbgrader reads as the cell's partial credit."""
    from nbformat.v4 import new_output

    return new_output("execute_result", data={"text/plain": f"{points:g}"}, execution_count=execution_count)


def references_path(preprocessor, references_dir: str, lesson: str) -> Path:
    """``<references_dir>/<lesson>.json``, relative to the course root unless absolute."""
    folder = Path(references_dir)
    if not folder.is_absolute():
        folder = course_root(preprocessor) / folder
    return folder / f"{lesson}.json"


def submission_folder(preprocessor, info: dict, resources: dict) -> Path:
    """The autograded folder of the submission being graded (where its ``answers/`` is)."""
    paths = _converter_paths(preprocessor, info)
    if paths is not None:
        return paths[1]
    return Path(resources.get("metadata", {}).get("path") or ".")


def _stdout(text: str):
    from nbformat.v4 import new_output

    return new_output("stream", name="stdout", text=text.rstrip("\n") + "\n")


def _explanations(question: dict, answer: dict) -> list[tuple[str, str]]:
    """For a quiz, the author's explanation of every option, the chosen ones first (shown in the
    released feedback only: the notebook shows none, so no option's note gives the key away)."""
    notes = question.get("explanations") or {}
    chosen = [k for k in answer.get("selected", []) if k in notes] if isinstance(answer, dict) else []
    return [(k, ("you chose this. " if k in chosen else "") + notes[k]) for k in chosen + [k for k in notes if k not in chosen]]


class ScoreAnswers(Preprocessor):
    """Score each widget question's saved answer against the lesson's reference file."""

    enabled = Bool(True, help="Whether to score widget answers (on: nbgrader lists it by name).").tag(config=True)
    references_dir = Unicode(REFERENCES_DIR, help="Folder of the reference files (<lesson>.json), relative to the "
                                                  "course root unless absolute. Keep it outside lessons/: nbgrader "
                                                  "copies every file of a lesson folder to students.").tag(config=True)
    max_answer_bytes = Integer(MAX_ANSWER_BYTES, help="Largest answer file read, in bytes; a larger one scores 0 "
                                                      "and is flagged for review.").tag(config=True)

    def preprocess(self, nb, resources):
        info = resources["nbgrader"]
        path = references_path(self, self.references_dir, info["assignment"])
        if not path.is_file():
            self.log.warning("No reference file %s: the widget questions of %s are not scored (a test cell that "
                             "only checks that an answer was saved gives full points).", path, info["assignment"])
            return nb, resources
        references = load_references(path)  # an instructor's mistake: fail loudly, naming the file
        by_cell = {q["cell"]: (qid, q) for qid, q in references["questions"].items()}
        answers = submission_folder(self, info, resources) / "answers"
        findings = report(nb)["findings"]
        for cell in nb.cells:
            grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
            if grade_id in by_cell and is_test_cell(cell):
                qid, question = by_cell[grade_id]
                self._score_cell(cell, qid, question, answers / f"{qid}.json", findings)
        return nb, resources

    def _score_cell(self, cell, qid: str, question: dict, path: Path, findings: list[dict]) -> None:
        outputs = list(cell.get("outputs", []))
        withheld = bool(outputs) and outputs[0].get("output_type") == "error" \
            and outputs[0].get("ename") == "IntegrityError"
        points = question["points"]
        document = reference_text(question)
        text_sha = text_hash(document.text) if document is not None else None
        found = read_answer_file(path, question_id=qid, kind=question["kind"], text_sha=text_sha,
                                 max_bytes=self.max_answer_bytes)
        cell_id = cell["metadata"]["nbgrader"]["grade_id"]
        if found.ok:
            result = score(question["kind"], found.record["answer"], question["reference"], points=points,
                           words=document.word_tokens if document is not None else None,
                           alternatives=question.get("alternatives", ()),
                           options=list(question["explanations"]) if question.get("explanations") else None)
            earned, line = result.points, f"{qid}: {result.message}"
            line += "".join(f"\n  ({key}) {text}" for key, text in _explanations(question, found.record["answer"]))
        else:
            earned = 0.0
            advice = _ADVICE.get(found.reason, _DEFAULT_ADVICE).format(qid=qid)
            what = "no saved answer was found" if found.reason == "missing" else f"the saved answer {found.problem}"
            line = f"{qid}: {what} -> 0 of {points:g} points. {advice}"
            if found.reason == "other-text":
                findings.append(finding("answer-other-text", "note",
                                        f"answers/{qid}.json {found.problem}; scored 0.", cell_id))
            elif found.reason != "missing":
                findings.append(finding("answer-file-invalid", "review",
                                        f"answers/{qid}.json {found.problem}; scored 0.", cell_id))
        if withheld:
            # scores withheld for the whole notebook: the IntegrityError stays first, the cell scores 0
            cell.outputs = outputs + [_stdout(f"{qid}: not scored automatically (held for review).")]
            return
        kept = [o for o in outputs if o.get("output_type") != "execute_result"]
        failed = any(o.get("output_type") == "error" or (o.get("output_type") == "stream" and o.get("name") == "stderr")
                     for o in kept)
        if failed and found.ok:  # nbgrader gives 0 for the failed visible check; say so, not the points
            line = f"{qid}: the check above failed, so 0 of {points:g} points (the answer itself: {result.message})."
            earned = 0.0
        cell.outputs = kept + [_stdout(line), result_output(earned, cell.get("execution_count"))]
