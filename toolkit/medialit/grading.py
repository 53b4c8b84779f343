"""Grading helpers for test cells: visible checks with hints, saved answers, plain-type comparison.

Widget questions are scored by the grader, not in the student's kernel
(:class:`medialit.grader.score_answers.ScoreAnswers`, references in ``references/<lesson>.json``);
their test cells only check, visibly, that an answer was saved (:func:`load_answer`). The
``score_*`` helpers below load an answer from a folder and score it with :mod:`medialit.scoring`
(the same rules as the grader), for practice and for tests.

Every answer is converted to plain built-in types before it is compared (an object whose
``__eq__`` always says True is rejected, not trusted). Messages go to standard output:
nbgrader gives 0 points to a test cell that writes anything to standard error.

>>> import tempfile
>>> from medialit.answers import AnswerStore
>>> folder = tempfile.mkdtemp()
>>> AnswerStore("q1", "quiz", text_sha="0" * 16, directory=folder).save({"selected": ["a", "c"]})
>>> score_choice("q1", correct=["a", "b"], points=2, directory=folder)
q1: 1 of 2 right options chosen, 1 wrong -> 0 of 2 points
0.0
"""

from __future__ import annotations

import math
from typing import Any, Iterable, Sequence

from . import scoring
from .answers import AnswerStore, text_hash
from .text import Document

__all__ = [
    "Hint",
    "to_builtin",
    "same",
    "load_answer",
    "span_f1",
    "score_spans",
    "score_sentences",
    "score_choice",
    "score_frame_map",
    "score_ledger",
    "score_categories",
    "say",
    "expect",
    "expect_defined",
]

_PLAIN = (str, int, float, bool, type(None))


def say(message: str) -> None:
    """Print a grading message to standard output (never standard error)."""
    print(message, flush=True)


class Hint(AssertionError):
    """A failed check, shown to the student as its hint alone.

    IPython shows ``_render_traceback_`` instead of a traceback, so a student sees one line
    ("Hint: ...") and no frames from this module. It is an ``AssertionError``, so nbgrader gives
    the test cell 0 points as for any failed assertion.

    >>> Hint("Use len(doc.words).")._render_traceback_()[0].endswith("Hint:\x1b[0m Use len(doc.words).")
    True
    """

    def _render_traceback_(self) -> list[str]:
        return [f"\x1b[1;31mHint:\x1b[0m {self}"]


def expect(condition: object, hint: str) -> None:
    """For visible tests: fail with an actionable hint when ``condition`` is false.

    Lesson test cells carry the ``raises-exception`` tag, so a failed check shows its hint and
    *Run All* goes on to the next cell.

    >>> expect(1 + 1 == 2, "never shown")
    >>> expect(False, "n_words should be a whole number: use len(washington.words).")
    Traceback (most recent call last):
    ...
    medialit.grading.Hint: n_words should be a whole number: use len(washington.words).
    """
    if not condition:
        raise Hint(hint)


def expect_defined(name: str, namespace: dict, hint: str | None = None) -> None:
    """Fail with a hint when the answer variable ``name`` has not been set yet."""
    expect(name in namespace, hint or f"{name} is not defined yet: run your answer cell above (and any cells before it).")


def to_builtin(value: Any, _depth: int = 0) -> Any:
    """Return ``value`` as plain built-in types, or raise TypeError.

    Accepts str, int, float, bool, None, and lists, tuples, sets and dicts of them (tuples and
    sets become lists, sorted for sets). Subclasses are refused: a ``str`` subclass can override
    ``__eq__`` and pass any comparison.

    >>> to_builtin({"a": (1, 2), "b": {3}})
    {'a': [1, 2], 'b': [3]}
    >>> class Always(str):
    ...     def __eq__(self, other): return True
    >>> to_builtin(Always("x"))
    Traceback (most recent call last):
    ...
    TypeError: The answer contains an object of type Always; answers must be plain strings, numbers, True/False, lists or dicts.
    """
    if _depth > 50:
        raise TypeError("The answer is nested too deeply to be a plain answer.")
    kind = type(value)
    if kind in _PLAIN:
        if kind is float and not math.isfinite(value):
            raise TypeError("The answer contains a number that is not finite (nan or infinity).")
        return value
    if kind in (list, tuple):
        return [to_builtin(v, _depth + 1) for v in value]
    if kind in (set, frozenset):
        items = [to_builtin(v, _depth + 1) for v in value]
        return sorted(items, key=repr)
    if kind is dict:
        out = {}
        for k, v in value.items():
            if type(k) not in (str, int):
                raise TypeError(f"The answer has a key of type {type(k).__name__}; keys must be strings or numbers.")
            out[k] = to_builtin(v, _depth + 1)
        return out
    raise TypeError(f"The answer contains an object of type {kind.__name__}; answers must be plain strings, "
                    "numbers, True/False, lists or dicts.")


def same(answer: Any, expected: Any) -> bool:
    """Compare an answer with the expected value after converting both to built-in types.

    >>> same(("a", "b"), ["a", "b"])
    True
    """
    try:
        return to_builtin(answer) == to_builtin(expected)
    except TypeError as error:
        say(f"Not graded: {error}")
        return False


def load_answer(question_id: str, *, kind: str | None = None, text: Document | str | None = None,
                directory=None) -> dict | None:
    """The saved answer of a question as plain data, or None (with a message on stdout).

    The file is checked as the grader checks it (:func:`medialit.answers.read_answer_file`). If
    ``text`` is given, an answer saved for a different text is refused, and says so.
    """
    store = AnswerStore(question_id, kind or "any", directory=directory)
    body = text.text if isinstance(text, Document) else text
    found = store.read(text_sha=None if body is None else text_hash(body))
    if found.reason == "missing":
        say(f"{question_id}: not answered yet (answer with the widget above: your answer is saved in "
            f"answers/{question_id}.json beside this notebook; submit that folder with the notebook).")
        return None
    if found.problem:
        say(f"{question_id}: the saved answer {found.problem}.")
        return None
    return found.record["answer"]


def _scored(question_id: str, kind: str, score, document: Document | None, directory) -> float:
    """Load an answer and score it with ``score(answer)`` (a :mod:`medialit.scoring` function)."""
    answer = load_answer(question_id, kind=kind, text=document, directory=directory)
    if answer is None:
        return 0.0
    result = score(answer)
    say(f"{question_id}: {result.message}")
    return result.points


def span_f1(answer: Iterable[Sequence], reference: Iterable[Sequence], document: Document,
            label: str | None = None) -> tuple[float, float, float]:
    """Word-level precision, recall and F1 of answer spans against reference spans (labels must
    match): :func:`medialit.scoring.span_f1` on the document's words.

    >>> from medialit import read
    >>> doc = read("A reckless and dangerous plan.")
    >>> span_f1([[2, 10, "loaded_language"]], [[2, 10, "loaded_language"], [15, 24, "loaded_language"]], doc)
    (1.0, 0.5, 0.667)
    """
    answer = [tuple(to_builtin(list(s))) for s in answer]
    reference = [tuple(to_builtin(list(s))) for s in reference]
    return scoring.span_f1(answer, reference, document.word_tokens, label)


def score_spans(question_id: str, reference: Iterable[Sequence], document: Document, *, points: float,
                label: str | None = None, directory=None) -> float:
    """Partial credit for a span-marking answer (:func:`medialit.scoring.score_spans`)."""
    reference = to_builtin(list(reference))
    return _scored(question_id, "spans", lambda answer: scoring.score_spans(
        answer, reference, document.word_tokens, points=points, label=label), document, directory)


def score_sentences(question_id: str, reference: dict, *, points: float, document: Document | None = None,
                    directory=None) -> float:
    """Partial credit for a sentence-sorting answer (:func:`medialit.scoring.score_sentences`)."""
    reference = to_builtin(reference)
    return _scored(question_id, "sentences", lambda answer: scoring.score_sentences(answer, reference, points=points),
                   document, directory)


def score_choice(question_id: str, correct: Iterable[str], *, points: float, directory=None) -> float:
    """Partial credit for a quiz answer (:func:`medialit.scoring.score_choice`)."""
    correct = to_builtin(list(correct))
    return _scored(question_id, "quiz", lambda answer: scoring.score_choice(answer, correct, points=points),
                   None, directory)


def score_frame_map(question_id: str, reference: dict, *, points: float, document: Document | None = None,
                    directory=None) -> float:
    """Partial credit for a frame map (:func:`medialit.scoring.score_frame_map`)."""
    reference = to_builtin(reference)
    return _scored(question_id, "frame_map", lambda answer: scoring.score_frame_map(answer, reference, points=points),
                   document, directory)


def score_ledger(question_id: str, reference: dict, *, points: float, document: Document | None = None,
                 directory=None) -> float:
    """Partial credit for a claim ledger (:func:`medialit.scoring.score_ledger`)."""
    reference = to_builtin(reference)
    return _scored(question_id, "ledger", lambda answer: scoring.score_ledger(answer, reference, points=points),
                   document, directory)


def score_categories(question_id: str, reference: dict, *, points: float, none: str = "none",
                     directory=None) -> float:
    """Partial credit for a category sorter (:func:`medialit.scoring.score_categories`)."""
    reference = to_builtin(reference)
    return _scored(question_id, "categories",
                   lambda answer: scoring.score_categories(answer, reference, points=points, none=none),
                   None, directory)
