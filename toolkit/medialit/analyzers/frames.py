"""Frames: how strongly a text evokes each of the 14 policy frames (Boydstun et al. 2014).

A frame's score is the number of its cue words per 100 words of text; the cues are listed so
that a reader can see (and dispute) why a frame ranks where it does.

>>> from medialit import read
>>> from medialit.analyzers.context import Context
>>> top = score_frames(Context(read("Troops and tanks massed at the border as the alliance met.")))[0]
>>> top.frame, top.cues
('security_and_defense', ('alliance', 'border', 'troops'))
"""

from __future__ import annotations

from collections import Counter
from functools import lru_cache

from .. import codebook
from ..text import WORD_CHAR
from .context import Context
from .lexicons import frame_cues
from .marks import FrameScore

__all__ = ["score_frames"]


@lru_cache(maxsize=1)
def _cue_tables() -> tuple[dict[str, tuple[str, ...]], dict[str, list[tuple[str, list[str], tuple[str, ...]]]]]:
    """Single-word cues -> frames; and first word -> [(phrase, the phrase's other words, frames)]."""
    index = frame_cues()
    single = {w: tuple(v.split(",")) for w, v in index.single_words().items()}
    phrases: dict[str, list[tuple[str, list[str], tuple[str, ...]]]] = {}
    for p, v in index.phrases().items():
        phrases.setdefault(p[0], []).append((" ".join(p), list(p[1:]), tuple(v.split(","))))
    return single, phrases


def score_frames(ctx: Context) -> list[FrameScore]:
    """All 14 frames, highest score first (ties in codebook order), each with its cue words."""
    single, phrases = _cue_tables()
    frames = codebook.frames()
    counts: dict[str, Counter] = {f: Counter() for f in frames}
    words = ctx.words
    vocabulary = Counter(words)
    for word in vocabulary.keys() & single.keys():
        for frame in single[word]:
            counts[frame][word] += vocabulary[word]
    # a phrase can occur only where its first word does: look there instead of scanning the text once per phrase
    for first in vocabulary.keys() & phrases.keys():
        k = -1
        for _ in range(vocabulary[first]):
            k = words.index(first, k + 1)
            for phrase, tail, targets in phrases[first]:
                if words[k + 1:k + 1 + len(tail)] == tail:
                    for frame in targets:
                        counts[frame][phrase] += 1
    # the words with a letter or digit (Document.word_tokens), counted once per distinct word
    n_words = max(1, sum(n for w, n in vocabulary.items() if w[:1].isalnum() or WORD_CHAR.search(w)))
    scored = []
    for order, frame in enumerate(frames):
        total = sum(counts[frame].values())
        ranked = sorted(counts[frame].items(), key=lambda item: (-item[1], item[0]))
        cues = tuple(cue for cue, _ in ranked[:8])
        scored.append((-total, order, FrameScore(frame, round(100 * total / n_words, 2), cues)))
    scored.sort(key=lambda item: (item[0], item[1]))
    return [item[2] for item in scored]
