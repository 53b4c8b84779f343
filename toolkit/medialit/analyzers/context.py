"""What every detector needs to know about a document: normalised words, sentences, quotations."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from ..text import Document

__all__ = ["Context", "NUMBER_WORDS"]

_OPEN_QUOTES = {"“", "«", "``"}
_CLOSE_QUOTES = {"”", "»", "''"}

#: Words that stand for a quantity (for approximators and numeric claims).
NUMBER_WORDS = frozenset(
    "one two three four five six seven eight nine ten eleven twelve twenty thirty forty fifty hundred "
    "hundreds thousand thousands million millions billion billions half a dozen dozens".split()
)


@dataclass
class Context:
    """A document prepared for the detectors (built once per analysis)."""

    doc: Document

    def __post_init__(self) -> None:
        tokens = self.doc.tokens
        self.tokens = tokens
        self.words = [t.text.lower().replace("’", "'") for t in tokens]
        ranges = []
        token_sentence = []
        k = 0
        for index, sent in enumerate(self.doc.sentences):
            start = k
            while k < len(tokens) and tokens[k].start < sent.end:
                token_sentence.append(index)
                k += 1
            ranges.append((start, k))
        self.sentence_ranges = ranges
        self.token_sentence = token_sentence

    @cached_property
    def quoted(self) -> list[bool]:
        """For each token: is it inside quotation marks (within one paragraph)?"""
        flags = [False] * len(self.tokens)
        if not any(q in self.doc.text for q in ('"', "“", "”", "«", "»")):
            return flags
        inside = False
        paragraph = -1
        for i, token in enumerate(self.tokens):
            sent = self.token_sentence[i] if i < len(self.token_sentence) else -1
            para = self.doc.sentences[sent].paragraph if sent >= 0 else -1
            if para != paragraph:
                inside, paragraph = False, para
            text = token.text
            if text in _OPEN_QUOTES:
                inside = True
                continue
            if text in _CLOSE_QUOTES:
                inside = False
                continue
            if text == '"':
                inside = not inside
                continue
            flags[i] = inside
        return flags

    def is_number(self, i: int) -> bool:
        """Is token ``i`` a number, an amount of money or a number word?"""
        if i >= len(self.words):
            return False
        word = self.words[i]
        return (any(ch.isdigit() for ch in word) or word in NUMBER_WORDS
                or word in {"$", "€", "£", "¥"})

    def is_capitalized(self, i: int) -> bool:
        """Does token ``i`` start with a capital letter?"""
        text = self.tokens[i].text
        return bool(text) and text[0].isupper()

    def sentence_start(self, i: int) -> bool:
        """Is token ``i`` the first word of its sentence (after opening quotes)?"""
        s = self.token_sentence[i]
        first = self.sentence_ranges[s][0]
        while first < i and not any(ch.isalnum() for ch in self.tokens[first].text):
            first += 1
        return first == i
