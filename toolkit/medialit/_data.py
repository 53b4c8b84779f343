"""Where medialit's shipped data lives.

The data folder is found in this order:

1. ``medialit/_datasets`` inside the installed package (a wheel copies the
   repository's ``datasets/`` folder there);
2. ``datasets/`` at the root of the repository (an editable install inside the
   repository).

>>> data_dir().joinpath("catalog.csv").is_file()
True
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

__all__ = ["data_dir", "DataNotFoundError"]

_PACKAGE_DIR = Path(__file__).resolve().parent


class DataNotFoundError(FileNotFoundError):
    """The medialit data folder could not be found."""


def _candidates() -> list[Path]:
    return [_PACKAGE_DIR / "_datasets", _PACKAGE_DIR.parent.parent / "datasets"]


@lru_cache(maxsize=1)
def data_dir() -> Path:
    """Return the folder that holds ``catalog.csv``, texts, annotations and lexicons."""
    tried = _candidates()
    for candidate in tried:
        if (candidate / "catalog.csv").is_file():
            return candidate
    listing = "\n".join(f"  - {path}" for path in tried)
    raise DataNotFoundError(
        "medialit could not find its data folder (a folder with catalog.csv). "
        f"It looked in:\n{listing}\n"
        "Reinstall medialit (`make lab`, or `pip install -e .` in the repository)."
    )
