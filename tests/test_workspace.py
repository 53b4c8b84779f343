"""`make lab`'s workspace: student versions only, new lessons added, student work never overwritten."""

from __future__ import annotations

import json


from medialit.workspace import START_HERE, find_lessons, prepare_workspace


def _notebook(solution: str) -> dict:
    return {
        "cells": [
            {"cell_type": "markdown", "metadata": {}, "source": "# A lesson"},
            {
                "cell_type": "code", "execution_count": None, "outputs": [],
                "metadata": {"nbgrader": {"grade": False, "grade_id": "answer", "locked": False,
                                          "schema_version": 3, "solution": True, "task": False}},
                "source": f"answer = None\n### BEGIN SOLUTION\nanswer = {solution!r}\n### END SOLUTION",
            },
        ],
        "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}},
        "nbformat": 4, "nbformat_minor": 5,
    }


def _lesson(lessons, name, solution="SECRET-SOLUTION"):
    folder = lessons / name
    folder.mkdir(parents=True)
    (folder / f"{name.split('-', 1)[1].replace('-', '_')}.ipynb").write_text(json.dumps(_notebook(solution)))
    (folder / "answers").mkdir()
    (folder / "answers" / "q1.json").write_text('{"reference": "leak"}')
    return folder


def test_empty_lessons_folder_gives_a_start_here_notebook(tmp_path):
    report = prepare_workspace(tmp_path / "lessons", tmp_path / "ws")
    start = json.loads((tmp_path / "ws" / START_HERE).read_text())
    assert "No lessons have been released yet" in start["cells"][0]["source"]
    assert start["metadata"]["kernelspec"]["name"] == "python3"
    assert "no lessons have been released yet" in "\n".join(report.lines())


def test_student_versions_are_added_and_never_overwritten(tmp_path):
    lessons, ws = tmp_path / "lessons", tmp_path / "ws"
    _lesson(lessons, "00-orientation")
    (lessons / "notes").mkdir()  # not a lesson folder: ignored
    assert [p.name for p in find_lessons(lessons)] == ["00-orientation"]

    first = prepare_workspace(lessons, ws)
    assert first.added == ["00-orientation"]
    student = ws / "00-orientation" / "orientation.ipynb"
    text = student.read_text()
    assert "SECRET-SOLUTION" not in text and "YOUR CODE HERE" in text
    assert not (ws / "00-orientation" / "answers").exists()
    assert "00-orientation" in (ws / START_HERE).read_text()

    student.write_text(text.replace("YOUR CODE HERE", "my work in progress"))
    _lesson(lessons, "01-loaded-language")
    second = prepare_workspace(lessons, ws)
    assert second.added == ["01-loaded-language"] and second.kept == ["00-orientation"]
    assert "my work in progress" in student.read_text()
    assert (ws / "01-loaded-language" / "loaded_language.ipynb").is_file()
    assert not list(ws.glob(".*.partial"))


def test_a_start_here_the_student_edited_is_kept(tmp_path):
    ws = tmp_path / "ws"
    prepare_workspace(tmp_path / "lessons", ws)
    guide = ws / START_HERE
    nb = json.loads(guide.read_text())
    nb["cells"][0]["source"] += "\n\nMy own notes."
    guide.write_text(json.dumps(nb))
    prepare_workspace(tmp_path / "lessons", ws)
    assert "My own notes." in guide.read_text()
