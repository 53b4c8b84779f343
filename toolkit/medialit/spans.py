"""The word-overlap rule, in one place: which words a span covers, and when two spans meet.

A span ``(start, end, label)`` covers a word when they share at least one character
(``start < word.end and end > word.start``). Every part of medialit that compares spans word
by word (practice feedback, grading, the class report, the analyzers' evaluation) uses these
functions, so that they cannot disagree.

>>> from medialit import read
>>> doc = read("A reckless and dangerous plan.")
>>> word_labels([(2, 10, "loaded_language")], doc.word_tokens)[:3]
[set(), {'loaded_language'}, set()]
>>> covered_words([(3, 12, "x")], doc.word_tokens)
[1, 2]
"""

from __future__ import annotations

from typing import Any, Iterable, Sequence

__all__ = ["covers", "word_labels", "covered_words", "spans_meet"]


def covers(start: int, end: int, word: Any) -> bool:
    """Whether the characters ``start:end`` share at least one character with ``word``
    (anything with ``start`` and ``end``).

    >>> from types import SimpleNamespace as W
    >>> covers(0, 4, W(start=4, end=8)), covers(0, 5, W(start=4, end=8))
    (False, True)
    """
    return start < word.end and end > word.start


def word_labels(spans: Iterable[Sequence], words: Sequence[Any]) -> list[set[str]]:
    """For each word, the labels of the spans that cover it (an empty set for none).

    >>> from types import SimpleNamespace as W
    >>> word_labels([(0, 3, "hedge")], [W(start=0, end=3), W(start=4, end=6)])
    [{'hedge'}, set()]
    """
    spans = [tuple(s) for s in spans]
    return [{s[2] for s in spans if covers(s[0], s[1], word)} for word in words]


def covered_words(spans: Iterable[Sequence], words: Sequence[Any]) -> list[int]:
    """The numbers of the words that any of ``spans`` covers (only start and end are used).

    >>> from types import SimpleNamespace as W
    >>> covered_words([(5, 6)], [W(start=0, end=3), W(start=4, end=6)])
    [1]
    """
    spans = [tuple(s) for s in spans]
    return [k for k, word in enumerate(words) if any(covers(s[0], s[1], word) for s in spans)]


def spans_meet(a: Sequence, b: Sequence, same_label: bool = True) -> bool:
    """Whether two spans share a character (and, with ``same_label``, have the same label).

    >>> spans_meet((0, 5, "hedge"), (4, 9, "hedge")), spans_meet((0, 5, "hedge"), (4, 9, "booster"))
    (True, False)
    """
    return a[0] < b[1] and b[0] < a[1] and (not same_label or a[2] == b[2])
