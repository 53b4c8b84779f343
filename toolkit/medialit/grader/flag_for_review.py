"""Autograde preprocessor (after ``SaveAutoGrades``): flag the submission and write its
integrity report, ``reports/<assignment>/<student>/<notebook>.integrity.json``."""

from __future__ import annotations

import json

from nbconvert.preprocessors import Preprocessor
from traitlets import Bool

from .._atomic import write_text_atomic
from .check_submission import course_root
from .findings import INTEGRITY_KEY, status_of

__all__ = ["FlagForReview"]


class FlagForReview(Preprocessor):
    """After ``SaveAutoGrades``: flag the submission and write its integrity report."""

    enabled = Bool(True, help="Whether to flag and report (on: nbgrader lists it by name).").tag(config=True)

    def preprocess(self, nb, resources):
        from nbgrader.api import Gradebook

        info = resources["nbgrader"]
        findings = nb.metadata.get(INTEGRITY_KEY, {"findings": []}).get("findings", [])
        status = status_of(findings)
        if status != "ok":
            with Gradebook(info["db_url"]) as gb:
                submitted = gb.find_submission_notebook(info["notebook"], info["assignment"], info["student"])
                submitted.flagged = True
                if status == "withheld":  # the scores were zeroed: a human must give them
                    for grade in submitted.grades:
                        if grade.cell.cell_type == "code" and grade.auto_score is not None:
                            grade.needs_manual_grade = True
                gb.db.commit()
        folder = course_root(self) / "reports" / info["assignment"] / info["student"]
        folder.mkdir(parents=True, exist_ok=True)
        record = {"assignment": info["assignment"], "student": info["student"], "notebook": info["notebook"],
                  "status": status, "findings": findings}
        write_text_atomic(folder / f"{info['notebook']}.integrity.json",
                          json.dumps(record, indent=2, ensure_ascii=False) + "\n")
        return nb, resources
