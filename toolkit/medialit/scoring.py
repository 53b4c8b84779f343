"""Scoring rules for every kind of widget question, in one place: pure functions on plain data.

The grader (:class:`medialit.grader.score_answers.ScoreAnswers`), the widgets' practice feedback
and the helpers in :mod:`medialit.grading` all score with these functions, so they cannot
disagree. Nothing here reads files, prints or knows nbgrader. Each function takes the answer as
saved (the ``answer`` of an answer file), the reference and the question's points, and returns a
:class:`Result`: the fraction earned (0-1), the points, one short message for the student (it
never shows the reference) and details for the instructor.

>>> result = score_choice({"selected": ["a", "c"]}, ["a", "b"], points=2)
>>> result.points, result.message
(0.0, '1 of 2 right options chosen, 1 wrong -> 0 of 2 points')
>>> score("quiz", {"selected": ["a"]}, {"selected": ["a"]}, points=1).fraction
1.0
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable, Sequence

from .spans import spans_meet, word_labels

__all__ = [
    "KINDS",
    "Result",
    "score",
    "score_choice",
    "score_spans",
    "score_sentences",
    "score_frame_map",
    "score_ledger",
    "score_categories",
    "span_f1",
    "span_counts",
]

#: The kinds of widget question, as saved in answer files and named in reference files.
KINDS = ("quiz", "spans", "sentences", "frame_map", "ledger", "categories")
#: The kinds whose answers belong to a text (the reference names the text; the answer's hash must match).
TEXT_KINDS = ("spans", "sentences", "frame_map", "ledger")


@dataclass(frozen=True)
class Result:
    """What one answer earned: ``fraction`` (0-1), ``points`` of ``max_points``, a ``message``
    for the student (never the reference) and ``details`` for the instructor."""

    fraction: float
    points: float
    max_points: float
    message: str
    details: dict = field(default_factory=dict)


def _result(fraction: float, points: float, what: str, details: dict | None = None) -> Result:
    fraction = max(0.0, min(1.0, fraction))
    earned = round(fraction * points, 2)
    return Result(fraction, earned, points, f"{what} -> {earned:g} of {points:g} points", details or {})


def _plural(n: float, word: str, many: str | None = None) -> str:
    return f"{n:g} {word if n == 1 else (many or word + 's')}"


# ------------------------------------------------------------------------------------------
# spans


def span_f1(answer: Iterable[Sequence], reference: Iterable[Sequence], words: Sequence[Any],
            label: str | None = None) -> tuple[float, float, float]:
    """Word-level precision, recall and F1 of answer spans against reference spans (labels must
    match); ``words`` are the text's word tokens.

    >>> from medialit import read
    >>> doc = read("A reckless and dangerous plan.")
    >>> span_f1([[2, 10, "loaded_language"]], [[2, 10, "loaded_language"], [15, 24, "loaded_language"]], doc.word_tokens)
    (1.0, 0.5, 0.667)
    """
    answer = [tuple(s) for s in answer if label is None or s[2] == label]
    reference = [tuple(s) for s in reference if label is None or s[2] == label]

    def labelled(spans) -> set[tuple[int, str]]:
        return {(k, lab) for k, labels in enumerate(word_labels(spans, words)) for lab in labels}

    mine, theirs = labelled(answer), labelled(reference)
    hits = len(mine & theirs)
    precision = hits / len(mine) if mine else (1.0 if not theirs else 0.0)
    recall = hits / len(theirs) if theirs else (1.0 if not mine else 0.0)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return round(precision, 3), round(recall, 3), round(f1, 3)


def span_counts(answer: Iterable[Sequence], reference: Iterable[Sequence]) -> tuple[list, list, list]:
    """Reference spans found (met by a mark with the same label), reference spans missed, and
    marks that meet no reference span (false alarms).

    >>> span_counts([(0, 4, "x"), (10, 12, "x")], [(2, 6, "x"), (20, 25, "x")])
    ([(2, 6, 'x')], [(20, 25, 'x')], [(10, 12, 'x')])
    """
    answer, reference = [tuple(s) for s in answer], [tuple(s) for s in reference]
    found = [r for r in reference if any(spans_meet(r, a) for a in answer)]
    missed = [r for r in reference if r not in found]
    false = [a for a in answer if not any(spans_meet(a, r) for r in reference)]
    return found, missed, false


def score_spans(answer: dict, reference: Sequence[Sequence], words: Sequence[Any], *, points: float,
                label: str | None = None) -> Result:
    """``points`` times the word-level F1 of the marked spans with the reference spans.

    >>> from medialit import read
    >>> doc = read("A reckless and dangerous plan.")
    >>> score_spans({"spans": [[2, 10, "loaded_language"]]}, [[2, 10, "loaded_language"], [15, 24, "loaded_language"]],
    ...             doc.word_tokens, points=4).message
    '1 of 2 marked passages found, 0 false alarms (F1 over words 0.67) -> 2.67 of 4 points'
    """
    spans = [s for s in answer.get("spans", []) if label is None or s[2] == label]
    reference = [s for s in reference if label is None or s[2] == label]
    precision, recall, f1 = span_f1(spans, reference, words)
    found, _, false = span_counts(spans, reference)
    what = (f"{len(found)} of {_plural(len(reference), 'marked passage')} found, "
            f"{_plural(len(false), 'false alarm')} (F1 over words {f1:.2f})")
    return _result(f1, points, what, {"precision": precision, "recall": recall, "f1": f1, "found": len(found),
                                      "total": len(reference), "false_alarms": len(false)})


# ------------------------------------------------------------------------------------------
# other kinds


def score_choice(answer: dict, correct: Iterable[str], *, points: float) -> Result:
    """Right options chosen minus wrong ones, over the number of right options."""
    chosen, right_set = set(answer.get("selected", [])), set(correct)
    right, wrong = len(chosen & right_set), len(chosen - right_set)
    fraction = (right - wrong) / len(right_set) if right_set else 0.0
    return _result(fraction, points, f"{right} of {_plural(len(right_set), 'right option')} chosen, {wrong} wrong",
                   {"right": right, "wrong": wrong, "total": len(right_set)})


def score_sentences(answer: dict, reference: dict, *, points: float) -> Result:
    """The share of the reference's sentence labels matched; ``details["wrong"]`` lists the
    sentence numbers with a label that does not agree (for hints that name no answer).

    ``reference`` is ``{"labels": {"0": {"claim": "opinion", "unsupported": True}, ...}}``.

    >>> score_sentences({"labels": {"0": {"claim": "opinion"}}},
    ...                 {"labels": {"0": {"claim": "opinion"}, "1": {"claim": "factual"}}}, points=2).message
    '1 of 2 labels agree -> 1 of 2 points'
    """
    mine, theirs = answer.get("labels", {}), reference.get("labels", {})
    total = right = 0
    wrong: list[int] = []
    for key, fields in theirs.items():
        row = mine.get(str(key))
        for name, value in fields.items():
            total += 1
            if isinstance(row, dict) and row.get(name) == value:
                right += 1
            elif int(key) not in wrong:
                wrong.append(int(key))
    return _result(right / total if total else 0.0, points, f"{right} of {_plural(total, 'label')} agree",
                   {"right": right, "total": total, "wrong": sorted(wrong)})


def score_frame_map(answer: dict, reference: dict, *, points: float) -> Result:
    """One share for the primary frame and one per framing function; a function scores by
    overlap (Jaccard) of the chosen sentences with the reference's. Functions missing from the
    reference are not scored.

    ``reference`` is ``{"functions": {"problem": [0], ...}, "primary_frame": "..."}``.
    """
    parts = []
    for function, wanted in (reference.get("functions") or {}).items():
        chosen, wanted = set((answer.get("functions") or {}).get(function) or []), set(wanted)
        parts.append(len(chosen & wanted) / len(chosen | wanted) if chosen | wanted else 1.0)
    if reference.get("primary_frame"):
        parts.append(1.0 if answer.get("primary_frame") == reference["primary_frame"] else 0.0)
    fraction = sum(parts) / len(parts) if parts else 0.0
    return _result(fraction, points, f"{_plural(len(parts), 'part')} scored, {sum(parts):.2g} agree",
                   {"parts": [round(p, 3) for p in parts]})


def score_ledger(answer: dict, reference: dict, *, points: float) -> Result:
    """Source type and missing Toulmin parts (Jaccard), per claim; only the fields given in the
    reference are scored (the free-text evidence is for the instructor).

    ``reference`` is ``{"claims": {"3": {"source": "vague", "missing": ["grounds"]}}}``.
    """
    mine = answer.get("claims") or {}
    total = right = 0.0
    for key, fields in (reference.get("claims") or {}).items():
        row = mine.get(str(key)) or {}
        for name, value in fields.items():
            total += 1
            if name == "missing":
                got, want = set(row.get("missing") or []), set(value)
                right += len(got & want) / len(got | want) if got | want else 1.0
            else:
                right += row.get(name) == value
    return _result(right / total if total else 0.0, points, f"{right:.3g} of {_plural(total, 'field')} agree",
                   {"right": right, "total": total})


def score_categories(answer: dict, reference: dict, *, points: float, none: str = "none") -> Result:
    """The share of items labelled as in the reference. A near-miss labelled with a category
    when the reference says ``none`` is a false alarm and earns nothing.

    ``reference`` is ``{"labels": {"0": "whataboutism", "1": "none", ...}}``.
    """
    mine, theirs = answer.get("labels") or {}, reference.get("labels") or {}
    right = sum(1 for k, v in theirs.items() if mine.get(str(k)) == v)
    false_alarms = sum(1 for k, v in theirs.items() if v == none and mine.get(str(k)) not in (None, none))
    misses = sum(1 for k, v in theirs.items() if v != none and mine.get(str(k)) in (None, none))
    what = (f"{right} of {_plural(len(theirs), 'item')} right ({_plural(false_alarms, 'false alarm')}, "
            f"{misses} missed)")
    return _result(right / len(theirs) if theirs else 0.0, points, what,
                   {"right": right, "total": len(theirs), "false_alarms": false_alarms, "misses": misses})


def score(kind: str, answer: dict, reference: Any, *, points: float, words: Sequence[Any] | None = None) -> Result:
    """Score an answer of any kind against a reference as stored in a lesson's reference file
    (a reference has the shape of an answer: ``{"selected": [...]}`` for a quiz, ``{"spans":
    [...]}`` for spans, which also need the text's ``words``). An answer of the wrong shape
    scores 0 with a message.

    >>> score("frames", {}, {}, points=1)
    Traceback (most recent call last):
    ...
    ValueError: 'frames' is not a kind of question. The kinds are: quiz, spans, sentences, frame_map, ledger, categories.
    """
    if kind not in KINDS:
        raise ValueError(f"{kind!r} is not a kind of question. The kinds are: {', '.join(KINDS)}.")
    try:
        if kind == "quiz":
            return score_choice(answer, reference["selected"], points=points)
        if kind == "spans":
            if words is None:
                raise ValueError("span answers need the text's words to be scored")
            return score_spans(answer, reference["spans"], words, points=points)
        function = {"sentences": score_sentences, "frame_map": score_frame_map, "ledger": score_ledger,
                    "categories": score_categories}[kind]
        return function(answer, reference, points=points)
    except (AttributeError, TypeError, KeyError, IndexError) as error:
        return _result(0.0, points, f"the saved answer does not have the shape of a {kind} answer "
                                    f"({type(error).__name__}); use the widget to answer again",
                       {"error": str(error)[:200]})
