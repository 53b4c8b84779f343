"""`make lab` serves the student workspace (never the sources) in a student lab: nbgrader's
Validate on, its instructor tools (formgrader, create assignment, course and assignment lists)
and the news toast off, progress printed while the copies are made."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from helpers import free_port


def _get(url: str):
    with urllib.request.urlopen(url, timeout=5) as response:
        return json.loads(response.read().decode())


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_lab_serves_the_student_workspace(repo, tmp_path):
    if not (repo / ".venv" / ".medialit-installed").exists():
        pytest.skip("run through `make test`, which sets up .venv first")
    port, token = free_port(), "medialit-test-token"
    workspace = tmp_path / "ws"
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(tmp_path / "cfg"), JUPYTER_RUNTIME_DIR=str(tmp_path / "rt"))
    process = subprocess.Popen(
        ["make", "-C", str(repo), "lab", f"WORKSPACE={workspace}",
         f"LAB_ARGS=--no-browser --port={port} --ServerApp.token={token} --ServerApp.ip=127.0.0.1"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, start_new_session=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 400  # seven student copies, then the lab (slow on a busy 2-core machine)
        contents = None
        while time.monotonic() < deadline and process.poll() is None:
            try:
                contents = _get(f"{base}/api/contents?token={token}")
                break
            except OSError:
                time.sleep(0.5)
        assert contents is not None, process.stdout.read().decode() if process.poll() is not None else "lab did not start"
        names = {item["name"] for item in contents["content"]}
        assert "START-HERE.ipynb" in names
        assert not names & {"lessons", "toolkit", "datasets", "Makefile"}, names
        with urllib.request.urlopen(f"{base}/lab?token={token}", timeout=10) as response:
            page = response.read().decode()
        # JupyterLab lists the enabled federated extensions in the page's config data.
        config = json.loads(page.split('id="jupyter-config-data" type="application/json">', 1)[1].split("</script>", 1)[0])
        enabled = {ext["name"] for ext in config["federated_extensions"]}
        assert "@jupyter/nbgrader" in enabled
        disabled = set(config.get("disabledExtensions", []))
        assert {"@jupyter/nbgrader:formgrader", "@jupyter/nbgrader:create-assignment",
                "@jupyterlab/apputils-extension:announcements"} <= disabled, disabled
        assert "@jupyter/nbgrader:validate-assignment" not in disabled
        for path, expected in (("/formgrader", 404), ("/assignments", 404)):
            try:
                urllib.request.urlopen(f"{base}{path}?token={token}", timeout=10)
                status = 200
            except urllib.error.HTTPError as error:
                status = error.code
            assert status == expected, (path, status)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
    assert Path(workspace, "START-HERE.ipynb").is_file()
    output = process.stdout.read().decode()
    assert "making the student copy of 00-orientation (1 of" in output, output[-2000:]
    assert (workspace / ".jupyter" / "custom" / "custom.css").is_file()
