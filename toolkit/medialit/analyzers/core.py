"""Combining the detectors into one :class:`Analysis`."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from typing import Union

from .._display import html_for
from ..text import Document, read
from .attribution import find_attributions
from .claims import classify_sentences
from .context import Context
from .frames import score_frames
from .loaded import find_loaded
from .marks import FrameScore, Mark, SentenceResult
from .stance import find_stance

__all__ = ["Analysis", "analyze", "SPAN_LABELS"]

#: The span labels the analyzers produce, in display order.
SPAN_LABELS = ("loaded_language", "vague_attribution", "named_attribution", "hedge", "booster")


@dataclass(frozen=True, eq=False)
class Analysis:
    """The result of :func:`analyze`: spans, sentences and frames of one document."""

    document: Document
    spans: tuple[Mark, ...]
    sentences: tuple[SentenceResult, ...]
    frames: tuple[FrameScore, ...]

    def spans_with(self, label: str) -> list[Mark]:
        """The marks with one label."""
        if label not in SPAN_LABELS:
            raise ValueError(f"{label!r} is not a span label. The span labels are: {', '.join(SPAN_LABELS)}.")
        return [m for m in self.spans if m.label == label]

    def counts(self) -> dict[str, int]:
        """How many marks of each label."""
        found = Counter(m.label for m in self.spans)
        return {label: found.get(label, 0) for label in SPAN_LABELS}

    def rates(self) -> dict[str, float]:
        """Marks of each label per 100 words."""
        words = max(1, len(self.document.word_tokens))
        return {label: round(100 * n / words, 2) for label, n in self.counts().items()}

    @property
    def primary_frame(self) -> str:
        """The highest-scoring frame."""
        return self.frames[0].frame

    def issue_frames(self, event: str) -> list[FrameScore]:
        """The issue frames of one event (codebook.json, ``issue_frames``), highest score first.

        >>> analyze("Talks and dialogue will end the war.").issue_frames("ukraine-security-guarantees")[0].frame
        'negotiation'
        """
        from .issue_frames import issue_frames

        return issue_frames(self.document, event)

    def to_dict(self) -> dict:
        """Plain built-in types, in the documented JSON schema."""
        return {
            "spans": [{k: m.as_dict()[k] for k in ("start", "end", "label", "text", "reason")} | {"voice": m.voice}
                      for m in self.spans],
            "sentences": [s.as_dict() for s in self.sentences],
            "frames": [f.as_dict() for f in self.frames],
        }

    def to_json(self, indent: int | None = 2) -> str:
        """The analysis as one JSON document."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    def _repr_html_(self) -> str | None:
        # the view is looked up by name (medialit._display): the analyzers never import a view
        return html_for(self)

    def __repr__(self) -> str:
        counts = ", ".join(f"{n} {label}" for label, n in self.counts().items() if n)
        unsupported = sum(s.unsupported for s in self.sentences)
        name = f" {self.document.name!r}" if self.document.name else ""
        return (f"<Analysis{name}: {counts or 'no marks'}; {unsupported} of {len(self.sentences)} sentences "
                f"unsupported; primary frame {self.primary_frame}>")


def analyze(text_or_document: Union[str, Document]) -> Analysis:
    """Analyze a text (a string, a file path, or a :class:`~medialit.text.Document`).

    >>> a = analyze("Officials said on May 5 that prices may rise.")
    >>> [(m.label, m.text) for m in a.spans]
    [('vague_attribution', 'Officials said'), ('hedge', 'may')]
    """
    doc = text_or_document if isinstance(text_or_document, Document) else read(text_or_document)
    ctx = Context(doc)
    marks = find_loaded(ctx) + find_attributions(ctx) + find_stance(ctx)
    marks.sort(key=lambda m: (m.start, m.end, SPAN_LABELS.index(m.label)))
    # a headline or byline is shown and marked, but is not a sentence of the article (no claim type)
    heading_ends = [p.end for p in doc.front_matter]
    sentences = [s for s in classify_sentences(ctx, marks) if not heading_ends or s.start >= heading_ends[-1]]
    return Analysis(doc, tuple(marks), tuple(sentences), tuple(score_frames(ctx)))
