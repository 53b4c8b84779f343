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

# The one outside timing (issue 12): an experienced instructor put secondary students at 80-90
# minutes on lessons 01 and 06 as they were on 29 November 2026 (commit b890149), which this rule
# counts as below. The rule is therefore a floor; for secondary students the course table gives the
# estimate times SECONDARY, the range of measured / estimated over these lessons.
TIMED = {"01-loaded-language (b890149)": ({"words": 1244, "code": 6, "widgets": 4, "written": 2}, (80, 90)),
         "06-capstone (b890149)": ({"words": 852, "code": 5, "widgets": 2, "written": 2}, (80, 90))}
SECONDARY = (1.4, 2.1)


def estimate(nb) -> dict:
    meta = lambda c: c.get("metadata", {}).get("nbgrader", {})  # noqa: E731
    words = sum(len(c.source.split()) for c in nb.cells if c.cell_type == "markdown")
    code = sum(1 for c in nb.cells if c.cell_type == "code" and meta(c).get("solution"))
    written = sum(1 for c in nb.cells if c.cell_type == "markdown" and meta(c).get("solution"))
    widgets = len(widget_kinds([dict(c) for c in nb.cells]))
    counts = {"words": words, "code": code, "widgets": widgets, "written": written}
    return counts | {"minutes": minutes_for(counts)}


def minutes_for(counts: dict) -> int:
    return round(counts["words"] / READING_WPM + MINUTES["code"] * counts["code"]
                 + MINUTES["widget"] * counts["widgets"] + MINUTES["written"] * counts["written"])


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


def secondary(minutes: int) -> tuple[int, int]:
    """The range the course table gives for secondary students, to the nearest 5 minutes."""
    return round(SECONDARY[0] * minutes / 5) * 5, round(SECONDARY[1] * minutes / 5) * 5


def test_the_guide_states_each_lessons_estimate():
    """docs/instructors.md's course table gives each lesson's estimate and its secondary range."""
    guide = (REPO / "docs" / "instructors.md").read_text(encoding="utf-8")
    stated = dict(re.findall(r"^\| `([0-9][0-9]-[a-z-]+)` \|.*\| (\d+ \(\d+-\d+\)) \| \d+ \| \d+ \|$", guide, re.M))
    for lesson in LESSONS:
        (path,) = sorted(lesson.glob("*.ipynb"))
        minutes = estimate(nbformat.read(path, as_version=4))["minutes"]
        low, high = secondary(minutes)
        assert stated.get(lesson.name) == f"{minutes} ({low}-{high})", (
            f"docs/instructors.md gives {lesson.name} {stated.get(lesson.name)!r} minutes; the estimate is "
            f"'{minutes} ({low}-{high})' (python tests/test_lesson_time.py prints them)")


def test_the_secondary_range_covers_the_one_outside_timing():
    """The factor the course table applies for secondary students spans what was measured; change
    MINUTES and this says by how much the range must move."""
    for name, (counts, (low, high)) in TIMED.items():
        floor = minutes_for(counts)
        assert SECONDARY[0] * floor <= high and SECONDARY[1] * floor >= low, (
            f"{name}: the rule gives {floor} min, measured {low}-{high}; SECONDARY {SECONDARY} misses it")
    ratios = [sum(m) / 2 / minutes_for(c) for c, m in TIMED.values()]
    assert SECONDARY[0] <= min(ratios) and max(ratios) <= SECONDARY[1], ratios


if __name__ == "__main__":
    print("| lesson | words | code answers | widget questions | written answers | minutes (estimate) "
          f"| secondary students (x{SECONDARY[0]}-{SECONDARY[1]}) |")
    print("|---|---|---|---|---|---|---|")
    for lesson in LESSONS:
        (path,) = sorted(lesson.glob("*.ipynb"))
        e = estimate(nbformat.read(path, as_version=4))
        low, high = secondary(e["minutes"])
        print(f"| {lesson.name} | {e['words']} | {e['code']} | {e['widgets']} | {e['written']} | {e['minutes']} "
              f"| {low}-{high} |")
