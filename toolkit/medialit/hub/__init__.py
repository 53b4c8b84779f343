"""A real classroom on JupyterHub: ``medialit hub init|up|grade`` (docs/hub.md).

One machine, one Unix account per person (the operating system keeps students apart),
nbgrader's exchange in a shared folder, formgrader as a hub service for instructors and
teaching assistants, students who see only their notebooks and the Assignments tab, idle servers
culled. The pieces, one room each:

* :mod:`~medialit.hub.config`: the class's TOML settings (:class:`HubConfig`);
* :mod:`~medialit.hub.roster`: the roster CSV;
* :mod:`~medialit.hub.render`: the hub's files from the package's templates (no side effects);
* :mod:`~medialit.hub.provision`: accounts, exchange, course folder (root);
* :mod:`~medialit.hub.service`: start the hub; grade through the sandbox as root;
* :mod:`~medialit.hub.client`: a small HTTP client for the hub (tests and benchmarks).

>>> from medialit.hub import HubConfig
>>> HubConfig.from_dict({"instructors": ["ada"]}).staff
('ada',)
"""

from .config import HubConfig, load_config
from .roster import Student, read_roster

__all__ = ["HubConfig", "load_config", "Student", "read_roster"]
