"""One ``medialit grade`` run per lesson at a time: an exclusive, non-blocking ``flock``.

The lock belongs to an open file, so the kernel releases it when the process that holds it dies,
however it dies (``kill -9`` included): a stale lock file never blocks the next run. The file
records who holds it (pid, start time) so that a second run can say so.

>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "grade.lock"
>>> with RunLock(path, "00-orientation"):  # doctest: +ELLIPSIS
...     RunLock(path, "00-orientation").acquire()
Traceback (most recent call last):
...
medialit._lock.LockedError: Another `medialit grade 00-orientation` is running ...
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

__all__ = ["RunLock", "LockedError"]

#: File descriptors of the locks this process holds; a forked child closes its copies (closing
#: a copy does not release the lock, but then only the holder keeps it alive).
_HELD: set[int] = set()


def _close_in_child() -> None:
    for fd in list(_HELD):
        try:
            os.close(fd)
        except OSError:
            pass
    _HELD.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_close_in_child)


class LockedError(ValueError):
    """Another run holds the lock; the message names it and says what to do."""


class RunLock:
    """``with RunLock(path, lesson):`` holds an exclusive lock on ``path`` or raises ``LockedError``."""

    def __init__(self, path: Path, lesson: str) -> None:
        self.path = Path(path)
        self.lesson = lesson
        self.fd: int | None = None

    def acquire(self) -> "RunLock":
        if sys.platform == "win32":  # pragma: no cover - the course runs on Linux and macOS
            return self
        import fcntl

        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _read_holder(fd)
            os.close(fd)
            raise LockedError(
                f"Another `medialit grade {self.lesson}` is running (pid {holder.get('pid', '?')}, started "
                f"{holder.get('started', '?')}; lock {self.path}). Wait for it to finish, or stop it "
                f"(kill {holder.get('pid', 'PID')}) and run the command again.") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, (json.dumps({"pid": os.getpid(), "started": time.strftime("%Y-%m-%d %H:%M:%S")}) + "\n")
                  .encode(), 0)
        os.fsync(fd)
        self.fd = fd
        _HELD.add(fd)
        return self

    def release(self) -> None:
        if self.fd is None:
            return
        import fcntl

        _HELD.discard(self.fd)
        fcntl.flock(self.fd, fcntl.LOCK_UN)
        os.close(self.fd)
        self.fd = None

    def __enter__(self) -> "RunLock":
        return self.acquire()

    def __exit__(self, *exc) -> None:
        self.release()


def _read_holder(fd: int) -> dict:
    try:
        data = json.loads(os.pread(fd, 4096, 0).decode("utf-8", "replace") or "{}")
        return data if isinstance(data, dict) else {}
    except ValueError:
        return {}
