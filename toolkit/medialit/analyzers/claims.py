"""Sentence claims: factual, opinion or prediction, and whether a claim is left unsupported.

The rules follow datasets/CODEBOOK.md ("Sentences: claim types" and "unsupported").

>>> from medialit import read
>>> from medialit.analyzers import analyze
>>> [(s.claim, s.unsupported) for s in analyze(read("Studies show it works. The Senate should act. It will fail.")).sentences]
[('factual', True), ('opinion', False), ('prediction', True)]
"""

from __future__ import annotations

import re

from .context import Context
from .marks import Mark, SentenceResult

__all__ = ["classify_sentences"]

_DEONTIC = frozenset({"should", "must", "ought", "deserves", "deserve", "shouldn't", "mustn't"})
_NEED = frozenset({"need", "needs"})
_FUTURE = frozenset({"will", "wo", "'ll", "shall"})
_SCHEDULED = ("expected", "scheduled", "due", "set", "planned", "pending")
_IMPERATIVES = frozenset({
    "order", "come", "join", "follow", "save", "meet", "stop", "think", "imagine", "vote", "tell", "remember",
    "look", "ask", "consider", "let", "don't", "do", "buy", "try", "call", "sign", "read", "act", "get", "write",
    "contact", "choose", "demand", "support", "share", "help",
})
_SWEEPING = (
    ("everyone", "knows"), ("everybody", "knows"), ("we", "all", "know"), ("history", "shows"),
    ("history", "teaches"), ("the", "only", "way"), ("the", "only", "pathways"), ("the", "only", "path"),
    ("nobody",), ("no", "one"), ("everyone",), ("everybody",), ("always",), ("never",), ("every",), ("all",),
    ("nothing",),
)
_CONDITIONAL = frozenset({"would", "might"})
# "Thousands of parents", "many Europeans": a quantity nobody counted.
_VAGUE_QUANTITY = (("thousands", "of"), ("millions", "of"), ("hundreds", "of"), ("countless",), ("many",),
                   ("most", "people"), ("more", "and", "more"))
_EVIDENCE = frozenset({"study", "studies", "trial", "review", "report", "survey", "data", "figures", "according",
                       "found", "estimated", "census", "analysis", "published"})


def _phrase_regex(phrases) -> "re.Pattern[str]":
    alternatives = sorted((" ".join(p) for p in phrases), key=len, reverse=True)
    return re.compile(" (" + "|".join(re.escape(a) for a in alternatives) + ") ")


_SWEEPING_RE = _phrase_regex(_SWEEPING)
_VAGUE_QUANTITY_RE = _phrase_regex(_VAGUE_QUANTITY)
_SUPERLATIVE_RE = re.compile(r" the (best|worst|real|only|[a-z]{3,}est) ")


def _first(pattern: "re.Pattern[str]", joined: str) -> str:
    match = pattern.search(joined)
    return match.group(1) if match else ""


def classify_sentences(ctx: Context, marks: list[Mark]) -> list[SentenceResult]:
    """Read each sentence's claim type and support from its words and the marks inside it."""
    by_sentence: list[list[Mark]] = [[] for _ in ctx.doc.sentences]
    for mark in marks:
        k = ctx.doc.sentence_index(mark.start)
        if k is not None:
            by_sentence[k].append(mark)
    named_in = [any(m.label == "named_attribution" for m in ms) for ms in by_sentence]
    results = []
    for index, (sent, (s, e)) in enumerate(zip(ctx.doc.sentences, ctx.sentence_ranges)):
        words = ctx.words[s:e]
        joined = f" {' '.join(words)} "
        vocabulary = set(words)
        inside = by_sentence[index]
        author_loaded = [m for m in inside if m.label == "loaded_language" and m.voice == "author"]
        boosters = [m for m in inside if m.label == "booster"]
        hedges = [m for m in inside if m.label == "hedge"]
        vague = [m for m in inside if m.label == "vague_attribution"]
        named = named_in[index]
        reasons: list[str] = []

        # -- claim type
        first = next((w for w in words if any(ch.isalnum() for ch in w)), "")
        if named and not vague:
            claim = "factual"
            reasons.append("reports what a named source said")
        elif (vocabulary & _DEONTIC) or (first in _IMPERATIVES and not ctx.is_number(s)) \
                or sent.text.rstrip().endswith("?") or " need to " in joined or " needs to " in joined:
            claim = "opinion"
            reasons.append("says what should be done or asks the reader")
        elif (vocabulary & _FUTURE) or " going to " in joined or ((vocabulary & _CONDITIONAL) and not named):
            claim = "prediction"
            reasons.append("says what will happen")
        elif author_loaded or boosters or _SUPERLATIVE_RE.search(joined):
            claim = "opinion"
            reasons.append("evaluates in emotive or certain words")
        else:
            claim = "factual"

        # -- support
        sweeping = _first(_SWEEPING_RE, joined)
        scheduled = any(w in _SCHEDULED for w in words)
        neighbours = [named_in[k] for k in (index - 1, index + 1) if 0 <= k < len(named_in)]
        evidence = named or bool(vocabulary & _EVIDENCE)
        unsupported = False
        quantity = _first(_VAGUE_QUANTITY_RE, joined)
        if vague and not named:
            unsupported = True
            reasons.append(f"credited to an unnamed source ('{vague[0].text}')")
        elif quantity and claim == "factual" and not evidence:
            unsupported = True
            reasons.append(f"a vague quantity nobody counted ('{quantity}')")
        elif sweeping and not named:
            unsupported = True
            reasons.append(f"sweeping generalisation ('{sweeping}')")
        elif claim == "prediction" and not (evidence or scheduled):
            unsupported = True
            reasons.append("a prediction with no evidence or source given")
        elif claim in {"factual", "opinion"} and (author_loaded or boosters) and not evidence and not any(neighbours) \
                and not ("opinion" == claim and not boosters):
            unsupported = True
            reasons.append("a checkable claim stated with certainty and no source")
        if hedges and not unsupported:
            reasons.append("hedged")
        results.append(SentenceResult(sent.start, sent.end, sent.text, claim, unsupported, tuple(reasons)))
    return results
