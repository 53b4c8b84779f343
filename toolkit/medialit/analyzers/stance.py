"""Hedges and boosters (Hyland 2005), with the context rules that keep them honest.

>>> from medialit import read
>>> from medialit.analyzers.context import Context
>>> [(m.text, m.label) for m in find_stance(Context(read("Clearly it may rain on May 5, about 40 mm.")))]
[('Clearly', 'booster'), ('may', 'hedge'), ('about', 'hedge')]
"""

from __future__ import annotations

from .context import Context
from .lexicons import stance_lexicon
from .marks import Mark

__all__ = ["find_stance"]

_MONTH_FOLLOWERS = frozenset({"of", "and", "to", "through", "until", ","})
_COPULA = frozenset({"is", "was", "are", "were", "seems", "seemed", "be", "been", "'s"})
_APPROX_OBJECTS = frozenset({"the", "half", "a", "twice", "as"})


def _is_month_may(ctx: Context, i: int) -> bool:
    token = ctx.tokens[i].text
    if token != "May":
        return False
    following = ctx.words[i + 1] if i + 1 < len(ctx.words) else ""
    return not ctx.sentence_start(i) or ctx.is_number(i + 1) or following in _MONTH_FOLLOWERS


def find_stance(ctx: Context) -> list[Mark]:
    """Mark hedges (including approximators before numbers) and boosters."""
    lexicon = stance_lexicon()
    words, tokens = ctx.words, ctx.tokens
    marks: list[Mark] = []
    for (start, end), found in zip(ctx.sentence_ranges, lexicon.find_by_sentence(words, ctx.sentence_ranges)):
        for i, j, kind in found:
            word = words[i]
            following = words[j] if j < end else ""
            reason = ""
            label = "hedge"
            if kind == "approximator":
                if not (ctx.is_number(j) or (following in _APPROX_OBJECTS and word != "between"
                                               and (following != "the" or (j + 1 < end and words[j + 1] == "same")))):
                    continue
                reason = "approximator before a number"
            elif kind == "hedge":
                if word == "may" and _is_month_may(ctx, i):
                    continue  # "May 5" is a date
                if word == "could" and following in {"not", "n't"}:
                    continue  # "could not cope": inability, not possibility
                reason = "modal verb of possibility" if word in {"may", "might", "could"} else "hedging word"
            elif kind == "booster":
                label = "booster"
                if word == "clear" and not (i > start and words[i - 1] in _COPULA and following != "of"):
                    continue  # only "is clear", not "clear of" or "a clear plan"
                reason = "certainty marker"
            start_char, end_char = tokens[i].start, tokens[j - 1].end
            voice = "quoted" if all(ctx.quoted[i:j]) else "author"
            marks.append(Mark(start_char, end_char, label, ctx.doc.text[start_char:end_char], reason, voice))
    return marks
