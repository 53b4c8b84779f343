"""Reference files: the grading side's answers to a lesson's widget questions.

``references/<lesson>.json`` sits at the course root, beside ``lessons/`` and never inside a
lesson folder (``nbgrader generate_assignment`` copies every file of a lesson folder to
students). The grader (:class:`medialit.grader.score_answers.ScoreAnswers`) reads it; the
student's kernel never sees it. The format is ``medialit/schemas/references.schema.json``; each
reference has the shape of its kind's answer (``medialit/schemas/answer.schema.json``).

:func:`check_course` checks a course: every widget test cell has a reference and vice versa,
points match, passages match the notebook, and no test cell scores a widget in the kernel.

>>> load_references({"schema": 1, "lesson": "01-x", "questions": {"q": {"cell": "t-q", "kind": "quiz",
...                  "points": 2, "reference": {"selected": 5}}}})
Traceback (most recent call last):
...
ValueError: 01-x: question 'q': its reference is not a quiz answer (selected: 5 is not of type 'array').
"""

from __future__ import annotations

import ast
import json
import re
from functools import lru_cache
from pathlib import Path

from .answers import kind_schema, schema_problem
from .course import REFERENCES_DIR, WIDGET_KINDS, CourseLayout, parse_cell, widget_calls
from .scoring import TEXT_KINDS

__all__ = ["REFERENCES_DIR", "WIDGET_KINDS", "load_references", "reference_text", "references_schema",
           "check_course", "widget_kinds", "write_model_answers", "as_answer"]

_SCORE_CALL = re.compile(r"\bscore_(?:spans|choice|sentences|frame_map|ledger|categories)\s*\(")
_HIDDEN = "### BEGIN HIDDEN TESTS"


@lru_cache(maxsize=1)
def references_schema() -> dict:
    """The reference-file format as a JSON schema (``medialit/schemas/references.schema.json``)."""
    return json.loads((Path(__file__).parent / "schemas" / "references.schema.json").read_text(encoding="utf-8"))


def load_references(source: str | Path | dict) -> dict:
    """A lesson's references (a path or the decoded file), checked; a ValueError names the
    file, the question and the problem."""
    if isinstance(source, dict):
        data, name = source, str(source.get("lesson", "references"))
    else:
        path = Path(source)
        name = str(path)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise ValueError(f"{name}: cannot be read as JSON ({error}).") from None
    problem = schema_problem(data, references_schema(), max_depth=12)
    if problem:
        raise ValueError(f"{name}: not a valid reference file ({problem}). See medialit/schemas/references.schema.json.")
    for qid, question in data["questions"].items():
        kind = question["kind"]
        for where, reference in [("its reference", question["reference"])] + \
                [(f"alternative {n + 1}", alt["reference"]) for n, alt in enumerate(question.get("alternatives", []))]:
            problem = schema_problem(as_answer(reference), kind_schema(kind), max_depth=8)
            if problem:
                raise ValueError(f"{name}: question {qid!r}: {where} is not a {kind} answer ({problem}).")
        extra = set(question.get("explanations") or {}) - {"_"}
        if extra and kind != "quiz":
            raise ValueError(f"{name}: question {qid!r}: only quizzes have explanations.")
    return data


def write_model_answers(root: str | Path, lesson: str, dest: str | Path | None = None) -> Path:
    """Write the key of every widget question of ``lesson`` as answer files (the format a
    student's widgets save), to ``dest`` or ``<root>/.instructor-answers/<lesson>/``; return the
    folder. The instructor's model submission, the lesson tests and ``class-report`` use them.

    >>> import tempfile, shutil; from pathlib import Path
    >>> root = Path(tempfile.mkdtemp()); _ = shutil.copytree(Path(__file__).parents[2] / "references", root / "references")
    >>> sorted(p.name for p in write_model_answers(root, "00-orientation").iterdir())
    ['how-notebooks.json', 'why-naive.json']
    """
    from .answers import AnswerStore, text_hash

    root = Path(root)
    folder = Path(dest) if dest is not None else CourseLayout(root).instructor_answers(lesson)
    cells = [c for nb in sorted((root / "lessons" / lesson).glob("*.ipynb"))
             for c in json.loads(nb.read_text(encoding="utf-8")).get("cells", [])]
    hashes = widget_text_hashes(cells)
    path = root / REFERENCES_DIR / f"{lesson}.json"
    if not path.is_file():
        known = sorted(p.stem for p in (root / REFERENCES_DIR).glob("*.json"))
        raise ValueError(f"{lesson!r} has no reference file {path}. Lessons with references: "
                         f"{', '.join(known) or 'none (is this the course folder?)'}.")
    folder.mkdir(parents=True, exist_ok=True)
    for qid, question in load_references(path)["questions"].items():
        document = reference_text(question)
        text = question.get("text") or {}
        sha = text_hash(document.text) if document is not None else hashes.get(qid, "0" * 16)
        AnswerStore(qid, question["kind"], text_id=None if "paragraph" in text or document is None else text.get("id"),
                    text_sha=sha,
                    directory=folder).save(as_answer(question["reference"]))
    return folder


def widget_text_hashes(cells: list[dict]) -> dict[str, str]:
    """``{question id: text hash}`` of the quizzes and category sorters in a notebook's cells,
    computed as the widgets compute them (question and option keys; items), from literal
    arguments or names assigned a literal in a code cell."""
    from .answers import text_hash

    trees = []
    for cell in cells:
        if cell.get("cell_type") == "code":
            code = "\n".join("" if line.lstrip().startswith(("%", "!")) else line for line in _source(cell).splitlines())
            try:
                trees.append(ast.parse(code))
            except SyntaxError:
                continue
    names: dict[str, object] = {}
    for tree in trees:
        for node in tree.body:
            if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
                try:
                    names[node.targets[0].id] = ast.literal_eval(node.value)
                except ValueError:
                    pass

    def value(node):
        if isinstance(node, ast.Name):
            return names.get(node.id)
        try:
            return ast.literal_eval(node)
        except ValueError:
            return None

    found: dict[str, str] = {}
    for tree in trees:
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and len(node.args) >= 2):
                continue
            args = [value(a) for a in node.args[:3]]
            if node.func.id == "Quiz" and len(args) == 3 and isinstance(args[1], str) and isinstance(args[2], dict):
                found[args[0]] = text_hash(args[1] + "\n" + "\n".join(args[2]))
            elif node.func.id == "CategorySorter" and isinstance(args[1], list):
                found[args[0]] = text_hash("\n".join(args[1]))
    return found


def as_answer(reference: dict) -> dict:
    """A reference in the exact shape of an answer: the first of each list of accepted values,
    spans without their fourth element (core, optional). Used to check references against the
    answer schema and to write model answers.

    >>> as_answer({"spans": [[0, 4, "hedge", {"core": [0, 4]}]], "labels": {"0": {"claim": ["opinion", "prediction"]}}})
    {'spans': [[0, 4, 'hedge']], 'labels': {'0': {'claim': 'opinion'}}}
    """
    out = {}
    for key, value in reference.items():
        if key == "spans":
            out[key] = [list(s[:3]) for s in value if not (len(s) > 3 and isinstance(s[3], dict) and s[3].get("optional"))]
        elif key in ("labels", "claims"):
            out[key] = {k: (v[0] if isinstance(v, list) and key == "labels" and v and not isinstance(v[0], dict)
                            else {f: (x[0] if isinstance(x, list) and f != "missing" and x else x) for f, x in v.items()}
                            if isinstance(v, dict) else v) for k, v in value.items()}
        elif key == "primary_frame" and isinstance(value, list):
            out[key] = value[0] if value else None
        else:
            out[key] = value
    return out


def reference_text(question: dict):
    """The :class:`~medialit.text.Document` a question's answers belong to: the text it names,
    for the kinds whose answers belong to a text (``TEXT_KINDS``); None otherwise. A quiz or a
    sorter may name a corpus text too (where its items are quoted from, so that the text's gold
    stays on the instructor's side), but its answers are not tied to that text.

    >>> reference_text({"kind": "categories", "text": {"id": "ukr-beijing"}}) is None
    True
    """
    text = question.get("text")
    if not text or question.get("kind") not in TEXT_KINDS:
        return None
    if "id" in text:
        from . import corpus

        document = corpus.document(text["id"])
        if "paragraph" in text:
            from .text import read

            return read(document.paragraphs[text["paragraph"]].text)
        return document
    from .text import read

    return read(text["passage"])


def widget_kinds(cells: list[dict]) -> dict[str, str]:
    """``{question id: kind}`` of the widgets a notebook's code cells create."""
    found: dict[str, str] = {}
    for cell in cells:
        if cell.get("cell_type") == "code":
            for cls, qid in widget_calls(_source(cell)):
                found.setdefault(qid, WIDGET_KINDS[cls])
    return found


def _source(cell: dict) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


def _string_constants(cells: list[dict]) -> set[str]:
    found: set[str] = set()
    for cell in cells:
        if cell.get("cell_type") != "code":
            continue
        tree = parse_cell(_source(cell))
        if tree is None:
            continue
        found |= {node.value for node in ast.walk(tree) if isinstance(node, ast.Constant) and isinstance(node.value, str)}
    return found


def check_course(root: str | Path) -> list[str]:
    """Every problem between the lessons in ``<root>/lessons`` and their reference files in
    ``<root>/references``, one ``file: problem`` line each (empty when all is well)."""
    root = Path(root)
    problems: list[str] = []
    lessons = sorted(p for p in (root / "lessons").iterdir() if p.is_dir()) if (root / "lessons").is_dir() else []
    names = {p.name for p in lessons}
    for path in sorted((root / REFERENCES_DIR).glob("*.json")):
        if path.stem not in names:
            problems.append(f"{path.relative_to(root)}: there is no lesson {path.stem!r} in lessons/")
    for lesson in lessons:
        problems += _check_lesson(root, lesson)
    return problems


def _check_lesson(root: Path, lesson: Path) -> list[str]:
    from nbformat import from_dict
    from nbgrader.utils import is_grade, is_solution  # nbgrader's own reading of its cell metadata

    notebooks = sorted(lesson.glob("*.ipynb"))
    if not notebooks:
        return []
    cells: list[dict] = []
    for nb in notebooks:
        cells += json.loads(nb.read_text(encoding="utf-8")).get("cells", [])
    where = f"lessons/{lesson.name}"
    ref_path = root / REFERENCES_DIR / f"{lesson.name}.json"
    shown = f"{REFERENCES_DIR}/{lesson.name}.json"
    problems: list[str] = []
    if (lesson / REFERENCES_DIR).exists() or list(lesson.glob("*.references.json")):
        problems.append(f"{where}: reference files must not be inside the lesson folder (students get every file "
                        f"in it); keep them in {REFERENCES_DIR}/ at the course root")
    questions: dict[str, dict] = {}
    if ref_path.is_file():
        try:
            data = load_references(ref_path)
        except ValueError as error:
            return problems + [str(error)]
        if data["lesson"] != lesson.name:
            problems.append(f"{shown}: 'lesson' is {data['lesson']!r}, not {lesson.name!r}")
        questions = data["questions"]
    tests = {}
    for cell in cells:
        node = from_dict({"metadata": {}, **cell})
        if cell.get("cell_type") == "code" and is_grade(node) and not is_solution(node):  # a test cell
            meta = cell["metadata"]["nbgrader"]
            tests[meta.get("grade_id")] = (meta.get("points"), _source(cell))
    for grade_id, (_, source) in tests.items():
        if _SCORE_CALL.search(source):
            problems.append(f"{where}: test cell {grade_id!r} scores a widget answer in the student's kernel "
                            f"(score_...); move its reference to {shown} and keep only a visible check")
    widgets = widget_kinds(cells)
    constants = _string_constants(cells)
    cells_used: dict[str, str] = {}
    for qid, question in questions.items():
        label = f"{shown}: question {qid!r}"
        if qid not in widgets:
            problems.append(f"{label}: the lesson creates no widget with this id (its widgets: "
                            f"{', '.join(widgets) or 'none'})")
        elif widgets[qid] != question["kind"]:
            problems.append(f"{label}: kind {question['kind']!r}, but the widget saves {widgets[qid]!r}")
        cell = question["cell"]
        if cell in cells_used:
            problems.append(f"{label}: cell {cell!r} is already the cell of {cells_used[cell]!r}")
        cells_used[cell] = qid
        if cell not in tests:
            problems.append(f"{label}: cell {cell!r} is not a test cell of the lesson (test cells: {', '.join(tests)})")
            continue
        points, source = tests[cell]
        if float(points or 0) != float(question["points"]):
            problems.append(f"{label}: {question['points']:g} points, but cell {cell!r} has {points}")
        if f'load_answer("{qid}"' not in source and f"load_answer('{qid}'" not in source:
            problems.append(f"{label}: cell {cell!r} has no visible check that the answer was saved "
                            f"(expect(load_answer({qid!r}) is not None, ...))")
        if _HIDDEN in source:
            problems.append(f"{label}: cell {cell!r} still has hidden tests; the grader scores this question")
        text = question.get("text") or {}
        if question["kind"] in TEXT_KINDS and "passage" in text and text["passage"] not in constants:
            problems.append(f"{label}: the passage is not a string in the notebook (was the text edited? copy it "
                            "again so that answers' text fingerprints match)")
        for text_id in ([text["id"]] if "id" in text else []) + list(question.get("quotes", [])):
            from . import corpus

            try:
                corpus.document(text_id)
            except LookupError:
                problems.append(f"{label}: {text_id!r} is not a corpus text")
        if question["kind"] == "spans" and text:
            length = len(reference_text(question).text)
            bad = [s for s in question["reference"]["spans"] if not 0 <= s[0] < s[1] <= length]
            if bad:
                problems.append(f"{label}: span {bad[0]} is outside the text (0 to {length})")
    for grade_id, (_, source) in tests.items():
        if grade_id in cells_used or _HIDDEN in source:
            continue
        asked = [qid for qid in widgets if f'load_answer("{qid}"' in source or f"load_answer('{qid}'" in source]
        if asked:
            problems.append(f"{where}: test cell {grade_id!r} checks widget {asked[0]!r} but has neither hidden "
                            f"tests nor an entry in {shown}, so it would give full points to any saved answer")
    return problems
