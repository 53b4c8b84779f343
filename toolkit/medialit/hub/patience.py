"""Give a managed service (formgrader) time to start: JupyterHub allows it about ten seconds.

JupyterHub 5 waits for each managed service's URL ten times one second at start-up and exits
when it does not answer. Formgrader is a whole Jupyter server (JupyterLab and nbgrader's
extensions); on a busy machine it needs longer, and the hub would stop before the class starts.
:func:`patient_services`, called from the generated ``jupyterhub_config.py``, lets the hub
wait up to ``seconds`` more for a managed service whose process is still running (one that
exited still stops the hub). Nothing else in JupyterHub changes.
"""

from __future__ import annotations

__all__ = ["patient_services"]


def patient_services(seconds: float = 90.0) -> None:
    """Patch ``JupyterHub.start_service`` (once) to wait up to ``seconds`` for a slow managed service."""
    from jupyterhub.app import JupyterHub
    from jupyterhub.objects import Server

    original = JupyterHub.start_service
    if getattr(original, "_medialit_patient", False):
        return

    async def start_service(self, service_name, service, ssl_context=None):
        if await original(self, service_name, service, ssl_context):
            return True
        if not service.managed or not service.url or await service.spawner.poll() is not None:
            return False
        self.log.warning("Service %s is still starting; medialit waits up to %.0f s more", service_name, seconds)
        try:
            await Server.from_orm(service.orm.server).wait_up(http=True, timeout=seconds, ssl_context=ssl_context)
        except Exception:  # a timeout of any kind: the hub stops, as it would have
            return False
        self.log.info("Service %s is up", service_name)
        return True

    start_service._medialit_patient = True
    JupyterHub.start_service = start_service
