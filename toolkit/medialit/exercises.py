"""Exercise models: the state, validation and feedback of every widget, as plain Python.

The widgets in :mod:`medialit.widgets` are thin views over these models; everything here runs
and is tested without a browser. Answers are plain dicts of lists, strings, numbers and booleans.

>>> from medialit import read
>>> doc = read("Critics say the reckless plan failed.")
>>> marker = SpanMarkerModel("demo", doc, labels=("loaded_language", "vague_attribution"))
>>> marker.toggle(3, "loaded_language")     # the 4th word, "reckless"
>>> marker.answer()
{'spans': [[16, 24, 'loaded_language']]}
>>> marker.undo(); marker.answer()
{'spans': []}
"""

from __future__ import annotations

from dataclasses import dataclass, field
from statistics import NormalDist
from typing import Any, Iterable, Sequence, Union

from . import codebook, labels
from .answers import check_question_id, text_hash
from .scoring import (accepts, score_categories, score_choice, score_frame_map, score_ledger, score_sentences,
                      span_counts)
from .spans import covered_words, word_labels
from .text import Document

__all__ = [
    "SpanMarkerModel",
    "SentenceSorterModel",
    "FrameMapModel",
    "ClaimLedgerModel",
    "QuizModel",
    "CategorySorterModel",
    "Discernment",
    "discernment",
    "sorting_feedback",
    "category_feedback",
    "ledger_feedback",
    "CLAIM_CHOICES",
    "SUPPORT_CHOICES",
    "SOURCE_CHOICES",
    "TOULMIN_PARTS",
    "CRITICAL_QUESTIONS",
    "LABEL_NAMES",
]

Span = tuple[int, int, str]

#: Readable names of the span labels (for buttons, legends and feedback), from the codebook.
LABEL_NAMES = {label: style.name for label, style in labels.styles().items()}
CLAIM_CHOICES = codebook.claim_types()
SUPPORT_CHOICES = ("supported", "unsupported")
SOURCE_CHOICES = ("named", "vague", "none")
TOULMIN_PARTS = ("grounds", "warrant", "qualifier")
#: Critical questions to ask of a claim (after Walton, Reed & Macagno 2008, *Argumentation Schemes*:
#: the scheme for argument from expert opinion, plus the standard questions of evidence and cause).
CRITICAL_QUESTIONS = (
    "Who is the source, and are they in a position to know?",
    "What is the evidence, and can I check it?",
    "Do other credible sources agree?",
    "Is the source biased or does it gain from the claim?",
    "Does the evidence really lead to the conclusion?",
    "What is left out: other causes, other sides, the numbers?",
)


def _doc_identity(doc: Document) -> tuple[str | None, str]:
    return doc.name, text_hash(doc.text)


def _plain_str(value: object, what: str) -> str:
    if type(value) is not str:
        raise ValueError(f"{what} must be a string, not {type(value).__name__}.")
    return value


# ------------------------------------------------------------------------------------------
# span marker


class SpanMarkerModel:
    """Words of a text, each marked with at most one label; consecutive words form one span."""

    kind = "spans"

    def __init__(self, question_id: str, document: Document, labels: Sequence[str] | None = None) -> None:
        self.question_id = check_question_id(question_id)
        self.document = document
        self.text_id, self.text_sha = _doc_identity(document)
        valid = codebook.span_labels()
        self.labels = tuple(labels or valid)
        for label in self.labels:
            codebook.check_label(label)
        self.words = document.word_tokens
        self._marks: list[str | None] = [None] * len(self.words)
        self._history: list[tuple[str | None, ...]] = []

    # -- changes -------------------------------------------------------------------------------
    def _push(self) -> None:
        self._history.append(tuple(self._marks))
        del self._history[:-200]  # bounded undo

    def _check(self, index: int, label: str | None) -> None:
        if type(index) is not int or not 0 <= index < len(self.words):
            raise ValueError(f"Word number {index!r} is not in this text, which has {len(self.words)} words "
                             f"(numbered 0 to {len(self.words) - 1}).")
        if label is not None and label not in self.labels:
            raise ValueError(f"{label!r} is not a label of this exercise. Its labels are: {', '.join(self.labels)}.")

    def toggle(self, index: int, label: str) -> None:
        """Mark word ``index`` with ``label``, or unmark it if it already has that label."""
        self._check(index, label)
        self._push()
        self._marks[index] = None if self._marks[index] == label else label

    def mark(self, start_index: int, end_index: int, label: str) -> None:
        """Mark words ``start_index`` to ``end_index`` (inclusive) with ``label``."""
        self._check(start_index, label)
        self._check(end_index, label)
        self._push()
        for k in range(min(start_index, end_index), max(start_index, end_index) + 1):
            self._marks[k] = label

    def undo(self) -> None:
        """Go back one change (does nothing if there is nothing to undo)."""
        if self._history:
            self._marks = list(self._history.pop())

    def clear(self) -> None:
        """Remove every mark (can be undone)."""
        if any(self._marks):
            self._push()
            self._marks = [None] * len(self.words)

    @property
    def can_undo(self) -> bool:
        return bool(self._history)

    def label_of(self, index: int) -> str | None:
        """The label of word ``index`` (or None)."""
        return self._marks[index]

    # -- answers ---------------------------------------------------------------------------------
    def spans(self) -> list[Span]:
        """The marked spans: runs of consecutive words with the same label, in character offsets."""
        result: list[Span] = []
        k = 0
        while k < len(self._marks):
            label = self._marks[k]
            if label is None:
                k += 1
                continue
            j = k
            while j + 1 < len(self._marks) and self._marks[j + 1] == label:
                j += 1
            result.append((self.words[k].start, self.words[j].end, label))
            k = j + 1
        return result

    def context(self) -> dict:
        """What a class report needs to read answers without the notebook: the text and labels."""
        return {"text": self.document.text, "labels": list(self.labels)}

    def answer(self) -> dict:
        return {"spans": [[s, e, label] for s, e, label in self.spans()]}

    def set_answer(self, answer: Union[dict, Iterable]) -> None:
        """Set the marks from ``{"spans": [[start, end, label], ...]}`` or a list of spans."""
        spans = answer.get("spans", []) if isinstance(answer, dict) else list(answer)
        marks: list[str | None] = [None] * len(self.words)
        for item in spans:
            if not isinstance(item, (list, tuple)) or len(item) != 3:
                raise ValueError(f"Each span must be [start, end, label]; got {item!r}.")
            start, end, label = item
            if type(start) is not int or type(end) is not int or not 0 <= start < end <= len(self.document.text):
                raise ValueError(f"The span {item!r} is not inside the text (0 to {len(self.document.text)}).")
            self._check(0, _plain_str(label, "A span's label"))
            for k in covered_words([(start, end)], self.words):
                marks[k] = label
        self._push()
        self._marks = marks

    def is_empty(self) -> bool:
        return not any(self._marks)


@dataclass(frozen=True)
class Discernment:
    """How well marks match a reference, without saying which words the reference marks."""

    hits: int
    misses: int
    false_alarms: int
    correct_rejections: int
    dprime: float
    spans_found: int
    spans_total: int
    spans_false: int
    hint: str = ""

    def summary(self) -> str:
        """A short, student-facing sentence (never lists the reference)."""
        parts = [f"You found {self.spans_found} of {self.spans_total} marked phrases",
                 f"{self.spans_false} of your marks {'is a false alarm' if self.spans_false == 1 else 'are false alarms'}"]
        text = "; ".join(parts) + f" (discernment d' = {self.dprime:.1f}: 0 is guessing, above 2 is sharp)."
        return text + (f" Hint: {self.hint}" if self.hint else "")


def discernment(answer: Sequence[Span], reference: Sequence[Span], document: Document,
                label: str | None = None) -> Discernment:
    """Compare marks with a reference word by word (signal detection) and span by span.

    Spans found and false alarms are counted by :func:`medialit.scoring.span_counts`, the
    function the grader's message uses, so practice and grading cannot disagree.
    d' uses the log-linear correction (Hautus 1995): add 0.5 to hits and false alarms and 1 to
    each total, so that perfect scores give a finite value.

    >>> from medialit import read
    >>> doc = read("A reckless, dangerous plan.")
    >>> d = discernment([(2, 10, "loaded_language")], [(2, 10, "loaded_language"), (12, 21, "loaded_language")], doc)
    >>> d.spans_found, d.spans_total, d.spans_false
    (1, 2, 0)
    """
    def keep(spans):
        return [tuple(s) for s in spans if label is None or s[2] == label]

    answer, reference = keep(answer), keep(reference)
    mine, theirs = word_labels(answer, document.word_tokens), word_labels(reference, document.word_tokens)
    hits = sum(1 for m, t in zip(mine, theirs) if m & t)
    misses = sum(1 for m, t in zip(mine, theirs) if t and not (m & t))
    false_alarms = sum(1 for m, t in zip(mine, theirs) if m and not t)
    rejections = sum(1 for m, t in zip(mine, theirs) if not m and not t)
    z = NormalDist().inv_cdf
    hit_rate = (hits + 0.5) / (hits + misses + 1)
    fa_rate = (false_alarms + 0.5) / (false_alarms + rejections + 1)
    dprime = z(hit_rate) - z(fa_rate)
    found, missed, false = span_counts(answer, reference, document.word_tokens)
    hint = ""
    if missed:
        by_paragraph: dict[int, int] = {}
        for r in missed:
            sent = document.sentence_at(r[0])
            if sent is not None:
                by_paragraph[sent.paragraph] = by_paragraph.get(sent.paragraph, 0) + 1
        if by_paragraph:
            para, count = max(by_paragraph.items(), key=lambda item: (item[1], -item[0]))
            what = "phrase you have not marked yet is" if count == 1 else "phrases you have not marked yet are"
            hint = f"{_number_word(count)} {what} in paragraph {para + 1}."
    elif false:
        hint = "every marked phrase is found; now look again at your extra marks."
    return Discernment(hits, misses, false_alarms, rejections, round(dprime, 2),
                       len(found), len(reference), len(false), hint)


def _number_word(n: int) -> str:
    words = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]
    return (words[n] if n < len(words) else str(n)).capitalize()


# ------------------------------------------------------------------------------------------
# sentence sorter


class SentenceSorterModel:
    """Label sentences with a claim type and/or supported-unsupported."""

    kind = "sentences"

    def __init__(self, question_id: str, document: Document, sentences: Sequence[int] | None = None,
                 ask: Sequence[str] = ("claim", "support")) -> None:
        self.question_id = check_question_id(question_id)
        self.document = document
        self.text_id, self.text_sha = _doc_identity(document)
        self.indices = tuple(sentences if sentences is not None else range(len(document.sentences)))
        for k in self.indices:
            if type(k) is not int or not 0 <= k < len(document.sentences):
                raise ValueError(f"Sentence number {k!r} is not in this text, which has "
                                 f"{len(document.sentences)} sentences (0 to {len(document.sentences) - 1}).")
        bad = [a for a in ask if a not in ("claim", "support")]
        if bad or not ask:
            raise ValueError(f"ask must list 'claim' and/or 'support', not {list(ask)!r}.")
        self.ask = tuple(ask)
        self._labels: dict[int, dict[str, Any]] = {}

    def set(self, index: int, claim: str | None = None, support: str | None = None) -> None:
        """Set one sentence's claim type and/or support (None leaves a field as it is)."""
        if index not in self.indices:
            raise ValueError(f"Sentence {index!r} is not part of this exercise. Its sentences are: "
                             f"{', '.join(map(str, self.indices))}.")
        entry = self._labels.setdefault(index, {})
        if claim is not None:
            if claim not in CLAIM_CHOICES:
                raise ValueError(f"{claim!r} is not a claim type. The claim types are: {', '.join(CLAIM_CHOICES)}.")
            entry["claim"] = claim
        if support is not None:
            if support not in SUPPORT_CHOICES:
                raise ValueError(f"{support!r} is not a choice. The choices are: {', '.join(SUPPORT_CHOICES)}.")
            entry["unsupported"] = support == "unsupported"

    def get(self, index: int) -> dict[str, Any]:
        return dict(self._labels.get(index, {}))

    def clear(self) -> None:
        self._labels.clear()

    def context(self) -> dict:
        """What a class report needs to read answers without the notebook."""
        return {"sentences": list(self.indices), "ask": list(self.ask)}

    def answer(self) -> dict:
        return {"labels": {str(k): dict(v) for k, v in sorted(self._labels.items()) if v}}

    def set_answer(self, answer: dict) -> None:
        labels = answer.get("labels", answer) if isinstance(answer, dict) else None
        if not isinstance(labels, dict):
            raise ValueError("A sentence answer is {'labels': {'0': {'claim': 'opinion', 'unsupported': True}}}.")
        self.clear()
        for key, value in labels.items():
            index = int(key)
            if not isinstance(value, dict):
                raise ValueError(f"The label of sentence {key} must be a dict, not {value!r}.")
            unsupported = value.get("unsupported")
            if unsupported is not None and type(unsupported) is not bool:
                raise ValueError(f"'unsupported' of sentence {key} must be True or False.")
            self.set(index, claim=value.get("claim"),
                     support=None if unsupported is None else ("unsupported" if unsupported else "supported"))

    def is_empty(self) -> bool:
        return not any(self._labels.values())


def sorting_feedback(answer: dict, reference: dict) -> tuple[float, str]:
    """Per-item agreement of a sentence answer with a reference, and a hint that names no answer.

    >>> sorting_feedback({"labels": {"0": {"claim": "opinion"}}}, {"labels": {"0": {"claim": "opinion"}, "1": {"claim": "factual"}}})
    (0.5, '1 of 2 labels agree. Sentence 2 needs another look.')
    """
    result = score_sentences(answer, reference, points=1)
    right, total, wrong = result.details["right"], result.details["total"], result.details["wrong"]
    if not total:
        return 1.0, "Nothing to compare."
    hint = f"{right} of {total} labels agree."
    if wrong:
        shown = ", ".join(str(k + 1) for k in sorted(wrong)[:3])
        hint += f" Sentence{'s' if len(wrong) > 1 else ''} {shown}{' and more' if len(wrong) > 3 else ''} " \
                f"need{'s' if len(wrong) == 1 else ''} another look."
    return result.fraction, hint


def _look_again(wrong: Sequence[int], noun: str) -> str:
    """" Items 2 and 5 need another look." for 0-based item numbers (names no answer)."""
    if not wrong:
        return ""
    shown = ", ".join(str(k + 1) for k in sorted(wrong)[:3])
    return (f" {noun.capitalize()}{'s' if len(wrong) > 1 else ''} {shown}{' and more' if len(wrong) > 3 else ''} "
            f"need{'s' if len(wrong) == 1 else ''} another look.")


def category_feedback(answer: dict, reference: dict) -> tuple[float, str]:
    """The practice verdict of a category sorter: the graded share (:func:`medialit.scoring.score_categories`,
    false alarms on near-misses count) and a hint that names no answer.

    >>> category_feedback({"labels": {"0": "bandwagon", "1": "none"}}, {"labels": {"0": "bandwagon", "1": "straw_man"}})
    (0.5, '1 of 2 items agree. Item 2 needs another look.')
    """
    result = score_categories(answer, reference, points=1)
    mine = answer.get("labels") or {}
    wrong = [int(k) for k, v in (reference.get("labels") or {}).items() if not accepts(v, mine.get(str(k)))]
    total = result.details["total"]
    if not total:
        return 1.0, "Nothing to compare."
    return result.fraction, f"{total - len(wrong)} of {total} items agree." + _look_again(wrong, "item")


def frame_map_feedback(answer: dict, reference: dict) -> tuple[float, str]:
    """The practice verdict of a frame map: the graded share (:func:`medialit.scoring.score_frame_map`)
    and a hint that names the functions to look at again, not their sentences.

    >>> frame_map_feedback({"functions": {"problem": [0], "remedy": [2]}, "primary_frame": "economic"},
    ...                    {"functions": {"problem": [0], "remedy": [3]}, "primary_frame": "economic"})
    (0.6666666666666666, '2 of 3 parts agree. Look again at: remedy.')
    """
    result = score_frame_map(answer, reference, points=1)
    parts = result.details["parts"]
    if not parts:
        return 1.0, "Nothing to compare."
    again = [name for name, part in zip(result.details["names"], parts) if part < 1 - 1e-9]
    hint = f"{len(parts) - len(again)} of {len(parts)} parts agree."
    if again:
        hint += " Look again at: " + ", ".join(again) + "."
    return result.fraction, hint


def ledger_feedback(answer: dict, reference: dict) -> tuple[float, str]:
    """The practice verdict of a claim ledger: the graded share (:func:`medialit.scoring.score_ledger`) and
    a hint that names the claims to look at again, not their answers.

    >>> ledger_feedback({"claims": {"1": {"source": "vague", "missing": ["grounds"]}}},
    ...                 {"claims": {"1": {"source": "vague", "missing": ["grounds"]}, "3": {"source": "none", "missing": []}}})
    (0.75, '1 of 2 claims agree fully. The claim in sentence 4 needs another look.')
    """
    claims = reference.get("claims") or {}
    if not claims:
        return 1.0, "Nothing to compare."
    result = score_ledger(answer, reference, points=1)
    wrong = sorted(int(k) for k in claims
                   if score_ledger(answer, {"claims": {k: claims[k]}}, points=1).fraction < 1 - 1e-9)
    hint = f"{len(claims) - len(wrong)} of {len(claims)} claims agree fully."
    if wrong:
        shown = " and ".join(str(k + 1) for k in wrong)
        hint += (f" The claim in sentence {shown} needs another look." if len(wrong) == 1
                 else f" The claims in sentences {shown} need another look.")
    return result.fraction, hint


# ------------------------------------------------------------------------------------------
# frame map


class FrameMapModel:
    """Entman's four functions pointed at sentences, and the primary frame."""

    kind = "frame_map"

    def __init__(self, question_id: str, document: Document) -> None:
        self.question_id = check_question_id(question_id)
        self.document = document
        self.text_id, self.text_sha = _doc_identity(document)
        self.functions = codebook.entman_functions()
        self._chosen: dict[str, set[int]] = {f: set() for f in self.functions}
        self.primary_frame: str | None = None

    def choose(self, function: str, sentences: Iterable[int]) -> None:
        """Set the sentences (by number) that perform ``function``."""
        if function not in self.functions:
            raise ValueError(f"{function!r} is not a framing function. They are: {', '.join(self.functions)}.")
        chosen = set()
        for k in sentences:
            if type(k) is not int or not 0 <= k < len(self.document.sentences):
                raise ValueError(f"Sentence number {k!r} is not in this text (0 to {len(self.document.sentences) - 1}).")
            chosen.add(k)
        self._chosen[function] = chosen

    def chosen(self, function: str) -> list[int]:
        return sorted(self._chosen[function])

    def set_frame(self, frame: str | None) -> None:
        self.primary_frame = None if frame is None else codebook.check_frame(frame)

    def clear(self) -> None:
        self._chosen = {f: set() for f in self.functions}
        self.primary_frame = None

    def context(self) -> dict:
        """What a class report needs to read answers without the notebook."""
        return {"sentences": len(self.document.sentences), "functions": list(self.functions)}

    def answer(self) -> dict:
        return {"functions": {f: sorted(v) for f, v in self._chosen.items()}, "primary_frame": self.primary_frame}

    def set_answer(self, answer: dict) -> None:
        if not isinstance(answer, dict):
            raise ValueError("A frame-map answer is {'functions': {'problem': [0], ...}, 'primary_frame': '...'}.")
        self.clear()
        for function, sentences in (answer.get("functions") or {}).items():
            self.choose(function, sentences)
        self.set_frame(answer.get("primary_frame"))

    def is_empty(self) -> bool:
        return not any(self._chosen.values()) and self.primary_frame is None


# ------------------------------------------------------------------------------------------
# claim ledger


@dataclass
class LedgerEntry:
    """One claim's row in the ledger."""

    source: str | None = None
    evidence: str = ""
    missing: list[str] = field(default_factory=list)
    question: str | None = None


class ClaimLedgerModel:
    """For each claim: its source, its evidence, the Toulmin parts it lacks, the question to ask."""

    kind = "ledger"

    def __init__(self, question_id: str, document: Document, claims: Sequence[int]) -> None:
        self.question_id = check_question_id(question_id)
        self.document = document
        self.text_id, self.text_sha = _doc_identity(document)
        if not claims:
            raise ValueError("A claim ledger needs at least one claim: pass the sentence numbers, e.g. claims=[1, 3].")
        for k in claims:
            if type(k) is not int or not 0 <= k < len(document.sentences):
                raise ValueError(f"Sentence number {k!r} is not in this text (0 to {len(document.sentences) - 1}).")
        self.claims = tuple(claims)
        self._rows = {k: LedgerEntry() for k in self.claims}

    def entry(self, claim: int) -> LedgerEntry:
        if claim not in self._rows:
            raise ValueError(f"Sentence {claim!r} is not a claim of this ledger. Its claims are: "
                             f"{', '.join(map(str, self.claims))}.")
        return self._rows[claim]

    def update(self, claim: int, *, source: str | None = None, evidence: str | None = None,
               missing: Iterable[str] | None = None, question: str | None = None) -> None:
        row = self.entry(claim)
        if source is not None:
            if source not in SOURCE_CHOICES:
                raise ValueError(f"{source!r} is not a source type. They are: {', '.join(SOURCE_CHOICES)}.")
            row.source = source
        if evidence is not None:
            row.evidence = _plain_str(evidence, "Evidence").strip()[:500]
        if missing is not None:
            parts = list(missing)
            bad = [p for p in parts if p not in TOULMIN_PARTS]
            if bad:
                raise ValueError(f"{bad[0]!r} is not a Toulmin part to mark missing. They are: {', '.join(TOULMIN_PARTS)}.")
            row.missing = sorted(set(parts), key=TOULMIN_PARTS.index)
        if question is not None:
            if question not in CRITICAL_QUESTIONS:
                raise ValueError("Choose one of the critical questions in medialit.exercises.CRITICAL_QUESTIONS.")
            row.question = question

    def clear(self) -> None:
        self._rows = {k: LedgerEntry() for k in self.claims}

    def context(self) -> dict:
        """What a class report needs to read answers without the notebook."""
        return {"claims": list(self.claims)}

    def answer(self) -> dict:
        return {"claims": {str(k): {"source": r.source, "evidence": r.evidence, "missing": list(r.missing),
                                    "question": r.question} for k, r in self._rows.items()}}

    def set_answer(self, answer: dict) -> None:
        rows = answer.get("claims") if isinstance(answer, dict) else None
        if not isinstance(rows, dict):
            raise ValueError("A ledger answer is {'claims': {'3': {'source': 'vague', 'missing': ['grounds'], ...}}}.")
        self.clear()
        for key, value in rows.items():
            self.update(int(key), source=value.get("source"), evidence=value.get("evidence"),
                        missing=value.get("missing"), question=value.get("question"))

    def is_empty(self) -> bool:
        return all(r == LedgerEntry() for r in self._rows.values())


# ------------------------------------------------------------------------------------------
# quiz


class QuizModel:
    """A multiple-choice or multiple-select question.

    A **practice** question gives ``correct`` and a note for *every* option (``feedback``); the
    notes and the verdict appear only after :meth:`check`, so picking options one by one shows
    nothing. A **graded** question gives neither: its key and its explanations live in the
    course's ``references/<lesson>.json`` and reach the student with the released feedback (a
    note on only some options would give the key away).

    >>> quiz = QuizModel("q", "Which is a hedge?", {"a": "may", "b": "clearly"}, correct=["a"],
    ...                  feedback={"a": "It leaves room for doubt.", "b": "That one boosts."})
    >>> quiz.select(["b"]); quiz.feedback()
    ''
    >>> quiz.check(); quiz.feedback()
    'Not yet. That one boosts.'
    """

    kind = "quiz"

    def __init__(self, question_id: str, question: str, options: dict[str, str], *, multiple: bool = False,
                 feedback: dict[str, str] | None = None, correct: Iterable[str] | None = None) -> None:
        self.question_id = check_question_id(question_id)
        if not options:
            raise ValueError("A quiz needs options, for example {'a': 'may', 'b': 'clearly'}.")
        self.question = question
        self.options = dict(options)
        self.multiple = multiple
        self.notes = dict(feedback or {})
        self.correct = None if correct is None else frozenset(correct)
        for key in (*self.notes, *(self.correct or ())):
            if key not in self.options:
                raise ValueError(f"{key!r} is not an option. The options are: {', '.join(self.options)}.")
        if self.correct is None and self.notes:
            raise ValueError(f"{question_id}: a graded quiz (no correct=) shows no notes in the notebook, because notes "
                             "on some options give the key away. Put the explanations in references/<lesson>.json "
                             "('explanations'); students see them with their feedback.")
        if self.correct is not None:
            missing = [k for k in self.options if k not in self.notes]
            if missing:
                raise ValueError(f"{question_id}: a practice quiz needs a note for every option (missing: "
                                 f"{', '.join(missing)}), so that which options have notes says nothing.")
        self.text_id, self.text_sha = None, text_hash(question + "\n" + "\n".join(self.options))
        self.selected: list[str] = []
        self.checked = False

    def select(self, keys: Iterable[str]) -> None:
        keys = list(keys)
        for key in keys:
            if key not in self.options:
                raise ValueError(f"{key!r} is not an option. The options are: {', '.join(self.options)}.")
        if not self.multiple and len(keys) > 1:
            raise ValueError("This question takes one answer; choose a single option.")
        self.selected = [k for k in self.options if k in keys]
        self.checked = False

    def check(self) -> None:
        """Commit the current choice: a practice question now shows its verdict and notes."""
        self.checked = True

    def clear(self) -> None:
        self.selected = []
        self.checked = False

    def feedback(self) -> str:
        """Nothing before :meth:`check`; then the verdict and the notes on the chosen options
        (practice), or a note that the answer is saved (graded)."""
        if not self.checked:
            return ""
        if not self.selected:
            return "Choose an answer."
        if self.correct is None:
            return "Your answer is saved. It is graded later; your feedback explains every option."
        notes = " ".join(self.notes[k] for k in self.selected)
        result = score_choice(self.answer(), self.correct, points=1)  # the grader's rule
        verdict = ("Right." if result.fraction == 1 else
                   "Partly right." if result.details["right"] else "Not yet.")
        return f"{verdict} {notes}".strip()

    def context(self) -> dict:
        """What a class report needs to read answers without the notebook."""
        return {"options": list(self.options), "multiple": self.multiple}

    def answer(self) -> dict:
        return {"selected": list(self.selected)}

    def set_answer(self, answer: dict) -> None:
        selected = answer.get("selected") if isinstance(answer, dict) else None
        if not isinstance(selected, list):
            raise ValueError("A quiz answer is {'selected': ['a']}.")
        self.select(selected)

    def is_empty(self) -> bool:
        return not self.selected



# ------------------------------------------------------------------------------------------
# category sorter


class CategorySorterModel:
    """Label short items (examples, quotations) with one category each, "none" included.

    Used to identify persuasion techniques among near-misses: an item labelled with a technique
    when the reference says "none" is a false alarm.

    >>> sorter = CategorySorterModel("t", ["What about your record?", "Prices rose 3%."], ["whataboutism", "none"])
    >>> sorter.set(0, "whataboutism"); sorter.answer()
    {'labels': {'0': 'whataboutism'}}
    """

    kind = "categories"

    def __init__(self, question_id: str, items: Sequence[str], categories: Sequence[str]) -> None:
        self.question_id = check_question_id(question_id)
        if not items or not categories:
            raise ValueError("A category sorter needs items and categories, e.g. items=['...'], categories=['none', ...].")
        self.items = tuple(_plain_str(i, "An item") for i in items)
        self.categories = tuple(_plain_str(c, "A category") for c in categories)
        self.text_id, self.text_sha = None, text_hash("\n".join(self.items))
        self._labels: dict[int, str] = {}

    def set(self, index: int, category: str | None) -> None:
        if type(index) is not int or not 0 <= index < len(self.items):
            raise ValueError(f"Item {index!r} does not exist; the items are numbered 0 to {len(self.items) - 1}.")
        if category is None:
            self._labels.pop(index, None)
            return
        if category not in self.categories:
            raise ValueError(f"{category!r} is not a category. The categories are: {', '.join(self.categories)}.")
        self._labels[index] = category

    def get(self, index: int) -> str | None:
        return self._labels.get(index)

    def clear(self) -> None:
        self._labels.clear()

    def context(self) -> dict:
        """What a class report needs to read answers without the notebook."""
        return {"items": list(self.items), "categories": list(self.categories)}

    def answer(self) -> dict:
        return {"labels": {str(k): v for k, v in sorted(self._labels.items())}}

    def set_answer(self, answer: dict) -> None:
        labels = answer.get("labels") if isinstance(answer, dict) else None
        if not isinstance(labels, dict):
            raise ValueError("A category answer is {'labels': {'0': 'whataboutism', '1': 'none'}}.")
        self.clear()
        for key, value in labels.items():
            self.set(int(key), value)

    def is_empty(self) -> bool:
        return not self._labels
