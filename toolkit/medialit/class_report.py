"""How a class answered a lesson's widget questions: ``medialit class-report LESSON``.

Reads every student's saved answers (``submitted/<student>/<lesson>/answers/*.json``) and, per
question, reports the class's agreement (Krippendorff's alpha over words, options, sentences or
items) and, against a model answer only, the spans of the model answer some students missed and
the words students flagged that the model answer leaves alone. A figure and an HTML page are made to be shown in
class: disagreement is where the discussion starts, and the model answer can be wrong too.

The model answer comes from ``.instructor-answers/<lesson>/`` (saved when the instructor runs
the lesson's source notebook) or from ``--reference DIR``; without it, the report gives no
verdict on anyone's answer: it shows agreement, the passages marked by most students and the
units the class split on (a question for the class, not an error).

>>> from medialit.class_report import answer_units
>>> answer_units("quiz", {"selected": ["b"]}, {"options": ["a", "b", "c"]})
{'a': 'no', 'b': 'yes', 'c': 'no'}
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from .agreement import RELIABLE, TENTATIVE, krippendorff_alpha
from .answers import read_answer_file
from .course import CourseLayout
from .scoring import KINDS
from .spans import covered_words, word_labels

__all__ = ["class_report", "ClassReport", "QuestionReport", "answer_units", "write_class_report"]

_NEGATIVE = (None, "no", "none", False, "")


def _positive(value: Any) -> bool:
    return value not in _NEGATIVE


def answer_units(kind: str, answer: dict, context: dict | None, words: list | None = None) -> dict[Any, Any]:
    """One student's answer as ``{unit: value}``: the units a class is compared on.

    ``words`` (the passage's word tokens) is needed for span questions: every word is a unit,
    its value the label of the span that covers it, or "none".

    >>> answer_units("categories", {"labels": {"0": "whataboutism"}}, {"items": ["x", "y"]})
    {'item 0': 'whataboutism', 'item 1': None}
    """
    context = context or {}
    if kind == "spans":
        spans = answer.get("spans", [])
        return {index: (min(labels) if labels else "none")
                for index, labels in enumerate(word_labels(spans, words or []))}
    if kind == "quiz":
        options = context.get("options") or sorted(set(answer.get("selected", [])))
        return {key: ("yes" if key in answer.get("selected", []) else "no") for key in options}
    if kind == "categories":
        labels = answer.get("labels", {})
        count = len(context.get("items", [])) or (max(map(int, labels), default=-1) + 1)
        return {f"item {k}": labels.get(str(k)) for k in range(count)}
    if kind == "sentences":
        labels = answer.get("labels", {})
        indices = context.get("sentences") or sorted(map(int, labels))
        units = {}
        for k in indices:
            entry = labels.get(str(k), {})
            units[f"sentence {k}: claim"] = entry.get("claim")
            units[f"sentence {k}: unsupported"] = (None if entry.get("unsupported") is None
                                                   else ("yes" if entry["unsupported"] else "no"))
        return units
    if kind == "frame_map":
        functions = answer.get("functions", {})
        names = context.get("functions") or sorted(functions)
        count = context.get("sentences") or (max((i for v in functions.values() for i in v), default=-1) + 1)
        units = {f"sentence {k}: {name}": ("yes" if k in functions.get(name, []) else "no")
                 for name in names for k in range(count)}
        units["primary frame"] = answer.get("primary_frame")
        return units
    if kind == "ledger":
        units = {}
        for key, row in answer.get("claims", {}).items():
            units[f"claim {key}: source"] = row.get("source")
            units[f"claim {key}: evidence"] = row.get("evidence")
            for part in row.get("missing", []):
                units[f"claim {key}: missing {part}"] = "yes"
        return units
    raise ValueError(f"Unknown answer kind {kind!r}. The kinds are: {', '.join(KINDS)}.")


@dataclass
class QuestionReport:
    """The class's answers to one question."""

    question_id: str
    kind: str
    students: int
    alpha: float | None
    units: int
    has_reference: bool
    # against a model answer only: what some students missed, and what they flagged that it leaves alone
    missed: list[tuple[str, float]] = field(default_factory=list)  # (what, share of the class that got it; < 1)
    over_flagged: list[tuple[str, float]] = field(default_factory=list)  # (what, share that flagged it)
    # without one: what the class marked most, and the units it split on (no verdict either way)
    most_marked: list[tuple[str, float]] = field(default_factory=list)  # spans: (phrase, share that marked it)
    split: list[tuple[str, float]] = field(default_factory=list)  # (unit and its answers, share of the top answer)
    word_rates: list[tuple[str, float, bool]] = field(default_factory=list)  # spans: (word, share, in reference)
    text: str = ""
    word_offsets: list[tuple[int, int]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def segments(self) -> list[tuple[str, float, bool]]:
        """The passage of a span question as consecutive pieces ``(text, share, in_reference)``:
        each word with the share of the class that marked it, the text between words with 0.
        Joined, the pieces are the passage exactly (for a page that shows it inline).

        >>> q = QuestionReport("q", "spans", 2, None, 2, False, text="a bc",
        ...                    word_rates=[("a", 1.0, False), ("bc", 0.5, False)], word_offsets=[(0, 1), (2, 4)])
        >>> q.segments()
        [('a', 1.0, False), (' ', 0.0, False), ('bc', 0.5, False)]
        """
        pieces: list[tuple[str, float, bool]] = []
        cursor = 0
        for (start, end), (_, share, ref) in zip(self.word_offsets, self.word_rates):
            if start > cursor:
                pieces.append((self.text[cursor:start], 0.0, False))
            pieces.append((self.text[start:end], share, ref))
            cursor = end
        if cursor < len(self.text):
            pieces.append((self.text[cursor:], 0.0, False))
        return pieces

    @property
    def verdict(self) -> str:
        """How far the class agrees (alpha): "reliable", "tentative", "low", or "n/a"."""
        if self.alpha is None:
            return "n/a"
        if self.alpha >= RELIABLE:
            return "reliable"
        if self.alpha >= TENTATIVE:
            return "tentative"
        return "low"


@dataclass
class ClassReport:
    """Per-question agreement and disagreements of one lesson; ``table()``, ``figure()``, ``html()``."""

    lesson: str
    students: list[str]
    questions: list[QuestionReport]
    problems: list[str] = field(default_factory=list)

    def table(self, top: int = 3) -> str:
        lines = [f"{self.lesson}: {len(self.students)} students, {len(self.questions)} questions with answers",
                 f"{'question':<22} {'kind':<10} {'answers':>7} {'alpha':>6}  agreement"]
        for q in self.questions:
            alpha = "n/a" if q.alpha is None else f"{q.alpha:.2f}"
            lines.append(f"{q.question_id[:22]:<22} {q.kind:<10} {q.students:>7} {alpha:>6}  {q.verdict}")
            for what, share in q.missed[:top]:
                lines.append(f"    most missed: {what[:60]} (found by {share:.0%})")
            for what, share in q.over_flagged[:top]:
                lines.append(f"    over-flagged: {what[:60]} (by {share:.0%})")
            for what, share in q.most_marked[:top]:
                lines.append(f"    most marked: {what[:60]} (by {share:.0%})")
            for what, _ in q.split[:top]:
                lines.append(f"    split: {what[:60]}")
        lines.append(f"alpha: 1 = full agreement, 0 = chance; >= {RELIABLE} reliable, >= {TENTATIVE} tentative "
                     "(Krippendorff). Disagreement is a topic for class, not only an error.")
        lines += [f"note: {p}" for p in self.problems]
        return "\n".join(lines)

    def to_dict(self) -> dict:
        return {"lesson": self.lesson, "students": self.students, "problems": self.problems,
                "questions": [{"question_id": q.question_id, "kind": q.kind, "students": q.students,
                               "alpha": q.alpha, "agreement": q.verdict, "units": q.units,
                               "has_reference": q.has_reference, "most_missed": q.missed,
                               "over_flagged": q.over_flagged, "most_marked": q.most_marked, "split": q.split,
                               "notes": q.notes} for q in self.questions]}

    def figure(self):
        """Agreement per question, and for the span question with the lowest agreement the share of
        the class that marked each word (model-answer words in a second colour and hatched)."""
        from matplotlib.figure import Figure  # not pyplot: no global state

        spans = [q for q in self.questions if q.word_rates]
        worst = min(spans, key=lambda q: (q.alpha if q.alpha is not None else 2)) if spans else None
        fig = Figure(figsize=(12, 4.2 if worst else 3.2), layout="constrained")
        grid = fig.add_gridspec(1, 2, width_ratios=[1, 2.2]) if worst else fig.add_gridspec(1, 1)
        ax = fig.add_subplot(grid[0, 0])
        names = [q.question_id for q in self.questions]
        values = [q.alpha if q.alpha is not None else 0 for q in self.questions]
        colours = ["#009E73" if q.verdict == "reliable" else "#E69F00" if q.verdict == "tentative" else "#D55E00"
                   for q in self.questions]
        hatches = ["" if q.verdict == "reliable" else "//" if q.verdict == "tentative" else "xx" for q in self.questions]
        bars = ax.barh(names, values, color=colours)
        for bar, hatch in zip(bars, hatches):
            bar.set_hatch(hatch)
        for y, q in enumerate(self.questions):
            ax.text(max(values[y], 0) + 0.02, y, "n/a" if q.alpha is None else f"{q.alpha:.2f}", va="center", fontsize=8)
        for x, style in ((TENTATIVE, ":"), (RELIABLE, "--")):
            ax.axvline(x, color="#555", linestyle=style, linewidth=1)
        ax.set_xlim(min(0, *values) - 0.05, 1.1)
        ax.invert_yaxis()
        ax.set_xlabel(f"Krippendorff's alpha (dotted {TENTATIVE}, dashed {RELIABLE})")
        ax.set_title("How much does the class agree?")
        if worst:
            ax2 = fig.add_subplot(grid[0, 1])
            words = worst.word_rates[:80]
            xs = range(len(words))
            ax2.bar(xs, [share for _, share, _ in words],
                    color=["#0072B2" if ref else "#CC79A7" for _, _, ref in words],
                    hatch=None)
            for x, (_, share, ref) in zip(xs, words):
                if ref:
                    ax2.bar(x, share, color="none", edgecolor="#333", hatch="//", linewidth=0)
            ax2.set_xticks(list(xs), [w for w, _, _ in words], rotation=90, fontsize=7)
            ax2.set_ylim(0, 1)
            ax2.set_ylabel("share of the class marking the word")
            more = f" (first 80 of {len(worst.word_rates)} words)" if len(worst.word_rates) > 80 else ""
            ref = "; blue, hatched: in the model answer" if worst.has_reference else ""
            ax2.set_title(f"{worst.question_id}: who marked what{more}{ref}", fontsize=10)
        return fig

    def html(self, figure_png: str | None = None) -> str:
        """A self-contained page (template ``class_report.html``): the figure, the table, and each
        span passage shaded by how many students marked each word (model answer underlined)."""
        from .views.html import class_report_html

        return class_report_html(self.page_data(figure_png))

    def page_data(self, figure_png: str | None = None) -> dict:
        """The plain data the HTML page shows (strings, numbers, lists)."""
        questions = []
        for q in self.questions:
            missed = [f"{w} ({s:.0%})" for w, s in q.missed[:3]]
            over = [f"{w} ({s:.0%})" for w, s in q.over_flagged[:3]]
            if not q.has_reference:  # no verdict without a model answer: what the class marked and split on
                missed = [f"most marked: {w} ({s:.0%})" for w, s in q.most_marked[:3]] \
                    or [f"split: {w}" for w, _ in q.split[:3]]
                over = ["(no model answer)"]
            passage = [{"text": text, "share": share if (share or ref) else None, "reference": bool(ref)}
                       for text, share, ref in (q.segments() if q.word_rates else [])]
            questions.append({"question_id": q.question_id, "kind": q.kind, "students": q.students,
                              "alpha": "n/a" if q.alpha is None else f"{q.alpha:.2f}", "verdict": q.verdict,
                              "missed": missed, "over_flagged": over, "passage": passage})
        return {"lesson": self.lesson, "students": len(self.students), "figure_png": figure_png,
                "alpha_note": f"Krippendorff's alpha: 1 = full agreement, 0 = chance; \u2265 {RELIABLE} reliable, "
                              f"\u2265 {TENTATIVE} tentative.",
                "figure_alt": "Bar chart of Krippendorff's alpha per question"
                              + ("" if not any(q.word_rates for q in self.questions)
                                 else ", and the share of the class that marked each word of the passage with the "
                                      "lowest agreement"),
                "questions": questions, "problems": list(self.problems)}


def _load_records(folder: Path) -> tuple[dict[str, dict], list[str]]:
    """The usable answer files in ``folder``; every other file is skipped and named in the problems
    (checked as the grader checks them: :func:`medialit.answers.read_answer_file`)."""
    records, problems = {}, []
    for path in sorted(folder.glob("*.json")):
        if "." in path.stem:  # a file the widget set aside (q1.unreadable-<time>.json): not an answer
            continue
        found = read_answer_file(path, question_id=path.stem)
        if not found.ok:
            problems.append(f"{path}: the answer {found.problem}; skipped")
            continue
        records[path.stem] = found.record
    return records, problems


def _words_of(record: dict):
    from .text import read

    text = (record.get("context") or {}).get("text")
    if text is None and record.get("text_id"):
        from . import corpus

        try:
            text = corpus.document(record["text_id"]).text
        except LookupError:
            return None
    try:
        return read(text) if isinstance(text, str) and text else None
    except (TypeError, ValueError, OSError):
        return None


def _question(question_id: str, entries: dict[str, dict], reference: dict | None) -> QuestionReport:
    notes = []
    hashes = Counter(r.get("text_hash") for r in entries.values())
    main_hash = hashes.most_common(1)[0][0]
    if reference is not None and reference.get("text_hash") in hashes:
        main_hash = reference["text_hash"]
    other = sorted(s for s, r in entries.items() if r.get("text_hash") != main_hash)
    if other:
        notes.append(f"{len(other)} answer(s) to another version of the question left out: {', '.join(other)}")
    entries = {s: r for s, r in entries.items() if r.get("text_hash") == main_hash}
    if reference is not None and reference.get("text_hash") != main_hash:
        notes.append("the model answer is for another version of the question; not used")
        reference = None
    sample = next(iter(entries.values()))
    kind, context = sample["kind"], next((r.get("context") for r in entries.values() if r.get("context")), None)
    words = None
    document = None
    if kind == "spans":
        document = _words_of(next((r for r in entries.values() if r.get("context")), sample))
        if document is None:
            notes.append("the passage is unknown (the answers were saved without it); skipped")
            return QuestionReport(question_id, kind, len(entries), None, 0, reference is not None, notes=notes)
        words = list(document.word_tokens)
    coded = {}
    for student, record in entries.items():
        try:
            coded[student] = answer_units(kind, record["answer"], context, words)
        except (TypeError, ValueError, AttributeError, KeyError) as error:
            notes.append(f"{student}'s answer could not be compared ({type(error).__name__}: {error}); left out")
    if not coded:
        return QuestionReport(question_id, kind, 0, None, 0, reference is not None, notes=notes)
    units = sorted({u for values in coded.values() for u in values}, key=lambda u: (str(type(u)), u))
    table = {u: {s: coded[s].get(u) for s in coded} for u in units}
    alpha = krippendorff_alpha(table)
    gold = answer_units(kind, reference["answer"], context, words) if reference else None
    n = len(coded)
    report = QuestionReport(question_id, kind, n, alpha, len(units), gold is not None, notes=notes)

    def share(unit, predicate) -> float:
        return sum(1 for s in coded if predicate(coded[s].get(unit))) / n

    if kind == "spans":
        marked = [share(i, _positive) for i in range(len(words))]
        in_gold = [bool(gold and _positive(gold.get(i))) for i in range(len(words))]
        report.word_rates = [(t.text, r, g) for t, r, g in zip(words, marked, in_gold)]
        report.word_offsets = [(t.start, t.end) for t in words]
        report.text = document.text
        if gold:
            for start, end, label in reference["answer"].get("spans", []):
                covered = covered_words([(start, end)], words)
                found = sum(1 for s in coded if any(coded[s].get(i) == label for i in covered)) / n
                if found < 1:  # missed by at least one student
                    report.missed.append((f"“{document.text[start:end]}” ({label})", found))
            report.missed.sort(key=lambda item: item[1])
        # phrases: neighbouring words marked by the same share of the class; over-flagged only
        # against a model answer, otherwise simply the phrases marked most
        runs = _runs([i for i in range(len(words)) if marked[i] > 0 and not in_gold[i]], key=marked.__getitem__)
        phrases = [(f"“{document.text[words[run[0]].start:words[run[-1]].end]}”", max(marked[i] for i in run))
                   for run in runs]
        (report.over_flagged if gold else report.most_marked).extend(sorted(phrases, key=lambda item: -item[1]))
    elif gold is not None:
        for unit in units:
            expected = gold.get(unit)
            agree = share(unit, lambda v, e=expected: v == e)
            name = f"option {unit}" if kind == "quiz" else str(unit)
            if _positive(expected):
                if agree < 1:
                    report.missed.append((name if kind == "quiz" else f"{name} = {expected}", agree))
            else:
                flagged = share(unit, _positive)
                if flagged:
                    report.over_flagged.append((name, flagged))
        report.missed.sort(key=lambda item: item[1])
        report.over_flagged.sort(key=lambda item: -item[1])
    else:
        for unit in units:
            counts = Counter(v for v in table[unit].values() if v is not None)
            if len(counts) > 1:
                value, top = counts.most_common(1)[0]
                report.split.append((f"{unit}: {', '.join(f'{k} {c}' for k, c in counts.most_common())}",
                                     top / n))
        report.split.sort(key=lambda item: item[1])
    return report


def _runs(indices: Iterable[int], key=lambda i: None) -> list[list[int]]:
    """Consecutive indices with the same ``key`` grouped together.

    >>> _runs([1, 2, 3, 7, 8])
    [[1, 2, 3], [7, 8]]
    """
    runs: list[list[int]] = []
    for i in indices:
        if runs and runs[-1][-1] == i - 1 and key(runs[-1][-1]) == key(i):
            runs[-1].append(i)
        else:
            runs.append([i])
    return runs


def class_report(lesson: str, course: str | Path = ".", reference: str | Path | None = None) -> ClassReport:
    """Aggregate the saved widget answers of every student who submitted ``lesson``."""
    layout = CourseLayout.load(course)
    submitted = layout.submitted
    students = sorted(p.parent.name for p in submitted.glob(f"*/{lesson}") if p.is_dir()) if submitted.is_dir() else []
    if not students:
        found = sorted({p.name for p in submitted.glob("*/*") if p.is_dir()}) if submitted.is_dir() else []
        hint = f" Lessons with submissions: {', '.join(found)}." if found else " Run `nbgrader collect` first."
        raise LookupError(f"There are no submissions of '{lesson}' in {submitted}.{hint}")
    problems: list[str] = []
    by_question: dict[str, dict[str, dict]] = {}
    for student in students:
        records, bad = _load_records(layout.submission(student, lesson) / "answers")
        problems += bad
        for question_id, record in records.items():
            by_question.setdefault(question_id, {})[student] = record
    ref_dir = Path(reference) if reference else layout.instructor_answers(lesson)
    references, bad = _load_records(ref_dir) if ref_dir.is_dir() else ({}, [])
    problems += bad
    if not references:
        problems.append(f"No model answers in {ref_dir}: run the lesson's source notebook once (its widgets save "
                        "the model answers there) or pass --reference DIR. Showing agreement only: no answer is called "
                        "missed or over-flagged without one.")
    questions = [_question(q, entries, references.get(q)) for q, entries in sorted(by_question.items())]
    if not questions:
        problems.append("No saved widget answers were found in the submissions (answers/*.json).")
    return ClassReport(lesson, students, questions, problems)


def write_class_report(report: ClassReport, folder: str | Path) -> list[Path]:
    """Write ``class-report.json``, ``class-report.png`` and ``class-report.html`` into ``folder``."""
    import base64
    import io

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / "class-report.json", folder / "class-report.png", folder / "class-report.html"]
    paths[0].write_text(json.dumps(report.to_dict(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    buffer = io.BytesIO()
    report.figure().savefig(buffer, format="png", dpi=110)
    paths[1].write_bytes(buffer.getvalue())
    paths[2].write_text(report.html(base64.b64encode(buffer.getvalue()).decode()), encoding="utf-8")
    return paths
