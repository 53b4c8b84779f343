"""Scoring the analyzers against the gold annotations.

``python -m medialit evaluate`` prints the table; :func:`evaluate` returns the figures.

Measures (per label): token-level precision, recall and F1 for ``loaded_language``; span-overlap
precision, recall and F1 for the other span labels (a mark counts if it overlaps a gold span of
the same label); sentence-level precision, recall and F1 for ``unsupported``; accuracy of the
claim type; top-1 accuracy of the primary frame; false loaded-language marks per neutral text.
A naive baseline flags every word whose VADER valence is at least 1.5 away from 0 as loaded.

>>> result = evaluate(["ukr-wire"])
>>> result.rows["loaded_language"].false_alarms_per_neutral_text <= 1
True
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

from . import corpus as _corpus
from .analyzers import analyze
from .analyzers.lexicons import vader_valence
from .spans import covered_words, spans_meet

__all__ = ["Score", "Row", "EvaluationResult", "evaluate", "BASELINE_VALENCE", "SPLITS"]

#: The naive baseline's threshold on |VADER valence| (the issue's reference row).
BASELINE_VALENCE = 1.5
#: Catalog splits: "dev" texts were used while writing the rules; "heldout" texts were not.
SPLITS = ("dev", "heldout", "all")


@dataclass
class Score:
    """Counts behind precision, recall and F1."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: "Score") -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn


@dataclass
class Row:
    """One line of the evaluation table."""

    name: str
    unit: str
    score: Score = field(default_factory=Score)
    false_alarms_per_neutral_text: float | None = None
    max_false_alarms: int | None = None


@dataclass
class EvaluationResult:
    """All rows plus claim and frame accuracy."""

    text_ids: list[str]
    rows: dict[str, Row]
    claim_accuracy: float
    frame_accuracy: float
    neutral_texts: list[str]

    def table(self) -> str:
        lines = [f"{'measure':<30} {'unit':<10} {'P':>5} {'R':>5} {'F1':>5}  false alarms / neutral text",
                 "-" * 84]
        for row in self.rows.values():
            fa = ""
            if row.false_alarms_per_neutral_text is not None:
                fa = f"{row.false_alarms_per_neutral_text:.2f} (max {row.max_false_alarms})"
            s = row.score
            lines.append(f"{row.name:<30} {row.unit:<10} {s.precision:5.2f} {s.recall:5.2f} {s.f1:5.2f}  {fa}")
        lines.append("-" * 84)
        lines.append(f"{'claim type accuracy':<30} {'sentence':<10} {self.claim_accuracy:5.2f}")
        lines.append(f"{'primary frame top-1 accuracy':<30} {'document':<10} {self.frame_accuracy:5.2f}")
        lines.append(f"({len(self.text_ids)} texts, {len(self.neutral_texts)} of them neutral)")
        return "\n".join(lines)


def _token_set(doc, spans) -> set[int]:
    return set(covered_words(spans, doc.word_tokens))


def _overlap_score(gold: list[tuple[int, int]], predicted: list[tuple[int, int]]) -> Score:
    def overlaps(a, b):
        return spans_meet(a, b, same_label=False)

    tp_pred = sum(1 for p in predicted if any(overlaps(p, g) for g in gold))
    tp_gold = sum(1 for g in gold if any(overlaps(g, p) for p in predicted))
    return Score(tp=tp_gold, fp=len(predicted) - tp_pred, fn=len(gold) - tp_gold)


def _is_neutral(text_id: str) -> bool:
    info = _corpus.info(text_id)
    return info.perspective == "neutral" or info.genre == "neutral rewrite"


def select(split: str = "all") -> list[str]:
    """The text ids of a split: dev, heldout or all."""
    if split not in SPLITS:
        raise ValueError(f"{split!r} is not a split. The splits are: {', '.join(SPLITS)}.")
    return [r.id for r in _corpus.catalog() if split == "all" or r.split == split]


def evaluate(text_ids: Iterable[str] | None = None) -> EvaluationResult:
    """Score the analyzers on the given corpus texts (all texts by default)."""
    ids = list(text_ids) if text_ids is not None else [r.id for r in _corpus.catalog() if _corpus.has_gold(r.id)]
    labels = ("loaded_language", "vague_attribution", "named_attribution", "hedge", "booster")
    rows = {label: Row(label, "token" if label == "loaded_language" else "span") for label in labels}
    rows["unsupported"] = Row("unsupported", "sentence")
    baseline = Row(f"baseline: |VADER| >= {BASELINE_VALENCE} loaded", "token")
    valence = vader_valence()
    claims_right = claims_total = frames_right = 0
    neutral = [i for i in ids if _is_neutral(i)]
    false_alarms: list[int] = []
    baseline_alarms: list[int] = []
    for text_id in ids:
        doc = _corpus.document(text_id)
        gold = _corpus.annotations(text_id)
        result = analyze(doc)
        for label in labels:
            g = [(s.start, s.end) for s in gold.spans if s.label == label]
            p = [(m.start, m.end) for m in result.spans if m.label == label]
            if label == "loaded_language":
                gs, ps = _token_set(doc, g), _token_set(doc, p)
                rows[label].score.add(Score(len(gs & ps), len(ps - gs), len(gs - ps)))
                if text_id in neutral:
                    false_alarms.append(sum(1 for span in p if not any(spans_meet(span, other, same_label=False)
                                                                        for other in g)))
                base = {k for k, t in enumerate(doc.word_tokens) if abs(valence.get(t.text.lower(), 0.0)) >= BASELINE_VALENCE}
                baseline.score.add(Score(len(gs & base), len(base - gs), len(gs - base)))
                if text_id in neutral:
                    baseline_alarms.append(len(base - gs))
            else:
                rows[label].score.add(_overlap_score(g, p))
        predicted = {s.start: s for s in result.sentences}
        for sent in gold.sentences:
            mine = predicted.get(sent.start)
            if mine is None:
                rows["unsupported"].score.add(Score(fn=int(sent.unsupported)))
                continue
            claims_total += 1
            claims_right += mine.claim == sent.claim
            rows["unsupported"].score.add(Score(
                tp=int(sent.unsupported and mine.unsupported),
                fp=int(mine.unsupported and not sent.unsupported),
                fn=int(sent.unsupported and not mine.unsupported)))
        frames_right += result.primary_frame == gold.primary_frame
    if neutral:
        rows["loaded_language"].false_alarms_per_neutral_text = sum(false_alarms) / len(neutral)
        rows["loaded_language"].max_false_alarms = max(false_alarms)
        baseline.false_alarms_per_neutral_text = sum(baseline_alarms) / len(neutral)
        baseline.max_false_alarms = max(baseline_alarms)
    rows["baseline"] = baseline
    return EvaluationResult(ids, rows, claims_right / max(1, claims_total), frames_right / max(1, len(ids)), neutral)
