"""Set up a class on this machine (as root): accounts, the exchange, the course folder, the hub's files.

:func:`provision` does it in order, each step safe to repeat (``medialit hub init`` runs it; a
new roster runs it again and only adds what is missing). Commands go through a
:class:`Runner`; :class:`DryRun` records them instead, so the plan can be shown and tested:

>>> from medialit.hub.config import HubConfig
>>> from medialit.hub.roster import Student
>>> dry = DryRun()
>>> _ = provision(HubConfig.from_dict({"instructors": ["ada"]}), [Student("s-001")], None, runner=dry)
>>> dry.commands[0]
['useradd', '--create-home', '--user-group', '--shell', '/bin/bash', 'grader-medialit']

What the operating system enforces (docs/hub.md, "Who can read what"):

* every account's home is private (0700): students cannot read each other's work, and nobody
  but the course account (and root) reads the course folder with the lesson sources;
* the exchange root is 1777 as nbgrader requires (0777) plus the sticky bit; the course's own
  folder in it is made here, owned by the course account, before any student can squat it:
  ``outbound`` 0755 (released lessons, readable by all), ``inbound`` 2733 (students can drop a
  submission in but cannot list it; nbgrader names each submission with a random suffix),
  ``feedback`` 0711 (a student reads only the feedback whose name they know: their own).
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Protocol, Sequence

from .._processes import end_processes_of
from .config import HubConfig
from .render import HubFile, course_config_addition, render_files
from .roster import Student

__all__ = ["Runner", "SystemRunner", "DryRun", "provision", "remove_accounts", "EXCHANGE_MODES", "HubSetupError"]

#: Modes of the course's folders in the exchange (nbgrader's own choices, made before release).
EXCHANGE_MODES = {"": 0o755, "outbound": 0o755, "inbound": 0o2733, "feedback": 0o711}


class HubSetupError(RuntimeError):
    """A step of the set-up failed; the message names the step and what to do."""


class Runner(Protocol):
    """Carries out the set-up's commands and file operations."""

    def run(self, command: Sequence[str]) -> None: ...
    def account_exists(self, name: str) -> bool: ...
    def write(self, path: Path, file: HubFile, owner: str | None = None) -> None: ...
    def mkdir(self, path: Path, mode: int, owner: str | None = None) -> None: ...
    def copy_tree(self, source: Path, dest: Path, owner: str) -> None: ...


class SystemRunner:
    """Runs the commands for real (root only)."""

    def run(self, command: Sequence[str]) -> None:
        result = subprocess.run(list(command), capture_output=True, text=True)
        if result.returncode != 0:
            raise HubSetupError(f"`{' '.join(command)}` failed ({result.returncode}): "
                                f"{(result.stderr or result.stdout).strip()[-500:]}")

    def account_exists(self, name: str) -> bool:
        try:
            pwd.getpwnam(name)
        except KeyError:
            return False
        return True

    def write(self, path: Path, file: HubFile, owner: str | None = None) -> None:
        from .._atomic import write_text_atomic

        path.parent.mkdir(parents=True, exist_ok=True)
        write_text_atomic(path, file.text)
        os.chmod(path, file.mode)
        if owner:
            shutil.chown(path, owner, owner)

    def mkdir(self, path: Path, mode: int, owner: str | None = None) -> None:
        path.mkdir(parents=True, exist_ok=True)
        if owner:
            shutil.chown(path, owner, owner)
        os.chmod(path, mode)

    def copy_tree(self, source: Path, dest: Path, owner: str) -> None:
        shutil.copytree(source, dest, dirs_exist_ok=True,
                        ignore=shutil.ignore_patterns("answers", ".ipynb_checkpoints", "__pycache__"))
        for folder, _dirs, files in os.walk(dest):
            shutil.chown(folder, owner, owner)
            for name in files:
                shutil.chown(os.path.join(folder, name), owner, owner)


@dataclass
class DryRun:
    """Records what :class:`SystemRunner` would do (``medialit hub init --dry-run``)."""

    commands: list[list[str]] = field(default_factory=list)
    existing: set[str] = field(default_factory=set)

    def run(self, command: Sequence[str]) -> None:
        self.commands.append(list(command))

    def account_exists(self, name: str) -> bool:
        return name in self.existing

    def write(self, path: Path, file: HubFile, owner: str | None = None) -> None:
        self.commands.append(["write", str(path), oct(file.mode), owner or "root"])

    def mkdir(self, path: Path, mode: int, owner: str | None = None) -> None:
        self.commands.append(["mkdir", str(path), oct(mode), owner or "root"])

    def copy_tree(self, source: Path, dest: Path, owner: str) -> None:
        self.commands.append(["copy", str(source), str(dest), owner])


def _ensure_account(runner: Runner, name: str) -> bool:
    if runner.account_exists(name):
        return False
    runner.run(["useradd", "--create-home", "--user-group", "--shell", "/bin/bash", name])
    return True


def provision(config: HubConfig, students: Iterable[Student], lessons_from: Path | None,
              runner: Runner | None = None) -> list[str]:
    """Set up (or bring up to date) the class; returns what was done, one line each.

    ``lessons_from`` is a checkout of this repository (its ``lessons/``, ``references/`` and
    ``nbgrader_config.py`` are copied into the course folder), or None to leave the course folder's
    lessons as they are.
    """
    runner = runner or SystemRunner()
    if isinstance(runner, SystemRunner) and os.geteuid() != 0:
        raise HubSetupError("`medialit hub init` creates accounts and folders: run it as root (sudo)")
    students = list(students)
    clash = {s.id for s in students} & set(config.staff + (config.course_account,))
    if clash:
        raise HubSetupError(f"{sorted(clash)[0]!r} is on the roster and among the staff or the course account; "
                            "an account is either a student's or staff")
    done: list[str] = []
    for name in (config.course_account, *config.staff, *(s.id for s in students)):
        if _ensure_account(runner, name):
            done.append(f"account {name} created")
        runner.run(["chmod", "0700", f"/home/{name}" if isinstance(runner, DryRun) else _home(name)])
    account = config.course_account

    # the exchange: root 1777; the course's folder owned by the course account, made before release
    runner.mkdir(Path(config.exchange), 0o1777)
    for sub, mode in EXCHANGE_MODES.items():
        runner.mkdir(config.exchange_course / sub if sub else config.exchange_course, mode, owner=account)
    done.append(f"exchange {config.exchange_course} (outbound 0755, inbound 2733, feedback 0711)")

    # the course folder, private to the course account
    course = Path(config.course_dir)
    runner.mkdir(course, 0o700, owner=account)
    if lessons_from is not None:
        lessons_from = Path(lessons_from)
        for name in ("lessons", "references"):
            if not (lessons_from / name).is_dir() and not isinstance(runner, DryRun):
                raise HubSetupError(f"{lessons_from} has no {name}/ folder: pass --lessons a checkout of medialit")
            runner.copy_tree(lessons_from / name, course / name, owner=account)
        base = (lessons_from / "nbgrader_config.py")
        text = base.read_text(encoding="utf-8") if base.is_file() else ""
        runner.write(course / "nbgrader_config.py", HubFile(text + course_config_addition(config), 0o600), owner=account)
        done.append(f"course folder {course}: lessons, references and nbgrader_config.py from {lessons_from}")

    # the hub's files: its configuration (root only) and the student servers' settings
    runner.mkdir(Path(config.state_dir), 0o700)
    runner.mkdir(config.student_config, 0o755)
    runner.mkdir(config.student_config / "labconfig", 0o755)
    for path, file in render_files(config, students).items():
        runner.write(path, file)
    done.append(f"hub configuration {Path(config.state_dir) / 'jupyterhub_config.py'}")

    # the students in the gradebook (as the course account, with nbgrader's own command)
    if students and (lessons_from is not None or (course / "nbgrader_config.py").is_file()):
        roster = course / ".roster.csv"
        runner.write(roster, HubFile(_roster_csv(students), 0o600), owner=account)
        runner.run(["runuser", "-u", account, "--", "env", f"HOME={_home(account)}",
                    f"PATH={Path(config.hub_env) / 'bin'}:/usr/bin:/bin", "sh", "-c",
                    'cd "$0" && exec "$1" -m nbgrader db student import "$2"', str(course), config.python, str(roster)])
        done.append(f"{len(students)} students in the gradebook")
    return done


def _roster_csv(students: list[Student]) -> str:
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["id", "first_name", "last_name", "email"])
    writer.writerows([s.id, s.first_name, s.last_name, s.email] for s in students)
    return out.getvalue()


def _home(name: str) -> str:
    try:
        return pwd.getpwnam(name).pw_dir
    except KeyError:
        return f"/home/{name}"


def remove_accounts(names: Iterable[str], runner: Runner | None = None) -> list[str]:
    """Delete accounts and their homes (``userdel --remove``), ending their processes first."""
    runner = runner or SystemRunner()
    removed = []
    for name in names:
        if not runner.account_exists(name):
            continue
        end_processes_of(pwd.getpwnam(name).pw_uid, seconds=5.0)  # an account about to be deleted
        runner.run(["userdel", "--remove", name])
        removed.append(name)
    return removed


