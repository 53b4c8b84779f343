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
                lines.append(f"recall by perspective, {event}: "
                             + ", ".join(f"{p} {r:.2f}" for p, r in sorted(recall.items())))
        lines.append("(R: share of gold loaded words marked; '-': the text has no gold loaded words)")
        return "\n".join(lines)


def balance(text_ids: Iterable[str] | None = None) -> BalanceResult:
    """Loaded-language recall, precision and false marks for each text, with its event and perspective."""
    from .analyzers import analyze

    ids = list(text_ids) if text_ids is not None else [r.id for r in _corpus.catalog()]
    rows = []
    for text_id in ids:
        info = _corpus.info(text_id)
        doc = _corpus.document(text_id)
        gold = [(s.start, s.end) for s in _corpus.annotations(text_id).spans if s.label == "loaded_language"]
        marks = [(m.start, m.end) for m in analyze(doc).spans if m.label == "loaded_language"]
        gs, ps = _token_set(doc, gold), _token_set(doc, marks)
        false_marks = sum(1 for a, b in marks if not any(a < e and s < b for s, e in gold))
        rows.append(BalanceRow(text_id, info.event, info.perspective, info.genre,
                               Score(len(gs & ps), len(ps - gs), len(gs - ps)), false_marks))
    return BalanceResult(rows)
