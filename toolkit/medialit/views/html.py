"""HTML rendering of an analysis: highlighted text, a legend, unsupported sentences and frames.

Colours come from the Okabe-Ito palette, which readers with the common forms of colour
blindness can tell apart (Okabe & Ito 2008, "Color Universal Design"). Colour is never the only
cue: each label also has its own underline style and a short tag after the marked words, and
every mark has a tooltip with its reason.

>>> from medialit import analyze
>>> page = analysis_html(analyze("Critics argue the reckless plan may fail."))
>>> "vague attribution" in page and "<sup" in page and 'title="vague attribution: unnamed source' in page
True
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from ..analyzers.core import Analysis

__all__ = ["STYLES", "analysis_html", "legend_html", "side_by_side_html"]

#: label -> (colour, underline style, short tag, readable name)
STYLES = {
    "loaded_language": ("#E69F00", "solid", "LL", "loaded language"),
    "vague_attribution": ("#56B4E9", "dashed", "VA", "vague attribution"),
    "named_attribution": ("#009E73", "double", "NA", "named attribution"),
    "hedge": ("#F0E442", "dotted", "H", "hedge"),
    "booster": ("#CC79A7", "wavy", "B", "booster"),
}

_CSS = """
.medialit{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;line-height:1.7;max-width:52em;color:#111}
.medialit p{margin:.6em 0}
.medialit .ml-mark{padding:0 .1em;border-radius:.2em;text-decoration-thickness:2px;text-underline-offset:3px}
.medialit sup.ml-tag{font-size:.62em;font-weight:700;color:#333;margin-left:.1em;letter-spacing:.02em}
.medialit .ml-legend{display:flex;flex-wrap:wrap;gap:.4em 1.1em;font-size:.85em;margin:.3em 0 .8em}
.medialit .ml-flag{font-size:.8em;font-weight:700;color:#9b1c1c;margin-left:.15em}
.medialit .ml-summary{font-size:.85em;color:#333;margin:.2em 0}
.medialit table{border-collapse:collapse;font-size:.85em;margin:.4em 0}
.medialit td,.medialit th{border-bottom:1px solid #ddd;padding:.15em .5em;text-align:left;vertical-align:top}
.medialit .ml-note{font-size:.8em;color:#555}
"""


def _mark_style(label: str) -> str:
    colour, line, _, _ = STYLES[label]
    return (f"background:{colour}33;text-decoration:underline {line} {colour};"
            f"text-decoration-line:underline;text-decoration-style:{line};text-decoration-color:{colour}")


def legend_html() -> str:
    """The legend: colour, underline style and tag of every label."""
    items = []
    for label, (colour, line, tag, name) in STYLES.items():
        items.append(f'<span><span class="ml-mark" style="{_mark_style(label)}">{html.escape(name)}</span>'
                     f'<sup class="ml-tag">{tag}</sup></span>')
    items.append('<span><span class="ml-flag" aria-hidden="true">[?]</span> unsupported claim</span>')
    return f'<div class="ml-legend" role="list" aria-label="Legend">{"".join(items)}</div>'


def _highlight(text: str, start: int, end: int, marks, unsupported_ends: dict[int, str]) -> str:
    """Escape ``text[start:end]`` and wrap every marked span (overlaps nest)."""
    inside = [m for m in marks if m.start < end and m.end > start]
    cuts = {start, end}
    for m in inside:
        cuts.update((max(start, m.start), min(end, m.end)))
    cuts.update(e for e in unsupported_ends if start < e <= end)
    points = sorted(cuts)
    out = []
    for a, b in zip(points, points[1:]):
        piece = html.escape(text[a:b])
        for m in sorted((m for m in inside if m.start <= a and m.end >= b), key=lambda m: m.end - m.start):
            colour, _, tag, name = STYLES[m.label]
            reason = html.escape(f"{name}: {m.reason}" + (" (quoted)" if m.voice == "quoted" else ""), quote=True)
            piece = f'<span class="ml-mark" style="{_mark_style(m.label)}" title="{reason}">{piece}</span>'
            if m.end == b:
                piece += f'<sup class="ml-tag" aria-label="{html.escape(name)}">{tag}</sup>'
        out.append(piece)
        if b in unsupported_ends:
            out.append(f'<span class="ml-flag" title="{html.escape(unsupported_ends[b], quote=True)}" '
                       f'aria-label="unsupported claim">[?]</span>')
    return "".join(out)


def source_html(doc) -> str:
    """The attribution footer of a corpus text (empty for a text without one).

    >>> from medialit import load
    >>> "en.kremlin.ru" in source_html(load("real-a03-kremlin-2021-12-30"))
    True
    """
    if not getattr(doc, "attribution", None):
        return ""
    return f'<div class="ml-note ml-source">Source: {html.escape(doc.attribution)}</div>'


def analysis_html(analysis: "Analysis", *, standalone: bool = False, title: str | None = None,
                  max_rows: int = 8) -> str:
    """Render an analysis: legend, highlighted paragraphs, unsupported sentences and top frames."""
    doc = analysis.document
    text = doc.text
    unsupported = {s.end: "; ".join(s.reasons) for s in analysis.sentences if s.unsupported}
    paragraphs = "".join(
        f"<p>{_highlight(text, p.start, p.end, analysis.spans, unsupported)}</p>" for p in doc.paragraphs
    )
    counts = analysis.counts()
    summary = ", ".join(f"{n} {STYLES[label][3]}" for label, n in counts.items())
    n_unsupported = sum(s.unsupported for s in analysis.sentences)
    rows = []
    flagged = [s for s in analysis.sentences if s.unsupported]
    for sent in flagged[:max_rows]:
        snippet = sent.text if len(sent.text) <= 90 else sent.text[:87] + "..."
        rows.append(f"<tr><td>{html.escape(snippet)}</td><td>{sent.claim}</td>"
                    f"<td>{html.escape('; '.join(sent.reasons))}</td></tr>")
    if len(flagged) > max_rows:
        rows.append(f'<tr><td colspan="3">... ({len(flagged) - max_rows} more omitted)</td></tr>')
    table = ("<table><tr><th>unsupported sentence</th><th>claim</th><th>why the analyzer thinks so</th></tr>"
             + "".join(rows) + "</table>") if rows else ""
    frames = ", ".join(f"{f.frame} ({f.score:.1f}: {', '.join(f.cues[:3])})"
                       for f in analysis.frames[:3] if f.score > 0)
    heading = f"<h2>{html.escape(title)}</h2>" if title else ""
    body = (
        f'<div class="medialit">{heading}{legend_html()}'
        f'<div class="ml-summary">{summary}; {n_unsupported} of {len(analysis.sentences)} sentences flagged '
        f'as unsupported.</div>'
        f"{paragraphs}{table}"
        f'<div class="ml-summary">Frames (cue words per 100 words): {html.escape(frames or "none found")}</div>'
        f'<div class="ml-note">A second opinion from word lists and rules: hover a mark for its reason, '
        f'and disagree where the context says otherwise.</div>{source_html(doc)}</div>'
    )
    if not standalone:
        return f"<style>{_CSS}</style>{body}"
    page_title = html.escape(title or doc.name or "medialit analysis")
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{page_title}</title><style>{_CSS}</style></head><body>{body}</body></html>\n")


def side_by_side_html(documents, titles, highlight=None) -> str:
    """Texts in columns (two or more), optionally with the analyzers' marks of some labels.

    >>> from medialit import read
    >>> page = side_by_side_html([read("A reckless plan."), read("A plan.")], ["one", "two"], highlight=["loaded_language"])
    >>> page.count('class="ml-col"'), "reckless</span>" in page
    (2, True)
    """
    from ..analyzers import analyze

    labels = list(highlight or [])
    for label in labels:
        if label not in STYLES:
            raise ValueError(f"{label!r} is not a span label. The span labels are: {', '.join(STYLES)}.")
    columns = []
    for doc, title in zip(documents, titles):
        marks = [m for m in analyze(doc).spans if m.label in labels] if labels else []
        body = "".join(f"<p>{_highlight(doc.text, p.start, p.end, marks, {})}</p>" for p in doc.paragraphs)
        columns.append(f'<div class="ml-col"><h4 style="margin:.2em 0">{html.escape(title)}</h4>{body}'
                       f'{source_html(doc)}</div>')
    legend = legend_html() if labels else ""
    grid = (f'<div style="display:grid;grid-template-columns:repeat({len(columns)},minmax(0,1fr));gap:1.2em;'
            f'font-size:.9em">{"".join(columns)}</div>')
    return f'<style>{_CSS}</style><div class="medialit" style="max-width:none">{legend}{grid}</div>'
