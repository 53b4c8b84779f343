"""A small pool of long-lived worker processes that run one task per item, with a deadline.

Each worker is forked, runs in its own process group (so a stuck item is stopped with everything
it started) and dies with its parent: ``prctl(PR_SET_PDEATHSIG, SIGKILL)`` on Linux, and, on every
system, a check of ``os.getppid()`` while it waits for work. A worker that crashes or passes the
deadline is reported as a failed item and replaced; the other items go on.

>>> pool = WorkerPool(lambda item: {"status": "graded", "double": 2 * item}, size=2)
>>> done = {}
>>> pool.run([1, 2, 3], lambda item, outcome: done.update({item: outcome["double"]}))
>>> pool.close()
[]
>>> sorted(done.items())
[(1, 2), (2, 4), (3, 6)]
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import time
from multiprocessing.connection import wait
from typing import Any, Callable

__all__ = ["WorkerPool", "die_with_parent"]

#: How often (seconds) an idle worker checks that its parent still lives.
IDLE_CHECK = 0.5


def die_with_parent(parent_pid: int) -> None:
    """Make the kernel kill this process (SIGKILL) when its parent dies; exit now if it already has."""
    if sys.platform.startswith("linux"):
        import ctypes

        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # 1 = PR_SET_PDEATHSIG
        except (OSError, AttributeError):  # pragma: no cover - no prctl: the getppid check remains
            pass
    if os.getppid() != parent_pid:  # the parent died before prctl took effect
        _kill_everything()


def _children_groups() -> set[int]:
    """Process groups of this process's children (a Jupyter kernel starts its own session)."""
    groups = set()
    me = str(os.getpid())
    try:
        entries = os.listdir("/proc")
    except OSError:
        return groups
    for entry in entries:
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as handle:
                fields = handle.read().rsplit(b")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if fields[1].decode() == me:  # fields: state, ppid, pgrp, ...
            groups.add(int(fields[2]))
    return groups


def _kill_everything() -> None:
    """Kill this worker's children's groups and its own process group (itself included)."""
    for group in _children_groups() - {os.getpgrp()}:
        try:
            os.killpg(group, signal.SIGKILL)
        except OSError:
            pass
    try:
        os.killpg(os.getpgrp(), signal.SIGKILL)
    finally:
        os._exit(1)


def _worker_main(task: Callable[[Any], dict], conn, parent_pid: int, others: list, setup) -> None:
    os.setsid()  # its own process group, so that a stuck item can be stopped with what it started
    die_with_parent(parent_pid)
    for other in others:  # the parent's ends of every pipe: a dead parent must mean EOF here
        other.close()
    if setup is not None:
        setup()
    while True:
        while not conn.poll(IDLE_CHECK):
            if os.getppid() != parent_pid:
                _kill_everything()
        try:
            item = conn.recv()
        except EOFError:
            _kill_everything()
        if item is None:
            break
        conn.send(task(item))


class WorkerPool:
    """``run(items, on_result)`` calls ``task(item)`` in up to ``size`` worker processes.

    ``on_result(item, outcome)`` is called in the parent for every item: the task's dict, or
    ``{"status": "failed", "error": ..., "stopped": True}`` when the worker crashed or ran past
    ``deadline`` seconds. ``close()`` stops the workers and returns the items still running.
    """

    def __init__(self, task: Callable[[Any], dict], size: int, deadline: float = float("inf"),
                 setup: Callable[[], None] | None = None) -> None:
        self.task, self.size, self.deadline, self.setup = task, max(1, size), deadline, setup
        self.context = multiprocessing.get_context("fork")
        self.busy: dict[Any, tuple[Any, Any, float]] = {}  # connection -> (process, item or None, since)
        self.queue: list = []

    # -- workers
    def _start(self):
        parent_end, child_end = self.context.Pipe()
        others = [parent_end, *self.busy]
        process = self.context.Process(target=_worker_main, daemon=True,
                                       args=(self.task, child_end, os.getpid(), others, self.setup))
        process.start()
        child_end.close()
        self.busy[parent_end] = (process, None, 0.0)
        return parent_end

    @staticmethod
    def _stop(process) -> None:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            process.kill()
        process.join(5)

    def _assign(self, conn) -> None:
        process = self.busy[conn][0]
        if self.queue:
            item = self.queue.pop(0)
            conn.send(item)
            self.busy[conn] = (process, item, time.monotonic())
        else:
            self.busy[conn] = (process, None, 0.0)

    def _replace(self, conn, process) -> None:
        del self.busy[conn]
        self._stop(process)
        if self.queue:
            self._assign(self._start())

    # -- the loop
    def run(self, items: list, on_result: Callable[[Any, dict], None]) -> None:
        self.queue = list(items)
        for _ in range(min(self.size, len(self.queue)) - len(self.busy)):
            self._assign(self._start())
        for conn, (_, item, _) in list(self.busy.items()):
            if item is None:
                self._assign(conn)
        while any(item is not None for _, item, _ in self.busy.values()):
            for conn in wait(list(self.busy), timeout=1.0):
                process, item, since = self.busy[conn]
                try:
                    outcome = conn.recv()
                except (EOFError, OSError):  # the worker died (a crash outside the task's control)
                    self._replace(conn, process)
                    if item is not None:
                        on_result(item, {"status": "failed", "stopped": True, "seconds": time.monotonic() - since,
                                         "error": "the grading process stopped unexpectedly "
                                                  f"(exit code {process.exitcode})"})
                    continue
                self._assign(conn)
                on_result(item, outcome)
            now = time.monotonic()
            for conn, (process, item, since) in list(self.busy.items()):
                if item is not None and now - since > self.deadline:
                    self._replace(conn, process)
                    on_result(item, {"status": "failed", "stopped": True, "seconds": now - since,
                                     "error": f"stopped after {self.deadline:g} s (for example, code that ignores "
                                              "interrupts); not graded"})

    def close(self, graceful: bool = True) -> list:
        """Stop every worker (idle ones politely if ``graceful``); return the items they were running."""
        unfinished = []
        for conn, (process, item, _) in list(self.busy.items()):
            if item is None and graceful:
                try:
                    conn.send(None)
                except OSError:
                    pass
                process.join(10)
            if process.is_alive():
                self._stop(process)
            if item is not None:
                unfinished.append(item)
            conn.close()
        self.busy.clear()
        return unfinished
