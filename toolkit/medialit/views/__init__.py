"""Views of analyses: HTML (``medialit.views.html``) and matplotlib plots (``medialit.views.plots``).

matplotlib is imported only when a plot is drawn.
"""

from __future__ import annotations

__all__ = ["analysis_html", "plot_marker_rates", "plot_paragraph_density", "plot_frames"]


def __getattr__(name: str):
    if name == "analysis_html":
        from .html import analysis_html

        return analysis_html
    if name in {"plot_marker_rates", "plot_paragraph_density", "plot_frames"}:
        from . import plots

        return getattr(plots, name)
    raise AttributeError(f"module 'medialit.views' has no attribute {name!r}")
