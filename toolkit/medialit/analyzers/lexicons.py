"""Loading the analyzers' lexicons from ``datasets/lexicons/`` and matching phrases on tokens.

>>> index = PhraseIndex({("powder", "keg"): "metaphor", ("keg",): "noun"})
>>> list(index.find(["a", "powder", "keg", "and", "a", "keg"]))
[(1, 3, 'metaphor'), (5, 6, 'noun')]
"""

from __future__ import annotations

from collections import defaultdict
from functools import lru_cache
from typing import Iterator

from .._data import data_dir
from ..text import token_spans

__all__ = ["PhraseIndex", "phrase_tokens", "read_table", "loaded_lexicon", "attribution_lexicon",
           "stance_lexicon", "frame_cues", "vader_valence", "evaluative_adjectives", "literal_words"]


def phrase_tokens(phrase: str) -> tuple[str, ...]:
    """Tokenize a lexicon phrase exactly as documents are tokenized (lower case, straight apostrophes)."""
    text = phrase.strip().lower().replace("’", "'")
    return tuple(text[s:e] for s, e in token_spans(text))


class PhraseIndex:
    """Finds lexicon phrases in a token list: longest match first, no overlaps."""

    def __init__(self, entries: dict[tuple[str, ...], str]) -> None:
        first: dict[str, list[tuple[tuple[str, ...], str]]] = defaultdict(list)
        for phrase, value in entries.items():
            if phrase:
                first[phrase[0]].append((phrase, value))
        for options in first.values():
            options.sort(key=lambda item: -len(item[0]))
        self._first = dict(first)
        self.size = len(entries)

    def __contains__(self, phrase: tuple[str, ...]) -> bool:
        return any(p == phrase for p, _ in self._first.get(phrase[0], ())) if phrase else False

    def match_at(self, words: list[str], i: int, end: int | None = None) -> tuple[int, str] | None:
        """The longest phrase starting at token ``i``: ``(end_index, value)`` or None."""
        options = self._first.get(words[i])
        if not options:
            return None
        stop = len(words) if end is None else end
        for phrase, value in options:
            j = i + len(phrase)
            if j <= stop and tuple(words[i:j]) == phrase:
                return j, value
        return None

    def find(self, words: list[str], start: int = 0, end: int | None = None) -> Iterator[tuple[int, int, str]]:
        """Yield ``(i, j, value)`` for each match in ``words[start:end]``, left to right."""
        stop = len(words) if end is None else end
        first = self._first
        free = start  # matches never overlap
        for i in [k for k in range(start, stop) if words[k] in first]:
            if i < free:
                continue
            hit = self.match_at(words, i, stop)
            if hit:
                yield i, hit[0], hit[1]
                free = hit[0]

    def find_by_sentence(self, words: list[str], ranges: list[tuple[int, int]]) -> list[list[tuple[int, int, str]]]:
        """:meth:`find` for each ``(start, end)`` range at once: the words that can open a phrase
        are looked up once for the whole document instead of once per sentence.

        >>> PhraseIndex({("keg",): "noun"}).find_by_sentence(["a", "keg", "keg"], [(0, 2), (2, 3)])
        [[(1, 2, 'noun')], [(2, 3, 'noun')]]
        """
        first = self._first
        candidates = [k for k, word in enumerate(words) if word in first]
        result: list[list[tuple[int, int, str]]] = []
        c = 0
        for start, stop in ranges:
            while c < len(candidates) and candidates[c] < start:
                c += 1
            found: list[tuple[int, int, str]] = []
            free = start
            while c < len(candidates) and candidates[c] < stop:
                i = candidates[c]
                c += 1
                if i < free:
                    continue
                hit = self.match_at(words, i, stop)
                if hit:
                    found.append((i, hit[0], hit[1]))
                    free = hit[0]
            result.append(found)
        return result

    def single_words(self) -> dict[str, str]:
        """The one-word entries (for counting with a Counter instead of scanning)."""
        return {p[0]: v for options in self._first.values() for p, v in options if len(p) == 1}

    def phrases(self) -> dict[tuple[str, ...], str]:
        """The entries of two or more words."""
        return {p: v for options in self._first.values() for p, v in options if len(p) > 1}


def read_table(name: str) -> list[list[str]]:
    """The rows of a tab-separated lexicon; ``#`` lines are comments."""
    rows = []
    path = data_dir() / "lexicons" / name
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        rows.append(line.split("\t"))
    return rows


_FUNCTION_WORDS = frozenset(
    "a an the this that these those it its they them their he she his her we our you your i my "
    "for from in on at by with without of to as and but or nor so yet if when while after before "
    "because since although though unless until what which who whom whose where why how there here "
    "all any both each every few many most much more less some several such no not only also even "
    "just still already now then once again meanwhile however consequently instead rather perhaps "
    "unlike like under over across through during between against among within".split()
)


def _variants(column: str) -> list[str]:
    return [v for v in (part.strip() for part in column.split("|")) if v]


@lru_cache(maxsize=1)
def loaded_lexicon() -> PhraseIndex:
    """Loaded words and phrases -> category (intensifier, label, puffery, ...)."""
    return PhraseIndex({phrase_tokens(v): row[1].strip() for row in read_table("loaded_language.tsv")
                        for v in _variants(row[0])})


@lru_cache(maxsize=1)
def attribution_lexicon() -> dict[str, PhraseIndex | frozenset[str]]:
    """Reporting verbs (a PhraseIndex) and the vague, quantifier and role word sets."""
    verbs: dict[tuple[str, ...], str] = {}
    sets: dict[str, set[str]] = defaultdict(set)
    for row in read_table("attribution.tsv"):
        kind = row[1].strip()
        for v in _variants(row[0]):
            if kind == "verb":
                verbs[phrase_tokens(v)] = "verb"
            else:
                sets[kind].add(v.lower())
    # Common English words (the VADER vocabulary plus function words): a capital on one of
    # these at the start of a sentence is no sign of a name.
    common = set(vader_valence()) | _FUNCTION_WORDS
    return {"verbs": PhraseIndex(verbs), "common": frozenset(common), **{k: frozenset(v) for k, v in sets.items()}}


@lru_cache(maxsize=1)
def stance_lexicon() -> PhraseIndex:
    """Hedges, approximators and boosters -> kind."""
    return PhraseIndex({phrase_tokens(v): row[1].strip() for row in read_table("stance.tsv")
                        for v in _variants(row[0])})


@lru_cache(maxsize=1)
def frame_cues() -> PhraseIndex:
    """Frame cue words -> frame name. A cue may belong to several frames (joined by ',')."""
    entries: dict[tuple[str, ...], list[str]] = defaultdict(list)
    for row in read_table("frames.tsv"):
        for v in _variants(row[1]):
            entries[phrase_tokens(v)].append(row[0].strip())
    return PhraseIndex({k: ",".join(v) for k, v in entries.items()})


@lru_cache(maxsize=1)
def vader_valence() -> dict[str, float]:
    """Word -> mean valence (-4..4) from the VADER lexicon (Hutto & Gilbert 2014, MIT licence)."""
    return {row[0]: float(row[1]) for row in read_table("vader_valence.tsv")}


@lru_cache(maxsize=1)
def evaluative_adjectives() -> dict[str, tuple[float, float]]:
    """Adjective -> (Pattern polarity, Pattern subjectivity) for adjectives rated strongly evaluative.

    >>> evaluative_adjectives()["cruel"][0] < 0
    True
    """
    return {row[0]: (float(row[1]), float(row[2])) for row in read_table("evaluative_adjectives.tsv")}


@lru_cache(maxsize=1)
def literal_words() -> frozenset[str]:
    """Words that ratings call evaluative but news uses to describe (never marked by rating alone)."""
    return frozenset(row[0].strip().lower() for row in read_table("literal_words.txt"))
