"""The files a class hub is made of, rendered from the package's templates (no side effects).

>>> from medialit.hub.config import HubConfig
>>> from medialit.hub.roster import Student
>>> files = render_files(HubConfig.from_dict({"instructors": ["ada"]}), [Student("s-001")])
>>> sorted(str(p) for p in files)[:2]
['/srv/medialit-hub-student-config/jupyter_server_config.json', '/srv/medialit-hub-student-config/labconfig/page_config.json']
>>> "ClassAuthenticator" in files[Path("/srv/medialit-hub/jupyterhub_config.py")].text
True
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from .config import HubConfig
from .roster import Student

__all__ = ["HubFile", "render_files", "render_template", "student_files", "course_config_addition"]


@dataclass(frozen=True)
class HubFile:
    """A file to write: its text, its mode, and whether every account may read it."""

    text: str
    mode: int


def _environment():
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("medialit.hub", "templates"),
        # the templates are Python and JSON, not HTML: values are written as Python literals
        # through the ``py`` filter (repr), never pasted in as raw text
        autoescape=jinja2.select_autoescape(enabled_extensions=("html", "xml")),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    env.filters["py"] = _py_literal
    return env


def _py_literal(value) -> str:
    """A Python literal for a template value (strings, numbers, lists, dicts)."""
    if isinstance(value, (tuple, set, frozenset)):
        value = sorted(value)
    return repr(value)


def _context(config: HubConfig, students: Iterable[Student]) -> dict:
    context = {name: getattr(config, name) for name in config.__dataclass_fields__}
    context.update(
        student_list=sorted(s.id for s in students),
        staff_list=sorted(config.staff),
        instructor_list=sorted(config.instructors),
        student_config=str(config.student_config),
    )
    return context


def render_template(name: str, config: HubConfig, students: Iterable[Student] = ()) -> str:
    """One template of ``medialit/hub/templates`` rendered for this class."""
    return _environment().get_template(name).render(**_context(config, list(students)))


def course_config_addition(config: HubConfig) -> str:
    """The lines added to the course folder's ``nbgrader_config.py`` (course id, exchange)."""
    return render_template("course_nbgrader_config.py.j2", config)


def render_files(config: HubConfig, students: Iterable[Student]) -> dict[Path, HubFile]:
    """Every file of the hub's configuration, by absolute path: the hub's own (root only) and
    the settings every student server starts with (world-readable, no secrets)."""
    students = list(students)
    state = Path(config.state_dir)
    return {state / "jupyterhub_config.py": HubFile(render_template("jupyterhub_config.py.j2", config, students), 0o600),
            **student_files(config, config.student_config)}


def student_files(config: HubConfig, folder: Path) -> dict[Path, HubFile]:
    """The Jupyter settings of every student server (a folder on ``JUPYTER_CONFIG_PATH``, or
    ``/etc/jupyter`` in the Kubernetes image): the exchange, and formgrader, the course list and
    the create-assignment tools switched off (server and JupyterLab extensions).

    They are the self-study lab's settings (``medialit/student_lab``, one source) with the
    Assignments tab switched on, since a hub has an exchange.
    """
    import json

    from ..workspace import STUDENT_LAB

    server = json.loads((STUDENT_LAB / "jupyter_server_config.json").read_text(encoding="utf-8"))
    server["ServerApp"]["jpserver_extensions"]["nbgrader.server_extensions.assignment_list"] = True
    page = json.loads((STUDENT_LAB / "page_config.json").read_text(encoding="utf-8"))
    page["disabledExtensions"].pop("@jupyter/nbgrader:assignment-list", None)
    folder = Path(folder)
    return {
        folder / "nbgrader_config.py": HubFile(render_template("student_nbgrader_config.py.j2", config), 0o644),
        folder / "jupyter_server_config.json": HubFile(json.dumps(server, indent=2) + "\n", 0o644),
        folder / "labconfig" / "page_config.json": HubFile(json.dumps(page, indent=2) + "\n", 0o644),
    }
