"""A small HTTP client for a class hub: what a browser does, in Python (tests and benchmarks).

Everything goes over HTTP: NativeAuthenticator's sign-up, log-in and authorize pages; the hub's
REST API (a token per user, made with that user's log-in); the user's server (contents and
kernels APIs, code run in a kernel over its websocket); nbgrader's Assignments handlers
(``/assignments``, ``/assignments/fetch|submit|fetch_feedback``) and formgrader's API.

>>> Hub("http://127.0.0.1:8000/").url("hub/login")
'http://127.0.0.1:8000/hub/login'
"""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass
from typing import Any

__all__ = ["Hub", "User", "HubHTTPError"]


class HubHTTPError(RuntimeError):
    """A request to the hub failed; the message has the method, URL, status and body."""

    def __init__(self, response, what: str = ""):
        self.status = response.status_code
        super().__init__(f"{what or 'request'}: {response.request.method} {response.url} -> {response.status_code}: "
                         f"{response.text[:500]}")


def _check(response, what: str = ""):
    if response.status_code >= 400:
        raise HubHTTPError(response, what)
    return response


class Hub:
    """The hub at ``base`` (for example ``http://127.0.0.1:8000``)."""

    def __init__(self, base: str, timeout: float = 60.0):
        self.base = base.rstrip("/") + "/"
        self.timeout = timeout

    def url(self, path: str) -> str:
        return self.base + path.lstrip("/")

    def _session(self):
        import requests

        session = requests.Session()
        _check(session.get(self.url("hub/login"), timeout=self.timeout), "login page")
        return session

    def signup(self, username: str, password: str) -> str:
        """Sign up on NativeAuthenticator's page; returns the page's message."""
        session = self._session()
        page = session.get(self.url("hub/signup"), timeout=self.timeout)
        _check(page, "sign-up page")
        reply = session.post(self.url("hub/signup"), timeout=self.timeout, data={
            "username": username, "signup_password": password, "signup_password_confirmation": password,
            "_xsrf": session.cookies.get("_xsrf", "")})
        _check(reply, f"sign-up of {username}")
        return reply.text

    def login(self, username: str, password: str) -> "User":
        """Log in with a password (the hub's login form); returns the logged-in :class:`User`."""
        session = self._session()
        reply = session.post(self.url("hub/login"), timeout=self.timeout, allow_redirects=True,
                             data={"username": username, "password": password, "_xsrf": session.cookies.get("_xsrf", "")})
        _check(reply, f"login of {username}")
        if "hub/login" in reply.url or not any(c.name.startswith("jupyterhub-session") for c in session.cookies):
            raise PermissionError(f"{username} could not log in (the hub answered with its login page)")
        return User(self, username, session)


@dataclass
class User:
    """A logged-in user: the browser session, and a token for the APIs made with it."""

    hub: Hub
    name: str
    session: Any
    token: str = ""

    # ---- hub ------------------------------------------------------------------------------
    def _xsrf_headers(self) -> dict:
        return {"X-XSRFToken": self.session.cookies.get("_xsrf", path="/hub/") or self.session.cookies.get("_xsrf", "")}

    def make_token(self, note: str = "medialit client") -> str:
        """A hub API token of this user, requested with the log-in session (as the token page does)."""
        reply = self.session.post(self.hub.url(f"hub/api/users/{self.name}/tokens"), json={"note": note,
                                  "expires_in": 3600}, headers=self._xsrf_headers(), timeout=self.hub.timeout)
        self.token = _check(reply, f"token for {self.name}").json()["token"]
        return self.token

    def api(self, method: str, path: str, what: str = "", check: bool = True, **kw):
        """A request with this user's token; ``path`` is relative to the hub's base URL."""
        import requests

        headers = {"Authorization": f"token {self.token}", **kw.pop("headers", {})}
        reply = requests.request(method, self.hub.url(path), headers=headers, timeout=kw.pop("timeout", self.hub.timeout),
                                 **kw)
        return _check(reply, what or path) if check else reply

    def authorize(self, username: str) -> None:
        """As an admin: authorize a sign-up on NativeAuthenticator's page (/hub/authorize/NAME)."""
        reply = self.session.get(self.hub.url(f"hub/authorize/{username}"), timeout=self.hub.timeout)
        _check(reply, f"authorize {username}")

    def start_server(self) -> None:
        reply = self.api("POST", f"hub/api/users/{self.name}/server", check=False)
        if reply.status_code not in (201, 202, 400):  # 400: already running
            _check(reply, f"start server of {self.name}")

    def wait_ready(self, seconds: float = 180.0) -> float:
        """Wait until this user's server answers; returns the seconds waited."""
        start = time.monotonic()
        while time.monotonic() - start < seconds:
            model = self.api("GET", f"hub/api/users/{self.name}").json()
            server = (model.get("servers") or {}).get("", {})
            if server.get("ready"):
                return time.monotonic() - start
            time.sleep(0.5)
        raise TimeoutError(f"the server of {self.name} was not ready after {seconds:.0f} s")

    def stop_server(self) -> None:
        self.api("DELETE", f"hub/api/users/{self.name}/server", check=False)

    # ---- the user's server ------------------------------------------------------------------
    def server(self, method: str, path: str, what: str = "", check: bool = True, **kw):
        return self.api(method, f"user/{self.name}/{path.lstrip('/')}", what, check, **kw)

    def read(self, path: str, check: bool = True):
        """The contents API's model of ``path`` (a file or a folder); status checked unless ``check=False``."""
        return self.server("GET", f"api/contents/{path}", f"read {path}", check=check)

    def write_notebook(self, path: str, nb: dict) -> None:
        self.server("PUT", f"api/contents/{path}", f"save {path}", json={"type": "notebook", "format": "json",
                                                                             "content": nb})

    def assignments(self, action: str = "", course_id: str = "", assignment_id: str = ""):
        """nbgrader's Assignments tab: list (``action=""``), ``fetch``, ``submit``, ``fetch_feedback``."""
        if not action:
            return self.server("GET", "assignments", "list assignments", params={"course_id": course_id}).json()
        reply = self.server("POST", f"assignments/{action}", f"assignments {action}",
                            data={"course_id": course_id, "assignment_id": assignment_id})
        return reply.json()

    def start_kernel(self, path: str = "") -> str:
        return self.server("POST", "api/kernels", "start kernel", json={"name": "python3", "path": path}).json()["id"]

    def stop_kernel(self, kernel_id: str) -> None:
        self.server("DELETE", f"api/kernels/{kernel_id}", check=False)

    def execute(self, kernel_id: str, code: str, seconds: float = 120.0) -> "Execution":
        """Run ``code`` in a kernel over its websocket; returns what it printed and its error, if any."""
        import websocket

        url = self.hub.url(f"user/{self.name}/api/kernels/{kernel_id}/channels").replace("http", "ws", 1)
        ws = websocket.create_connection(url, header=[f"Authorization: token {self.token}"], timeout=seconds)
        try:
            msg_id = uuid.uuid4().hex
            ws.send(json.dumps({
                "header": {"msg_id": msg_id, "username": self.name, "session": uuid.uuid4().hex,
                           "msg_type": "execute_request", "version": "5.3", "date": ""},
                "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
                "content": {"code": code, "silent": False, "store_history": False, "user_expressions": {},
                            "allow_stdin": False, "stop_on_error": True}}))
            out, error, replied, idle = [], None, False, False
            deadline = time.monotonic() + seconds
            while not (replied and idle):
                if time.monotonic() > deadline:
                    raise TimeoutError(f"code in {self.name}'s kernel did not finish in {seconds:.0f} s")
                msg = json.loads(ws.recv())
                if msg.get("parent_header", {}).get("msg_id") != msg_id:
                    continue
                kind, content = msg["header"]["msg_type"], msg.get("content", {})
                if kind == "stream":
                    out.append(content.get("text", ""))
                elif kind in ("execute_result", "display_data"):
                    out.append(content.get("data", {}).get("text/plain", ""))
                elif kind == "error":
                    error = f"{content.get('ename')}: {content.get('evalue')}"
                elif kind == "execute_reply":
                    replied = True
                elif kind == "status" and content.get("execution_state") == "idle":
                    idle = True
            return Execution("".join(out), error)
        finally:
            ws.close()

    # ---- formgrader (a hub service) --------------------------------------------------------
    def formgrader(self, method: str, service: str, path: str, what: str = "", **kw):
        """formgrader's API of the course service (``/services/<course>/formgrader/api/...``)."""
        return self.api(method, f"services/{service}/formgrader/api/{path.lstrip('/')}", what or path, **kw)


@dataclass(frozen=True)
class Execution:
    """What code run in a kernel printed, and its error (``Name: message``) or None."""

    output: str
    error: str | None
