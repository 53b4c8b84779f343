"""How each span label is shown: one source for names, colours, underlines, tags, icons and hatches.

Everything comes from ``datasets/codebook.json`` (section ``span_label_display``), next to the
labels' definitions; the HTML views, the plots, the widgets and the class report read it here
instead of keeping copies.

>>> loaded = style("loaded_language")
>>> loaded.name, loaded.tag, loaded.icon
('loaded language', 'LL', 'fire')
>>> contrast(loaded.ink, "#ffffff") >= 4.5     # ink is readable on white as text
True
>>> [name(label) for label in span_labels()][:2]
['loaded language', 'vague attribution']
>>> style("loaded")
Traceback (most recent call last):
...
ValueError: 'loaded' is not a span label. The span labels are: loaded_language, vague_attribution, named_attribution, hedge, booster.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from . import codebook

__all__ = ["LabelStyle", "style", "styles", "name", "span_labels", "readable", "contrast", "tint"]


@dataclass(frozen=True)
class LabelStyle:
    """How one span label looks: ``fill`` for light backgrounds and bars, ``ink`` (dark, at least
    4.5:1 on white) for underlines, tags and selected buttons, ``line`` the CSS underline style,
    ``tag`` a short text mark, ``icon`` a Font Awesome name, ``hatch`` a matplotlib hatch."""

    label: str
    name: str
    fill: str
    ink: str
    line: str
    tag: str
    icon: str
    hatch: str


@lru_cache(maxsize=1)
def _styles() -> dict[str, LabelStyle]:
    book = codebook._book()
    display = book["span_label_display"]
    missing = [label for label in codebook.span_labels() if label not in display]
    if missing:
        raise ValueError(f"datasets/codebook.json: span_label_display has no entry for {', '.join(missing)}; "
                         "add one per span label (name, fill, ink, line, tag, icon, hatch).")
    return {label: LabelStyle(label=label, **display[label]) for label in codebook.span_labels()}


def span_labels() -> tuple[str, ...]:
    """The span labels, in codebook order."""
    return codebook.span_labels()


def styles() -> dict[str, LabelStyle]:
    """Every span label's :class:`LabelStyle`, in codebook order."""
    return dict(_styles())


def style(label: str) -> LabelStyle:
    """The :class:`LabelStyle` of one span label; a ValueError lists the labels for a bad one."""
    return _styles()[codebook.check_label(label)]


def name(label: str) -> str:
    """The readable name of a span label: ``name("hedge") == "hedge"``."""
    return style(label).name


def readable(value: str) -> str:
    """A codebook name for people: span labels by their name, frames and others without underscores.

    >>> readable("named_attribution"), readable("security_and_defense")
    ('named attribution', 'security and defense')
    """
    if value in _styles():
        return name(value)
    try:
        return codebook.display_name(value)
    except ValueError:  # not a codebook name (a lesson's own category): shown the same way
        return value.replace("_", " ")


def _luminance(colour: str) -> float:
    value = colour.lstrip("#")
    if len(value) != 6:
        raise ValueError(f"{colour!r} is not a colour like '#1a2b3c'.")
    channels = [int(value[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    """The WCAG 2 contrast ratio of two colours (1 to 21).

    >>> round(contrast("#000000", "#ffffff"), 1)
    21.0
    """
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def tint(colour: str, alpha: float, background: str = "#ffffff") -> str:
    """``colour`` laid over ``background`` with opacity ``alpha``, as an opaque colour.

    >>> tint("#000000", 0.5)
    '#808080'
    """
    fg, bg = colour.lstrip("#"), background.lstrip("#")
    return "#" + "".join(f"{round(int(fg[i:i + 2], 16) * alpha + int(bg[i:i + 2], 16) * (1 - alpha)):02x}"
                         for i in (0, 2, 4))
