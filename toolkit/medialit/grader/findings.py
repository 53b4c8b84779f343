"""Integrity findings: how the grader's preprocessors record what they saw in a submission.

A finding travels in the notebook's metadata (``INTEGRITY_KEY``) from the preprocessor that
made it to :class:`~medialit.grader.flag_for_review.FlagForReview`, which writes the report.

>>> finding("timeout", "review", "The cell ran too long.", "t-words")["severity"]
'review'
>>> status_of([finding("a", "note", "x"), finding("b", "review", "y")])
'review'
"""

from __future__ import annotations

from typing import Any

__all__ = ["INTEGRITY_KEY", "SEVERITIES", "finding", "report", "status_of", "is_test_cell", "source_of", "text_of"]

#: Where the integrity findings travel inside the notebook's metadata between the preprocessors.
INTEGRITY_KEY = "medialit_integrity"

#: Severity of a finding, least to most serious: ``note`` (listed only), ``review`` (scores
#: stand, the submission is flagged in the gradebook), ``withheld`` (evidence that the tests
#: were subverted: every test cell scores 0 with a message and needs a manual grade).
SEVERITIES = ("note", "review", "withheld")


def finding(kind: str, severity: str, detail: str, cell: str | None = None) -> dict:
    """One finding as plain data."""
    if severity not in SEVERITIES:
        raise ValueError(f"Unknown severity {severity!r}; use one of {', '.join(SEVERITIES)}.")
    return {"kind": kind, "severity": severity, "cell": cell, "detail": detail}


def report(nb: Any) -> dict:
    """The notebook's integrity record (created empty if missing)."""
    meta = nb.metadata.setdefault(INTEGRITY_KEY, {})
    meta.setdefault("findings", [])
    return meta


def status_of(findings: list[dict]) -> str:
    """``ok`` (nothing, or notes only), ``review`` or ``withheld``: the most serious finding."""
    rank = max((SEVERITIES.index(f["severity"]) for f in findings), default=-1)
    return "ok" if rank <= 0 else SEVERITIES[rank]


def is_test_cell(cell: Any) -> bool:
    """An autograded test cell: a graded code cell that is not a solution cell."""
    from nbgrader.utils import is_grade, is_solution

    return cell.get("cell_type") == "code" and is_grade(cell) and not is_solution(cell)


def text_of(value: Any) -> str:
    """A notebook text field (a string or a list of strings) as one string."""
    return "".join(value) if isinstance(value, list) else str(value or "")


def source_of(cell: Any) -> str:
    return text_of(cell.get("source", ""))
