"""NativeAuthenticator for one class: only the roster's ids (and the staff) can sign up or log
in, and an instructor authorizes every student's sign-up at ``/hub/authorize``.

NativeAuthenticator alone treats ``allowed_users`` as *pre-authorized*: whoever signs up first
with a roster id would be let in at once. Here the roster only limits who may sign up; the
instructors (hub admins) are pre-authorized; each student waits for an instructor's click, so a
classmate who signs up under another student's id is caught before anything is submitted.
It runs inside the hub (the shared environment has ``jupyterhub-nativeauthenticator``).
"""

from __future__ import annotations

from traitlets import Set

try:
    from nativeauthenticator import NativeAuthenticator
except ModuleNotFoundError:  # outside the hub's environment (pip install "medialit[hub]"): nothing to define
    NativeAuthenticator = None

__all__ = ["ClassAuthenticator"]


if NativeAuthenticator is not None:
    class ClassAuthenticator(NativeAuthenticator):
        """NativeAuthenticator limited to the class's accounts (``class_accounts``)."""

        class_accounts = Set(help="The roster's ids and the staff's account names: nobody else may sign up or "
                                  "log in (each is a Unix account made by `medialit hub init`).").tag(config=True)

        def validate_username(self, username):
            return super().validate_username(username) and username in self.class_accounts

        def check_allowed(self, username, authentication=None):
            return username in self.class_accounts
