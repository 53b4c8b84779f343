"""Scoring the issue frames against their gold (``datasets/annotations/issue_frames.json``).

For each text with issue-frame gold: is the analyzer's first issue frame the gold primary one, and
how do the sides' profiles (the ranked frames) differ? Shown by ``python -m medialit evaluate``.

>>> result = evaluate_issue_frames(["ukr-kyiv"])
>>> result.rows[0].gold_primary, result.rows[0].ranked[0]
('broken_promises', 'broken_promises')
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable

from . import corpus as _corpus
from ._data import data_dir

__all__ = ["IssueFrameRow", "IssueFrameResult", "issue_frame_gold", "evaluate_issue_frames"]


@lru_cache(maxsize=1)
def issue_frame_gold() -> dict[str, dict]:
    """Text id -> {"event", "primary", "secondary"} for every text with issue-frame gold."""
    data = json.loads((data_dir() / "annotations" / "issue_frames.json").read_text(encoding="utf-8"))
    return {text_id: {"event": event, **gold} for event, texts in data.items() if isinstance(texts, dict)
            for text_id, gold in texts.items()}


@dataclass
class IssueFrameRow:
    text_id: str
    perspective: str
    gold_primary: str
    ranked: tuple[str, ...]       # frames with a score above 0, highest first
    scores: tuple[float, ...]


@dataclass
class IssueFrameResult:
    rows: list[IssueFrameRow]

    @property
    def top1_accuracy(self) -> float:
        return sum(r.ranked[:1] == (r.gold_primary,) for r in self.rows) / max(1, len(self.rows))

    def identical_profiles(self) -> list[tuple[str, str]]:
        """Pairs of texts from different perspectives whose ranked profiles are the same."""
        return [(a.text_id, b.text_id) for k, a in enumerate(self.rows) for b in self.rows[k + 1:]
                if a.perspective != b.perspective and a.ranked == b.ranked]

    def table(self) -> str:
        lines = [f"{'issue frames: text':<24} {'gold primary':<22} analyzer's profile (per 100 words)", "-" * 84]
        for r in self.rows:
            mark = "ok" if r.ranked[:1] == (r.gold_primary,) else "--"
            profile = ", ".join(f"{f} {s:.1f}" for f, s in zip(r.ranked[:3], r.scores[:3])) or "no cues"
            lines.append(f"{mark} {r.text_id:<21} {r.gold_primary:<22} {profile}")
        lines.append("-" * 84)
        same = self.identical_profiles()
        lines.append(f"issue frame top-1 accuracy {self.top1_accuracy:.2f} ({len(self.rows)} texts); "
                     f"identical profiles of different sides: {', '.join('/'.join(p) for p in same) or 'none'}")
        return "\n".join(lines)


def evaluate_issue_frames(text_ids: Iterable[str] | None = None) -> IssueFrameResult:
    """Compare the analyzer's issue frames with the gold for the given texts (those that have gold)."""
    from .analyzers.issue_frames import issue_frames

    gold = issue_frame_gold()
    known = {row.id for row in _corpus.catalog()}
    # gold may be written for texts that a later corpus release adds: those are skipped until they come
    ids = [t for t in (list(text_ids) if text_ids is not None else list(gold)) if t in gold and t in known]
    rows = []
    for text_id in ids:
        scored = [f for f in issue_frames(_corpus.document(text_id), gold[text_id]["event"]) if f.score > 0]
        rows.append(IssueFrameRow(text_id, _corpus.info(text_id).perspective, gold[text_id]["primary"],
                                  tuple(f.frame for f in scored), tuple(f.score for f in scored)))
    return IssueFrameResult(rows)
