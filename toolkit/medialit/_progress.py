"""One text progress bar on standard error, shared by the commands that loop over many items."""

from __future__ import annotations

import sys


def progress_bar(done: int, total: int, name: str, note: str = "", width: int = 40) -> None:
    """Redraw ``[#####---] done/total (note) name`` on stderr; end the line when done == total."""
    filled = int(24 * done / max(1, total))
    note = f"({note}) " if note else ""
    sys.stderr.write(f"\r[{'#' * filled}{'-' * (24 - filled)}] {done}/{total} {note}{name[:width]:<{width}}")
    if done == total:
        sys.stderr.write("\n")
    sys.stderr.flush()
