"""The student lab, as `make lab` serves it, in a real browser.

- `make lab` serves the student workspace (never the sources) with the student lab's configuration:
  nbgrader's Validate on; formgrader, create assignment, the course and assignment lists and the
  news toast off; progress printed while the copies are made.
- A student's first Run All: every lesson's student copy runs from the top to its last cell, and the
  only errors are failed checks in test cells (their hint alone, no library frames) or unanswered
  answer cells; read-only cells show a lock.

Needs make, Debian's chromium and Python Playwright (`.ci/run` installs chromium). Slow.
"""

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
from helpers import axe_findings, end_process_group, free_port, processes_with, wait_for_server

from medialit.workspace import find_lessons

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
REPO = Path(__file__).resolve().parents[1]

pytestmark = [pytest.mark.slow]


# Every code cell of the open notebook: its nbgrader metadata, tags, execution count and outputs.
CELLS_JS = """() => {
  const nb = window.jupyterapp.shell.currentWidget.content;
  return nb.widgets.filter(c => c.model.type === 'code').map(c => ({
    nbgrader: c.model.getMetadata('nbgrader') || {},
    tags: c.model.getMetadata('tags') || [],
    count: c.model.executionCount,
    source: c.model.sharedModel.getSource().slice(0, 80),
    outputs: c.model.outputs.toJSON(),
  }));
}"""
BUSY_JS = """() => {
  const w = window.jupyterapp.shell.currentWidget;
  const kernel = w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel;
  return !kernel || kernel.status !== 'idle' ||
    Array.from(document.querySelectorAll('.jp-Notebook .jp-InputPrompt')).some(p => p.textContent.includes('*'));
}"""


def _wait_for_run_all(page, limit: float = 300, quiet: float = 20) -> list[dict]:
    """The code cells once Run All has finished: the last cell has run and the kernel is idle, or
    nothing has changed for ``quiet`` seconds (between two cells the kernel is idle and no prompt
    shows a star while the page renders the outputs, so one idle moment does not mean the end)."""
    deadline = time.monotonic() + limit
    seen, since = None, time.monotonic()
    while True:
        time.sleep(1)
        cells, busy = page.evaluate(CELLS_JS), page.evaluate(BUSY_JS)
        progress = (sum(c["count"] is not None for c in cells), busy)
        if (cells and cells[-1]["count"] is not None and not busy) or time.monotonic() > deadline:
            return cells
        if progress != seen:
            seen, since = progress, time.monotonic()
        elif not busy and time.monotonic() - since > quiet:
            return cells


@pytest.fixture(scope="module")
def student_lab(tmp_path_factory, repo):
    """`make lab` as a student runs it, on a fresh workspace; yields (base URL, token, workspace,
    the command's output file). Its JupyterLab (the student lab's configuration) serves the tests."""
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    if not (repo / ".venv" / ".medialit-installed").exists():
        pytest.skip("run through `make test`, which sets up .venv first")
    tmp = tmp_path_factory.mktemp("studentlab")
    port, token, workspace, log = free_port(), "medialit-student-lab", tmp / "ws", tmp / "make-lab.log"
    env = dict(os.environ, JUPYTER_RUNTIME_DIR=str(tmp / "rt"))
    env.pop("MEDIALIT_ANSWERS_DIR", None)
    with open(log, "wb") as out:  # a file, not a pipe: a full pipe would stop the lab
        process = subprocess.Popen(
            ["make", "-C", str(repo), "lab", f"WORKSPACE={workspace}",
             f"LAB_ARGS=--no-browser --port={port} --ServerApp.token={token} --ServerApp.ip=127.0.0.1 "
             "--LabApp.expose_app_in_browser=True"],
            stdout=out, stderr=subprocess.STDOUT, env=env, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        # a student copy per lesson, then the lab (slow on a busy 2-core machine: about a minute a copy)
        wait_for_server(base, token, process, 120 + 60 * len(find_lessons(repo / "lessons")),
                        lambda: "make lab did not serve the lab: " + log.read_text(errors="replace")[-3000:])
        yield base, token, workspace, log
    finally:
        end_process_group(process)
        for pid, _, _ in processes_with(str(tmp / "rt")):  # kernels live in their own sessions
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass


def _get(url: str):
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.loads(response.read().decode())


def test_make_lab_serves_the_student_workspace(student_lab):
    base, token, workspace, log = student_lab
    names = {item["name"] for item in _get(f"{base}/api/contents?token={token}")["content"]}
    assert "START-HERE.ipynb" in names
    assert not names & {"lessons", "toolkit", "datasets", "Makefile", "references"}, names
    with urllib.request.urlopen(f"{base}/lab?token={token}", timeout=10) as response:
        page = response.read().decode()
    # JupyterLab lists the enabled federated extensions in the page's config data.
    config = json.loads(page.split('id="jupyter-config-data" type="application/json">', 1)[1].split("</script>", 1)[0])
    assert "@jupyter/nbgrader" in {ext["name"] for ext in config["federated_extensions"]}
    disabled = set(config.get("disabledExtensions", []))
    assert {"@jupyter/nbgrader:formgrader", "@jupyter/nbgrader:create-assignment",
            "@jupyterlab/apputils-extension:announcements"} <= disabled, disabled
    assert "@jupyter/nbgrader:validate-assignment" not in disabled
    for path in ("/formgrader", "/assignments"):
        try:
            urllib.request.urlopen(f"{base}{path}?token={token}", timeout=10)
            status = 200
        except urllib.error.HTTPError as error:
            status = error.code
        assert status == 404, (path, status)
    output = log.read_text(errors="replace")
    assert "making the student copy of 00-orientation (1 of" in output, output[-2000:]
    assert (workspace / ".jupyter" / "custom" / "custom.css").is_file()
    assert (workspace / "START-HERE.ipynb").is_file()


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (apt-get install chromium); .ci/run installs it")
    sync_api = pytest.importorskip("playwright.sync_api", reason="Python Playwright is not installed")
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.mark.parametrize("lesson", [p.name for p in find_lessons(REPO / "lessons")])
def test_run_all_reaches_the_last_cell_of_each_student_copy(student_lab, browser, lesson, repo):
    base, token, workspace, _ = student_lab
    (notebook,) = sorted((workspace / lesson).glob("*.ipynb"))
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    artifacts = repo / "test-artifacts"
    artifacts.mkdir(exist_ok=True)
    try:
        # a workspace of its own per lesson (?reset): JupyterLab would otherwise restore the previous
        # lesson's notebook in this tab and make it the current one
        path = f"{lesson}/{notebook.name}"
        page.goto(f"{base}/lab/workspaces/{lesson}/tree/{path}?reset&token={token}", wait_until="domcontentloaded",
                  timeout=120_000)
        page.wait_for_function("(path) => window.jupyterapp && window.jupyterapp.shell.currentWidget && "
                               "window.jupyterapp.shell.currentWidget.context && "
                               "window.jupyterapp.shell.currentWidget.context.path === path && "
                               "document.querySelector('.jp-Notebook .jp-Cell')", arg=path, timeout=120_000)
        page.get_by_text("Python 3 (ipykernel) | Idle").wait_for(timeout=120_000)
        started = time.monotonic()
        for _attempt in range(2):  # on a loaded machine the first Run All can reach a kernel not yet ready
            page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
            cells = _wait_for_run_all(page)
            if any(c["count"] is not None for c in cells):
                break
        stopped = [(c["source"], [o.get("ename") for o in c["outputs"] if o.get("output_type") == "error"])
                   for c in cells if any(o.get("output_type") == "error" for o in c["outputs"])
                   and "raises-exception" not in c["tags"]]
        assert cells[-1]["count"] is not None, (
            f"Run All stopped before the last cell of {lesson} after {time.monotonic() - started:.0f} s; "
            f"{sum(c['count'] is not None for c in cells)} of {len(cells)} code cells ran; "
            f"errors outside test cells: {stopped[:2]}")
        assert all(c["count"] is not None for c in cells), \
            [c["source"] for c in cells if c["count"] is None][:3]
        for cell in cells:
            meta = cell["nbgrader"]
            errors = [o for o in cell["outputs"] if o.get("output_type") == "error"]
            if meta.get("grade") and not meta.get("solution"):
                assert "raises-exception" in cell["tags"], cell["source"]
                for error in errors:  # a failed check: its hint alone, no frames from medialit
                    assert error["ename"] == "Hint", (cell["source"], error["ename"], error["evalue"])
                    assert len(error["traceback"]) == 1 and "medialit/" not in error["traceback"][0], error
            elif not meta.get("solution"):
                assert not errors, (lesson, cell["source"], errors[:1])
        # the lock on read-only cells is visible (the student lab's custom.css)
        lock = page.evaluate("""() => { const p = Array.from(document.querySelectorAll('.jp-CodeCell .jp-InputPrompt'))
            .map(p => getComputedStyle(p, '::after').content).filter(c => c && c !== 'none' && c !== 'normal');
            return p.length; }""")
        assert lock > 0, "no read-only cell shows a lock"
        # every widget the lesson shows, checked by axe-core: no serious or critical finding of medialit's
        ours, _ = axe_findings(page, f"lesson-{lesson}")
        assert ours == [], f"axe on {lesson}: {ours[:3]}"
    except Exception:
        page.screenshot(path=str(artifacts / f"run-all-{lesson}-failure.png"), full_page=True)
        raise
    finally:
        page.close()
