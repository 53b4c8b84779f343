#!/usr/bin/env python3
"""Benchmark: how long each lesson's solution notebook takes to run top to bottom (target: < 20 s).

Runs every source notebook in lessons/ with nbclient, in a scratch copy (so no answer files are
written beside the sources), and prints the wall time of each.

    python benchmarks/bench_lessons.py
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

REPO = Path(__file__).resolve().parents[1]
TARGET_SECONDS = 20.0


def main() -> int:
    sys.path.insert(0, str(REPO / "toolkit"))
    from medialit.workspace import find_lessons

    lessons = find_lessons(REPO / "lessons")
    if not lessons:
        print("no lessons found")
        return 0
    worst = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        for lesson in lessons:
            work = Path(tmp) / lesson.name
            shutil.copytree(lesson, work)
            (notebook,) = sorted(work.glob("*.ipynb"))
            nb = nbformat.read(notebook, as_version=4)
            start = time.perf_counter()
            NotebookClient(nb, timeout=120, resources={"metadata": {"path": str(work)}}).execute()
            seconds = time.perf_counter() - start
            worst = max(worst, seconds)
            print(f"{lesson.name:24} {seconds:6.1f} s  {'ok' if seconds < TARGET_SECONDS else 'SLOW'}")
    print(f"slowest: {worst:.1f} s (target: under {TARGET_SECONDS:.0f} s, kernel start-up included)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
