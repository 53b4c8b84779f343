"""Frames: how strongly a text evokes each of the 14 policy frames (Boydstun et al. 2014).

A frame's score is the number of its cue words per 100 words of text; the cues are listed so
that a reader can see (and dispute) why a frame ranks where it does.

>>> from medialit import read
>>> from medialit.analyzers.context import Context
>>> top = score_frames(Context(read("Troops and tanks massed at the border as the alliance met.")))[0]
>>> top.frame, top.cues
('security_and_defense', ('troops', 'border', 'alliance'))
"""

from __future__ import annotations

from collections import Counter

from .. import codebook
from .context import Context
from .lexicons import frame_cues
from .marks import FrameScore

__all__ = ["score_frames"]


def score_frames(ctx: Context) -> list[FrameScore]:
    """All 14 frames, highest score first (ties in codebook order), each with its cue words."""
    cues_index = frame_cues()
    frames = codebook.frames()
    counts: dict[str, Counter] = {f: Counter() for f in frames}
    words = ctx.words
    for i, j, value in cues_index.find(words):
        cue = " ".join(words[i:j])
        for frame in value.split(","):
            counts[frame][cue] += 1
    n_words = max(1, len(ctx.doc.word_tokens))
    scored = []
    for order, frame in enumerate(frames):
        total = sum(counts[frame].values())
        cues = tuple(cue for cue, _ in counts[frame].most_common(8))
        scored.append((-total, order, FrameScore(frame, round(100 * total / n_words, 2), cues)))
    scored.sort(key=lambda item: (item[0], item[1]))
    return [item[2] for item in scored]
