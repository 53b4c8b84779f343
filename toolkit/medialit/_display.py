"""Which view shows a result as HTML in Jupyter: results look it up here, views are named here,
and neither imports the other (the analyzers never import :mod:`medialit.views`).

A view is named as ``"module:function"``; the function takes the result and returns an HTML
fragment. :func:`register` replaces a view (a course may bring its own).

>>> class Note:
...     text = "<b>"
>>> register(Note, "html:escape")  # any importable "module:function"
>>> Note.__name__ in _VIEWS
True
>>> html_for(type("Other", (), {})()) is None  # no view: Jupyter shows the plain repr
True
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = ["register", "html_for"]

#: result type name -> "module:function" that renders it as an HTML fragment
_VIEWS: dict[str, str] = {"Analysis": "medialit.views.html:analysis_html"}


def register(result_type: type, view: str) -> None:
    """Show ``result_type`` with ``view`` (``"module:function"``) from now on."""
    module, _, function = view.partition(":")
    if not module or not function:
        raise ValueError(f"{view!r} is not a view name: write it as 'module:function', "
                         "for example 'medialit.views.html:analysis_html'.")
    _VIEWS[result_type.__name__] = view


def html_for(result: Any) -> str | None:
    """The registered view's HTML for ``result``, or None when its type has no view."""
    view = _VIEWS.get(type(result).__name__)
    if view is None:
        return None
    module, _, function = view.partition(":")
    return getattr(importlib.import_module(module), function)(result)
