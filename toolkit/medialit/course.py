"""Course configuration helpers used by ``nbgrader_config.py``.

nbgrader's autograde copies every non-notebook file of a lesson's *source* folder over the
student's submission ("Overwriting files with master versions from the source directory").
Answer files must never be in the source folder (medialit's widgets save elsewhere when run
there); as a second guard, :func:`exclude_overwriting` lists every answer file a lesson can
have, so that autograde never replaces a student's saved answers.

>>> import tempfile, pathlib, json
>>> root = pathlib.Path(tempfile.mkdtemp())
>>> (root / "01-demo").mkdir()
>>> cell = {"cell_type": "code", "source": 'marker = SpanMarker("loaded-1", "ukr-beijing")', "metadata": {}}
>>> _ = (root / "01-demo" / "demo.ipynb").write_text(json.dumps({"cells": [cell]}))
>>> exclude_overwriting(root)
{'01-demo': ['answers/loaded-1.json']}
"""

from __future__ import annotations

import json
import re
from pathlib import Path

__all__ = ["question_ids", "exclude_overwriting", "WIDGET_CLASSES"]

WIDGET_CLASSES = ("SpanMarker", "SentenceSorter", "FrameMap", "ClaimLedger", "Quiz", "CategorySorter")
_QUESTION = re.compile(r"\b(?:" + "|".join(WIDGET_CLASSES) + r")\(\s*[\"']([a-z0-9][a-z0-9_-]{0,63})[\"']")


def question_ids(notebook: Path) -> list[str]:
    """The question ids of the widgets a notebook creates (from its code cells)."""
    try:
        cells = json.loads(notebook.read_text(encoding="utf-8")).get("cells", [])
    except (OSError, ValueError):
        return []
    found: list[str] = []
    for cell in cells:
        if cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        source = "".join(source) if isinstance(source, list) else source
        for qid in _QUESTION.findall(source):
            if qid not in found:
                found.append(qid)
    return found


def exclude_overwriting(source_root: Path) -> dict[str, list[str]]:
    """For ``Autograde.exclude_overwriting``: every lesson's possible answer files."""
    result: dict[str, list[str]] = {}
    if not source_root.is_dir():
        return result
    for lesson in sorted(p for p in source_root.iterdir() if p.is_dir()):
        names = {f"answers/{qid}.json" for nb in lesson.glob("*.ipynb") for qid in question_ids(nb)}
        answers = lesson / "answers"
        if answers.is_dir():
            names |= {f"answers/{p.name}" for p in answers.iterdir() if p.is_file()}
        if names:
            result[lesson.name] = sorted(names)
    return result
