"""The plain result types of an analysis (no behaviour beyond conversion to built-in types)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

__all__ = ["Mark", "SentenceResult", "FrameScore"]


@dataclass(frozen=True)
class Mark:
    """One span the analyzer marked, with the reason it gives.

    >>> Mark(0, 5, "hedge", "might", "modal verb of possibility").as_dict()["label"]
    'hedge'
    """

    start: int
    end: int
    label: str
    text: str
    reason: str
    voice: str = "author"

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class SentenceResult:
    """The analyzer's reading of one sentence."""

    start: int
    end: int
    text: str
    claim: str
    unsupported: bool
    reasons: tuple[str, ...] = field(default=())

    def as_dict(self) -> dict:
        data = asdict(self)
        data["reasons"] = list(self.reasons)
        return data


@dataclass(frozen=True)
class FrameScore:
    """How strongly the text evokes one of the 14 policy frames, and the cue words behind it."""

    frame: str
    score: float
    cues: tuple[str, ...] = field(default=())

    def as_dict(self) -> dict:
        return {"frame": self.frame, "score": self.score, "cues": list(self.cues)}
