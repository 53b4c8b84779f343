"""Reading and cleaning a text, and splitting it into words, sentences and paragraphs.

Everything here works offline: it uses the parts of NLTK that need no
downloaded data (``NLTKWordTokenizer`` and an untrained Punkt sentence
splitter) plus two small word lists that medialit ships in
``datasets/lexicons/`` (abbreviations and common sentence starters).

>>> doc = read("Dr. Park arrived at 8:30 a.m. on Jan. 5. Nobody was surprised.")
>>> [s.text for s in doc.sentences]
['Dr. Park arrived at 8:30 a.m. on Jan. 5.', 'Nobody was surprised.']
>>> doc.words[:4]
['Dr.', 'Park', 'arrived', 'at']

Every token, sentence and paragraph carries ``start`` and ``end``: character
offsets into ``doc.text``, the cleaned text.

>>> s = doc.sentences[1]
>>> doc.text[s.start:s.end]
'Nobody was surprised.'
"""

from __future__ import annotations

import bisect
import html as _html
import os
import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from html.parser import HTMLParser
from pathlib import Path
from typing import NamedTuple, Union

from ._data import data_dir

__all__ = [
    "MAX_CHARS",
    "TextInputError",
    "Token",
    "Sentence",
    "Paragraph",
    "Document",
    "read",
    "clean",
    "strip_html",
    "stopwords",
]

#: The largest text medialit reads, in characters (about 300,000 words, a long
#: book). Larger texts should be split into parts; the limit keeps a notebook
#: responsive and protects against reading a wrong, huge file by accident.
MAX_CHARS = 2_000_000

Source = Union[str, bytes, os.PathLike]


class TextInputError(ValueError):
    """A text could not be read. The message says which text and what to do."""


class Token(NamedTuple):
    """One word or punctuation mark with its offsets into the cleaned text."""

    text: str
    start: int
    end: int


class Sentence(NamedTuple):
    """One sentence with its offsets and the index of its paragraph."""

    text: str
    start: int
    end: int
    paragraph: int


class Paragraph(NamedTuple):
    """One paragraph with its offsets and its position in the document."""

    text: str
    start: int
    end: int
    index: int


# --------------------------------------------------------------------------
# cleaning

# Whole lines that web pages leave behind when an article is copied or scraped.
# They are matched against a complete line, case-insensitively, never inside prose.
_ARTIFACT_LINE = re.compile(
    r"""^\s*(?:
        loading\s*(?:\.\.\.|…)?
      | advertisements?
      | (?:scroll\s+to\s+)?continue\s+reading(?:\s+(?:below|the\s+main\s+story))?\s*(?:\.\.\.|…|»|›)?
      | read\s+more\s*(?:\.\.\.|…|»|›|>>)?
      | (?:read\s+(?:more|also|next)|see\s+also|related)\s*:\s*\S.{0,200}   # "Read more: How the U.S. compares"
      | read\s+the\s+full\s+(?:article|story)\s*(?:\.\.\.|…|»|›)?
      | share\s+this\s+(?:article|story|page)
      | share(?:\s+on\s+(?:facebook|twitter|x|linkedin))?
      | click\s+here\s+to\s+subscribe
      | subscribe(?:\s+now)?(?:\s+to\s+our\s+newsletter)?
      | sign\s+up\s+for\s+our\s+newsletter
      | skip\s+to\s+(?:main\s+)?content
      | back\s+to\s+top
      | related\s+(?:articles|stories)
      | \d+\s+comments?
    )\s*$""",
    re.IGNORECASE | re.VERBOSE,
)

_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"), None)
_SPACES = {ord("\u00a0"): " ", ord("\u2007"): " ", ord("\u202f"): " ", ord("\t"): " "}

_CLEAN_TABLE = {**_ZERO_WIDTH, **_SPACES}

_HTML_HINT = re.compile(
    r"<\s*(?:!doctype|html|head|body|p|div|br|span|article|section|h[1-6]|a\s|em|strong|ul|ol|li|table)\b",
    re.IGNORECASE,
)


def clean(raw: str) -> tuple[str, tuple[str, ...]]:
    """Clean a plain text and return ``(cleaned, removed_lines)``.

    Line endings become ``\\n``, invisible characters go, and whole lines that
    are scraping leftovers ("Loading...", "Advertisement", "Read more") are
    removed. Prose is never changed inside a line.

    >>> clean("A sentence.\\r\\nAdvertisement\\r\\nAnother one.\\nLoading...")
    ('A sentence.\\nAnother one.', ('Advertisement', 'Loading...'))
    """
    text = raw.replace("\r\n", "\n").replace("\r", "\n").translate(_CLEAN_TABLE)
    kept: list[str] = []
    removed: list[str] = []
    for line in text.split("\n"):
        line = line.rstrip()
        if line and _ARTIFACT_LINE.match(line):
            removed.append(line.strip())
            continue
        kept.append(line)
    cleaned = "\n".join(kept).strip()
    cleaned = re.sub(r"\n[ ]*\n(?:[ ]*\n)+", "\n\n", cleaned)
    return cleaned, tuple(removed)


class _TextExtractor(HTMLParser):
    _SKIP = {"script", "style", "noscript", "nav", "footer", "header", "aside", "form", "svg", "template"}
    _BLOCK = {
        "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6",
        "article", "section", "blockquote", "tr", "table", "main", "figure", "figcaption",
        "pre", "hr", "dd", "dt", "title",
    }

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip_depth = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in self._SKIP:
            self.skip_depth += 1
        elif tag in self._BLOCK:
            self.parts.append("\n\n")

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        if tag in self._BLOCK:
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP:
            self.skip_depth = max(0, self.skip_depth - 1)
        elif tag in self._BLOCK:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self.skip_depth:
            self.parts.append(data)


def strip_html(markup: str) -> str:
    """Turn HTML into plain text: one paragraph per block, scripts and menus dropped.

    >>> strip_html("<p>Hello <b>there</b>&nbsp;&amp; welcome.</p><script>x()</script><p>Bye.</p>")
    'Hello there & welcome.\\n\\nBye.'
    """
    parser = _TextExtractor()
    parser.feed(markup)
    parser.close()
    joined = _html.unescape("".join(parser.parts)).translate(_SPACES)
    paragraphs = []
    for block in re.split(r"\n\s*\n", joined):
        block = re.sub(r"\s+", " ", block).strip()
        if block:
            paragraphs.append(block)
    return "\n\n".join(paragraphs)


def looks_like_html(text: str) -> bool:
    """True if the text contains HTML tags such as ``<p>`` or ``<div>``.

    >>> looks_like_html("<p>Hi</p>"), looks_like_html("3 < 4 and 5 > 2")
    (True, False)
    """
    return bool(_HTML_HINT.search(text[:20000]))


# --------------------------------------------------------------------------
# tokenizers (offline)


def _read_wordlist(name: str) -> frozenset[str]:
    path = data_dir() / "lexicons" / name
    words = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip().lower()
        if line:
            words.add(line)
    return frozenset(words)


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    """English function words to leave out of word counts (shipped list, no download).

    >>> "the" in stopwords(), "nato" in stopwords()
    (True, False)
    """
    return _read_wordlist("stopwords.txt")


@lru_cache(maxsize=1)
def abbreviations() -> frozenset[str]:
    """The abbreviations the sentence splitter knows, lower-cased and without the final period
    (as NLTK's Punkt stores them); medialit owns this list (``abbreviations.txt``).

    >>> "u.s" in abbreviations(), "dr" in abbreviations()
    (True, True)
    """
    return frozenset(w.rstrip(".") for w in _read_wordlist("abbreviations.txt"))


# Candidate sentence ends that Punkt always accepts: a word of two or more letters, a period,
# white space and a word ("Ukraine. The"): unless the word is a known abbreviation (or the
# parameters hold collocations, which medialit's do not), Punkt's first pass marks it a break and
# its second pass leaves it so (no abbreviation, ellipsis, initial or number to reconsider); and a
# word, one question or exclamation mark, white space and a word ("Why? Because"), always a break.
_PLAIN_SENTENCE_END = re.compile(r"(?:([A-Za-z]{2,})\.|[A-Za-z]+[?!])\s+[A-Za-z]\S*")


@lru_cache(maxsize=1)
def _sentence_splitter():
    from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer

    class _Splitter(PunktSentenceTokenizer):
        """NLTK's Punkt with a shortcut for the commonest candidate: the same answer, without
        tokenizing and annotating the context (the cost of Punkt on news text)."""

        def __init__(self, params: PunktParameters) -> None:
            super().__init__(params)
            # our own copy of the parameters the shortcut needs (Punkt keeps them in a private attribute)
            self.abbreviations = frozenset(params.abbrev_types)
            self.has_collocations = bool(params.collocations)

        def text_contains_sentbreak(self, text: str) -> bool:
            plain = _PLAIN_SENTENCE_END.fullmatch(text)
            if plain and not self.has_collocations and (plain.group(1) is None
                                                        or plain.group(1).lower() not in self.abbreviations):
                return True
            return super().text_contains_sentbreak(text)

    params = PunktParameters()
    params.abbrev_types = set(abbreviations())
    params.sent_starters = set(_read_wordlist("sentence_starters.txt"))
    return _Splitter(params)


@lru_cache(maxsize=1)
def _word_tokenizer():
    from nltk.tokenize import NLTKWordTokenizer

    return NLTKWordTokenizer()


# a line that ends like a sentence (a headline does not), and a byline or date line
_SENTENCE_END = re.compile(r"[.!:;,][\"'”’)\]]*\s*$")
_BYLINE = re.compile(r"^(?:by|reporting\s+by|published|updated|posted)\s+\S", re.IGNORECASE)

_CLOSERS = frozenset({"”", "’", "'", '"', "''", ")", "]", "»"})
_FALLBACK_TOKEN = re.compile(r"\w+(?:[-'’.]\w+)*\.?|[^\w\s]")
# one letter or digit (what str.isalnum accepts): \w without the underscore
#: A letter or digit (not "_"): what makes a token a word.
WORD_CHAR = re.compile(r"[^\W_]")


def token_spans(sentence: str) -> list[tuple[int, int]]:
    """Token offsets in one sentence or paragraph (NLTK's Treebank-style word tokenizer).

    >>> text = "The U.S. plan"
    >>> [text[s:e] for s, e in token_spans(text)]
    ['The', 'U.S.', 'plan']
    """
    # NLTK knows the straight apostrophe ("Beijing's" -> "Beijing", "'s"); the
    # typographic one has the same length, so swapping it keeps every offset.
    probe = sentence.replace("’", "'")
    try:
        spans = list(_word_tokenizer().span_tokenize(probe))
    except ValueError:  # NLTK's alignment can fail on unusual quote sequences
        return [m.span() for m in _FALLBACK_TOKEN.finditer(sentence)]
    # NLTK splits the final period off a sentence's last word; glue it back onto
    # dotted abbreviations ("8:30 a.m." and "the U.S." keep their period).
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if (end - start == 1 and sentence[start] == "." and merged and merged[-1][1] == start
                and "." in sentence[merged[-1][0]:merged[-1][1]]
                and sentence[merged[-1][1] - 1].isalpha()):
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def _paragraph_spans(text: str) -> list[tuple[int, int]]:
    # Blank lines separate paragraphs when the text has any; otherwise (as in
    # most scraped articles) every line is a paragraph.
    separator = r"\n[ ]*\n" if re.search(r"\n[ ]*\n", text) else r"\n"
    spans = []
    pos = 0
    for match in re.finditer(separator, text):
        spans.append((pos, match.start()))
        pos = match.end()
    spans.append((pos, len(text)))
    result = []
    for start, end in spans:
        chunk = text[start:end]
        stripped = chunk.strip()
        if not stripped:
            continue
        lead = len(chunk) - len(chunk.lstrip())
        result.append((start + lead, start + lead + len(stripped)))
    return result


# --------------------------------------------------------------------------
# the document


@dataclass(frozen=True, eq=False)
class Document:
    """A text ready for analysis: raw text, cleaned text, and offsets for its parts.

    Build one with :func:`read` (your own text) or ``medialit.corpus.document``
    (a corpus text).

    >>> doc = read("The U.S.'s plan is new. Critics call it reckless.")
    >>> len(doc.sentences), doc.sentences[0].text
    (2, "The U.S.'s plan is new.")
    """

    raw: str
    text: str
    name: str | None = None
    path: str | None = None
    encoding: str | None = None
    removed: tuple[str, ...] = field(default=())
    #: Who wrote or published the text and under what licence (corpus texts);
    #: shown wherever the text is shown.
    attribution: str | None = None

    @cached_property
    def paragraphs(self) -> tuple[Paragraph, ...]:
        """The paragraphs, in order."""
        return tuple(
            Paragraph(self.text[s:e], s, e, i) for i, (s, e) in enumerate(_paragraph_spans(self.text))
        )

    @cached_property
    def front_matter(self) -> tuple[Paragraph, ...]:
        """The headline and byline paragraphs at the top of an article, if it has them: shown and
        marked like the rest, but not sentences of the article (no claim type, no support).

        A headline is a first paragraph of one short line that does not end like a sentence; a
        byline ("By Ann Lee, Reuters") or a date line ("Published May 5, 2024") may follow it.
        A text of one paragraph has none, and neither has a hard-wrapped first line of prose.

        >>> doc = read("Prices soar as the plan fails\\n\\nBy Ann Lee\\n\\nPrices rose 3% in May.")
        >>> [p.text for p in doc.front_matter]
        ['Prices soar as the plan fails', 'By Ann Lee']
        """
        paragraphs = self.paragraphs
        found: list[Paragraph] = []
        for para in paragraphs[:3]:
            if para.index == len(paragraphs) - 1 or "\n" in para.text:
                break
            words = para.text.split()
            following = paragraphs[para.index + 1].text
            if (para.index == 0 and len(words) <= 20 and not _SENTENCE_END.search(para.text)
                    # not a hard-wrapped first line: the text after it starts anew, the line ends on a content word
                    and (following[0].isupper() or following[0].isdigit() or following[0] in "\"'“‘")
                    and words[-1].lower().strip("\"'“”‘’") not in stopwords()):
                found.append(para)
            elif len(words) <= 15 and _BYLINE.match(para.text):
                found.append(para)
            else:
                break
        return tuple(found)

    @cached_property
    def sentences(self) -> tuple[Sentence, ...]:
        """The sentences; a sentence never crosses a paragraph boundary."""
        splitter = _sentence_splitter()
        result = []
        for para in self.paragraphs:
            for s, e in splitter.span_tokenize(para.text):
                result.append(Sentence(para.text[s:e], para.start + s, para.start + e, para.index))
        return tuple(result)

    @cached_property
    def tokens(self) -> tuple[Token, ...]:
        """Words and punctuation marks, with offsets into :attr:`text`.

        NLTK's word tokenizer runs once over the whole text (per-call overhead dominates on
        short pieces); a period that ends a sentence is then split off its word, as NLTK does
        at the end of a text ("borders." -> "borders", "."), unless the word is an abbreviation.
        """
        known = abbreviations()
        text = self.text
        ends = {sent.end for sent in self.sentences}
        spans = token_spans(text)
        new = tuple.__new__  # builds the named tuples without their slower keyword constructor
        result = [new(Token, (text[start:end], start, end)) for start, end in spans]
        # only a word that ends in a period can need splitting: look at those, last first (so
        # that an insertion leaves the indices still to visit in place)
        for k in reversed([k for k, (start, end) in enumerate(spans) if text[end - 1] == "." and end - start > 1]):
            word, start, end = result[k]
            if ((end in ends or (k + 1 < len(spans) and spans[k + 1][1] in ends
                                 and result[k + 1].text in _CLOSERS))
                    and "." not in word[:-1] and word[:-1].lower() not in known):
                result[k:k + 1] = [new(Token, (word[:-1], start, end - 1)), new(Token, (".", end - 1, end))]
        return tuple(result)

    @cached_property
    def word_tokens(self) -> tuple[Token, ...]:
        """The tokens that contain a letter or digit (no bare punctuation)."""
        search = WORD_CHAR.search  # most words start with a letter; the regex looks at the rest ("'s", "-")
        return tuple(t for t in self.tokens if t.text[:1].isalnum() or search(t.text))

    @property
    def words(self) -> list[str]:
        """The words as strings, punctuation left out."""
        return [t.text for t in self.word_tokens]

    def sentence_index(self, offset: int) -> int | None:
        """The index of the sentence that contains character ``offset``, or None."""
        starts = self._sentence_starts
        k = bisect.bisect_right(starts, offset) - 1
        if k >= 0 and offset < self.sentences[k].end:
            return k
        return None

    def sentence_at(self, offset: int) -> Sentence | None:
        """The sentence that contains character ``offset``, or None."""
        k = self.sentence_index(offset)
        return None if k is None else self.sentences[k]

    @cached_property
    def _sentence_starts(self) -> list[int]:
        return [s.start for s in self.sentences]

    def tokens_between(self, start: int, end: int) -> list[Token]:
        """The tokens that overlap the character range ``[start, end)``."""
        from .spans import covers

        return [t for t in self.tokens if covers(start, end, t)]

    def __repr__(self) -> str:
        label = f" {self.name!r}" if self.name else ""
        return (
            f"<Document{label}: {len(self.word_tokens)} words, {len(self.sentences)} sentences, "
            f"{len(self.paragraphs)} paragraphs"
            + (f"; source: {self.attribution}>" if self.attribution else ">")
        )


# --------------------------------------------------------------------------
# reading


_BINARY_SIGNATURES = {
    b"%PDF": "a PDF file",
    b"PK\x03\x04": "a zipped file (for example a Word .docx document)",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"\xd0\xcf\x11\xe0": "an old Word or Excel document",
}

_FILENAME_LIKE = re.compile(r"^[^\n<>]{1,255}\.(?:txt|text|md|html?|csv)$", re.IGNORECASE)


def _describe(where: str | None) -> str:
    return f"the file '{where}'" if where else "the text you passed"


def _decode(data: bytes, where: str | None) -> tuple[str, str]:
    for signature, kind in _BINARY_SIGNATURES.items():
        if data.startswith(signature):
            raise TextInputError(
                f"{_describe(where).capitalize()} looks like {kind}, not plain text. "
                "Open it, copy the article text into a .txt file (or save it as 'Plain text'), and read that file."
            )
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError:
            pass
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            pass
    if b"\x00" in data[:8192]:
        raise TextInputError(
            f"{_describe(where).capitalize()} contains binary data (zero bytes), so it is not a plain text file. "
            "Save the article as plain text (.txt, UTF-8) and try again."
        )
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")


def _check_not_binary(text: str, where: str | None) -> None:
    sample = text[:8192]
    if not sample:
        return
    control = len(_CONTROL.findall(sample))
    if control / len(sample) > 0.05:
        raise TextInputError(
            f"{_describe(where).capitalize()} is mostly control characters, so it is probably not a text file. "
            "Save the article as plain text (.txt, UTF-8) and try again."
        )


def _too_long(length: int, where: str | None, max_chars: int) -> TextInputError:
    return TextInputError(
        f"{_describe(where).capitalize()} is too long: about {length:,} characters, and medialit reads "
        f"at most {max_chars:,} (medialit.text.MAX_CHARS). Split it into smaller files, one article each."
    )


def read(
    source: Source,
    *,
    name: str | None = None,
    html: bool | None = None,
    max_chars: int = MAX_CHARS,
) -> Document:
    """Read a text from a file path or a string and return a cleaned :class:`Document`.

    ``source`` may be a path (``str`` or ``pathlib.Path``) to a ``.txt`` or
    ``.html`` file, the text itself as a string, or bytes (``medialit.read`` also takes the id of a
    corpus text: the corpus sits above this module, which never imports it). Files may be UTF-8,
    UTF-8 with a byte-order mark, UTF-16 with a byte-order mark, or an older
    Windows encoding (cp1252). HTML is turned into plain text (``html=None``
    guesses; pass ``True`` or ``False`` to decide). Scraping leftovers such as
    "Loading..." are removed from ``doc.text`` and kept in ``doc.raw``.

    >>> doc = read("Prices rose 3% in May.\\nLoading...")
    >>> doc.text, doc.removed
    ('Prices rose 3% in May.', ('Loading...',))

    Problems raise :class:`TextInputError` with a message that names the text:

    >>> read("   ")
    Traceback (most recent call last):
    ...
    medialit.text.TextInputError: The text you passed is empty: it has no words after cleaning. Pass the article's text, or the path of a file that contains it.
    """
    path: Path | None = None
    encoding: str | None = None
    if isinstance(source, os.PathLike):
        path = Path(source)
    elif isinstance(source, str) and "\n" not in source and len(source) <= 1024:
        candidate = Path(source).expanduser()
        try:
            is_file, is_dir = candidate.is_file(), candidate.is_dir()
        except OSError:  # e.g. "File name too long": it is text, not a path
            is_file = is_dir = False
        if is_file:
            path = candidate
        elif is_dir:
            raise TextInputError(
                f"'{source}' is a folder, not a text file. Pass the path of one .txt or .html file inside it."
            )
        elif _FILENAME_LIKE.match(source.strip()):
            raise TextInputError(
                f"There is no file '{source}' (looked in {Path.cwd()}). Check the name and the folder, "
                "or pass the text itself as a string."
            )

    where: str | None = None
    if path is not None:
        where = str(path)
        if not path.exists():
            raise TextInputError(
                f"There is no file '{path}' (looked in {Path.cwd()}). Check the name and the folder."
            )
        if path.is_dir():
            raise TextInputError(f"'{path}' is a folder, not a text file. Pass the path of one file inside it.")
        size = path.stat().st_size
        if size > 4 * max_chars:
            raise _too_long(size, where, max_chars)
        raw, encoding = _decode(path.read_bytes(), where)
        if name is None:
            name = path.name
        if html is None:
            html = path.suffix.lower() in {".html", ".htm"} or looks_like_html(raw)
    elif isinstance(source, bytes):
        raw, encoding = _decode(source, None)
    elif isinstance(source, str):
        raw = source
    else:
        raise TypeError(
            f"medialit.read() takes a file path or the text as a string, not {type(source).__name__}."
        )

    if len(raw) > max_chars:
        raise _too_long(len(raw), where, max_chars)
    _check_not_binary(raw, where)
    if raw.startswith("\ufeff"):
        raw = raw[1:]
    if html is None:
        html = looks_like_html(raw)
    plain = strip_html(raw) if html else raw
    text, removed = clean(plain)
    if not any(ch.isalnum() for ch in text):
        leftovers = f" (only scraping leftovers: {', '.join(removed)})" if removed else ""
        raise TextInputError(
            f"{_describe(where).capitalize()} is empty: it has no words after cleaning{leftovers}. "
            + ("Check that the article text was saved into the file." if where else
               "Pass the article's text, or the path of a file that contains it.")
        )
    return Document(raw=raw, text=text, name=name, path=str(path) if path else None,
                    encoding=encoding, removed=removed)
