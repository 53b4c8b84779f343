"""The codebook: every label medialit uses, read from ``datasets/codebook.json``.

``datasets/CODEBOOK.md`` explains each label for people (definition, source,
span rules, examples, when it is fine); this module gives the same list to code.

>>> "loaded_language" in span_labels()
True
>>> len(frames())
14
>>> check_label("loaded")
Traceback (most recent call last):
...
ValueError: 'loaded' is not a span label. The span labels are: loaded_language, vague_attribution, named_attribution, hedge, booster.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from ._data import data_dir

__all__ = [
    "span_labels",
    "claim_types",
    "frames",
    "entman_functions",
    "genres",
    "voices",
    "describe",
    "display_name",
    "check_label",
    "check_frame",
]


@lru_cache(maxsize=4)
def _load(root: Path) -> dict[str, Any]:
    return json.loads((root / "codebook.json").read_text(encoding="utf-8"))


def _book(root: Path | None = None) -> dict[str, Any]:
    return _load(Path(root) if root else data_dir())


def span_labels(root: Path | None = None) -> tuple[str, ...]:
    """The span labels, in codebook order."""
    return tuple(_book(root)["span_labels"])


def voices(root: Path | None = None) -> tuple[str, ...]:
    """Whose words a span is in: ``author`` (default) or ``quoted``."""
    return tuple(_book(root)["span_voices"])


def claim_types(root: Path | None = None) -> tuple[str, ...]:
    """The sentence claim types: factual, opinion, prediction."""
    return tuple(_book(root)["claim_types"])


def frames(root: Path | None = None) -> tuple[str, ...]:
    """The 14 frames of the Policy Frames Codebook (Boydstun et al. 2014), in snake_case."""
    return tuple(_book(root)["frames"])


def entman_functions(root: Path | None = None) -> tuple[str, ...]:
    """Entman's (1993) four framing functions: problem, cause, moral, remedy."""
    return tuple(_book(root)["entman_functions"])


def genres(root: Path | None = None) -> tuple[str, ...]:
    """The genres a corpus text may have."""
    return tuple(_book(root)["genres"])


def describe(name: str, root: Path | None = None) -> str:
    """The one-line definition of any label, frame, claim type or function.

    >>> describe("hedge")[:40]
    'A word that withholds full commitment to'
    """
    book = _book(root)
    for section in ("span_labels", "claim_types", "frames", "entman_functions", "genres", "span_voices"):
        if name in book[section]:
            return str(book[section][name])
    raise ValueError(f"'{name}' is not in the codebook. See datasets/CODEBOOK.md for every label.")


def display_name(name: str, root: Path | None = None) -> str:
    """How a frame, function, claim type or genre is written for people: the codebook's name
    without underscores.

    >>> display_name("crime_and_punishment"), display_name("security_and_defense")
    ('crime and punishment', 'security and defense')
    """
    describe(name, root)  # a name that is not in the codebook is an error that says where to look
    return name.replace("_", " ")


def _check(value: object, valid: tuple[str, ...], what: str) -> str:
    if value not in valid:
        raise ValueError(f"{value!r} is not a {what}. The {what}s are: {', '.join(valid)}.")
    return str(value)


def check_label(label: object, root: Path | None = None) -> str:
    """Return ``label`` if it is a span label, else raise a ValueError that lists them."""
    return _check(label, span_labels(root), "span label")


def check_frame(frame: object, root: Path | None = None) -> str:
    """Return ``frame`` if it is one of the 14 frames, else raise a ValueError that lists them."""
    return _check(frame, frames(root), "frame")
