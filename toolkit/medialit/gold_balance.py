"""Balance of the gold: is every side annotated by the same rules?

Two checks over the gold annotations (``datasets/annotations``), by perspective:

* **rates**: per perspective, loaded-language spans per 100 words and the share of
  sentences marked unsupported (editor's notes left out). Rates differ because the texts
  differ; a side whose rate is far from the others is where to look first.
* **inconsistencies**: the same wording labelled differently on different sides. For every
  gold span, the same lemma sequence is looked up in every text of another perspective; an
  occurrence there that does not carry the same label is listed. Near-identical sentences
  (lemma sets that overlap by 80%) on different sides with a different claim type or
  'unsupported' are listed too (label ``sentence``). ``validate-data`` fails on
  each one unless ``annotations/balance_exceptions.json`` lists it with a reason (a "could"
  of past ability is not a hedge; a quoted word may be literal in one text and a slur in
  another).

>>> report = gold_balance()
>>> report.unjustified
[]
>>> sorted(report.rates)[:2]
['Beijing', 'Brussels']
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from .corpus import Corpus

__all__ = ["Inconsistency", "SideRates", "BalanceReport", "gold_balance", "lemmas", "editors_note_end", "EXCEPTIONS_FILE"]

#: Where justified inconsistencies are listed, relative to the data folder.
EXCEPTIONS_FILE = Path("annotations") / "balance_exceptions.json"

_WORD = re.compile(r"[A-Za-z0-9]+(?:['\u2019][A-Za-z]+)?(?:-[A-Za-z0-9]+)*")


def lemmas(text: str) -> tuple[tuple[str, int, int], ...]:
    """The crude lemmas of a text with their offsets: lower case, no possessive, no plural -s.

    >>> [w for w, _, _ in lemmas("Everyone knows the Kremlin's provocations")]
    ['everyone', 'know', 'the', 'kremlin', 'provocation']
    """
    out = []
    for match in _WORD.finditer(text):
        word = match.group().lower().replace("\u2019", "'")
        if word.endswith("'s"):
            word = word[:-2]
        if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
            word = word[:-1]
        out.append((word, match.start(), match.end()))
    return tuple(out)


@dataclass(frozen=True)
class Inconsistency:
    """One wording labelled ``label`` in ``marked_in`` but not in ``unmarked_in``."""

    phrase: str
    label: str
    marked_in: str
    marked_side: str
    unmarked_in: str
    unmarked_side: str
    start: int
    end: int
    found: str
    reason: str = ""

    def __str__(self) -> str:
        why = f" (justified: {self.reason})" if self.reason else ""
        if self.label == "sentence":
            return (f"the sentence {self.phrase!r}... in {self.unmarked_in} ({self.unmarked_side}) at "
                    f"{self.start}-{self.end} is {self.found}, a near-identical one in {self.marked_in} "
                    f"({self.marked_side}){why}")
        return (f"{self.phrase!r} is {self.label} in {self.marked_in} ({self.marked_side}) but {self.found} "
                f"in {self.unmarked_in} ({self.unmarked_side}) at {self.start}-{self.end}{why}")


@dataclass(frozen=True)
class SideRates:
    """The gold's rates for one perspective."""

    texts: int
    words: int
    loaded_per_100_words: float
    sentences: int
    unsupported_share: float
    unsupported_factual_share: float


@dataclass
class BalanceReport:
    """Rates per perspective and the wordings labelled differently across sides."""

    rates: dict[str, SideRates]
    inconsistencies: list[Inconsistency] = field(default_factory=list)

    @property
    def unjustified(self) -> list[Inconsistency]:
        """The inconsistencies no exception justifies (validate-data fails on these)."""
        return [i for i in self.inconsistencies if not i.reason]

    def table(self) -> str:
        """The rates and the listing as plain text."""
        lines = [f"{'perspective':<26} {'texts':>5} {'words':>6} {'loaded/100w':>11} {'sentences':>9} "
                 f"{'unsupported':>11} {'unsup. factual':>14}"]
        for side, r in sorted(self.rates.items()):
            lines.append(f"{side:<26} {r.texts:>5} {r.words:>6} {r.loaded_per_100_words:>11.2f} {r.sentences:>9} "
                         f"{r.unsupported_share:>11.0%} {r.unsupported_factual_share:>14.0%}")
        lines.append("")
        lines.append(f"Same wording, different label across sides: {len(self.inconsistencies)} "
                     f"({len(self.unjustified)} unjustified)")
        lines.extend(f"  UNJUSTIFIED: {i}" for i in self.unjustified)
        justified: dict[tuple[str, str, str], list[Inconsistency]] = {}
        for item in self.inconsistencies:
            if item.reason:
                justified.setdefault((item.phrase, item.label, item.reason), []).append(item)
        for (phrase, label, reason), items in justified.items():
            where = ", ".join(sorted({i.unmarked_in for i in items}))
            lines.append(f"  {phrase!r} ({label}), {len(items)} occurrence(s) in {where}: {reason}")
        return "\n".join(lines)


def _load_exceptions(root: Path) -> list[dict]:
    path = root / EXCEPTIONS_FILE
    if not path.is_file():
        return []
    data = json.loads(path.read_text(encoding="utf-8"))
    entries = data.get("exceptions", [])
    for number, entry in enumerate(entries, start=1):
        missing = [k for k in ("phrase", "label", "in", "reason") if not str(entry.get(k, "")).strip()]
        if missing:
            raise ValueError(f"{path}: exception {number} lacks {', '.join(missing)}; "
                             "each needs phrase, label, in (a text id or '*') and reason")
    return entries


def editors_note_end(text: str) -> int:
    """Where the bracketed editor's note at the top of an excerpt ends (0 when there is none).

    The note is the first paragraph; it may itself contain the omission marker "[…]".

    >>> editors_note_end("[Editor's note: excerpt; […] marks a cut.]\\n\\nThe text.")
    42
    """
    if not text.startswith("[Editor's note"):
        return 0
    first = text.split("\n", 1)[0].rstrip()
    return len(first) if first.endswith("]") else 0


def _is_editors_note(text: str, start: int) -> bool:
    return start < editors_note_end(text)


def gold_balance(root: str | Path | None = None, origin: str | None = None) -> BalanceReport:
    """Check the gold of every annotated text in the data folder (the shipped one by default).

    ``origin`` ("real", "illustrative" or "supplied") restricts the rates and the listing
    to the texts of that origin.
    """
    corpus = Corpus(root)
    exceptions = _load_exceptions(corpus.root)
    texts = []
    for row in corpus.catalog():
        if origin is not None and row.origin != origin:
            continue
        if not corpus.has_gold(row.id):  # withheld, and this is not the instructor's machine
            continue
        ann = corpus.annotations(row.id)
        if not ann.sentences:
            continue
        doc = corpus.document(row.id)
        texts.append((row, doc, ann, lemmas(doc.text)))

    rates: dict[str, SideRates] = {}
    for side in sorted({row.perspective for row, *_ in texts}):
        mine = [(row, doc, ann) for row, doc, ann, _ in texts if row.perspective == side]
        words = sum(len(doc.word_tokens) for _, doc, _ in mine)
        loaded = sum(len(ann.spans_with("loaded_language")) for _, _, ann in mine)
        sentences = [s for _, doc, ann in mine for s in ann.sentences if not _is_editors_note(doc.text, s.start)]
        factual = [s for s in sentences if s.claim == "factual"]
        rates[side] = SideRates(
            texts=len(mine), words=words, loaded_per_100_words=100 * loaded / max(words, 1),
            sentences=len(sentences),
            unsupported_share=sum(s.unsupported for s in sentences) / max(len(sentences), 1),
            unsupported_factual_share=sum(s.unsupported for s in factual) / max(len(factual), 1),
        )

    index: dict[str, dict[str, list[int]]] = {}
    for row, _, _, text_lemmas in texts:
        positions: dict[str, list[int]] = {}
        for k, (word, _, _) in enumerate(text_lemmas):
            positions.setdefault(word, []).append(k)
        index[row.id] = positions
    found: dict[tuple, Inconsistency] = {}
    for row, _doc, ann, _ in texts:
        for span in ann.spans:
            key = tuple(w for w, _, _ in lemmas(span.text))
            if not key:
                continue
            for other, other_doc, other_ann, other_lemmas in texts:
                if other.perspective == row.perspective:
                    continue
                words = [w for w, _, _ in other_lemmas]
                for k in index[other.id].get(key[0], ()):
                    if tuple(words[k:k + len(key)]) != key:
                        continue
                    start, end = other_lemmas[k][1], other_lemmas[k + len(key) - 1][2]
                    if _is_editors_note(other_doc.text, start):
                        continue
                    overlapping = [s for s in other_ann.spans if s.start < end and start < s.end]
                    if any(s.label == span.label for s in overlapping):
                        continue
                    what = ", ".join(sorted({s.label for s in overlapping})) or "unmarked"
                    phrase = " ".join(key)
                    ident = (phrase, span.label, other.id, start)
                    if ident in found:
                        continue
                    reason = next((e["reason"] for e in exceptions
                                   if e["phrase"] == phrase and e["label"] == span.label
                                   and e["in"] in ("*", other.id)), "")
                    found[ident] = Inconsistency(phrase, span.label, row.id, row.perspective, other.id,
                                                 other.perspective, start, end, what, reason)
    for item in _similar_sentences(texts):
        reason = next((e["reason"] for e in exceptions if e["phrase"] == item.phrase and e["label"] == item.label
                       and e["in"] in ("*", item.unmarked_in)), "")
        found[(item.phrase, item.label, item.unmarked_in, item.start)] = Inconsistency(
            **{**item.__dict__, "reason": reason})
    listing = sorted(found.values(), key=lambda i: (i.phrase, i.label, i.unmarked_in, i.start))
    return BalanceReport(rates, listing)


#: Two sentences are near-identical when their lemma sets overlap this much (Jaccard).
SIMILAR_SENTENCES = 0.8


def _similar_sentences(texts) -> list[Inconsistency]:
    """Near-identical sentences on different sides whose claim type or 'unsupported' differ.

    Each is reported with label ``sentence`` and, as its phrase, the first eight lemmas of the
    sentence where the labels differ (the key for an exception).
    """
    sentences = []
    for row, doc, ann, _ in texts:
        for sent in ann.sentences:
            words = frozenset(w for w, _, _ in lemmas(sent.text))
            if len(words) >= 6 and not _is_editors_note(doc.text, sent.start):
                sentences.append((row, sent, words))
    frequency: dict[str, int] = {}
    for _, _, words in sentences:
        for word in words:
            frequency[word] = frequency.get(word, 0) + 1
    buckets: dict[str, list[int]] = {}
    for k, (_, _, words) in enumerate(sentences):  # near-identical sentences share a rare lemma
        for word in sorted(words, key=lambda w: (frequency[w], w))[:3]:
            buckets.setdefault(word, []).append(k)
    pairs = {(i, j) for ks in buckets.values() for i in ks for j in ks if i < j}
    out = []
    for i, j in sorted(pairs):
        (row1, s1, w1), (row2, s2, w2) = sentences[i], sentences[j]
        if row1.perspective == row2.perspective or len(w1 & w2) < SIMILAR_SENTENCES * len(w1 | w2):
            continue
        if (s1.claim, s1.unsupported) == (s2.claim, s2.unsupported):
            continue
        shown = lambda s: f"{s.claim}{', unsupported' if s.unsupported else ''}"  # noqa: E731
        phrase = " ".join(w for w, _, _ in lemmas(s2.text)[:8])
        out.append(Inconsistency(phrase, "sentence", row1.id, row1.perspective, row2.id, row2.perspective,
                                 s2.start, s2.end, f"{shown(s2)} (there: {shown(s1)})"))
    return out
