"""Each lesson fits a school period: an honest estimate of a secondary-school student's time.

The estimate (stated in ``docs/instructors.md``): the words of every markdown cell read at 130 words
a minute, plus 4 minutes per code answer, 3 per widget question and 5 per written answer. A lesson
(notebook metadata ``medialit.kind`` "lesson", the default) must come to at most 50 minutes; an
assessment form or a project states its own budget. The minutes cell 0 states must be within 15 of
the estimate, so the notebook does not promise a time it cannot keep.

``python tests/test_lesson_time.py`` prints the table.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from medialit.references import widget_kinds
from medialit.workspace import find_lessons

REPO = Path(__file__).resolve().parents[1]
LESSONS = find_lessons(REPO / "lessons")
READING_WPM = 130
MINUTES = {"code": 4, "widget": 3, "written": 5}
LIMIT = {"lesson": 50, "assessment": 25, "project": 50}


def estimate(nb) -> dict:
    meta = lambda c: c.get("metadata", {}).get("nbgrader", {})  # noqa: E731
    words = sum(len(c.source.split()) for c in nb.cells if c.cell_type == "markdown")
    code = sum(1 for c in nb.cells if c.cell_type == "code" and meta(c).get("solution"))
    written = sum(1 for c in nb.cells if c.cell_type == "markdown" and meta(c).get("solution"))
    widgets = len(widget_kinds([dict(c) for c in nb.cells]))
    minutes = (words / READING_WPM + MINUTES["code"] * code + MINUTES["widget"] * widgets
               + MINUTES["written"] * written)
    return {"words": words, "code": code, "widgets": widgets, "written": written, "minutes": round(minutes)}


def _kind(nb) -> str:
    return nb.metadata.get("medialit", {}).get("kind", "lesson")


def _stated(nb) -> int | None:
    found = re.findall(r"(\d+)\s*(?:-|–|to)?\s*(\d+)?\s*minutes", nb.cells[0].source)
    if not found:
        return None
    low, high = found[0]
    return int(high or low)


@pytest.mark.parametrize("lesson", LESSONS, ids=[p.name for p in LESSONS])
def test_lesson_fits_its_time(lesson):
    (path,) = sorted(lesson.glob("*.ipynb"))
    nb = nbformat.read(path, as_version=4)
    got = estimate(nb)
    assert got["minutes"] <= LIMIT[_kind(nb)], f"{lesson.name}: about {got['minutes']} minutes ({got}); cut or split it"
    stated = _stated(nb)
    assert stated is not None, f"{lesson.name}: cell 0 does not say how many minutes the lesson takes"
    assert abs(stated - got["minutes"]) <= 15, f"{lesson.name}: cell 0 says {stated} minutes, the estimate is {got}"


if __name__ == "__main__":
    print("| lesson | words | code answers | widget questions | written answers | minutes (estimate) |")
    print("|---|---|---|---|---|---|")
    for lesson in LESSONS:
        (path,) = sorted(lesson.glob("*.ipynb"))
        e = estimate(nbformat.read(path, as_version=4))
        print(f"| {lesson.name} | {e['words']} | {e['code']} | {e['widgets']} | {e['written']} | {e['minutes']} |")
