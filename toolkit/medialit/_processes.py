"""Processes by user id, read from ``/proc``: used to end what a sandbox user or a deleted hub
account left running (by process id, so nothing else is touched).

>>> processes_of(-1)
[]
"""

from __future__ import annotations

import os
import signal
import time

__all__ = ["processes_of", "end_processes_of"]


def processes_of(uid: int) -> list[int]:
    """The ids of the processes whose real user id is ``uid``."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/status", encoding="ascii", errors="replace") as handle:
                for line in handle:
                    if line.startswith("Uid:"):
                        if int(line.split()[1]) == uid:
                            found.append(int(entry))
                        break
        except (OSError, ValueError, IndexError):
            continue
    return found


def end_processes_of(uid: int, seconds: float = 10.0) -> None:
    """Kill every process of ``uid`` and wait (up to ``seconds``) until they are gone: a fork bomb
    keeps making new ones for a moment."""
    deadline = time.monotonic() + seconds
    while True:
        pids = processes_of(uid)
        if not pids or time.monotonic() > deadline:
            return
        for pid in pids:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        time.sleep(0.05)
