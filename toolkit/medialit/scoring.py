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

from .spans import covered_words, spans_meet, word_labels

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
    "score_judgements",
    "Judgements",
    "judgements",
    "d_prime",
    "span_f1",
    "span_counts",
    "match_spans",
    "core_words",
    "SpanMatch",
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


#: A mark may run this many words past a reference span (a determiner, a reasonable phrase
#: boundary) and still find it; longer reference spans allow half their length.
SLACK_WORDS = 3


def _extras(span: Sequence) -> dict:
    return span[3] if len(span) > 3 and isinstance(span[3], dict) else {}


def core_words(span: Sequence, words: Sequence[Any]) -> set[int]:
    """The words of a reference span that a mark must cover to find it: its ``core`` (an
    explicit ``[start, end]`` in the span's fourth element), or else its content words (not
    stop words, not punctuation), or else all its words.

    >>> from medialit import read
    >>> doc = read("The Kyiv regime says so.")
    >>> sorted(core_words([0, 15, "loaded_language"], doc.word_tokens)), sorted(core_words([0, 15, "x", {"core": [9, 15]}], doc.word_tokens))
    ([1, 2], [2])
    """
    from .text import stopwords

    core = _extras(span).get("core")
    if core:
        return set(covered_words([core], words))
    inside = covered_words([span], words)
    stop = stopwords()
    content = [k for k in inside if any(ch.isalnum() for ch in words[k].text) and words[k].text.lower() not in stop]
    return set(content or inside)


@dataclass(frozen=True)
class SpanMatch:
    """How marks meet reference spans (see :func:`match_spans`)."""

    found: list      # required reference spans found
    missed: list     # required reference spans not found
    hits: list       # marks that found a reference span (required or optional)
    false: list      # marks that find nothing: no contact, or far wider than what they touch
    neutral: list    # marks that touch a span without finding it (a second mark on a found span, a boundary word)


def match_spans(answer: Iterable[Sequence], reference: Iterable[Sequence], words: Sequence[Any]) -> SpanMatch:
    """Match marks to reference spans, span by span.

    A mark **finds** a reference span when it has the same label, covers the span's core word
    (:func:`core_words`) and runs at most ``max(SLACK_WORDS, half the span)`` words past it; each
    mark finds at most one span. A mark that touches nothing with its label, or is far wider
    than every span it touches, is a **false alarm**. A reference span whose fourth element says
    ``{"optional": true}`` is a defensible extra: finding it is a hit, missing it costs nothing.

    >>> from medialit import read
    >>> doc = read("The Kyiv regime said the talks were a disgrace.")
    >>> ref = [[0, 15, "loaded_language", {"core": [9, 15]}], [38, 46, "loaded_language"]]
    >>> m = match_spans([[9, 15, "loaded_language"], [21, 30, "loaded_language"]], ref, doc.word_tokens)
    >>> len(m.found), len(m.missed), len(m.false)
    (1, 1, 1)
    """
    answer = [tuple(s[:3]) for s in answer]
    reference = [tuple(s) for s in reference]
    ref_words = [set(covered_words([r], words)) for r in reference]
    cores = [core_words(r, words) for r in reference]
    taken: set[int] = set()
    hits, false, neutral = [], [], []
    for mark in answer:
        mine = set(covered_words([mark], words))
        touching = [k for k, r in enumerate(reference) if spans_meet(mark, r)]
        finds = [k for k in touching if mine & cores[k]
                 and len(mine - ref_words[k]) <= max(SLACK_WORDS, len(ref_words[k]) // 2)]
        fresh = [k for k in finds if k not in taken]
        if fresh:
            best = max(fresh, key=lambda k: (not _extras(reference[k]).get("optional"), len(mine & ref_words[k])))
            taken.add(best)
            hits.append(mark)
        elif finds or (touching and not any(len(mine - ref_words[k]) > max(SLACK_WORDS, len(ref_words[k]) // 2)
                                            for k in touching)):
            neutral.append(mark)
        else:
            false.append(mark)
    required = [k for k, r in enumerate(reference) if not _extras(r).get("optional")]
    return SpanMatch([reference[k] for k in required if k in taken], [reference[k] for k in required if k not in taken],
                     hits, false, neutral)


def span_counts(answer: Iterable[Sequence], reference: Iterable[Sequence],
                words: Sequence[Any]) -> tuple[list, list, list]:
    """Reference spans found, reference spans missed, and false alarms (:func:`match_spans`).

    >>> from medialit import read
    >>> doc = read("A reckless plan, and a calm plan from a dangerous man.")
    >>> span_counts([(2, 10, "x"), (17, 20, "x")], [(2, 10, "x"), (40, 49, "x")], doc.word_tokens)
    ([(2, 10, 'x')], [(40, 49, 'x')], [(17, 20, 'x')])
    """
    match = match_spans(answer, reference, words)
    return match.found, match.missed, match.false


def score_spans(answer: dict, reference: Sequence[Sequence], words: Sequence[Any], *, points: float,
                label: str | None = None) -> Result:
    """``points`` times the span F1, macro-averaged over labels: for each label, recall is the
    share of reference spans found and precision the share of marks that found one (false alarms
    count; see :func:`match_spans` for what finds a span).

    >>> from medialit import read
    >>> doc = read("A reckless and dangerous plan.")
    >>> score_spans({"spans": [[0, 10, "loaded_language"]]}, [[2, 10, "loaded_language"], [15, 24, "loaded_language"]],
    ...             doc.word_tokens, points=4).message
    '1 of 2 marked passages found, 0 false alarms -> 2.67 of 4 points'
    """
    spans = [s for s in answer.get("spans", []) if label is None or s[2] == label]
    reference = [s for s in reference if label is None or s[2] == label]
    labels = sorted({s[2] for s in reference} | {s[2] for s in spans})
    per_label, found_total, false_total = {}, 0, 0
    for name in labels:
        mine = [s for s in spans if s[2] == name]
        theirs = [s for s in reference if s[2] == name]
        match = match_spans(mine, theirs, words)
        required = len(match.found) + len(match.missed)
        judged = len(match.hits) + len(match.false)
        precision = len(match.hits) / judged if judged else (1.0 if not mine else 0.0)
        if required:
            recall = len(match.found) / required
            f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        elif mine:
            f1 = precision
        else:
            continue
        per_label[name] = round(f1, 3)
        found_total += len(match.found)
        false_total += len(match.false)
    fraction = sum(per_label.values()) / len(per_label) if per_label else 1.0
    total = sum(1 for s in reference if not _extras(s).get("optional"))
    what = (f"{found_total} of {_plural(total, 'marked passage')} found, "
            f"{_plural(false_total, 'false alarm')}")
    if len(per_label) > 1:
        what += " (" + ", ".join(f"{k.replace('_', ' ')} {v:.2f}" for k, v in per_label.items()) + ")"
    return _result(fraction, points, what, {"per_label": per_label, "found": found_total, "total": total,
                                            "false_alarms": false_total})


# ------------------------------------------------------------------------------------------
# other kinds


def accepts(expected: Any, given: Any) -> bool:
    """Whether ``given`` is right: equal to ``expected``, or one of the values of a list of
    accepted answers (where two careful readers could differ, the reference lists both).

    >>> accepts("opinion", "opinion"), accepts(["opinion", "prediction"], "prediction"), accepts(["a"], None)
    (True, True, False)
    """
    if isinstance(expected, list) and not isinstance(given, list):
        return given in expected
    return given == expected


def score_choice(answer: dict, correct: Iterable[str], *, points: float, options: Iterable[str] | None = None) -> Result:
    """The share of right options chosen minus the share of wrong options chosen (a hit rate
    minus a false-alarm rate: ticking every option earns nothing). Without ``options``, each wrong
    choice costs as much as one right option.

    >>> score_choice({"selected": ["a", "b", "c", "d", "e"]}, ["a", "c", "d"], points=2, options="abcde").points
    0.0
    >>> score_choice({"selected": ["a", "c", "b"]}, ["a", "c", "d"], points=2, options="abcde").message
    '2 of 3 right options chosen, 1 wrong -> 0.33 of 2 points'
    """
    chosen, right_set = set(answer.get("selected", [])), set(correct)
    wrong_set = set(options) - right_set if options is not None else set()
    right, wrong = len(chosen & right_set), len(chosen - right_set)
    if not right_set:
        fraction = 0.0
    elif wrong_set:
        fraction = right / len(right_set) - wrong / len(wrong_set)
    else:
        fraction = (right - wrong) / len(right_set)
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
            if isinstance(row, dict) and accepts(value, row.get(name)):
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
    parts, names = [], []
    for function, wanted in (reference.get("functions") or {}).items():
        chosen, wanted = set((answer.get("functions") or {}).get(function) or []), set(wanted)
        parts.append(len(chosen & wanted) / len(chosen | wanted) if chosen | wanted else 1.0)
        names.append(function)
    if reference.get("primary_frame"):
        parts.append(1.0 if accepts(reference["primary_frame"], answer.get("primary_frame")) else 0.0)
        names.append("the primary frame")
    fraction = sum(parts) / len(parts) if parts else 0.0
    return _result(fraction, points, f"{_plural(len(parts), 'part')} scored, {sum(parts):.2g} agree",
                   {"parts": [round(p, 3) for p in parts], "names": names})


def score_ledger(answer: dict, reference: dict, *, points: float) -> Result:
    """Source type per claim, and the missing Toulmin parts scored for discernment; only the
    fields given in the reference are scored (the free-text evidence is for the instructor).

    ``reference`` is ``{"claims": {"3": {"source": "vague", "missing": ["grounds"]}}}``. The
    "missing" boxes of all claims are scored together, as a hit rate minus a false-alarm rate
    over every (claim, part) box, and weigh as much as one field per claim: ticking every box, or
    none, earns nothing there (a constant answer earned 42 % when each claim was scored alone).

    >>> ref = {"claims": {"0": {"source": "named", "missing": []}, "1": {"source": "none", "missing": ["grounds"]}}}
    >>> score_ledger({"claims": {"0": {"source": "named", "missing": []},
    ...                          "1": {"source": "none", "missing": ["grounds"]}}}, ref, points=2).points
    2.0
    >>> score_ledger({"claims": {"0": {"source": "none", "missing": []},
    ...                          "1": {"source": "none", "missing": []}}}, ref, points=2).message
    '1 of 4 fields agree -> 0.5 of 2 points'
    """
    mine = answer.get("claims") or {}
    claims = reference.get("claims") or {}
    total = right = 0.0
    boxes = sorted({part for fields in claims.values() for part in fields.get("missing", [])}
                   | {"grounds", "warrant", "qualifier"})
    should = ticked_right = ticked_wrong = shouldnt = 0
    for key, fields in claims.items():
        row = mine.get(str(key)) or {}
        for name, value in fields.items():
            total += 1
            if name == "missing":
                want = set(value)
                got = set(row.get("missing") or []) if row.get("source") else set()  # unanswered: nothing
                should += len(want)
                shouldnt += len(boxes) - len(want)
                ticked_right += len(got & want)
                ticked_wrong += len(got - want)
            elif row.get("source"):
                right += accepts(value, row.get(name))
    missing_fields = sum(1 for fields in claims.values() if "missing" in fields)
    if missing_fields:
        answered = sum(1 for key, fields in claims.items() if "missing" in fields and (mine.get(str(key)) or {}).get("source"))
        if should and shouldnt:
            share = max(0.0, ticked_right / should - ticked_wrong / shouldnt)
        else:  # every box, or none, is keyed missing: agreement is all there is to score
            share = (ticked_right if should else shouldnt - ticked_wrong) / (should or shouldnt)
            share = share * answered / missing_fields if not should else share
        right += share * missing_fields
    return _result(right / total if total else 0.0, points, f"{right:.3g} of {_plural(total, 'field')} agree",
                   {"right": right, "total": total})


# ------------------------------------------------------------------------------------------
# yes/no judgements: signal detection (pre- and post-assessment)

#: The two categories of a yes/no judgement question: "yes" (the technique is used), "no" (a control).
JUDGEMENT = ("yes", "no")


def d_prime(hits: int, misses: int, false_alarms: int, correct_rejections: int) -> float:
    """Sensitivity d' = z(hit rate) - z(false-alarm rate), with the log-linear correction
    (Hautus 1995: add 0.5 to each count and 1 to each total), so that rates of 0 or 1 give a
    finite value. 0 means no discernment; 2.301 is 3 of 3 hits with 0 of 3 false alarms.

    >>> d_prime(3, 0, 0, 3), d_prime(3, 0, 3, 0), d_prime(2, 1, 1, 2)
    (2.301, 0.0, 0.637)
    >>> d_prime(0, 0, 1, 2)
    Traceback (most recent call last):
    ...
    ValueError: d' needs at least one signal item and one control: got 0 hits + 0 misses, 1 false alarms + 2 correct rejections.
    """
    from statistics import NormalDist

    counts = (hits, misses, false_alarms, correct_rejections)
    if any(type(c) is not int or c < 0 for c in counts):
        raise ValueError(f"counts must be whole numbers >= 0, got {counts!r}")
    if hits + misses == 0 or false_alarms + correct_rejections == 0:
        raise ValueError(f"d' needs at least one signal item and one control: got {hits} hits + {misses} misses, "
                         f"{false_alarms} false alarms + {correct_rejections} correct rejections.")
    z = NormalDist().inv_cdf
    hit = (hits + 0.5) / (hits + misses + 1)
    false = (false_alarms + 0.5) / (false_alarms + correct_rejections + 1)
    return round(z(hit) - z(false) + 0.0, 3)


@dataclass(frozen=True)
class Judgements:
    """One student's yes/no judgements counted against the key: ``hit_rate`` (share of signal
    items answered yes), ``false_alarm_rate`` (share of controls answered yes), ``d_prime``
    (:func:`d_prime`) and ``discernment`` (hit rate minus false-alarm rate, the share of points)."""

    hits: int
    misses: int
    false_alarms: int
    correct_rejections: int

    @property
    def hit_rate(self) -> float:
        return self.hits / (self.hits + self.misses) if self.hits + self.misses else 0.0

    @property
    def false_alarm_rate(self) -> float:
        total = self.false_alarms + self.correct_rejections
        return self.false_alarms / total if total else 0.0

    @property
    def d_prime(self) -> float:
        return d_prime(self.hits, self.misses, self.false_alarms, self.correct_rejections)

    @property
    def discernment(self) -> float:
        return max(0.0, self.hit_rate - self.false_alarm_rate)


def judgements(answer: dict, reference: dict, signal: str = "yes") -> Judgements:
    """Count an answer's yes/no judgements against a reference (``{"labels": {"0": "yes", ...}}``):
    an item left unanswered counts as "no" (a miss on a signal item, nothing on a control).

    >>> j = judgements({"labels": {"0": "yes", "1": "yes", "2": "no"}}, {"labels": {"0": "yes", "1": "no", "2": "yes", "3": "no"}})
    >>> (j.hits, j.misses, j.false_alarms, j.correct_rejections), j.hit_rate, j.false_alarm_rate
    ((1, 1, 1, 1), 0.5, 0.5)
    """
    mine = (answer or {}).get("labels") or {}
    counts = [0, 0, 0, 0]
    for key, expected in ((reference or {}).get("labels") or {}).items():
        said = mine.get(str(key)) == signal
        counts[(0 if said else 1) if expected == signal else (2 if said else 3)] += 1
    return Judgements(*counts)


def score_judgements(answer: dict, reference: dict, *, points: float) -> Result:
    """Yes/no judgements (every reference label ``"yes"`` or ``"no"``): ``points`` times the hit
    rate minus the false-alarm rate (never below 0), so that answering "yes" (or "no") to every
    item earns nothing; ``details`` carry the counts and d' for the class report.

    >>> ref = {"labels": {"0": "yes", "1": "no", "2": "yes", "3": "no", "4": "yes", "5": "no"}}
    >>> score_judgements({"labels": {"0": "yes", "1": "no", "2": "yes", "3": "yes", "4": "no", "5": "no"}}, ref, points=3).message
    '2 of 3 yes-items answered yes, 1 false alarm on 3 no-items -> 1 of 3 points'
    >>> score_judgements({"labels": {k: "yes" for k in "012345"}}, ref, points=3).points
    0.0
    """
    counts = judgements(answer, reference)
    signals, controls = counts.hits + counts.misses, counts.false_alarms + counts.correct_rejections
    what = (f"{counts.hits} of {signals} yes-items answered yes, {_plural(counts.false_alarms, 'false alarm')} "
            f"on {controls} no-items")
    details = {"hits": counts.hits, "misses": counts.misses, "false_alarms": counts.false_alarms,
               "correct_rejections": counts.correct_rejections,
               "d_prime": counts.d_prime if signals and controls else None}
    return _result(counts.discernment, points, what, details)


def is_judgement(reference: dict) -> bool:
    """Whether a categories reference is a yes/no judgement question (every label "yes" or "no").

    >>> is_judgement({"labels": {"0": "yes", "1": "no"}}), is_judgement({"labels": {"0": "none"}})
    (True, False)
    """
    labels = (reference or {}).get("labels") or {}
    return bool(labels) and all(isinstance(v, str) and v in JUDGEMENT for v in labels.values())


def score_categories(answer: dict, reference: dict, *, points: float, none: str = "none") -> Result:
    """Discernment over items: the share of technique items given an accepted technique (hit
    rate), times one minus the share of near-misses (items whose reference is ``none``) given
    any technique (false-alarm rate). Labelling everything ``none`` finds nothing; labelling
    everything with techniques is all false alarms.

    ``reference`` is ``{"labels": {"0": "whataboutism", "1": "none", ...}}``; a value may be a
    list of accepted labels. A yes/no judgement question (every label "yes" or "no") is scored
    by :func:`score_judgements` instead.

    >>> ref = {"labels": {"0": "whataboutism", "1": "straw_man", "2": "none", "3": "none"}}
    >>> score_categories({"labels": {"0": "whataboutism", "1": "straw_man", "2": "none", "3": "bandwagon"}}, ref, points=4).points
    2.0
    >>> score_categories({"labels": {k: "none" for k in "0123"}}, ref, points=4).points
    0.0
    """
    if is_judgement(reference):
        return score_judgements(answer, reference, points=points)
    mine, theirs = answer.get("labels") or {}, reference.get("labels") or {}

    def accepted(value) -> list:
        return value if isinstance(value, list) else [value]

    techniques = {k: v for k, v in theirs.items() if none not in accepted(v)}
    near_misses = {k: v for k, v in theirs.items() if accepted(v) == [none]}
    hits = sum(1 for k, v in techniques.items() if mine.get(str(k)) in accepted(v))
    false_alarms = sum(1 for k in near_misses if mine.get(str(k)) not in (None, none))
    misses = sum(1 for k in techniques if mine.get(str(k)) in (None, none))
    right = sum(1 for k, v in theirs.items() if accepts(v, mine.get(str(k))))
    hit_rate = hits / len(techniques) if techniques else 1.0
    fa_rate = false_alarms / len(near_misses) if near_misses else 0.0
    answered = any(mine.get(str(k)) not in (None,) for k in theirs)
    fraction = hit_rate * (1 - fa_rate) if answered else 0.0
    what = (f"{right} of {_plural(len(theirs), 'item')} right ({hits} of {len(techniques)} techniques named, "
            f"{_plural(false_alarms, 'false alarm')} on {_plural(len(near_misses), 'near-miss', 'near-misses')})")
    return _result(fraction, points, what,
                   {"right": right, "total": len(theirs), "false_alarms": false_alarms, "misses": misses})


def score(kind: str, answer: dict, reference: Any, *, points: float, words: Sequence[Any] | None = None,
          alternatives: Sequence[dict] = (), options: Iterable[str] | None = None) -> Result:
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
    options = list(options) if options is not None else None
    results = [_score_one(kind, answer, reference, points, words, options)]
    results += [_score_one(kind, answer, alt["reference"], points, words, options) for alt in alternatives]
    return max(results, key=lambda r: r.fraction)  # a documented alternative answer earns as much as the key


def _score_one(kind: str, answer: dict, reference: Any, points: float, words: Sequence[Any] | None,
               options: list | None = None) -> Result:
    try:
        if kind == "quiz":
            return score_choice(answer, reference["selected"], points=points, options=options)
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
