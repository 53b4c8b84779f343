"""Balance: does the loaded-language analyzer treat every perspective alike?

For each corpus text, per event and perspective: token recall and precision of ``loaded_language``
against the gold annotations, and false marks (marks that overlap no gold span). A balanced
analyzer has similar recall across the sides of one event and few false marks on any of them;
``python -m medialit evaluate --balance`` prints the table after the usual one.

>>> rows = balance(["ukr-wire"]).rows
>>> rows[0].perspective, rows[0].false_marks <= 1
('neutral', True)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from . import corpus as _corpus
from .evaluate import Score, _token_set

__all__ = ["BalanceRow", "BalanceResult", "balance"]


@dataclass
class BalanceRow:
    """Loaded-language figures of one text."""

    text_id: str
    event: str
    perspective: str
    genre: str
    score: Score
    false_marks: int
    #: gold loaded spans that some mark overlaps, and gold loaded spans (span recall = found / gold)
    spans_found: int = 0
    spans_gold: int = 0


@dataclass
class BalanceResult:
    """One row per text, grouped by event in the table."""

    rows: list[BalanceRow]

    def recall_by_perspective(self, event: str | None = None) -> dict[str, float]:
        """Token recall of loaded language per perspective (texts with gold loaded words only)."""
        totals: dict[str, Score] = {}
        for row in self.rows:
            if (event is None or row.event == event) and row.score.tp + row.score.fn:
                totals.setdefault(row.perspective, Score()).add(row.score)
        return {p: s.recall for p, s in totals.items()}

    def span_recall_by_perspective(self, event: str | None = None) -> dict[str, float]:
        """Share of gold loaded spans that some mark overlaps, per perspective (insensitive to
        where a span's edges are drawn: "a historic step" and "historic step" count alike).

        >>> r = BalanceResult([BalanceRow("t", "e", "side", "op-ed", Score(1, 0, 1), 0, 1, 2)])
        >>> r.span_recall_by_perspective()
        {'side': 0.5}
        """
        totals: dict[str, list[int]] = {}
        for row in self.rows:
            if (event is None or row.event == event) and row.spans_gold:
                pair = totals.setdefault(row.perspective, [0, 0])
                pair[0] += row.spans_found
                pair[1] += row.spans_gold
        return {p: found / gold for p, (found, gold) in totals.items()}

    def largest_gap(self, event: str, spans: bool = False) -> float:
        """The recall of the most detected side minus that of the least detected one (neutral
        texts are not a side). ``spans=True`` uses span recall, otherwise token recall."""
        recall = self.span_recall_by_perspective(event) if spans else self.recall_by_perspective(event)
        sides = [r for p, r in recall.items() if p != "neutral"]
        return max(sides) - min(sides) if len(sides) > 1 else 0.0

    def table(self) -> str:
        lines = [f"{'balance: loaded_language by text':<34} {'perspective':<24} {'P':>5} {'R':>5}  false marks",
                 "-" * 84]
        for event in dict.fromkeys(r.event for r in self.rows):
            lines.append(f"event {event}")
            for row in (r for r in self.rows if r.event == event):
                s = row.score
                recall = f"{s.recall:5.2f}" if s.tp + s.fn else "    -"
                precision = f"{s.precision:5.2f}" if s.tp + s.fp else "    -"
                name = row.text_id + (" (rewrite)" if row.genre == "neutral rewrite" else "")
                lines.append(f"  {name:<32} {row.perspective[:22]:<22}   {precision} {recall}  {row.false_marks}")
        lines.append("-" * 84)
        for event in dict.fromkeys(r.event for r in self.rows):
            recall = self.recall_by_perspective(event)
            if recall:
                lines.append(f"token recall by perspective, {event}: "
                             + ", ".join(f"{p} {r:.2f}" for p, r in sorted(recall.items()))
                             + f" (largest gap between sides {self.largest_gap(event):.2f})")
                spans = self.span_recall_by_perspective(event)
                lines.append(f"span recall by perspective, {event}: "
                             + ", ".join(f"{p} {r:.2f}" for p, r in sorted(spans.items()))
                             + f" (largest gap between sides {self.largest_gap(event, spans=True):.2f})")
        lines.append("(R: share of gold loaded words marked; span recall: share of gold loaded spans that a mark "
                     "overlaps; '-': the text has no gold loaded words; the target is a gap of at most 0.1)")
        return "\n".join(lines)


def balance(text_ids: Iterable[str] | None = None) -> BalanceResult:
    """Loaded-language recall, precision and false marks for each text, with its event and perspective."""
    from .analyzers import analyze

    ids = list(text_ids) if text_ids is not None else [r.id for r in _corpus.catalog() if _corpus.has_gold(r.id)]
    rows = []
    for text_id in ids:
        info = _corpus.info(text_id)
        doc = _corpus.document(text_id)
        gold = [(s.start, s.end) for s in _corpus.annotations(text_id).spans if s.label == "loaded_language"]
        marks = [(m.start, m.end) for m in analyze(doc).spans if m.label == "loaded_language"]
        gs, ps = _token_set(doc, gold), _token_set(doc, marks)
        false_marks = sum(1 for a, b in marks if not any(a < e and s < b for s, e in gold))
        found = sum(1 for s, e in gold if any(a < e and s < b for a, b in marks))
        rows.append(BalanceRow(text_id, info.event, info.perspective, info.genre,
                               Score(len(gs & ps), len(ps - gs), len(gs - ps)), false_marks, found, len(gold)))
    return BalanceResult(rows)
