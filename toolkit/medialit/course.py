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

import ast
import json
from pathlib import Path

__all__ = ["question_ids", "exclude_overwriting", "widget_calls", "parse_cell", "WIDGET_KINDS", "WIDGET_CLASSES"]

#: The kind of answer each widget class saves (one table: the reference check reads it too).
WIDGET_KINDS = {"SpanMarker": "spans", "SentenceSorter": "sentences", "FrameMap": "frame_map",
                "ClaimLedger": "ledger", "Quiz": "quiz", "CategorySorter": "categories"}
WIDGET_CLASSES = tuple(WIDGET_KINDS)


def parse_cell(source: str | list[str]) -> ast.Module | None:
    """A code cell's source as a Python syntax tree (IPython's ``%magic`` and ``!shell`` lines
    left out), or None when it is not Python.

    >>> type(parse_cell(["%matplotlib inline\\n", "x = 1"])).__name__, parse_cell("x = (")
    ('Module', None)
    """
    text = "".join(source) if isinstance(source, list) else str(source)
    code = "\n".join("" if line.lstrip().startswith(("%", "!")) else line for line in text.splitlines())
    try:
        return ast.parse(code)
    except SyntaxError:
        return None


def widget_calls(source: str | list[str]) -> list[tuple[str, str]]:
    """``(widget class, question id)`` of every widget a code cell creates, read from its syntax
    tree: positional or keyword, any quoting, ``medialit.widgets.Quiz(...)`` as well.

    >>> widget_calls('m = SpanMarker(question_id="x", text=doc)\\nq = widgets.Quiz("q2", "?", {})')
    [('SpanMarker', 'x'), ('Quiz', 'q2')]
    """
    tree = parse_cell(source)
    found: list[tuple[int, int, str, str]] = []
    for node in ast.walk(tree) if tree else ():
        if not isinstance(node, ast.Call):
            continue
        name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
        if name not in WIDGET_KINDS:
            continue
        first = node.args[0] if node.args else next((k.value for k in node.keywords if k.arg == "question_id"), None)
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            found.append((node.lineno, node.col_offset, name, first.value))
    return [(name, qid) for _, _, name, qid in sorted(found)]  # in the order they are written


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
        for _, qid in widget_calls(cell.get("source", "")):
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
