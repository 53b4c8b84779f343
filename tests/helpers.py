"""Helpers shared by the tests that run nbgrader or servers."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path


def free_port() -> int:
    """A free TCP port on localhost."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def nbgrader_env(**extra: str) -> dict[str, str]:
    """The environment for an nbgrader run: this Python's scripts first on PATH (nbgrader runs
    `alembic`), and no MEDIALIT_ANSWERS_DIR, so widgets save beside the notebook as in a course."""
    env = dict(os.environ, PATH=os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]))
    env.pop("MEDIALIT_ANSWERS_DIR", None)
    env.update(extra)
    return env


def nbgrader(cwd: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """Run `python -m nbgrader ARGS` in ``cwd`` and return the finished process (not checked)."""
    return subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=cwd, env=env or nbgrader_env(),
                          capture_output=True, text=True)
