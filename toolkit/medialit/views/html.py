"""HTML rendering of an analysis: highlighted text, a legend, unsupported sentences and frames.

The pages are Jinja2 templates with autoescape (``medialit/templates/``). Colours, underline
styles, tags and names come from :mod:`medialit.labels` (the codebook). Colour is never the only
cue: each label also has its own underline style and a short tag after the marked words, and
every mark's reason is written out (for screen readers after the mark, for everyone in the list
of marks), not only in a tooltip.

>>> from medialit import analyze
>>> page = analysis_html(analyze("Critics argue the reckless plan may fail."))
>>> "vague attribution" in page and "<sup" in page and 'title="vague attribution: unnamed source' in page
True
>>> page = analysis_html(analyze("A plan."), standalone=True, title="Demo")
>>> '<html lang="en">' in page and page.count("<h1>") == 1 and "<main>" in page
True
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from .. import labels
from ..spans import covers

if TYPE_CHECKING:  # pragma: no cover
    from ..analyzers.core import Analysis

__all__ = ["analysis_html", "legend_html", "side_by_side_html", "class_report_html", "source_html", "render", "css"]


@lru_cache(maxsize=1)
def _environment():
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

    return Environment(loader=PackageLoader("medialit", "templates"), autoescape=select_autoescape(default=True),
                       undefined=StrictUndefined, trim_blocks=False, lstrip_blocks=False)


def css():
    """medialit's stylesheet for its HTML views (the package file ``templates/medialit.css``)."""
    from markupsafe import Markup

    return Markup(_environment().loader.get_source(_environment(), "medialit.css")[0])


def render(template: str, **values) -> str:
    """Render one of medialit's templates with autoescape (every value is escaped).

    >>> "&lt;b&gt;" in render("side_by_side.html", css="", styles=[], columns=[{"title": "<b>", "paragraphs": []}])
    True
    """
    return _environment().get_template(template).render(**values)


def legend_html() -> str:
    """The legend, a list: colour, underline style and tag of every label.

    >>> legend_html().startswith('<ul class="ml-legend"')
    True
    """
    return _environment().get_template("_macros.html").module.legend(list(labels.styles().values()))


def source_html(doc) -> str:
    """The attribution footer of a corpus text (empty for a text without one).

    >>> from medialit import load
    >>> "en.kremlin.ru" in source_html(load("real-a03-kremlin-2021-12-30"))
    True
    """
    return render("_source.html", attribution=getattr(doc, "attribution", None))


def _reason(mark) -> str:
    return f"{labels.name(mark.label)}: {mark.reason}" + (" (quoted)" if getattr(mark, "voice", None) == "quoted" else "")


def _pieces(text: str, start: int, end: int, marks, unsupported_ends: dict[int, str]) -> list[dict]:
    """``text[start:end]`` cut where marks begin or end; each piece lists the marks covering it
    (outermost first; overlapping marks nest) and whether a mark or an unsupported sentence ends there."""
    inside = [m for m in marks if covers(start, end, m)]  # the one overlap rule (medialit.spans)
    cuts = {start, end}
    for m in inside:
        cuts.update((max(start, m.start), min(end, m.end)))
    cuts.update(e for e in unsupported_ends if start < e <= end)
    points = sorted(cuts)
    pieces = []
    for a, b in zip(points, points[1:]):
        covering = sorted((m for m in inside if m.start <= a and m.end >= b), key=lambda m: -(m.end - m.start))
        pieces.append({"text": text[a:b], "flag": unsupported_ends.get(b),
                       "marks": [{"style": labels.style(m.label), "reason": _reason(m), "ends_here": m.end == b}
                                 for m in covering]})
    return pieces


def analysis_html(analysis: "Analysis", *, standalone: bool = False, title: str | None = None,
                  max_rows: int = 8) -> str:
    """Render an analysis: legend, highlighted paragraphs, every mark with its reason, unsupported
    sentences and top frames. ``standalone=True`` gives a whole page (lang, header with one h1, main)."""
    doc = analysis.document
    text = doc.text
    unsupported = {s.end: "; ".join(s.reasons) for s in analysis.sentences if s.unsupported}
    flagged = [s for s in analysis.sentences if s.unsupported]
    counts = analysis.counts()
    return render(
        "analysis.html", css=css(), standalone=standalone, title=title,
        page_title=title or doc.name or "medialit analysis",
        styles=list(labels.styles().values()),
        summary=", ".join(f"{n} {labels.name(label)}" for label, n in counts.items()),
        n_unsupported=len(flagged), n_sentences=len(analysis.sentences),
        paragraphs=[_pieces(text, p.start, p.end, analysis.spans, unsupported) for p in doc.paragraphs],
        marks=[{"text": text[m.start:m.end], "name": labels.name(m.label), "reason": m.reason,
                "quoted": getattr(m, "voice", None) == "quoted"} for m in analysis.spans],
        rows=[{"text": s.text, "claim": s.claim, "reasons": "; ".join(s.reasons)} for s in flagged[:max_rows]],
        omitted=max(0, len(flagged) - max_rows),
        frames=", ".join(f"{labels.readable(f.frame)} ({f.score:.1f}: {', '.join(f.cues[:3])})"
                         for f in analysis.frames[:3] if f.score > 0),
        attribution=getattr(doc, "attribution", None),
    )


def side_by_side_html(documents, titles, highlight=None, analyses=None) -> str:
    """Texts in columns (two or more), optionally with the marks of some labels from ``analyses``
    (one analysis per document; views take analyses and never run the analyzers themselves).

    >>> from medialit import analyze, read
    >>> docs = [read("A reckless plan."), read("A plan.")]
    >>> page = side_by_side_html(docs, ["one", "two"], highlight=["loaded_language"], analyses=[analyze(d) for d in docs])
    >>> page.count('class="ml-col"'), "reckless</span>" in page
    (2, True)
    """
    chosen = [labels.style(label).label for label in (highlight or [])]
    if chosen and (analyses is None or len(analyses) != len(documents)):
        raise ValueError("To highlight labels, give one analysis per document: "
                         "side_by_side_html(docs, titles, highlight=[...], analyses=[analyze(d) for d in docs]).")
    columns = []
    for k, (doc, title) in enumerate(zip(documents, titles)):
        marks = [m for m in analyses[k].spans if m.label in chosen] if chosen else []
        columns.append({"title": title, "attribution": getattr(doc, "attribution", None),
                        "paragraphs": [_pieces(doc.text, p.start, p.end, marks, {}) for p in doc.paragraphs]})
    return render("side_by_side.html", css=css(), columns=columns,
                  styles=[labels.style(label) for label in labels.span_labels()] if chosen else [])


def class_report_html(data: dict) -> str:
    """The class-report page from plain data (``lesson``, ``students``, ``alpha_note``,
    ``figure_png``, ``questions``: dicts with ``question_id``, ``kind``, ``students``, ``alpha``,
    ``verdict``, ``missed``, ``over_flagged`` as lists of text, ``passage`` as a list of
    ``{"text", "share", "reference"}`` pieces; ``problems``).

    >>> page = class_report_html({"lesson": "01-x", "students": 2, "questions": [], "problems": ["<b>"]})
    >>> '<html lang="en">' in page and "<main>" in page and "&lt;b&gt;" in page
    True
    """
    values = {"alpha_note": "", "figure_png": None, "figure_alt": "", "questions": [], "problems": [], **data}
    return render("class_report.html", **values)
