"""A text the student brings (lesson 07-your-text): a passage of it to mark, a note on what the
analyzer can and cannot read in it, and the student's marks set beside the analyzer's.

Nothing here judges the student's text or marks: there is no key for a text the course has not
seen. The comparison only says where the student and the machine agree and differ; the student
argues about the differences in writing, and an instructor grades that by a rubric.

>>> doc = read_own("Officials said the plan is a disaster.\\n\\nIt starts in May.", "A. Writer, Example Post, 2024")
>>> short = passage(doc, max_words=8)
>>> short.text, short.attribution
('Officials said the plan is a disaster.', 'A. Writer, Example Post, 2024')
>>> [row.verdict for row in compare_marks([(19, 38, "loaded_language")], [(0, 14, "vague_attribution")], short)]
['only the analyzer', 'only you']
"""

from __future__ import annotations

import dataclasses
from typing import Iterable, NamedTuple, Sequence

from .text import Document, TextInputError, read, stopwords

__all__ = ["OWN_LABELS", "PASSAGE_WORDS", "read_own", "passage", "describe", "english_share",
           "MarkRow", "compare_marks", "compare_claims", "marks_table", "claims_table"]

#: The span labels a student marks in their own text (codebook names).
OWN_LABELS = ("loaded_language", "vague_attribution", "named_attribution")
#: The longest passage marked word by word (about ten sentences: ten minutes of careful reading).
PASSAGE_WORDS = 200
#: Below this share of common English words, the analyzer's English word lists read nothing.
ENGLISH_SHARE = 0.15


def read_own(source, attribution: str | None = None) -> Document:  # noqa: ANN001 - as medialit.read
    """Read the student's text (a file name beside the notebook, or the text itself) and keep
    where it comes from with it, so that it is shown wherever the text is shown.

    >>> read_own("It rained.", "My diary").attribution
    'My diary'
    >>> read_own(None)
    Traceback (most recent call last):
    ...
    medialit.text.TextInputError: There is no text yet: set MY_TEXT to the name of the file you uploaded next to this notebook (for example "my-article.txt"), or paste the article between triple quotes.
    """
    if source is None or (isinstance(source, str) and not source.strip()):
        raise TextInputError('There is no text yet: set MY_TEXT to the name of the file you uploaded next to this '
                             'notebook (for example "my-article.txt"), or paste the article between triple quotes.')
    if not isinstance(source, (str, bytes)) and not hasattr(source, "__fspath__"):
        raise TextInputError(f"MY_TEXT is a {type(source).__name__}, not a file name or a text: write it as a "
                             'string, e.g. MY_TEXT = "my-article.txt" or MY_TEXT = """the article..."""')
    doc = read(source)
    note = attribution.strip() if isinstance(attribution, str) and attribution.strip() else None
    return dataclasses.replace(doc, attribution=note)


def passage(doc: Document, start: int = 0, max_words: int = PASSAGE_WORDS) -> Document:
    """The part of ``doc`` to mark: whole paragraphs from paragraph ``start`` (counted from 0)
    while they fit in ``max_words`` words; a first paragraph that is too long is cut after its
    last whole sentence that fits (or, for one endless sentence, after ``max_words`` words).

    >>> doc = read("One two three.\\n\\nFour five six.\\n\\nSeven.")
    >>> passage(doc, start=1).text
    'Four five six.\\n\\nSeven.'
    >>> passage(doc, start=3)
    Traceback (most recent call last):
    ...
    ValueError: START_PARAGRAPH is 3, but your text has 3 paragraphs (0 to 2): choose one of them.
    """
    paragraphs = doc.paragraphs
    if type(start) is not int or not 0 <= start < len(paragraphs):
        raise ValueError(f"START_PARAGRAPH is {start!r}, but your text has {len(paragraphs)} paragraphs "
                         f"(0 to {len(paragraphs) - 1}): choose one of them.")
    if type(max_words) is not int or max_words < 1:
        raise ValueError(f"max_words must be a whole number of at least 1, not {max_words!r}.")
    words = doc.word_tokens
    begin = paragraphs[start].start

    def count(end: int) -> int:
        return sum(1 for w in words if begin <= w.start < end)

    end = None
    for paragraph in paragraphs[start:]:
        if count(paragraph.end) > max_words:
            break
        end = paragraph.end
    if end is None:  # the first paragraph alone is too long: whole sentences, else words
        fitting = [s.end for s in doc.sentences if s.start >= begin and s.end <= paragraphs[start].end
                   and count(s.end) <= max_words]
        inside = [w for w in words if w.start >= begin]
        end = fitting[-1] if fitting else inside[max_words - 1].end
    part = read(doc.text[begin:end], name=doc.name)
    return dataclasses.replace(part, attribution=doc.attribution)


def english_share(doc: Document) -> float:
    """The share of the text's words that are common English words (medialit's stop-word list).

    >>> english_share(read("The cat is on the mat.")) > 0.5, english_share(read("Le chat dort.")) < 0.15
    (True, True)
    """
    words = [w.lower() for w in doc.words if any(ch.isalpha() for ch in w)]
    if not words:
        return 0.0
    common = stopwords()
    return sum(1 for w in words if w in common) / len(words)


def describe(doc: Document, part: Document | None = None) -> str:
    """A few lines about the student's text: its size, where it comes from, the passage to mark,
    and what the analyzer can read in it.

    >>> print(describe(read("Le gouvernement a annoncé un plan. Les critiques parlent de désastre.")))
    Your text: 11 words, 2 sentences, 1 paragraph.
    Source: none given. Write who published it, where and when in MY_SOURCE (part 1).
    This text does not look English: the analyzer's word lists are English, so where it marks nothing, that says nothing. Mark the text yourself and say so in your reflection.
    """
    lines = [f"Your text: {len(doc.words):,} words, {len(doc.sentences):,} sentence{'s' * (len(doc.sentences) != 1)}, "
             f"{len(doc.paragraphs):,} paragraph{'s' * (len(doc.paragraphs) != 1)}."]
    lines.append(f"Source: {doc.attribution}" if doc.attribution else
                 "Source: none given. Write who published it, where and when in MY_SOURCE (part 1).")
    if doc.removed:
        lines.append(f"Left out as web-page leftovers: {', '.join(doc.removed[:5])}"
                     + (f" ... ({len(doc.removed) - 5} more)" if len(doc.removed) > 5 else ""))
    if part is not None and part.text != doc.text:
        lines.append(f"You mark a passage of {len(part.words)} words: the paragraphs from START_PARAGRAPH on that "
                     f"fit in {PASSAGE_WORDS} words. Change START_PARAGRAPH in part 1 to mark another part.")
    if english_share(doc) < ENGLISH_SHARE:
        lines.append("This text does not look English: the analyzer's word lists are English, so where it marks "
                     "nothing, that says nothing. Mark the text yourself and say so in your reflection.")
    return "\n".join(lines)


class MarkRow(NamedTuple):
    """One phrase marked by the student, the analyzer, or both."""

    start: int
    end: int
    text: str
    yours: str  # the student's label, "" if the student did not mark it
    machine: str  # the analyzer's label, "" if it did not mark it
    verdict: str  # "both", "both, different labels", "only you", "only the analyzer"


def _span(s) -> tuple[int, int, str]:  # noqa: ANN001 - a tuple or anything with start, end, label
    if hasattr(s, "start") and hasattr(s, "label"):
        return (s.start, s.end, s.label)
    return (int(s[0]), int(s[1]), str(s[2]))


def compare_marks(yours: Iterable, machine: Iterable, doc: Document,
                  labels: Sequence[str] = OWN_LABELS) -> list[MarkRow]:
    """The student's spans and the analyzer's side by side, in text order: a phrase both marked
    (overlapping, by the word-overlap rule of :mod:`medialit.spans`) is one row. Only ``labels``
    are compared. No verdict says who is right.

    >>> doc = read("Critics say the reckless plan fails.")
    >>> [(r.text, r.verdict) for r in compare_marks([(16, 24, "loaded_language")], [(16, 29, "loaded_language")], doc)]
    [('reckless plan', 'both')]
    """
    mine = sorted(s for s in map(_span, yours) if s[2] in labels)
    theirs = sorted(s for s in map(_span, machine) if s[2] in labels)
    rows: list[MarkRow] = []
    used: set[int] = set()
    for s in mine:
        match = [k for k, m in enumerate(theirs) if m[0] < s[1] and s[0] < m[1]]
        used |= set(match)
        if not match:
            rows.append(MarkRow(s[0], s[1], doc.text[s[0]:s[1]], s[2], "", "only you"))
            continue
        start, end = min([s[0]] + [theirs[k][0] for k in match]), max([s[1]] + [theirs[k][1] for k in match])
        machine_labels = sorted({theirs[k][2] for k in match})
        verdict = "both" if machine_labels == [s[2]] else "both, different labels"
        rows.append(MarkRow(start, end, doc.text[start:end], s[2], "/".join(machine_labels), verdict))
    rows += [MarkRow(m[0], m[1], doc.text[m[0]:m[1]], "", m[2], "only the analyzer")
             for k, m in enumerate(theirs) if k not in used]
    return sorted(rows)


def compare_claims(yours: dict, machine: Iterable, doc: Document) -> list[dict]:
    """Per sentence the student labelled: their claim type and support beside the analyzer's.

    ``yours`` is a sentence sorter's answer (``{"labels": {"0": {"claim": ..., "unsupported": ...}}}``);
    ``machine`` the analyzer's sentences (anything with ``start``, ``claim`` and ``unsupported``).

    >>> doc = read("Prices rose 3% in May. It is a disaster.")
    >>> from types import SimpleNamespace as S
    >>> rows = compare_claims({"labels": {"1": {"claim": "opinion"}}}, [S(start=23, claim="opinion", unsupported=True)], doc)
    >>> rows[0]["yours"], rows[0]["machine"], rows[0]["agree"]
    ('opinion', 'opinion, unsupported', True)
    """
    by_start = {s.start: s for s in machine}
    rows = []
    for key, label in sorted((yours or {}).get("labels", {}).items(), key=lambda kv: int(kv[0])):
        index = int(key)
        if not 0 <= index < len(doc.sentences):
            continue
        sentence = doc.sentences[index]
        theirs = by_start.get(sentence.start)
        support = {True: "unsupported", False: "supported"}.get(label.get("unsupported"))
        mine = ", ".join(v for v in (label.get("claim"), support) if v)
        machine_text = f"{theirs.claim}, {'unsupported' if theirs.unsupported else 'supported'}" if theirs else "no reading"
        agree = theirs is not None and label.get("claim") in (None, theirs.claim) and \
            (label.get("unsupported") is None or label.get("unsupported") == theirs.unsupported)
        rows.append({"sentence": index, "text": sentence.text, "yours": mine, "machine": machine_text, "agree": agree})
    return rows


def _short(text: str, width: int = 48) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 3] + "..."


def marks_table(rows: Sequence[MarkRow], limit: int = 40) -> str:
    """The rows of :func:`compare_marks` as plain text (graders read it in formgrader).

    >>> print(marks_table([MarkRow(0, 8, "reckless", "loaded_language", "", "only you")]))
    phrase                                            you                 analyzer            where
    reckless                                          loaded_language     -                   only you
    1 phrase: 0 both, 1 only you, 0 only the analyzer.
    """
    if not rows:
        return "Neither you nor the analyzer marked anything in this passage yet."
    lines = [f"{'phrase':<50}{'you':<20}{'analyzer':<20}where"]
    lines += [f"{_short(r.text):<50}{r.yours or '-':<20}{r.machine or '-':<20}{r.verdict}" for r in rows[:limit]]
    if len(rows) > limit:
        lines.append(f"... ({len(rows) - limit} rows omitted)")
    both = sum(r.verdict.startswith("both") for r in rows)
    only_you = sum(r.verdict == "only you" for r in rows)
    lines.append(f"{len(rows)} phrase{'s' * (len(rows) != 1)}: {both} both, {only_you} only you, "
                 f"{len(rows) - both - only_you} only the analyzer.")
    return "\n".join(lines)


def claims_table(rows: Sequence[dict]) -> str:
    """The rows of :func:`compare_claims` as plain text.

    >>> print(claims_table([{"sentence": 0, "text": "It rained.", "yours": "factual", "machine": "factual, supported", "agree": True}]))
    #   you                       analyzer                  sentence
    0   factual                   factual, supported        It rained.
    """
    if not rows:
        return "You have not labelled any sentence yet."
    lines = [f"{'#':<4}{'you':<26}{'analyzer':<26}sentence"]
    lines += [f"{r['sentence']:<4}{r['yours'] or '-':<26}{r['machine']:<26}{_short(r['text'], 60)}"
              + ("" if r["agree"] else "   <- differ") for r in rows]
    return "\n".join(lines)
