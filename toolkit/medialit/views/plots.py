"""Plots of analyses with matplotlib: marker rates across texts, density by paragraph, frames.

Every function returns ``(figure, axes)``, draws on the axes you pass (or a new figure), and
changes no global matplotlib setting. A new figure shows itself in a notebook as an image with alt
text (its titles and axis labels, or ``fig.alt`` when you set it); :func:`show` does the same for
any figure. Bars use the same colour-blind-safe colours as the HTML
view plus hatching, so they read in greyscale too.

>>> from medialit import analyze, load
>>> fig, ax = plot_marker_rates({"Beijing": analyze(load("ukr-beijing")), "wire": analyze(load("ukr-wire"))})
>>> [t.get_text() for t in ax.get_xticklabels()]
['Beijing', 'wire']
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Mapping, Sequence, Union

from .. import labels as _labels

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from ..analyzers.core import Analysis

__all__ = ["plot_marker_rates", "plot_paragraph_density", "plot_frames", "plot_frame_comparison", "show", "describe", "Plot",
           "plot_word_frequencies",
           "word_frequencies", "HATCHES"]

#: A second cue beside colour for each label (from the codebook, via :mod:`medialit.labels`).
HATCHES = {label: s.hatch for label, s in _labels.styles().items()}


@lru_cache(maxsize=1)
def _described_figure():
    """A matplotlib Figure that shows itself in notebooks as an image with alt text: ``fig.alt``,
    or a description made from its titles and axis labels (:func:`describe`)."""
    from matplotlib.figure import Figure  # a Figure not managed by pyplot: no global state

    class DescribedFigure(Figure):
        alt: str | None = None

        def _repr_mimebundle_(self, include=None, exclude=None):
            return Plot(self, self.alt or describe(self))._repr_mimebundle_()

    return DescribedFigure


def _axes(ax: "Axes | None", size: tuple[float, float]) -> tuple["Figure", "Axes"]:
    """The axes given, or a new figure that carries alt text when shown (set ``fig.alt`` to say more)."""
    if ax is not None:
        return ax.figure, ax
    fig = _described_figure()(figsize=size, layout="constrained")
    return fig, fig.add_subplot()


def _as_mapping(analyses: Union[Mapping[str, "Analysis"], Sequence["Analysis"]]) -> dict[str, "Analysis"]:
    if isinstance(analyses, Mapping):
        return dict(analyses)
    return {a.document.name or f"text {k + 1}": a for k, a in enumerate(analyses)}


def plot_marker_rates(analyses, labels: Sequence[str] | None = None, ax: "Axes | None" = None):
    """Grouped bars: marks of each label per 100 words, one group per text (mirror comparison)."""
    data = _as_mapping(analyses)
    if not data:
        raise ValueError("plot_marker_rates needs at least one analysis, for example {'Beijing': analyze(...)}.")
    chosen = [_labels.style(label) for label in (labels or _labels.span_labels())]
    fig, ax = _axes(ax, (max(5.0, 1.3 * len(data) + 2), 3.6))
    width = 0.8 / len(chosen)
    names = list(data)
    for k, style in enumerate(chosen):
        heights = [data[n].rates()[style.label] for n in names]
        xs = [i - 0.4 + width * (k + 0.5) for i in range(len(names))]
        ax.bar(xs, heights, width=width, color=style.fill, edgecolor="#333333", linewidth=0.6,
               hatch=style.hatch, label=style.name)
    ax.set_xticks(range(len(names)), names)
    ax.set_ylabel("marks per 100 words")
    ax.set_title("Markers per 100 words")
    ax.legend(fontsize="small", frameon=False)
    return fig, ax


def plot_paragraph_density(analysis: "Analysis", labels: Sequence[str] | None = None, ax: "Axes | None" = None):
    """Stacked bars: marks per 100 words in each paragraph of one text."""
    chosen = [_labels.style(label) for label in (labels or _labels.span_labels())]
    doc = analysis.document
    fig, ax = _axes(ax, (max(4.5, 0.8 * len(doc.paragraphs) + 2), 3.4))
    words = [sum(1 for t in doc.word_tokens if p.start <= t.start < p.end) or 1 for p in doc.paragraphs]
    bottoms = [0.0] * len(doc.paragraphs)
    for style in chosen:
        counts = [sum(1 for m in analysis.spans if m.label == style.label and p.start <= m.start < p.end)
                  for p in doc.paragraphs]
        heights = [100 * c / w for c, w in zip(counts, words)]
        ax.bar(range(1, len(heights) + 1), heights, bottom=bottoms, color=style.fill, edgecolor="#333333",
               linewidth=0.6, hatch=style.hatch, label=style.name)
        bottoms = [b + h for b, h in zip(bottoms, heights)]
    ax.set_xticks(range(1, len(doc.paragraphs) + 1))
    ax.set_xlabel("paragraph")
    ax.set_ylabel("marks per 100 words")
    ax.set_title(f"Marker density by paragraph{': ' + doc.name if doc.name else ''}")
    ax.legend(fontsize="small", frameon=False)
    return fig, ax


def plot_frames(analysis: "Analysis", top: int = 6, ax: "Axes | None" = None):
    """Horizontal bars: the ``top`` frames by score, with their first cue words as labels."""
    frames = [f for f in analysis.frames[:top]]
    fig, ax = _axes(ax, (6.0, 0.45 * len(frames) + 1.2))
    names = [f"{_labels.readable(f.frame)}\n({', '.join(f.cues[:3]) or 'no cues'})" for f in frames]
    ax.barh(range(len(frames)), [f.score for f in frames], color="#0072B2", edgecolor="#333333", linewidth=0.6)
    ax.set_yticks(range(len(frames)), names, fontsize="small")
    ax.invert_yaxis()
    ax.set_xlabel("frame cue words per 100 words")
    ax.set_title(f"Frames{': ' + analysis.document.name if analysis.document.name else ''}")
    return fig, ax


def word_frequencies(doc, n: int = 10, stopwords=None) -> list[tuple[str, int]]:
    """The ``n`` most common words of a document: lower-cased, letters only, stopwords left out.

    Ties keep the order in which the words first appear.

    >>> from medialit import read
    >>> word_frequencies(read("The plan, the plan and the vote."), n=2)
    [('plan', 2), ('vote', 1)]
    """
    from collections import Counter

    from ..text import stopwords as default_stopwords

    stop = default_stopwords() if stopwords is None else set(stopwords)
    counts = Counter(w.lower() for w in doc.words if w.isalpha() and w.lower() not in stop)
    return counts.most_common(n)


def plot_word_frequencies(documents, n: int = 10, stopwords=None, ax: "Axes | None" = None):
    """Side-by-side bars: how often each text uses the other's most frequent words (per 1,000 words).

    ``documents`` maps a name to a Document, e.g. ``{"Beijing": load("ukr-beijing"), ...}``.
    """
    docs = dict(documents)
    if len(docs) < 1:
        raise ValueError("plot_word_frequencies needs at least one document, e.g. {'Beijing': load('ukr-beijing')}.")
    words: list[str] = []
    for doc in docs.values():
        for word, _ in word_frequencies(doc, n, stopwords):
            if word not in words:
                words.append(word)
    fig, ax = _axes(ax, (6.5, 0.28 * len(words) * max(1, len(docs)) ** 0.5 + 1.5))
    height = 0.8 / len(docs)
    palette = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00"]
    hatches = ["", "//", "..", "xx", "\\\\", "--"]
    for k, (name, doc) in enumerate(docs.items()):
        total = max(1, sum(1 for w in doc.words if w.isalpha()))
        lower = [w.lower() for w in doc.words]
        rates = [1000 * lower.count(word) / total for word in words]
        ys = [i - 0.4 + height * (k + 0.5) for i in range(len(words))]
        ax.barh(ys, rates, height=height, color=palette[k % len(palette)], hatch=hatches[k % len(hatches)],
                edgecolor="#333333", linewidth=0.5, label=name)
    ax.set_yticks(range(len(words)), words)
    ax.invert_yaxis()
    ax.set_xlabel("uses per 1,000 words")
    ax.set_title("Most frequent words, compared")
    ax.legend(fontsize="small", frameon=False)
    return fig, ax


def plot_frame_comparison(analyses, frames: Sequence[str] | None = None, ax: "Axes | None" = None):
    """Grouped bars: chosen frames' scores (cue words per 100 words) across several texts.

    Without ``frames``, the three frames with the highest total score across the texts are shown.

    >>> from medialit import analyze, read
    >>> fig, ax = plot_frame_comparison({"a": analyze(read("Troops at the border.")), "b": analyze(read("Costs rose."))},
    ...                                 frames=["security_and_defense", "economic"])
    >>> len(ax.patches)
    4
    """
    from .. import codebook

    data = _as_mapping(analyses)
    if not data:
        raise ValueError("plot_frame_comparison needs at least one analysis, e.g. {'Beijing': analyze(...)}.")
    score = {name: {f.frame: f.score for f in a.frames} for name, a in data.items()}
    if frames is None:
        totals = {f: sum(s[f] for s in score.values()) for f in codebook.frames()}
        frames = sorted(totals, key=lambda f: (-totals[f], codebook.frames().index(f)))[:3]
    for frame in frames:
        codebook.check_frame(frame)
    fig, ax = _axes(ax, (max(5.5, 1.3 * len(data) + 2), 3.6))
    width = 0.8 / len(frames)
    palette = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00"]
    hatches = ["", "//", "..", "xx", "--", "\\\\"]
    names = list(data)
    for k, frame in enumerate(frames):
        xs = [i - 0.4 + width * (k + 0.5) for i in range(len(names))]
        ax.bar(xs, [score[n][frame] for n in names], width=width, color=palette[k % len(palette)],
               hatch=hatches[k % len(hatches)], edgecolor="#333333", linewidth=0.6, label=_labels.readable(frame))
    ax.set_xticks(range(len(names)), names)
    ax.set_ylabel("frame cue words per 100 words")
    ax.set_title("Frames compared")
    ax.legend(fontsize="small", frameon=False)
    return fig, ax


def describe(fig) -> str:
    """A short text description of a figure, from its titles and axis labels (a default alt text).

    >>> from medialit import analyze, read
    >>> fig, ax = plot_frames(analyze(read("Troops at the border.")))
    >>> describe(fig)
    'Chart. Frames; x axis: frame cue words per 100 words.'
    """
    parts = []
    for ax in fig.get_axes():
        bits = [ax.get_title()] if ax.get_title() else []
        if ax.get_xlabel():
            bits.append(f"x axis: {ax.get_xlabel()}")
        if ax.get_ylabel():
            bits.append(f"y axis: {ax.get_ylabel()}")
        if bits:
            parts.append("; ".join(bits))
    return "Chart. " + (". ".join(parts) if parts else "No title") + "."


class Plot:
    """A figure shown with a text alternative: as a PNG image with ``alt`` in notebooks and HTML
    exports, and as the text itself where no image can be shown. Make one with :func:`show`."""

    def __init__(self, fig, alt: str) -> None:
        if not isinstance(alt, str) or not alt.strip():
            raise ValueError("A plot needs alt text that says what it shows, e.g. "
                             "show(fig, alt='Bar chart: the Beijing text uses loaded language most').")
        self.figure, self.alt = fig, alt.strip()

    def png(self) -> bytes:
        import io

        buffer = io.BytesIO()
        self.figure.savefig(buffer, format="png", dpi=100)
        return buffer.getvalue()

    def _repr_mimebundle_(self, **kwargs):
        import base64
        import html

        data = base64.b64encode(self.png()).decode("ascii")
        alt = html.escape(self.alt, quote=True)
        return {"text/html": f'<figure style="margin:0"><img src="data:image/png;base64,{data}" alt="{alt}" '
                             f'style="max-width:100%"></figure>',
                "text/plain": f"[figure] {self.alt}"}

    def __repr__(self) -> str:
        return f"<Plot: {self.alt}>"


def show(fig, alt: str | None = None) -> Plot:
    """Show a matplotlib figure with alt text (for screen readers); put it last in a cell.

    ``alt`` says what the figure shows; without it, a description is made from its titles and
    axis labels (say more when you can: what the reader should notice).

    >>> from medialit import analyze, read
    >>> fig, ax = plot_frames(analyze(read("Troops at the border.")))
    >>> 'alt="Frames of one text"' in show(fig, alt="Frames of one text")._repr_mimebundle_()["text/html"]
    True
    """
    return Plot(fig, describe(fig) if alt is None else alt)
