"""Explainable analyzers: a second opinion on loaded language, attribution, stance, claims and frames.

>>> from medialit import analyze
>>> result = analyze("Critics argue the reckless plan will clearly fail.")
>>> [(m.label, m.text) for m in result.spans]
[('vague_attribution', 'Critics argue'), ('loaded_language', 'reckless'), ('booster', 'clearly')]
>>> result.sentences[0].unsupported
True

Every mark carries a reason. The analyzers are rules and word lists (in ``datasets/lexicons/``),
deterministic and transparent: they are meant to be argued with, not obeyed.
"""

from __future__ import annotations

from .core import Analysis, analyze
from .marks import FrameScore, Mark, SentenceResult

__all__ = ["analyze", "Analysis", "Mark", "SentenceResult", "FrameScore"]
