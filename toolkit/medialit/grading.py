"""Grading helpers for hidden tests: load saved answers, compare them with references, give partial credit.

Every answer is converted to plain built-in types before it is compared (an object whose
``__eq__`` always says True is rejected, not trusted). Messages go to standard output:
nbgrader gives 0 points to a test cell that writes anything to standard error.

A hidden test cell ends with the score, which nbgrader takes as partial credit:

>>> import tempfile
>>> from medialit.answers import AnswerStore
>>> folder = tempfile.mkdtemp()
>>> AnswerStore("q1", "quiz", directory=folder).save({"selected": ["a", "c"]})
>>> score_choice("q1", correct=["a", "b"], points=2, directory=folder)
q1: 1 of 2 right options chosen, 1 wrong -> 0.0 of 2 points
0.0
"""

from __future__ import annotations

import math
from typing import Any, Iterable, Sequence

from .answers import AnswerStore
from .text import Document

__all__ = [
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


def expect(condition: object, hint: str) -> None:
    """For visible tests: print an actionable hint, then fail, when ``condition`` is false.

    >>> expect(1 + 1 == 2, "never shown")
    >>> expect(False, "n_words should be a whole number: use len(washington.words).")
    Traceback (most recent call last):
    ...
    AssertionError: n_words should be a whole number: use len(washington.words).
    """
    if not condition:
        say(f"Hint: {hint}")
        raise AssertionError(hint)


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

    If ``text`` is given, an answer saved for a different text is refused.
    """
    store = AnswerStore(question_id, kind or "any", directory=directory)
    record = store.read_record()
    if record is None:
        say(f"{question_id}: no saved answer found in {store.path.parent} (was the widget used and the "
            "answers folder submitted with the notebook?)")
        return None
    try:
        record = to_builtin(record)
    except TypeError as error:
        say(f"{question_id}: the saved answer is not plain data ({error})")
        return None
    if kind and record.get("kind") not in (None, kind):
        say(f"{question_id}: the saved answer is for a {record.get('kind')} question, not {kind}.")
        return None
    if text is not None:
        from .answers import text_hash

        body = text.text if isinstance(text, Document) else text
        if record.get("text_hash") not in (None, text_hash(body)):
            say(f"{question_id}: the saved answer was made for a different text ({record.get('text_id')!r}).")
            return None
    answer = record.get("answer")
    return answer if isinstance(answer, dict) else None


def _answer_and_reference(question_id: str, kind: str, reference: Any, key: str | None,
                          document: Document | None, directory) -> tuple[Any, Any] | None:
    """Load a saved answer and pair it with the reference, both as plain data (or None, with a message)."""
    answer = load_answer(question_id, kind=kind, text=document, directory=directory)
    if answer is None:
        return None
    try:
        mine = to_builtin(answer.get(key, {}) if key else answer)
        theirs = to_builtin(reference.get(key, reference) if key and isinstance(reference, dict) else reference)
    except TypeError as error:
        say(f"{question_id}: {error}")
        return None
    return mine, theirs


def _points(fraction: float, points: float) -> float:
    return round(max(0.0, min(1.0, fraction)) * points, 2)


def span_f1(answer: Iterable[Sequence], reference: Iterable[Sequence], document: Document,
            label: str | None = None) -> tuple[float, float, float]:
    """Token-level precision, recall and F1 of answer spans against reference spans (labels must match).

    >>> from medialit import read
    >>> doc = read("A reckless and dangerous plan.")
    >>> span_f1([[2, 10, "loaded_language"]], [[2, 10, "loaded_language"], [15, 24, "loaded_language"]], doc)
    (1.0, 0.5, 0.667)
    """
    answer = [tuple(to_builtin(list(s))) for s in answer]
    reference = [tuple(to_builtin(list(s))) for s in reference]
    if label is not None:
        answer = [s for s in answer if s[2] == label]
        reference = [s for s in reference if s[2] == label]

    def labelled(spans):
        out = set()
        for k, word in enumerate(document.word_tokens):
            for start, end, lab in spans:
                if start < word.end and end > word.start:
                    out.add((k, lab))
        return out

    mine, theirs = labelled(answer), labelled(reference)
    hits = len(mine & theirs)
    precision = hits / len(mine) if mine else (1.0 if not theirs else 0.0)
    recall = hits / len(theirs) if theirs else (1.0 if not mine else 0.0)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return round(precision, 3), round(recall, 3), round(f1, 3)


def score_spans(question_id: str, reference: Iterable[Sequence], document: Document, *, points: float,
                label: str | None = None, directory=None) -> float:
    """Partial credit for a span-marking answer: ``points`` times token-level F1 with the reference."""
    answer = load_answer(question_id, kind="spans", text=document, directory=directory)
    if answer is None:
        return 0.0
    try:
        spans = to_builtin(answer.get("spans", []))
        precision, recall, f1 = span_f1(spans, reference, document, label)
    except (TypeError, ValueError) as error:
        say(f"{question_id}: the saved spans could not be read ({error}).")
        return 0.0
    score = _points(f1, points)
    say(f"{question_id}: precision {precision:.2f}, recall {recall:.2f}, F1 {f1:.2f} -> {score} of {points} points")
    return score


def score_sentences(question_id: str, reference: dict, *, points: float, document: Document | None = None,
                    directory=None) -> float:
    """Partial credit for a sentence-sorting answer: the share of reference labels matched.

    ``reference`` is ``{"labels": {"0": {"claim": "opinion", "unsupported": True}, ...}}``.
    """
    pair = _answer_and_reference(question_id, "sentences", reference, "labels", document, directory)
    if pair is None:
        return 0.0
    mine, theirs = pair
    total = sum(len(fields) for fields in theirs.values())
    right = sum(1 for key, fields in theirs.items() for name, value in fields.items()
                if isinstance(mine.get(str(key)), dict) and mine[str(key)].get(name) == value)
    score = _points(right / total if total else 0.0, points)
    say(f"{question_id}: {right} of {total} labels agree -> {score} of {points} points")
    return score


def score_choice(question_id: str, correct: Iterable[str], *, points: float, directory=None) -> float:
    """Partial credit for a quiz answer: right options chosen minus wrong ones, over the right ones."""
    answer = load_answer(question_id, kind="quiz", directory=directory)
    if answer is None:
        return 0.0
    try:
        chosen = set(to_builtin(answer.get("selected", [])))
        right_set = set(to_builtin(list(correct)))
    except TypeError as error:
        say(f"{question_id}: {error}")
        return 0.0
    right, wrong = len(chosen & right_set), len(chosen - right_set)
    score = _points((right - wrong) / len(right_set) if right_set else 0.0, points)
    say(f"{question_id}: {right} of {len(right_set)} right options chosen, {wrong} wrong -> {score} of {points} points")
    return score


def score_frame_map(question_id: str, reference: dict, *, points: float, document: Document | None = None,
                    directory=None) -> float:
    """Partial credit for a frame map: one share for the primary frame, one per framing function.

    A function scores by overlap (Jaccard) of the chosen sentences with the reference's.
    ``reference`` is ``{"functions": {"problem": [0], ...}, "primary_frame": "..."}``; functions
    missing from the reference are not scored.
    """
    pair = _answer_and_reference(question_id, "frame_map", reference, None, document, directory)
    if pair is None:
        return 0.0
    mine, theirs = pair
    parts = []
    for function, wanted in (theirs.get("functions") or {}).items():
        chosen = set((mine.get("functions") or {}).get(function, []))
        wanted = set(wanted)
        parts.append(len(chosen & wanted) / len(chosen | wanted) if chosen | wanted else 1.0)
    if theirs.get("primary_frame"):
        parts.append(1.0 if mine.get("primary_frame") == theirs["primary_frame"] else 0.0)
    score = _points(sum(parts) / len(parts) if parts else 0.0, points)
    say(f"{question_id}: {len(parts)} parts scored -> {score} of {points} points")
    return score


def score_ledger(question_id: str, reference: dict, *, points: float, document: Document | None = None,
                 directory=None) -> float:
    """Partial credit for a claim ledger: source type and missing Toulmin parts, per claim.

    ``reference`` is ``{"claims": {"3": {"source": "vague", "missing": ["grounds"]}}}``; only the
    fields given in the reference are scored (the free-text evidence is for the instructor).
    """
    pair = _answer_and_reference(question_id, "ledger", reference, "claims", document, directory)
    if pair is None:
        return 0.0
    mine, theirs = pair
    total = right = 0.0
    for key, fields in theirs.items():
        row = mine.get(str(key)) or {}
        for name, value in fields.items():
            total += 1
            if name == "missing":
                got, want = set(row.get("missing") or []), set(value)
                right += len(got & want) / len(got | want) if got | want else 1.0
            else:
                right += row.get(name) == value
    score = _points(right / total if total else 0.0, points)
    say(f"{question_id}: {right:g} of {total:g} fields agree -> {score} of {points} points")
    return score


def score_categories(question_id: str, reference: dict, *, points: float, none: str = "none",
                     directory=None) -> float:
    """Partial credit for a category sorter: the share of items labelled as in the reference.

    A near-miss labelled with a category when the reference says ``none`` is a false alarm and
    earns nothing, so labelling every item as a technique scores no better than guessing.
    ``reference`` is ``{"labels": {"0": "whataboutism", "1": "none", ...}}``.
    """
    pair = _answer_and_reference(question_id, "categories", reference, "labels", None, directory)
    if pair is None:
        return 0.0
    mine, theirs = pair
    right = sum(1 for k, v in theirs.items() if mine.get(str(k)) == v)
    false_alarms = sum(1 for k, v in theirs.items() if v == none and mine.get(str(k)) not in (None, none))
    misses = sum(1 for k, v in theirs.items() if v != none and mine.get(str(k)) in (None, none))
    score = _points(right / len(theirs) if theirs else 0.0, points)
    say(f"{question_id}: {right} of {len(theirs)} items right ({false_alarms} false alarms, {misses} missed) "
        f"-> {score} of {points} points")
    return score
