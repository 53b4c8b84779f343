"""The grading benchmark still runs against the grader's current interface (it had drifted: it
called ``_grade_one`` with a path after the grader moved to ``CourseLayout``). One autograde of the
one-cell floor lesson, sandboxed, through the benchmark's own helpers."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

pytestmark = [pytest.mark.slow]


def _bench():
    spec = importlib.util.spec_from_file_location("bench_grading", REPO / "benchmarks" / "bench_grading.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_grading_benchmark_grades_its_floor_lesson(tmp_path, monkeypatch):
    if shutil.which("bwrap") is None:
        pytest.skip("bubblewrap (the grading sandbox) is not installed")
    bench = _bench()
    monkeypatch.chdir(tmp_path)
    course = bench._course(tmp_path, [], "medialit")
    seconds = bench.per_lesson(course, [], repeats=1)
    assert set(seconds) == {bench.FLOOR} and seconds[bench.FLOOR] > 0
