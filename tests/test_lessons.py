"""The lesson harness: every lesson validates, generates, grades itself, and leaks nothing.

For each lesson in lessons/ (one temporary course, built once):
- `nbgrader validate` passes on the source notebook;
- `nbgrader generate_assignment` succeeds;
- the source notebook, autograded as a submission with the instructor's saved answers (made by running
  the source once, as an instructor does), scores full automatic points; widget questions are scored by
  the grader (ScoreAnswers, references/<lesson>.json), and no reference reaches the student's kernel;
- the student version, unanswered, runs to the end with errors only in answer and test cells and scores 0;
- a partly answered submission (half of the answer cells filled from the source) scores in between;
- the release has no solutions, hidden tests or rubrics, and no hidden-test line appears in the release
  or in the package data;
- feedback shows no hidden tests;
- each lesson meets the format: objectives, >= 10 automatic points over >= 5 parts, >= 2 written answers,
  kernel python3, no outputs committed. A notebook whose metadata says ``"medialit": {"kind": "project"}``
  (a student's own text, no key) has its own format: objectives, minutes, >= 1 rubric-graded written answer,
  and no automatic point without a key (only widget questions on a fixed passage, scored by the grader).
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import nbformat
import pytest

from helpers import model_answers, nbgrader, submit_answers

from medialit._data import data_dir
from medialit.references import check_course, load_references
from medialit.workspace import find_lessons

REPO = Path(__file__).resolve().parents[1]
LESSONS = find_lessons(REPO / "lessons")
STUDENTS = ("solution", "blank", "partial")

pytestmark = pytest.mark.skipif(not LESSONS, reason="no lessons in lessons/ yet")


def _notebook(lesson: Path) -> Path:
    (nb,) = sorted(lesson.glob("*.ipynb"))
    return nb


def _meta(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


def _kind(lesson: Path | str) -> str:
    """The notebook's ``medialit.kind`` ("lesson" when it says nothing)."""
    path = _notebook(REPO / "lessons" / lesson if isinstance(lesson, str) else lesson)
    return json.loads(path.read_text(encoding="utf-8"))["metadata"].get("medialit", {}).get("kind", "lesson")


def _half(source: nbformat.NotebookNode) -> set[str]:
    """The grade ids of the first half of the source's code answer cells."""
    answer_ids = [_meta(c)["grade_id"] for c in source.cells if _meta(c).get("solution") and c.cell_type == "code"]
    return set(answer_ids[: max(1, len(answer_ids) // 2)])


def _partial(source: nbformat.NotebookNode, release: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The release notebook with the first half of its answer cells filled in from the source."""
    solutions = {_meta(c)["grade_id"]: c.source for c in source.cells if _meta(c).get("solution")
                 and c.cell_type == "code"}
    keep = _half(source)
    out = nbformat.from_dict(json.loads(json.dumps(release)))
    for cell in out.cells:
        gid = _meta(cell).get("grade_id")
        if gid in keep:
            cell.source = solutions[gid]
    return out


def _selected_lessons(request) -> list[Path]:
    """The lessons that the selected tests need (all of them without -k), so that
    `pytest tests/test_lessons.py -k 01-loaded` grades one lesson only."""
    wanted = {getattr(item, "callspec", None) and item.callspec.params.get("lesson") for item in request.session.items
              if "course" in getattr(item, "fixturenames", ())}
    return [lesson for lesson in LESSONS if lesson.name in wanted] or LESSONS


@pytest.fixture(scope="module")
def course(tmp_path_factory, request):
    root = tmp_path_factory.mktemp("course")
    shutil.copytree(REPO / "lessons", root / "lessons", ignore=shutil.ignore_patterns("answers", ".ipynb_checkpoints"))
    shutil.copy(REPO / "nbgrader_config.py", root / "nbgrader_config.py")
    if (REPO / "references").is_dir():
        shutil.copytree(REPO / "references", root / "references")
    report: dict = {"validate": {}, "generate": {}, "autograde": {}, "feedback": {}}
    for lesson in _selected_lessons(request):
        name = lesson.name
        source_nb = root / "lessons" / name / _notebook(lesson).name
        answers = model_answers(root, name)  # the key as answer files: the source's widget checks read them
        report["validate"][name] = nbgrader(root, "validate", str(source_nb))
        report["generate"][name] = nbgrader(root, "generate_assignment", name, "--force")
        release_nb = root / "release" / name / source_nb.name
        if report["generate"][name].returncode != 0:
            continue
        source = nbformat.read(source_nb, as_version=4)
        release = nbformat.read(release_nb, as_version=4)
        widget_ids = list(_references(name))
        half_widgets = set(widget_ids[: len(widget_ids) // 2])  # the first half of the widget questions
        for student, nb, questions in (("solution", source, None), ("blank", release, set()),
                                       ("partial", _partial(source, release), half_widgets)):
            folder = root / "submitted" / student / name
            folder.mkdir(parents=True)
            nbformat.write(nb, folder / source_nb.name)
            submit_answers(answers, folder, questions)
        report["autograde"][name] = nbgrader(root, "autograde", name, "--force")
        report["feedback"][name] = nbgrader(root, "generate_feedback", name, "--force")
    return root, report


def _references(lesson: str) -> dict:
    path = REPO / "references" / f"{lesson}.json"
    return load_references(path)["questions"] if path.is_file() else {}


def _scores(root: Path, lesson: str, student: str) -> tuple[float, float]:
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        submission = gb.find_submission(lesson, student)
        auto = [g for nb in submission.notebooks for g in nb.grades if g.cell.cell_type == "code"]
        return sum(g.auto_score or 0 for g in auto), sum(g.max_score for g in auto)


@pytest.mark.parametrize("lesson", [p.name for p in LESSONS])
def test_source_validates_and_generates(course, lesson):
    root, report = course
    validate = report["validate"][lesson]
    assert "Success! Your notebook passes all the tests." in validate.stdout, validate.stdout + validate.stderr
    assert report["generate"][lesson].returncode == 0, report["generate"][lesson].stderr


@pytest.mark.parametrize("lesson", [p.name for p in LESSONS])
def test_scores_full_zero_and_partial(course, lesson):
    root, report = course
    assert report["autograde"][lesson].returncode == 0, report["autograde"][lesson].stderr[-3000:]
    full, maximum = _scores(root, lesson, "solution")
    blank, _ = _scores(root, lesson, "blank")
    partial, _ = _scores(root, lesson, "partial")
    if _kind(lesson) == "project":  # a student's own text has no key: only keyed widget questions score
        assert maximum == sum(q["points"] for q in _references(lesson).values()), maximum
        assert full == maximum and blank == 0 and (maximum == 0 or 0 < partial < maximum), (full, blank, partial)
        return
    assert maximum >= 10
    assert full == maximum, f"the source notebook scores {full} of {maximum}"
    assert blank == 0, f"the unanswered student version scores {blank}"
    assert 0 < partial < maximum, f"a half-answered submission scores {partial} of {maximum}"


@pytest.mark.parametrize("lesson", [p.name for p in LESSONS])
def test_unanswered_notebook_errors_only_in_answer_and_test_cells(course, lesson):
    root, _ = course
    graded = nbformat.read(next((root / "autograded" / "blank" / lesson).glob("*.ipynb")), as_version=4)
    broken = []
    for cell in graded.cells:
        if cell.cell_type != "code":
            continue
        errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
        stderr = [o for o in cell.get("outputs", []) if o.get("output_type") == "stream" and o.get("name") == "stderr"]
        meta = _meta(cell)
        if (errors or stderr) and not (meta.get("solution") or meta.get("grade")):
            broken.append((meta.get("grade_id"), cell.source[:80], (errors or stderr)[0]))
    assert not broken, broken


@pytest.mark.parametrize("lesson", [p.name for p in LESSONS])
def test_solution_run_writes_nothing_to_stderr(course, lesson):
    root, _ = course
    graded = nbformat.read(next((root / "autograded" / "solution" / lesson).glob("*.ipynb")), as_version=4)
    for cell in graded.cells:
        for output in cell.get("outputs", []):
            assert not (output.get("output_type") == "stream" and output.get("name") == "stderr"), cell.source[:80]
            assert output.get("output_type") != "error", cell.source[:80]


@pytest.mark.parametrize("lesson", [p.name for p in LESSONS])
def test_integrity_checks_raise_no_false_alarm_on_honest_work(course, lesson):
    """Solutions, unanswered and half-answered notebooks: no finding at all, not even a note (a
    note would mean a test cell printed to stderr, which the checks hide from nbgrader)."""
    import json

    root, _ = course
    for student in STUDENTS:
        (path,) = (root / "reports" / lesson / student).glob("*.integrity.json")
        report = json.loads(path.read_text())
        assert report["status"] == "ok" and report["findings"] == [], (student, report["findings"])


def _hidden_lines(source: nbformat.NotebookNode) -> list[str]:
    """Lines that only the hidden tests contain (a line also in visible code is no secret)."""
    hidden_re = r"### BEGIN HIDDEN TESTS\n(.*?)### END HIDDEN TESTS"
    visible = "\n".join(re.sub(hidden_re, "", cell.source, flags=re.S) for cell in source.cells)
    lines = []
    for cell in source.cells:
        for block in re.findall(hidden_re, cell.source, flags=re.S):
            lines += [line.strip() for line in block.splitlines() if len(line.strip()) > 20 and line.strip() not in visible]
    return lines


@pytest.mark.parametrize("lesson", [p.name for p in LESSONS])
def test_release_leaks_nothing(course, lesson):
    root, _ = course
    source = nbformat.read(_notebook(REPO / "lessons" / lesson), as_version=4)
    release_dir = root / "release" / lesson
    released = "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in release_dir.rglob("*") if p.is_file())
    for marker in ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "Rubric", "set_answer("):
        assert marker not in released, f"{marker!r} is in the release of {lesson}"
    assert not (release_dir / "answers").exists() and not (release_dir / "references").exists()
    package_data = "\n".join(p.read_text(encoding="utf-8", errors="replace")
                             for p in data_dir().rglob("*") if p.is_file() and p.suffix in {".jsonl", ".json", ".csv", ".md", ".txt"})
    for line in _hidden_lines(source):
        assert line not in released, f"hidden test line in the release: {line}"
        assert line not in package_data, f"hidden test line in the package data: {line}"


@pytest.mark.parametrize("lesson", [p.name for p in LESSONS])
def test_feedback_hides_hidden_tests(course, lesson):
    root, report = course
    assert report["feedback"][lesson].returncode == 0, report["feedback"][lesson].stderr[-2000:]
    source = nbformat.read(_notebook(REPO / "lessons" / lesson), as_version=4)
    for student in STUDENTS:
        (page,) = (root / "feedback" / student / lesson).glob("*.html")
        html = page.read_text(encoding="utf-8")
        assert "Hint" in html or student == "solution" or (_kind(lesson) == "project" and not _references(lesson))
        for line in _hidden_lines(source):
            assert line.split("(")[0] not in html or len(line.split("(")[0]) < 20, f"hidden test in feedback: {line}"
            assert line not in html


@pytest.mark.parametrize("lesson", LESSONS, ids=[p.name for p in LESSONS])
def test_lesson_format(lesson):
    path = _notebook(lesson)
    raw = json.loads(path.read_text(encoding="utf-8"))
    nb = nbformat.read(path, as_version=4)
    assert raw["metadata"]["kernelspec"]["name"] == "python3"
    if raw["metadata"].get("medialit", {}).get("kind") == "assessment":
        _check_assessment(lesson, raw, nb)
        return
    assert all(not c.get("outputs") and c.get("execution_count") is None for c in raw["cells"] if c["cell_type"] == "code")
    assert "By the end you can" in nb.cells[0].source and "minutes" in nb.cells[0].source
    if _kind(lesson) == "project":
        return _check_project_format(lesson, path, nb)
    tests = [c for c in nb.cells if _meta(c).get("grade") and c.cell_type == "code"]
    written = [c for c in nb.cells if _meta(c).get("grade") and c.cell_type == "markdown"]
    assert sum(_meta(c)["points"] for c in tests) >= 10 and len(tests) >= 5
    assert len(written) >= 2 and all("Rubric" in c.source and "### BEGIN SOLUTION" in c.source for c in written)
    references = _references(lesson.name)
    graded_by_grader = {q["cell"] for q in references.values()}
    assert all("### BEGIN HIDDEN TESTS" in c.source or _meta(c)["grade_id"] in graded_by_grader for c in tests)
    assert any(_meta(c).get("locked") and not _meta(c).get("grade") for c in nb.cells)
    widgets_graded = bool(references) and all("load_answer(" in c.source for c in tests
                                              if _meta(c)["grade_id"] in graded_by_grader)
    code_graded = any("expect_defined" in c.source or "expect(" in c.source for c in tests)
    assert widgets_graded and code_graded
    assert lesson.name[:2].isdigit() and path.stem == lesson.name[3:].replace("-", "_")
    assert not (lesson / "answers").exists()


def _check_project_format(lesson: Path, path: Path, nb: nbformat.NotebookNode) -> None:
    """A project (the student's own text): the points are manual, by a rubric, because nothing has a key."""
    minutes = re.search(r"[Aa]bout (\d+) minutes", nb.cells[0].source)
    assert minutes and 30 <= int(minutes.group(1)) <= 45, "a project states about 30-45 minutes (a session) in its first cell"
    written = [c for c in nb.cells if _meta(c).get("grade") and c.cell_type == "markdown"]
    assert written and all(_meta(c).get("solution") and "Rubric" in c.source and "### BEGIN SOLUTION" in c.source
                           and _meta(c)["points"] > 0 for c in written), "a project has rubric-graded written answers"
    # no fake automatic points: a test cell is only a widget question on a fixed passage with a key,
    # scored by the grader; never a hidden test, a completion check or anything on the student's text
    references = _references(lesson.name)
    tests = [c for c in nb.cells if _meta(c).get("grade") and c.cell_type == "code"]
    keyed = {q["cell"]: q for q in references.values()}
    for cell in tests:
        question = keyed.get(_meta(cell)["grade_id"])
        assert question and ("passage" in question.get("text", {}) or "id" in question.get("text", {})), \
            f"test cell {_meta(cell)['grade_id']!r} gives automatic points without a key on a fixed text"
        assert "### BEGIN HIDDEN TESTS" not in cell.source
    assert any(_meta(c).get("locked") and not _meta(c).get("grade") for c in nb.cells)
    assert lesson.name[:2].isdigit() and path.stem == lesson.name[3:].replace("-", "_")
    assert not (lesson / "answers").exists()


def test_the_project_format_rejects_fake_points(tmp_path):
    """The project branch can fail: a completion point on the student's text, or no rubric."""
    source = next((p for p in LESSONS if _kind(p) == "project"), None)
    if source is None:
        pytest.skip("no project notebook in lessons/")
    nb = nbformat.read(_notebook(source), as_version=4)
    fake = nbformat.v4.new_code_cell("expect(load_answer('own-marks') is not None, 'mark your text')")
    fake.metadata["nbgrader"] = {"grade": True, "grade_id": "t-own", "locked": True, "points": 2,
                                 "schema_version": 3, "solution": False, "task": False}
    no_rubric = nbformat.from_dict(json.loads(json.dumps(nb)))
    for cell in no_rubric.cells:
        if _meta(cell).get("grade") and cell.cell_type == "markdown":
            cell.source = cell.source.replace("Rubric", "Notes")
    for broken in (nbformat.from_dict({**nb, "cells": nb.cells + [fake]}), no_rubric):
        folder = tmp_path / f"case{id(broken)}" / source.name
        folder.mkdir(parents=True)
        target = folder / _notebook(source).name
        nbformat.write(broken, target)
        with pytest.raises(AssertionError):
            _check_project_format(folder, target, nbformat.read(target, as_version=4))
def _check_assessment(lesson: Path, raw: dict, nb: nbformat.NotebookNode) -> None:
    """An assessment (the pre- and post-checks): short, auto-graded, discernment on every skill.

    >= 10 automatic points, all from widget questions scored by the grader; the minutes stated in
    the first cell and the metadata; every question a yes/no judgement with items that use the
    technique and controls, each naming the real corpus text its items quote (its attribution
    printed in the cell) and holding at least one illustrative item; no written answer required;
    and a parallel form (``metadata.medialit.parallel``) with the same questions, points and
    numbers of yes and no items.
    """
    from medialit import corpus
    from medialit.scoring import is_judgement

    meta = raw["metadata"]["medialit"]
    assert all(not c.get("outputs") and c.get("execution_count") is None for c in raw["cells"] if c["cell_type"] == "code")
    first = nb.cells[0].source
    assert f"About {meta['minutes']} minutes" in first and "By the end you can" in first
    assert lesson.name[:2].isdigit() and _notebook(lesson).stem == lesson.name[3:].replace("-", "_")
    assert not (lesson / "answers").exists()
    tests = [c for c in nb.cells if _meta(c).get("grade") and c.cell_type == "code"]
    references = _references(lesson.name)
    assert sum(_meta(c)["points"] for c in tests) >= 10
    assert {_meta(c)["grade_id"] for c in tests} == {q["cell"] for q in references.values()}, "every point from the grader"
    assert not any(_meta(c).get("solution") for c in nb.cells), "an assessment asks for no written or code answer"
    for qid, question in references.items():
        labels = list(question["reference"]["labels"].values())
        assert question["kind"] == "categories" and is_judgement(question["reference"]), qid
        assert labels.count("yes") >= 2 and labels.count("no") >= 2, f"{qid}: items that use the technique and controls"
        text_id = question["text"]["id"]
        assert corpus.info(text_id).origin == "real", f"{qid}: {text_id} is not a real text"
        cell = next(c for c in nb.cells if f'CategorySorter("{qid}"' in c.source)
        assert f'corpus.attribution("{text_id}")' in cell.source and "[illustrative]" in cell.source, qid
    other = meta["parallel"]
    twin = _references(other)
    assert twin, f"{lesson.name}: its parallel form {other} has no references"
    assert set(twin) == set(references)
    for qid, question in references.items():
        mine, theirs = question["reference"]["labels"].values(), twin[qid]["reference"]["labels"].values()
        assert sorted(mine) == sorted(theirs) and question["points"] == twin[qid]["points"], f"{qid}: not parallel"
        assert question["text"]["id"] != twin[qid]["text"]["id"], f"{qid}: the parallel forms quote the same text"


def test_instructor_guide_covers_every_lesson_and_the_workflow():
    guide = (REPO / "docs" / "instructors.md").read_text(encoding="utf-8")
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "docs/instructors.md" in readme
    for lesson in LESSONS:
        assert f"`{lesson.name}`" in guide, lesson.name
    for step in ("generate_assignment", "release_assignment", "collect", "autograde", "Formgrader",
                 "generate_feedback", "ClearHiddenTests", "nbgrader export", "validate-data", "Known limits"):
        assert step in guide, step


def _cell_scores(root: Path, lesson: str, student: str) -> dict[str, float]:
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        submission = gb.find_submission(lesson, student)
        return {g.name: g.auto_score for nb in submission.notebooks for g in nb.grades if g.cell.cell_type == "code"}


@pytest.mark.parametrize("lesson", [p.name for p in LESSONS])
def test_widget_points_come_from_the_grader_and_references_stay_out_of_the_kernel(course, lesson):
    root, _ = course
    questions = _references(lesson)
    if not questions and _kind(lesson) == "project":
        pytest.skip(f"{lesson} is a project without keyed widget questions (its points are manual)")
    assert questions, f"{lesson} has no widget questions in references/{lesson}.json"
    expected = {"solution": lambda q: q["points"], "blank": lambda q: 0}
    for student in STUDENTS:
        graded = nbformat.read(next((root / "autograded" / student / lesson).glob("*.ipynb")), as_version=4)
        cells = {_meta(c).get("grade_id"): c for c in graded.cells}
        scores = _cell_scores(root, lesson, student)
        for qid, question in questions.items():
            cell = cells[question["cell"]]
            lines = [o.text for o in cell.outputs if o.output_type == "stream" and o.text.startswith(f"{qid}: ")]
            results = [o for o in cell.outputs if o.output_type == "execute_result"]
            assert lines and len(results) == 1, (student, qid, cell.outputs)  # ScoreAnswers' line and score
            if student in expected:
                assert scores[question["cell"]] == expected[student](question), (student, qid, lines[-1])
            if student == "blank":
                assert "no saved answer was found" in lines[-1]
            # the reference never reached the kernel: no scoring call, no reference values in test cells
            for test_cell in (c for c in graded.cells if _meta(c).get("grade") and not _meta(c).get("solution")):
                assert not re.search(r"\bscore_\w+\(", test_cell.source), (student, test_cell.source[:80])
            if question["kind"] == "spans":
                first = question["reference"]["spans"][0]
                hidden = [f"{first[0]}, {first[1]}, '{first[2]}'", f'{first[0]}, {first[1]}, "{first[2]}"']
                visible = graded.cells if student == "blank" else \
                    [c for c in graded.cells if not _meta(c).get("solution")]
                assert not any(h in c.source for h in hidden for c in visible), (student, qid)


def test_every_widget_question_has_a_reference_and_every_reference_a_cell():
    assert check_course(REPO) == []


def _points(lesson: Path) -> tuple[float, float]:
    """(automatic, written) points of a lesson's notebooks, from their nbgrader metadata."""
    from nbgrader.utils import is_grade, is_solution, is_task

    auto = written = 0.0
    for notebook in sorted(lesson.glob("*.ipynb")):
        for cell in nbformat.read(notebook, as_version=4).cells:
            points = float(cell.metadata.get("nbgrader", {}).get("points") or 0)
            if is_task(cell) or (is_grade(cell) and is_solution(cell)):
                written += points
            elif is_grade(cell):
                auto += points
    return auto, written


@pytest.mark.parametrize("document", ["README.md", "docs/instructors.md"])
def test_the_course_tables_state_each_lessons_points(document):
    """The README's and the guide's lesson tables are what instructors plan with: their points are
    the notebooks'."""
    text = (REPO / document).read_text(encoding="utf-8")
    rows = {m.group(1): (float(m.group(2)), float(m.group(3)))
            for m in re.finditer(r"^\| `([0-9][0-9]-[a-z-]+)` \|.*\| (\d+) \| (\d+) \|$", text, re.M)}
    assert set(rows) == {p.name for p in LESSONS}, f"the lesson table of {document} lists other lessons than lessons/"
    for lesson in LESSONS:
        assert rows[lesson.name] == _points(lesson), (
            f"{document} says {lesson.name} has {rows[lesson.name]} (auto, written) points; its notebook has "
            f"{_points(lesson)}")


@pytest.mark.parametrize("lesson", [p for p in LESSONS if _kind(p) == "lesson"], ids=lambda p: p.name)
def test_every_graded_widget_kind_is_practised_first(lesson):
    """Worked example, practice with feedback, then the graded item (issue 12): before a lesson's
    first graded widget of a kind there is an ungraded widget of the same kind that checks answers
    (``reference=`` or, for a quiz, ``correct=``)."""
    from medialit.references import WIDGET_KINDS, widget_calls

    graded = _references(lesson.name)
    practised: set[str] = set()
    unpractised = []
    for cell in nbformat.read(_notebook(lesson), as_version=4).cells:
        if cell.cell_type != "code":
            continue
        for cls, qid in widget_calls(cell.source):
            kind = WIDGET_KINDS[cls]
            if qid in graded:
                if kind not in practised:
                    unpractised.append(f"{qid} ({kind})")
            elif "reference=" in cell.source or "correct=" in cell.source:
                practised.add(kind)
    assert not unpractised, f"{lesson.name}: graded with no practice of the same kind before: {unpractised}"
