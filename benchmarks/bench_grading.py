#!/usr/bin/env python3
"""Benchmark: autograding cost per lesson, and a batch of submissions serial vs parallel.

1. For each lesson, the time to autograde one (full-marks) submission, against an nbgrader
   floor: a one-cell notebook with one test, graded the same way. Reported as ratios (the ratio
   says what a lesson costs beyond nbgrader's own per-notebook overhead: kernel start,
   sanitising, database writes), and the cost of the sandbox as the ratio of the sandboxed run
   to the same configuration with ``GuardedExecute.sandboxed = False``, and of all of medialit's
   checks against nbgrader's stock preprocessors.
2. The wall time for N copies of lesson 00 (default 100) with `medialit grade` on 1 worker and
   on one worker per core, and with nbgrader's own `nbgrader autograde` (one process, serial).

    python benchmarks/bench_grading.py                 # everything (about 10 minutes on 2 cores)
    python benchmarks/bench_grading.py --submissions 20 --skip-stock
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FLOOR = "99-floor"
STOCK_PREPROCESSORS = '''
# nbgrader's defaults, to measure the cost of medialit's integrity checks
c.Autograde.sanitize_preprocessors = ["nbgrader.preprocessors.ClearOutput", "nbgrader.preprocessors.DeduplicateIds",
    "nbgrader.preprocessors.OverwriteKernelspec", "nbgrader.preprocessors.OverwriteCells",
    "nbgrader.preprocessors.CheckCellMetadata"]
c.Autograde.autograde_preprocessors = ["nbgrader.preprocessors.Execute", "nbgrader.preprocessors.IgnorePattern",
    "nbconvert.preprocessors.ClearMetadataPreprocessor", "nbgrader.preprocessors.LimitOutput",
    "nbgrader.preprocessors.SaveAutoGrades", "nbgrader.preprocessors.AssignLatePenalties",
    "nbgrader.preprocessors.CheckCellMetadata"]
'''


def _env() -> dict:
    return dict(os.environ, PATH=os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]))


def _nbgrader(course: Path, *args: str) -> None:
    result = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=course, env=_env(),
                            capture_output=True, text=True)
    if result.returncode:
        raise SystemExit(f"nbgrader {' '.join(args)} failed:\n{result.stderr[-3000:]}")


def _floor_lesson(folder: Path) -> None:
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook

    folder.mkdir(parents=True)
    cell = new_code_cell("assert 1 + 1 == 2", metadata={"nbgrader": {
        "grade": True, "grade_id": "t-floor", "locked": True, "points": 1, "schema_version": 3,
        "solution": False, "task": False}})
    nb = new_notebook(cells=[cell], metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                             "language": "python"}})
    nbformat.write(nb, folder / "floor.ipynb")


UNSANDBOXED = "\n# the same checks, the kernel outside the sandbox\nc.GuardedExecute.sandboxed = False\n"
VARIANTS = {"medialit": "", "unsandboxed": UNSANDBOXED, "stock": STOCK_PREPROCESSORS}


def _course(root: Path, lessons: list[Path], variant: str) -> Path:
    course = root / variant
    (course / "lessons").mkdir(parents=True)
    for lesson in lessons:
        shutil.copytree(lesson, course / "lessons" / lesson.name, ignore=shutil.ignore_patterns("answers"))
    _floor_lesson(course / "lessons" / FLOOR)
    if (REPO / "references").is_dir():  # widget questions are scored from the instructor's references
        shutil.copytree(REPO / "references", course / "references")
    config = (REPO / "nbgrader_config.py").read_text()
    (course / "nbgrader_config.py").write_text(config + VARIANTS[variant])
    for lesson in [*lessons, course / "lessons" / FLOOR]:
        _nbgrader(course, "generate_assignment", lesson.name, "--force")
    return course


def _submit(course: Path, lesson: str, student: str) -> None:
    folder = course / "submitted" / student / lesson
    folder.mkdir(parents=True, exist_ok=True)
    for notebook in (course / "lessons" / lesson).glob("*.ipynb"):
        shutil.copy(notebook, folder / notebook.name)


def per_lesson(course: Path, lessons: list[str], repeats: int) -> dict[str, float]:
    from medialit.course import CourseLayout
    from medialit.grade import _grade_one

    os.chdir(course)
    layout = CourseLayout.load(course)
    seconds = {}
    for lesson in [FLOOR, *lessons]:
        _submit(course, lesson, "bench")
        runs = []
        for _ in range(repeats):
            outcome = _grade_one(layout, lesson, "bench", [])
            if outcome["status"] != "graded":
                raise SystemExit(f"{lesson} could not be graded: {outcome}")
            runs.append(outcome["seconds"])
        seconds[lesson] = statistics.median(runs)
    return seconds


def batch(course: Path, submissions: int, workers: int) -> float:
    from medialit.grade import grade

    lesson = "00-orientation"
    for k in range(submissions):
        _submit(course, lesson, f"s{k:03d}")
    start = time.perf_counter()
    summary = grade(lesson, course, workers=workers, force=True, progress=None)
    if summary.failed:
        raise SystemExit(summary.table())
    return time.perf_counter() - start


def stock_batch(course: Path) -> float:
    start = time.perf_counter()
    _nbgrader(course, "autograde", "00-orientation", "--force")
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--submissions", type=int, default=100)
    parser.add_argument("--repeats", type=int, default=3, help="runs per lesson (median reported)")
    parser.add_argument("--skip-stock", action="store_true", help="skip the `nbgrader autograde` batch")
    args = parser.parse_args()
    sys.path.insert(0, str(REPO / "toolkit"))
    lessons = sorted(p for p in (REPO / "lessons").iterdir() if p.is_dir() and list(p.glob("*.ipynb")))
    names = [p.name for p in lessons]
    cores = os.cpu_count() or 1
    with tempfile.TemporaryDirectory() as tmp:
        ours = _course(Path(tmp), lessons, "medialit")
        open_kernel = _course(Path(tmp), lessons, "unsandboxed")
        stock = _course(Path(tmp), lessons, "stock")
        with_checks = per_lesson(ours, names, args.repeats)
        no_sandbox = per_lesson(open_kernel, names, args.repeats)
        without = per_lesson(stock, names, args.repeats)
        print(f"{'lesson':<22} {'medialit':>9} {'x floor':>8} {'no sandbox':>10} {'sandbox':>8} "
              f"{'nbgrader':>9} {'all checks':>10}")
        for lesson in [FLOOR, *names]:
            a, u, b = with_checks[lesson], no_sandbox[lesson], without[lesson]
            print(f"{lesson:<22} {a:>8.2f}s {a / with_checks[FLOOR]:>7.2f}x {u:>9.2f}s {a / u:>7.2f}x "
                  f"{b:>8.2f}s {a / b:>9.2f}x")
        print(f"\n{args.submissions} submissions of 00-orientation ({cores} cores):")
        serial = batch(ours, args.submissions, 1)
        print(f"  medialit grade, 1 worker:   {serial:7.1f} s ({serial / args.submissions:.2f} s each)")
        parallel = batch(ours, args.submissions, cores)
        print(f"  medialit grade, {cores} workers:  {parallel:7.1f} s ({serial / parallel:.2f}x faster)")
        if not args.skip_stock:
            for k in range(args.submissions):
                _submit(stock, "00-orientation", f"s{k:03d}")
            plain = stock_batch(stock)
            print(f"  nbgrader autograde (stock, serial): {plain:7.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
