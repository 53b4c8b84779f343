"""One progress bar on standard error (tqdm), for the commands that loop over many items.

A :class:`ProgressBar` is called as ``bar(done, total, name, note="")`` by code that reports
progress without knowing how it is shown (``grade``, ``evaluate --ptc``, ``analyze FOLDER``); it
draws ``[#####-----] 2/4 (note) name`` and ends the line when ``done == total``.

>>> import io
>>> out = io.StringIO()
>>> bar = ProgressBar(file=out)
>>> bar(1, 2, "a.txt"); bar(2, 2, "b.txt", note="0 failed")
>>> "2/2" in out.getvalue() and "[####" in out.getvalue() and out.getvalue().endswith("\\n")
True
"""

from __future__ import annotations

import sys
from typing import IO

from tqdm import tqdm

__all__ = ["ProgressBar"]


class ProgressBar:
    """A text progress bar fed with ``(done, total, name, note)``; one bar per run of items."""

    def __init__(self, width: int = 40, file: IO[str] | None = None) -> None:
        self.width = width
        self.file = file
        self._bar: tqdm | None = None

    def __call__(self, done: int, total: int, name: str, note: str = "") -> None:
        if self._bar is None or self._bar.total != total:
            self.close()
            self._bar = tqdm(total=total, file=self.file or sys.stderr, ascii="-#", dynamic_ncols=False,
                             bar_format="[{bar:24}] {n_fmt}/{total_fmt} {desc}", leave=True, mininterval=0)
        note = f"({note}) " if note else ""
        self._bar.set_description_str(f"{note}{name[:self.width]:<{self.width}}", refresh=False)
        self._bar.update(done - self._bar.n)
        if done >= total:
            self.close()

    def close(self) -> None:
        """End the bar's line (also when a run stops early)."""
        if self._bar is not None:
            self._bar.close()
            self._bar = None
