"""Check the corpus: catalog rows, texts and every gold annotation.

``python -m medialit validate-data`` runs :func:`validate` and prints one line
per problem as ``file:line: message``, so an editor can jump to it.

>>> validate()
[]
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from . import codebook
from .corpus import CATALOG_COLUMNS, ORIGINS, REAL_COLUMNS, AnnotationError, Corpus, GoldWithheld, iter_records
from .text import TextInputError

__all__ = ["Problem", "validate", "MIN_WORDS", "MAX_WORDS"]

#: Word range for texts written for medialit: long enough to show a technique
#: in context, short enough to annotate and discuss in class.
MIN_WORDS, MAX_WORDS = 120, 450


@dataclass(frozen=True)
class Problem:
    """One problem found in the data, with the file and line where it is."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


def validate(root: str | Path | None = None) -> list[Problem]:
    """Return every problem in the data folder (empty when all is well)."""
    corpus = Corpus(root)
    root = corpus.root
    problems: list[Problem] = []
    catalog_path = root / "catalog.csv"

    def add(path: Path, line: int, message: str) -> None:
        try:
            shown = str(path.relative_to(root.parent))
        except ValueError:
            shown = str(path)
        problems.append(Problem(shown, line, message))

    # -- catalog -----------------------------------------------------------------
    with catalog_path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in CATALOG_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            add(catalog_path, 1, f"missing column(s): {', '.join(missing)}")
            return problems
        rows = [(number, row) for number, row in enumerate(reader, start=2)]
    genres = codebook.genres(root)
    ids = [row["id"] for _, row in rows]
    seen: set[str] = set()
    for number, row in rows:
        tid = row["id"].strip()
        if not tid:
            add(catalog_path, number, "a row has no id")
            continue
        if tid in seen:
            add(catalog_path, number, f"the id {tid!r} is used twice")
        seen.add(tid)
        for column in ("file", "title", "topic", "perspective", "genre", "origin", "license", "author"):
            if not (row[column] or "").strip():
                add(catalog_path, number, f"{tid}: the column {column!r} is empty")
        if row["genre"] and row["genre"] not in genres:
            add(catalog_path, number, f"{tid}: genre {row['genre']!r} is not one of: {', '.join(genres)}")
        if row["origin"] and row["origin"] not in ORIGINS:
            add(catalog_path, number, f"{tid}: origin {row['origin']!r} is not one of: {', '.join(ORIGINS)}")
        if row["origin"] == "real":
            for column in REAL_COLUMNS:
                if not (row[column] or "").strip():
                    add(catalog_path, number, f"{tid}: a real text needs the column {column!r} filled "
                                              "(so that anyone can check where it comes from)")
        if not (row["attribution"] or "").strip():
            add(catalog_path, number, f"{tid}: the column 'attribution' is empty; write the notice to show with the text")
        if row["rewrite_of"] and row["rewrite_of"] not in ids:
            add(catalog_path, number, f"{tid}: rewrite_of names {row['rewrite_of']!r}, which is not in the catalog")
        if row["rewrite_of"] and row["genre"] != "neutral rewrite":
            add(catalog_path, number, f"{tid}: a text with rewrite_of must have genre 'neutral rewrite'")
        text_path = root / "texts" / (row["file"] or "")
        if not text_path.is_file():
            add(catalog_path, number, f"{tid}: the text file {text_path.name!r} does not exist in texts/")
            continue
        try:
            doc = corpus.document(tid)
        except (TextInputError, LookupError) as error:
            add(text_path, 1, str(error))
            continue
        words = len(doc.word_tokens)
        if row["origin"].startswith("illustrative") and not MIN_WORDS <= words <= MAX_WORDS:
            add(text_path, 1, f"{tid}: {words} words; texts written for medialit have {MIN_WORDS}-{MAX_WORDS}")
        try:
            ann_path = corpus.annotation_path(tid)
        except GoldWithheld:
            if corpus.withheld_gold_dir() is None:
                continue  # an installed package: withheld gold stays with the instructor
            add(catalog_path, number, f"{tid}: there is no annotation file annotations/{tid}.jsonl (nor "
                                      f"{tid}.jsonl in the withheld gold, {corpus.withheld_gold_dir()})")
            continue
        problems.extend(_check_annotations(ann_path, doc, root, add))

    texts_dir = root / "texts"
    listed = {row["file"] for _, row in rows}
    for path in sorted(texts_dir.glob("*")):
        if path.is_file() and path.name not in listed:
            add(path, 1, "this text is not in catalog.csv; add a row for it or remove the file")
    for path in sorted((root / "annotations").glob("*.jsonl")):
        if path.stem not in seen:
            add(path, 1, f"no catalog row has the id {path.stem!r}")
    if not problems:  # the balance check needs valid annotations to compare
        problems.extend(_check_balance(root, add))
    return problems


def _check_balance(root: Path, add) -> list[Problem]:
    """Fail on every wording labelled differently across sides that no exception justifies."""
    from .gold_balance import EXCEPTIONS_FILE, gold_balance

    try:
        report = gold_balance(root)
    except (ValueError, KeyError) as error:
        add(root / EXCEPTIONS_FILE, 1, str(error))
        return []
    for item in report.unjustified:
        add(Corpus(root).annotation_path(item.unmarked_in), 1,
            f"same wording, different label across sides: {item}. Label it the same, or add an entry "
            f"with a reason to {EXCEPTIONS_FILE.as_posix()}")
    return []


def _check_annotations(path: Path, doc, root: Path, add) -> list[Problem]:
    text = doc.text
    labels, voices = codebook.span_labels(root), codebook.voices(root)
    claims, frames, functions = codebook.claim_types(root), codebook.frames(root), codebook.entman_functions(root)
    sentence_bounds = {(s.start, s.end) for s in doc.sentences}
    sentence_records: dict[tuple[int, int], int] = {}
    frame_lines: list[int] = []

    def offsets_ok(number: int, rec: dict) -> bool:
        start, end = rec.get("start"), rec.get("end")
        if type(start) is not int or type(end) is not int:
            add(path, number, "start and end must be whole numbers (character offsets)")
            return False
        if not 0 <= start < end <= len(text):
            add(path, number, f"offsets {start}-{end} are outside the text (0-{len(text)}) or empty")
            return False
        covered = text[start:end]
        if rec.get("text") != covered:
            hint = ""
            wanted = rec.get("text")
            if isinstance(wanted, str) and wanted and wanted in text:
                hint = f" (that text is at offset {text.index(wanted)})"
            add(path, number, f"text {wanted!r} does not match the text at {start}-{end}: {covered!r}{hint}")
            return False
        return True

    try:
        records = list(iter_records(path))
    except AnnotationError as error:
        message = str(error)
        where, _, rest = message.partition(": ")
        line = int(where.rsplit(":", 1)[-1]) if where.rsplit(":", 1)[-1].isdigit() else 1
        add(path, line, rest or message)
        return []
    for number, rec in records:
        kind = rec.get("kind")
        if kind == "span":
            if rec.get("label") not in labels:
                add(path, number, f"label {rec.get('label')!r} is not in the codebook: {', '.join(labels)}")
            if rec.get("voice", "author") not in voices:
                add(path, number, f"voice {rec.get('voice')!r} is not one of: {', '.join(voices)}")
            if offsets_ok(number, rec):
                covered = text[rec["start"]:rec["end"]]
                if covered != covered.strip():
                    add(path, number, "a span must not start or end with a space")
        elif kind == "sentence":
            if rec.get("claim") not in claims:
                add(path, number, f"claim {rec.get('claim')!r} is not one of: {', '.join(claims)}")
            if not isinstance(rec.get("unsupported"), bool):
                add(path, number, "unsupported must be true or false")
            if offsets_ok(number, rec):
                key = (rec["start"], rec["end"])
                if key not in sentence_bounds:
                    add(path, number, "this sentence record does not match a sentence of the text as medialit splits it")
                if key in sentence_records:
                    add(path, number, f"the same sentence is annotated twice (also line {sentence_records[key]})")
                sentence_records[key] = number
        elif kind == "frames":
            frame_lines.append(number)
            if rec.get("primary") not in frames:
                add(path, number, f"primary frame {rec.get('primary')!r} is not one of the 14 frames: {', '.join(frames)}")
            secondary = rec.get("secondary", [])
            if not isinstance(secondary, list):
                add(path, number, "secondary must be a list of frames")
                secondary = []
            for frame in secondary:
                if frame not in frames:
                    add(path, number, f"secondary frame {frame!r} is not one of the 14 frames")
                elif frame == rec.get("primary"):
                    add(path, number, f"{frame!r} is both the primary and a secondary frame")
        elif kind == "entman":
            if rec.get("function") not in functions:
                add(path, number, f"function {rec.get('function')!r} is not one of: {', '.join(functions)}")
            if offsets_ok(number, rec) and (rec["start"], rec["end"]) not in sentence_bounds:
                add(path, number, "an entman record must point at a whole sentence")
        else:
            add(path, number, f"unknown record kind {kind!r}; use span, sentence, frames or entman")
    if len(frame_lines) != 1:
        add(path, frame_lines[1] if len(frame_lines) > 1 else 1,
            f"each text needs exactly one frames record; found {len(frame_lines)}")
    missing = sorted(sentence_bounds - set(sentence_records))
    for start, end in missing:
        add(path, 1, f"the sentence at {start}-{end} ({text[start:end][:40]!r}...) has no sentence record")
    return []
