"""Run the class hub and grade on it.

``medialit hub up`` starts JupyterHub from the shared environment with the class's
configuration (as root: the hub starts each student's server as that student).
``medialit hub grade`` grades the collected submissions with ``medialit grade``, as root, so
that every kernel runs in the sandbox as an unprivileged user of its own; then it hands the
course folder back to the course account, so that formgrader (which runs as that account) can
read and write the gradebook, the autograded notebooks and the reports.

>>> from medialit.hub.config import HubConfig
>>> hub_command(HubConfig.from_dict({"instructors": ["ada"]}))[:2]
['/opt/medialit-hub/bin/jupyterhub', '-f']
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from .config import HubConfig
from .provision import HubSetupError

__all__ = ["hub_command", "check_ready", "grade_on_hub", "give_back"]


def hub_command(config: HubConfig) -> list[str]:
    """The command that starts the hub."""
    return [str(Path(config.hub_env) / "bin" / "jupyterhub"), "-f",
            str(Path(config.state_dir) / "jupyterhub_config.py")]


def check_ready(config: HubConfig) -> list[str]:
    """What is missing before the hub can start (empty when it can), each with what to do."""
    problems = []
    if os.geteuid() != 0:
        problems.append("the hub starts every student's server as that student: run it as root (sudo)")
    if not (Path(config.hub_env) / "bin" / "jupyterhub-singleuser").is_file():
        problems.append(f"{config.hub_env} has no JupyterHub: build the shared environment with `make hub-env "
                        f"HUB_ENV={config.hub_env}`")
    if shutil.which("configurable-http-proxy") is None:
        problems.append("configurable-http-proxy is not installed: apt-get install nodejs npm && "
                        "npm install -g configurable-http-proxy")
    if not (Path(config.state_dir) / "jupyterhub_config.py").is_file():
        problems.append(f"{config.state_dir}/jupyterhub_config.py does not exist: run `medialit hub init` first")
    return problems


def grade_on_hub(config: HubConfig, lesson: str, **options):
    """``medialit grade`` on the course folder, as root, then the folder handed back."""
    from ..grade import grade

    if os.geteuid() != 0:
        raise HubSetupError("grading on the hub runs each kernel as an unprivileged user of its own: run "
                            "`sudo medialit hub grade` (root)")
    try:
        return grade(lesson, config.course_dir, **options)
    finally:
        give_back(Path(config.course_dir), config.course_account)


def give_back(course: Path, account: str) -> int:
    """Make every file in ``course`` that root made belong to ``account``; returns how many."""
    import pwd

    entry = pwd.getpwnam(account)
    changed = 0
    for folder, dirs, files in os.walk(course):
        for name in [*dirs, *files, ""]:
            path = os.path.join(folder, name) if name else folder
            try:
                if os.lstat(path).st_uid == 0:
                    os.lchown(path, entry.pw_uid, entry.pw_gid)
                    changed += 1
            except OSError:
                continue
    return changed
