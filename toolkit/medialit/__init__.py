"""medialit: a teaching toolkit for media literacy and argument evaluation.

>>> import medialit
>>> doc = medialit.read("Officials said the bridge reopened on Jan. 5. Critics called it a disaster.")
>>> len(doc.sentences)
2

Importing medialit is cheap and changes nothing: plotting (matplotlib) and
widgets (ipywidgets) are imported only when you use them.
"""

from __future__ import annotations

import re as _re
from pathlib import Path as _Path

from . import text as _text
from ._data import data_dir as _data_dir
from .text import Document, TextInputError, stopwords

__version__ = "0.1.0"

__all__ = ["Document", "TextInputError", "read", "stopwords", "load", "analyze", "corpus", "__version__"]


_CORPUS_ID = _re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)+$")  # "real-a03-kremlin-2021-12-30", "ukr-beijing"


def read(source, **options) -> Document:  # noqa: ANN001 - see medialit.text.read
    """Read a text: a file path, the text itself, bytes, or the id of a corpus text (then the
    corpus text with its attribution, as :func:`load`). Options as :func:`medialit.text.read`.

    >>> read("ukr-beijing") is load("ukr-beijing"), read("A plain sentence.").name is None
    (True, True)
    """
    if (isinstance(source, str) and _CORPUS_ID.match(source) and not _Path(source).exists()
            and (_data_dir() / "texts" / f"{source}.txt").is_file()):
        return load(source)
    return _text.read(source, **options)


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

    return _analyze(read(text_or_document) if isinstance(text_or_document, str) else text_or_document)


def __getattr__(name: str):
    # `medialit.corpus` is importable as an attribute without importing it eagerly.
    if name == "corpus":
        import importlib

        return importlib.import_module(".corpus", __name__)
    raise AttributeError(f"module 'medialit' has no attribute {name!r}")
