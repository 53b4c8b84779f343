"""A throwaway class on 127.0.0.1 for tests and benchmarks (root): made, run, and removed.

:func:`trial_class` runs ``medialit hub init`` with a class of its own (unique account names,
free ports, every folder in a fresh temporary folder), starts the hub from the shared
environment, and on leaving stops the hub, ends by process id whatever of its accounts still
runs, deletes the accounts (``userdel --remove``) and the folder. It never touches another class.

>>> trial_names(["alice", "bob"], tag="mlh1")
{'instructor': 'mlh1-inst', 'alice': 'mlh1-alice', 'bob': 'mlh1-bob'}
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Sequence

from .client import Hub

__all__ = ["Trial", "trial_class", "trial_names", "processes_of", "refresh_env"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def trial_names(students: Sequence[str], tag: str) -> dict[str, str]:
    """Account names of a trial class: ``<tag>-inst`` and ``<tag>-<student>``."""
    return {"instructor": f"{tag}-inst", **{s: f"{tag}-{s}" for s in students}}


def processes_of(uids: set[int]) -> list[int]:
    """Process ids of every process owned by one of ``uids``."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                if os.stat(f"/proc/{entry}").st_uid in uids:
                    found.append(int(entry))
            except OSError:
                continue
    return found


@dataclass
class Trial:
    """A running trial class."""

    hub: Hub
    names: dict[str, str]
    base: Path
    config: Path
    course_id: str
    course_account: str
    course_dir: Path
    log: Path
    hub_pid: int


def _wait_for_hub(url: str, seconds: float, process: subprocess.Popen, log: Path) -> None:
    import requests

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the hub exited with {process.returncode}:\n{log.read_text(errors='replace')[-5000:]}")
        try:
            reply = requests.get(url, timeout=2)
            if reply.status_code == 200 and "version" in reply.text:
                return
        except requests.RequestException:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer within {seconds:.0f} s:\n{log.read_text(errors='replace')[-5000:]}")


@contextlib.contextmanager
def trial_class(students: Sequence[str], hub_env: str | Path, lessons_from: str | Path, *,
                tag: str | None = None, idle_timeout: int = 600) -> Iterator[Trial]:
    """Make and start a class of ``students`` (short labels) with one instructor; remove it on leaving."""
    if os.geteuid() != 0:
        raise PermissionError("a trial class creates Unix accounts: run as root")
    hub_env = Path(hub_env)
    tag = tag or f"mlh{os.getpid() % 100000}"
    names = trial_names(students, tag)
    base = Path(tempfile.mkdtemp(prefix="medialit-hub-trial-"))
    base.chmod(0o755)  # the exchange and the students' settings live below; every account passes through
    port, course_id = _free_port(), tag
    config = base / "class.toml"
    config.write_text("\n".join([
        f'course_id = "{course_id}"', f'instructors = ["{names["instructor"]}"]',
        f'exchange = "{base / "exchange"}"', f'state_dir = "{base / "hub"}"', f'hub_env = "{hub_env}"',
        f'bind_url = "http://127.0.0.1:{port}"', f"hub_port = {_free_port()}",
        f"proxy_api_port = {_free_port()}", f"formgrader_port = {_free_port()}", f"idle_timeout = {idle_timeout}",
    ]) + "\n")
    roster = base / "roster.csv"
    roster.write_text("id,first_name,last_name\n" + "".join(f"{names[s]},{s.title()},Trial\n" for s in students))
    course_account = f"grader-{course_id}"
    accounts = [course_account, *names.values()]
    log = base / "hub.log"
    process = None
    try:
        init = subprocess.run([sys.executable, "-m", "medialit", "hub", "init", str(config), "--roster", str(roster),
                               "--lessons", str(lessons_from)], capture_output=True, text=True)
        if init.returncode != 0:
            raise RuntimeError(f"medialit hub init failed:\n{init.stdout}\n{init.stderr}")
        with open(log, "wb") as out:
            process = subprocess.Popen([str(hub_env / "bin" / "jupyterhub"), "-f",
                                        str(base / "hub" / "jupyterhub_config.py")], cwd=base / "hub", stdout=out,
                                       stderr=subprocess.STDOUT, start_new_session=True)
        _wait_for_hub(f"http://127.0.0.1:{port}/hub/api/", 180, process, log)
        yield Trial(Hub(f"http://127.0.0.1:{port}"), names, base, config, course_id, course_account,
                    Path(pwd.getpwnam(course_account).pw_dir) / "course", log, process.pid)
    finally:
        _stop(process)
        uids = set()
        for name in accounts:
            with contextlib.suppress(KeyError):
                uids.add(pwd.getpwnam(name).pw_uid)
        deadline = time.monotonic() + 10  # the servers' kernels may take a moment to end after the hub
        while processes_of(uids) and time.monotonic() < deadline:
            time.sleep(0.5)
        from .provision import remove_accounts

        remove_accounts(accounts)  # ends, by process id, whatever of these accounts still runs
        subprocess.run(["groupdel", f"formgrade-{course_id}"], capture_output=True)
        shutil.rmtree(base, ignore_errors=True)
        left = processes_of(uids)
        if left:
            raise RuntimeError(f"processes of the trial's accounts outlived it: {left}")


def _stop(process: subprocess.Popen | None) -> None:
    if process is None:
        return
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)  # the hub stops the servers and services it started
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)  # the proxy, if the hub left it (its own process group)


def _source_hash(source: Path) -> str:
    import hashlib

    digest = hashlib.sha256()
    for folder in ("toolkit", "datasets"):
        for path in sorted((source / folder).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(source)).encode() + b"\0" + path.read_bytes())
    digest.update((source / "pyproject.toml").read_bytes())
    return digest.hexdigest()


def refresh_env(hub_env: str | Path, source: str | Path) -> bool:
    """Install the checkout ``source``'s medialit into the shared environment, offline (no
    dependencies, no build isolation), unless that exact source is already there; True if it
    installed. The hub then runs the code under test."""
    import fcntl

    hub_env, source = Path(hub_env), Path(source)
    stamp = hub_env / ".medialit-source"
    wanted = _source_hash(source)
    with open(Path(tempfile.gettempdir()) / "medialit-hub-env.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if stamp.is_file() and stamp.read_text() == wanted:
            return False
        result = subprocess.run([str(hub_env / "bin" / "python"), "-m", "pip", "install", "--quiet", "--no-deps",
                                 "--no-index", "--no-build-isolation", "--force-reinstall", str(source)],
                                capture_output=True, text=True)
        if result.returncode != 0:
            raise RuntimeError(f"could not install medialit into {hub_env}:\n{result.stderr[-3000:]}")
        subprocess.run(["chmod", "-R", "a+rX", str(hub_env)], check=True)
        stamp.write_text(wanted)
    return True
