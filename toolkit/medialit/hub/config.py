"""The class's hub settings: one TOML file, read and checked once (``medialit hub init CONFIG``).

>>> cfg = HubConfig.from_dict({"course_id": "medialit", "instructors": ["ada"]})
>>> cfg.course_account, cfg.exchange_course
('grader-medialit', PosixPath('/srv/nbgrader/exchange/medialit'))
>>> HubConfig.from_dict({"instructors": ["ada"], "colour": "red"})  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
ValueError: hub config: unknown setting 'colour'; valid settings: authenticator, bind_url, ...
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

__all__ = ["HubConfig", "USERNAME", "check_username", "load_config"]

#: A Unix account name that is also a safe JupyterHub user name (lower case, no dots).
USERNAME = re.compile(r"^[a-z_][a-z0-9_-]{0,31}$")

#: The authenticators medialit writes a configuration for.
AUTHENTICATORS = ("native", "lti13")


def check_username(name: str, where: str = "") -> str:
    """``name`` if it can be both a Unix account and a hub user, else a ValueError saying why.

    >>> check_username("s-0042")
    's-0042'
    >>> check_username("Ada.L")
    Traceback (most recent call last):
    ...
    ValueError: 'Ada.L' cannot be an account name: use 1-32 of a-z, 0-9, '_' and '-', starting with a letter or '_'
    """
    if not USERNAME.match(name or ""):
        raise ValueError(f"{where}{name!r} cannot be an account name: use 1-32 of a-z, 0-9, '_' and '-', "
                         "starting with a letter or '_'")
    return name


@dataclass(frozen=True)
class HubConfig:
    """Every setting of a class hub, with its default. The TOML file holds the same keys.

    Paths: ``state_dir`` (root only, 0700) holds jupyterhub_config.py, the hub database, the
    cookie secret and the proxy token; ``student_config`` (world-readable) the Jupyter settings
    every student server starts with; ``hub_env`` is the Python environment every account runs
    (``make hub-env``); ``exchange`` is nbgrader's exchange.
    """

    instructors: tuple[str, ...]
    course_id: str = "medialit"
    teaching_assistants: tuple[str, ...] = ()
    course_account: str = ""  # default: grader-<course_id>
    course_dir: str = ""  # default: /home/<course_account>/course
    exchange: str = "/srv/nbgrader/exchange"
    state_dir: str = "/srv/medialit-hub"
    hub_env: str = "/opt/medialit-hub"
    bind_url: str = "http://0.0.0.0:8000"
    hub_port: int = 8081  # the hub's internal API (loopback)
    proxy_api_port: int = 8001  # configurable-http-proxy's API (loopback)
    formgrader_port: int = 9999  # the formgrader service (loopback)
    authenticator: str = "native"
    idle_timeout: int = 3600  # seconds before an idle server is stopped (the culler)
    cull_every: int = 300  # seconds between the culler's checks
    ssl_cert: str = ""
    ssl_key: str = ""
    mem_limit: str = "2G"  # per student (enforced by Kubernetes; see docs/hub.md on one machine)
    lti13: dict = field(default_factory=dict)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "HubConfig":
        names = [f.name for f in fields(cls)]
        unknown = sorted(set(data) - set(names))
        if unknown:
            raise ValueError(f"hub config: unknown setting {unknown[0]!r}; valid settings: {', '.join(sorted(names))}")
        values = dict(data)
        if not values.get("instructors"):
            raise ValueError("hub config: 'instructors' is missing: list at least one instructor's account name")
        for key in ("instructors", "teaching_assistants"):
            values[key] = tuple(check_username(str(n), f"hub config: {key}: ") for n in values.get(key, ()))
        check_username(str(values.get("course_id", cls.course_id)), "hub config: course_id: ")
        if values.get("authenticator", "native") not in AUTHENTICATORS:
            raise ValueError(f"hub config: authenticator {values['authenticator']!r} is not known; "
                             f"valid: {', '.join(AUTHENTICATORS)}")
        if bool(values.get("ssl_cert")) != bool(values.get("ssl_key")):
            raise ValueError("hub config: give both ssl_cert and ssl_key (HTTPS), or neither (a proxy in front "
                             "terminates HTTPS)")
        if values.get("authenticator") == "lti13":
            missing = [k for k in ("issuer", "client_id", "authorize_url", "jwks_endpoint")
                       if not values.get("lti13", {}).get(k)]
            if missing:
                raise ValueError(f"hub config: [lti13] needs {', '.join(missing)} (from your LMS's tool registration)")
        config = cls(**values)
        if not config.course_account:
            object.__setattr__(config, "course_account", f"grader-{config.course_id}")
        check_username(config.course_account, "hub config: course_account: ")
        if not config.course_dir:
            object.__setattr__(config, "course_dir", f"/home/{config.course_account}/course")
        clash = set(config.instructors) & set(config.teaching_assistants)
        if clash:
            raise ValueError(f"hub config: {sorted(clash)[0]!r} is both instructor and teaching assistant; list once")
        return config

    @property
    def staff(self) -> tuple[str, ...]:
        """Instructors and teaching assistants: the accounts that reach formgrader."""
        return self.instructors + self.teaching_assistants

    @property
    def exchange_course(self) -> Path:
        return Path(self.exchange) / self.course_id

    @property
    def student_config(self) -> Path:
        return Path(self.state_dir).with_name(Path(self.state_dir).name + "-student-config")

    @property
    def python(self) -> str:
        return str(Path(self.hub_env) / "bin" / "python")


def load_config(path: str | Path) -> HubConfig:
    """Read a hub config file (TOML); errors name the file and the setting."""
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        try:
            import tomli as tomllib  # type: ignore[no-redef]
        except ModuleNotFoundError:
            raise ValueError("reading a hub config needs Python 3.11+ (or `pip install tomli`)") from None
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"hub config {path} does not exist; start from medialit/hub/templates/class.toml")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise ValueError(f"{path}: not valid TOML: {error}") from None
    try:
        return HubConfig.from_dict(data)
    except ValueError as error:
        raise ValueError(f"{path}: {error}") from None
