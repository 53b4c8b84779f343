"""Issue frames: the arguments specific to one event (codebook.json, ``issue_frames``).

The 14 policy frames say *what kind* of issue a text makes of an event (security, economics...);
issue frames say *which argument about this event* it makes: for the Ukraine security guarantees,
deterrence, escalation risk, sovereignty, spheres of influence, broken promises, negotiation or
burden sharing. A frame's score is its cue words per 100 words; the cues are listed so a reader
can see (and dispute) why it ranks where it does.

>>> top = issue_frames("Talks and dialogue, not threats, will end the war.", "ukraine-security-guarantees")[0]
>>> top.frame, top.cues
('negotiation', ('dialogue', 'talks'))
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from functools import lru_cache
from typing import Union

from .._data import data_dir
from ..text import Document, read
from .context import Context
from .lexicons import PhraseIndex, phrase_tokens, read_table
from .marks import FrameScore

__all__ = ["issue_frames", "issue_frame_names", "events_with_issue_frames"]


@lru_cache(maxsize=1)
def _book() -> dict[str, dict[str, str]]:
    return json.loads((data_dir() / "codebook.json").read_text(encoding="utf-8")).get("issue_frames", {})


def _frames_event(event: str) -> str:
    """The event whose frames and cues ``event`` uses: itself, or the event it names in the codebook
    (``"security-guarantees-2021-22": "ukraine-security-guarantees"``: one issue, one frame set)."""
    book = _book()
    if event not in book:
        raise ValueError(f"{event!r} has no issue frames. Events with issue frames: {', '.join(book) or 'none'}.")
    shared = book[event]
    if isinstance(shared, str):
        if not isinstance(book.get(shared), dict):
            raise ValueError(f"codebook.json: issue_frames[{event!r}] names {shared!r}, which is not an event with "
                             f"its own frames. Events with their own frames: "
                             f"{', '.join(k for k, v in book.items() if isinstance(v, dict))}.")
        return shared
    return event


def events_with_issue_frames() -> tuple[str, ...]:
    """The events that have issue frames in the codebook."""
    return tuple(_book())


def issue_frame_names(event: str) -> tuple[str, ...]:
    """The issue frames of one event, in codebook order.

    >>> issue_frame_names("ukraine-security-guarantees")[:2]
    ('deterrence', 'escalation_risk')
    """
    return tuple(_book()[_frames_event(event)])


@lru_cache(maxsize=None)
def _cues(event: str) -> PhraseIndex:
    event = _frames_event(event)
    entries: dict[tuple[str, ...], list[str]] = defaultdict(list)
    for row in read_table("issue_frames.tsv"):
        if row[0].strip() == event:
            for cue in row[2].split("|"):
                if cue.strip():
                    entries[phrase_tokens(cue)].append(row[1].strip())
    return PhraseIndex({k: ",".join(v) for k, v in entries.items()})


def issue_frames(text_or_document: Union[str, Document, Context], event: str) -> list[FrameScore]:
    """The event's issue frames, highest score first (ties in codebook order), each with its cues."""
    names = issue_frame_names(event)
    if isinstance(text_or_document, Context):
        ctx = text_or_document
    else:
        doc = text_or_document if isinstance(text_or_document, Document) else read(text_or_document)
        ctx = Context(doc)
    counts: dict[str, Counter] = {name: Counter() for name in names}
    for i, j, frames in _cues(event).find(ctx.words):
        cue = " ".join(ctx.words[i:j])
        for frame in frames.split(","):
            counts[frame][cue] += 1
    n_words = max(1, len(ctx.doc.word_tokens))
    scored = []
    for order, name in enumerate(names):
        ranked = sorted(counts[name].items(), key=lambda item: (-item[1], item[0]))
        total = sum(counts[name].values())
        scored.append((-total, order, FrameScore(name, round(100 * total / n_words, 2), tuple(c for c, _ in ranked[:8]))))
    scored.sort(key=lambda item: (item[0], item[1]))
    return [item[2] for item in scored]
