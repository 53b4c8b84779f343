"""The medialit corpus: texts with provenance, licence and gold annotations.

One catalog (``datasets/catalog.csv``) lists every text. The reader interface
follows NLTK's corpus readers:

>>> from medialit import corpus
>>> "ukr-beijing" in corpus.fileids(event="ukraine-security-guarantees")
True
>>> corpus.info("ukr-beijing").origin
'supplied'
>>> corpus.attribution("real-a03-kremlin-2021-12-30")  # doctest: +ELLIPSIS
'President of Russia, en.kremlin.ru, http://en.kremlin.ru/events/president/news/67487, CC BY 4.0; reformatted.'
>>> corpus.words("ukr-beijing")[:4]
['From', 'Beijing', '’s', 'perspective']
>>> corpus.raw("ukr-beijing").endswith("Loading...")
True
>>> corpus.text("ukr-beijing").endswith("Loading...")
False

Unknown ids raise a ``LookupError`` that suggests close matches:

>>> corpus.raw("ukr-bejing")
Traceback (most recent call last):
...
LookupError: There is no text 'ukr-bejing' in the medialit corpus. Did you mean: ukr-beijing, ukr-beijing-neutral? Use medialit.corpus.fileids() to list all texts.
"""

from __future__ import annotations

import csv
import difflib
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator

from . import codebook
from ._data import data_dir
from .text import Document, Sentence, read

__all__ = [
    "TextInfo",
    "SpanAnnotation",
    "SentenceAnnotation",
    "EntmanAnnotation",
    "Annotations",
    "AnnotationError",
    "GoldWithheld",
    "WITHHELD_GOLD_ENV",
    "Corpus",
    "default",
    "fileids",
    "catalog",
    "info",
    "path",
    "id_for_path",
    "raw",
    "text",
    "document",
    "words",
    "sents",
    "annotations",
    "gold_status",
    "has_gold",
    "license",
    "citation",
    "attribution",
    "topics",
    "events",
    "perspectives",
]

CATALOG_COLUMNS = (
    "id", "file", "title", "topic", "event", "perspective", "genre", "origin",
    "license", "rewrite_of", "author", "date", "notes", "split",
    "speaker", "outlet", "url", "excerpt", "attribution",
)
#: Where a text comes from: ``real`` (published by a named office, with its
#: licence and URL), ``illustrative`` (written for medialit, invented people)
#: or ``supplied`` (the founding text, given with the brief, author unknown).
ORIGINS = ("real", "illustrative", "supplied")
#: Catalog columns every real text must fill, so that anyone can check it.
REAL_COLUMNS = ("speaker", "outlet", "date", "url", "license", "excerpt", "attribution")


@dataclass(frozen=True)
class TextInfo:
    """One row of the catalog: what a text is and where it comes from."""

    id: str
    file: str
    title: str
    topic: str
    event: str
    perspective: str
    genre: str
    origin: str
    license: str
    rewrite_of: str
    author: str
    date: str
    notes: str
    split: str
    speaker: str = ""
    outlet: str = ""
    url: str = ""
    excerpt: str = ""
    attribution: str = ""

    @property
    def illustrative(self) -> bool:
        """True for texts written for medialit (invented names, plausible facts)."""
        return self.origin == "illustrative"

    @property
    def real(self) -> bool:
        """True for real texts: a named office published them; the URL lets you check."""
        return self.origin == "real"


@dataclass(frozen=True)
class SpanAnnotation:
    """A gold span: ``text[start:end]`` carries ``label``."""

    start: int
    end: int
    label: str
    text: str
    voice: str = "author"
    note: str = ""


@dataclass(frozen=True)
class SentenceAnnotation:
    """A gold sentence record: its claim type and whether it is unsupported."""

    start: int
    end: int
    claim: str
    unsupported: bool
    text: str
    note: str = ""


@dataclass(frozen=True)
class EntmanAnnotation:
    """A sentence that performs one of Entman's four framing functions."""

    function: str
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Annotations:
    """All gold annotations of one text."""

    text_id: str
    spans: tuple[SpanAnnotation, ...] = ()
    sentences: tuple[SentenceAnnotation, ...] = ()
    primary_frame: str = ""
    secondary_frames: tuple[str, ...] = ()
    entman: tuple[EntmanAnnotation, ...] = ()

    def spans_with(self, label: str) -> list[SpanAnnotation]:
        """The spans that carry ``label`` (checked against the codebook)."""
        codebook.check_label(label)
        return [s for s in self.spans if s.label == label]

    def __repr__(self) -> str:
        return (
            f"<Annotations {self.text_id!r}: {len(self.spans)} spans, {len(self.sentences)} sentences, "
            f"primary frame {self.primary_frame!r}>"
        )


class AnnotationError(ValueError):
    """An annotation file could not be read; the message names the file and line."""


class GoldWithheld(LookupError):
    """A text's gold is not shipped: a graded question is marked on it (see :meth:`Corpus.gold_status`)."""


#: The environment variable that points at the instructor-side folder of withheld gold (``<id>.jsonl``).
WITHHELD_GOLD_ENV = "MEDIALIT_WITHHELD_GOLD"


def _close_matches(value: str, options: list[str]) -> str:
    close = difflib.get_close_matches(value, options, n=3, cutoff=0.6)
    return f" Did you mean: {', '.join(close)}?" if close else ""


class Corpus:
    """A reader over one data folder (the shipped ``datasets/`` by default)."""

    def __init__(self, root: str | Path | None = None) -> None:
        self.root = Path(root) if root is not None else data_dir()

    def __repr__(self) -> str:
        return f"<Corpus {str(self.root)!r}: {len(self._rows())} texts>"

    # -- catalog -----------------------------------------------------------
    def _rows(self) -> dict[str, TextInfo]:
        path = self.root / "catalog.csv"
        return _read_catalog(path, _stamp(path))

    def catalog(self) -> list[TextInfo]:
        """Every catalog row, in catalog order."""
        return list(self._rows().values())

    def info(self, text_id: str) -> TextInfo:
        """The catalog row of one text."""
        rows = self._rows()
        if text_id not in rows:
            raise LookupError(
                f"There is no text {text_id!r} in the medialit corpus."
                f"{_close_matches(str(text_id), list(rows))} Use medialit.corpus.fileids() to list all texts."
            )
        return rows[text_id]

    def fileids(
        self,
        topic: str | None = None,
        perspective: str | None = None,
        event: str | None = None,
        genre: str | None = None,
    ) -> list[str]:
        """The ids of the texts that match every filter given.

        >>> default().fileids(topic="housing")
        ['housing-developer', 'housing-residents', 'housing-wire', 'housing-residents-neutral']
        """
        rows = self.catalog()
        for column, wanted in (("topic", topic), ("perspective", perspective), ("event", event), ("genre", genre)):
            if wanted is None:
                continue
            valid = sorted({getattr(r, column) for r in rows if getattr(r, column)})
            if wanted not in valid:
                raise LookupError(
                    f"No text has {column} {wanted!r}.{_close_matches(wanted, valid)} "
                    f"The {column}s in the corpus are: {', '.join(valid)}."
                )
            rows = [r for r in rows if getattr(r, column) == wanted]
        return [r.id for r in rows]

    def topics(self) -> list[str]:
        """The topics, in catalog order."""
        return list(dict.fromkeys(r.topic for r in self.catalog()))

    def events(self) -> list[str]:
        """The event ids (one per mirror set), in catalog order."""
        return list(dict.fromkeys(r.event for r in self.catalog() if r.event))

    def perspectives(self, event: str | None = None) -> list[str]:
        """The perspectives, optionally within one event's mirror set."""
        ids = self.fileids(event=event) if event else [r.id for r in self.catalog()]
        return list(dict.fromkeys(self.info(i).perspective for i in ids))

    # -- texts -------------------------------------------------------------
    def path(self, text_id: str) -> Path:
        """Where the text's file is."""
        return self.root / "texts" / self.info(text_id).file

    def id_for_path(self, file: str | Path) -> str | None:
        """The id of the corpus text stored at ``file``, or None for any other file.

        >>> default().id_for_path(default().path("ukr-kyiv"))
        'ukr-kyiv'
        """
        try:
            wanted = Path(file).resolve()
        except OSError:
            return None
        texts = (self.root / "texts").resolve()
        if wanted.parent != texts:
            return None
        return next((r.id for r in self.catalog() if r.file == wanted.name), None)

    def raw(self, text_id: str) -> str:
        """The text exactly as stored, scraping leftovers included."""
        return self.document(text_id).raw

    def text(self, text_id: str) -> str:
        """The cleaned text; every annotation offset points into it."""
        return self.document(text_id).text

    def document(self, text_id: str) -> Document:
        """The cleaned :class:`~medialit.text.Document` of a text (cached)."""
        return _read_document(self.path(text_id), text_id, self.attribution(text_id))

    def words(self, text_id: str) -> list[str]:
        """The words of a text (punctuation left out)."""
        return self.document(text_id).words

    def sents(self, text_id: str) -> list[Sentence]:
        """The sentences of a text, with offsets."""
        return list(self.document(text_id).sentences)

    def license(self, text_id: str) -> str:
        """The licence under which the text may be used."""
        return self.info(text_id).license

    def citation(self, text_id: str) -> str:
        """How to cite a text.

        >>> default().citation("housing-wire")  # doctest: +ELLIPSIS
        'medialit authors (2026). "Millbrook council approves...'
        >>> default().citation("real-a06-whitehouse-2022-02-15")  # doctest: +ELLIPSIS
        'Joe Biden (2022-02-15). "Remarks by President Biden ...". The White House (...). https://...'
        """
        row = self.info(text_id)
        if row.real:
            return f'{row.speaker} ({row.date}). "{row.title}". {row.outlet}. {row.url}. Licence: {row.license}.'
        year = row.date[:4] if row.date else "n.d."
        where = "medialit corpus" + (", illustrative text written for medialit" if row.illustrative else "")
        return f'{row.author} ({year}). "{row.title}". {where}. Licence: {row.license}.'

    def attribution(self, text_id: str) -> str:
        """The attribution to show wherever the text is shown (the licence's notice).

        >>> default().attribution("ukr-beijing")  # doctest: +ELLIPSIS
        'Supplied with the medialit project brief; author, outlet and date unknown; ...'
        """
        row = self.info(text_id)
        return row.attribution or self.citation(text_id)

    # -- annotations -------------------------------------------------------
    def withheld_gold_dir(self) -> Path | None:
        """The instructor-side folder of withheld gold, if this machine has it.

        ``$MEDIALIT_WITHHELD_GOLD`` if set; else ``references/gold/`` beside the data folder (a
        checkout of the course repository). A student's installed package has neither.
        """
        import os

        given = os.environ.get(WITHHELD_GOLD_ENV)
        folder = Path(given) if given else self.root.parent / "references" / "gold"
        return folder if folder.is_dir() else None

    def gold_status(self, text_id: str) -> str:
        """``"shipped"`` (gold in the data folder) or ``"withheld"`` (a graded question is marked on
        this text, so its gold stays with the instructor, in ``references/gold/``).

        >>> default().gold_status("housing-wire")
        'shipped'
        >>> default().gold_status("ukr-beijing")
        'withheld'
        """
        shipped = self.root / "annotations" / f"{self.info(text_id).id}.jsonl"
        return "shipped" if shipped.is_file() else "withheld"

    def has_gold(self, text_id: str) -> bool:
        """Whether this machine can read the text's gold (shipped, or withheld and instructor-side here)."""
        try:
            return self.annotation_path(text_id).is_file()
        except GoldWithheld:
            return False

    def annotation_path(self, text_id: str) -> Path:
        """Where the text's gold annotations are.

        Raises :class:`GoldWithheld` for a text whose gold is withheld and not on this machine.
        """
        name = f"{self.info(text_id).id}.jsonl"
        shipped = self.root / "annotations" / name
        if shipped.is_file():
            return shipped
        folder = self.withheld_gold_dir()
        if folder is not None and (folder / name).is_file():
            return folder / name
        raise GoldWithheld(
            f"The gold annotations of {text_id!r} are withheld: a graded question is marked on this text, so "
            f"its reference stays with the instructor and reaches you in your feedback after grading. "
            f"Mark the text yourself, or practise on a text whose gold ships (corpus.has_gold(id) says which)."
        )

    def annotations(self, text_id: str) -> Annotations:
        """The gold annotations of a text (:class:`GoldWithheld` if a graded question uses them)."""
        path = self.annotation_path(text_id)
        return _read_annotations(path, text_id, _stamp(path))


def _stamp(path: Path) -> int:
    """The file's modification time: part of the cache key, so an edited file is read again."""
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return 0


@lru_cache(maxsize=8)
def _read_catalog(path: Path, stamp: int = 0) -> dict[str, TextInfo]:
    rows: dict[str, TextInfo] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in CATALOG_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise AnnotationError(f"{path}: the catalog lacks the column(s) {', '.join(missing)}.")
        for row in reader:
            values = {c: (row.get(c) or "").strip() for c in CATALOG_COLUMNS}
            rows[values["id"]] = TextInfo(**values)
    return rows


@lru_cache(maxsize=64)
def _read_document(path: Path, text_id: str, attribution: str) -> Document:
    doc = read(path, name=text_id, html=False)
    return Document(raw=doc.raw, text=doc.text, name=doc.name, path=doc.path, encoding=doc.encoding,
                    removed=doc.removed, attribution=attribution)


def iter_records(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield ``(line_number, record)`` for each JSON line; bad JSON raises with file and line."""
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as error:
                raise AnnotationError(f"{path}:{number}: not valid JSON ({error.msg}).") from None
            if not isinstance(record, dict):
                raise AnnotationError(f"{path}:{number}: each line must be a JSON object.")
            yield number, record


@lru_cache(maxsize=128)
def _read_annotations(path: Path, text_id: str, stamp: int = 0) -> Annotations:
    if not path.is_file():
        return Annotations(text_id)
    spans, sentences, entman = [], [], []
    primary, secondary = "", ()
    for number, rec in iter_records(path):
        kind = rec.get("kind")
        try:
            if kind == "span":
                spans.append(SpanAnnotation(rec["start"], rec["end"], rec["label"], rec["text"],
                                            rec.get("voice", "author"), rec.get("note", "")))
            elif kind == "sentence":
                sentences.append(SentenceAnnotation(rec["start"], rec["end"], rec["claim"],
                                                    bool(rec["unsupported"]), rec["text"], rec.get("note", "")))
            elif kind == "frames":
                primary, secondary = rec["primary"], tuple(rec.get("secondary", ()))
            elif kind == "entman":
                entman.append(EntmanAnnotation(rec["function"], rec["start"], rec["end"], rec["text"]))
            else:
                raise AnnotationError(
                    f"{path}:{number}: unknown record kind {kind!r}; use span, sentence, frames or entman."
                )
        except KeyError as error:
            raise AnnotationError(f"{path}:{number}: a {kind} record needs the field {error.args[0]!r}.") from None
    spans.sort(key=lambda s: (s.start, s.end))
    sentences.sort(key=lambda s: s.start)
    return Annotations(text_id, tuple(spans), tuple(sentences), primary, secondary, tuple(entman))


# -- module-level reader over the shipped data ---------------------------------

@lru_cache(maxsize=1)
def default() -> Corpus:
    """The corpus shipped with medialit."""
    return Corpus()


def fileids(topic: str | None = None, perspective: str | None = None,
            event: str | None = None, genre: str | None = None) -> list[str]:
    """The ids of the shipped texts that match every filter given."""
    return default().fileids(topic=topic, perspective=perspective, event=event, genre=genre)


def catalog() -> list[TextInfo]:
    """Every catalog row of the shipped corpus."""
    return default().catalog()


def info(text_id: str) -> TextInfo:
    """The catalog row of one text."""
    return default().info(text_id)


def path(text_id: str) -> Path:
    """Where a text's file is."""
    return default().path(text_id)


def id_for_path(file: str | Path) -> str | None:
    """The id of the shipped corpus text stored at ``file``, or None."""
    return default().id_for_path(file)


def raw(text_id: str) -> str:
    """The text exactly as stored, scraping leftovers included."""
    return default().raw(text_id)


def text(text_id: str) -> str:
    """The cleaned text; every annotation offset points into it."""
    return default().text(text_id)


def document(text_id: str) -> Document:
    """The cleaned Document of a text."""
    return default().document(text_id)


def words(text_id: str) -> list[str]:
    """The words of a text."""
    return default().words(text_id)


def sents(text_id: str) -> list[Sentence]:
    """The sentences of a text, with offsets."""
    return default().sents(text_id)


def annotations(text_id: str) -> Annotations:
    """The gold annotations of a text (:class:`GoldWithheld` if a graded question uses them)."""
    return default().annotations(text_id)


def gold_status(text_id: str) -> str:
    """``"shipped"`` or ``"withheld"`` (a graded question is marked on the text; see :meth:`Corpus.gold_status`)."""
    return default().gold_status(text_id)


def has_gold(text_id: str) -> bool:
    """Whether the text's gold can be read here (it is withheld where a graded question uses it)."""
    return default().has_gold(text_id)


def license(text_id: str) -> str:  # noqa: A001 - NLTK's reader name
    """The licence of a text."""
    return default().license(text_id)


def citation(text_id: str) -> str:
    """How to cite a text."""
    return default().citation(text_id)


def attribution(text_id: str) -> str:
    """The attribution to show wherever a text is shown."""
    return default().attribution(text_id)


def topics() -> list[str]:
    """The topics of the shipped corpus."""
    return default().topics()


def events() -> list[str]:
    """The event ids of the shipped corpus (one per mirror set)."""
    return default().events()


def perspectives(event: str | None = None) -> list[str]:
    """The perspectives, optionally within one event."""
    return default().perspectives(event)
