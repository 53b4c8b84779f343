"""Loaded language: emotive words, labels, puffery and metaphors in the author's voice or quoted.

>>> from medialit import read
>>> from medialit.analyzers.context import Context
>>> [(m.text, m.reason) for m in find_loaded(Context(read("The regime's reckless plan is not radical.")))]
[('regime', 'contentious label'), ('reckless', 'intensifier')]
"""

from __future__ import annotations

from .context import Context
from .lexicons import loaded_lexicon, vader_valence
from .marks import Mark

__all__ = ["find_loaded", "REASONS"]

#: The reason shown for each lexicon category (datasets/lexicons/loaded_language.tsv).
REASONS = {
    "intensifier": "intensifier",
    "label": "contentious label",
    "puffery": "puffery",
    "metaphor": "emotive metaphor",
    "emotive": "emotionally charged word",
    "dismissive": "dismissive word",
    "euphemism": "euphemism",
}

# Negation words (after NLTK's VADER list, nltk.sentiment.vader.VaderConstants.NEGATE) that
# cancel a loaded word within three tokens: "is not radical". "not just", "not only" and
# "not merely" intensify instead, so they do not cancel.
_NEGATIONS = frozenset({"not", "n't", "no", "never", "nor", "neither", "without", "hardly"})
_NOT_CANCELLING = frozenset({"just", "only", "merely", "simply"})

# Words that report someone else's label: "what it calls X", "called the plan a X".
_REPORTING_LABEL = frozenset({"call", "calls", "called", "calling", "dubbed", "dubs", "labelled",
                              "labeled", "branded", "brands", "termed", "terms"})

#: Adverbs formed from strongly valenced adjectives ("brutally", "tragically") are flagged as
#: intensifiers when the adjective's VADER valence is at least this far from 0. 2.0 is VADER's
#: "strong" band (Hutto & Gilbert 2014 rate words from -4 to +4).
ADVERB_VALENCE = 2.0
# Manner adverbs whose base adjective is valenced but whose use in reports is literal.
_LITERAL_ADVERBS = frozenset({
    "successfully", "effectively", "safely", "positively", "negatively", "freely", "fairly",
    "happily", "easily", "clearly", "honestly", "seriously", "securely", "peacefully", "legally",
    "illegally", "accurately", "properly", "carefully", "strongly", "badly", "sadly", "warmly",
    "kindly", "largely", "greatly", "fully", "truly", "certainly", "surely", "wisely",
})


def _negated(ctx: Context, i: int) -> bool:
    sentence_start = ctx.sentence_ranges[ctx.token_sentence[i]][0]
    window = ctx.words[max(sentence_start, i - 3):i]
    for k, word in enumerate(window):
        if word in _NEGATIONS:
            following = window[k + 1] if k + 1 < len(window) else ctx.words[i]
            if following not in _NOT_CANCELLING:
                return True
    return False


def _reported_label(ctx: Context, i: int) -> bool:
    sentence_start = ctx.sentence_ranges[ctx.token_sentence[i]][0]
    return any(w in _REPORTING_LABEL for w in ctx.words[max(sentence_start, i - 6):i])


def _adverb_valence(word: str, valence: dict[str, float]) -> float:
    if not word.endswith("ly") or len(word) < 6 or word in _LITERAL_ADVERBS:
        return 0.0
    for base in (word[:-2], word[:-4] if word.endswith("ally") else "", word[:-3] + "y" if word.endswith("ily") else "",
                 word[:-2] + "e"):
        if base and base in valence:
            return valence[base]
    return 0.0


def find_loaded(ctx: Context) -> list[Mark]:
    """Mark loaded words and phrases; skip negated ones; note quoted ones."""
    lexicon = loaded_lexicon()
    valence = vader_valence()
    marks: list[Mark] = []
    words, tokens = ctx.words, ctx.tokens
    for start, end in ctx.sentence_ranges:
        hits = list(lexicon.find(words, start, end))
        covered = {k for i, j, _ in hits for k in range(i, j)}
        for k in range(start, end):
            if words[k][-2:] == "ly" and k not in covered and abs(_adverb_valence(words[k], valence)) >= ADVERB_VALENCE:
                hits.append((k, k + 1, "intensifier"))
        for i, j, category in sorted(hits):
            if _negated(ctx, i):
                continue
            if category == "label" and i > start and ctx.is_capitalized(i - 1) and not ctx.sentence_start(i - 1):
                i -= 1  # "the Kyiv regime", "US hegemony": the label includes its target
            reason = REASONS.get(category, category)
            voice = "author"
            if all(ctx.quoted[i:j]):
                voice, reason = "quoted", f"{reason}, in a quotation"
            elif _reported_label(ctx, i):
                voice, reason = "quoted", f"{reason}, reported as someone else's word"
            start_char, end_char = tokens[i].start, tokens[j - 1].end
            marks.append(Mark(start_char, end_char, "loaded_language", ctx.doc.text[start_char:end_char], reason, voice))
    return marks
