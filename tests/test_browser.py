"""A real browser: JupyterLab runs a notebook with the span marker and the quiz; we click.

Needs Debian's chromium (/usr/bin/chromium) and Python Playwright; `.ci/run` installs chromium,
so in CI this always runs. A screenshot is saved to test-artifacts/widgets.png.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest
from helpers import free_port
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]

pytestmark = [
    pytest.mark.skipif(not Path(CHROMIUM).exists(),
                       reason="Debian's chromium is not installed (apt-get install chromium); .ci/run installs it"),
]


@pytest.fixture()
def lab(tmp_path):
    root = tmp_path / "ws"
    root.mkdir()
    nb = new_notebook(cells=[
        new_markdown_cell("# Widgets in a real browser"),
        new_code_cell('from medialit.widgets import SpanMarker, Quiz\n'
                      'marker = SpanMarker("browser-span", "Critics say the reckless plan may fail.", '
                      'labels=["loaded_language", "hedge"])\nmarker'),
        new_code_cell('quiz = Quiz("browser-quiz", "Which word is a hedge?", {"a": "may", "b": "clearly"}, '
                      'correct=["a"], feedback={"a": "Yes: it holds back from full commitment.", '
                      '"b": "No: it boosts."})\nquiz'),
    ])
    nb.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python", "name": "python3"}
    nbformat.write(nb, root / "widgets.ipynb")
    port, token = free_port(), "medialit-browser-test"
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(tmp_path / "cfg"), JUPYTER_RUNTIME_DIR=str(tmp_path / "rt"),
               PATH=os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]))
    env.pop("MEDIALIT_ANSWERS_DIR", None)
    cmd = [sys.executable, "-m", "jupyter", "lab", "--no-browser", f"--port={port}", "--ServerApp.ip=127.0.0.1",
           f"--ServerApp.token={token}", f"--ServerApp.root_dir={root}", "--LabApp.expose_app_in_browser=True",
           "--ServerApp.disable_check_xsrf=True", "--LabApp.news_url=None"]
    if os.geteuid() == 0:
        cmd.append("--allow-root")
    process = subprocess.Popen(cmd, cwd=root, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=3)
            break
        except OSError:
            time.sleep(0.5)
    else:
        os.killpg(process.pid, signal.SIGKILL)
        pytest.fail("JupyterLab did not start within 90 s")
    yield base, token, root
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)


def _wait_for(path: Path, check, seconds: float = 20.0):
    deadline = time.monotonic() + seconds
    last = None
    while time.monotonic() < deadline:
        if path.exists():
            try:
                last = json.loads(path.read_text())
                if check(last):
                    return last
            except ValueError:
                pass
        time.sleep(0.25)
    raise AssertionError(f"{path} never held the expected answer; last seen: {last}")


def test_span_marker_and_quiz_in_jupyterlab(lab, repo):
    sync_api = pytest.importorskip("playwright.sync_api", reason="Python Playwright is not installed (pip install playwright)")
    base, token, root = lab
    artifacts = repo / "test-artifacts"
    artifacts.mkdir(exist_ok=True)
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        page = browser.new_page(viewport={"width": 1280, "height": 1000})
        try:
            page.goto(f"{base}/lab/tree/widgets.ipynb?token={token}", wait_until="domcontentloaded", timeout=90_000)
            page.wait_for_function("window.jupyterapp && document.querySelector('.jp-Notebook')", timeout=90_000)
            # wait until the kernel is connected and idle, then run the cells as a student does
            page.get_by_text("Python 3 (ipykernel) | Idle").wait_for(timeout=90_000)
            page.locator(".jp-Notebook .jp-Cell").first.click()
            for _ in range(3):
                page.keyboard.press("Shift+Enter")
            word = page.locator("button.widget-button", has_text="reckless")
            word.wait_for(timeout=90_000)
            word.click()
            page.locator("button.widget-toggle-button", has_text="hedge").click()
            page.locator("button.widget-button", has_text="may").first.click()
            page.get_by_role("radio", name="may").check()
            page.locator("button.widget-button", has_text="Check").click()  # the verdict only after Check
            page.locator(".widget-html", has_text="Yes: it holds back").wait_for(timeout=30_000)

            spans = _wait_for(root / "answers" / "browser-span.json",
                              lambda r: len(r["answer"]["spans"]) == 2)
            text = "Critics say the reckless plan may fail."
            assert [(text[s:e], label) for s, e, label in spans["answer"]["spans"]] == [
                ("reckless", "loaded_language"), ("may", "hedge")]
            quiz = _wait_for(root / "answers" / "browser-quiz.json", lambda r: r["answer"]["selected"] == ["a"])
            assert quiz["kind"] == "quiz"
            errors = page.locator("[data-mime-type='application/vnd.jupyter.stderr'], .jp-OutputArea-output:has-text('Traceback')")
            assert errors.count() == 0
            page.screenshot(path=str(artifacts / "widgets.png"), full_page=True)
        except Exception:
            page.screenshot(path=str(artifacts / "widgets-failure.png"), full_page=True)
            (artifacts / "widgets-failure.html").write_text(page.content())
            raise
        finally:
            browser.close()
