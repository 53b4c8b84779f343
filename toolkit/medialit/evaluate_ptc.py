"""Scoring loaded-language marks on outside text in the PTC layout (SemEval-2020 task 11).

``python -m medialit evaluate --ptc DIR`` prints the table; :func:`evaluate_ptc` returns the figures.

A directory in the layout of the Propaganda Techniques Corpus holds ``train-articles/article<ID>.txt``
(or ``dev-articles/``, ``test-articles/``) and one or more ``*-TC.labels`` files, one span per line,
tab-separated: article id, technique, start, end (character offsets, end exclusive). The techniques
are grouped into medialit labels (:data:`TECHNIQUE_GROUPS`); each group is scored with three measures:

- the **SemEval-2020 span measure** (task 11, subtask SI): gold spans that overlap are merged (as
  the task's scorer does), and each pair of a predicted span ``s`` and a gold span ``t`` earns
  partial credit ``|s & t| / |s|`` towards precision and ``|s & t| / |t|`` towards recall;
  precision is the sum over all pairs divided by the number of predicted spans, recall the sum
  divided by the number of gold spans (:func:`span_measure`);
- **token** precision, recall and F1: a word token is gold (or marked) if it overlaps a gold (or
  marked) span;
- **any-overlap** precision and recall: a mark counts if it overlaps a gold span, a gold span is
  found if some mark overlaps it.

Two systems are scored: medialit's analyzer (all its ``loaded_language`` marks, quoted or not)
and the naive baseline of :mod:`medialit.evaluate` (every word whose VADER valence is at least
1.5 away from 0).

>>> m = span_measure({"1": [(0, 10)]}, {"1": [(5, 15), (20, 25)]})
>>> round(m.precision, 3), round(m.recall, 3)
(0.25, 0.5)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .evaluate import BASELINE_VALENCE, Score, _token_set
from .spans import spans_meet

__all__ = ["TECHNIQUE_GROUPS", "SpanMeasure", "PTCError", "PTCSample", "PTCResult", "read_ptc",
           "merge_spans", "span_measure", "overlap_score", "evaluate_ptc"]

#: PTC techniques that count as gold for each medialit label.
TECHNIQUE_GROUPS = {"loaded_language": ("Loaded_Language", "Name_Calling,Labeling")}

Span = tuple[int, int]


class PTCError(ValueError):
    """A directory that is not in the PTC layout, or a malformed labels file."""


@dataclass
class SpanMeasure:
    """Partial-credit sums behind the SemEval-2020 span precision and recall."""

    precision_sum: float = 0.0
    predicted: int = 0
    recall_sum: float = 0.0
    gold: int = 0

    @property
    def precision(self) -> float:
        return self.precision_sum / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.recall_sum / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def merge_spans(spans: list[Span]) -> list[Span]:
    """Sort spans and merge those that overlap (the SemEval-2020 SI scorer does this to gold).

    >>> merge_spans([(5, 9), (0, 3), (2, 4), (9, 12)])
    [(0, 4), (5, 9), (9, 12)]
    """
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(a, b) for a, b in merged]


def span_measure(gold: dict[str, list[Span]], predicted: dict[str, list[Span]]) -> SpanMeasure:
    """The SemEval-2020 task 11 SI measure over articles (spans are merged first).

    P = (1/|S|) * sum over predicted s and gold t in the same article of |s & t| / |s|;
    R = (1/|T|) * sum of |s & t| / |t|.

    >>> m = span_measure({"a": [(0, 4), (10, 20)]}, {"a": [(0, 2), (2, 6)]})
    >>> round(m.precision, 2), round(m.recall, 2), round(m.f1, 2)
    (0.75, 0.5, 0.6)
    """
    measure = SpanMeasure()
    for article in set(gold) | set(predicted):
        g, p = merge_spans(gold.get(article, [])), merge_spans(predicted.get(article, []))
        measure.gold += len(g)
        measure.predicted += len(p)
        for s in p:
            for t in g:
                inter = min(s[1], t[1]) - max(s[0], t[0])
                if inter > 0:
                    measure.precision_sum += inter / (s[1] - s[0])
                    measure.recall_sum += inter / (t[1] - t[0])
    return measure


@dataclass
class OverlapScore:
    """Any-overlap counts: marks that overlap a gold span, gold spans that some mark overlaps."""

    matched_predicted: int = 0
    predicted: int = 0
    found_gold: int = 0
    gold: int = 0

    @property
    def precision(self) -> float:
        return self.matched_predicted / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.found_gold / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def overlap_score(gold: list[Span], predicted: list[Span]) -> OverlapScore:
    """Any-overlap counts for one article.

    >>> s = overlap_score([(0, 5), (10, 15)], [(3, 12), (20, 22)])
    >>> s.precision, s.recall
    (0.5, 1.0)
    """
    def hit(a: Span, b: Span) -> bool:
        return spans_meet(a, b, same_label=False)

    return OverlapScore(sum(any(hit(p, g) for g in gold) for p in predicted), len(predicted),
                        sum(any(hit(g, p) for p in predicted) for g in gold), len(gold))


@dataclass
class PTCSample:
    """The articles and gold spans of a PTC-layout directory."""

    directory: Path
    texts: dict[str, str]
    labels: dict[str, list[tuple[str, int, int]]]  # article id -> (technique, start, end)

    def gold(self, group: str) -> dict[str, list[Span]]:
        """The gold spans of one technique group, merged per article."""
        if group not in TECHNIQUE_GROUPS:
            raise ValueError(f"{group!r} is not a technique group. The groups are: {', '.join(TECHNIQUE_GROUPS)}.")
        techniques = TECHNIQUE_GROUPS[group]
        return {a: merge_spans([(s, e) for t, s, e in self.labels.get(a, []) if t in techniques]) for a in self.texts}


_ARTICLE = re.compile(r"^article(.+)\.txt$")


def read_ptc(directory: str | Path) -> PTCSample:
    """Read a directory in the PTC layout; raise :class:`PTCError` naming what is missing or wrong."""
    root = Path(directory)
    expected = ("Expected the PTC layout: train-articles/article<ID>.txt and a *-TC.labels file "
                "(tab-separated: article id, technique, start, end).")
    if not root.is_dir():
        raise PTCError(f"{str(root)!r} is not a directory. {expected}")
    folders = [root / name for name in ("train-articles", "dev-articles", "test-articles") if (root / name).is_dir()]
    if not folders:
        raise PTCError(f"{str(root)!r} has no train-articles/ folder (nor dev-articles/ or test-articles/). {expected}")
    texts: dict[str, str] = {}
    for folder in folders:
        for path in sorted(folder.glob("article*.txt")):
            match = _ARTICLE.match(path.name)
            if match:
                texts[match.group(1)] = path.read_text(encoding="utf-8")
    if not texts:
        raise PTCError(f"{str(folders[0])!r} holds no article<ID>.txt files. {expected}")
    label_files = sorted(root.glob("*-TC.labels"))
    if not label_files:
        raise PTCError(f"{str(root)!r} has no *-TC.labels file. {expected}")
    labels: dict[str, list[tuple[str, int, int]]] = {}
    for path in label_files:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            cols = line.rstrip("\n").split("\t")
            where = f"{path.name}:{number}"
            if len(cols) != 4 or not cols[2].strip().isdigit() or not cols[3].strip().isdigit():
                raise PTCError(f"{where}: {line!r} is not 'article id<TAB>technique<TAB>start<TAB>end' "
                               "with whole-number offsets.")
            article, technique, start, end = cols[0].strip(), cols[1].strip(), int(cols[2]), int(cols[3])
            if article not in texts:
                raise PTCError(f"{where}: article {article!r} has no file article{article}.txt in "
                               f"{', '.join(f.name + '/' for f in folders)}.")
            if not 0 <= start < end <= len(texts[article]):
                raise PTCError(f"{where}: span {start}-{end} is outside article{article}.txt "
                               f"({len(texts[article])} characters) or empty.")
            labels.setdefault(article, []).append((technique, start, end))
    return PTCSample(root, texts, labels)


@dataclass
class SystemScores:
    """The three measures of one system on one technique group."""

    span: SpanMeasure = field(default_factory=SpanMeasure)
    token: Score = field(default_factory=Score)
    overlap: OverlapScore = field(default_factory=OverlapScore)
    marks: int = 0
    #: technique -> [gold spans some mark overlaps, gold spans] (unmerged, per technique)
    by_technique: dict[str, list[int]] = field(default_factory=dict)


@dataclass
class PTCResult:
    """Scores per technique group and system, with the size of the sample."""

    directory: str
    articles: int
    scores: dict[str, dict[str, SystemScores]]  # group -> system -> scores

    def table(self) -> str:
        lines = [f"PTC layout: {self.directory} ({self.articles} articles)",
                 f"{'group / system':<42} {'measure':<12} {'P':>5} {'R':>5} {'F1':>5}  marks / gold spans",
                 "-" * 92]
        for group, systems in self.scores.items():
            for system, s in systems.items():
                name = f"{group}: {system}"
                for measure, m in (("SemEval span", s.span), ("token", s.token), ("any overlap", s.overlap)):
                    extra = f"{s.marks} / {s.span.gold}" if measure == "SemEval span" else ""
                    lines.append(f"{name:<42} {measure:<12} {m.precision:5.2f} {m.recall:5.2f} {m.f1:5.2f}  {extra}")
                    name = ""
        lines.append("-" * 92)
        for group, systems in self.scores.items():
            for system, s in systems.items():
                found = ", ".join(f"{t} {a}/{b} ({a / b:.2f})" for t, (a, b) in s.by_technique.items() if b)
                lines.append(f"{group}: {system}: gold spans found per technique: {found}")
        return "\n".join(lines)


def _document(text: str, name: str):
    from .text import Document

    # The PTC offsets point into the file as it is: no cleaning, so no offset moves.
    return Document(raw=text, text=text, name=name)


def _baseline_spans(doc) -> list[Span]:
    from .analyzers.lexicons import vader_valence

    valence = vader_valence()
    return [(t.start, t.end) for t in doc.word_tokens if abs(valence.get(t.text.lower(), 0.0)) >= BASELINE_VALENCE]


def evaluate_ptc(directory: str | Path, progress=None) -> PTCResult:
    """Score medialit and the VADER baseline on a PTC-layout directory, per technique group."""
    from .analyzers import analyze

    sample = read_ptc(directory)
    golds = {group: sample.gold(group) for group in TECHNIQUE_GROUPS}
    scores = {group: {"medialit": SystemScores(), f"baseline |VADER| >= {BASELINE_VALENCE}": SystemScores()}
              for group in TECHNIQUE_GROUPS}
    predicted: dict[str, dict[str, dict[str, list[Span]]]] = {g: {s: {} for s in scores[g]} for g in scores}
    for n, (article, text) in enumerate(sorted(sample.texts.items()), 1):
        doc = _document(text, f"article{article}.txt")
        analysis = analyze(doc)
        base = _baseline_spans(doc)
        for group in TECHNIQUE_GROUPS:
            gold = golds[group][article]
            gold_tokens = _token_set(doc, gold)
            for system, spans in zip(scores[group], ([(m.start, m.end) for m in analysis.spans if m.label == group], base)):
                s = scores[group][system]
                predicted[group][system][article] = spans
                s.marks += len(spans)
                mine = _token_set(doc, spans)
                s.token.add(Score(len(gold_tokens & mine), len(mine - gold_tokens), len(gold_tokens - mine)))
                o = overlap_score(gold, spans)
                s.overlap.matched_predicted += o.matched_predicted
                s.overlap.predicted += o.predicted
                s.overlap.found_gold += o.found_gold
                s.overlap.gold += o.gold
                for technique in TECHNIQUE_GROUPS[group]:
                    own = [(b, e) for t, b, e in sample.labels.get(article, []) if t == technique]
                    counts = s.by_technique.setdefault(technique, [0, 0])
                    counts[0] += overlap_score(own, spans).found_gold
                    counts[1] += len(own)
        if progress:
            progress(n, len(sample.texts), article)
    for group in TECHNIQUE_GROUPS:
        for system in scores[group]:
            scores[group][system].span = span_measure(golds[group], predicted[group][system])
    return PTCResult(str(directory), len(sample.texts), scores)
