"""medialit: a teaching toolkit for media literacy and argument evaluation.

>>> import medialit
>>> doc = medialit.read("Officials said the bridge reopened on Jan. 5. Critics called it a disaster.")
>>> len(doc.sentences)
2

Importing medialit is cheap and changes nothing: plotting (matplotlib) and
widgets (ipywidgets) are imported only when you use them.
"""

from __future__ import annotations

from .text import Document, TextInputError, read, stopwords

__version__ = "0.1.0"

__all__ = ["Document", "TextInputError", "read", "stopwords", "load", "analyze", "corpus", "__version__"]


def load(text_id: str) -> Document:
    """Load a corpus text by its id, cleaned and ready to analyse.

    >>> load("ukr-beijing").name
    'ukr-beijing'
    """
    from . import corpus

    return corpus.document(text_id)


def analyze(text_or_document):  # noqa: ANN001 - see medialit.analyze.analyze
    """Analyze a text: loaded language, attribution, hedges and boosters, claims and frames.

    >>> analyze("Experts agree the plan is a disaster.").counts()["vague_attribution"]
    1
    """
    from .analyzers.core import analyze as _analyze

    return _analyze(text_or_document)


def __getattr__(name: str):
    # `medialit.corpus` is importable as an attribute without importing it eagerly.
    if name == "corpus":
        import importlib

        return importlib.import_module(".corpus", __name__)
    raise AttributeError(f"module 'medialit' has no attribute {name!r}")
