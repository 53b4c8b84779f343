"""Each session of a lesson fits a school period: an honest estimate of a secondary-school student's time.

The estimate (stated in ``docs/instructors.md``): the words of every markdown cell read at 130 words
a minute, plus 4 minutes per code answer, 3 per widget question and 5 per written answer. A lesson
(notebook metadata ``medialit.kind`` "lesson", the default) or the project is split into sessions
at a markdown cell with metadata ``{"medialit": {"session": N}}``; each session must come to at most
SESSION_LIMIT minutes by the rule, which for secondary students (times SECONDARY) is about 45
(40-60). An assessment form is one session of at most 25. The minutes cell 0 states per session
must be within 15 of the middle of every session's secondary range, so the notebook does not
promise a time it cannot keep.

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
LIMIT = {"lesson": 28, "assessment": 25, "project": 28}  # per session

# The one outside timing (issue 12): an experienced instructor put secondary students at 80-90
# minutes on lessons 01 and 06 as they were on 29 November 2026 (commit b890149), which this rule
# counts as below. The rule is therefore a floor; for secondary students the course table gives the
# estimate times SECONDARY, the range of measured / estimated over these lessons.
TIMED = {"01-loaded-language (b890149)": ({"words": 1244, "code": 6, "widgets": 4, "written": 2}, (80, 90)),
         "06-capstone (b890149)": ({"words": 852, "code": 5, "widgets": 2, "written": 2}, (80, 90))}
SECONDARY = (1.4, 2.1)


def estimate(nb_or_cells) -> dict:
    cells = nb_or_cells.cells if hasattr(nb_or_cells, "cells") else nb_or_cells
    meta = lambda c: c.get("metadata", {}).get("nbgrader", {})  # noqa: E731
    words = sum(len(c.source.split()) for c in cells if c.cell_type == "markdown")
    code = sum(1 for c in cells if c.cell_type == "code" and meta(c).get("solution"))
    written = sum(1 for c in cells if c.cell_type == "markdown" and meta(c).get("solution"))
    widgets = len(widget_kinds([dict(c) for c in cells]))
    counts = {"words": words, "code": code, "widgets": widgets, "written": written}
    return counts | {"minutes": minutes_for(counts)}


def sessions(nb) -> list[dict]:
    """The estimate of each session: the notebook cut before every cell marked
    ``{"medialit": {"session": N}}``."""
    parts: list[list] = [[]]
    for cell in nb.cells:
        if cell.get("metadata", {}).get("medialit", {}).get("session"):
            parts.append([])
        parts[-1].append(cell)
    return [estimate(part) for part in parts]


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
def test_each_session_fits_a_class_period(lesson):
    (path,) = sorted(lesson.glob("*.ipynb"))
    nb = nbformat.read(path, as_version=4)
    parts = sessions(nb)
    if _kind(nb) == "assessment":
        assert len(parts) == 1, f"{lesson.name}: an assessment form is one sitting"
    else:
        assert len(parts) == 2, f"{lesson.name}: a lesson is two sessions (a cell with metadata medialit.session = 2)"
    for number, got in enumerate(parts, 1):
        assert got["minutes"] <= LIMIT[_kind(nb)], (
            f"{lesson.name}, session {number}: about {got['minutes']} minutes by the rule ({got}); move the session "
            f"boundary, cut, or split the lesson")
        stated = _stated(nb)
        assert stated is not None, f"{lesson.name}: cell 0 does not say how many minutes a session takes"
        low, high = secondary(got["minutes"])
        assert abs(stated - (low + high) / 2) <= 15, (
            f"{lesson.name}: cell 0 says {stated} minutes; session {number} is {got['minutes']} by the rule, "
            f"{low}-{high} for secondary students")


def test_a_test_for_sessions_can_fail():
    """A lesson with no session cell is one session; a boundary cell makes two."""
    cells = [nbformat.v4.new_markdown_cell("word " * 1300), nbformat.v4.new_markdown_cell("word " * 130)]
    nb = nbformat.v4.new_notebook(cells=cells)
    assert [p["minutes"] for p in sessions(nb)] == [11]
    cells[1].metadata["medialit"] = {"session": 2}
    assert [p["minutes"] for p in sessions(nb)] == [10, 1]


def secondary(minutes: int) -> tuple[int, int]:
    """The range the course table gives for secondary students, to the nearest 5 minutes."""
    return round(SECONDARY[0] * minutes / 5) * 5, round(SECONDARY[1] * minutes / 5) * 5


def guide_minutes(nb) -> str:
    """What the course table says of a notebook's time: each session's estimate and secondary range."""
    return " + ".join(f"{p['minutes']} ({secondary(p['minutes'])[0]}-{secondary(p['minutes'])[1]})"
                      for p in sessions(nb))


def test_the_guide_states_each_sessions_estimate():
    """docs/instructors.md's course table gives each session's estimate and its secondary range."""
    guide = (REPO / "docs" / "instructors.md").read_text(encoding="utf-8")
    stated = dict(re.findall(r"^\| `([0-9][0-9]-[a-z-]+)` \|.*\| ([0-9()+ -]+) \| \d+ \| \d+ \|$", guide, re.M))
    for lesson in LESSONS:
        (path,) = sorted(lesson.glob("*.ipynb"))
        want = guide_minutes(nbformat.read(path, as_version=4))
        assert stated.get(lesson.name, "").strip() == want, (
            f"docs/instructors.md gives {lesson.name} {stated.get(lesson.name)!r} minutes; the estimate is "
            f"{want!r} (python tests/test_lesson_time.py prints them)")


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
    print("| lesson | session | words | code answers | widget questions | written answers | minutes (estimate) "
          f"| secondary students (x{SECONDARY[0]}-{SECONDARY[1]}) |")
    print("|---|---|---|---|---|---|---|---|")
    for lesson in LESSONS:
        (path,) = sorted(lesson.glob("*.ipynb"))
        nb = nbformat.read(path, as_version=4)
        for number, e in enumerate(sessions(nb), 1):
            low, high = secondary(e["minutes"])
            print(f"| {lesson.name} | {number} | {e['words']} | {e['code']} | {e['widgets']} | {e['written']} "
                  f"| {e['minutes']} | {low}-{high} |")
        print(f"course table: {lesson.name}: {guide_minutes(nb)}")
