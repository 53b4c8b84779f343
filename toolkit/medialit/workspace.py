"""The student's workspace: student copies of the lessons, made by nbgrader.

``make lab`` calls ``python -m medialit workspace``, which runs ``nbgrader
generate_assignment`` on every lesson in ``lessons/`` (the instructor's
sources, with solutions) and copies the *student* version of each lesson that
is not yet in ``workspace/``. A lesson folder that already exists is never
touched, so a student's work in progress is safe; to start a lesson afresh,
rename its folder and run ``make lab`` again.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["LESSON_DIR", "STUDENT_LAB", "WorkspaceReport", "find_lessons", "prepare_workspace", "write_student_lab", "START_HERE"]

#: A lesson folder is named ``NN-slug`` (two digits, a dash, a lower-case slug).
LESSON_DIR = re.compile(r"^\d\d-[a-z0-9][a-z0-9-]*$")
START_HERE = "START-HERE.ipynb"
_NEVER_COPY = {"answers", ".ipynb_checkpoints", "__pycache__"}


@dataclass
class WorkspaceReport:
    """What :func:`prepare_workspace` did."""

    dest: Path
    added: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [f"workspace: {self.dest}"]
        out += [f"  added   {name}" for name in self.added]
        out += [f"  kept    {name} (your work is left as it is)" for name in self.kept]
        if not self.added and not self.kept:
            out.append("  no lessons have been released yet; open START-HERE.ipynb")
        return out


def find_lessons(lessons_dir: Path) -> list[Path]:
    """The lesson folders (``NN-slug`` with at least one notebook), in order."""
    if not lessons_dir.is_dir():
        return []
    return sorted(
        p for p in lessons_dir.iterdir()
        if p.is_dir() and LESSON_DIR.match(p.name) and any(p.glob("*.ipynb"))
    )


def _generate(lesson: Path, out: Path) -> Path:
    """Run nbgrader on a copy of one lesson, with the course's own ``nbgrader_config.py`` (so the
    student copy has the course's answer stubs); return the folder with the student version."""
    root = out / "course"
    source = root / "source" / lesson.name
    shutil.copytree(lesson, source, ignore=shutil.ignore_patterns(*_NEVER_COPY))
    config = lesson.parent.parent / "nbgrader_config.py"
    if config.is_file():
        shutil.copy(config, root / "nbgrader_config.py")
    command = [
        sys.executable, "-m", "nbgrader", "generate_assignment", lesson.name,
        f"--CourseDirectory.root={root}",
        "--CourseDirectory.source_directory=source",
        "--CourseDirectory.release_directory=release",
        f"--CourseDirectory.db_url=sqlite:///{root / 'gradebook.db'}",
        "--force", "--log-level=WARN",
    ]
    # nbgrader runs helper programs (alembic) from PATH: put this Python's scripts first,
    # so that it works without an activated virtual environment.
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    result = subprocess.run(command, cwd=root, capture_output=True, text=True, env=env)
    if result.returncode != 0:
        raise RuntimeError(
            f"nbgrader could not generate the student version of {lesson.name}:\n{result.stderr[-2000:]}"
        )
    return root / "release" / lesson.name


def _start_here(lessons: list[str]) -> dict:
    if lessons:
        listing = "\n".join(f"- `{name}/`" for name in lessons)
        body = (
            "# Welcome to medialit\n\n"
            "Your lessons are in the folders on the left. Open a lesson's notebook, run the cells from the top, "
            "answer where it says `YOUR CODE HERE` or `YOUR ANSWER HERE`, and use the *Validate* button "
            "before you submit.\n\n"
            f"Lessons in this workspace:\n\n{listing}\n\n"
            "Your work is saved in these folders; running `make lab` again adds new lessons and never "
            "overwrites a lesson you have started."
        )
    else:
        body = (
            "# Welcome to medialit\n\n"
            "No lessons have been released yet, so this workspace is empty.\n\n"
            "When your instructor adds lessons, run `make lab` again: each new lesson appears here as a "
            "folder, and lessons you have started are never overwritten."
        )
    return {
        "cells": [{"cell_type": "markdown", "metadata": {}, "source": body}],
        "metadata": {
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "medialit": {"generated": hashlib.sha256(body.encode()).hexdigest()},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def _write_start_here(dest: Path, lessons: list[str]) -> None:
    path = dest / START_HERE
    if path.exists():
        # Only replace our own, unedited guide; a student's edits are kept.
        try:
            old = json.loads(path.read_text(encoding="utf-8"))
            body = "".join(old["cells"][0]["source"])
            stamp = old["metadata"]["medialit"]["generated"]
        except (ValueError, KeyError, IndexError, TypeError):
            return
        if hashlib.sha256(body.encode()).hexdigest() != stamp:
            return
    path.write_text(json.dumps(_start_here(lessons), indent=1) + "\n", encoding="utf-8")


#: The student lab's Jupyter configuration (package files), copied to ``<workspace>/.jupyter``.
STUDENT_LAB = Path(__file__).parent / "student_lab"
_STUDENT_NBGRADER_CONFIG = (
    "# The student side of medialit: nothing to configure. This file is here so that nbgrader's\n"
    "# Validate button finds a configuration; the course's own lives with the instructor.\n"
    "c = get_config()  # noqa: F821\n"
)


def write_student_lab(dest: Path) -> Path:
    """Write the student lab's configuration to ``<dest>/.jupyter`` (used by ``make lab`` as
    ``JUPYTER_CONFIG_DIR``) and a student ``nbgrader_config.py``; return the config folder. Files
    a student changed are replaced, as they hold no work."""
    config = dest / ".jupyter"
    (config / "labconfig").mkdir(parents=True, exist_ok=True)
    (config / "custom").mkdir(parents=True, exist_ok=True)
    shutil.copy(STUDENT_LAB / "jupyter_server_config.json", config / "jupyter_server_config.json")
    shutil.copy(STUDENT_LAB / "page_config.json", config / "labconfig" / "page_config.json")
    shutil.copy(STUDENT_LAB / "custom.css", config / "custom" / "custom.css")
    (dest / "nbgrader_config.py").write_text(_STUDENT_NBGRADER_CONFIG, encoding="utf-8")
    return config


def prepare_workspace(lessons_dir: Path, dest: Path, progress=None) -> WorkspaceReport:
    """Add the student version of every lesson missing from ``dest``; never overwrite.
    ``progress`` (a function taking one line) hears about each lesson as it is made."""
    dest.mkdir(parents=True, exist_ok=True)
    write_student_lab(dest)
    report = WorkspaceReport(dest)
    lessons = find_lessons(lessons_dir)
    missing = [lesson for lesson in lessons if not (dest / lesson.name).exists()]
    with tempfile.TemporaryDirectory(prefix="medialit-generate-") as tmp:
        for lesson in lessons:
            target = dest / lesson.name
            if target.exists():
                report.kept.append(lesson.name)
                continue
            if progress is not None:
                progress(f"making the student copy of {lesson.name} ({missing.index(lesson) + 1} of {len(missing)}) ...")
            released = _generate(lesson, Path(tmp) / lesson.name)
            staging = dest / f".{lesson.name}.partial"
            shutil.rmtree(staging, ignore_errors=True)
            shutil.copytree(released, staging, ignore=shutil.ignore_patterns(*_NEVER_COPY))
            staging.rename(target)  # appears whole or not at all
            report.added.append(lesson.name)
    _write_start_here(dest, [p.name for p in lessons])
    return report
