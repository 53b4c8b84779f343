"""A student's first Run All, in a real browser: every lesson's student copy (made by `medialit
workspace`, served with the student lab's configuration) runs from the top to its last cell, and
the only errors are failed checks in test cells (their hint alone, no library frames) or
unanswered answer cells; read-only cells show a lock.

Needs Debian's chromium and Python Playwright (`.ci/run` installs chromium). Slow: seven lessons.
"""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path

import pytest
from helpers import jupyter_server, processes_with

from medialit.workspace import find_lessons, prepare_workspace

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
REPO = Path(__file__).resolve().parents[1]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not Path(CHROMIUM).exists(),
                       reason="Debian's chromium is not installed (apt-get install chromium); .ci/run installs it"),
]

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


@pytest.fixture(scope="module")
def student_lab(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("runall")
    workspace = tmp / "ws"
    prepare_workspace(REPO / "lessons", workspace)
    token = "medialit-run-all"
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(workspace / ".jupyter"), JUPYTER_RUNTIME_DIR=str(tmp / "rt"),
               PATH=os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]))
    env.pop("MEDIALIT_ANSWERS_DIR", None)
    server = jupyter_server(["lab", f"--ServerApp.root_dir={workspace}", "--LabApp.expose_app_in_browser=True"],
                            workspace, env, token, "JupyterLab")
    base = next(server)
    try:
        yield base, token, workspace
    finally:
        server.close()  # ends the lab
        for pid, _, _ in processes_with(str(tmp / "rt")):  # kernels live in their own sessions
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api", reason="Python Playwright is not installed")
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.mark.parametrize("lesson", [p.name for p in find_lessons(REPO / "lessons")])
def test_run_all_reaches_the_last_cell_of_each_student_copy(student_lab, browser, lesson, repo):
    base, token, workspace = student_lab
    (notebook,) = sorted((workspace / lesson).glob("*.ipynb"))
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    artifacts = repo / "test-artifacts"
    artifacts.mkdir(exist_ok=True)
    try:
        page.goto(f"{base}/lab/tree/{lesson}/{notebook.name}?token={token}", wait_until="domcontentloaded",
                  timeout=120_000)
        page.wait_for_function("window.jupyterapp && document.querySelector('.jp-Notebook .jp-Cell')", timeout=120_000)
        page.get_by_text("Python 3 (ipykernel) | Idle").wait_for(timeout=120_000)
        page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
        time.sleep(2)
        deadline = time.monotonic() + 300
        while page.evaluate(BUSY_JS) and time.monotonic() < deadline:
            time.sleep(1)
        cells = page.evaluate(CELLS_JS)
        assert cells[-1]["count"] is not None, f"Run All stopped before the last cell of {lesson}"
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
    except Exception:
        page.screenshot(path=str(artifacts / f"run-all-{lesson}-failure.png"), full_page=True)
        raise
    finally:
        page.close()
